/// The case folding `TextMatcher` applies, scalar by scalar, producing UTF-8 bytes.
///
/// A scalar folds to `String(scalar).uppercased().lowercased()`: the standard library maps case
/// scalar by scalar (no context rules), so folding a text this way equals folding it whole, and the
/// full mappings fold what simple lowercasing misses (ß and SS, final and medial sigma, the Kelvin
/// sign, long s). On top of that, the three scalars whose canonical decomposition is a single ASCII
/// character (GREEK QUESTION MARK, GREEK VARIA, KELVIN SIGN) become that character: they compare
/// equal to it as `Character`s, and mapping them here means that text canonically equivalent to an
/// ASCII needle is always ASCII bytes after folding, which is what lets the matcher search bytes.
///
/// ASCII folds eight bytes at a time where it can and through a 128-entry table elsewhere; other BMP scalars through a table built on first use
/// (about 5 ms, 256 KB); scalars beyond the BMP are computed each time they change under case
/// mapping (Deseret, Osage, Adlam and a few more) and copied otherwise.
enum CaseFold {
    /// Scalars (beyond the case mappings) that are canonically equivalent to one ASCII character.
    static let asciiSingletons: [UInt32: UInt8] = [0x037E: 0x3B, 0x1FEF: 0x60, 0x212A: 0x6B]

    /// ASCII byte to its folded byte (A-Z to a-z).
    static let ascii: [UInt8] = (0..<128).map { ASCII.lowercased(UInt8($0)) }

    /// Per BMP scalar: 0 when it folds to itself, else `offset << 8 | length` into `bytes`.
    private static let bmp: (entries: [UInt32], bytes: [UInt8]) = {
        var entries = [UInt32](repeating: 0, count: 0x10000)
        var bytes: [UInt8] = []
        for value in 0x80..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            guard let folded = computeFolded(scalar) else { continue }
            entries[value] = UInt32(bytes.count) << 8 | UInt32(folded.count)
            bytes += folded
        }
        return (entries, bytes)
    }()

    /// The folded UTF-8 of a non-ASCII scalar, or nil when it folds to itself.
    static func computeFolded(_ scalar: Unicode.Scalar) -> [UInt8]? {
        if let ascii = asciiSingletons[scalar.value] { return [ascii] }
        guard scalar.properties.changesWhenCaseMapped else { return nil }
        let folded = String(scalar).uppercased().lowercased()
        var bytes: [UInt8] = []
        for foldedScalar in folded.unicodeScalars {
            if let ascii = asciiSingletons[foldedScalar.value] {
                bytes.append(ascii)
            } else {
                bytes += String(foldedScalar).utf8
            }
        }
        return bytes == Array(String(scalar).utf8) ? nil : bytes
    }

    /// Folds a whole string.
    static func fold(_ text: some StringProtocol) -> [UInt8] {
        Array(text.utf8).withUnsafeBufferPointer { fold($0) }
    }

    /// Folds a whole UTF-8 text.
    static func fold(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        var output = [UInt8](repeating: 0, count: input.count * maxGrowth)
        let written = output.withUnsafeMutableBufferPointer { fold(input, final: true, into: $0.baseAddress!).written }
        output.removeLast(output.count - written)
        return output
    }

    /// No scalar folds to more than three times its UTF-8 length (ΐ: 2 bytes to 6).
    static let maxGrowth = 3

    /// Writes the folded form of `input` (UTF-8) to `output`, which has room for `maxGrowth` times
    /// `input.count` bytes. Returns how many bytes were consumed (all, except, unless `final`, an
    /// incomplete sequence at the end) and written. A byte that does not begin a well-formed
    /// sequence folds to U+FFFD.
    static func fold(_ input: UnsafeBufferPointer<UInt8>, final: Bool,
                     into output: UnsafeMutablePointer<UInt8>) -> (consumed: Int, written: Int) {
        guard let inputBase = input.baseAddress else { return (0, 0) }
        var written = 0
        var index = 0
        let count = input.count
        let table = bmp
        table.entries.withUnsafeBufferPointer { entries in
            table.bytes.withUnsafeBufferPointer { foldedBytes in
                ascii.withUnsafeBufferPointer { ascii in
                    let rawInput = UnsafeRawPointer(inputBase)
                    let rawOutput = UnsafeMutableRawPointer(output)
                    while index < count {
                        // ASCII, most of any text, is folded eight bytes at a time.
                        while index + 8 <= count {
                            let word = rawInput.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                            guard word & ASCII.highBits == 0 else { break }
                            rawOutput.storeBytes(of: ASCII.lowercasedASCIIWord(word), toByteOffset: written, as: UInt64.self)
                            written += 8
                            index += 8
                        }
                        guard index < count else { break }
                        let byte = input[index]
                        if byte < 0x80 {
                            output[written] = ascii[Int(byte)]
                            written += 1
                            index += 1
                            continue
                        }
                        let length = sequenceLength(input, at: index)
                        if length == 0 {
                            if !final && isIncompleteSequence(input, at: index) { return }
                            for byte in replacement {
                                output[written] = byte
                                written += 1
                            }
                            index += 1
                            continue
                        }
                        let value = decodeScalar(input, at: index, length: length)
                        let entry = value < 0x10000 ? entries[Int(value)] : 0
                        if entry != 0 {
                            let bytesOffset = Int(entry >> 8), bytesCount = Int(entry & 0xFF)
                            for offset in 0..<bytesCount { output[written + offset] = foldedBytes[bytesOffset + offset] }
                            written += bytesCount
                        } else if value >= 0x10000, let scalar = Unicode.Scalar(value), let folded = computeFolded(scalar) {
                            for byte in folded {
                                output[written] = byte
                                written += 1
                            }
                        } else {
                            for offset in 0..<length { output[written + offset] = input[index + offset] }
                            written += length
                        }
                        index += length
                    }
                }
            }
        }
        return (index, written)
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// The length of the sequence a lead byte starts and the range its second byte must be in
    /// (Unicode section 3.9, table 3-7); nil for bytes that start none.
    @inline(__always)
    private static func leadInfo(_ lead: UInt8) -> (length: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: nil
        }
    }

    /// The length of the well-formed sequence at `index`, or 0.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        guard let (length, second) = leadInfo(bytes[index]), index + length <= bytes.count,
              second.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// Whether the bytes from `index` to the end are the well-formed start of a longer sequence.
    private static func isIncompleteSequence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard let (length, second) = leadInfo(bytes[index]), index + length > bytes.count else { return false }
        for offset in 1..<(bytes.count - index) {
            let allowed = offset == 1 ? second : 0x80...0xBF
            if !allowed.contains(bytes[index + offset]) { return false }
        }
        return true
    }

    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> UInt32 {
        let lead = UInt32(bytes[index])
        switch length {
        case 2:
            return (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3:
            return (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            return (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
        }
    }
}
