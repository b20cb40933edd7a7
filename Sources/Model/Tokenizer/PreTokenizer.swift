/// Splits text into the words that BPE merges within, exactly as llama.cpp does for the
/// byte-level pre-tokenizers it knows by `tokenizer.ggml.pre`:
///
/// - `smollm` (and the others llama.cpp treats alike: `starcoder`, `refact`, `command-r`,
///   `codeshell`, `exaone`, `minerva`): first every `\p{N}` code point becomes a word of its own,
///   then the GPT-2 pattern splits each remaining stretch;
/// - `gpt2` (and `mpt`, `olmo`, `jais`, `trillion`): the GPT-2 pattern alone.
///
/// The GPT-2 pattern `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// is scanned by hand over code points, with llama.cpp's semantics: a stretch's end counts as
/// "not followed by non-space", so whitespace before a digit stays its own word.
struct PreTokenizer: Sendable {
    /// Whether digits are split off one by one before the GPT-2 pattern applies.
    let splitsDigits: Bool

    static let digitSplitting: Set<String> = ["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva"]
    static let plainGPT2: Set<String> = ["gpt2", "mpt", "olmo", "jais", "trillion"]

    /// The pre-tokenizer llama.cpp uses for `name`, or `nil` if it is not a GPT-2-style one.
    init?(name: String) {
        if Self.digitSplitting.contains(name) {
            splitsDigits = true
        } else if Self.plainGPT2.contains(name) {
            splitsDigits = false
        } else {
            return nil
        }
    }

    /// Calls `word` with the start and end index (in `scalars`) of each word, in order.
    func split(_ scalars: [Unicode.Scalar], word: (Int, Int) -> Void) {
        guard splitsDigits else {
            Self.gpt2(scalars, from: 0, to: scalars.count, word: word)
            return
        }
        var start = 0
        for i in 0 ..< scalars.count where CharacterClass(scalars[i]) == .number {
            Self.gpt2(scalars, from: start, to: i, word: word)
            word(i, i + 1)
            start = i + 1
        }
        Self.gpt2(scalars, from: start, to: scalars.count, word: word)
    }

    /// The GPT-2 pattern over `scalars[from..<to]`; nothing outside the stretch is looked at.
    private static func gpt2(_ s: [Unicode.Scalar], from: Int, to end: Int, word: (Int, Int) -> Void) {
        func cls(_ i: Int) -> CharacterClass { i < end ? CharacterClass(s[i]) : .outside }
        func value(_ i: Int) -> UInt32 { i < end ? s[i].value : 0xFFFF_FFFF }
        var pos = from
        while pos < end {
            let c = s[pos].value
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == 0x27, pos + 1 < end {
                let n = value(pos + 1)
                if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 {  // s t m d
                    word(pos, pos + 2); pos += 2; continue
                }
                let nn = value(pos + 2)
                if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) {  // re ve ll
                    word(pos, pos + 3); pos += 3; continue
                }
            }
            let space = c == 0x20
            let lead = space ? cls(pos + 1) : cls(pos)
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space, then a run of one class
            if lead == .letter || lead == .number || lead == .other {
                var i = pos + (space ? 1 : 0)
                while cls(i) == lead { i += 1 }
                word(pos, i); pos = i; continue
            }
            var spaces = 0
            while cls(pos + spaces) == .whitespace { spaces += 1 }
            if spaces > 1, pos + spaces < end {
                // `\s+(?!\S)`: leave the last whitespace to prefix the next word
                word(pos, pos + spaces - 1); pos += spaces - 1; continue
            }
            let length = max(spaces, 1)  // `\s+`, or a lone code point nothing matched
            word(pos, pos + length); pos += length
        }
    }
}

/// The code point classes the GPT-2 pattern distinguishes (Unicode general categories L* and
/// N*, and the White_Space property).
enum CharacterClass: UInt8 {
    case letter, number, whitespace, other, outside

    private static let ascii: [CharacterClass] = (0 ..< 128).map { classify(Unicode.Scalar(UInt8($0))) }

    init(_ scalar: Unicode.Scalar) {
        self = scalar.value < 128 ? Self.ascii[Int(scalar.value)] : Self.classify(scalar)
    }

    private static func classify(_ scalar: Unicode.Scalar) -> CharacterClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }
}
