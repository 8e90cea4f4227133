/// How a line ended.
enum LineEnding: Sendable, Hashable {
    /// No line break: the end of the input.
    case none
    case lf
    case crlf

    var byteCount: Int {
        switch self {
        case .none: return 0
        case .lf: return 1
        case .crlf: return 2
        }
    }

    var bytes: [UInt8] {
        switch self {
        case .none: return []
        case .lf: return [ASCII.lf]
        case .crlf: return [ASCII.cr, ASCII.lf]
        }
    }
}
