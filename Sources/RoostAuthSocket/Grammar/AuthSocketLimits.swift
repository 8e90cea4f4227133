/// The size limits of the auth protocol, in one place.
public enum AuthSocketLimits {
    /// The longest line a client may send, in bytes without the LF: Dovecot's
    /// `AUTH_CLIENT_MAX_LINE_LENGTH` (16384). Dovecot disconnects a client that sends more, and so does
    /// `AuthSocketHandler` when its `LineFramingHandler` reports `.tooLong`. (Dovecot's input buffer
    /// holds the LF too, so it takes one byte less; no client comes near either.) RoostAuth's default
    /// `SASLConfiguration.maxResponseBytes` (8192 decoded, 10924 in base64) fits in it.
    public static let maxLineLength = 16_384

    /// The longest command name echoed in an error (`AuthSocketParseError.unknownCommand`).
    public static let maxEchoedCommandLength = 20
}
