import Testing
@testable import RoostStorage

@Suite struct MaildirFileNameTests {
    @Test(arguments: [
        ("1795462461.M116592P7057.vm,S=167,W=174:2,FSa", "1795462461.M116592P7057.vm,S=167,W=174", "FSa", Int64(167), Int64(174)),
        ("1795470000.M1P999.mx", "1795470000.M1P999.mx", "", nil, nil),
        ("123.x,S=10:2,", "123.x,S=10", "", 10, nil),
        ("123.x:2,TSRDFcba", "123.x", "DFRSTabc", nil, nil),
        ("123.x:2,PS", "123.x", "PS", nil, nil),
        ("123.x:1,experimental", "123.x:1,experimental", "", nil, nil),
        ("123.x:2,SF,extra", "123.x", "FS,extra", nil, nil),
    ])
    func parses(name: String, base: String, letters: String, size: Int64?, vsize: Int64?) {
        let parsed = MaildirFileName(parsing: name)
        #expect(parsed.base == base)
        #expect(parsed.info.letters == letters)
        #expect(parsed.size == size)
        #expect(parsed.virtualSize == vsize)
    }

    @Test func infoLettersMapToFlags() {
        let info = MaildirInfo(letters: "RSTa")
        #expect(info.system == [.answered, .seen, .deleted])
        #expect(info.hasKeyword(0) && !info.hasKeyword(1))
        #expect(MaildirInfo(system: [.draft, .flagged], keywords: 0b101).letters == "DFac")
    }

    @Test func fieldsAfterACommaAreNotFlags() {
        var info = MaildirInfo(letters: "S,abc")
        #expect(info.system == [.seen] && info.keywords == 0 && info.trailer == Array("abc".utf8))
        info.system.insert(.answered)
        #expect(info.letters == "RS,abc")
    }
}

