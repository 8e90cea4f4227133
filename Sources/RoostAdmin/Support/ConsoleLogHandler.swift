import Logging

/// Sends the domain modules' log records (a damaged index, a passwd-file problem) to the admin
/// console as `mailboxctl: warning: ...`, so they show up where the command's own messages do and
/// tests capture them. Records below `logLevel` are dropped; the tool is not a daemon, so
/// informational lines such as "passwd-file loaded" would only be noise.
struct ConsoleLogHandler: LogHandler {
    let console: AdminConsole
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var text = "\(event.message)"
        if !merged.isEmpty {
            text += " (" + merged.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        let label = event.level >= .error ? "error" : event.level >= .warning ? "warning" : "note"
        console.printError("mailboxctl: \(label): \(text)")
    }

    /// A logger writing to `console` at `level` and above.
    static func logger(label: String, console: AdminConsole, level: Logger.Level) -> Logger {
        Logger(label: label) { _ in ConsoleLogHandler(console: console, logLevel: level) }
    }
}
