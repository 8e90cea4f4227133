import NIOCore

/// A set of message sequence numbers or UIDs as the client wrote it: ranges whose ends may be `*`.
///
///     sequence-set    = (seq-number / seq-range) ["," sequence-set]
///     seq-range       = seq-number ":" seq-number
///     seq-number      = nz-number / "*"
///
/// RFC 3501 section 9. The same syntax serves sequence numbers and UIDs; the command says which.
/// `*` means the largest number in use, so a set is only a set of numbers once `resolved(largest:)` knows
/// it; `4:2` is the same range as `2:4`, and `5:*` with 3 the largest is `3:5`.
public struct SequenceSet: Hashable, Sendable, CustomStringConvertible {
    /// One end of a range: a non-zero number, or `*` (greater than every number).
    public enum Bound: Hashable, Sendable, Comparable {
        case number(UInt32)
        case last

        func resolved(largest: UInt32) -> UInt32 {
            switch self {
            case .number(let n): n
            case .last: largest
            }
        }
    }

    /// A range, stored with `lower <= upper`.
    public struct Range: Hashable, Sendable {
        public let lower: Bound
        public let upper: Bound

        /// The range between `a` and `b` in either order; `nil` if a number is zero.
        public init?(_ a: Bound, _ b: Bound) {
            if case .number(0) = a { return nil }
            if case .number(0) = b { return nil }
            (lower, upper) = a <= b ? (a, b) : (b, a)
        }

        /// A single number or `*`.
        public init?(_ bound: Bound) { self.init(bound, bound) }
    }

    /// The ranges in the order written; never empty.
    public let ranges: [Range]

    /// `nil` for an empty list: a sequence set has at least one element.
    public init?(_ ranges: [Range]) {
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    /// `1:*`: every message.
    public static let all = SequenceSet([Range(.number(1), .last)!])!

    /// Sorted, with overlapping and adjacent ranges merged (`3,1:2,5:*,7` becomes `1:3,5:*`).
    public func normalized() -> SequenceSet {
        let sorted = ranges.sorted { ($0.lower, $0.upper) < ($1.lower, $1.upper) }
        var merged: [Range] = []
        for range in sorted {
            if let last = merged.last, Self.touches(last.upper, range.lower) {
                merged[merged.count - 1] = Range(last.lower, max(last.upper, range.upper))!
            } else {
                merged.append(range)
            }
        }
        return SequenceSet(merged)!
    }

    /// Whether a range ending at `upper` and one starting at `lower >= its start` overlap or are adjacent.
    private static func touches(_ upper: Bound, _ lower: Bound) -> Bool {
        switch (upper, lower) {
        case (.last, _): true
        case (.number, .last): false
        case (.number(let u), .number(let l)): UInt64(l) <= UInt64(u) + 1
        }
    }

    /// The numbers of this set when `largest` is the largest number in use (`nil`: the mailbox is empty,
    /// and every range with a `*` end is left out, so `UID 1:*` on an empty mailbox is the empty set).
    public func resolved(largest: UInt32?) -> ResolvedSequenceSet {
        var closed: [ClosedRange<UInt32>] = []
        for range in ranges {
            if range.upper == .last {
                guard let largest else { continue }
                let a = range.lower.resolved(largest: largest)
                closed.append(min(a, largest)...max(a, largest))
            } else {
                closed.append(range.lower.resolved(largest: 0)...range.upper.resolved(largest: 0))
            }
        }
        return ResolvedSequenceSet(closed)
    }

    /// Whether `number` is in the set when `largest` is the largest number in use.
    public func contains(_ number: UInt32, largest: UInt32?) -> Bool {
        resolved(largest: largest).contains(number)
    }

    public var description: String {
        var buffer = ByteBuffer()
        buffer.writeSequenceSet(self)
        return String(buffer: buffer)
    }
}

/// A sequence set with `*` resolved: sorted, disjoint, non-adjacent closed ranges.
///
/// Iterating it is lazy, so `1:4294967295` costs no memory; how far a caller iterates is its own bound
/// (a session walks the mailbox's messages and asks `contains` rather than iterating a UID set).
public struct ResolvedSequenceSet: Hashable, Sendable, Sequence {
    /// The ranges, ascending, with gaps of at least one number between them.
    public let ranges: [ClosedRange<UInt32>]

    public init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, UInt64(range.lowerBound) <= UInt64(last.upperBound) + 1 {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// How many numbers the set holds.
    public var count: UInt64 { ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 } }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Binary search over the ranges.
    public func contains(_ number: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < number {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < ranges.count && ranges[low].contains(number)
    }

    public func makeIterator() -> FlattenSequence<[ClosedRange<UInt32>]>.Iterator {
        ranges.joined().makeIterator()
    }
}

extension IMAPParser {
    // sequence-set    = (seq-number / seq-range) ["," sequence-set]
    //
    // Iterative rather than recursive, with at most `limits.maxSequenceSetElements` elements.
    public mutating func parseSequenceSet() throws(IMAPParseError) -> SequenceSet {
        var ranges: [SequenceSet.Range] = []
        repeat {
            guard ranges.count < limits.maxSequenceSetElements else {
                throw IMAPParseError("Too many elements in a sequence set (limit \(limits.maxSequenceSetElements))")
            }
            ranges.append(try parseSequenceRange())
        } while skip(IMAPASCII.comma)
        return SequenceSet(ranges)!
    }

    // seq-range       = seq-number ":" seq-number
    //                     ; two seq-number values and all values between
    //                     ; these two regardless of order.
    mutating func parseSequenceRange() throws(IMAPParseError) -> SequenceSet.Range {
        let first = try parseSequenceBound()
        let second = skip(IMAPASCII.colon) ? try parseSequenceBound() : first
        return SequenceSet.Range(first, second)!
    }

    // seq-number      = nz-number / "*"
    mutating func parseSequenceBound() throws(IMAPParseError) -> SequenceSet.Bound {
        if skip(IMAPASCII.star) { return .last }
        guard peek().map(IMAPASCII.isDigit) == true else { throw IMAPParseError("Expected a sequence set") }
        return .number(try parseNZNumber())
    }
}

extension ByteBuffer {
    // sequence-set    = (seq-number / seq-range) ["," sequence-set]
    @discardableResult
    public mutating func writeSequenceSet(_ set: SequenceSet) -> Int {
        var written = 0
        for (i, range) in set.ranges.enumerated() {
            if i > 0 { written += writeString(",") }
            written += writeSequenceBound(range.lower)
            if range.upper != range.lower {
                written += writeString(":") + writeSequenceBound(range.upper)
            }
        }
        return written
    }

    private mutating func writeSequenceBound(_ bound: SequenceSet.Bound) -> Int {
        switch bound {
        case .number(let n): writeString(String(n))
        case .last: writeString("*")
        }
    }
}
