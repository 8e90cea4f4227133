import RoostAuth
import Testing
@testable import RoostAdmin

@Suite("mailboxctl pw")
struct PwCommandTests {
    /// Hashes and checks need no configuration file; `--config` to a file with defaults keeps the
    /// tests independent of /etc/roost.
    func run(_ arguments: [String], stdin: [String] = [], secrets: [String]? = nil) async throws -> CommandResult {
        let environment = try AdminTestEnvironment()
        return await environment.run(["pw"] + arguments, stdin: stdin, secrets: secrets)
    }

    @Test(arguments: ["CRYPT", "SHA512-CRYPT", "BLF-CRYPT", "SSHA512", "SHA256", "PLAIN", "CRAM-MD5", "PLAIN-MD5"])
    func hashThenTestRoundTrip(scheme: String) async throws {
        let environment = try AdminTestEnvironment()
        let made = await environment.run("pw", "--scheme", scheme, "--password-stdin", stdin: ["correct horse"])
        #expect(made.code == 0, "\(made)")
        let hash = made.output.trimmingCharacters(in: .newlines)
        #expect(hash.hasPrefix("{\(scheme)}"))

        let good = await environment.run("pw", "--test", hash, "--password-stdin", stdin: ["correct horse"])
        #expect(good.code == 0, "\(good)")
        #expect(good.output == "verified\n")

        let bad = await environment.run("pw", "-t", hash, "--password-stdin", stdin: ["battery staple"])
        #expect(bad.code == AdminExitCode.mismatch.rawValue, "\(bad)")
        #expect(bad.errors == "mailboxctl: error: the password does not match\n")
    }

    @Test func defaultSchemeComesFromTheConfiguration() async throws {
        let environment = try AdminTestEnvironment()
        let made = await environment.run("pw", "--password-stdin", stdin: ["pw"])
        #expect(made.output.hasPrefix("{SSHA512}"))
    }

    @Test func promptsTwiceForANewHashAndOnceForATest() async throws {
        let made = try await run([], secrets: ["pw", "pw"])
        #expect(made.code == 0)
        #expect(made.prompts == ["New password: ", "Retype new password: "])
        let hash = made.output.trimmingCharacters(in: .newlines)
        let tested = try await run(["--test", hash], secrets: ["pw"])
        #expect(tested.code == 0)
        #expect(tested.prompts == ["Password: "])
    }

    @Test func unusableHashIsADataError() async throws {
        let result = try await run(["--test", "{NOPE}abc", "--password-stdin"], stdin: ["pw"])
        #expect(result.code == AdminExitCode.dataError.rawValue)
        #expect(result.errors.contains("unknown password scheme NOPE"))
    }

    @Test func unknownSchemeIsAUsageError() async throws {
        let result = try await run(["--scheme", "ARGON9", "--password-stdin"], stdin: ["pw"])
        #expect(result.code == AdminExitCode.usage.rawValue)
        #expect(result.errors.hasPrefix("mailboxctl: error: The value 'ARGON9' is invalid for '--scheme <scheme>'"), "\(result)")
    }

    @Test func userOptionIsAcceptedForDoveadmCompatibility() async throws {
        let result = try await run(["-u", "bob@example.org", "-s", "PLAIN", "--password-stdin"], stdin: ["pw"])
        #expect(result.output == "{PLAIN}pw\n")
    }

    @Test func listsSchemes() async throws {
        let result = try await run(["--list-schemes"])
        #expect(result.lines == PasswordScheme.allCases.map(\.name))
    }
}
