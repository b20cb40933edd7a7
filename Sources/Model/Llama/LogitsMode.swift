/// Which rows of logits a forward call computes. The output head is the largest product of a
/// small model (49152 × 576 for SmolLM2), so callers ask only for what they score.
public enum LogitsMode: Sendable {
    /// Every token of the chunk: `[t × vocabularySize]` (perplexity, scoring a continuation).
    case all
    /// Only the chunk's last token: `[1 × vocabularySize]` (generation).
    case last
    /// None: `[0 × vocabularySize]` (filling a cache with a prefix).
    case none
}
