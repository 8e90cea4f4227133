import Foundation
import RoostAdmin
import RoostConfig

/// `roostd --dev`: a ready-to-try server in a local folder, no root needed.
///
/// Uses `DemoEnvironment` (the same as `mailboxctl demo`): `DIR/roostd.conf`, a passwd-file with the
/// user `demo` and a random password (printed once, when it is made), a Maildir with a welcome
/// message. Adds a self-signed certificate for `localhost` under `DIR/tls/`. The configuration
/// listens on 127.0.0.1 only, on unprivileged ports.
struct DevelopmentMode {
    var directory: String

    /// Prepares the folder and returns the configuration to run with and what to tell the user.
    func prepare() async throws -> (RoostConfiguration, banner: String) {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let outcome = try await DemoEnvironment(directory: absolute).setUp()
        let configuration = outcome.configuration
        if configuration.tls.isEnabled {
            _ = try SelfSignedCertificate.createIfMissing(certificate: configuration.tls.certificate, key: configuration.tls.key)
        }
        let password = outcome.password.map { "password: \($0)   (shown once; change it with the mailboxctl line below)" }
            ?? "password: the one printed when \(absolute) was first set up"
        let banner = """
            Roost development server (roostd --dev), data in \(absolute)
              user:     \(outcome.user)
              \(password)
              IMAP:     127.0.0.1:\(configuration.imap.port) (STARTTLS), IMAPS 127.0.0.1:\(configuration.imap.tlsPort)
              POP3:     127.0.0.1:\(configuration.pop3.port) (STLS), POP3S 127.0.0.1:\(configuration.pop3.tlsPort)
              certificate: \(configuration.tls.certificate) (self-signed for localhost)
            Try it:
              curl -k imaps://localhost:\(configuration.imap.tlsPort)/INBOX -u '\(outcome.user):PASSWORD' -X 'SEARCH ALL'
              curl -k 'imaps://localhost:\(configuration.imap.tlsPort)/INBOX;UID=1' -u '\(outcome.user):PASSWORD'
              curl -k --ssl-reqd pop3://127.0.0.1:\(configuration.pop3.port)/ -u '\(outcome.user):PASSWORD'
              curl -k pop3s://localhost:\(configuration.pop3.tlsPort)/1 -u '\(outcome.user):PASSWORD'
              openssl s_client -quiet -connect 127.0.0.1:\(configuration.pop3.port) -starttls pop3
              swift run mailboxctl --config \(outcome.configurationPath) user passwd \(outcome.user)
            Stop with Ctrl-C.
            """
        return (configuration, banner)
    }
}