@Suite struct UIDListTests {
    @Test func parsesDovecotVersion3() {
        let text = "3 V1795462463 N7 G29f965053d95046b911b000083ecc375\n1 :a.host,S=1\n2 W2481 :b.host\n7 :c.host:2,S\n"
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.problems.isEmpty)
        #expect(list.uidValidity == UIDValidity(1795462463))
        #expect(list.entries.map(\.uid.rawValue) == [1, 2, 7])
        #expect(list.entries.map(\.base) == ["a.host,S=1", "b.host", "c.host"])
        #expect(list.entries[1].extensions == "W2481")
        // The header's N7 was written before line 7 was appended.
        #expect(list.nextUID == 8)
        // Serializing writes the corrected next UID into the header.
        let again = UIDList.parse(list.serialized())
        #expect(again.entries == list.entries)
        #expect(again.headerNextUID == 8 && again.nextUID == 8)
        #expect(again.uidValidity == list.uidValidity && again.guid == list.guid)
    }

    @Test func parsesVersion1() {
        let list = UIDList.parse(Array("1 1000 5\n3 old.name:2,S\n".utf8))
        #expect(list.uidValidity == UIDValidity(1000))
        #expect(list.entries.map(\.base) == ["old.name"])
        #expect(list.nextUID == 5)
        #expect(list.problems.isEmpty)
    }

    @Test(arguments: [
        ("3 V10 N3\n1 :a\ngarbage line\n2 :b\n", [UInt32(1), 2], 1),
        ("3 V10 N3\n1 :a\n2 :b\n3 :c", [1, 2], 1),                 // cut-off last line
        ("3 V10 N3\n2 :a\n1 :b\n", [2], 1),                         // UIDs going down
        ("\u{0}\u{0}\u{0}\n1 :a\n", [1], 1),                        // header destroyed
        ("3 V10 N3\n1 :a\n2 W5\n3 :c\n", [1, 3], 1),                 // no `:` field, so no name
        ("3 V10 N3\n1 :a\n2 :x/y\n", [1], 1),                        // `/` in the name
        ("3 V10 N3\n1 :a\n2 :\n", [1], 1),                           // empty name
        ("3 V10 N3\n+1 :a\n2 :b\n", [2], 1),                         // a sign is not a digit
        ("3 V10 N3\n1\t:a\n2 :b\n", [2], 1),                         // the UID ends in a space
    ])
    func keepsWhatItCanOfADamagedFile(text: String, uids: [UInt32], problems: Int) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.entries.map(\.uid.rawValue) == uids)
        #expect(list.problems.count == problems)
    }

    /// Dovecot: "Duplicate file entry" — an expunged file moved back gets a new UID appended, and the
    /// later line is the one that counts. Not damage.
    @Test(arguments: [
        ("3 V10 N4\n1 :a\n2 :b\n3 :a\n", [UInt32(2), 3], ["b", "a"]),
        ("3 V10 N4\n1 :a\n2 :a:2,S\n3 :a\n", [3], ["a"]),
        ("3 V10 N9\n1 :a\n2 :b\n5 :a\n7 :b\n8 :c\n", [5, 7, 8], ["a", "b", "c"]),
    ])
    func aLaterLineForTheSameFileWins(text: String, uids: [UInt32], bases: [String]) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.problems.isEmpty)
        #expect(list.entries.map(\.uid.rawValue) == uids)
        #expect(list.entries.map(\.base) == bases)
        // A rewrite keeps Dovecot's newer line.
        let rewritten = UIDList.parse(list.serialized())
        #expect(rewritten.entries == list.entries)
        #expect(rewritten.problems.isEmpty)
    }

    /// The name is everything after the first space-separated field that starts with `:`; fields
    /// before it are extensions, even when they contain `:` (a POP3 UIDL).
    @Test(arguments: [
        ("7 P12:34 :n.host", "P12:34", "n.host"),
        ("7 W10 P1:2:3 :n.host:2,S", "W10 P1:2:3", "n.host"),
        ("7 P:x :n.host", "P:x", "n.host"),
        ("7  W1   P2  :n.host", "W1 P2", "n.host"),
        ("7 :n host with spaces", "", "n host with spaces"),
        ("7 O3 :n.host,S=5,W=6", "O3", "n.host,S=5,W=6"),
        ("7 GAbC:d :n.host", "GAbC:d", "n.host"),
    ])
    func splitsLinesAsDovecotDoes(line: String, extensions: String, base: String) throws {
        let list = UIDList.parse(Array("3 V10 N8\n\(line)\n".utf8))
        #expect(list.problems.isEmpty)
        let entry = try #require(list.entries.first)
        #expect(entry.uid == UID(7))
        #expect(entry.extensions == extensions)
        #expect(entry.base == base)
        // Round trip: the line written for the entry reads back as the same entry.
        var file = Array("3 V10 N8\n".utf8)
        UIDList.appendLine(for: entry, to: &file)
        let again = UIDList.parse(file)
        #expect(again.entries == [entry])
        #expect(again.problems.isEmpty)
    }

    /// Dovecot refuses UID 4294967295 ("UID too high"); nothing may trap on the largest values.
    @Test(arguments: [
        ("3 V10 N3\n1 :a\n4294967295 :b\n", [UInt32(1)], 1, UInt32(3)),
        ("3 V10 N3\n4294967296 :b\n", [], 1, 3),
        ("3 V10 N3\n99999999999999999999 :b\n", [], 1, 3),
        ("3 V10 N3\n0 :b\n", [], 1, 3),
        ("3 V10 N3\n4294967294 :b\n", [4294967294], 0, UInt32.max),
        ("3 V10 N4294967295\n1 :a\n", [1], 0, UInt32.max),
        ("3 V10 N4294967294\n1 :a\n", [1], 0, UIDList.maxUID),
    ])
    func largestUIDs(text: String, uids: [UInt32], problems: Int, nextUID: UInt32) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.entries.map(\.uid.rawValue) == uids)
        #expect(list.problems.count == problems)
        #expect(list.nextUID == nextUID)
        #expect(UIDList.parse(list.serialized()).nextUID == nextUID)
    }

    @Test func nextUIDSaturatesInsteadOfTrapping() {
        var list = UIDList(uidValidity: UIDValidity(1))
        list.entries = [UIDList.Entry(uid: UID(UInt32.max), extensions: "", base: "x")]
        #expect(list.nextUID == UInt32.max)
        #expect(list.nextUID > UIDList.maxUID)
        #expect(UIDList.maxUID == 4_294_967_294)
    }

    /// The UID of a damaged line is not handed out again.
    @Test func aSkippedLineKeepsItsUIDUsed() {
        let list = UIDList.parse(Array("3 V10 N2\n1 :a\n9 :x/y\n".utf8))
        #expect(list.entries.map(\.uid.rawValue) == [1])
        #expect(list.highestSkippedUID == 9)
        #expect(list.nextUID == 10)
    }

    /// A broken header is damage, as Dovecot counts it ("Broken header", "Invalid mailbox GUID"), so
    /// that the repair rewrites it.
    @Test(arguments: [
        "3 V10\n1 :a\n",                      // no N
        "3 V10 N\n1 :a\n",
        "3 V10 Nx\n1 :a\n",
        "3 V10 N0\n1 :a\n",
        "3 V10 N0\n",
        "3 V10 N+3\n1 :a\n",
        "3 V10 N4294967296\n1 :a\n",
        "3 N3\n1 :a\n",                       // no V
        "3 V0 N3\n1 :a\n",
        "3 Vx N3\n1 :a\n",
        "3 V10 N3 Gnot-a-guid\n1 :a\n",
        "3 V10 N3 G29f965053d95046b911b000083ecc37\n1 :a\n",
        "3\n1 :a\n",
        "2 V10 N3\n1 :a\n",                   // Dovecot 2.3 does not read version 2
        "1 10 0\n1 a\n",
        "1 10\n1 a\n",
        "9 V10 N3\n1 :a\n",
    ])
    func aBrokenHeaderIsDamage(text: String) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(!list.problems.isEmpty)
        // Repaired (what the sync does under the lock): the rewrite reads back clean.
        var repaired = list
        if repaired.uidValidity == nil { repaired.uidValidity = UIDValidity(10) }
        if repaired.guid == nil { repaired.guid = "29f965053d95046b911b000083ecc375" }
        repaired.problems = []
        let again = UIDList.parse(repaired.serialized())
        #expect(again.problems.isEmpty)
        #expect(again.entries.map(\.base) == list.entries.map(\.base))
        #expect(again.nextUID == repaired.nextUID)
    }

    @Test(arguments: [
        "3 V10 N3\n1 :a\n",
        "3 V10 N3 G29f965053d95046b911b000083ecc375\n1 :a\n",
        "3 V10 N3 G29F965053D95046B911B000083ECC375 Pabc\n1 :a\n",
        "3 V10 N3\r\n1 :a\r\n",
        "1 10 3\n1 a\n",
    ])
    func aHealthyHeaderIsNot(text: String) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.problems.isEmpty)
        #expect(list.uidValidity == UIDValidity(10))
        #expect(list.nextUID == 3)
        #expect(list.entries.map(\.base) == ["a"])
    }

    @Test func unknownHeaderFieldsRoundTrip() {
        let text = "3 V10 N3 G29f965053d95046b911b000083ecc375 Pabc Xyz\n1 W5 P1:2 :a\n"
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.problems.isEmpty)
        #expect(list.otherHeaderFields == ["Pabc", "Xyz"])
        #expect(String(decoding: list.serialized(), as: UTF8.self) == text)
    }
}

