import Foundation
import RoostConfig
import Testing

/// Keeps `conf/roostd.conf` and `docs/configuration.md` in step with the schema.
@Suite("Shipped configuration and documentation")
struct ShippedFilesTests {
    static let confPath = TestSupport.repositoryFile("conf/roostd.conf").path
    static let docsPath = TestSupport.repositoryFile("docs/configuration.md").path

    @Test("conf/roostd.conf as shipped yields exactly the defaults")
    func shippedFileIsDefaults() throws {
        #expect(try RoostConfiguration.load(path: Self.confPath) == .defaults)
    }

    /// Turns every `#key = value` line into `key = value`. Prose comments start with `# `,
    /// so only commented-out settings are affected.
    private static func uncommented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("#"), let next = line.dropFirst().first,
                  next.isLetter || next == "_" else { return String(line) }
            return String(line.dropFirst())
        }.joined(separator: "\n")
    }

    @Test("with every setting uncommented it still yields exactly the defaults")
    func uncommentedFileIsDefaults() throws {
        let text = try String(contentsOfFile: Self.confPath, encoding: .utf8)
        let enabled = Self.uncommented(text)
        #expect(enabled != text)
        // Duplicates would throw, so parsing also proves each key is present at most once.
        #expect(try RoostConfiguration.parse(text: enabled, fileName: Self.confPath) == .defaults)
    }

    @Test("every schema key is in the shipped file, in its section", arguments: ConfigSchema.keys.map(\.qualifiedName))
    func keyInShippedFile(qualifiedName: String) throws {
        let text = Self.uncommented(try String(contentsOfFile: Self.confPath, encoding: .utf8))
        var section: String?
        var found = false
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                section = String(trimmed.dropFirst().prefix { $0 != "]" })
            } else if let section, let equals = trimmed.firstIndex(of: "="), !trimmed.hasPrefix("#") {
                let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                if "\(section).\(name)" == qualifiedName { found = true }
            }
        }
        #expect(found, "\(qualifiedName) is missing from conf/roostd.conf")
    }

    /// Reference-table rows of the docs: `| section | key | type | default | meaning |`.
    private static func referenceRows() throws -> [String: [String]] {
        let text = try String(contentsOfFile: docsPath, encoding: .utf8)
        var rows: [String: [String]] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, ConfigSchema.sections.contains(cells[0]) else { continue }
            rows["\(cells[0]).\(cells[1])"] = cells
        }
        return rows
    }

    @Test("docs/configuration.md documents every key with its type and default",
          arguments: ConfigSchema.keys.map(\.qualifiedName))
    func keyInReference(qualifiedName: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.qualifiedName == qualifiedName })
        let row = try #require(try Self.referenceRows()[qualifiedName], "\(qualifiedName) is missing from the reference table")
        #expect(row[2] == key.type.summary)
        let shownDefault = key.defaultValue.isEmpty ? "\"\"" : key.defaultValue
        #expect(row[3] == "`\(shownDefault)`")
        #expect(!row[4].isEmpty)
    }

    @Test("the reference table documents no key the schema lacks")
    func noStaleReferenceRows() throws {
        let documented = Set(try Self.referenceRows().keys)
        #expect(documented == Set(ConfigSchema.keys.map(\.qualifiedName)))
    }
}
