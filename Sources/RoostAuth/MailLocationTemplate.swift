/// A path or mail location with Dovecot's `%` variables, such as `maildir:/var/vmail/%d/%n`.
///
/// Variables: `%u`/`%{user}` full user name, `%n`/`%{username}` the part before the first `@`,
/// `%d`/`%{domain}` the part after it (empty without one), `%h`/`%{home}` the home directory,
/// `%%` a literal `%`. `%L` before a variable lowercases it (`%Ld`), as in Dovecot.
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

    /// Parses `template`, refusing unknown variables and a dangling `%`.
    ///
    /// Works on Unicode scalars, not `Character`s: a combining mark after `%` or after the
    /// variable letter would otherwise merge with it into one grapheme and hide the syntax. RoostConfig
    /// checks `mail.location` with the same rules (`TemplateSyntax`); the shared fixture
    /// `Tests/RoostAuthTests/Fixtures/template-syntax.tsv` keeps the two in agreement.
    public init(_ template: String) throws(TemplateError) {
        self.template = template
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        let scalars = Array(template.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "%" else {
                literal.append(scalar)
                continue
            }
            guard index < scalars.count else { throw .incompleteVariable }
            var lowercase = false
            if scalars[index] == "L" {
                lowercase = true
                index += 1
                guard index < scalars.count else { throw .incompleteVariable }
            }
            let key = scalars[index]
            index += 1
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
                guard let close = scalars[index...].firstIndex(of: "}") else { throw .incompleteVariable }
                let name = String(String.UnicodeScalarView(scalars[index..<close]))
                index = close + 1
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
                parts.append(.literal(String(literal)))
                literal = String.UnicodeScalarView()
            }
            parts.append(.variable(variable, lowercase: lowercase))
        }
        if !literal.isEmpty { parts.append(.literal(String(literal))) }
        self.parts = parts
    }

    public var description: String { template }

    /// True when the template refers to `%h`.
    public var usesHome: Bool {
        parts.contains { if case .variable(.home, _) = $0 { true } else { false } }
    }

    /// Expands the template for `user` (`local@domain` or a bare name) with an optional home.
    ///
    /// `%n` is the part before the first `@` and `%d` everything after it, as in Dovecot
    /// (`t_strcut(user, '@')` and `strchr(user, '@')` in `auth-request-var-expand.c`), so
    /// `a@b@c` has local part `a` and domain `b@c`.
    public func expand(user: String, home: String?) throws(TemplateError) -> String {
        let bytes = user.utf8
        let at = bytes.firstIndex(of: UInt8(ascii: "@"))
        let localPart = at.map { String(Substring(bytes[..<$0])) } ?? user
        let domain = at.map { String(Substring(bytes[bytes.index(after: $0)...])) } ?? ""
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

    /// Checks bytes and scalars, not `Character`s: `/` followed by a combining mark is one
    /// grapheme that is not equal to `/`, but the file system still sees a slash.
    private static func checked(_ value: String, name: String) throws(TemplateError) -> String {
        let bytes = value.utf8
        let unsafe = bytes.isEmpty || bytes.elementsEqual(".".utf8) || bytes.elementsEqual("..".utf8)
            || bytes.contains(UInt8(ascii: "/"))
            || value.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if unsafe { throw .unsafeValue(variable: name, value: value) }
        return value
    }
}
