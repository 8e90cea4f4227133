import Glibc

/// UTF-8 to another charset through iconv: builds test input for the decoders.
enum IconvEncoder {
    static func encode(_ text: String, to charset: String) -> [UInt8]? {
        let descriptor = iconv_open(charset, "UTF-8")
        guard Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let produced: Int? = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPointer = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPointer = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                guard iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
                return outRaw.count - outLeft
            }
        }
        return produced.map { Array(output.prefix($0)) }
    }
}
