import Foundation
import RoostConfig
import Testing

/// Unknown names, duplicates, contradictions, unreadable files, and the `file:line: key:` form.
@Suite("Error reporting")
struct ErrorReportingTests {
    @Test("the description reads file:line: section.key: message")
    func descriptionFormat() throws {
        let text = String(repeating: "# filler\n", count: 10) + "[mail]\nmax_message_size = lots\n"
        let error = try #require(TestSupport.error(parsing: text, fileName: "/etc/roost/roostd.conf"))
        #expect(error.description
            == "/etc/roost/roostd.conf:12: mail.max_message_size: expected a size such as 50M, got \"lots\"")
        #expect(error.localizedDescription == error.description)
        #expect(error.fileName == "/etc/roost/roostd.conf")
    }

    @Test("parts that do not apply are left out of the description")
    func descriptionWithoutParts() {
        let whole = ConfigError(kind: .unreadable, fileName: "/x.conf", line: nil, key: nil, message: "cannot read file: no such file")
        #expect(whole.description == "/x.conf: cannot read file: no such file")
        let noKey = ConfigError(kind: .syntax, fileName: "/x.conf", line: 3, key: nil, message: "bad")
        #expect(noKey.description == "/x.conf:3: bad")
    }

    static let located: [(String, ConfigError.Kind, Int, String?)] = [
        ("[mail]\nfsync = no\n[nonsense]\n", .unknownSection, 3, nil),
        ("[mail]\nfsync = no\nfsynk = no\n", .unknownKey, 3, "mail.fsynk"),
        ("[auth]\n\nfsync = no\n", .unknownKey, 3, "auth.fsync"),
        ("[mail]\nfsync = no\nfsync = no\n", .duplicateKey, 3, "mail.fsync"),
        ("# top\nfsync = no\n", .keyOutsideSection, 2, "fsync"),
        ("[log]\nlevel = info\nlevel = loud\n", .duplicateKey, 3, "log.level"),
        ("[log]\nlevel = loud\n", .invalidValue, 2, "log.level"),
        ("[auth]\nhash_threads = 4\n\"x\" = 1\n", .syntax, 3, nil),
    ]

    @Test("errors carry kind, line and key", arguments: located)
    func location(text: String, kind: ConfigError.Kind, line: Int, key: String?) throws {
        let error = try #require(TestSupport.error(parsing: text, fileName: "where.conf"))
        #expect(error.kind == kind)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.fileName == "where.conf")
        #expect(error.description.hasPrefix("where.conf:\(line): " + (key.map { "\($0): " } ?? "")))
    }

    @Test("an unknown section lists the known ones")
    func unknownSection() throws {
        let error = try #require(TestSupport.error(parsing: "[Mail]\n"))
        #expect(error.message == "unknown section [Mail]; known sections are \(ConfigSchema.sections.joined(separator: ", "))")
    }

    static let suggestions: [(String, String, String)] = [
        ("mail", "fsynk", "unknown key; did you mean mail.fsync?"),
        ("mail", "Fsync", "unknown key; did you mean mail.fsync?"),
        ("mail", "max_msg_size", "unknown key"),
        ("auth", "fsync", "unknown key; did you mean mail.fsync?"),
        ("log", "levl", "unknown key; did you mean log.level?"),
        ("log", "frobnicate", "unknown key"),
    ]

    @Test("unknown keys suggest a near or misplaced key", arguments: suggestions)
    func unknownKeySuggestion(section: String, key: String, message: String) throws {
        let error = try #require(TestSupport.error(section, key, "1"))
        #expect(error.kind == .unknownKey)
        #expect(error.message == message)
    }

    @Test("a key before any section says where it belongs")
    func keyOutsideSection() throws {
        let known = try #require(TestSupport.error(parsing: "hash_threads = 4\n[auth]\n"))
        #expect(known.message == "key \"hash_threads\" appears before any [section] header; it belongs in [auth]")
        let unknown = try #require(TestSupport.error(parsing: "colour = red\n"))
        #expect(unknown.message == "key \"colour\" appears before any [section] header")
    }

    @Test("a duplicate names the first line, even with the same value or a reopened section")
    func duplicateKey() throws {
        let text = "[mail]\nowner_user = a\n[auth]\nhash_threads = 2\n[mail]\nowner_user = a\n"
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .duplicateKey)
        #expect(error.line == 6)
        #expect(error.message == "duplicate key; already set on line 2")
    }

    static let contradictions: [(String, Int, String)] = [
        ("[auth]\nfailure_delay = 20s\n", 2, "auth.failure_delay"),
        ("[auth]\nfailure_delay_max = 1s\n", 2, "auth.failure_delay_max"),
        ("[auth]\nfailure_delay_max = 1s\nfailure_delay = 5s\n", 3, "auth.failure_delay"),
        ("[auth]\nfailure_delay = 5s\n# x\nfailure_delay_max = 1s\n", 4, "auth.failure_delay_max"),
    ]

    @Test("failure_delay_max below failure_delay is reported at the key set last", arguments: contradictions)
    func contradiction(text: String, line: Int, key: String) throws {
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .inconsistentValues)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message == "auth.failure_delay_max must be at least auth.failure_delay")
    }

    @Test("equal failure delays are consistent")
    func equalDelays() throws {
        let configuration = try RoostConfiguration.parse(
            text: "[auth]\nfailure_delay = 0\nfailure_delay_max = 0ms\n", fileName: "d.conf")
        #expect(configuration.auth.failureDelay == .zero)
        #expect(configuration.auth.failureDelayMax == .zero)
    }

    @Test("the first error in the file wins")
    func firstErrorWins() throws {
        let error = try #require(TestSupport.error(parsing: "[mail]\nfsync = maybe\n[bogus]\n"))
        #expect(error.line == 2)
        #expect(error.kind == .invalidValue)
    }

    @Test("load reads a file and reports read failures by path")
    func loadFromDisk() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("good.conf")
        try Data("[log]\nlevel = warning\n".utf8).write(to: good)
        #expect(try RoostConfiguration.load(path: good.path).log.level == .warning)

        let missing = directory.appendingPathComponent("missing.conf").path
        let missingError = try #require(loadError(missing))
        #expect(missingError.kind == .unreadable)
        #expect(missingError.description == "\(missing): cannot read file: no such file")

        let directoryError = try #require(loadError(directory.path))
        #expect(directoryError.kind == .unreadable)
        #expect(directoryError.line == nil)
        #expect(directoryError.message == "cannot read file: it is a directory")

        let bad = directory.appendingPathComponent("bad.conf")
        try Data("[mail]\nfsync = nope\n".utf8).write(to: bad)
        let badError = try #require(loadError(bad.path))
        #expect(badError.description == "\(bad.path):2: mail.fsync: expected yes or no (or true/false, on/off), got \"nope\"")
    }

    @Test("invalid UTF-8 is reported with the line it is on")
    func invalidEncoding() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("latin1.conf")
        var bytes = Array("[mail]\n# comment\nowner_user = m".utf8)
        bytes.append(0xE9)  // "é" in Latin-1, invalid as UTF-8
        bytes.append(contentsOf: Array("nage\n".utf8))
        try Data(bytes).write(to: file)
        let error = try #require(loadError(file.path))
        #expect(error.kind == .invalidEncoding)
        #expect(error.line == 3)
        #expect(error.description == "\(file.path):3: file is not valid UTF-8")
    }

    @Test("a byte-order mark and CRLF in a file on disk are accepted")
    func bomAndCRLFOnDisk() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("windows.conf")
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array("[mail]\r\nowner_group = mail\r\n".utf8)).write(to: file)
        #expect(try RoostConfiguration.load(path: file.path).mail.ownerGroup == "mail")
    }

    private func loadError(_ path: String) -> ConfigError? {
        do {
            _ = try RoostConfiguration.load(path: path)
            return nil
        } catch {
            return error
        }
    }
}
