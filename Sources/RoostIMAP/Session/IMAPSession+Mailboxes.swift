import NIOCore
import RoostIMAPGrammar
import RoostStorage

/// Authenticated-state commands on mailboxes (RFC 3501 section 6.3).
extension IMAPSession {
    var store: MailStore { user!.mailbox.store }

    /// The storage name of a wire name; CREATE may end it with the separator (RFC 3501 6.3.3).
    func storageName(_ name: RoostIMAPGrammar.MailboxName, allowTrailingSeparator: Bool = false) throws -> RoostStorage.MailboxName {
        var name = name
        if allowTrailingSeparator, name.name.count > 1, name.name.last == IMAPMailboxNames.separator {
            name = RoostIMAPGrammar.MailboxName(String(name.name.dropLast()))
        }
        return try IMAPMailboxNames.storageName(name)
    }

    func create(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, writer: IMAPResponseWriter) async throws {
        let name = try storageName(wireName, allowTrailingSeparator: true)
        guard !name.isInbox else { throw IMAPCommandError(.no("INBOX always exists", code: .alreadyExists)) }
        let store = self.store
        try await changingStorage { try store.create(name) }
        try await finishWithUpdates(tag, .ok("CREATE completed"), writer: writer)
    }

    func delete(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, writer: IMAPResponseWriter) async throws {
        let name = try storageName(wireName)
        if let selected, selected.name == name {
            // Dovecot refuses to delete the selected mailbox; so do we: the session would lose its view.
            throw IMAPCommandError(.no("Close the mailbox before deleting it", code: .inUse))
        }
        let store = self.store
        try await changingStorage { try MailboxOperations.delete(name, in: store) }
        try await finishWithUpdates(tag, .ok("DELETE completed"), writer: writer)
    }

    func rename(_ tag: Tag, from: RoostIMAPGrammar.MailboxName, to: RoostIMAPGrammar.MailboxName, writer: IMAPResponseWriter) async throws {
        let old = try storageName(from)
        let new = try storageName(to, allowTrailingSeparator: true)
        if let selected, selected.name == old || selected.name.isDescendant(of: old) {
            // As DELETE: the session would lose its view of the mailbox it has open.
            throw IMAPCommandError(.no("Close the mailbox before renaming it", code: .inUse))
        }
        let store = self.store
        try await changingStorage { try MailboxOperations.rename(old, to: new, in: store) }
        try await finishWithUpdates(tag, .ok("RENAME completed"), writer: writer)
    }

    func subscribe(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, _ subscribed: Bool, writer: IMAPResponseWriter) async throws {
        let name = try storageName(wireName)
        let store = self.store
        try await changingStorage { try store.setSubscribed(name, subscribed) }
        try await finishWithUpdates(tag, .ok(subscribed ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed"), writer: writer)
    }

    func list(
        _ tag: Tag, reference: RoostIMAPGrammar.MailboxName, pattern: MailboxPattern, subscribedOnly: Bool,
        writer: IMAPResponseWriter
    ) async throws {
        let store = self.store
        let specialUse = configuration.specialUse
        let items = try await storage {
            try MailboxLister.list(
                reference: reference, pattern: pattern, subscribedOnly: subscribedOnly, store: store, specialUse: specialUse
            )
        }
        for item in items {
            try await writer.write(.untagged(subscribedOnly ? .lsub(item) : .list(item)))
        }
        try await finishWithUpdates(tag, .ok(subscribedOnly ? "LSUB completed" : "LIST completed"), writer: writer)
    }

    /// STATUS (RFC 3501 section 6.3.10): counts from the folder's index; `new/` is not emptied, so
    /// RECENT stays for the session that selects the mailbox.
    func status(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, _ attributes: [StatusAttribute], writer: IMAPResponseWriter) async throws {
        let name = try storageName(wireName)
        let store = self.store
        let snapshot = try await storage { () -> FolderSnapshot in
            let folder = try store.folder(name)
            return try folder.sync(moveNewToCur: false).snapshot
        }
        var values: [StatusValue] = []
        for attribute in attributes {
            let value: UInt32
            switch attribute {
            case .messages: value = UInt32(snapshot.messages.count)
            case .recent: value = UInt32(snapshot.messages.lazy.filter(\.inNew).count)
            case .uidNext: value = snapshot.nextUID.rawValue
            case .uidValidity: value = snapshot.uidValidity.rawValue
            case .unseen: value = UInt32(snapshot.messages.lazy.filter { !$0.flags.contains(.seen) }.count)
            }
            values.append(StatusValue(attribute, value))
        }
        try await writer.write(.untagged(.status(wireName, values)))
        try await finishWithUpdates(tag, .ok("STATUS completed"), writer: writer)
    }

    /// APPEND (RFC 3501 section 6.3.11) with MULTIAPPEND (RFC 3502: all messages or none) and
    /// APPENDUID (RFC 4315).
    func append(_ tag: Tag, _ wireName: RoostIMAPGrammar.MailboxName, _ messages: [AppendMessage], writer: IMAPResponseWriter) async throws {
        let name = try storageName(wireName)
        var prepared: [(bytes: [UInt8], flags: SystemFlags, keywords: [String], date: Int64?)] = []
        for message in messages {
            guard let (flags, keywords) = IMAPFlags.storable(message.flags) else {
                throw IMAPCommandError(.no("Only system flags and keywords can be stored", code: .cannot))
            }
            guard message.data.readableBytes > 0 else {
                throw IMAPCommandError(.no("Empty messages are not accepted", code: .cannot))
            }
            prepared.append((Array(message.data.readableBytesView), flags, keywords, message.internalDate?.secondsSince1970))
        }
        let store = self.store
        let messagesToSave = prepared
        let (validity, uids) = try await changingStorage { () -> (RoostStorage.UIDValidity, [RoostStorage.UID]) in
            let folder: MaildirFolder
            do {
                folder = try store.folder(name)
            } catch {
                throw IMAPCommandError(error, isDestination: true)
            }
            var saved: [RoostStorage.UID] = []
            do {
                for message in messagesToSave {
                    saved.append(try folder.save(message.bytes, flags: message.flags, keywords: message.keywords,
                                                 internalDate: message.date))
                }
            } catch {
                // MULTIAPPEND is all or nothing.
                if !saved.isEmpty { _ = try? folder.expunge(saved) }
                throw error
            }
            return (folder.snapshot.uidValidity, saved)
        }
        if selected?.name == name { addedToSelected.formUnion(uids) }
        let code = Self.uidSet(uids).flatMap { set in
            RoostIMAPGrammar.UIDValidity(rawValue: validity.rawValue).map { ResponseCode.appendUID($0, set) }
        }
        try await finishWithUpdates(tag, .ok("APPEND completed", code: code), writer: writer)
    }

    /// UIDs as a compact sequence set in the order given (`4:7,9`), nil when empty. COPYUID pairs
    /// source and copy by position (RFC 4315 section 3), so runs are never reordered.
    static func uidSet(_ uids: [RoostStorage.UID]) -> SequenceSet? {
        var runs: [ClosedRange<UInt32>] = []
        for uid in uids.map(\.rawValue) {
            if let last = runs.last, last.upperBound < UInt32.max, uid == last.upperBound + 1 {
                runs[runs.count - 1] = last.lowerBound...uid
            } else {
                runs.append(uid...uid)
            }
        }
        return SequenceSet(runs.compactMap { SequenceSet.Range(.number($0.lowerBound), .number($0.upperBound)) })
    }
}
