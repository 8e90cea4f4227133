/// One physical line of a configuration file, classified.
///
/// Lexing works on Unicode scalars rather than `Character`s: every syntax character is ASCII,
/// and grapheme clustering would let a combining mark after `"` swallow the quote.
enum ConfigLine: Sendable, Equatable {
    /// Empty or comment-only.
    case blank
    /// `[name]`.
    case section(String)
    /// `key = value`, with quotes and escapes already resolved.
    case assignment(key: String, value: String)

    /// Why a line could not be lexed; the parser adds file and line number.
    struct SyntaxError: Error, Equatable {
        var message: String
    }

    /// Classifies `line`, which has no line terminator.
    static func lex(_ line: Substring.UnicodeScalarView) throws(SyntaxError) -> ConfigLine {
        let scalars = Array(line)
        if let bad = scalars.first(where: isForbiddenControl) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            throw SyntaxError(message: "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) is not allowed")
        }
        var start = 0
        var end = scalars.count
        while start < end, isBlank(scalars[start]) { start += 1 }
        while end > start, isBlank(scalars[end - 1]) { end -= 1 }
        if start == end || scalars[start] == "#" { return .blank }
        if scalars[start] == "[" { return try lexSection(scalars[start..<end]) }
        return try lexAssignment(scalars[start..<end])
    }

    /// `value` as it must be written so it reads back unchanged: bare when that is unambiguous
    /// (unless `always`), otherwise double-quoted with `\"` and `\\` escapes. Error messages
    /// pass `always` so an empty or space-padded value is visible.
    static func quoted(_ value: String, always: Bool = false) -> String {
        let scalars = Array(value.unicodeScalars)
        let needsQuotes = always || scalars.isEmpty
            || isBlank(scalars[0]) || isBlank(scalars[scalars.count - 1])
            || scalars[0] == "\"" || scalars.contains("#")
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in scalars {
            if scalar == "\"" || scalar == "\\" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result + "\""
    }

    // MARK: - Pieces

    private static func lexSection(_ text: ArraySlice<Unicode.Scalar>) throws(SyntaxError) -> ConfigLine {
        guard let close = text.firstIndex(of: "]") else {
            throw SyntaxError(message: "section header is missing its closing ]")
        }
        let rest = text[(close + 1)...].drop(while: isBlank)
        if let first = rest.first, first != "#" {
            throw SyntaxError(message: "unexpected text after section header")
        }
        let inner = text[(text.startIndex + 1)..<close]
        let name = inner.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        guard !name.isEmpty, name.allSatisfy(isNameCharacter) else {
            throw SyntaxError(message: "invalid section name; use letters, digits and _ as in [mail]")
        }
        return .section(string(name))
    }

    private static func lexAssignment(_ text: ArraySlice<Unicode.Scalar>) throws(SyntaxError) -> ConfigLine {
        guard let equals = text.firstIndex(of: "=") else {
            throw SyntaxError(message: "expected `key = value`, `[section]` or `# comment`")
        }
        let rawKey = text[text.startIndex..<equals]
        let key = rawKey.reversed().drop(while: isBlank).reversed()
        guard !key.isEmpty, key.allSatisfy(isNameCharacter) else {
            throw SyntaxError(message: "invalid key name \"\(string(key))\"; use letters, digits and _")
        }
        let valueText = text[(equals + 1)...].drop(while: isBlank)
        let value: String
        if valueText.first == "\"" {
            value = try lexQuoted(valueText)
        } else {
            value = lexBare(valueText)
        }
        return .assignment(key: string(key), value: value)
    }

    /// A bare value runs to the end of the line or to a `#` that starts the value or follows
    /// a space or tab, so `a#b` keeps its `#` but `a #note` does not.
    private static func lexBare(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var end = text.endIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "#", index == text.startIndex || isBlank(text[index - 1]) {
                end = index
                break
            }
            index += 1
        }
        let value = text[text.startIndex..<end].reversed().drop(while: isBlank).reversed()
        return string(value)
    }

    /// A quoted value: `\"` and `\\` are the only escapes; after the closing quote only
    /// blanks and a comment may follow.
    private static func lexQuoted(_ text: ArraySlice<Unicode.Scalar>) throws(SyntaxError) -> String {
        var result = String.UnicodeScalarView()
        var index = text.startIndex + 1
        while index < text.endIndex {
            let scalar = text[index]
            if scalar == "\"" {
                let rest = text[(index + 1)...].drop(while: isBlank)
                if let first = rest.first, first != "#" {
                    throw SyntaxError(message: "unexpected text after closing quote")
                }
                return String(result)
            }
            if scalar == "\\" {
                index += 1
                guard index < text.endIndex else { break }
                let escaped = text[index]
                guard escaped == "\"" || escaped == "\\" else {
                    throw SyntaxError(message: "unknown escape \\\(escaped) in quoted value; only \\\" and \\\\ are allowed")
                }
                result.append(escaped)
            } else {
                result.append(scalar)
            }
            index += 1
        }
        throw SyntaxError(message: "quoted value is missing its closing quote")
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    /// Controls other than tab would be invisible in an editor and are never intended.
    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        default: return false
        }
    }

    private static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
