import NIOCore
import NIOEmbedded
import RoostProtocolSupport
import Testing

/// The line framer fed whole, byte by byte and in every split; the over-long line rule; the
/// STARTTLS discard.
@Suite struct LineFramingHandlerTests {
    /// Frames as text, `<too long>` for `.tooLong`.
    private func frames(_ input: [[UInt8]], maxLineLength: Int = 16) throws -> [String] {
        let channel = EmbeddedChannel(handler: LineFramingHandler(maxLineLength: maxLineLength))
        for chunk in input {
            try channel.writeInbound(ByteBuffer(bytes: chunk))
        }
        var result: [String] = []
        while let frame = try channel.readInbound(as: LineFrame.self) {
            switch frame {
            case .line(let line): result.append(String(buffer: line))
            case .tooLong: result.append("<too long>")
            }
        }
        _ = try channel.finish()
        return result
    }

    static let cases: [(input: String, expected: [String])] = [
        ("USER a\r\nPASS b\r\n", ["USER a", "PASS b"]),
        ("bare lf\nnext\n", ["bare lf", "next"]),
        ("\r\n\n", ["", ""]),
        ("partial", []),
        ("cr inside\rline\r\n", ["cr inside\rline"]),
        ("exactly sixteen!\r\n", ["exactly sixteen!"]),
        ("seventeen chars!!\r\nok\r\n", ["<too long>", "ok"]),
        (String(repeating: "x", count: 100) + "\r\nafter\r\n", ["<too long>", "after"]),
    ]

    @Test(arguments: cases)
    func wholeByteByByteAndEverySplit(_ example: (input: String, expected: [String])) throws {
        let bytes = Array(example.input.utf8)
        #expect(try frames([bytes]) == example.expected)
        #expect(try frames(bytes.map { [$0] }) == example.expected)
        for split in 0...bytes.count {
            #expect(try frames([Array(bytes[..<split]), Array(bytes[split...])]) == example.expected, "split at \(split)")
        }
    }

    @Test func longLineWithoutEndIsNotBuffered() throws {
        let handler = LineFramingHandler(maxLineLength: 16)
        let channel = EmbeddedChannel(handler: handler)
        for _ in 0..<1000 { try channel.writeInbound(ByteBuffer(string: String(repeating: "y", count: 1000))) }
        #expect(try channel.readInbound(as: LineFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "\r\nnext\r\n"))
        #expect(try channel.readInbound(as: LineFrame.self) == .tooLong)
        #expect(try channel.readInbound(as: LineFrame.self) == .line(ByteBuffer(string: "next")))
        _ = try channel.finish()
    }

    /// A handler that asks for the discard when it sees STLS, as a POP3 session does.
    final class DiscardOnSTLS: ChannelInboundHandler {
        typealias InboundIn = LineFrame
        let framer: LineFramingHandler
        var seen: [String] = []
        init(framer: LineFramingHandler) { self.framer = framer }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .line(let line) = unwrapInboundIn(data) else { return }
            let text = String(buffer: line)
            seen.append(text)
            if text == "STLS" { framer.discardBufferedInput() }
        }
    }

    @Test func discardDropsEverythingPipelinedBehindSTLS() throws {
        let framer = LineFramingHandler(maxLineLength: 64)
        let session = DiscardOnSTLS(framer: framer)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([framer, session])
        try channel.writeInbound(ByteBuffer(string: "CAPA\r\nSTLS\r\nUSER evil\r\nPASS x\r\npartial"))
        #expect(session.seen == ["CAPA", "STLS"])
        // Bytes arriving later (over TLS, in the real server) are framed normally again.
        try channel.writeInbound(ByteBuffer(string: "USER good\r\n"))
        #expect(session.seen == ["CAPA", "STLS", "USER good"])
        _ = try channel.finish()
    }
}
