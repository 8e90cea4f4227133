/// The shape check Dovecot's base64 decoder makes before a response reaches a mechanism, so that
/// "not base64" is answered as Dovecot answers it (`code=invalid_base64`), apart from a well-formed
/// message a mechanism cannot use.
enum AuthSocketBase64 {
    /// True for the empty string, `=` (an empty response, as SASL protocols write it), and base64 text:
    /// alphabet characters in groups of four with at most two `=` at the very end. Whether the pad bits
    /// are zero is left to `SASLServerExchange`, which decodes strictly.
    static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.isEmpty || bytes == [UInt8(ascii: "=")] { return true }
        guard bytes.count % 4 == 0 else { return false }
        var padding = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "=") {
                padding += 1
                guard index >= bytes.count - 2 else { return false }
            } else {
                guard padding == 0, isAlphabet(byte) else { return false }
            }
        }
        return true
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
