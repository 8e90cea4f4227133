/// A tolerant parser for RFC 5322 section 3.4 address lists, producing IMAP address tuples.
///
/// The value is first split into tokens (atoms, quoted strings, comments, domain literals and the
/// specials `< > @ , ; : .`), each remembering whether whitespace preceded it. Each address is then
/// classified by the first structural special it contains: `:` starts a group, `<` an angle
/// address, otherwise it is a bare addr-spec.
///
/// Invariant: parsing is linear in the number of tokens, whatever the input (`a, a, a…`,
/// `a@b a@b …`, `@@@…`). Every look-ahead for a special goes through `next(_:from:)`, a table
/// built once, and every other loop only walks tokens that the address being parsed consumes, or
/// that lie between its end and the next `@` (walked once more by the following address).
struct AddressParser {
    private enum Kind: Equatable {
        case word(String)
        case domainLiteral(String)
        case comment(String)
        case special(UInt8)
    }

    private struct Token {
        var kind: Kind
        var spaceBefore: Bool
    }

    /// The specials that look-ahead searches for; `next(_:from:)` takes only these.
    private static let searchedSpecials: [UInt8] = [
        ASCII.comma, ASCII.semicolon, ASCII.lessThan, ASCII.colon, ASCII.at,
    ]

    private var tokens: [Token] = []
    /// For each searched special (in `searchedSpecials` order), the position of its first
    /// occurrence at or after each token position; `tokens.count` when there is none. Each row
    /// has `tokens.count + 1` entries so that a look-ahead from the end is valid too.
    private var nextSpecial: [[Int]] = []
    private var index = 0

    init(_ value: String) {
        tokens = Self.tokenize(Array(value.utf8))
        nextSpecial = Self.searchedSpecials.map { special in
            var row = [Int](repeating: tokens.count, count: tokens.count + 1)
            for position in tokens.indices.reversed() {
                row[position] = tokens[position].kind == .special(special) ? position : row[position + 1]
            }
            return row
        }
    }

    /// address-list = (address *("," address)) / obs-addr-list
    mutating func parseList() -> [Address] {
        var result: [Address] = []
        while index < tokens.count {
            if isSpecial(index, ASCII.comma) || isSpecial(index, ASCII.semicolon) || isSpecial(index, ASCII.greaterThan) {
                index += 1
                continue
            }
            let before = index
            parseAddress(into: &result, inGroup: false)
            if index == before { index += 1 }
        }
        return result
    }

    /// address = mailbox / group
    ///
    /// The address ends at the first `,`, `;` or `<`, or at a `:` (outside a group) that no `@`
    /// precedes, which makes it a group.
    private mutating func parseAddress(into result: inout [Address], inGroup: Bool) {
        let stop = min(next(ASCII.comma, from: index), next(ASCII.semicolon, from: index), next(ASCII.lessThan, from: index))
        let colon = next(ASCII.colon, from: index)
        let firstAt = next(ASCII.at, from: index)
        let cursor = !inGroup && colon < stop && firstAt > colon ? colon : stop
        let sawAt = firstAt < cursor
        if cursor < tokens.count, isSpecial(cursor, ASCII.colon) {
            parseGroup(nameEnd: cursor, into: &result)
        } else if cursor < tokens.count, isSpecial(cursor, ASCII.lessThan) {
            result.append(parseAngleAddress(phraseEnd: cursor))
        } else if !sawAt, cursor < tokens.count, isSpecial(cursor, ASCII.comma),
                  let angle = angleInNextAddress(after: cursor) {
            result.append(parseAngleAddress(phraseEnd: angle))
        } else if let address = parseBareAddress(end: cursor) {
            result.append(address)
        }
    }

    /// group = display-name ":" [group-list] ";" — the terminator may be missing at the end.
    private mutating func parseGroup(nameEnd: Int, into result: inout [Address]) {
        let name = phrase(index..<nameEnd) ?? ""
        result.append(.groupStart(name))
        index = nameEnd + 1
        while index < tokens.count {
            if isSpecial(index, ASCII.semicolon) {
                index += 1
                break
            }
            if isSpecial(index, ASCII.comma) || isSpecial(index, ASCII.colon) || isSpecial(index, ASCII.greaterThan) {
                index += 1
                continue
            }
            let before = index
            parseAddress(into: &result, inGroup: true)
            if index == before { index += 1 }
        }
        result.append(.groupEnd)
    }

