import RoostIMAPGrammar
import RoostStorage

/// A search key compiled for evaluation: strings decoded, flag keys folded into a few kinds, and
/// every AND and OR ordered so that what costs least is tried first.
indirect enum SearchCondition: Sendable, Hashable {
    case always
    /// A system flag that must be set (`true`) or clear.
    case flag(SystemFlags, isSet: Bool)
    case recent
    case keyword(Flag.Keyword)
    /// An index into `SearchProgram.numberSets`.
    case numberSet(Int)
    case larger(UInt32)
    case smaller(UInt32)
    case internalDate(DateRelation, CalendarDate)
    case sentDate(DateRelation, CalendarDate)
    /// Some header field `name` (lowercase) of the message's own header contains `needle`.
    case header(name: String, needle: String)
    /// An index into `SearchProgram.textSearches`.
    case text(Int)
    case not(SearchCondition)
    /// Every condition holds (an empty list always does).
    case and([SearchCondition])
    case or([SearchCondition])

    /// How a message's day relates to the day of the key.
    enum DateRelation: Sendable, Hashable {
        case before, on, since

        func holds(_ day: CalendarDate, _ key: CalendarDate) -> Bool {
            switch self {
            case .before: day < key
            case .on: day == key
            case .since: day >= key
            }
        }
    }

    /// What evaluating a condition may have to read, cheapest first.
    enum Cost: Int, Comparable, Sendable {
        /// The candidate alone: flags, UID, sizes, internal date.
        case candidate
        /// The folder's message cache (`MaildirFolder.headerRecord`): the listed header fields.
        case cache
        /// The message file's header block.
        case header
        /// The whole message file.
        case content

        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    var cost: Cost {
        switch self {
        case .always, .flag, .recent, .keyword, .numberSet, .larger, .smaller, .internalDate: .candidate
        case .sentDate: .cache
        case .header(let name, _): CachedMessage.covers([name]) ? .cache : .header
        case .text: .content
        case .not(let inner): inner.cost
        case .and(let conditions), .or(let conditions): conditions.map(\.cost).max() ?? .candidate
        }
    }

    /// `conditions` in order of cost, the original order kept among equals (a stable sort).
    static func cheapestFirst(_ conditions: [SearchCondition]) -> [SearchCondition] {
        conditions.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
    }
}
