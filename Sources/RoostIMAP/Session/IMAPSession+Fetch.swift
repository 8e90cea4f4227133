import NIOCore
import RoostIMAPGrammar
import RoostMIME
import RoostStorage
#if canImport(Glibc)
import Glibc
#endif

/// FETCH and UID FETCH (RFC 3501 section 6.4.5).
extension IMAPSession {
    func fetch(_ tag: Tag, _ set: SequenceSet, _ request: FetchRequest, byUID: Bool, writer: IMAPResponseWriter) async throws {
        var attributes = request.attributes
        // UID FETCH always returns UID (RFC 3501 section 6.4.8).
        if byUID, !attributes.contains(.uid) { attributes.insert(.uid, at: 0) }
        let positions = try positions(set, byUID: byUID)
        guard var selected else { return }
        if !byUID, positions.contains(where: { selected.view.messages[$0].isExpunged }) {
            // Dovecot's behaviour: what still exists is sent, then the command ends with NO.
            logger.debug("FETCH of expunged messages")
        }
        // Non-PEEK body fetches set \Seen first, so the FETCH reports it (RFC 3501 section 6.4.5).
        var seenSet: Set<Int> = []
        if !selected.readOnly, attributes.contains(where: \.setsSeen) {
            let targets = positions.filter {
                !selected.view.messages[$0].isExpunged && !selected.view.messages[$0].flags.contains(.seen)
            }
            if !targets.isEmpty {
                let uids = targets.map { selected.view.messages[$0].uid }
                let folder = selected.folder
                let changed = try await changingStorage { try folder.setFlags(uids, .add, flags: .seen) }
                for position in targets where changed[selected.view.messages[position].uid] != nil {
                    let message = selected.view.messages[position]
                    selected.view.setFlags(message.flags.union(.seen), keywords: message.keywords, at: position)
                    seenSet.insert(position)
                }
                self.selected = selected
            }
        }
        let job = FetchJob(
            folder: selected.folder, view: selected.view, attributes: attributes, positions: positions,
            addingFlags: attributes.contains(.flags) ? [] : seenSet, chunkSize: configuration.writeChunkSize
        )
        // The next chunk is produced on a storage thread while this one is written, so neither
        // the storage thread nor the client waits for the other's hand-off.
        var output = try await produce(job)
        while !output.finished {
            async let next = produce(job)
            try await writer.write(buffer: output.buffer)
            output = try await next
        }
        try await writer.write(buffer: output.buffer)
        // UID FETCH: a UID that no longer exists is ignored without an error (RFC 3501 section
        // 6.4.8), and the EXPUNGE it may carry tells the client why. Clients run `UID FETCH 1:*`
        // at every sync, often right after another client expunged.
        if job.skipped > 0, !byUID {
            try await sendUpdates(allowExpunge: false, writer: writer)
            try await writer.write(.tagged(tag, .no("Some of the requested messages no longer exist", code: .expungeIssued)))
        } else {
            try await finishWithUpdates(tag, .ok("FETCH completed"), allowExpunge: byUID, writer: writer)
        }
    }

    /// The next piece of `job`'s output. A failure before any part of a FETCH line is out ends the
    /// command with a tagged NO; one halfway through a line ends the connection. A piece asked for
    /// ahead is cancelled when writing the one before it failed (the client is gone): that is no
    /// failure of the FETCH and is passed on as it is.
    private func produce(_ job: FetchJob) async throws -> (buffer: ByteBuffer, finished: Bool) {
        do {
            return try await storage { try job.produce() }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let underlying = (error as? FetchJob.Failure)?.underlying ?? error
            if job.isBetweenMessages {
                // Only whole FETCH lines are out: the command can still end with a tagged NO.
                logger.error("FETCH failed", metadata: ["error": "\(underlying)"])
                throw IMAPCommandError(underlying)
            }
            // Part of a FETCH line is out: nothing can follow it on this connection.
            logger.error("FETCH failed while streaming", metadata: ["error": "\(underlying)"])
            setLogoutReason("FETCH failed")
            throw IMAPSessionAbort()
        }
    }
}

