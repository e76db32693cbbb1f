import Foundation
@testable import GlossCore
import Testing

private func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

private func definition(_ text: String) throws -> AssessmentDefinition {
    try AssessmentDefinition.parse(try json(text))
}

private func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

/// The paths of the errors a definition fails with (empty when it parses).
private func errorPaths(_ text: String) throws -> [String] {
    do {
        _ = try definition(text)
        return []
    } catch let failure as ValidationFailure {
        return failure.errors.map(\.field)
    }
}

/// One annotation item around `fields`, with `data`, `gold` and optional scoring settings.
private func annotationItem(_ fields: String, data: String, gold: String, scoring: String? = nil) throws -> AssessmentDefinition {
    let scoringMember = scoring.map { #", "scoring": \#($0)"# } ?? ""
    return try definition("""
        {"items": [{"id": "a", "prompt": "Annotate.", "kind": "annotation", "schema": {"fields": [\(fields)]},
                    "data": \(data), "gold": \(gold)\(scoringMember)}],
         "pass": {"minimum_score": 0.7}}
        """)
}

@Suite("Assessments: scoring each item kind")
struct AssessmentScoringTests {
    @Test func multipleChoiceIsAnExactSetMatch() throws {
        let assessment = try definition("""
            {"items": [
              {"id": "one", "prompt": "Pick one.", "kind": "multiple_choice", "options": ["A", "B", "C"], "correct": ["B"]},
              {"id": "many", "prompt": "Pick all.", "kind": "multiple_choice", "options": ["A", "B", "C", "D"], "correct": ["A", "C"], "multiple": true}
            ], "pass": {"minimum_score": 0.5}}
            """)
        #expect(assessment.score(itemID: "one", .string("B")) == 1)
        #expect(assessment.score(itemID: "one", .string("A")) == 0)
        #expect(assessment.score(itemID: "one", .number(2)) == 0)
        #expect(assessment.score(itemID: "many", try json(#"["C", "A"]"#)) == 1)     // order does not matter
        #expect(assessment.score(itemID: "many", try json(#"["A"]"#)) == 0)          // a subset is wrong
        #expect(assessment.score(itemID: "many", try json(#"["A", "C", "D"]"#)) == 0) // so is a superset
        #expect(assessment.score(itemID: "many", .string("A")) == 0)
        // Missing answers score 0; every auto item is in the result.
        #expect(assessment.autoScores(answers: ["one": .string("B")]) == ["one": 1, "many": 0])
    }

    @Test func choiceAnnotationIsExact() throws {
        let item = try annotationItem(#"{"name": "sentiment", "type": "choice", "options": ["pos", "neg", "mixed"]}"#,
                                      data: #"{"text": "Fine phone, awful battery."}"#, gold: #"{"sentiment": "mixed"}"#)
        #expect(item.autoScores(answers: ["a": try json(#"{"sentiment": "mixed"}"#)]) == ["a": 1])
        #expect(item.autoScores(answers: ["a": try json(#"{"sentiment": "neg"}"#)]) == ["a": 0])
        #expect(item.autoScores(answers: ["a": .string("mixed")]) == ["a": 0])   // not an annotation value
        #expect(item.autoScores(answers: [:]) == ["a": 0])
    }

    @Test func spansScoreByF1() throws {
        // "Ada met Bob in Rome": Ada 0..<3, Bob 8..<11, Rome 15..<19.
        let item = try annotationItem(#"{"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "LOC"]}"#,
                                      data: #"{"text": "Ada met Bob in Rome"}"#,
                                      gold: #"{"entities": [{"id": "1", "start": 0, "end": 3, "label": "PER"}, {"id": "2", "start": 8, "end": 11, "label": "PER"}]}"#)
        // One right span and one wrong (Rome is no person in the gold): precision 1/2, recall 1/2, F1 1/2.
        let half = try json(#"{"entities": [{"id": "x", "start": 0, "end": 3, "label": "PER"}, {"id": "y", "start": 15, "end": 19, "label": "LOC"}]}"#)
        #expect(close(item.score(itemID: "a", half), 0.5))
        // One of two right, nothing wrong: precision 1, recall 1/2, F1 2/3.
        let one = try json(#"{"entities": [{"id": "x", "start": 8, "end": 11, "label": "PER"}]}"#)
        #expect(close(item.score(itemID: "a", one), 2.0 / 3.0))
        // The right range with the wrong label counts for nothing.
        let wrongLabel = try json(#"{"entities": [{"id": "x", "start": 0, "end": 3, "label": "LOC"}, {"id": "y", "start": 8, "end": 11, "label": "LOC"}]}"#)
        #expect(item.score(itemID: "a", wrongLabel) == 0)
    }

    @Test func rankingScoresByRankCorrelation() throws {
        let item = try annotationItem(#"{"name": "order", "type": "ranking", "items": "responses"}"#,
                                      data: #"{"responses": ["x", "y", "z"]}"#, gold: #"{"order": [1, 2, 3]}"#)
        #expect(item.score(itemID: "a", try json(#"{"order": [1, 2, 3]}"#)) == 1)
        // [1, 3, 2]: of the three pairs two agree and one disagrees: tau = 1/3, mapped (tau + 1) / 2 = 2/3.
        #expect(close(item.score(itemID: "a", try json(#"{"order": [1, 3, 2]}"#)), 2.0 / 3.0))
        // The reverse: tau = -1, score 0.
        #expect(item.score(itemID: "a", try json(#"{"order": [3, 2, 1]}"#)) == 0)
    }

    @Test func ratingsScoreWithTheItemsTolerance() throws {
        let field = #"{"name": "quality", "type": "rating", "dimensions": [{"name": "accuracy", "min": 1, "max": 5}]}"#
        let gold = #"{"quality": {"scores": {"accuracy": 2}}}"#
        let lenient = try annotationItem(field, data: "{}", gold: gold, scoring: #"{"rating_tolerance": 1}"#)
        let strict = try annotationItem(field, data: "{}", gold: gold)
        let three = try json(#"{"quality": {"scores": {"accuracy": 3}}}"#)
        let four = try json(#"{"quality": {"scores": {"accuracy": 4}}}"#)
        #expect(lenient.score(itemID: "a", three) == 1)               // within one point
        #expect(close(lenient.score(itemID: "a", four), 0.5))          // 1 - 2 / (5 - 1)
        #expect(close(strict.score(itemID: "a", three), 0.75))         // 1 - 1 / 4 without tolerance
        guard case .annotation(_, _, _, let options) = try #require(lenient.item("a")).kind else {
            Issue.record("not an annotation item")
            return
        }
        #expect(options.ratingTolerance == 1)
    }

    @Test func boxesScoreByIoU() throws {
        let field = #"{"name": "objects", "type": "boxes", "labels": ["car"]}"#
        let data = #"{"image": "https://example.com/street.png"}"#
        let gold = #"{"objects": [{"id": "b1", "label": "car", "x": 0, "y": 0, "width": 10, "height": 10}]}"#
        let item = try annotationItem(field, data: data, gold: gold)
        let strict = try annotationItem(field, data: data, gold: gold, scoring: #"{"iou_threshold": 0.6}"#)
        // Twice as tall: intersection 100, union 200, IoU 1/2 (matched at the default threshold 0.5).
        let tall = try json(#"{"objects": [{"id": "x", "label": "car", "x": 0, "y": 0, "width": 10, "height": 20}]}"#)
        #expect(close(item.score(itemID: "a", tall), 0.5))
        #expect(strict.score(itemID: "a", tall) == 0)
        // Shifted by half: intersection 50, union 150, IoU 1/3: no match.
        let shifted = try json(#"{"objects": [{"id": "x", "label": "car", "x": 5, "y": 0, "width": 10, "height": 10}]}"#)
        #expect(item.score(itemID: "a", shifted) == 0)
    }

    @Test func writtenItemsAreNotAutoScored() throws {
        let assessment = try definition("""
            {"items": [{"id": "w", "prompt": "Explain.", "kind": "written", "rubric": [{"id": "c", "description": "Clear", "points": 2}]}],
             "pass": {"minimum_score": 0.5}}
            """)
        #expect(assessment.autoScores(answers: ["w": .string("An answer")]).isEmpty)
        #expect(assessment.score(itemID: "w", .string("An answer")) == nil)
        #expect(assessment.writtenItemIDs == ["w"])
        #expect(assessment.item("w")?.rubricTotal == 2)
    }
}

/// Two multiple-choice items (1 point each), a choice annotation (2 points) and a written item (2 points,
/// rubric 3 + 1 = 4): 6 points, 4 of them auto-scored.
private func mixedAssessment(minimumAutoScore: Double = 0.5) throws -> AssessmentDefinition {
    try definition("""
        {"items": [
          {"id": "mc1", "prompt": "Q1", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["A"]},
          {"id": "mc2", "prompt": "Q2", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["B"]},
          {"id": "label", "prompt": "Q3", "points": 2, "kind": "annotation",
           "schema": {"fields": [{"name": "sentiment", "type": "choice", "options": ["pos", "neg"]}]},
           "data": {"text": "Lovely."}, "gold": {"sentiment": "pos"}},
          {"id": "essay", "prompt": "Q4", "points": 2, "kind": "written",
           "rubric": [{"id": "reason", "description": "Gives the reason", "points": 3}, {"id": "tone", "description": "Polite", "points": 1}]}
        ], "pass": {"minimum_score": 0.7, "minimum_auto_score": \(minimumAutoScore), "review_band": 0.05}}
        """)
}

@Suite("Assessments: the pass rule")
struct AssessmentPassRuleTests {
    /// mc1 right, mc2 wrong, label right: 3 of 4 auto points.
    let threeOfFour: [String: Double] = ["mc1": 1, "mc2": 0, "label": 1]

    @Test func passesWhenTheTotalReachesTheMark() throws {
        let assessment = try mixedAssessment()
        let perfect = assessment.outcome(autoScores: ["mc1": 1, "mc2": 1, "label": 1], humanPoints: ["essay": 4])
        #expect(perfect.verdict == .passed)
        #expect(perfect.score == 1 && perfect.autoScore == 1 && perfect.humanScore == 1)
        // Auto 3/4; essay 3 of 4 rubric points = 0.75 of its 2 points: (3 + 1.5) / 6 = 0.75.
        let good = assessment.outcome(autoScores: threeOfFour, humanPoints: ["essay": 3])
        #expect(good.verdict == .passed)
        #expect(close(good.score, 0.75))
        #expect(close(good.autoScore, 0.75))
        #expect(close(good.humanScore, 0.75))
        #expect(good.reasons == ["Scored 75% overall; passing needs 70%."])
    }

    @Test func failsBelowTheReviewBand() throws {
        // Essay 1 of 4: (3 + 0.5) / 6 = 0.5833, below 0.70 - 0.05.
        let outcome = try mixedAssessment().outcome(autoScores: threeOfFour, humanPoints: ["essay": 1])
        #expect(outcome.verdict == .failed)
        #expect(close(outcome.score, 3.5 / 6))
        #expect(outcome.reasons == ["Scored 58.3% overall; passing needs 70%."])
    }

    @Test func aTotalJustBelowTheMarkGoesToAnAdmin() throws {
        // Essay 2 of 4: (3 + 1) / 6 = 0.6667, within 0.05 below 0.70.
        let outcome = try mixedAssessment().outcome(autoScores: threeOfFour, humanPoints: ["essay": 2])
        #expect(outcome.verdict == .review)
        #expect(close(outcome.score, 4.0 / 6))
        #expect(outcome.reasons.first == "Scored 66.6% overall; passing needs 70%.")
        #expect(outcome.reasons.count == 2)
    }

    @Test func pendingWhileAWrittenItemIsUngraded() throws {
        let outcome = try mixedAssessment().outcome(autoScores: threeOfFour, humanPoints: [:])
        #expect(outcome.verdict == .pending)
        #expect(outcome.score == nil)
        #expect(outcome.humanScore == nil)
        #expect(close(outcome.autoScore, 0.75))
        #expect(outcome.reasons == ["Waiting for a grader to grade 1 written answer."])
    }

    @Test func failsWithoutGradingWhenNoGradeCouldSaveTheAttempt() throws {
        // No auto floor; all auto items wrong: even a full essay gives 2 / 6 = 33%, below the band.
        let outcome = try mixedAssessment(minimumAutoScore: 0).outcome(autoScores: [:], humanPoints: [:])
        #expect(outcome.verdict == .failed)
        #expect(outcome.score == nil)
        #expect(outcome.autoScore == 0)
    }

    @Test func theMinimumAutoScoreIsAFloor() throws {
        // Floor 0.8; auto 0.75 fails even with a total of (3 + 2) / 6 = 0.833.
        let assessment = try mixedAssessment(minimumAutoScore: 0.8)
        let outcome = assessment.outcome(autoScores: threeOfFour, humanPoints: ["essay": 4])
        #expect(outcome.verdict == .failed)
        #expect(close(outcome.score, 5.0 / 6))
        #expect(outcome.reasons.contains("Scored 75% on the automatically scored items; passing needs at least 80%."))
        // The floor also decides before grading.
        #expect(assessment.outcome(autoScores: threeOfFour, humanPoints: [:]).verdict == .failed)
        // And a total in the review band does not go to an admin when the floor is missed.
        #expect(assessment.outcome(autoScores: threeOfFour, humanPoints: ["essay": 2]).verdict == .failed)
        // Reaching the floor: mc2 right too, auto 1.0.
        #expect(assessment.outcome(autoScores: ["mc1": 1, "mc2": 1, "label": 1], humanPoints: ["essay": 2]).verdict == .passed)
    }

    @Test func humanPointsAreClampedToTheRubric() throws {
        let outcome = try mixedAssessment().outcome(autoScores: threeOfFour, humanPoints: ["essay": 40])
        #expect(close(outcome.humanScore, 1))
        #expect(close(outcome.score, 5.0 / 6))
    }
}

@Suite("Assessments: what an applicant sees")
struct AssessmentSecrecyTests {
    @Test func publicJSONHoldsNoAnswerRubricOrExplanation() throws {
        let assessment = try definition("""
            {"items": [
              {"id": "mc", "prompt": "Pick.", "kind": "multiple_choice", "options": ["Alpha", "Beta"], "correct": ["Beta"],
               "explanation": "Beta-is-right-because-zeta"},
              {"id": "ner", "prompt": "Mark.", "kind": "annotation",
               "schema": {"fields": [{"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "LOC"]}]},
               "data": {"text": "Ada met Bob"}, "gold": {"entities": [{"id": "gold-span-17", "start": 8, "end": 11, "label": "PER"}]},
               "scoring": {"iou_threshold": 0.75}, "explanation": "Only-Bob-counts-here"},
              {"id": "essay", "prompt": "Explain.", "kind": "written", "max_words": 50,
               "rubric": [{"id": "crit-secret-id", "description": "Mentions-the-hidden-criterion", "points": 3}]}
            ], "pass": {"minimum_score": 0.7}}
            """)
        let text = assessment.publicItemsJSON.jsonText
        for secret in ["\"correct\"", "\"gold\"", "\"rubric\"", "\"explanation\"", "\"scoring\"", "gold-span-17",
                       "Beta-is-right-because-zeta", "Only-Bob-counts-here", "crit-secret-id", "Mentions-the-hidden-criterion", "0.75"] {
            #expect(!text.contains(secret), "public JSON contains \(secret)")
        }
        let items = try #require(assessment.publicItemsJSON.arrayValue)
        #expect(items.count == 3)
        #expect(items[0]["options"] == .array([.string("Alpha"), .string("Beta")]))
        #expect(items[0]["multiple"] == .bool(false))
        #expect(items[1]["data"]?["text"] == .string("Ada met Bob"))
        #expect(items[1]["schema"] != nil)
        #expect(items[2]["max_words"] == .number(50))
        #expect(Set(items[2].objectValue?.keys.map { $0 } ?? []) == ["id", "kind", "prompt", "points", "max_words"])
        // The admin JSON has everything.
        let full = assessment.json.jsonText
        #expect(full.contains("gold-span-17") && full.contains("Mentions-the-hidden-criterion") && full.contains("Beta-is-right-because-zeta"))
    }

    @Test func noShippedAssessmentLeaksItsAnswers() throws {
        for seed in StarterAssessments.all {
            let assessment = try seed.definition()
            let text = assessment.publicItemsJSON.jsonText
            for key in ["\"correct\"", "\"gold\"", "\"rubric\"", "\"explanation\"", "\"scoring\""] {
                #expect(!text.contains(key), "\(seed.slug) public JSON has \(key)")
            }
            for item in assessment.items {
                if let explanation = item.explanation { #expect(!text.contains(explanation), "\(seed.slug).\(item.id) explanation") }
                switch item.kind {
                case .annotation(_, _, let gold, _):
                    // Each gold field's value (a choice value is also an option, so only structured values are searched).
                    for (field, value) in gold.objectValue ?? [:] where value.stringValue == nil {
                        #expect(!text.contains(value.jsonText), "\(seed.slug).\(item.id).\(field) gold")
                    }
                    #expect(!text.contains(gold.jsonText))
                case .written(let rubric, _):
                    for criterion in rubric { #expect(!text.contains(criterion.description), "\(seed.slug).\(item.id) rubric") }
                case .multipleChoice:
                    break
                }
            }
        }
    }

    @Test func answerErrorsRevealNothing() throws {
        let assessment = try mixedAssessment()
        let errors = [
            assessment.checkAnswer(itemID: "mc1", .string("Z")),
            assessment.checkAnswer(itemID: "mc1", .number(1)),
            assessment.checkAnswer(itemID: "label", try json(#"{"sentiment": "meh"}"#)),
            assessment.checkAnswer(itemID: "essay", .number(3)),
        ].compactMap { $0 }
        #expect(errors.count == 4)
        for error in errors {
            // The correct option and the rubric are never named (the offered options are public and may be).
            #expect(!error.message.contains("\"A\"") && !error.message.contains("Gives the reason") && !error.message.contains("reason"))
        }
    }

    @Test func practiceFeedbackShowsTheAnswerAndWhy() throws {
        let seed = try #require(StarterAssessments.seed("practice-general"))
        let assessment = try seed.definition()
        let feedback = try #require(assessment.practiceFeedback(itemID: "sarcasm", answer: .string("positive")))
        #expect(feedback["score"] == .number(0))
        #expect(feedback["answer"] == .string("negative"))
        #expect(feedback["explanation"]?.stringValue?.isEmpty == false)
        #expect(assessment.practiceFeedback(itemID: "nope", answer: .null) == nil)
    }
}

@Suite("Assessments: checking answers")
struct AssessmentAnswerTests {
    @Test func answersAreCheckedByShape() throws {
        let assessment = try definition("""
            {"items": [
              {"id": "one", "prompt": "Pick.", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["A"]},
              {"id": "many", "prompt": "Pick.", "kind": "multiple_choice", "options": ["A", "B", "C"], "correct": ["A", "B"], "multiple": true},
              {"id": "label", "prompt": "Label.", "kind": "annotation",
               "schema": {"fields": [{"name": "sentiment", "type": "choice", "options": ["pos", "neg"]},
                                     {"name": "note", "type": "text", "required": true}]},
               "data": {}, "gold": {"sentiment": "pos", "note": "fine"}},
              {"id": "essay", "prompt": "Write.", "kind": "written", "max_words": 3, "rubric": [{"id": "c", "description": "d", "points": 1}]}
            ], "pass": {"minimum_score": 0.5}}
            """)
        #expect(assessment.checkAnswer(itemID: "one", .string("A")) == nil)
        #expect(assessment.checkAnswer(itemID: "one", .null) == nil)
        #expect(assessment.checkAnswer(itemID: "one", .string("C"))?.field == "answers.one")
        #expect(assessment.checkAnswer(itemID: "one", try json(#"["A"]"#))?.field == "answers.one")
        #expect(assessment.checkAnswer(itemID: "many", try json(#"["A", "C"]"#)) == nil)
        #expect(assessment.checkAnswer(itemID: "many", try json(#"["A", "A"]"#))?.field == "answers.many[1]")
        #expect(assessment.checkAnswer(itemID: "many", try json(#"["A", 3]"#))?.field == "answers.many[1]")
        #expect(assessment.checkAnswer(itemID: "many", .string("A"))?.field == "answers.many")
        #expect(assessment.checkAnswer(itemID: "label", try json(#"{"sentiment": "pos", "note": "ok"}"#)) == nil)
        #expect(assessment.checkAnswer(itemID: "label", try json(#"{"sentiment": "maybe", "note": "ok"}"#))?.field == "answers.label.sentiment")
        // An autosave may leave fields out; a submit may not.
        #expect(assessment.checkAnswer(itemID: "label", try json(#"{"sentiment": "pos"}"#), partial: true) == nil)
        #expect(assessment.checkAnswer(itemID: "label", try json(#"{"sentiment": "pos"}"#))?.field == "answers.label.note")
        #expect(assessment.checkAnswer(itemID: "essay", .string("three short words")) == nil)
        let long = try #require(assessment.checkAnswer(itemID: "essay", .string("one two three four")))
        #expect(long.field == "answers.essay")
        #expect(long.message == "has 4 words; at most 3 are allowed")
        #expect(assessment.checkAnswer(itemID: "essay", .number(4))?.field == "answers.essay")
        #expect(assessment.checkAnswer(itemID: "ghost", .string("A"))?.field == "answers.ghost")
    }
}

@Suite("Assessments: parsing")
struct AssessmentParsingTests {
    @Test func errorsNameTheirPaths() throws {
        let paths = try errorPaths("""
            {"items": [
              {"id": "q1", "prompt": "Pick.", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["C"], "colour": "red"},
              {"id": "q2", "prompt": "Label.", "kind": "annotation",
               "schema": {"fields": [{"name": "sentiment", "type": "choice", "options": ["pos", "neg"]}]},
               "data": {}, "gold": {"sentiment": "great"}},
              {"id": "q1", "prompt": "Again.", "kind": "written", "rubric": [{"id": "c", "description": "d"}]},
              {"id": "Bad Id", "prompt": "", "kind": "essay"}
            ], "pass": {"minimum_score": 1.5}, "extra": true}
            """)
        #expect(paths.contains("items[0].correct[0]"))
        #expect(paths.contains("items[0].colour"))
        #expect(paths.contains("items[1].gold.sentiment"))
        #expect(paths.contains("items[2].rubric[0].points"))
        #expect(paths.contains("items[2].id"))          // q1 twice
        #expect(paths.contains("items[3].id"))
        #expect(paths.contains("items[3].prompt"))
        #expect(paths.contains("items[3].kind"))
        #expect(paths.contains("pass.minimum_score"))
        #expect(paths.contains("extra"))
    }

    @Test func structuralErrors() throws {
        #expect(try errorPaths(#"{"items": [], "pass": {"minimum_score": 0.7}}"#) == ["items"])
        #expect(try errorPaths(#"{"items": [{"id": "a", "prompt": "p", "kind": "written", "rubric": [{"id": "c", "description": "d", "points": 1}]}]}"#) == ["pass"])
        // Single choice needs exactly one correct option.
        #expect(try errorPaths("""
            {"items": [{"id": "a", "prompt": "p", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["A", "B"]}], "pass": {"minimum_score": 0.7}}
            """) == ["items[0].correct"])
        // A schema error is reported under the item.
        let schemaErrors = try errorPaths("""
            {"items": [{"id": "a", "prompt": "p", "kind": "annotation", "schema": {"fields": [{"name": "x", "type": "nope"}]}, "gold": {}}], "pass": {"minimum_score": 0.7}}
            """)
        #expect(!schemaErrors.isEmpty && schemaErrors.allSatisfy { $0.hasPrefix("items[0].schema.fields[0]") })
        // Data the schema needs, and a gold answer that gives no field.
        #expect(try errorPaths("""
            {"items": [{"id": "a", "prompt": "p", "kind": "annotation", "schema": {"fields": [{"name": "e", "type": "spans", "source": "text", "labels": ["X"]}]},
                        "data": {}, "gold": {"e": []}}], "pass": {"minimum_score": 0.7}}
            """) == ["items[0].data.text"])
        #expect(try errorPaths("""
            {"items": [{"id": "a", "prompt": "p", "kind": "annotation", "schema": {"fields": [{"name": "s", "type": "choice", "required": false, "options": ["A", "B"]}]},
                        "data": {}, "gold": {}}], "pass": {"minimum_score": 0.7}}
            """) == ["items[0].gold"])
        // A span gold whose text does not match the data.
        let spanErrors = try errorPaths("""
            {"items": [{"id": "a", "prompt": "p", "kind": "annotation", "schema": {"fields": [{"name": "e", "type": "spans", "source": "text", "labels": ["X"]}]},
                        "data": {"text": "hello world"}, "gold": {"e": [{"id": "s", "start": 0, "end": 5, "label": "X", "text": "world"}]}}],
             "pass": {"minimum_score": 0.7}}
            """)
        #expect(!spanErrors.isEmpty && spanErrors.allSatisfy { $0.hasPrefix("items[0].gold.e[0]") })
    }

    @Test func theJSONFormRoundTrips() throws {
        for seed in StarterAssessments.all {
            let assessment = try seed.definition()
            #expect(try AssessmentDefinition.parse(assessment.json) == assessment, "\(seed.slug)")
        }
        let rule = try mixedAssessment().passRule
        #expect(rule == PassRule(minimumScore: 0.7, minimumAutoScore: 0.5, reviewBand: 0.05))
        #expect(try definition(#"{"items": [{"id": "a", "prompt": "p", "kind": "multiple_choice", "options": ["A", "B"], "correct": ["A"]}], "pass": {"minimum_score": 0.6}}"#).passRule
                == PassRule(minimumScore: 0.6))
    }
}

@Suite("Assessments: what Gloss ships")
struct StarterAssessmentTests {
    @Test func everySeedParsesAndItsGoldAnswersScoreOne() throws {
        #expect(StarterAssessments.all.map(\.slug) == ["starter-general", "starter-coding", "specialist-chemistry", "practice-general", "practice-coding"])
        for seed in StarterAssessments.all {
            let assessment = try seed.definition()
            var answers: [String: JSONValue] = [:]
            for item in assessment.items {
                switch item.kind {
                case .multipleChoice(_, let correct, let multiple):
                    answers[item.id] = multiple ? .array(correct.map(JSONValue.string)) : .string(correct[0])
                case .annotation(_, _, let gold, _):
                    answers[item.id] = gold
                case .written:
                    answers[item.id] = .string("An answer.")
                }
                let answer = try #require(answers[item.id])
                #expect(assessment.checkAnswer(itemID: item.id, answer) == nil, "\(seed.slug).\(item.id)")
            }
            let scores = assessment.autoScores(answers: answers)
            #expect(!scores.isEmpty)
            for (id, score) in scores { #expect(score == 1, "\(seed.slug).\(id) scores \(score) against its own answer") }
            // Wrong answers everywhere score below 1.
            #expect(assessment.autoScores(answers: [:]).values.allSatisfy { $0 == 0 })
            let full = Dictionary(uniqueKeysWithValues: assessment.items.compactMap { item in item.rubricTotal.map { (item.id, $0) } })
            #expect(assessment.outcome(autoScores: scores, humanPoints: full).verdict == .passed)
        }
    }

    @Test func seedsHaveTheRightRules() throws {
        let general = try #require(StarterAssessments.seed("starter-general"))
        #expect(general.kind == "starter" && general.path == "general" && general.attemptsAllowed == 1)
        #expect(general.unlocks == ["general"] && general.timeLimitSeconds == 20 * 60)
        let generalItems = try general.definition().items
        #expect((6...10).contains(generalItems.count))
        #expect(try general.definition().writtenItemIDs.count == 1)
        let kinds = Set(generalItems.compactMap { item -> String? in
            guard case .annotation(let schema, _, _, _) = item.kind else { return nil }
            return schema.fields.first?.typeName
        })
        #expect(kinds.isSuperset(of: ["choice", "spans", "rating", "ranking"]))

        let coding = try #require(StarterAssessments.starter(forPath: "coding"))
        #expect(coding.slug == "starter-coding" && coding.attemptsAllowed == 1 && coding.timeLimitSeconds == 30 * 60)
        #expect(coding.unlocks == ["general", "coding"])
        #expect(try coding.definition().writtenItemIDs.count == 1)

        let chemistry = try #require(StarterAssessments.seed("specialist-chemistry"))
        #expect(chemistry.kind == "specialist" && chemistry.attemptsAllowed == 2 && chemistry.unlocks == ["stem.chemistry"])

        for slug in ["practice-general", "practice-coding"] {
            let practice = try #require(StarterAssessments.seed(slug))
            #expect(practice.kind == "practice" && practice.attemptsAllowed == 0 && practice.timeLimitSeconds == 0 && practice.unlocks.isEmpty)
            #expect(try practice.definition().items.allSatisfy { $0.explanation != nil })
        }
    }
}
