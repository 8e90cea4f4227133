import RoostAuth

/// Writes a user's own quota into the passwd-file as Dovecot 2.3 does,
/// `userdb_quota_rule=*:storage=1G:messages=1000`, which RoostAuth's `QuotaOverride` and Dovecot
/// both read.
///
/// `storage` is written with the largest exact binary unit (`1G`, `512M`, `100K`), because a bare
/// number there means KiB to Dovecot; a byte count that fits no unit becomes `bytes=N`. `0` and
/// `unlimited` mean no limit for this user, even if `mail.quota_*` sets one.
enum QuotaRule {
    /// The extra field for the given limits, nil when neither is given.
    static func field(storage: String?, messages: String?) throws(AdminError) -> PasswdFileRecord.ExtraField? {
        var parts = ["*"]
        if let storage { parts.append(storageText(try bytes(storage))) }
        if let messages { parts.append("messages=\(try count(messages))") }
        guard parts.count > 1 else { return nil }
        return PasswdFileRecord.ExtraField(key: "userdb_quota_rule", value: parts.joined(separator: ":"))
    }

    /// Parses `1G`, `512M`, `100K`, `1048576`, `50MB`, `2GiB`, `0` or `unlimited` (binary units).
    static func bytes(_ text: String) throws(AdminError) -> UInt64 {
        let invalid = AdminError.dataError("invalid storage quota \(text.debugDescription); use bytes or K, M, G, T, e.g. 1G, or unlimited")
        if text.lowercased() == "unlimited" { return 0 }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = UInt64(digits) else { throw invalid }
        let factor: UInt64
        switch text.dropFirst(digits.count).uppercased() {
        case "", "B": factor = 1
        case "K", "KB", "KIB": factor = 1 << 10
        case "M", "MB", "MIB": factor = 1 << 20
        case "G", "GB", "GIB": factor = 1 << 30
        case "T", "TB", "TIB": factor = 1 << 40
        default: throw invalid
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow, product <= UInt64(Int64.max) else { throw invalid }
        return product
    }

    /// Parses a message count: digits, or `unlimited` (0).
    static func count(_ text: String) throws(AdminError) -> UInt64 {
        if text.lowercased() == "unlimited" { return 0 }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt64(text) else {
            throw .dataError("invalid message quota \(text.debugDescription); use a number or unlimited")
        }
        return number
    }

    /// `storage=1G`, or `bytes=N` when no unit divides the value.
    static func storageText(_ bytes: UInt64) -> String {
        guard bytes != 0 else { return "storage=0" }
        for (letter, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] where bytes % (1 << UInt64(shift)) == 0 {
            return "storage=\(bytes >> UInt64(shift))\(letter)"
        }
        return "bytes=\(bytes)"
    }
}
