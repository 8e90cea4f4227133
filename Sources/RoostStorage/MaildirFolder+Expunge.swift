#if canImport(Glibc)
import Glibc
#endif

extension MaildirFolder {
    /// Deletes messages' files. Returns the UIDs that are gone now, whoever removed them.
    @discardableResult
    public func expunge(_ uids: [UID]) throws -> [UID] {
        try state.withLock { s in
            var gone: [UID] = []
            var freedBytes: Int64 = 0, freedMessages = 0
            for uid in uids {
                for attempt in 0..<2 {
                    guard let position = s.position(of: uid) else {
                        gone.append(uid)
                        break
                    }
                    let message = s.messages[position]
                    if Glibc.unlink(path + "/" + message.relativePath) == 0 {
                        s.messages.remove(at: position)
                        s.indexDirty = true
                        gone.append(uid)
                        freedBytes += message.size
                        freedMessages += 1
                        break
                    }
                    guard errno == ENOENT else { throw POSIX.error("unlink", path + "/" + message.relativePath) }
                    if attempt == 0 {
                        _ = try syncLocked(&s, moveNewToCur: false)
                    }
                }
            }
            if freedMessages > 0 {
                quota?.record(bytes: -freedBytes, messages: -freedMessages)
                cache.retain(only: Set(s.messages.lazy.map(\.uid)))
            }
            return gone
        }
    }

    /// Copies messages into `destination` (IMAP COPY) by hard links where the file system allows,
    /// otherwise by writing the bytes. Returns (source UID, new UID) pairs for the messages copied
    /// (UIDPLUS COPYUID); messages already gone are skipped.
    @discardableResult
    public func copy(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, copy: UID)] {
        let snapshot = self.snapshot
        let messages = uids.compactMap { snapshot.index(of: $0).map { snapshot.messages[$0] } }
        try destination.quota?.check(addingBytes: messages.reduce(0) { $0 + $1.size }, messages: messages.count)
        var placed: [MessageInfo] = []
        var sources: [UID] = []
        for message in messages {
            let bits = try destination.keywordBits(for: snapshot.keywords(of: message), create: true)
            var copy = message
            copy.base = UniqueNames.make() + ",S=\(message.size),W=\(message.virtualSize)"
            copy.info.keywords = bits
            copy.inNew = false
            let target = destination.path + "/" + copy.relativePath
            if Glibc.link(path + "/" + message.relativePath, target) != 0 {
                guard errno != ENOENT else { continue } // expunged meanwhile
                // Another file system or no link support: copy the bytes through tmp/.
                let writer = try destination.beginSave()
                let file = try openMessage(message.uid)
                var offset: Int64 = 0
                while offset < file.size {
                    let chunk = try file.read(at: offset, count: 256 * 1024)
                    if chunk.isEmpty { break }
                    try writer.write(chunk)
                    offset += Int64(chunk.count)
                }
                let (base, _, _) = try writer.finish(internalDate: message.internalDate)
                copy.base = base
                try POSIX.rename(writer.temporaryPath, destination.path + "/" + copy.relativePath)
            }
            placed.append(copy)
            sources.append(message.uid)
        }
        if options.fsync && !placed.isEmpty { try POSIX.fsyncDirectory(destination.path + "/cur") }
        destination.quota?.record(bytes: placed.reduce(0) { $0 + $1.size }, messages: placed.count)
        let newUIDs = try destination.register(placed)
        return Array(zip(sources, newUIDs)).map { (source: $0.0, copy: $0.1) }
    }

    /// Moves messages into `destination` (IMAP MOVE) by renaming their files, which is atomic: a
    /// message is never in both folders or in neither. Falls back to copy and expunge across file systems.
    @discardableResult
    public func move(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, copy: UID)] {
        let snapshot = self.snapshot
        var placed: [MessageInfo] = []
        var moved: [UID] = []
        var fallback: [UID] = []
        for uid in uids {
            guard let i = snapshot.index(of: uid) else { continue }
            let message = snapshot.messages[i]
            var target = message
            target.info.keywords = try destination.keywordBits(for: snapshot.keywords(of: message), create: true)
            target.inNew = false
            if Glibc.rename(path + "/" + message.relativePath, destination.path + "/" + target.relativePath) == 0 {
                placed.append(target)
                moved.append(uid)
            } else if errno == EXDEV {
                fallback.append(uid)
            } else if errno != ENOENT {
                throw POSIX.error("rename", path + "/" + message.relativePath)
            }
        }
        if options.fsync && !placed.isEmpty {
            try POSIX.fsyncDirectory(destination.path + "/cur")
            try POSIX.fsyncDirectory(path + "/cur")
        }
        state.withLock { s in
            for uid in moved {
                if let p = s.position(of: uid) { s.messages.remove(at: p) }
            }
            s.indexDirty = true
            if !moved.isEmpty { cache.retain(only: Set(s.messages.lazy.map(\.uid))) }
        }
        var pairs = Array(zip(moved, try destination.register(placed))).map { (source: $0.0, copy: $0.1) }
        if !fallback.isEmpty {
            let copied = try copy(fallback, to: destination)
            try expunge(copied.map(\.source))
            pairs += copied
        }
        return pairs
    }
}
