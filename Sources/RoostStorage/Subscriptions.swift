/// The `subscriptions` file in the Maildir root, in Dovecot's format.
///
/// Dovecot 2.3 writes version 2: a `V<TAB>2` line, an empty line, then one mailbox per line with its
/// levels separated by TAB and each level in modified UTF-7. Older files (version 1) have one name per
/// line with the namespace separator (`.` or `/`) between levels; both are read, version 2 is written.
enum Subscriptions {
    static func parse(_ bytes: [UInt8]) -> [MailboxName] {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let version2 = lines.first == "V\t2"
        if version2 { lines.removeFirst() }
        var names: [MailboxName] = []
        var seen = Set<MailboxName>()
        for line in lines where !line.isEmpty {
            let levels: [Substring] = version2
                ? line.split(separator: "\t", omittingEmptySubsequences: false)
                : line.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "/" }
            let decoded = levels.map { ModifiedUTF7.decode(String($0)) ?? String($0) }
            guard let name = try? MailboxName(components: decoded), seen.insert(name).inserted else { continue }
            names.append(name)
        }
        return names
    }

    static func serialize(_ names: [MailboxName]) -> [UInt8] {
        var out = "V\t2\n\n"
        for name in names {
            out += name.components.map(ModifiedUTF7.encode).joined(separator: "\t") + "\n"
        }
        return Array(out.utf8)
    }
}
