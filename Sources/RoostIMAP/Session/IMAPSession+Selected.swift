import NIOCore
import RoostIMAPGrammar
import RoostStorage

/// SELECT/EXAMINE and the selected-state commands except FETCH (RFC 3501 sections 6.3.1, 6.3.2, 6.4).
extension IMAPSession {
    func select(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, readOnly: Bool, writer: IMAPResponseWriter) async throws {
        // A SELECT first leaves the selected mailbox, without expunging (RFC 3501 section 6.3.1).
        selected = nil
        addedToSelected = []
        state = .authenticated
        let name = try storageName(wireName)
        let store = self.store
        // The view is made on the storage thread too: for 100,000 messages it is milliseconds the
        // event loop's other connections would wait.
        let (folder, view) = try await storage { () -> (MaildirFolder, MailboxView) in
            let folder = try store.folder(name)
            let result = try folder.sync(moveNewToCur: !readOnly)
            // Read-write: the messages this session took out of new/ are its \Recent ones. EXAMINE
            // leaves new/ alone and shows what is there as recent without claiming it.
            let recent = readOnly
                ? Set(result.snapshot.messages.lazy.filter(\.inNew).map(\.uid))
                : Set(result.movedFromNew)
            return (folder, MailboxView(snapshot: result.snapshot, recent: recent))
        }
        selected = Selected(name: name, folder: folder, readOnly: readOnly, view: view)
        state = .selected
        try await writer.write(.untagged(.flags(IMAPFlags.mailboxFlags(keywords: view.keywordNames))))
        try await writer.write(.untagged(.exists(UInt32(view.count))))
        try await writer.write(.untagged(.recent(UInt32(view.recent.count))))
        if let unseen = view.firstUnseen, let number = SequenceNumber(rawValue: UInt32(unseen)) {
            try await writer.write(.untagged(.condition(.ok("First unseen", code: .unseen(number)))))
        }
        let permanent = readOnly ? [] : IMAPFlags.permanentFlags(keywords: view.keywordNames)
        try await writer.write(.untagged(.condition(.ok("Flags permitted", code: .permanentFlags(permanent)))))
        if let validity = RoostIMAPGrammar.UIDValidity(rawValue: view.uidValidity.rawValue) {
            try await writer.write(.untagged(.condition(.ok("UIDs valid", code: .uidValidity(validity)))))
        }
        if let next = RoostIMAPGrammar.UID(rawValue: view.uidNext.rawValue) {
            try await writer.write(.untagged(.condition(.ok("Predicted next UID", code: .uidNext(next)))))
        }
        let status: StatusResponse = readOnly
            ? .ok("EXAMINE completed", code: .readOnly)
            : .ok("SELECT completed", code: .readWrite)
        try await writer.write(.tagged(tag, status))
    }

    /// Syncs the selected folder and tells the client what changed (see `MailboxView.update`).
    func sendUpdates(allowExpunge: Bool, writer: IMAPResponseWriter) async throws {
        guard let result = try await syncSelected(writer: writer) else { return }
        try await sendUpdates(movedFromNew: result.movedFromNew, snapshot: result.snapshot, allowExpunge: allowExpunge, writer: writer)
    }

    /// Syncs the selected folder (taking `new/` unless read-only); nil when nothing is selected.
    /// A folder that is gone ends the session with BYE.
    func syncSelected(writer: IMAPResponseWriter) async throws -> SyncResult? {
        guard let selected else { return nil }
        let folder = selected.folder
        let readOnly = selected.readOnly
        do {
            return try await storage { try folder.sync(moveNewToCur: !readOnly) }
        } catch let error as StorageError where error.kind == .notFound {
            // Another session deleted or renamed the mailbox: nothing the client knows of it holds.
            logger.notice("selected mailbox is gone", metadata: ["mailbox": "\(selected.name)"])
            setLogoutReason("selected mailbox gone")
            try await writer.write(.untagged(.bye(ResponseText("The selected mailbox was deleted or renamed, please log in again"))))
            try await writer.flush()
            throw IMAPSessionAbort()
        }
    }

