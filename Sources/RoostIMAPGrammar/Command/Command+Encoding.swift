import NIOCore

/// Writing commands as a client does: for round-trip tests (value → encode → frame → parse) and any
/// Roost tool that speaks to an IMAP server. Literals use `literalForm` (`{n+}` by default).
extension ByteBuffer {
    // command         = tag SP (command-any / command-auth / command-nonauth /
    //                   command-select) CRLF
    @discardableResult
    public mutating func writeCommand(_ tagged: TaggedCommand, literalForm: IMAPLiteralForm = .nonSynchronizing) -> Int {
        var written = writeTag(tagged.tag) + writeString(" ")
        switch tagged.command {
        case .capability:
            written += writeString("CAPABILITY")
        case .noop:
            written += writeString("NOOP")
        case .logout:
            written += writeString("LOGOUT")
        case .startTLS:
            written += writeString("STARTTLS")
        case .id(let fields):
            written += writeString("ID ") + writeIDParameters(fields, literalForm: literalForm)
        case .authenticate(let mechanism, let initialResponse):
            written += writeString("AUTHENTICATE \(mechanism)")
            switch initialResponse {
            case nil: break
            case .empty?: written += writeString(" =")
            case .base64(let text)?: written += writeString(" " + text)
            }
        case .login(let userid, let password):
            written += writeString("LOGIN ") + writeIMAPAstring(userid, literalForm: literalForm)
            written += writeString(" ") + writeIMAPAstring(password, literalForm: literalForm)
        }
        return written + writeString("\r\n")
    }

    // id-params-list ::= "(" #(string SPACE nstring) ")" / nil        (RFC 2971 section 4)
    @discardableResult
    public mutating func writeIDParameters(_ fields: [IDField]?, literalForm: IMAPLiteralForm = .synchronizing) -> Int {
        guard let fields else { return writeString("NIL") }
        var written = writeString("(")
        for (i, field) in fields.enumerated() {
            if i > 0 { written += writeString(" ") }
            written += writeIMAPString(Array(field.name.utf8), literalForm: literalForm) + writeString(" ")
            written += writeIMAPNstring(field.value.map { Array($0.utf8) }, literalForm: literalForm)
        }
        return written + writeString(")")
    }
}
