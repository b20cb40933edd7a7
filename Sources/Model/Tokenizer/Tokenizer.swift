/// Byte-level BPE tokenizer built from a GGUF file's `tokenizer.ggml.*` metadata, producing the
/// same ids as llama.cpp: special tokens are cut out first, the rest is split into words by
/// the pre-tokenizer `tokenizer.ggml.pre` names, and each word's bytes are merged by rank.
public final class Tokenizer: @unchecked Sendable {
    /// How llama.cpp treats a token (`tokenizer.ggml.token_type`).
    public enum TokenType: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// Token texts by id, as stored (byte-level spelling for normal tokens).
    public let tokens: [String]
    /// Type of each token.
    public let tokenTypes: [TokenType]
    /// Beginning-of-sequence token, if the vocabulary names one.
    public let bosTokenID: Int32?
    /// End-of-sequence token, if the vocabulary names one.
    public let eosTokenID: Int32?

    private let preTokenizer: PreTokenizer
    private let rules: [UInt64: BPEMerger.Rule]
    /// Initial symbol of each byte value (a vocabulary id, or a non-token symbol id).
    private let byteSymbols: [Int32]
    /// For symbol ids past the vocabulary: the tokens llama.cpp emits instead (one per byte of
    /// the symbol's text that is itself a token).
    private let fallbackTokens: [[Int32]]
    /// The bytes each token stands for when decoding.
    private let tokenBytes: [[UInt8]]
    /// Special tokens matched in raw text, longest first: (token, its UTF-8, matched even when
    /// special parsing is off).
    private let specialTokens: [(id: Int32, text: [UInt8], always: Bool)]

