/// IMAP's modified UTF-7 for mailbox names (RFC 3501 section 5.1.3), at the grammar level.
///
/// Printable US-ASCII except `&` stands for itself; `&` is `&-`; every other character is UTF-16,
/// modified base64 (`,` for `/`, no padding) between `&` and `-`. Written here rather than shared with
/// RoostStorage's `ModifiedUTF7` so the grammar target depends on NIOCore only; the two are tested
/// against the same RFC examples.
///
/// Decoding refuses every form RFC 3501 forbids, so each name has exactly one spelling: octets outside
/// printable ASCII, an unterminated shift, non-base64 characters, non-zero padding bits or a partial
/// UTF-16 unit, printable ASCII that was encoded, two adjacent encoded runs, and unpaired surrogates.
enum IMAPModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)
    private static let values: [UInt8: UInt32] = {
        var table: [UInt8: UInt32] = [:]
        for (i, c) in alphabet.enumerated() { table[c] = UInt32(i) }
        return table
    }()
    private static let ampersand = UInt8(ascii: "&")
    private static let dash = UInt8(ascii: "-")

    private static func isDirect(_ value: UInt32) -> Bool { value >= 0x20 && value <= 0x7E }

    static func encode(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        var run: [UInt16] = []
        func flush() {
            guard !run.isEmpty else { return }
            out.append(ampersand)
            var bits: UInt32 = 0
            var count = 0
            for unit in run {
                bits = bits << 16 | UInt32(unit)
                count += 16
                while count >= 6 {
                    count -= 6
                    out.append(alphabet[Int((bits >> UInt32(count)) & 0x3F)])
                }
                bits &= (1 << UInt32(count)) - 1
            }
            if count > 0 { out.append(alphabet[Int((bits << UInt32(6 - count)) & 0x3F)]) }
            out.append(dash)
            run.removeAll()
        }
        for scalar in string.unicodeScalars {
            if isDirect(scalar.value) {
                flush()
                out.append(UInt8(scalar.value))
                if scalar.value == UInt32(ampersand) { out.append(dash) }
            } else {
                run.append(contentsOf: String(scalar).utf16)
            }
        }
        flush()
        return out
    }

    /// The name, or `nil` if `bytes` is not valid modified UTF-7.
    static func decode(_ bytes: some Collection<UInt8>) -> String? {
        let bytes = Array(bytes)
        var result = String.UnicodeScalarView()
        var i = 0
        var afterEncodedRun = false
        while i < bytes.count {
            let byte = bytes[i]
            guard isDirect(UInt32(byte)) else { return nil }
            guard byte == ampersand else {
                result.append(Unicode.Scalar(byte))
                afterEncodedRun = false
                i += 1
                continue
            }
            guard let end = bytes[(i + 1)...].firstIndex(of: dash) else { return nil }
            if end == i + 1 {
                result.append("&")
                afterEncodedRun = false
                i = end + 1
                continue
            }
            guard !afterEncodedRun, let units = decodeRun(bytes[(i + 1)..<end]) else { return nil }
            var iterator = units.makeIterator()
            var utf16 = UTF16()
            loop: while true {
                switch utf16.decode(&iterator) {
                case .scalarValue(let scalar):
                    guard !isDirect(scalar.value) else { return nil }
                    result.append(scalar)
                case .emptyInput: break loop
                case .error: return nil
                }
            }
            afterEncodedRun = true
            i = end + 1
        }
        return String(result)
    }

    private static func decodeRun(_ chars: ArraySlice<UInt8>) -> [UInt16]? {
        var units: [UInt16] = []
        var bits: UInt32 = 0
        var count = 0
        for char in chars {
            guard let value = values[char] else { return nil }
            bits = bits << 6 | value
            count += 6
            if count >= 16 {
                count -= 16
                units.append(UInt16((bits >> UInt32(count)) & 0xFFFF))
                bits &= (1 << UInt32(count)) - 1
            }
        }
        // What is left must be fewer than 6 padding bits, all zero.
        guard count < 6, bits == 0 else { return nil }
        return units
    }
}
