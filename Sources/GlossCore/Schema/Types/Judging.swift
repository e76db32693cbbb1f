/// One dimension of a rubric: an integer scale with described anchor points.
public struct RatingDimension: Sendable, Hashable {
    public var name: String
    public var label: String
    public var minimum: Int
    public var maximum: Int
    public var anchors: [Int: String]
}

/// A rubric of scales, for the task or for each of its candidates: `{scores: {dimension: n}, justification?}`.
public struct RatingField: Sendable, Hashable {
    public var dimensions: [RatingDimension]
    public var items: String?
    public var justifyBelow: Int?
    public var justifyAbove: Int?
    public var justificationMinimumLength: Int

    init(reading reader: inout SettingsReader) {
        var dimensions: [RatingDimension] = []
        let raw = reader.array("dimensions", required: true) ?? []
        if raw.isEmpty, reader.errors.isEmpty { reader.fail("dimensions", "must list at least one dimension") }
        for (index, element) in raw.enumerated() {
            guard let members = element.objectValue else {
                reader.fail("dimensions[\(index)]", "must be an object {name, label?, min, max, anchors?}")
                continue
            }
            var dimensionReader = SettingsReader(object: members, path: "\(reader.path).dimensions[\(index)]")
            let name = dimensionReader.string("name", required: true) ?? ""
            if !name.isEmpty, !LabelSchema.isValidFieldName(name) {
                dimensionReader.fail("name", "must start with a letter and hold only letters, digits and '_'")
            }
            if dimensions.contains(where: { $0.name == name }) { dimensionReader.fail("name", "'\(name)' is used twice") }
            let label = dimensionReader.string("label")
            let minimum = dimensionReader.integer("min", minimum: -1000, required: true) ?? 1
            let maximum = dimensionReader.integer("max", minimum: -1000, required: true) ?? 5
            if minimum >= maximum { dimensionReader.fail("max", "must be greater than min") }
            if maximum - minimum > 100 { dimensionReader.fail("max", "a scale has at most 101 points") }
            var anchors: [Int: String] = [:]
            for (point, text) in dimensionReader.object("anchors") ?? [:] {
                guard let number = Int(point), (minimum...max(minimum, maximum)).contains(number) else {
                    dimensionReader.fail("anchors.\(point)", "must be a point of the scale \(minimum)...\(maximum)")
                    continue
                }
                guard let description = text.stringValue else { dimensionReader.fail("anchors.\(point)", "must be a string"); continue }
                anchors[number] = description
            }
            dimensionReader.rejectUnknownKeys(what: "a dimension setting (expected name, label, min, max, anchors)")
            reader.errors.append(contentsOf: dimensionReader.errors)
            dimensions.append(RatingDimension(name: name, label: label ?? name, minimum: minimum, maximum: maximum, anchors: anchors))
        }
        self.dimensions = dimensions
        items = reader.dataKey("items", required: false)
        justifyBelow = reader.integer("justify_below", minimum: -1000)
        justifyAbove = reader.integer("justify_above", minimum: -1000)
        justificationMinimumLength = reader.integer("justification_min_length", minimum: 0) ?? 10
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "dimensions": .array(dimensions.map { dimension in
                .object([
                    "name": .string(dimension.name), "label": .string(dimension.label),
                    "min": .number(Double(dimension.minimum)), "max": .number(Double(dimension.maximum)),
                    "anchors": .object(Dictionary(uniqueKeysWithValues: dimension.anchors.map { (String($0.key), .string($0.value)) })),
                ])
            }),
            "justification_min_length": .number(Double(justificationMinimumLength)),
        ]
        if let items { object["items"] = .string(items) }
        if let justifyBelow { object["justify_below"] = .number(Double(justifyBelow)) }
        if let justifyAbove { object["justify_above"] = .number(Double(justifyAbove)) }
        return object
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        guard let items else { return validateEntry(value, path: path) }
        return perCandidate(value, path: path, items: items, context: context, shape: "{scores, justification?}") { entry, entryPath in
            validateEntry(entry, path: entryPath)
        }
    }

    func validateEntry(_ value: JSONValue, path: String) -> [FieldError] {
        guard let object = value.objectValue else {
            return [FieldError(field: path, message: "must be an object {scores, justification?}, got \(value.typeName)")]
        }
        var reader = SettingsReader(object: object, path: path)
        let scores = reader.object("scores", required: true) ?? [:]
        let justification = reader.string("justification")
        reader.rejectUnknownKeys(what: "a rating key (expected scores, justification)")
        var needsJustification: String?
        for key in scores.keys.sorted() where !dimensions.contains(where: { $0.name == key }) {
            reader.fail("scores.\(key)", "is not a dimension (dimensions: \(dimensions.map(\.name).joined(separator: ", ")))")
        }
        if reader.object["scores"]?.objectValue != nil {
            for dimension in dimensions {
                guard let score = scores[dimension.name], score != .null else {
                    reader.fail("scores.\(dimension.name)", "is required: rate \(dimension.label) from \(dimension.minimum) to \(dimension.maximum)")
                    continue
                }
                guard let number = score.intValue, (dimension.minimum...dimension.maximum).contains(number) else {
                    reader.fail("scores.\(dimension.name)", "must be a whole number from \(dimension.minimum) to \(dimension.maximum), got \(score.jsonText)")
                    continue
                }
                if let justifyBelow, number < justifyBelow { needsJustification = "a score below \(justifyBelow)" }
                if let justifyAbove, number > justifyAbove { needsJustification = "a score above \(justifyAbove)" }
            }
        }
        if let needsJustification {
            let length = justification?.trimmed.count ?? 0
            if length < max(1, justificationMinimumLength) {
                reader.fail("justification", "is required for \(needsJustification): at least \(max(1, justificationMinimumLength)) characters (has \(length))")
            }
        }
        return reader.errors
    }
}

