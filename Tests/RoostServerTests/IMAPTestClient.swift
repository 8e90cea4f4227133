import Foundation
import RoostTesting
import Testing
import Synchronization

/// One server response line with its literals in place (RFC 3501 section 4.3: `{n}` CRLF and n
/// octets, then the line goes on).
///
/// `text` is the whole response as it came, CRLFs inside literals included, without the final CRLF;
/// the literal bytes are decoded as UTF-8 there, so binary data is compared through `literals`.
struct IMAPResponseLine: Sendable, CustomStringConvertible {
    var text: String
    /// The exact octets of each literal, in order.
    var literals: [[UInt8]]

    var description: String { text }
}

/// What a tagged command produced: every untagged (`*`) and continuation (`+`) line before the
/// tagged completion, and the completion itself. The `+` answering a literal the client sent with
/// `IMAPCommandPiece.literal` is consumed by the client and not listed.
struct IMAPReply: Sendable, CustomStringConvertible {
    var untagged: [IMAPResponseLine]
    /// The tagged line, tag included: `a3 OK [APPENDUID 1 4] APPEND completed`.
    var tagged: String
    var tag: String

    /// `OK`, `NO` or `BAD`.
    var status: String {
        String(tagged.dropFirst(tag.count + 1).prefix { $0 != " " })
    }

    /// The tagged line without its tag: `OK [APPENDUID 1 4] APPEND completed`.
    var completion: String { String(tagged.dropFirst(tag.count + 1)) }

    var isOK: Bool { status == "OK" }

    /// The text of every untagged line.
    var lines: [String] { untagged.map(\.text) }

    /// Untagged lines starting with `* <prefix>`, e.g. `lines(starting: "LIST")`.
    func lines(starting prefix: String) -> [String] {
        lines.filter { $0.hasPrefix("* " + prefix) }
    }

    /// The response code of the tagged line, `APPENDUID 1 4` in `a OK [APPENDUID 1 4] done`.
    var code: String? {
        let text = completion.drop { $0 != " " }.dropFirst()
        guard text.hasPrefix("["), let end = text.firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: text.startIndex)..<end])
    }

    var description: String { (lines + [tagged]).joined(separator: "\n") }
}

/// A piece of a command line: text as it is, or a literal sent as `{n}` (waiting for the server's
/// `+` before the octets, RFC 3501 section 4.3) or as `{n+}` (RFC 7888 LITERAL+, no wait).
enum IMAPCommandPiece: Sendable, ExpressibleByStringLiteral {
    case text(String)
    case literal([UInt8])
    case literalPlus([UInt8])

    init(stringLiteral value: String) { self = .text(value) }

    static func literal(_ text: String) -> IMAPCommandPiece { .literal(Array(text.utf8)) }
    static func literalPlus(_ text: String) -> IMAPCommandPiece { .literalPlus(Array(text.utf8)) }
}

/// A scripted IMAP client over `ScriptedClient`: tagged commands (`a1`, `a2`, ...), responses with
/// `{n}` literals read octet-exact, and the raw client underneath for what falls outside a plain
/// command (AUTHENTICATE rounds, IDLE, STARTTLS).
final class IMAPTestClient: Sendable {
    let client: ScriptedClient
    /// The greeting line, read by `connect`.
    let greeting: String
    private let tags = TagCounter()

    private init(client: ScriptedClient, greeting: String) {
        self.client = client
        self.greeting = greeting
    }

    /// Connects (with `tls`: implicit TLS, as on IMAPS) and reads the greeting.
    static func connect(port: Int, tls: Bool = false, timeout: Duration = .seconds(15)) async throws -> IMAPTestClient {
        let client = try await ScriptedClient.connect(port: port, tls: tls, timeout: timeout)
        let greeting = try await client.readLine()
        return IMAPTestClient(client: client, greeting: greeting)
    }

    /// Connects to `server`'s IMAP port (IMAPS with `tls`) and logs in as `user`; the login must succeed.
    static func login(
        _ server: TestServer, as user: TestUser = .alice, tls: Bool = false
    ) async throws -> IMAPTestClient {
        let client = try await connect(port: tls ? server.imapsPort : server.imapPort, tls: tls)
        let reply = try await client.command("LOGIN \(user.name) \(quoted(user.password))")
        guard reply.isOK else { throw IMAPTestClientError.unexpected(reply.description) }
        return client
    }

    /// A fresh tag: `a1`, `a2`, ...
    func nextTag() -> String { "a\(tags.next())" }

    /// Sends `tag command` and reads everything up to the tagged reply.
    func command(_ text: String) async throws -> IMAPReply {
        try await command([.text(text)])
    }

