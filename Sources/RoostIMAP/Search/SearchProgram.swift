import RoostIMAPGrammar

/// A SEARCH command compiled for evaluation (RFC 3501 section 6.4.4).
///
/// Compiling checks the CHARSET, decodes the key strings and orders every AND and OR so that cheap
/// keys run first: flags, UIDs, sizes and internal dates come from the candidate; envelope fields and
/// the `Date:` field from the folder's message cache; other header fields from the file's header block;
/// BODY and TEXT from the whole file. A key whose answer is already decided by a cheaper one is never
/// evaluated, so `UNSEEN BODY x` opens only the files of unseen messages.
///
/// String keys are case-insensitive substring matches on decoded text (`TextMatcher`): header values
/// with their RFC 2047 encoded words decoded, bodies transfer-decoded and converted from their charset
/// (`TextExtractor`). An empty string is a substring of everything, so `HEADER X-Spam ""` finds the
/// messages that have the field (RFC 9051 section 6.4.4).
public struct SearchProgram: Sendable {
    /// Why a SEARCH cannot be compiled; the session answers `NO [BADCHARSET (UTF-8 US-ASCII)]`.
    public enum Failure: Error, Equatable {
        /// The CHARSET, as the client named it, is not one of `supportedCharsets`.
        case badCharset(String)
    }

    /// The charsets a SEARCH may name, as `[BADCHARSET]` lists them (RFC 9051 section 6.4.4 requires
    /// both). US-ASCII strings are a subset of UTF-8 and are decoded as UTF-8.
    public static let supportedCharsets = ["UTF-8", "US-ASCII"]

    /// One set of a sequence-set or UID key, resolved when `*` is known (`matches`).
    struct NumberSet: Sendable, Hashable {
        var set: SequenceSet
        var isUID: Bool
    }

    /// One BODY or TEXT string: all of them are searched in a single pass over a message's file.
    struct TextSearch: Sendable, Hashable {
        var needle: String
        /// TEXT: header fields count as well as body text.
        var includesHeader: Bool
    }

    let condition: SearchCondition
    let numberSets: [NumberSet]
    let textSearches: [TextSearch]
    let timeZone: SearchTimeZone

    /// Compiles `keys` (all must hold) searching strings in `charset`.
    ///
    /// - Parameters:
    ///   - charset: the CHARSET as the client named it; `nil` (none given) is US-ASCII in IMAP4rev1 and
    ///     UTF-8 in IMAP4rev2, which decode alike. UTF-8 and US-ASCII are accepted in any case.
    ///   - timeZone: where an internal date's day is taken for BEFORE, ON and SINCE; the server's local
    ///     time zone unless a test fixes one.
    public init(keys: [SearchKey], charset: String?, timeZone: SearchTimeZone = .local) throws(Failure) {
        if let charset, !Self.supportedCharsets.contains(where: { Self.equalsIgnoringASCIICase($0, charset) }) {
            throw .badCharset(charset)
        }
        var compiler = Compiler()
        let conditions = keys.map { compiler.compile($0) }
        condition = conditions.count == 1 ? conditions[0] : .and(SearchCondition.cheapestFirst(conditions))
        numberSets = compiler.numberSets
        textSearches = compiler.textSearches
        self.timeZone = timeZone
    }

    /// True when some key needs message content the candidate and the message cache do not hold (a
    /// header field outside `CachedMessage.headerFieldNames`, BODY, TEXT): message files will be read.
    ///
    /// When false, header blocks are still read for messages missing from the cache if a key needs
    /// a listed field or the `Date:` field (`MaildirFolder.headerRecord` fills the cache as it goes).
    public var readsMessages: Bool { condition.cost >= .header }

    private static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
