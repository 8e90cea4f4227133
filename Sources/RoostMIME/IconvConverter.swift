import Glibc

/// One open glibc iconv conversion to UTF-8, failure-tolerant, with its own output buffer.
///
/// A converter keeps its descriptor open between calls, so the shift state of a stateful charset
/// (ISO-2022-JP, UTF-7) carries from one chunk to the next, and its output buffer is allocated
/// once (uninitialised, never zeroed) instead of on every call. glibc caches the loaded gconv
/// modules, so opening one is cheap after the first use of a charset.
///
/// Not thread-safe: a converter belongs to one owner at a time. It is `@unchecked Sendable` so
/// that `CharsetDecoder` can stay a `Sendable` value; the decoder opens a fresh converter instead
/// of using one it shares with a copy of itself.
final class IconvConverter: @unchecked Sendable {
    /// The result of one conversion call.
    struct Result {
        /// The converted text, with U+FFFD for each invalid code unit.
        var text: String
        /// How many input bytes at the end form an incomplete sequence and were not converted
        /// (always 0 when `final`).
        var unconsumed: Int
    }

    /// The iconv name converted from.
    let name: String
    private let descriptor: iconv_t
    /// Bytes skipped past an invalid sequence: one code unit, so that UTF-16 and UTF-32 stay
    /// aligned on their units after an unpaired surrogate or an out-of-range value.
    private let codeUnitWidth: Int
    private var scratch: UnsafeMutableRawBufferPointer

    /// The largest output buffer a converter keeps; longer output is produced in several passes.
    private static let maxScratch = 16 * 1024
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Opens a conversion from the charset `name`; nil when iconv does not know it.
    init?(from name: String) {
        let descriptor = iconv_open("UTF-8", name)
        guard !Self.isInvalid(descriptor), let descriptor else { return nil }
        self.name = name
        self.descriptor = descriptor
        self.codeUnitWidth = Self.codeUnitWidth(of: name)
        self.scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    deinit {
        iconv_close(descriptor)
        scratch.deallocate()
    }

    /// The output buffer's address (nil before the first conversion), for tests that it is reused.
    var bufferAddress: UnsafeMutableRawPointer? { scratch.baseAddress }

    /// Whether iconv can convert from `name` to UTF-8.
    static func canOpen(_ name: String) -> Bool {
        let descriptor = iconv_open("UTF-8", name)
        guard !isInvalid(descriptor) else { return false }
        iconv_close(descriptor)
        return true
    }

    /// Converts `input` from the charset `name` with a converter used once; nil when iconv does
    /// not know `name`.
    static func convert(_ input: UnsafeBufferPointer<UInt8>, from name: String, final: Bool) -> Result? {
        IconvConverter(from: name)?.convert(input, final: final)
    }

    /// Converts the next piece of input, continuing from the state the previous call left.
    ///
    /// An invalid sequence (EILSEQ) becomes U+FFFD and conversion resumes one code unit later. An
    /// incomplete sequence at the end (EINVAL) is left unconsumed unless `final`, in which case it
    /// becomes U+FFFD. When `final`, the shift state is flushed and reset, so the converter can
    /// start a new text.
    func convert(_ input: UnsafeBufferPointer<UInt8>, final: Bool) -> Result {
        var output: [UInt8] = []
        let unconsumed = convert(input, final: final, into: &output)
        return Result(text: String(decoding: output, as: UTF8.self), unconsumed: unconsumed)
    }

    /// `convert(_:final:)` appending the UTF-8 to `output`; returns how many bytes at the end were
    /// left unconsumed.
    func convert(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) -> Int {
        guard let base = input.baseAddress, !input.isEmpty else {
            if final { flushShiftState(into: &output) }
            return 0
        }
        reserveScratch(forInput: input.count)
        output.reserveCapacity(output.count + input.count * 2 + 16)
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = input.count

        while inLeft > 0 {
            var outPointer: UnsafeMutablePointer<CChar>? = scratch.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = scratch.count
            let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
            let failure = status == -1 ? errno : 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<(scratch.count - outLeft)]))
            switch failure {
            case 0, E2BIG:
                continue
            case EINVAL where !final:
                return inLeft
            case EINVAL:
                output.append(contentsOf: Self.replacement)
                inLeft = 0
            default:
                output.append(contentsOf: Self.replacement)
                let skipped = min(codeUnitWidth, inLeft)
                inPointer = inPointer.map { $0 + skipped }
                inLeft -= skipped
            }
        }
        if final { flushShiftState(into: &output) }
        return 0
    }

    /// Grows the output buffer to suit `count` input bytes, up to `maxScratch`; a short header
    /// word gets a small buffer, a streamed body the full one, allocated once.
    private func reserveScratch(forInput count: Int) {
        let wanted = count >= Self.maxScratch / 4 ? Self.maxScratch : max(64, count * 4)
        guard scratch.count < wanted else { return }
        scratch.deallocate()
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: wanted, alignment: 1)
    }

    /// Emits whatever a stateful converter holds back at the end of input, and resets its state.
    private func flushShiftState(into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { raw in
            var outPointer: UnsafeMutablePointer<CChar>? = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = raw.count
            _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - outLeft)]))
        }
    }

    /// The size of one code unit of `name`: 2 for UTF-16/UCS-2, 4 for UTF-32/UCS-4, else 1.
    static func codeUnitWidth(of name: String) -> Int {
        let upper = name.uppercased()
        if upper.hasPrefix("UTF-16") || upper.hasPrefix("UCS-2") || upper.hasPrefix("UTF16") || upper.hasPrefix("UCS2") {
            return 2
        }
        if upper.hasPrefix("UTF-32") || upper.hasPrefix("UCS-4") || upper.hasPrefix("UTF32") || upper.hasPrefix("UCS4") {
            return 4
        }
        return 1
    }

    /// iconv_open signals failure with `(iconv_t)-1`, not NULL.
    private static func isInvalid(_ descriptor: iconv_t?) -> Bool {
        descriptor == nil || Int(bitPattern: descriptor) == -1
    }
}
