import Model
import Testing

/// BPE mechanics on tiny hand-made vocabularies, where the right answer is worked out by hand.
@Suite("Tokenizer: BPE mechanics")
struct TokenizerTests {
    /// A byte-level vocabulary of the letters a–d and space (spelt `Ġ`) plus `extra` tokens.
    private func make(extra: [String], merges: [String], types: [Int]? = nil, pre: String = "smollm") throws -> Tokenizer {
        let tokens = ["a", "b", "c", "d", "Ġ", "1", "2"] + extra
        return try Tokenizer(tokens: tokens, merges: merges, tokenTypes: types ?? tokens.map { _ in 1 },
                             bos: nil, eos: nil, preTokenizer: pre, source: "test")
    }

    private func texts(_ tokenizer: Tokenizer, _ text: String) -> [String] {
        tokenizer.encode(text).map { tokenizer.tokens[Int($0)] }
    }

    @Test func lowestRankMergesFirst() throws {
        let t = try make(extra: ["ab", "bc", "abc"], merges: ["b c", "a b", "a bc"])
        #expect(texts(t, "abc") == ["abc"])  // b+c (rank 0), then a+bc (rank 2)
        let u = try make(extra: ["ab", "bc", "abc"], merges: ["a b", "b c", "a bc"])
        #expect(texts(u, "abc") == ["ab", "c"])  // a+b first leaves no rule for ab+c
    }

    @Test func tiesGoToTheLeftmostPair() throws {
        let t = try make(extra: ["aa"], merges: ["a a"])
        #expect(texts(t, "aaa") == ["aa", "a"])
        #expect(texts(t, "aaaaa") == ["aa", "aa", "a"])
    }

    @Test func wordsNeverMergeAcrossPreTokenizerBoundaries() throws {
        let t = try make(extra: ["Ġa", "aĠ", "12"], merges: ["Ġ a", "a Ġ", "1 2"])
        #expect(texts(t, "a a") == ["a", "Ġa"])  // "a" and " a" are separate words
        #expect(texts(t, "12") == ["1", "2"])  // smollm: every digit is its own word
        let gpt2 = try make(extra: ["Ġa", "12"], merges: ["Ġ a", "1 2"], pre: "gpt2")
        #expect(texts(gpt2, "12") == ["12"])
    }

    /// A merge whose result is not a token still happens; llama.cpp then emits the tokens of
    /// the result's single bytes.
    @Test func mergeResultsOutsideTheVocabularyFallBackToBytes() throws {
        let t = try make(extra: ["abcd"], merges: ["a b", "c d", "ab cd"])
        #expect(texts(t, "abcd") == ["abcd"])  // through the non-tokens "ab" and "cd"
        #expect(texts(t, "abc") == ["a", "b", "c"])  // "ab" is not a token: its bytes a, b
    }

    @Test func userDefinedTokensAreAlwaysMatchedControlTokensOnRequest() throws {
        let t = try make(extra: ["<ctl>", "<usr>"], merges: [], types: [1, 1, 1, 1, 1, 1, 1, 3, 4])
        #expect(t.encode("a<usr>b") == [0, 8, 1])
        #expect(t.encode("a<ctl>b", parseSpecial: true) == [0, 7, 1])
        #expect(!t.encode("a<ctl>b").contains(7))
        #expect(t.decode([0, 7, 8]) == "a<ctl><usr>")
    }

    @Test func decodeMapsBytesBackAndMarksUnknownIds() throws {
        let t = try make(extra: [], merges: [])
        #expect(t.decode([0, 4, 1]) == "a b")
        #expect(t.decode([0, 99, -1]) == "a\u{FFFD}\u{FFFD}")
        #expect(t.decodeBytes([0, 4]) == [0x61, 0x20])
    }

    @Test func inconsistentVocabulariesAreRejected() throws {
        #expect(throws: GGUFError.self) { try make(extra: [], merges: [], pre: "llama3") }
        #expect(throws: GGUFError.self) { try make(extra: [], merges: [], types: [1]) }
        #expect(throws: GGUFError.self) { try make(extra: [], merges: ["ab"]) }
        #expect(throws: GGUFError.self) {
            try Tokenizer(tokens: ["a"], merges: [], tokenTypes: [1], bos: 5, eos: nil, preTokenizer: "gpt2", source: "test")
        }
    }
}
