/// The rules for a user name that the editor may write into a passwd-file.
///
/// Stricter than what the reader accepts, because a name written by Roost ends up in paths (`%n`,
/// `%d`), logs and the line format itself:
/// - not empty and at most `maxLength` UTF-8 bytes;
/// - no `:` (field separator), no whitespace, no control characters or NUL, no `/`;
/// - does not start with `.` (hidden files, `..`) or `#` (the line would become a comment);
/// - at most one `@`, with something on both sides of it;
/// - valid UTF-8 is implied by `String`.
public enum PasswdFileUserName {
    /// Throws `PasswdFileError.invalidName` with the first rule `name` breaks.
    public static func validate(_ name: String, maxLength: Int = 255) throws(PasswdFileError) {
        func invalid(_ reason: String) -> PasswdFileError { .invalidName(name, reason: reason) }
        guard !name.isEmpty else { throw invalid("empty") }
        guard name.utf8.count <= maxLength else { throw invalid("longer than \(maxLength) bytes") }
        for scalar in name.unicodeScalars {
            if scalar == ":" { throw invalid("contains ':'") }
            if scalar == "/" { throw invalid("contains '/'") }
            if scalar.properties.isWhitespace { throw invalid("contains whitespace") }
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                throw invalid("contains a control character")
            }
        }
        if name.hasPrefix(".") { throw invalid("starts with '.'") }
        if name.hasPrefix("#") { throw invalid("starts with '#'") }
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count > 2 { throw invalid("contains more than one '@'") }
        if parts.count == 2 {
            if parts[0].isEmpty { throw invalid("empty local part before '@'") }
            if parts[1].isEmpty { throw invalid("empty domain after '@'") }
            if parts[1].hasPrefix(".") || parts[1].hasSuffix(".") || parts[1].contains("..") {
                throw invalid("malformed domain")
            }
        }
    }
}
