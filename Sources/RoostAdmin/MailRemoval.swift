import Foundation

/// What `user del --remove-mail` deletes: one user's Maildir and index directory, checked in
/// full before anything changes.
///
/// Invariants:
/// - `init` does every check and deletes nothing; the command builds it before it edits the
///   passwd-file, so a refusal leaves the user and all mail as they were.
/// - Directories are compared as the file system sees them (`RealPath`: resolved links, device
///   and inode), never as strings, so `..`, `//`, `~/.`, symbolic links and bind mounts cannot
///   make one directory look like another.
/// - Never deleted: `/`; the user's home or any directory above it, or another user's; a
///   directory that is, contains or lies inside another user's Maildir or index directory; a path
///   whose last component is a symbolic link (deleting the link would leave the mail, deleting
///   its target is a surprise); a Maildir without `cur/`, `new/` and `tmp/`; an index directory
///   holding anything but Roost's per-folder index files. Each refusal says what to remove by hand.
/// - What is deleted is the resolved directory that was checked.
struct MailRemoval: Sendable {
    /// Which of a user's directories a path is.
    enum Role: Sendable, Hashable, CustomStringConvertible {
        case maildir, index, home

        var description: String {
            switch self {
            case .maildir: "Maildir"
            case .index: "index directory"
            case .home: "home directory"
            }
        }
    }

    /// A directory of another user, which the deletion must leave whole: their Maildir and
    /// index directory (nothing of ours may be, contain or lie inside them) and their home
    /// (nothing of ours may be or contain it; a Maildir inside a shared home is normal).
    struct OtherDirectory: Sendable, Hashable {
        var user: String
        var role: Role
        var path: String
    }

    /// A directory that passed every check.
    struct Target: Sendable, Hashable {
        var role: Role
        /// As the configuration names it.
        var path: String
        /// The resolved directory that was checked and will be deleted.
        var realPath: String
    }

    /// The files Roost keeps in a folder's index directory (`<index_dir>/<folder>/`), and the
    /// prefixes of their temporary files during an atomic write.
    static let indexFileNames: Set<String> = ["roost.index", "roost.cache"]
    static let indexTemporaryPrefixes = ["roost.index.tmp.", "roost.cache.tmp."]

    let user: String
    /// What will be deleted, index directory first.
    let targets: [Target]
    /// The user's directories that do not exist, so there is nothing to delete there.
    let absent: [Target]

    /// Checks `location`'s Maildir and index directory against the rules of the type comment.
    ///
    /// - Parameters:
    ///   - home: the user's home directory, if any.
    ///   - others: every other user's Maildir, index directory and home.
    /// - Throws: `AdminError` (`dataError`) naming the directory, why it is refused and what to
    ///   remove by hand; or the error met while examining a directory.
    init(user: String, location: UserMailStore, home: String?, others: [OtherDirectory]) throws(AdminError) {
        self.user = user
        var candidates = [(Role.maildir, location.root)]
        if let index = location.indexDirectory { candidates.insert((.index, index), at: 0) }

        let rootIdentity = RealPath.identity(of: "/")
        // An empty home is no home (it would resolve to the working directory).
        let homeAncestry = try home.flatMap { $0.isEmpty ? nil : $0 }
            .map { home throws(AdminError) in try RealPath.ancestry(of: home) } ?? []
        var otherAncestries: [(OtherDirectory, [RealPath.Identity])] = []
        for other in others where !other.path.isEmpty {
            otherAncestries.append((other, try RealPath.ancestry(of: other.path)))
        }

        var targets: [Target] = []
        var absent: [Target] = []
        for (role, path) in candidates {
            func refuse(_ reason: String) -> AdminError {
                AdminError(.dataError, "the \(role) \(path) \(reason); nothing was deleted and user \(user) was kept")
            }
            if RealPath.kind(of: path) == .symbolicLink {
                throw refuse("is a symbolic link; delete the mail it points to and the link by hand")
            }
            let realPath = try RealPath.resolve(path)
            let target = Target(role: role, path: path, realPath: realPath)
            guard let identity = RealPath.identity(of: realPath) else {
                absent.append(target)
                continue
            }
            guard RealPath.kind(of: realPath) == .directory else { throw refuse("is not a directory; remove it by hand") }
            if identity == rootIdentity { throw refuse("is the root directory") }
            if homeAncestry.contains(identity) {
                throw refuse("is the home directory of \(user) or above it; remove the \(role == .index ? "index files" : "mail") by hand")
            }
            let ancestry = try RealPath.ancestry(of: realPath)
            for (other, otherAncestry) in otherAncestries {
                let otherIdentity = RealPath.identity(of: other.path)
                let relation: String? = if otherIdentity == identity {
                    "is also the \(other.role) of user \(other.user)"
                } else if otherAncestry.contains(identity) {
                    "contains the \(other.role) of user \(other.user) (\(other.path))"
                } else if other.role != .home, let otherIdentity, ancestry.contains(otherIdentity) {
                    "is inside the \(other.role) of user \(other.user) (\(other.path))"
                } else {
                    nil
                }
                if let relation { throw refuse("\(relation); remove \(user)'s mail by hand") }
            }
            switch role {
            case .maildir:
                let missing = ["cur", "new", "tmp"].filter { RealPath.kind(of: realPath + "/" + $0) != .directory }
                if !missing.isEmpty {
                    throw refuse("is not a Maildir (no \(missing.map { $0 + "/" }.joined(separator: ", "))); remove it by hand")
                }
            case .index:
                if let stranger = try Self.firstNonIndexEntry(in: realPath) {
                    throw refuse("holds \(stranger), which is not a Roost index file; remove the index files by hand")
                }
            case .home:
                preconditionFailure("a home is never a removal candidate")
            }
            targets.append(target)
        }
        self.targets = targets
        self.absent = absent
    }

    /// Deletes the targets, index directory first; one already gone (inside the Maildir) is skipped.
    func perform() throws(AdminError) {
        for target in targets where RealPath.kind(of: target.realPath) != nil {
            do {
                try FileManager.default.removeItem(atPath: target.realPath)
            } catch {
                let reason = AdminError(error)
                // The path is in the sentence already when it is the directory itself.
                let ownPath = target.realPath + ": "
                let detail = reason.message.hasPrefix(ownPath) ? String(reason.message.dropFirst(ownPath.count)) : reason.message
                throw AdminError(reason.code, "user \(user) was deleted, but its \(target.role) \(target.path) "
                    + "could not be removed: \(detail); remove the rest by hand")
            }
        }
    }

    /// The first entry of an index directory that is not `<folder>/roost.index` or
    /// `<folder>/roost.cache` (or one of their temporary files), as a path relative to it.
    private static func firstNonIndexEntry(in directory: String) throws(AdminError) -> String? {
        for folder in try entries(of: directory) {
            let folderPath = directory + "/" + folder
            guard RealPath.kind(of: folderPath) == .directory else { return folder }
            for file in try entries(of: folderPath) {
                let isIndexFile = indexFileNames.contains(file) || indexTemporaryPrefixes.contains { file.hasPrefix($0) }
                guard isIndexFile, RealPath.kind(of: folderPath + "/" + file) == .regularFile else {
                    return folder + "/" + file
                }
            }
        }
        return nil
    }

    private static func entries(of directory: String) throws(AdminError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw AdminError(error)
        }
    }
}
