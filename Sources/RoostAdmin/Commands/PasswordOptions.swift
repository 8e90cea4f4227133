import ArgumentParser
import RoostAuth

/// The password options shared by `user add`, `user passwd` and `pw`.
struct PasswordOptions: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input instead of prompting on the terminal.")
    var passwordStdin = false

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Password scheme for the new hash (default: auth.password_scheme, normally CRYPT = yescrypt).",
        valueName: "scheme"
    ))
    var scheme: PasswordScheme?
}

extension PasswordScheme: ExpressibleByArgument {
    /// Dovecot's names, any case, with the aliases `SHA1` and `HMAC-MD5`.
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.name) }
}
