import Foundation

/// One criterion of a written item's rubric: what a grader looks for and the points it is worth.
public struct RubricCriterion: Sendable, Hashable {
    /// Unique within the rubric, `^[a-z0-9_-]{1,40}$`.
    public var id: String
    /// What earns the points, in plain English (admin and grader only).
    public var description: String
    /// The most a grader may award for this criterion (positive).
    public var points: Double

    public init(id: String, description: String, points: Double) {
        self.id = id
        self.description = description
        self.points = points
    }
}

/// What an item asks for and how it is scored.
public enum AssessmentItemKind: Sendable, Hashable {
    /// Pick the right option(s); the answer is a string (single) or an array of strings (`multiple`), scored by
    /// exact set match (1 or 0).
    case multipleChoice(options: [String], correct: [String], multiple: Bool)
    /// A sample of the real work: the answer is a value of `schema` over `data`, scored against `gold` with the
    /// quality scorers (`LabelSchema.score(_:against:options:)`), 0...1.
    case annotation(schema: LabelSchema, data: JSONValue, gold: JSONValue, options: ScoringOptions)
    /// A free answer, graded by a human against the rubric; at most `maxWords` words when set.
    case written(rubric: [RubricCriterion], maxWords: Int?)

    /// The kind's name in JSON: `multiple_choice`, `annotation` or `written`.
    public var name: String {
        switch self {
        case .multipleChoice: "multiple_choice"
        case .annotation: "annotation"
        case .written: "written"
        }
    }

    /// Whether the item is scored by Gloss (multiple choice, annotation) rather than a grader.
    public var isAutoScored: Bool {
        if case .written = self { return false }
        return true
    }
}

/// One question of an assessment.
public struct AssessmentItem: Sendable, Hashable {
    /// Unique within the assessment, `^[a-z0-9_-]{1,40}$`.
    public var id: String
    /// The question, in Markdown.
    public var prompt: String
    /// The item's weight in the total (default 1).
    public var points: Double
    /// Why the right answer is right: shown after a practice answer only, never in a graded attempt.
    public var explanation: String?
    public var kind: AssessmentItemKind

    public init(id: String, prompt: String, points: Double = 1, explanation: String? = nil, kind: AssessmentItemKind) {
        self.id = id
        self.prompt = prompt
        self.points = points
        self.explanation = explanation
        self.kind = kind
    }

    /// The points a grader may award a written item (the sum of its rubric); nil for other kinds.
    public var rubricTotal: Double? {
        guard case .written(let rubric, _) = kind else { return nil }
        return rubric.reduce(0) { $0 + $1.points }
    }
}

/// When an attempt passes: a total score, optionally a floor on the auto-scored part, and a band below the
/// pass mark where an admin decides instead of the rule.
public struct PassRule: Sendable, Hashable {
    /// 0...1 over all points (auto and human).
    public var minimumScore: Double
    /// 0...1 over the auto-scored points; nil for no such floor.
    public var minimumAutoScore: Double?
    /// A total at most this far below `minimumScore` goes to an admin (`review`) instead of failing.
    public var reviewBand: Double

    public init(minimumScore: Double, minimumAutoScore: Double? = nil, reviewBand: Double = 0.05) {
        self.minimumScore = minimumScore
        self.minimumAutoScore = minimumAutoScore
        self.reviewBand = reviewBand
    }

    /// The rule's JSON form (`pass` of an assessment).
    public var json: JSONValue {
        var object: [String: JSONValue] = ["minimum_score": .number(minimumScore), "review_band": .number(reviewBand)]
        if let minimumAutoScore { object["minimum_auto_score"] = .number(minimumAutoScore) }
        return .object(object)
    }
}

/// An attempt's state under the pass rule.
public enum AssessmentVerdict: String, Sendable, Hashable, CaseIterable {
    /// The rule is met: grant what the assessment unlocks.
    case passed
    /// The rule is not met (and the total is not within the review band).
    case failed
    /// Written answers are still ungraded and the outcome could still go either way.
    case pending
    /// The total is within the review band below the pass mark: an admin decides.
    case review
}

