import RoostIMAPGrammar
import RoostStorage

/// The replies of LIST and LSUB (RFC 3501 sections 6.3.8 and 6.3.9), with the CHILDREN attributes
/// (RFC 3348) and the special-use attributes (RFC 6154 section 2) on LIST.
///
/// Roost implements neither LIST-EXTENDED nor its selection options, so `\NonExistent` and
/// `\Subscribed` (RFC 5258 section 3) are never sent: RFC 5258 allows a name that does not exist only
/// in reply to `LIST (SUBSCRIBED)` or `RECURSIVEMATCH`. LIST shows what exists, and levels of the
/// hierarchy that exist only as parents (`.A.B` on disk without `.A`) as `\Noselect \HasChildren`;
/// LSUB shows subscribed names whether their mailbox exists or not (RFC 3501 section 6.3.9 forbids
/// dropping them), with no attributes, as RFC 5258 section 3.1 explains that LSUB's `\Noselect`
/// means "not subscribed, but a descendant is".
public enum MailboxLister {
    /// LIST (`subscribedOnly` false) or LSUB (true) results, sorted with INBOX first, then by levels.
    ///
    /// The canonical pattern is the reference followed by the pattern: Roost has no break-out
    /// characters (RFC 3501 section 6.3.8, "the canonical form is normally the reference name appended
    /// with the mailbox name"). `*` matches across `.`, `%` does not. Blocking: run it where storage
    /// work runs.
    public static func list(reference: RoostIMAPGrammar.MailboxName, pattern: MailboxPattern, subscribedOnly: Bool,
                            store: MailStore, specialUse: SpecialUseFolders) throws -> [MailboxListItem] {
        if pattern.pattern.isEmpty && !subscribedOnly { return [hierarchyRoot(of: reference)] }
        let canonical = MailboxPattern(reference.name + pattern.pattern)
        let matches = { (name: RoostStorage.MailboxName) in
            canonical.matches(IMAPMailboxNames.joined(name), delimiter: IMAPMailboxNames.separator)
        }
        if subscribedOnly { return try subscribed(in: store, matching: matches) }
        return try store.mailboxes().filter { matches($0.name) }.map { listing in
            var attributes: [MailboxAttribute] = listing.selectable ? [] : [.noSelect]
            attributes.append(listing.hasChildren ? .hasChildren : .hasNoChildren)
            if listing.selectable, let use = specialUse.attribute(for: listing.name) { attributes.append(use) }
            return item(listing.name, attributes)
        }
    }

    // RFC 3501 section 6.3.8: "An empty ("" string) mailbox name argument is a special request to
    // return the hierarchy delimiter and the root name of the name given in the reference."
    //
    // The root is the reference's first level with its delimiter (`LIST #news.comp.mail.misc ""`
    // gives `#news.`), as UW-IMAP and Dovecot answer, and empty for a reference without one.
    private static func hierarchyRoot(of reference: RoostIMAPGrammar.MailboxName) -> MailboxListItem {
        let root = reference.name.firstIndex(of: IMAPMailboxNames.separator).map { reference.name[...$0] } ?? ""
        return MailboxListItem(attributes: [.noSelect], delimiter: IMAPMailboxNames.separator,
                               name: RoostIMAPGrammar.MailboxName(String(root)))
    }

    // RFC 3501 section 6.3.9: "if "foo/bar" ... is subscribed but "foo" is not. A "%" wildcard to LSUB
    // must return foo, not foo/bar, in the LSUB response, and it MUST be flagged with the \Noselect
    // attribute."
    //
    // Generalised as RFC 5258 section 3.5 describes LSUB: a name that is not subscribed is listed
    // with `\Noselect` when it matches and one of its subscribed descendants does not.
    private static func subscribed(in store: MailStore, matching matches: (RoostStorage.MailboxName) -> Bool) throws
        -> [MailboxListItem] {
        let subscribed = Set(try store.subscriptions())
        var found: [RoostStorage.MailboxName: [MailboxAttribute]] = [:]
        for name in subscribed {
            if matches(name) {
                found[name] = []
                continue
            }
            var parent = name.parent
            while let level = parent {
                if !subscribed.contains(level) && matches(level) { found[level] = [.noSelect] }
                parent = level.parent
            }
        }
        return found.sorted { $0.key < $1.key }.map { item($0.key, $0.value) }
    }

    private static func item(_ name: RoostStorage.MailboxName, _ attributes: [MailboxAttribute]) -> MailboxListItem {
        MailboxListItem(attributes: attributes, delimiter: IMAPMailboxNames.separator, name: IMAPMailboxNames.wireName(name))
    }
}