@Suite struct KeywordTableTests {
    @Test func keywords() {
        var table = KeywordTable.parse(Array("0 $Forwarded\n1 Old\n2 $Junk\n9 bad\\name\n".utf8))
        #expect(table.allNames == ["$Forwarded", "Old", "$Junk"])
        #expect(table.index(of: "old") == 1)
        #expect(table.add("NonJunk") == 3)
        #expect(KeywordTable.parse(table.serialized()) == table)
        // Letter j (index 9) belongs to a name Roost cannot use: never given to a new keyword.
        #expect(table.isReserved(9))
        for i in Array(4..<9) + Array(10..<26) { #expect(table.add("k\(i)") == i) }
        #expect(table.add("one-too-many") == nil)
        #expect(String(decoding: table.serialized(), as: UTF8.self).contains("\n9 bad\\name\n"))
    }

    /// How each line is read (as `maildir_keywords_sync` does) and whether its index stays taken.
    @Test(arguments: [
        ("4 $Label1", 4, "$Label1", false),
        ("4 $Label1\r", 4, "$Label1", false),
        ("04 $Label1", 4, "$Label1", false),
        ("4 bad\\name", 4, nil, true),
        ("4 two words", 4, nil, true),
        ("4 caf\u{E9}", 4, nil, true),
        ("25 Last", 25, "Last", false),
    ])
    func readsALine(line: String, index: Int, name: String?, reserved: Bool) {
        let table = KeywordTable.parse(Array("\(line)\n".utf8))
        #expect(table.name(at: index) == name)
        #expect(table.isReserved(index) == reserved)
    }

    /// Lines Roost cannot use are written back byte for byte; lines without an index come last.
    @Test(arguments: [
        [UInt8]("0 $Junk\n3 bad\\name\n5 Work\n".utf8),
        [UInt8]("0 $Junk\n2 caf".utf8) + [0xC3, 0x28] + [UInt8]("\n".utf8),
        [UInt8]("0 $Junk\n1 (paren)\n26 TooHigh\nx y\ngarbage\n7 \n".utf8),
        [UInt8]("1 \u{1}\n".utf8),
    ])
    func unusableLinesSurviveARewrite(bytes: [UInt8]) {
        var table = KeywordTable.parse(bytes)
        #expect(table.serialized() == bytes)
        #expect(KeywordTable.parse(table.serialized()) == table)
        let slot = table.add("Added")
        #expect(slot != nil)
        let rewritten = table.serialized()
        // Every original line is still there.
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            #expect(rewritten.split(separator: UInt8(ascii: "\n")).contains(line))
        }
        #expect(KeywordTable.parse(rewritten).index(of: "Added") == slot)
    }

