import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Checks that `work` takes time linear in the size of its input, for adversarial-input tests.
///
/// Runs `work` on an input of `size` and one `factor` times larger and compares the times: linear
/// work gives a ratio near `factor`, quadratic work near `factor²`. The bound sits between the two,
/// far from both (default: 8× input, bound 30, against 8 for linear and 64 for quadratic). The
/// times are the CPU time of the calling thread, on which `work` runs (it is synchronous), so a
/// preempted run is not counted as slow while other processes have the cores. Cache and frequency
/// effects of a busy machine remain, so the comparison is retried: it fails only when three
/// attempts in a row all exceed the bound. Sizes must make the small run take a few milliseconds
/// at least, or fixed costs hide a quadratic term.
func expectLinearTime<Input>(
    _ label: String, size: Int, factor: Int = 8, maxRatio: Double = 30,
    sourceLocation: SourceLocation = #_sourceLocation,
    input makeInput: (Int) -> Input, work: (Input) -> Void
) {
    let small = makeInput(size)
    let large = makeInput(size * factor)
    var ratios: [Double] = []
    for _ in 0..<3 {
        let smallTime = threadCPUSeconds { work(small) }
        let largeTime = threadCPUSeconds { work(large) }
        let ratio = largeTime / max(smallTime, 1e-4)
        if ratio < maxRatio { return }
        ratios.append(ratio)
    }
    Issue.record("\(label): \(factor)× the input took \(ratios) times the CPU time (bound \(maxRatio))",
                 sourceLocation: sourceLocation)
}

/// The CPU time, in seconds, the calling thread spent in `body`.
private func threadCPUSeconds(_ body: () -> Void) -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = now()
    body()
    return now() - start
}
