import Foundation
@testable import GlossCore
import Testing

/// A schema from the JSON of its fields.
private func scoringSchema(_ fields: String) throws -> LabelSchema {
    try LabelSchema.parse(try JSONValue.parse("{\"fields\": [\(fields)]}"))
}

private func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

private func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

/// The value of one field of a consensus.
private func field(_ result: TaskConsensus, _ name: String) -> JSONValue? {
    result.value.objectValue?[name]
}

@Suite("Scoring against gold, by field type")
struct GoldScoringTests {
    @Test func choiceIsExactAndMultipleChoiceIsJaccard() throws {
        let schema = try scoringSchema("""
            {"name": "sentiment", "type": "choice", "options": ["pos", "neg", "neu"]},
            {"name": "topics", "type": "choice", "multiple": true, "required": false, "options": ["a", "b", "c", "d"]}
            """)
        let gold = try json(#"{"sentiment": "pos", "topics": ["a", "b", "c"]}"#)
        // topics: {b, c} shared of {a, b, c, d}: 2 / 4.
        let score = schema.score(try json(#"{"sentiment": "pos", "topics": ["b", "c", "d"]}"#), against: gold)
        #expect(score.fields == ["sentiment": 1, "topics": 0.5])
        #expect(score.overall == 0.75)
        // A field the annotation leaves out scores 0.
        let missing = schema.score(try json(#"{"sentiment": "neg"}"#), against: gold)
        #expect(missing.fields == ["sentiment": 0, "topics": 0])
        // A field the gold answer leaves out is not scored.
        let partial = schema.score(try json(#"{"sentiment": "pos", "topics": ["d"]}"#), against: try json(#"{"sentiment": "pos"}"#))
        #expect(partial.fields == ["sentiment": 1])
        #expect(partial.overall == 1)
        // Nothing to score: 1.
        #expect(schema.score(try json(#"{"sentiment": "pos"}"#), against: try json("{}")).overall == 1)
    }

    @Test func shortTextIsExactAfterNormalizingAndLongTextIsWordF1() throws {
        let schema = try scoringSchema(#"{"name": "answer", "type": "text"}"#)
        func score(_ value: String, _ gold: String, _ options: ScoringOptions = .init()) -> Double? {
            schema.score(.object(["answer": .string(value)]), against: .object(["answer": .string(gold)]), options: options).fields["answer"]
        }
        #expect(score("  PARIS\n", "Paris") == 1)
        #expect(score("Paris, France", "Paris") == 0)     // both short: exact only
        // 6 words each; shared bag: the, cat, sat, on, mat = 5; F1 = 2·5 / 12.
        #expect(close(score("The cat sat on a mat", "the cat sat on the mat"), 10.0 / 12.0))
        // With no short-text rule, [paris] against [paris, france]: F1 = 2·1 / 3.
        #expect(close(score("Paris, France", "Paris", ScoringOptions(shortTextWords: 0)), 2.0 / 3.0))
        #expect(score("something else entirely here", "the cat sat on the mat") == 0)
    }

    @Test func spansAreExactMatchF1AndRelationsMatchBySpanContent() throws {
        let schema = try scoringSchema("""
            {"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]},
            {"name": "links", "type": "relations", "spans": "entities", "labels": ["located_in", "works_for"]}
            """)
        let gold = try json("""
            {"entities": [{"id": "s1", "start": 0, "end": 8, "label": "PER"}, {"id": "s2", "start": 17, "end": 22, "label": "LOC"}],
             "links": [{"head": "s1", "tail": "s2", "label": "located_in"}]}
            """)
        // One of two gold spans found among three marked: F1 = 2·1 / (2 + 3).
        let spans = try json("""
            {"entities": [{"id": "a", "start": 0, "end": 8, "label": "PER"}, {"id": "b", "start": 17, "end": 22, "label": "ORG"},
                          {"id": "c", "start": 23, "end": 28, "label": "LOC"}]}
            """)
        #expect(close(schema.score(spans, against: gold).fields["entities"], 0.4))
        // The same spans under other ids; one right relation and one extra: F1 = 2·1 / (1 + 2).
        let relations = try json("""
            {"entities": [{"id": "x", "start": 17, "end": 22, "label": "LOC"}, {"id": "y", "start": 0, "end": 8, "label": "PER"}],
             "links": [{"head": "y", "tail": "x", "label": "located_in"}, {"head": "x", "tail": "y", "label": "works_for"}]}
            """)
        let score = schema.score(relations, against: gold)
        #expect(score.fields["entities"] == 1)
        #expect(close(score.fields["links"], 2.0 / 3.0))
    }

    @Test func ratingCountsWithinToleranceAsRight() throws {
        let schema = try scoringSchema("""
            {"name": "rubric", "type": "rating", "dimensions": [{"name": "tone", "min": 1, "max": 7}, {"name": "accuracy", "min": 1, "max": 5}]}
            """)
        let gold = try json(#"{"rubric": {"scores": {"tone": 5, "accuracy": 2}}}"#)
        let value = try json(#"{"rubric": {"scores": {"tone": 6, "accuracy": 5}}}"#)
        // tone: 1 - 1/6; accuracy: 1 - 3/4.
        #expect(close(schema.score(value, against: gold).overall, ((1 - 1.0 / 6) + 0.25) / 2))
        // Within ±1, tone counts as right; accuracy is 3 away.
        #expect(close(schema.score(value, against: gold, options: ScoringOptions(ratingTolerance: 1)).overall, (1 + 0.25) / 2))
        #expect(schema.score(gold, against: gold).overall == 1)
    }

    @Test func rankingIsKendallTauBMappedToZeroOne() throws {
        let schema = try scoringSchema(#"{"name": "order", "type": "ranking", "items": "responses", "ties": true}"#)
        func score(_ value: String, _ gold: String) throws -> Double? {
            schema.score(try json(#"{"order": \#(value)}"#), against: try json(#"{"order": \#(gold)}"#)).fields["order"]
        }
        // One discordant pair of six: tau = (5 - 1) / 6.
        #expect(close(try score("[2, 1, 3, 4]", "[1, 2, 3, 4]"), (1 + 4.0 / 6) / 2))
        #expect(try score("[4, 3, 2, 1]", "[1, 2, 3, 4]") == 0)
        #expect(try score("[1, 2, 3, 4]", "[1, 2, 3, 4]") == 1)
        // With a tie: C = 2, D = 0, one tied pair in the gold: tau-b = 2 / √(2 · 3) (scipy: 0.8165).
        #expect(close(try score("[1, 2, 3]", "[1, 1, 2]"), (1 + 2 / 6.0.squareRoot()) / 2))
    }

    @Test func pairwiseNeedsTheSideAndGivesHalfForStrengthsTwoStepsApart() throws {
        let schema = try scoringSchema(#"{"name": "pick", "type": "pairwise", "items": "responses", "reason": "optional"}"#)
        func score(_ value: String, _ gold: String) throws -> Double? {
            schema.score(try json(#"{"pick": \#(value)}"#), against: try json(#"{"pick": \#(gold)}"#)).fields["pick"]
        }
        #expect(try score(#"{"winner": "a", "strength": 2}"#, #"{"winner": "a", "strength": 3}"#) == 1)
        #expect(try score(#"{"winner": "a", "strength": 1}"#, #"{"winner": "a", "strength": 3}"#) == 0.5)
        #expect(try score(#"{"winner": "b", "strength": 3}"#, #"{"winner": "a", "strength": 3}"#) == 0)
        #expect(try score(#"{"winner": "tie"}"#, #"{"winner": "tie"}"#) == 1)
    }

    @Test func flagsAndTaxonomy() throws {
        let schema = try scoringSchema("""
            {"name": "issues", "type": "flags", "flags": ["toxic", "false", "offtopic"]},
            {"name": "per", "type": "flags", "flags": ["toxic", "false"], "items": "responses"},
            {"name": "term", "type": "taxonomy", "taxonomy": "diseases"},
            {"name": "terms", "type": "taxonomy", "taxonomy": "diseases", "multiple": true}
            """)
        let gold = try json("""
            {"issues": ["toxic", "false"], "per": [["toxic"], []], "term": {"id": "D3", "path": ["D1", "D3"]},
             "terms": [{"id": "D1"}, {"id": "D2"}]}
            """)
        let value = try json("""
            {"issues": ["toxic"], "per": [["toxic", "false"], []], "term": {"id": "D3"}, "terms": [{"id": "D2"}, {"id": "D4"}]}
            """)
        let score = schema.score(value, against: gold)
        #expect(score.fields["issues"] == 0.5)
        #expect(score.fields["per"] == 0.75)     // (1/2 + 1) / 2: both empty counts 1
        #expect(score.fields["term"] == 1)
        #expect(close(score.fields["terms"], 1.0 / 3.0))
    }

    @Test func mqmAndCodeReviewAreSoftF1WithHalfCreditForAnotherSeverity() throws {
        let schema = try scoringSchema("""
            {"name": "errors", "type": "mqm", "source": "src", "target": "tgt"},
            {"name": "review", "type": "code_review", "source": "code"}
            """)
        let gold = try json("""
            {"errors": [{"start": 0, "end": 5, "category": "accuracy", "severity": "major"}, {"start": 10, "end": 15, "category": "fluency", "severity": "minor"}],
             "review": [{"start_line": 3, "end_line": 4, "category": "security", "severity": "critical", "comment": "SQL injection"}]}
            """)
        // One match (overlap, same category) with another severity: 2 · ½ / (2 + 2).
        let value = try json("""
            {"errors": [{"start": 2, "end": 6, "category": "accuracy", "severity": "minor"}, {"start": 20, "end": 25, "category": "style", "severity": "minor"}],
             "review": [{"start_line": 4, "end_line": 4, "category": "security", "severity": "critical", "comment": "injectable"},
                        {"start_line": 9, "end_line": 9, "category": "style", "severity": "low", "comment": "naming"}]}
            """)
        let score = schema.score(value, against: gold)
        #expect(score.fields["errors"] == 0.25)
        #expect(close(score.fields["review"], 2.0 / 3.0))   // 2 · 1 / (1 + 2)
        // A category that differs never matches.
        let wrong = try json(#"{"errors": [{"start": 0, "end": 5, "category": "style", "severity": "major"}], "review": []}"#)
        #expect(schema.score(wrong, against: gold).fields == ["errors": 0, "review": 0])
        // The matching maximises the credit: A pairs with Y (same severity, less overlap), not X; F1 = 2 · 1 / 3 either way.
        let one = try json(#"{"review": [{"start_line": 1, "end_line": 4, "category": "bug", "severity": "low", "comment": "A"}]}"#)
        let two = try json("""
            {"review": [{"start_line": 1, "end_line": 4, "category": "bug", "severity": "high", "comment": "X"},
                        {"start_line": 2, "end_line": 3, "category": "bug", "severity": "low", "comment": "Y"}]}
            """)
        #expect(close(schema.fieldSimilarities(one, two)["review"], 2.0 / 3))
        #expect(close(schema.fieldSimilarities(two, one)["review"], 2.0 / 3))
    }

    @Test func boxesMatchByIoUWithTheSameLabel() throws {
        let schema = try scoringSchema(#"{"name": "objects", "type": "boxes", "labels": ["car", "person"]}"#)
        func score(_ value: String, _ gold: String, _ options: ScoringOptions = .init()) throws -> Double? {
            schema.score(try json(#"{"objects": \#(value)}"#), against: try json(#"{"objects": \#(gold)}"#), options: options).fields["objects"]
        }
        let one = #"[{"id": "g", "label": "car", "x": 0, "y": 0, "width": 10, "height": 10}]"#
        // Shifted by half its width: 50 / 150 = 1/3, under 0.5 (unmatched) but over 0.3.
        let shifted = #"[{"id": "v", "label": "car", "x": 5, "y": 0, "width": 10, "height": 10}]"#
        #expect(try score(shifted, one) == 0)
        #expect(close(try score(shifted, one, ScoringOptions(iouThreshold: 0.3)), 1.0 / 3.0))
        #expect(try score(#"[{"id": "v", "label": "person", "x": 0, "y": 0, "width": 10, "height": 10}]"#, one) == 0)
        // One of two gold cars found with IoU 80 / 100: 0.8 / max(2, 1).
        let two = #"[{"id": "a", "label": "car", "x": 0, "y": 0, "width": 10, "height": 10}, {"id": "b", "label": "car", "x": 20, "y": 0, "width": 10, "height": 10}]"#
        #expect(close(try score(#"[{"id": "v", "label": "car", "x": 0, "y": 0, "width": 10, "height": 8}]"#, two), 0.4))
        #expect(try score("[]", "[]") == 1)
        #expect(try score(one, "[]") == 0)
        // The matching maximises the summed IoU (Hungarian): greedy on the best pair, A-X (9.5/10.5), would leave B
        // with Y (IoU 0.25, refused); A-Y (7/13) and B-X (7.5/12.5) score more.
        let gold = #"[{"id": "A", "label": "car", "x": 0, "y": 0, "width": 10, "height": 10}, {"id": "B", "label": "car", "x": 3, "y": 0, "width": 10, "height": 10}]"#
        let value = #"[{"id": "X", "label": "car", "x": 0.5, "y": 0, "width": 10, "height": 10}, {"id": "Y", "label": "car", "x": -3, "y": 0, "width": 10, "height": 10}]"#
        #expect(close(try score(value, gold), (7.0 / 13 + 0.6) / 2))
    }

    @Test func polygonsUsePolygonIoU() throws {
        let schema = try scoringSchema(#"{"name": "areas", "type": "polygons", "labels": ["road"]}"#)
        let gold = try json(#"{"areas": [{"id": "g", "label": "road", "points": [[0, 0], [4, 0], [4, 4], [0, 4]]}]}"#)
        // A square moved by 1: intersection 12, union 20.
        let value = try json(#"{"areas": [{"id": "v", "label": "road", "points": [[1, 0], [5, 0], [5, 4], [1, 4]]}]}"#)
        #expect(close(schema.score(value, against: gold).fields["areas"], 0.6))
        // Moved by 2: 8 / 24 = 1/3, unmatched at 0.5.
        let far = try json(#"{"areas": [{"id": "v", "label": "road", "points": [[2, 0], [6, 0], [6, 4], [2, 4]]}]}"#)
        #expect(schema.score(far, against: gold).fields["areas"] == 0)
    }

    @Test func keypointsUseOKS() throws {
        let schema = try scoringSchema("""
            {"name": "pose", "type": "keypoints", "points": [{"name": "head", "sigma": 0.1}, {"name": "foot", "sigma": 0.1}]}
            """)
        let gold = try json(#"{"pose": [{"id": "g", "label": "object", "keypoints": [[0, 0, 2], [10, 10, 2]]}]}"#)
        let value = try json(#"{"pose": [{"id": "v", "label": "object", "keypoints": [[0, 0, 2], [10, 11, 2]]}]}"#)
        // Area 10 × 10; the foot 1 px off: exp(-1 / (2 · 100 · 0.2²)) = exp(-0.125); the head exact.
        #expect(close(schema.score(value, against: gold).fields["pose"], (1 + exp(-0.125)) / 2, tolerance: 1e-12))
        #expect(schema.score(gold, against: gold).fields["pose"] == 1)
    }

    @Test func masksAreMeanPixelIoUPerLabel() throws {
        let schema = try scoringSchema(#"{"name": "regions", "type": "masks", "labels": ["tumour", "organ"]}"#)
        // 4 × 4: the gold's tumour is pixels 0..<8, the value's 4..<12: 4 / 12. The organ only the gold marks: 0.
        let gold = try json("""
            {"regions": [{"label": "tumour", "rle": {"size": [4, 4], "counts": [0, 8, 8]}}, {"label": "organ", "rle": {"size": [4, 4], "counts": [12, 4]}}]}
            """)
        let value = try json(#"{"regions": [{"label": "tumour", "rle": {"size": [4, 4], "counts": [4, 8, 4]}}]}"#)
        #expect(close(schema.score(value, against: gold).fields["regions"], (1.0 / 3 + 0) / 2))
        #expect(schema.score(gold, against: gold).fields["regions"] == 1)
    }

    @Test func eventsMatchByIntervalIoU() throws {
        let schema = try scoringSchema(#"{"name": "acts", "type": "events", "labels": ["run", "walk"]}"#)
        let gold = try json(#"{"acts": [{"id": "g", "label": "run", "start": 0, "end": 10}]}"#)
        #expect(close(schema.score(try json(#"{"acts": [{"id": "v", "label": "run", "start": 2, "end": 10}]}"#), against: gold).fields["acts"], 0.8))
        #expect(schema.score(try json(#"{"acts": [{"id": "v", "label": "run", "start": 5, "end": 15}]}"#), against: gold).fields["acts"] == 0)
        #expect(schema.score(try json(#"{"acts": [{"id": "v", "label": "walk", "start": 0, "end": 10}]}"#), against: gold).fields["acts"] == 0)
    }

    @Test func tracksScoreMOTA() throws {
        let schema = try scoringSchema(#"{"name": "cars", "type": "tracks", "labels": ["car"]}"#)
        let gold = try json("""
            {"cars": [{"id": "t", "label": "car", "keyframes": [{"frame": 0, "x": 0, "y": 0, "width": 10, "height": 10}, {"frame": 4, "x": 0, "y": 0, "width": 10, "height": 10}]}]}
            """)
        #expect(schema.score(gold, against: gold).fields["cars"] == 1)
        // Present at frames 0 and 1 only, of the gold's 0...4: 3 misses of 5 truth boxes.
        let value = try json("""
            {"cars": [{"id": "h", "label": "car", "keyframes": [{"frame": 0, "x": 0, "y": 0, "width": 10, "height": 10}, {"frame": 2, "outside": true}]}]}
            """)
        #expect(close(schema.score(value, against: gold).fields["cars"], 0.4))
        #expect(schema.score(try json(#"{"cars": []}"#), against: gold).fields["cars"] == 0)
    }

    @Test func chatIsNotScoredAndNothingUnreadableCrashes() throws {
        let schema = try scoringSchema("""
            {"name": "talk", "type": "chat", "endpoint": "model"},
            {"name": "objects", "type": "boxes", "labels": ["car"]},
            {"name": "pose", "type": "keypoints", "points": [{"name": "a"}, {"name": "b"}]},
            {"name": "order", "type": "ranking", "items": "responses"}
            """)
        let gold = try json("""
            {"talk": {"turns": []}, "objects": [{"id": "g", "label": "car", "x": 0, "y": 0, "width": 10, "height": 10}],
             "pose": [{"id": "k", "label": "object", "keypoints": [[1, 1, 2], [2, 2, 2]]}], "order": [1, 2]}
            """)
        let garbage = try json(#"{"talk": 3, "objects": [{"x": "?"}, 7], "pose": [{"id": "k", "label": "object", "keypoints": [[1, 1, 2]]}], "order": "first"}"#)
        let score = schema.score(garbage, against: gold)
        #expect(score.fields["talk"] == nil)
        #expect(score.fields == ["objects": 0, "pose": 0, "order": 0])
        #expect(schema.score(.string("nonsense"), against: gold).overall == 0)
        #expect(schema.similarity(.null, .array([])) == 1)   // list fields absent on both sides: empty lists
        _ = schema.consensus(of: [garbage, gold, .string("x")])
    }
}

@Suite("Consensus and similarity")
struct ScoringConsensusTests {
    @Test func majorityVoteBreaksTiesBySchemaOrderAndWeighsVotes() throws {
        let schema = try scoringSchema("""
            {"name": "sentiment", "type": "choice", "options": ["pos", "neg", "neu"]},
            {"name": "topics", "type": "choice", "multiple": true, "options": ["a", "b", "c"]}
            """)
        let tie = schema.consensus(of: [try json(#"{"sentiment": "neg", "topics": ["a"]}"#), try json(#"{"sentiment": "pos", "topics": ["a"]}"#)])
        #expect(field(tie, "sentiment") == .string("pos"))
        #expect(tie.fields["sentiment"] == FieldConsensus(agreement: 0, confidence: 0.5))
        let majority = schema.consensus(of: [try json(#"{"sentiment": "neu", "topics": ["a", "b"]}"#), try json(#"{"sentiment": "neg", "topics": ["a"]}"#),
                                             try json(#"{"sentiment": "neu", "topics": ["a", "c"]}"#)])
        #expect(field(majority, "sentiment") == .string("neu"))
        #expect(close(majority.fields["sentiment"]?.confidence, 2.0 / 3.0))
        // a by all three; b and c by one each and dropped: confidence (1 + 2/3 + 2/3) / 3.
        #expect(field(majority, "topics") == .array([.string("a")]))
        #expect(close(majority.fields["topics"]?.confidence, 7.0 / 9.0))
        // One worker weighing three times as much as each of the others carries the vote: 3 / 5.
        let weighted = schema.consensus(of: [try json(#"{"sentiment": "pos", "topics": ["b"]}"#), try json(#"{"sentiment": "neg", "topics": ["b"]}"#),
                                             try json(#"{"sentiment": "neg", "topics": ["b"]}"#)], weights: [3, 1, 1])
        #expect(field(weighted, "sentiment") == .string("pos"))
        #expect(close(weighted.fields["sentiment"]?.confidence, 0.6))
        // A required multiple choice nobody agrees on still gets an option (the first most picked).
        let split = schema.consensus(of: [try json(#"{"sentiment": "pos", "topics": ["c"]}"#), try json(#"{"sentiment": "pos", "topics": ["b"]}"#)])
        #expect(field(split, "topics") == .array([.string("b")]))
        #expect(split.agreement == 0.5)   // sentiment 1, topics 0
    }

    @Test func textConsensusIsTheMedoid() throws {
        let schema = try scoringSchema(#"{"name": "summary", "type": "text"}"#)
        let values = ["the quick brown fox jumps", "the quick brown fox leaps", "a slow green turtle crawls"].map { JSONValue.object(["summary": .string($0)]) }
        let result = schema.consensus(of: values)
        // Similarities: 1-2 0.8 (4 of 5 words), the others 0; the first two tie and the earlier wins.
        #expect(field(result, "summary") == .string("the quick brown fox jumps"))
        #expect(close(result.fields["summary"]?.confidence, (1 + 0.8 + 0) / 3))
        #expect(close(result.agreement, 0.8 / 3))
        #expect(close(schema.similarity(values[0], values[1]), 0.8))
    }

    @Test func spansKeepWhatMostMarkAndRelationsFollow() throws {
        let schema = try scoringSchema("""
            {"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]},
            {"name": "links", "type": "relations", "spans": "entities", "labels": ["located_in"]}
            """)
        let values = try [
            #"{"entities": [{"id": "a1", "start": 0, "end": 8, "label": "PER", "text": "Tim Cook"}, {"id": "a2", "start": 17, "end": 22, "label": "LOC"}], "links": [{"head": "a1", "tail": "a2", "label": "located_in"}]}"#,
            #"{"entities": [{"id": "b1", "start": 0, "end": 8, "label": "PER"}, {"id": "b2", "start": 17, "end": 22, "label": "ORG"}], "links": []}"#,
            #"{"entities": [{"id": "c1", "start": 17, "end": 22, "label": "LOC"}, {"id": "c2", "start": 0, "end": 8, "label": "PER"}], "links": [{"head": "c2", "tail": "c1", "label": "located_in"}]}"#,
        ].map(json)
        let result = schema.consensus(of: values)
        #expect(field(result, "entities") == (try json("""
            [{"id": "a1", "start": 0, "end": 8, "label": "PER", "text": "Tim Cook"}, {"id": "a2", "start": 17, "end": 22, "label": "LOC"}]
            """)))
        #expect(field(result, "links") == (try json(#"[{"head": "a1", "tail": "a2", "label": "located_in"}]"#)))
        #expect(close(result.fields["entities"]?.confidence, (1 + 2.0 / 3) / 2))
        #expect(close(result.fields["links"]?.confidence, 2.0 / 3))
        #expect(schema.validate(result.value, data: ["text": .string("Tim Cook visited Paris today")]) == [])
    }

    @Test func ratingTakesTheMedianAndAJustificationLongEnough() throws {
        let schema = try scoringSchema("""
            {"name": "rubric", "type": "rating", "dimensions": [{"name": "tone", "min": 1, "max": 7}], "justify_below": 3}
            """)
        let values = try [
            #"{"rubric": {"scores": {"tone": 6}, "justification": "fine"}}"#,
            #"{"rubric": {"scores": {"tone": 1}, "justification": "Hostile and dismissive"}}"#,
            #"{"rubric": {"scores": {"tone": 2}, "justification": "Rude reply, all told"}}"#,
        ].map(json)
        // Median 2 (under 3: a justification of 10+ characters is needed): the closest input's, the third's.
        let median = schema.consensus(of: values)
        #expect(field(median, "rubric") == (try json(#"{"scores": {"tone": 2}, "justification": "Rude reply, all told"}"#)))
        #expect(close(median.fields["rubric"]?.confidence, 1.0 / 3))
        #expect(close(schema.consensus(of: values, options: ScoringOptions(ratingTolerance: 1)).fields["rubric"]?.confidence, 2.0 / 3))
        // Mean 3: no justification is needed; the closest input with one (the third, 1 away) gives it.
        let mean = schema.consensus(of: values, options: ScoringOptions(ratingAggregate: .mean))
        #expect(field(mean, "rubric")?["scores"] == (try json(#"{"tone": 3}"#)))
        #expect(field(mean, "rubric")?["justification"] == .string("Rude reply, all told"))
        // An even count: the median of 2 and 5 is 3.5, rounded half up.
        let pair = schema.consensus(of: [values[2], try json(#"{"rubric": {"scores": {"tone": 5}}}"#)])
        #expect(field(pair, "rubric")?["scores"] == (try json(#"{"tone": 4}"#)))
        for result in [median, mean, pair] { #expect(schema.validate(result.value) == []) }
    }

    @Test func rankingByBordaAndPairwiseByMajority() throws {
        let schema = try scoringSchema("""
            {"name": "order", "type": "ranking", "items": "responses"},
            {"name": "pick", "type": "pairwise", "items": "pair", "reason_min_length": 3}
            """)
        let values = try [
            #"{"order": [1, 2, 3], "pick": {"winner": "b", "strength": 2, "reason": "clearer"}}"#,
            #"{"order": [2, 1, 3], "pick": {"winner": "a", "strength": 3, "reason": "shorter"}}"#,
            #"{"order": [1, 3, 2], "pick": {"winner": "b", "strength": 3, "reason": "more correct"}}"#,
        ].map(json)
        // Borda points: first 2 + 1 + 2 = 5, second 1 + 2 + 0 = 3, third 0 + 0 + 1 = 1.
        let result = schema.consensus(of: values)
        #expect(field(result, "order") == (try json("[1, 2, 3]")))
        // b by two of three; the median strength of 2 and 3 is 2.5, rounded half up; the first b voter's reason.
        #expect(field(result, "pick") == (try json(#"{"winner": "b", "strength": 3, "reason": "clearer"}"#)))
        #expect(close(result.fields["pick"]?.confidence, 2.0 / 3))
        // A split vote goes to the side the earliest input chose (no bias toward "a"); a Borda tie to the earlier candidate.
        let split = schema.consensus(of: [try json(#"{"order": [2, 1, 3], "pick": {"winner": "b", "strength": 1, "reason": "abc"}}"#),
                                          try json(#"{"order": [1, 2, 3], "pick": {"winner": "a", "strength": 1, "reason": "def"}}"#)])
        #expect(field(split, "pick")?["winner"] == .string("b"))
        #expect(field(split, "order") == (try json("[1, 2, 3]")))
        let data: [String: JSONValue] = ["responses": try json(#"["x", "y", "z"]"#), "pair": try json(#"["x", "y"]"#)]
        #expect(schema.validate(result.value, data: data) == [])
        #expect(schema.validate(split.value, data: data) == [])
    }

    @Test func boxConsensusOfThreeAnnotators() throws {
        let schema = try scoringSchema(#"{"name": "objects", "type": "boxes", "labels": ["car", "dog", "person"]}"#)
        let values = try [
            #"{"objects": [{"id": "a1", "label": "car", "x": 10, "y": 10, "width": 20, "height": 20}, {"id": "a2", "label": "person", "x": 100, "y": 100, "width": 10, "height": 10}]}"#,
            #"{"objects": [{"id": "b1", "label": "car", "x": 12, "y": 8, "width": 20, "height": 24}, {"id": "b2", "label": "dog", "x": 50, "y": 50, "width": 10, "height": 10}]}"#,
            #"{"objects": [{"id": "c1", "label": "car", "x": 11, "y": 12, "width": 18, "height": 18}, {"id": "c2", "label": "dog", "x": 52, "y": 50, "width": 10, "height": 10}]}"#,
        ].map(json)
        let result = schema.consensus(of: values)
        // Car: IoUs 0.69, 0.81, 0.61, one cluster; median edges left 11, top 10, right 30, bottom 30.
        // Dog: two of three (IoU 2/3), median edges 51, 50, 61, 60. The person: one of three, dropped.
        #expect(field(result, "objects") == (try json("""
            [{"id": "a1", "label": "car", "x": 11, "y": 10, "width": 19, "height": 20}, {"id": "b2", "label": "dog", "x": 51, "y": 50, "width": 10, "height": 10}]
            """)))
        #expect(close(result.fields["objects"]?.confidence, (1 + 2.0 / 3) / 2))
        #expect(schema.validate(result.value, data: ["image": .string("https://example.com/a.png"), "width": .number(200), "height": .number(200)]) == [])
        // One annotation's consensus is itself.
        let single = schema.consensus(of: [values[0]])
        #expect(single.value == values[0])
        #expect(single.agreement == 1)
        #expect(single.confidence == 1)
    }

    @Test func polygonKeypointEventAndTrackConsensus() throws {
        let schema = try scoringSchema("""
            {"name": "areas", "type": "polygons", "labels": ["road"]},
            {"name": "pose", "type": "keypoints", "points": [{"name": "head", "sigma": 0.5}, {"name": "foot", "sigma": 0.5}]},
            {"name": "acts", "type": "events", "labels": ["run"]},
            {"name": "cars", "type": "tracks", "labels": ["car"]}
            """)
        func track(_ x: Int) -> String {
            #"[{"id": "t", "label": "car", "keyframes": [{"frame": 0, "x": \#(x), "y": 0, "width": 10, "height": 10}, {"frame": 3, "outside": true}]}]"#
        }
        let values = try [
            #"{"areas": [{"id": "p", "label": "road", "points": [[0, 0], [4, 0], [4, 4], [0, 4]]}], "pose": [{"id": "k", "label": "object", "keypoints": [[10, 10, 2], [20, 20, 2]]}], "acts": [{"id": "e", "label": "run", "start": 0, "end": 10}], "cars": \#(track(0))}"#,
            #"{"areas": [{"id": "q", "label": "road", "points": [[1, 0], [5, 0], [5, 4], [1, 4]]}], "pose": [{"id": "k", "label": "object", "keypoints": [[12, 10, 2], [20, 22, 1]]}], "acts": [{"id": "e", "label": "run", "start": 2, "end": 12}], "cars": \#(track(2))}"#,
            #"{"areas": [{"id": "r", "label": "road", "points": [[0, 1], [4, 1], [4, 5], [0, 5]]}], "pose": [{"id": "k", "label": "object", "keypoints": [[11, 11, 2], [21, 21, 2]]}], "acts": [{"id": "e", "label": "run", "start": 1, "end": 9}], "cars": \#(track(1))}"#,
        ].map(json)
        let result = schema.consensus(of: values)
        // Polygons: p has IoU 0.6 with q and with r, but q and r only 9/23: complete linkage keeps p with q (2 of 3),
        // and p, first of the tie, stands for them.
        #expect(field(result, "areas") == (try json(#"[{"id": "p", "label": "road", "points": [[0, 0], [4, 0], [4, 4], [0, 4]]}]"#)))
        // Keypoints: medians (11, 10) and (20, 21); visibility 2, 1, 2 → 2.
        #expect(field(result, "pose") == (try json(#"[{"id": "k", "label": "object", "keypoints": [[11, 10, 2], [20, 21, 2]]}]"#)))
        // Events: IoUs 8/12, 8/10, 7/11; median start 1, end 10.
        #expect(field(result, "acts") == (try json(#"[{"id": "e", "label": "run", "start": 1, "end": 10}]"#)))
        // Tracks: present at frames 0...2 in all three, median x 1; out from frame 3.
        #expect(field(result, "cars") == (try json("""
            [{"id": "t", "label": "car", "keyframes": [{"frame": 0, "x": 1, "y": 0, "width": 10, "height": 10, "outside": false, "occluded": false}, {"frame": 3, "outside": true}]}]
            """)))
        let data: [String: JSONValue] = ["image": .string("https://example.com/a.png"), "video": .string("https://example.com/v.mp4"),
                                         "width": .number(100), "height": .number(100)]
        #expect(schema.validate(result.value, data: data) == [])
        #expect(close(result.fields["areas"]?.confidence, 2.0 / 3))
        for name in ["pose", "acts", "cars"] { #expect(result.fields[name]?.confidence == 1, "\(name)") }
    }

    @Test func maskConsensusIsAPixelMajority() throws {
        let schema = try scoringSchema(#"{"name": "regions", "type": "masks", "labels": ["tumour"]}"#)
        // A 1 × 4 image: pixels {0, 1}, {1, 2}, {0, 1, 2}: pixels 0 and 2 by two of three, 1 by all, 3 by none.
        let values = try ["[0, 2, 2]", "[1, 2, 1]", "[0, 3, 1]"].map {
            try json(#"{"regions": [{"label": "tumour", "rle": {"size": [1, 4], "counts": \#($0)}}]}"#)
        }
        let result = schema.consensus(of: values)
        #expect(field(result, "regions") == (try json(#"[{"label": "tumour", "rle": {"size": [1, 4], "counts": [0, 3, 1]}}]"#)))
        #expect(close(result.fields["regions"]?.confidence, (2.0 / 3 + 1 + 2.0 / 3) / 3))
        // IoUs: 1/3, 2/3, 2/3.
        #expect(close(result.fields["regions"]?.agreement, (1.0 / 3 + 2.0 / 3 + 2.0 / 3) / 3))
        #expect(schema.validate(result.value, data: ["image": .string("https://example.com/a.png"), "width": .number(4), "height": .number(1)]) == [])
    }

    @Test func optionalFieldMostLeaveOutIsLeftOut() throws {
        let schema = try scoringSchema("""
            {"name": "note", "type": "text", "required": false},
            {"name": "label", "type": "choice", "options": ["x", "y"]}
            """)
        let result = schema.consensus(of: [try json(#"{"label": "x", "note": "odd one"}"#), try json(#"{"label": "x"}"#), try json(#"{"label": "y"}"#)])
        #expect(result.value == (try json(#"{"label": "x"}"#)))
        #expect(close(result.fields["note"]?.confidence, 2.0 / 3))
        #expect(result.fields["note"]?.agreement == 0)    // the pairs with one note differ; the pair without is not compared
    }

    /// Random annotations jittered around a common truth: every consensus validates, whatever the weights.
    @Test func consensusOfRandomAnnotationsValidates() throws {
        let schema = try scoringSchema("""
            {"name": "objects", "type": "boxes", "parents": true, "min_boxes": 1, "max_boxes": 5,
             "labels": [{"value": "car", "attributes": [{"name": "occluded", "type": "boolean", "required": true}]}, "dog"]},
            {"name": "acts", "type": "events", "labels": ["run", "walk"]},
            {"name": "cars", "type": "tracks", "labels": ["car", "bike"]}
            """)
        let data: [String: JSONValue] = ["image": .string("https://example.com/a.png"), "width": .number(100), "height": .number(80),
                                         "video": .array((0..<20).map { .string("https://example.com/f\($0).png") })]
        var random = SplitMix(state: 42)
        for _ in 0..<150 {
            let truth = (0..<random.int(1...4)).map { _ in (random.double(0...80), random.double(0...60), random.int(0...15)) }
            var values: [JSONValue] = []
            for _ in 0..<random.int(1...5) {
                var boxes: [JSONValue] = [], events: [JSONValue] = [], tracks: [JSONValue] = []
                for (index, (x, y, frame)) in truth.enumerated() where random.double(0...1) > 0.2 {
                    let left = min(max(0, x + random.double(-2...2)), 85), top = min(max(0, y + random.double(-2...2)), 65)
                    var box: [String: JSONValue] = ["id": .string("b\(index)"), "label": .string(index % 2 == 0 ? "car" : "dog"), "x": .number(left),
                                                    "y": .number(top), "width": .number(random.double(5...15)), "height": .number(random.double(5...15))]
                    if index % 2 == 0 { box["attributes"] = .object(["occluded": .bool(random.int(0...1) == 1)]) }
                    if let parent = boxes.last?["id"], random.int(0...1) == 1 { box["parent"] = parent }
                    boxes.append(.object(box))
                    let start = max(0, frame + random.int(-1...1))
                    events.append(.object(["id": .string("e\(index)"), "label": .string("run"), "start": .number(Double(start)),
                                           "end": .number(Double(min(20, start + random.int(1...5))))]))
                    tracks.append(.object(["id": .string("t\(index)"), "label": .string("car"), "keyframes": .array([
                        .object(["frame": .number(Double(start)), "x": .number(left), "y": .number(top), "width": .number(10), "height": .number(10)]),
                        random.int(0...1) == 1 ? .object(["frame": .number(Double(start + 2)), "outside": .bool(true)])
                            : .object(["frame": .number(Double(start + 2)), "x": .number(left + 2), "y": .number(top), "width": .number(10), "height": .number(10)]),
                    ])]))
                }
                if boxes.isEmpty { boxes.append(.object(["id": .string("x"), "label": .string("dog"), "x": .number(1), "y": .number(1), "width": .number(9), "height": .number(9)])) }
                let value = JSONValue.object(["objects": .array(boxes), "acts": .array(events), "cars": .array(tracks)])
                try #require(schema.validate(value, data: data) == [])
                values.append(value)
            }
            let weights = random.int(0...1) == 1 ? values.map { _ in random.double(0...2) } : nil
            let options = ScoringOptions(iouThreshold: [0.3, 0.5, 0.7][random.int(0...2)])
            let result = schema.consensus(of: values, weights: weights, options: options)
            #expect(schema.validate(result.value, data: data) == [], "\(result.value.jsonText)")
            #expect((0...1).contains(result.confidence) && (0...1).contains(result.agreement))
        }
    }

    @Test func listConsensusThatBreaksTheLimitsFallsBackToTheMedoid() throws {
        let schema = try scoringSchema(#"{"name": "objects", "type": "boxes", "labels": ["car"], "min_boxes": 1}"#)
        let values = try [0, 40, 80].map { x in
            try json(#"{"objects": [{"id": "b\#(x)", "label": "car", "x": \#(x), "y": 0, "width": 10, "height": 10}]}"#)
        }
        // No box has a majority; an empty list would break min_boxes: the first (all tie) input stands.
        let result = schema.consensus(of: values)
        #expect(result.value == values[0])
        #expect(result.fields["objects"]?.confidence == 1.0 / 3)
    }
}

/// A small seeded generator (SplitMix64), so the random tests are the same every run.
private struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func double(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