    @Test func aLaterLineForAnIndexReplacesTheEarlier() {
        #expect(KeywordTable.parse(Array("3 A\n3 B\n".utf8)).name(at: 3) == "B")
        let replaced = KeywordTable.parse(Array("3 A\n3 bad\\x\n".utf8))
        #expect(replaced.name(at: 3) == nil && replaced.isReserved(3))
        let restored = KeywordTable.parse(Array("3 bad\\x\n3 A\n".utf8))
        #expect(restored.name(at: 3) == "A" && !restored.isReserved(3))
    }

    /// Dovecot ignores an empty name, so its index is free for Dovecot too; the line is kept anyway.
    @Test func anEmptyNameDoesNotTakeItsIndex() {
        var table = KeywordTable.parse(Array("0 \n".utf8))
        #expect(!table.isReserved(0))
        #expect(table.add("New") == 0)
        #expect(table.serialized() == Array("0 New\n0 \n".utf8))
    }
}

@Suite struct SubscriptionsFileTests {
    @Test func subscriptionsVersion2RoundTrip() throws {
        let names = [try MailboxName("Sent"), try MailboxName("Work/Projects"), try MailboxName("已发送")]
        let bytes = Subscriptions.serialize(names)
        #expect(String(decoding: bytes, as: UTF8.self) == "V\t2\n\nSent\nWork\tProjects\n&XfJT0ZAB-\n")
        #expect(Subscriptions.parse(bytes) == names)
    }

    /// Bytes of the file Dovecot 2.3.19 wrote in Fixtures/dovecot-maildir: storage names, so the
    /// Chinese folder is in modified UTF-7, as in its directory name `.&XfJT0ZAB-`.
    @Test func theDovecotFileRoundTripsByteForByte() throws {
        let bytes = Array("V\t2\n\nSent\nTrash\nWork\nWork\tProjects\n&XfJT0ZAB-\n".utf8)
        let names = Subscriptions.parse(bytes)
        #expect(names.map(\.description) == ["Sent", "Trash", "Work", "Work/Projects", "已发送"])
        #expect(Subscriptions.serialize(names) == bytes)
        #expect(Subscriptions.serialize(names, keepingUnrepresentableOf: bytes) == bytes)
    }

