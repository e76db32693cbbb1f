import Foundation
import GlossCore
@testable import GlossServer
import GlossStore
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

/// The expert workforce over HTTP, on SQLite and PostgreSQL: applying, the one-attempt starter assessment with
/// its server clock and grading, gold answers that never reach a worker, admin decisions and credentials, tracks
/// and rates, the job board and its quiz, alerts, and the outbox's delivery.
@Suite("Workforce") struct WorkforceTests {
    struct Applicant: Sendable {
        let email: String
        let token: String
        let userID: String
    }

    /// A profile that is complete for the general path: 25 hours a week.
    static let completeProfile = """
        {"country": "DE", "time_zone": "Europe/Berlin", "availability": {"hours_per_week": 25, "days": ["mon", "wed", "fri"]},
         "education": [{"degree": "master", "field": "Linguistics", "institution": "LMU Munich", "year": 2015}],
         "experience": [{"field": "Editing", "years": 6}],
         "languages": [{"code": "en", "proficiency": "fluent"}, {"code": "de", "proficiency": "native"}],
         "path": "general"}
        """

    static let writtenAnswer = "Positive: 'not bad at all' is understatement that signals approval, though 'for the price' limits it. I would label it positive and flag it with a note."

    // MARK: Helpers

    /// Applies (and submits the application unless told not to); fails the test when either is refused.
    func apply(_ t: TestApp, email: String, name: String = "Ada Applicant", profile: String = Self.completeProfile,
               submit: Bool = true) async throws -> Applicant {
        let reply = try await t.request(.POST, "/api/v1/applications", json: """
            {"name": \(JSONValue.quoted(name)), "email": \(JSONValue.quoted(email)), "password": "password-123", "profile": \(profile)}
            """)
        #expect(reply.status == .created, "\(reply.body)")
        let token = try #require(reply.string("token"))
        let userID = try #require(reply.json["application"]?["user_id"]?.stringValue)
        if submit {
            let submitted = try await t.request(.POST, "/api/v1/me/application/submit", token: token)
            #expect(submitted.status == .ok, "\(submitted.body)")
        }
        return Applicant(email: email, token: token, userID: userID)
    }

    func assessmentID(_ t: TestApp, _ slug: String) async throws -> String {
        try #require(try await t.app.gloss.workforce.assessment(slug: slug)).id.uuidString.lowercased()
    }

