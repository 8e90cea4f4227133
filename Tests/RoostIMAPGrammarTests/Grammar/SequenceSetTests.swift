import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("SequenceSet")
struct SequenceSetTests {
    @Test(arguments: [
        // (input, as encoded, normalised)
        ("1", "1", "1"), ("*", "*", "*"), ("1:*", "1:*", "1:*"), ("4:2", "2:4", "2:4"), ("*:3", "3:*", "3:*"),
        ("3,1:2,5:*,7", "3,1:2,5:*,7", "1:3,5:*"), ("1,2,3,4", "1,2,3,4", "1:4"), ("5,3", "5,3", "3,5"),
        ("1:10,4:6", "1:10,4:6", "1:10"), ("2,*", "2,*", "2,*"), ("7:*,*", "7:*,*", "7:*"),
        ("4294967295", "4294967295", "4294967295"), ("4294967294,4294967295", "4294967294,4294967295", "4294967294:4294967295"),
        ("1:4294967295", "1:4294967295", "1:4294967295"), ("3:3", "3", "3"),
    ])
    func parsesEncodesAndNormalises(_ text: String, _ encoded: String, _ normalised: String) throws {
        let set = try IMAPParser.parse(text) { try $0.parseSequenceSet() }
        #expect(set.description == encoded)
        #expect(set.normalized().description == normalised)
        #expect(try IMAPParser.parse(set.description) { try $0.parseSequenceSet() } == set)
    }

    @Test(arguments: ["", "0", "1:0", "0:*", ",1", "1,", "1::2", "1:", "a", "4294967296", "1 2", "$", "-1", "1.2"])
    func refusesInvalidSets(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseSequenceSet() } }
    }

    @Test(arguments: [
        // (set, largest, resolved numbers)
        ("1:*", UInt32?(5), [UInt32(1), 2, 3, 4, 5]), ("*", 5, [5]), ("7:*", 5, [5, 6, 7]), ("2,4:3,1", 9, [1, 2, 3, 4]),
        ("1:*", nil, []), ("*", nil, []), ("2,5:*", nil, [2]), ("3", nil, [3]),
    ])
    func resolves(_ text: String, _ largest: UInt32?, _ expected: [UInt32]) throws {
        let set = try IMAPParser.parse(text) { try $0.parseSequenceSet() }
        let resolved = set.resolved(largest: largest)
        #expect(Array(resolved) == expected)
        #expect(resolved.count == UInt64(expected.count))
        for n in UInt32(0)...10 { #expect(set.contains(n, largest: largest) == expected.contains(n)) }
    }

    @Test func iteratesHugeSetsLazily() throws {
        let set = try IMAPParser.parse("1:4294967295") { try $0.parseSequenceSet() }
        let resolved = set.resolved(largest: 3)
        #expect(resolved.count == 4_294_967_295)
        #expect(Array(resolved.prefix(3)) == [1, 2, 3])
        #expect(resolved.contains(4_294_967_295))
        #expect(!resolved.contains(0))
    }

    @Test func stressesTheElementLimit() throws {
        let limits = IMAPLimits()
        let atLimit = (1...limits.maxSequenceSetElements).map { String($0 * 2) }.joined(separator: ",")
        let set = try IMAPParser.parse(atLimit) { try $0.parseSequenceSet() }
        #expect(set.ranges.count == limits.maxSequenceSetElements)
        #expect(throws: IMAPParseError("Too many elements in a sequence set (limit 65536)")) {
            try IMAPParser.parse(atLimit + ",1") { try $0.parseSequenceSet() }
        }
    }

    @Test func identifiersRefuseZero() throws {
        #expect(UID(rawValue: 0) == nil)
        #expect(SequenceNumber(rawValue: 0) == nil)
        #expect(try IMAPParser.parse("42") { try $0.parseUID() } == UID(rawValue: 42))
        #expect(try IMAPParser.parse("4294967295") { try $0.parseSequenceNumber() } == SequenceNumber(rawValue: .max))
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse("0") { try $0.parseUID() } }
        #expect(encoded { $0.writeUID(UID(rawValue: 7)!) } == "7")
    }
}