/// The connection must be closed: a response was cut off halfway, or the selected mailbox got a
/// new UIDVALIDITY.
struct IMAPSessionAbort: Error {}

/// Produces the untagged FETCH responses of one command in pieces, on storage threads.
///
/// Each `produce` call fills about `chunkSize` octets; a message body is streamed from its file
/// across calls. Everything a message needs (its index entry, cached structure, open file, the
/// header blocks of its sections) is gathered before its line starts, so a message expunged
/// meanwhile is skipped whole. Calls are strictly sequential (`@unchecked Sendable`).
final class FetchJob: @unchecked Sendable {
    /// One message being written; changed in place across `produce` calls.
    private final class Current {
        let attributes: [FetchAttribute]
        var next = 0
        let virtualSize: Int64
        /// The internal date, read by `prepare` when INTERNALDATE is asked for.
        var internalDate: Int64 = 0
        /// The message's `roost.cache` record, when an attribute needs more than the index.
        var record: CachedRecord?
        /// The whole parsed message, when the record's renderings and header fields are not enough.
        var cached: CachedMessage?
        var file: OpenFile?
        /// The content of each section attribute (by position in `attributes`).
        var sections: [SectionContent?] = []
        /// The section of `attributes[next - 1]` still being streamed.
        var streaming: SectionContent?
        var streamed = 0

        init(attributes: [FetchAttribute], virtualSize: Int64) {
            self.attributes = attributes
            self.virtualSize = virtualSize
        }
    }

    private let folder: MaildirFolder
    /// The session's view when the command started: sequence numbers, UIDs and the flags to report.
    private let view: MailboxView
    /// What each message sends, and the same with FLAGS added (`addingFlags`).
    private let attributes: [FetchAttribute]
    private let attributesAddingFlags: [FetchAttribute]
    /// The messages to send, by position in `view`.
    private let positions: [Int]
    /// Positions whose `\Seen` was just set: they report FLAGS even though not asked.
    private let addingFlags: Set<Int>
    private let chunkSize: Int
    /// What the attributes need, worked out once for the whole command.
    private let needsInternalDate: Bool
    private let needsRecord: Bool
    /// A header record (`MaildirFolder.headerRecord`) answers every attribute: a first sync's
    /// header fields and ENVELOPE do not make the whole message be parsed.
    private let headerRecordSuffices: Bool
    /// By attribute position: `BODY[section]<origin>` of each section attribute.
    private let sectionPrefixes: [ByteBuffer?]
    /// By attribute position: the field names (lowercase) of each `HEADER.FIELDS` section the
    /// cache can answer.
    private let cachedFieldNames: [[[UInt8]]?]
    /// The next entry of `positions` to send.
    private var index = 0
    private var current: Current?
    private var snapshot: FolderSnapshot?
    /// Messages that could not be sent because they are gone.
    private(set) var skipped = 0
    /// A message failed to prepare after others had filled the chunk: thrown by the next call.
    private var pendingFailure: (any Error)?

    /// Why a message could not be sent, found before its line started.
    struct Failure: Error {
        var underlying: any Error
    }

    /// True when no FETCH line is half written (a failure can still be a tagged NO).
    var isBetweenMessages: Bool { current == nil }

