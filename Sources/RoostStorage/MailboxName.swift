/// A folder of one user, as a path of Unicode components: `["Work", "Projects"]`. The protocols choose
/// how to spell it (IMAP joins with its hierarchy separator); on disk it is Maildir++'s
/// `.Work.Projects`, each component in modified UTF-7 as Dovecot writes it.
///
/// `INBOX` (any case) is the Maildir root itself. Components that would change the meaning of the
/// on-disk name are refused: empty ones, `.` (the on-disk separator), `/`, control characters, and the
/// IMAP wildcards `*` and `%`.
public struct MailboxName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let components: [String]

    /// The longest on-disk directory name accepted (file systems allow 255 bytes).
    public static let maxDiskNameLength = 255

    public static let inbox = MailboxName(validated: ["INBOX"])

    private init(validated components: [String]) { self.components = components }

    public init(components: [String]) throws {
        guard !components.isEmpty else { throw StorageError(.invalidName, "empty mailbox name") }
        var parts = components
        if parts[0].isInboxIgnoringASCIICase { parts[0] = "INBOX" }
        for part in parts {
            guard !part.isEmpty else { throw StorageError(.invalidName, "mailbox name has an empty level") }
            for scalar in part.unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    throw StorageError(.invalidName, "mailbox name contains a control character")
                }
                if scalar == "." || scalar == "/" || scalar == "*" || scalar == "%" {
                    throw StorageError(.invalidName, "mailbox name may not contain '\(scalar)'")
                }
            }
        }
        self.components = parts
        guard diskName.utf8.count <= Self.maxDiskNameLength else {
            throw StorageError(.limit, "mailbox name is too long")
        }
    }

    /// Parses a name joined with `separator`, e.g. `"Work/Projects"`.
    public init(_ path: String, separator: Character = "/") throws {
        try self.init(components: path.split(separator: separator, omittingEmptySubsequences: false).map(String.init))
    }

    /// The folder whose directory is `diskName` in the Maildir root (`.Work.Projects`); `nil` for names
    /// that are not folders (`cur`, `..DOVECOT-TRASHED`) or not valid modified UTF-7.
    public init?(diskName: String) {
        guard diskName.count > 1, diskName.first == ".", !diskName.hasPrefix("..") else { return nil }
        var parts: [String] = []
        for raw in diskName.dropFirst().split(separator: ".", omittingEmptySubsequences: false) {
            guard let part = ModifiedUTF7.decode(String(raw)) else { return nil }
            parts.append(part)
        }
        guard let name = try? MailboxName(components: parts) else { return nil }
        self = name
    }

    public var isInbox: Bool { components == ["INBOX"] }

    /// The directory name in the Maildir root; empty for INBOX, which is the root itself.
    public var diskName: String {
        isInbox ? "" : "." + components.map(ModifiedUTF7.encode).joined(separator: ".")
    }

    public var parent: MailboxName? {
        components.count > 1 ? MailboxName(validated: Array(components.dropLast())) : nil
    }

    public func isDescendant(of other: MailboxName) -> Bool {
        components.count > other.components.count && Array(components.prefix(other.components.count)) == other.components
    }

    /// This name with the `old` prefix replaced by `new` (for renaming a folder with its children).
    public func replacingPrefix(_ old: MailboxName, with new: MailboxName) -> MailboxName {
        MailboxName(validated: new.components + components.dropFirst(old.components.count))
    }

    public func joined(separator: String = "/") -> String { components.joined(separator: separator) }

    public var description: String { joined() }

    public static func < (a: MailboxName, b: MailboxName) -> Bool {
        if a.isInbox != b.isInbox { return a.isInbox }
        return a.components.lexicographicallyPrecedes(b.components)
    }
}

extension StringProtocol {
    /// `INBOX` in any ASCII case. Only ASCII letters fold (RFC 3501 section 5.1: INBOX is
    /// case-insensitive): Unicode case mapping would take the Turkish `ınbox` for INBOX.
    var isInboxIgnoringASCIICase: Bool {
        utf8.count == 5 && zip(utf8, "INBOX".utf8).allSatisfy { byte, letter in byte == letter || byte == letter | 0x20 }
    }
}
