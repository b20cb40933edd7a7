import Foundation
import Model
import Testing

/// The tokenizer of the real model against llama.cpp's ids for the corpus texts.
@Suite("Tokenizer: SmolLM2 against llama.cpp")
struct TokenizerReferenceTests {
    /// Built once: the vocabulary has 49 152 tokens and 48 900 merges.
    static let tokenizer: Result<Tokenizer, Error> = Result {
        try Tokenizer(gguf: GGUFFile(path: try TestFiles.requireExisting(TestFiles.modelPath)))
    }

    private var tokenizer: Tokenizer { get throws { try Self.tokenizer.get() } }

    @Test(arguments: ["kjv_60k.txt", "licenses.txt"])
    func idsMatchLlamaCpp(file: String) throws {
        let reference = try #require(try ReferenceTokenIDs.load().texts.first { $0.file == file })
        let text = try TestFiles.text(file)
        try #require(text.utf8.count == reference.bytes, "\(file) is not the reference text: run scripts/build-corpora.sh")
        let tokenizer = try tokenizer
        let start = Date()
        let ids = tokenizer.encode(text)
        print("TokenizerReferenceTests: \(file): \(text.utf8.count) bytes → \(ids.count) tokens in \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        #expect(ids.count == reference.tokenIDs.count)
        if let mismatch = zip(ids, reference.tokenIDs).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            let at = mismatch.offset
            let context = reference.tokenIDs[max(0, at - 5) ..< min(reference.tokenIDs.count, at + 5)]
            Issue.record("\(file): first different id at token \(at): \(ids[at]) (\(tokenizer.tokens[Int(ids[at])])) instead of \(mismatch.element.1) (\(tokenizer.tokens[Int(mismatch.element.1)])), around \(tokenizer.decode(Array(context)).debugDescription)")
        }
        #expect(tokenizer.decode(ids) == text)
    }

    @Test(arguments: [
        "", "a", "Hello world", "  leading and trailing  ", "tabs\tand\n\nnewlines\n\n\n", "CRLF line\r\nnext\r\n",
        "digits 2024, 3.14159 and 1,000,000 after spaces:  42", "x1y22z333", "It's, they're, we've, I'll, he'd, I'm",
        "Ünïcödé: naïve café, Ελληνικά, русский, 日本語のテキスト, عربى", "emoji 🙂👍🏽 🇫🇷 family 👨‍👩‍👧", "٣ Arabic-Indic digit, Ⅻ roman, ½ fraction",
        "non-breaking\u{00A0}space and\u{2003}em space", "<|im_start|>user\nnot special<|im_end|>", "\u{0}\u{1}\u{7F} controls",
        String(repeating: "!?", count: 3000), String(repeating: " ", count: 500) + "x",
    ])
    func decodeInvertsEncode(text: String) throws {
        let tokenizer = try tokenizer
        let ids = tokenizer.encode(text)
        #expect(tokenizer.decode(ids) == text)
        #expect(ids.flatMap { tokenizer.decodeBytes([$0]) } == Array(text.utf8))  // token by token
        #expect(tokenizer.decode(tokenizer.encode(text, parseSpecial: true)) == text)
    }

    @Test(arguments: ["code_argparse.txt", "calib_exodus.txt"])
    func decodeInvertsEncodeOnTheOtherCorpora(file: String) throws {
        let tokenizer = try tokenizer, text = try TestFiles.text(file)
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
    }

    /// smollm splits every digit off, so whitespace before a number stays its own word.
    @Test func digitsAreSingleTokensAndSpacesBeforeThemStandAlone() throws {
        let tokenizer = try tokenizer
        let pieces = tokenizer.encode("in 2024 AD").map { tokenizer.decode([$0]) }
        #expect(pieces == ["in", " ", "2", "0", "2", "4", " AD"])
    }

    @Test func controlTokensAreParsedOnlyWhenAsked() throws {
        let tokenizer = try tokenizer
        let start = try #require(tokenizer.tokens.firstIndex(of: "<|im_start|>"))
        let end = try #require(tokenizer.tokens.firstIndex(of: "<|im_end|>"))
        #expect(tokenizer.tokenTypes[start] == .control)
        let text = "<|im_start|>user\nHi<|im_end|>"
        let parsed = tokenizer.encode(text, parseSpecial: true)
        #expect(parsed.first == Int32(start) && parsed.last == Int32(end))
        #expect(parsed.count == 2 + tokenizer.encode("user\nHi").count)
        let plain = tokenizer.encode(text)
        #expect(!plain.contains(Int32(start)) && !plain.contains(Int32(end)))
    }

    @Test func beginningOfSequence() throws {
        let tokenizer = try tokenizer
        let bos = try #require(tokenizer.bosTokenID)
        #expect(tokenizer.encode("Hi", addBOS: true) == [bos] + tokenizer.encode("Hi"))
        #expect(tokenizer.eosTokenID != nil)
    }
}
