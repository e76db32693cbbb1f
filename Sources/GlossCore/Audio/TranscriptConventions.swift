import Foundation

/// A project's rules for writing transcripts, and the words WER compares under them.
///
/// - Non-speech events are tags in square brackets: `[inaudible]`, `[laughter]`.
/// - Hesitations are words with a leading `%`: `%uh`, `%um`.
/// - A false start (a word cut off) ends with `-`: `thi- this`.
///
/// Tags and hesitations are compared without regard to case (`[Noise]` is the tag `noise`).
public struct TranscriptConventions: Sendable, Hashable {
    /// The allowed non-speech tags, written in square brackets in the text (`"inaudible"` is written `[inaudible]`).
    public var tags: [String]
    /// The allowed hesitation words, written with a leading `%` in the text (`"uh"` is written `%uh`).
    public var hesitations: [String]
    /// Whether a cut-off word written with a trailing `-` (`thi- this`) is allowed.
    public var falseStarts: Bool

    /// Conventions with the given tags, hesitations and false-start rule.
    public init(
        tags: [String] = ["inaudible", "noise", "laughter", "music", "crosstalk"],
        hesitations: [String] = ["uh", "um", "er", "ah", "hmm"], falseStarts: Bool = true
    ) {
        self.tags = tags
        self.hesitations = hesitations
        self.falseStarts = falseStarts
    }

    /// A human message for each violation of the conventions in `text`, in the order they occur
    /// (a violation repeated word for word is reported once). Empty when the text follows them.
    ///
    /// Messages: `'[cough]' is not a tag of this project (tags: [inaudible], [noise])`,
    /// `'%hm' is not a hesitation of this project (hesitations: %uh, %um)`,
    /// `'thi-' is a false start, which this project does not allow`, `an unclosed '['`,
    /// `a ']' without a '['`.
    public func problems(in text: String) -> [String] {
        let scan = Scan(text)
        var messages: [String] = []
        func report(_ message: String) {
            if !messages.contains(message) { messages.append(message) }
        }
        let allowedTags = Set(tags.map { $0.lowercased() })
        let allowedHesitations = Set(hesitations.map { $0.lowercased() })
        for item in scan.items {
            switch item {
            case .unclosedBracket:
                report("an unclosed '['")
            case .strayClosingBracket:
                report("a ']' without a '['")
            case .tag(let name):
                let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
                if !allowedTags.contains(trimmed) {
                    let list =
                        tags.isEmpty ? "this project has no tags" : "tags: " + tags.map { "[\($0)]" }.joined(separator: ", ")
                    report("'[\(name)]' is not a tag of this project (\(list))")
                }
            case .word(let token):
                switch Self.kind(of: token) {
                case .hesitation(let written, let name):
                    if !allowedHesitations.contains(name.lowercased()) {
                        let list =
                            hesitations.isEmpty
                            ? "this project has no hesitations"
                            : "hesitations: " + hesitations.map { "%\($0)" }.joined(separator: ", ")
                        report("'\(written)' is not a hesitation of this project (\(list))")
                    }
                case .falseStart(let written):
                    if !falseStarts { report("'\(written)' is a false start, which this project does not allow") }
                case .speech:
                    break
                }
            }
        }
        return messages
    }

    /// The words WER compares: bracketed tags, `%` hesitations and false starts (`thi-`) removed,
    /// whether or not this project allows them, then ``WordErrorRate/words(_:)`` normalisation.
    /// The text after an unclosed `[` is kept as speech.
    public func words(_ text: String) -> [String] {
        var kept: [String] = []
        for item in Scan(text).items {
            guard case .word(let token) = item, case .speech = Self.kind(of: token) else { continue }
            kept.append(token)
        }
        return WordErrorRate.words(kept.joined(separator: " "))
    }

    enum Kind {
        case speech
        case hesitation(written: String, name: String)
        case falseStart(written: String)
    }

    /// What a whitespace-separated token outside brackets is. Surrounding punctuation such as
    /// quotes, commas and parentheses is not part of the hesitation or false start.
    static func kind(of token: String) -> Kind {
        let isEdge: (Character) -> Bool = { character in
            WordErrorRate.isPunctuation(character) && character != "%" && character != "-"
        }
        var core = Substring(token)
        while let first = core.first, isEdge(first) { core = core.dropFirst() }
        while let last = core.last, isEdge(last) { core = core.dropLast() }
        if core.first == "%" {
            var name = core.dropFirst()
            while let last = name.last, WordErrorRate.isPunctuation(last) { name = name.dropLast() }
            return .hesitation(written: String(core), name: String(name))
        }
        if core.last == "-", let beforeDash = core.dropLast().last, WordErrorRate.isWordCharacter(beforeDash) {
            return .falseStart(written: String(core))
        }
        return .speech
    }

    /// The text cut into bracketed tags and the whitespace-separated tokens between them.
    struct Scan {
        enum Item {
            case tag(String)
            case word(String)
            case unclosedBracket
            case strayClosingBracket
        }

        var items: [Item] = []

        init(_ text: String) {
            var token = ""
            var tag: String? = nil
            func endToken() {
                if !token.isEmpty { items.append(.word(token)) }
                token = ""
            }
            for character in text {
                if var open = tag {
                    if character == "]" {
                        items.append(.tag(open))
                        tag = nil
                    } else if character == "[" {
                        items.append(.unclosedBracket)
                        for word in open.split(whereSeparator: { $0.isWhitespace }) { items.append(.word(String(word))) }
                        tag = ""
                    } else {
                        open.append(character)
                        tag = open
                    }
                } else if character == "[" {
                    endToken()
                    tag = ""
                } else if character == "]" {
                    endToken()
                    items.append(.strayClosingBracket)
                } else if character.isWhitespace {
                    endToken()
                } else {
                    token.append(character)
                }
            }
            endToken()
            if let open = tag {
                items.append(.unclosedBracket)
                for word in open.split(whereSeparator: { $0.isWhitespace }) { items.append(.word(String(word))) }
            }
        }
    }
}