/// Candidates in order, best first, as the rank of each candidate in the data's order: `[2, 1, 3]`.
public struct RankingField: Sendable, Hashable {
    public var items: String
    public var allowsTies: Bool

    init(reading reader: inout SettingsReader) {
        items = reader.dataKey("items") ?? ""
        allowsTies = reader.bool("ties") ?? false
    }

    var settings: [String: JSONValue] { ["items": .string(items), "ties": .bool(allowsTies)] }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        let candidates: [JSONValue]
        switch context.candidates(items, path: path) {
        case .success(let found): candidates = found
        case .failure(let error): return [error]
        }
        guard let ranks = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array with the rank of each candidate (1 is best), got \(value.typeName)")]
        }
        guard ranks.count == candidates.count else {
            return [FieldError(field: path, message: "must rank all \(candidates.count) candidates (has \(ranks.count) ranks)")]
        }
        var errors: [FieldError] = []
        var seen: [Int: Int] = [:]
        for (index, element) in ranks.enumerated() {
            guard let rank = element.intValue, (1...candidates.count).contains(rank) else {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "must be a rank from 1 to \(candidates.count), got \(element.jsonText)"))
                continue
            }
            if !allowsTies, let other = seen[rank] {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "rank \(rank) is also given to candidate \(Candidates.letter(other)) (this ranking allows no ties)"))
            }
            seen[rank] = seen[rank] ?? index
        }
        return errors
    }
}

/// One of two candidates, how strongly, and why: `{winner: "a"|"b"|"tie", strength?, reason?}`.
public struct PairwiseField: Sendable, Hashable {
    public var items: String
    public var allowsTies: Bool
    public var hasStrength: Bool
    public var reason: Requirement
    public var reasonMinimumLength: Int

    init(reading reader: inout SettingsReader) {
        items = reader.dataKey("items") ?? ""
        allowsTies = reader.bool("ties") ?? true
        hasStrength = reader.bool("strength") ?? true
        reason = Requirement(rawValue: reader.word("reason", allowed: ["required", "optional", "none"], default: "required"))!
        reasonMinimumLength = reader.integer("reason_min_length", minimum: 0) ?? 10
    }

    var settings: [String: JSONValue] {
        ["items": .string(items), "ties": .bool(allowsTies), "strength": .bool(hasStrength), "reason": .string(reason.rawValue),
         "reason_min_length": .number(Double(reasonMinimumLength))]
    }

    var judgement: Judgement {
        Judgement(winners: allowsTies ? ["a", "b", "tie"] : ["a", "b"], hasStrength: hasStrength, reason: reason, reasonMinimumLength: reasonMinimumLength)
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        switch context.candidates(items, path: path) {
        case .success(let candidates) where candidates.count != 2:
            return [FieldError(field: path, message: "compares two candidates, but data.\(items) holds \(candidates.count)")]
        case .failure(let error): return [error]
        default: break
        }
        guard let object = value.objectValue else {
            return [FieldError(field: path, message: "must be an object {winner, strength?, reason?}, got \(value.typeName)")]
        }
        var reader = SettingsReader(object: object, path: path)
        let winner = reader.string("winner", required: true)
        let strength = reader.value("strength", required: false)
        let reasonText = reader.string("reason")
        reader.rejectUnknownKeys(what: "a pairwise key (expected winner, strength, reason)")
        judgement.check(winner: winner, strength: strength, reason: reasonText, reader: &reader)
        return reader.errors
    }
}

