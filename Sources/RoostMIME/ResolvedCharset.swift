/// How a charset label is decoded once resolved.
enum ResolvedCharset: Sendable, Hashable {
    /// UTF-8, invalid sequences replaced.
    case utf8
    /// US-ASCII and unlabelled 8-bit: UTF-8 where valid, else Windows-1252, line by line
    /// (`ASCIICompatibleDecoder`).
    case asciiCompatible
    /// Windows-1252, also used for ISO-8859-1.
    case windows1252
    /// Any charset glibc iconv knows, by its iconv name.
    case iconv(String)

    /// The name the decoder uses.
    var name: String {
        switch self {
        case .utf8: return "UTF-8"
        case .asciiCompatible: return "US-ASCII"
        case .windows1252: return "WINDOWS-1252"
        case .iconv(let name): return name
        }
    }
}
