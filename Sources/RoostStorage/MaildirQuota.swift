import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A user's limits; zero means no limit.
public struct QuotaLimits: Hashable, Sendable {
    public var storageBytes: Int64
    public var messages: Int

    public init(storageBytes: Int64 = 0, messages: Int = 0) {
        self.storageBytes = storageBytes
        self.messages = messages
    }

    public static let unlimited = QuotaLimits()
    public var isUnlimited: Bool { storageBytes <= 0 && messages <= 0 }

    /// Maildir++'s definition line: `1073741824S,10000C`.
    var definition: String {
        var parts: [String] = []
        if storageBytes > 0 { parts.append("\(storageBytes)S") }
        if messages > 0 { parts.append("\(messages)C") }
        return parts.joined(separator: ",")
    }
}

public struct QuotaUsage: Hashable, Sendable {
    public var bytes: Int64
    public var messages: Int

    public init(bytes: Int64, messages: Int) {
        self.bytes = bytes
        self.messages = messages
    }
}

/// Maildir++ quota (maildirplusplus.txt): the `maildirsize` file in the Maildir root, a definition line
/// followed by `<bytes> <messages>` lines that every writer appends (`O_APPEND`, so concurrent writers
/// don't lose lines). Usage is the sum of the lines. The file is rebuilt from the folders when it is
/// missing, when its definition differs from the current limits, or when it grows past 5120 bytes, as
/// the specification asks. Courier, Dovecot's maildir quota and Roost all read the same file.
public final class MaildirQuota: Sendable {
    public let root: String
    public let limits: QuotaLimits
    let path: String
    /// The specification's threshold for recalculating instead of appending further.
    static let maxFileSize = 5120

    public init(root: String, limits: QuotaLimits) {
        self.root = root
        self.limits = limits
        self.path = root + "/maildirsize"
    }

    /// Current usage, recalculating if the file can't be trusted.
    public func usage() throws -> QuotaUsage {
        if let bytes = try POSIX.readFile(path, limit: 1 << 20), bytes.count <= Self.maxFileSize,
           let usage = Self.parse(bytes, expecting: limits.definition) {
            return usage
        }
        return try recalculate()
    }

    /// Throws `.overQuota` if adding this much would pass a limit. Removals are always allowed.
    public func check(addingBytes bytes: Int64, messages: Int) throws {
        guard !limits.isUnlimited, bytes > 0 || messages > 0 else { return }
        let current = try usage()
        // An overflowing sum is certainly past the limit.
        let newBytes = current.bytes.addingReportingOverflow(bytes)
        if limits.storageBytes > 0 && (newBytes.overflow || newBytes.partialValue > limits.storageBytes) {
            throw StorageError(.overQuota, "storage quota of \(limits.storageBytes) bytes exceeded")
        }
        let newMessages = current.messages.addingReportingOverflow(messages)
        if limits.messages > 0 && (newMessages.overflow || newMessages.partialValue > limits.messages) {
            throw StorageError(.overQuota, "quota of \(limits.messages) messages exceeded")
        }
    }

    /// Appends a change. Failures are not fatal: a missing or unwritable file is recalculated later.
    public func record(bytes: Int64, messages: Int) {
        guard bytes != 0 || messages != 0 else { return }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { POSIX.close(fd) }
        try? POSIX.writeAll(fd, Array("\(bytes) \(messages)\n".utf8), path: path)
    }

    /// Sums the sizes of every message in every folder and rewrites `maildirsize`.
    @discardableResult
    public func recalculate() throws -> QuotaUsage {
        var usage = QuotaUsage(bytes: 0, messages: 0)
        var folders = [root]
        for name in try POSIX.listDirectory(root) ?? [] where MailboxName(diskName: name) != nil {
            folders.append(root + "/" + name)
        }
        for folder in folders {
            for sub in ["new", "cur"] {
                for name in try POSIX.listDirectory(folder + "/" + sub) ?? [] where !name.hasPrefix(".") {
                    let base = MaildirFileName(parsing: name).base
                    let size: Int64
                    if let named = MaildirFileName.field("S", in: base) {
                        size = named
                    } else if let st = try POSIX.stat(folder + "/" + sub + "/" + name) {
                        size = Int64(st.st_size)
                    } else {
                        continue
                    }
                    // Saturating: sizes from names are bounded, but the sum is still not trusted blindly.
                    let sum = usage.bytes.addingReportingOverflow(max(size, 0))
                    usage.bytes = sum.overflow ? .max : sum.partialValue
                    usage.messages += 1
                }
            }
        }
        let content = "\(limits.definition)\n\(usage.bytes) \(usage.messages)\n"
        if POSIX.isDirectory(root) {
            try AtomicFile.write(Array(content.utf8), to: path)
        }
        return usage
    }

    /// Sums a `maildirsize` file; `nil` if its definition line is not `expecting`, a line is damaged,
    /// a sum overflows or a total is negative (all mean the file can't be trusted and is recalculated).
    static func parse(_ bytes: [UInt8], expecting definition: String) -> QuotaUsage? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines.last == "", lines[0] == definition else { return nil }
        var usage = QuotaUsage(bytes: 0, messages: 0)
        for line in lines.dropFirst().dropLast() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, let b = Int64(fields[0]), let m = Int(fields[1]) else { return nil }
            let bytes = usage.bytes.addingReportingOverflow(b)
            let messages = usage.messages.addingReportingOverflow(m)
            guard !bytes.overflow, !messages.overflow else { return nil }
            usage.bytes = bytes.partialValue
            usage.messages = messages.partialValue
        }
        guard usage.bytes >= 0, usage.messages >= 0 else { return nil }
        return usage
    }
}