    /// Tells the client what changed, from a sync this command already made (`syncSelected`): the
    /// messages it moved from `new/`, and the folder's `snapshot` now.
    ///
    /// A command that changes the folder syncs before its change and reports from the folder's
    /// state after it: a sync right after our own renames or unlinks would always list the whole
    /// directory again (its mtime just changed), while one before them is a few stats when the
    /// folder was quiet. What other programs change meanwhile is reported at the next sync. Such a
    /// command keeps only `movedFromNew` of its sync, not the snapshot: a snapshot still held while
    /// the folder changes makes the change copy the folder's whole message list.
    func sendUpdates(
        movedFromNew: [RoostStorage.UID], snapshot: FolderSnapshot, allowExpunge: Bool, writer: IMAPResponseWriter
    ) async throws {
        guard var selected else { return }
        let readOnly = selected.readOnly
        let newlyRecent = (readOnly ? [] : Set(movedFromNew)).union(addedToSelected)
        addedToSelected = []
        let changes = selected.view.update(to: snapshot, newlyRecent: newlyRecent, allowExpunge: allowExpunge)
        self.selected = selected
        guard !changes.isEmpty else { return }
        if changes.uidValidityChanged {
            // RFC 3501 section 2.3.1.1: the client's UIDs and sequence numbers name other messages
            // now (or none); only a new SELECT can tell it the folder's state, so end the session.
            logger.notice("selected mailbox has a new UIDVALIDITY", metadata: ["mailbox": "\(selected.name)"])
            setLogoutReason("UIDVALIDITY changed")
            try await writer.write(.untagged(.bye(ResponseText("Mailbox UIDVALIDITY changed, please log in again"))))
            try await writer.flush()
            throw IMAPSessionAbort()
        }
        if changes.keywordsChanged {
            try await writer.write(.untagged(.flags(IMAPFlags.mailboxFlags(keywords: selected.view.keywordNames))))
            if !readOnly {
                let permanent = IMAPFlags.permanentFlags(keywords: selected.view.keywordNames)
                try await writer.write(.untagged(.condition(.ok("Flags permitted", code: .permanentFlags(permanent)))))
            }
        }
        for number in changes.expunged {
            if let number = SequenceNumber(rawValue: number) { try await writer.write(.untagged(.expunge(number))) }
        }
        if let exists = changes.exists { try await writer.write(.untagged(.exists(exists))) }
        if let recent = changes.recent { try await writer.write(.untagged(.recent(recent))) }
        for number in changes.flagsChanged where number > 0 {
            try await writer.write { selected.view.writeFlagsResponse(at: number - 1, withUID: true, into: &$0) }
        }
    }

    /// The positions a command's set names in the view.
    func positions(_ set: SequenceSet, byUID: Bool) throws -> [Int] {
        guard let selected else { return [] }
        if byUID { return selected.view.positions(ofUIDSet: set) }
        guard let positions = selected.view.positions(ofSequenceSet: set) else { throw BadSequenceSet() }
        return positions
    }

    func requireWritable() throws {
        if selected?.readOnly == true {
            throw IMAPCommandError(.no("Mailbox is read-only (EXAMINE)", code: .readOnly))
        }
    }

    /// CLOSE expunges `\Deleted` messages silently (RFC 3501 section 6.4.2); UNSELECT does not (RFC 3691).
    func close(_ tag: Tag, expunging: Bool, writer: IMAPResponseWriter) async throws {
        guard let selected else { return }
        if expunging && !selected.readOnly {
            try await expungeDeleted(in: selected.folder, uids: nil, syncFirst: true)
        }
        self.selected = nil
        state = .authenticated
        let folder = selected.folder
        _ = try? await storage { folder.flushIndex() }
        try await writer.write(.tagged(tag, .ok(expunging ? "CLOSE completed" : "UNSELECT completed")))
    }

    /// EXPUNGE and UID EXPUNGE (RFC 4315 section 2.1).
    func expunge(_ tag: Tag, uids set: SequenceSet?, writer: IMAPResponseWriter) async throws {
        try requireWritable()
        guard let folder = selected?.folder, let movedFromNew = try await syncSelected(writer: writer)?.movedFromNew else { return }
        let snapshot = try await expungeDeleted(in: folder, uids: set, syncFirst: false)
        try await sendUpdates(movedFromNew: movedFromNew, snapshot: snapshot, allowExpunge: true, writer: writer)
        try await writer.write(.tagged(tag, .ok("EXPUNGE completed")))
    }

    /// Removes the messages flagged `\Deleted` now (among `uids`, if given), whatever this
    /// session last saw: another session may have deleted or undeleted messages since (hence the
    /// sync first, unless the caller just made one). The flag is checked again under the folder's
    /// lock as each file goes (`onlyDeleted`). Returns the folder's state afterwards.
    @discardableResult
    private func expungeDeleted(in folder: MaildirFolder, uids set: SequenceSet?, syncFirst: Bool) async throws -> FolderSnapshot {
        try await changingStorage { () -> FolderSnapshot in
            // new/ stays as it is: moving it is the next update's, which gives \Recent. The snapshot
            // is let go before the expunge (see `sendUpdates`).
            let doomed = try { () throws -> [RoostStorage.UID] in
                let snapshot = syncFirst ? try folder.sync(moveNewToCur: false).snapshot : folder.snapshot
                let resolved = set.map { $0.resolved(largest: snapshot.messages.last?.uid.rawValue) }
                // By index: a loop over the messages would copy (and retain) each one.
                var doomed: [RoostStorage.UID] = []
                for index in snapshot.messages.indices where snapshot.messages[index].flags.contains(.deleted) {
                    let uid = snapshot.messages[index].uid
                    if resolved?.contains(uid.rawValue) ?? true { doomed.append(uid) }
                }
                return doomed
            }()
            if !doomed.isEmpty { try folder.expunge(doomed, onlyDeleted: true) }
            return folder.snapshot
        }
    }

