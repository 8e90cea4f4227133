/// Conversion of text in a MIME charset (RFC 2045 section 5.1, RFC 2046 section 4.1.2) to `String`.
///
/// Mail labels its text with charset names from the IANA registry, often misspelled or in an alias
/// form, and often lies: "us-ascii" parts contain UTF-8, "gb2312" parts contain GBK characters. The
/// decoder follows what real clients (and the WHATWG Encoding standard) do:
/// - UTF-8 and US-ASCII are decoded natively; ASCII-labelled text with 8-bit bytes is taken as UTF-8
///   where valid and as Windows-1252 otherwise, decided line by line (`ASCIICompatibleDecoder`), so
///   that a streamed body decodes the same however it is chunked.
/// - ISO-8859-1 is decoded as its superset Windows-1252, GB2312/GBK as GB18030, Big5 as Big5-HKSCS,
///   Shift_JIS as Windows-31J, EUC-KR and KS_C_5601-1987 as CP949.
/// - Everything else goes through glibc iconv after the name is checked to be a plain charset name
///   (so mail cannot pass iconv options such as `//TRANSLIT`).
/// Invalid bytes become U+FFFD; decoding never fails for a known charset.
public enum Charset {
    /// Decodes `bytes` in `charset`; nil only when the charset is unknown.
    ///
    /// Names are matched case-insensitively, with surrounding quotes and whitespace ignored.
    public static func decode(_ bytes: some Collection<UInt8>, charset: String) -> String? {
        guard let resolved = resolve(charset) else { return nil }
        return decode(bytes, resolved: resolved)
    }

    /// Whether `decode(_:charset:)` can decode text labelled `charset`.
    public static func isKnown(_ charset: String) -> Bool {
        resolve(charset) != nil
    }

    /// The name under which text in `charset` is actually decoded (for example "GB18030" for
    /// "gb2312"), or nil when the charset is unknown. Useful for logs and for SEARCH CHARSET checks.
    public static func canonicalName(_ charset: String) -> String? {
        resolve(charset)?.name
    }

    /// Decodes bytes whose charset has already been resolved; `final` is implied.
    static func decode(_ bytes: some Collection<UInt8>, resolved: ResolvedCharset) -> String {
        switch resolved {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .asciiCompatible:
            return ASCIICompatibleDecoder.decode(bytes)
        case .windows1252:
            return Windows1252.decode(bytes)
        case .iconv(let name):
            let array = Array(bytes)
            return array.withUnsafeBufferPointer { buffer in
                IconvConverter.convert(buffer, from: name, final: true)?.text
            } ?? Windows1252.decode(array)
        }
    }

    /// Finds how text labelled `label` is decoded, or nil when it cannot be.
    static func resolve(_ label: String) -> ResolvedCharset? {
        let name = normalize(label)
        guard !name.isEmpty else { return nil }
        if let known = aliases[name] { return known }
        if let patterned = resolvePattern(name) { return patterned }
        guard isPlainName(name) else { return nil }
        let upper = name.uppercased()
        return IconvConverter.canOpen(upper) ? .iconv(upper) : nil
    }

    /// Lowercases and strips quotes, whitespace and an RFC 2231/2047 language suffix (`utf-8*en`).
    static func normalize(_ label: String) -> String {
        var bytes = Array(ASCII.trimmed(Array(label.utf8)))
        while let first = bytes.first, first == ASCII.quote || first == ASCII.apostrophe { bytes.removeFirst() }
        while let last = bytes.last, last == ASCII.quote || last == ASCII.apostrophe { bytes.removeLast() }
        if let star = bytes.firstIndex(of: ASCII.asterisk) { bytes.removeSubrange(star...) }
        return String(decoding: ASCII.trimmed(bytes).map(ASCII.lowercased), as: UTF8.self)
    }

    /// True when `name` contains only characters found in registered charset names (RFC 2978
    /// section 2.3), which keeps iconv's `//` option syntax and path-like names out.
    static func isPlainName(_ name: String) -> Bool {
        name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
            case ASCII.hyphen, ASCII.underscore, ASCII.dot, ASCII.colon, 0x2B: return true
            default: return false
            }
        }
    }
}