/// Which of two is better, how much, and why: the rules a pairwise field and each turn of a chat share.
struct Judgement {
    var winners: [String]
    var hasStrength: Bool
    var reason: Requirement
    var reasonMinimumLength: Int

    /// Strengths: 1 slightly better, 2 better, 3 much better.
    static let strengths = 1...3

    func check(winner: String?, strength: JSONValue?, reason reasonText: String?, reader: inout SettingsReader) {
        if let winner, !winners.contains(winner) {
            reader.fail("winner", "must be \(winners.map { "'\($0)'" }.joined(separator: ", "))")
        }
        if let winner, winners.contains(winner) {
            if winner == "tie" || !hasStrength {
                if strength != nil { reader.fail("strength", winner == "tie" ? "is not given for a tie" : "is not asked for in this field") }
            } else if let strength {
                if strength.intValue.map(Self.strengths.contains) != true {
                    reader.fail("strength", "must be 1 (slightly better), 2 (better) or 3 (much better)")
                }
            } else {
                reader.fail("strength", "is required: 1 (slightly better), 2 (better) or 3 (much better)")
            }
        }
        let length = reasonText?.trimmed.count ?? 0
        switch reason {
        case .required where length < max(1, reasonMinimumLength):
            reader.fail("reason", "is required: at least \(max(1, reasonMinimumLength)) characters (has \(length))")
        case .none where reasonText != nil:
            reader.fail("reason", "is not asked for in this field")
        default: break
        }
    }
}

/// A checklist: the flags that apply, for the task or for each candidate.
public struct FlagsField: Sendable, Hashable {
    public var flags: [ChoiceOption]
    public var items: String?

    init(reading reader: inout SettingsReader) {
        flags = reader.options("flags", required: true)
        items = reader.dataKey("items", required: false)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["flags": .array(flags.map { .object($0.json) })]
        if let items { object["items"] = .string(items) }
        return object
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        guard let items else { return validateList(value, path: path) }
        return perCandidate(value, path: path, items: items, context: context, shape: "[flag, ...]") { entry, entryPath in
            validateList(entry, path: entryPath)
        }
    }

    func validateList(_ value: JSONValue, path: String) -> [FieldError] {
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of flags (empty when none applies), got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let flag = element.stringValue, flags.contains(where: { $0.value == flag }) else {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "\(element.jsonText) is not a flag (flags: \(flags.map(\.value).joined(separator: ", ")))"))
                continue
            }
            if !seen.insert(flag).inserted { errors.append(FieldError(field: "\(path)[\(index)]", message: "'\(flag)' is listed twice")) }
        }
        return errors
    }
}

/// Candidates: the responses a task asks to compare, at a data key.
public enum Candidates {
    /// "A", "B", ... "Z", "AA": how candidates are named to workers and in errors.
    public static func letter(_ index: Int) -> String {
        var number = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + number % 26))) + name
            number = number / 26 - 1
        } while number >= 0
        return name
    }

    /// The text of a candidate: a string, or an object's `text` or `content`.
    public static func text(_ candidate: JSONValue) -> String? {
        if let string = candidate.stringValue { return string }
        guard let object = candidate.objectValue else { return nil }
        return object["text"]?.stringValue ?? object["content"]?.stringValue
    }
}

/// Validates a per-candidate value: an array with one entry per candidate at `items`.
func perCandidate(_ value: JSONValue, path: String, items: String, context: AnnotationContext, shape: String,
                  entry: (JSONValue, String) -> [FieldError]) -> [FieldError] {
    let candidates: [JSONValue]
    switch context.candidates(items, path: path) {
    case .success(let found): candidates = found
    case .failure(let error): return [error]
    }
    guard let array = value.arrayValue else {
        return [FieldError(field: path, message: "must be an array with one \(shape) per candidate, got \(value.typeName)")]
    }
    guard array.count == candidates.count else {
        return [FieldError(field: path, message: "must have one entry per candidate: \(candidates.count), has \(array.count)")]
    }
    return array.enumerated().flatMap { index, element in entry(element, "\(path)[\(index)]") }
}

extension String {
    public var trimmed: Substring {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
