/// A first-in, first-out queue with O(1) `append` and amortised O(1) `popFirst`, for the
/// `BlockingWorkPool` job queue (swift-collections' `Deque` is not a dependency).
///
/// Why not an `Array` with `removeFirst()`: that shifts every remaining element, so draining a
/// long queue costs O(n²) while the pool's lock is held. Here a head index moves instead, and the
/// consumed prefix is dropped only once it is at least half of the storage, so each element is
/// moved at most once more on average.
///
/// `remove(firstWhere:)` (a cancelled job leaving the queue) is O(n) and leaves a hole that
/// `popFirst` skips; `count` counts only the elements still in the queue.
struct FIFOQueue<Element> {
    private var slots: [Element?] = []
    private var head = 0
    /// Elements in the queue (holes left by `remove(firstWhere:)` not included).
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        slots.append(element)
        count += 1
    }

    /// Removes and returns the oldest element, nil when the queue is empty.
    mutating func popFirst() -> Element? {
        while head < slots.count {
            let element = slots[head]
            slots[head] = nil
            head += 1
            if let element {
                count -= 1
                compactIfWorthwhile()
                return element
            }
        }
        compactIfWorthwhile()
        return nil
    }

    /// Removes and returns the oldest element matching `predicate`, nil when none does.
    mutating func remove(firstWhere predicate: (Element) -> Bool) -> Element? {
        for index in head..<slots.count {
            if let element = slots[index], predicate(element) {
                slots[index] = nil
                count -= 1
                compactIfWorthwhile()
                return element
            }
        }
        return nil
    }

    /// Drops the consumed prefix once it is at least half the storage (or everything, when empty).
    private mutating func compactIfWorthwhile() {
        if count == 0 {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32 && head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
    }
}
