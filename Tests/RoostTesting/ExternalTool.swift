import Foundation
import NIOConcurrencyHelpers

/// A program installed on the machine (python3, curl, fetchmail, getmail, ...) that interop tests
/// run against the in-process server.
///
/// A missing program is an error naming the Debian package to install, so the test fails instead
/// of being skipped: in CI a missing client is a failure. The program runs in a process group of
/// its own, as from a shell (default signal handling, only descriptors 0-2); the blocking wait
/// happens on a dedicated thread, never on Swift's cooperative pool, and on timeout the whole
/// group is killed.
public struct ExternalTool: Sendable {
    /// The name looked up on `PATH`, e.g. `fetchmail`.
    public let name: String
    /// The Debian package that provides it, for the failure message.
    public let debianPackage: String
    /// Where the program is (found on `PATH`, or as given).
    public let path: String

    /// Finds `name` on `PATH` (or takes it as it is when it contains a "/"), or throws
    /// `ExternalToolError.missing` naming `debianPackage`.
    public static func require(_ name: String, debianPackage: String) throws -> ExternalTool {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = name.contains("/")
            ? [name] : searchPath.split(separator: ":").filter { !$0.isEmpty }.map { $0 + "/" + name }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate)
            {
                return ExternalTool(name: name, debianPackage: debianPackage, path: candidate)
            }
        }
        throw ExternalToolError.missing(name: name, debianPackage: debianPackage, searchPath: searchPath)
    }

    /// Runs the program and waits for it, without blocking a cooperative thread.
    ///
    /// - Parameters:
    ///   - arguments: the arguments after the program name.
    ///   - environment: variables added to (or replacing those of) this process's environment.
    ///   - removingEnvironment: variables not to pass on (e.g. proxy settings).
    ///   - input: bytes for standard input (empty: /dev/null).
    ///   - directory: the working directory; nil keeps this process's.
    ///   - outputPath: a file for standard output, to watch while the program runs (it stays);
    ///     nil: a scratch file. Either way the output is in the result.
    ///   - timeout: after this the process group gets SIGTERM, half a second later SIGKILL, and the
    ///     result has `timedOut` set (it is returned, not thrown, so its output can be reported).
    public func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        removingEnvironment: [String] = [],
        input: [UInt8] = [],
        directory: String? = nil,
        outputPath: String? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> ExternalToolResult {
        var fullEnvironment = ProcessInfo.processInfo.environment
        for name in removingEnvironment { fullEnvironment[name] = nil }
        fullEnvironment.merge(environment) { _, new in new }
        let invocation = Invocation(
            executable: path, arguments: arguments, environment: fullEnvironment, input: input,
            directory: directory, outputPath: outputPath, timeout: timeout
        )
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try invocation.runBlocking() })
            }
            thread.name = "ExternalTool \(name)"
            thread.start()
        }
    }

    /// Runs the program on the calling thread: for synchronous test set-up (creating system
    /// users). Same child as `run` (posix_spawn, descriptors 0-2 only, own process group).
    public func runBlocking(_ arguments: [String], input: [UInt8] = [], timeout: Duration = .seconds(30)) throws -> ExternalToolResult {
        try Invocation(
            executable: path, arguments: arguments, environment: ProcessInfo.processInfo.environment, input: input,
            directory: nil, timeout: timeout
        ).runBlocking()
    }

    /// Starts the program and returns at once (a daemon under test): standard input and output
    /// are /dev/null, standard error goes to `errorPath`. The caller signals and reaps it.
    public func start(_ arguments: [String], errorPath: String) throws -> pid_t {
        try Invocation(
            executable: path, arguments: arguments, environment: ProcessInfo.processInfo.environment, input: [],
            directory: nil, timeout: .zero
        ).spawn(inputPath: "/dev/null", outputPath: "/dev/null", errorPath: errorPath)
    }

    /// The proxy variables curl, Python and others honour; interop tests drop them so that
    /// nothing leaves the loopback interface.
    public static let proxyVariables = [
        "http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "no_proxy",
        "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "FTP_PROXY", "NO_PROXY",
    ]
}

/// What a finished (or killed) external program left behind.
public struct ExternalToolResult: Sendable, CustomStringConvertible {
    /// The program and its arguments, for messages.
    public var command: [String]
    /// The exit status, or the signal number when `terminatedBySignal`.
    public var status: Int32
    public var terminatedBySignal: Bool
    /// True when the timeout killed it.
    public var timedOut: Bool
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    /// Exited normally with status 0.
    public var succeeded: Bool { !timedOut && !terminatedBySignal && status == 0 }
    public var output: String { String(decoding: standardOutput, as: UTF8.self) }
    public var errorOutput: String { String(decoding: standardError, as: UTF8.self) }

    public var description: String {
        let how = timedOut ? "timed out" : terminatedBySignal ? "killed by signal \(status)" : "exit status \(status)"
        return """
            \(command.joined(separator: " ")): \(how)
            --- stdout ---
            \(Self.tail(output))
            --- stderr ---
            \(Self.tail(errorOutput))
            """
    }

    private static func tail(_ text: String, limit: Int = 6000) -> String {
        text.count <= limit ? text : "…" + String(text.suffix(limit))
    }
}

public enum ExternalToolError: Error, CustomStringConvertible {
    case missing(name: String, debianPackage: String, searchPath: String)
    case cannotStart(command: String, underlying: String)

