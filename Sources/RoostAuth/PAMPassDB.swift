import CPAM
import Logging

/// A passdb that checks plaintext passwords through PAM (`auth.passdb = pam`).
///
/// Every check is one PAM transaction (`PAMTransaction`) on a `BlockingWorkPool` of its own,
/// never on an event loop or Swift's cooperative threads: modules block (files, helpers,
/// network) for as long as they like, and the pool is one thread by default because not every
/// module is thread-safe (`PAMConfiguration.threadCount`). A full queue is a temporary failure.
///
/// What PAM cannot do: it never reveals a stored password, so CRAM-MD5 and APOP are never
/// servable (`canServeCRAMMD5`/`canServeAPOP` are false and `lookup` returns nil), and
/// `allow_nets`-style passdb fields do not exist (use pam_access in the service file).
///
/// Privileges: with pam_unix the process must be able to read /etc/shadow, i.e. run as root or
/// keep the `shadow` group. Otherwise pam_unix falls back to its `unix_chkpwd` helper, which only
/// checks the calling user's own password, and every login fails with `PAM_AUTHINFO_UNAVAIL`
/// (a `.temporary` failure, logged at error level with that hint).
///
/// Logging: failures that are the user's (wrong password, disabled) are left to the caller's
/// `AuthFailureLog`; PAM errors are logged at error level with the user name, the PAM call and
/// `pam_strerror`'s text. The password is never logged.
public final class PAMPassDB: PlaintextVerifyingPassDB {
    public let configuration: PAMConfiguration
    /// The pool PAM transactions run on (`configuration.threadCount` threads, named `roost-pam-N`).
    public let pool: BlockingWorkPool
    private let library: PAMLibrary
    private let logger: Logger

    /// Starts the pool; no PAM call is made until the first login.
    public convenience init(configuration: PAMConfiguration = PAMConfiguration(), logger: Logger = Logger(label: "roost.pam")) {
        self.init(configuration: configuration, library: .system, logger: logger)
    }

    /// With an injected libpam, for tests.
    init(configuration: PAMConfiguration, library: PAMLibrary, logger: Logger) {
        self.configuration = configuration
        self.library = library
        self.logger = logger
        pool = BlockingWorkPool(threadCount: configuration.threadCount, name: "roost-pam")
    }

    /// Lets queued checks finish, then stops the pool's threads.
    public func shutdown() {
        pool.shutdown()
    }

    /// Always nil: PAM has no stored passwords to hand out and no way to ask whether a user
    /// exists without a password. CRAM-MD5 and APOP therefore fail as for an unknown user.
    public func lookup(user: String) async throws -> PassDBEntry? {
        nil
    }

    public func canServeCRAMMD5() async -> Bool { false }

    public func canServeAPOP() async -> Bool { false }

    /// Runs one PAM transaction for `user` on the pool; see `PAMStatus` for how results map.
    ///
    /// A password containing NUL is `.wrongPassword` without asking PAM: C would see only the
    /// part before the NUL, and a shorter password must not be what gets checked.
    public func verifyPlain(user: String, password: String, remoteAddress: String?) async -> AuthResult {
        guard !password.utf8.contains(0) else { return .failure(.wrongPassword) }
        let configuration = configuration, library = library
        let outcome: PAMTransaction.Outcome
        do {
            outcome = try await pool.run {
                PAMTransaction.run(
                    user: user, password: password, remoteAddress: remoteAddress,
                    configuration: configuration, library: library
                )
            }
        } catch BlockingWorkPoolError.overloaded {
            logger.warning("PAM queue full, refusing the login for now", metadata: ["user": "\(user)"])
            return .failure(.temporary("too many logins in progress"))
        } catch {
            logger.warning("PAM check interrupted", metadata: ["user": "\(user)", "error": "\(error)"])
            return .failure(.temporary("PAM check interrupted"))
        }
        let result = PAMStatus.result(outcome)
        switch (outcome, result) {
        case (.success(let canonical), _):
            guard Self.isUsableName(canonical) else {
                logger.error("PAM returned an unusable user name", metadata: [
                    "user": "\(user)", "pam_user": "\(canonical.debugDescription)",
                ])
                return .failure(.temporary("PAM returned an unusable user name"))
            }
            if canonical != user {
                logger.debug("PAM changed the user name", metadata: ["user": "\(user)", "pam_user": "\(canonical)"])
            }
        case (.failure(let step, let status, let description), .failure(.temporary)):
            var metadata: Logger.Metadata = [
                "user": "\(user)", "service": "\(configuration.service)", "call": "\(step.rawValue)",
                "status": "\(status)", "error": "\(description)",
            ]
            if status == PAM_AUTHINFO_UNAVAIL {
                metadata["hint"] = "pam_unix needs root or the shadow group to check other users' passwords"
            }
            logger.error("PAM failed", metadata: metadata)
        case (.failure(let step, _, let description), .failure(.disabled)):
            logger.info("PAM refused the account", metadata: [
                "user": "\(user)", "call": "\(step.rawValue)", "error": "\(description)",
            ])
        case (.failure, _):
            break
        }
        return result
    }

    /// True for a name a session can log in as: non-empty, at most 255 bytes, no control
    /// characters (a module could put anything into `PAM_USER`).
    static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
