import Foundation
import Logging

/// roostd's log format: one line per event on standard error, which systemd's journal collects.
///
///     2026-12-04T10:15:02Z info roost.pop3: pop3 login: user=<bob>, method=PLAIN, rip=192.0.2.7, ... [session=k3]
///
/// Under systemd (standard error is the journal's stream, `JOURNAL_STREAM`), the time and level
/// are left out, as the journal records both; a `<N>` syslog priority prefix gives the journal the
/// level instead:
///
///     <6>roost.pop3: pop3 login: user=<bob>, ...
///
/// The message comes right after the label and is never re-ordered, so the failed-login line keeps
/// the shape that fail2ban's `dovecot` filter matches (docs/running.md); metadata follows in
/// brackets, sorted by key. Control characters in messages are escaped so no client input can
/// start a fake log line.
public struct ServerLogHandler: LogHandler {
    /// How lines are written.
    public enum Format: Sendable {
        /// `TIME LEVEL label: message`, for terminals and files.
        case plain
        /// `<PRIORITY>label: message`, for the systemd journal.
        case journal

        /// `.journal` when standard error is the stream systemd's `JOURNAL_STREAM` names.
        public static func detect() -> Format {
            guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return .plain }
            let parts = stream.split(separator: ":")
            var status = stat()
            guard parts.count == 2, fstat(2, &status) == 0,
                  UInt64(parts[0]) == UInt64(status.st_dev), UInt64(parts[1]) == UInt64(status.st_ino)
            else { return .plain }
            return .journal
        }
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: Format
    private let output: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level, format: Format = .plain,
        output: @escaping @Sendable (String) -> Void = ServerLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let prefix = switch format {
        case .plain: "\(Self.timestamp()) \(event.level) "
        case .journal: "<\(Self.syslogPriority(event.level))>"
        }
        var line = prefix + "\(label): \(Self.escaped("\(event.message)"))"
        if !merged.isEmpty {
            line += " [" + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.escaped("\($0.value)"))" }.joined(separator: " ") + "]"
        }
        output(line + "\n")
    }

    /// Writes to file descriptor 2 in one `write` so concurrent lines do not interleave.
    public static let standardError: @Sendable (String) -> Void = { text in
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// RFC 5424 severities, as sd-daemon(3) prefixes take them.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    private static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\x" + String(scalar.value, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)
        )
    }
}
