import Testing
@testable import RoostAdmin

@Suite("UserName")
struct UserNameTests {
    @Test(arguments: ["bob", "bob@example.org", "b.o_b-1+tag@mail.example.org", "a", String(repeating: "a", count: 255)])
    func accepts(name: String) throws {
        #expect(try UserName(validating: name).rawValue == name)
    }

    @Test(arguments: ["Bob", "bob@Example.org", "bøb", "bob!", "bob%", "bob#", "#bob", "bob\t", "bob\u{200B}"])
    func refuses(name: String) {
        #expect(throws: AdminError.self) { try UserName(validating: name) }
    }

    @Test func usableNamesForExistingUsers() throws {
        try UserName.checkUsable("Bob")
        try UserName.checkUsable("odd name")
        #expect(throws: AdminError.self) { try UserName.checkUsable("a:b") }
        #expect(throws: AdminError.self) { try UserName.checkUsable("") }
        #expect(throws: AdminError.self) { try UserName.checkUsable("a\nb") }
    }
}
