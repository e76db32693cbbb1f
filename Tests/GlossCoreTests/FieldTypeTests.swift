import Foundation
import GlossCore
import Testing

/// Parses a schema and checks values against it with task data: the helpers every field type test uses.
struct SchemaFixture {
    let schema: LabelSchema

    init(_ fields: String) throws {
        schema = try LabelSchema.parse(try JSONValue.parse("{\"fields\": [\(fields)]}"))
    }

    func errors(_ value: String, data: String) throws -> [FieldError] {
        schema.validate(try JSONValue.parse(value), data: try JSONValue.parse(data).objectValue ?? [:])
    }

    /// The messages of the errors at one path.
    func messages(_ value: String, data: String, at path: String) throws -> [String] {
        try errors(value, data: data).filter { $0.field == path }.map(\.message)
    }
}

func schemaErrors(_ fields: String) -> [FieldError] {
    do {
        _ = try LabelSchema.parse(try JSONValue.parse("{\"fields\": [\(fields)]}"))
        return []
    } catch let failure as ValidationFailure {
        return failure.errors
    } catch {
        return [FieldError(field: "?", message: "\(error)")]
    }
}

@Suite("Spans and relations") struct SpansTests {
    let fixture: SchemaFixture
    // "😀" is one code point (two UTF-16 units); "👍🏽" is two code points, one character; "é" is e + U+0301.
    let data = #"{"text": "😀 Tim Cook 👍🏽 visited Cafe\u0301 北京 today."}"#

    init() throws {
        fixture = try SchemaFixture("""
            {"name": "entities", "type": "spans", "source": "text",
             "labels": [{"value": "PER", "hotkey": "p"}, {"value": "ORG", "attributes": [{"name": "disambiguation", "options": ["company", "fruit"]}]}, "LOC"]},
            {"name": "links", "type": "relations", "spans": "entities", "labels": ["located_in", "works_for"]}
            """)
    }

    @Test func codePointOffsetsAreAccepted() throws {
        // "Tim Cook" is code points 2..<10 (UTF-16 would say 3..<11); "北京" is 28..<30.
        let value = #"{"entities": [{"id": "s1", "start": 2, "end": 10, "label": "PER", "text": "Tim Cook"}, {"id": "s2", "start": 28, "end": 30, "label": "LOC", "text": "北京"}], "links": [{"head": "s1", "tail": "s2", "label": "located_in"}]}"#
        #expect(try fixture.errors(value, data: data) == [])
        // The schema's canonical form parses back to the same schema.
        #expect(try LabelSchema.parse(fixture.schema.json) == fixture.schema)
    }

    @Test func utf16OffsetsAreCaughtByTheQuotedText() throws {
        let value = #"{"entities": [{"id": "s1", "start": 3, "end": 11, "label": "PER", "text": "Tim Cook"}]}"#
        let messages = try fixture.messages(value, data: data, at: "value.entities[0].text")
        #expect(messages.count == 1)
        #expect(messages.first?.contains("code points") == true)
    }

    @Test func offsetOutOfRange() throws {
        let value = #"{"entities": [{"id": "s1", "start": 30, "end": 99, "label": "LOC"}]}"#
        #expect(try fixture.messages(value, data: data, at: "value.entities[0].end") == ["is past the end of the text (37 code points)"])
        let reversed = #"{"entities": [{"id": "s1", "start": 5, "end": 5, "label": "LOC"}]}"#
        #expect(try fixture.messages(reversed, data: data, at: "value.entities[0].end") == ["must be greater than start"])
    }

    @Test func spanInsideACharacterIsRefused() throws {
        // 👍🏽 is code points 11..<13: ending at 12 splits the emoji from its skin tone.
        let split = #"{"entities": [{"id": "s1", "start": 11, "end": 12, "label": "LOC"}]}"#
        #expect(try fixture.messages(split, data: data, at: "value.entities[0].end").first?.contains("inside a character") == true)
        // "Cafe\u0301" is 22..<27: ending at 26 cuts off the combining accent.
        let accent = #"{"entities": [{"id": "s1", "start": 22, "end": 26, "label": "LOC"}]}"#
        #expect(try fixture.messages(accent, data: data, at: "value.entities[0].end").first?.contains("inside a character") == true)
        #expect(try fixture.errors(#"{"entities": [{"id": "s1", "start": 22, "end": 27, "label": "ORG", "text": "Cafe\u0301"}]}"#, data: data) == [])
    }

