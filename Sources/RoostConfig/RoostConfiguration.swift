import Foundation

/// Everything read from `roostd.conf`, as typed values.
///
/// A plain value type so it can be handed to every subsystem and task without locking; reload
/// means parsing a new one and swapping it in. Each section is its own struct so a subsystem can
/// be given only the part it needs (`configuration.auth`).
public struct RoostConfiguration: Sendable, Equatable {
    /// `[server]`: listen addresses, host name and graceful shutdown.
    public var server: ServerSettings
    /// `[tls]`: certificate, key and minimum TLS version.
    public var tls: TLSSettings
    /// `[pop3]`: POP3 ports, autologout and the per-user session lock.
    public var pop3: POP3Settings
    /// `[imap]`: IMAP ports, autologout, IDLE keepalive and the special-use folders.
    public var imap: IMAPSettings
    /// `[limits]`: connection counts, line length and bad-command limits.
    public var limits: LimitSettings
    /// `[mail]`: Maildir location, ownership, size limits and quotas.
    public var mail: MailSettings
    /// `[auth]`: user database, password schemes, SASL and failed-login damping.
    public var auth: AuthSettings
    /// `[auth_socket]`: the Dovecot-protocol socket Postfix authenticates SMTP logins through.
    public var authSocket: AuthSocketSettings
    /// `[log]`: log verbosity.
    public var log: LogSettings

    /// Creates a configuration; each section defaults to its built-in defaults.
    ///
    /// - Parameters:
    ///   - server: `[server]` settings. Default `ServerSettings()`.
    ///   - tls: `[tls]` settings. Default `TLSSettings()`.
    ///   - pop3: `[pop3]` settings. Default `POP3Settings()`.
    ///   - imap: `[imap]` settings. Default `IMAPSettings()`.
    ///   - limits: `[limits]` settings. Default `LimitSettings()`.
    ///   - mail: `[mail]` settings. Default `MailSettings()`.
    ///   - auth: `[auth]` settings. Default `AuthSettings()`.
    ///   - authSocket: `[auth_socket]` settings. Default `AuthSocketSettings()`.
    ///   - log: `[log]` settings. Default `LogSettings()`.
    public init(
        server: ServerSettings = ServerSettings(),
        tls: TLSSettings = TLSSettings(),
        pop3: POP3Settings = POP3Settings(),
        imap: IMAPSettings = IMAPSettings(),
        limits: LimitSettings = LimitSettings(),
        mail: MailSettings = MailSettings(),
        auth: AuthSettings = AuthSettings(),
        authSocket: AuthSocketSettings = AuthSocketSettings(),
        log: LogSettings = LogSettings()
    ) {
        self.server = server
        self.tls = tls
        self.pop3 = pop3
        self.imap = imap
        self.limits = limits
        self.mail = mail
        self.auth = auth
        self.authSocket = authSocket
        self.log = log
    }

    /// The built-in defaults: what an empty file, or a missing key, yields.
    public static let defaults = RoostConfiguration()

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: `ConfigError` naming `path` (and the line and key where applicable) when the
    ///   file cannot be read, is not UTF-8, or is not a valid configuration.
    public static func load(path: String) throws(ConfigError) -> RoostConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(kind: .unreadable, fileName: path, line: nil, key: nil,
                              message: "cannot read file: \(readFailureReason(error, path: path))")
        }
        return try ConfigParser.parse(data: data, fileName: path)
    }

    /// Parses configuration text; `fileName` is used only in error messages.
    ///
    /// - Throws: `ConfigError` for the first syntax error, unknown section or key, duplicate
    ///   key, bad value or contradiction between keys.
    public static func parse(text: String, fileName: String) throws(ConfigError) -> RoostConfiguration {
        try ConfigParser.parse(text: text, fileName: fileName)
    }

    /// The configuration written back as file text, one `key = value` per schema key under its
    /// section header, each preceded by its one-line doc as a comment.
    ///
    /// The output always parses back to an equal configuration. With `onlyChanged`, keys still
    /// at their built-in default and sections with nothing changed are left out, which is the
    /// quickest way to see what an installation customised (like `doveconf -n`). Values set in
    /// code that no file can express (a negative duration, a control character in a string)
    /// are written as-is and will not read back.
    public func rendered(onlyChanged: Bool = false) -> String {
        var blocks: [String] = []
        for section in ConfigSchema.sections {
            var lines: [String] = []
            for key in ConfigSchema.keys(in: section) {
                let value = key.value(in: self)
                if onlyChanged, value == key.defaultValue { continue }
                lines.append("# \(key.doc)")
                lines.append("\(key.name) = \(ConfigLine.quoted(value))")
            }
            if !lines.isEmpty { blocks.append((["[\(section)]"] + lines).joined(separator: "\n")) }
        }
        return blocks.isEmpty ? "" : blocks.joined(separator: "\n\n") + "\n"
    }

    /// A short reason for a read failure; Foundation's own wording on Linux is long and names
    /// the file again, which the error description already does.
    private static func readFailureReason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "it is a directory" }
            if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        } else {
            return "no such file"
        }
        return error.localizedDescription
    }
}
