import Foundation
@testable import GlossCore
import Testing

/// SplitMix64: a small seeded generator, so sampling tests are reproducible.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Quality: policy, schema rules, worker quality")
struct QualityPolicyTests {
    // MARK: Policy

    func policyErrors(_ text: String) -> [FieldError] {
        do {
            _ = try QualityPolicy.parse(try JSONValue.parse(text))
            return []
        } catch let failure as ValidationFailure {
            return failure.errors
        } catch {
            return [FieldError(field: "?", message: "\(error)")]
        }
    }

    @Test func defaultsRoundTripThroughJSON() throws {
        let standard = QualityPolicy.standard
        #expect(try QualityPolicy.parse(.null) == standard)
        #expect(try QualityPolicy.parse(.object([:])) == standard)
        #expect(try QualityPolicy.parse(standard.json) == standard)
        // The effective policy names every key with its default.
        let json = standard.json
        #expect(json["gold_rate"] == .number(0.1))
        #expect(json["gold_pass_score"] == .number(0.8))
        #expect(json["spot_check"] == .object(["first": .number(20), "first_rate": .number(1), "rate": .number(0.2),
                                               "proven_after": .number(50), "proven_quality": .number(0.9), "proven_rate": .number(0.05)]))
        #expect(json["rejected"] == .string("rework"))
        #expect(json["expert_sample"] == .number(0.1))
        #expect(json["overlap"] == .object(["dynamic": .bool(false), "agreement_below": .number(0.7), "max": .number(5)]))
        #expect(json["consensus"] == .object(["categorical": .string("majority"), "ratings": .string("median"),
                                              "iou_threshold": .number(0.5), "rating_tolerance": .number(0)]))
        #expect(json["auto_accept"] == .object(["prelabel_score": .null, "consensus_confidence": .null]))
        #expect(json["thresholds"] == .object(["min_observations": .number(10), "more_review_below": .number(0.8),
                                               "pause_below": .number(0.6), "raise_above": .number(0.95)]))
        #expect(json["time"] == .object(["rushed_below_s": .number(5), "pay_rejected": .bool(true)]))
        #expect(json.objectValue?.count == 10)

        // A partial policy keeps the defaults it does not set, and its full form parses back to it.
        let custom = try QualityPolicy.parse(try JSONValue.parse("""
            {"gold_rate": 0.2, "rejected": "reassign", "spot_check": {"rate": 0.3},
             "consensus": {"categorical": "dawid_skene", "ratings": "mean"}, "auto_accept": {"prelabel_score": 0.95}}
            """))
        #expect(custom.goldRate == 0.2)
        #expect(custom.onRejected == .reassign)
        #expect(custom.spotCheck.rate == 0.3)
        #expect(custom.spotCheck.first == 20)
        #expect(custom.consensus.categorical == .dawidSkene)
        #expect(custom.consensus.ratings == .mean)
        #expect(custom.autoAccept.prelabelScore == 0.95)
        #expect(custom.autoAccept.consensusConfidence == nil)
        #expect(custom.json["consensus"]?["categorical"] == .string("dawid_skene"))
        #expect(try QualityPolicy.parse(custom.json) == custom)
    }

    @Test func timeRulesParseWithDefaults() throws {
        #expect(QualityPolicy.standard.time == QualityPolicy.TimeRules(rushedBelowSeconds: 5, payRejected: true))
        let strict = try QualityPolicy.parse(try JSONValue.parse(#"{"time": {"rushed_below_s": 12.5, "pay_rejected": false}}"#))
        #expect(strict.time.rushedBelowSeconds == 12.5)
        #expect(strict.time.payRejected == false)
        #expect(strict.json["time"] == .object(["rushed_below_s": .number(12.5), "pay_rejected": .bool(false)]))
        #expect(try QualityPolicy.parse(strict.json) == strict)
        // One key set: the other keeps its default; the rest of the policy is untouched.
        let partial = try QualityPolicy.parse(try JSONValue.parse(#"{"time": {"pay_rejected": false}}"#))
        #expect(partial.time == QualityPolicy.TimeRules(rushedBelowSeconds: 5, payRejected: false))
        #expect(partial.goldRate == QualityPolicy.standard.goldRate)
        #expect(try QualityPolicy.parse(try JSONValue.parse(#"{"time": null}"#)).time == QualityPolicy.TimeRules())
    }

    @Test func badPolicyValuesNameTheirPath() throws {
        let rate = policyErrors(#"{"spot_check": {"rate": 1.5}}"#)
        #expect(rate == [FieldError(field: "quality_policy.spot_check.rate", message: "must be between 0 and 1")])
        #expect(policyErrors(#"{"gold_rate": 0.6}"#) == [FieldError(field: "quality_policy.gold_rate", message: "must be between 0 and 0.5")])
        #expect(policyErrors(#"{"colour": 1}"#).map(\.field) == ["quality_policy.colour"])
        #expect(policyErrors(#"{"spot_check": {"rat": 0.1}}"#).map(\.field) == ["quality_policy.spot_check.rat"])
        #expect(policyErrors(#"{"spot_check": 3}"#).map(\.field) == ["quality_policy.spot_check"])
        #expect(policyErrors(#"{"spot_check": {"first": 2.5}}"#).map(\.field) == ["quality_policy.spot_check.first"])
        #expect(policyErrors(#"{"rejected": "burn"}"#).map(\.field) == ["quality_policy.rejected"])
        #expect(policyErrors(#"{"overlap": {"max": 0}}"#).map(\.field) == ["quality_policy.overlap.max"])
        #expect(policyErrors(#"{"overlap": {"dynamic": "yes"}}"#).map(\.field) == ["quality_policy.overlap.dynamic"])
        #expect(policyErrors(#"{"consensus": {"categorical": "vote"}}"#).map(\.field) == ["quality_policy.consensus.categorical"])
        #expect(policyErrors(#"{"consensus": {"iou_threshold": 0}}"#).map(\.field) == ["quality_policy.consensus.iou_threshold"])
        #expect(policyErrors(#"{"consensus": {"rating_tolerance": 0.5}}"#) == [FieldError(field: "quality_policy.consensus.rating_tolerance", message: "must be a whole number")])
        #expect(policyErrors(#"{"auto_accept": {"prelabel_score": "high"}}"#).map(\.field) == ["quality_policy.auto_accept.prelabel_score"])
        #expect(policyErrors(#"{"auto_accept": {"consensus_confidence": 1.2}}"#).map(\.field) == ["quality_policy.auto_accept.consensus_confidence"])
        #expect(policyErrors(#"{"thresholds": {"pause_below": 0.9}}"#).map(\.field) == ["quality_policy.thresholds.pause_below"])
        #expect(policyErrors(#"{"thresholds": {"min_observations": -1}}"#).map(\.field) == ["quality_policy.thresholds.min_observations"])
        #expect(policyErrors("[]").map(\.field) == ["quality_policy"])
        #expect(policyErrors(#"{"time": {"rushed_below_s": 3601}}"#)
                == [FieldError(field: "quality_policy.time.rushed_below_s", message: "must be between 0 and 3600")])
        #expect(policyErrors(#"{"time": {"rushed_below_s": -1}}"#).map(\.field) == ["quality_policy.time.rushed_below_s"])
        #expect(policyErrors(#"{"time": {"pay_rejected": "no"}}"#).map(\.field) == ["quality_policy.time.pay_rejected"])
        #expect(policyErrors(#"{"time": {"rushed": 5}}"#).map(\.field) == ["quality_policy.time.rushed"])
        #expect(policyErrors(#"{"time": 5}"#).map(\.field) == ["quality_policy.time"])
        // Every problem at once.
        #expect(Set(policyErrors(#"{"gold_rate": -1, "expert_sample": 2, "gold_pass_score": null}"#).map(\.field))
                == ["quality_policy.gold_rate", "quality_policy.expert_sample"])
    }

    @Test func spotCheckScheduleFollowsTheIssueDefaults() {
        let policy = QualityPolicy.standard
        // Annotation 1 and 20 (0 and 19 before): all reviewed; annotation 21: 20%.
        #expect(policy.spotCheckRate(annotationsBefore: 0, reviewed: 0, quality: nil, status: .active) == 1.0)
        #expect(policy.spotCheckRate(annotationsBefore: 19, reviewed: 19, quality: 1.0, status: .active) == 1.0)
        #expect(policy.spotCheckRate(annotationsBefore: 20, reviewed: 20, quality: 1.0, status: .active) == 0.2)
        // Proven: at least 50 reviewed at 0.9 or better.
        #expect(policy.spotCheckRate(annotationsBefore: 200, reviewed: 50, quality: 0.95, status: .active) == 0.05)
        #expect(policy.spotCheckRate(annotationsBefore: 200, reviewed: 50, quality: 0.9, status: .active) == 0.05)
        #expect(policy.spotCheckRate(annotationsBefore: 200, reviewed: 50, quality: 0.85, status: .active) == 0.2)
        #expect(policy.spotCheckRate(annotationsBefore: 200, reviewed: 49, quality: 0.95, status: .active) == 0.2)
        #expect(policy.spotCheckRate(annotationsBefore: 200, reviewed: 60, quality: nil, status: .active) == 0.2)
        // More review (and paused) brings back the first rate.
        #expect(policy.spotCheckRate(annotationsBefore: 300, reviewed: 80, quality: 0.95, status: .moreReview) == 1.0)
        #expect(policy.spotCheckRate(annotationsBefore: 300, reviewed: 80, quality: 0.5, status: .paused) == 1.0)
        var custom = policy
        custom.spotCheck.firstRate = 0.5
        #expect(custom.spotCheckRate(annotationsBefore: 300, reviewed: 80, quality: 0.7, status: .moreReview) == 0.5)
    }

    /// Serves a stream of `total` tasks, taking gold whenever it is due; returns the gold positions (0-based).
    func goldPositions(rate: Double, total: Int) -> [Int] {
        var policy = QualityPolicy.standard
        policy.goldRate = rate
        var served = 0
        var positions: [Int] = []
        for position in 0..<total where policy.goldDue(goldServed: served, totalServed: position) {
            served += 1
            positions.append(position)
        }
        return positions
    }

    @Test func goldIsSpreadEvenlyThroughTheStream() {
        // At 0.1: the 10th, 20th, … 100th task: ten in all, one per block of ten, not the first ten.
        #expect(goldPositions(rate: 0.1, total: 100) == [9, 19, 29, 39, 49, 59, 69, 79, 89, 99])
        #expect(goldPositions(rate: 0, total: 100).isEmpty)
        #expect(goldPositions(rate: 0.25, total: 100) == Array(stride(from: 3, to: 100, by: 4)))
        // 0.29 × 100 is 28.999… in floating point; the rule still owes 29 by the 100th task.
        #expect(goldPositions(rate: 0.29, total: 100).count == 29)
        #expect(goldPositions(rate: 0.5, total: 10) == [1, 3, 5, 7, 9])
        // A worker behind on gold (none was left) is owed it as soon as there is some.
        #expect(QualityPolicy.standard.goldDue(goldServed: 0, totalServed: 30))
        #expect(!QualityPolicy.standard.goldDue(goldServed: 3, totalServed: 30))
    }

    @Test func samplingDrawsAtTheRate() {
        var generator = SeededGenerator(state: 42)
        #expect(!(0..<1000).contains { _ in QualityPolicy.shouldSample(rate: 0, using: &generator) })
        #expect((0..<1000).allSatisfy { _ in QualityPolicy.shouldSample(rate: 1, using: &generator) })
        let hits = (0..<10_000).filter { _ in QualityPolicy.shouldSample(rate: 0.2, using: &generator) }.count
        #expect(abs(hits - 2000) < 160)   // 4 standard deviations (40) of a binomial(10000, 0.2)
        let expert = (0..<10_000).filter { _ in QualityPolicy.standard.expertSampled(using: &generator) }.count
        #expect(abs(expert - 1000) < 120)  // 4 standard deviations (30) of a binomial(10000, 0.1)
    }

    @Test func dynamicOverlapAsksForMoreOnlyWhereAnswersDisagree() {
        #expect(!QualityPolicy.standard.needsMoreAnswers(agreement: 0.1, answers: 3, baseOverlap: 3))   // off by default
        var policy = QualityPolicy.standard   // agreement_below 0.7, max 5
        policy.overlap.isDynamic = true
        #expect(policy.needsMoreAnswers(agreement: 0.5, answers: 3, baseOverlap: 3))
        #expect(policy.needsMoreAnswers(agreement: 0.69, answers: 4, baseOverlap: 3))
        #expect(!policy.needsMoreAnswers(agreement: 0.7, answers: 3, baseOverlap: 3))     // agrees enough
        #expect(!policy.needsMoreAnswers(agreement: 0.5, answers: 5, baseOverlap: 3))     // at the maximum
        #expect(!policy.needsMoreAnswers(agreement: 0.5, answers: 2, baseOverlap: 3))     // first k not all in
        #expect(!policy.needsMoreAnswers(agreement: 0.0, answers: 1, baseOverlap: 1))     // one answer cannot disagree
        var off = policy
        off.overlap.isDynamic = false
        #expect(!off.needsMoreAnswers(agreement: 0.1, answers: 3, baseOverlap: 3))
    }

    @Test func autoAcceptOnlyAboveTheThresholdsSet() {
        let standard = QualityPolicy.standard
        #expect(!standard.autoAcceptsPrelabel(score: 1))
        #expect(!standard.autoAcceptsConsensus(confidence: 1))
        let policy = QualityPolicy(autoAccept: .init(prelabelScore: 0.9, consensusConfidence: 0.8))
        #expect(policy.autoAcceptsPrelabel(score: 0.95))
        #expect(policy.autoAcceptsPrelabel(score: 0.9))
        #expect(!policy.autoAcceptsPrelabel(score: 0.89))
        #expect(!policy.autoAcceptsPrelabel(score: nil))
        #expect(policy.autoAcceptsConsensus(confidence: 0.8))
        #expect(!policy.autoAcceptsConsensus(confidence: 0.79))
        #expect(policy.goldPassed(score: 0.8) && !policy.goldPassed(score: 0.79))
    }

    // MARK: Schema rules

    static let fields = """
        {"name": "sentiment", "type": "choice", "options": ["positive", "negative", "mixed"]},
        {"name": "safety", "type": "choice", "options": ["safe", "unsafe"]},
        {"name": "topics", "type": "choice", "multiple": true, "required": false, "options": ["price", "quality"]},
        {"name": "note", "type": "text", "required": false},
        {"name": "quality", "type": "rating", "dimensions": [{"name": "helpfulness", "min": 1, "max": 5}]},
        {"name": "cars", "type": "boxes", "labels": ["car"]},
        {"name": "regions", "type": "polygons", "labels": ["lake"]}
        """

    static let rules = """
        {"type": "min_length", "field": "quality.justification", "min": 20},
        {"type": "required", "field": "note", "when": {"sentiment": ["negative", "mixed"]}},
        {"type": "forbid", "when": {"safety": "unsafe", "quality.helpfulness": 5}, "severity": "soft",
         "message": "An unsafe answer cannot be top helpful"},
        {"type": "min_box_size", "field": "cars", "min_width": 10, "min_height": 10},
        {"type": "min_box_size", "field": "regions", "min_width": 5, "min_height": 5},
        {"type": "min_time", "seconds": 20},
        {"type": "forbid", "field": "sentiment", "when": {"topics": "price", "sentiment": "positive"}}
        """

    func ruledSchema() throws -> LabelSchema {
        try LabelSchema.parse(try JSONValue.parse(#"{"fields": [\#(Self.fields)], "rules": [\#(Self.rules)]}"#))
    }

    /// A value that passes every rule, with the members of `changes` (a JSON object) put over it.
    func value(_ changes: String = "{}") throws -> JSONValue {
        var object = try #require(try JSONValue.parse("""
            {"sentiment": "positive", "safety": "safe", "topics": ["quality"],
             "quality": {"scores": {"helpfulness": 4}, "justification": "clear, complete and correct"},
             "cars": [{"id": "c1", "label": "car", "x": 0, "y": 0, "width": 12, "height": 10}],
             "regions": [{"id": "r1", "label": "lake", "points": [[0, 0], [6, 0], [6, 6]]}]}
            """).objectValue)
        object.merge(try #require(try JSONValue.parse(changes).objectValue)) { $1 }
        return .object(object)
    }

    func violations(_ changes: String = "{}", time: Double = 25) throws -> [RuleViolation] {
        try ruledSchema().checkRules(value: try value(changes), timeSpentSeconds: time)
    }

    @Test func everyRuleTypePassesAndFails() throws {
        let schema = try ruledSchema()
        #expect(schema.rules.count == 7)
        #expect(schema.validate(try value(), data: ["image": .string("a.png")]).isEmpty)
        #expect(try violations().isEmpty)

        // min_length: the justification, trimmed, has 9 characters.
        let short = try violations(#"{"quality": {"scores": {"helpfulness": 4}, "justification": "  too short  "}}"#)
        #expect(short == [RuleViolation(ruleIndex: 0, severity: .hard, field: "value.quality.justification",
                                        message: "must be at least 20 characters (has 9)")])
        #expect(try violations(#"{"quality": {"scores": {"helpfulness": 4}}}"#).map(\.field) == ["value.quality.justification"])

        // required ... when: a note is needed for a negative or mixed sentiment only.
        let missing = try violations(#"{"sentiment": "negative"}"#)
        #expect(missing == [RuleViolation(ruleIndex: 1, severity: .hard, field: "value.note",
                                          message: "is required when sentiment = 'negative' or 'mixed'")])
        #expect(try violations(#"{"sentiment": "mixed", "note": "   "}"#).map(\.field) == ["value.note"])
        #expect(try violations(#"{"sentiment": "mixed", "note": "odd mix"}"#).isEmpty)

        // forbid (soft, with its own message): unsafe together with helpfulness 5; either alone is fine.
        let unsafe = try violations(#"{"safety": "unsafe", "quality": {"scores": {"helpfulness": 5}, "justification": "clear, complete and correct"}}"#)
        #expect(unsafe == [RuleViolation(ruleIndex: 2, severity: .soft, field: "value.quality.scores.helpfulness",
                                         message: "An unsafe answer cannot be top helpful")])
        #expect(unsafe.allSatisfy { $0.isSoft })
        #expect(try violations(#"{"safety": "unsafe"}"#).isEmpty)
        #expect(try violations(#"{"quality": {"scores": {"helpfulness": 5}, "justification": "clear, complete and correct"}}"#).isEmpty)

        // forbid on a multiple choice: "has this option"; the error names the rule's field.
        let combination = try violations(#"{"topics": ["quality", "price"]}"#)
        #expect(combination.map(\.field) == ["value.sentiment"])
        #expect(combination.first?.message == "is not allowed in this combination: sentiment = 'positive' with topics = 'price'")
        #expect(combination.first?.severity == .hard)

        // min_box_size: a 12×8 box is too low; a polygon is measured by its bounding box (6×4).
        let box = try violations("""
            {"cars": [{"id": "c1", "label": "car", "x": 0, "y": 0, "width": 12, "height": 10},
                      {"id": "c2", "label": "car", "x": 20, "y": 0, "width": 12, "height": 8}]}
            """)
        #expect(box == [RuleViolation(ruleIndex: 3, severity: .hard, field: "value.cars[1]",
                                      message: "is 12×8 pixels, smaller than the minimum 10×10")])
        let polygon = try violations(#"{"regions": [{"id": "r1", "label": "lake", "points": [[0, 0], [6, 0], [6, 4]]}]}"#)
        #expect(polygon.map(\.field) == ["value.regions[0]"])
        #expect(try violations(#"{"cars": []}"#).isEmpty)

        // min_time.
        let quick = try violations(time: 19.5)
        #expect(quick == [RuleViolation(ruleIndex: 5, severity: .hard, field: "time_spent_s",
                                        message: "must be at least 20 seconds of work on the task (was 19.5)")])
        #expect(try violations(time: 20).isEmpty)

        // Several at once, in rule order.
        #expect(try violations(#"{"sentiment": "negative", "cars": [{"id": "c", "label": "car", "x": 0, "y": 0, "width": 1, "height": 1}]}"#, time: 3)
                .map(\.ruleIndex) == [1, 3, 5])
    }

    @Test func textTargetsOfOtherTypes() throws {
        let schema = try LabelSchema.parse(try JSONValue.parse("""
            {"fields": [
              {"name": "ratings", "type": "rating", "items": "responses", "dimensions": [{"name": "accuracy", "min": 1, "max": 3}]},
              {"name": "compare", "type": "pairwise", "items": "pair", "reason": "optional"},
              {"name": "better", "type": "rewrite", "source": "draft", "required": false},
              {"name": "task", "type": "prompt", "answer": "optional", "tags": ["poetry", "code"], "min_tags": 0}
            ],
            "rules": [
              {"type": "min_length", "field": "ratings", "min": 10},
              {"type": "min_length", "field": "compare.reason", "min": 5, "when": {"compare.winner": ["a", "b"]}},
              {"type": "min_length", "field": "better", "min": 8},
              {"type": "required", "field": "task.answer", "when": {"ratings.accuracy": 1}, "severity": "soft"}
            ]}
            """))
        let good = try JSONValue.parse("""
            {"ratings": [{"scores": {"accuracy": 3}, "justification": "accurate in full"}, {"scores": {"accuracy": 2}, "justification": "one slip in it"}],
             "compare": {"winner": "tie"}, "better": {"text": "a better draft"}, "task": {"prompt": "Write a haiku", "answer": "ok"}}
            """)
        #expect(schema.checkRules(value: good, timeSpentSeconds: 0).isEmpty)
        let bad = try JSONValue.parse("""
            {"ratings": [{"scores": {"accuracy": 3}, "justification": "accurate in full"}, {"scores": {"accuracy": 1}, "justification": "bad"}],
             "compare": {"winner": "a", "strength": 1, "reason": "ok"}, "better": "short", "task": {"prompt": "Write a haiku"}}
            """)
        let found = schema.checkRules(value: bad, timeSpentSeconds: 0)
        #expect(found.map(\.field) == ["value.ratings[1].justification", "value.compare.reason", "value.better", "value.task.answer"])
        #expect(found.map(\.severity) == [.hard, .hard, .hard, .soft])
        #expect(try LabelSchema.parse(schema.json) == schema)
    }

    func ruleErrors(_ rules: String) -> [String] {
        do {
            _ = try LabelSchema.parse(try JSONValue.parse(#"{"fields": [\#(Self.fields)], "rules": \#(rules)}"#))
            return []
        } catch let failure as ValidationFailure {
            return failure.errors.map(\.field)
        } catch {
            return ["?"]
        }
    }

    @Test func badRulesNameTheirPath() {
        #expect(ruleErrors(#"[{"type": "required", "field": "nothing"}]"#) == ["schema.rules[0].field"])             // unknown field
        #expect(ruleErrors(#"[{"type": "min_length", "field": "sentiment", "min": 3}]"#) == ["schema.rules[0].field"]) // not text
        #expect(ruleErrors(#"[{"type": "min_length", "field": "quality.depth", "min": 3}]"#) == ["schema.rules[0].field"])
        #expect(ruleErrors(#"[{"type": "min_length", "field": "note", "min": 0}]"#) == ["schema.rules[0].min"])
        #expect(ruleErrors(#"[{"type": "min_box_size", "field": "note", "min_width": 3}]"#) == ["schema.rules[0].field"])
        #expect(ruleErrors(#"[{"type": "min_box_size", "field": "cars"}]"#) == ["schema.rules[0].min_width"])
        #expect(ruleErrors(#"[{"type": "forbid", "when": {"safety": "dangerous"}}]"#) == ["schema.rules[0].when.safety"])
        #expect(ruleErrors(#"[{"type": "forbid", "when": {"quality.helpfulness": 7}}]"#) == ["schema.rules[0].when.quality.helpfulness"])
        #expect(ruleErrors(#"[{"type": "forbid", "when": {"quality": 5}}]"#) == ["schema.rules[0].when.quality"])
        #expect(ruleErrors(#"[{"type": "forbid", "when": {"cars": "car"}}]"#) == ["schema.rules[0].when.cars"])
        #expect(ruleErrors(#"[{"type": "forbid"}]"#) == ["schema.rules[0].when"])
        #expect(ruleErrors(#"[{"type": "teleport"}]"#) == ["schema.rules[0].type"])
        #expect(ruleErrors(#"[{"type": "min_time", "seconds": 5, "minutes": 1}]"#) == ["schema.rules[0].minutes"])
        #expect(ruleErrors(#"[{"type": "min_time", "seconds": 0}]"#) == ["schema.rules[0].seconds"])
        #expect(ruleErrors(#"[{"type": "min_time"}]"#) == ["schema.rules[0].seconds"])
        #expect(ruleErrors(#"[{"type": "min_time", "seconds": 5, "severity": "medium"}]"#) == ["schema.rules[0].severity"])
        #expect(ruleErrors(#"[{"type": "min_time", "seconds": 5}, {"type": "required", "field": "note", "when": {"note": 3}}]"#) == ["schema.rules[1].when.note"])
        #expect(ruleErrors(#"{"type": "min_time"}"#) == ["schema.rules"])
        #expect(ruleErrors(#"[3]"#) == ["schema.rules[0]"])
        #expect(ruleErrors("null").isEmpty)
    }

    @Test func rulesRoundTripAndSchemasWithoutRulesAreUnchanged() throws {
        let schema = try ruledSchema()
        #expect(try LabelSchema.parse(schema.json) == schema)
        #expect(schema.json["rules"]?.arrayValue?.count == 7)
        #expect(schema.json["rules"]?.arrayValue?[2] == (try JSONValue.parse("""
            {"type": "forbid", "severity": "soft", "message": "An unsafe answer cannot be top helpful",
             "when": {"quality.helpfulness": 5, "safety": "unsafe"}}
            """)))

        let plain = try LabelSchema.parse(try JSONValue.parse(#"{"fields": [\#(Self.fields)]}"#))
        #expect(plain.rules.isEmpty)
        #expect(plain.json.objectValue?.keys.sorted() == ["fields"])
        #expect(try LabelSchema.parse(plain.json) == plain)
        #expect(LabelSchema(fields: plain.fields) == plain)
        #expect(plain.checkRules(value: try value(), timeSpentSeconds: 0).isEmpty)
    }

    // MARK: Worker quality

    @Test func workerScoreIsAWeightedMean() throws {
        let empty = WorkerQualityObservations()
        #expect(empty.score == nil)
        #expect(empty.interval95 == nil)
        #expect(empty.status(policy: .standard) == .active)

        // 3 gold at 0.8, reviews accept, accept, correct, reject (2.5), consensus 0.5, 1, 1 (2.5):
        // (2·2.4 + 2·2.5 + 1·2.5) / (2·3 + 2·4 + 1·3) = 12.3 / 17.
        var mixed = WorkerQualityObservations()
        for _ in 0..<3 { mixed.addGold(score: 0.8) }
        for verdict in [WorkerQualityObservations.ReviewVerdict.accept, .accept, .correct, .reject] { mixed.addReview(verdict) }
        for agreement in [0.5, 1, 1] { mixed.addConsensus(agreement: agreement) }
        #expect(mixed.count == 10)
        #expect(abs(try #require(mixed.score) - 12.3 / 17) < 1e-12)
        #expect(abs(mixed.effectiveCount - 289.0 / 31) < 1e-12)   // (Σw)² / Σw² = 17² / (4·3 + 4·4 + 3)
        #expect(mixed.status(policy: .standard) == .moreReview)  // 0.7235 < 0.8, not < 0.6
        #expect(mixed.json(policy: .standard)["status"] == .string("more_review"))
        #expect(mixed.json(policy: .standard)["review"] == .object(["count": .number(4), "mean": .number(0.625)]))

        // Wilson's 95% interval for 2 successes in 4: (0.150, 0.850).
        let half = WorkerQualityObservations(reviewCount: 4, reviewSum: 2)
        let interval = try #require(half.interval95)
        #expect(abs(interval.lowerBound - 0.15004) < 1e-4)
        #expect(abs(interval.upperBound - 0.84996) < 1e-4)

        // Ten passed gold: score 1, interval [10 / (10 + 1.96²), 1].
        let perfect = WorkerQualityObservations(goldCount: 10, goldSum: 10)
        #expect(perfect.score == 1)
        let perfectInterval = try #require(perfect.interval95)
        #expect(abs(perfectInterval.lowerBound - 10 / (10 + 1.96 * 1.96)) < 1e-12)
        #expect(perfectInterval.upperBound == 1)
        #expect(perfect.isRaiseEligible(policy: .standard))

        // Merging projects: 5 gold at 1 and 5 rejects give (2·5 + 2·0) / 20 = 0.5 over 10 observations.
        let overall = WorkerQualityObservations(goldCount: 5, goldSum: 5).merging(WorkerQualityObservations(reviewCount: 5, reviewSum: 0))
        #expect(overall.score == 0.5)
        #expect(overall.count == 10)
    }

    @Test func workerStatusMovesWithTheScoreOnceEstablished() {
        let policy = QualityPolicy.standard   // min 10 observations; more review < 0.8; pause < 0.6; raise >= 0.95
        var worker = WorkerQualityObservations()
        for _ in 0..<9 { worker.addReview(.reject) }
        #expect(worker.score == 0)
        #expect(worker.status(policy: policy) == .active)           // 9 observations: too few to judge
        worker.addReview(.reject)
        #expect(worker.status(policy: policy) == .paused)           // 0 over 10
        for _ in 0..<20 { worker.addReview(.accept) }
        #expect(worker.score == 20.0 / 30)
        #expect(worker.status(policy: policy) == .moreReview)       // 0.667
        for _ in 0..<40 { worker.addReview(.accept) }
        #expect(worker.score == 60.0 / 70)
        #expect(worker.status(policy: policy) == .active)           // 0.857
        #expect(!worker.isRaiseEligible(policy: policy))
        for _ in 0..<130 { worker.addReview(.accept) }
        #expect(worker.score == 190.0 / 200)
        #expect(worker.isRaiseEligible(policy: policy))             // 0.95 is at the threshold
        #expect(worker.status(policy: policy) == .active)

        // Nine perfect observations are not enough for a raise.
        #expect(!WorkerQualityObservations(goldCount: 9, goldSum: 9).isRaiseEligible(policy: policy))
    }
}
