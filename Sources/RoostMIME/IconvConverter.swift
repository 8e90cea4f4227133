import Glibc

/// A thin, failure-tolerant wrapper over glibc iconv converting to UTF-8.
///
/// Each call opens and closes its own conversion descriptor, so values that use it stay plain
/// `Sendable` structs with no shared mutable handle. glibc caches the loaded gconv modules, so the
/// open is cheap after the first use of a charset.
enum IconvConverter {
    /// The result of one conversion call.
    struct Result {
        /// The converted text, with U+FFFD for each invalid byte.
        var text: String
        /// How many input bytes at the end form an incomplete sequence and were not converted
        /// (always 0 when `final`).
        var unconsumed: Int
    }

    /// Whether iconv can convert from `name` to UTF-8.
    static func canOpen(_ name: String) -> Bool {
        let descriptor = iconv_open("UTF-8", name)
        guard !isInvalid(descriptor) else { return false }
        iconv_close(descriptor)
        return true
    }

    /// Converts `input` from the charset `name` to a String; nil when iconv does not know `name`.
    ///
    /// An invalid byte (EILSEQ) becomes U+FFFD and conversion resumes at the next byte. An
    /// incomplete sequence at the end (EINVAL) is left unconsumed unless `final`, in which case it
    /// becomes U+FFFD. For stateful charsets the shift state is reset at the end when `final`.
    static func convert(_ input: UnsafeBufferPointer<UInt8>, from name: String, final: Bool) -> Result? {
        let descriptor = iconv_open("UTF-8", name)
        guard !isInvalid(descriptor) else { return nil }
        defer { iconv_close(descriptor) }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2 + 16)
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        guard let base = input.baseAddress, !input.isEmpty else {
            return Result(text: "", unconsumed: 0)
        }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

        while inLeft > 0 {
            var failure: Int32 = 0
            scratch.withUnsafeMutableBytes { raw in
                var outPointer: UnsafeMutablePointer<CChar>? = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = raw.count
                let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                if status == -1 { failure = errno }
                output.append(contentsOf: raw.bindMemory(to: UInt8.self).prefix(raw.count - outLeft))
            }
            switch failure {
            case 0, E2BIG:
                continue
            case EINVAL where !final:
                return Result(text: String(decoding: output, as: UTF8.self), unconsumed: inLeft)
            case EINVAL:
                output.append(contentsOf: replacement)
                inLeft = 0
            default:
                output.append(contentsOf: replacement)
                inPointer = inPointer.map { $0 + 1 }
                inLeft -= 1
            }
        }
        if final { flushShiftState(descriptor, into: &output) }
        return Result(text: String(decoding: output, as: UTF8.self), unconsumed: 0)
    }

    /// Emits whatever a stateful converter holds back at the end of input.
    private static func flushShiftState(_ descriptor: iconv_t?, into output: inout [UInt8]) {
        var scratch = [UInt8](repeating: 0, count: 64)
        scratch.withUnsafeMutableBytes { raw in
            var outPointer: UnsafeMutablePointer<CChar>? = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = raw.count
            _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
            output.append(contentsOf: raw.bindMemory(to: UInt8.self).prefix(raw.count - outLeft))
        }
    }

    /// iconv_open signals failure with `(iconv_t)-1`, not NULL.
    private static func isInvalid(_ descriptor: iconv_t?) -> Bool {
        descriptor == nil || Int(bitPattern: descriptor) == -1
    }
}
