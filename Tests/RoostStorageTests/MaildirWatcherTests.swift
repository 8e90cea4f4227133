import Foundation
import Synchronization
import Testing
@testable import RoostStorage

/// Another process (Postfix delivering, a mail client flagging or expunging) changes a folder while a
/// session waits in IDLE: the watcher must say so within a second, with inotify and with the polling
/// fallback, and must stay quiet and cheap otherwise.
@Suite struct MaildirWatcherTests {
    /// The two ways a directory is watched. Both watchers poll every 100 ms, so that the fallback (and
    /// inotify's return to a directory made again) shows within the tests' waits.
    enum Mode: CaseIterable, CustomTestStringConvertible {
        case inotify, polling

        var testDescription: String { self == .inotify ? "inotify" : "polling" }

        func makeWatcher() -> MaildirWatcher {
            MaildirWatcher(pollInterval: .milliseconds(100), logger: .init(label: "test"), forcePolling: self == .polling)
        }
    }

    let temp: TemporaryDirectory
    let folder: String

    init() throws {
        temp = try TemporaryDirectory()
        folder = temp.path + "/Maildir"
        try makeFolderDirectories()
    }

    func makeFolderDirectories() throws {
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        settle()
    }

    /// Puts the directories' mtimes in the past, as on a folder nobody touched for a while, so that the
    /// polling fallback has no recent change to report twice.
    func settle() {
        ageDirectory(folder + "/new")
        ageDirectory(folder + "/cur")
    }

    /// A message in `cur/` with no flags, as a session's sync leaves it.
    func placeInCur(_ name: String) throws {
        try Data(message("old")).write(to: URL(fileURLWithPath: folder + "/tmp/" + name))
        try FileManager.default.moveItem(atPath: folder + "/tmp/" + name, toPath: folder + "/cur/" + name + ":2,")
    }

    // MARK: - Changes are reported

    @Test(arguments: Mode.allCases)
    func deliveryIntoNewIsReportedWellWithinASecond(mode: Mode) async throws {
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        var latencies: [Duration] = []
        for n in 1...5 {
            let start = ContinuousClock.now
            try deliver(message("delivery \(n)"), into: folder)
            let reported = try #require(await recorder.firstCall(after: start))
            latencies.append(reported - start)
            // Past the coalescing interval, so that each delivery is a first change again.
            try await Task.sleep(for: .milliseconds(250))
        }
        let sorted = latencies.sorted()
        print("MaildirWatcher \(mode.testDescription): delivery reported after median \(sorted[2]), max \(sorted[4])")
        #expect(sorted[4] < .seconds(5))
    }

    @Test(arguments: Mode.allCases)
    func flagRenameInCurIsReported(mode: Mode) async throws {
        try placeInCur("1700000000.M1P1.host")
        settle()
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        try FileManager.default.moveItem(atPath: folder + "/cur/1700000000.M1P1.host:2,",
                                         toPath: folder + "/cur/1700000000.M1P1.host:2,S")
        #expect(await recorder.waitForCalls(1))
    }

    @Test(arguments: Mode.allCases)
    func expungeInCurIsReported(mode: Mode) async throws {
        try placeInCur("1700000000.M2P1.host")
        settle()
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        try FileManager.default.removeItem(atPath: folder + "/cur/1700000000.M2P1.host:2,")
        #expect(await recorder.waitForCalls(1))
    }

