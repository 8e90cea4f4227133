/// A path or mail location with Dovecot's `%` variables, such as `maildir:/var/vmail/%d/%n`.
///
/// Variables: `%u`/`%{user}` full user name, `%n`/`%{username}` the part before `@`, `%d`/`%{domain}`
/// the part after `@` (empty without one), `%h`/`%{home}` the home directory, `%%` a literal `%`.
/// `%L` before a one-letter variable lowercases it (`%Ld`), as in Dovecot.
///
/// Edge cases:
/// - The template is checked when it is made (unknown variable, `%` at the end), so a bad
///   configuration fails at startup rather than at a user's first login.
/// - User, local part and domain values come from what a client typed. A value containing `/`,
///   a NUL or control character, or equal to `.` or `..`, is refused at expansion so that no name
///   can steer the path outside the intended directory. `%h` is trusted (it comes from the userdb).
/// - `%h` with no home set is an error rather than an empty string, which would make `/Maildir`.
public struct MailLocationTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Variable: Sendable, Hashable {
        case user, localPart, domain, home
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case variable(Variable, lowercase: Bool)
    }

    public enum TemplateError: Error, Sendable, Hashable {
        /// `%x` or `%{name}` that is not a known variable.
        case unknownVariable(String)
        /// A `%` at the end, or a `%{` without `}`.
        case incompleteVariable
        /// The named variable's value cannot go into a path (see the type comment).
        case unsafeValue(variable: String, value: String)
        /// `%h` used but the user has no home directory.
        case missingHome
    }

    /// The template as written.
    public let template: String
    let parts: [Part]

    public init(_ template: String) throws(TemplateError) {
        self.template = template
        var parts: [Part] = []
        var literal = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            index = template.index(after: index)
            guard character == "%" else {
                literal.append(character)
                continue
            }
            guard index < template.endIndex else { throw .incompleteVariable }
            var lowercase = false
            if template[index] == "L" {
                lowercase = true
                index = template.index(after: index)
                guard index < template.endIndex else { throw .incompleteVariable }
            }
            let key = template[index]
            index = template.index(after: index)
            let variable: Variable
            switch key {
            case "%" where !lowercase:
                literal.append("%")
                continue
            case "u": variable = .user
            case "n": variable = .localPart
            case "d": variable = .domain
            case "h": variable = .home
            case "{":
                guard let close = template[index...].firstIndex(of: "}") else { throw .incompleteVariable }
                let name = String(template[index..<close])
                index = template.index(after: close)
                switch name {
                case "user": variable = .user
                case "username": variable = .localPart
                case "domain": variable = .domain
                case "home": variable = .home
                default: throw .unknownVariable("%{\(name)}")
                }
            default:
                throw .unknownVariable("%" + (lowercase ? "L" : "") + String(key))
            }
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
            parts.append(.variable(variable, lowercase: lowercase))
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    public var description: String { template }

    /// True when the template refers to `%h`.
    public var usesHome: Bool {
        parts.contains { if case .variable(.home, _) = $0 { true } else { false } }
    }

    /// Expands the template for `user` (`local@domain` or a bare name) with an optional home.
    public func expand(user: String, home: String?) throws(TemplateError) -> String {
        let at = user.lastIndex(of: "@")
        let localPart = at.map { String(user[..<$0]) } ?? user
        let domain = at.map { String(user[user.index(after: $0)...]) } ?? ""
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text):
                output += text
            case .variable(let variable, let lowercase):
                var value: String
                switch variable {
                case .user: value = try Self.checked(user, name: "%u")
                case .localPart: value = try Self.checked(localPart, name: "%n")
                case .domain: value = domain.isEmpty ? "" : try Self.checked(domain, name: "%d")
                case .home:
                    guard let home, !home.isEmpty else { throw .missingHome }
                    value = home
                }
                if lowercase { value = value.lowercased() }
                output += value
            }
        }
        return output
    }

    private static func checked(_ value: String, name: String) throws(TemplateError) -> String {
        let unsafe = value.isEmpty || value == "." || value == ".." || value.contains("/")
            || value.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if unsafe { throw .unsafeValue(variable: name, value: value) }
        return value
    }
}
