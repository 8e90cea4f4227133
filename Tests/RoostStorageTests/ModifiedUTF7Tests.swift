import Testing
@testable import RoostStorage

@Suite struct ModifiedUTF7Tests {
    @Test(arguments: [
        ("INBOX", "INBOX"),
        ("已发送", "&XfJT0ZAB-"),
        ("Tom & Jerry", "Tom &- Jerry"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("😀", "&2D3eAA-"),
        ("", ""),
    ])
    func roundTrip(decoded: String, encoded: String) {
        #expect(ModifiedUTF7.encode(decoded) == encoded)
        #expect(ModifiedUTF7.decode(encoded) == decoded)
    }

    @Test(arguments: [
        "&Jjo",          // unterminated shift
        "&AGE-",         // encodes printable ASCII "a"
        "&U,BTFw-&ZeVnLIqe-", // two adjacent encoded runs
        "caf\u{E9}",     // 8-bit character
        "&2D0-",         // lone high surrogate
        "&A-",           // leftover bits, not a whole UTF-16 unit
    ])
    func rejectsInvalid(encoded: String) {
        #expect(ModifiedUTF7.decode(encoded) == nil)
    }
}