    /// Builds the tokenizer from the vocabulary in `gguf`; throws a `GGUFError` if the file has
    /// no byte-level BPE vocabulary, names a pre-tokenizer other than the GPT-2 family, or its
    /// vocabulary is inconsistent.
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else {
            throw GGUFError(path: gguf.path, "tokenizer model '\(model)' is not supported (only byte-level BPE, 'gpt2')")
        }
        let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
        let types = gguf.metadata["tokenizer.ggml.token_type"] == nil
            ? [Int](repeating: TokenType.normal.rawValue, count: tokens.count)
            : try gguf.intArray("tokenizer.ggml.token_type")
        func optionalID(_ key: String) throws -> Int? { gguf.metadata[key] == nil ? nil : try gguf.int(key) }
        try self.init(
            tokens: tokens, merges: try gguf.stringArray("tokenizer.ggml.merges"), tokenTypes: types,
            bos: try optionalID("tokenizer.ggml.bos_token_id"), eos: try optionalID("tokenizer.ggml.eos_token_id"),
            preTokenizer: try gguf.string("tokenizer.ggml.pre", default: "default"), source: gguf.path
        )
    }

    /// Builds the tokenizer from its parts. `merges` are `"left right"` pairs in rank order;
    /// `tokenTypes` holds llama.cpp's type codes; `source` names the origin in error messages.
    public init(
        tokens: [String], merges: [String], tokenTypes: [Int], bos: Int?, eos: Int?,
        preTokenizer name: String, source: String
    ) throws {
        func fail(_ reason: String) -> GGUFError { GGUFError(path: source, reason) }
        guard let preTokenizer = PreTokenizer(name: name) else {
            throw fail("pre-tokenizer '\(name)' is not supported (supported: \((PreTokenizer.digitSplitting.union(PreTokenizer.plainGPT2)).sorted().joined(separator: ", ")))")
        }
        guard !tokens.isEmpty, tokens.count < Int(Int32.max) / 2 else { throw fail("vocabulary has \(tokens.count) tokens") }
        guard tokenTypes.count == tokens.count else {
            throw fail("vocabulary has \(tokens.count) tokens but \(tokenTypes.count) token types")
        }
        for (key, id) in [("bos", bos), ("eos", eos)] {
            if let id, !tokens.indices.contains(id) { throw fail("\(key) token id \(id) is outside the vocabulary of \(tokens.count)") }
        }
        let types = tokenTypes.map { TokenType(rawValue: $0) ?? .normal }
        self.tokens = tokens
        self.tokenTypes = types
        self.preTokenizer = preTokenizer
        bosTokenID = bos.map(Int32.init)
        eosTokenID = eos.map(Int32.init)

        // Symbols: every token text, then texts that merges or bytes produce but that are not
        // tokens. Like llama.cpp, a text listed twice maps to its last id.
        var symbolIDs: [String: Int32] = [:]
        symbolIDs.reserveCapacity(tokens.count)
        for (id, text) in tokens.enumerated() { symbolIDs[text] = Int32(id) }
        var extraSymbols: [String] = []
        func symbol(_ text: String) -> Int32 {
            if let id = symbolIDs[text] { return id }
            let id = Int32(tokens.count + extraSymbols.count)
            symbolIDs[text] = id
            extraSymbols.append(text)
            return id
        }
        byteSymbols = ByteEncoding.scalarForByte.map { symbol(String($0)) }

        var rules: [UInt64: BPEMerger.Rule] = [:]
        rules.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            // Split at the first space after the first character (llama.cpp: find(' ', 1)).
            let utf8 = Array(merge.utf8)
            guard let space = utf8.dropFirst().firstIndex(of: 0x20) else { throw fail("merge #\(rank) '\(merge)' is not two texts separated by a space") }
            let left = String(decoding: utf8[..<space], as: UTF8.self)
            let right = String(decoding: utf8[(space + 1)...], as: UTF8.self)
            let key = BPEMerger.key(symbol(left), symbol(right))
            if rules[key] == nil {  // the first listing of a pair wins
                rules[key] = BPEMerger.Rule(rank: Int32(rank), result: symbol(left + right))
            }
        }
        self.rules = rules
        fallbackTokens = extraSymbols.map { text in
            text.utf8.compactMap { byte in symbolIDs[String(decoding: [byte], as: UTF8.self)].flatMap { $0 < tokens.count ? $0 : nil } }
        }

        tokenBytes = zip(tokens, types).map { text, type in
            type == .control || type == .userDefined ? Array(text.utf8) : ByteEncoding.decode(text)
        }
        specialTokens = types.indices
            .filter { [.control, .userDefined, .unknown].contains(types[$0]) && !tokens[$0].isEmpty }
            .map { (Int32($0), Array(tokens[$0].utf8), types[$0] == .userDefined) }
            .sorted { $0.text.count != $1.text.count ? $0.text.count > $1.text.count : $0.id < $1.id }
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// The token ids of `text`. With `parseSpecial`, the texts of control tokens (such as
    /// `<|im_start|>`) become those tokens; otherwise they are tokenised as ordinary text.
    /// `addBOS` prepends the beginning-of-sequence token when the vocabulary has one.
    public func encode(_ text: String, parseSpecial: Bool = false, addBOS: Bool = false) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 1)
        if addBOS, let bosTokenID { output.append(bosTokenID) }
        let bytes = Array(text.utf8)
        var merger = BPEMerger()
        var word: [Int32] = []
        for fragment in SpecialTokenSplitter.split(bytes, specials: specialTokens, parseSpecial: parseSpecial) {
            switch fragment {
            case let .special(id):
                output.append(id)
            case let .text(range):
                let scalars = Array(String(decoding: bytes[range], as: UTF8.self).unicodeScalars)
                preTokenizer.split(scalars) { start, end in
                    word.removeAll(keepingCapacity: true)
                    for scalar in scalars[start ..< end] {
                        for byte in String(scalar).utf8 { word.append(byteSymbols[Int(byte)]) }
                    }
                    let first = output.count
                    merger.merge(word[...], rules: rules, into: &output)
                    replaceNonTokens(in: &output, from: first)
                }
            }
        }
        return output
    }

    /// Symbols that are not tokens become the tokens of their single bytes, as in llama.cpp.
    private func replaceNonTokens(in output: inout [Int32], from first: Int) {
        guard output[first...].contains(where: { $0 >= tokens.count }) else { return }
        let merged = output[first...]
        output.removeSubrange(first...)
        for id in merged {
            if id < tokens.count { output.append(id) } else { output += fallbackTokens[Int(id) - tokens.count] }
        }
    }

    /// The text of `ids`: byte-level tokens are turned back into their bytes, control and
    /// user-defined tokens are written as their text, ids outside the vocabulary as U+FFFD.
    /// Byte sequences that are not valid UTF-8 (a character split across a cut) become U+FFFD.
    public func decode(_ ids: [Int32]) -> String {
        String(decoding: decodeBytes(ids), as: UTF8.self)
    }

    /// The bytes `ids` stand for, as `decode` but without UTF-8 repair: lets a caller that
    /// prints tokens one at a time hold back a character split across tokens.
    public func decodeBytes(_ ids: [Int32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            if id >= 0, id < tokens.count {
                bytes += tokenBytes[Int(id)]
            } else {
                bytes += [0xEF, 0xBF, 0xBD]
            }
        }
        return bytes
    }
}
