/// The type of a configuration value as a user sees it: what may be written, and how errors
/// describe the expectation.
///
/// This is the descriptive half of a key's type; `ValueCodec` is the executable half. They are
/// kept apart so tools (documentation, `doveconf`-like dumps) can inspect types without
/// knowing the Swift type a key is stored as.
public enum ConfigValueType: Sendable, Hashable {
    /// Free text; `allowsEmpty` is false for names that must be present.
    case string(allowsEmpty: Bool)
    /// Text with `%u` `%n` `%d` `%h` placeholders expanded later by the caller, per user; the
    /// placeholders are checked when the file is read (`TemplateSyntax`).
    case template(allowsEmpty: Bool)
    /// An absolute filesystem path; `allowsEmpty` when empty switches a feature off.
    case path(allowsEmpty: Bool)
    /// `yes`/`no`, `true`/`false` or `on`/`off`.
    case bool
    /// A decimal integer within the range.
    case integer(ClosedRange<Int>)
    /// A byte count with an optional binary unit: `512`, `10K`, `50M`, `2G`, `1T`; within the
    /// range (`0...Int.max` for sizes with no bounds of their own).
    case size(ClosedRange<Int>)
    /// A time span with a unit: `500ms`, `30s`, `10m`, `2h`, `1d`; a bare number is seconds;
    /// within the range.
    case duration(ClosedRange<Duration>)
    /// Words from `allowed`, separated by commas and/or spaces.
    case list(allowed: [String], allowsEmpty: Bool)
    /// Exactly one word from `allowed`.
    case choice([String])
    /// IP addresses to listen on, `*` (every IPv4 address) or `::` (every IPv6 address),
    /// separated by commas and/or spaces; never empty.
    case listenAddresses
    /// A DNS host name such as `mail.example.org`; `allowsEmpty` when empty means "ask the system".
    case hostname(allowsEmpty: Bool)
    /// Octal permission bits such as `0660`.
    case fileMode
    /// An IMAP folder name such as `Archive.2024`: UTF-8, levels separated by `.`, never
    /// empty or INBOX (`MailboxNameFormat`).
    case mailboxName

    /// Short name for reference tables, e.g. `integer 1..64`, `integer >= 0`, `duration 0s..1m`,
    /// `size 1K..16M` or `enum`.
    public var summary: String {
        switch self {
        case .string: return "string"
        case .template: return "template"
        case .path: return "path"
        case .bool: return "bool"
        case .integer(let range): return "integer \(Self.describe(range))"
        case .size(let range):
            if range == Self.unboundedSize { return "size" }
            return "size \(SizeFormat.render(range.lowerBound))..\(SizeFormat.render(range.upperBound))"
        case .duration(let range): return "duration \(DurationFormat.render(range.lowerBound))..\(DurationFormat.render(range.upperBound))"
        case .list: return "list"
        case .choice: return "enum"
        case .listenAddresses: return "addresses"
        case .hostname: return "hostname"
        case .fileMode: return "file mode"
        case .mailboxName: return "mailbox"
        }
    }

    /// The noun phrase used after "expected" in error messages.
    public var expectation: String {
        switch self {
        case .string(let allowsEmpty):
            return allowsEmpty ? "a string" : "a non-empty string"
        case .template(let allowsEmpty):
            return (allowsEmpty ? "a" : "a non-empty") + " template such as /var/vmail/%d/%n"
        case .path(let allowsEmpty):
            return "an absolute path starting with /" + (allowsEmpty ? " or an empty value" : "")
        case .bool:
            return "yes or no (or true/false, on/off)"
        case .integer(let range):
            if range.upperBound == Int.max { return "an integer of at least \(range.lowerBound)" }
            return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .size(let range):
            if range == Self.unboundedSize { return "a size such as 50M" }
            let lower = SizeFormat.render(range.lowerBound), upper = SizeFormat.render(range.upperBound)
            return "a size from \(lower) to \(upper) in bytes or with K, M, G or T"
        case .duration(let range):
            let lower = DurationFormat.render(range.lowerBound), upper = DurationFormat.render(range.upperBound)
            return "a duration from \(lower) to \(upper) such as 30s, 10m, 2h or 500ms"
        case .list(let allowed, let allowsEmpty):
            let words = allowed.joined(separator: ", ")
            return allowsEmpty ? "a list of \(words)" : "a non-empty list of \(words)"
        case .choice(let allowed):
            return "one of \(allowed.joined(separator: ", "))"
        case .listenAddresses:
            return "a non-empty list of IP addresses, * (every IPv4 address) or :: (every IPv6 address)"
        case .hostname(let allowsEmpty):
            return "a host name such as mail.example.org" + (allowsEmpty ? " or an empty value" : "")
        case .fileMode:
            return "octal permission bits such as 0660"
        case .mailboxName:
            return "a mailbox name such as Archive or Archive.2024"
        }
    }

    /// The range of a size with no bounds beyond being a non-negative `Int`.
    static let unboundedSize: ClosedRange<Int> = 0...Int.max

    /// `>= 0`, `1..64`: ranges written the way the documentation writes them.
    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? ">= \(range.lowerBound)" : "\(range.lowerBound)..\(range.upperBound)"
    }
}