/// The result of an attempt: the scores and the verdict with its reasons.
public struct AssessmentOutcome: Sendable, Hashable {
    /// 0...1 over the auto-scored items' points; nil when there are none.
    public var autoScore: Double?
    /// 0...1 over the written items' points; nil while any is ungraded, or when there are none.
    public var humanScore: Double?
    /// 0...1 over all points; nil while pending.
    public var score: Double?
    public var verdict: AssessmentVerdict
    /// Plain English, never revealing an answer ("Scored 62% overall; passing needs 70%.").
    public var reasons: [String]

    public init(autoScore: Double?, humanScore: Double?, score: Double?, verdict: AssessmentVerdict, reasons: [String]) {
        self.autoScore = autoScore
        self.humanScore = humanScore
        self.score = score
        self.verdict = verdict
        self.reasons = reasons
    }

    /// `{"auto_score", "human_score", "score", "verdict", "reasons"}` (scores null when unknown): safe for the applicant.
    public var json: JSONValue {
        .object([
            "auto_score": autoScore.map(JSONValue.number) ?? .null,
            "human_score": humanScore.map(JSONValue.number) ?? .null,
            "score": score.map(JSONValue.number) ?? .null,
            "verdict": .string(verdict.rawValue),
            "reasons": .array(reasons.map(JSONValue.string)),
        ])
    }
}

/// An assessment's content: its items (with gold answers and rubrics) and its pass rule. The time limit,
/// attempts and unlocked tracks live with the stored assessment, not here.
public struct AssessmentDefinition: Sendable, Hashable {
    /// 1...100 items, ids unique.
    public var items: [AssessmentItem]
    public var passRule: PassRule

    /// The most items an assessment holds.
    public static let maximumItems = 100
    /// The longest written answer in characters, whatever `max_words` says.
    public static let maximumAnswerCharacters = 20_000

    public init(items: [AssessmentItem], passRule: PassRule) {
        self.items = items
        self.passRule = passRule
    }

    /// The item with this id.
    public func item(_ id: String) -> AssessmentItem? {
        items.first { $0.id == id }
    }

    /// The ids of the written items (graded by a human), in order.
    public var writtenItemIDs: [String] {
        items.filter { !$0.kind.isAutoScored }.map(\.id)
    }

