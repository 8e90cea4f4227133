/// Comparison of secrets whose running time does not depend on where the inputs first differ.
///
/// An early-exit `==` lets an attacker who can time many attempts learn a stored digest byte by
/// byte. Only the length can leak here: digests of one scheme all have the same length anyway.
public enum ConstantTime {
    /// True when both byte sequences are equal; the loop always runs over the whole of `lhs`.
    public static func equals<A: Collection<UInt8>, B: Collection<UInt8>>(_ lhs: A, _ rhs: B) -> Bool {
        let left = Array(lhs)
        let right = Array(rhs)
        var difference: UInt8 = left.count == right.count ? 0 : 1
        // Compare against `right` wrapped around so the work done depends only on `left.count`.
        if right.isEmpty {
            for byte in left { difference |= byte | 1 }
            return difference == 0
        }
        for index in left.indices {
            difference |= left[index] ^ right[index % right.count]
        }
        return difference == 0
    }

    /// String form of `equals`, comparing the UTF-8 bytes.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
