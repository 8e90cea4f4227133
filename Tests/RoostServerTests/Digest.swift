import Crypto
import Foundation

/// Lowercase hex MD5, as APOP wants it.
func md5Hex(_ text: String) -> String {
    Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}

/// Lowercase hex HMAC-MD5, as CRAM-MD5 wants it.
func hmacMD5Hex(key: String, message: String) -> String {
    let code = HMAC<Insecure.MD5>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
    return code.map { String(format: "%02x", $0) }.joined()
}
