import Foundation
import Testing
@testable import RoostAdmin

/// `user del`, above all what `--remove-mail` must never delete. Every refusal is checked to
/// leave the passwd-file byte for byte as it was and the directories in place.
@Suite("mailboxctl user del")
struct UserDeleteCommandTests {
    /// Runs `user del USER --remove-mail`, expects a refusal naming `fragment`, and checks that
    /// nothing changed.
    func expectRefusal(
        _ environment: AdminTestEnvironment, deleting user: String, _ fragment: String, keeps paths: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try environment.read("passwd")
        let result = await environment.run("user", "del", user, "--remove-mail")
        #expect(result.code == AdminExitCode.dataError.rawValue, "\(result)", sourceLocation: sourceLocation)
        #expect(result.errors.contains(environment.expand(fragment)), "\(result)", sourceLocation: sourceLocation)
        #expect(result.errors.contains("nothing was deleted"), "\(result)", sourceLocation: sourceLocation)
        #expect(!result.errors.contains("NSCocoaErrorDomain"), sourceLocation: sourceLocation)
        #expect(result.output.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(try environment.read("passwd") == before, sourceLocation: sourceLocation)
        for path in paths {
            #expect(FileManager.default.fileExists(atPath: environment.expand(path)), "\(path) is gone",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: A name without a domain

    /// The data loss this guards against: under `/var/vmail/%d/%n` the bare user `example.org`
    /// got `/var/vmail//example.org`, the directory of every user of example.org.
    @Test func bareUserCannotReachTheDomainDirectory() async throws {
        let environment = try AdminTestEnvironment(mail: ["location = $DIR/vmail/%d/%n"])
        try await environment.addUser("bob@example.org")
        try await environment.addUser("carol@example.org")

        let add = await environment.run("user", "add", "example.org", secrets: ["pw", "pw"])
        #expect(add.code == AdminExitCode.dataError.rawValue, "\(add)")
        #expect(add.errors.contains("uses %d, but user example.org has no domain"), "\(add)")
        #expect(add.prompts.isEmpty)
        #expect(try !environment.read("passwd").split(separator: "\n").contains { $0.hasPrefix("example.org:") })

        // A line written by hand (or by an older version) cannot take the domain's mail with it.
        try environment.appendPasswd("example.org:{PLAIN}x")
        let before = try environment.read("passwd")
        let removal = await environment.run("user", "del", "example.org", "--remove-mail")
        #expect(removal.code == AdminExitCode.dataError.rawValue, "\(removal)")
        #expect(removal.errors.contains("cannot work out where the mail is, so nothing was deleted"), "\(removal)")
        #expect(try environment.read("passwd") == before)
        #expect(environment.exists("vmail/example.org/bob/cur"))
        #expect(environment.exists("vmail/example.org/carol/cur"))

        // Deleting just the line is still possible.
        let plain = await environment.run("user", "del", "example.org")
        #expect(plain.code == 0, "\(plain)")
        #expect(plain.lines == ["deleted user example.org from \(environment.passwdPath)"])
        #expect(environment.exists("vmail/example.org/bob/cur"))
    }

    @Test func usersWhoseMailCannotBeFoundAreNamedInAWarning() async throws {
        let environment = try AdminTestEnvironment(mail: ["location = $DIR/vmail/%d/%n"])
        try await environment.addUser("bob@example.org")
        try environment.appendPasswd("legacy:{PLAIN}x")
        let result = await environment.run("user", "del", "bob@example.org", "--remove-mail")
        #expect(result.code == 0, "\(result)")
        #expect(result.errors.contains("mailboxctl: warning: cannot work out where user legacy's mail is"), "\(result)")
        #expect(!environment.exists("vmail/example.org/bob"))
    }

    // MARK: Other users' mail

    /// One directory under any spelling: a symbolic link above it, `.`, `//`, `..`.
    @Test(arguments: ["$DIR/mail/f", "$DIR/alias/f", "$DIR/mail/./f", "$DIR/mail//f/", "$DIR/mail/f/cur/..",
                      "$DIR/mail/other/../f", "$DIR/alias/../mail/f"])
    func anotherUsersMaildirIsNotDeleted(spelling: String) async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("f")
        try environment.makeLink("alias", to: environment.path("mail"))
        try environment.makeDirectory("mail/other")
        try await environment.addUser("g", "--mail", "maildir:" + environment.expand(spelling))
        try await expectRefusal(environment, deleting: "f", "is also the Maildir of user g",
                                keeps: ["$DIR/mail/f/cur", "$DIR/mail/f/new", "$DIR/mail/f/tmp"])
        try await expectRefusal(environment, deleting: "g", "is also the Maildir of user f", keeps: ["$DIR/mail/f/cur"])
    }

    @Test func nestedMaildirsAreNotDeleted() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("outer", "--mail", environment.expand("maildir:$DIR/nest"))
        try await environment.addUser("inner", "--mail", environment.expand("maildir:$DIR/nest/inner"))
        try await expectRefusal(environment, deleting: "outer", "contains the Maildir of user inner ($DIR/nest/inner)",
                                keeps: ["$DIR/nest/cur", "$DIR/nest/inner/cur"])
        try await expectRefusal(environment, deleting: "inner", "is inside the Maildir of user outer ($DIR/nest)",
                                keeps: ["$DIR/nest/inner/cur"])
    }

