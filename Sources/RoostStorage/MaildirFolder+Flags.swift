#if canImport(Glibc)
import Glibc
#endif

/// How `setFlags` combines the given flags with a message's current ones (IMAP STORE's FLAGS,
/// +FLAGS and -FLAGS).
public enum FlagOperation: Sendable {
    case replace, add, remove
}

extension MaildirFolder {
    /// Changes flags and keywords by renaming each file in `cur/`. Messages that are gone are skipped.
    /// Returns the new flags of each message that changed.
    ///
    /// When a file is not where we think (another session renamed it), the folder is synced and the
    /// change is applied to its current flags, so concurrent changes to other flags are not undone.
    @discardableResult
    public func setFlags(_ uids: [UID], _ operation: FlagOperation, flags: SystemFlags, keywords: [String] = []) throws -> [UID: MaildirInfo] {
        guard !uids.isEmpty else { return [:] }
        let bits = try keywordBits(for: keywords, create: operation != .remove)
        return try state.withLock { s in
            let directory = try FolderDirectory(path)
            var changed: [UID: MaildirInfo] = [:]
            var renamedInNew = false, renamedInCur = false, synced = false
            let batchStart = ownChangesStart(s)
            defer {
                if let batchStart, renamedInNew || renamedInCur, !synced {
                    recordOwnChanges(&s, new: renamedInNew, cur: renamedInCur, since: batchStart)
                }
            }
            for uid in uids {
                for attempt in 0..<2 {
                    guard let position = s.position(of: uid) else { break }
                    // The new flags are worked out apart from the message: a message that keeps
                    // its flags (most of a `STORE 1:* +FLAGS`) is neither copied nor renamed.
                    let oldInfo = s.messages[position].info
                    var info = oldInfo
                    switch operation {
                    case .replace:
                        info.system = flags
                        info.keywords = bits
                    case .add:
                        info.system.formUnion(flags)
                        info.keywords |= bits
                    case .remove:
                        info.system.subtract(flags)
                        info.keywords &= ~bits
                    }
                    if info == oldInfo && !s.messages[position].inNew { break }
                    let wasInNew = s.messages[position].inNew
                    let oldPath = s.messages[position].relativePath
                    var updated = s.messages[position]
                    updated.inNew = false
                    updated.info = info
                    if directory.rename(oldPath, to: updated.relativePath) {
                        s.messages[position] = updated
                        s.indexDirty = true
                        if wasInNew { renamedInNew = true }
                        renamedInCur = true
                        if info != oldInfo { changed[uid] = info }
                        break
                    }
                    guard errno == ENOENT, attempt == 0 else {
                        if errno == ENOENT { break }
                        throw POSIX.error("rename", path + "/" + oldPath)
                    }
                    synced = true
                    _ = try syncLocked(&s, moveNewToCur: false, relist: true)
                }
            }
            return changed
        }
    }
}