    /// name-addr = [display-name] angle-addr; angle-addr = "<" [obs-route] addr-spec ">"
    private mutating func parseAngleAddress(phraseEnd: Int) -> Address {
        var name = phrase(index..<phraseEnd)
        index = phraseEnd + 1
        var route: String?
        if isSpecial(index, ASCII.at), let colon = routeEnd(from: index) {
            route = joined(index..<colon)
            index = colon + 1
        }
        var end = index
        while end < tokens.count, !isSpecial(end, ASCII.greaterThan) { end += 1 }
        let inner = index..<end
        let at = inner.last { isSpecial($0, ASCII.at) }
        let mailbox = joined(inner.lowerBound..<(at ?? inner.upperBound))
        let host = at.map { joined(($0 + 1)..<inner.upperBound) } ?? ""
        index = min(end + 1, tokens.count)
        let trailingComment = skipToAddressEnd()
        if name == nil { name = trailingComment ?? lastComment(in: inner) }
        return Address(
            name: name, route: route,
            mailbox: mailbox.isEmpty ? Address.missingMailbox : mailbox,
            host: host.isEmpty ? Address.missingHost : host)
    }

    /// addr-spec without brackets, possibly preceded by a display name whose brackets are missing.
    ///
    /// When another `@` follows in the same segment (`a@b c@d`), this address ends at its domain
    /// and the next one starts there; a trailing comment is looked for only up to that `@`.
    private mutating func parseBareAddress(end: Int) -> Address? {
        let range = index..<end
        let at = next(ASCII.at, from: index)
        guard at < end else {
            index = end
            let mailbox = joined(range)
            if mailbox.isEmpty { return nil }
            return Address(name: lastComment(in: range), mailbox: mailbox, host: Address.missingHost)
        }
        var localStart = at
        while localStart > range.lowerBound {
            let candidate = localStart - 1
            guard isLocalPartToken(tokens[candidate].kind) else { break }
            if localStart < at {
                let joined = !tokens[localStart].spaceBefore || isSpecial(candidate, ASCII.dot) || isSpecial(localStart, ASCII.dot)
                if !joined { break }
            }
            localStart = candidate
        }
        var domainEnd = at + 1
        while domainEnd < end {
            let token = tokens[domainEnd]
            if case .comment = token.kind { break }
            if token.spaceBefore, domainEnd > at + 1, !isSpecial(domainEnd, ASCII.dot), !isSpecial(domainEnd - 1, ASCII.dot) { break }
            if case .special(let byte) = token.kind, byte != ASCII.dot { break }
            domainEnd += 1
        }
        let nextAt = next(ASCII.at, from: domainEnd)
        let hasAnotherAddress = nextAt < end
        let mailbox = joined(localStart..<at)
        let host = joined((at + 1)..<domainEnd)
        let name = phrase(range.lowerBound..<localStart) ?? lastComment(in: domainEnd..<(hasAnotherAddress ? nextAt : end))
        index = hasAnotherAddress ? domainEnd : end
        return Address(
            name: name,
            mailbox: mailbox.isEmpty ? Address.missingMailbox : mailbox,
            host: host.isEmpty ? Address.missingHost : host)
    }

    /// For `Doe, John <j@x>`: the `<` of the next comma-separated segment when this segment has
    /// neither `@` nor `<`, meaning the comma was part of an unquoted display name. Commas between
    /// are crossed (`Doe, John, Jr. <j@x>`); an `@`, `:` or `;` first means there is none.
    private func angleInNextAddress(after comma: Int) -> Int? {
        let start = comma + 1
        let angle = next(ASCII.lessThan, from: start)
        let blocker = min(next(ASCII.at, from: start), next(ASCII.colon, from: start), next(ASCII.semicolon, from: start))
        return angle < blocker && angle < tokens.count ? angle : nil
    }

    /// The `:` ending an obsolete route `@a,@b:` that starts at `start`, if there is one before `>`.
    private func routeEnd(from start: Int) -> Int? {
        var cursor = start
        while cursor < tokens.count, !isSpecial(cursor, ASCII.greaterThan) {
            if isSpecial(cursor, ASCII.colon) { return cursor }
            cursor += 1
        }
        return nil
    }

    /// Skips what follows an address up to the next `,`/`;`; returns the last comment seen there.
    private mutating func skipToAddressEnd() -> String? {
        var comment: String?
        while index < tokens.count, !isSpecial(index, ASCII.comma), !isSpecial(index, ASCII.semicolon) {
            if case .comment(let text) = tokens[index].kind, !text.isEmpty { comment = text }
            index += 1
        }
        return comment
    }

