// Opens a Maildir folder of N messages (default 100,000) three ways and prints how long each took:
// with no index (every file listed), with a current index (no listing, no stat of message files), and
// reading every message's envelope from the message cache. It checks that each did the work: message
// counts, and, for the indexed open, that the directory was not listed (a file renamed behind the
// index's back must still show its old flags).
import Foundation
import RoostStorage

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let root = FileManager.default.temporaryDirectory.appendingPathComponent("roost-bench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: root) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("storage-open: FAILED: \(message)\n".utf8))
    exit(1)
}

func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func setMtime(_ path: String, seconds: Int) {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    utimensat(AT_FDCWD, path, &times, 0)
}

let options = StorageOptions(fsync: false)
let store = MailStore(root: root, options: options)
try store.createIfNeeded()

// 1. Fill cur/ as an MTA plus a few years of reading would: sizes in the names, most messages seen.
let (_, fillTime) = time {
    for i in 0..<count {
        let body = "From: Sender \(i % 97) <s\(i % 97)@example.org>\r\nTo: user@example.org\r\nSubject: Message number \(i)\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <\(i)@bench>\r\n\r\nBody of message \(i).\r\n"
        let bytes = Array(body.utf8)
        let name = "\(1_700_000_000 + i).M\(i)P1.bench,S=\(bytes.count),W=\(bytes.count):2,\(i % 3 == 0 ? "" : "S")"
        FileManager.default.createFile(atPath: root + "/cur/" + name, contents: Data(bytes))
    }
}
print("filled \(count) messages in \(String(format: "%.2f", fillTime)) s")

// 2. First open: no index, every file listed and given a UID.
let (firstCount, firstTime) = try time { () throws -> Int in
    let folder = try store.folder(.inbox)
    return try folder.sync().snapshot.messages.count
}
guard firstCount == count else { fail("first open saw \(firstCount) of \(count) messages") }

// Let the directories settle (as they are after a quiet minute) and record a settled listing.
let past = Int(Date().timeIntervalSince1970) - 120
setMtime(root + "/cur", seconds: past)
setMtime(root + "/new", seconds: past)
do {
    let folder = try store.folder(.inbox)
    try folder.sync()
    folder.flushIndex()
}

// Rename one message behind the index's back (flag it) and put the directory's mtime back: an open
// that trusts the index does not see it; one that lists the directory would.
let names = try FileManager.default.contentsOfDirectory(atPath: root + "/cur")
guard let victim = names.first(where: { $0.hasSuffix(":2,S") }) else { fail("no seen message to rename") }
try FileManager.default.moveItem(atPath: root + "/cur/" + victim, toPath: root + "/cur/" + victim + "F")
setMtime(root + "/cur", seconds: past)
let victimBase = String(victim.prefix { $0 != ":" })

// 3. Indexed opens: a new view each time (the previous one released), as a new process has.
var indexedTimes: [Double] = []
for _ in 0..<5 {
    let (snapshot, seconds) = try time { try store.folder(.inbox).sync().snapshot }
    guard snapshot.messages.count == count else { fail("indexed open saw \(snapshot.messages.count) messages") }
    guard let m = snapshot.messages.first(where: { $0.base == victimBase }) else { fail("renamed message missing") }
    guard !m.flags.contains(.flagged) else { fail("indexed open listed the directory (it saw the rename)") }
    indexedTimes.append(seconds)
}
indexedTimes.sort()

// 4. Envelopes: parse every message once (filling roost.cache), then read them all from the cache.
setMtime(root + "/cur", seconds: Int(Date().timeIntervalSince1970))
let folder = try store.folder(.inbox)
let uids = try folder.sync().snapshot.messages.map(\.uid)
let (parsedBytes, parseTime) = try time { () throws -> Int in
    var total = 0
    for uid in uids { total += try folder.parsedMessage(uid).envelope.subject?.utf8.count ?? 0 }
    return total
}
let (cachedBytes, cacheTime) = try time { () throws -> Int in
    var total = 0
    for uid in uids { total += try folder.parsedMessage(uid).envelope.subject?.utf8.count ?? 0 }
    return total
}
guard parsedBytes == cachedBytes, parsedBytes > count * 15 else { fail("envelope subjects differ: \(parsedBytes) vs \(cachedBytes)") }

func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
print("first open, no index:        \(ms(firstTime)) for \(firstCount) messages")
print("open with current index:     \(ms(indexedTimes[indexedTimes.count / 2])) median of 5 (min \(ms(indexedTimes[0])))")
print("parse all envelopes:         \(ms(parseTime)) (\(parsedBytes) subject bytes)")
print("all envelopes from cache:    \(ms(cacheTime))")
print("ok: indexed open did not list or stat message files")
