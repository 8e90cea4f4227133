import Foundation
import RoostTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A private Postfix from Debian's package: its own configuration directory, queue and log under
/// a temporary directory, smtpd on a loopback port, SASL through a Dovecot-protocol auth socket
/// (`smtpd_sasl_type = dovecot`), relaying only for authenticated clients. Starting Postfix's
/// master needs root, as on a real mail host.
final class PostfixInstance {
    let directory: String
    let port: Int

    /// Starts Postfix with `smtpd_sasl_path = authSocket`.
    init(authSocket: String) async throws {
        let tool = try ExternalTool.require("postfix", debianPackage: "postfix")
        try #require(getuid() == 0, "Postfix's master must start as root; run the interop tests as root (CI does)")
        directory = FileManager.default.temporaryDirectory.path + "/roost-postfix-\(UUID().uuidString.prefix(8))"
        port = try FreePort.loopbackTCP()
        for sub in ["etc", "spool", "data"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        // Postfix writes its data directory as its mail owner.
        let postfix = try #require(getpwnam("postfix"), "no postfix user: is the postfix package installed?")
        chown(directory + "/data", postfix.pointee.pw_uid, postfix.pointee.pw_gid)
        let main = """
            compatibility_level = 3.6
            queue_directory = \(directory)/spool
            data_directory = \(directory)/data
            mail_owner = postfix
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = mx.roost.test
            mydestination = roost.test
            mynetworks = 127.0.0.1/32
            alias_maps =
            alias_database =
            local_recipient_maps =
            smtpd_sasl_auth_enable = yes
            smtpd_sasl_type = dovecot
            smtpd_sasl_path = \(authSocket)
            smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
            maillog_file = \(directory)/postfix.log
            maillog_file_prefixes = \(directory)
            """
        try Data((main + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/etc/main.cf"))
        // Debian's master.cf with smtpd moved to our port and out of the chroot, so the socket
        // path is the same inside and out.
        var master = try String(contentsOfFile: "/etc/postfix/master.cf", encoding: .utf8)
        let service = master.split(separator: "\n", omittingEmptySubsequences: false).first { $0.hasPrefix("smtp ") && $0.contains(" inet ") }
        let line = try #require(service, "no smtp inet line in /etc/postfix/master.cf")
        master = master.replacingOccurrences(of: String(line), with: "127.0.0.1:\(port) inet n - n - - smtpd")
        try Data(master.utf8).write(to: URL(fileURLWithPath: directory + "/etc/master.cf"))
        let start = try await tool.run(["-c", directory + "/etc", "start"], timeout: .seconds(60))
        try #require(start.succeeded, "postfix start: \(start)\n\(log)")
        try await waitForListener()
    }

    /// Postfix's own log.
    var log: String { (try? String(contentsOfFile: directory + "/postfix.log", encoding: .utf8)) ?? "" }

    func stop() async {
        if let tool = try? ExternalTool.require("postfix", debianPackage: "postfix") {
            _ = try? await tool.run(["-c", directory + "/etc", "stop"], timeout: .seconds(60))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs swaks against this smtpd; returns its transcript.
    func swaks(_ arguments: [String]) async throws -> ExternalToolResult {
        let tool = try ExternalTool.require("swaks", debianPackage: "swaks")
        return try await tool.run(
            ["--server", "127.0.0.1:\(port)", "--from", "sender@roost.test", "--timeout", "20"] + arguments,
            removingEnvironment: ExternalTool.proxyVariables, timeout: .seconds(40)
        )
    }

    private func waitForListener() async throws {
        for _ in 0..<200 {
            if FreePort.isListening(port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("Postfix did not listen on 127.0.0.1:\(port)\n\(log)")
    }
}
