import NIOCore

/// One namespace of a NAMESPACE reply: its prefix and hierarchy delimiter (RFC 2342 section 5).
///
///     Namespace = nil / "(" 1*( "(" string SP (<"> QUOTED_CHAR <"> / nil)
///                 *(Namespace_Response_Extension) ")" ) ")"
public struct NamespaceDescription: Hashable, Sendable {
    /// The prefix as a mailbox name would be written (`""` for Roost's personal namespace).
    public var prefix: MailboxName
    public var delimiter: Character?

    public init(prefix: MailboxName, delimiter: Character?) {
        self.prefix = prefix
        self.delimiter = delimiter
    }
}

extension ByteBuffer {
    // Namespace_Response = "*" SP "NAMESPACE" SP Namespace SP Namespace SP Namespace
    @discardableResult
    public mutating func writeNamespaces(
        personal: [NamespaceDescription], otherUsers: [NamespaceDescription], shared: [NamespaceDescription]
    ) -> Int {
        writeNamespace(personal) + writeString(" ") + writeNamespace(otherUsers) + writeString(" ") + writeNamespace(shared)
    }

    // Namespace = nil / "(" 1*( "(" string SP (<"> QUOTED_CHAR <"> / nil) ")" ) ")"
    @discardableResult
    mutating func writeNamespace(_ namespaces: [NamespaceDescription]) -> Int {
        guard !namespaces.isEmpty else { return writeString("NIL") }
        var written = writeString("(")
        for namespace in namespaces {
            written += writeString("(") + writeIMAPString(namespace.prefix.wireBytes) + writeString(" ")
            written += writeQuotedChar(namespace.delimiter) + writeString(")")
        }
        return written + writeString(")")
    }
}