    /// STORE (RFC 3501 section 6.4.6).
    func store(_ tag: Tag, _ set: SequenceSet, _ operation: StoreOperation, byUID: Bool, writer: IMAPResponseWriter) async throws {
        try requireWritable()
        guard let (system, keywords) = IMAPFlags.storable(operation.flags) else {
            throw IMAPCommandError(.no("Only system flags and keywords can be stored", code: .cannot))
        }
        let positions = try positions(set, byUID: byUID)
        // Synced before the change, reported after it (see `sendUpdates`).
        guard let folder = selected?.folder, let movedFromNew = try await syncSelected(writer: writer)?.movedFromNew,
              let selected else { return }
        let targets = positions.filter { !selected.view.messages[$0].isExpunged }
        let kind: FlagOperation = switch operation.kind {
        case .replace: .replace
        case .add: .add
        case .remove: .remove
        }
        // The flags are changed, the view updated and the FETCH lines written on storage threads,
        // in pieces: `STORE 1:*` on a big folder is O(n) work the event loop is spared, and the
        // client reads one piece's lines while the next piece's renames run.
        let job = StoreJob(folder: folder, view: selected.view, targets: targets, operation: kind, flags: system,
                           keywords: keywords, silent: operation.silent, byUID: byUID)
        let snapshot: FolderSnapshot
        do {
            var piece = try await changingStorage { try job.produce() }
            while true {
                if piece.keywordsGrew {
                    // A keyword new to the mailbox: the client's list of flags changes (RFC 3501 7.2.6).
                    let names = job.view.keywordNames
                    try await writer.write(.untagged(.flags(IMAPFlags.mailboxFlags(keywords: names))))
                    let permanent = IMAPFlags.permanentFlags(keywords: names)
                    try await writer.write(.untagged(.condition(.ok("Flags permitted", code: .permanentFlags(permanent)))))
                }
                if let last = piece.snapshot {
                    try await writer.write(buffer: piece.lines)
                    snapshot = last
                    break
                }
                async let next = changingStorage { try job.produce() }
                try await writer.write(buffer: piece.lines)
                try await writer.flush()
                piece = try await next
            }
        } catch {
            if !job.isFinished && !job.failed {
                // Writing failed or the command was cancelled (the client went away, a shutdown):
                // the change is still made whole, as it would be had the lines gone out, in a
                // task the cancellation does not reach.
                do {
                    try await Task { try await self.changingStorage { try job.finish() } }.value
                } catch let failure {
                    logger.error("STORE left unfinished", metadata: ["error": "\(failure)"])
                }
            }
            // What was applied is in the view, also when a piece failed.
            self.selected?.view = job.view
            throw error
        }
        self.selected?.view = job.view
        try await sendUpdates(movedFromNew: movedFromNew, snapshot: snapshot, allowExpunge: byUID, writer: writer)
        try await writer.write(.tagged(tag, .ok("STORE completed")))
    }

