import NIOCore

/// One message of an APPEND: its flags, internal date and octets.
///
///     append          = "APPEND" SP mailbox 1*append-message       (RFC 3502 section 6.3.11)
///     append-message  = append-opts SP append-data
///     append-opts     = [SP flag-list] [SP date-time]
///     append-data     = literal
///
/// The message must be a literal (RFC 3501 section 6.3.11); its size is bounded by the framer's
/// `IMAPLimits.maxLiteralOctets` before its bytes are read.
public struct AppendMessage: Hashable, Sendable {
    public var flags: [Flag]
    /// The internal date the client asked for; `nil`: the time of delivery.
    public var internalDate: IMAPDateTime?
    /// The message octets exactly as sent.
    public var data: ByteBuffer

    public init(flags: [Flag] = [], internalDate: IMAPDateTime? = nil, data: ByteBuffer) {
        self.flags = flags
        self.internalDate = internalDate
        self.data = data
    }
}
