import Foundation

/// Whether a field asks for something: always, when the worker wishes, or never.
public enum Requirement: String, Sendable, Hashable {
    case required, optional, none
}

/// The worker edits a response of the task into the ideal one. Stored as `{text, diff}`.
public struct RewriteField: Sendable, Hashable {
    public var source: String
    public var minimumLength: Int?
    public var maximumLength: Int?
    public var requiresChange: Bool

    init(reading reader: inout SettingsReader) {
        source = reader.dataKey("source") ?? ""
        minimumLength = reader.integer("min_length", minimum: 0)
        maximumLength = reader.integer("max_length", minimum: 1)
        requiresChange = reader.bool("require_change") ?? true
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["source": .string(source), "require_change": .bool(requiresChange)]
        if let minimumLength { object["min_length"] = .number(Double(minimumLength)) }
        if let maximumLength { object["max_length"] = .number(Double(maximumLength)) }
        return object
    }

    /// The rewritten text of a value: a string or `{text, diff?}`.
    static func text(of value: JSONValue) -> String? {
        value.stringValue ?? value.objectValue?["text"]?.stringValue
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        let original: String
        switch context.text(source, path: path) {
        case .success(let text): original = text
        case .failure(let error): return [error]
        }
        if let object = value.objectValue {
            for key in object.keys.sorted() where key != "text" && key != "diff" {
                return [FieldError(field: "\(path).\(key)", message: "is not a rewrite key (expected text)")]
            }
        }
        guard let text = Self.text(of: value) else {
            return [FieldError(field: path, message: "must be the rewritten text (a string), got \(value.typeName)")]
        }
        let length = text.count
        if text.trimmed.isEmpty { return [FieldError(field: path, message: "is required: write the rewritten response")] }
        if let problem = lengthProblem(length, minimum: minimumLength, maximum: maximumLength) {
            return [FieldError(field: path, message: problem)]
        }
        if requiresChange, text.trimmed == original.trimmed {
            return [FieldError(field: path, message: "is the same as the original: rewrite it")]
        }
        return []
    }

    func stored(_ value: JSONValue, data: [String: JSONValue]) -> JSONValue {
        guard let text = Self.text(of: value) else { return value }
        return .object(["text": .string(text), "diff": WordDiff.json(from: data[source]?.stringValue ?? "", to: text)])
    }
}

/// The worker writes a new prompt (and perhaps its ideal answer) under stated constraints.
public struct PromptField: Sendable, Hashable {
    public var minimumLength: Int?
    public var maximumLength: Int?
    public var tags: [ChoiceOption]
    public var minimumTags: Int
    public var answer: Requirement
    public var answerMinimumLength: Int?

    init(reading reader: inout SettingsReader) {
        minimumLength = reader.integer("min_length", minimum: 0)
        maximumLength = reader.integer("max_length", minimum: 1)
        tags = (reader.object["tags"] ?? .null) == .null ? [] : reader.options("tags", required: true)
        reader.readKeys.insert("tags")
        minimumTags = reader.integer("min_tags", minimum: 0) ?? (tags.isEmpty ? 0 : 1)
        if minimumTags > tags.count { reader.fail("min_tags", "is more than the \(tags.count) tags listed") }
        answer = Requirement(rawValue: reader.word("answer", allowed: ["required", "optional", "none"], default: "optional"))!
        answerMinimumLength = reader.integer("answer_min_length", minimum: 0)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["tags": .array(tags.map { .object($0.json) }), "min_tags": .number(Double(minimumTags)),
                                           "answer": .string(answer.rawValue)]
        if let minimumLength { object["min_length"] = .number(Double(minimumLength)) }
        if let maximumLength { object["max_length"] = .number(Double(maximumLength)) }
        if let answerMinimumLength { object["answer_min_length"] = .number(Double(answerMinimumLength)) }
        return object
    }

    func validate(_ value: JSONValue, path: String) -> [FieldError] {
        guard let object = value.objectValue else {
            return [FieldError(field: path, message: "must be an object {prompt, answer?, tags?}, got \(value.typeName)")]
        }
        var reader = SettingsReader(object: object, path: path)
        let prompt = reader.string("prompt", required: true)
        let answerText = reader.string("answer")
        let chosen = reader.array("tags") ?? []
        reader.rejectUnknownKeys(what: "a prompt key (expected prompt, answer, tags)")
        if let prompt {
            let length = prompt.trimmed.count
            if let problem = lengthProblem(length, minimum: minimumLength, maximum: maximumLength) { reader.fail("prompt", problem) }
        }
        let answerLength = answerText?.trimmed.count ?? 0
        switch answer {
        case .required where answerLength == 0: reader.fail("answer", "is required: write the ideal answer")
        case .none where answerText != nil: reader.fail("answer", "is not asked for in this field")
        default:
            if let answerMinimumLength, answerLength > 0 || answer == .required, answerLength < answerMinimumLength {
                reader.fail("answer", lengthProblem(answerLength, minimum: answerMinimumLength, maximum: nil)!)
            }
        }
        var seen: Set<String> = []
        for (index, element) in chosen.enumerated() {
            guard let tag = element.stringValue, tags.contains(where: { $0.value == tag }) else {
                reader.fail("tags[\(index)]", "\(element.jsonText) is not a tag (tags: \(tags.map(\.value).joined(separator: ", ")))")
                continue
            }
            if !seen.insert(tag).inserted { reader.fail("tags[\(index)]", "'\(tag)' is listed twice") }
        }
        if seen.count < minimumTags { reader.fail("tags", "pick at least \(minimumTags) topic tag\(minimumTags == 1 ? "" : "s")") }
        return reader.errors
    }
}

