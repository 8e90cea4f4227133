import RoostMIME

/// The payload of a `roost.cache` record: `CachedMessage` in a compact positional layout, written and
/// read field by field (no keys, no generic coding), because a cache hit must cost far less than
/// parsing the message again.
///
/// Little-endian. Strings and byte strings are a `UInt32` length and the bytes; an optional is a
/// presence byte (0 or 1) then the value; an array is a `UInt32` count then the elements; integers are
/// `Int64`. In order: the header fields (count, then name and raw value of each), the
/// header-truncated byte, a byte telling whether the message has a body, the renderings (count,
/// then key and bytes of each, keys in ascending order), a byte telling whether the message is
/// complete, and only then the envelope and the MIME structure. What is asked most (header fields,
/// renderings) comes first, so `CachedRecord` answers it without decoding the rest.
///
/// A header record (`CachedHeader`, complete byte 0) stops after that byte: it is made from the
/// message's header alone, for a client's first sync, which asks for header fields and ENVELOPE
/// only. The first request that needs the structure parses the whole message and appends a
/// complete record that supersedes it. Change `CachedMessage.layoutVersion` with any change to the
/// layout, which makes every existing cache file be discarded and rebuilt.
extension CachedMessage {
    /// Version of the payload layout; part of the cache file header.
    static let layoutVersion: UInt16 = 3
    /// Deeper nesting than any message the parser produces (`MIMELimits.maxNestingDepth`) is damage.
    static let maxDecodeDepth = 256

    func encodedPayload() -> [UInt8] {
        var out = CachedHeader(
            headerFields: headerFields, headerTruncated: headerTruncated, hasBody: !structure.root.bodyRange.isEmpty,
            renderings: renderings
        ).encodedPrefix()
        out.append(1)
        out.appendEnvelope(envelope)
        out.appendBodyPart(structure.root)
        return out
    }

    /// `nil` for anything that is not a complete payload of this layout.
    static func decodePayload(_ bytes: [UInt8]) -> CachedMessage? {
        CachedRecord(payload: bytes)?.message()
    }
}

/// What a header record keeps: the part of `CachedMessage` that the message's header alone tells.
struct CachedHeader {
    var headerFields: [HeaderField]
    var headerTruncated: Bool
    var hasBody: Bool
    /// What `CacheRenderer.renderHeader` made of the header.
    var renderings: [String: [UInt8]]

    /// From the parser's view of the header; `size` is the file's, which tells whether a body follows.
    init(_ parsed: ParsedHeader, size: Int64, renderings: [String: [UInt8]]) {
        self.init(headerFields: CachedMessage.cachedFields(of: parsed.header), headerTruncated: parsed.headerTruncated,
                  hasBody: Int64(parsed.bodyOffset) < size, renderings: renderings)
    }

    init(headerFields: [HeaderField], headerTruncated: Bool, hasBody: Bool, renderings: [String: [UInt8]]) {
        self.headerFields = headerFields
        self.headerTruncated = headerTruncated
        self.hasBody = hasBody
        self.renderings = renderings
    }

    /// A header record's payload.
    func encodedPayload() -> [UInt8] {
        var out = encodedPrefix()
        out.append(0)
        return out
    }

    /// What every payload starts with: up to the complete byte.
    fileprivate func encodedPrefix() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        out.appendInteger(UInt32(headerFields.count))
        for field in headerFields {
            out.appendString(field.name)
            out.appendBytes(field.rawValue)
        }
        out.append(headerTruncated ? 1 : 0)
        out.append(hasBody ? 1 : 0)
        out.appendInteger(UInt32(renderings.count))
        for (key, value) in renderings.sorted(by: { $0.key < $1.key }) {
            out.appendString(key)
            out.appendBytes(value)
        }
        return out
    }
}

