import NIOCore

/// Dovecot's tab-escaping (`str_tabescape` and `str_tabunescape` in its lib/strescape.c), which lets a
/// parameter value hold the bytes that would end a field or a line.
///
/// The escape byte is `\001`, followed by:
///
///     0 → NUL    1 → \001    t → TAB    r → CR    n → LF
///
/// and anything else stands for itself (the `\001` is dropped). A lone `\001` at the end of a value is
/// dropped too, as Dovecot does. Every other byte, non-ASCII UTF-8 included, passes through unchanged, so
/// escaping never breaks UTF-8 and unescaping valid UTF-8 gives valid UTF-8.
public enum AuthSocketTabEscaping {
    /// The escape byte, `\001`.
    public static let escapeByte: UInt8 = 0x01

    /// The byte after `\001` that stands for `byte`, or nil when `byte` is written as it is.
    static func escapeCode(for byte: UInt8) -> UInt8? {
        switch byte {
        case 0x00: UInt8(ascii: "0")
        case 0x01: UInt8(ascii: "1")
        case 0x09: UInt8(ascii: "t")
        case 0x0D: UInt8(ascii: "r")
        case 0x0A: UInt8(ascii: "n")
        default: nil
        }
    }

    /// Writes `bytes` escaped.
    public static func escape<Bytes: Sequence<UInt8>>(_ bytes: Bytes, into buffer: inout ByteBuffer) {
        for byte in bytes {
            if let code = escapeCode(for: byte) {
                buffer.writeInteger(escapeByte)
                buffer.writeInteger(code)
            } else {
                buffer.writeInteger(byte)
            }
        }
    }

    /// `text` escaped.
    public static func escape(_ text: String) -> String {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if let code = escapeCode(for: byte) {
                output.append(escapeByte)
                output.append(code)
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `escaped` stands for.
    public static func unescape<Bytes: Sequence<UInt8>>(_ escaped: Bytes) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(escaped.underestimatedCount)
        var afterEscape = false
        for byte in escaped {
            if afterEscape {
                afterEscape = false
                switch byte {
                case UInt8(ascii: "0"): output.append(0x00)
                case UInt8(ascii: "1"): output.append(0x01)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "n"): output.append(0x0A)
                default: output.append(byte)
                }
            } else if byte == escapeByte {
                afterEscape = true
            } else {
                output.append(byte)
            }
        }
        return output
    }

    /// The text `escaped` stands for.
    public static func unescape(_ escaped: String) -> String {
        String(decoding: unescape(escaped.utf8), as: UTF8.self)
    }
}
