import ArgumentParser
import RoostAuth

/// `mailboxctl pw`: makes or checks a `{SCHEME}hash`, like `doveadm pw`.
///
/// Needs no passwd-file; the configuration is read only for `auth.password_scheme` and
/// `auth.default_scheme`, and the built-in defaults are used when the default file is absent.
struct PwCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pw",
        abstract: "Hash a password for a passwd-file, or check one against a hash.",
        discussion: """
            Prints {SCHEME}hash, ready for the password field of a passwd-file. With --test HASH, \
            checks the password against HASH instead and exits 0 if it matches, 1 if not, and 65 \
            if HASH is not a valid stored value (checked before the password is asked). The \
            password is asked on the terminal (twice for a new hash) or read from standard input \
            with --password-stdin.
            """
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @OptionGroup var password: PasswordOptions

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Check the password against this stored value ({SCHEME}data) instead of making a hash.", valueName: "hash"
    ))
    var test: String?

    @Option(name: [.short, .long], help: """
        User name, accepted for doveadm compatibility; no scheme Roost implements mixes it into the hash.
        """)
    var user: String?

    @Flag(name: [.short, .long], help: "List the supported schemes and exit.")
    var listSchemes = false

    func run() async throws {
        let console = AdminConsole.current
        if listSchemes {
            for scheme in PasswordScheme.allCases { console.print(scheme.name) }
            return
        }
        if let user { try UserName.checkUsable(user) }
        let context = try AdminContext.loadIfPresent(path: mailboxctl.config)
        if let test {
            // A malformed hash is refused before the prompt, and as 65, never as "does not match".
            let stored: StoredPassword
            do {
                stored = try StoredPassword(parsing: test, defaultScheme: try context.defaultScheme)
                try stored.validate()
            } catch {
                throw AdminError(.dataError, "cannot check against that hash: \(error)")
            }
            if let problem = StoredPasswordCheck.problem(stored) {
                throw AdminError(.dataError, "cannot check against that hash: \(problem)")
            }
            let secret = try PasswordInput.readExisting(fromStandardInput: password.passwordStdin, console: console)
            let matches: Bool
            do {
                matches = try PasswordVerifier.verify(password: Array(secret.utf8), stored: stored)
            } catch {
                throw AdminError(.dataError, "cannot check against that hash: \(error)")
            }
            guard matches else { throw AdminError(.mismatch, "the password does not match") }
            console.print("verified")
            return
        }
        let scheme = try context.newPasswordScheme(override: password.scheme)
        let secret = try PasswordInput.readNew(fromStandardInput: password.passwordStdin, console: console)
        console.print(try PasswordHasher.hash(password: secret, scheme: scheme))
    }
}
