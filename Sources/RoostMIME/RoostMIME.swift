// RoostMIME: RFC 5322 / MIME parsing for Roost's domain layer.
//
// Purpose
// -------
// Turns the bytes of a stored message into the values IMAP and POP3 need without ever holding the
// message body in memory: the header fields (RFC 5322 section 2.2), the ENVELOPE (RFC 3501 section
// 7.4.2), the MIME tree with every BODYSTRUCTURE field (RFC 2045, 2046, 2183, 2231), the byte offsets
// of each part so a server can serve `BODY[1.2.MIME]` by seeking, and decoded text for SEARCH
// (RFC 2047 encoded words, base64, quoted-printable, charsets through glibc iconv).
//
// Entry points: `MessageParser` (streaming structure), `TextExtractor` (streaming text), `Header`,
// `ContentType`, `ContentDisposition`, `Address`, `Envelope`, `EncodedWord`, `Charset`,
// `TransferEncoding` and `TextMatcher`.
//
// Invariants
// ----------
// - Parsing never throws and never traps on input: malformed mail yields a best-effort structure in
//   the way Dovecot treats it (missing boundaries, absent headers, NUL bytes, empty files).
// - The streaming parsers hold only header blocks (each capped by `MIMELimits.maxHeaderBytes`), one
//   bounded line prefix for boundary detection, and one frame per nesting level (capped by
//   `MIMELimits.maxNestingDepth`). Body bytes are never retained. The result holds at most
//   `MIMELimits.maxTotalParts` parts.
// - Work is linear in the input: no header value, address list or body, however hostile, makes a
//   parser rescan what it has already passed.
// - Feeding a message in chunks of any size, split anywhere (inside CRLF, inside a boundary line),
//   gives exactly the result of parsing it in one piece.
// - Sizes are reported twice: `octets` as stored and `virtualOctets` with every bare LF counted as
//   CRLF (what IMAP's RFC822.SIZE and BODYSTRUCTURE sizes use for Maildir files with LF line ends).
//   Line counts are counts of LF bytes, as Dovecot reports them.
// - Header values in `Envelope` and `BodyPart` are raw (RFC 2047 words kept, as IMAP sends them);
//   8-bit bytes become Unicode as UTF-8 when valid, otherwise as ISO-8859-1.
// - All public types are value types and `Sendable`; the cacheable ones are `Hashable` and `Codable`.
// - Nothing here knows protocol words (IMAP `NIL`, response codes): encoders live in the protocol
//   modules.
