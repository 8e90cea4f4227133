import Foundation
import RoostConfig

/// Helpers shared by the RoostConfig test suites.
enum TestSupport {
    /// Parses `text`, returning the error it throws or nil when it parses.
    ///
    /// Tests assert on the error's fields, so a plain optional is easier to `#require` than
    /// wrapping every call in `do`/`catch`.
    static func error(parsing text: String, fileName: String = "test.conf") -> ConfigError? {
        do {
            _ = try RoostConfiguration.parse(text: text, fileName: fileName)
            return nil
        } catch {
            return error
        }
    }

    /// Parses a one-key file `[section]\nkey = value`.
    static func parse(_ section: String, _ key: String, _ value: String) throws -> RoostConfiguration {
        try RoostConfiguration.parse(text: "[\(section)]\n\(key) = \(value)\n", fileName: "test.conf")
    }

    /// The error a one-key file `[section]\nkey = value` throws, or nil.
    static func error(_ section: String, _ key: String, _ value: String) -> ConfigError? {
        error(parsing: "[\(section)]\n\(key) = \(value)\n")
    }

    /// A value written in double quotes with `\"` and `\\` escaped, which reads back as itself
    /// whatever it contains.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A file of the repository checkout, e.g. `conf/roostd.conf`.
    ///
    /// Found relative to this source file (two levels up from `Tests/RoostConfigTests`) after
    /// resolving symlinks, so it also works when the test directory is symlinked into a
    /// scratch package; `ROOST_SOURCE_ROOT` overrides it when sources were moved elsewhere.
    static func repositoryFile(_ relativePath: String) -> URL {
        if let root = ProcessInfo.processInfo.environment["ROOST_SOURCE_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent(relativePath)
        }
        let thisFile = URL(fileURLWithPath: realPath(#filePath))
        return thisFile
            .deletingLastPathComponent()  // Tests/RoostConfigTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent(relativePath)
    }

    /// A fresh empty directory for file-based tests; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("roost-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `path` with every symlink resolved, falling back to the path itself.
    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
