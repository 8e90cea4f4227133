import NIOCore
import RoostIMAPGrammar

/// Rewrites Dovecot's BODYSTRUCTURE and ENVELOPE text into the spelling of RoostIMAPGrammar's
/// encoder, so that Roost's output can be compared with Dovecot's byte for byte.
///
/// The two servers send the same values; they differ only in choices the grammar leaves open, and
/// exactly these are rewritten, everything else (every value, NIL, number and space) is kept:
/// - the case-insensitive MIME tokens (type, subtype, transfer encoding, parameter and disposition
///   attribute names, disposition type) are upper case in Roost, as in RFC 3501's examples, and as
///   written in the header by Dovecot;
/// - a body-fld-lang of one tag is a plain string in Roost and a one-element list in Dovecot;
/// - a string that is not 7-bit text is a literal in both, which RoostMIME's reference had
///   rewritten as a quoted string; here it becomes a literal again.
enum DovecotSpelling {
    /// `text` (Dovecot's BODYSTRUCTURE without outer parentheses) as Roost's encoder writes `body`.
    static func bodyStructure(_ text: String) throws -> [UInt8] {
        var document = try Document("(" + text + ")")
        let root = try document.parse()
        try document.markBody(root)
        return document.render()
    }

    /// `text` (Dovecot's ENVELOPE without outer parentheses) as Roost's encoder writes `envelope`.
    static func envelope(_ text: String) throws -> [UInt8] {
        var document = try Document("(" + text + ")")
        _ = try document.parse()
        return document.render()
    }

    struct SpellingError: Error, CustomStringConvertible {
        let description: String
    }

    private enum Token {
        case open, close, nilValue
        case number(String)
        case string([UInt8])
    }

    private indirect enum Node {
        case atom(Int)
        case list(open: Int, items: [Node], close: Int)

        var items: [Node]? {
            if case .list(_, let items, _) = self { return items }
            return nil
        }
    }

    private struct Document {
        /// Each token with the spaces written before it.
        var tokens: [(token: Token, spaces: String)] = []
        var upperCased: Set<Int> = []
        var dropped: Set<Int> = []
        private var cursor = 0

        init(_ text: String) throws {
            let bytes = Array(text.utf8)
            var index = 0
            var spaces = ""
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: " "):
                    spaces += " "
                    index += 1
                    continue
                case UInt8(ascii: "("):
                    tokens.append((.open, spaces))
                    index += 1
                case UInt8(ascii: ")"):
                    tokens.append((.close, spaces))
                    index += 1
                case UInt8(ascii: "\""):
                    var value: [UInt8] = []
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                        guard index < bytes.count else { throw SpellingError(description: "unterminated string") }
                        value.append(bytes[index])
                        index += 1
                    }
                    guard index < bytes.count else { throw SpellingError(description: "unterminated string") }
                    index += 1
                    tokens.append((.string(value), spaces))
                default:
                    let start = index
                    while index < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")")].contains(bytes[index]) {
                        index += 1
                    }
                    let word = String(decoding: bytes[start..<index], as: UTF8.self)
                    if word == "NIL" {
                        tokens.append((.nilValue, spaces))
                    } else if !word.isEmpty, word.allSatisfy(\.isNumber) {
                        tokens.append((.number(word), spaces))
                    } else {
                        throw SpellingError(description: "unexpected word \(word)")
                    }
                }
                spaces = ""
            }
        }

        mutating func parse() throws -> Node {
            guard cursor < tokens.count else { throw SpellingError(description: "unexpected end") }
            let index = cursor
            cursor += 1
            switch tokens[index].token {
            case .open:
                var items: [Node] = []
                while cursor < tokens.count, !isClose(cursor) { items.append(try parse()) }
                guard cursor < tokens.count else { throw SpellingError(description: "unbalanced parentheses") }
                cursor += 1
                return .list(open: index, items: items, close: cursor - 1)
            case .close:
                throw SpellingError(description: "unexpected )")
            default:
                return .atom(index)
            }
        }

        private func isClose(_ index: Int) -> Bool {
            if case .close = tokens[index].token { return true }
            return false
        }

        // body = "(" (body-type-1part / body-type-mpart) ")"
        mutating func markBody(_ body: Node) throws {
            guard let items = body.items, let first = items.first else { throw SpellingError(description: "body is no list") }
            if case .list = first {
                // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
                var index = 0
                while index < items.count, case .list = items[index] {
                    try markBody(items[index])
                    index += 1
                }
                try markToken(items[index])
                guard items.count == index + 5 else { throw SpellingError(description: "multipart extension data") }
                try markParameters(items[index + 1])
                try markDisposition(items[index + 2])
                markLanguages(items[index + 3])
                return
            }
            // body-fields: type subtype params id desc encoding octets
            guard items.count >= 7 else { throw SpellingError(description: "short single part") }
            let type = try markToken(items[0]).uppercased()
            let subtype = try markToken(items[1]).uppercased()
            try markParameters(items[2])
            try markToken(items[5])
            var index = 7
            if type == "TEXT" {
                index = 8
            } else if type == "MESSAGE", subtype == "RFC822" {
                try markBody(items[8])
                index = 10
            }
            // body-ext-1part: md5 disposition language location
            guard items.count == index + 4 else { throw SpellingError(description: "single part extension data") }
            try markDisposition(items[index + 1])
            markLanguages(items[index + 2])
        }

        /// Marks a MIME token string for upper case and returns it.
        @discardableResult
        private mutating func markToken(_ node: Node) throws -> String {
            guard case .atom(let index) = node, case .string(let value) = tokens[index].token else {
                throw SpellingError(description: "expected a string")
            }
            upperCased.insert(index)
            return String(decoding: value, as: UTF8.self)
        }

        private mutating func markParameters(_ node: Node) throws {
            guard let items = node.items else { return }
            for (offset, item) in items.enumerated() where offset % 2 == 0 { try markToken(item) }
        }

        private mutating func markDisposition(_ node: Node) throws {
            guard let items = node.items, items.count == 2 else { return }
            try markToken(items[0])
            try markParameters(items[1])
        }

        private mutating func markLanguages(_ node: Node) {
            guard case .list(let open, let items, let close) = node, items.count == 1 else { return }
            dropped.insert(open)
            dropped.insert(close)
        }

        func render() -> [UInt8] {
            var buffer = ByteBuffer()
            for (index, entry) in tokens.enumerated() {
                buffer.writeString(entry.spaces)
                guard !dropped.contains(index) else { continue }
                switch entry.token {
                case .open: buffer.writeString("(")
                case .close: buffer.writeString(")")
                case .nilValue: buffer.writeString("NIL")
                case .number(let digits): buffer.writeString(digits)
                case .string(let value):
                    let upper = value.map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) ? $0 - 0x20 : $0 }
                    buffer.writeIMAPString(upperCased.contains(index) ? upper : value)
                }
            }
            return Array(buffer.readableBytesView)
        }
    }
}
