import NIOCore

/// One optional parameter, `name=value` or a bare boolean `name` (the spec's "optional parameters").
///
/// Names are written as they are; values are tab-escaped (`AuthSocketTabEscaping`).
public struct AuthSocketParameter: Hashable, Sendable {
    public var name: String
    /// Nil for a boolean parameter.
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Splits an unescaped field at its first `=`.
    init(field: String) {
        if let equals = field.firstIndex(of: "=") {
            name = String(field[..<equals])
            value = String(field[field.index(after: equals)...])
        } else {
            name = field
            value = nil
        }
    }

    /// Writes TAB, the name, and `=` and the escaped value when there is one.
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(AuthSocketFields.tab)
        buffer.writeString(name)
        if let value {
            buffer.writeInteger(UInt8(ascii: "="))
            AuthSocketTabEscaping.escape(value.utf8, into: &buffer)
        }
    }
}
