@testable import RoostConfig
import Testing

/// Sizes and durations: units, boundaries of 64-bit arithmetic, and malformed numbers.
@Suite("Sizes and durations")
struct SizeAndDurationTests {
    static let goodSizes: [(String, Int)] = [
        ("0", 0),
        ("512", 512),
        ("007", 7),
        ("7B", 7),
        ("10K", 10 * 1024),
        ("10k", 10 * 1024),
        ("10KB", 10 * 1024),
        ("10KiB", 10 * 1024),
        ("10 K", 10 * 1024),
        ("50M", 50 * 1024 * 1024),
        ("50mb", 50 * 1024 * 1024),
        ("2G", 2 << 30),
        ("1T", 1 << 40),
        ("9223372036854775807", Int.max),
        ("8388607T", 8_388_607 << 40),
        ("9007199254740991K", 9_007_199_254_740_991 << 10),
    ]

    @Test("valid sizes", arguments: goodSizes)
    func validSize(text: String, bytes: Int) throws {
        let configuration = try TestSupport.parse("mail", "max_message_size", text)
        #expect(configuration.mail.maxMessageSize == bytes)
    }

    static let badSizes: [(String, String?)] = [
        ("lots", nil),
        ("\"\"", nil),
        ("-1", nil),
        ("+5", nil),
        ("1.5G", nil),
        ("K", nil),
        ("1 0K", nil),
        ("10KK", "unknown unit \"KK\"; use K, M, G or T"),
        ("10X", "unknown unit \"X\"; use K, M, G or T"),
        ("1P", "unknown unit \"P\"; use K, M, G or T"),
        ("\u{FF15}0M", nil),  // fullwidth digit five: digits are ASCII only
        ("9223372036854775808", "number too large"),
        ("8388608T", "too large"),
        ("9007199254740992K", "too large"),
    ]

    @Test("invalid sizes name the key and what was expected", arguments: badSizes)
    func invalidSize(text: String, reason: String?) throws {
        let error = try #require(TestSupport.error("mail", "quota_storage", text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "mail.quota_storage")
        #expect(error.line == 2)
        #expect(error.message.hasPrefix("expected a size such as 50M, got "))
        if let reason {
            #expect(error.message.hasSuffix("(\(reason))"))
        } else {
            #expect(!error.message.hasSuffix(")"))
        }
    }

    static let goodDurations: [(String, Duration)] = [
        ("0", .zero),
        ("0ms", .zero),
        ("30", .seconds(30)),
        ("30s", .seconds(30)),
        ("30 secs", .seconds(30)),
        ("500ms", .milliseconds(500)),
        ("1500 msec", .milliseconds(1500)),
        ("10m", .seconds(600)),
        ("10M", .seconds(600)),
        ("10 mins", .seconds(600)),
        ("1 minute", .seconds(60)),
        ("2h", .seconds(7200)),
        ("2 Hours", .seconds(7200)),
        ("1d", .seconds(86400)),
        ("24 hours", .seconds(86400)),
        ("86400000ms", .seconds(86400)),
    ]

    @Test("valid durations", arguments: goodDurations)
    func validDuration(text: String, expected: Duration) throws {
        let configuration = try TestSupport.parse("auth", "failure_memory", text)
        #expect(configuration.auth.failureMemory == expected)
    }

    /// The lexing limits, below any key's range: 64-bit milliseconds, checked without trapping.
    static let durationFormatLimits: [(String, Duration?)] = [
        ("9223372036854775807ms", .milliseconds(Int.max)),
        ("106751991167d", .milliseconds(106_751_991_167 * 86_400_000)),
        ("9223372036854775807s", nil),
        ("106751991168d", nil),
        ("99999999999999999999", nil),
    ]

    @Test("durations up to 64-bit milliseconds parse; beyond, an error", arguments: durationFormatLimits)
    func durationFormatLimit(text: String, expected: Duration?) {
        #expect((try? DurationFormat.parse(text)) == expected)
    }

