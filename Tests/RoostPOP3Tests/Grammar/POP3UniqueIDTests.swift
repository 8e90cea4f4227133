import Testing
@testable import RoostPOP3

@Suite("POP3UniqueID")
struct POP3UniqueIDTests {
    @Test(arguments: [
        // Values seen from Dovecot with the default pop3_uidl_format %08Xu%08Xv.
        (UInt32(1), UInt32(1_795_462_463), "000000016b04953f"),
        (3, 1_795_462_463, "000000036b04953f"),
        (0, 0, "0000000000000000"),
        (0x00AB_CDEF, 1, "00abcdef00000001"),
        (UInt32.max, UInt32.max, "ffffffffffffffff"),
    ])
    func rendersDovecotsDefaultFormat(_ uid: UInt32, _ uidValidity: UInt32, _ expected: String) {
        #expect(POP3UniqueID.dovecotDefault(uid: uid, uidValidity: uidValidity) == expected)
    }
}