    @Test func overlapsAndRepeatsFollowTheSchema() throws {
        let overlapping = #"{"entities": [{"id": "s1", "start": 2, "end": 10, "label": "PER"}, {"id": "s2", "start": 6, "end": 10, "label": "ORG"}]}"#
        #expect(try fixture.messages(overlapping, data: data, at: "value.entities[1]").first?.contains("overlaps span 's1'") == true)
        let allowed = try SchemaFixture(#"{"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG"], "overlap": true}"#)
        #expect(try allowed.errors(overlapping, data: data) == [])
        let repeated = #"{"entities": [{"id": "s1", "start": 2, "end": 10, "label": "PER"}, {"id": "s2", "start": 2, "end": 10, "label": "PER"}]}"#
        #expect(try allowed.messages(repeated, data: data, at: "value.entities[1]") == ["repeats span 's1'"])
        let sameID = #"{"entities": [{"id": "s1", "start": 2, "end": 5, "label": "PER"}, {"id": "s1", "start": 6, "end": 10, "label": "PER"}]}"#
        #expect(try fixture.messages(sameID, data: data, at: "value.entities[1].id") == ["'s1' is used by another span"])
    }

    @Test func labelsAndAttributes() throws {
        let value = #"{"entities": [{"id": "s1", "start": 2, "end": 5, "label": "GPE"}, {"id": "s2", "start": 6, "end": 10, "label": "ORG", "attributes": {"disambiguation": "vegetable", "colour": "red"}}]}"#
        let errors = try fixture.errors(value, data: data)
        #expect(errors.map(\.field) == ["value.entities[0].label", "value.entities[1].attributes.colour", "value.entities[1].attributes.disambiguation"])
        #expect(try fixture.errors(#"{"entities": [{"id": "s1", "start": 6, "end": 10, "label": "ORG", "attributes": {"disambiguation": "company"}}]}"#, data: data) == [])
    }

    @Test func relationsPointAtSpansOfTheSameAnnotation() throws {
        let spans = #"[{"id": "s1", "start": 2, "end": 10, "label": "PER"}, {"id": "s2", "start": 28, "end": 30, "label": "LOC"}]"#
        let missing = #"{"entities": \#(spans), "links": [{"head": "s1", "tail": "s9", "label": "located_in"}]}"#
        #expect(try fixture.messages(missing, data: data, at: "value.links[0].tail") == ["'s9' is not a span of entities"])
        let selfLink = #"{"entities": \#(spans), "links": [{"head": "s1", "tail": "s1", "label": "located_in"}]}"#
        #expect(try fixture.messages(selfLink, data: data, at: "value.links[0].tail").count == 1)
        let twice = #"{"entities": \#(spans), "links": [{"head": "s1", "tail": "s2", "label": "located_in"}, {"head": "s1", "tail": "s2", "label": "located_in"}]}"#
        #expect(try fixture.messages(twice, data: data, at: "value.links[1].label") == ["repeats an earlier relation"])
        let badLabel = #"{"entities": \#(spans), "links": [{"head": "s1", "tail": "s2", "label": "born_in"}]}"#
        #expect(try fixture.messages(badLabel, data: data, at: "value.links[0].label").count == 1)
    }

    @Test func missingTextAndBadSchemas() throws {
        #expect(try fixture.messages(#"{"entities": []}"#, data: #"{"body": "x"}"#, at: "value.entities") == ["the task has no text at data.text to annotate"])
        #expect(fixture.schema.checkData(["body": .string("x")]).map(\.field) == ["data.text"])
        #expect(schemaErrors(#"{"name": "r", "type": "relations", "spans": "nothing", "labels": ["x"]}"#).map(\.field) == ["schema.fields[0].spans"])
        #expect(schemaErrors(#"{"name": "e", "type": "spans", "labels": ["x"]}"#).map(\.field) == ["schema.fields[0].source"])
        #expect(schemaErrors(#"{"name": "e", "type": "spans", "source": "t", "labels": [{"value": "A", "hotkey": "x"}, {"value": "B", "hotkey": "x"}]}"#).map(\.field) == ["schema.fields[0].labels"])
    }

    @Test func aMissingListIsEmpty() throws {
        // A sentence may hold no entity: a spans field left out is an empty list, unless min_spans says otherwise.
        #expect(try fixture.errors("{}", data: data) == [])
        let needsOne = try SchemaFixture(#"{"name": "entities", "type": "spans", "source": "text", "labels": ["PER"], "min_spans": 1}"#)
        #expect(try needsOne.messages("{}", data: data, at: "value.entities") == ["mark at least 1 span"])
    }
}

@Suite("Ratings, rankings, pairwise, flags") struct JudgingTests {
    let data = #"{"prompt": "My order is late.", "responses": ["Sorry! It ships today.", "Not my problem.", "Let me check the tracking."]}"#

    @Test func ratingScalesAndJustification() throws {
        let fixture = try SchemaFixture("""
            {"name": "quality", "type": "rating", "items": "responses", "justify_below": 3, "justification_min_length": 5,
             "dimensions": [{"name": "tone", "min": 1, "max": 7, "anchors": {"1": "Hostile", "7": "Warm"}}, {"name": "accuracy", "min": 1, "max": 7}]}
            """)
        let good = #"{"quality": [{"scores": {"tone": 6, "accuracy": 5}}, {"scores": {"tone": 1, "accuracy": 4}, "justification": "Dismissive."}, {"scores": {"tone": 5, "accuracy": 6}}]}"#
        #expect(try fixture.errors(good, data: data) == [])
        let offScale = #"{"quality": [{"scores": {"tone": 8, "accuracy": 5}}, {"scores": {"tone": 4, "accuracy": 4.5}}, {"scores": {"tone": 5}}]}"#
        let errors = try fixture.errors(offScale, data: data)
        #expect(errors.map(\.field) == ["value.quality[0].scores.tone", "value.quality[1].scores.accuracy", "value.quality[2].scores.accuracy"])
        #expect(errors[0].message == "must be a whole number from 1 to 7, got 8")
        let unjustified = #"{"quality": [{"scores": {"tone": 6, "accuracy": 5}}, {"scores": {"tone": 1, "accuracy": 4}, "justification": "bad"}, {"scores": {"tone": 5, "accuracy": 6}}]}"#
        #expect(try fixture.messages(unjustified, data: data, at: "value.quality[1].justification")
                == ["is required for a score below 3: at least 5 characters (has 3)"])
        let short = #"{"quality": [{"scores": {"tone": 6, "accuracy": 5}}]}"#
        #expect(try fixture.messages(short, data: data, at: "value.quality") == ["must have one entry per candidate: 3, has 1"])
        #expect(try LabelSchema.parse(fixture.schema.json) == fixture.schema)
        #expect(schemaErrors(#"{"name": "q", "type": "rating", "dimensions": [{"name": "tone", "min": 5, "max": 5}]}"#).map(\.field) == ["schema.fields[0].dimensions[0].max"])
    }

    @Test func rankingsWithAndWithoutTies() throws {
        let fixture = try SchemaFixture(#"{"name": "order", "type": "ranking", "items": "responses"}"#)
        #expect(try fixture.errors(#"{"order": [2, 3, 1]}"#, data: data) == [])
        #expect(try fixture.messages(#"{"order": [1, 1, 2]}"#, data: data, at: "value.order[1]")
                == ["rank 1 is also given to candidate A (this ranking allows no ties)"])
        #expect(try fixture.messages(#"{"order": [1, 2, 4]}"#, data: data, at: "value.order[2]") == ["must be a rank from 1 to 3, got 4"])
        #expect(try fixture.messages(#"{"order": [1, 2]}"#, data: data, at: "value.order") == ["must rank all 3 candidates (has 2 ranks)"])
        let ties = try SchemaFixture(#"{"name": "order", "type": "ranking", "items": "responses", "ties": true}"#)
        #expect(try ties.errors(#"{"order": [1, 1, 2]}"#, data: data) == [])
    }

    @Test func pairwiseStrengthAndReason() throws {
        let pair = #"{"prompt": "Hi", "responses": ["Hello!", "Go away."]}"#
        let fixture = try SchemaFixture(#"{"name": "better", "type": "pairwise", "items": "responses"}"#)
        #expect(try fixture.errors(#"{"better": {"winner": "a", "strength": 3, "reason": "B is rude to the user."}}"#, data: pair) == [])
        #expect(try fixture.errors(#"{"better": {"winner": "tie", "reason": "Both are equally fine."}}"#, data: pair) == [])
        #expect(try fixture.messages(#"{"better": {"winner": "a", "reason": "B is rude to the user."}}"#, data: pair, at: "value.better.strength").count == 1)
        #expect(try fixture.messages(#"{"better": {"winner": "tie", "strength": 2, "reason": "Both are fine here."}}"#, data: pair, at: "value.better.strength") == ["is not given for a tie"])
        #expect(try fixture.messages(#"{"better": {"winner": "b", "strength": 1, "reason": "meh"}}"#, data: pair, at: "value.better.reason")
                == ["is required: at least 10 characters (has 3)"])
        #expect(try fixture.messages(#"{"better": {"winner": "c", "strength": 1, "reason": "long enough reason"}}"#, data: pair, at: "value.better.winner").count == 1)
        #expect(try fixture.messages(#"{"better": {"winner": "a", "strength": 1}}"#, data: data, at: "value.better")
                == ["compares two candidates, but data.responses holds 3"])
    }

    @Test func flagsPerCandidate() throws {
        let fixture = try SchemaFixture(#"{"name": "issues", "type": "flags", "items": "responses", "flags": ["factual_error", "unsafe", "needless_refusal"]}"#)
        #expect(try fixture.errors(#"{"issues": [[], ["unsafe"], []]}"#, data: data) == [])
        #expect(try fixture.messages(#"{"issues": [[], ["rude"], []]}"#, data: data, at: "value.issues[1][0]").count == 1)
        #expect(try fixture.messages(#"{"issues": [[], ["unsafe", "unsafe"], []]}"#, data: data, at: "value.issues[1][1]") == ["'unsafe' is listed twice"])
        let single = try SchemaFixture(#"{"name": "issues", "type": "flags", "flags": ["unsafe"]}"#)
        #expect(try single.errors("{}", data: data) == [])
    }
}

@Suite("Rewrites, prompts, translation, MQM, code review") struct WritingTests {
    @Test func rewriteStoresAWordDiff() throws {
        let fixture = try SchemaFixture(#"{"name": "ideal", "type": "rewrite", "source": "response"}"#)
        let data = #"{"response": "The cat sat on the mat."}"#
        #expect(try fixture.messages(#"{"ideal": "The cat sat on the mat."}"#, data: data, at: "value.ideal") == ["is the same as the original: rewrite it"])
        let value = try JSONValue.parse(#"{"ideal": "The black cat sat on a mat."}"#)
        #expect(fixture.schema.validate(value, data: try JSONValue.parse(data).objectValue!) == [])
        let stored = fixture.schema.normalized(value, data: try JSONValue.parse(data).objectValue!)
        #expect(stored.objectValue?["ideal"]?.objectValue?["diff"] == (try JSONValue.parse(
            #"[["=", "The "], ["+", "black "], ["=", "cat sat on "], ["-", "the "], ["+", "a "], ["=", "mat."]]"#)))
    }

    @Test func wordDiffRebuildsBothTexts() {
        let old = "  one two  three\nfour five six", new = "one 2 three\nfour six seven "
        let runs = WordDiff.diff(from: old, to: new)
        #expect(runs.filter { $0.0 != .add }.map(\.1).joined() == old)
        #expect(runs.filter { $0.0 != .remove }.map(\.1).joined() == new)
    }

    @Test func promptConstraints() throws {
        let fixture = try SchemaFixture(#"{"name": "task", "type": "prompt", "min_length": 20, "tags": ["math", "physics"], "answer": "required"}"#)
        #expect(try fixture.errors(#"{"task": {"prompt": "Prove that there are infinitely many primes.", "answer": "Euclid: ...", "tags": ["math"]}}"#, data: "{}") == [])
        let errors = try fixture.errors(#"{"task": {"prompt": "Too short", "tags": ["art"]}}"#, data: "{}")
        #expect(errors.map(\.field) == ["value.task.prompt", "value.task.answer", "value.task.tags[0]", "value.task.tags"])
    }

    @Test func translationChecksTheGlossary() throws {
        let fixture = try SchemaFixture("""
            {"name": "es", "type": "translation", "source": "text", "source_language": "en", "target_language": "es-MX",
             "glossary": [{"source": "refund", "target": "reembolso"}, {"source": "order", "target": "pedido"}]}
            """)
        let data = #"{"text": "Your Refund was sent. Reordering is free."}"#
        #expect(try fixture.errors(#"{"es": "Su reembolso fue enviado. Volver a pedir es gratis."}"#, data: data) == [])
        // "Reordering" does not contain the whole word "order", so only the refund is checked.
        #expect(try fixture.messages(#"{"es": "Su devolución fue enviada."}"#, data: data, at: "value.es")
                == ["translates the glossary term 'refund' without 'reembolso'"])
        #expect(schemaErrors(#"{"name": "t", "type": "translation", "source": "text", "source_language": "english", "target_language": "es"}"#).map(\.field) == ["schema.fields[0].source_language"])
    }

    @Test func mqmScore() throws {
        let fixture = try SchemaFixture(#"{"name": "errors", "type": "mqm", "source": "src", "target": "tgt"}"#)
        // Ten source words; a major (5) and a minor (1) error: 100 - 100 × 6 / 10 = 40.
        let data = #"{"src": "one two three four five six seven eight nine ten", "tgt": "uno dos tres cuatro cinco seis siete ocho nueve diez"}"#
        let value = #"{"errors": [{"start": 0, "end": 3, "category": "accuracy", "severity": "major"}, {"start": 4, "end": 4, "category": "fluency", "severity": "minor", "comment": "missing word"}]}"#
        #expect(try fixture.errors(value, data: data) == [])
        guard case .mqm(let mqm) = fixture.schema.fields[0].kind else { Issue.record("not mqm"); return }
        let errors = try JSONValue.parse(value).objectValue!["errors"]!.arrayValue!
        #expect(mqm.score(errors: errors, sourceText: "one two three four five six seven eight nine ten") == 40)
        #expect(mqm.score(errors: [], sourceText: "one two") == 100)
        let custom = try SchemaFixture(#"{"name": "errors", "type": "mqm", "source": "src", "target": "tgt", "severities": {"minor": 1, "major": 10}}"#)
        guard case .mqm(let weighted) = custom.schema.fields[0].kind else { Issue.record("not mqm"); return }
        #expect(weighted.score(errors: errors, sourceText: "a b c d e f g h i j") == -10)
        #expect(try custom.messages(#"{"errors": [{"start": 0, "end": 3, "category": "accuracy", "severity": "critical"}]}"#, data: data, at: "value.errors[0].severity").count == 1)
        #expect(try fixture.messages(#"{"errors": [{"start": 0, "end": 300, "category": "accuracy", "severity": "minor"}]}"#, data: data, at: "value.errors[0].end").count == 1)
    }

    @Test func codeReviewLineRanges() throws {
        let fixture = try SchemaFixture(#"{"name": "review", "type": "code_review", "source": "files"}"#)
        let data = #"{"files": [{"path": "db.py", "language": "python", "content": "import sqlite3\ndef find(name):\n    return q(name)\n"}, {"path": "util.py", "language": "python", "content": "x = 1"}]}"#
        let good = #"{"review": [{"file": "db.py", "start_line": 2, "end_line": 3, "category": "security", "severity": "critical", "cwe": "CWE-89", "comment": "SQL injection", "suggestion": "return q(?, name)"}]}"#
        #expect(try fixture.errors(good, data: data) == [])
        let pastEnd = #"{"review": [{"file": "db.py", "start_line": 2, "end_line": 4, "category": "bug", "severity": "low", "comment": "x"}]}"#
        #expect(try fixture.messages(pastEnd, data: data, at: "value.review[0].end_line") == ["is past the end of db.py (3 lines)"])
        let bad = #"{"review": [{"file": "nope.py", "start_line": 1, "end_line": 1, "category": "vibes", "severity": "low", "cwe": "89", "comment": "x"}]}"#
        #expect(try fixture.errors(bad, data: data).map(\.field) == ["value.review[0].file", "value.review[0].category", "value.review[0].cwe"])
        #expect(fixture.schema.checkData(["files": .string("")]).isEmpty)
        #expect(fixture.schema.checkData(["files": .array([.object(["path": .string("a")])])]).map(\.field) == ["data.files[0]"])
    }
}