    /// Whether an id is well formed: `^[a-z0-9_-]{1,40}$`.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.count <= 40
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Words of a written answer: runs of characters between whitespace.
    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).count
    }

    // MARK: Scoring

    /// One auto-scored item's score for an answer, 0...1 (an unreadable answer is 0); nil for an unknown or
    /// written item.
    public func score(itemID: String, _ answer: JSONValue) -> Double? {
        guard let item = item(itemID) else { return nil }
        return Self.score(item, answer)
    }

    static func score(_ item: AssessmentItem, _ answer: JSONValue) -> Double? {
        switch item.kind {
        case .multipleChoice(_, let correct, let multiple):
            if multiple {
                guard let chosen = answer.arrayValue?.map(\.stringValue), chosen.allSatisfy({ $0 != nil }) else { return 0 }
                return Set(chosen.compactMap { $0 }) == Set(correct) && chosen.count == Set(chosen).count ? 1 : 0
            }
            guard let chosen = answer.stringValue ?? answer.arrayValue.flatMap({ $0.count == 1 ? $0[0].stringValue : nil }) else { return 0 }
            return correct == [chosen] ? 1 : 0
        case .annotation(let schema, _, let gold, let options):
            guard answer.objectValue != nil else { return 0 }
            let overall = schema.score(answer, against: gold, options: options).overall
            return overall.isFinite ? min(1, max(0, overall)) : 0
        case .written:
            return nil
        }
    }

    /// Scores every auto-scored item, 0...1 each (a missing or unreadable answer is 0), by item id. Written items
    /// are absent from the result. Multiply by the item's `points` for its weighted share.
    public func autoScores(answers: [String: JSONValue]) -> [String: Double] {
        var scores: [String: Double] = [:]
        for item in items {
            if let score = Self.score(item, answers[item.id] ?? .null) { scores[item.id] = score }
        }
        return scores
    }

    /// The outcome from the auto scores (0...1 per auto item, as `autoScores` gives; a missing one is 0) and the
    /// human grades (points awarded per written item, 0...its rubric total; a missing one is ungraded).
    ///
    /// Passed: total ≥ `minimumScore` and auto score ≥ `minimumAutoScore` (when set and there are auto items).
    /// Failed: the auto floor is missed, or the total is more than `reviewBand` below the pass mark. Review:
    /// the auto floor is met and the total lies within the band. While a written item is ungraded the verdict
    /// is `pending`, unless the rule is already decided: the auto floor is missed, or even full marks on the
    /// ungraded items could not bring the total into the review band (then `failed`; no grading is needed).
    public func outcome(autoScores: [String: Double], humanPoints: [String: Double]) -> AssessmentOutcome {
        let epsilon = 1e-9
        var autoTotal = 0.0, autoEarned = 0.0, humanTotal = 0.0, humanEarned = 0.0, ungradedTotal = 0.0
        var ungraded = 0
        for item in items {
            if item.kind.isAutoScored {
                autoTotal += item.points
                autoEarned += item.points * Self.clamp(autoScores[item.id] ?? 0)
            } else {
                humanTotal += item.points
                let rubric = item.rubricTotal ?? 0
                if let awarded = humanPoints[item.id] {
                    humanEarned += item.points * (rubric > 0 ? Self.clamp(awarded / rubric) : 0)
                } else {
                    ungraded += 1
                    ungradedTotal += item.points
                }
            }
        }
        let total = autoTotal + humanTotal
        let autoScore: Double? = autoTotal > 0 ? autoEarned / autoTotal : nil
        let humanScore: Double? = humanTotal > 0 && ungraded == 0 ? humanEarned / humanTotal : nil
        var reasons: [String] = []
        var autoFloorMissed = false
        if let floor = passRule.minimumAutoScore, let autoScore, autoScore + epsilon < floor {
            autoFloorMissed = true
            reasons.append("Scored \(Self.percent(autoScore, roundingDown: true)) on the automatically scored items; passing needs at least \(Self.percent(floor)).")
        }
        let minimum = passRule.minimumScore, bandFloor = passRule.minimumScore - passRule.reviewBand
        if ungraded > 0 {
            let best = total > 0 ? (autoEarned + humanEarned + ungradedTotal) / total : 1
            let answers = ungraded == 1 ? "1 written answer" : "\(ungraded) written answers"
            if autoFloorMissed {
                return AssessmentOutcome(autoScore: autoScore, humanScore: nil, score: nil, verdict: .failed, reasons: reasons)
            }
            if best + epsilon < bandFloor {
                reasons.append("Even full marks on the \(answers) still to grade would give \(Self.percent(best, roundingDown: true)) overall; passing needs \(Self.percent(minimum)).")
                return AssessmentOutcome(autoScore: autoScore, humanScore: nil, score: nil, verdict: .failed, reasons: reasons)
            }
            reasons.append("Waiting for a grader to grade \(answers).")
            return AssessmentOutcome(autoScore: autoScore, humanScore: nil, score: nil, verdict: .pending, reasons: reasons)
        }
        let score = total > 0 ? (autoEarned + humanEarned) / total : 0
        let verdict: AssessmentVerdict
        if score + epsilon >= minimum {
            if autoFloorMissed {
                verdict = .failed
            } else {
                verdict = .passed
                reasons.append("Scored \(Self.percent(score, roundingDown: true)) overall; passing needs \(Self.percent(minimum)).")
            }
        } else {
            reasons.append("Scored \(Self.percent(score, roundingDown: true)) overall; passing needs \(Self.percent(minimum)).")
            if !autoFloorMissed, passRule.reviewBand > 0, score + epsilon >= bandFloor {
                verdict = .review
                reasons.append("That is within \(Self.percent(passRule.reviewBand)) of the pass mark, so an admin decides.")
            } else {
                verdict = .failed
            }
        }
        return AssessmentOutcome(autoScore: autoScore, humanScore: humanScore, score: score, verdict: verdict, reasons: reasons)
    }

    static func clamp(_ value: Double) -> Double {
        value.isFinite ? min(1, max(0, value)) : 0
    }

    /// A fraction as a percentage with at most one decimal ("62%", "62.5%"); a score is rounded down so that a
    /// failing score never reads as the pass mark.
    static func percent(_ fraction: Double, roundingDown: Bool = false) -> String {
        let tenths = fraction * 1000
        let rounded = roundingDown ? (tenths + 1e-6).rounded(.down) : tenths.rounded()
        let whole = Int(rounded) / 10, tenth = Int(rounded) % 10
        return tenth == 0 ? "\(whole)%" : "\(whole).\(tenth)%"
    }

    // MARK: Answers

    /// Checks the shape of one answer (autosave and submit): an unknown item, a wrong type, an option that is
    /// not offered, an annotation value the item's schema refuses (checked against the item's data, with no
    /// taxonomies or media), a written answer over its word limit. Null (no answer) is fine. With `partial`
    /// (an autosave of unfinished work) an annotation may leave out fields. Nil when fine; the error's field
    /// is `answers.<itemID>…`, its message never reveals an answer.
    public func checkAnswer(itemID: String, _ answer: JSONValue, partial: Bool = false) -> FieldError? {
        let path = "answers.\(itemID)"
        guard let item = item(itemID) else {
            return FieldError(field: path, message: "is not an item of this assessment")
        }
        if answer == .null { return nil }
        switch item.kind {
        case .multipleChoice(let options, _, let multiple):
            if multiple {
                guard let chosen = answer.arrayValue else {
                    return FieldError(field: path, message: "must be an array of the chosen options, got \(answer.typeName)")
                }
                var seen: Set<String> = []
                for (index, element) in chosen.enumerated() {
                    guard let option = element.stringValue else {
                        return FieldError(field: "\(path)[\(index)]", message: "must be a string, got \(element.typeName)")
                    }
                    guard options.contains(option) else {
                        return FieldError(field: "\(path)[\(index)]", message: "is not one of the options")
                    }
                    guard seen.insert(option).inserted else {
                        return FieldError(field: "\(path)[\(index)]", message: "is chosen twice")
                    }
                }
                return nil
            }
            guard let option = answer.stringValue else {
                return FieldError(field: path, message: "must be one option (a string), got \(answer.typeName)")
            }
            return options.contains(option) ? nil : FieldError(field: path, message: "is not one of the options")
        case .annotation(let schema, let data, _, _):
            return schema.validate(answer, data: data.objectValue ?? [:], path: path, partial: partial).first
        case .written(_, let maxWords):
            guard let text = answer.stringValue else {
                return FieldError(field: path, message: "must be a text, got \(answer.typeName)")
            }
            if text.count > Self.maximumAnswerCharacters {
                return FieldError(field: path, message: "is too long: at most \(Self.maximumAnswerCharacters) characters")
            }
            if let maxWords {
                let words = Self.wordCount(text)
                if words > maxWords {
                    return FieldError(field: path, message: "has \(words) words; at most \(maxWords) are allowed")
                }
            }
            return nil
        }
    }

    // MARK: JSON

    /// Everything, gold answers, rubrics and explanations included (admin only): what `parse` reads.
    public var json: JSONValue {
        .object(["items": .array(items.map(Self.fullJSON)), "pass": passRule.json])
    }

    static func fullJSON(_ item: AssessmentItem) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(item.id), "prompt": .string(item.prompt), "points": .number(item.points), "kind": .string(item.kind.name),
        ]
        if let explanation = item.explanation { object["explanation"] = .string(explanation) }
        switch item.kind {
        case .multipleChoice(let options, let correct, let multiple):
            object["options"] = .array(options.map(JSONValue.string))
            object["correct"] = .array(correct.map(JSONValue.string))
            object["multiple"] = .bool(multiple)
        case .annotation(let schema, let data, let gold, let options):
            object["schema"] = schema.json
            object["data"] = data
            object["gold"] = gold
            object["scoring"] = .object([
                "iou_threshold": .number(options.iouThreshold),
                "rating_tolerance": .number(Double(options.ratingTolerance)),
                "short_text_words": .number(Double(options.shortTextWords)),
            ])
        case .written(let rubric, let maxWords):
            object["rubric"] = .array(rubric.map {
                .object(["id": .string($0.id), "description": .string($0.description), "points": .number($0.points)])
            })
            if let maxWords { object["max_words"] = .number(Double(maxWords)) }
        }
        return .object(object)
    }

    /// What an applicant may see, in order: `[{"id", "kind", "prompt", "points", "options"?, "multiple"?,
    /// "schema"?, "data"?, "max_words"?}]`. Never the correct options, gold answers, scoring settings, rubrics
    /// or explanations.
    public var publicItemsJSON: JSONValue {
        .array(items.map(Self.publicJSON))
    }

    /// One item as an applicant sees it (see `publicItemsJSON`).
    public static func publicJSON(_ item: AssessmentItem) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(item.id), "prompt": .string(item.prompt), "points": .number(item.points), "kind": .string(item.kind.name),
        ]
        switch item.kind {
        case .multipleChoice(let options, _, let multiple):
            object["options"] = .array(options.map(JSONValue.string))
            object["multiple"] = .bool(multiple)
        case .annotation(let schema, let data, _, _):
            object["schema"] = schema.json
            object["data"] = data
        case .written(_, let maxWords):
            if let maxWords { object["max_words"] = .number(Double(maxWords)) }
        }
        return .object(object)
    }

    /// After a practice answer (never in a graded attempt): `{"id", "score", "answer", "explanation"?}` where
    /// `answer` is the right answer (the correct option, or the options when `multiple`; an annotation's gold
    /// value) and `score` the answer's score (null for a written item, whose `answer` is null and which adds
    /// `"rubric": [{"id", "description", "points"}]` to grade oneself by). Nil for an unknown item.
    public func practiceFeedback(itemID: String, answer: JSONValue) -> JSONValue? {
        guard let item = item(itemID) else { return nil }
        var object: [String: JSONValue] = ["id": .string(item.id), "score": Self.score(item, answer).map(JSONValue.number) ?? .null]
        switch item.kind {
        case .multipleChoice(_, let correct, let multiple):
            object["answer"] = multiple ? .array(correct.map(JSONValue.string)) : .string(correct.first ?? "")
        case .annotation(_, _, let gold, _):
            object["answer"] = gold
        case .written(let rubric, _):
            object["answer"] = .null
            object["rubric"] = .array(rubric.map {
                .object(["id": .string($0.id), "description": .string($0.description), "points": .number($0.points)])
            })
        }
        if let explanation = item.explanation { object["explanation"] = .string(explanation) }
        return .object(object)
    }
}

