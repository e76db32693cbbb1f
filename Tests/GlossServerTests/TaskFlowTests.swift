import Foundation
import GlossCore
@testable import GlossServer
import SQLKit
import Testing
import Vapor

@Suite("Import, leasing, annotating, export") struct TaskFlowTests {
    @Test func importsJSONArrayJSONLinesAndCSV() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let project = try await t.makeProject(requester)
            let array = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                            body: "[{\"data\": {\"text\": \"a\"}, \"prelabels\": [{\"model\": \"m1\", \"score\": 0.9, \"value\": {\"sentiment\": \"positive\"}}]},\n {\"data\": {\"text\": \"b\"}, \"priority\": 5}]",
                                            contentType: "application/json")
            #expect(array.status == .created)
            #expect(array.json["imported"]?.intValue == 2)
            let lines = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                            body: "{\"data\": {\"text\": \"c\"}, \"external_id\": \"c\"}\n\n{\"data\": {\"text\": \"d\"}}\n",
                                            contentType: "application/x-ndjson")
            #expect(lines.json["imported"]?.intValue == 2)
            let csv = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                          body: "text,external_id\n\"quoted, with \"\"quotes\"\"\nand a newline\",e1\nplain,e2\n",
                                          contentType: "text/csv")
            #expect(csv.json["imported"]?.intValue == 2, "\(csv.body)")
            let page = try await t.request(.GET, "/api/v1/projects/\(project)/tasks?limit=10", token: requester.token)
            let tasks = try #require(page.json["tasks"]?.arrayValue)
            #expect(tasks.count == 6)
            #expect(tasks[4]["data"]?["text"]?.stringValue == "quoted, with \"quotes\"\nand a newline")
            #expect(tasks[0]["prelabels"]?.arrayValue?.first?["model"]?.stringValue == "m1")
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_total"]?.intValue == 6)
            // Keyset pages
            let first = try await t.request(.GET, "/api/v1/projects/\(project)/tasks?limit=4", token: requester.token)
            let after = try #require(first.string("next_after"))
            let second = try await t.request(.GET, "/api/v1/projects/\(project)/tasks?limit=4&after=\(after)", token: requester.token)
            #expect(second.json["tasks"]?.arrayValue?.count == 2)
            #expect(second.json["next_after"] == .null)
        }
    }

    @Test func aBadLineRejectsTheWholeImportWithItsLineNumber() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let project = try await t.makeProject(requester)
            var lines = (1...2500).map { "{\"data\": {\"text\": \"t\($0)\"}}" }
            lines[2399] = "{\"data\": {\"text\": \"broken\"}"
            let reply = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                            body: lines.joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.json["line"]?.intValue == 2400)
            let badPrelabel = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                                  body: "{\"data\": {}}\n{\"data\": {}, \"prelabels\": [{\"model\": \"m\", \"value\": {\"sentiment\": \"meh\"}}]}",
                                                  contentType: "application/x-ndjson")
            #expect(badPrelabel.json["line"]?.intValue == 2)
            #expect(badPrelabel.string("field") == "prelabels[0].value.sentiment")
            let duplicate = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                                body: "[{\"data\": {}, \"external_id\": \"x\"},\n{\"data\": {}, \"external_id\": \"x\"}]",
                                                contentType: "application/json")
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.json["line"]?.intValue == 2)
            #expect(duplicate.string("field") == "external_id")
            let csv = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                          body: "text\nfine\n\"unterminated\n", contentType: "text/csv")
            #expect(csv.status == .unprocessableEntity)
            #expect(csv.json["line"]?.intValue == 3)
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_total"]?.intValue == 0)
            let count = try await t.sql.raw("SELECT COUNT(*) AS n FROM tasks").first()?.decode(column: "n", as: Int.self)
            #expect(count == 0)

            // An external id that the project already has is refused too.
            try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                body: "{\"data\": {}, \"external_id\": \"kept\"}", contentType: "application/x-ndjson")
            let again = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                            body: "{\"data\": {}, \"external_id\": \"new\"}\n{\"data\": {}, \"external_id\": \"kept\"}",
                                            contentType: "application/x-ndjson")
            #expect(again.status == .unprocessableEntity)
            #expect(again.json["line"]?.intValue == 2)
            let unsupported = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                                  body: "x", contentType: "application/xml")
            #expect(unsupported.status == .unsupportedMediaType)
        }
    }

    @Test func importsPastTheSizeLimitAreRefused() async throws {
        try await TestApp.run(maximumImportBytes: 1000) { t in
            let requester = try await t.makeUser(.requester)
            let project = try await t.makeProject(requester)
            let big = (1...100).map { "{\"data\": {\"text\": \"task number \($0)\"}}" }.joined(separator: "\n")
            let reply = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                            body: big, contentType: "application/x-ndjson")
            #expect(reply.status == .payloadTooLarge)
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_total"]?.intValue == 0)
        }
    }

    @Test func leasingFollowsThePolicy() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let alice = try await t.makeUser(.worker)
            let bob = try await t.makeUser(.worker)
            let project = try await t.makeProject(requester, overlap: 1, tasks: 3)
            let first = try await t.request(.GET, "/api/v1/projects/\(project)/next", token: alice.token)
            let firstID = try #require(first.string("id"))
            #expect(first.json["data"]?["text"]?.stringValue == "review 1")
            // Asking again returns the held task (a reload burns nothing); exclude gives the next one.
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next", token: alice.token).string("id") == firstID)
            let second = try await t.request(.GET, "/api/v1/projects/\(project)/next?exclude=\(firstID)", token: alice.token)
            let secondID = try #require(second.string("id"))
            #expect(secondID != firstID)
            // Bob gets the third; then nothing.
            let third = try await t.request(.GET, "/api/v1/projects/\(project)/next", token: bob.token)
            let thirdID = try #require(third.string("id"))
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next?exclude=\(thirdID)", token: bob.token).status == .noContent)
            // Bob cannot submit, skip or heartbeat Alice's task.
            #expect(try await t.request(.POST, "/api/v1/tasks/\(firstID)/annotations", token: bob.token,
                                        json: "{\"value\": {\"sentiment\": \"positive\"}}").status == .conflict)
            #expect(try await t.request(.POST, "/api/v1/tasks/\(firstID)/heartbeat", token: bob.token).status == .conflict)
            let beat = try await t.request(.POST, "/api/v1/tasks/\(firstID)/heartbeat", token: alice.token)
            #expect(beat.status == .ok)
            // Alice skips the second: Bob can have it, Alice never again.
            #expect(try await t.request(.POST, "/api/v1/tasks/\(secondID)/skip", token: alice.token).status == .noContent)
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next?exclude=\(thirdID)", token: bob.token).string("id") == secondID)
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next?exclude=\(firstID)", token: alice.token).status == .noContent)
            // Validation names the field; a valid value is stored and closes the lease.
            let bad = try await t.request(.POST, "/api/v1/tasks/\(firstID)/annotations", token: alice.token,
                                          json: "{\"value\": {\"sentiment\": \"great\", \"extra\": 1, \"note\": \"\(String(repeating: "x", count: 30))\"}}")
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(bad.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(fields == ["value.sentiment", "value.extra", "value.note"])
            let missing = try await t.request(.POST, "/api/v1/tasks/\(firstID)/annotations", token: alice.token, json: "{\"value\": {}}")
            #expect(missing.string("field") == "value.sentiment")
            let good = try await t.request(.POST, "/api/v1/tasks/\(firstID)/annotations", token: alice.token,
                                           json: "{\"value\": {\"sentiment\": \"negative\"}, \"time_spent_s\": 4.5}")
            #expect(good.status == .created)
            #expect(good.string("worker") == alice.email)
            #expect(try await t.request(.POST, "/api/v1/tasks/\(firstID)/annotations", token: alice.token,
                                        json: "{\"value\": {\"sentiment\": \"negative\"}}").status == .conflict)
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_done"]?.intValue == 1)
            #expect(shown.json["progress"]?["annotations"]?.intValue == 1)
        }
    }

    @Test func expiredLeasesGoBackToThePool() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let alice = try await t.makeUser(.worker)
            let bob = try await t.makeUser(.worker)
            let project = try await t.makeProject(requester, overlap: 1, tasks: 1)
            let taskID = try #require(try await t.request(.GET, "/api/v1/projects/\(project)/next", token: alice.token).string("id"))
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next", token: bob.token).status == .noContent)
            try await t.sql.raw("UPDATE assignments SET expires_at = 1").run()
            // Expired leases are reclaimed at most once a second per project.
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next", token: bob.token).string("id") == taskID)
            // Alice's lease is gone: her late submit is refused, and the task is not over-assigned.
            #expect(try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: alice.token,
                                        json: "{\"value\": {\"sentiment\": \"positive\"}}").status == .conflict)
            let load = try await t.sql.raw("SELECT load FROM tasks").first()?.decode(column: "load", as: Int.self)
            #expect(load == 1)
        }
    }

    @Test func exportsEveryFormat() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let alice = try await t.makeUser(.worker)
            let bob = try await t.makeUser(.worker)
            let project = try await t.makeProject(requester, overlap: 2, tasks: 3)
            #expect(try await t.labelAll(project, worker: alice, value: "{\"sentiment\": \"positive\", \"note\": \"a, \\\"b\\\"\"}").count == 3)
            #expect(try await t.labelAll(project, worker: bob, value: "{\"sentiment\": \"negative\"}").count == 3)
            let jsonl = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl", token: requester.token)
            let records = jsonl.body.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
            #expect(records.count == 3)
            let first = try #require(records.first ?? nil)
            #expect(first["external_id"]?.stringValue == "r1")
            let workers = Set(first["annotations"]?.arrayValue?.compactMap { $0["worker"]?.stringValue } ?? [])
            #expect(workers == [alice.email, bob.email])
            let json = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=json", token: requester.token)
            #expect(json.json.arrayValue?.count == 3)
            let csv = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=csv", token: requester.token)
            let rows = csv.body.split(separator: "\r\n")
            #expect(rows.first == "task_id,external_id,data,data.text,worker,sentiment,note,time_spent_s,created_at")
            #expect(rows.count == 7)
            #expect(csv.body.contains("\"a, \"\"b\"\"\""))
            let bad = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=xml", token: requester.token)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.string("field") == "format")
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_done"]?.intValue == 3)
            #expect(shown.json["progress"]?["annotations_required"]?.intValue == 6)
        }
    }

    /// 16 workers ask for tasks at once on an overlap-2 project: no task gets more than two workers, no worker
    /// gets a task twice, and every task is done exactly twice.
    @Test func sixteenConcurrentWorkersNeverOverAssign() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let project = try await t.makeProject(requester, overlap: 2, tasks: 40)
            var workers: [TestApp.Account] = []
            for _ in 0..<16 { workers.append(try await t.makeUser(.worker)) }
            let done = try await withThrowingTaskGroup(of: (String, [String]).self) { group in
                for worker in workers {
                    group.addTask { (worker.email, try await t.labelAll(project, worker: worker)) }
                }
                var all: [(String, [String])] = []
                for try await result in group { all.append(result) }
                return all
            }
            var perTask: [String: Int] = [:]
            for (_, tasks) in done {
                #expect(Set(tasks).count == tasks.count, "a worker got a task twice")
                for task in tasks { perTask[task, default: 0] += 1 }
            }
            #expect(perTask.count == 40)
            #expect(perTask.values.allSatisfy { $0 == 2 })
            let overloaded = try await t.sql.raw("SELECT COUNT(*) AS n FROM tasks WHERE load > target OR annotation_count > target")
                .first()?.decode(column: "n", as: Int.self)
            #expect(overloaded == 0)
        }
    }
}
