import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches Maildir folder directories for changes made by anyone (deliveries into `new/`, renames and
/// deletions in `cur/`), so that an IMAP IDLE session hears of new mail, flag changes and expunges
/// within a second.
///
/// One thread serves every watch of a watcher. It waits in `poll(2)` on one inotify descriptor (Linux)
/// and a pipe that wakes it when watches are added or cancelled. A folder's `new/` and `cur/` are each
/// watched with inotify when possible and otherwise polled: their inode, mtime and ctime (nanoseconds)
/// are compared every `pollInterval`. A directory is polled when it does not exist (yet), when it was
/// removed (inotify's `IN_IGNORED`; it goes back to inotify once it exists again), when the per-user
/// watch limit is reached (`ENOSPC`, raise `fs.inotify.max_user_watches`), and everywhere when no
/// inotify instance could be made (`EMFILE`: `fs.inotify.max_user_instances`).
///
/// A call means "look again", nothing more precise: it may come when nothing a session cares about
/// changed (Roost's own renames and moves from `new/` to `cur/` are reported too, and the fallback may
/// report a change twice), never later than about a second after a change when the folder is polled
/// and at once (under a millisecond on an idle machine) with inotify. Bursts are coalesced: the first
/// change is reported at once, later ones at most every `coalescingInterval` per folder. Renaming the
/// folder's own directory (a RENAME of the folder) changes nothing inside `new/` or `cur/` and is not
/// reported; deleting it is (its files and directories go).
///
/// The thread starts with the first watch and ends when the last is cancelled (closing the inotify
/// descriptor and the pipe). It is a new thread of the process and so inherits the credentials of the
/// thread that calls `watch` while none runs, including Linux's per-thread file-system uid and
/// capabilities: call `watch` from threads running as the mail owner, never from threads switched to
/// a system user. Polling `stat`s run on this thread, as that identity.
public final class MaildirWatcher: Sendable {
    /// One process-wide watcher: one inotify descriptor and one thread for every watch.
    public static let shared = MaildirWatcher()

    /// How long after reporting a folder the next change in it waits, so that a burst (a 300-message
    /// delivery, an expunge of thousands) gives a few calls rather than one per file.
    static let coalescingInterval: Duration = .milliseconds(100)

    /// The subdirectories watched in each folder: deliveries land in `new/`; flag changes (renames),
    /// expunges (unlinks) and moves out of `new/` happen in `cur/`. `tmp/` is private to writers.
    static let subdirectories = ["new", "cur"]

    /// inotify events that mean a file appeared in, left or was renamed within a watched directory.
    /// Maildir never writes a file in place in `new/` or `cur/` (it is written in `tmp/` and then
    /// renamed or linked), so `IN_CLOSE_WRITE` and `IN_MODIFY` are not needed. `IN_IGNORED` and
    /// `IN_Q_OVERFLOW` are always delivered.
    static let inotifyMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)

    let pollInterval: Duration
    let forcePolling: Bool
    let logger: Logger
    let clock = ContinuousClock()
    let state = Mutex(WatcherState())
    /// Held by the watcher thread while it calls `onChange` closures, so that `cancel` on another
    /// thread can wait for a call in progress to finish.
    let deliveryLock = Mutex(())

    /// - Parameters:
    ///   - pollInterval: the fallback's stat interval (also used for folders inotify could not watch).
    ///   - logger: where the fallback to polling (no inotify instance, watch limit reached) is reported,
    ///     once per watcher.
    public convenience init(pollInterval: Duration = .seconds(1),
                            logger: Logger = Logger(label: "roost.storage.watcher")) {
        self.init(pollInterval: pollInterval, logger: logger, forcePolling: false)
    }

    /// `forcePolling` makes no inotify instance, so that the fallback can be tested on Linux.
    init(pollInterval: Duration, logger: Logger, forcePolling: Bool) {
        precondition(pollInterval > .zero, "the poll interval must be positive")
        self.pollInterval = pollInterval
        self.logger = logger
        self.forcePolling = forcePolling
    }

    /// Calls `onChange` (on the watcher's thread; it must not block) after changes in `folderPath`'s
    /// `new/` or `cur/`, coalescing bursts (a 300-message delivery gives a few calls, not 600). Several
    /// watches of one path share one inotify watch.
    ///
    /// Every change after `watch` returns is reported. To miss nothing, a session starts the watch
    /// first and then syncs the folder once. `folderPath` is the folder's directory
    /// (`MaildirFolder.path`); it need not exist yet. The watch lasts until `cancel` or until the
    /// returned value is released.
    public func watch(folderPath: String, onChange: @escaping @Sendable () -> Void) -> MaildirWatch {
        let id = state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            if s.loop == nil {
                s.loop = startLoop(in: &s)
            }
            if s.folders[folderPath] == nil {
                s.folders[folderPath] = WatchedFolder()
                for index in Self.subdirectories.indices {
                    arm(SubdirectoryKey(folderPath: folderPath, index: index), in: &s)
                }
            }
            s.folders[folderPath]?.subscribers[id] = onChange
            wakeLoop(s.loop)
            return id
        }
        return MaildirWatch(watcher: self, folderPath: folderPath, id: id)
    }

    /// Removes one subscriber; the folder's inotify watches go with its last one.
    func cancel(folderPath: String, id: UInt64) {
        let onWatcherThread = state.withLock { s in
            if s.folders[folderPath]?.subscribers.removeValue(forKey: id) != nil,
               s.folders[folderPath]?.subscribers.isEmpty == true {
                disarm(folderPath: folderPath, in: &s)
                wakeLoop(s.loop)
            }
            return s.loop.map { pthread_equal($0.thread, pthread_self()) != 0 } ?? false
        }
        // A call already under way on the watcher thread finishes before cancel returns. From inside a
        // call (on that thread) there is nothing to wait for, and waiting would deadlock.
        if !onWatcherThread { deliveryLock.withLock { _ in } }
    }

    /// Wakes the thread so that it looks at the watch list again. A full pipe already wakes it.
    func wakeLoop(_ loop: LoopResources?) {
        guard let fd = loop?.wakeWrite else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(fd, &byte, 1)
    }

    // MARK: - For tests

    /// How many times the thread went round its loop: a spinning thread shows here.
    var loopIterations: Int { state.withLock { $0.loopIterations } }

    /// How many inotify watches are held (each directory once, however many folders or watches use it).
    var inotifyWatchCount: Int { state.withLock { $0.descriptors.count } }

    /// Whether the watcher thread is running.
    var isRunning: Bool { state.withLock { $0.loop != nil } }
}

