import NIOCore
import RoostIMAPGrammar
import RoostMIME
import RoostStorage

/// The FETCH attributes that depend only on a message's parsed form (ENVELOPE, BODY and
/// BODYSTRUCTURE), written once when the message is parsed and kept in `roost.cache` beside it, as
/// Dovecot keeps `imap.envelope` and `imap.bodystructure` in its cache: a client's first sync then
/// costs a copy of bytes per message instead of decoding the structure and encoding it again.
public enum IMAPCachedRenderings {
    /// Bump with any change to how these attributes are written: caches of another version are
    /// discarded and rebuilt.
    public static let renderer = CacheRenderer(version: 1) { message in
        var renderings: [String: [UInt8]] = [:]
        for attribute in [FetchAttribute.envelope, .body, .bodyStructure] {
            if let key = key(of: attribute), let written = write(attribute, of: message) {
                renderings[key] = written
            }
        }
        return renderings
    } renderHeader: { envelope in
        [key(of: .envelope)!: write(envelope)]
    }

    /// The key under which `attribute` is kept; nil for attributes that are not rendered ahead.
    static func key(of attribute: FetchAttribute) -> String? {
        switch attribute {
        case .envelope: "imap.envelope"
        case .body: "imap.body"
        case .bodyStructure: "imap.bodystructure"
        default: nil
        }
    }

    /// The attribute as FETCH writes it (`ENVELOPE (...)`), from the parsed message.
    static func write(_ attribute: FetchAttribute, of message: CachedMessage) -> [UInt8]? {
        var buffer = ByteBuffer()
        switch attribute {
        case .envelope: return write(message.envelope)
        case .body: buffer.writeMessageAttribute(.body(BodyStructure(message.structure)))
        case .bodyStructure: buffer.writeMessageAttribute(.bodyStructure(BodyStructure(message.structure)))
        default: return nil
        }
        return Array(buffer.readableBytesView)
    }

    /// `ENVELOPE (...)` as FETCH writes it.
    static func write(_ envelope: RoostMIME.Envelope) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeMessageAttribute(.envelope(RoostIMAPGrammar.Envelope(envelope)))
        return Array(buffer.readableBytesView)
    }
}
