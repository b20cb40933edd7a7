/// Applies BPE merges to one word, the way llama.cpp does: repeatedly merge the adjacent pair
/// with the lowest merge rank, the leftmost one on ties. Symbols are ids: vocabulary ids, or
/// ids past the vocabulary for intermediate texts that are not tokens themselves. A heap keeps
/// long words (a page of punctuation) at O(n log n).
struct BPEMerger {
    /// What merging a pair produces.
    struct Rule {
        /// Position in `tokenizer.ggml.merges`: lower merges first.
        let rank: Int32
        /// The merged symbol.
        let result: Int32
    }

    private struct Candidate {
        let rank: Int32
        let left: Int32
        let right: Int32
        let leftSymbol: Int32
        let rightSymbol: Int32

        func precedes(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    private var symbols: [Int32] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var heap: [Candidate] = []

    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Merges `word` (initial symbols) under `rules` and appends the final symbols to `output`.
    mutating func merge(_ word: ArraySlice<Int32>, rules: [UInt64: Rule], into output: inout [Int32]) {
        let n = word.count
        if n == 1 {
            output.append(word[word.startIndex])
            return
        }
        symbols.removeAll(keepingCapacity: true)
        symbols.append(contentsOf: word)
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        for i in 0 ..< n {
            previous.append(Int32(i - 1))
            next.append(i + 1 < n ? Int32(i + 1) : -1)
        }
        heap.removeAll(keepingCapacity: true)
        for i in 0 ..< n - 1 { push(Int32(i), Int32(i + 1), rules) }

        while let candidate = pop() {
            let l = Int(candidate.left), r = Int(candidate.right)
            // Stale when either side has merged since: merged-away symbols are -1 and a
            // symbol that grew has a different id.
            guard symbols[l] == candidate.leftSymbol, symbols[r] == candidate.rightSymbol else { continue }
            symbols[l] = rules[Self.key(candidate.leftSymbol, candidate.rightSymbol)]!.result
            symbols[r] = -1
            next[l] = next[r]
            if next[r] >= 0 { previous[Int(next[r])] = Int32(l) }
            if previous[l] >= 0 { push(previous[l], Int32(l), rules) }
            if next[l] >= 0 { push(Int32(l), next[l], rules) }
        }
        var i: Int32 = 0
        while i >= 0 {
            output.append(symbols[Int(i)])
            i = next[Int(i)]
        }
    }

    private mutating func push(_ left: Int32, _ right: Int32, _ rules: [UInt64: Rule]) {
        let a = symbols[Int(left)], b = symbols[Int(right)]
        guard let rule = rules[Self.key(a, b)] else { return }
        heap.append(Candidate(rank: rule.rank, left: left, right: right, leftSymbol: a, rightSymbol: b))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Candidate? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, heap[left].precedes(heap[best]) { best = left }
            if right < heap.count, heap[right].precedes(heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
