/// One user line of a Dovecot passwd-file:
/// `user:password:uid:gid:gecos:home:shell:extra_fields`.
///
/// Format rules (Dovecot 2.3 `db-passwd-file.c`):
/// - Fields are split at `:`; everything from the eighth field on, `:`s included, is the extra
///   fields text, so `userdb_quota_rule=*:storage=1G` survives. Extra fields are separated by
///   spaces, each `key=value` or a bare `key` (a flag such as `nologin`).
/// - Any field after the name may be missing or empty; empty uid/gid/home mean "not set".
/// - The old format with an empty seventh field followed by a mail location
///   (`...:shell::maildir:~/Maildir`) is read as `userdb_mail=maildir:~/Maildir`.
/// - A password field cannot contain `:` (use `{PLAIN.B64}`); uid and gid are decimal and not 0.
public struct PasswdFileRecord: Sendable, Hashable {
    /// One `key=value` (or bare `key`) extra field, kept in file order.
    public struct ExtraField: Sendable, Hashable {
        public var key: String
        /// nil for a bare flag written without `=`.
        public var value: String?

        public init(key: String, value: String?) {
            self.key = key
            self.value = value
        }

        /// The field as written in the file.
        public var text: String {
            value.map { "\(key)=\($0)" } ?? key
        }
    }

    public var user: String
    /// The stored password field; nil or empty means the user has no password.
    public var password: String?
    public var uid: UInt32?
    public var gid: UInt32?
    public var gecos: String
    public var home: String?
    public var shell: String
    public var extraFields: [ExtraField]

    public init(
        user: String, password: String?, uid: UInt32? = nil, gid: UInt32? = nil, gecos: String = "",
        home: String? = nil, shell: String = "", extraFields: [ExtraField] = []
    ) {
        self.user = user
        self.password = password
        self.uid = uid
        self.gid = gid
        self.gecos = gecos
        self.home = home
        self.shell = shell
        self.extraFields = extraFields
    }

    /// The value of the first extra field named `key` (exact match); "" for a bare flag.
    public func extraField(_ key: String) -> String? {
        extraFields.first { $0.key == key }.map { $0.value ?? "" }
    }

    /// Passdb extra fields: those without the `userdb_` prefix.
    public var passdbFields: [String: String] {
        var fields: [String: String] = [:]
        for field in extraFields where !field.key.hasPrefix(Self.userdbPrefix) && fields[field.key] == nil {
            fields[field.key] = field.value ?? ""
        }
        return fields
    }

    /// Userdb extra fields: those with the `userdb_` prefix, with the prefix removed.
    public var userdbFields: [String: String] {
        var fields: [String: String] = [:]
        for field in extraFields where field.key.hasPrefix(Self.userdbPrefix) {
            let key = String(field.key.dropFirst(Self.userdbPrefix.count))
            if !key.isEmpty && fields[key] == nil { fields[key] = field.value ?? "" }
        }
        return fields
    }

    static let userdbPrefix = "userdb_"

    /// The line as it should be written: all eight fields, trailing empty ones dropped
    /// (but always `user:password`).
    public var line: String {
        var fields = [
            user, password ?? "", uid.map(String.init) ?? "", gid.map(String.init) ?? "", gecos, home ?? "", shell,
            extraFields.map(\.text).joined(separator: " "),
        ]
        while fields.count > 2, fields.last?.isEmpty == true {
            fields.removeLast()
        }
        return fields.joined(separator: ":")
    }

    /// Parses a user line; throws a human-readable reason for lines that are not valid.
    ///
    /// The caller has already skipped blank and `#` comment lines. Fields are split at the `:`
    /// byte and extra fields at space and tab bytes, as Dovecot does: splitting on `Character`s
    /// would let a combining mark after a `:` hide the separator inside one grapheme.
    public init(parsingLine line: Substring) throws(PasswdFileRecordError) {
        var fields = line.utf8.split(separator: Self.colon, omittingEmptySubsequences: false).map { String(Substring($0)) }
        guard let name = fields.first, !name.isEmpty else { throw .init(reason: "empty user name") }
        fields.append(contentsOf: repeatElement("", count: max(0, 8 - fields.count)))
        let uid = try Self.parseID(fields[2], what: "uid")
        let gid = try Self.parseID(fields[3], what: "gid")
        var extraText: String
        if fields[7].isEmpty && fields.count > 8 {
            // Old format: empty field, then the mail location (which may contain ':').
            let mail = fields[8...].joined(separator: ":")
            extraText = mail.isEmpty ? "" : "userdb_mail=" + mail
        } else {
            extraText = fields[7...].joined(separator: ":")
        }
        extraText = extraText.trimmingSpaces()
        var extras: [ExtraField] = []
        for token in extraText.utf8.split(whereSeparator: { $0 == Self.space || $0 == Self.tab }) {
            let pair = token.split(separator: Self.equals, maxSplits: 1, omittingEmptySubsequences: false)
            guard !pair[0].isEmpty else { throw .init(reason: "extra field '\(Substring(token))' has no name") }
            extras.append(ExtraField(
                key: String(Substring(pair[0])), value: pair.count == 2 ? String(Substring(pair[1])) : nil
            ))
        }
        self.init(
            user: name, password: fields[1].isEmpty ? nil : fields[1], uid: uid, gid: gid, gecos: fields[4],
            home: fields[5].isEmpty ? nil : fields[5], shell: fields[6], extraFields: extras
        )
    }

    /// Reads a uid or gid column (and `userdb_uid`/`userdb_gid`): empty is "not set", anything
    /// else must be ASCII digits only (no sign, no spaces) and not 0.
    ///
    /// The digits are checked before the number is read, and 0 is checked as a number, so
    /// `00`, `+0` or `０` (a fullwidth digit) cannot pass as something other than root.
    static func parseID(_ text: String, what: String) throws(PasswdFileRecordError) -> UInt32? {
        guard !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = UInt32(text) else {
            throw .init(reason: "\(what) '\(text)' is not a number")
        }
        // Dovecot refuses uid/gid 0 for mail users: a mistake here would give root's rights.
        guard value != 0 else { throw .init(reason: "\(what) 0 is not allowed") }
        return value
    }

    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let equals = UInt8(ascii: "=")
}

/// Why one passwd-file line is not a valid user line.
public struct PasswdFileRecordError: Error, Sendable, Hashable {
    public var reason: String
}