    public var description: String {
        switch self {
        case .missing(let name, let package, let searchPath):
            "\(name) is not installed (not on PATH \(searchPath)): install the Debian package \(package) (apt-get install \(package)); .ci/run installs it in CI"
        case .cannotStart(let command, let underlying):
            "cannot start \(command): \(underlying)"
        }
    }
}

/// One run of a program; everything here happens on the dedicated thread.
///
/// `posix_spawn` rather than Foundation's `Process`: the thread that spawns is created from a Swift
/// concurrency (libdispatch) thread and inherits its signal mask, which blocks nearly every signal,
/// and `Process` passes that mask and other descriptors of this process on to the child. getmail6
/// then never sees SIGCHLD from its delivery child and gives up after its timeout. Here the child
/// gets an empty mask, default signal handling, its own process group and only descriptors 0-2.
private struct Invocation: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var input: [UInt8]
    var directory: String?
    /// Standard output's file; nil: one in the scratch directory.
    var outputPath: String? = nil
    var timeout: Duration

    /// Output goes to files rather than pipes, so a grandchild that keeps a descriptor open (an
    /// MDA, a helper) cannot make the wait hang, and no reader threads are needed.
    func runBlocking() throws -> ExternalToolResult {
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outputPath = self.outputPath ?? scratch + "/stdout", errorPath = scratch + "/stderr", inputPath = scratch + "/stdin"
        guard FileManager.default.createFile(atPath: inputPath, contents: Data(input)) else {
            throw ExternalToolError.cannotStart(command: executable, underlying: "cannot write \(inputPath)")
        }
        let command = [executable] + arguments

        let pid = try spawn(inputPath: inputPath, outputPath: outputPath, errorPath: errorPath)
        let watchdog = Watchdog(processGroup: pid)
        watchdog.arm(after: timeout)
        // Wait without reaping first, so the watchdog never signals a process group whose
        // leader's pid could already be reused.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        let timedOut = watchdog.disarm()
        var status: Int32 = 0
        var waited: pid_t
        repeat { waited = waitpid(pid, &status, 0) } while waited < 0 && errno == EINTR
        guard waited == pid else {
            throw ExternalToolError.cannotStart(command: command.joined(separator: " "), underlying: "waitpid: errno \(errno)")
        }

        let signal = status & 0x7f
        return ExternalToolResult(
            command: command,
            status: signal == 0 ? (status >> 8) & 0xff : signal,
            terminatedBySignal: signal != 0,
            timedOut: timedOut,
            standardOutput: Array((try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()),
            standardError: Array((try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data())
        )
    }

    fileprivate func spawn(inputPath: String, outputPath: String, errorPath: String) throws -> pid_t {
        let command = ([executable] + arguments).joined(separator: " ")
        func check(_ result: Int32, _ what: String) throws {
            guard result == 0 else { throw ExternalToolError.cannotStart(command: command, underlying: "\(what): \(String(cString: strerror(result)))") }
        }

        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        try check(posix_spawn_file_actions_addopen(&actions, 0, input.isEmpty ? "/dev/null" : inputPath, O_RDONLY, 0), "stdin")
        try check(posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600), "stdout")
        try check(posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600), "stderr")
        try check(Self.closeFrom(&actions, 3), "posix_spawn_file_actions_addclosefrom_np")
        if let directory { try check(Self.changeDirectory(&actions, directory), "posix_spawn_file_actions_addchdir_np") }

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        try check(posix_spawnattr_setsigmask(&attributes, &noSignals), "posix_spawnattr_setsigmask")
        try check(posix_spawnattr_setsigdefault(&attributes, &allSignals), "posix_spawnattr_setsigdefault")
        try check(posix_spawnattr_setpgroup(&attributes, 0), "posix_spawnattr_setpgroup")
        let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "posix_spawnattr_setflags")

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        try check(posix_spawn(&pid, executable, &actions, &attributes, argv, envp), "posix_spawn")
        return pid
    }

    // glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+) and `..._addchdir_np` (2.29+) are
    // GNU extensions that Swift's Glibc module does not import: looked up at run time.

    private static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, lowest)
    }

    private static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: AddChdir.self)(actions, path)
    }

    private func makeScratchDirectory() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/roost-tool-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }
}

/// Kills a process group when the timeout passes before `disarm()`.
private final class Watchdog: Sendable {
    private struct State {
        var finished = false
        var fired = false
    }

    private let processGroup: pid_t
    private let state = NIOLockedValueBox(State())

    init(processGroup: pid_t) { self.processGroup = processGroup }

    func arm(after timeout: Duration) {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            guard signal(SIGTERM) else { return }
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { [self] in _ = signal(SIGKILL) }
        }
    }

    /// Sends `number` to the group unless the process has already been waited for.
    private func signal(_ number: Int32) -> Bool {
        state.withLockedValue { state in
            guard !state.finished else { return false }
            state.fired = true
            // The child leads its own group: this reaches its children (an MDA, a shell) too.
            kill(-processGroup, number)
            kill(processGroup, number)
            return true
        }
    }

    /// Marks the process as waited for; returns whether the timeout fired.
    func disarm() -> Bool {
        state.withLockedValue { state in
            state.finished = true
            return state.fired
        }
    }
}
