extension Charset {
    /// Labels seen in mail, mapped to how they are decoded.
    ///
    /// The supersets follow the WHATWG Encoding standard, which records what mail and web clients
    /// converged on: a label naming a subset is decoded with the superset, since senders routinely
    /// emit the superset's characters under the subset's name.
    static let aliases: [String: ResolvedCharset] = {
        var table: [String: ResolvedCharset] = [:]
        func add(_ labels: [String], _ resolved: ResolvedCharset) {
            for label in labels { table[label] = resolved }
        }
        add(["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode-2-0-utf-8"], .utf8)
        add(["us-ascii", "ascii", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us", "iso_646.irv:1991",
             "us", "cp367", "ibm367", "csascii", "iso-ir-6", "default", "unknown-8bit", "x-unknown",
             "unknown", "8bit", "7bit", "x-user-defined"], .asciiCompatible)
        add(["iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso-ir-100", "latin1", "l1",
             "cp819", "ibm819", "csisolatin1", "windows-1252", "cp1252", "x-cp1252", "win-1252",
             "ms-ansi"], .windows1252)
        add(["gb2312", "gb_2312", "gb_2312-80", "csgb2312", "iso-ir-58", "chinese", "euc-cn", "euccn",
             "x-euc-cn", "cn-gb", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb18030",
             "x-gb18030"], .iconv("GB18030"))
        add(["big5", "big-5", "big5-hkscs", "big5hkscs", "cn-big5", "csbig5", "x-x-big5", "x-big5",
             "cp950", "ms950", "windows-950"], .iconv("BIG5-HKSCS"))
        add(["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
             "cp932", "ms932", "x-ms-cp932"], .iconv("CP932"))
        add(["euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese"], .iconv("EUC-JP-MS"))
        add(["iso-2022-jp", "csiso2022jp", "iso2022jp", "iso-2022-jp-2", "iso-2022-jp-1"],
            .iconv("ISO-2022-JP-2"))
        add(["euc-kr", "euckr", "cseuckr", "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601",
             "ksc_5601", "korean", "csksc56011987", "iso-ir-149", "windows-949", "cp949", "uhc",
             "x-windows-949"], .iconv("CP949"))
        add(["koi8-r", "koi8r", "koi", "koi8", "cskoi8r"], .iconv("KOI8-R"))
        add(["koi8-u", "koi8u", "koi8-ru"], .iconv("KOI8-U"))
        add(["tis-620", "tis620", "iso-8859-11", "windows-874", "cp874", "dos-874"], .iconv("CP874"))
        add(["utf-16", "utf16"], .iconv("UTF-16"))
        add(["utf-16le", "utf16le"], .iconv("UTF-16LE"))
        add(["utf-16be", "utf16be"], .iconv("UTF-16BE"))
        add(["utf-32", "utf32"], .iconv("UTF-32"))
        add(["utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7"], .iconv("UTF-7"))
        return table
    }()

    /// Families spelled many ways: ISO-8859-N, Windows-125N, latinN.
    static func resolvePattern(_ name: String) -> ResolvedCharset? {
        for prefix in ["iso-8859-", "iso8859-", "iso_8859-", "iso8859_", "iso-8859_"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count).prefix { $0.isNumber }
            if let number = Int(rest), (1...16).contains(number), number != 12 {
                return number == 1 ? .windows1252 : .iconv("ISO-8859-\(number)")
            }
        }
        for prefix in ["windows-", "cp", "x-cp", "win-", "win"] where name.hasPrefix(prefix) {
            if let number = Int(name.dropFirst(prefix.count)), (1250...1258).contains(number) {
                return number == 1252 ? .windows1252 : .iconv("CP\(number)")
            }
        }
        let latin: [String: String] = [
            "latin2": "ISO-8859-2", "l2": "ISO-8859-2", "latin3": "ISO-8859-3", "l3": "ISO-8859-3",
            "latin4": "ISO-8859-4", "l4": "ISO-8859-4", "cyrillic": "ISO-8859-5", "arabic": "ISO-8859-6",
            "greek": "ISO-8859-7", "hebrew": "ISO-8859-8", "latin5": "ISO-8859-9", "l5": "ISO-8859-9",
            "latin6": "ISO-8859-10", "l6": "ISO-8859-10", "latin7": "ISO-8859-13", "latin8": "ISO-8859-14",
            "latin9": "ISO-8859-15", "latin10": "ISO-8859-16",
        ]
        return latin[name].map { .iconv($0) }
    }
}
