import LinearAlgebra

/// Greedy decoding: the prompt in one forward call, then one token at a time, always the most
/// likely next token.
public enum GreedyDecoder {
    /// Appends up to `count` tokens to `prompt` (stopping after `stop`, if given) and returns them.
    /// `onToken` sees each new token as it is chosen (to print it while decoding).
    public static func generate(
        model: LlamaModel, prompt: [Int32], count: Int, stop: Int32? = nil, onToken: (Int32) -> Void = { _ in }
    ) throws -> [Int32] {
        guard !prompt.isEmpty else { throw ModelError("the prompt has no tokens") }
        guard count >= 0, prompt.count + count <= model.config.contextLength else {
            throw ModelError("\(prompt.count) prompt tokens and \(count) new ones exceed the context of \(model.config.contextLength)")
        }
        let cache = ExactCache(config: model.config, capacity: prompt.count + count)
        var generated: [Int32] = []
        generated.reserveCapacity(count)
        var next = try argmax(model.forward(tokens: prompt, startPosition: 0, cache: cache, logits: .last))
        var input: [Int32] = [0]
        while generated.count < count {
            generated.append(next)
            onToken(next)
            if next == stop || generated.count == count { break }
            input[0] = next
            next = try argmax(model.forward(tokens: input, startPosition: prompt.count + generated.count - 1,
                                            cache: cache, logits: .last))
        }
        return generated
    }

    /// Index of the largest entry of the last row of `logits` (the first one on ties).
    public static func argmax(_ logits: Matrix) -> Int32 {
        logits.storage.withUnsafeBufferPointer { all in
            let row = all.baseAddress! + (logits.rows - 1) * logits.cols
            var best = 0
            for i in 1 ..< logits.cols where row[i] > row[best] { best = i }
            return Int32(best)
        }
    }
}
