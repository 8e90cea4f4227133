import NIOCore

/// The parsers of the authenticated-state commands (RFC 3501 section 6.3 and extensions).
extension IMAPParser {
    // enable          = "ENABLE" 1*(SP capability)                   (RFC 5161 section 4)
    // capability      = ("AUTH=" auth-type) / atom
    mutating func parseEnable() throws(IMAPParseError) -> Command {
        var names: [String] = []
        repeat {
            guard names.count < limits.maxListItems else {
                throw IMAPParseError("Too many capabilities (limit \(limits.maxListItems))")
            }
            try expectSpace()
            names.append(try parseAtom())
        } while next(is: IMAPASCII.space)
        return .enable(names)
    }

    // select          = "SELECT" SP mailbox
    // examine         = "EXAMINE" SP mailbox
    // create          = "CREATE" SP mailbox
    // delete          = "DELETE" SP mailbox
    // subscribe       = "SUBSCRIBE" SP mailbox
    // unsubscribe     = "UNSUBSCRIBE" SP mailbox
    mutating func parseSpaceMailbox() throws(IMAPParseError) -> MailboxName {
        try expectSpace()
        return try parseMailbox()
    }

    // rename          = "RENAME" SP mailbox SP mailbox
    mutating func parseRename() throws(IMAPParseError) -> Command {
        let from = try parseSpaceMailbox()
        return .rename(from: from, to: try parseSpaceMailbox())
    }

    // list            = "LIST" SP mailbox SP list-mailbox
    // lsub            = "LSUB" SP mailbox SP list-mailbox
    mutating func parseListArguments() throws(IMAPParseError) -> (MailboxName, MailboxPattern) {
        let reference = try parseSpaceMailbox()
        try expectSpace()
        return (reference, try parseMailboxPattern())
    }

    // status          = "STATUS" SP mailbox SP
    //                   "(" status-att *(SP status-att) ")"
    mutating func parseStatus() throws(IMAPParseError) -> Command {
        let mailbox = try parseSpaceMailbox()
        try expectSpace()
        return .status(mailbox, try parseStatusAttributeList())
    }

    // append          = "APPEND" SP mailbox 1*append-message       (RFC 3502)
    // append-message  = append-opts SP append-data
    // append-opts     = [SP flag-list] [SP date-time]
    // append-data     = literal
    //
    // RFC 3501's single-message form is the same with one message.
    mutating func parseAppend() throws(IMAPParseError) -> Command {
        let mailbox = try parseSpaceMailbox()
        var messages: [AppendMessage] = []
        repeat {
            guard messages.count < limits.maxLiteralsPerCommand else {
                throw IMAPParseError("Too many messages (limit \(limits.maxLiteralsPerCommand))")
            }
            messages.append(try parseAppendMessage())
        } while next(is: IMAPASCII.space)
        return .append(mailbox, messages)
    }

    // append-message  = append-opts SP append-data
    mutating func parseAppendMessage() throws(IMAPParseError) -> AppendMessage {
        try expectSpace()
        var flags: [Flag] = []
        if next(is: IMAPASCII.openParen) {
            flags = try parseFlagList()
            try expectSpace()
        }
        var date: IMAPDateTime?
        if next(is: IMAPASCII.quote) {
            date = try parseDateTime()
            try expectSpace()
        }
        guard let data = takeLiteral() else { throw IMAPParseError("Expected the message as a literal") }
        return AppendMessage(flags: flags, internalDate: date, data: ByteBuffer(bytes: data))
    }
}
