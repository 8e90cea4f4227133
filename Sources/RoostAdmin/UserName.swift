import RoostAuth

/// A user name `mailboxctl user add` accepts for a new account.
///
/// Stricter than what the passwd-file allows, because the name becomes part of paths (`%u`, `%n`,
/// `%d`), log lines and a line-oriented file, and because logins are lowercased before lookup
/// (Dovecot's `%Lu`, `AuthConfiguration.lowercaseUserNames`), so a name with capitals could never
/// log in:
/// - ASCII lowercase letters, digits, `.`, `_`, `-`, `@` and `+` only (so no `:`, `/`, spaces or
///   control characters);
/// - at most `maxLength` bytes;
/// - and `PasswdFileUserName`'s rules: not starting with `.` or `#`, at most one `@`, with a
///   non-empty local part and a well-formed domain.
///
/// Commands on existing users (`del`, `passwd`, `show`, `mailbox ...`) check only `isUsable`, so a
/// hand-written entry that breaks these rules can still be managed.
public struct UserName: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Longest name accepted, in bytes (the longest sensible address).
    public static let maxLength = 255

    /// Validates a name for a new account.
    public init(validating name: String) throws(AdminError) {
        func invalid(_ reason: String) -> AdminError {
            .dataError("invalid user name \(name.debugDescription): \(reason)")
        }
        guard !name.isEmpty else { throw invalid("empty") }
        guard name.utf8.count <= Self.maxLength else { throw invalid("longer than \(Self.maxLength) bytes") }
        if name.unicodeScalars.contains(where: { ("A"..."Z").contains($0) }) {
            throw invalid("user names are lowercase; use \(name.lowercased().debugDescription)")
        }
        if let bad = name.unicodeScalars.first(where: { !Self.isAllowed($0) }) {
            let shown = bad.properties.generalCategory == .control || bad == " "
                ? "U+" + String(bad.value, radix: 16, uppercase: true) : "'\(bad)'"
            throw invalid("contains \(shown); allowed are a-z, 0-9, '.', '_', '-', '@' and '+'")
        }
        do {
            try PasswdFileUserName.validate(name, maxLength: Self.maxLength)
        } catch {
            if case .invalidName(_, let reason) = error { throw invalid(reason) }
            throw AdminError(error)
        }
        rawValue = name
    }

    public var description: String { rawValue }

    /// True for a name that can at least be looked up: not empty, not too long, no `:`, no control
    /// characters. Used for existing users.
    static func checkUsable(_ name: String) throws(AdminError) {
        guard !name.isEmpty, name.utf8.count <= maxLength,
              !name.unicodeScalars.contains(where: { $0 == ":" || $0.properties.generalCategory == .control })
        else {
            throw .dataError("invalid user name \(name.debugDescription)")
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || ".-_@+".unicodeScalars.contains(scalar)
    }
}