    /// A project of the sentiment schema with extra settings (JSON members) and `tasks` imported tasks.
    func project(_ t: TestApp, _ requester: TestApp.Account, name: String, settings: String = "", tasks: Int = 0) async throws -> String {
        let extra = settings.isEmpty ? "" : ", " + settings
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                        json: "{\"name\": \(JSONValue.quoted(name)), \"schema\": \(TestApp.sentimentSchema), \"overlap\": 1\(extra)}")
        #expect(reply.status == .created, "\(reply.body)")
        let id = try #require(reply.string("id"))
        if tasks > 0 { try await importTasks(t, requester, id, count: tasks) }
        return id
    }

    func importTasks(_ t: TestApp, _ requester: TestApp.Account, _ project: String, count: Int) async throws {
        let lines = (1...count).map { "{\"data\": {\"text\": \"review \(UUID().uuidString)\"}, \"external_id\": \"r\($0)-\(UUID().uuidString)\"}" }
        let imported = try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                           body: lines.joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(imported.status == .created, "\(imported.body)")
    }

    func notifications(_ t: TestApp, _ token: String, kind: String? = nil) async throws -> [JSONValue] {
        let reply = try await t.request(.GET, "/api/v1/me/notifications", token: token)
        #expect(reply.status == .ok, "\(reply.body)")
        return (reply.json["notifications"]?.arrayValue ?? []).filter { kind == nil || $0["kind"]?.stringValue == kind }
    }

    func reach(_ t: TestApp, _ requester: TestApp.Account, _ project: String) async throws -> (qualified: Int?, hours: Int?, close: Int?) {
        let reply = try await t.request(.GET, "/api/v1/projects/\(project)/reach", token: requester.token)
        #expect(reply.status == .ok, "\(reply.body)")
        return (reply.json["qualified_workers"]?.intValue, reply.json["weekly_hours"]?.intValue, reply.json["close_workers"]?.intValue)
    }

    func audit(_ t: TestApp, _ admin: TestApp.Account) async throws -> [JSONValue] {
        let reply = try await t.request(.GET, "/api/v1/admin/audit?limit=200", token: admin.token)
        #expect(reply.status == .ok, "\(reply.body)")
        return reply.json["events"]?.arrayValue ?? []
    }

    static func errorFields(_ reply: TestApp.Reply) -> [String] {
        (reply.json["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
    }

    /// The right answer to every item: the correct option(s), the gold value, and a good written answer.
    static func rightAnswers(_ definition: AssessmentDefinition) -> [String: JSONValue] {
        var answers: [String: JSONValue] = [:]
        for item in definition.items {
            switch item.kind {
            case .multipleChoice(_, let correct, let multiple):
                answers[item.id] = multiple ? .array(correct.map { .string($0) }) : .string(correct.first ?? "")
            case .annotation(_, _, let gold, _):
                answers[item.id] = gold
            case .written:
                answers[item.id] = .string(writtenAnswer)
            }
        }
        return answers
    }

    /// A multipart/form-data body with text fields and an optional file `document`.
    static func multipart(boundary: String, fields: [(String, String)], document: (name: String, type: String, bytes: [UInt8])?) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let document {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"\(document.name)\"\r\nContent-Type: \(document.type)\r\n\r\n".utf8)
            body += document.bytes
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }

    // MARK: Secrets

    /// The JSON text of a value and of every string, array and object inside it.
    static func pieces(of value: JSONValue) -> [String] {
        switch value {
        case .array(let elements): [value.jsonText] + elements.flatMap { pieces(of: $0) }
        case .object(let members): [value.jsonText] + members.values.flatMap { pieces(of: $0) }
        case .string: [value.jsonText]
        default: []
        }
    }

    /// A text as it appears inside a JSON string.
    static func inner(_ text: String) -> String {
        String(JSONValue.quoted(text).dropFirst().dropLast())
    }

    /// What must never reach a worker, as it would appear in a JSON body: the gold values of annotation items,
    /// the correct sets of multiple-answer items, explanations and rubric texts of every shipped assessment,
    /// less whatever the public items legitimately show (an option that is also the right answer, say).
    static func secrets() throws -> [String] {
        var publicText = ""
        var candidates: [String] = []
        for seed in StarterAssessments.all {
            let definition = try seed.definition()
            publicText += WorkforceDTO.publicItems(definition).jsonText
            for item in definition.items {
                if let explanation = item.explanation { candidates.append(inner(explanation)) }
                switch item.kind {
                case .multipleChoice(_, let correct, let multiple):
                    if multiple, correct.count > 1 { candidates.append(JSONValue.array(correct.map { .string($0) }).jsonText) }
                case .annotation(_, _, let gold, _):
                    candidates += pieces(of: gold)
                case .written(let rubric, _):
                    candidates += rubric.map { inner($0.description) }
                }
            }
        }
        return Set(candidates.filter { $0.count >= 8 && !publicText.contains($0) }).sorted()
    }

    /// The secrets and answer-revealing keys a body shows.
    static func leaks(in body: String, secrets: [String]) -> [String] {
        var found = secrets.filter { body.contains($0) }
        for key in ["correct", "gold", "rubric", "explanation", "scoring"] where body.contains("\"\(key)\":") {
            found.append("the key \"\(key)\"")
        }
        return found
    }

    // MARK: The whole path

    /// Apply (a bad profile first, a taken e-mail), save a draft, submit, take the starter assessment with every
    /// answer right, a grader grades the written answer in full: approved, qualified for general, told in the
    /// app and by e-mail; then the dashboard lists a general project with its match, `next` serves a task and
    /// the answer is taken, while a coding project stays invisible and shows under "close" with what is missing.
    @Test func applicationToFirstTask() async throws {
        try await TestApp.run { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let email = "ada.applicant@example.com"
            let definition = try #require(StarterAssessments.seed("starter-general")).definition()
            let starter = try await assessmentID(t, "starter-general")

            // A bad profile: every problem named under `profile.`, and no account is made.
            let bad = try await t.request(.POST, "/api/v1/applications", json: """
                {"name": "Ada Applicant", "email": "\(email)", "password": "password-123",
                 "profile": {"country": "Germany", "availability": {"hours_per_week": 200}, "languages": [{"code": "en", "proficiency": "superb"}]}}
                """)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(Self.errorFields(bad)) == ["profile.country", "profile.availability.hours_per_week", "profile.languages[0].proficiency"])

            let applied = try await t.request(.POST, "/api/v1/applications", json: """
                {"name": "Ada Applicant", "email": "\(email)", "password": "password-123", "profile": {"country": "de", "path": "general"}}
                """)
            #expect(applied.status == .created, "\(applied.body)")
            #expect(applied.headers.first(name: .setCookie)?.contains("gloss_session=") == true)
            let token = try #require(applied.string("token"))
            let userID = try #require(applied.json["application"]?["user_id"]?.stringValue)
            #expect(applied.json["application"]?["status"]?.stringValue == "applicant")
            #expect(applied.json["application"]?["submitted_at"] == JSONValue.null)
            #expect(applied.json["application"]?["profile"]?["country"]?.stringValue == "DE")

            // The same address in other letters is taken.
            let duplicate = try await t.request(.POST, "/api/v1/applications", json: """
                {"name": "Someone Else", "email": "ADA.Applicant@Example.com", "password": "password-123"}
                """)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.string("field") == "email")

            // A draft is saved as it is; a wrong type is not.
            let draft = try await t.request(.PUT, "/api/v1/me/application", token: token, json: """
                {"name": "Ada B. Applicant", "profile": {"country": "DE", "time_zone": "Europe/Berlin",
                 "availability": {"hours_per_week": 25, "days": ["mon", "wed", "fri"]}, "path": "general"}}
                """)
            #expect(draft.status == .ok, "\(draft.body)")
            #expect(draft.json["name"]?.stringValue == "Ada B. Applicant")
            #expect(draft.json["profile"]?["time_zone"]?.stringValue == "Europe/Berlin")
            let wrongType = try await t.request(.PUT, "/api/v1/me/application", token: token,
                                                json: "{\"profile\": {\"availability\": {\"hours_per_week\": \"twenty\"}}}")
            #expect(wrongType.status == .unprocessableEntity)
            #expect(wrongType.string("field") == "profile.availability.hours_per_week")
            let kept = try await t.request(.GET, "/api/v1/me/application", token: token)
            #expect(kept.json["profile"]?["time_zone"]?.stringValue == "Europe/Berlin", "a refused draft changes nothing")

            // The starter waits for a submitted application.
            let early = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: token)
            #expect(early.status == .conflict)
            #expect(early.json["detail"]?.stringValue?.contains("Submit your application") == true)

            // Submitting an incomplete application names what is missing.
            let incomplete = try await t.request(.POST, "/api/v1/me/application/submit", token: token)
            #expect(incomplete.status == .unprocessableEntity)
            let missing = Self.errorFields(incomplete)
            #expect(missing.contains("profile.languages"))
            #expect(!missing.contains("profile.country") && !missing.contains("profile.time_zone"))

            let complete = try await t.request(.PUT, "/api/v1/me/application", token: token, json: "{\"profile\": \(Self.completeProfile)}")
            #expect(complete.status == .ok, "\(complete.body)")
            let submittedApplication = try await t.request(.POST, "/api/v1/me/application/submit", token: token)
            #expect(submittedApplication.status == .ok, "\(submittedApplication.body)")
            #expect(submittedApplication.json["submitted_at"]?.stringValue != nil)
            #expect(submittedApplication.json["status"]?.stringValue == "applicant")
            let late = try await t.request(.PUT, "/api/v1/me/application", token: token, json: "{\"profile\": \(Self.completeProfile)}")
            #expect(late.status == .conflict, "a submitted application no longer changes")
            #expect(try await notifications(t, token, kind: "application").count == 1)

            // The applicant sees the starter of their path only.
            let list = try await t.request(.GET, "/api/v1/assessments", token: token)
            let summaries = list.json["assessments"]?.arrayValue ?? []
            let slugs = summaries.compactMap { $0["slug"]?.stringValue }
            #expect(slugs.contains("starter-general"))
            #expect(!slugs.contains("starter-coding"))
            let summary = summaries.first { $0["slug"]?.stringValue == "starter-general" }
            #expect(summary?["can_start"]?.boolValue == true)
            #expect(summary?["attempts_allowed"]?.intValue == 1)
            #expect(summary?["item_count"]?.intValue == definition.items.count)

            // Starting: the clock runs; the applicant is being assessed.
            let started = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: token)
            #expect(started.status == .created, "\(started.body)")
            let attemptID = try #require(started.string("id"))
            #expect(started.json["status"]?.stringValue == "in_progress")
            let timeLeft = started.json["time_left_s"]?.intValue ?? 0
            #expect(timeLeft > 1100 && timeLeft <= 1200)
            #expect(started.json["items"]?.arrayValue?.count == definition.items.count)
            #expect(try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: token).status == .conflict)
            let assessing = try await t.request(.GET, "/api/v1/me/application", token: token)
            #expect(assessing.json["status"]?.stringValue == "assessing")
            let assessingHistory = assessing.json["history"]?.arrayValue ?? []
            #expect(assessingHistory.last?["from"]?.stringValue == "applicant")
            #expect(assessingHistory.last?["to"]?.stringValue == "assessing")
            #expect(assessingHistory.last?["by"] == JSONValue.null)

            // Autosave the multiple-choice answers, then submit the rest.
            let right = Self.rightAnswers(definition)
            var firstPart: [String: JSONValue] = [:], rest: [String: JSONValue] = [:]
            for item in definition.items {
                if case .multipleChoice = item.kind { firstPart[item.id] = right[item.id] } else { rest[item.id] = right[item.id] }
            }
            #expect(!firstPart.isEmpty && !rest.isEmpty)
            let saved = try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: token,
                                            json: JSONValue.object(["answers": .object(firstPart)]).jsonText)
            #expect(saved.status == .ok, "\(saved.body)")
            #expect(saved.json["saved_at"]?.stringValue != nil)
            #expect((saved.json["time_left_s"]?.intValue ?? 0) > 0)
            let reloaded = try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: token)
            #expect(reloaded.json["answers"] == JSONValue.object(firstPart), "a dropped connection loses nothing")
            #expect(reloaded.json["saved_at"]?.stringValue != nil)

            let submitted = try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: token,
                                                json: JSONValue.object(["answers": .object(rest)]).jsonText)
            #expect(submitted.status == .ok, "\(submitted.body)")
            #expect(submitted.json["status"]?.stringValue == "pending", "the written answer waits for a grader")
            #expect(submitted.json["result"]?["verdict"]?.stringValue == "pending")
            #expect(submitted.json["result"]?["auto_score"]?.numberValue == 1)
            #expect(submitted.json["answers"] == JSONValue.object(right))

            // The grader grades the written answer with the rubric.
            let writtenID = try #require(definition.writtenItemIDs.first)
            guard case .written(let rubric, _)? = definition.item(writtenID)?.kind else { Issue.record("no written item"); return }
            let queue = try await t.request(.GET, "/api/v1/grading", token: admin.token)
            let queued = queue.json["attempts"]?.arrayValue?.first { $0["attempt_id"]?.stringValue == attemptID }
            #expect(queued?["items_to_grade"]?.intValue == 1)
            #expect(queued?["applicant"]?["email"]?.stringValue == email)
            let sheet = try await t.request(.GET, "/api/v1/grading/\(attemptID)", token: admin.token)
            #expect(sheet.status == .ok, "\(sheet.body)")
            #expect(sheet.json["items"]?.arrayValue?.count == 1)
            #expect(sheet.json["items"]?[0]?["answer"]?.stringValue == Self.writtenAnswer)
            #expect(sheet.json["items"]?[0]?["rubric"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == rubric.map(\.id))
            var tooMany = Dictionary(uniqueKeysWithValues: rubric.map { ($0.id, JSONValue.number($0.points)) })
            tooMany[rubric[0].id] = .number(rubric[0].points + 1)
            let over = try await t.request(.POST, "/api/v1/grading/\(attemptID)", token: admin.token,
                                           json: JSONValue.object(["item_id": .string(writtenID), "points": .object(tooMany)]).jsonText)
            #expect(over.status == .unprocessableEntity)
            #expect(over.string("field") == "points.\(rubric[0].id)")
            let full = Dictionary(uniqueKeysWithValues: rubric.map { ($0.id, JSONValue.number($0.points)) })
            let graded = try await t.request(.POST, "/api/v1/grading/\(attemptID)", token: admin.token, json: JSONValue.object([
                "item_id": .string(writtenID), "points": .object(full), "comment": .string("Clear and complete."),
            ]).jsonText)
            #expect(graded.status == .ok, "\(graded.body)")
            #expect(graded.json["result"]?["verdict"]?.stringValue == "passed")
            #expect(graded.json["items"]?[0]?["grade"]?["by"]?.stringValue == admin.email)

            // Passed: approved, qualified for general, told in the app and by e-mail.
            let result = try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: token)
            #expect(result.json["status"]?.stringValue == "passed")
            #expect(result.json["result"]?["score"]?.numberValue == 1)
            #expect(result.json["result"]?["human_score"]?.numberValue == 1)
            let approved = try await t.request(.GET, "/api/v1/me/application", token: token)
            #expect(approved.json["status"]?.stringValue == "approved")
            let history = approved.json["history"]?.arrayValue ?? []
            #expect(history.compactMap { $0["to"]?.stringValue } == ["applicant", "assessing", "approved"])
            let qualification = approved.json["qualifications"]?.arrayValue?.first { $0["track"]?.stringValue == "general" }
            #expect(qualification?["active"]?.boolValue == true)
            #expect(qualification?["source"]?.stringValue == "assessment")
            let mine = try await t.request(.GET, "/api/v1/me/qualifications", token: token)
            #expect(mine.json["qualifications"]?.arrayValue?.contains { $0["track"]?.stringValue == "general" && $0["active"]?.boolValue == true } == true)
            #expect(try await notifications(t, token, kind: "status").contains { $0["title"]?.stringValue == "You are approved" })
            let outbox = try await t.app.gloss.workforce.outbox(status: nil, limit: 10)
            #expect(outbox.contains { $0.to == email && $0.subject == "Gloss: you are approved" && $0.kind == "status" })
            #expect(approved.json["user_id"]?.stringValue == userID)

            // Work: a general project is open to them, a coding one is not.
            let general = try await project(t, requester, name: "General reviews", settings: "\"requirements\": {\"any_of\": [\"general\"]}", tasks: 3)
            let coding = try await project(t, requester, name: "Code reviews", settings: "\"requirements\": {\"any_of\": [\"coding\"]}", tasks: 2)
            let unqualified = try await t.makeUser(.worker)
            #expect(try await t.request(.GET, "/api/v1/projects/\(general)/next", token: unqualified.token).status == .notFound,
                    "an approved worker without the track is not served")

            let dashboard = try await t.request(.GET, "/api/v1/dashboard", token: token)
            #expect(dashboard.status == .ok, "\(dashboard.body)")
            #expect(dashboard.json["status"]?.stringValue == "approved")
            let listed = dashboard.json["projects"]?.arrayValue ?? []
            let entry = listed.first { $0["id"]?.stringValue == general }
            #expect(entry?["match"]?["eligible"]?.boolValue == true)
            #expect(entry?["match"]?["score"]?.numberValue == 100)
            #expect(entry?["rate_cents"]?.intValue == 2000)
            #expect(entry?["tasks_left"]?.intValue == 3)
            #expect(entry?["requirements"]?.arrayValue?.compactMap(\.stringValue) == ["holds General"])
            #expect(!listed.contains { $0["id"]?.stringValue == coding })
            let close = dashboard.json["close"]?.arrayValue?.first { $0["id"]?.stringValue == coding }
            let lacking = close?["missing"]?.arrayValue ?? []
            #expect(lacking.count == 1)
            #expect(lacking.first?["track"]?.stringValue == "coding")
            #expect(lacking.first?["assessments"]?.arrayValue?.contains { $0["title"]?.stringValue == "Starter assessment: coding" } == true)

            let next = try await t.request(.GET, "/api/v1/projects/\(general)/next", token: token)
            #expect(next.status == .ok, "\(next.body)")
            let taskID = try #require(next.string("id"))
            let answered = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: token,
                                               json: "{\"value\": {\"sentiment\": \"positive\"}, \"time_spent_s\": 36}")
            #expect(answered.status == .created, "\(answered.body)")
            #expect(try await t.request(.GET, "/api/v1/projects/\(coding)", token: token).status == .notFound)
            #expect(try await t.request(.GET, "/api/v1/projects/\(coding)/next", token: token).status == .notFound)
            let after = try await t.request(.GET, "/api/v1/dashboard", token: token)
            #expect(after.json["stats"]?["tasks_this_week"]?.intValue == 1)
            // Pay counts active time from the page's activity pings, never the time a client reports with its answer.
            #expect(after.json["stats"]?["earnings_cents_this_week"]?.intValue == 0, "36 reported seconds are not active time")
            #expect(after.json["stats"]?["hours_this_week"]?.numberValue == 0)
        }
    }

    // MARK: One attempt

    /// Ten submits of one attempt at once: exactly one is taken, with its consequences once; a second account
    /// under the same gmail address (dots and +tag aside) cannot start the assessment, and the database itself
    /// refuses a second attempt for that address.
    @Test func oneAttemptPerPersonEvenUnderConcurrency() async throws {
        try await TestApp.run { t in
            let first = try await apply(t, email: "a.b+x@gmail.com")
            let starter = try await assessmentID(t, "starter-general")
            let started = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: first.token)
            #expect(started.status == .created, "\(started.body)")
            let attemptID = try #require(started.string("id"))
            let twice = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: first.token)
            #expect(twice.status == .conflict)

            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: first.token, json: "{}").status
                    }
                }
                var all: [HTTPResponseStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.count == 10)
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 9, "\(statuses)")

            // Decided once: no answer right is a fail, so the applicant is rejected, once.
            let attempt = try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: first.token)
            #expect(attempt.json["status"]?.stringValue == "failed")
            #expect(attempt.json["submitted_at"]?.stringValue != nil)
            let application = try await t.request(.GET, "/api/v1/me/application", token: first.token)
            #expect(application.json["status"]?.stringValue == "rejected")
            #expect(application.json["history"]?.arrayValue?.filter { $0["to"]?.stringValue == "rejected" }.count == 1)
            #expect(try await notifications(t, first.token, kind: "status").count == 1)
            let rows = try await t.sql.raw("SELECT COUNT(*) AS n FROM assessment_attempts").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 1)

            // Re-submitting, saving and starting again are refused.
            #expect(try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: first.token).status == .conflict)
            #expect(try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: first.token,
                                        json: "{\"answers\": {}}").status == .conflict)
            #expect(try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: first.token).status == .conflict)

            // The same person under another spelling of the address.
            let second = try await apply(t, email: "ab@googlemail.com")
            let key = try #require(AccountRules.assessmentKey(second.email))
            #expect(AccountRules.assessmentKey(first.email) == key)
            let list = try await t.request(.GET, "/api/v1/assessments", token: second.token)
            let summary = list.json["assessments"]?.arrayValue?.first { $0["slug"]?.stringValue == "starter-general" }
            #expect(summary?["can_start"]?.boolValue == false)
            #expect(summary?["attempts_used"]?.intValue == 1)
            #expect(summary?["why_not"]?.stringValue?.contains("one attempt") == true)
            let refused = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: second.token)
            #expect(refused.status == .conflict)
            #expect(refused.json["detail"]?.stringValue?.contains("one attempt") == true)
            let stillApplicant = try await t.request(.GET, "/api/v1/me/application", token: second.token)
            #expect(stillApplicant.json["status"]?.stringValue == "applicant")

            // The unique index decides, not the service's checks.
            let secondUser = try #require(UUID(uuidString: second.userID))
            let assessment = try #require(UUID(uuidString: starter))
            let now = Store.now()
            let forced = try await t.app.gloss.workforce.startAttempt(id: UUID(), assessmentID: assessment, userID: secondUser, emailKey: key,
                                                                      attemptNumber: 1, now: now, deadline: now + 60, becomeAssessing: false)
            #expect(forced == nil)
        }
    }

    // MARK: The clock

    /// An admin-made specialist assessment with a one-second limit: answers are taken within the grace after
    /// the deadline, and refused (403 time-up) once it is long past, for saving and for submitting.
    @Test func answersAfterTheTimeLimitAreRefused() async throws {
        try await TestApp.run { t in
            let admin = try await t.makeUser(.admin)
            let worker = try await t.makeUser(.worker)
            func definition(gold: String) -> String {
                """
                {"items": [
                  {"id": "capital", "kind": "multiple_choice", "prompt": "The capital of France?", "options": ["Paris", "Lyon"], "correct": ["Paris"]},
                  {"id": "tone", "kind": "annotation", "prompt": "Label the tone.",
                   "schema": {"fields": [{"name": "tone", "type": "choice", "options": ["calm", "angry"]}]},
                   "data": {"text": "Please, take your time."}, "gold": {"tone": "\(gold)"}}],
                 "pass": {"minimum_score": 0.5}}
                """
            }
            func create(_ slug: String, gold: String) async throws -> TestApp.Reply {
                try await t.request(.POST, "/api/v1/admin/assessments", token: admin.token, json: """
                    {"slug": "\(slug)", "title": "Speed check", "description": "Two quick items.", "kind": "specialist",
                     "time_limit_s": 1, "attempts_allowed": 1, "unlocks": ["multilingual"], "definition": \(definition(gold: gold))}
                    """)
            }
            let invalid = try await create("speed-check", gold: "furious")
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.string("field")?.hasPrefix("definition.items[1].gold") == true, "\(invalid.body)")
            let created = try await create("speed-check", gold: "calm")
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["time_limit_s"]?.intValue == 1)
            #expect(created.json["definition"]?["items"]?[0]?["correct"] != nil, "the admin sees the full definition")
            let id = try #require(created.string("id"))
            let taken = try await create("speed-check", gold: "calm")
            #expect(taken.status == .conflict)
            #expect(taken.string("field") == "slug")
            #expect(try await t.request(.GET, "/api/v1/admin/assessments/\(id)", token: worker.token).status == .forbidden)

            let started = try await t.request(.POST, "/api/v1/assessments/\(id)/attempts", token: worker.token)
            #expect(started.status == .created, "\(started.body)")
            #expect((started.json["time_left_s"]?.intValue ?? 99) <= 1)
            let attemptID = try #require(started.string("id"))
            let attemptUUID = try #require(UUID(uuidString: attemptID))
            let store = t.app.gloss.store

            // Just past the deadline: the grace for a request in flight.
            try await t.sql.raw("UPDATE assessment_attempts SET deadline_at = \(bind: Store.now() - 1) WHERE id = \(bind: store.id(attemptUUID))").run()
            let inGrace = try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: worker.token,
                                              json: "{\"answers\": {\"capital\": \"Paris\"}}")
            #expect(inGrace.status == .ok, "\(inGrace.body)")
            #expect(inGrace.json["time_left_s"]?.intValue == 0)

            // Long past: refused with the time-up problem, and nothing changes.
            try await t.sql.raw("UPDATE assessment_attempts SET deadline_at = \(bind: Store.now() - 60) WHERE id = \(bind: store.id(attemptUUID))").run()
            let save = try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: worker.token,
                                           json: "{\"answers\": {\"capital\": \"Lyon\"}}")
            #expect(save.status == .forbidden)
            #expect(save.string("type") == "/problems/time-up")
            let submit = try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: worker.token,
                                             json: "{\"answers\": {\"tone\": {\"tone\": \"calm\"}}}")
            #expect(submit.status == .forbidden)
            #expect(submit.string("type") == "/problems/time-up")
            let empty = try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: worker.token)
            #expect(empty.status == .forbidden)
            #expect(empty.string("type") == "/problems/time-up")
            // Nobody submitted it (a closed tab): the next look scores it with what was saved before the limit,
            // one of two items right.
            let attempt = try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: worker.token)
            #expect(attempt.json["time_left_s"]?.intValue == 0)
            #expect(attempt.json["status"]?.stringValue == "passed", "\(attempt.body)")
            #expect(attempt.json["result"]?["score"]?.numberValue == 0.5)
            #expect(attempt.json["answers"] == JSONValue.object(["capital": .string("Paris")]))
            let again = try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: worker.token)
            #expect(again.status == .conflict)
            // Passing grants the track, but the worker's profile shows one language: multilingual stays inactive.
            let qualifications = try await t.request(.GET, "/api/v1/me/qualifications", token: worker.token)
            #expect(qualifications.json["qualifications"]?.arrayValue?.map { $0["active"]?.boolValue } == [false])
        }
    }

    // MARK: Gold never leaks

    /// Every response a worker can get around an attempt (the lists, each assessment, starting, the attempt,
    /// refused and accepted answers, the submit, the application, dashboard and notifications, and the admin
    /// routes they are refused) shows no gold value, correct set, explanation or rubric text, nor their keys.
    @Test func goldAnswersAndRubricsNeverReachAWorker() async throws {
        let secrets = try Self.secrets()
        #expect(secrets.count >= 10, "the check must have something to look for")
        try await TestApp.run { t in
            let admin = try await t.makeUser(.admin)
            let applicant = try await apply(t, email: "leak.check@example.com")
            let definition = try #require(StarterAssessments.seed("starter-general")).definition()
            let starter = try await assessmentID(t, "starter-general")
            var bodies: [(String, String)] = []

            let list = try await t.request(.GET, "/api/v1/assessments", token: applicant.token)
            #expect(list.status == .ok)
            bodies.append(("GET /assessments", list.body))
            let ids = (list.json["assessments"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids.count >= 4)
            let otherPath = try await assessmentID(t, "starter-coding")
            for id in ids + [otherPath] {
                let shown = try await t.request(.GET, "/api/v1/assessments/\(id)", token: applicant.token)
                #expect(shown.status == .ok, "\(shown.body)")
                #expect(shown.json["items"]?.arrayValue?.isEmpty == false)
                bodies.append(("GET /assessments/\(id)", shown.body))
            }
            let practice = try await t.request(.GET, "/api/v1/practice/general", token: applicant.token)
            #expect(practice.status == .ok, "\(practice.body)")
            bodies.append(("GET /practice/general", practice.body))

            let started = try await t.request(.POST, "/api/v1/assessments/\(starter)/attempts", token: applicant.token)
            #expect(started.status == .created, "\(started.body)")
            bodies.append(("POST attempts", started.body))
            let attemptID = try #require(started.string("id"))
            bodies.append(("GET attempt", try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: applicant.token).body))

            // Wrong shapes: each refused naming its item, and the message tells nothing of the answer.
            let wrongShapes: [(String, JSONValue)] = [
                ("guidelines-delivery", .number(42)),
                ("data-handling", .string("Read the whole text before labeling it")),
                ("sentiment", .object(["sentiment": .string("bogus")])),
                ("entities", .object(["entities": .array([.object(["start": .number(0), "end": .number(999), "label": .string("PERSON")])])])),
                ("rate-answer", .object(["quality": .object(["scores": .object(["accuracy": .number(9)])])])),
                ("rank-answers", .object(["order": .array([.number(1), .number(1), .number(1)])])),
                ("ambiguous-label", .number(42)),
                ("no-such-item", .string("x")),
            ]
            for (itemID, answer) in wrongShapes {
                #expect(itemID == "no-such-item" || definition.item(itemID) != nil, "the starter has no item \(itemID)")
                let refused = try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: applicant.token,
                                                  json: JSONValue.object(["answers": .object([itemID: answer])]).jsonText)
                #expect(refused.status == .unprocessableEntity, "\(itemID): \(refused.body)")
                #expect(refused.string("field")?.hasPrefix("answers.\(itemID)") == true, "\(refused.body)")
                bodies.append(("PUT answers \(itemID)", refused.body))
            }
            let untouched = try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: applicant.token)
            #expect(untouched.json["answers"] == JSONValue.object([:]), "refused answers are not saved")

            // Wrong but well-formed answers are saved and submitted.
            let wrong: [String: JSONValue] = [
                "guidelines-delivery": .string("negative"),
                "guidelines-unsure": .string("Skip the task without saying why"),
                "data-handling": .array([.string("Read the whole text before labeling it")]),
                "sentiment": .object(["sentiment": .string("positive")]),
                "entities": .object(["entities": .array([])]),
                "rate-answer": .object(["quality": .object(["scores": .object(["accuracy": .number(5), "clarity": .number(5)])])]),
                "rank-answers": .object(["order": .array([.number(1), .number(2), .number(3)])]),
                "ambiguous-label": .string("I would pick neutral."),
            ]
            #expect(Set(wrong.keys) == Set(definition.items.map(\.id)))
            let saved = try await t.request(.PUT, "/api/v1/attempts/\(attemptID)/answers", token: applicant.token,
                                            json: JSONValue.object(["answers": .object(wrong)]).jsonText)
            #expect(saved.status == .ok, "\(saved.body)")
            bodies.append(("PUT answers", saved.body))
            bodies.append(("GET attempt saved", try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: applicant.token).body))
            let submitted = try await t.request(.POST, "/api/v1/attempts/\(attemptID)/submit", token: applicant.token)
            #expect(submitted.status == .ok, "\(submitted.body)")
            #expect(submitted.json["result"]?["verdict"]?.stringValue == "failed")
            #expect(submitted.json["result"]?["reasons"]?.arrayValue?.isEmpty == false)
            bodies.append(("POST submit", submitted.body))
            bodies.append(("GET attempt submitted", try await t.request(.GET, "/api/v1/attempts/\(attemptID)", token: applicant.token).body))
            bodies.append(("GET /me/application", try await t.request(.GET, "/api/v1/me/application", token: applicant.token).body))
            bodies.append(("GET /dashboard", try await t.request(.GET, "/api/v1/dashboard", token: applicant.token).body))
            bodies.append(("GET /me/notifications", try await t.request(.GET, "/api/v1/me/notifications", token: applicant.token).body))

            for path in ["/api/v1/admin/assessments", "/api/v1/admin/assessments/\(starter)", "/api/v1/grading",
                         "/api/v1/grading/\(attemptID)", "/api/v1/admin/applications/\(applicant.userID)"] {
                let refused = try await t.request(.GET, path, token: applicant.token)
                #expect(refused.status == .forbidden, "\(path): \(refused.status)")
                bodies.append(("GET \(path)", refused.body))
            }

            for (label, body) in bodies {
                let found = Self.leaks(in: body, secrets: secrets)
                #expect(found.isEmpty, "\(label) shows \(found)")
            }
            // The detector finds what an admin may see.
            let full = try await t.request(.GET, "/api/v1/admin/assessments/\(starter)", token: admin.token)
            #expect(full.status == .ok)
            #expect(!Self.leaks(in: full.body, secrets: secrets).isEmpty)
        }
    }

    // MARK: Admin

    /// Decisions with a reason in the history and the audit log; a credential uploaded (a non-PDF refused),
    /// verified, and the professional track it unlocks active only then; a track's rate edited, and a project
    /// may not pay below it; a project's reach counts the qualified worker and their hours.
    @Test func adminDecisionsCredentialsTracksAndReach() async throws {
        try await TestApp.run { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let other = try await t.makeUser(.worker)
            let lawyer = try await apply(t, email: "lena.lawyer@example.com", name: "Lena Lawyer")
            let statusPath = "/api/v1/admin/applications/\(lawyer.userID)/status"

            let noReason = try await t.request(.POST, statusPath, token: admin.token, json: "{\"status\": \"approved\"}")
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.string("field") == "reason")
            let badStatus = try await t.request(.POST, statusPath, token: admin.token, json: "{\"status\": \"applicant\", \"reason\": \"Back\"}")
            #expect(badStatus.status == .unprocessableEntity)
            #expect(badStatus.string("field") == "status")
            #expect(try await t.request(.POST, statusPath, token: other.token,
                                        json: "{\"status\": \"approved\", \"reason\": \"Me\"}").status == .forbidden)
            let approved = try await t.request(.POST, statusPath, token: admin.token,
                                               json: "{\"status\": \"approved\", \"reason\": \"Strong legal background\"}")
            #expect(approved.status == .ok, "\(approved.body)")
            #expect(approved.json["status"]?.stringValue == "approved")
            let change = approved.json["history"]?.arrayValue?.last
            #expect(change?["from"]?.stringValue == "applicant")
            #expect(change?["to"]?.stringValue == "approved")
            #expect(change?["reason"]?.stringValue == "Strong legal background")
            #expect(change?["by"]?.stringValue == admin.email)
            // The worker reads the decision and its reason, not which admin made it.
            let own = try await t.request(.GET, "/api/v1/me/application", token: lawyer.token)
            #expect(own.json["history"]?.arrayValue?.last?["by"]?.stringValue == "admin")
            #expect(!own.body.contains(admin.email))
            #expect(try await t.request(.POST, statusPath, token: admin.token,
                                        json: "{\"status\": \"approved\", \"reason\": \"Again\"}").status == .conflict)
            let decided = try await audit(t, admin).first { $0["action"]?.stringValue == "worker.approved" }
            #expect(decided?["actor"]?.stringValue == admin.email)
            #expect(decided?["subject_id"]?.stringValue == lawyer.userID)
            #expect(decided?["detail"]?["reason"]?.stringValue == "Strong legal background")
            let mail = try await t.app.gloss.workforce.outbox(status: nil, limit: 20).first { $0.to == lawyer.email && $0.subject == "Gloss: you are approved" }
            #expect(mail?.body.contains("Strong legal background") == true)
            #expect(try await notifications(t, lawyer.token, kind: "status").contains { $0["title"]?.stringValue == "You are approved" })

            // A credential with its document.
            let boundary = "gloss-test-boundary-7MA4YWxk"
            let contentType = "multipart/form-data; boundary=\(boundary)"
            let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
            let fields = [("type", "bar_admission"), ("issuer", "Rechtsanwaltskammer Muenchen"), ("number", "RAK-12345"),
                          ("year", "2012"), ("expires_on", "2090-06-30")]
            let notPDF = try await t.request(.POST, "/api/v1/me/credentials", token: lawyer.token, bytes: Self.multipart(
                boundary: boundary, fields: fields, document: ("bar.pdf", "application/pdf", Array("just some text".utf8))), contentType: contentType)
            #expect(notPDF.status == .unprocessableEntity)
            #expect(Self.errorFields(notPDF) == ["document"])
            let incomplete = try await t.request(.POST, "/api/v1/me/credentials", token: lawyer.token, bytes: Self.multipart(
                boundary: boundary, fields: [("type", "bar_admission"), ("year", "1800")], document: nil), contentType: contentType)
            #expect(incomplete.status == .unprocessableEntity)
            #expect(Set(Self.errorFields(incomplete)) == ["issuer", "number", "year", "document"])
            let added = try await t.request(.POST, "/api/v1/me/credentials", token: lawyer.token, bytes: Self.multipart(
                boundary: boundary, fields: fields, document: ("bar.pdf", "application/pdf", pdf)), contentType: contentType)
            #expect(added.status == .created, "\(added.body)")
            let credential = try #require(added.string("id"))
            #expect(added.json["status"]?.stringValue == "pending")
            #expect(added.json["type"]?.stringValue == "bar_admission")
            #expect(added.json["year"]?.intValue == 2012)
            #expect(added.json["expires_on"]?.stringValue == "2090-06-30")
            #expect(added.json["document"]?["content_type"]?.stringValue == "application/pdf")
            #expect(added.json["document"]?["size"]?.intValue == pdf.count)
            let document = try await t.request(.GET, "/api/v1/credentials/\(credential)/document", token: lawyer.token)
            #expect(document.status == .ok)
            #expect(document.bytes == pdf)
            #expect(document.headers.first(name: .contentType) == "application/pdf")
            #expect(try await t.request(.GET, "/api/v1/credentials/\(credential)/document", token: other.token).status == .notFound)
            #expect(try await t.request(.GET, "/api/v1/credentials/\(credential)/document", token: admin.token).status == .ok)
            let pending = try await t.request(.GET, "/api/v1/admin/credentials?status=pending", token: admin.token)
            let listed = pending.json["credentials"]?.arrayValue?.first { $0["id"]?.stringValue == credential }
            #expect(listed?["user"]?["email"]?.stringValue == lawyer.email)
            #expect(try await t.request(.GET, "/api/v1/admin/credentials?status=maybe", token: admin.token).status == .unprocessableEntity)

            // A law project reaches no one yet; the lawyer is one qualification away.
            let law = try await project(t, requester, name: "Contract review", settings: "\"requirements\": {\"any_of\": [\"professional.law\"]}")
            var counted = try await reach(t, requester, law)
            #expect(counted.qualified == 0 && counted.hours == 0 && counted.close == 1)

            // Granted by hand but unverified: held, inactive.
            let granted = try await t.request(.POST, "/api/v1/admin/users/\(lawyer.userID)/qualifications", token: admin.token,
                                              json: "{\"track\": \"professional.law\", \"reason\": \"Bar admission on file\"}")
            #expect(granted.status == .created, "\(granted.body)")
            #expect(granted.json["active"]?.boolValue == false)
            #expect(granted.json["source"]?.stringValue == "admin")
            #expect(granted.json["inactive_reason"]?.stringValue?.contains("credential") == true)
            counted = try await reach(t, requester, law)
            #expect(counted.qualified == 0)
            #expect(try await t.request(.GET, "/api/v1/projects/\(law)", token: lawyer.token).status == .notFound)

            // Verified: active, until the credential expires.
            let verified = try await t.request(.POST, "/api/v1/admin/credentials/\(credential)", token: admin.token,
                                               json: "{\"status\": \"verified\", \"note\": \"Checked with the bar association\"}")
            #expect(verified.status == .ok, "\(verified.body)")
            #expect(verified.json["status"]?.stringValue == "verified")
            #expect(verified.json["reviewed_at"]?.stringValue != nil)
            let qualifications = try await t.request(.GET, "/api/v1/me/qualifications", token: lawyer.token)
            let lawTrack = qualifications.json["qualifications"]?.arrayValue?.first { $0["track"]?.stringValue == "professional.law" }
            #expect(lawTrack?["active"]?.boolValue == true)
            #expect(lawTrack?["expires_at"]?.stringValue?.hasPrefix("2090-07-01") == true, "the end of the expiry day")
            counted = try await reach(t, requester, law)
            #expect(counted.qualified == 1 && counted.hours == 25 && counted.close == 0)
            #expect(try await t.request(.GET, "/api/v1/projects/\(law)", token: lawyer.token).status == .ok)
            let actions = Set(try await audit(t, admin).compactMap { $0["action"]?.stringValue })
            #expect(actions.isSuperset(of: ["worker.approved", "credential.verified", "qualification.grant"]))

            // Tracks and rates.
            #expect(try await t.request(.PATCH, "/api/v1/admin/tracks/coding", token: other.token,
                                        json: "{\"base_rate_cents\": 4500}").status == .forbidden)
            let tooLow = try await t.request(.PATCH, "/api/v1/admin/tracks/coding", token: admin.token, json: "{\"base_rate_cents\": 5}")
            #expect(tooLow.status == .unprocessableEntity)
            #expect(tooLow.string("field") == "base_rate_cents")
            let patched = try await t.request(.PATCH, "/api/v1/admin/tracks/coding", token: admin.token, json: "{\"base_rate_cents\": 4500}")
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(patched.json["base_rate_cents"]?.intValue == 4500)
            let tracks = try await t.request(.GET, "/api/v1/tracks")
            #expect(tracks.json["tracks"]?.arrayValue?.first { $0["id"]?.stringValue == "coding" }?["base_rate_cents"]?.intValue == 4500)
            #expect(try await audit(t, admin).contains { $0["action"]?.stringValue == "track.update" && $0["subject_id"]?.stringValue == "coding" })

            let below = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: """
                {"name": "Cheap code", "schema": \(TestApp.sentimentSchema), "requirements": {"any_of": ["coding"]}, "rate_cents": 4000}
                """)
            #expect(below.status == .unprocessableEntity)
            #expect(below.string("field") == "rate_cents")
            #expect(below.json["detail"]?.stringValue?.contains("4500") == true)
            let atBase = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: """
                {"name": "Fair code", "schema": \(TestApp.sentimentSchema), "requirements": {"any_of": ["coding"]}, "rate_cents": 4500}
                """)
            #expect(atBase.status == .created, "\(atBase.body)")
            #expect(atBase.json["rate_cents"]?.intValue == 4500)
            #expect(atBase.json["rate_set"]?.boolValue == true)
            let unset = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: """
                {"name": "Default code", "schema": \(TestApp.sentimentSchema), "requirements": {"any_of": ["coding"]}}
                """)
            #expect(unset.json["rate_cents"]?.intValue == 4500)
            #expect(unset.json["rate_set"]?.boolValue == false)

            // Revoked: the project reaches no one again.
            let revoked = try await t.request(.DELETE, "/api/v1/admin/users/\(lawyer.userID)/qualifications/professional.law", token: admin.token)
            #expect(revoked.status == .noContent)
            counted = try await reach(t, requester, law)
            #expect(counted.qualified == 0 && counted.close == 1)
        }
    }

    // MARK: Listings and the quiz

    /// The public job board lists only listed open projects, as their settings say, filtered by track,
    /// profession, language and pay; the quiz points a chemist to the chemistry track.
    @Test func publicListingsFiltersAndQuiz() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let chemistry = try await project(t, requester, name: "Internal chemistry name", settings: """
                "requirements": {"any_of": ["stem.chemistry"], "languages": [{"code": "de", "min_level": "fluent"}]},
                "listing": {"listed": true, "title": "Chemistry answers in German", "description": "Judge model answers."},
                "expected_seconds_per_task": 120
                """, tasks: 3)
            let general = try await project(t, requester, name: "Everyday reviews", settings: """
                "requirements": {"any_of": ["general"]}, "listing": {"listed": true, "show_rate": false}
                """, tasks: 2)
            let unlisted = try await project(t, requester, name: "Private reviews", settings: "\"requirements\": {\"any_of\": [\"general\"]}", tasks: 1)
            let badListing = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: """
                {"name": "Bad", "schema": \(TestApp.sentimentSchema), "listing": {"listed": "yes"}}
                """)
            #expect(badListing.status == .unprocessableEntity)
            #expect(badListing.string("field") == "listing.listed")

            func listings(_ query: String = "") async throws -> [JSONValue] {
                let reply = try await t.request(.GET, "/api/v1/listings\(query)")
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.json["listings"]?.arrayValue ?? []
            }
            func ids(_ query: String) async throws -> Set<String> {
                Set(try await listings(query).compactMap { $0["id"]?.stringValue })
            }
            let all = try await listings()
            #expect(Set(all.compactMap { $0["id"]?.stringValue }) == [chemistry, general])
            #expect(!all.contains { $0["id"]?.stringValue == unlisted })
            let chem = all.first { $0["id"]?.stringValue == chemistry }
            #expect(chem?["title"]?.stringValue == "Chemistry answers in German")
            #expect(chem?["description"]?.stringValue == "Judge model answers.")
            #expect(chem?["rate_cents"]?.intValue == 4000)
            #expect(chem?["family"]?.stringValue == "stem")
            #expect(chem?["tracks"]?[0]?["id"]?.stringValue == "stem.chemistry")
            #expect(chem?["languages"] == JSONValue.array([.object(["code": .string("de"), "min_level": .string("fluent")])]))
            #expect(chem?["qualifications"]?.arrayValue?.contains { $0.stringValue == "holds STEM: chemistry" } == true)
            #expect(chem?["tasks_left"]?.intValue == 3)
            #expect(chem?["expected_hours"]?.numberValue == 0.1)
            let everyday = all.first { $0["id"]?.stringValue == general }
            #expect(everyday?["title"]?.stringValue == "Everyday reviews")
            #expect(everyday?["rate_cents"] == JSONValue.null, "the requester hid the rate")

            #expect(try await ids("?track=stem.chemistry") == [chemistry])
            #expect(try await ids("?track=general") == [general])
            #expect(try await ids("?track=coding") == [])
            #expect(try await ids("?profession=chemistry") == [chemistry])
            #expect(try await ids("?language=de") == [chemistry])
            #expect(try await ids("?min_rate_cents=3000") == [chemistry])
            let badRate = try await t.request(.GET, "/api/v1/listings?min_rate_cents=lots")
            #expect(badRate.status == .unprocessableEntity)
            #expect(badRate.string("field") == "min_rate_cents")

            // Unlisting takes a project off the board.
            let off = try await t.request(.PATCH, "/api/v1/projects/\(general)", token: requester.token, json: "{\"listing\": {\"listed\": false}}")
            #expect(off.status == .ok, "\(off.body)")
            #expect(try await ids("") == [chemistry])

            // The quiz.
            let quiz = try await t.request(.POST, "/api/v1/listings/quiz", json: """
                {"fields": ["chemistry"], "degree": "master", "years_experience": 5, "languages": ["en", "de"], "programming": false, "credentials": []}
                """)
            #expect(quiz.status == .ok, "\(quiz.body)")
            let suggestions = quiz.json["tracks"]?.arrayValue ?? []
            #expect(suggestions.count == Tracks.defaults.count)
            func fits(_ track: String) -> Bool? { suggestions.first { $0["track"]?.stringValue == track }?["fits"]?.boolValue }
            #expect(fits("stem.chemistry") == true)
            #expect(fits("general") == true)
            #expect(fits("multilingual") == true)
            #expect(fits("coding") == false)
            #expect(fits("stem.math") == false)
            #expect(fits("professional.law") == false)
            #expect(suggestions.first?["track"]?.stringValue == "stem.chemistry")
            #expect(suggestions.first?["assessments"]?.arrayValue?.contains { $0["title"]?.stringValue == "Specialist assessment: chemistry" } == true)
            let fitting = suggestions.map { $0["fits"]?.boolValue == true }
            #expect(fitting == fitting.sorted { $0 && !$1 }, "the tracks that fit come first")
            let lawyerQuiz = try await t.request(.POST, "/api/v1/listings/quiz", json: "{\"credentials\": [\"bar_admission\"]}")
            #expect(lawyerQuiz.json["tracks"]?.arrayValue?.first { $0["track"]?.stringValue == "professional.law" }?["fits"]?.boolValue == true)
            let badQuiz = try await t.request(.POST, "/api/v1/listings/quiz", json: "{\"degree\": \"wizard\"}")
            #expect(badQuiz.status == .unprocessableEntity)
            #expect(badQuiz.string("field") == "degree")
        }
    }

    // MARK: Alerts

    /// A qualified worker who opted in hears of a project when its tasks come, once for the opening and at most
    /// once a day for growth; others do not; the link in the alert e-mail unsubscribes at once.
    @Test func alertsOnceAndUnsubscribe() async throws {
        try await TestApp.run { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let keen = try await t.makeUser(.worker)
            let unqualified = try await t.makeUser(.worker)
            let quiet = try await t.makeUser(.worker)
            for worker in [keen, quiet] {
                let granted = try await t.request(.POST, "/api/v1/admin/users/\(worker.id.uuidString)/qualifications", token: admin.token,
                                                  json: "{\"track\": \"general\", \"reason\": \"Passed elsewhere\"}")
                #expect(granted.status == .created, "\(granted.body)")
            }
            #expect(try await t.request(.GET, "/api/v1/me/alerts", token: keen.token).json["enabled"]?.boolValue == false)
            for worker in [keen, unqualified] {
                let on = try await t.request(.PUT, "/api/v1/me/alerts", token: worker.token, json: "{\"enabled\": true}")
                #expect(on.json["enabled"]?.boolValue == true, "\(on.body)")
            }
            let bad = try await t.request(.PUT, "/api/v1/me/alerts", token: keen.token, json: "{\"enabled\": \"yes\"}")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.string("field") == "enabled")
            #expect(try await t.request(.GET, "/api/v1/me/alerts", token: keen.token).json["enabled"]?.boolValue == true)

            let project = try await project(t, requester, name: "Alerted reviews", settings: "\"requirements\": {\"any_of\": [\"general\"]}")
            #expect(try await notifications(t, keen.token, kind: "alert").isEmpty, "no tasks, nothing to tell")
            try await importTasks(t, requester, project, count: 2)
            var alerts = try await notifications(t, keen.token, kind: "alert")
            #expect(alerts.count == 1)
            #expect(alerts.first?["title"]?.stringValue == "New work for you: Alerted reviews")
            #expect(try await notifications(t, unqualified.token, kind: "alert").isEmpty)
            #expect(try await notifications(t, quiet.token, kind: "alert").isEmpty)

            // Growth: one more alert that day, then no more.
            try await importTasks(t, requester, project, count: 2)
            alerts = try await notifications(t, keen.token, kind: "alert")
            #expect(alerts.count == 2)
            #expect(alerts.contains { $0["title"]?.stringValue == "More work in Alerted reviews" })
            try await importTasks(t, requester, project, count: 2)
            #expect(try await notifications(t, keen.token, kind: "alert").count == 2, "not a flood")

            let outbox = try await t.app.gloss.workforce.outbox(status: nil, limit: 50).filter { $0.kind == "alert" }
            #expect(outbox.count == 2)
            #expect(outbox.allSatisfy { $0.to == keen.email })
            let body = try #require(outbox.first?.body)
            #expect(body.contains("/unsubscribe?token="))
            let range = try #require(body.range(of: #"token=[A-Za-z0-9_-]+"#, options: .regularExpression))
            let token = String(body[range].dropFirst("token=".count))

            let unknown = try await t.request(.POST, "/api/v1/alerts/unsubscribe", json: "{\"token\": \"not-a-token\"}")
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.string("field") == "token")
            let unsubscribed = try await t.request(.POST, "/api/v1/alerts/unsubscribe", json: "{\"token\": \(JSONValue.quoted(token))}")
            #expect(unsubscribed.status == .ok, "\(unsubscribed.body)")
            #expect(unsubscribed.json["enabled"]?.boolValue == false)
            #expect(try await t.request(.GET, "/api/v1/me/alerts", token: keen.token).json["enabled"]?.boolValue == false)

            let another = try await self.project(t, requester, name: "More alerted reviews", settings: "\"requirements\": {\"any_of\": [\"general\"]}", tasks: 2)
            _ = another
            #expect(try await notifications(t, keen.token, kind: "alert").count == 2, "unsubscribed: no more alerts")
        }
    }

    // MARK: The outbox

    /// The outbox is delivered to the configured mail service as JSON; a failed delivery is retried with
    /// backoff, and mail that keeps failing stays in the outbox as failed with its last error. Without a mail
    /// service nothing is sent and nothing is lost.
    @Test func outboxDeliveryRetriesAndKeepsFailures() async throws {
        try await TestApp.run { t in
            let base = t.app.gloss
            try await base.store.write { sql in
                let now = Store.now()
                try await base.workforce.enqueue(.init(to: "flaky@mail.test", subject: "Hello", body: "First line\nSecond line"),
                                                 userID: nil, kind: "test", now: now, on: sql)
                try await base.workforce.enqueue(.init(to: "broken@mail.test", subject: "Never", body: "Lost cause"),
                                                 userID: nil, kind: "test", now: now, on: sql)
            }
            if base.configuration.mailURL == nil {
                let idle = OutboxSender(context: base, client: t.app.http.client.shared)
                #expect(try await idle.sendDue() == 0)
                #expect(try await base.workforce.outbox(status: "pending", limit: 10).count == 2, "nothing is lost without a mail service")
            }

            try await MailService.run { service in
                var configuration = base.configuration
                configuration.mailURL = service.url
                configuration.mailRetryBaseSeconds = 60
                let context = GlossContext(configuration: configuration, store: base.store, accounts: base.accounts, projects: base.projects,
                                           tasks: base.tasks, taxonomies: base.taxonomies, models: base.models, chats: base.chats,
                                           media: base.media, quality: base.quality, workforce: base.workforce, pay: base.pay, blobs: base.blobs,
                                           schemas: base.schemas, taxonomyCache: base.taxonomyCache, modelClient: base.modelClient,
                                           metrics: base.metrics)
                let sender = OutboxSender(context: context, client: t.app.http.client.shared)
                func mail(_ to: String) async throws -> WorkforceRepository.OutboxMail? {
                    try await base.workforce.outbox(status: nil, limit: 10).first { $0.to == to }
                }

                // First round: both fail; each waits for its retry.
                let before = Store.now()
                #expect(try await sender.sendDue() == 0)
                let flaky = try #require(try await mail("flaky@mail.test"))
                #expect(flaky.status == "pending")
                #expect(flaky.attempts == 1)
                #expect(flaky.lastError?.contains("503") == true)
                #expect(flaky.nextAttemptAt > before)
                let broken = try #require(try await mail("broken@mail.test"))
                #expect(broken.attempts == 1)
                #expect(broken.lastError?.contains("500") == true)
                #expect(try await sender.sendDue() == 0, "nothing is due before its retry time")

                // Second round (as if later): the flaky one is delivered.
                #expect(try await sender.sendDue(now: Store.now() + 100_000) == 1)
                let sent = try #require(try await mail("flaky@mail.test"))
                #expect(sent.status == "sent")
                #expect(sent.sentAt != nil)
                #expect(sent.lastError == nil)
                let received = service.received.withLockedValue { $0 }
                #expect(received.count == 1)
                #expect(received.first?["to"]?.stringValue == "flaky@mail.test")
                #expect(received.first?["subject"]?.stringValue == "Hello")
                #expect(received.first?["text"]?.stringValue == "First line\nSecond line")
                #expect(received.first?["id"]?.stringValue == sent.id.uuidString.lowercased())

                // The broken one fails until it is given up, and stays in the outbox with its error.
                for _ in 3...OutboxSender.maximumAttempts { _ = try await sender.sendDue(now: Store.now() + 100_000) }
                let failed = try #require(try await mail("broken@mail.test"))
                #expect(failed.status == "failed")
                #expect(failed.attempts == OutboxSender.maximumAttempts)
                #expect(failed.lastError?.contains("mailbox on fire") == true)
                #expect(try await sender.sendDue(now: Store.now() + 100_000) == 0)
                #expect(service.calls.withLockedValue { $0["broken@mail.test"] } == OutboxSender.maximumAttempts)
                #expect(service.calls.withLockedValue { $0["flaky@mail.test"] } == 2)
            }
        }
    }
}

