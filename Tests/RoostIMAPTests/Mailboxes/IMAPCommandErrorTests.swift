import RoostAuth
import Testing
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

@Suite("IMAPCommandError+Storage")
struct IMAPCommandErrorTests {
    /// A storage message as POSIX.error writes it: with a path the client must not see.
    static let pathMessage = "rename /home/alice/Maildir/.Secret /home/alice/Maildir/..roost-deleted.1: Input/output error"

    @Test(arguments: [
        // (kind, as a source mailbox, as the destination of APPEND/COPY/MOVE)
        (StorageError.Kind.notFound, "NO [NONEXISTENT] Mailbox does not exist", "NO [TRYCREATE] Mailbox does not exist"),
        (.exists, "NO [ALREADYEXISTS] Mailbox already exists", "NO [ALREADYEXISTS] Mailbox already exists"),
        (.expunged, "NO [EXPUNGEISSUED] Some of the requested messages no longer exist",
         "NO [EXPUNGEISSUED] Some of the requested messages no longer exist"),
        (.inUse, "NO [INUSE] Mailbox is in use, try again later", "NO [INUSE] Mailbox is in use, try again later"),
        (.overQuota, "NO [OVERQUOTA] Quota exceeded", "NO [OVERQUOTA] Quota exceeded"),
        (.noPermission, "NO [NOPERM] Permission denied", "NO [NOPERM] Permission denied"),
        (.limit, "NO [LIMIT] Limit exceeded", "NO [LIMIT] Limit exceeded"),
        (.invalidName, "NO [CANNOT] Name not acceptable", "NO [CANNOT] Name not acceptable"),
        (.temporary, "NO [UNAVAILABLE] Temporary storage failure, try again later",
         "NO [UNAVAILABLE] Temporary storage failure, try again later"),
    ])
    func mapsEveryStorageErrorKind(_ kind: StorageError.Kind, _ source: String, _ destination: String) {
        let error = StorageError(kind, Self.pathMessage)
        #expect(wireText(IMAPCommandError(error).response) == source)
        #expect(wireText(IMAPCommandError(error, isDestination: true).response) == destination)
    }

    @Test func otherErrorsAreServerBugsWithoutTheirMessage() {
        struct Unexpected: Error, CustomStringConvertible { var description: String { "index at /home/alice/Maildir is torn" } }
        let response = IMAPCommandError(Unexpected()).response
        #expect(wireText(response) == "NO [SERVERBUG] Server error; the details are in the server's log")
        #expect(IMAPCommandError(Unexpected(), isDestination: true).response == response)
    }

    @Test func fullStorageQueueIsUnavailable() {
        for error in [BlockingWorkPoolError.overloaded, .shutDown] {
            #expect(wireText(IMAPCommandError(error).response) == "NO [UNAVAILABLE] Server is busy, try again later")
        }
    }

    @Test func commandErrorsPassThroughUnchanged() {
        let refusal = IMAPCommandError(.no("INBOX cannot be deleted", code: .cannot))
        #expect(IMAPCommandError(refusal) == refusal)
        #expect(IMAPCommandError(refusal, isDestination: true) == refusal)
        let bad = IMAPCommandError(.bad("Unknown command"))
        #expect(IMAPCommandError(bad as any Error) == bad)
    }
}
