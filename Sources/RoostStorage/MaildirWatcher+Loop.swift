#if canImport(Glibc)
import Glibc
#endif

/// What the watcher thread does next, decided under the lock.
enum WatcherLoopStep {
    /// No folder is watched any more: close these descriptors and end the thread.
    case exit(LoopResources?)
    case wait(WatcherLoopWait)
}

/// What the watcher thread waits for in one round.
struct WatcherLoopWait {
    var inotify: Int32?
    var wakeRead: Int32?
    /// Some directory is polled, so the thread must wake every poll interval.
    var polling: Bool
    /// When the earliest folder with an unreported change may be reported.
    var reportDeadline: ContinuousClock.Instant?
}

extension MaildirWatcher {
    /// Makes the thread's descriptors and starts it. Called under the lock when the first watch comes;
    /// the thread's first round waits for that lock, so it sees the watch. Nil when no thread can be
    /// started (a process or cgroup thread limit): watches then report nothing until a later
    /// `watch` starts the thread, and sessions still see changes at their own commands.
    func startLoop(in s: inout WatcherState) -> LoopResources? {
        var inotify: Int32?
        if !forcePolling {
            let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            if fd >= 0 {
                inotify = fd
            } else {
                // EMFILE: fs.inotify.max_user_instances reached; ENOSYS: a kernel without inotify.
                logFallbackOnce("cannot make an inotify instance (\(String(cString: strerror(errno)))); polling Maildirs every \(pollInterval)", in: &s)
            }
        }
        var ends: [Int32] = [-1, -1]
        var wakeRead: Int32?
        var wakeWrite: Int32?
        // pipe2 is not visible to Swift, so close-on-exec follows at once (a fork in between would leak it).
        if pipe(&ends) == 0 {
            for fd in ends {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            }
            wakeRead = ends[0]
            wakeWrite = ends[1]
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let watcher = Unmanaged<MaildirWatcher>.fromOpaque(context).takeRetainedValue()
            watcher.runLoop()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<MaildirWatcher>.fromOpaque(context).release()
            for fd in [inotify, wakeRead, wakeWrite].compactMap({ $0 }) { POSIX.close(fd) }
            logger.error("cannot start the Maildir watcher thread: \(String(cString: strerror(result))); IDLE reports changes late")
            return nil
        }
        pthread_detach(thread)
        return LoopResources(inotify: inotify, wakeRead: wakeRead, wakeWrite: wakeWrite, thread: thread)
    }

    /// The watcher thread: waits in `poll(2)` for inotify events, a wake-up or the next deadline (a poll
    /// round, a coalesced report), then reports what changed. It ends when no folder is watched.
    func runLoop() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024,
                                                            alignment: MemoryLayout<inotify_event>.alignment)
        defer { buffer.deallocate() }
        var nextPoll: ContinuousClock.Instant?
        while true {
            let now = clock.now
            let step = state.withLock { s in nextStep(&s, now: now) }
            guard case .wait(let wait) = step else {
                if case .exit(let resources?) = step {
                    for fd in [resources.inotify, resources.wakeRead, resources.wakeWrite].compactMap({ $0 }) {
                        POSIX.close(fd)
                    }
                }
                return
            }
            if wait.polling {
                if nextPoll == nil { nextPoll = now + pollInterval }
            } else {
                nextPoll = nil
            }
            var deadline = [nextPoll, wait.reportDeadline].compactMap { $0 }.min()
            if wait.wakeRead == nil {
                // Without a wake-up pipe, new and cancelled watches are noticed at the next round.
                deadline = min(deadline ?? now + pollInterval, now + pollInterval)
            }
            var descriptors: [pollfd] = []
            if let fd = wait.inotify { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if let fd = wait.wakeRead { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let timeout = deadline.map { Self.milliseconds(from: now, to: $0) } ?? -1
            if poll(&descriptors, nfds_t(descriptors.count), timeout) < 0, case let code = errno, code != EINTR {
                // ENOMEM: wait a round rather than spin; the descriptors are looked at again after it.
                logger.error("poll failed in the Maildir watcher: \(String(cString: strerror(code)))")
                Self.sleep(pollInterval)
            }
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == wait.inotify {
                    readEvents(entry.fd, into: buffer)
                } else {
                    // Wake-up bytes carry no meaning; the next round reads the watch list.
                    while Glibc.read(entry.fd, buffer.baseAddress, buffer.count) > 0 {}
                }
            }
            if let due = nextPoll, clock.now >= due {
                pollDirectories()
                nextPoll = clock.now + pollInterval
            }
            reportDueChanges()
        }
    }

    /// Counts the round and decides what to wait for, or to end the thread.
    func nextStep(_ s: inout WatcherState, now: ContinuousClock.Instant) -> WatcherLoopStep {
        s.loopIterations += 1
        if s.folders.isEmpty {
            defer { s.loop = nil }
            return .exit(s.loop)
        }
        guard let loop = s.loop else { return .exit(nil) }
        var reportDeadline: ContinuousClock.Instant?
        for path in s.pending {
            let due = s.folders[path]?.lastReport.map { $0 + Self.coalescingInterval } ?? now
            reportDeadline = min(reportDeadline ?? due, due)
        }
        return .wait(WatcherLoopWait(inotify: loop.inotify, wakeRead: loop.wakeRead, polling: !s.polled.isEmpty,
                                     reportDeadline: reportDeadline))
    }

    /// Reads every queued inotify event (the descriptor is non-blocking) and applies them.
    func readEvents(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) {
        let header = MemoryLayout<inotify_event>.size
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }  // EAGAIN: all read
            var events: [InotifyEvent] = []
            var offset = 0
            // inotify(7): each event is `struct inotify_event` followed by `len` bytes of name.
            while offset + header <= count {
                let event = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                events.append(InotifyEvent(descriptor: event.wd, mask: event.mask))
                offset += header + Int(event.len)
            }
            state.withLock { s in apply(events, to: &s) }
        }
    }

    /// Calls the subscribers of every folder whose change is due: at once for the first change, then
    /// at most once per `coalescingInterval`.
    func reportDueChanges() {
        let now = clock.now
        let due = state.withLock { s in
            var due: [(path: String, subscribers: [(UInt64, @Sendable () -> Void)])] = []
            var waiting: Set<String> = []
            for path in s.pending {
                guard let folder = s.folders[path] else { continue }
                if let last = folder.lastReport, now < last + Self.coalescingInterval {
                    waiting.insert(path)
                    continue
                }
                s.folders[path]?.lastReport = now
                due.append((path, folder.subscribers.map { ($0.key, $0.value) }))
            }
            s.pending = waiting
            return due
        }
        guard !due.isEmpty else { return }
        deliveryLock.withLock { _ in
            for (path, subscribers) in due {
                for (id, onChange) in subscribers {
                    // Cancelled since the list was taken: cancel has returned or waits for this lock.
                    guard state.withLock({ $0.folders[path]?.subscribers[id] != nil }) else { continue }
                    onChange()
                }
            }
        }
    }

    /// A `poll(2)` timeout: whole milliseconds from `now` until `deadline`, rounded up.
    static func milliseconds(from now: ContinuousClock.Instant, to deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        _ = nanosleep(&request, nil)
    }
}
