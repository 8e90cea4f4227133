/// Byte constants and small byte-level helpers shared by the parsers.
///
/// Mail syntax is defined on octets (RFC 5322 section 2.1), so parsing works on `UInt8` and only
/// turns bytes into `String` at the edges.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let percent: UInt8 = 0x25
    static let apostrophe: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let asterisk: UInt8 = 0x2A
    static let comma: UInt8 = 0x2C
    static let hyphen: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F

    /// Space or horizontal tab: RFC 5234 WSP.
    @inline(__always)
    static func isWSP(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// WSP, CR or LF: what separates tokens once folding is considered.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == cr || byte == lf }

    /// The value of a hexadecimal digit of either case, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    /// ASCII lowercase of one byte; other bytes unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte }

    /// The index of the first byte at or after `start` that is not ASCII (0x80 or above), or
    /// `bytes.count`: eight bytes at a time, since text is mostly long ASCII runs.
    @inline(__always)
    static func asciiRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if word & highBits != 0 { break }
                index += 8
            }
        }
        while index < count && bytes[index] < 0x80 { index += 1 }
        return index
    }

    /// The high bit of each byte of a word.
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Lowercases the eight ASCII bytes of `word` (each below 0x80) at once: a byte gets 0x20 added
    /// when it is at least 0x41 and below 0x5B. No byte's sum carries into the next, so the high bit of
    /// `byte + 0x3F` says `byte >= 0x41` and that of `byte + 0x25` says `byte >= 0x5B`.
    @inline(__always)
    static func lowercasedASCIIWord(_ word: UInt64) -> UInt64 {
        let atLeastA = word &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = word &+ 0x2525_2525_2525_2525
        return word | ((atLeastA & ~pastZ & highBits) >> 2)
    }

    /// Case-insensitive ASCII comparison of two strings (header names, charset names).
    static func caseInsensitiveEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Interprets header or parameter bytes as text: UTF-8 when valid (RFC 6532 allows raw UTF-8),
    /// otherwise ISO-8859-1, which maps every byte to one scalar and so never fails.
    static func lenientString(_ bytes: some Collection<UInt8>) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Removes leading and trailing WSP, CR and LF.
    static func trimmed<C: BidirectionalCollection>(_ bytes: C) -> C.SubSequence where C.Element == UInt8 {
        var slice = bytes[...]
        while let first = slice.first, isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }
}
