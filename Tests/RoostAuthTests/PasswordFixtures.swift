import Foundation

/// One row of Fixtures/password-hashes.tsv: a hash made by `doveadm pw` or `mkpasswd`.
struct PasswordFixture: Sendable, CustomStringConvertible {
    var label: String
    var password: String
    var stored: String

    var description: String { "\(label) \(password.prefix(12).debugDescription)" }

    /// All rows; empty if the resource is missing (a separate test checks the count).
    static let all: [PasswordFixture] = {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = try? Data(contentsOf: directory.appendingPathComponent("password-hashes.tsv"))
        else { return [] }
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .compactMap { line in
                let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard columns.count == 3 else { return nil }
                return PasswordFixture(label: columns[0], password: columns[1], stored: columns[2])
            }
    }()
}
