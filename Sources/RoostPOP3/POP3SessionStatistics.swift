/// What one POP3 session did, for its logout log line (Dovecot's `pop3_logout_format` counts).
struct POP3SessionStatistics {
    var topCount = 0
    var topBytes: Int64 = 0
    var retrCount = 0
    var retrBytes: Int64 = 0
    var deleted = 0
    var messagesAtLogin = 0
    var sizeAtLogin: Int64 = 0
    var bytesIn = 0
    var bytesOut = 0

    /// `top=1/512, retr=2/20480, del=1/3, size=30720, in=120, out=21400`.
    var logText: String {
        "top=\(topCount)/\(topBytes), retr=\(retrCount)/\(retrBytes), del=\(deleted)/\(messagesAtLogin), size=\(sizeAtLogin), in=\(bytesIn), out=\(bytesOut)"
    }
}
