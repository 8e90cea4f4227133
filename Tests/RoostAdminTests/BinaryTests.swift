import Foundation
import RoostTesting
import Testing
@testable import RoostAdmin
#if canImport(Glibc)
import Glibc
#endif

/// The built `mailboxctl` executable, run as a subprocess: exit statuses as a shell sees them,
/// and what only a separate process may safely do (switching the effective uid).
@Suite("mailboxctl binary")
struct BinaryTests {
    /// `mailboxctl` next to the test bundle (`.build/<triple>/debug`), else `.build/debug` of the
    /// package this file belongs to. Missing is a failure: `swift build` makes it.
    static func binary() throws -> String {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().path + "/mailboxctl")
        }
        candidates.append(packageRoot + "/.build/debug/mailboxctl")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("mailboxctl not built; looked at \(candidates)")
        }
        return found
    }

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func run(_ arguments: [String], stdin: String = "") async throws -> Run {
        try await run(arguments, stdinBytes: Data(stdin.utf8))
    }

    /// `launcher`, if given, runs the binary: its first element is the program, the rest its
    /// arguments before the binary's path. Spawned with `posix_spawn` and waited for on a thread
    /// of its own (`ExternalTool`): Foundation's `Process` has crashed the parallel suite, and its
    /// blocking wait would hold one of Swift's cooperative threads from every other test.
    static func run(_ arguments: [String], stdinBytes: Data, launcher: [String] = []) async throws -> Run {
        let command = launcher + [try binary()] + arguments
        // A missing mailboxctl is reported by `binary()`; a launcher is setpriv.
        let result = try await ExternalTool.require(command[0], debianPackage: "util-linux")
            .run(Array(command.dropFirst()), input: Array(stdinBytes))
        guard !result.timedOut, !result.terminatedBySignal else { throw TestFailure("\(result)") }
        return Run(status: result.status, output: result.output, errors: result.errorOutput)
    }

    @Test func helpForEverySubcommand() async throws {
        for path in allCommandPaths {
            let result = try await Self.run(path + ["--help"])
            #expect(result.status == 0, "\(path)")
            #expect(result.output.contains("USAGE: mailboxctl"), "\(path)")
        }
    }

    @Test func exitStatuses() async throws {
        let environment = try AdminTestEnvironment()
        let config = ["--config", environment.configurationPath]
        #expect(try await Self.run(["bogus"]).status == 64)
        let added = try await Self.run(config + ["user", "add", "bob", "--password-stdin"], stdin: "pw\n")
        #expect(added.status == 0, "\(added.errors)")
        #expect(try await Self.run(config + ["user", "add", "bob", "--password-stdin"], stdin: "pw\n").status == 73)
        #expect(try await Self.run(config + ["user", "add", "Bob", "--password-stdin"], stdin: "pw\n").status == 65)
        let unknown = try await Self.run(config + ["user", "show", "nobody"])
        #expect(unknown.status == 67)
        #expect(unknown.errors == "mailboxctl: error: user nobody does not exist\n")
        #expect(try await Self.run(config + ["mailbox", "delete", "bob", "INBOX"]).status == 65)
        #expect(try await Self.run(config + ["mailbox", "status", "bob", "Nope"]).status == 66)

        try environment.write("bad.conf", "[mail]\nfsync = yes\nlocation =\n")
        let bad = try await Self.run(["config", "check", environment.path("bad.conf")])
        #expect(bad.status == 78)
        #expect(bad.errors.hasPrefix("mailboxctl: error: \(environment.path("bad.conf")):3: mail.location: "))
    }

    @Test func pwRoundTripAndNoTerminal() async throws {
        let made = try await Self.run(["pw", "-s", "SHA512-CRYPT", "--password-stdin"], stdin: "hunter2\n")
        #expect(made.status == 0, "\(made.errors)")
        let hash = made.output.trimmingCharacters(in: .newlines)
        #expect(hash.hasPrefix("{SHA512-CRYPT}$6$"))
        #expect(try await Self.run(["pw", "--test", hash, "--password-stdin"], stdin: "hunter2\n").status == 0)
        #expect(try await Self.run(["pw", "--test", hash, "--password-stdin"], stdin: "hunter3\n").status == 1)
    }

    /// As root, mail is created with the owner's ids, and the passwd-file stays root's.
    @Test(.enabled(if: geteuid() == 0, "needs root to switch ids"))
    func rootCreatesMailAsTheMailOwner() async throws {
        let environment = try AdminTestEnvironment()
        let nobody = try #require(getpwnam("nobody")).pointee
        try FileManager.default.createDirectory(atPath: environment.path("mail"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: environment.directory)
        let result = try await Self.run(["--config", environment.configurationPath, "user", "add", "bob", "--password-stdin",
                                         "--uid", "\(nobody.pw_uid)", "--gid", "\(nobody.pw_gid)"], stdin: "pw\n")
        #expect(result.status == 0, "\(result.errors)")
        let maildir = try FileManager.default.attributesOfItem(atPath: environment.maildir("bob") + "/cur")
        #expect((maildir[.ownerAccountID] as? NSNumber)?.uint32Value == nobody.pw_uid)
        #expect((maildir[.groupOwnerAccountID] as? NSNumber)?.uint32Value == nobody.pw_gid)
        let passwd = try FileManager.default.attributesOfItem(atPath: environment.passwdPath)
        #expect((passwd[.ownerAccountID] as? NSNumber)?.uint32Value == 0)
    }

    /// Bytes that are not UTF-8 are refused, not replaced by U+FFFD: the hash would be of a
    /// password nobody can type.
    @Test func passwordOnStandardInputMustBeUTF8() async throws {
        let result = try await Self.run(["pw", "-s", "PLAIN", "--password-stdin"], stdinBytes: Data([0x61, 0xFF, 0x62, 0x0A]))
        #expect(result.status == 65, "\(result.errors)")
        #expect(result.errors == "mailboxctl: error: the line read from standard input is not valid UTF-8\n")
        #expect(result.output.isEmpty)
        let long = try await Self.run(["pw", "-s", "PLAIN", "--password-stdin"],
                                      stdinBytes: Data(String(repeating: "a", count: 4097).utf8 + [0x0A]))
        #expect(long.status == 65)
        #expect(long.errors == "mailboxctl: error: the password on standard input is longer than 4096 bytes\n")
        let crlf = try await Self.run(["pw", "-s", "PLAIN", "--password-stdin"], stdinBytes: Data("h\u{e9}llo\r\n".utf8))
        #expect(crlf.output == "{PLAIN}h\u{e9}llo\n")
    }

    /// An environment whose directory the mail owner `nobody` can enter, with the user `bob`
    /// owned by `nobody`.
    static func nobodyEnvironment() throws -> (AdminTestEnvironment, passwd) {
        let environment = try AdminTestEnvironment()
        let nobody = try #require(getpwnam("nobody")).pointee
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: environment.directory)
        return (environment, nobody)
    }

    /// Root's own groups do not come along: in a directory only root's group may write, the mail
    /// owner is refused (with group 0 kept as a supplementary group it was let in). setpriv(1)
    /// starts the tool with group 0 in its supplementary list, as a login shell of root often has.
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root to switch ids, and setpriv(1)"))
    func mailOwnerDoesNotKeepRootsGroups() async throws {
        let (environment, nobody) = try Self.nobodyEnvironment()
        try FileManager.default.createDirectory(atPath: environment.path("mail"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o770])
        #expect(chown(environment.path("mail"), 0, 0) == 0)
        let result = try await Self.run(["--config", environment.configurationPath, "user", "add", "bob", "--password-stdin",
                                         "--uid", "\(nobody.pw_uid)", "--gid", "\(nobody.pw_gid)"],
                                        stdinBytes: Data("pw\n".utf8), launcher: ["/usr/bin/setpriv", "--groups", "0", "--"])
        #expect(result.status == AdminExitCode.noPermission.rawValue, "\(result.errors)")
        #expect(result.errors.contains("user bob was added, but its Maildir could not be set up"), "\(result.errors)")
        #expect(!environment.exists("mail/bob"))
    }

    /// When deleting fails (after the line is gone), the message names the directory and the
    /// reason in words, not a Foundation error number.
    @Test(.enabled(if: geteuid() == 0, "needs root to switch ids"))
    func failedRemovalIsReportedClearly() async throws {
        let (environment, nobody) = try Self.nobodyEnvironment()
        let config = ["--config", environment.configurationPath]
        let added = try await Self.run(config + ["user", "add", "bob", "--password-stdin", "--no-create-maildir",
                                                 "--uid", "\(nobody.pw_uid)", "--gid", "\(nobody.pw_gid)"], stdin: "pw\n")
        #expect(added.status == 0, "\(added.errors)")
        // Made by root, so the mail owner cannot delete it.
        for sub in ["cur", "new", "tmp"] { try environment.makeDirectory("mail/bob/" + sub) }
        try environment.write("mail/bob/cur/1.msg:2,", "x")
        let result = try await Self.run(config + ["user", "del", "bob", "--remove-mail"])
        #expect(result.status == AdminExitCode.noPermission.rawValue, "\(result.errors)")
        #expect(result.errors.hasPrefix("mailboxctl: error: user bob was deleted, but its Maildir \(environment.maildir("bob")) "
            + "could not be removed: "), "\(result.errors)")
        #expect(result.errors.lowercased().contains("could not be removed: permission denied"), "\(result.errors)")
        #expect(result.errors.hasSuffix("; remove the rest by hand\n"), "\(result.errors)")
        #expect(!result.errors.contains("NSCocoaErrorDomain"))
        #expect(result.output == "deleted user bob from \(environment.passwdPath)\n")
    }
}
