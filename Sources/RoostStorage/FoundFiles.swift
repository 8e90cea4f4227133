/// A message file found by listing `new/` and `cur/`.
struct FoundFile: Sendable {
    var inNew: Bool
    var info: MaildirInfo
    /// The name as it is in its directory.
    var name: String
    /// The name without its info part: what the uidlist records.
    var base: String
}

/// The files of one listing, each kept once (a first sync lists 100,000): matching and sorting
/// work on their positions.
struct FoundFiles {
    private(set) var files: [FoundFile] = []
    /// Position in `files` by base name.
    private var positions: [String: Int] = [:]

    var count: Int { files.count }

    func position(of base: String) -> Int? { positions[base] }

    func contains(_ base: String) -> Bool { positions[base] != nil }

    /// Adds a file; one whose base is already there replaces it when `replacing` (the later listing
    /// of `cur/` wins over `new/`), else is ignored.
    mutating func add(_ file: consuming FoundFile, replacing: Bool) {
        if let position = positions[file.base] {
            if replacing { files[position] = file }
            return
        }
        positions[file.base] = files.count
        files.append(file)
    }

    mutating func reserveCapacity(_ count: Int) {
        files.reserveCapacity(count)
        positions.reserveCapacity(count)
    }
}
