/// Columns two spaces apart, numbers right-aligned: the layout of `mailbox status`, `quota show`
/// and `user show`, readable on a terminal and easy to cut with `awk`.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Indexes of the columns whose cells are right-aligned (the number columns).
    var rightAligned: Set<Int>

    init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines, each without trailing spaces.
    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
