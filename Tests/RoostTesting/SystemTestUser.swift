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
    /// root, for CI. Creating and deleting go through `serially`, as `modify` does.
    public static func with<T>(_ body: (SystemTestUser) async throws -> T) async throws -> T {
        try #require(getuid() == 0, "creating a system user needs root; CI runs the tests as root")
        let user = try await serially { try create() }
        do {
            let result = try await body(user)
            try await serially { user.delete() }
            return result
        } catch {
            try? await serially { user.delete() }
            throw error
        }
    }

    /// Runs a command that changes an account (`usermod`, `chage`, ...) through `serially`, with
    /// the retries of `runRetrying`; throws with its output if it still fails.
    public static func modify(_ arguments: [String]) async throws {
        try await serially { try runRetrying(arguments) }
    }

    /// One account change at a time in this process (PAM, passdb and roostd tests run in parallel),
    /// on the queue's own thread. useradd, chpasswd, usermod, chage and userdel lock /etc/passwd and
    /// /etc/shadow, and wait seconds for, or fail on, a lock another holds; and waiting on a test's
    /// task would hold one of Swift's cooperative threads (two on a two-core machine), stalling every
    /// other test's tasks, the servers under test included (a POP3 greeting once waited more than
    /// 10 seconds for one in CI).
    private static let accountChanges = DispatchQueue(label: "SystemTestUser.accountChanges")

    private static func serially<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            accountChanges.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func create() throws -> SystemTestUser {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        let name = "roostt\(suffix)"
        let password = "pw-" + UUID().uuidString
        let directory = FileManager.default.temporaryDirectory.path + "/roost-user-\(suffix)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let home = directory + "/home"
        try runRetrying(["/usr/sbin/useradd", "--create-home", "--home-dir", home, "--shell", "/usr/sbin/nologin", name])
        do {
            try runRetrying(["/usr/sbin/chpasswd"], input: "\(name):\(password)\n")
            guard let account = getpwnam(name) else { throw Failure("\(name) not found after useradd") }
            return SystemTestUser(name: name, password: password, uid: account.pointee.pw_uid, gid: account.pointee.pw_gid,
                                  home: String(cString: account.pointee.pw_dir), directory: directory)
        } catch {
            try? runRetrying(["/usr/sbin/userdel", "--remove", name])
            throw error
        }
    }

    private func delete() {
        try? Self.runRetrying(["/usr/sbin/userdel", "--remove", name])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs an account command, again while it fails for up to two seconds: another process (a
    /// second test run, an administrator) may hold the lock of /etc/passwd or /etc/shadow.
    private static func runRetrying(_ arguments: [String], input: String? = nil) throws {
        var attempt = 0
        while true {
            let (status, output) = try run(arguments, input: input)
            if status == 0 { return }
            attempt += 1
            guard attempt < 20 else { throw Failure("\(arguments.joined(separator: " ")) failed (\(status)): \(output)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Runs a command; returns its exit status and its output and errors together. Through
    /// posix_spawn (`ExternalTool`): Foundation's `Process.run` crashed here while the whole suite
    /// ran in parallel.
    private static func run(_ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let tool = try ExternalTool.require(arguments[0], debianPackage: "passwd")
        let result = try tool.runBlocking(Array(arguments.dropFirst()), input: Array((input ?? "").utf8))
        return (result.status, result.output + String(decoding: result.standardError, as: UTF8.self))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