    init(
        folder: MaildirFolder, view: MailboxView, attributes: [FetchAttribute], positions: [Int], addingFlags: Set<Int>,
        chunkSize: Int
    ) {
        self.folder = folder
        self.view = view
        self.attributes = attributes
        attributesAddingFlags = attributes + [.flags]
        self.positions = positions
        self.addingFlags = addingFlags
        self.chunkSize = chunkSize
        needsInternalDate = attributes.contains(.internalDate)
        needsRecord = attributes.contains { attribute in
            switch attribute {
            case .envelope, .body, .bodyStructure, .rfc822, .rfc822Header, .rfc822Text, .bodySection: true
            default: false
            }
        }
        sectionPrefixes = attributes.map { attribute in
            guard case .bodySection(_, let section, let partial) = attribute else { return nil }
            var prefix = ByteBuffer()
            prefix.writeBodySectionPrefix(section, origin: partial?.origin)
            return prefix
        }
        let cachedFieldNames = attributes.map { attribute in
            Self.section(of: attribute).flatMap { MessageSections.cachedFieldNames(of: $0.0) }
        }
        self.cachedFieldNames = cachedFieldNames
        headerRecordSuffices = zip(attributes, cachedFieldNames).allSatisfy { attribute, fieldNames in
            switch attribute {
            case .body, .bodyStructure: false
            case .rfc822, .rfc822Header, .rfc822Text, .bodySection: fieldNames != nil
            default: true
            }
        }
    }

