import Foundation
import RoostTesting
import Testing

/// getmail6 against the real server: SimplePOP3Retriever (plain port; getmail6 has no STLS) and
/// SimplePOP3SSLRetriever (POP3S), keeping or deleting, into a Maildir destination.
///
/// getmail6 sends USER/PASS without CAPA, tracks UIDL names in its `oldmail-*` file in the
/// `--getmaildir`, writes LF line ends, and puts Return-Path, Delivered-To and Received on top.
/// As root it refuses to deliver into a Maildir ("refuse to deliver mail as root") unless the
/// destination names a `user` to deliver as: then the tests deliver as `nobody`.
@Suite struct Getmail6Tests {
    @Test(arguments: [Transport.plain, .pop3s], [false, true])
    func retrieve(transport: Transport, delete: Bool) async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let destination = try Self.makeDestination(in: directory)
                let result = try await getmail(server: server, directory: directory, transport: transport, delete: delete, readAll: true)
                #expect(result.succeeded, "\(result)")

                let delivered = try fileContents(in: destination + "/new")
                #expect(delivered.count == 3, "\(result)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2], "\(delivered)")
                #expect(delivered.allSatisfy { $0.contains("\nReceived: from 127.0.0.1") || $0.contains("\nReceived: from localhost") }, "\(delivered)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: destination + "/tmp").isEmpty)

                if delete {
                    #expect(server.messageFiles(of: "alice") == [], "\(result)")
                } else {
                    #expect(try server.messageContentsCRLF() == InteropMail.allCRLF.sorted(), "\(result)")
                }
            }
        }
    }

    /// With `read_all = false` getmail6 fetches only UIDL names it has not seen: the names must be
    /// stable from one session to the next, and a message that arrives in between is the only new one.
    @Test func readOnlyNewMessagesByUIDL() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", InteropMail.dotted)
            try server.deliver(to: "alice", InteropMail.bareLF)
            try await withClientDirectory { directory in
                let destination = try Self.makeDestination(in: directory)
                let first = try await getmail(server: server, directory: directory, transport: .plain, delete: false, readAll: false)
                #expect(first.succeeded, "\(first)")
                #expect(try fileContents(in: destination + "/new").count == 2, "\(first)")

                try server.deliver(to: "alice", InteropMail.short)
                let second = try await getmail(server: server, directory: directory, transport: .plain, delete: false, readAll: false)
                #expect(second.succeeded, "\(second)")
                let delivered = try fileContents(in: destination + "/new")
                #expect(delivered.count == 3, "\(second)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2])

                let third = try await getmail(server: server, directory: directory, transport: .plain, delete: false, readAll: false)
                #expect(third.succeeded, "\(third)")
                #expect(try fileContents(in: destination + "/new").count == 3, "\(third)")
                #expect(server.messageFiles(of: "alice").count == 3)
            }
        }
    }

    // MARK: Helpers

    /// getmail6 before the rewrite that followed its issues #226 and #245 (Debian 12 ships 6.18.11)
    /// installs its SIGCHLD handler only after `fork()`, and waits on a Condition that misses a
    /// notify sent before the wait starts: when the Maildir delivery child exits quickly (small
    /// messages, a busy machine) getmail waits out its timeout and fails with "waiting child pid N
    /// timed out". That is getmail's local process handling, not POP3, so the tests run getmail with
    /// a plain `waitpid` in place of that wait; the POP3 session and the delivery are getmail's own.
    /// Versions without `_prepare_child` (the fixed ones) run unchanged.
    static let childWaitFix = #"""
        import os, runpy, sys
        from getmailcore import baseclasses
        from getmailcore.exceptions import getmailOperationError

        def _prepare_child(self):
            pass

        def _wait_for_child(self, childpid):
            pid, status = os.waitpid(childpid, 0)
            if os.WIFSIGNALED(status):
                raise getmailOperationError("child pid %d killed by signal %d" % (pid, os.WTERMSIG(status)))
            if not os.WIFEXITED(status):
                raise getmailOperationError("child pid %d failed to exit" % pid)
            return os.WEXITSTATUS(status)

        if hasattr(baseclasses.ForkingBase, "_prepare_child"):
            baseclasses.ForkingBase._prepare_child = _prepare_child
            baseclasses.ForkingBase._wait_for_child = _wait_for_child
        script = sys.argv[1]
        sys.argv = sys.argv[1:]
        runpy.run_path(script, run_name="__main__")
        """#

    /// The destination Maildir. As root it belongs to `nobody`, getmail's delivery user, and the
    /// client directory is opened up so that `nobody` can reach it.
    static func makeDestination(in directory: String) throws -> String {
        let destination = directory + "/Maildir"
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: destination + "/" + sub, withIntermediateDirectories: true)
        }
        if let nobody = Self.deliveryUser {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
            for path in [destination] + ["tmp", "new", "cur"].map({ destination + "/" + $0 }) {
                #expect(chown(path, nobody.uid, nobody.gid) == 0, "chown \(path)")
            }
        }
        return destination
    }

    /// `nobody` when running as root, else nil (deliver as the current user).
    static var deliveryUser: (name: String, uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0, let entry = getpwnam("nobody") else { return nil }
        return ("nobody", entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private func getmail(
        server: TestServer, directory: String, transport: Transport, delete: Bool, readAll: Bool
    ) async throws -> ExternalToolResult {
        let tool = try ExternalTool.require("getmail", debianPackage: "getmail6")
        let getmailDirectory = directory + "/getmail"
        try FileManager.default.createDirectory(atPath: getmailDirectory, withIntermediateDirectories: true)
        let retriever = transport == .pop3s ? "SimplePOP3SSLRetriever" : "SimplePOP3Retriever"
        let host = transport == .pop3s ? "localhost" : "127.0.0.1"
        let user = Self.deliveryUser.map { "user = \($0.name)\n" } ?? ""
        try writeFile(getmailDirectory + "/getmailrc", """
            [retriever]
            type = \(retriever)
            server = \(host)
            port = \(transport.port(of: server))
            username = alice
            password = alice-secret
            timeout = 20

            [destination]
            type = Maildir
            path = \(directory)/Maildir/
            \(user)
            [options]
            delete = \(delete)
            read_all = \(readAll)
            verbose = 2
            message_log_syslog = false

            """)
        return try await Self.runGetmail(tool, directory: directory, getmailDirectory: getmailDirectory)
    }

    /// Runs getmail once on `getmailDirectory`'s getmailrc, under the interpreter of its #! line with
    /// the child-wait fix applied first. Shared with Getmail6IMAPTests.
    static func runGetmail(_ tool: ExternalTool, directory: String, getmailDirectory: String) async throws -> ExternalToolResult {
        let script = try String(contentsOfFile: tool.path, encoding: .utf8)
        let shebang = script.prefix { $0 != "\n" }
        let interpreter = shebang.dropFirst(2).split(separator: " ").map(String.init)
        try #require(shebang.hasPrefix("#!") && !interpreter.isEmpty, "\(tool.path) is not a script: \(shebang)")
        let python = try ExternalTool.require(interpreter[0], debianPackage: "python3")
        return try await python.run(
            Array(interpreter.dropFirst()) + ["-c", childWaitFix, tool.path, "--getmaildir", getmailDirectory, "--rcfile", "getmailrc"],
            environment: ["HOME": directory, "LC_ALL": "C.UTF-8"],
            removingEnvironment: ExternalTool.proxyVariables,
            directory: directory,
            timeout: .seconds(40)
        )
    }
}
