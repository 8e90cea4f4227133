import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed certificate for `localhost`, for `roostd --dev` only: clients must be told to
/// accept it (`curl -k`, `openssl s_client`), which is the point of a development setup.
public enum SelfSignedCertificate {
    /// Writes `certificate` and `key` (mode 0600) unless both exist; true when it wrote them.
    public static func createIfMissing(certificate: String, key: String, hostname: String = "localhost", now: Date = Date()) throws -> Bool {
        let files = FileManager.default
        if files.fileExists(atPath: certificate), files.fileExists(atPath: key) { return false }
        let privateKey = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(hostname)
            OrganizationName("Roost development certificate")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            KeyUsage(digitalSignature: true)
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([.dnsName(hostname)])
        }
        let certificateValue = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(privateKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(825 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(privateKey)
        )
        let directory = (certificate as NSString).deletingLastPathComponent
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write(privateKey.pemRepresentation + "\n", to: key, mode: 0o600)
        try write(certificateValue.serializeAsPEM().pemString + "\n", to: certificate, mode: 0o644)
        return true
    }

    private static func write(_ text: String, to path: String, mode: Int) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw ServerSetupError("cannot write \(temporary)")
        }
        if rename(temporary, path) != 0 {
            throw ServerSetupError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
