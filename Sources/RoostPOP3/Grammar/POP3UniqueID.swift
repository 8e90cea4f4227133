/// UIDL unique-id strings (RFC 1939 section 7: 1 to 70 characters in 0x21 to 0x7E).
///
/// A unique id must stay the same for a message across sessions, and clients that "leave mail on the
/// server" remember them, so a server replacing Dovecot must produce Dovecot's strings byte for byte or
/// every client downloads every message again.
public enum POP3UniqueID {
    /// Dovecot's default `pop3_uidl_format = %08Xu%08Xv`: the IMAP UID, then UIDVALIDITY, each as eight hex
    /// digits. Dovecot renders these in lower case despite the `X` (uid 1, uidvalidity 1795462463 gives
    /// "000000016b04953f"), and so does this.
    public static func dovecotDefault(uid: UInt32, uidValidity: UInt32) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendHex(uid, to: &bytes)
        appendHex(uidValidity, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendHex(_ value: UInt32, to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for shift in stride(from: 28, through: 0, by: -4) {
            bytes.append(digits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
