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
    /// EX_DATAERR: an invalid user name, mailbox name, password, hash, quota value, mail location or
    /// passwd-file line; deleting INBOX; mail that `user del --remove-mail` refuses to delete.
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

    /// One entry per status, for `--help`, wrapped to 78 columns with continuation lines indented
    /// (ArgumentParser would wrap a longer line without the indent).
    static var helpText: String {
        allCases.map { code in
            let number = String(code.rawValue)
            let first = String(repeating: " ", count: 3 - number.count) + number + "  "
            return wrap(code.meaning, firstPrefix: first, prefix: String(repeating: " ", count: first.count), width: 78)
        }.joined(separator: "\n")
    }

    /// What the status means: the table of docs/mailboxctl.md in the help's words (lowercase
    /// start, no final period, no backticks); a test keeps the two the same.
    var meaning: String {
        switch self {
        case .success: "success"
        case .mismatch: "pw --test: the password does not match the hash"
        case .usage: "command-line error: unknown command or option, missing argument, or no terminal to ask for a password on"
        case .dataError:
            "invalid user name, mailbox name, password, hash, quota value or mail location; a damaged passwd-file "
                + "line; deleting INBOX; a directory user del --remove-mail refuses to delete"
        case .noInput: "the mailbox does not exist, or the user has no Maildir yet"
        case .noUser: "the user does not exist"
        case .software: "internal error; please report it"
        case .cannotCreate: "the user or mailbox already exists, or the quota leaves no room"
        case .ioError: "reading or writing a file failed"
        case .temporaryFailure: "another process holds a lock (passwd-file, uidlist) for too long; try again"
        case .noPermission: "the file system refused access"
        case .configuration:
            "the configuration file is missing or wrong (the message has file:line), or a template in it cannot be used"
        }
    }

    /// `text` broken at spaces into lines of at most `width` columns where it can be.
    private static func wrap(_ text: String, firstPrefix: String, prefix: String, width: Int) -> String {
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in text.split(separator: " ") {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = prefix
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
