import ArgumentParser
import RoostStorage

/// `mailboxctl quota`: Maildir++ quota (`maildirsize`).
struct QuotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "Show a user's quota use, or recount it.",
        subcommands: [QuotaShowCommand.self, QuotaRecalcCommand.self]
    )

    /// Usage against limits, one line per resource.
    static func lines(usage: QuotaUsage, location: UserMailStore) -> [String] {
        var table = TextTable(["QUOTA", "USED", "LIMIT", "%", "LIMIT FROM"], rightAligned: [1, 2, 3])
        table.add(row("storage", used: usage.bytes, limit: location.quotaLimits.storageBytes,
                      source: location.storageLimitIsPerUser ? "user" : "mail.quota_storage"))
        table.add(row("messages", used: Int64(usage.messages), limit: Int64(location.quotaLimits.messages),
                      source: location.messageLimitIsPerUser ? "user" : "mail.quota_messages"))
        return table.lines
    }

    private static func row(_ name: String, used: Int64, limit: Int64, source: String) -> [String] {
        guard limit > 0 else { return [name, String(used), "unlimited", "-", source] }
        let percent = Double(used) * 100 / Double(limit)
        return [name, String(used), String(limit), String(Int(percent.rounded(.down))), source]
    }
}
