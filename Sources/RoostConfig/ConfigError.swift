import Foundation

/// Why a configuration file was rejected, with enough location to fix it without guessing.
///
/// `description` follows the compiler convention `file:line: section.key: message`, e.g.
/// `/etc/roost/roostd.conf:12: mail.max_message_size: expected a size such as 50M, got "lots"`,
/// so editors and log readers can jump to the line. The server refuses to start on any error:
/// running with a half-understood configuration is worse than not running.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The broad category, for callers and tests that branch on the failure rather than the text.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file could not be read at all (missing, permissions, a directory).
        case unreadable
        /// The file is not valid UTF-8.
        case invalidEncoding
        /// A line is not a comment, a `[section]` header or a `key = value` line.
        case syntax
        /// A `[section]` header names a section Roost does not know.
        case unknownSection
        /// A key appears before any `[section]` header.
        case keyOutsideSection
        /// A key is not part of its section.
        case unknownKey
        /// A key is set twice in the same file.
        case duplicateKey
        /// A value does not have the key's type or range.
        case invalidValue
        /// Values are individually valid but contradict each other.
        case inconsistentValues
    }

    /// The category of the failure.
    public let kind: Kind
    /// The file name as given to `load(path:)` or `parse(text:fileName:)`.
    public let fileName: String
    /// One-based line number, or nil when the failure concerns the whole file.
    public let line: Int?
    /// The qualified key (`section.key`) the failure concerns, if any.
    public let key: String?
    /// What was wrong and, for values, what was expected.
    public let message: String

    /// Creates an error; `line` and `key` are optional because some failures have neither.
    public init(kind: Kind, fileName: String, line: Int?, key: String?, message: String) {
        self.kind = kind
        self.fileName = fileName
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: section.key: message`, omitting the parts that do not apply.
    public var description: String {
        var text = fileName
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }

    /// Same as `description`, so `localizedDescription` is useful on Linux too.
    public var errorDescription: String? { description }
}
