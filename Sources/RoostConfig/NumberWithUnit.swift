/// Splits `50M`, `10 mins` or `512` into a non-negative integer and a unit word.
///
/// Sizes and durations share this lexing so both accept the same number syntax: ASCII digits
/// only (no sign, no fraction, no digit grouping), then optional spaces or tabs, then an
/// optional ASCII-letter unit. Rejecting fractions keeps values exact; `1.5G` is written `1536M`.
struct NumberWithUnit: Sendable, Equatable {
    /// The numeric part.
    var number: Int
    /// The unit exactly as written (case preserved), empty when absent.
    var unit: String

    /// Parses `text`; throws `InvalidValue` for malformed text and for numbers beyond `Int.max`.
    init(parsing text: String) throws(InvalidValue) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var value = 0
        while index < scalars.count, let digit = Self.digitValue(scalars[index]) {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { throw InvalidValue("number too large") }
            value = sum
            index += 1
        }
        if index == 0 { throw InvalidValue() }
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        let unitStart = index
        while index < scalars.count, Self.isASCIILetter(scalars[index]) { index += 1 }
        if index != scalars.count { throw InvalidValue() }
        self.number = value
        self.unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
    }

    /// Multiplies by a unit factor, reporting overflow as a value error instead of trapping.
    func scaled(by factor: Int) throws(InvalidValue) -> Int {
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        if overflow { throw InvalidValue("too large") }
        return product
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
        return Int(scalar.value - 0x30)
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x41 && scalar.value <= 0x5A) || (scalar.value >= 0x61 && scalar.value <= 0x7A)
    }
}
