import NIOCore

/// One POP3 response, from the status line to the terminating "." of a multi-line response.
///
/// Texts and lines are `String`s written as UTF-8. Whatever they hold, `encode(into:)` writes exactly the
/// lines this value describes: every control character (C0 and DEL, so CR and LF too) in a text or a line
/// becomes a space, multi-line lines are dot-stuffed, and status lines are shortened to
/// `POP3Limits.maxStatusLineOctets`. Spaces keep a log line or a CAPA line readable where a "?" would look
/// like data; the bytes that could break the framing are gone either way.
///
/// Not escaped: a text that starts with "[" reads as a response code to a RESP-CODES client (RFC 2449
/// section 8), so callers start texts with fixed words and put client-supplied names after them.
public enum POP3Response: Hashable, Sendable {
    /// "+OK text" (RFC 1939 section 3); "+OK" alone when the text is empty.
    case ok(String)
    /// "-ERR [CODE] text" (RFC 1939 section 3, RFC 2449 section 8); the code and the text are each optional.
    case error(POP3ResponseCode?, String)
    /// "+ base64", a SASL challenge (RFC 5034 section 4); the empty challenge is "+ ".
    case continuation(String)
    /// "+OK text", then each line dot-stuffed, then "." (RFC 1939 section 3). Each element of `lines` is one
    /// line without its CRLF.
    case multiline(String, lines: [String])

    /// Writes the response, CRLFs included.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .ok(let text):
            Self.writeStatusLine(status: "+OK", code: nil, text: text, into: &buffer)
        case .error(let code, let text):
            Self.writeStatusLine(status: "-ERR", code: code, text: text, into: &buffer)
        case .continuation(let text):
            // continue-req = "+" SP [base64] CRLF (RFC 5034 section 8): the SP is there even when empty.
            buffer.writeStaticString("+ ")
            buffer.writePOP3Text(text.utf8, limit: nil)
            buffer.writeStaticString("\r\n")
        case .multiline(let text, let lines):
            Self.writeStatusLine(status: "+OK", code: nil, text: text, into: &buffer)
            for line in lines {
                // dot-stuffed = *CHAR CRLF ;must be dot-stuffed (RFC 2449 section 3)
                if line.utf8.first == POP3ASCII.dot { buffer.writeInteger(POP3ASCII.dot) }
                buffer.writePOP3Text(line.utf8, limit: nil)
                buffer.writeStaticString("\r\n")
            }
            buffer.writeStaticString(".\r\n")
        }
    }

    // single-line  =  status [SP text] CRLF       ;512 octets maximum
    // text         =  *schar / resp-code *CHAR
    // resp-code    =  "[" resp-level *("/" resp-level) "]"          (RFC 2449 section 3)
    private static func writeStatusLine(
        status: StaticString,
        code: POP3ResponseCode?,
        text: String,
        into buffer: inout ByteBuffer
    ) {
        var room = POP3Limits.maxStatusLineOctets - status.utf8CodeUnitCount - 2
        buffer.writeStaticString(status)
        if let code {
            buffer.writeString(" [\(code.rawValue)]")
            room -= code.rawValue.utf8.count + 3
        }
        if !text.isEmpty {
            buffer.writeStaticString(" ")
            buffer.writePOP3Text(text.utf8, limit: room - 1)
        }
        buffer.writeStaticString("\r\n")
    }
}