/// A term of a project's glossary: how a source term must be translated.
public struct GlossaryTerm: Sendable, Hashable {
    public var source: String
    public var target: String
    public var note: String?
}

/// Translate or localize a source text of the task into the target language.
public struct TranslationField: Sendable, Hashable {
    public var source: String
    public var sourceLanguage: String
    public var targetLanguage: String
    public var glossary: [GlossaryTerm]
    public var enforcesGlossary: Bool
    public var minimumLength: Int?
    public var maximumLength: Int?

    init(reading reader: inout SettingsReader) {
        source = reader.dataKey("source") ?? ""
        sourceLanguage = reader.string("source_language", required: true) ?? ""
        targetLanguage = reader.string("target_language", required: true) ?? ""
        for (key, tag) in [("source_language", sourceLanguage), ("target_language", targetLanguage)] where !tag.isEmpty && !Self.isLanguageTag(tag) {
            reader.fail(key, "'\(tag)' is not a language tag (BCP 47, such as en, es or pt-BR)")
        }
        var glossary: [GlossaryTerm] = []
        for (index, raw) in (reader.array("glossary") ?? []).enumerated() {
            guard let members = raw.objectValue else { reader.fail("glossary[\(index)]", "must be an object {source, target, note?}"); continue }
            var termReader = SettingsReader(object: members, path: "\(reader.path).glossary[\(index)]")
            let source = termReader.string("source", required: true)
            let target = termReader.string("target", required: true)
            let note = termReader.string("note")
            termReader.rejectUnknownKeys(what: "a glossary key (expected source, target, note)")
            reader.errors.append(contentsOf: termReader.errors)
            if let source, let target { glossary.append(GlossaryTerm(source: source, target: target, note: note)) }
        }
        self.glossary = glossary
        enforcesGlossary = reader.bool("enforce_glossary") ?? true
        minimumLength = reader.integer("min_length", minimum: 0)
        maximumLength = reader.integer("max_length", minimum: 1)
    }

    /// A BCP 47 tag in the usual shapes: a 2-3 letter language, then subtags of 2-8 letters or digits.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { part in (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "source": .string(source), "source_language": .string(sourceLanguage), "target_language": .string(targetLanguage),
            "enforce_glossary": .bool(enforcesGlossary),
            "glossary": .array(glossary.map { term in
                var member: [String: JSONValue] = ["source": .string(term.source), "target": .string(term.target)]
                if let note = term.note { member["note"] = .string(note) }
                return .object(member)
            }),
        ]
        if let minimumLength { object["min_length"] = .number(Double(minimumLength)) }
        if let maximumLength { object["max_length"] = .number(Double(maximumLength)) }
        return object
    }

    /// The glossary terms found in a source text, as whole words, ignoring case.
    public func terms(in text: String) -> [GlossaryTerm] {
        glossary.filter { Self.containsWord($0.source, in: text) }
    }

    static func containsWord(_ word: String, in text: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: word, options: [.caseInsensitive], range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let isWordCharacter = { (character: Character?) in character.map { $0.isLetter || $0.isNumber } ?? false }
            if !isWordCharacter(before), !isWordCharacter(after) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        let original: String
        switch context.text(source, path: path) {
        case .success(let text): original = text
        case .failure(let error): return [error]
        }
        guard let translation = value.stringValue else {
            return [FieldError(field: path, message: "must be the translation (a string), got \(value.typeName)")]
        }
        let length = translation.count
        if translation.trimmed.isEmpty { return isRequired ? [FieldError(field: path, message: "is required: write the translation")] : [] }
        if let problem = lengthProblem(length, minimum: minimumLength, maximum: maximumLength) {
            return [FieldError(field: path, message: problem)]
        }
        guard enforcesGlossary else { return [] }
        let missing = terms(in: original).filter { translation.range(of: $0.target, options: [.caseInsensitive]) == nil }
        return missing.map { FieldError(field: path, message: "translates the glossary term '\($0.source)' without '\($0.target)'") }
    }
}
