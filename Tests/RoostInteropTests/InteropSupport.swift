import Foundation
import RoostTesting
import Testing

/// The messages every interop test delivers: small, with the two things POP3 clients get wrong
/// most often, lines that start with "." (dot-stuffing) and bare LF line ends in the Maildir file.
///
/// Addresses are fully qualified so that no client rewrites them, and every Subject is unique so
/// a retrieved message can be matched to its original whatever order the server numbers them in.
enum InteropMail {
    /// CRLF line ends; a line with a leading dot, one with two, and one that is only ".".
    static let dotted = """
        From: Ann <ann@example.org>\r
        To: alice@example.org\r
        Subject: dotted lines\r
        Message-ID: <dotted@roost.test>\r
        \r
        first line\r
        .leading dot\r
        ..two dots\r
        .\r
        last line\r

        """
    /// Bare LF line ends, as some delivery agents write Maildir files.
    static let bareLF = """
        From: Bob <bob@example.org>
        To: alice@example.org
        Subject: bare LF
        Message-ID: <bare-lf@roost.test>

        line one

        line three

        """
    static let short = "From: carol@example.org\r\nTo: alice@example.org\r\nSubject: short\r\nMessage-ID: <short@roost.test>\r\n\r\nhi\r\n"

    static let all = [dotted, bareLF, short]

    /// What a POP3 client receives for each message: CRLF line ends.
    static var allCRLF: [String] { all.map(\.crlf) }
    /// What a client that converts to local line ends writes: LF only.
    static var allLF: [String] { all.map(\.lf) }

    /// The size POP3 reports for all of them (CRLF line ends).
    static var totalSize: Int { allCRLF.reduce(0) { $0 + $1.utf8.count } }
}

extension String {
    /// The text with every line end as CRLF (bare LF and CRLF alike).
    var crlf: String { lf.replacingOccurrences(of: "\n", with: "\r\n") }
    /// The text with every line end as LF.
    var lf: String { replacingOccurrences(of: "\r\n", with: "\n") }
}

extension TestServer {
    /// Delivers `InteropMail.all` to `user`, in that order.
    func deliverInteropMail(to user: String = "alice") throws {
        for message in InteropMail.all { try deliver(to: user, message) }
    }

    /// The contents of `user`'s INBOX files with CRLF line ends, sorted, for comparing
    /// with what should be left on the server.
    func messageContentsCRLF(of user: String = "alice") throws -> [String] {
        try messageFiles(of: user).map { file in
            try String(contentsOfFile: maildir(of: user) + "/" + file, encoding: .utf8).crlf
        }.sorted()
    }
}

/// For each file a client wrote (Maildir, MDA output): the index in `originals` of the message whose
/// bytes it ends with, nil when it ends with none. Clients put their own headers (Received,
/// Delivered-To, Return-Path) on top, and nothing else may change.
func matchDeliveredFiles(_ contents: [String], to originals: [String]) -> [Int?] {
    contents.map { content in
        let bytes = Array(content.utf8)
        return originals.firstIndex { original in bytes.count >= original.utf8.count && bytes.suffix(original.utf8.count).elementsEqual(original.utf8) }
    }
}

/// The contents of every regular file in `directory`, sorted by name.
func fileContents(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { name in
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }
}

/// A temporary directory for a client's files (configuration, output, state), removed afterwards.
func withClientDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    var template = Array((FileManager.default.temporaryDirectory.path + "/roost-interop-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
    let directory = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// Writes `text` to `path` with the given permissions (rcfiles with passwords: 0600).
func writeFile(_ path: String, _ text: String, mode: Int = 0o600) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

/// How a client reaches the server.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The plain port, no TLS (loopback allows plaintext passwords).
    case plain
    /// The plain port, then STLS.
    case stls
    /// The implicit-TLS port.
    case pop3s

    var testDescription: String { rawValue }

    func port(of server: TestServer) -> Int {
        self == .pop3s ? server.pop3sPort : server.pop3Port
    }
}