/// A registration made by `MaildirWatcher.watch`.
///
/// `cancel()` is idempotent and also runs when the watch is released. Once `cancel` returns,
/// `onChange` is not called again: a call already running on the watcher thread is waited for, except
/// when `cancel` is called from inside `onChange` itself (the call in progress is then the last).
/// Keep the watch out of its own `onChange` closure, or it is never released and must be cancelled.
public final class MaildirWatch: Sendable {
    let watcher: MaildirWatcher
    let folderPath: String
    let id: UInt64

    init(watcher: MaildirWatcher, folderPath: String, id: UInt64) {
        self.watcher = watcher
        self.folderPath = folderPath
        self.id = id
    }

    /// Stops further calls of this watch's `onChange`.
    public func cancel() {
        watcher.cancel(folderPath: folderPath, id: id)
    }

    deinit { cancel() }
}

/// Everything the watcher shares between callers and its thread, behind `MaildirWatcher.state`.
///
/// Each subdirectory of a watched folder is either in `descriptors` (inotify) or in `polled`, never both.
struct WatcherState {
    /// Watched folders by path, each with its subscribers.
    var folders: [String: WatchedFolder] = [:]
    /// inotify watch descriptor to the folder subdirectories it watches (several when paths that are
    /// spelled differently name the same directory: the kernel gives one inode one descriptor).
    var descriptors: [Int32: Set<SubdirectoryKey>] = [:]
    /// Subdirectories watched by polling, with what the last look saw.
    var polled: [SubdirectoryKey: PolledDirectory] = [:]
    /// Folders with a change not reported yet (waiting for `coalescingInterval` to pass).
    var pending: Set<String> = []
    var nextID: UInt64 = 1
    /// The running thread's descriptors; `nil` while no thread runs.
    var loop: LoopResources?
    var loopIterations = 0
    /// Whether the fallback to polling was logged already.
    var loggedFallback = false
}

/// One watched folder.
struct WatchedFolder {
    var subscribers: [UInt64: @Sendable () -> Void] = [:]
    /// The inotify watch descriptor of each of `MaildirWatcher.subdirectories`, by index; `nil` while
    /// that subdirectory is polled.
    var descriptors: [Int32?] = MaildirWatcher.subdirectories.map { _ in nil }
    var lastReport: ContinuousClock.Instant?
}

/// One subdirectory of one watched folder.
struct SubdirectoryKey: Hashable {
    var folderPath: String
    var index: Int

    var path: String { folderPath + "/" + MaildirWatcher.subdirectories[index] }
}

/// The descriptors of a running watcher thread.
struct LoopResources {
    /// `nil` when inotify is unavailable (or polling is forced): every directory is polled.
    var inotify: Int32?
    /// The pipe that wakes the thread; `nil` if none could be made, and the thread then looks at its
    /// watch list every poll interval instead.
    var wakeRead: Int32?
    var wakeWrite: Int32?
    var thread: pthread_t
}
