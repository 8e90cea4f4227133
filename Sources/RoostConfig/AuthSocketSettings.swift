/// The `[auth_socket]` section: the Dovecot-protocol authentication socket that Postfix
/// (`smtpd_sasl_type = dovecot`) and Exim's dovecot authenticator use to check SMTP logins
/// against Roost's passdb.
public struct AuthSocketSettings: Sendable, Equatable {
    /// `auth_socket.path`: where the UNIX socket is created; empty means no socket.
    public var path: String
    /// `auth_socket.mode`: permission bits of the socket file.
    public var mode: Int
    /// `auth_socket.user`: owner of the socket file.
    public var user: String
    /// `auth_socket.group`: group of the socket file.
    public var group: String

    /// Creates `[auth_socket]` settings; every default is the built-in value used when the key
    /// is absent.
    ///
    /// - Parameters:
    ///   - path: Absolute path of the UNIX socket; empty opens none. For a Postfix whose smtpd
    ///     runs chrooted (Debian's default), `/var/spool/postfix/private/auth` with
    ///     `smtpd_sasl_path = private/auth`. Default empty.
    ///   - mode: Permission bits, written in octal (`0660`): whoever may connect can try
    ///     passwords, and is trusted for the client address it reports (`rip=`, which
    ///     `allow_nets` and the per-address delay use) and for `no-penalty`. Default `0660`.
    ///   - user: Owner of the socket, set while roostd is still root. Default `postfix`.
    ///   - group: Group of the socket. Default `postfix`.
    public init(path: String = "", mode: Int = 0o660, user: String = "postfix", group: String = "postfix") {
        self.path = path
        self.mode = mode
        self.user = user
        self.group = group
    }
}