    /// COPY (RFC 3501 section 6.4.7) and MOVE (RFC 6851), with COPYUID (RFC 4315).
    func copy(
        _ tag: Tag, _ set: SequenceSet, to wireName: RoostIMAPGrammar.MailboxName, byUID: Bool, move: Bool,
        writer: IMAPResponseWriter
    ) async throws {
        if move { try requireWritable() }
        let destination = try storageName(wireName)
        let positions = try positions(set, byUID: byUID)
        guard let selected else { return }
        if !byUID, positions.contains(where: { selected.view.messages[$0].isExpunged }) {
            throw IMAPCommandError(.no("Some of the messages were expunged", code: .expungeIssued))
        }
        let uids = positions.filter { !selected.view.messages[$0].isExpunged }.map { selected.view.messages[$0].uid }
        let source = selected.folder
        let store = self.store
        let (validity, pairs) = try await changingStorage { () -> (RoostStorage.UIDValidity, [(source: RoostStorage.UID, copy: RoostStorage.UID)]) in
            let target: MaildirFolder
            do {
                target = try store.folder(destination)
                try target.sync(moveNewToCur: false)
            } catch {
                throw IMAPCommandError(error, isDestination: true)
            }
            guard !uids.isEmpty else { return (target.snapshot.uidValidity, []) }
            let pairs = move ? try source.move(uids, to: target) : try source.copy(uids, to: target)
            return (target.snapshot.uidValidity, pairs)
        }
        if destination == selected.name { addedToSelected.formUnion(pairs.map(\.copy)) }
        var code: ResponseCode?
        if let sources = Self.uidSet(pairs.map(\.source)), let copies = Self.uidSet(pairs.map(\.copy)),
           let validity = RoostIMAPGrammar.UIDValidity(rawValue: validity.rawValue) {
            code = .copyUID(validity, sources, copies)
        }
        if move {
            // RFC 6851 section 4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
            if let code { try await writer.write(.untagged(.condition(.ok("Moved UIDs", code: code)))) }
            try await finishWithUpdates(tag, .ok("MOVE completed"), writer: writer)
        } else {
            try await finishWithUpdates(tag, .ok("COPY completed", code: code), writer: writer)
        }
    }

    /// SEARCH and UID SEARCH (RFC 3501 section 6.4.4).
    func search(_ tag: Tag, charset: String?, keys: [SearchKey], byUID: Bool, writer: IMAPResponseWriter) async throws {
        let program: SearchProgram
        do {
            program = try SearchProgram(keys: keys, charset: charset)
        } catch {
            throw IMAPCommandError(.no("Unsupported charset", code: .badCharset(["UTF-8", "US-ASCII"])))
        }
        guard let selected else { return }
        let view = selected.view
        let folder = selected.folder
        let matches = try await storage { () -> [UInt32] in
            // The snapshot is let go before matching, which may read and keep internal dates (a
            // change of the folder's list, which would copy it while a snapshot shares it).
            let candidates = { () -> [SearchCandidate] in
                var candidates: [SearchCandidate] = []
                candidates.reserveCapacity(view.count)
                // The view and the snapshot are both in UID order: one walk, messages read in place.
                folder.snapshot.messages.withUnsafeBufferPointer { infos in
                    var index = 0
                    for position in view.messages.indices where !view.messages[position].isExpunged {
                        let uid = view.messages[position].uid
                        while index < infos.count, infos[index].uid < uid { index += 1 }
                        guard index < infos.count, infos[index].uid == uid else { continue }
                        candidates.append(SearchCandidate(
                            sequenceNumber: UInt32(position + 1), info: infos[index], keywords: view.messages[position].keywords,
                            isRecent: !view.recent.isEmpty && view.recent.contains(uid)
                        ))
                    }
                }
                return candidates
            }()
            let found = try program.matches(
                candidates, largestSequenceNumber: view.largestSequenceNumber ?? 0,
                largestUID: view.largestUID ?? RoostStorage.UID(0), in: folder
            )
            return found.map { byUID ? $0.uid.rawValue : $0.sequenceNumber }
        }
        try await writer.write(.untagged(.search(matches)))
        try await finishWithUpdates(tag, .ok("SEARCH completed"), allowExpunge: byUID, writer: writer)
    }

    // MARK: IDLE (RFC 2177)

    func idle(_ tag: Tag, writer: IMAPResponseWriter) async throws -> Outcome {
        if state == .selected { try await sendUpdates(allowExpunge: true, writer: writer) }
        idleTag = tag
        // The handler sends `+ idling` when it has started watching.
        return .idling
    }

    /// The directory an IDLE session watches, nil when no mailbox is selected.
    public var idleFolderPath: String? { selected?.folder.path }

    /// Something changed in the watched folder during IDLE: send the news now.
    public func idleChanged(writer: IMAPResponseWriter) async throws {
        try await sendUpdates(allowExpunge: true, writer: writer)
        try await writer.flush()
    }

    /// The keep-alive during IDLE, for NAT boxes and clients that want to hear from the server.
    public func idleKeepalive(writer: IMAPResponseWriter) async throws {
        try await writer.write(.untagged(.condition(.ok("Still here"))))
        try await writer.flush()
    }

    /// DONE (or anything else, which RFC 2177 leaves to the server: answered BAD) ends IDLE.
    public func endIdle(done: Bool, writer: IMAPResponseWriter) async throws -> Outcome {
        guard let tag = idleTag else { return .done }
        idleTag = nil
        guard done else { return try await bad(tag, "Expected DONE", writer: writer) }
        try await finishWithUpdates(tag, .ok("IDLE completed"), writer: writer)
        return .done
    }
}
