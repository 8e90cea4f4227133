/// Native Windows-1252 decoding, used for ISO-8859-1 labels and as the 8-bit fallback.
///
/// Implemented here rather than through iconv because it is the most common non-UTF-8 charset in
/// mail and iconv rejects its five unassigned bytes; like the WHATWG decoder, those map to the C1
/// control of the same value, so every byte decodes.
enum Windows1252 {
    /// Code points for bytes 0x80...0x9F; the rest of the range is identical to ISO-8859-1.
    private static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Decodes every byte to one scalar.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalar(for: byte)) }
        return String(scalars)
    }

    /// Decodes every byte to one scalar, appending its UTF-8 to `output`.
    static func decode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else {
                UTF8.encode(scalar(for: byte)) { output.append($0) }
            }
        }
    }

    /// The scalar one byte decodes to.
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
