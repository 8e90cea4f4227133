/// The `[tls]` section: the certificate the listeners present and the oldest TLS version
/// they accept.
///
/// RoostConfig only checks that the paths are absolute; whether the files exist and hold a
/// matching certificate and key is checked by the server when it loads them, so that
/// `mailboxctl` can read a configuration on a host without the server's secrets.
public struct TLSSettings: Sendable, Equatable {
    /// `tls.certificate`: PEM certificate chain; empty disables TLS.
    public var certificate: String
    /// `tls.key`: PEM private key of the certificate; empty exactly when `certificate` is.
    public var key: String
    /// `tls.min_version`: oldest TLS version accepted.
    public var minVersion: TLSVersionName

    /// Creates `[tls]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - certificate: Absolute path of the PEM certificate chain, leaf first (certbot's
    ///     `fullchain.pem`). Empty disables TLS: no STLS or STARTTLS is offered and no
    ///     implicit-TLS listener is opened, whatever the `tls_port` keys say. The file is
    ///     read at startup and on reload. Default `/etc/roost/tls/fullchain.pem`.
    ///   - key: Absolute path of the PEM private key. A file must set both `certificate` and
    ///     `key` or leave both empty (a `ConfigConstraint`). Default `/etc/roost/tls/privkey.pem`.
    ///   - minVersion: Oldest TLS version accepted; TLS 1.0 and 1.1 are never offered
    ///     (RFC 8996). Default `TLSv1.2`.
    public init(
        certificate: String = "/etc/roost/tls/fullchain.pem",
        key: String = "/etc/roost/tls/privkey.pem",
        minVersion: TLSVersionName = .tlsv12
    ) {
        self.certificate = certificate
        self.key = key
        self.minVersion = minVersion
    }

    /// True when a certificate is configured, i.e. TLS is on.
    public var isEnabled: Bool { !certificate.isEmpty }
}
