import Testing

/// Checks that `work` takes time linear in the size of its input, for adversarial-input tests.
///
/// Runs `work` on an input of `size` and one `factor` times larger and compares the times: linear
/// work gives a ratio near `factor`, quadratic work near `factor²`. The bound sits between the two,
/// far from both (default: 8× input, bound 30, against 8 for linear and 64 for quadratic). A load
/// spike on a shared CI machine can only slow a run down, so the comparison is retried: it fails
/// only when three attempts in a row all exceed the bound. Sizes must make the small run take a
/// few milliseconds at least, or fixed costs hide a quadratic term.
func expectLinearTime<Input>(
    _ label: String, size: Int, factor: Int = 8, maxRatio: Double = 30,
    sourceLocation: SourceLocation = #_sourceLocation,
    input makeInput: (Int) -> Input, work: (Input) -> Void
) {
    let small = makeInput(size)
    let large = makeInput(size * factor)
    let clock = ContinuousClock()
    var ratios: [Double] = []
    for _ in 0..<3 {
        let smallTime = clock.measure { work(small) }
        let largeTime = clock.measure { work(large) }
        let ratio = seconds(largeTime) / max(seconds(smallTime), 1e-4)
        if ratio < maxRatio { return }
        ratios.append(ratio)
    }
    Issue.record("\(label): \(factor)× the input took \(ratios) times as long (bound \(maxRatio))",
                 sourceLocation: sourceLocation)
}

private func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}
