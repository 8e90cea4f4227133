import NIOCore
import RoostStorage

/// Applies one STORE in pieces, on storage threads (RFC 3501 section 6.4.6).
///
/// Each `produce` call changes the flags of up to `pieceSize` messages, takes each one's flags as
/// they are now into the session's view, and writes their untagged FETCH lines (unless SILENT).
/// The session writes a piece's lines while the next piece is made, so on a big folder the client
/// reads and parses responses while the renames still run, instead of after all of them.
///
/// The folder's snapshot is taken after each piece's change and let go before the next, so no
/// snapshot shares the folder's message list while it changes (which would copy it whole); the
/// last piece hands its snapshot to the session for the updates sent after the command. Calls are
/// strictly sequential (`@unchecked Sendable`).
final class StoreJob: @unchecked Sendable {
    struct Piece {
        /// The untagged FETCH lines of the piece's messages (empty when SILENT).
        var lines: ByteBuffer
        /// A keyword new to the view came with this piece: FLAGS and PERMANENTFLAGS go out before
        /// its lines (RFC 3501 section 7.2.6).
        var keywordsGrew: Bool
        /// The folder after the change, with the last piece; nil while pieces remain.
        var snapshot: FolderSnapshot?
    }

    private let folder: MaildirFolder
    /// The session's view, changed piece by piece; the session takes it back at the end (also after
    /// a failure, for the pieces that were applied).
    private(set) var view: MailboxView
    /// The messages to change, by position in `view`, in UID order.
    private let targets: [Int]
    private let operation: FlagOperation
    private let flags: SystemFlags
    private let keywords: [String]
    private let silent: Bool
    private let byUID: Bool
    private let pieceSize: Int
    /// The next entry of `targets` to change.
    private var next = 0
    private var produced = false
    /// A piece failed: the rest is not applied.
    private(set) var failed = false

    /// Every piece is applied (an empty STORE after its one call).
    var isFinished: Bool { produced && next == targets.count }

    /// Messages per piece when the lines are sent: about 40 KB of FETCH lines and 250 renames on a
    /// folder a quarter unseen, small enough for the client to start early, large enough that the
    /// two thread hand-offs per piece do not count.
    static let pieceSize = 1_000

    init(folder: MaildirFolder, view: MailboxView, targets: [Int], operation: FlagOperation, flags: SystemFlags,
         keywords: [String], silent: Bool, byUID: Bool) {
        self.folder = folder
        self.view = view
        self.targets = targets
        self.operation = operation
        self.flags = flags
        self.keywords = keywords
        self.silent = silent
        self.byUID = byUID
        // Without lines there is nothing to overlap with: one piece.
        pieceSize = silent ? max(1, targets.count) : Self.pieceSize
    }

    /// Applies the next piece.
    func produce() throws -> Piece {
        try apply(writingLines: !silent)
    }

    /// Applies what is left without writing lines: the client went away (or the command was
    /// cancelled) halfway, and a STORE that began is still made whole.
    func finish() throws {
        while !isFinished && !failed { _ = try apply(writingLines: false) }
    }

    private func apply(writingLines: Bool) throws -> Piece {
        let piece = targets[next..<min(next + pieceSize, targets.count)]
        let uids = piece.map { view.messages[$0].uid }
        do {
            _ = try folder.setFlags(uids, operation, flags: flags, keywords: keywords)
        } catch {
            failed = true
            throw error
        }
        next = piece.endIndex
        produced = true
        let snapshot = folder.snapshot
        var changed: [Int] = []
        changed.reserveCapacity(piece.count)
        var keywordsGrew = false
        // The piece and the snapshot are both in UID order: one walk instead of a search each.
        // Messages are read in place: a copy of each would retain its strings.
        snapshot.messages.withUnsafeBufferPointer { messages in
            var index = piece.first.map { snapshot.firstIndex(atOrAfter: view.messages[$0].uid) } ?? 0
            for position in piece {
                let uid = view.messages[position].uid
                while index < messages.count, messages[index].uid < uid { index += 1 }
                guard index < messages.count, messages[index].uid == uid else { continue } // gone
                let names = messages[index].info.keywords == 0 ? [] : snapshot.keywords(of: messages[index])
                if view.setFlags(messages[index].info.system, keywords: names, at: position) { keywordsGrew = true }
                changed.append(position)
            }
        }
        var lines = ByteBufferAllocator().buffer(capacity: writingLines ? changed.count * 48 : 0)
        if writingLines {
            for position in changed { view.writeFlagsResponse(at: position, withUID: byUID, into: &lines) }
        }
        return Piece(lines: lines, keywordsGrew: keywordsGrew, snapshot: next == targets.count ? snapshot : nil)
    }
}
