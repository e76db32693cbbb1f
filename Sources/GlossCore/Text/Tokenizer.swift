/// The tokenizer of the CoNLL export, a documented rule rather than a language model: a token is a run of
/// letters, digits and combining marks, or any other single non-space character (punctuation, a symbol, an
/// emoji with its modifiers). A sentence ends after `.`, `!`, `?`, `…` or their full-width forms, and at a
/// line break. Offsets are code points.
public enum Tokenizer {
    public struct Token: Sendable, Hashable {
        public var text: String
        public var start: Int
        public var end: Int
    }

    static let sentenceEnds: Set<String> = [".", "!", "?", "…", "。", "！", "？"]

    /// Sentences of tokens.
    public static func sentences(_ text: String) -> [[Token]] {
        var sentences: [[Token]] = []
        var sentence: [Token] = []
        var word = ""
        var wordStart = 0
        var offset = 0
        func endWord() {
            if !word.isEmpty { sentence.append(Token(text: word, start: wordStart, end: offset)); word = "" }
        }
        func endSentence() {
            endWord()
            if !sentence.isEmpty { sentences.append(sentence); sentence = [] }
        }
        for character in text {
            let size = character.unicodeScalars.count
            if character.isNewline {
                endSentence()
            } else if character.isWhitespace {
                endWord()
            } else if isWordCharacter(character) {
                if word.isEmpty { wordStart = offset }
                word.append(character)
            } else {
                endWord()
                sentence.append(Token(text: String(character), start: offset, end: offset + size))
                if sentenceEnds.contains(String(character)) {
                    offset += size
                    endSentence()
                    continue
                }
            }
            offset += size
        }
        endSentence()
        return sentences
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        let properties = first.properties
        return properties.isAlphabetic || properties.numericType != nil || first == "_"
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }

    /// IOB2 tags for tokens from labeled spans: a token takes a span's tag when it shares a character with it
    /// (`B-` on the first such token, `I-` after). Where spans overlap, the earlier (then longer) one wins and
    /// the other is left out, since IOB2 cannot nest.
    public static func iob2(_ tokens: [Token], spans: [(start: Int, end: Int, label: String)]) -> [String] {
        var tags = [String](repeating: "O", count: tokens.count)
        let ordered = spans.sorted { ($0.start, -($0.end - $0.start)) < ($1.start, -($1.end - $1.start)) }
        for span in ordered {
            let covered = tokens.indices.filter { tokens[$0].start < span.end && span.start < tokens[$0].end }
            guard !covered.isEmpty, covered.allSatisfy({ tags[$0] == "O" }) else { continue }
            for (position, index) in covered.enumerated() {
                tags[index] = (position == 0 ? "B-" : "I-") + span.label
            }
        }
        return tags
    }
}
