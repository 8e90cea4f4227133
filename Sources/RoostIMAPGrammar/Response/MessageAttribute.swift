import NIOCore

/// One item of an untagged FETCH response (RFC 3501 section 7.4.2).
///
///     msg-att         = "(" (msg-att-dynamic / msg-att-static)
///                        *(SP (msg-att-dynamic / msg-att-static)) ")"
///     msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
///     msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time /
///                       "RFC822" [".HEADER" / ".TEXT"] SP nstring /
///                       "RFC822.SIZE" SP number /
///                       "BODY" ["STRUCTURE"] SP body /
///                       "BODY" section ["<" number ">"] SP nstring /
///                       "UID" SP uniqueid
///
/// Message octets are written as literals (`{n}`), whatever they hold. BODY and BODYSTRUCTURE carry the
/// same `BodyStructure`; only BODYSTRUCTURE writes its extension data. A large body can instead be streamed: write `writeBodySectionPrefix` and the literal
/// header yourself, then the octets from disk.
public enum MessageAttribute: Hashable, Sendable {
    case flags([Flag])
    case uid(UID)
    case internalDate(IMAPDateTime)
    case rfc822Size(UInt32)
    case envelope(Envelope)
    /// `BODY body`: the structure without extension data (the non-extensible form).
    case body(BodyStructure)
    /// `BODYSTRUCTURE body`: the structure with extension data.
    case bodyStructure(BodyStructure)
    case rfc822(ByteBuffer?)
    case rfc822Header(ByteBuffer?)
    case rfc822Text(ByteBuffer?)
    /// `BODY[section]<origin> data`: `origin` only for a partial fetch, echoing where the data starts.
    case bodySection(SectionSpecifier, origin: UInt32?, data: ByteBuffer?)
}

extension ByteBuffer {
    // message-data    = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
    //
    // The whole untagged line `* n FETCH (…)` with its CRLF.
    @discardableResult
    public mutating func writeFetchResponse(_ number: SequenceNumber, _ attributes: [MessageAttribute]) -> Int {
        var written = writeString("* ") + writeSequenceNumber(number) + writeString(" FETCH (")
        for (i, attribute) in attributes.enumerated() {
            if i > 0 { written += writeString(" ") }
            written += writeMessageAttribute(attribute)
        }
        return written + writeString(")\r\n")
    }

    // msg-att-dynamic / msg-att-static
    @discardableResult
    public mutating func writeMessageAttribute(_ attribute: MessageAttribute) -> Int {
        switch attribute {
        case .flags(let flags): return writeString("FLAGS ") + writeFlagList(flags)
        case .uid(let uid): return writeString("UID ") + writeUID(uid)
        case .internalDate(let date): return writeString("INTERNALDATE ") + writeDateTime(date)
        case .rfc822Size(let size): return writeString("RFC822.SIZE ") + writeNumber(size)
        case .envelope(let envelope): return writeString("ENVELOPE ") + writeEnvelope(envelope)
        case .body(let body): return writeString("BODY ") + writeBody(body, extensions: false)
        case .bodyStructure(let body): return writeString("BODYSTRUCTURE ") + writeBody(body, extensions: true)
        case .rfc822(let data): return writeString("RFC822 ") + writeMessageOctets(data)
        case .rfc822Header(let data): return writeString("RFC822.HEADER ") + writeMessageOctets(data)
        case .rfc822Text(let data): return writeString("RFC822.TEXT ") + writeMessageOctets(data)
        case .bodySection(let section, let origin, let data):
            return writeBodySectionPrefix(section, origin: origin) + writeString(" ") + writeMessageOctets(data)
        }
    }

    /// `BODY[section]<origin>` without the data, for a caller that streams the literal itself.
    @discardableResult
    public mutating func writeBodySectionPrefix(_ section: SectionSpecifier, origin: UInt32?) -> Int {
        var written = writeString("BODY[") + writeSectionSpecifier(section) + writeString("]")
        if let origin { written += writeString("<\(origin)>") }
        return written
    }

    // nstring, always a literal when present: message octets may hold anything.
    private mutating func writeMessageOctets(_ data: ByteBuffer?) -> Int {
        guard let data else { return writeString("NIL") }
        return writeIMAPLiteral(data.readableBytesView, form: .synchronizing)
    }
}