// MARK: - Parsing

extension AssessmentDefinition {
    /// Reads `{"items": [...], "pass": {"minimum_score": 0.7, "minimum_auto_score": 0.6, "review_band": 0.05}}`.
    ///
    /// Items, each `{"id", "prompt", "points"? (default 1), "explanation"?, "kind", ...}`:
    /// - `"kind": "multiple_choice"`: `"options"` (2...26 distinct strings), `"correct"` (options; exactly one
    ///   unless `"multiple": true`);
    /// - `"kind": "annotation"`: `"schema"` (a label schema, no chat fields), `"data"` (the task's data, an
    ///   object), `"gold"` (a value the schema accepts for that data, giving at least one field), `"scoring"`?
    ///   (`iou_threshold` 0...1, `rating_tolerance` ≥ 0, `short_text_words` ≥ 0);
    /// - `"kind": "written"`: `"rubric"` (1...20 criteria `{"id", "description", "points"}`), `"max_words"`?.
    ///
    /// Every problem is reported at once with its path (`items[3].gold.sentiment`, `pass.minimum_score`);
    /// unknown members are errors.
    public static func parse(_ json: JSONValue) throws(ValidationFailure) -> AssessmentDefinition {
        guard let object = json.objectValue else {
            throw ValidationFailure([FieldError(field: "assessment", message: "must be an object with 'items' and 'pass'")])
        }
        var errors: [FieldError] = []
        for key in object.keys.sorted() where key != "items" && key != "pass" {
            errors.append(FieldError(field: key, message: "is not an assessment setting (expected 'items' and 'pass')"))
        }
        var items: [AssessmentItem] = []
        if let rawItems = object["items"]?.arrayValue {
            if rawItems.isEmpty { errors.append(FieldError(field: "items", message: "must hold at least one item")) }
            if rawItems.count > maximumItems {
                errors.append(FieldError(field: "items", message: "holds \(rawItems.count) items; at most \(maximumItems) are allowed"))
            }
            var ids: Set<String> = []
            for (index, raw) in rawItems.enumerated() {
                let path = "items[\(index)]"
                if let id = raw["id"]?.stringValue, !ids.insert(id).inserted {
                    errors.append(FieldError(field: "\(path).id", message: "'\(id)' is used by another item"))
                }
                do throws(ValidationFailure) {
                    items.append(try parseItem(raw, path: path))
                } catch {
                    errors.append(contentsOf: error.errors)
                }
            }
        } else {
            errors.append(FieldError(field: "items", message: "is required: an array of items"))
        }
        var passRule = PassRule(minimumScore: 0.7)
        if let rawPass = object["pass"], rawPass != .null {
            do throws(ValidationFailure) {
                passRule = try parsePassRule(rawPass)
            } catch {
                errors.append(contentsOf: error.errors)
            }
        } else {
            errors.append(FieldError(field: "pass", message: "is required: {\"minimum_score\": 0...1}"))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return AssessmentDefinition(items: items, passRule: passRule)
    }

    static func parsePassRule(_ json: JSONValue) throws(ValidationFailure) -> PassRule {
        guard let object = json.objectValue else {
            throw ValidationFailure([FieldError(field: "pass", message: "must be an object {\"minimum_score\", \"minimum_auto_score\"?, \"review_band\"?}")])
        }
        var reader = Reader(object: object, path: "pass")
        reader.allow(["minimum_score", "minimum_auto_score", "review_band"])
        let minimum = reader.fraction("minimum_score", required: true)
        let minimumAuto = reader.fraction("minimum_auto_score", required: false)
        let band = reader.number("review_band", in: 0...0.5, range: "0...0.5") ?? 0.05
        if let minimum, band > minimum { reader.fail("review_band", "must not exceed minimum_score") }
        guard reader.errors.isEmpty, let minimum else { throw ValidationFailure(reader.errors) }
        return PassRule(minimumScore: minimum, minimumAutoScore: minimumAuto, reviewBand: band)
    }

    static func parseItem(_ json: JSONValue, path: String) throws(ValidationFailure) -> AssessmentItem {
        guard let object = json.objectValue else {
            throw ValidationFailure([FieldError(field: path, message: "must be an object {\"id\", \"prompt\", \"kind\", ...}")])
        }
        var reader = Reader(object: object, path: path)
        let common = ["id", "prompt", "points", "explanation", "kind"]
        let id = reader.string("id", required: true, maximum: 40)
        if let id, !isValidID(id) { reader.fail("id", "must be 1 to 40 lower-case letters, digits, '_' or '-'") }
        let prompt = reader.string("prompt", required: true, maximum: 20_000)
        let points = reader.number("points", in: 0.001...1000, range: "more than 0, at most 1000") ?? 1
        let explanation = reader.string("explanation", required: false, maximum: 20_000)
        let kindName = reader.string("kind", required: true, maximum: 40)
        var kind: AssessmentItemKind?
        switch kindName {
        case "multiple_choice":
            reader.allow(common + ["options", "correct", "multiple"])
            kind = reader.multipleChoice()
        case "annotation":
            reader.allow(common + ["schema", "data", "gold", "scoring"])
            kind = reader.annotation()
        case "written":
            reader.allow(common + ["rubric", "max_words"])
            kind = reader.written()
        case nil:
            reader.allow(common)
        case let other?:
            reader.allow(common)
            reader.fail("kind", "'\(other)' is not an item kind (multiple_choice, annotation, written)")
        }
        guard reader.errors.isEmpty, let id, let prompt, let kind else { throw ValidationFailure(reader.errors) }
        return AssessmentItem(id: id, prompt: prompt, points: points, explanation: explanation, kind: kind)
    }
}

/// Reads the members of one JSON object, collecting errors with their paths.
private struct Reader {
    let object: [String: JSONValue]
    let path: String
    var errors: [FieldError] = []

