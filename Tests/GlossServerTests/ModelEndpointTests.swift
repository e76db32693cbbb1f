import Foundation
import GlossCore
@testable import GlossServer
import GlossStore
import SQLKit
import Testing
import Vapor

/// Model endpoints against a real HTTP server standing in for the model: keys stored encrypted, live chat
/// with two replies a turn, and the pre-label job queue with its retries and failures.
@Suite("Model endpoints, live chat and pre-labels") struct ModelEndpointTests {
    func project(_ t: TestApp, _ requester: TestApp.Account, fields: String) async throws -> String {
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                        json: "{\"name\": \"Models\", \"schema\": {\"fields\": [\(fields)]}}")
        #expect(reply.status == .created, "\(reply.body)")
        return try #require(reply.string("id"))
    }

    func endpoint(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ json: String) async throws -> TestApp.Reply {
        try await t.request(.POST, "/api/v1/projects/\(project)/endpoints", token: requester.token, json: json)
    }

    func importTasks(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ lines: [String]) async throws {
        let reply = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                        body: lines.joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(reply.status == .created, "\(reply.body)")
    }

    static let chatField = #"{"name": "conversation", "type": "chat", "endpoint": "assistant", "min_turns": 2, "max_turns": 3, "system": "You are a travel agent."}"#

    @Test func keysAreStoredEncryptedAndNeverReturned() async throws {
        try await ModelServer.run { model in
            try await TestApp.run { t in
                let requester = try await t.makeUser(.requester)
                let worker = try await t.makeUser(.worker)
                let id = try await project(t, requester, fields: #"{"name": "conversation", "type": "chat", "endpoint": "assistant"}"#)
                let created = try await endpoint(t, requester, id, """
                    {"name": "assistant", "kind": "chat", "url": "\(model.baseURL)/echo/v1/chat/completions", "model": "gpt-x", "api_key": "sk-secret-123"}
                    """)
                #expect(created.status == .created, "\(created.body)")
                #expect(created.json["has_key"] == .bool(true))
                #expect(!created.body.contains("sk-secret-123"))
                let stored = try await t.sql.raw("SELECT key_ciphertext FROM model_endpoints").first()?.decode(column: "key_ciphertext", as: String.self)
                #expect(stored != nil && stored?.contains("sk-secret") == false)
                let list = try await t.request(.GET, "/api/v1/projects/\(id)/endpoints", token: requester.token)
                #expect(!list.body.contains("sk-secret-123"))
                #expect(try await t.request(.GET, "/api/v1/projects/\(id)/endpoints", token: worker.token).status == .forbidden)
                // Bad input names the field.
                let badURL = try await endpoint(t, requester, id, #"{"name": "x", "kind": "chat", "url": "file:///etc/passwd"}"#)
                #expect(badURL.string("field") == "url")
                let twice = try await endpoint(t, requester, id, #"{"name": "assistant", "kind": "chat", "url": "http://example.com/v1"}"#)
                #expect(twice.string("field") == "name")
                let badKind = try await endpoint(t, requester, id, #"{"name": "y", "kind": "vision", "url": "http://example.com/v1"}"#)
                #expect(badKind.string("field") == "kind")
                let badKey = try await endpoint(t, requester, id, #"{"name": "y", "kind": "chat", "url": "http://example.com/v1", "api_key": "sk-a\nb"}"#)
                #expect(badKey.string("field") == "api_key")
                let userinfo = try await endpoint(t, requester, id, #"{"name": "y", "kind": "chat", "url": "http://me:pw@example.com/v1"}"#)
                #expect(userinfo.string("field") == "url")

                // The key reaches the endpoint as a bearer token, with the system prompt and the model name.
                try await importTasks(t, requester, id, [#"{"data": {"topic": "Plan a trip"}}"#])
                let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
                let taskID = try #require(next.string("id"))
                let sent = try await t.request(.POST, "/api/v1/tasks/\(taskID)/chat/conversation/messages", token: worker.token, json: #"{"content": "Hello"}"#)
                #expect(sent.status == .ok, "\(sent.body)")
                #expect(model.authorizations.withLockedValue { $0 } == ["Bearer sk-secret-123", "Bearer sk-secret-123"])
                #expect(sent.json["pending"]?["candidates"]?.arrayValue?.first?.stringValue == "I saw 1 messages; model gpt-x")

                // A key goes only to the origin it was given for: a new host drops it unless it is sent again.
                let endpointID = try #require(created.string("id"))
                let moved = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token,
                                                json: #"{"url": "http://attacker.example/v1/chat/completions"}"#)
                #expect(moved.json["has_key"] == .bool(false))
                _ = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token,
                                        json: "{\"url\": \"\(model.baseURL)/echo/v1/chat/completions\", \"api_key\": \"sk-secret-123\"}")
                // PATCH changes the model and removes the key; DELETE removes the endpoint.
                let patched = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token,
                                                  json: #"{"api_key": null, "timeout_seconds": 5}"#)
                #expect(patched.json["has_key"] == .bool(false))
                #expect(patched.json["timeout_seconds"]?.intValue == 5)
                let deleted = try await t.request(.DELETE, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token)
                #expect(deleted.status == .noContent)
                let gone = try await t.request(.POST, "/api/v1/tasks/\(taskID)/chat/conversation/choice", token: worker.token,
                                               json: #"{"winner": "a", "strength": 2, "reason": "It answers the question."}"#)
                #expect(gone.status == .ok, "the pending turn survives its endpoint: \(gone.body)")
                let noEndpoint = try await t.request(.POST, "/api/v1/tasks/\(taskID)/chat/conversation/messages", token: worker.token, json: #"{"content": "Next"}"#)
                #expect(noEndpoint.status == .serviceUnavailable)
            }
        }
    }

    @Test func liveChatTurnsResumeAndExportAsPreferencePairs() async throws {
        try await ModelServer.run { model in
            try await TestApp.run { t in
                let requester = try await t.makeUser(.requester)
                let worker = try await t.makeUser(.worker)
                let other = try await t.makeUser(.worker)
                let id = try await project(t, requester, fields: Self.chatField)
                _ = try await endpoint(t, requester, id, "{\"name\": \"assistant\", \"kind\": \"chat\", \"url\": \"\(model.chatURL)\", \"timeout_seconds\": 2}")
                try await importTasks(t, requester, id, [#"{"data": {"topic": "Plan a trip to Lisbon"}}"#])
                let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
                let taskID = try #require(next.string("id"))
                let base = "/api/v1/tasks/\(taskID)/chat/conversation"

                let empty = try await t.request(.GET, base, token: worker.token)
                #expect(empty.json["turns"] == .array([]))
                #expect(empty.json["pending"] == .null)
                #expect(empty.json["max_turns"]?.intValue == 3)
                // Only the worker holding the task can chat on it.
                #expect(try await t.request(.GET, base, token: other.token).status == .conflict)
                #expect(try await t.request(.GET, "/api/v1/tasks/\(taskID)/chat/nope", token: worker.token).status == .notFound)
                #expect(try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "  "}"#).string("field") == "content")

                let first = try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "Three days in Lisbon in May: what should I see?"}"#)
                #expect(first.status == .ok, "\(first.body)")
                let candidates = (first.json["pending"]?["candidates"]?.arrayValue ?? []).compactMap { $0.stringValue }
                #expect(candidates.count == 2 && candidates[0] != candidates[1])
                // One pending turn at a time; the choice is checked like a pairwise judgement.
                #expect(try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "again"}"#).status == .conflict)
                let noReason = try await t.request(.POST, "\(base)/choice", token: worker.token, json: #"{"winner": "b", "strength": 2}"#)
                #expect(noReason.status == .unprocessableEntity)
                #expect(noReason.string("field") == "choice.reason")
                // Submitting with a turn pending is refused.
                let early = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {}}"#)
                #expect(early.string("field") == "value.conversation")
                let chose = try await t.request(.POST, "\(base)/choice", token: worker.token,
                                                json: #"{"winner": "b", "strength": 2, "reason": "More concrete, and it asks a follow-up."}"#)
                #expect(chose.status == .ok, "\(chose.body)")
                #expect(chose.json["turns"]?.arrayValue?.first?["reply"]?.stringValue == candidates[1])
                #expect(chose.json["turns"]?.arrayValue?.first?["edited"] == .bool(false))

                // A reload (a fresh GET) resumes the conversation.
                let resumed = try await t.request(.GET, base, token: worker.token)
                #expect(resumed.json["turns"]?.arrayValue?.count == 1)

                // Too few turns for the schema: refused.
                let short = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {}}"#)
                #expect(short.string("field") == "value.conversation.turns")

                // A slow endpoint is a 504 and a failing one a 502; nothing of the conversation is lost.
                let endpoints = try await t.request(.GET, "/api/v1/projects/\(id)/endpoints", token: requester.token)
                let endpointID = try #require(endpoints.json["endpoints"]?.arrayValue?.first?["id"]?.stringValue)
                _ = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token,
                                        json: "{\"url\": \"\(model.chatURL)?mode=slow\", \"timeout_seconds\": 1}")
                let slow = try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "And for food?"}"#)
                #expect(slow.status == .gatewayTimeout)
                #expect(slow.string("detail")?.contains("did not answer within 1 s") == true)
                #expect(slow.string("detail")?.contains("saved") == true)
                _ = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token,
                                        json: "{\"url\": \"\(model.chatURL)?mode=fail\", \"timeout_seconds\": 2}")
                let failing = try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "And for food?"}"#)
                #expect(failing.status == .badGateway)
                #expect(failing.string("detail")?.contains("HTTP 503") == true)
                #expect(failing.string("detail")?.contains("on purpose") == false, "the endpoint's own error text is not shown to workers")
                #expect(try await t.request(.GET, base, token: worker.token).json["turns"]?.arrayValue?.count == 1)
                _ = try await t.request(.PATCH, "/api/v1/projects/\(id)/endpoints/\(endpointID)", token: requester.token, json: "{\"url\": \"\(model.chatURL)\"}")

                // Second turn, the chosen reply edited by the worker.
                let second = try await t.request(.POST, "\(base)/messages", token: worker.token, json: #"{"content": "And for food?"}"#)
                #expect(second.status == .ok, "\(second.body)")
                let rejected = try #require(second.json["pending"]?["candidates"]?.arrayValue?[1].stringValue)
                let edited = try await t.request(.POST, "\(base)/choice", token: worker.token,
                                                 json: #"{"winner": "a", "strength": 1, "reason": "Closer, but it needed names.", "reply": "Try pastéis de nata in Belém and grilled sardines in Alfama."}"#)
                #expect(edited.json["turns"]?.arrayValue?.last?["edited"] == .bool(true))

                // Submit: the server's conversation is what is stored, whatever the client sends for the field.
                let submitted = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                                    json: #"{"value": {"conversation": {"turns": []}}}"#)
                #expect(submitted.status == .created, "\(submitted.body)")
                #expect(submitted.json["value"]?["conversation"]?["turns"]?.arrayValue?.count == 2)
                #expect(try await t.request(.GET, base, token: worker.token).status == .conflict)

                // The DPO export: one conversational pair per turn, the system prompt and earlier turns in the prompt.
                let dpo = try await t.request(.GET, "/api/v1/projects/\(id)/export?format=dpo", token: requester.token)
                let lines = dpo.body.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
                #expect(lines.count == 2)
                let pair = try #require(lines.last ?? nil)
                let roles = pair["prompt"]?.arrayValue?.compactMap { $0["role"]?.stringValue }
                #expect(roles == ["system", "user", "assistant", "user"])
                #expect(pair["prompt"]?.arrayValue?[2]["content"]?.stringValue == candidates[1])
                #expect(pair["chosen"] == .array([.object(["role": "assistant", "content": "Try pastéis de nata in Belém and grilled sardines in Alfama."])]))
                #expect(pair["rejected"] == .array([.object(["role": "assistant", "content": .string(rejected)])]))
            }
        }
    }

    /// Runs the queue until nothing is due (retries wait a few hundredths of a second in tests).
    func drain(_ t: TestApp, until done: () async throws -> Bool) async throws {
        let runner = PrelabelRunner(context: t.app.gloss, retryBaseSeconds: 0.01)
        for _ in 0..<200 {
            try await runner.runDueJobs()
            if try await done() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the pre-label queue did not settle")
    }

    func jobs(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ query: String = "") async throws -> JSONValue {
        try await t.request(.GET, "/api/v1/projects/\(project)/prelabel-jobs\(query)", token: requester.token).json
    }

    @Test func prelabelEndpointsRunAfterImportWithRetries() async throws {
        try await ModelServer.run(flakyFailures: 2) { model in
            try await TestApp.run { t in
                let requester = try await t.makeUser(.requester)
                let worker = try await t.makeUser(.worker)
                let id = try await project(t, requester, fields: #"{"name": "sentiment", "type": "choice", "options": ["positive", "negative", "neutral"]}"#)
                // Tasks imported before the endpoint exists are not pre-labelled.
                try await importTasks(t, requester, id, [#"{"data": {"text": "before"}, "external_id": "old"}"#])
                _ = try await endpoint(t, requester, id, "{\"name\": \"standin\", \"kind\": \"prelabel\", \"url\": \"\(model.prelabelURL)\"}")
                _ = try await endpoint(t, requester, id, "{\"name\": \"flaky\", \"kind\": \"prelabel\", \"url\": \"\(model.baseURL)/flaky/prelabel\", \"max_attempts\": 3}")
                try await importTasks(t, requester, id, [#"{"data": {"text": "This is negative, sadly."}, "external_id": "t1"}"#])
                // The import committed the jobs with the tasks; nothing ran yet.
                #expect(try await jobs(t, requester, id)["counts"]?["queued"]?.intValue == 2)
                try await drain(t) { try await jobs(t, requester, id)["counts"]?["done"]?.intValue == 2 }
                #expect(model.flakyCalls.withLockedValue { $0 } == 3, "two failures, then an answer")
                let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
                #expect(next.string("external_id") == "old")
                #expect(next.json["prelabels"] == .array([]))
                _ = try await t.request(.POST, "/api/v1/tasks/\(try #require(next.string("id")))/skip", token: worker.token)
                let labelled = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
                let prelabels = try #require(labelled.json["prelabels"]?.arrayValue)
                #expect(Set(prelabels.compactMap { $0["model"]?.stringValue }) == [StandInModel.modelName, "flaky-v2"])
                #expect(prelabels.allSatisfy { $0["value"]?["sentiment"]?.stringValue == "negative" })
            }
        }
    }

    @Test func failingEndpointsNeverBlockAndFailVisibly() async throws {
        try await ModelServer.run { model in
            try await TestApp.run { t in
                let requester = try await t.makeUser(.requester)
                let worker = try await t.makeUser(.worker)
                let id = try await project(t, requester, fields: #"{"name": "sentiment", "type": "choice", "options": ["positive", "negative"]}"#)
                _ = try await endpoint(t, requester, id, "{\"name\": \"down\", \"kind\": \"prelabel\", \"url\": \"\(model.prelabelURL)?mode=fail\", \"max_attempts\": 2}")
                _ = try await endpoint(t, requester, id, "{\"name\": \"slow\", \"kind\": \"prelabel\", \"url\": \"\(model.prelabelURL)?mode=slow\", \"max_attempts\": 1, \"timeout_seconds\": 1}")
                _ = try await endpoint(t, requester, id, "{\"name\": \"wrong\", \"kind\": \"prelabel\", \"url\": \"\(model.prelabelURL)?mode=invalid\"}")
                try await importTasks(t, requester, id, [#"{"data": {"text": "fine"}, "external_id": "t1"}"#])
                // The task can be worked on at once, before and whatever the endpoints answer.
                let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
                #expect(next.status == .ok)
                try await drain(t) { try await jobs(t, requester, id)["counts"]?["failed"]?.intValue == 3 }
                let failed = try await jobs(t, requester, id, "?status=failed")
                let errors = Dictionary(uniqueKeysWithValues: (failed["jobs"]?.arrayValue ?? []).map {
                    ($0["endpoint"]?.stringValue ?? "", ($0["last_error"]?.stringValue ?? "", $0["attempts"]?.intValue ?? 0))
                })
                #expect(errors["down"]?.0.contains("HTTP 503") == true)
                #expect(errors["down"]?.1 == 2)
                #expect(errors["slow"]?.0.contains("did not answer within 1 s") == true)
                #expect(errors["wrong"]?.0.contains("has no 'value'") == true)
                #expect(errors["wrong"]?.1 == 1, "an unusable answer is not retried")
                let task = try await t.request(.GET, "/api/v1/projects/\(id)/tasks", token: requester.token)
                #expect(task.json["tasks"]?.arrayValue?.first?["prelabels"] == .array([]))
                // Retry puts them back in the queue.
                let retried = try await t.request(.POST, "/api/v1/projects/\(id)/prelabel-jobs/retry", token: requester.token)
                #expect(retried.json["requeued"]?.intValue == 3)
                #expect(try await jobs(t, requester, id)["counts"]?["queued"]?.intValue == 3)
            }
        }
    }

    /// A job taken by a process that died (running, its lock run out) is taken again; queued jobs are rows, so
    /// a restart finds them.
    @Test func jobsOfADeadProcessAreTakenAgain() async throws {
        try await ModelServer.run { model in
            try await TestApp.run { t in
                let requester = try await t.makeUser(.requester)
                let id = try await project(t, requester, fields: #"{"name": "sentiment", "type": "choice", "options": ["positive", "negative"]}"#)
                _ = try await endpoint(t, requester, id, "{\"name\": \"standin\", \"kind\": \"prelabel\", \"url\": \"\(model.prelabelURL)\"}")
                try await importTasks(t, requester, id, [#"{"data": {"text": "positive vibes"}}"#])
                let claimed = try await t.app.gloss.models.claim(limit: 8)
                #expect(claimed.count == 1)
                // Still locked: nobody else takes it.
                #expect(try await t.app.gloss.models.claim(limit: 8).isEmpty)
                // The process "dies": its lock runs out, and another runner takes the job again.
                try await t.sql.raw("UPDATE prelabel_jobs SET locked_until = 1").run()
                let retaken = try await t.app.gloss.models.claim(limit: 8)
                #expect(retaken.first?.attempts == 2)
                // The first runner's late answer changes nothing: the job is not its own any more.
                let late = try await t.app.gloss.models.complete(claimed[0], prelabel: .object(["model": "late", "value": .object([:])]))
                #expect(late == false)
                try await t.app.gloss.models.fail(claimed[0], error: "late failure", retryAt: nil)
                #expect(try await jobs(t, requester, id)["counts"]?["running"]?.intValue == 1)
                try await t.sql.raw("UPDATE prelabel_jobs SET locked_until = 1").run()
                try await drain(t) { try await jobs(t, requester, id)["counts"]?["done"]?.intValue == 1 }
                let done = try await jobs(t, requester, id, "?status=done")
                #expect(done["jobs"]?.arrayValue?.first?["attempts"]?.intValue == 3)
                let tasks = try await t.request(.GET, "/api/v1/projects/\(id)/tasks", token: requester.token)
                #expect(tasks.json["tasks"]?.arrayValue?.first?["prelabels"]?.arrayValue?.count == 1, "applied once")
            }
        }
    }
}
