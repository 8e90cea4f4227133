/// A rule relating several keys that each parse fine on their own.
///
/// Checked after the whole file is read, because the keys may appear in any order. Reported
/// against whichever involved key was set last, since that is usually the edit that broke it.
struct ConfigConstraint: Sendable {
    /// Qualified names of the keys the rule reads.
    let keys: [String]
    /// What must hold, phrased for the error message.
    let message: String
    /// True when `configuration` satisfies the rule.
    let holds: @Sendable (RoostConfiguration) -> Bool
}
