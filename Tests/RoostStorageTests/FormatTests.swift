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
    }

    @Test(arguments: [
        ("3 V10 N3\n1 :a\ngarbage line\n2 :b\n", [UInt32(1), 2], 1),
        ("3 V10 N3\n1 :a\n2 :b\n3 :c", [1, 2], 1),                 // cut-off last line
        ("3 V10 N3\n2 :a\n1 :b\n", [2], 1),                         // UIDs going down
        ("3 V10 N3\n1 :a\n2 :a\n", [1], 1),                         // a name twice
        ("\u{0}\u{0}\u{0}\n1 :a\n", [1], 2),                        // header destroyed
    ])
    func keepsWhatItCanOfADamagedFile(text: String, uids: [UInt32], problems: Int) {
        let list = UIDList.parse(Array(text.utf8))
        #expect(list.entries.map(\.uid.rawValue) == uids)
        #expect(list.problems.count == problems)
    }
}

@Suite struct KeywordAndSubscriptionFileTests {
    @Test func keywords() {
        var table = KeywordTable.parse(Array("0 $Forwarded\n1 Old\n2 $Junk\n9 bad\\name\n".utf8))
        #expect(table.allNames == ["$Forwarded", "Old", "$Junk"])
        #expect(table.index(of: "old") == 1)
        #expect(table.add("NonJunk") == 3)
        #expect(KeywordTable.parse(table.serialized()) == table)
        for i in 4..<26 { #expect(table.add("k\(i)") == i) }
        #expect(table.add("one-too-many") == nil)
    }

    @Test func subscriptionsVersion2RoundTrip() throws {
        let names = [try MailboxName("Sent"), try MailboxName("Work/Projects"), try MailboxName("已发送")]
        let bytes = Subscriptions.serialize(names)
        #expect(String(decoding: bytes, as: UTF8.self) == "V\t2\n\nSent\nWork\tProjects\n&XfJT0ZAB-\n")
        #expect(Subscriptions.parse(bytes) == names)
    }

    @Test func subscriptionsVersion1() throws {
        #expect(Subscriptions.parse(Array("Sent\nWork.Projects\nA/B\n".utf8)) ==
            [try MailboxName("Sent"), try MailboxName("Work/Projects"), try MailboxName("A/B")])
    }
}

@Suite struct FolderIndexTests {
    static let sample = FolderIndex(
        uidValidity: UIDValidity(42), nextUID: 10, uidListIdentity: FileIdentity(inode: 7, size: 100, mtime: 5),
        newDirectoryMtime: 1, curDirectoryMtime: 2, scanTime: 3,
        messages: [
            MessageInfo(uid: UID(3), base: "a.host,S=5", info: MaildirInfo(letters: "Sb"), inNew: false, size: 5, virtualSize: 6, internalDate: 1000),
            MessageInfo(uid: UID(9), base: "b.host", info: MaildirInfo(), inNew: true, size: 50, virtualSize: 52, internalDate: 2000),
        ])

    @Test func roundTrip() {
        #expect(FolderIndex.decode(Self.sample.encode()) == Self.sample)
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
