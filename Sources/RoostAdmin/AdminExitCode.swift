/// The exit statuses of `mailboxctl`, from sysexits(3) so scripts can tell failures apart.
///
/// The list is repeated in `mailboxctl --help` and docs/mailboxctl.md; a test keeps the three in
/// step. `mismatch` (1) is used only by `pw --test` for "the password does not match", which is an
/// answer rather than a failure, as `test(1)` and `grep(1)` use 1.
public enum AdminExitCode: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Done.
    case success = 0
    /// `pw --test`: the password does not match the hash.
    case mismatch = 1
    /// EX_USAGE: the command line is wrong (unknown option, missing argument, no terminal to prompt on).
    case usage = 64
    /// EX_DATAERR: an invalid user name, mailbox name, password, hash or passwd-file line.
    case dataError = 65
    /// EX_NOINPUT: the mailbox (or the user's Maildir) does not exist.
    case noInput = 66
    /// EX_NOUSER: the user does not exist.
    case noUser = 67
    /// EX_SOFTWARE: an internal error; please report it.
    case software = 70
    /// EX_CANTCREAT: the user or mailbox already exists, or the quota leaves no room.
    case cannotCreate = 73
    /// EX_IOERR: reading or writing a file failed.
    case ioError = 74
    /// EX_TEMPFAIL: a lock is held by someone else (passwd-file, uidlist); try again.
    case temporaryFailure = 75
    /// EX_NOPERM: the file system refused access.
    case noPermission = 77
    /// EX_CONFIG: the configuration file is missing or wrong.
    case configuration = 78

    /// The sysexits name, for documentation.
    public var description: String {
        switch self {
        case .success: "EX_OK"
        case .mismatch: "mismatch"
        case .usage: "EX_USAGE"
        case .dataError: "EX_DATAERR"
        case .noInput: "EX_NOINPUT"
        case .noUser: "EX_NOUSER"
        case .software: "EX_SOFTWARE"
        case .cannotCreate: "EX_CANTCREAT"
        case .ioError: "EX_IOERR"
        case .temporaryFailure: "EX_TEMPFAIL"
        case .noPermission: "EX_NOPERM"
        case .configuration: "EX_CONFIG"
        }
    }

    /// One line per status, for `--help`.
    static var helpText: String {
        allCases.map { code in
            let number = String(code.rawValue)
            return String(repeating: " ", count: 3 - number.count) + number + "  " + code.meaning
        }.joined(separator: "\n")
    }

    /// What the status means, in the words of the help text.
    var meaning: String {
        switch self {
        case .success: "success"
        case .mismatch: "pw --test: the password does not match"
        case .usage: "command line error"
        case .dataError: "invalid user name, mailbox name, password or passwd-file line"
        case .noInput: "mailbox or Maildir does not exist"
        case .noUser: "user does not exist"
        case .software: "internal error"
        case .cannotCreate: "user or mailbox already exists, or over quota"
        case .ioError: "file read or write failed"
        case .temporaryFailure: "locked by another process; try again"
        case .noPermission: "permission denied"
        case .configuration: "configuration error"
        }
    }
}
