import Foundation
@testable import RoostStorage

/// A temporary directory removed when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("roost-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A fresh, empty Maildir in a temporary directory, for suites that play several processes on it.
protocol TemporaryMaildirSuite {
    var temp: TemporaryDirectory { get }
}

extension TemporaryMaildirSuite {
    var root: String { temp.path + "/mail" }

    static func makeMaildir() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory()
        try MailStore(root: temp.path + "/mail", options: fastOptions()).createIfNeeded()
        return temp
    }

    /// A new, unshared view of INBOX: what another process opening it would have.
    func inbox() throws -> MaildirFolder {
        try MailStore(root: root, options: fastOptions()).makeFolder(.inbox)
    }
}

enum Fixtures {
    /// The fixture directory, found from this source file so that dot-directories (Maildir++ folders)
    /// are read as committed rather than through resource bundling.
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// A private copy of the Maildir that Dovecot wrote.
    static func dovecotMaildir(in temp: TemporaryDirectory) throws -> String {
        let target = temp.path + "/alice"
        try FileManager.default.copyItem(atPath: directory + "/dovecot-maildir", toPath: target)
        return target
    }
}

func fastOptions(indexDirectory: String? = nil) -> StorageOptions {
    StorageOptions(fsync: false, indexDirectory: indexDirectory, indexWriteInterval: 0)
}

func message(_ subject: String, body: String = "Hello.\n") -> [UInt8] {
    Array("From: a@example.org\nTo: b@example.org\nSubject: \(subject)\n\n\(body)".utf8)
}

/// Writes a file into `new/` the way an MTA delivers: tmp/, then rename.
func deliver(_ bytes: [UInt8], into folderPath: String, name: String = "\(Int(Date().timeIntervalSince1970)).M\(Int.random(in: 0..<1_000_000))P\(getpid())Q\(UUID().uuidString.prefix(8)).test") throws {
    let tmp = folderPath + "/tmp/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: tmp))
    try FileManager.default.moveItem(atPath: tmp, toPath: folderPath + "/new/" + name)
}

/// Sets a directory's mtime into the past, so the next listing counts as settled.
func ageDirectory(_ path: String, seconds: Int = 60) {
    var times = [timespec(tv_sec: Int(Date().timeIntervalSince1970) - seconds, tv_nsec: 0),
                 timespec(tv_sec: Int(Date().timeIntervalSince1970) - seconds, tv_nsec: 0)]
    utimensat(AT_FDCWD, path, &times, 0)
}

func setMtime(_ path: String, nanoseconds: Int64) {
    var times = [timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000)),
                 timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))]
    utimensat(AT_FDCWD, path, &times, 0)
}

/// Runs `work` on a thread of its own and waits for it without holding one of Swift's cooperative
/// threads: for loops of blocking file I/O that would otherwise starve other tests' tasks.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
