#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors from reading or editing a passwd-file, in words the admin tool can show as they are.
public enum PasswdFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `add` for a name that already has a line.
    case duplicateUser(String)
    /// An edit of a name that has no line.
    case unknownUser(String)
    /// The name cannot be a passwd-file user name; `reason` says why.
    case invalidName(String, reason: String)
    /// A field value would break the line format (a `:` in a password, a space in an extra field).
    case invalidField(String, reason: String)
    /// Another editor holds `<file>.lock` and did not release it in time.
    case locked(path: String)
    /// A system call failed; `operation` names it, `errno` is the C error number.
    case io(path: String, operation: String, errno: Int32)
    /// The file has lines that are not valid (reported with 1-based line numbers).
    case parse(path: String, problems: [Problem])

    /// One bad line.
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public var description: String {
        switch self {
        case .duplicateUser(let user): "user \(user) already exists"
        case .unknownUser(let user): "user \(user) does not exist"
        case .invalidName(let name, let reason): "invalid user name \(name.debugDescription): \(reason)"
        case .invalidField(let field, let reason): "invalid \(field): \(reason)"
        case .locked(let path): "\(path) is locked by another editor; try again"
        case .io(let path, let operation, let errno): "\(operation) \(path) failed: \(PasswdFileError.errnoText(errno))"
        case .parse(let path, let problems):
            "\(path): " + problems.map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
        }
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