    @Test(arguments: Mode.allCases)
    func aQuietFolderGivesNoCalls(mode: Mode) async throws {
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        try FileManager.default.createDirectory(atPath: temp.path + "/elsewhere", withIntermediateDirectories: true)
        try Data("not mail".utf8).write(to: URL(fileURLWithPath: folder + "/tmp/being-written"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(recorder.count == 0)
    }

    // MARK: - Coalescing and sharing

    @Test func aBurstOf300DeliveriesGivesAFewCalls() async throws {
        let watcher = Mode.inotify.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        let names = (0..<300).map { "1700000000.M\($0)P2.host" }
        for name in names { try Data(message(name)).write(to: URL(fileURLWithPath: folder + "/tmp/" + name)) }
        for name in names { #expect(rename(folder + "/tmp/" + name, folder + "/new/" + name) == 0) }
        #expect(await recorder.waitForCalls(1))
        try await Task.sleep(for: .milliseconds(500))
        print("MaildirWatcher: 300 renames into new/ gave \(recorder.count) calls")
        #expect(recorder.count >= 1 && recorder.count <= 30)
    }

    @Test func pollingReportsOneDeliveryAtMostTwice() async throws {
        let watcher = Mode.polling.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        try deliver(message("once"), into: folder)
        #expect(await recorder.waitForCalls(1))
        // Five more poll rounds: at most the one extra report for the tick the change fell in.
        try await Task.sleep(for: .milliseconds(500))
        #expect(recorder.count <= 2)
    }

    @Test func twoWatchesOfOneFolderShareItsInotifyWatches() async throws {
        let watcher = Mode.inotify.makeWatcher()
        let first = ChangeRecorder()
        let second = ChangeRecorder()
        let firstWatch = watcher.watch(folderPath: folder, onChange: first.onChange)
        let secondWatch = watcher.watch(folderPath: folder, onChange: second.onChange)
        #expect(watcher.inotifyWatchCount == 2)  // new/ and cur/, once
        try deliver(message("to both"), into: folder)
        #expect(await first.waitForCalls(1))
        #expect(await second.waitForCalls(1))

        firstWatch.cancel()
        #expect(watcher.inotifyWatchCount == 2)
        try await Task.sleep(for: .milliseconds(150))
        try deliver(message("to the second"), into: folder)
        #expect(await second.waitForCalls(2))
        try await Task.sleep(for: .milliseconds(200))
        #expect(first.count == 1)

        secondWatch.cancel()
        #expect(watcher.inotifyWatchCount == 0)
    }

    // MARK: - Cancelling

    @Test(arguments: Mode.allCases)
    func cancelStopsCallsAndTheThreadEnds(mode: Mode) async throws {
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        try deliver(message("before"), into: folder)
        #expect(await recorder.waitForCalls(1))
        watch.cancel()
        watch.cancel()
        let callsAtCancel = recorder.count
        try deliver(message("after"), into: folder)
        try await Task.sleep(for: .milliseconds(400))
        #expect(recorder.count == callsAtCancel)
        #expect(await eventually { !watcher.isRunning })
    }

    @Test func releasingTheWatchCancelsIt() async throws {
        let watcher = Mode.inotify.makeWatcher()
        let recorder = ChangeRecorder()
        var watch: MaildirWatch? = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        #expect(watch != nil)
        watch = nil
        try deliver(message("nobody listens"), into: folder)
        try await Task.sleep(for: .milliseconds(300))
        #expect(recorder.count == 0)
        #expect(await eventually { !watcher.isRunning })
    }

    @Test func cancelInsideOnChangeEndsTheWatchWithoutDeadlock() async throws {
        let watcher = Mode.inotify.makeWatcher()
        let recorder = ChangeRecorder()
        let slot = Shared<MaildirWatch?>(nil)
        let watch = watcher.watch(folderPath: folder) {
            recorder.onChange()
            slot.value?.cancel()
        }
        slot.value = watch
        try deliver(message("first"), into: folder)
        #expect(await recorder.waitForCalls(1))
        try await Task.sleep(for: .milliseconds(150))
        try deliver(message("second"), into: folder)
        try await Task.sleep(for: .milliseconds(300))
        #expect(recorder.count == 1)
        #expect(await eventually { !watcher.isRunning })
        slot.value = nil
    }

    @Test func noCallStartsAfterCancelReturns() async throws {
        try placeInCur("1700000000.M3P1.host")
        let watcher = Mode.inotify.makeWatcher()
        let cancelled = Shared(false)
        let callsAfterCancel = Shared(0)
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder) {
            recorder.onChange()
            if cancelled.value { callsAfterCancel.value += 1 }
        }
        // Another process flags and unflags the message as fast as it can.
        let stop = Shared(false)
        let base = folder + "/cur/1700000000.M3P1.host"
        let flipper = Thread {
            var flagged = false
            while !stop.value {
                _ = rename(base + (flagged ? ":2,S" : ":2,"), base + (flagged ? ":2," : ":2,S"))
                flagged.toggle()
            }
        }
        flipper.start()
        #expect(await recorder.waitForCalls(2))
        watch.cancel()
        cancelled.value = true
        try await Task.sleep(for: .milliseconds(300))
        stop.value = true
        #expect(callsAfterCancel.value == 0)
    }

    // MARK: - Directories that come and go

    @Test(arguments: Mode.allCases)
    func aRemovedFolderNeitherCrashesNorSpinsAndIsWatchedAgainWhenMade(mode: Mode) async throws {
        let watcher = mode.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: folder, onChange: recorder.onChange)
        defer { watch.cancel() }
        try FileManager.default.removeItem(atPath: folder)
        #expect(await recorder.waitForCalls(1))
        // The removal may be reported again, a coalescing interval or a poll round after the first
        // call: wait until the watcher has taken it all in (both directories polled and missing,
        // nothing left to report) and its last report has reached the recorder (which stamps each
        // call after the report's time).
        #expect(await eventually {
            let (settled, lastReport) = watcher.state.withLock { s in
                (s.pending.isEmpty && s.polled.count == MaildirWatcher.subdirectories.count
                    && s.polled.values.allSatisfy { $0.stamp == nil }, s.folders[folder]?.lastReport)
            }
            guard settled, let lastReport, let lastCall = recorder.lastCall else { return false }
            return lastCall >= lastReport
        })

