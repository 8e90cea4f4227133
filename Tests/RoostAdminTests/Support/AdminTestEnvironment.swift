import Foundation
@testable import RoostAdmin
import RoostStorage
#if canImport(Glibc)
import Glibc
#endif

/// A console that records what a command prints and answers its prompts from a script.
final class CapturingConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var output = ""
    private var errors = ""
    private var inputLines: [String]
    /// Answers to password prompts, in order; nil means "no terminal".
    private var secrets: [String]?
    private var asked: [String] = []

    init(stdin: [String] = [], secrets: [String]? = nil) {
        inputLines = stdin
        self.secrets = secrets
    }

    var console: AdminConsole {
        AdminConsole(
            writeOutput: { [self] text in lock.withLock { output += text } },
            writeError: { [self] text in lock.withLock { errors += text } },
            readLine: { [self] in lock.withLock { inputLines.isEmpty ? nil : inputLines.removeFirst() } },
            readSecret: { [self] prompt in
                lock.withLock {
                    asked.append(prompt)
                    guard var remaining = secrets else { return nil }
                    let answer = remaining.isEmpty ? "" : remaining.removeFirst()
                    secrets = remaining
                    return answer
                }
            }
        )
    }

    var result: (output: String, errors: String, prompts: [String]) {
        lock.withLock { (output, errors, asked) }
    }
}

/// What one in-process run of `mailboxctl` did.
struct CommandResult: Sendable, CustomStringConvertible {
    var code: Int32
    var output: String
    var errors: String
    var prompts: [String]

    var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(output.hasSuffix("\n") ? 1 : 0) }

    var description: String { "exit \(code)\nstdout:\n\(output)stderr:\n\(errors)" }
}

/// Runs `mailboxctl` in-process with a captured console.
func runMailboxctl(_ arguments: [String], stdin: [String] = [], secrets: [String]? = nil) async -> CommandResult {
    let capture = CapturingConsole(stdin: stdin, secrets: secrets)
    let code = await Mailboxctl.main(arguments: arguments, console: capture.console)
    let (output, errors, prompts) = capture.result
    return CommandResult(code: code, output: output, errors: errors, prompts: prompts)
}

/// A temporary directory with a configuration, a passwd-file and Maildirs, removed afterwards.
///
/// The configuration puts mail under `DIR/mail/%u`, indexes under `DIR/index/%u`, the passwd-file
/// at `DIR/passwd`, turns fsync off, uses the fast SSHA512 scheme for new passwords, and makes
/// the current user the mail owner, so tests run as root never switch ids. `$DIR` in the lines
/// given to `init` stands for the directory.
final class AdminTestEnvironment: @unchecked Sendable {
    let directory: String

    init(mail: [String] = [], auth: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.path + "/roost-admin-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let owner = String(cString: getpwuid(geteuid()).pointee.pw_name)
        let group = String(cString: getgrgid(getegid()).pointee.gr_name)
        // Defaults of the test setup, each left out when the test sets that key itself.
        func merged(_ defaults: [String], _ overrides: [String]) -> [String] {
            let keys = Set(overrides.map { $0.split(separator: "=")[0].trimmingCharacters(in: .whitespaces) })
            return defaults.filter { !keys.contains($0.split(separator: "=")[0].trimmingCharacters(in: .whitespaces)) }
                + overrides
        }
        let mail = mail.map { $0.replacingOccurrences(of: "$DIR", with: directory) }
        let auth = auth.map { $0.replacingOccurrences(of: "$DIR", with: directory) }
        let mailLines = merged(["location = \(directory)/mail/%u", "index_dir = \(directory)/index/%u", "fsync = no",
                                "owner_user = \(owner)", "owner_group = \(group)"], mail)
        let authLines = merged(["passwd_file = \(directory)/passwd", "password_scheme = SSHA512"], auth)
        let text = (["[mail]"] + mailLines + ["", "[auth]"] + authLines).joined(separator: "\n") + "\n"
        try write("roostd.conf", text)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var configurationPath: String { directory + "/roostd.conf" }
    var passwdPath: String { directory + "/passwd" }

    func path(_ name: String) -> String { directory + "/" + name }

    func maildir(_ user: String) -> String { directory + "/mail/" + user }

    /// `text` with `$DIR` replaced by the directory.
    func expand(_ text: String) -> String { text.replacingOccurrences(of: "$DIR", with: directory) }

    /// Appends lines to the passwd-file as an administrator would by hand.
    func appendPasswd(_ lines: String...) throws {
        let before = FileManager.default.fileExists(atPath: passwdPath) ? try read("passwd") : ""
        try write("passwd", before + lines.map { $0 + "\n" }.joined())
    }

    func makeDirectory(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
    }

    func makeLink(_ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(name), withDestinationPath: target)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))), as: UTF8.self)
    }

    /// Runs `mailboxctl --config <this environment's file> arguments...`.
    func run(_ arguments: String..., stdin: [String] = [], secrets: [String]? = nil) async -> CommandResult {
        await run(arguments, stdin: stdin, secrets: secrets)
    }

    func run(_ arguments: [String], stdin: [String] = [], secrets: [String]? = nil) async -> CommandResult {
        await runMailboxctl(["--config", configurationPath] + arguments, stdin: stdin, secrets: secrets)
    }

    /// Adds a user through `user add` and fails the test if that fails.
    @discardableResult
    func addUser(_ name: String, password: String = "secret", _ options: String...) async throws -> CommandResult {
        let result = await runMailboxctl(["--config", configurationPath, "user", "add", name, "--password-stdin"] + options,
                                         stdin: [password])
        guard result.code == 0 else { throw TestFailure("user add \(name) failed: \(result)") }
        return result
    }

    /// The user's store as the tests see it (no owner switching, no quota).
    func store(_ user: String) -> MailStore {
        MailStore(root: maildir(user), options: StorageOptions(fsync: false, indexDirectory: directory + "/index/" + user))
    }

    /// Drops a message into a folder's `new/` as a delivery agent would (`cur/` with `info` flags).
    func deliver(_ text: String, to user: String, folder: String = "", flags info: String? = nil) throws {
        let root = maildir(user) + (folder.isEmpty ? "" : "/" + folder)
        let base = "\(Int(Date().timeIntervalSince1970)).M\(Int.random(in: 0..<1_000_000))P\(getpid()).test"
        let temporary = root + "/tmp/" + base
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        let target = info.map { root + "/cur/" + base + ":2," + $0 } ?? root + "/new/" + base
        try FileManager.default.moveItem(atPath: temporary, toPath: target)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A small valid message.
func sampleMessage(_ subject: String = "Hello") -> String {
    "From: a@example.org\nTo: b@example.org\nSubject: \(subject)\nMessage-ID: <\(UUID().uuidString)@example.org>\n\nbody\n"
}

/// The password field of the first line of a passwd-file's text.
func storedPassword(in passwd: String) -> String {
    let firstLine = passwd.split(separator: "\n").first ?? ""
    let fields = firstLine.split(separator: ":", omittingEmptySubsequences: false)
    return fields.count > 1 ? String(fields[1]) : ""
}
