import NIOCore

/// The bracketed code of a status response, which tells the client what happened in a form it can act on.
///
///     resp-text-code  = "ALERT" /
///                       "BADCHARSET" [SP "(" astring *(SP astring) ")" ] /
///                       capability-data / "PARSE" /
///                       "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
///                       "READ-ONLY" / "READ-WRITE" / "TRYCREATE" /
///                       "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
///                       "UNSEEN" SP nz-number /
///                       atom [SP 1*<any TEXT-CHAR except "]">]
///     resp-code-apnd  = "APPENDUID" SP nz-number SP append-uid      (RFC 4315 section 4)
///     resp-code-copy  = "COPYUID" SP nz-number SP uid-set SP uid-set
///     resp-text-code  =/ "UIDNOTSTICKY"
///
/// RFC 3501 section 7.1, RFC 4315 and the codes of RFC 5530 section 3 (each a bare atom). The storage
/// error kinds are mapped to these in one place in the session.
public enum ResponseCode: Hashable, Sendable {
    case alert
    case badCharset([String])
    case capability([String])
    case parse
    case permanentFlags([PermanentFlag])
    case readOnly
    case readWrite
    case tryCreate
    case uidNext(UID)
    case uidValidity(UIDValidity)
    case unseen(SequenceNumber)
    /// RFC 4315: the UID validity of the target mailbox and the appended messages' UIDs.
    case appendUID(UIDValidity, SequenceSet)
    /// RFC 4315: the target's UID validity, the source UIDs and the new UIDs in the same order.
    case copyUID(UIDValidity, SequenceSet, SequenceSet)
    case uidNotSticky
    // RFC 5530 section 3.
    case unavailable
    case authenticationFailed
    case authorizationFailed
    case expired
    case privacyRequired
    case contactAdmin
    case noPermission
    case inUse
    case expungeIssued
    case corruption
    case serverBug
    case clientBug
    case cannot
    case limit
    case overQuota
    case alreadyExists
    case nonExistent
}

extension ByteBuffer {
    // resp-text-code  (see ResponseCode)
    @discardableResult
    public mutating func writeResponseCode(_ code: ResponseCode) -> Int {
        switch code {
        case .alert: return writeString("ALERT")
        case .badCharset(let charsets):
            guard !charsets.isEmpty else { return writeString("BADCHARSET") }
            var written = writeString("BADCHARSET (")
            for (i, charset) in charsets.enumerated() {
                if i > 0 { written += writeString(" ") }
                written += writeIMAPAstring(Array(charset.utf8))
            }
            return written + writeString(")")
        case .capability(let capabilities): return writeCapabilityData(capabilities)
        case .parse: return writeString("PARSE")
        case .permanentFlags(let flags):
            return writeString("PERMANENTFLAGS (" + flags.map(\.description).joined(separator: " ") + ")")
        case .readOnly: return writeString("READ-ONLY")
        case .readWrite: return writeString("READ-WRITE")
        case .tryCreate: return writeString("TRYCREATE")
        case .uidNext(let uid): return writeString("UIDNEXT ") + writeUID(uid)
        case .uidValidity(let value): return writeString("UIDVALIDITY ") + writeUIDValidity(value)
        case .unseen(let number): return writeString("UNSEEN ") + writeSequenceNumber(number)
        case .appendUID(let validity, let uids):
            return writeString("APPENDUID ") + writeUIDValidity(validity) + writeString(" ") + writeSequenceSet(uids)
        case .copyUID(let validity, let source, let destination):
            return writeString("COPYUID ") + writeUIDValidity(validity) + writeString(" ") + writeSequenceSet(source)
                + writeString(" ") + writeSequenceSet(destination)
        case .uidNotSticky: return writeString("UIDNOTSTICKY")
        case .unavailable: return writeString("UNAVAILABLE")
        case .authenticationFailed: return writeString("AUTHENTICATIONFAILED")
        case .authorizationFailed: return writeString("AUTHORIZATIONFAILED")
        case .expired: return writeString("EXPIRED")
        case .privacyRequired: return writeString("PRIVACYREQUIRED")
        case .contactAdmin: return writeString("CONTACTADMIN")
        case .noPermission: return writeString("NOPERM")
        case .inUse: return writeString("INUSE")
        case .expungeIssued: return writeString("EXPUNGEISSUED")
        case .corruption: return writeString("CORRUPTION")
        case .serverBug: return writeString("SERVERBUG")
        case .clientBug: return writeString("CLIENTBUG")
        case .cannot: return writeString("CANNOT")
        case .limit: return writeString("LIMIT")
        case .overQuota: return writeString("OVERQUOTA")
        case .alreadyExists: return writeString("ALREADYEXISTS")
        case .nonExistent: return writeString("NONEXISTENT")
        }
    }

    // capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1"
    //                   *(SP capability)
    // capability      = ("AUTH=" auth-type) / atom
    //
    // The capabilities are written as given; the session puts IMAP4rev1 among them.
    @discardableResult
    public mutating func writeCapabilityData(_ capabilities: [String]) -> Int {
        writeString("CAPABILITY" + capabilities.map { " " + $0 }.joined())
    }
}