        let thread = try #require(watcher.state.withLock { $0.loop?.thread })
        let cpuBefore = try threadCPUTime(thread)
        let callsBefore = recorder.count
        let roundsBefore = watcher.loopIterations
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(1))
        let elapsed = ContinuousClock.now - started
        let cpu = try threadCPUTime(thread) - cpuBefore
        let rounds = watcher.loopIterations - roundsBefore
        print("MaildirWatcher \(mode.testDescription): removed folder, \(elapsed): \(rounds) rounds, \(cpu) CPU")
        #expect(recorder.count == callsBefore)
        // One per 100 ms poll round, twice that for room; a loaded machine may sleep longer than 1 s.
        #expect(rounds <= Int(elapsed / .milliseconds(100)) * 2 + 2)
        #expect(cpu < .milliseconds(50))

        try makeFolderDirectories()
        try deliver(message("into the new folder"), into: folder)
        #expect(await recorder.waitForCalls(callsBefore + 1))
        if mode == .inotify {
            #expect(await eventually { watcher.inotifyWatchCount == 2 })
            let calls = recorder.count
            try await Task.sleep(for: .milliseconds(150))
            try deliver(message("seen by inotify again"), into: folder)
            #expect(await recorder.waitForCalls(calls + 1))
        }
    }

    @Test func aFolderThatDoesNotExistYetIsWatchedOnceMade() async throws {
        let later = temp.path + "/Later"
        let watcher = Mode.inotify.makeWatcher()
        let recorder = ChangeRecorder()
        let watch = watcher.watch(folderPath: later, onChange: recorder.onChange)
        defer { watch.cancel() }
        #expect(watcher.inotifyWatchCount == 0)
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: later + "/" + sub, withIntermediateDirectories: true)
        }
        try deliver(message("first mail"), into: later)
        #expect(await recorder.waitForCalls(1))
        #expect(await eventually { watcher.inotifyWatchCount == 2 })
    }
}

/// A value shared between a test and the threads it starts.
private final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}

/// Counts a watch's calls and when they came.
private final class ChangeRecorder: Sendable {
    private let times = Mutex<[ContinuousClock.Instant]>([])

    var onChange: @Sendable () -> Void {
        { [self] in times.withLock { $0.append(.now) } }
    }

    var count: Int { times.withLock { $0.count } }

    /// When the latest call came.
    var lastCall: ContinuousClock.Instant? { times.withLock { $0.last } }

    /// Waits up to `timeout` for at least `count` calls in all.
    func waitForCalls(_ count: Int, timeout: Duration = .seconds(5)) async -> Bool {
        await eventually(timeout: timeout) { self.count >= count }
    }

    /// The first call at or after `start`, waiting up to `timeout` for it.
    func firstCall(after start: ContinuousClock.Instant, timeout: Duration = .seconds(5)) async -> ContinuousClock.Instant? {
        var found: ContinuousClock.Instant?
        _ = await eventually(timeout: timeout) {
            found = self.times.withLock { $0.first { $0 >= start } }
            return found != nil
        }
        return found
    }
}

/// Checks `condition` every few milliseconds until it holds or `timeout` passes.
private func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}

/// The CPU time a thread has used so far.
private func threadCPUTime(_ thread: pthread_t) throws -> Duration {
    var clock = clockid_t()
    try #require(pthread_getcpuclockid(thread, &clock) == 0)
    var ts = timespec()
    try #require(clock_gettime(clock, &ts) == 0)
    return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
}
