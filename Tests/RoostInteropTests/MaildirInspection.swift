import Foundation

// Maildirs on disk, the server's and the sync clients' (mbsync, offlineimap), as tests inspect them.

/// One message file of a Maildir folder, the server's or a client's, as it is on disk.
struct MaildirMessage: Sendable, CustomStringConvertible {
    /// Relative to the folder: `cur/NAME` or `new/NAME`.
    var path: String
    /// The file name without the info part (`:2,FLAGS`).
    var base: String
    /// The flag letters after `:2,`, as the file name has them (Maildir keeps them sorted).
    var flags: String
    var contents: String

    var description: String { path }

    /// The first value of the header field `name` (unfolded lines only, which is all these tests write).
    func header(_ name: String) -> String? {
        for line in contents.lf.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }
            if line.lowercased().hasPrefix(name.lowercased() + ":") {
                return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The UID a sync client put into the name (`,U=12`: mbsync's native scheme and offlineimap).
    var uidInName: Int? {
        guard let range = base.range(of: ",U=") else { return nil }
        return Int(base[range.upperBound...].prefix { $0.isNumber })
    }
}

/// The messages in `folder`'s `new/` and `cur/`, sorted by path.
func maildirMessages(in folder: String) throws -> [MaildirMessage] {
    try ["cur", "new"].flatMap { sub in
        try FileManager.default.contentsOfDirectory(atPath: folder + "/" + sub).map { name in
            let info = name.range(of: ":2,")
            return MaildirMessage(
                path: sub + "/" + name,
                base: info.map { String(name[..<$0.lowerBound]) } ?? name,
                flags: info.map { String(name[$0.upperBound...]) } ?? "",
                contents: try String(contentsOfFile: folder + "/" + sub + "/" + name, encoding: .utf8)
            )
        }
    }.sorted { $0.path < $1.path }
}

/// Every message file (in a `cur/` or `new/`) under `root`, relative to it, sorted: names carry
/// the flags, so equal lists mean no message was added, removed, moved or flagged.
func messageFilePaths(under root: String) throws -> [String] {
    guard let paths = FileManager.default.subpaths(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
    return paths.filter { path in
        let parts = path.split(separator: "/")
        return parts.count >= 2 && ["cur", "new"].contains(parts[parts.count - 2])
    }.sorted()
}

/// The local folders a sync client made under `root`: every directory with a `cur/`, relative.
func localFolders(under root: String) throws -> Set<String> {
    guard let paths = FileManager.default.subpaths(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
    return Set(paths.filter { $0 == "cur" || $0.hasSuffix("/cur") }.map { path in
        path == "cur" ? "" : String(path.dropLast(4))
    })
}

/// The UIDs of a server folder by file base name, from its `dovecot-uidlist`
/// (`3 V<validity> N<next> G<guid>`, then `<uid> [fields] :<base>` per message).
func dovecotUIDs(in folder: String) throws -> [String: Int] {
    let text = try String(contentsOfFile: folder + "/dovecot-uidlist", encoding: .utf8)
    var uids: [String: Int] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        guard let uid = Int(line.prefix { $0.isNumber }), let base = line.range(of: " :") else { continue }
        uids[String(line[base.upperBound...])] = uid
    }
    return uids
}
