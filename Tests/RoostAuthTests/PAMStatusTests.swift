import CPAM
import Testing
@testable import RoostAuth

/// PAM status codes → `AuthFailureReason`, as one table.
@Suite("PAM status mapping")
struct PAMStatusTests {
    enum Expected: Sendable {
        case wrongPassword, disabled, temporary
    }

    static let table: [(Int32, Expected)] = [
        (PAM_AUTH_ERR, .wrongPassword),
        (PAM_USER_UNKNOWN, .wrongPassword),
        (PAM_MAXTRIES, .wrongPassword),
        (PAM_ACCT_EXPIRED, .disabled),
        (PAM_NEW_AUTHTOK_REQD, .disabled),
        (PAM_PERM_DENIED, .disabled),
        (PAM_AUTHINFO_UNAVAIL, .temporary),
        (PAM_CRED_INSUFFICIENT, .temporary),
        (PAM_CONV_ERR, .temporary),
        (PAM_SYSTEM_ERR, .temporary),
        (PAM_BUF_ERR, .temporary),
        (PAM_SERVICE_ERR, .temporary),
        (PAM_ABORT, .temporary),
        (PAM_CRED_ERR, .temporary),
        (PAM_CRED_UNAVAIL, .temporary),
        (PAM_CRED_EXPIRED, .temporary),
        (PAM_IGNORE, .temporary),
        (PAM_MODULE_UNKNOWN, .temporary),
        (PAM_OPEN_ERR, .temporary),
        (PAM_SYMBOL_ERR, .temporary),
        (12_345, .temporary),
    ]

    @Test("each status maps to its failure", arguments: table)
    func mapping(status: Int32, expected: Expected) {
        let reason = PAMStatus.failureReason(for: status, step: .accountManagement, description: "text")
        switch expected {
        case .wrongPassword: #expect(reason == .wrongPassword)
        case .disabled: #expect(reason == .disabled)
        case .temporary: #expect(reason == .temporary("pam_acct_mgmt: text"))
        }
    }

    @Test("account refusals before the password was accepted are wrong passwords", arguments: [
        PAM_ACCT_EXPIRED, PAM_NEW_AUTHTOK_REQD, PAM_PERM_DENIED,
    ])
    func refusalsDuringAuthentication(status: Int32) {
        // pam_access, pam_time or pam_listfile in the auth stack: nothing says the password was right.
        #expect(PAMStatus.failureReason(for: status, step: .authenticate, description: "") == .wrongPassword)
        #expect(PAMStatus.failureReason(for: status, step: .accountManagement, description: "") == .disabled)
    }

    @Test("wrong passwords and temporary failures do not depend on the step", arguments: [
        PAMStatus.Step.start, .setItem, .authenticate, .accountManagement, .setCredentials,
    ])
    func stepIndependent(step: PAMStatus.Step) {
        #expect(PAMStatus.failureReason(for: PAM_USER_UNKNOWN, step: step, description: "") == .wrongPassword)
        #expect(PAMStatus.failureReason(for: PAM_ABORT, step: step, description: "Critical error")
            == .temporary("\(step.rawValue): Critical error"))
    }

    @Test("a successful transaction yields its canonical user")
    func success() {
        #expect(PAMStatus.result(.success(user: "bob")) == .success(user: "bob"))
        #expect(PAMStatus.result(.failure(step: .accountManagement, status: PAM_NEW_AUTHTOK_REQD, description: ""))
            == .failure(.disabled))
    }
}
