/// Cuts the texts of special tokens out of raw text before BPE, the way llama.cpp partitions
/// it: tokens are taken longest first, and each one is searched for in the pieces of raw text
/// that earlier (longer) tokens left.
enum SpecialTokenSplitter {
    enum Fragment: Equatable {
        /// Raw text: a byte range of the input.
        case text(Range<Int>)
        /// A special token found in the input.
        case special(Int32)
    }

    /// `bytes` as raw-text and special-token fragments, in order. Control tokens count only
    /// with `parseSpecial`; user-defined tokens (`always`) count in any case.
    static func split(
        _ bytes: [UInt8], specials: [(id: Int32, text: [UInt8], always: Bool)], parseSpecial: Bool
    ) -> [Fragment] {
        var fragments: [Fragment] = bytes.isEmpty ? [] : [.text(0 ..< bytes.count)]
        for special in specials where parseSpecial || special.always {
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count)
            for fragment in fragments {
                guard case let .text(range) = fragment else { next.append(fragment); continue }
                var start = range.lowerBound
                while let match = find(special.text, in: bytes, from: start, to: range.upperBound) {
                    if match > start { next.append(.text(start ..< match)) }
                    next.append(.special(special.id))
                    start = match + special.text.count
                }
                if start < range.upperBound { next.append(.text(start ..< range.upperBound)) }
            }
            fragments = next
        }
        return fragments
    }

    /// First index at or after `from` where `needle` occurs entirely before `to`.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, to end: Int) -> Int? {
        guard let first = needle.first, end - from >= needle.count else { return nil }
        var i = from
        while i <= end - needle.count {
            if bytes[i] == first, bytes[i ..< i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
