/// IMAP's modified UTF-7 (RFC 3501 section 5.1.3), which Dovecot also uses for folder names on disk.
///
/// Printable ASCII stands for itself except `&`, written `&-`; other characters are UTF-16, base64
/// encoded with `,` for `/`, without padding, between `&` and `-`.
public enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    public static func encode(_ string: String) -> String {
        var out: [UInt8] = []
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out.append(UInt8(ascii: "&"))
            var bytes: [UInt8] = []
            for unit in pending { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
            var i = 0
            while i < bytes.count {
                let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
                out.append(alphabet[Int(b0 >> 2)])
                out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
                if i + 1 < bytes.count { out.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)]) }
                if i + 2 < bytes.count { out.append(alphabet[Int(b2 & 0x3F)]) }
                i += 3
            }
            out.append(UInt8(ascii: "-"))
            pending.removeAll()
        }
        for scalar in string.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                if scalar == "&" {
                    out.append(UInt8(ascii: "&")); out.append(UInt8(ascii: "-"))
                } else {
                    out.append(UInt8(scalar.value))
                }
            } else {
                pending.append(contentsOf: Array(String(scalar).utf16))
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a name; `nil` if it is not valid modified UTF-7 (RFC 3501 forbids, among others,
    /// 8-bit bytes, unterminated shifts, encoded printable ASCII, and two adjacent encoded runs).
    public static func decode(_ encoded: String) -> String? {
        let bytes = Array(encoded.utf8)
        var units: [UInt16] = []
        var i = 0
        var previousWasEncodedRun = false
        while i < bytes.count {
            let c = bytes[i]
            guard c >= 0x20 && c <= 0x7E else { return nil }
            if c != UInt8(ascii: "&") {
                units.append(UInt16(c))
                previousWasEncodedRun = false
                i += 1
                continue
            }
            guard let end = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "-")) else { return nil }
            if end == i + 1 {
                units.append(UInt16(UInt8(ascii: "&")))
                previousWasEncodedRun = false
                i = end + 1
                continue
            }
            if previousWasEncodedRun { return nil }
            var bits: UInt32 = 0
            var bitCount = 0
            var decoded: [UInt8] = []
            for b in bytes[(i + 1)..<end] {
                let v = reverse[Int(b)]
                guard v >= 0 else { return nil }
                bits = bits << 6 | UInt32(v)
                bitCount += 6
                if bitCount >= 8 {
                    bitCount -= 8
                    decoded.append(UInt8((bits >> UInt32(bitCount)) & 0xFF))
                }
            }
            // Leftover bits must be zero padding, and the bytes must make whole UTF-16 units.
            guard bitCount < 6, bits & ((1 << UInt32(bitCount)) - 1) == 0, decoded.count % 2 == 0 else { return nil }
            var run: [UInt16] = []
            for k in stride(from: 0, to: decoded.count, by: 2) {
                run.append(UInt16(decoded[k]) << 8 | UInt16(decoded[k + 1]))
            }
            // Printable ASCII must not be encoded.
            if run.contains(where: { $0 >= 0x20 && $0 <= 0x7E }) { return nil }
            units.append(contentsOf: run)
            previousWasEncodedRun = true
            i = end + 1
        }
        var result = ""
        for scalar in decodeUTF16(units) {
            guard let scalar else { return nil }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

private func decodeUTF16(_ units: [UInt16]) -> [Unicode.Scalar?] {
    var iterator = units.makeIterator()
    var decoder = UTF16()
    var out: [Unicode.Scalar?] = []
    loop: while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s): out.append(s)
        case .emptyInput: break loop
        case .error: out.append(nil)
        }
    }
    return out
}
