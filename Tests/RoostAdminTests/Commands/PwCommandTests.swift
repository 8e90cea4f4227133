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

    /// A hash that can never match is a data error (65), found before the prompt, not the
    /// "does not match" (1) of a wrong password.
    @Test(arguments: [
        ("{SHA512-CRYPT}garbage", "a SHA512-CRYPT value starts with $6$; this one has no $id$ prefix"),
        ("{SHA512-CRYPT}$1$abc$B..HicC/afMveWeNyfNsf/", "a SHA512-CRYPT value starts with $6$; this one starts with $1$"),
        ("{SHA512-CRYPT}$6$salt$short", "not a complete $6$ crypt(3) hash"),
        ("{BLF-CRYPT}$2b$05$short", "not a complete $2b$ crypt(3) hash"),
        ("{MD5-CRYPT}$1$abc$short", "not a complete $1$ crypt(3) hash"),
        ("{MD5}$1$abc$short", "not a complete $1$ crypt(3) hash"),
        ("{CRYPT}", "the CRYPT value is empty"),
        ("{CRYPT}garbage", "would have to be a 13-character DES hash"),
        ("garbage", "would have to be a 13-character DES hash"),
        ("{CRYPT}$y$j9T$salt$short", "not a complete $y$ crypt(3) hash"),
        ("{PLAIN}", "the PLAIN value is empty"),
        ("{SSHA}xx", "SSHA data is 1 bytes long"),
        ("{NOPE}abc", "unknown password scheme NOPE"),
    ])
    func malformedHashIsADataErrorBeforeThePrompt(hash: String, message: String) async throws {
        let result = try await run(["--test", hash], secrets: ["pw"])
        #expect(result.code == AdminExitCode.dataError.rawValue, "\(result)")
        #expect(result.errors.hasPrefix("mailboxctl: error: cannot check against that hash: "), "\(result)")
        #expect(result.errors.contains(message), "\(result)")
        #expect(result.prompts.isEmpty)
    }

    @Test func wellFormedForeignHashesStillAnswerMatchOrMismatch() async throws {
        // Made by perl's crypt(), that is by libxcrypt: DES, BSDi, SHA512-CRYPT with rounds, bcrypt.
        for hash in ["{CRYPT}abgOeLfPimXQo", "{CRYPT}_J9..salthGVxOQgfL1M",
                     "{SHA512-CRYPT}$6$rounds=10000$saltsalt$SUKsIfW97VY34On.kGO8yBI1HnziN9p.Q8sL6UoON.ElrSTA9BqaJZWt7lMr5EU25WIC1mwleJtQYdf/hU6rQ/",
                     "{BLF-CRYPT}$2b$05$abcdefghijklmnopqrstuuMceFj4VbmHOj8C7PetMxzZkwre/z.Ri",
                     "{MD5}$1$abc$B..HicC/afMveWeNyfNsf/"] {
            let good = try await run(["--test", hash, "--password-stdin"], stdin: ["test"])
            #expect(good.code == 0, "\(hash): \(good)")
            let bad = try await run(["--test", hash, "--password-stdin"], stdin: ["nope"])
            #expect(bad.code == AdminExitCode.mismatch.rawValue, "\(hash): \(bad)")
        }
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
