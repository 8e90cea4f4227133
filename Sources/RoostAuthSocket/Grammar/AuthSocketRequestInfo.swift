/// What an AUTH request says about the session it is for, besides the mechanism and its data.
///
/// Unknown optional parameters are ignored, as the spec requires. As in Dovecot 2.3, an address that
/// does not parse as IPv4 or IPv6 and a port that is not 0 to 65535 are ignored (left nil), not refused;
/// a parameter given twice counts with its last value.
public struct AuthSocketRequestInfo: Hashable, Sendable {
    /// `service=`: the protocol asking (`smtp`, `imap`, …). Required.
    public var service: String
    /// `lip=`: the local IP address the end client connected to.
    public var localIP: String?
    /// `rip=`: the end client's IP address. Roost checks `allow_nets` and counts penalties with it.
    public var remoteIP: String?
    /// `lport=`, `rport=`.
    public var localPort: UInt16?
    public var remotePort: UInt16?
    /// `local_name=`: the TLS SNI name.
    public var localName: String?
    /// `secured[=tls]`.
    public var secured: AuthSocketSecured
    /// `valid-client-cert`: the end client presented a valid TLS client certificate.
    public var validClientCertificate: Bool
    /// `no-penalty`: do not count this request in the per-IP failure penalty.
    public var noPenalty: Bool
    /// `nologin`: authentication only, no login will follow (Postfix and Exim send it). Roost has no
    /// master interface, so every request is treated this way.
    public var noLogin: Bool
    /// `cert_username=`: the user name from the client certificate. Kept for logs; Roost does not take
    /// user names from certificates (Dovecot's `auth_ssl_username_from_cert`).
    public var certificateUserName: String?
    /// `session=`: the auth client's session id, for log lines.
    public var session: String?

    public init(
        service: String, localIP: String? = nil, remoteIP: String? = nil, localPort: UInt16? = nil,
        remotePort: UInt16? = nil, localName: String? = nil, secured: AuthSocketSecured = .no,
        validClientCertificate: Bool = false, noPenalty: Bool = false, noLogin: Bool = false,
        certificateUserName: String? = nil, session: String? = nil
    ) {
        self.service = service
        self.localIP = localIP
        self.remoteIP = remoteIP
        self.localPort = localPort
        self.remotePort = remotePort
        self.localName = localName
        self.secured = secured
        self.validClientCertificate = validClientCertificate
        self.noPenalty = noPenalty
        self.noLogin = noLogin
        self.certificateUserName = certificateUserName
        self.session = session
    }

    /// The parameters in the order Roost writes them (service first, as Postfix and Exim do).
    var parameters: [AuthSocketParameter] {
        var parameters = [AuthSocketParameter("service", service)]
        if let localIP { parameters.append(AuthSocketParameter("lip", localIP)) }
        if let remoteIP { parameters.append(AuthSocketParameter("rip", remoteIP)) }
        if let localPort { parameters.append(AuthSocketParameter("lport", String(localPort))) }
        if let remotePort { parameters.append(AuthSocketParameter("rport", String(remotePort))) }
        if let localName { parameters.append(AuthSocketParameter("local_name", localName)) }
        switch secured {
        case .no: break
        case .secured: parameters.append(AuthSocketParameter("secured"))
        case .tls: parameters.append(AuthSocketParameter("secured", "tls"))
        }
        if validClientCertificate { parameters.append(AuthSocketParameter("valid-client-cert")) }
        if noPenalty { parameters.append(AuthSocketParameter("no-penalty")) }
        if noLogin { parameters.append(AuthSocketParameter("nologin")) }
        if let certificateUserName { parameters.append(AuthSocketParameter("cert_username", certificateUserName)) }
        if let session { parameters.append(AuthSocketParameter("session", session)) }
        return parameters
    }
}

extension AuthSocketRequestInfo {
    /// Collects the known parameters; `service` stays nil when absent (the caller refuses that).
    struct Builder {
        var service: String?
        var info = AuthSocketRequestInfo(service: "")

        /// Takes one parameter; unknown names are ignored.
        mutating func add(_ parameter: AuthSocketParameter) {
            let value = parameter.value ?? ""
            switch parameter.name {
            case "service": service = value
            case "lip": info.localIP = Self.ipAddress(value)
            case "rip": info.remoteIP = Self.ipAddress(value)
            case "lport": info.localPort = AuthSocketFields.port(value)
            case "rport": info.remotePort = AuthSocketFields.port(value)
            case "local_name": info.localName = value
            // Dovecot: `secured=tls` is TLS, `secured` with any other value or none is "secured".
            case "secured": info.secured = value == "tls" ? .tls : .secured
            case "valid-client-cert": info.validClientCertificate = true
            case "no-penalty": info.noPenalty = true
            case "nologin": info.noLogin = true
            case "cert_username": info.certificateUserName = value
            case "session": info.session = value
            default: break
            }
        }

        /// The info, or nil without a `service` parameter.
        func build() -> AuthSocketRequestInfo? {
            guard let service else { return nil }
            var info = info
            info.service = service
            return info
        }

        /// The address when it is an IPv4 or IPv6 address in text form, else nil (Dovecot's
        /// `net_addr2ip` failing leaves the address unset).
        static func ipAddress(_ text: String) -> String? {
            AuthSocketFields.isIPAddress(text) ? text : nil
        }
    }
}
