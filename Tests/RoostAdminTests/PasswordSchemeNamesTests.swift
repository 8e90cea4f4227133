import RoostAuth
import RoostConfig
import Testing
@testable import RoostAdmin

/// RoostConfig knows scheme names, RoostAuth implements schemes; neither imports the other, so this
/// test (in the one target that sees both) keeps the two lists equal. A name only the configuration
/// knew would fail at the first `user add`; one only RoostAuth knew could not be configured.
@Suite("Password scheme names")
struct PasswordSchemeNamesTests {
    @Test func configurationAndAuthKnowTheSameSchemes() {
        #expect(PasswordSchemeName.allCases.map(\.rawValue) == PasswordScheme.allCases.map(\.name))
    }

    @Test(arguments: PasswordSchemeName.allCases)
    func everyConfiguredSchemeHashes(name: PasswordSchemeName) async throws {
        let environment = try AdminTestEnvironment(auth: ["password_scheme = \(name.rawValue)"])
        let made = await environment.run("pw", "--password-stdin", stdin: ["pw"])
        #expect(made.code == 0, "\(made)")
        #expect(made.output.hasPrefix("{\(name.rawValue)}"))
    }
}
