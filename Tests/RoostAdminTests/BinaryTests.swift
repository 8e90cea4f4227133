import Foundation
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

    static func run(_ arguments: [String], stdin: String = "") throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                   errors: String(decoding: err, as: UTF8.self))
    }

    @Test func helpForEverySubcommand() throws {
        for path in allCommandPaths {
            let result = try Self.run(path + ["--help"])
            #expect(result.status == 0, "\(path)")
            #expect(result.output.contains("USAGE: mailboxctl"), "\(path)")
        }
    }

    @Test func exitStatuses() throws {
        let environment = try AdminTestEnvironment()
        let config = ["--config", environment.configurationPath]
        #expect(try Self.run(["bogus"]).status == 64)
        let added = try Self.run(config + ["user", "add", "bob", "--password-stdin"], stdin: "pw\n")
        #expect(added.status == 0, "\(added.errors)")
        #expect(try Self.run(config + ["user", "add", "bob", "--password-stdin"], stdin: "pw\n").status == 73)
        #expect(try Self.run(config + ["user", "add", "Bob", "--password-stdin"], stdin: "pw\n").status == 65)
        let unknown = try Self.run(config + ["user", "show", "nobody"])
        #expect(unknown.status == 67)
        #expect(unknown.errors == "mailboxctl: error: user nobody does not exist\n")
        #expect(try Self.run(config + ["mailbox", "delete", "bob", "INBOX"]).status == 65)
        #expect(try Self.run(config + ["mailbox", "status", "bob", "Nope"]).status == 66)

        try environment.write("bad.conf", "[mail]\nfsync = yes\nlocation =\n")
        let bad = try Self.run(["config", "check", environment.path("bad.conf")])
        #expect(bad.status == 78)
        #expect(bad.errors.hasPrefix("mailboxctl: error: \(environment.path("bad.conf")):3: mail.location: "))
    }

    @Test func pwRoundTripAndNoTerminal() throws {
        let made = try Self.run(["pw", "-s", "SHA512-CRYPT", "--password-stdin"], stdin: "hunter2\n")
        #expect(made.status == 0, "\(made.errors)")
        let hash = made.output.trimmingCharacters(in: .newlines)
        #expect(hash.hasPrefix("{SHA512-CRYPT}$6$"))
        #expect(try Self.run(["pw", "--test", hash, "--password-stdin"], stdin: "hunter2\n").status == 0)
        #expect(try Self.run(["pw", "--test", hash, "--password-stdin"], stdin: "hunter3\n").status == 1)
    }

    /// As root, mail is created with the owner's ids, and the passwd-file stays root's.
    @Test(.enabled(if: geteuid() == 0, "needs root to switch ids"))
    func rootCreatesMailAsTheMailOwner() throws {
        let environment = try AdminTestEnvironment()
        let nobody = try #require(getpwnam("nobody")).pointee
        try FileManager.default.createDirectory(atPath: environment.path("mail"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: environment.directory)
        let result = try Self.run(["--config", environment.configurationPath, "user", "add", "bob", "--password-stdin",
                                   "--uid", "\(nobody.pw_uid)", "--gid", "\(nobody.pw_gid)"], stdin: "pw\n")
        #expect(result.status == 0, "\(result.errors)")
        let maildir = try FileManager.default.attributesOfItem(atPath: environment.maildir("bob") + "/cur")
        #expect((maildir[.ownerAccountID] as? NSNumber)?.uint32Value == nobody.pw_uid)
        #expect((maildir[.groupOwnerAccountID] as? NSNumber)?.uint32Value == nobody.pw_gid)
        let passwd = try FileManager.default.attributesOfItem(atPath: environment.passwdPath)
        #expect((passwd[.ownerAccountID] as? NSNumber)?.uint32Value == 0)
    }
}