/// One record of `roost.cache` as read: header fields and renderings are read straight from the
/// payload bytes, the envelope and structure are decoded only by `message()`.
public struct CachedRecord: Sendable {
    /// The bytes holding the payload at `start..<end` (often a larger read of the cache file,
    /// shared, not copied).
    let bytes: [UInt8]
    let start: Int
    let end: Int
    let fieldCount: Int
    let renderingsStart: Int
    let renderingCount: Int
    let structureStart: Int
    /// Whether the envelope and structure follow (otherwise it is a header record, see `CachedHeader`).
    public let isComplete: Bool
    /// Whether the header was longer than the parser's limit (then the header fields may be incomplete).
    public let headerTruncated: Bool
    /// Whether a body follows the header (after a blank line).
    public let hasBody: Bool

    /// Checks the header fields and renderings of `payload`; `nil` when they are not of this layout.
    init?(payload: [UInt8]) {
        self.init(bytes: payload, start: 0, end: payload.count)
    }

    /// The payload at `start..<end` of `bytes`.
    init?(bytes: [UInt8], start: Int, end: Int) {
        guard start >= 0, start <= end, end <= bytes.count else { return nil }
        let layout = bytes.withUnsafeBufferPointer { buffer -> (fields: Int, truncated: Bool, body: Bool, renderingsStart: Int, renderings: Int, complete: Bool, structureStart: Int)? in
            var cursor = ByteStringCursor(buffer, position: start, end: end)
            guard let count = cursor.integer(), count <= end - start else { return nil }
            for _ in 0..<count {
                guard cursor.next() != nil, cursor.next() != nil else { return nil }
            }
            guard let truncated = cursor.byte(), truncated <= 1, let body = cursor.byte(), body <= 1,
                  let renderings = cursor.integer(), renderings <= end - start
            else { return nil }
            let renderingsStart = cursor.position
            for _ in 0..<renderings {
                guard cursor.next() != nil, cursor.next() != nil else { return nil }
            }
            guard let complete = cursor.byte(), complete <= 1, complete == 1 || cursor.position == end else { return nil }
            return (count, truncated == 1, body == 1, renderingsStart, renderings, complete == 1, cursor.position)
        }
        guard let layout else { return nil }
        self.bytes = bytes
        self.start = start
        self.end = end
        fieldCount = layout.fields
        headerTruncated = layout.truncated
        hasBody = layout.body
        renderingsStart = layout.renderingsStart
        renderingCount = layout.renderings
        isComplete = layout.complete
        structureStart = layout.structureStart
    }

    /// Calls `body` with the name and raw value (as `HeaderField.rawValue`) of each cached header
    /// field, in message order. The buffers are valid only during the call.
    public func forEachHeaderField(
        _ body: (_ name: UnsafeBufferPointer<UInt8>, _ rawValue: UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = ByteStringCursor(buffer, position: start + 4, end: end)
            for _ in 0..<fieldCount {
                // Checked by init.
                guard let name = cursor.next(), let raw = cursor.next() else { return }
                try body(name, raw)
            }
        }
    }

    /// The rendering stored under `key` (see `CacheRenderer`), if any.
    public func rendering(_ key: String) -> ArraySlice<UInt8>? {
        var key = key
        let range = key.withUTF8 { key in
            bytes.withUnsafeBufferPointer { buffer -> Range<Int>? in
                var cursor = ByteStringCursor(buffer, position: renderingsStart, end: end)
                for _ in 0..<renderingCount {
                    guard let name = cursor.next(), let value = cursor.next() else { return nil }
                    if name.elementsEqual(key) { return cursor.position - value.count..<cursor.position }
                }
                return nil
            }
        }
        return range.map { bytes[$0] }
    }

    /// The whole cached message; `nil` for a header record, or when its envelope or structure is damaged.
    public func message() -> CachedMessage? {
        guard isComplete else { return nil }
        var fields: [HeaderField] = []
        fields.reserveCapacity(fieldCount)
        forEachHeaderField { name, raw in
            fields.append(HeaderField(name: String(decoding: name, as: UTF8.self), rawValue: Array(raw)))
        }
        var renderings: [String: [UInt8]] = [:]
        var reader = ByteReader(bytes: bytes, position: renderingsStart, end: end)
        for _ in 0..<renderingCount {
            guard let key = reader.string(), let value = reader.byteString() else { return nil }
            renderings[key] = value
        }
        reader.position = structureStart
        guard let envelope = reader.envelope(), let root = reader.bodyPart(depth: 0), reader.atEnd else { return nil }
        return CachedMessage(envelope: envelope, structure: MessageStructure(root: root), headerFields: fields,
                             headerTruncated: headerTruncated, renderings: renderings)
    }
}

