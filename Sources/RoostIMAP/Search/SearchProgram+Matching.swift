import RoostIMAPGrammar
import RoostMIME
import RoostStorage

extension SearchProgram {
    /// The candidates that match, in the order given.
    ///
    /// Blocking: it may parse and read message files, so it runs on a storage thread. A candidate whose
    /// file is gone by the time a key needs it (expunged by another session or program) does not match;
    /// other storage failures are thrown.
    ///
    /// - Parameters:
    ///   - largestSequenceNumber: what `*` stands for in a sequence set (the session's message count;
    ///     0 when the mailbox is empty, where a set with `*` matches nothing).
    ///   - largestUID: what `*` stands for in a UID set (the UID of the session's last message; 0 when
    ///     the mailbox is empty).
    public func matches(_ candidates: [SearchCandidate], largestSequenceNumber: UInt32, largestUID: RoostStorage.UID,
                        in folder: MaildirFolder) throws -> [SearchCandidate] {
        let sets = numberSets.map { numbers in
            let largest = numbers.isUID ? largestUID.rawValue : largestSequenceNumber
            return numbers.set.resolved(largest: largest == 0 ? nil : largest)
        }
        guard let first = candidates.first else { return [] }
        var matching: [SearchCandidate] = []
        var message = SearchMessage(candidate: first, folder: folder, textSearches: textSearches)
        for candidate in candidates {
            message.candidate = candidate
            do {
                if try evaluate(condition, on: &message, sets: sets) { matching.append(candidate) }
            } catch let error as StorageError where error.kind == .expunged {
                continue
            }
        }
        return matching
    }

    /// Whether `condition` holds for `message`; AND and OR stop at the first condition that decides.
    private func evaluate(_ condition: SearchCondition, on message: inout SearchMessage,
                          sets: [ResolvedSequenceSet]) throws -> Bool {
        let candidate = message.candidate
        switch condition {
        case .always:
            return true
        case .flag(let flag, let isSet):
            return candidate.flags.contains(flag) == isSet
        case .recent:
            return candidate.isRecent
        case .keyword(let keyword):
            // Flags compare case-insensitively (RFC 9051 section 2.3.2).
            return candidate.keywords.contains { Flag.Keyword($0) == keyword }
        case .numberSet(let index):
            let number = numberSets[index].isUID ? candidate.uid.rawValue : candidate.sequenceNumber
            return sets[index].contains(number)
        // LARGER/SMALLER: "an RFC822.SIZE larger/smaller than the specified number of octets" (RFC 9051).
        case .larger(let size):
            return candidate.virtualSize > Int64(size)
        case .smaller(let size):
            return candidate.virtualSize < Int64(size)
        case .internalDate(let relation, let day):
            return relation.holds(timeZone.calendarDate(of: try message.internalDate()), day)
        case .sentDate(let relation, let day):
            return relation.holds(try sentDate(of: &message), day)
        case .header(let name, let needle):
            return try message.headerFields(named: name).contains { TextMatcher.matches($0.decodedValue, needle: needle) }
        case .text(let index):
            return try message.textMatches(index)
        case .not(let inner):
            return !(try evaluate(inner, on: &message, sets: sets))
        case .and(let conditions):
            for inner in conditions where !(try evaluate(inner, on: &message, sets: sets)) { return false }
            return true
        case .or(let conditions):
            for inner in conditions where try evaluate(inner, on: &message, sets: sets) { return true }
            return false
        }
    }

    /// The day of the message's first `Date:` field, or, when it has none that can be read, the day of
    /// its internal date in `timeZone`: the sent date RFC 5256 section 2.2 defines for SORT, so that
    /// SEARCH and SORT agree on mail without a usable `Date:`.
    ///
    /// Dovecot's SEARCH differs here: it takes such mail as sent on 1 Jan 1970 (so SENTBEFORE finds it
    /// and SENTSINCE never does) and falls back to the internal date only when sorting.
    ///
    /// The field comes from the header record (what ENVELOPE's date is made of), so a folder whose
    /// messages were only ever listed is not parsed whole for it.
    private func sentDate(of message: inout SearchMessage) throws -> CalendarDate {
        if let value = try message.headerFields(named: "date").first?.value, let day = CalendarDate(dateHeader: value) {
            return day
        }
        return timeZone.calendarDate(of: try message.internalDate())
    }
}
