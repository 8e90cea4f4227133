import NIOCore

/// How the encoder writes a literal.
public enum IMAPLiteralForm: Hashable, Sendable {
    /// `{n}` CRLF: the only form a server may send (RFC 7888 section 3), and the client form that waits
    /// for a continuation request.
    case synchronizing
    /// `{n+}` CRLF (RFC 7888): client to server only, when the server advertises LITERAL+ or LITERAL-.
    case nonSynchronizing
}

/// Writing strings in the form their bytes allow: atom, quoted string or literal.
///
///     astring         = 1*ASTRING-CHAR / string
///     string          = quoted / literal
///     nstring         = string / nil
///     quoted          = DQUOTE *QUOTED-CHAR DQUOTE
///     literal         = "{" number "}" CRLF *CHAR8
///
/// The choice: an astring of ASTRING-CHARs (other than `NIL`, which a reader of an nstring would take
/// for nil) is written bare; otherwise a quoted string if every octet is a 7-bit TEXT-CHAR and there are
/// at most `maxQuotedOctets`; otherwise a literal, which carries any octets (8-bit, NUL, CRLF) safely.
extension ByteBuffer {
    /// The longest string written quoted; longer ones become literals, which clients read without
    /// unescaping.
    public static let maxQuotedOctets = 1024

    // string          = quoted / literal
    @discardableResult
    public mutating func writeIMAPString(
        _ bytes: some Collection<UInt8>, literalForm: IMAPLiteralForm = .synchronizing
    ) -> Int {
        if bytes.count <= Self.maxQuotedOctets, bytes.allSatisfy(IMAPASCII.isTextChar) {
            return writeIMAPQuoted(bytes)
        }
        return writeIMAPLiteral(bytes, form: literalForm)
    }

    // astring         = 1*ASTRING-CHAR / string
    @discardableResult
    public mutating func writeIMAPAstring(
        _ bytes: some Collection<UInt8>, literalForm: IMAPLiteralForm = .synchronizing
    ) -> Int {
        if !bytes.isEmpty, bytes.allSatisfy(IMAPASCII.isAstringChar), !IMAPASCII.equalsIgnoringCase(bytes, "NIL") {
            return writeBytes(bytes)
        }
        return writeIMAPString(bytes, literalForm: literalForm)
    }

    // nstring         = string / nil
    @discardableResult
    public mutating func writeIMAPNstring(
        _ bytes: (some Collection<UInt8>)?, literalForm: IMAPLiteralForm = .synchronizing
    ) -> Int {
        guard let bytes else { return writeString("NIL") }
        return writeIMAPString(bytes, literalForm: literalForm)
    }

    // quoted          = DQUOTE *QUOTED-CHAR DQUOTE
    // QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
    //                   "\" quoted-specials
    @discardableResult
    mutating func writeIMAPQuoted(_ bytes: some Collection<UInt8>) -> Int {
        var written = writeInteger(IMAPASCII.quote)
        for byte in bytes {
            if byte == IMAPASCII.quote || byte == IMAPASCII.backslash { written += writeInteger(IMAPASCII.backslash) }
            written += writeInteger(byte)
        }
        return written + writeInteger(IMAPASCII.quote)
    }

    // literal         = "{" number ["+"] "}" CRLF *CHAR8
    @discardableResult
    public mutating func writeIMAPLiteral(_ bytes: some Collection<UInt8>, form: IMAPLiteralForm = .synchronizing) -> Int {
        let header = form == .synchronizing ? "{\(bytes.count)}\r\n" : "{\(bytes.count)+}\r\n"
        return writeString(header) + writeBytes(bytes)
    }
}
