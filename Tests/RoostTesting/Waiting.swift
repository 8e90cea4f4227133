/// How long tests wait for what a correct server does soon (a slot freed, a lock let go, a log line
/// written): generous, because the whole suite runs in parallel on a loaded two-core machine. A
/// passing wait ends as soon as its condition holds, so only a failing test pays for the length.
public let generousWait: Duration = .seconds(30)

/// Tries `attempt` every `interval` until it gives a value or `timeout` has passed, then once more;
/// nil if it never did. Bounded by time rather than by a count of tries, so that slow tries on a
/// loaded machine do not use up the wait.
public func firstValue<Value>(
    within timeout: Duration = generousWait, every interval: Duration = .milliseconds(20),
    _ attempt: () async throws -> Value?
) async rethrows -> Value? {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if let value = try await attempt() { return value }
        try? await Task.sleep(for: interval)
    }
    return try await attempt()
}

/// Checks `condition` every `interval` until it holds or `timeout` has passed (see `firstValue`).
public func eventually(
    within timeout: Duration = generousWait, every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    try await firstValue(within: timeout, every: interval) { try await condition() ? true : nil } ?? false
}
