import CCrypt
import CPAM
import Testing

/// The system-library targets resolve their headers and link on this machine (`.ci/run` installs
/// libcrypt-dev and libpam0g-dev).
@Suite struct SystemLibraryTests {
    @Test func libpamLinks() {
        let message = pam_strerror(nil, PAM_AUTH_ERR).map { String(cString: $0) }
        #expect(message == "Authentication failure")
    }

    @Test func libcryptPrefersAModernMethod() {
        let method = crypt_preferred_method().map { String(cString: $0) }
        #expect(method == "$y$")
    }
}
