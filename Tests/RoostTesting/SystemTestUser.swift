import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away system account made with `useradd` and `chpasswd`, with a random name and
/// password, a home in a temporary directory and no login shell, made and removed by `with`.
/// For PAM tests with pam_unix, which CI runs as root.
public struct SystemTestUser: Sendable {
    public let name: String
    public let password: String
    public let uid: UInt32
    public let gid: UInt32
    public let home: String
    private let directory: String

    public static var isCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
    public static var canCreate: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd") }

    /// Runs `body` with a new account, deleted afterwards; fails (rather than skipping) when not
    /// root, for CI. Creating and deleting run on a thread of their own: useradd, chpasswd and
    /// userdel take seconds when several tests wait for /etc/passwd's lock, and on a test's task
    /// they would hold one of Swift's cooperative threads (two on a two-core machine), stalling
    /// every other test's tasks, the servers under test included (a POP3 greeting once waited
    /// more than 10 seconds for one in CI).
    public static func with<T>(_ body: (SystemTestUser) async throws -> T) async throws -> T {
        let user = try await onOwnThread { try create() }
        do {
            let result = try await body(user)
            try await onOwnThread { user.delete() }
            return result
        } catch {
            try? await onOwnThread { user.delete() }
            throw error
        }
    }

    private static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func create() throws -> SystemTestUser {
        try #require(getuid() == 0, "creating a system user needs root; CI runs the tests as root")
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        let name = "roostt\(suffix)"
        let password = "pw-" + UUID().uuidString
        let directory = FileManager.default.temporaryDirectory.path + "/roost-user-\(suffix)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let home = directory + "/home"
        // useradd fails while another process holds /etc/passwd's lock: retry for a while.
        var attempt = 0
        while true {
            let (status, output) = try run(["/usr/sbin/useradd", "--create-home", "--home-dir", home,
                                            "--shell", "/usr/sbin/nologin", name])
            if status == 0 { break }
            attempt += 1
            guard attempt < 20 else { throw Failure("useradd failed (\(status)): \(output)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let (status, output) = try run(["/usr/sbin/chpasswd"], input: "\(name):\(password)\n")
        guard status == 0 else {
            _ = try? run(["/usr/sbin/userdel", "--remove", name])
            throw Failure("chpasswd failed (\(status)): \(output)")
        }
        guard let account = getpwnam(name) else {
            _ = try? run(["/usr/sbin/userdel", "--remove", name])
            throw Failure("\(name) not found after useradd")
        }
        return SystemTestUser(name: name, password: password, uid: account.pointee.pw_uid, gid: account.pointee.pw_gid,
                              home: String(cString: account.pointee.pw_dir), directory: directory)
    }

    private func delete() {
        for _ in 0..<20 {
            if let (status, _) = try? Self.run(["/usr/sbin/userdel", "--remove", name]), status == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a command; returns its exit status and its output and errors together. Through
    /// posix_spawn (`ExternalTool`): Foundation's `Process.run` crashed here while the whole suite
    /// ran in parallel.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let tool = try ExternalTool.require(arguments[0], debianPackage: "passwd")
        let result = try tool.runBlocking(Array(arguments.dropFirst()), input: Array((input ?? "").utf8))
        return (result.status, result.output + String(decoding: result.standardError, as: UTF8.self))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
