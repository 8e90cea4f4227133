import Foundation
import RoostTesting
import Testing

/// The runner every interop test depends on: a missing program fails with the package name, a
/// program starts as from a shell (no signal blocked or ignored: getmail6 waits for its delivery
/// child with a SIGCHLD handler, and the threads Swift concurrency runs on block nearly every
/// signal), and a hanging one is killed at the timeout.
@Suite struct ExternalToolTests {
    @Test func missingProgramNamesTheDebianPackage() throws {
        #expect {
            try ExternalTool.require("roost-no-such-client", debianPackage: "roost-client-package")
        } throws: { error in
            "\(error)".contains("install the Debian package roost-client-package")
        }
    }

    @Test func childStartsWithDefaultSignalHandling() async throws {
        let shell = try ExternalTool.require("sh", debianPackage: "dash")
        // More than once: the first run may set up process-wide state (SIGCHLD handling) for later ones.
        for _ in 0..<3 {
            let result = try await shell.run(["-c", "grep -E '^Sig(Blk|Ign):' /proc/self/status"])
            #expect(result.succeeded, "\(result)")
            let masks: [String: UInt64] = Dictionary(uniqueKeysWithValues: result.output.split(whereSeparator: \.isNewline).compactMap { line -> (String, UInt64)? in
                let fields = line.split(separator: ":")
                guard fields.count == 2, let mask = UInt64(fields[1].trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
                return (String(fields[0]), mask)
            })
            #expect(masks["SigBlk"] == 0, "\(result)")
            // Signals 1-31; glibc keeps its two internal real-time signals (32, 33) to itself.
            #expect(masks["SigIgn"].map { $0 & 0x7fff_ffff } == 0, "\(result)")
        }
    }

    @Test func inputOutputAndEnvironment() async throws {
        let shell = try ExternalTool.require("sh", debianPackage: "dash")
        let result = try await shell.run(
            ["-c", "cat; echo \"[$ROOST_VALUE]\"; echo oops >&2; exit 3"], environment: ["ROOST_VALUE": "a b"],
            input: Array("line\n".utf8)
        )
        #expect(result.status == 3 && !result.timedOut && !result.terminatedBySignal)
        #expect(result.output == "line\n[a b]\n")
        #expect(result.errorOutput == "oops\n")
    }

    @Test func onlyStandardDescriptorsAndTheWorkingDirectory() async throws {
        let shell = try ExternalTool.require("sh", debianPackage: "dash")
        let result = try await shell.run(["-c", "ls /proc/self/fd; pwd"], directory: "/tmp")
        #expect(result.succeeded, "\(result)")
        // 0-2 and the descriptor ls opened for reading /proc/self/fd.
        let lines = result.output.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.prefix(3) == ["0", "1", "2"], "\(result)")
        #expect(lines.count == 5 && lines.last == "/tmp", "\(result)")
    }

    @Test func timeoutKillsTheProcessGroup() async throws {
        let shell = try ExternalTool.require("sh", debianPackage: "dash")
        let clock = ContinuousClock()
        let started = clock.now
        // The grandchild keeps stdout open; the wait must not depend on it.
        let result = try await shell.run(["-c", "sleep 120 & sleep 120"], timeout: .milliseconds(300))
        #expect(result.timedOut)
        // Well under the grandchild's 120 s: the wait ended with the kill, not with the pipe. The
        // margin is wide because a loaded 2-core machine (the whole suite in parallel) took 21 s.
        #expect(clock.now - started < .seconds(60))
    }
}
