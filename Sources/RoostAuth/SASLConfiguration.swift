#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits and identity for the SASL mechanisms in `SASLServerExchange`.
///
/// Every limit bounds what a client can make the server hold or hash before it is authenticated.
public struct SASLConfiguration: Sendable, Hashable {
    /// Longest decoded client response accepted, in bytes; longer ones fail with `.tooLong`.
    public var maxResponseBytes: Int
    /// Longest authentication identity (user name), in UTF-8 bytes.
    public var maxUserNameLength: Int
    /// Longest password, in UTF-8 bytes. crypt(3) refuses more than 511 anyway. Also enforced
    /// by `Authenticator.verifyPlain`, so IMAP LOGIN and POP3 PASS are held to it as well.
    public var maxPasswordLength: Int
    /// The host name in CRAM-MD5 challenges `<random.timestamp@hostname>` (RFC 2195 section 2).
    public var hostname: String

    /// - Parameters:
    ///   - maxResponseBytes: default 8192; PLAIN with a 255-byte name and a 1024-byte password
    ///     fits many times over, and the base64 line stays under Dovecot's 16 KiB auth line limit.
    ///   - maxUserNameLength: default 255.
    ///   - maxPasswordLength: default 1024.
    ///   - hostname: default the system host name (`gethostname`), or `localhost` if unavailable.
    public init(
        maxResponseBytes: Int = 8192,
        maxUserNameLength: Int = 255,
        maxPasswordLength: Int = 1024,
        hostname: String = SASLConfiguration.systemHostname()
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.maxUserNameLength = maxUserNameLength
        self.maxPasswordLength = maxPasswordLength
        self.hostname = hostname
    }

    /// The machine's host name, or `localhost` when it cannot be read.
    public static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
