import NIOCore

extension ByteBuffer {
    /// `number` (RFC 3501: `1*DIGIT`) in ASCII, written digit by digit: a FETCH response carries a
    /// few numbers for every message, and `String(value)` would build a string for each.
    @discardableResult
    public mutating func writeNumber(_ value: some UnsignedInteger & FixedWidthInteger) -> Int {
        var value = UInt64(value)
        // UInt64.max has 20 digits.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            return writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[start...]))
        }
    }
}
