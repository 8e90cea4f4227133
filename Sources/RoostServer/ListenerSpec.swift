import NIOCore
import RoostConfig

/// The protocols roostd serves.
public enum ServedProtocol: String, Sendable, Hashable, CustomStringConvertible {
    case pop3
    case imap
    public var description: String { rawValue }
}

/// One socket to listen on.
public struct ListenerSpec: Sendable, Hashable, CustomStringConvertible {
    public var served: ServedProtocol
    /// True for implicit TLS (POP3S on 995, IMAPS on 993): TLS starts before the greeting.
    public var implicitTLS: Bool
    /// Literal address to bind: `0.0.0.0`, `::` or an address from `server.listen`.
    public var host: String
    public var port: Int
    /// Bind IPv6-only, so `0.0.0.0` and `::` can both be bound on one port.
    public var ipv6Only: Bool

    public var description: String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "\(served)\(implicitTLS ? "s" : "") on \(address)"
    }

    /// Every listener the configuration asks for: each `server.listen` address times each
    /// enabled port. Implicit-TLS listeners only when TLS is configured.
    static func all(in configuration: RoostConfiguration) -> [ListenerSpec] {
        let tlsConfigured = configuration.tls.isEnabled
        var ports: [(ServedProtocol, Bool, Int)] = []
        if configuration.pop3.port != 0 { ports.append((.pop3, false, configuration.pop3.port)) }
        if configuration.pop3.tlsPort != 0, tlsConfigured { ports.append((.pop3, true, configuration.pop3.tlsPort)) }
        if configuration.imap.port != 0 { ports.append((.imap, false, configuration.imap.port)) }
        if configuration.imap.tlsPort != 0, tlsConfigured { ports.append((.imap, true, configuration.imap.tlsPort)) }
        var specs: [ListenerSpec] = []
        for address in configuration.server.listen {
            let host = address == "*" ? "0.0.0.0" : address
            for (served, implicitTLS, port) in ports {
                specs.append(ListenerSpec(served: served, implicitTLS: implicitTLS, host: host, port: port, ipv6Only: host.contains(":")))
            }
        }
        return specs
    }
}

/// A listener after binding, with the port actually bound.
public struct BoundListener: Sendable, CustomStringConvertible {
    public var spec: ListenerSpec
    public var port: Int
    public var description: String {
        var spec = spec
        spec.port = port
        return spec.description
    }
}
