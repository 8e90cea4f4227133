/// RFC 4648 section 4 base64, written out so that both strictness levels are explicit.
///
/// SASL (RFC 4422 section 3.1 via RFC 3501/5034) requires rejecting anything that is not plain
/// canonical base64, so `decodeStrict` refuses whitespace, missing padding, padding in the middle and
/// non-zero pad bits (RFC 4648 section 3.5). Stored passwords written by other tools are read with
/// `decodeLenient`, which like Dovecot's `base64_decode` also accepts a missing `=` padding.
enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    /// Maps an ASCII byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Encodes bytes with `=` padding and no line breaks.
    static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        let remaining = input.count - index
        if remaining == 1 {
            let chunk = UInt32(input[index]) << 16
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        } else if remaining == 2 {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes canonical base64 only; nil for anything else.
    static func decodeStrict(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8), requirePadding: true, requireZeroPadBits: true)
    }

    /// Decodes base64 with or without trailing `=` padding; nil on any other defect.
    static func decodeLenient(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8), requirePadding: false, requireZeroPadBits: false)
    }

    private static func decode(_ input: [UInt8], requirePadding: Bool, requireZeroPadBits: Bool) -> [UInt8]? {
        var body = input[...]
        var padding = 0
        while body.last == UInt8(ascii: "=") {
            body = body.dropLast()
            padding += 1
        }
        if padding > 2 { return nil }
        if requirePadding {
            if input.count % 4 != 0 { return nil }
        } else if padding > 0 && input.count % 4 != 0 {
            return nil
        }
        // A single leftover character cannot carry a whole byte.
        if body.count % 4 == 1 { return nil }
        if padding > 0 && (body.count + padding) % 4 != 0 { return nil }

        var output = [UInt8]()
        output.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in body {
            let value = reverse[Int(byte)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        if requireZeroPadBits && accumulator != 0 { return nil }
        return output
    }
}
