import Testing
@testable import RoostAuth

@Suite("FIFOQueue")
struct FIFOQueueTests {
    @Test func keepsOrderAcrossCompactions() {
        var queue = FIFOQueue<Int>()
        var expected = 0
        var next = 0
        // Interleave pushes and pops so the head index moves past the compaction threshold often.
        for round in 0..<2_000 {
            for _ in 0..<(round % 7 + 1) {
                queue.append(next)
                next += 1
            }
            for _ in 0..<(round % 5 + 1) {
                guard let value = queue.popFirst() else { break }
                #expect(value == expected)
                expected += 1
            }
        }
        while let value = queue.popFirst() {
            #expect(value == expected)
            expected += 1
        }
        #expect(expected == next)
        #expect(queue.isEmpty && queue.count == 0)
        #expect(queue.popFirst() == nil)
    }

    @Test func removingFromTheMiddleLeavesTheRestInOrder() {
        var queue = FIFOQueue<Int>()
        for value in 1...5 { queue.append(value) }
        #expect(queue.remove { $0 == 3 } == 3)
        #expect(queue.remove { $0 == 42 } == nil)
        #expect(queue.count == 4)
        #expect(queue.remove { $0 == 1 } == 1)
        var drained: [Int] = []
        while let value = queue.popFirst() { drained.append(value) }
        #expect(drained == [2, 4, 5])
        #expect(queue.isEmpty)
    }

    @Test func countIgnoresHoles() {
        var queue = FIFOQueue<String>()
        queue.append("a")
        queue.append("b")
        _ = queue.remove { $0 == "a" }
        #expect(queue.count == 1)
        #expect(queue.popFirst() == "b")
        #expect(queue.count == 0)
    }
}
