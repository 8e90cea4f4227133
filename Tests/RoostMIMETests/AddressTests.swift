import Testing
@testable import RoostMIME

@Suite("Address")
struct AddressTests {
    /// Expected lists in IMAP notation. Where Dovecot 2.3.19 gives a different answer the line says
    /// so: RoostMIME is deliberately more tolerant of the common garbage forms.
    @Test(arguments: [
        ("John Doe <john@example.com>", #"(("John Doe" NIL "john" "example.com"))"#),
        ("john@example.com", #"((NIL NIL "john" "example.com"))"#),
        ("\"Doe, John\" <john@example.com>", #"(("Doe, John" NIL "john" "example.com"))"#),
        // Dovecot: ((NIL NIL "Doe" "MISSING_DOMAIN")("John" NIL "john" "example.com"))
        ("Doe, John <john@example.com>", #"(("Doe, John" NIL "john" "example.com"))"#),
        ("john@example.com (John Doe)", #"(("John Doe" NIL "john" "example.com"))"#),
        ("<john@example.com>", #"((NIL NIL "john" "example.com"))"#),
        // Dovecot: (("John Doe john" NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))
        ("John Doe john@example.com", #"(("John Doe" NIL "john" "example.com"))"#),
        ("undisclosed-recipients:;", #"((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL))"#),
        ("Team: alice@example.com, Bob <bob@example.com>;, carol@example.com",
         #"((NIL NIL "Team" NIL)(NIL NIL "alice" "example.com")("Bob" NIL "bob" "example.com")(NIL NIL NIL NIL)(NIL NIL "carol" "example.com"))"#),
        ("Group: a@example.com", #"((NIL NIL "Group" NIL)(NIL NIL "a" "example.com")(NIL NIL NIL NIL))"#),
        ("<@route1,@route2:user@example.com>", #"((NIL "@route1,@route2" "user" "example.com"))"#),
        ("john", #"((NIL NIL "john" "MISSING_DOMAIN"))"#),
        ("<>", #"((NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))"#),
        ("John Q. Public <jqp@example.com>", #"(("John Q. Public" NIL "jqp" "example.com"))"#),
        ("\"john doe\"@example.com", #"((NIL NIL "john doe" "example.com"))"#),
        ("=?UTF-8?B?5byg5Lyf?= <zhang@example.cn>", #"(("=?UTF-8?B?5byg5Lyf?=" NIL "zhang" "example.cn"))"#),
        ("李娜 <li.na@example.cn>", #"(("李娜" NIL "li.na" "example.cn"))"#),
        // Dovecot drops the second address.
        ("a@b.com c@d.com", #"((NIL NIL "a" "b.com")(NIL NIL "c" "d.com"))"#),
        // Dovecot reports an address for each empty element.
        (",,a@example.com,,", #"((NIL NIL "a" "example.com"))"#),
        ("user@[192.0.2.1]", #"((NIL NIL "user" "[192.0.2.1]"))"#),
        ("John (the man) Doe <john@example.com>", #"(("John Doe" NIL "john" "example.com"))"#),
        ("x@", #"((NIL NIL "x" "MISSING_DOMAIN"))"#),
        ("@example.com", #"((NIL NIL "MISSING_MAILBOX" "example.com"))"#),
        // Dovecot: (("Name" NIL "john" "SYNTAX_ERROR"))
        ("Name <john@example.com", #"(("Name" NIL "john" "example.com"))"#),
        ("john@example.com>", #"((NIL NIL "john" "example.com"))"#),
        ("A <a@x>, B <b@x>", #"(("A" NIL "a" "x")("B" NIL "b" "x"))"#),
        ("\"Quote \\\"Q\\\" Esc\" <q@x>", #"(("Quote \"Q\" Esc" NIL "q" "x"))"#),
        ("Folded\r\n Name <f@x>", #"(("Folded Name" NIL "f" "x"))"#),
        ("john . doe @ example . com", #"((NIL NIL "john.doe" "example.com"))"#),
        ("", "NIL"),
        ("(just a comment)", "NIL"),
        // A trailing comment names the address it follows, not an earlier one in the same segment.
        ("a@b c@d (C)", #"((NIL NIL "a" "b")("C" NIL "c" "d"))"#),
        ("a@b (A) c@d", #"(("A" NIL "a" "b")(NIL NIL "c" "d"))"#),
        ("Doe, John, Jr. <j@x>", #"(("Doe, John, Jr." NIL "j" "x"))"#),
        ("@@@", #"((NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN")(NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN")(NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))"#),
    ])
    func parsesList(_ value: String, _ expected: String) {
        #expect(IMAPFormatter.addresses(Address.parseList(value)) == expected)
    }

    @Test func markersAndHelpers() throws {
        let list = Address.parseList("Friends: =?UTF-8?Q?Ren=C3=A9?= <rene@example.com>;")
        #expect(list.count == 3)
        #expect(list[0].isGroupStart && !list[0].isGroupEnd)
        #expect(list[0].mailbox == "Friends")
        #expect(list[1].addrSpec == "rene@example.com")
        #expect(list[1].decodedName == "René")
        #expect(list[2].isGroupEnd && list[2] == Address.groupEnd)
        #expect(list[0].addrSpec == nil)
    }

    @Test func garbageNeverTraps() {
        let garbage = ["<<<>>>", "@@@", ":::;;;", "\"", "(", "[", "<@a,@b", "a@b@c", ";", ":", "\u{0}",
                       String(repeating: "(", count: 500), "a:b:c;d;e", "<a@b> <c@d>", ",;,:<>"]
        for value in garbage {
            let list = Address.parseList(value)
            #expect(list.allSatisfy { $0.host != nil || $0.isGroupStart || $0.isGroupEnd }, "\(value)")
        }
    }

    /// Inputs that made the parser quadratic (each address rescanned the rest of the list). The
    /// expected address count shows each is still read the same way.
    @Test(arguments: [
        ("a, ", 1),
        ("a@b ", 1),
        ("@", 1),
        ("Doe, ", 0),
        ("a@b (c) ", 1),
        ("<", 0),
        ("x.", 0),
        ("\"q\" ", 0),
        ("g:;", 2),
        ("<@r,", 0),
    ])
    func adversarialListsParseInLinearTime(_ unit: String, _ addressesPerUnit: Int) {
        expectLinearTime("\(unit.debugDescription) repeated", size: 2000) { count in
            String(repeating: unit, count: count)
        } work: { value in
            let list = Address.parseList(value)
            if addressesPerUnit > 0 { #expect(list.count == addressesPerUnit * (value.utf8.count / unit.utf8.count)) }
        }
    }
}
