import Foundation
import Logging

/// A userdb of the system's own accounts (`auth.userdb = system`), Dovecot's `userdb passwd`.
///
/// Reads the system password database with `getpwnam_r` (thread-safe, so lookups may run on any
/// pool thread; NSS may go to the network for LDAP or sssd, hence the pool): uid, primary gid and
/// home directory, and a mail location from a template (`%h/Maildir` by default, i.e.
/// `~/Maildir`). The user's mail is then read and written with the user's own uid and gid.
///
/// Refused, whatever the passdb said (Dovecot's `first_valid_uid`):
/// - uid 0: mail would be read and written with root's rights;
/// - uids below `firstValidUID` (default 1000, where Debian's `adduser` starts regular users;
///   Dovecot's own default is 500 for older distributions): daemons and system accounts such as
///   `mail` (8) or `www-data` (33), which should never log in to read mail.
/// A refused user is "not in this userdb": `lookup` returns nil and logs a warning naming the
/// rule; `record(user:)` throws `LookupError.root` or `.systemAccount` so tools can say why.
///
/// A home directory that is empty or not absolute counts as none, so `%h` fails to expand
/// (`missingHome`) rather than putting mail under `/Maildir` or a relative path.
public struct SystemUserDB: UserDB {
    /// Why a lookup failed.
    public enum LookupError: Error, Sendable, Hashable {
        /// The account is uid 0.
        case root
        /// The account's uid is below `firstValidUID`.
        case systemAccount(uid: UInt32, firstValidUID: UInt32)
        /// `getpwnam_r` failed with this `errno` (NSS backend unreachable, out of memory): temporary.
        case lookupFailed(errno: Int32)
        /// The mail location template cannot be expanded for the user (no home, unsafe name).
        case mailLocation(MailLocationTemplate.TemplateError)
    }

    /// Default of `firstValidUID`: Debian's first regular user id.
    public static let defaultFirstValidUID: UInt32 = 1000
    /// Default mail location template, `%h/Maildir` (`~/Maildir`).
    public static let defaultMailTemplate: MailLocationTemplate = {
        do {
            return try MailLocationTemplate("%h/Maildir")
        } catch {
            preconditionFailure("the built-in mail template does not parse: \(error)")
        }
    }()

    /// Expanded with the user's name and home; the result becomes `UserRecord.mailLocation`.
    public var mailTemplate: MailLocationTemplate
    /// Lowest uid allowed to log in; uid 0 is refused even when this is 0.
    public var firstValidUID: UInt32
    /// Where `lookup` calls `getpwnam_r`: a pool of its own, since NSS may go over the network.
    public let pool: BlockingWorkPool
    private let logger: Logger

    /// - Parameters:
    ///   - mailTemplate: default `%h/Maildir` (`defaultMailTemplate`).
    ///   - firstValidUID: default 1000 (`defaultFirstValidUID`).
    ///   - pool: runs the blocking `getpwnam_r` calls of `lookup`.
    public init(
        mailTemplate: MailLocationTemplate = SystemUserDB.defaultMailTemplate,
        firstValidUID: UInt32 = SystemUserDB.defaultFirstValidUID,
        pool: BlockingWorkPool, logger: Logger = Logger(label: "roost.userdb")
    ) {
        self.mailTemplate = mailTemplate
        self.firstValidUID = firstValidUID
        self.pool = pool
        self.logger = logger
    }

    /// The user's record, nil for an unknown or refused user (refusals logged as warnings).
    /// Throws `LookupError.lookupFailed` (temporary) and `.mailLocation`.
    public func lookup(user: String) async throws -> UserRecord? {
        let this = self
        do {
            return try await pool.run { () throws(LookupError) -> UserRecord? in try this.record(user: user) }
        } catch LookupError.root {
            logger.warning("refusing a login as root", metadata: ["user": "\(user)"])
            return nil
        } catch LookupError.systemAccount(let uid, let first) {
            logger.warning("refusing a system account", metadata: [
                "user": "\(user)", "uid": "\(uid)", "first_valid_uid": "\(first)",
            ])
            return nil
        }
    }

    /// The synchronous form of `lookup`, blocking in `getpwnam_r`; nil for an unknown user.
    public func record(user: String) throws(LookupError) -> UserRecord? {
        guard let account = try Self.account(named: user) else { return nil }
        // Root's uid or a primary group of 0: mail would be touched with root's group.
        guard account.uid != 0, account.gid != 0 else { throw .root }
        guard account.uid >= firstValidUID else {
            throw .systemAccount(uid: account.uid, firstValidUID: firstValidUID)
        }
        let home = account.home.hasPrefix("/") ? account.home : nil
        let mail: String
        do {
            mail = try mailTemplate.expand(user: user, home: home)
        } catch {
            throw .mailLocation(error)
        }
        return UserRecord(user: user, uid: account.uid, gid: account.gid, home: home, mailLocation: mail)
    }

    /// What Roost uses of a `struct passwd`.
    struct Account: Sendable, Hashable {
        var name: String
        var uid: UInt32
        var gid: UInt32
        var home: String
    }

    /// Largest buffer offered to `getpwnam_r` before giving up with `ERANGE`.
    private static let maxBufferSize = 1 << 20

    /// `getpwnam_r` for `name`, nil when there is no such account.
    ///
    /// Not found is `0` with a NULL result in glibc; `ENOENT`, `ESRCH`, `EBADF` and `EPERM` also
    /// mean "not found" according to POSIX's rationale for some implementations. `ERANGE`
    /// retries with a buffer twice as large, up to 1 MiB.
    static func account(named name: String) throws(LookupError) -> Account? {
        guard !name.isEmpty, !name.utf8.contains(0) else { return nil }
        let suggested = sysconf(Int32(_SC_GETPW_R_SIZE_MAX))
        var size = suggested > 0 ? suggested : 4096
        while true {
            // The strings of `entry` point into `buffer`, so it must outlive their copying.
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwnam_r(name, &entry, buffer, size, &result)
            switch status {
            case 0:
                guard let found = result?.pointee else { return nil }
                return Account(
                    name: found.pw_name.map { String(cString: $0) } ?? name,
                    uid: found.pw_uid, gid: found.pw_gid,
                    home: found.pw_dir.map { String(cString: $0) } ?? ""
                )
            case ERANGE where size < maxBufferSize:
                size *= 2
            case ENOENT, ESRCH, EBADF, EPERM:
                return nil
            default:
                throw .lookupFailed(errno: status)
            }
        }
    }
}
