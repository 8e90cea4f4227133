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
        case .enable(let names):
            written += writeString("ENABLE" + names.map { " " + $0 }.joined())
        case .select(let mailbox):
            written += writeString("SELECT ") + writeMailbox(mailbox, literalForm: literalForm)
        case .examine(let mailbox):
            written += writeString("EXAMINE ") + writeMailbox(mailbox, literalForm: literalForm)
        case .create(let mailbox):
            written += writeString("CREATE ") + writeMailbox(mailbox, literalForm: literalForm)
        case .delete(let mailbox):
            written += writeString("DELETE ") + writeMailbox(mailbox, literalForm: literalForm)
        case .rename(let from, let to):
            written += writeString("RENAME ") + writeMailbox(from, literalForm: literalForm)
            written += writeString(" ") + writeMailbox(to, literalForm: literalForm)
        case .subscribe(let mailbox):
            written += writeString("SUBSCRIBE ") + writeMailbox(mailbox, literalForm: literalForm)
        case .unsubscribe(let mailbox):
            written += writeString("UNSUBSCRIBE ") + writeMailbox(mailbox, literalForm: literalForm)
        case .list(let reference, let pattern):
            written += writeString("LIST ") + writeMailbox(reference, literalForm: literalForm)
            written += writeString(" ") + writeMailboxPattern(pattern, literalForm: literalForm)
        case .lsub(let reference, let pattern):
            written += writeString("LSUB ") + writeMailbox(reference, literalForm: literalForm)
            written += writeString(" ") + writeMailboxPattern(pattern, literalForm: literalForm)
        case .namespace:
            written += writeString("NAMESPACE")
        case .status(let mailbox, let attributes):
            written += writeString("STATUS ") + writeMailbox(mailbox, literalForm: literalForm)
            written += writeString(" ") + writeStatusAttributeList(attributes)
        case .append(let mailbox, let messages):
            written += writeString("APPEND ") + writeMailbox(mailbox, literalForm: literalForm)
            for message in messages { written += writeAppendMessage(message, literalForm: literalForm) }
        case .idle:
            written += writeString("IDLE")
        case .check:
            written += writeString("CHECK")
        case .close:
            written += writeString("CLOSE")
        case .unselect:
            written += writeString("UNSELECT")
        case .expunge:
            written += writeString("EXPUNGE")
        case .search(let charset, let keys):
            written += writeString("SEARCH") + writeSearchArguments(charset: charset, keys: keys, literalForm: literalForm)
        case .fetch(let set, let request):
            written += writeString("FETCH ") + writeSequenceSet(set) + writeString(" ") + writeFetchRequest(request)
        case .store(let set, let operation):
            written += writeString("STORE ") + writeSequenceSet(set) + writeString(" ") + writeStoreOperation(operation)
        case .copy(let set, let mailbox):
            written += writeString("COPY ") + writeSequenceSet(set) + writeString(" ") + writeMailbox(mailbox, literalForm: literalForm)
        case .move(let set, let mailbox):
            written += writeString("MOVE ") + writeSequenceSet(set) + writeString(" ") + writeMailbox(mailbox, literalForm: literalForm)
        case .uidSearch(let charset, let keys):
            written += writeString("UID SEARCH") + writeSearchArguments(charset: charset, keys: keys, literalForm: literalForm)
        case .uidFetch(let set, let request):
            written += writeString("UID FETCH ") + writeSequenceSet(set) + writeString(" ") + writeFetchRequest(request)
        case .uidStore(let set, let operation):
            written += writeString("UID STORE ") + writeSequenceSet(set) + writeString(" ") + writeStoreOperation(operation)
        case .uidCopy(let set, let mailbox):
            written += writeString("UID COPY ") + writeSequenceSet(set) + writeString(" ") + writeMailbox(mailbox, literalForm: literalForm)
        case .uidMove(let set, let mailbox):
            written += writeString("UID MOVE ") + writeSequenceSet(set) + writeString(" ") + writeMailbox(mailbox, literalForm: literalForm)
        case .uidExpunge(let set):
            written += writeString("UID EXPUNGE ") + writeSequenceSet(set)
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

    // append-message  = append-opts SP append-data                  (RFC 3502)
    // append-opts     = [SP flag-list] [SP date-time]
    @discardableResult
    mutating func writeAppendMessage(_ message: AppendMessage, literalForm: IMAPLiteralForm) -> Int {
        var written = 0
        if !message.flags.isEmpty { written += writeString(" ") + writeFlagList(message.flags) }
        if let date = message.internalDate { written += writeString(" ") + writeDateTime(date) }
        return written + writeString(" ") + writeIMAPLiteral(message.data.readableBytesView, form: literalForm)
    }

    // [SP "CHARSET" SP astring] 1*(SP search-key)
    @discardableResult
    mutating func writeSearchArguments(charset: String?, keys: [SearchKey], literalForm: IMAPLiteralForm) -> Int {
        var written = 0
        if let charset { written += writeString(" CHARSET ") + writeIMAPAstring(Array(charset.utf8), literalForm: literalForm) }
        return written + writeString(" ") + writeSearchKeys(keys, literalForm: literalForm)
    }
}
