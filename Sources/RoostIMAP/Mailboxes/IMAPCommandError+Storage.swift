import RoostAuth
import RoostIMAPGrammar
import RoostStorage

extension IMAPCommandError {
    /// The one place a failure of storage becomes an IMAP response, with the codes of RFC 5530
    /// section 3 (and RFC 3501's TRYCREATE).
    ///
    /// The texts are fixed per kind: a storage message can hold file-system paths, which the client
    /// must not see; the session logs the original error. An `IMAPCommandError` passes through
    /// unchanged, and any error that is not a `StorageError` is a server bug, `NO [SERVERBUG]`.
    ///
    /// - Parameter isDestination: the mailbox is the target of APPEND, COPY or MOVE. RFC 3501
    ///   sections 6.3.11 and 6.4.7: "If the destination mailbox does not exist, a server ... MUST send
    ///   the response code "[TRYCREATE]"", so the client may CREATE it and try again.
    public init(_ error: any Error, isDestination: Bool = false) {
        if let error = error as? IMAPCommandError {
            self = error
        } else if let error = error as? StorageError {
            self.init(Self.response(for: error.kind, isDestination: isDestination))
        } else if error is BlockingWorkPoolError {
            // The storage threads' queue is full, or the server is stopping.
            self.init(StatusResponse.no("Server is busy, try again later", code: .unavailable))
        } else {
            self.init(StatusResponse.no("Server error; the details are in the server's log", code: .serverBug))
        }
    }

    private static func response(for kind: StorageError.Kind, isDestination: Bool) -> StatusResponse {
        switch kind {
        case .notFound where isDestination: .no("Mailbox does not exist", code: .tryCreate)
        case .notFound: .no("Mailbox does not exist", code: .nonExistent)
        case .exists: .no("Mailbox already exists", code: .alreadyExists)
        case .expunged: .no("Some of the requested messages no longer exist", code: .expungeIssued)
        case .inUse: .no("Mailbox is in use, try again later", code: .inUse)
        case .overQuota: .no("Quota exceeded", code: .overQuota)
        case .noPermission: .no("Permission denied", code: .noPermission)
        case .limit: .no("Limit exceeded", code: .limit)
        case .invalidName: .no("Name not acceptable", code: .cannot)
        case .temporary: .no("Temporary storage failure, try again later", code: .unavailable)
        }
    }
}