    @Test func subscriptionsVersion1() throws {
        #expect(Subscriptions.parse(Array("Sent\nWork.Projects\nA/B\n".utf8)) ==
            [try MailboxName("Sent"), try MailboxName("Work/Projects"), try MailboxName("A/B")])
    }

    /// Version 2 lines as Dovecot reads them: TAB between levels, `\001` escapes inside a level, a
    /// trailing separator dropped, CR before LF dropped, `.` inside a level a separator.
    @Test(arguments: [
        ("Work\tProjects", "Work/Projects"),
        ("Work\t", "Work"),
        ("Work.", "Work"),
        ("Work.Projects", "Work/Projects"),
        ("Sent\r", "Sent"),
        ("A\u{1}xB", "AxB"),               // an unknown escape is the character itself
        ("Sent\u{1}", "Sent"),             // a lone escape at the end is dropped
        ("inbox", "INBOX"),
        ("&AOQ-rger", "ärger"),
        ("A&-B", "A&B"),
    ])
    func readsAVersion2Line(line: String, name: String) throws {
        let parsed = Subscriptions.parse(Subscriptions.version2Header + Array("\(line)\n".utf8))
        #expect(parsed == [try MailboxName(name)])
    }

    /// Names Roost cannot represent (control characters, wildcards) are kept and written back with
    /// Dovecot's escaping, so a rewrite by Roost does not unsubscribe them.
    @Test(arguments: [
        ("a\u{1}tb", [UInt8]("a\tb".utf8)),
        ("a\u{1}1b", [UInt8]("a\u{1}b".utf8)),
        ("Work\tPro\u{1}nj", [UInt8]("Work.Pro\nj".utf8)),
        ("Work\tPro\u{1}rj", [UInt8]("Work.Pro\rj".utf8)),
        ("Star*", [UInt8]("Star*".utf8)),
        ("100%", [UInt8]("100%".utf8)),
    ])
    func keepsWhatItCannotRepresent(line: String, storageName: [UInt8]) throws {
        let existing = Subscriptions.version2Header + Array("Sent\n\(line)\n".utf8)
        let file = Subscriptions.parseFile(existing)
        #expect(file.names == [try MailboxName("Sent")])
        #expect(file.unrepresentable == [storageName])
        #expect(Subscriptions.serialize(file) == existing)
        // Subscribing to another folder in Roost keeps the line.
        let rewritten = Subscriptions.serialize([try MailboxName("Sent"), try MailboxName("Trash")],
                                                keepingUnrepresentableOf: existing)
        #expect(rewritten == Subscriptions.version2Header + Array("Sent\nTrash\n\(line)\n".utf8))
    }

    /// A version 1 file has no escapes: a raw `\001` is part of the name and gets escaped when the
    /// file is rewritten as version 2.
    @Test func version1HasNoEscapes() {
        let file = Subscriptions.parseFile(Array("a\u{1}tb\n".utf8))
        #expect(file.names.isEmpty)
        #expect(file.unrepresentable == [Array("a\u{1}tb".utf8)])
        #expect(Subscriptions.serialize(file) == Subscriptions.version2Header + Array("a\u{1}1tb\n".utf8))
    }

    @Test func tabEscapingRoundTripsEveryByte() {
        let all = (0...255).map(UInt8.init)
        let escaped = Subscriptions.tabEscape(all)
        #expect(!escaped.contains(UInt8(ascii: "\t")) && !escaped.contains(UInt8(ascii: "\n")) && !escaped.contains(UInt8(ascii: "\r")))
        #expect(Subscriptions.tabUnescape(escaped) == all)
        #expect(Subscriptions.tabEscape(Array("\u{1}\t\r\n".utf8)) == Array("\u{1}1\u{1}t\u{1}r\u{1}n".utf8))
    }
}

@Suite struct FolderIndexTests {
    static let sample = FolderIndex(
        uidValidity: UIDValidity(42), nextUID: 10, uidListIdentity: FileIdentity(inode: 7, size: 100, mtime: 5),
        newDirectoryMtime: 1, curDirectoryMtime: 2, scanTime: 3,
        messages: [
            MessageInfo(uid: UID(3), base: "a.host,S=5", info: MaildirInfo(letters: "Sb"), inNew: false, size: 5, virtualSize: 6, internalDate: 1000),
            MessageInfo(uid: UID(9), base: "b.host", info: MaildirInfo(), inNew: true, size: 50, virtualSize: 52, internalDate: 2000),
            MessageInfo(uid: UID(12), base: "c.host,S=7,W=8", info: MaildirInfo(), inNew: false, size: 7, virtualSize: 8, internalDate: nil),
        ])

    @Test func roundTrip() {
        #expect(FolderIndex.decode(Self.sample.encode()) == Self.sample)
    }

    /// Version 02 kept no unknown dates; an older reader would take the marker for a date. An index
    /// of another version is no index (the folder is listed again, UIDs from the uidlist).
    @Test func anIndexOfAnotherVersionIsNotRead() {
        var bytes = Self.sample.encode()
        bytes.replaceSubrange(0..<8, with: Array("RSTIDX02".utf8))
        bytes.replaceSubrange((bytes.count - 8)..., with: withUnsafeBytes(of: fnv1a(bytes.dropLast(8)).littleEndian, Array.init))
        #expect(FolderIndex.decode(bytes) == nil)
    }

    @Test func rejectsEveryTruncationAndAnyFlippedByte() {
        let bytes = Self.sample.encode()
        for length in 0..<bytes.count {
            #expect(FolderIndex.decode(Array(bytes.prefix(length))) == nil)
        }
        for position in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[position] ^= 0x40
            #expect(FolderIndex.decode(damaged) == nil)
        }
    }
}