    /// The next piece of output; `finished` once every message is written.
    func produce() throws -> (buffer: ByteBuffer, finished: Bool) {
        if let pendingFailure { throw Failure(underlying: pendingFailure) }
        let snapshot = self.snapshot ?? folder.snapshot
        self.snapshot = snapshot
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkSize + 4096)
        while buffer.readableBytes < chunkSize {
            if current == nil {
                guard index < positions.count else { return (buffer, true) }
                let position = positions[index]
                let prepared: Current?
                do {
                    prepared = try prepare(position, snapshot: snapshot)
                } catch {
                    // Send the complete lines gathered so far first.
                    guard buffer.readableBytes > 0 else { throw Failure(underlying: error) }
                    pendingFailure = error
                    return (buffer, false)
                }
                guard let prepared else {
                    skipped += 1
                    index += 1
                    continue
                }
                current = prepared
                buffer.writeStaticString("* ")
                buffer.writeNumber(UInt(position + 1))
                buffer.writeStaticString(" FETCH (")
            }
            if try !writeAttributes(into: &buffer) { continue }
            buffer.writeStaticString(")\r\n")
            current = nil
            index += 1
        }
        return (buffer, index >= positions.count && current == nil)
    }

    /// Gathers what the message needs; nil when it is gone (expunged meanwhile). Other failures
    /// (a file that cannot be read) are thrown.
    private func prepare(_ position: Int, snapshot: FolderSnapshot) throws -> Current? {
        let message = view.messages[position]
        guard !message.isExpunged, let stored = snapshot.index(of: message.uid) else { return nil }
        let uid = message.uid
        let info = snapshot.messages[stored]
        let adding = !addingFlags.isEmpty && addingFlags.contains(position)
        let current = Current(attributes: adding ? attributesAddingFlags : attributes, virtualSize: info.virtualSize)
        do {
            if needsInternalDate {
                current.internalDate = try info.internalDate ?? folder.internalDate(of: uid)
            }
            guard needsRecord else { return current }
            let record = try headerRecordSuffices ? folder.headerRecord(uid) : folder.cachedRecord(uid)
            current.record = record
            func wholeMessage() throws -> CachedMessage {
                if let cached = current.cached { return cached }
                let cached = try record.message() ?? folder.parsedMessage(uid)
                current.cached = cached
                return cached
            }
            for (number, attribute) in attributes.enumerated() {
                if let key = IMAPCachedRenderings.key(of: attribute) {
                    if record.rendering(key) == nil { _ = try wholeMessage() }
                    continue
                }
                guard let (section, partial) = Self.section(of: attribute) else { continue }
                if current.sections.isEmpty { current.sections = Array(repeating: nil, count: attributes.count) }
                if let names = cachedFieldNames[number],
                   let content = MessageSections.cachedContent(fieldNames: names, partial: partial, record: record) {
                    current.sections[number] = content
                    continue
                }
                let structure = try wholeMessage().structure
                if current.file == nil { current.file = OpenFile(try folder.openMessage(uid)) }
                current.sections[number] = try MessageSections.content(
                    of: section, partial: partial, structure: structure, file: current.file!.file
                )
            }
        } catch let error as StorageError where error.kind == .expunged || error.kind == .notFound {
            return nil
        }
        return current
    }

    /// The section an attribute sends, with its partial window.
    private static func section(of attribute: FetchAttribute) -> (SectionSpecifier, FetchAttribute.Partial?)? {
        switch attribute {
        case .rfc822: (.complete, nil)
        case .rfc822Header: (SectionSpecifier(text: .header)!, nil)
        case .rfc822Text: (SectionSpecifier(text: .text)!, nil)
        case .bodySection(_, let section, let partial): (section, partial)
        default: nil
        }
    }

    /// Writes attributes of the current message until it is done (true) or the buffer is full (false).
    private func writeAttributes(into buffer: inout ByteBuffer) throws -> Bool {
        guard let current else { return true }
        while true {
            if var content = current.streaming {
                let room = max(chunkSize - buffer.readableBytes, 4096)
                let written: Int?
                if let file = current.file {
                    written = try content.nextChunk(maxOctets: room, file: file.file).map { buffer.writeBytes($0) }
                } else {
                    // Content answered from the cache needs no file and goes straight into the buffer.
                    written = content.writeNextChunk(maxOctets: room, into: &buffer)
                }
                if let written {
                    current.streamed += written
                    current.streaming = content
                    if buffer.readableBytes >= chunkSize { return false }
                    continue
                }
                guard current.streamed == content.length else {
                    throw StorageError(.temporary, "message \(view.messages[positions[index]].uid) changed size while being sent")
                }
                current.streaming = nil
            }
            guard current.next < current.attributes.count else { return true }
            let number = current.next
            let attribute = current.attributes[number]
            current.next += 1
            if number > 0 { buffer.writeStaticString(" ") }
            let position = positions[index]
            switch attribute {
            case .flags:
                view.writeFetchFlags(at: position, into: &buffer)
            case .uid:
                if let uid = RoostIMAPGrammar.UID(rawValue: view.messages[position].uid.rawValue) {
                    buffer.writeMessageAttribute(.uid(uid))
                }
            case .internalDate:
                buffer.writeMessageAttribute(.internalDate(Self.dateTime(current.internalDate)))
            case .rfc822Size:
                buffer.writeMessageAttribute(.rfc822Size(UInt32(clamping: current.virtualSize)))
            case .envelope, .body, .bodyStructure:
                if let key = IMAPCachedRenderings.key(of: attribute), let rendered = current.record?.rendering(key) {
                    buffer.writeBytes(rendered)
                } else if let written = IMAPCachedRenderings.write(attribute, of: current.cached!) {
                    buffer.writeBytes(written)
                }
            case .rfc822, .rfc822Header, .rfc822Text, .bodySection:
                switch attribute {
                case .rfc822: buffer.writeStaticString("RFC822")
                case .rfc822Header: buffer.writeStaticString("RFC822.HEADER")
                case .rfc822Text: buffer.writeStaticString("RFC822.TEXT")
                case .bodySection:
                    var prefix = sectionPrefixes[number]!
                    buffer.writeBuffer(&prefix)
                default: break
                }
                let content = current.sections[number]!
                buffer.writeStaticString(" {")
                buffer.writeNumber(UInt(content.length))
                buffer.writeStaticString("}\r\n")
                current.streaming = content
                current.streamed = 0
            }
        }
    }

    /// INTERNALDATE in the server's time zone, as Dovecot shows it.
    static func dateTime(_ seconds: Int64) -> IMAPDateTime {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        let date = IMAPDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
            ?? IMAPDate(year: 1970, month: 1, day: 1)!
        return IMAPDateTime(
            date: date, hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: min(Int(parts.tm_sec), 59),
            zoneMinutes: Int(parts.tm_gmtoff) / 60
        ) ?? IMAPDateTime(date: date, hour: 0, minute: 0, second: 0, zoneMinutes: 0)!
    }
}

/// An open message file that can be kept across storage jobs.
final class OpenFile: @unchecked Sendable {
    let file: MessageFile
    init(_ file: consuming MessageFile) { self.file = file }
}