/// A stand-in for the operator's mail service: `POST /mail` takes `{to, subject, text, id}`; mail to
/// `broken@…` always fails (500), mail to `flaky@…` fails the first time (503).
private struct MailService {
    let url: String
    let received: NIOLockedValueBox<[JSONValue]>
    /// Calls per recipient.
    let calls: NIOLockedValueBox<[String: Int]>

    static func run(_ body: (MailService) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let received = NIOLockedValueBox<[JSONValue]>([])
        let calls = NIOLockedValueBox<[String: Int]>([:])
        do {
            app.post("mail") { req -> Response in
                let mail = (try? JSONValue.parse(req.body.string ?? "")) ?? .null
                let to = mail["to"]?.stringValue ?? ""
                let call = calls.withLockedValue { counts -> Int in
                    let count = (counts[to] ?? 0) + 1
                    counts[to] = count
                    return count
                }
                if to.hasPrefix("broken@") { return Response(status: .internalServerError, body: .init(string: "mailbox on fire")) }
                if to.hasPrefix("flaky@"), call == 1 { return Response(status: .serviceUnavailable, body: .init(string: "try later")) }
                received.withLockedValue { $0.append(mail) }
                return Response(status: .accepted)
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no port") }
            try await body(MailService(url: "http://127.0.0.1:\(port)/mail", received: received, calls: calls))
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
