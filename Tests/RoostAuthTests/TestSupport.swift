import Foundation
import Logging
@testable import RoostAuth

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ContinuousClock.now

    func advance(by duration: Duration) {
        lock.withLock { current = current + duration }
    }

    var authClock: AuthClock {
        AuthClock { [self] in lock.withLock { current } }
    }
}

/// A temporary directory removed when the value is deinitialised.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/roost-auth-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: file(name))), as: UTF8.self)
    }

    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// Collects log records for assertions.
final class LogCapture: @unchecked Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lock = NSLock()
    private var stored: [Record] = []

    var records: [Record] { lock.withLock { stored } }

    func append(_ record: Record) {
        lock.withLock { stored.append(record) }
    }

    func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in CaptureHandler(capture: self) }
    }

    private struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            event.metadata?.forEach { merged[$0.key] = $0.value }
            capture.append(Record(
                level: event.level, message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }
            ))
        }
    }
}

/// A passdb held in memory, with an optional failure to simulate an unavailable backend.
struct MemoryPassDB: PassDB {
    var entries: [String: PassDBEntry]
    var failure: (any Error & Sendable)?

    init(_ entries: [PassDBEntry], failure: (any Error & Sendable)? = nil) {
        self.entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.user, $0) })
        self.failure = failure
    }

    func lookup(user: String) async throws -> PassDBEntry? {
        if let failure { throw failure }
        return entries[user]
    }

    func canServeCRAMMD5() async -> Bool {
        let stored = entries.values.compactMap { try? $0.parsedPassword() }
        return !stored.isEmpty && stored.allSatisfy(\.canServeCRAMMD5)
    }

    func canServeAPOP() async -> Bool {
        let stored = entries.values.compactMap { try? $0.parsedPassword() }
        return !stored.isEmpty && stored.allSatisfy(\.canServePlaintext)
    }
}

struct SimulatedBackendError: Error, Sendable {}

/// Blocks a pool thread until opened, so a test can fill the pool's queue behind it.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false
    private var waiting = false

    var isWaiting: Bool { condition.withLock { waiting } }

    func wait() {
        condition.lock()
        waiting = true
        while !opened { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A value shared with `@Sendable` closures, behind a lock.
final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A thread-safe boolean.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
    func clear() { lock.withLock { value = false } }
}

/// Rows of Fixtures/template-syntax.tsv: templates and whether they are valid, shared with the
/// RoostConfig tests (which read the same file) so both template checkers agree.
enum TemplateSyntaxFixture {
    static let rows: [(valid: Bool, template: String)] = {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = try? Data(contentsOf: directory.appendingPathComponent("template-syntax.tsv"))
        else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let columns = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard columns.count == 2 else { return nil }
            return (columns[0] == "valid", String(columns[1]))
        }
    }()
}
