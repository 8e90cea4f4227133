#if canImport(Glibc)
import Glibc
#endif

/// A polled directory: what it looked like at the last look.
///
/// File times come from a coarse clock (the kernel's tick, or whole seconds on some file systems), so
/// a change made right after a look, in the same tick, can leave the mtime the look saw. A look that
/// sees an mtime that recent is unsettled; the first later look that finds the same stamp settled
/// reports a change once, for whatever that tick may have hidden.
struct PolledDirectory {
    /// `nil` when the directory is missing or cannot be looked at.
    var stamp: DirectoryStamp?
    /// The mtime was within the file system's timestamp granularity of the look.
    var unsettled: Bool
    /// Try inotify again once the directory exists: it is polled because it was missing or removed,
    /// not because inotify refused it (watch limit, permission), which would refuse it again.
    var retryInotify: Bool

    init(observing path: String, retryInotify: Bool) {
        var st = stat()
        if systemStat(path, &st) == 0 {
            let stamp = DirectoryStamp(st)
            let now = POSIX.now()
            let wallNanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
            self.stamp = stamp
            self.unsettled = stamp.modification > wallNanoseconds - stamp.granularity
        } else {
            self.stamp = nil
            self.unsettled = false
        }
        self.retryInotify = retryInotify
    }

    /// Whether `later`, a look after this one, shows a change (or the end of a tick that may hide one).
    func isChanged(by later: PolledDirectory) -> Bool {
        later.stamp != stamp || (unsettled && !later.unsettled)
    }
}

/// What polling compares: a rename, link or unlink in a directory changes its mtime and ctime; a
/// directory removed and made again has another inode.
struct DirectoryStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    /// Nanoseconds since the epoch.
    var modification: Int64
    var change: Int64

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        modification = st.modificationNanoseconds
        change = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    /// How coarse this directory's times are likely to be, in nanoseconds: whole seconds when the mtime
    /// has no fraction (ext3, some network file systems), else a few kernel ticks (HZ=100 is 10 ms).
    var granularity: Int64 {
        modification % 1_000_000_000 == 0 ? 1_000_000_000 : 20_000_000
    }
}

/// One event read from the inotify descriptor: which watch, and what happened (inotify(7)).
struct InotifyEvent {
    var descriptor: Int32
    var mask: UInt32
}

extension MaildirWatcher {
    /// Starts watching one subdirectory: with inotify if the watcher has an instance and the kernel
    /// accepts the watch, otherwise by polling.
    func arm(_ key: SubdirectoryKey, in s: inout WatcherState) {
        guard let fd = s.loop?.inotify else {
            s.polled[key] = PolledDirectory(observing: key.path, retryInotify: false)
            return
        }
        let descriptor = inotify_add_watch(fd, key.path, Self.inotifyMask)
        if descriptor >= 0 {
            s.polled[key] = nil
            s.descriptors[descriptor, default: []].insert(key)
            s.folders[key.folderPath]?.descriptors[key.index] = descriptor
            return
        }
        let code = errno
        let missing = code == ENOENT || code == ENOTDIR
        if !missing {
            // ENOSPC: fs.inotify.max_user_watches reached; EACCES: the directory is not readable.
            logFallbackOnce("cannot watch \(key.path) with inotify (\(String(cString: strerror(code)))); polling it every \(pollInterval)", in: &s)
        }
        s.polled[key] = PolledDirectory(observing: key.path, retryInotify: missing)
    }

    /// Forgets a folder, removing each inotify watch no other folder shares.
    func disarm(folderPath: String, in s: inout WatcherState) {
        guard let folder = s.folders.removeValue(forKey: folderPath) else { return }
        s.pending.remove(folderPath)
        for (index, descriptor) in folder.descriptors.enumerated() {
            let key = SubdirectoryKey(folderPath: folderPath, index: index)
            guard let descriptor else {
                s.polled[key] = nil
                continue
            }
            s.descriptors[descriptor]?.remove(key)
            guard s.descriptors[descriptor]?.isEmpty == true else { continue }
            s.descriptors[descriptor] = nil
            // EINVAL when the kernel dropped the watch already (directory removed): nothing to undo.
            if let fd = s.loop?.inotify { _ = inotify_rm_watch(fd, descriptor) }
        }
    }

    /// Marks the folders an inotify batch concerns as changed.
    ///
    /// `IN_Q_OVERFLOW` (events were lost) marks every folder. `IN_IGNORED` means the kernel removed
    /// the watch: the directory was deleted (or its file system unmounted), so it is polled from now on
    /// and goes back to inotify when it exists again.
    func apply(_ events: [InotifyEvent], to s: inout WatcherState) {
        for event in events {
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                s.pending = Set(s.folders.keys)
                continue
            }
            guard let keys = s.descriptors[event.descriptor] else { continue }
            for key in keys { s.pending.insert(key.folderPath) }
            if event.mask & UInt32(IN_IGNORED) != 0 {
                s.descriptors[event.descriptor] = nil
                for key in keys {
                    s.folders[key.folderPath]?.descriptors[key.index] = nil
                    s.polled[key] = PolledDirectory(observing: key.path, retryInotify: true)
                }
            }
        }
    }

    /// Looks at every polled directory (the `stat`s run without the lock) and marks changed folders.
    func pollDirectories() {
        let keys = state.withLock { s in Array(s.polled.keys) }
        let looks = keys.map { ($0, PolledDirectory(observing: $0.path, retryInotify: false)) }
        state.withLock { s in
            for (key, look) in looks {
                // The folder may have been cancelled, or the directory armed again, meanwhile.
                guard let before = s.polled[key] else { continue }
                if before.isChanged(by: look) { s.pending.insert(key.folderPath) }
                var updated = look
                updated.retryInotify = before.retryInotify
                s.polled[key] = updated
                if look.stamp != nil, before.retryInotify, s.loop?.inotify != nil {
                    arm(key, in: &s)
                    // Changes between this look and the new watch would otherwise go unseen.
                    if s.polled[key] == nil { s.pending.insert(key.folderPath) }
                }
            }
        }
    }

    /// Logs the first fallback to polling of this watcher; later ones would only repeat it.
    func logFallbackOnce(_ message: String, in s: inout WatcherState) {
        guard !s.loggedFallback else { return }
        s.loggedFallback = true
        logger.warning("\(message)")
    }
}
