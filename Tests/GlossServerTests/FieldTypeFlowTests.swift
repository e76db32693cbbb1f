import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

/// Each field type of the language, LLM-evaluation and code work, over HTTP: a project with the type, an
/// import, a worker's good and bad submissions, and the exports that read it.
@Suite("Field types over the API") struct FieldTypeFlowTests {
    /// Creates a project with `fields`, imports `tasks` (JSON Lines), and returns its id.
    func project(_ t: TestApp, _ requester: TestApp.Account, fields: String, tasks: [String]) async throws -> String {
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                        json: "{\"name\": \"Typed\", \"schema\": {\"fields\": [\(fields)]}}")
        #expect(reply.status == .created, "\(reply.body)")
        let id = try #require(reply.string("id"))
        let imported = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token,
                                           body: tasks.joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(imported.status == .created, "\(imported.body)")
        return id
    }

    /// Leases the next task and submits `value`; returns the reply.
    func submit(_ t: TestApp, _ project: String, _ worker: TestApp.Account, _ value: String) async throws -> TestApp.Reply {
        let next = try await t.request(.GET, "/api/v1/projects/\(project)/next", token: worker.token)
        let taskID = try #require(next.string("id"))
        return try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: "{\"value\": \(value)}")
    }

    func export(_ t: TestApp, _ project: String, _ requester: TestApp.Account, _ format: String) async throws -> String {
        let reply = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=\(format)", token: requester.token)
        #expect(reply.status == .ok, "\(format): \(reply.body)")
        return reply.body
    }

    @Test func spansAndRelationsToCoNLL() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, fields: """
                {"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]},
                {"name": "links", "type": "relations", "spans": "entities", "labels": ["works_for"]}
                """, tasks: [#"{"data": {"text": "😀 Tim Cook leads Apple."}, "prelabels": [{"model": "ner-v1", "value": {"entities": [{"id": "p1", "start": 2, "end": 10, "label": "PER"}]}}]}"#])
            // An import whose data lacks the text is refused with its line.
            let missing = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                              body: "{\"data\": {\"text\": \"ok\"}}\n{\"data\": {\"body\": \"no text key\"}}", contentType: "application/x-ndjson")
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.json["line"]?.intValue == 2)
            #expect(missing.string("field") == "data.text")
            // UTF-16 offsets (what JavaScript counts) are refused, naming the field.
            let utf16 = try await submit(t, project, worker, #"{"entities": [{"id": "s1", "start": 3, "end": 11, "label": "PER", "text": "Tim Cook"}]}"#)
            #expect(utf16.status == .unprocessableEntity)
            #expect(utf16.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.entities[0].text")
            let dangling = try await submit(t, project, worker, #"{"entities": [{"id": "s1", "start": 2, "end": 10, "label": "PER"}], "links": [{"head": "s1", "tail": "s2", "label": "works_for"}]}"#)
            #expect(dangling.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.links[0].tail")
            let good = try await submit(t, project, worker, #"{"entities": [{"id": "s1", "start": 2, "end": 10, "label": "PER", "text": "Tim Cook"}, {"id": "s2", "start": 17, "end": 22, "label": "ORG", "text": "Apple"}], "links": [{"head": "s1", "tail": "s2", "label": "works_for"}]}"#)
            #expect(good.status == .created, "\(good.body)")
            let conll = try await export(t, project, requester, "conll")
            #expect(conll == "-DOCSTART- O\n\n😀 O\nTim B-PER\nCook I-PER\nleads O\nApple B-ORG\n. O\n\n")
            let jsonl = try await export(t, project, requester, "jsonl")
            let record = try JSONValue.parse(String(jsonl.split(separator: "\n")[0]))
            #expect(record["prelabels"]?.arrayValue?.first?["model"]?.stringValue == "ner-v1")
            #expect(record["annotations"]?.arrayValue?.first?["value"]?["links"]?.arrayValue?.count == 1)
            // A format the schema cannot fill is refused, naming the parameter.
            let dpo = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=dpo", token: requester.token)
            #expect(dpo.status == .unprocessableEntity)
            #expect(dpo.string("field") == "format")
        }
    }

    @Test func ratingsRankingsAndPairwiseToPreferenceData() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, fields: """
                {"name": "quality", "type": "rating", "items": "responses", "justify_below": 3,
                 "dimensions": [{"name": "tone", "min": 1, "max": 7}, {"name": "accuracy", "min": 1, "max": 7}]},
                {"name": "order", "type": "ranking", "items": "responses"},
                {"name": "issues", "type": "flags", "items": "responses", "flags": ["factual_error", "unsafe"]}
                """, tasks: [#"{"data": {"prompt": "Where is my parcel?", "responses": ["It arrives Monday.", "Not my job.", "Let me check."]}}"#])
            let scores = #"[{"scores": {"tone": 6, "accuracy": 6}}, {"scores": {"tone": 1, "accuracy": 4}, "justification": "Rude and unhelpful."}, {"scores": {"tone": 6, "accuracy": 5}}]"#
            let duplicate = try await submit(t, project, worker, #"{"quality": \#(scores), "order": [1, 1, 2], "issues": [[], [], []]}"#)
            #expect(duplicate.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.order[1]")
            let noReason = try await submit(t, project, worker, #"{"quality": [{"scores": {"tone": 6, "accuracy": 6}}, {"scores": {"tone": 1, "accuracy": 4}}, {"scores": {"tone": 6, "accuracy": 5}}], "order": [1, 3, 2], "issues": [[], [], []]}"#)
            #expect(noReason.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.quality[1].justification")
            let good = try await submit(t, project, worker, #"{"quality": \#(scores), "order": [1, 3, 2], "issues": [[], ["unsafe"], []]}"#)
            #expect(good.status == .created, "\(good.body)")
            let dpo = try await export(t, project, requester, "dpo").split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(dpo.map { $0["chosen"]?.stringValue ?? "" } == ["It arrives Monday.", "It arrives Monday.", "Let me check."])
            #expect(dpo.map { $0["rejected"]?.stringValue ?? "" } == ["Let me check.", "Not my job.", "Not my job."])
            let kto = try await export(t, project, requester, "kto").split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(kto.map { $0["label"]?.boolValue ?? true } == [true, false, true])
            let csv = try await export(t, project, requester, "ratings_csv")
            #expect(csv.hasPrefix("task_id,external_id,worker,field,candidate,tone,accuracy,justification,created_at\r\n"))
            #expect(csv.contains(",quality,B,1,4,Rude and unhelpful.,"))
        }
    }

    @Test func pairwiseRewriteAndPrompt() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, fields: """
                {"name": "better", "type": "pairwise", "items": "responses"},
                {"name": "ideal", "type": "rewrite", "source": "draft"},
                {"name": "new_prompt", "type": "prompt", "min_length": 10, "tags": ["billing", "shipping"], "required": false}
                """, tasks: [#"{"data": {"prompt": "Refund?", "responses": ["Yes, today.", "No."], "draft": "We will refund you soon."}}"#])
            let unchanged = try await submit(t, project, worker, #"{"better": {"winner": "a", "strength": 2, "reason": "A answers the question."}, "ideal": "We will refund you soon."}"#)
            #expect(unchanged.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.ideal")
            let good = try await submit(t, project, worker, #"{"better": {"winner": "a", "strength": 2, "reason": "A answers the question."}, "ideal": "We will refund you today.", "new_prompt": {"prompt": "Why was I charged twice?", "tags": ["billing"]}}"#)
            #expect(good.status == .created, "\(good.body)")
            // The stored rewrite keeps the server's word diff.
            #expect(good.json["value"]?["ideal"]?["diff"] == (try JSONValue.parse(#"[["=", "We will refund you "], ["-", "soon."], ["+", "today."]]"#)))
            let dpo = try await export(t, project, requester, "dpo")
            #expect(try JSONValue.parse(String(dpo.dropLast())) == JSONValue.parse(#"{"prompt": "Refund?", "chosen": "Yes, today.", "rejected": "No."}"#))
        }
    }

    @Test func codeReviewTranslationAndMQM() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let review = try await project(t, requester, fields: #"{"name": "review", "type": "code_review", "source": "files", "min_comments": 1}"#,
                                           tasks: [#"{"data": {"files": [{"path": "db.py", "language": "python", "content": "def find(db, name):\n    return db.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"}]}}"#])
            let pastEnd = try await submit(t, review, worker, #"{"review": [{"file": "db.py", "start_line": 2, "end_line": 9, "category": "security", "severity": "critical", "comment": "SQL injection"}]}"#)
            #expect(pastEnd.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.review[0].end_line")
            let none = try await submit(t, review, worker, "{}")
            #expect(none.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.review")
            let good = try await submit(t, review, worker, #"{"review": [{"file": "db.py", "start_line": 2, "end_line": 2, "category": "security", "severity": "critical", "cwe": "CWE-89", "comment": "SQL injection", "suggestion": "    return db.execute(\"SELECT * FROM users WHERE name = ?\", (name,))"}]}"#)
            #expect(good.status == .created, "\(good.body)")
            let exported = try await export(t, review, requester, "jsonl")
            #expect(exported.contains("CWE-89"))

            let mqm = try await project(t, requester, fields: """
                {"name": "translation", "type": "translation", "source": "en", "source_language": "en", "target_language": "es",
                 "glossary": [{"source": "refund", "target": "reembolso"}], "required": false},
                {"name": "errors", "type": "mqm", "source": "en", "target": "es"}
                """, tasks: [#"{"data": {"en": "Your refund is on its way to you now.", "es": "Su devolución está en camino."}}"#])
            let glossary = try await submit(t, mqm, worker, #"{"translation": "Su devolución va en camino."}"#)
            #expect(glossary.json["errors"]?.arrayValue?.first?["message"]?.stringValue == "translates the glossary term 'refund' without 'reembolso'")
            let errors = try await submit(t, mqm, worker, #"{"errors": [{"start": 3, "end": 13, "category": "terminology", "severity": "major", "comment": "refund is reembolso"}, {"start": 29, "end": 29, "category": "accuracy", "severity": "minor"}]}"#)
            #expect(errors.status == .created, "\(errors.body)")
            // Nine source words; a major (5) and a minor (1): 100 - 100 × 6 / 9 = 33.33.
            let csv = try await export(t, mqm, requester, "mqm_csv")
            #expect(csv.contains(",errors,3,13,devolución,terminology,major,5,refund is reembolso,33.33,9\r\n"), "\(csv)")
            let jsonl = try await export(t, mqm, requester, "jsonl")
            #expect(jsonl.contains(#""mqm_score":{"errors":33.33}"#))
        }
    }
}
