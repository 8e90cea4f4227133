#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The message `DemoEnvironment` delivers into a new demo user's INBOX: a proper RFC 5322 message
/// (Date, From, To, Subject, Message-ID, MIME-Version, text/plain UTF-8) so clients show it as any
/// other mail, with a fixed Message-ID under the reserved `.invalid` domain so a second run can
/// tell it is already there.
public enum WelcomeMessage {
    /// `<welcome.USER@roost.invalid>` with `@` in the user name written as `=`.
    public static func messageID(for user: String) -> String {
        "<welcome.\(user.replacingAll("@", with: "="))@roost.invalid>"
    }

    /// The message with LF line ends, as Maildir files have them.
    public static func bytes(user: String, date: Int64, maildir: String, configurationPath: String) -> [UInt8] {
        let address = user.contains("@") ? user : "\(user)@localhost"
        let text = """
            Date: \(rfc5322Date(date))
            From: Roost <roost@localhost>
            To: \(user) <\(address)>
            Subject: Welcome to Roost
            Message-ID: \(messageID(for: user))
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Hello \(user),

            this message was put into your INBOX by `mailboxctl demo`, so that there is
            something to read as soon as a mail client connects.

            Maildir:        \(maildir)
            Configuration:  \(configurationPath)

            Look at the mailbox, or set a new password:

              mailboxctl --config \(configurationPath) mailbox status \(user)
              mailboxctl --config \(configurationPath) user passwd \(user)

            Happy hacking — Roost

            """
        return Array(text.utf8)
    }

    /// `Mon, 24 Nov 2025 09:05:00 +0000` (RFC 5322 section 3.3), in UTC, independent of the locale.
    public static func rfc5322Date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(parts.tm_mday) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

extension String {
    /// Every `target` replaced, without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
