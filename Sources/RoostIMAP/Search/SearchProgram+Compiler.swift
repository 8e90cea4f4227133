import RoostIMAPGrammar
import RoostStorage

extension SearchProgram {
    /// Turns grammar keys into conditions, collecting the sets and strings they refer to.
    struct Compiler {
        var numberSets: [NumberSet] = []
        var textSearches: [TextSearch] = []

        // search-key      = "ALL" / "ANSWERED" / "BCC" SP astring / ... (RFC 3501 section 9; see SearchKey)
        mutating func compile(_ key: SearchKey) -> SearchCondition {
            switch key {
            case .all: .always
            case .answered: .flag(.answered, isSet: true)
            case .deleted: .flag(.deleted, isSet: true)
            case .draft: .flag(.draft, isSet: true)
            case .flagged: .flag(.flagged, isSet: true)
            case .seen: .flag(.seen, isSet: true)
            case .unanswered: .flag(.answered, isSet: false)
            case .undeleted: .flag(.deleted, isSet: false)
            case .undraft: .flag(.draft, isSet: false)
            case .unflagged: .flag(.flagged, isSet: false)
            case .unseen: .flag(.seen, isSet: false)
            case .recent: .recent
            // "functionally equivalent to (RECENT UNSEEN)"
            case .new: .and([.recent, .flag(.seen, isSet: false)])
            // "functionally equivalent to NOT RECENT (as opposed to NOT NEW)"
            case .old: .not(.recent)
            case .keyword(let keyword): .keyword(keyword)
            case .unkeyword(let keyword): .not(.keyword(keyword))
            case .bcc(let s): header("bcc", s)
            case .cc(let s): header("cc", s)
            case .from(let s): header("from", s)
            case .subject(let s): header("subject", s)
            case .to(let s): header("to", s)
            case .header(let name, let s): header(name.lowercased(), s)
            case .body(let s): text(s, includesHeader: false)
            case .text(let s): text(s, includesHeader: true)
            case .before(let date): .internalDate(.before, CalendarDate(date))
            case .on(let date): .internalDate(.on, CalendarDate(date))
            case .since(let date): .internalDate(.since, CalendarDate(date))
            case .sentBefore(let date): .sentDate(.before, CalendarDate(date))
            case .sentOn(let date): .sentDate(.on, CalendarDate(date))
            case .sentSince(let date): .sentDate(.since, CalendarDate(date))
            case .larger(let size): .larger(size)
            case .smaller(let size): .smaller(size)
            case .uid(let set): numberSet(set, isUID: true)
            case .sequenceNumbers(let set): numberSet(set, isUID: false)
            case .not(let inner): .not(compile(inner))
            case .or(let a, let b): .or(SearchCondition.cheapestFirst([compile(a), compile(b)]))
            case .and(let keys): .and(SearchCondition.cheapestFirst(keys.map { compile($0) }))
            }
        }

        private func header(_ name: String, _ needle: [UInt8]) -> SearchCondition {
            .header(name: name, needle: String(decoding: needle, as: UTF8.self))
        }

        private mutating func text(_ needle: [UInt8], includesHeader: Bool) -> SearchCondition {
            let search = TextSearch(needle: String(decoding: needle, as: UTF8.self), includesHeader: includesHeader)
            if let index = textSearches.firstIndex(of: search) { return .text(index) }
            textSearches.append(search)
            return .text(textSearches.count - 1)
        }

        private mutating func numberSet(_ set: SequenceSet, isUID: Bool) -> SearchCondition {
            numberSets.append(NumberSet(set: set, isUID: isUID))
            return .numberSet(numberSets.count - 1)
        }
    }
}
