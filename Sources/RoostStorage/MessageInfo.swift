/// What the storage knows about one message without opening its file.
public struct MessageInfo: Hashable, Sendable {
    public var uid: UID
    /// The Maildir base name: unique, stable for the life of the message.
    public var base: String { didSet { unusualName = nil } }
    public var info: MaildirInfo { didSet { unusualName = nil } }
    /// Still in `new/` (not yet seen by any mail reader).
    public var inNew: Bool { didSet { unusualName = nil } }
    /// The file's name when it is not the one Roost gives (another program named it `:2,SF`, or
    /// `base:2,` in `new/`); nil when it is. It keeps that name until Roost next renames it, which
    /// any change of base, flags or directory does.
    private var unusualName: String?
    /// The file's name in `new/` or `cur/`. Ours are canonical (flag letters in ASCII order).
    var fileName: String {
        get { unusualName ?? base + fileNameSuffix }
        set {
            // Byte for byte and in place: a first sync sets the name of every message in the folder.
            var name = newValue, base = base, suffix = fileNameSuffix
            let canonical = name.withUTF8 { name in
                base.withUTF8 { base in
                    suffix.withUTF8 { suffix in
                        name.count == base.count + suffix.count && name[..<base.count].elementsEqual(base)
                            && name[base.count...].elementsEqual(suffix)
                    }
                }
            }
            unusualName = canonical ? nil : newValue
        }
    }
    /// What follows the base in the file's name (the index keeps names this way).
    var fileNameAfterBase: Substring {
        guard let unusualName else { return Substring(fileNameSuffix) }
        return Substring(unusualName.utf8.dropFirst(base.utf8.count))
    }
    /// What follows the base in the canonical name: nothing for a message in `new/` without flags,
    /// else `:2,` and the flag letters.
    var fileNameSuffix: String {
        inNew && info == MaildirInfo() ? "" : ":2," + info.letters
    }
    /// Bytes in the file.
    public var size: Int64
    /// Size with every line end counted as CRLF: IMAP's RFC822.SIZE and POP3's message size.
    public var virtualSize: Int64
    /// Seconds since the epoch: when the message arrived (the file's mtime, as Dovecot keeps it).
    /// `nil` until first asked for (`MaildirFolder.internalDate(of:)`): a first sync learns names
    /// and sizes from the listing and does not stat 100,000 files for a date no client may want.
    public var internalDate: Int64?

    public init(uid: UID, base: String, info: MaildirInfo, inNew: Bool, size: Int64, virtualSize: Int64, internalDate: Int64?) {
        self.uid = uid
        self.base = base
        self.info = info
        self.inNew = inNew
        self.size = size
        self.virtualSize = virtualSize
        self.internalDate = internalDate
    }

    public var flags: SystemFlags { info.system }

    /// The file's path relative to the folder. A file in `new/` carries no flags in its name.
    var relativePath: String {
        (inNew ? "new/" : "cur/") + fileName
    }
}

/// A consistent view of a folder at one moment, cheap to copy (its arrays are shared copy-on-write).
public struct FolderSnapshot: Sendable {
    public let uidValidity: UIDValidity
    /// The UID the next message will get.
    public let nextUID: UID
    /// Ascending by UID.
    public let messages: [MessageInfo]
    /// Two snapshots of one `MaildirFolder` with the same version show the same folder: a session
    /// whose view is of this version has nothing to compare (100,000 messages after every command).
    public let version: UInt64
    /// Keyword names by Maildir letter index (`a` = 0); `nil` where unused.
    public let keywordNames: [String?]

    /// The keyword names set on a message.
    public func keywords(of message: MessageInfo) -> [String] {
        if message.info.keywords == 0 { return [] }
        var names: [String] = []
        for (index, name) in keywordNames.enumerated() where message.info.hasKeyword(index) {
            if let name { names.append(name) }
        }
        return names
    }

    /// The position of the message with `uid`.
    public func index(of uid: UID) -> Int? { messages.position(of: uid) }

    /// The position of the first message whose UID is `uid` or greater (`messages.count` if none).
    public func firstIndex(atOrAfter uid: UID) -> Int { messages.lowerBound(of: uid) }
}

extension Array where Element == MessageInfo {
    /// Binary search by UID; messages are kept in ascending UID order.
    func position(of uid: UID) -> Int? {
        let position = lowerBound(of: uid)
        return position < count && self[position].uid == uid ? position : nil
    }

    /// The position of the first message whose UID is `uid` or greater (`count` if none).
    func lowerBound(of uid: UID) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid].uid < uid { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