/// Reads a record's length-prefixed byte strings in place, bounds-checked: no array slice (and no
/// reference count) per field, since a FETCH of a client's header list reads a dozen per message.
private struct ByteStringCursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, position: Int, end: Int) {
        self.buffer = buffer
        self.position = position
        self.end = end
    }

    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    /// A little-endian `UInt32`.
    mutating func integer() -> Int? {
        guard end - position >= 4 else { return nil }
        let value = UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return Int(UInt32(littleEndian: value))
    }

    /// The next byte string (a `UInt32` length and the bytes).
    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        let start = position
        guard let length = integer(), end - position >= length else {
            position = start
            return nil
        }
        defer { position += length }
        return UnsafeBufferPointer(rebasing: buffer[position..<(position + length)])
    }
}

extension Array where Element == UInt8 {
    mutating func appendBytes(_ bytes: [UInt8]) {
        appendInteger(UInt32(bytes.count))
        append(contentsOf: bytes)
    }

    mutating func appendOptional(_ string: String?) {
        if let string {
            append(1)
            appendString(string)
        } else {
            append(0)
        }
    }

    mutating func appendStrings(_ strings: [String]) {
        appendInteger(UInt32(strings.count))
        for string in strings { appendString(string) }
    }

    mutating func appendAddresses(_ addresses: [Address]) {
        appendInteger(UInt32(addresses.count))
        for a in addresses {
            appendOptional(a.name)
            appendOptional(a.route)
            appendOptional(a.mailbox)
            appendOptional(a.host)
        }
    }

    mutating func appendEnvelope(_ e: Envelope) {
        appendOptional(e.date)
        appendOptional(e.subject)
        for list in [e.from, e.sender, e.replyTo, e.to, e.cc, e.bcc] { appendAddresses(list) }
        appendOptional(e.inReplyTo)
        appendOptional(e.messageID)
    }

    mutating func appendParameters(_ parameters: [MIMEParameter]) {
        appendInteger(UInt32(parameters.count))
        for p in parameters {
            appendString(p.name)
            appendString(p.value)
        }
    }

    mutating func appendPartSize(_ size: PartSize) {
        appendInteger(Int64(size.octets))
        appendInteger(Int64(size.virtualOctets))
        appendInteger(Int64(size.lines))
    }

    mutating func appendBodyPart(_ part: BodyPart) {
        appendString(part.contentType.type)
        appendString(part.contentType.subtype)
        appendParameters(part.contentType.parameters)
        appendOptional(part.contentID)
        appendOptional(part.contentDescription)
        appendString(part.transferEncoding.name)
        appendOptional(part.contentMD5)
        if let disposition = part.disposition {
            append(1)
            appendString(disposition.type)
            appendParameters(disposition.parameters)
        } else {
            append(0)
        }
        appendStrings(part.language)
        appendOptional(part.location)
        appendInteger(Int64(part.headerOffset))
        appendInteger(Int64(part.bodyOffset))
        appendInteger(Int64(part.endOffset))
        appendPartSize(part.headerSize)
        appendPartSize(part.bodySize)
        appendInteger(UInt32(part.children.count))
        for child in part.children { appendBodyPart(child) }
        if let message = part.message {
            append(1)
            appendEnvelope(message.envelope)
            appendBodyPart(message.root)
        } else {
            append(0)
        }
    }
}

extension ByteReader {
    mutating func byteString() -> [UInt8]? {
        byteSlice().map(Array.init)
    }

