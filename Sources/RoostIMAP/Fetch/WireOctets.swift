/// Header text as the octets of an IMAP string in ENVELOPE and BODYSTRUCTURE.
///
/// A header (or an RFC 2231 value decoded to `%00`) can hold NUL, which no IMAP string may carry
/// (RFC 3501 section 9: CHAR8 is %x01-ff; quoted strings are TEXT-CHARs). It is sent as 0x80, as
/// message bodies are (`SectionContent`) and as Dovecot does.
func wireOctets(_ text: String) -> [UInt8] {
    let octets = Array(text.utf8)
    guard octets.contains(0) else { return octets }
    return octets.map { $0 == 0 ? 0x80 : $0 }
}