    @Test func anotherUsersIndexDirectoryIsNotDeleted() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("f")
        _ = await environment.run("mailbox", "status", "f")
        #expect(environment.exists("index/f/INBOX/roost.index"))
        try await environment.addUser("k", "--mail", environment.expand("maildir:$DIR/k:INDEX=$DIR/index/f"))
        try await expectRefusal(environment, deleting: "f", "the index directory $DIR/index/f is also the index directory of user k",
                                keeps: ["$DIR/index/f/INBOX/roost.index", "$DIR/mail/f/cur"])
    }

    @Test func anotherUsersHomeIsNotDeleted() async throws {
        let environment = try AdminTestEnvironment()
        try environment.makeDirectory("homes/carol")
        try environment.write("homes/carol/.profile", "\n")
        try await environment.addUser("carol", "--home", environment.path("homes/carol"))
        // bob's Maildir is carol's home (made a Maildir by hand, or by a mistaken --mail).
        try await environment.addUser("bob", "--mail", environment.expand("maildir:$DIR/homes/carol"))
        try await expectRefusal(environment, deleting: "bob", "is also the home directory of user carol",
                                keeps: ["$DIR/homes/carol/.profile", "$DIR/homes/carol/cur"])
        #expect(await environment.run("user", "del", "bob").code == 0)
        // A Maildir inside another user's home is fine to delete.
        try await environment.addUser("dave", "--mail", environment.expand("maildir:$DIR/homes/carol/dave-mail"))
        let result = await environment.run("user", "del", "dave", "--remove-mail")
        #expect(result.code == 0, "\(result)")
        #expect(!environment.exists("homes/carol/dave-mail"))
        #expect(environment.exists("homes/carol/.profile"))
    }

    // MARK: The home and what is not mail

    /// With the index directory at the home, `--remove-mail` once deleted the whole home.
    @Test(arguments: [
        ("%h", "is the home directory of bob or above it"),
        ("%h/sub/..", "is the home directory of bob or above it"),
        ("$DIR/via-link/%u", "is the home directory of bob or above it"),
        ("%h/link-to-home", "is a symbolic link"),
        ("$DIR/homes/%u/index", "holds .profile"),
    ])
    func indexDirectoryAtTheHomeIsNotDeleted(template: String, reason: String) async throws {
        let environment = try AdminTestEnvironment(mail: ["index_dir = \(template)"])
        try environment.makeDirectory("homes/bob")
        try environment.write("homes/bob/.profile", "export MAIL=~/Maildir\n")
        try environment.makeLink("via-link", to: environment.path("homes"))
        try environment.makeLink("homes/bob/link-to-home", to: environment.path("homes/bob"))
        try environment.makeDirectory("homes/bob/index")
        try environment.write("homes/bob/index/.profile", "not an index\n")
        try await environment.addUser("bob", "--home", environment.path("homes/bob"))
        try await expectRefusal(environment, deleting: "bob", reason,
                                keeps: ["$DIR/homes/bob/.profile", "$DIR/homes/bob/index/.profile", "$DIR/mail/bob/cur"])
    }

    @Test(arguments: ["maildir:~", "maildir:~/.", "maildir:~/Maildir/.."])
    func maildirAtTheHomeIsNotDeleted(location: String) async throws {
        let environment = try AdminTestEnvironment()
        try environment.makeDirectory("homes/bob/cur")
        try environment.makeDirectory("homes/bob/new")
        try environment.makeDirectory("homes/bob/tmp")
        try environment.write("homes/bob/.profile", "\n")
        try await environment.addUser("bob", "--home", environment.path("homes/bob"), "--mail", location, "--no-create-maildir")
        try await expectRefusal(environment, deleting: "bob", "is the home directory of bob or above it",
                                keeps: ["$DIR/homes/bob/.profile", "$DIR/homes/bob/cur"])
    }

    @Test func maildirAboveTheHomeIsNotDeleted() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--home", environment.path("m/bob/home"), "--mail",
                                      environment.expand("maildir:$DIR/m/bob"))
        try await expectRefusal(environment, deleting: "bob", "the Maildir $DIR/m/bob is the home directory of bob or above it",
                                keeps: ["$DIR/m/bob/cur"])
    }

    @Test func theRootDirectoryIsNotDeleted() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--mail", environment.expand("maildir:$DIR/mail/bob:INDEX=/"))
        try await expectRefusal(environment, deleting: "bob", "the index directory / is the root directory",
                                keeps: ["$DIR/mail/bob/cur"])
    }

    @Test(arguments: ["cur", "new", "tmp"])
    func aDirectoryWithoutCurNewTmpIsNotAMaildir(missing: String) async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try FileManager.default.removeItem(atPath: environment.maildir("bob") + "/" + missing)
        try await expectRefusal(environment, deleting: "bob", "is not a Maildir (no \(missing)/)", keeps: ["$DIR/mail/bob"])
    }

    @Test func aMaildirThatIsASymbolicLinkIsNotFollowed() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--no-create-maildir")
        try environment.makeDirectory("elsewhere/cur")
        try environment.makeDirectory("elsewhere/new")
        try environment.makeDirectory("elsewhere/tmp")
        try environment.makeDirectory("mail")
        try environment.makeLink("mail/bob", to: environment.path("elsewhere"))
        try await expectRefusal(environment, deleting: "bob", "the Maildir $DIR/mail/bob is a symbolic link",
                                keeps: ["$DIR/elsewhere/cur"])
    }

    @Test(arguments: [
        ("notes.txt", "holds notes.txt, which is not a Roost index file"),
        ("INBOX/dovecot.index", "holds INBOX/dovecot.index, which is not a Roost index file"),
        ("INBOX/sub/roost.index", "holds INBOX/sub, which is not a Roost index file"),
    ])
    func anIndexDirectoryWithOtherFilesIsNotDeleted(stranger: String, reason: String) async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        _ = await environment.run("mailbox", "status", "bob")
        try FileManager.default.createDirectory(atPath: (environment.path("index/bob/" + stranger) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try environment.write("index/bob/" + stranger, "x")
        try await expectRefusal(environment, deleting: "bob", reason,
                                keeps: ["$DIR/index/bob/" + stranger, "$DIR/index/bob/INBOX/roost.index", "$DIR/mail/bob/cur"])
    }

    // MARK: What is deleted

    @Test func removesMaildirAndIndexFiles() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try await environment.addUser("carol")
        _ = await environment.run("mailbox", "create", "bob", "Work")
        _ = await environment.run("mailbox", "status", "bob")
        // A temporary file left by an interrupted index write is Roost's too.
        try environment.write("index/bob/INBOX/roost.index.tmp.abc.R1", "")
        let result = await environment.run("user", "del", "bob", "--remove-mail")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines == [
            "deleted user bob from \(environment.passwdPath)",
            "deleted index files in \(environment.path("index/bob"))",
            "deleted mail in \(environment.maildir("bob"))",
        ])
        #expect(!environment.exists("index/bob"))
        #expect(!environment.exists("mail/bob"))
        #expect(environment.exists("mail/carol/cur"))
        #expect(try environment.read("passwd").hasPrefix("carol:"))
    }

    @Test func nothingOnDiskIsNotAnError() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--no-create-maildir")
        let result = await environment.run("user", "del", "bob", "--remove-mail")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines == [
            "deleted user bob from \(environment.passwdPath)",
            "no index directory at \(environment.path("index/bob")); nothing to delete",
            "no Maildir at \(environment.maildir("bob")); nothing to delete",
        ])
    }
}
