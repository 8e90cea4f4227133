import NIOConcurrencyHelpers

/// Counts connections in total, per remote IP and per logged-in user+IP, and refuses the ones
/// over the configured limits (`limits.max_connections`, `max_connections_per_ip`,
/// `max_connections_per_user_ip`).
///
/// Shared by every listener of the process, so the limits hold across POP3 and IMAP together.
/// Every successful `acquire…` hands out a token that must be released exactly once; releasing
/// is idempotent per token so a session that closes on several paths cannot count twice.
public final class ConnectionLimiter: Sendable {
    /// The limits; see `LimitSettings` in RoostConfig.
    public struct Limits: Sendable, Equatable {
        public var maxConnections: Int
        public var maxConnectionsPerIP: Int
        public var maxConnectionsPerUserIP: Int

        public init(maxConnections: Int, maxConnectionsPerIP: Int, maxConnectionsPerUserIP: Int) {
            self.maxConnections = maxConnections
            self.maxConnectionsPerIP = maxConnectionsPerIP
            self.maxConnectionsPerUserIP = maxConnectionsPerUserIP
        }
    }

    /// Why a connection or login was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case tooManyConnections(limit: Int)
        case tooManyFromAddress(limit: Int)
        case tooManyForUserAndAddress(limit: Int)

        public var description: String {
            switch self {
            case .tooManyConnections(let limit): "too many connections (limits.max_connections=\(limit))"
            case .tooManyFromAddress(let limit): "too many connections from this address (limits.max_connections_per_ip=\(limit))"
            case .tooManyForUserAndAddress(let limit):
                "too many connections for this user from this address (limits.max_connections_per_user_ip=\(limit))"
            }
        }
    }

    /// Proof of one counted connection or login; give it back with `release`.
    public final class Token: Sendable {
        fileprivate let key: Key
        fileprivate let released = NIOLockedValueBox(false)
        fileprivate init(key: Key) { self.key = key }
    }

    fileprivate enum Key: Hashable, Sendable {
        case connection(address: String)
        case login(user: String, address: String)
    }

    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var perUserAddress: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// The limits in force.
    public let limits: Limits

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Counts a new connection from `address` (nil or unknown: counted under "-").
    public func acquireConnection(from address: String?) -> Result<Token, Refusal> {
        let limits = self.limits
        let address = address ?? "-"
        return state.withLockedValue { state in
            guard state.total < limits.maxConnections else { return .failure(.tooManyConnections(limit: limits.maxConnections)) }
            let current = state.perAddress[address, default: 0]
            guard current < limits.maxConnectionsPerIP else { return .failure(.tooManyFromAddress(limit: limits.maxConnectionsPerIP)) }
            state.total += 1
            state.perAddress[address] = current + 1
            return .success(Token(key: .connection(address: address)))
        }
    }

    /// Counts a logged-in session of `user` from `address`.
    public func acquireLogin(user: String, from address: String?) -> Result<Token, Refusal> {
        let limit = limits.maxConnectionsPerUserIP
        let key = Self.userAddressKey(user: user, address: address ?? "-")
        return state.withLockedValue { state in
            let current = state.perUserAddress[key, default: 0]
            guard current < limit else { return .failure(.tooManyForUserAndAddress(limit: limit)) }
            state.perUserAddress[key] = current + 1
            return .success(Token(key: .login(user: user, address: address ?? "-")))
        }
    }

    /// Gives back what `token` counted; later calls with the same token do nothing.
    public func release(_ token: Token) {
        let first = token.released.withLockedValue { released in
            defer { released = true }
            return !released
        }
        guard first else { return }
        state.withLockedValue { state in
            switch token.key {
            case .connection(let address):
                state.total -= 1
                Self.decrement(&state.perAddress, address)
            case .login(let user, let address):
                Self.decrement(&state.perUserAddress, Self.userAddressKey(user: user, address: address))
            }
        }
    }

    private static func userAddressKey(user: String, address: String) -> String { user + "\u{0}" + address }

    private static func decrement(_ table: inout [String: Int], _ key: String) {
        let value = (table[key] ?? 1) - 1
        table[key] = value > 0 ? value : nil
    }
}
