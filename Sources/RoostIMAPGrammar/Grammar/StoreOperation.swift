import NIOCore

/// What a STORE does to the flags of each message, and whether it answers with their new flags.
///
///     store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
///                       (flag-list / (flag *(SP flag)))
///
/// RFC 3501 sections 6.4.6 and 9. Both forms of the flag list parse to the same value; the encoder writes
/// the parenthesised one.
public struct StoreOperation: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `FLAGS`: replace the flags (except `\Recent`).
        case replace
        /// `+FLAGS`: add.
        case add
        /// `-FLAGS`: remove.
        case remove
    }

    public var kind: Kind
    /// `.SILENT`: no untagged FETCH with the new flags.
    public var silent: Bool
    public var flags: [Flag]

    public init(_ kind: Kind, silent: Bool = false, flags: [Flag]) {
        self.kind = kind
        self.silent = silent
        self.flags = flags
    }
}

extension IMAPParser {
    // store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
    //                   (flag-list / (flag *(SP flag)))
    public mutating func parseStoreOperation() throws(IMAPParseError) -> StoreOperation {
        let kind: StoreOperation.Kind = skip(IMAPASCII.plus) ? .add : skip(UInt8(ascii: "-")) ? .remove : .replace
        let silent: Bool
        if skip(keyword: "FLAGS") {
            silent = false
        } else if skip(keyword: "FLAGS.SILENT") {
            silent = true
        } else {
            throw IMAPParseError("Expected FLAGS or FLAGS.SILENT")
        }
        try expectSpace()
        if next(is: IMAPASCII.openParen) { return StoreOperation(kind, silent: silent, flags: try parseFlagList()) }
        var flags: [Flag] = []
        repeat {
            guard flags.count < limits.maxListItems else {
                throw IMAPParseError("Too many flags (limit \(limits.maxListItems))")
            }
            flags.append(try parseFlag())
        } while skip(IMAPASCII.space)
        return StoreOperation(kind, silent: silent, flags: flags)
    }
}

extension ByteBuffer {
    // store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
    //                   (flag-list / (flag *(SP flag)))
    @discardableResult
    public mutating func writeStoreOperation(_ operation: StoreOperation) -> Int {
        let sign = switch operation.kind {
        case .replace: ""
        case .add: "+"
        case .remove: "-"
        }
        return writeString(sign + (operation.silent ? "FLAGS.SILENT " : "FLAGS ")) + writeFlagList(operation.flags)
    }
}