    /// A string or byte string's bytes, without copying them.
    mutating func byteSlice() -> ArraySlice<UInt8>? {
        guard let length: UInt32 = integer() else { return nil }
        return bytes(count: Int(length))
    }

    /// `.some(nil)` for an absent value, `nil` for damage.
    mutating func optionalString() -> String?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return string().map { .some($0) }
        default: return nil
        }
    }

    mutating func count() -> Int? {
        guard let n: UInt32 = integer(), Int(n) <= end - position else { return nil }
        return Int(n)
    }

    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var out: [String] = []
        for _ in 0..<n {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }

    mutating func int() -> Int? {
        let value: Int64? = integer()
        return value.map { Int($0) }
    }

    mutating func addresses() -> [Address]? {
        guard let n = count() else { return nil }
        var out: [Address] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let name = optionalString(), let route = optionalString(), let mailbox = optionalString(),
                  let host = optionalString()
            else { return nil }
            out.append(Address(name: name, route: route, mailbox: mailbox, host: host))
        }
        return out
    }

    mutating func envelope() -> Envelope? {
        guard let date = optionalString(), let subject = optionalString() else { return nil }
        var lists: [[Address]] = []
        for _ in 0..<6 {
            guard let list = addresses() else { return nil }
            lists.append(list)
        }
        guard let inReplyTo = optionalString(), let messageID = optionalString() else { return nil }
        var e = Envelope(date: date, subject: subject, inReplyTo: inReplyTo, messageID: messageID)
        // Set directly: the initializer's defaults (sender and reply-to from From) were applied when parsed.
        (e.from, e.sender, e.replyTo, e.to, e.cc, e.bcc) = (lists[0], lists[1], lists[2], lists[3], lists[4], lists[5])
        return e
    }

    mutating func parameters() -> [MIMEParameter]? {
        guard let n = count() else { return nil }
        var out: [MIMEParameter] = []
        for _ in 0..<n {
            guard let name = string(), let value = string() else { return nil }
            out.append(MIMEParameter(name: name, value: value))
        }
        return out
    }

    mutating func partSize() -> PartSize? {
        guard let octets = int(), let virtualOctets = int(), let lines = int() else { return nil }
        return PartSize(octets: octets, virtualOctets: virtualOctets, lines: lines)
    }

    mutating func bodyPart(depth: Int) -> BodyPart? {
        guard depth < CachedMessage.maxDecodeDepth,
              let type = string(), let subtype = string(), let typeParameters = parameters(),
              let contentID = optionalString(), let description = optionalString(),
              let encoding = string(), let md5 = optionalString(), let hasDisposition = byte()
        else { return nil }
        var disposition: ContentDisposition?
        switch hasDisposition {
        case 0: disposition = nil
        case 1:
            guard let dispositionType = string(), let dispositionParameters = parameters() else { return nil }
            disposition = ContentDisposition(type: dispositionType, parameters: dispositionParameters)
        default: return nil
        }
        guard let language = strings(), let location = optionalString(),
              let headerOffset = int(), let bodyOffset = int(), let endOffset = int(),
              let headerSize = partSize(), let bodySize = partSize(), let childCount = count()
        else { return nil }
        var children: [BodyPart] = []
        for _ in 0..<childCount {
            guard let child = bodyPart(depth: depth + 1) else { return nil }
            children.append(child)
        }
        var message: EmbeddedMessage?
        switch byte() {
        case 0: message = nil
        case 1:
            guard let envelope = envelope(), let root = bodyPart(depth: depth + 1) else { return nil }
            message = EmbeddedMessage(envelope: envelope, root: root)
        default: return nil
        }
        return BodyPart(
            contentType: ContentType(type: type, subtype: subtype, parameters: typeParameters),
            contentID: contentID, contentDescription: description,
            transferEncoding: TransferEncoding(headerValue: encoding), contentMD5: md5,
            disposition: disposition, language: language, location: location,
            headerOffset: headerOffset, bodyOffset: bodyOffset, endOffset: endOffset,
            headerSize: headerSize, bodySize: bodySize, children: children, message: message)
    }
}