    /// Display-name text: words separated as they were, quoting removed, comments dropped.
    private func phrase(_ range: Range<Int>) -> String? {
        var text = ""
        for position in range {
            let token = tokens[position]
            let piece: String
            switch token.kind {
            case .word(let word): piece = word
            case .domainLiteral(let literal): piece = literal
            case .special(let byte): piece = String(decoding: [byte], as: UTF8.self)
            case .comment: continue
            }
            if !text.isEmpty && token.spaceBefore { text += " " }
            text += piece
        }
        return text.isEmpty ? nil : text
    }

    /// Local-part, domain or route text: tokens concatenated without spaces, comments dropped.
    private func joined(_ range: Range<Int>) -> String {
        var text = ""
        for position in range {
            switch tokens[position].kind {
            case .word(let word): text += word
            case .domainLiteral(let literal): text += literal
            case .special(let byte): text += String(decoding: [byte], as: UTF8.self)
            case .comment: continue
            }
        }
        return text
    }

    private func lastComment(in range: Range<Int>) -> String? {
        for position in range.reversed() {
            if case .comment(let text) = tokens[position].kind, !text.isEmpty { return text }
        }
        return nil
    }

    private func isLocalPartToken(_ kind: Kind) -> Bool {
        switch kind {
        case .word: return true
        case .special(let byte): return byte == ASCII.dot
        case .domainLiteral, .comment: return false
        }
    }

    private func isSpecial(_ position: Int, _ byte: UInt8) -> Bool {
        position < tokens.count && tokens[position].kind == .special(byte)
    }

    /// The first position at or after `position` holding the special `byte` (one of
    /// `searchedSpecials`), or `tokens.count`; constant time.
    private func next(_ byte: UInt8, from position: Int) -> Int {
        guard let row = Self.searchedSpecials.firstIndex(of: byte) else {
            preconditionFailure("look-ahead for a special that is not tabulated")
        }
        return nextSpecial[row][min(position, tokens.count)]
    }

    /// Splits a header value into RFC 5322 lexical tokens; never fails.
    private static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        var spaceBefore = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case _ where ASCII.isWhitespace(byte):
                spaceBefore = true
                index += 1
                continue
            case ASCII.quote:
                let (text, end) = delimited(bytes, from: index + 1, close: ASCII.quote)
                tokens.append(Token(kind: .word(text), spaceBefore: spaceBefore))
                index = end
            case ASCII.openParen:
                let (text, end) = comment(bytes, from: index + 1)
                tokens.append(Token(kind: .comment(text), spaceBefore: spaceBefore))
                index = end
            case ASCII.openBracket:
                let (text, end) = delimited(bytes, from: index + 1, close: ASCII.closeBracket)
                tokens.append(Token(kind: .domainLiteral("[" + text + "]"), spaceBefore: spaceBefore))
                index = end
            case ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma, ASCII.semicolon, ASCII.colon, ASCII.dot:
                tokens.append(Token(kind: .special(byte), spaceBefore: spaceBefore))
                index += 1
            default:
                let start = index
                while index < bytes.count, isAtomByte(bytes[index]) { index += 1 }
                if index == start { index += 1 }
                tokens.append(Token(kind: .word(ASCII.lenientString(bytes[start..<index])), spaceBefore: spaceBefore))
            }
            spaceBefore = false
        }
        return tokens
    }

    /// Bytes that continue an atom: anything but whitespace and the structural specials. Lenient:
    /// `\`, `]` and `)` outside their context are kept as text.
    private static func isAtomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.quote, ASCII.openParen, ASCII.openBracket, ASCII.lessThan, ASCII.greaterThan,
             ASCII.at, ASCII.comma, ASCII.semicolon, ASCII.colon, ASCII.dot:
            return false
        default:
            return !ASCII.isWhitespace(byte)
        }
    }

    /// Quoted-string or domain-literal content with quoted-pairs unescaped; unterminated runs to
    /// the end.
    private static func delimited(_ bytes: [UInt8], from start: Int, close: UInt8) -> (String, Int) {
        var content: [UInt8] = []
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == close { break }
            if byte == ASCII.backslash, index < bytes.count {
                content.append(bytes[index])
                index += 1
            } else {
                content.append(byte)
            }
        }
        return (ASCII.lenientString(content), index)
    }

    /// Comment content (nesting allowed), trimmed; unterminated runs to the end.
    private static func comment(_ bytes: [UInt8], from start: Int) -> (String, Int) {
        var content: [UInt8] = []
        var depth = 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == ASCII.backslash, index < bytes.count {
                content.append(bytes[index])
                index += 1
                continue
            }
            if byte == ASCII.openParen { depth += 1 }
            if byte == ASCII.closeParen {
                depth -= 1
                if depth == 0 { break }
            }
            content.append(byte)
        }
        return (ASCII.lenientString(ASCII.trimmed(content)), index)
    }
}
