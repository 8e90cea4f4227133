import Foundation
import Logging

/// roostd's log format: one line per event on standard error, which systemd's journal collects.
///
///     2026-12-04T10:15:02Z info roost.pop3: pop3 login: user=<bob>, method=PLAIN, rip=192.0.2.7, ... [session=k3]
///
/// The message comes first and is never re-ordered, so the authentication-failure line keeps the
/// shape docs/logging.md gives to fail2ban; metadata follows in brackets, sorted by key. Control
/// characters in messages are escaped so no client input can start a fake log line.
public struct ServerLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let output: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, output: @escaping @Sendable (String) -> Void = ServerLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(Self.escaped("\(event.message)"))"
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
