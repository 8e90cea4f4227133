/// The `%` placeholder syntax of template values (`mail.location`, `mail.index_dir`), checked
/// when the file is read so that a typo is reported with its file and line at startup, not at
/// some user's first login.
///
/// The rules are exactly those of RoostAuth's `MailLocationTemplate`, which expands the value
/// later (RoostConfig does not depend on RoostAuth, so they are written out here):
/// - `%u` or `%{user}` full user name, `%n` or `%{username}` local part, `%d` or `%{domain}`
///   domain, `%h` or `%{home}` home directory, each optionally preceded by `L` (`%Ld`, lowercase);
/// - `%%` is a literal `%` (`%L%` is not allowed);
/// - anything else after `%`, a `%` (or `%L`) at the end, and `%{` without `}` are errors.
/// Like `MailLocationTemplate`, it reads Unicode scalars, so a combining mark after `%` or after
/// the letter is not merged into it. The fixture `Tests/RoostAuthTests/Fixtures/template-syntax.tsv`
/// is run against both implementations to keep them in agreement.
enum TemplateSyntax {
    /// Throws `InvalidValue` naming the first bad placeholder.
    static func check(_ template: String) throws(InvalidValue) {
        let scalars = Array(template.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "%" else { continue }
            guard index < scalars.count else { throw InvalidValue("a % at the end; write %% for a literal %") }
            var lowercase = false
            if scalars[index] == "L" {
                lowercase = true
                index += 1
                guard index < scalars.count else { throw InvalidValue("%L at the end needs a variable") }
            }
            let key = scalars[index]
            index += 1
            switch key {
            case "%" where !lowercase, "u", "n", "d", "h":
                continue
            case "{":
                guard let close = scalars[index...].firstIndex(of: "}") else {
                    throw InvalidValue("%{ without a closing }")
                }
                let name = String(String.UnicodeScalarView(scalars[index..<close]))
                index = close + 1
                guard ["user", "username", "domain", "home"].contains(name) else {
                    throw InvalidValue("unknown variable %{\(name)}; \(known)")
                }
            default:
                throw InvalidValue("unknown variable %\(lowercase ? "L" : "")\(key); \(known)")
            }
        }
    }

    private static let known = "use %u, %n, %d, %h (or %{user}, %{username}, %{domain}, %{home}) and %% for %"
}