    static let badDurations: [(String, String?)] = [
        ("soon", nil),
        ("\"\"", nil),
        ("-5s", nil),
        ("1.5s", nil),
        ("s", nil),
        ("5 s s", nil),
        ("5w", "unknown unit \"w\"; use ms, s, m, h or d"),
        ("5us", "unknown unit \"us\"; use ms, s, m, h or d"),
        ("9223372036854775807s", "too large"),
        ("106751991168d", "too large"),
        ("99999999999999999999", "number too large"),
        ("86400001ms", "out of range"),
        ("2d", "out of range"),
        ("100000d", "out of range"),
    ]

    @Test("invalid durations name the key and what was expected", arguments: badDurations)
    func invalidDuration(text: String, reason: String?) throws {
        let error = try #require(TestSupport.error("auth", "failure_memory", text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "auth.failure_memory")
        #expect(error.message.hasPrefix("expected a duration from 0s to 1d such as 30s, 10m, 2h or 500ms, got "))
        if let reason {
            #expect(error.message.hasSuffix("(\(reason))"))
        }
    }

    /// Each duration key has its own range, documented in docs/configuration.md.
    static let durationRanges: [(String, String, String)] = [
        ("failure_delay", "1m", "61s"),
        ("failure_delay_max", "5m", "301s"),
        ("failure_memory", "1d", "1441m"),
    ]

    @Test("each duration key accepts its upper bound and refuses beyond it", arguments: durationRanges)
    func durationRange(key: String, highest: String, beyond: String) throws {
        // failure_delay_max must stay at least failure_delay, so both bounds are tested alone.
        if key == "failure_delay" {
            _ = try RoostConfiguration.parse(text: "[auth]\nfailure_delay = \(highest)\nfailure_delay_max = 5m\n", fileName: "t.conf")
        } else {
            _ = try TestSupport.parse("auth", key, highest)
        }
        let error = try #require(TestSupport.error("auth", key, beyond))
        #expect(error.kind == .invalidValue)
        #expect(error.line == 2)
        #expect(error.message.hasSuffix("(out of range)"))
        #expect(error.description.hasPrefix("test.conf:2: auth.\(key): expected a duration from 0s to \(highest) "))
    }

    static let renderings: [(RoostConfiguration, String, String)] = [
        (RoostConfiguration(mail: MailSettings(maxMessageSize: 0)), "mail.max_message_size", "0"),
        (RoostConfiguration(mail: MailSettings(maxMessageSize: 1000)), "mail.max_message_size", "1000"),
        (RoostConfiguration(mail: MailSettings(maxMessageSize: 1536 * 1024)), "mail.max_message_size", "1536K"),
        (RoostConfiguration(mail: MailSettings(maxMessageSize: 3 << 30)), "mail.max_message_size", "3G"),
        (RoostConfiguration(mail: MailSettings(maxMessageSize: 5 << 40)), "mail.max_message_size", "5T"),
        (RoostConfiguration(auth: AuthSettings(failureMemory: .zero)), "auth.failure_memory", "0s"),
        (RoostConfiguration(auth: AuthSettings(failureMemory: .milliseconds(1500))), "auth.failure_memory", "1500ms"),
        (RoostConfiguration(auth: AuthSettings(failureMemory: .seconds(90))), "auth.failure_memory", "90s"),
        (RoostConfiguration(auth: AuthSettings(failureMemory: .seconds(7200))), "auth.failure_memory", "2h"),
        (RoostConfiguration(auth: AuthSettings(failureMemory: .seconds(86400))), "auth.failure_memory", "1d"),
    ]

    @Test("sizes and durations are written with the largest exact unit and read back", arguments: renderings)
    func rendering(configuration: RoostConfiguration, qualifiedName: String, expected: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.qualifiedName == qualifiedName })
        #expect(key.value(in: configuration) == expected)
        let reparsed = try TestSupport.parse(key.section, key.name, expected)
        #expect(reparsed == configuration)
    }
}
