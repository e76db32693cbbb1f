import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

/// The quality pipeline over HTTP, on SQLite and PostgreSQL: gold, spot checks, peer review with rework and
/// corrections, the expert stage, flags, rules, consensus with dynamic overlap, adjudication and the export.
@Suite("Quality pipeline") struct QualityPipelineTests {
    static let schema = """
    {"fields": [{"name": "sentiment", "type": "choice", "options": ["positive", "negative", "neutral"]},
                {"name": "why", "type": "text", "required": false}],
     "rules": [{"type": "min_length", "field": "why", "min": 10, "severity": "soft", "message": "Say why in ten characters or more"},
               {"type": "forbid", "when": {"sentiment": "neutral", "why": "great"}, "message": "neutral is not great"}]}
    """

    func project(_ t: TestApp, _ requester: TestApp.Account, overlap: Int = 1, policy: String = "{}", lines: [String]) async throws -> String {
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                        json: "{\"name\": \"Q\", \"schema\": \(Self.schema), \"overlap\": \(overlap), \"quality_policy\": \(policy)}")
        #expect(reply.status == .created, "\(reply.body)")
        let id = try #require(reply.string("id"))
        let imported = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token, body: lines.joined(separator: "\n"),
                                           contentType: "application/x-ndjson")
        #expect(imported.status == .created, "\(imported.body)")
        return id
    }

    func tasks(_ t: TestApp, _ requester: TestApp.Account, _ project: String) async throws -> [String] {
        let page = try await t.request(.GET, "/api/v1/projects/\(project)/tasks?limit=100", token: requester.token)
        return (page.json["tasks"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    func submit(_ t: TestApp, _ worker: TestApp.Account, _ task: String, _ value: String, confirm: Bool = false) async throws -> TestApp.Reply {
        try await t.request(.POST, "/api/v1/tasks/\(task)/annotations", token: worker.token,
                            json: "{\"value\": \(value), \"time_spent_s\": 12\(confirm ? ", \"confirm\": true" : "")}")
    }

    func next(_ t: TestApp, _ worker: TestApp.Account, _ project: String) async throws -> TestApp.Reply {
        try await t.request(.GET, "/api/v1/projects/\(project)/next", token: worker.token)
    }

    func grant(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ user: TestApp.Account, level: String = "reviewer",
               specialties: [String] = []) async throws {
        let list = specialties.map { "\"\($0)\"" }.joined(separator: ",")
        let reply = try await t.request(.POST, "/api/v1/projects/\(project)/reviewers", token: requester.token,
                                        json: "{\"email\": \"\(user.email)\", \"level\": \"\(level)\", \"specialties\": [\(list)]}")
        #expect(reply.status == .created, "\(reply.body)")
    }

    // MARK: Gold

    /// Twin tasks that differ only in being gold: every response a worker can get is the same once ids and
    /// times are swapped out; the gold answer is scored and feeds the worker's quality.
    @Test func goldTasksAreIndistinguishableAndScored() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0.5, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}}",
                                            lines: ["{\"data\": {\"text\": \"twin\"}}", "{\"data\": {\"text\": \"twin\"}}"])
            let ids = try await tasks(t, requester, project)
            let gold = try await t.request(.PUT, "/api/v1/tasks/\(ids[1])/gold", token: requester.token,
                                           json: "{\"answer\": {\"sentiment\": \"positive\"}}")
            #expect(gold.status == .ok, "\(gold.body)")
            let badGold = try await t.request(.PUT, "/api/v1/tasks/\(ids[0])/gold", token: requester.token, json: "{\"answer\": {\"sentiment\": \"meh\"}}")
            #expect(badGold.status == .unprocessableEntity)
            #expect(badGold.string("field") == "answer.sentiment")
            let forbidden = try await t.request(.PUT, "/api/v1/tasks/\(ids[0])/gold", token: worker.token, json: "{\"answer\": {\"sentiment\": \"positive\"}}")
            #expect(forbidden.status == .forbidden)

            var bodies: [String: [String]] = [:]
            func normalized(_ text: String, _ taskID: String, _ extra: [String] = []) -> String {
                var text = text.replacingOccurrences(of: taskID, with: "TASK")
                for id in extra { text = text.replacingOccurrences(of: id, with: "ID") }
                return text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT[0-9:.]+Z"#, with: "TIME", options: .regularExpression)
            }
            for _ in 0..<2 {
                let leased = try await next(t, worker, project)
                let taskID = try #require(leased.string("id"))
                var seen = [normalized(leased.body, taskID)]
                let beat = try await t.request(.POST, "/api/v1/tasks/\(taskID)/heartbeat", token: worker.token)
                seen.append("\(beat.status.code) " + normalized(beat.body, taskID))
                let submitted = try await submit(t, worker, taskID, "{\"sentiment\": \"negative\", \"why\": \"it reads negative\"}")
                let annotationID = try #require(submitted.string("id"))
                seen.append("\(submitted.status.code) " + normalized(submitted.body, taskID, [annotationID]))
                let mine = try await t.request(.GET, "/api/v1/tasks/\(taskID)/annotations", token: worker.token)
                seen.append(normalized(mine.body, taskID, [annotationID]))
                // The project as the worker sees it after each (no progress counter a gold task would not move).
                let shownProject = try await t.request(.GET, "/api/v1/projects/\(project)", token: worker.token)
                #expect(shownProject.json["progress"] == nil && shownProject.json["quality_policy"] == nil)
                seen.append(normalized(shownProject.body, taskID))
                let page = try await t.request(.GET, "/projects/\(project)", token: worker.token)
                seen.append(normalized(page.body, taskID))
                let flagged = try await t.request(.POST, "/api/v1/tasks/\(taskID)/flags", token: worker.token, json: "{\"note\": \"unclear\"}")
                seen.append("\(flagged.status.code) " + normalized(flagged.body, taskID, [flagged.string("id") ?? "-"]))
                bodies[taskID] = seen
            }
            #expect(bodies.count == 2)
            #expect(bodies[ids[0]] == bodies[ids[1]])
            #expect(try await next(t, worker, project).status == .noContent)

            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            let entry = try #require(report.json["workers"]?.arrayValue?.first)
            #expect(entry["gold"]?["count"]?.intValue == 1)
            #expect(entry["gold"]?["mean"]?.numberValue == 0)
            #expect(report.json["tasks"]?["gold"]?.intValue == 1)
            let goldList = try await t.request(.GET, "/api/v1/projects/\(project)/gold", token: requester.token)
            #expect(goldList.json["gold"]?.arrayValue?.first?["attempts"]?.intValue == 1)
            // The final export carries the gold answer for the gold task, marked as such.
            let export = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl&answers=final", token: requester.token)
            #expect(export.headers.first(name: "X-Gloss-Answers") == "final")
            let lines = export.body.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            let goldLine = try #require(lines.first { $0["id"]?.stringValue == ids[1] })
            #expect(goldLine["annotations"]?[0]?["source"]?.stringValue == "gold")
            #expect(goldLine["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "positive")
            // Removing gold puts the task back in the queue.
            let removed = try await t.request(.DELETE, "/api/v1/tasks/\(ids[1])/gold", token: requester.token)
            #expect(removed.status == .noContent)
        }
    }

    /// Gold answers can come with the import: the task is gold from the start; a bad answer names its line.
    @Test func goldAnswersImportWithTheirTasks() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let project = try await project(t, requester, lines: [
                "{\"data\": {\"text\": \"normal\"}}",
                "{\"data\": {\"text\": \"gold\"}, \"gold\": {\"sentiment\": \"negative\"}}",
            ])
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_total"]?.intValue == 1, "gold tasks are not work to do")
            let gold = try await t.request(.GET, "/api/v1/projects/\(project)/gold", token: requester.token)
            #expect(gold.json["gold"]?.arrayValue?.count == 1)
            #expect(gold.json["gold"]?[0]?["answer"]?["sentiment"]?.stringValue == "negative")
            let bad = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                          body: "{\"data\": {}}\n{\"data\": {}, \"gold\": {\"sentiment\": \"meh\"}}", contentType: "application/x-ndjson")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.json["line"]?.intValue == 2)
            #expect(bad.string("field") == "gold.sentiment")
            let after = try await t.request(.GET, "/api/v1/projects/\(project)/tasks", token: requester.token)
            #expect(after.json["tasks"]?.arrayValue?.count == 2, "nothing of the failed import is kept")
        }
    }

    // MARK: Review

    /// Spot checks review a new worker's every annotation; a reviewer accepts, rejects (the task returns to
    /// its worker with the comment) and corrects (a new version; the worker's is kept).
    @Test func reviewRejectReworkAndCorrect() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)
            let outsider = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0, \"expert_sample\": 0}",
                                            lines: (1...3).map { "{\"data\": {\"text\": \"t\($0)\"}}" })
            let ids = try await tasks(t, requester, project)
            for id in ids {
                #expect(try await next(t, worker, project).string("id") == id)
                #expect(try await submit(t, worker, id, "{\"sentiment\": \"positive\", \"why\": \"clearly positive\"}").status == .created)
            }
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            #expect(report.json["queues"]?["review"]?.intValue == 3)

            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next", token: outsider.token).status == .forbidden)
            try await grant(t, requester, project, reviewer)
            let queues = try await t.request(.GET, "/api/v1/reviews", token: reviewer.token)
            #expect(queues.json["queues"]?[0]?["open"]?["review"]?.intValue == 3)

            // Accept the first.
            let first = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token)
            #expect(first.json["reason"]?.stringValue == "spot_check")
            #expect(!first.body.contains(worker.email), "reviewers never see who wrote an annotation")
            let firstID = try #require(first.string("id"))
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token).string("id") == firstID)
            let accepted = try await t.request(.POST, "/api/v1/reviews/\(firstID)", token: reviewer.token, json: "{\"verdict\": \"accept\"}")
            #expect(accepted.json["verdict"]?.stringValue == "accept", "\(accepted.body)")
            #expect(try await t.request(.POST, "/api/v1/reviews/\(firstID)", token: reviewer.token, json: "{\"verdict\": \"accept\"}").status == .conflict)

            // Reject the second: a comment is required; the worker gets it back with the comment.
            let second = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token)
            let secondID = try #require(second.string("id"))
            let secondTask = try #require(second.json["task"]?["id"]?.stringValue)
            let noComment = try await t.request(.POST, "/api/v1/reviews/\(secondID)", token: reviewer.token, json: "{\"verdict\": \"reject\"}")
            #expect(noComment.status == .unprocessableEntity)
            #expect(noComment.string("field") == "comment")
            _ = try await t.request(.POST, "/api/v1/reviews/\(secondID)", token: reviewer.token,
                                    json: "{\"verdict\": \"reject\", \"comment\": \"It is <b>negative</b>: read the guideline\"}")
            let rework = try await next(t, worker, project)
            #expect(rework.string("id") == secondTask)
            #expect(rework.json["rework"]?["comment"]?.stringValue == "It is <b>negative</b>: read the guideline")
            #expect(rework.json["rework"]?["value"]?["sentiment"]?.stringValue == "positive")
            #expect(try await t.request(.POST, "/api/v1/tasks/\(secondTask)/heartbeat", token: worker.token).status == .ok)
            let redone = try await submit(t, worker, secondTask, "{\"sentiment\": \"negative\", \"why\": \"it complains a lot\"}")
            #expect(redone.status == .created)
            #expect(redone.json["version"]?.intValue == 2)
            let versions = try await t.request(.GET, "/api/v1/tasks/\(secondTask)/annotations", token: worker.token)
            #expect(versions.json["annotations"]?.arrayValue?.count == 2, "the worker's first version is kept")

            // Correct the third: the reviewer's version is current; the worker's stays theirs.
            let third = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token)
            let thirdID = try #require(third.string("id"))
            let thirdTask = try #require(third.json["task"]?["id"]?.stringValue)
            let badCorrection = try await t.request(.POST, "/api/v1/reviews/\(thirdID)", token: reviewer.token,
                                                    json: "{\"verdict\": \"correct\", \"value\": {\"sentiment\": \"meh\"}}")
            #expect(badCorrection.string("field") == "value.sentiment")
            let corrected = try await t.request(.POST, "/api/v1/reviews/\(thirdID)", token: reviewer.token,
                                                json: "{\"verdict\": \"correct\", \"value\": {\"sentiment\": \"neutral\", \"why\": \"mixed feelings\"}}")
            #expect(corrected.json["verdict"]?.stringValue == "correct", "\(corrected.body)")
            let current = try await t.request(.GET, "/api/v1/tasks/\(thirdTask)/annotations", token: requester.token)
            #expect(current.json["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "neutral")
            #expect(current.json["annotations"]?[0]?["status"]?.stringValue == "corrected")
            let own = try await t.request(.GET, "/api/v1/tasks/\(thirdTask)/annotations", token: worker.token)
            #expect(own.json["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "positive")

            // The resubmitted rework is back in review; the export carries current versions.
            let back = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token)
            #expect(back.json["reason"]?.stringValue == "rework")
            #expect(back.json["annotation"]?["version"]?.intValue == 2)
            #expect(back.json["history"]?[0]?["verdict"]?.stringValue == "reject")
            let export = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl", token: requester.token)
            let lines = export.body.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            let sentiments = lines.map { $0["annotations"]?[0]?["value"]?["sentiment"]?.stringValue }
            #expect(sentiments == ["positive", "negative", "neutral"])
            let report2 = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            let entry = try #require(report2.json["workers"]?.arrayValue?.first { $0["worker"]?.stringValue == worker.email })
            #expect(entry["review"]?["count"]?.intValue == 3)
            #expect(entry["rejected"]?.intValue == 1)
            #expect(entry["corrected"]?.intValue == 1)
        }
    }

    /// With `rejected: reassign`, a rejected task gets one more answer from another worker.
    @Test func rejectedAnnotationsCanGoToAnotherWorker() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let other = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0, \"rejected\": \"reassign\", \"expert_sample\": 0}",
                                            lines: ["{\"data\": {\"text\": \"only\"}}"])
            let task = try #require(try await next(t, worker, project).string("id"))
            _ = try await submit(t, worker, task, "{\"sentiment\": \"positive\", \"why\": \"clearly positive\"}")
            #expect(try await next(t, other, project).status == .noContent)
            try await grant(t, requester, project, reviewer)
            let item = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next", token: reviewer.token)
            _ = try await t.request(.POST, "/api/v1/reviews/\(item.string("id") ?? "")", token: reviewer.token,
                                    json: "{\"verdict\": \"reject\", \"comment\": \"wrong\"}")
            #expect(try await next(t, worker, project).status == .noContent, "the worker does not get it back")
            #expect(try await next(t, other, project).string("id") == task)
        }
    }

    /// A reviewer who saw a task under review is never handed it to answer: their answer would not be
    /// independent of the one they reviewed.
    @Test func reviewersAreNotServedTasksTheyReviewed() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)
            let project = try await project(t, requester, overlap: 2, policy: "{\"gold_rate\": 0}",
                                            lines: ["{\"data\": {\"text\": \"a\"}}", "{\"data\": {\"text\": \"b\"}}"])
            let ids = try await tasks(t, requester, project)
            let submitted = try await submit(t, worker, try #require(try await next(t, worker, project).string("id")),
                                             "{\"sentiment\": \"positive\", \"why\": \"clearly positive\"}")
            #expect(submitted.status == .created)
            try await grant(t, requester, project, reviewer)
            let item = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next", token: reviewer.token)
            #expect(item.json["task"]?["id"]?.stringValue == ids[0])
            #expect(try await next(t, reviewer, project).string("id") == ids[1])
        }
    }

    // MARK: Expert stage and flags

    @Test func escalationsAndFlagsReachExpertsOfTheirSpecialty() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)
            let oncologist = try await t.makeUser(.worker)
            let lawyer = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0, \"expert_sample\": 0}",
                                            lines: ["{\"data\": {\"text\": \"a\"}}", "{\"data\": {\"text\": \"b\"}}"])
            try await grant(t, requester, project, reviewer)
            try await grant(t, requester, project, oncologist, level: "expert", specialties: ["Oncology"])
            try await grant(t, requester, project, lawyer, level: "expert", specialties: ["securities law"])
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=expert", token: reviewer.token).status == .forbidden)

            let first = try #require(try await next(t, worker, project).string("id"))
            let badFlag = try await t.request(.POST, "/api/v1/tasks/\(first)/flags", token: worker.token, json: "{\"kind\": \"weird\", \"note\": \"x\"}")
            #expect(badFlag.string("field") == "kind")
            let flag = try await t.request(.POST, "/api/v1/tasks/\(first)/flags", token: worker.token,
                                           json: "{\"kind\": \"edge_case\", \"note\": \"Is a <script> tag a tumour?\", \"specialty\": \"oncology\"}")
            #expect(flag.status == .created, "\(flag.body)")
            #expect(try await t.request(.POST, "/api/v1/tasks/\(first)/flags", token: reviewer.token, json: "{\"note\": \"x\"}").status == .notFound)
            _ = try await submit(t, worker, first, "{\"sentiment\": \"positive\", \"why\": \"clearly positive\"}")

            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=expert", token: lawyer.token).status == .noContent)
            let item = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=expert", token: oncologist.token)
            #expect(item.json["reason"]?.stringValue == "flag")
            #expect(item.json["flag"]?["note"]?.stringValue == "Is a <script> tag a tumour?")
            let itemID = try #require(item.string("id"))
            let resolved = try await t.request(.POST, "/api/v1/reviews/\(itemID)", token: oncologist.token,
                                               json: "{\"verdict\": \"resolve\", \"comment\": \"Guideline 3 now covers it\", \"final\": {\"sentiment\": \"neutral\"}}")
            #expect(resolved.status == .ok, "\(resolved.body)")
            let flags = try await t.request(.GET, "/api/v1/projects/\(project)/flags", token: requester.token)
            #expect(flags.json["flags"]?[0]?["status"]?.stringValue == "resolved")
            #expect(flags.json["flags"]?[0]?["resolution"]?.stringValue == "Guideline 3 now covers it")
            let final = try await t.request(.GET, "/api/v1/tasks/\(first)/final", token: requester.token)
            #expect(final.json["source"]?.stringValue == "adjudicated")

            // A reviewer escalates to the experts of a specialty.
            let review = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next", token: reviewer.token)
            let escalated = try await t.request(.POST, "/api/v1/reviews/\(review.string("id") ?? "")", token: reviewer.token,
                                                json: "{\"verdict\": \"escalate\", \"comment\": \"needs a lawyer\", \"specialty\": \"Securities law\"}")
            #expect(escalated.status == .ok, "\(escalated.body)")
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=expert", token: oncologist.token).status == .noContent)
            let forLawyer = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=expert", token: lawyer.token)
            #expect(forLawyer.json["reason"]?.stringValue == "escalated")
            let verdict = try await t.request(.POST, "/api/v1/reviews/\(forLawyer.string("id") ?? "")", token: lawyer.token, json: "{\"verdict\": \"accept\"}")
            #expect(verdict.status == .ok)
        }
    }

    // MARK: Rules

    @Test func hardRulesRefuseSoftRulesAskToConfirmAndGoToReview() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}}",
                                            lines: ["{\"data\": {\"text\": \"a\"}}"])
            let task = try #require(try await next(t, worker, project).string("id"))
            let hard = try await submit(t, worker, task, "{\"sentiment\": \"neutral\", \"why\": \"great\"}", confirm: true)
            #expect(hard.status == .unprocessableEntity)
            #expect(hard.string("detail") == nil || hard.string("type") != "/problems/confirm")
            let soft = try await submit(t, worker, task, "{\"sentiment\": \"positive\", \"why\": \"ok\"}")
            #expect(soft.status == .unprocessableEntity)
            #expect(soft.string("type") == "/problems/confirm")
            #expect(soft.string("field") == "value.why")
            #expect(soft.json["errors"]?[0]?["message"]?.stringValue == "Say why in ten characters or more")
            let confirmed = try await submit(t, worker, task, "{\"sentiment\": \"positive\", \"why\": \"ok\"}", confirm: true)
            #expect(confirmed.status == .created)
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            #expect(report.json["queues"]?["review"]?.intValue == 1, "a confirmed soft rule is reviewed even with spot checks off")
        }
    }

    // MARK: Consensus

    /// Overlap 2 that disagrees asks a third answer (dynamic overlap); the majority becomes the final answer;
    /// a requester adjudicates; the export carries all annotations or the final answers.
    @Test func consensusDynamicOverlapAndAdjudication() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let workers = [try await t.makeUser(.worker), try await t.makeUser(.worker), try await t.makeUser(.worker)]
            let project = try await project(t, requester, overlap: 2,
                                            policy: "{\"gold_rate\": 0, \"overlap\": {\"dynamic\": true, \"max\": 3}, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}}",
                                            lines: ["{\"data\": {\"text\": \"agree\"}}", "{\"data\": {\"text\": \"split\"}}"])
            let ids = try await tasks(t, requester, project)
            let answers = [["positive", "positive"], ["positive", "negative"]]
            for (w, worker) in workers.prefix(2).enumerated() {
                for (index, id) in ids.enumerated() {
                    #expect(try await next(t, worker, project).string("id") == id)
                    _ = try await submit(t, worker, id, "{\"sentiment\": \"\(answers[index][w])\", \"why\": \"a reason here\"}")
                }
            }
            // The split task asks for a third answer; the agreed one is final.
            #expect(try await next(t, workers[2], project).string("id") == ids[1])
            let agreed = try await t.request(.GET, "/api/v1/tasks/\(ids[0])/final", token: requester.token)
            #expect(agreed.json["source"]?.stringValue == "consensus")
            #expect(agreed.json["agreement"]?.numberValue == 1)
            _ = try await submit(t, workers[2], ids[1], "{\"sentiment\": \"negative\", \"why\": \"a reason here\"}")
            let split = try await t.request(.GET, "/api/v1/tasks/\(ids[1])/final", token: requester.token)
            #expect(split.json["value"]?["sentiment"]?.stringValue == "negative")
            #expect(split.json["answers"]?.intValue == 3)
            let project2 = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(project2.json["progress"]?["tasks_done"]?.intValue == 2)

            let disagreements = try await t.request(.GET, "/api/v1/projects/\(project)/disagreements", token: requester.token)
            let first = try #require(disagreements.json["disagreements"]?[0])
            #expect(first["task"]?["id"]?.stringValue == ids[1])
            #expect(first["answers"]?.arrayValue?.count == 3)
            let chosen = try #require(first["answers"]?.arrayValue?.first { $0["value"]?["sentiment"]?.stringValue == "positive" }?["annotation_id"]?.stringValue)
            let adjudicated = try await t.request(.PUT, "/api/v1/tasks/\(ids[1])/final", token: requester.token, json: "{\"annotation_id\": \"\(chosen)\"}")
            #expect(adjudicated.json["source"]?.stringValue == "adjudicated")
            #expect(adjudicated.json["value"]?["sentiment"]?.stringValue == "positive")

            let all = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl&answers=all", token: requester.token)
            let allLines = all.body.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            #expect(allLines.map { $0["annotations"]?.arrayValue?.count ?? 0 } == [2, 3])
            let final = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl&answers=final", token: requester.token)
            let finalLines = final.body.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            #expect(finalLines.map { $0["annotations"]?[0]?["source"]?.stringValue } == ["consensus", "adjudicated"])
            #expect(finalLines[1]["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "positive")
            let csv = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=csv&answers=final", token: requester.token)
            #expect(csv.body.contains(",adjudicated,"))
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/export?answers=some", token: requester.token).string("field") == "answers")

            // Agreement: two units, the second with three coders (positive, negative, negative) after the third.
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=200", token: requester.token)
            // A consensus computed again (two answers, then three) replaces the worker's earlier agreement figure.
            let firstWorker = try #require(report.json["workers"]?.arrayValue?.first { $0["worker"]?.stringValue == workers[0].email })
            #expect(firstWorker["consensus"]?["count"]?.intValue == 2)
            #expect(firstWorker["consensus"]?["mean"]?.numberValue.map { abs($0 - 0.75) < 1e-9 } == true, "1 on the first task; on the second the sentiment 0, the reason 1")
            let measure = try #require(report.json["fields"]?[0]?["measures"]?[0]?["report"])
            #expect(measure["units"]?.intValue == 2)
            #expect(measure["percent_agreement"]?.numberValue.map { abs($0 - 0.5) < 1e-9 } == true)
        }
    }

    /// Automation where it is safe: a confident pre-label is the answer without any worker, a confident
    /// consensus is accepted, and a Dawid-Skene policy labels the final export; each is marked.
    @Test func confidentPrelabelsAndConsensusAreAcceptedAndMarked() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let workers = [try await t.makeUser(.worker), try await t.makeUser(.worker)]
            let policy = "{\"gold_rate\": 0, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}, \"consensus\": {\"categorical\": \"dawid_skene\"}, "
                + "\"auto_accept\": {\"prelabel_score\": 0.9, \"consensus_confidence\": 0.99}}"
            let project = try await project(t, requester, overlap: 2, policy: policy, lines: [
                "{\"data\": {\"text\": \"sure\"}, \"prelabels\": [{\"model\": \"m\", \"score\": 0.95, \"value\": {\"sentiment\": \"negative\"}}]}",
                "{\"data\": {\"text\": \"unsure\"}, \"prelabels\": [{\"model\": \"m\", \"score\": 0.5, \"value\": {\"sentiment\": \"negative\"}}]}",
                "{\"data\": {\"text\": \"split\"}}",
            ])
            let ids = try await tasks(t, requester, project)
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: requester.token)
            #expect(shown.json["progress"]?["tasks_done"]?.intValue == 1)
            for worker in workers {
                for (index, id) in ids.dropFirst().enumerated() {
                    #expect(try await next(t, worker, project).string("id") == id, "the confident pre-label's task is never served")
                    let label = index == 1 && worker.email == workers[1].email ? "neutral" : "positive"
                    _ = try await submit(t, worker, id, "{\"sentiment\": \"\(label)\", \"why\": \"a reason here\"}")
                }
                #expect(try await next(t, worker, project).status == .noContent)
            }
            let final = try await t.request(.GET, "/api/v1/projects/\(project)/export?format=jsonl&answers=final", token: requester.token)
            let lines = final.body.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            #expect(lines.map { $0["annotations"]?[0]?["source"]?.stringValue } == ["prelabel", "auto_accepted", "consensus"])
            #expect(lines[0]["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "negative")
            #expect(lines[0]["annotations"]?[0]?["confidence"]?.numberValue == 0.95)
            #expect(lines[1]["annotations"]?[0]?["value"]?["sentiment"]?.stringValue == "positive")
            #expect(["positive", "neutral"].contains(lines[2]["annotations"]?[0]?["value"]?["sentiment"]?.stringValue ?? "-"))
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            #expect(report.json["tasks"]?["final"]?["prelabel"]?.intValue == 1)
        }
    }

    /// Pairwise judgements across a project make a model leaderboard by Bradley-Terry strength.
    @Test func pairwiseJudgementsMakeABradleyTerryLeaderboard() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let schema = #"{"fields": [{"name": "better", "type": "pairwise", "items": "responses", "strength": false, "reason": "none"}]}"#
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                              json: "{\"name\": \"Arena\", \"schema\": \(schema), \"quality_policy\": {\"gold_rate\": 0}}")
            let project = try #require(created.string("id"))
            let pairs = [("m-a", "m-b"), ("m-b", "m-a"), ("m-a", "m-c"), ("m-b", "m-c")]
            let lines = pairs.map { "{\"data\": {\"responses\": [{\"text\": \"one\", \"model\": \"\($0.0)\"}, {\"text\": \"two\", \"model\": \"\($0.1)\"}]}}" }
            _ = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token, body: lines.joined(separator: "\n"),
                                    contentType: "application/x-ndjson")
            // m-a beats m-b twice (once from each side), beats m-c; m-b beats m-c.
            for winner in ["a", "b", "a", "a"] {
                let task = try #require(try await next(t, worker, project).string("id"))
                let reply = try await submit(t, worker, task, "{\"better\": {\"winner\": \"\(winner)\"}}")
                #expect(reply.status == .created, "\(reply.body)")
            }
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            let board = try #require(report.json["leaderboards"]?[0])
            #expect(board["field"]?.stringValue == "better")
            #expect(board["comparisons"]?.intValue == 4)
            #expect(board["items"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["m-a", "m-b", "m-c"])
            #expect(board["items"]?[0]?["wins"]?.intValue == 3)
        }
    }

    // MARK: Standing, guidelines, access

    @Test func workersBelowThePauseThresholdGetNoMoreTasks() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let policy = "{\"gold_rate\": 0.5, \"thresholds\": {\"min_observations\": 2, \"pause_below\": 0.5}, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}}"
            let project = try await project(t, requester, policy: policy, lines: (1...6).map { "{\"data\": {\"text\": \"t\($0)\"}}" })
            let ids = try await tasks(t, requester, project)
            for id in ids.prefix(3) {
                _ = try await t.request(.PUT, "/api/v1/tasks/\(id)/gold", token: requester.token, json: "{\"answer\": {\"sentiment\": \"positive\"}}")
            }
            var paused = false
            for _ in 0..<6 {
                let leased = try await next(t, worker, project)
                if leased.status == .forbidden { paused = true; break }
                guard let id = leased.string("id") else { break }
                _ = try await submit(t, worker, id, "{\"sentiment\": \"negative\", \"why\": \"a reason here\"}")
            }
            #expect(paused)
            let report = try await t.request(.GET, "/api/v1/projects/\(project)/quality?bootstrap=0", token: requester.token)
            #expect(report.json["workers"]?[0]?["status"]?.stringValue == "paused")
        }
    }

    @Test func guidelinesAreVersionedAndAnnotationsRecordTheirVersion() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, policy: "{\"gold_rate\": 0}", lines: ["{\"data\": {\"text\": \"a\"}}"])
            let patched = try await t.request(.PATCH, "/api/v1/projects/\(project)", token: requester.token, json: "{\"guidelines\": \"Sarcasm is negative.\"}")
            #expect(patched.json["guidelines_version"]?.intValue == 2)
            let badPolicy = try await t.request(.PATCH, "/api/v1/projects/\(project)", token: requester.token, json: "{\"quality_policy\": {\"spot_check\": {\"rate\": 2}}}")
            #expect(badPolicy.string("field") == "quality_policy.spot_check.rate")
            let task = try #require(try await next(t, worker, project).string("id"))
            let submitted = try await submit(t, worker, task, "{\"sentiment\": \"negative\", \"why\": \"sarcastic praise\"}")
            #expect(submitted.json["guidelines_version"]?.intValue == 2)
            let versions = try await t.request(.GET, "/api/v1/projects/\(project)/guidelines/versions", token: requester.token)
            #expect(versions.json["versions"]?.arrayValue?.map { $0["version"]?.intValue } == [2, 1])
            let old = try await t.request(.GET, "/api/v1/projects/\(project)/guidelines/versions/1", token: worker.token)
            #expect(old.json["guidelines"]?.stringValue == "")
        }
    }

    @Test func otherOrganizationsSeeNothingOfQuality() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let stranger = try await t.makeUser(.requester, organization: "Org B")
            let worker = try await t.makeUser(.worker)
            let project = try await project(t, requester, lines: ["{\"data\": {\"text\": \"a\"}}"])
            let task = try #require(try await tasks(t, requester, project).first)
            for path in ["/api/v1/projects/\(project)/quality", "/api/v1/projects/\(project)/disagreements", "/api/v1/projects/\(project)/gold",
                         "/api/v1/projects/\(project)/flags", "/api/v1/projects/\(project)/reviewers", "/api/v1/tasks/\(task)/final"] {
                #expect(try await t.request(.GET, path, token: stranger.token).status == .notFound, "\(path)")
                #expect(try await t.request(.GET, path, token: worker.token).status == .forbidden, "\(path)")
            }
            #expect(try await t.request(.PUT, "/api/v1/tasks/\(task)/gold", token: stranger.token, json: "{\"answer\": {\"sentiment\": \"positive\"}}").status == .notFound)
            let grant = try await t.request(.POST, "/api/v1/projects/\(project)/reviewers", token: requester.token,
                                            json: "{\"email\": \"\(stranger.email)\", \"level\": \"reviewer\"}")
            #expect(grant.string("field") == "email", "only workers review")
        }
    }
}
