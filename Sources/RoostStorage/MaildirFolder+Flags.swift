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
        let bits = try keywordBits(for: keywords, create: operation != .remove)
        return try state.withLock { s in
            var changed: [UID: MaildirInfo] = [:]
            for uid in uids {
                for attempt in 0..<2 {
                    guard let position = s.position(of: uid) else { break }
                    let old = s.messages[position]
                    var updated = old
                    switch operation {
                    case .replace:
                        updated.info.system = flags
                        updated.info.keywords = bits
                    case .add:
                        updated.info.system.formUnion(flags)
                        updated.info.keywords |= bits
                    case .remove:
                        updated.info.system.subtract(flags)
                        updated.info.keywords &= ~bits
                    }
                    updated.inNew = false
                    if updated.info == old.info && !old.inNew { break }
                    if Glibc.rename(path + "/" + old.relativePath, path + "/" + updated.relativePath) == 0 {
                        s.messages[position] = updated
                        s.indexDirty = true
                        if updated.info != old.info { changed[uid] = updated.info }
                        break
                    }
                    guard errno == ENOENT, attempt == 0 else {
                        if errno == ENOENT { break }
                        throw POSIX.error("rename", path + "/" + old.relativePath)
                    }
                    _ = try syncLocked(&s, moveNewToCur: false)
                }
            }
            return changed
        }
    }
}