    /// Sends a command made of text and literals under a fresh tag and reads up to its tagged reply.
    ///
    /// For a synchronizing literal the client waits for the server's continuation request; when the
    /// server answers with the tagged reply instead (a refused literal), the rest is not sent and
    /// that reply is returned.
    func command(_ pieces: [IMAPCommandPiece]) async throws -> IMAPReply {
        try await command(tag: nextTag(), pieces)
    }

    /// Sends `tag text` with a chosen tag and reads up to its tagged reply.
    func command(tag: String, _ text: String) async throws -> IMAPReply {
        try await command(tag: tag, [.text(text)])
    }

    /// Like `command(_:)` with a chosen tag.
    func command(tag: String, _ pieces: [IMAPCommandPiece]) async throws -> IMAPReply {
        var pending = Array((tag + " ").utf8)
        var untagged: [IMAPResponseLine] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                pending += Array(text.utf8)
            case .literalPlus(let bytes):
                pending += Array("{\(bytes.count)+}\r\n".utf8) + bytes
            case .literal(let bytes):
                pending += Array("{\(bytes.count)}\r\n".utf8)
                try await client.sendRaw(pending)
                pending = bytes
                while true {
                    let line = try await readResponse()
                    if line.text.hasPrefix("+") { break }
                    if line.text.hasPrefix(tag + " ") { return IMAPReply(untagged: untagged, tagged: line.text, tag: tag) }
                    untagged.append(line)
                }
            }
        }
        try await client.sendRaw(pending + Array("\r\n".utf8))
        let reply = try await readReply(tag: tag)
        return IMAPReply(untagged: untagged + reply.untagged, tagged: reply.tagged, tag: tag)
    }

    /// Sends a line as it is (no tag added), e.g. a SASL response or `DONE`.
    func send(_ line: String) async throws {
        try await client.send(line)
    }

    /// Reads response lines until the one tagged `tag`.
    func readReply(tag: String) async throws -> IMAPReply {
        var untagged: [IMAPResponseLine] = []
        while true {
            let line = try await readResponse()
            if line.text.hasPrefix(tag + " ") { return IMAPReply(untagged: untagged, tagged: line.text, tag: tag) }
            untagged.append(line)
        }
    }

    /// Reads one response line, with every `{n}` literal in it read as exactly n octets.
    func readResponse() async throws -> IMAPResponseLine {
        var text: [UInt8] = []
        var literals: [[UInt8]] = []
        var chunk = try await client.readRaw(through: [UInt8(ascii: "\n")])
        while true {
            let line = chunk.last == UInt8(ascii: "\n") ? Array(chunk.dropLast()) : chunk
            let body = line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : line
            guard let count = Self.trailingLiteralLength(body) else {
                text += body
                return IMAPResponseLine(text: String(decoding: text, as: UTF8.self), literals: literals)
            }
            text += chunk
            // The literal's octets, then the rest of its line (which may end in another literal).
            var literal: [UInt8] = []
            var rest: [UInt8] = []
            while literal.count < count {
                let more = try await client.readRaw(through: [UInt8(ascii: "\n")])
                let needed = count - literal.count
                literal += more.prefix(needed)
                rest = Array(more.dropFirst(needed))
            }
            literals.append(literal)
            text += literal
            chunk = rest.isEmpty ? try await client.readRaw(through: [UInt8(ascii: "\n")]) : rest
        }
    }

    /// Closes the connection without LOGOUT.
    func close() async {
        await client.close()
    }

    /// Sends LOGOUT and waits for the server to close.
    func logout() async throws {
        _ = try await command("LOGOUT")
        _ = try await client.waitForClose()
    }

    /// A quoted string (RFC 3501 `quoted`), escaping `\` and `"`.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `n` when the line ends in `{n}` (a literal follows), else nil.
    private static func trailingLiteralLength(_ line: [UInt8]) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        let digits = line[(open + 1)..<(line.count - 1)]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    private final class TagCounter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }
}

enum IMAPTestClientError: Error, CustomStringConvertible {
    case unexpected(String)

    var description: String {
        switch self {
        case .unexpected(let text): "unexpected reply: \(text)"
        }
    }
}

extension IMAPTestClient {
    /// Runs a command that must end in a tagged OK and returns its reply.
    func commandOK(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> IMAPReply {
        let reply = try await command(text)
        #expect(reply.isOK, "\(text) → \(reply)", sourceLocation: sourceLocation)
        return reply
    }
}

extension IMAPReply {
    /// The untagged lines with the human-readable text after a response code removed
    /// (`* OK [UIDNEXT 4] Predicted next UID` → `* OK [UIDNEXT 4]`): RFC 3501 fixes the codes, not the text.
    var withoutHumanText: [String] {
        lines.map { line in
            guard line.hasPrefix("* OK ["), let end = line.firstIndex(of: "]") else { return line }
            return String(line[...end])
        }
    }
}