    init(object: [String: JSONValue], path: String) {
        self.object = object
        self.path = path
    }

    mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: "\(path).\(key)", message: message))
    }

    /// Reports every member not in `keys`.
    mutating func allow(_ keys: [String]) {
        let known = Set(keys)
        for key in object.keys.sorted() where !known.contains(key) {
            fail(key, "is not a setting here (expected \(keys.joined(separator: ", ")))")
        }
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    mutating func string(_ key: String, required: Bool, maximum: Int) -> String? {
        guard let value = value(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let string = value.stringValue else { fail(key, "must be a string, got \(value.typeName)"); return nil }
        if string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail(key, "must not be empty"); return nil }
        if string.count > maximum { fail(key, "is too long: at most \(maximum) characters"); return nil }
        return string
    }

    mutating func number(_ key: String, in range: ClosedRange<Double>, range text: String) -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.numberValue, number.isFinite else { fail(key, "must be a number, got \(value.typeName)"); return nil }
        guard range.contains(number) else { fail(key, "must be \(text), got \(JSONValue.format(number: number))"); return nil }
        return number
    }

    mutating func fraction(_ key: String, required: Bool) -> Double? {
        if required, value(key) == nil { fail(key, "is required: a number from 0 to 1"); return nil }
        return number(key, in: 0...1, range: "from 0 to 1")
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard let integer = value.intValue else { fail(key, "must be a whole number, got \(value.typeName == "number" ? "a fraction" : value.typeName)"); return nil }
        guard range.contains(integer) else { fail(key, "must be from \(range.lowerBound) to \(range.upperBound), got \(integer)"); return nil }
        return integer
    }

    mutating func strings(_ key: String) -> [String]? {
        guard let value = value(key) else { fail(key, "is required"); return nil }
        guard let array = value.arrayValue else { fail(key, "must be an array of strings, got \(value.typeName)"); return nil }
        var result: [String] = []
        var ok = true
        for (index, element) in array.enumerated() {
            guard let string = element.stringValue, !string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                fail("\(key)[\(index)]", "must be a non-empty string")
                ok = false
                continue
            }
            if result.contains(string) {
                fail("\(key)[\(index)]", "is listed twice")
                ok = false
            }
            result.append(string)
        }
        return ok ? result : nil
    }

    mutating func multipleChoice() -> AssessmentItemKind? {
        let before = errors.count
        let options = strings("options")
        if let options, !(2...26).contains(options.count) { fail("options", "must list 2 to 26 options, got \(options.count)") }
        var multiple = false
        if let raw = value("multiple") {
            if let flag = raw.boolValue { multiple = flag } else { fail("multiple", "must be true or false, got \(raw.typeName)") }
        }
        var correct = strings("correct")
        if let list = correct {
            if list.isEmpty { fail("correct", "must name at least one option"); correct = nil }
            if !multiple, list.count > 1 { fail("correct", "must name exactly one option unless 'multiple' is true"); correct = nil }
            if let options {
                for (index, option) in list.enumerated() where !options.contains(option) {
                    fail("correct[\(index)]", "is not one of the options")
                    correct = nil
                }
            }
        }
        guard let options, let correct, errors.count == before else { return nil }
        return .multipleChoice(options: options, correct: correct, multiple: multiple)
    }

    mutating func annotation() -> AssessmentItemKind? {
        let before = errors.count
        var schema: LabelSchema?
        if let raw = value("schema") {
            do throws(ValidationFailure) {
                schema = try LabelSchema.parse(raw, prefix: "\(path).schema")
            } catch {
                errors += error.errors
            }
        } else {
            fail("schema", "is required: {\"fields\": [...]}")
        }
        if let schema {
            for (index, field) in schema.fields.enumerated() {
                if case .chat = field.kind { fail("schema.fields[\(index)]", "a chat field cannot be an assessment item (it is not scored)") }
                if case .taxonomy = field.kind { fail("schema.fields[\(index)]", "a taxonomy field cannot be an assessment item (an assessment has no taxonomies)") }
            }
        }
        var data: [String: JSONValue] = [:]
        if let raw = value("data") {
            if let object = raw.objectValue { data = object } else { fail("data", "must be an object (the task's data), got \(raw.typeName)") }
        }
        var options = ScoringOptions()
        if let raw = value("scoring") {
            if let object = raw.objectValue {
                var reader = Reader(object: object, path: "\(path).scoring")
                reader.allow(["iou_threshold", "rating_tolerance", "short_text_words"])
                if let iou = reader.number("iou_threshold", in: 0.01...1, range: "more than 0, at most 1") { options.iouThreshold = iou }
                if let tolerance = reader.integer("rating_tolerance", in: 0...100) { options.ratingTolerance = tolerance }
                if let words = reader.integer("short_text_words", in: 0...1000) { options.shortTextWords = words }
                errors += reader.errors
            } else {
                fail("scoring", "must be an object {\"iou_threshold\"?, \"rating_tolerance\"?, \"short_text_words\"?}, got \(raw.typeName)")
            }
        }
        let gold = value("gold")
        if gold == nil { fail("gold", "is required: the right answer, a value of the schema") }
        guard let schema, let gold, errors.count == before else { return nil }
        let dataErrors = schema.checkData(data)
        if !dataErrors.isEmpty {
            errors += dataErrors.map { FieldError(field: "\(path).\($0.field)", message: $0.message) }
            return nil
        }
        let goldErrors = schema.validate(gold, data: data, path: "\(path).gold")
        if !goldErrors.isEmpty {
            errors += goldErrors
            return nil
        }
        if schema.score(.object([:]), against: gold, options: options).fields.isEmpty {
            fail("gold", "must give the right value of at least one field")
            return nil
        }
        if schema.score(gold, against: gold, options: options).overall < 1 - 1e-9 {
            fail("gold", "does not score 1 against itself")
            return nil
        }
        return .annotation(schema: schema, data: .object(data), gold: gold, options: options)
    }

    mutating func written() -> AssessmentItemKind? {
        let before = errors.count
        let maxWords = integer("max_words", in: 1...5000)
        guard let raw = value("rubric") else { fail("rubric", "is required: [{\"id\", \"description\", \"points\"}]"); return nil }
        guard let array = raw.arrayValue else { fail("rubric", "must be an array of criteria, got \(raw.typeName)"); return nil }
        if !(1...20).contains(array.count) { fail("rubric", "must hold 1 to 20 criteria, got \(array.count)") }
        var rubric: [RubricCriterion] = []
        var ids: Set<String> = []
        for (index, element) in array.enumerated() {
            let criterionPath = "\(path).rubric[\(index)]"
            guard let object = element.objectValue else {
                errors.append(FieldError(field: criterionPath, message: "must be an object {\"id\", \"description\", \"points\"}"))
                continue
            }
            var reader = Reader(object: object, path: criterionPath)
            reader.allow(["id", "description", "points"])
            let id = reader.string("id", required: true, maximum: 40)
            if let id, !AssessmentDefinition.isValidID(id) { reader.fail("id", "must be 1 to 40 lower-case letters, digits, '_' or '-'") }
            if let id, !ids.insert(id).inserted { reader.fail("id", "'\(id)' is used by another criterion") }
            let description = reader.string("description", required: true, maximum: 2000)
            if reader.value("points") == nil { reader.fail("points", "is required: a number more than 0") }
            let points = reader.number("points", in: 0.001...1000, range: "more than 0, at most 1000")
            errors += reader.errors
            if let id, let description, let points, reader.errors.isEmpty {
                rubric.append(RubricCriterion(id: id, description: description, points: points))
            }
        }
        guard errors.count == before else { return nil }
        return .written(rubric: rubric, maxWords: maxWords)
    }
}
