import Foundation

/// Loads the .eml fixtures shipped in `Fixtures/` and offers the byte transformations tests use.
enum Fixture {
    /// The bytes of `Fixtures/<name>`; throws when the fixture is missing.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let base = Bundle.module.resourceURL else { throw FixtureError.missing(name) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureError.missing(name) }
        return [UInt8](data)
    }

    /// Every fixture file name.
    static var allNames: [String] {
        guard let base = Bundle.module.resourceURL,
              let names = try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("Fixtures").path)
        else { return [] }
        return names.filter { $0.hasSuffix(".eml") }.sorted()
    }

    /// Converts every bare LF to CRLF (leaves existing CRLF alone).
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 20)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) { output.append(0x0D) }
            output.append(byte)
        }
        return output
    }

    /// Text as UTF-8 bytes, for inline test messages.
    static func message(_ text: String) -> [UInt8] { Array(text.utf8) }
}

enum FixtureError: Error {
    case missing(String)
}

/// A small deterministic generator (SplitMix64) so random chunkings are reproducible by seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Splits `bytes` into chunks of random sizes between 1 and `maxChunk`.
func randomChunks(_ bytes: [UInt8], seed: UInt64, maxChunk: Int = 64) -> [ArraySlice<UInt8>] {
    var generator = SeededGenerator(seed: seed)
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let length = Int.random(in: 1...maxChunk, using: &generator)
        let end = min(bytes.count, start + length)
        chunks.append(bytes[start..<end])
        start = end
    }
    return chunks
}
