import NIOConcurrencyHelpers
import NIOSSL
import RoostConfig

/// The server's TLS context, built from `[tls]` and replaced on SIGHUP.
///
/// New connections and STLS upgrades take the context current at that moment; sessions already
/// encrypted keep theirs, so a certificate renewal drops nobody. A reload that fails (missing
/// file, key not matching, unreadable after the privilege drop) keeps the old context and reports
/// the error.
public final class TLSContextStore: Sendable {
    public let settings: TLSSettings
    private let context: NIOLockedValueBox<NIOSSLContext>

    /// Loads the certificate chain and key. Throws `TLSSetupError` naming the file at fault.
    public init(settings: TLSSettings) throws {
        self.settings = settings
        context = NIOLockedValueBox(try Self.makeContext(settings))
    }

    /// The context for a new TLS session.
    public var current: NIOSSLContext { context.withLockedValue { $0 } }

    /// Reads the files again and swaps the context in.
    public func reload() throws {
        let fresh = try Self.makeContext(settings)
        context.withLockedValue { $0 = fresh }
    }

    static func makeContext(_ settings: TLSSettings) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(settings.certificate)
        } catch {
            throw TLSSetupError(file: settings.certificate, setting: "tls.certificate", reason: "\(error)")
        }
        guard !chain.isEmpty else {
            throw TLSSetupError(file: settings.certificate, setting: "tls.certificate", reason: "no PEM certificate in the file")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: settings.key, format: .pem)
        } catch {
            throw TLSSetupError(file: settings.key, setting: "tls.key", reason: "\(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = switch settings.minVersion {
        case .tlsv12: .tlsv12
        case .tlsv13: .tlsv13
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(file: settings.key, setting: "tls.key", reason: "certificate and key do not work together: \(error)")
        }
    }
}

/// A TLS file could not be used.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var file: String
    public var setting: String
    public var reason: String
    public var description: String { "\(setting) \(file): \(reason)" }
}
