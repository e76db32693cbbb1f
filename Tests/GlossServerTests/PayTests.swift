import Foundation
import GlossCore
@testable import GlossServer
import SQLKit
import Testing
import Vapor

/// Time and pay over HTTP, on SQLite and PostgreSQL: activity pings turned into active time (once, never more than
/// wall time), rates from their effective time with the worker's floor and quality multiplier, time the quality
/// policy rejects, the append-only ledger, closing a pay period (idempotent, also under concurrent closes), the
/// payout CSV, what each person may see, and the requester's cost and forecast.
///
/// Pay reads a `ManualClock` that each test moves forward between pings, so minutes of work are credited without
/// waiting. Leases begin in real time, so after taking a lease a test first moves the clock up to the real time
/// (`catchUp`); each ping then claims at most the time the clock moved since the worker's last ping, and is
/// credited in full. Every amount below is computed by hand in its comment.
@Suite("Pay") struct PayTests {
    // MARK: Clock

    /// A clock at the real time, or just past the next UTC midnight when that is less than an hour away, so that
    /// no test's minutes of work straddle two days. Whole seconds, so that `ends_at` sent back is never in its future.
    static func startClock() -> ManualClock {
        let now = Date().timeIntervalSince1970.rounded(.up) + 1
        let midnight = (now / 86_400).rounded(.down) * 86_400 + 86_400
        return ManualClock(midnight - now < 3_600 ? midnight + 1 : now)
    }

    /// Moves the clock up to the real time when it is behind (leases begin in real time).
    static func catchUp(_ clock: ManualClock) {
        clock.set(max(clock.now(), Date().timeIntervalSince1970.rounded(.up) + 1))
    }

    static func iso(_ time: Double) -> String { Timestamp.string(Date(timeIntervalSince1970: time)) }
    static func day(_ time: Double) -> String { String(iso(time).prefix(10)) }

    static func near(_ value: Double?, _ expected: Double, tolerance: Double = 0.051) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= tolerance
    }

    /// The fields a problem names: `field` and each of `errors[].field`.
    static func errorFields(_ reply: TestApp.Reply) -> Set<String> {
        var fields = Set((reply.json["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
        if let field = reply.string("field") { fields.insert(field) }
        return fields
    }

    // MARK: Projects, leases, pings

    static let policyWithoutGold = "{\"gold_rate\": 0, \"expert_sample\": 0}"

    /// A project of the sentiment schema with `tasks` plain tasks (and `extraLines` after them).
    func project(_ t: TestApp, _ requester: TestApp.Account, name: String, tasks: Int, rate: Int? = nil,
                 policy: String = PayTests.policyWithoutGold, requirements: String? = nil, extraLines: [String] = []) async throws -> String {
        var members = "\"name\": \(JSONValue.quoted(name)), \"schema\": \(TestApp.sentimentSchema), \"overlap\": 1, \"quality_policy\": \(policy)"
        if let rate { members += ", \"rate_cents\": \(rate)" }
        if let requirements { members += ", \"requirements\": \(requirements)" }
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\(members)}")
        #expect(reply.status == .created, "\(reply.body)")
        let id = try #require(reply.string("id"))
        let lines = (0..<tasks).map { "{\"data\": {\"text\": \"\(name) item \($0 + 1)\"}}" } + extraLines
        if !lines.isEmpty {
            let imported = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token,
                                               body: lines.joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(imported.status == .created, "\(imported.body)")
        }
        return id
    }

    /// `GET next` for the worker; then the clock is moved up to the real time, past the lease's start.
    func lease(_ t: TestApp, _ clock: ManualClock, _ worker: TestApp.Account, _ project: String,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let next = try await t.request(.GET, "/api/v1/projects/\(project)/next", token: worker.token, sourceLocation: sourceLocation)
        #expect(next.status == .ok, "\(next.body)", sourceLocation: sourceLocation)
        let id = try #require(next.string("id"), sourceLocation: sourceLocation)
        Self.catchUp(clock)
        return id
    }

    /// One browser tab of the labeling page: its id and the sequence number of its last ping.
    struct Tab {
        let id: String
        var seq = 0
        init(_ name: String = "tab") { id = "\(name)-\(UUID().uuidString.prefix(12).lowercased())" }
    }

    /// An activity ping with the tab's next sequence number.
    func ping(_ t: TestApp, _ worker: TestApp.Account, _ task: String, _ tab: inout Tab, active: Double, idle: Double = 1,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestApp.Reply {
        tab.seq += 1
        return try await t.request(.POST, "/api/v1/tasks/\(task)/activity", token: worker.token,
                                   json: "{\"tab\": \"\(tab.id)\", \"seq\": \(tab.seq), \"active_s\": \(active), \"idle_s\": \(idle)}",
                                   sourceLocation: sourceLocation)
    }

    /// `seconds` of work: the clock moves on by them and a ping claims them; all of it is credited.
    @discardableResult
    func work(_ t: TestApp, _ clock: ManualClock, _ worker: TestApp.Account, _ task: String, _ tab: inout Tab, seconds: Double,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestApp.Reply {
        clock.advance(seconds)
        let reply = try await ping(t, worker, task, &tab, active: seconds, sourceLocation: sourceLocation)
        #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
        #expect(Self.near(reply.json["credited_s"]?.numberValue, seconds), "credited \(seconds) s: \(reply.body)", sourceLocation: sourceLocation)
        return reply
    }

    func submit(_ t: TestApp, _ worker: TestApp.Account, _ task: String, sentiment: String = "positive",
                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let reply = try await t.request(.POST, "/api/v1/tasks/\(task)/annotations", token: worker.token,
                                        json: "{\"value\": {\"sentiment\": \"\(sentiment)\"}}", sourceLocation: sourceLocation)
        #expect(reply.status == .created, "\(reply.body)", sourceLocation: sourceLocation)
    }

    func setRate(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ json: String,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestApp.Reply {
        let reply = try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: requester.token, json: json, sourceLocation: sourceLocation)
        #expect(reply.status == .created, "\(reply.body)", sourceLocation: sourceLocation)
        return reply
    }

    func grantTrack(_ t: TestApp, _ admin: TestApp.Account, _ worker: TestApp.Account, _ track: String) async throws {
        let reply = try await t.request(.POST, "/api/v1/admin/users/\(worker.id.uuidString.lowercased())/qualifications", token: admin.token,
                                        json: "{\"track\": \"\(track)\", \"reason\": \"Qualified elsewhere\"}")
        #expect(reply.status == .created, "\(reply.body)")
        #expect(reply.json["active"]?.boolValue == true, "\(reply.body)")
    }

    func grantReviewer(_ t: TestApp, _ requester: TestApp.Account, _ project: String, _ reviewer: TestApp.Account) async throws {
        let reply = try await t.request(.POST, "/api/v1/projects/\(project)/reviewers", token: requester.token,
                                        json: "{\"email\": \"\(reviewer.email)\", \"level\": \"reviewer\"}")
        #expect(reply.status == .created, "\(reply.body)")
    }

    /// The reviewer takes the next item of the review stage and gives it a verdict; returns the task reviewed.
    @discardableResult
    func review(_ t: TestApp, _ reviewer: TestApp.Account, _ project: String, verdict: String, comment: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let item = try await t.request(.GET, "/api/v1/projects/\(project)/reviews/next?stage=review", token: reviewer.token,
                                       sourceLocation: sourceLocation)
        #expect(item.status == .ok, "\(item.body)", sourceLocation: sourceLocation)
        let id = try #require(item.string("id"), sourceLocation: sourceLocation)
        var body = "{\"verdict\": \"\(verdict)\""
        if let comment { body += ", \"comment\": \(JSONValue.quoted(comment))" }
        let reply = try await t.request(.POST, "/api/v1/reviews/\(id)", token: reviewer.token, json: body + "}", sourceLocation: sourceLocation)
        #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
        return try #require(item.json["task"]?["id"]?.stringValue, sourceLocation: sourceLocation)
    }

    // MARK: Reading pay

    /// Figures of a timesheet (all days together, or one project on all days).
    struct Figures {
        var activeSeconds = 0.0
        var rejectedSeconds = 0.0
        var tasks = 0
        var earnedCents = 0
        var rejections: [JSONValue] = []
    }

    struct Sheet {
        var total = Figures()
        var projects: [String: Figures] = [:]
        var notes: [String: String] = [:]
        var days: [String] = []
        var reply: TestApp.Reply
    }

    /// The worker's timesheet (default range unless a query is given), summed over its days and checked against
    /// its own totals.
    func timesheet(_ t: TestApp, _ worker: TestApp.Account, query: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> Sheet {
        let reply = try await t.request(.GET, "/api/v1/me/timesheet\(query)", token: worker.token, sourceLocation: sourceLocation)
        #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
        var sheet = Sheet(reply: reply)
        for day in reply.json["days"]?.arrayValue ?? [] {
            let name = day["day"]?.stringValue ?? "?"
            sheet.days.append(name)
            if let note = day["note"]?.stringValue { sheet.notes[name] = note }
            sheet.total.activeSeconds += day["active_s"]?.numberValue ?? 0
            sheet.total.rejectedSeconds += day["rejected_s"]?.numberValue ?? 0
            sheet.total.tasks += day["tasks"]?.intValue ?? 0
            sheet.total.earnedCents += day["earned_cents"]?.intValue ?? 0
            for project in day["projects"]?.arrayValue ?? [] {
                let id = project["project_id"]?.stringValue ?? "?"
                var figures = sheet.projects[id] ?? Figures()
                figures.activeSeconds += project["active_s"]?.numberValue ?? 0
                figures.rejectedSeconds += project["rejected_s"]?.numberValue ?? 0
                figures.tasks += project["tasks"]?.intValue ?? 0
                figures.earnedCents += project["earned_cents"]?.intValue ?? 0
                figures.rejections += project["rejections"]?.arrayValue ?? []
                sheet.projects[id] = figures
            }
        }
        #expect(sheet.days == sheet.days.sorted(by: >), "newest day first: \(sheet.days)", sourceLocation: sourceLocation)
        #expect(Self.near(reply.json["total_active_s"]?.numberValue, sheet.total.activeSeconds, tolerance: 0.15),
                "total_active_s is the sum of the days: \(reply.body)", sourceLocation: sourceLocation)
        #expect(reply.json["total_earned_cents"]?.intValue == sheet.total.earnedCents,
                "total_earned_cents is the sum of the days: \(reply.body)", sourceLocation: sourceLocation)
        return sheet
    }

    func earnings(_ t: TestApp, _ worker: TestApp.Account, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let reply = try await t.request(.GET, "/api/v1/me/earnings", token: worker.token, sourceLocation: sourceLocation)
        #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
        return reply.json
    }

    func rate(in earnings: JSONValue, project: String) -> JSONValue? {
        earnings["rates"]?.arrayValue?.first { $0["project_id"]?.stringValue == project }
    }

    /// Every ledger entry of the worker, newest first.
    func ledger(_ t: TestApp, _ worker: TestApp.Account, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JSONValue] {
        let reply = try await t.request(.GET, "/api/v1/me/ledger?limit=200", token: worker.token, sourceLocation: sourceLocation)
        #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
        return reply.json["entries"]?.arrayValue ?? []
    }

    static func amounts(_ entries: [JSONValue], kind: String) -> [Int] {
        entries.filter { $0["kind"]?.stringValue == kind }.compactMap { $0["amount_cents"]?.intValue }.sorted()
    }

    /// worker id (lower-case) -> (amount, entries) of a period's payouts.
    static func payouts(_ value: JSONValue?) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for payout in value?["payouts"]?.arrayValue ?? [] {
            let worker = payout["worker_id"]?.stringValue?.lowercased() ?? "?"
            result[worker] = [payout["amount_cents"]?.intValue ?? -1, payout["entries"]?.intValue ?? -1]
        }
        return result
    }

    func close(_ t: TestApp, _ admin: TestApp.Account, endsAt: Double, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestApp.Reply {
        try await t.request(.POST, "/api/v1/admin/pay-periods", token: admin.token, json: "{\"ends_at\": \"\(Self.iso(endsAt))\"}",
                            sourceLocation: sourceLocation)
    }

    /// RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(scalar)
                }
            } else {
                switch scalar {
                case "\"": quoted = true
                case ",":
                    row.append(String(field))
                    field = String.UnicodeScalarView()
                case "\n":
                    row.append(String(field))
                    rows.append(row)
                    row = []
                    field = String.UnicodeScalarView()
                case "\r": break
                default: field.append(scalar)
                }
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(field))
            rows.append(row)
        }
        return rows
    }

    /// One integer (`n`) from SQL.
    func sqlCount(_ t: TestApp, _ query: String) async throws -> Int {
        try await t.sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    // MARK: A whole pay period

    /// Two workers on an hourly project ($45/h) and a per-task one (35 cents a task), a bonus and an adjustment:
    /// the timesheets and earnings show the hand-computed seconds and cents; closing the period pays each balance,
    /// the CSV says the same, the entries are marked paid and balances are 0; closing again with the same end pays
    /// nothing twice; work after the close (posted by submit, or still open and posted by the next close) lands in
    /// the next period only, and a task whose time a close posted is not paid again on submit.
    @Test func wholePayPeriod() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let ada = try await t.makeUser(.worker)
            let ben = try await t.makeUser(.worker)
            let hourly = try await self.project(t, requester, name: "Hourly reviews", tasks: 6)
            let perTask = try await self.project(t, requester, name: "Quick items", tasks: 2)

            // Rates: $45.00 an hour from now; 35 cents a task.
            let hourlySet = try await setRate(t, requester, hourly, "{\"mode\": \"hourly\", \"rate_cents\": 4500, \"reason\": \"Launch rate\"}")
            #expect(hourlySet.json["mode"]?.stringValue == "hourly")
            #expect(hourlySet.json["rate_cents"]?.intValue == 4500)
            #expect(hourlySet.json["reason"]?.stringValue == "Launch rate")
            let perTaskRate = try await setRate(t, requester, perTask, "{\"mode\": \"per_task\", \"task_rate_cents\": 35}")
            #expect(perTaskRate.json["task_rate_cents"]?.intValue == 35)
            let rates = try await t.request(.GET, "/api/v1/projects/\(hourly)/rates", token: requester.token)
            #expect(rates.status == .ok, "\(rates.body)")
            #expect(rates.json["current"]?["rate_cents"]?.intValue == 4500)
            #expect(rates.json["changes"]?.arrayValue?.count == 1)

            // Ada: task a, 90 s then 50 s (one row: 140 s x $45/h = 175.0 cents); task b, 61.2 s (76.5 cents, half
            // to even: 76); a per-task item after 30 s (35 cents).
            var adaTab = Tab("ada")
            let taskA = try await lease(t, clock, ada, hourly)
            clock.advance(100)
            let first = try await ping(t, ada, taskA, &adaTab, active: 90, idle: 3)
            #expect(first.status == .ok, "\(first.body)")
            #expect(Self.near(first.json["credited_s"]?.numberValue, 90), "\(first.body)")
            #expect(first.json["idle_seconds"]?.intValue == 60)
            let second = try await work(t, clock, ada, taskA, &adaTab, seconds: 50)
            #expect(Self.near(second.json["task_active_s"]?.numberValue, 140), "\(second.body)")
            try await submit(t, ada, taskA)
            let taskB = try await lease(t, clock, ada, hourly)
            try await work(t, clock, ada, taskB, &adaTab, seconds: 61.2)
            try await submit(t, ada, taskB)
            let itemD = try await lease(t, clock, ada, perTask)
            try await work(t, clock, ada, itemD, &adaTab, seconds: 30)
            try await submit(t, ada, itemD)

            // Ben: task c, 200 s (250 cents); a per-task item after 20 s (35 cents).
            var benTab = Tab("ben")
            let taskC = try await lease(t, clock, ben, hourly)
            try await work(t, clock, ben, taskC, &benTab, seconds: 200)
            try await submit(t, ben, taskC)
            let itemE = try await lease(t, clock, ben, perTask)
            try await work(t, clock, ben, itemE, &benTab, seconds: 20)
            try await submit(t, ben, itemE)

            // A bonus for Ada and an adjustment for Ben, with who and why; bad ones are refused, naming the field.
            let ledgerPath = { (worker: TestApp.Account) in "/api/v1/admin/workers/\(worker.id.uuidString.lowercased())/ledger" }
            for (body, field) in [("{\"kind\": \"bonus\", \"amount_cents\": -5, \"reason\": \"x\"}", "amount_cents"),
                                  ("{\"kind\": \"adjustment\", \"amount_cents\": 0, \"reason\": \"x\"}", "amount_cents"),
                                  ("{\"kind\": \"payout\", \"amount_cents\": 5, \"reason\": \"x\"}", "kind"),
                                  ("{\"kind\": \"bonus\", \"amount_cents\": 5}", "reason"),
                                  ("{\"kind\": \"bonus\", \"amount_cents\": 5, \"reason\": \"\(String(repeating: "r", count: 501))\"}", "reason")] {
                let refused = try await t.request(.POST, ledgerPath(ada), token: admin.token, json: body)
                #expect(refused.status == .unprocessableEntity, "\(body): \(refused.body)")
                #expect(Self.errorFields(refused).contains(field), "\(body): \(refused.body)")
            }
            #expect(try await t.request(.POST, ledgerPath(ada), token: ada.token,
                                        json: "{\"kind\": \"bonus\", \"amount_cents\": 100000, \"reason\": \"Me\"}").status == .forbidden)
            let bonus = try await t.request(.POST, ledgerPath(ada), token: admin.token,
                                            json: "{\"kind\": \"bonus\", \"amount_cents\": 500, \"reason\": \"Launch week bonus\"}")
            #expect(bonus.status == .created, "\(bonus.body)")
            #expect(bonus.json["kind"]?.stringValue == "bonus")
            #expect(bonus.json["amount_cents"]?.intValue == 500)
            #expect(bonus.json["memo"]?.stringValue == "Launch week bonus")
            #expect(bonus.json["created_by"]?.stringValue == admin.email)
            let adjustment = try await t.request(.POST, ledgerPath(ben), token: admin.token, json: """
                {"kind": "adjustment", "amount_cents": -40, "reason": "Duplicate item paid twice", "project_id": "\(perTask)"}
                """)
            #expect(adjustment.status == .created, "\(adjustment.body)")
            #expect(adjustment.json["amount_cents"]?.intValue == -40)
            #expect(adjustment.json["project_id"]?.stringValue == perTask)

            // Timesheets: Ada 90 + 50 + 61.2 + 30 = 231.2 s, 3 tasks, 175 + 76 + 35 = 286 cents (the bonus is not
            // time); Ben 200 + 20 = 220 s, 2 tasks, 250 + 35 = 285 cents.
            let adaSheet = try await timesheet(t, ada)
            #expect(Self.near(adaSheet.total.activeSeconds, 231.2, tolerance: 0.15), "\(adaSheet.reply.body)")
            #expect(adaSheet.total.tasks == 3, "\(adaSheet.reply.body)")
            #expect(adaSheet.total.earnedCents == 286, "\(adaSheet.reply.body)")
            #expect(adaSheet.total.rejectedSeconds == 0)
            #expect(Self.near(adaSheet.projects[hourly]?.activeSeconds, 201.2, tolerance: 0.15), "\(adaSheet.reply.body)")
            #expect(adaSheet.projects[hourly]?.tasks == 2)
            #expect(adaSheet.projects[hourly]?.earnedCents == 251)
            #expect(Self.near(adaSheet.projects[perTask]?.activeSeconds, 30), "\(adaSheet.reply.body)")
            #expect(adaSheet.projects[perTask]?.tasks == 1)
            #expect(adaSheet.projects[perTask]?.earnedCents == 35)
            #expect(adaSheet.days.contains(Self.day(clock.now())))
            #expect(adaSheet.reply.json["idle_seconds"]?.intValue == 60)
            let benSheet = try await timesheet(t, ben)
            #expect(Self.near(benSheet.total.activeSeconds, 220), "\(benSheet.reply.body)")
            #expect(benSheet.total.tasks == 2)
            #expect(benSheet.total.earnedCents == 285, "\(benSheet.reply.body)")
            #expect(benSheet.projects[hourly]?.earnedCents == 250)
            #expect(benSheet.projects[perTask]?.earnedCents == 35)

            // Earnings: balances are the sums of the entries; rates as set.
            let adaEarnings = try await earnings(t, ada)
            #expect(adaEarnings["balance_cents"]?.intValue == 786, "175 + 76 + 35 + 500: \(adaEarnings.jsonText)")
            #expect(adaEarnings["pending_cents"]?.intValue == 0)
            #expect(adaEarnings["paid_to_date_cents"]?.intValue == 0)
            #expect(adaEarnings["currency"]?.stringValue == "USD")
            #expect(adaEarnings["settings"]?["idle_seconds"]?.intValue == 60)
            let hourlyRate = rate(in: adaEarnings, project: hourly)
            #expect(hourlyRate?["mode"]?.stringValue == "hourly")
            #expect(hourlyRate?["base_rate_cents"]?.intValue == 4500)
            #expect(hourlyRate?["multiplier_bp"]?.intValue == 10_000)
            #expect(hourlyRate?["effective_rate_cents"]?.intValue == 4500)
            let taskRate = rate(in: adaEarnings, project: perTask)
            #expect(taskRate?["mode"]?.stringValue == "per_task")
            #expect(taskRate?["task_rate_cents"]?.intValue == 35)
            #expect(try await earnings(t, ben)["balance_cents"]?.intValue == 245, "250 + 35 - 40")

            let adaEntries = try await ledger(t, ada)
            #expect(Self.amounts(adaEntries, kind: "work") == [35, 76, 175], "one entry per row, rounded once, half to even: \(adaEntries)")
            #expect(Self.amounts(adaEntries, kind: "bonus") == [500])
            #expect(adaEntries.allSatisfy { $0["paid"]?.boolValue == false })
            #expect(adaEntries.first?["kind"]?.stringValue == "bonus", "newest first")
            #expect(adaEntries.filter { $0["kind"]?.stringValue == "work" }.allSatisfy { $0["created_by"] == JSONValue.null })
            #expect(Set(adaEntries.compactMap { $0["task_id"]?.stringValue }) == [taskA, taskB, itemD])
            // Paging: two at a time, newest first, nothing twice, nothing left out.
            var paged: [String] = []
            var before: String?
            for _ in 0..<5 {
                let page = try await t.request(.GET, "/api/v1/me/ledger?limit=2" + (before.map { "&before=\($0)" } ?? ""), token: ada.token)
                #expect(page.status == .ok, "\(page.body)")
                paged += (page.json["entries"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                before = page.json["next"]?.stringValue
                if before == nil { break }
            }
            #expect(paged == adaEntries.compactMap { $0["id"]?.stringValue })
            let benEntries = try await ledger(t, ben)
            #expect(Self.amounts(benEntries, kind: "work") == [35, 250])
            #expect(Self.amounts(benEntries, kind: "adjustment") == [-40])
            #expect(benEntries.first { $0["kind"]?.stringValue == "adjustment" }?["memo"]?.stringValue == "Duplicate item paid twice")

            // Close the period at the clock's now: each balance is paid, once.
            clock.advance(2)
            let end = clock.now().rounded(.down)
            let closed = try await close(t, admin, endsAt: end)
            #expect(closed.status == .created, "\(closed.body)")
            #expect(closed.json["already_closed"]?.boolValue == false)
            #expect(closed.json["ends_at"]?.stringValue == Self.iso(end))
            #expect(closed.json["total_cents"]?.intValue == 1031, "786 + 245")
            #expect(closed.json["workers"]?.intValue == 2)
            let expected: [String: [Int]] = [ada.id.uuidString.lowercased(): [786, 4], ben.id.uuidString.lowercased(): [245, 3]]
            #expect(Self.payouts(closed.json) == expected, "\(closed.body)")
            let periodID = try #require(closed.string("id"))
            let shown = try await t.request(.GET, "/api/v1/admin/pay-periods/\(periodID)", token: admin.token)
            #expect(shown.status == .ok, "\(shown.body)")
            #expect(Self.payouts(shown.json) == expected)
            #expect(shown.json["payouts"]?.arrayValue?.first { $0["worker_id"]?.stringValue?.lowercased() == ada.id.uuidString.lowercased() }?["email"]?
                .stringValue == ada.email)

            // The payout file says the same.
            let csv = try await t.request(.GET, "/api/v1/admin/pay-periods/\(periodID)/payouts.csv", token: admin.token)
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let rows = Self.csvRows(csv.body)
            #expect(rows.first == ["period_start", "period_end", "worker_id", "name", "email", "amount_cents", "amount", "currency", "entries"],
                    "\(csv.body)")
            #expect(rows.count == 3, "\(csv.body)")
            for payout in closed.json["payouts"]?.arrayValue ?? [] {
                let worker = payout["worker_id"]?.stringValue?.lowercased() ?? "?"
                let row = rows.dropFirst().first { $0.count == 9 && $0[2].lowercased() == worker }
                #expect(row != nil, "a row for \(worker): \(csv.body)")
                guard let row else { continue }
                let cents = payout["amount_cents"]?.intValue ?? 0
                #expect(row[0] == closed.json["starts_at"]?.stringValue, "\(row)")
                #expect(row[1] == Self.iso(end), "\(row)")
                if let name = payout["name"]?.stringValue { #expect(row[3] == name, "\(row)") }
                #expect(row[4] == payout["email"]?.stringValue)
                #expect(row[5] == String(cents))
                #expect(row[6] == "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)", "\(row)")
                #expect(row[7] == "USD")
                #expect(row[8] == String(payout["entries"]?.intValue ?? -1))
            }
            #expect(rows.dropFirst().map { $0.count > 6 ? $0[6] : "" }.sorted() == ["2.45", "7.86"])

            // Paid: balances 0, every entry marked with its period.
            for (worker, paid) in [(ada, 786), (ben, 245)] {
                let after = try await earnings(t, worker)
                #expect(after["balance_cents"]?.intValue == 0, "\(after.jsonText)")
                #expect(after["paid_to_date_cents"]?.intValue == paid)
                let entries = try await ledger(t, worker)
                let earned = entries.filter { $0["kind"]?.stringValue != "payout" }
                #expect(earned.allSatisfy { $0["paid"]?.boolValue == true && $0["period_id"]?.stringValue == periodID }, "\(entries)")
                #expect(Self.amounts(entries, kind: "payout") == [-paid])
                let adminView = try await t.request(.GET, ledgerPath(worker), token: admin.token)
                #expect(adminView.json["balance_cents"]?.intValue == 0, "\(adminView.body)")
            }
            let adaCount = try await ledger(t, ada).count

            // Refused closes: an end in the future, an end before the last closed one.
            let future = try await close(t, admin, endsAt: clock.now().rounded(.down) + 3_600)
            #expect(future.status == .unprocessableEntity, "\(future.body)")
            #expect(Self.errorFields(future).contains("ends_at"))
            #expect(try await close(t, admin, endsAt: end - 3_600).status == .conflict)

            // Work after the close: Ada's 40 s on a submitted task (50 cents); Ben's 80 s still open (100 cents pending).
            let late = try await lease(t, clock, ada, hourly)
            try await work(t, clock, ada, late, &adaTab, seconds: 40)
            try await submit(t, ada, late)
            let open = try await lease(t, clock, ben, hourly)
            try await work(t, clock, ben, open, &benTab, seconds: 80)
            let benPending = try await earnings(t, ben)
            #expect(benPending["balance_cents"]?.intValue == 0)
            #expect(benPending["pending_cents"]?.intValue == 100, "80 s x $45/h, open: \(benPending.jsonText)")

            // The same close again pays nothing twice and takes nothing of the later work.
            let again = try await close(t, admin, endsAt: end)
            #expect(again.status == .ok, "\(again.body)")
            #expect(again.json["already_closed"]?.boolValue == true)
            #expect(again.string("id") == periodID)
            #expect(Self.payouts(again.json) == expected, "\(again.body)")
            let adaAfter = try await earnings(t, ada)
            #expect(adaAfter["balance_cents"]?.intValue == 50, "only the work after the close: \(adaAfter.jsonText)")
            #expect(adaAfter["paid_to_date_cents"]?.intValue == 786)
            let adaLate = try await ledger(t, ada)
            #expect(adaLate.count == adaCount + 1, "one new work entry, no second payout")
            #expect(adaLate.first?["amount_cents"]?.intValue == 50)
            #expect(adaLate.first?["paid"]?.boolValue == false)
            #expect(adaLate.first?["period_id"] == JSONValue.null)
            #expect(try await earnings(t, ben)["pending_cents"]?.intValue == 100)
            let firstPeriod = try await t.request(.GET, "/api/v1/admin/pay-periods/\(periodID)", token: admin.token)
            #expect(Self.payouts(firstPeriod.json) == expected)

            // The next period: Ada's 50 cents and Ben's open time, posted by the close (80 s: 100 cents).
            clock.advance(2)
            let end2 = clock.now().rounded(.down)
            let next = try await close(t, admin, endsAt: end2)
            #expect(next.status == .created, "\(next.body)")
            #expect(next.json["starts_at"]?.stringValue == Self.iso(end), "periods are back to back")
            #expect(Self.payouts(next.json) == [ada.id.uuidString.lowercased(): [50, 1], ben.id.uuidString.lowercased(): [100, 1]], "\(next.body)")
            let benClosed = try await earnings(t, ben)
            #expect(benClosed["balance_cents"]?.intValue == 0)
            #expect(benClosed["pending_cents"]?.intValue == 0)
            #expect(benClosed["paid_to_date_cents"]?.intValue == 345, "245 + 100")
            // Submitting the task whose time the close posted pays nothing more.
            try await submit(t, ben, open)
            #expect(try await earnings(t, ben)["balance_cents"]?.intValue == 0)
            #expect(try await ledger(t, ben).filter { $0["task_id"]?.stringValue == open && $0["kind"]?.stringValue == "work" }.count == 1)

            let periods = try await t.request(.GET, "/api/v1/admin/pay-periods", token: admin.token)
            #expect(periods.status == .ok, "\(periods.body)")
            #expect(Set((periods.json["periods"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }) == [periodID, next.string("id") ?? "-"])
            #expect(periods.json["unpaid_cents"]?.intValue == 0, "\(periods.body)")
            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM payouts") == 4)
            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'payout'") == 4)
        }
    }

    // MARK: Activity

    /// Pings over HTTP: a claim longer than the lease is cut to it; a duplicate counts once; a lost ping is
    /// recovered by the next; two tabs and two tasks never count more than wall time; idle time beyond the window
    /// is cut; bad fields, no lease and another worker's task are refused; submit and skip post the time.
    @Test func activityCountsOnceAndNeverMoreThanWallTime() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let requester = try await t.makeUser(.requester)
            let admin = try await t.makeUser(.admin)
            let worker = try await t.makeUser(.worker)
            let other = try await t.makeUser(.worker)
            let newcomer = try await t.makeUser(.worker)
            // $36.00 an hour: a cent a second.
            let first = try await self.project(t, requester, name: "First", tasks: 3, rate: 3600)
            let second = try await self.project(t, requester, name: "Second", tasks: 2, rate: 3600)

            // A claim longer than the lease so far is cut to the lease (30 s, give or take the request's own time).
            let before = Date().timeIntervalSince1970
            clock.set(before)
            let next = try await t.request(.GET, "/api/v1/projects/\(first)/next", token: newcomer.token)
            let leased = try #require(next.string("id"))
            let after = Date().timeIntervalSince1970
            clock.set(after + 30)
            var newcomerTab = Tab()
            let long = try await ping(t, newcomer, leased, &newcomerTab, active: 3_000)
            #expect(long.status == .ok, "\(long.body)")
            let cut = long.json["credited_s"]?.numberValue ?? -1
            #expect(cut >= 29.9 && cut <= 30.1 + (after - before), "cut to the lease: \(long.body)")

            // One task, tab A: 30 s.
            let taskX = try await lease(t, clock, worker, first)
            var tabA = Tab("a")
            let started = try await work(t, clock, worker, taskX, &tabA, seconds: 30)
            #expect(Self.near(started.json["task_active_s"]?.numberValue, 30))

            // The same ping again (same tab, same seq) counts nothing.
            let duplicate = try await t.request(.POST, "/api/v1/tasks/\(taskX)/activity", token: worker.token,
                                                json: "{\"tab\": \"\(tabA.id)\", \"seq\": \(tabA.seq), \"active_s\": 30, \"idle_s\": 1}")
            #expect(duplicate.status == .ok, "\(duplicate.body)")
            #expect(duplicate.json["credited_s"]?.numberValue == 0, "\(duplicate.body)")
            #expect(Self.near(duplicate.json["task_active_s"]?.numberValue, 30))

            // A lost ping: its 20 s come with the next one (40 s claimed after 40 s).
            clock.advance(20)
            tabA.seq += 1  // this ping never arrives
            clock.advance(20)
            let recovered = try await ping(t, worker, taskX, &tabA, active: 40)
            #expect(Self.near(recovered.json["credited_s"]?.numberValue, 40), "\(recovered.body)")
            #expect(Self.near(recovered.json["task_active_s"]?.numberValue, 70))

            // Two tabs on the same task, each claiming the same 30 s: counted once; then the other way round.
            var tabB = Tab("b")
            try await work(t, clock, worker, taskX, &tabA, seconds: 30)
            let twin = try await ping(t, worker, taskX, &tabB, active: 30)
            #expect(twin.status == .ok)
            #expect(twin.json["credited_s"]?.numberValue == 0, "\(twin.body)")
            try await work(t, clock, worker, taskX, &tabB, seconds: 30)
            let twinAgain = try await ping(t, worker, taskX, &tabA, active: 30)
            #expect(twinAgain.json["credited_s"]?.numberValue == 0, "\(twinAgain.body)")
            #expect(Self.near(twinAgain.json["task_active_s"]?.numberValue, 130), "60 s of wall time: \(twinAgain.body)")

            // Idle beyond the 60-s window: 120 s claimed, the last input 90 s ago, so the last 30 s are not work.
            clock.advance(120)
            let idle = try await ping(t, worker, taskX, &tabA, active: 120, idle: 90)
            #expect(Self.near(idle.json["credited_s"]?.numberValue, 90), "\(idle.body)")
            #expect(Self.near(idle.json["task_active_s"]?.numberValue, 220))

            // Two tasks at once (a second project's task): each instant counts for one task only.
            let taskY = try await lease(t, clock, worker, second)
            var tabC = Tab("c")
            try await work(t, clock, worker, taskX, &tabA, seconds: 60)
            let both = try await ping(t, worker, taskY, &tabC, active: 60)
            #expect(both.status == .ok, "\(both.body)")
            #expect(both.json["credited_s"]?.numberValue == 0, "the same minute was already X's: \(both.body)")
            let onlyY = try await work(t, clock, worker, taskY, &tabC, seconds: 30)
            #expect(Self.near(onlyY.json["task_active_s"]?.numberValue, 30))

            // Bad fields: each named.
            let good = ["tab": "\"\(tabC.id)\"", "seq": "99", "active_s": "0", "idle_s": "0"]
            for (field, bad) in [("tab", "\"short\""), ("tab", "\"has spaces and !\""), ("tab", "null"), ("seq", "\"one\""), ("seq", "1.5"),
                                 ("active_s", "3601"), ("active_s", "-1"), ("active_s", "\"ten\""), ("idle_s", "-1"), ("idle_s", "\"x\"")] {
                var members = good
                members[field] = bad
                let body = "{" + members.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
                let refused = try await t.request(.POST, "/api/v1/tasks/\(taskY)/activity", token: worker.token, json: body)
                #expect(refused.status == .unprocessableEntity, "\(body): \(refused.body)")
                #expect(Self.errorFields(refused).contains(field), "\(body): \(refused.body)")
            }

            // Another worker's task: refused, and nothing of it is credited to anyone.
            var otherTab = Tab()
            clock.advance(10)
            let stranger = try await ping(t, other, taskY, &otherTab, active: 10)
            #expect([.conflict, .notFound].contains(stranger.status), "\(stranger.body)")
            #expect(try await timesheet(t, other).total.activeSeconds == 0)
            // Unknown task; not a worker.
            #expect(try await ping(t, worker, UUID().uuidString.lowercased(), &tabC, active: 1).status == .notFound)
            // An admin passes every role check but holds no lease: refused either way, and credited nothing.
            #expect([.forbidden, .conflict].contains(try await ping(t, admin, taskY, &tabC, active: 1).status))
            #expect(try await ping(t, requester, taskY, &tabC, active: 1).status == .forbidden)

            // Submit posts X (280 s: 280 cents), skip posts Y (30 s); the lease gone, a ping is refused.
            try await submit(t, worker, taskX)
            clock.advance(5)
            let gone = try await ping(t, worker, taskX, &tabA, active: 5)
            #expect(gone.status == .conflict, "\(gone.body)")
            #expect(gone.json["detail"]?.stringValue == "The lease on this task is gone.")
            let skipped = try await t.request(.POST, "/api/v1/tasks/\(taskY)/skip", token: worker.token)
            #expect(skipped.status == .noContent)
            let entries = try await ledger(t, worker)
            #expect(Self.amounts(entries, kind: "work") == [30, 280], "\(entries)")
            #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 310)

            // Wall time since the lease: 30 + 40 + 60 + 120 + 60 + 30 + 10 + 5 = 355 s; credited 310 (30 s idle, the
            // last 15 s unclaimed or refused).
            let sheet = try await timesheet(t, worker)
            #expect(Self.near(sheet.total.activeSeconds, 310), "\(sheet.reply.body)")
            #expect(Self.near(sheet.projects[first]?.activeSeconds, 280))
            #expect(Self.near(sheet.projects[second]?.activeSeconds, 30))
            #expect(sheet.projects[first]?.earnedCents == 280)
            #expect(sheet.projects[second]?.earnedCents == 30)
            #expect(sheet.total.tasks == 1, "one submission (the skip is not a task done)")
        }
    }

    /// Notes on timesheet days: saved, shown on the day, deleted when empty; bad days, future days and long notes
    /// are refused; the range of the timesheet is checked.
    @Test func timesheetNotes() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let worker = try await t.makeUser(.worker)
            let other = try await t.makeUser(.worker)
            let today = Self.day(clock.now())
            let saved = try await t.request(.PUT, "/api/v1/me/timesheet/\(today)/note", token: worker.token,
                                            json: "{\"note\": \"Calibration call with <b>the team</b>\"}")
            #expect(saved.status == .ok, "\(saved.body)")
            #expect(saved.json["day"]?.stringValue == today)
            #expect(saved.json["note"]?.stringValue == "Calibration call with <b>the team</b>")
            #expect(try await timesheet(t, worker).notes[today] == "Calibration call with <b>the team</b>", "a day with only a note is shown")
            #expect(try await timesheet(t, other).notes.isEmpty, "notes are the worker's own")

            let tomorrow = Self.day(clock.now() + 86_400)
            for (day, body) in [(tomorrow, "{\"note\": \"later\"}"), ("2026-02-30", "{\"note\": \"x\"}"), ("yesterday", "{\"note\": \"x\"}")] {
                let refused = try await t.request(.PUT, "/api/v1/me/timesheet/\(day)/note", token: worker.token, json: body)
                #expect(refused.status == .unprocessableEntity, "\(day): \(refused.body)")
            }
            let long = try await t.request(.PUT, "/api/v1/me/timesheet/\(today)/note", token: worker.token,
                                           json: "{\"note\": \"\(String(repeating: "n", count: 2001))\"}")
            #expect(long.status == .unprocessableEntity)
            #expect(Self.errorFields(long).contains("note"))

            let cleared = try await t.request(.PUT, "/api/v1/me/timesheet/\(today)/note", token: worker.token, json: "{\"note\": \"\"}")
            #expect(cleared.status == .ok, "\(cleared.body)")
            let empty = try await timesheet(t, worker)
            #expect(empty.days.isEmpty, "no time, tasks or note: no day: \(empty.reply.body)")

            let from = Self.day(clock.now() - 200 * 86_400)
            let tooLong = try await t.request(.GET, "/api/v1/me/timesheet?from=\(from)&to=\(today)", token: worker.token)
            #expect(tooLong.status == .unprocessableEntity, "at most 92 days: \(tooLong.body)")
            let ranged = try await t.request(.GET, "/api/v1/me/timesheet?from=\(Self.day(clock.now() - 6 * 86_400))&to=\(today)", token: worker.token)
            #expect(ranged.status == .ok, "\(ranged.body)")
            #expect(ranged.json["to"]?.stringValue == today)
        }
    }

    // MARK: Rates

    /// A rate change for the future pays the old rate until its effective time and the new one after; changes in
    /// the past, below the project's minimum or without a task rate are refused, naming the field; the floor of a
    /// worker is the base of the highest track through which they qualify.
    @Test func ratesApplyFromTheirEffectiveTimeAndNeverBelowTheFloor() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let stranger = try await t.makeUser(.requester, organization: "Org B")
            let worker = try await t.makeUser(.worker)
            let project = try await self.project(t, requester, name: "Rated", tasks: 2, rate: 4500)

            // Refused: in the past (more than 60 s), below the minimum ($20.00 for General), per task without a rate.
            let past = try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: requester.token,
                                           json: "{\"mode\": \"hourly\", \"rate_cents\": 6000, \"effective_at\": \"\(Self.iso(clock.now() - 3_600))\"}")
            #expect(past.status == .unprocessableEntity, "\(past.body)")
            #expect(Self.errorFields(past).contains("effective_at"))
            let low = try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: requester.token, json: "{\"mode\": \"hourly\", \"rate_cents\": 1500}")
            #expect(low.status == .unprocessableEntity, "\(low.body)")
            #expect(Self.errorFields(low).contains("rate_cents"))
            for body in ["{\"mode\": \"per_task\"}", "{\"mode\": \"per_task\", \"task_rate_cents\": 0}",
                         "{\"mode\": \"per_task\", \"task_rate_cents\": 1000001}"] {
                let refused = try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: requester.token, json: body)
                #expect(refused.status == .unprocessableEntity, "\(body): \(refused.body)")
                #expect(Self.errorFields(refused).contains("task_rate_cents"), "\(body): \(refused.body)")
            }
            let badMode = try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: requester.token, json: "{\"mode\": \"daily\"}")
            #expect(Self.errorFields(badMode).contains("mode"), "\(badMode.body)")
            #expect([.forbidden, .notFound].contains(try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: worker.token,
                                                                 json: "{\"mode\": \"hourly\", \"rate_cents\": 9000}").status))
            #expect(try await t.request(.POST, "/api/v1/projects/\(project)/rates", token: stranger.token,
                                        json: "{\"mode\": \"hourly\", \"rate_cents\": 9000}").status == .notFound)
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/rates", token: stranger.token).status == .notFound)

            // $60.00 an hour from ten minutes on.
            let effective = clock.now().rounded(.down) + 600
            let scheduled = try await setRate(t, requester, project, """
                {"mode": "hourly", "rate_cents": 6000, "effective_at": "\(Self.iso(effective))", "reason": "Harder batch"}
                """)
            #expect(scheduled.json["effective_at"]?.stringValue == Self.iso(effective))
            let rates = try await t.request(.GET, "/api/v1/projects/\(project)/rates", token: requester.token)
            #expect(rates.json["current"]?["rate_cents"]?.intValue == 4500, "not yet in force: \(rates.body)")
            #expect(rates.json["changes"]?.arrayValue?.first { $0["rate_cents"]?.intValue == 6000 }?["reason"]?.stringValue == "Harder batch")

            // 60 s before it (4500 x 60 / 3600 = 75 cents), then, past its time, 60 s after it (6000 x 60 / 3600 = 100).
            var tab = Tab()
            let task = try await lease(t, clock, worker, project)
            try await work(t, clock, worker, task, &tab, seconds: 60)
            #expect(clock.now() < effective)
            #expect(try await earnings(t, worker)["pending_cents"]?.intValue == 75)
            clock.set(max(clock.now(), effective) + 10)
            try await work(t, clock, worker, task, &tab, seconds: 60)
            #expect(try await earnings(t, worker)["pending_cents"]?.intValue == 175)
            try await submit(t, worker, task)
            #expect(Self.amounts(try await ledger(t, worker), kind: "work") == [75, 100], "never backwards")
            let now = try await t.request(.GET, "/api/v1/projects/\(project)/rates", token: requester.token)
            #expect(now.json["current"]?["rate_cents"]?.intValue == 6000, "\(now.body)")
            #expect(rate(in: try await earnings(t, worker), project: project)?["base_rate_cents"]?.intValue == 6000)

            // The floor: a project open to General or Coding pays $30.00 (its minimum is General's $20.00, the
            // cheapest way in). A worker who qualifies through Coding is paid at least Coding's base ($40.00, then
            // raised to $48.00); a General-only worker gets the project's rate.
            let general = try await t.makeUser(.worker)
            let coder = try await t.makeUser(.worker)
            try await grantTrack(t, admin, general, "general")
            try await grantTrack(t, admin, coder, "general")
            try await grantTrack(t, admin, coder, "coding")
            let code = try await self.project(t, requester, name: "Code or prose", tasks: 2, rate: 3000,
                                         requirements: "{\"any_of\": [\"general\", \"coding\"]}")
            let belowMinimum = try await t.request(.POST, "/api/v1/projects/\(code)/rates", token: requester.token,
                                                   json: "{\"mode\": \"hourly\", \"rate_cents\": 1900}")
            #expect(belowMinimum.status == .unprocessableEntity, "the minimum is General's $20.00: \(belowMinimum.body)")
            #expect(Self.errorFields(belowMinimum).contains("rate_cents"))
            let raised = try await t.request(.PATCH, "/api/v1/admin/tracks/coding", token: admin.token, json: "{\"base_rate_cents\": 4800}")
            #expect(raised.status == .ok, "\(raised.body)")

            // 90 s each: the coder 4800 x 90 / 3600 = 120 cents; the General worker 3000 x 90 / 3600 = 75 cents.
            var coderTab = Tab()
            let coderTask = try await lease(t, clock, coder, code)
            try await work(t, clock, coder, coderTask, &coderTab, seconds: 90)
            try await submit(t, coder, coderTask)
            #expect(Self.amounts(try await ledger(t, coder), kind: "work") == [120])
            var generalTab = Tab()
            let generalTask = try await lease(t, clock, general, code)
            try await work(t, clock, general, generalTask, &generalTab, seconds: 90)
            try await submit(t, general, generalTask)
            #expect(Self.amounts(try await ledger(t, general), kind: "work") == [75])
            let coderRate = rate(in: try await earnings(t, coder), project: code)
            #expect(coderRate?["base_rate_cents"]?.intValue == 4800, "\(coderRate?.jsonText ?? "no rate")")
            #expect(coderRate?["base_reason"]?.stringValue?.contains("Coding") == true, "\(coderRate?.jsonText ?? "no rate")")
            #expect(coderRate?["effective_rate_cents"]?.intValue == 4800)
            let generalRate = rate(in: try await earnings(t, general), project: code)
            #expect(generalRate?["base_rate_cents"]?.intValue == 3000, "the project's rate: \(generalRate?.jsonText ?? "no rate")")
            #expect(generalRate?["effective_rate_cents"]?.intValue == 3000)
        }
    }

    /// Quality bands set by the admin (bad bands refused, naming the field): the multiplier rises to 1.1 only
    /// after the minimum number of reviewed tasks at a quality in the band, and only for work after that.
    @Test func qualityRaisesTheMultiplierForLaterWorkOnly() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)

            let defaults = try await t.request(.GET, "/api/v1/admin/pay/settings", token: admin.token)
            #expect(defaults.status == .ok, "\(defaults.body)")
            #expect(defaults.json["min_reviewed"]?.intValue == 20)
            #expect(defaults.json["idle_seconds"]?.intValue == 60)
            #expect(defaults.json["period_days"]?.intValue == 7)
            #expect(defaults.json["bands"]?.arrayValue?.compactMap { $0["multiplier"]?.numberValue } == [1.0, 1.1, 1.25])
            let falling = try await t.request(.PUT, "/api/v1/admin/pay/settings", token: admin.token, json: """
                {"bands": [{"min_quality": 0, "multiplier": 1.0}, {"min_quality": 0.9, "multiplier": 0.5}], "min_reviewed": 2,
                 "idle_seconds": 60, "period_days": 7}
                """)
            #expect(falling.status == .unprocessableEntity, "\(falling.body)")
            #expect(Self.errorFields(falling).contains("bands[1].multiplier"), "\(falling.body)")
            #expect(try await t.request(.PUT, "/api/v1/admin/pay/settings", token: worker.token, json: "{}").status == .forbidden)
            let settings = try await t.request(.PUT, "/api/v1/admin/pay/settings", token: admin.token, json: """
                {"bands": [{"min_quality": 0, "multiplier": 1.0}, {"min_quality": 0.9, "multiplier": 1.1}], "min_reviewed": 2,
                 "idle_seconds": 60, "period_days": 7}
                """)
            #expect(settings.status == .ok, "\(settings.body)")
            #expect(settings.json["min_reviewed"]?.intValue == 2)
            #expect(settings.json["bands"]?[1]?["multiplier"]?.numberValue == 1.1)

            // Every annotation of a new worker is reviewed (the default spot check); no gold.
            let project = try await self.project(t, requester, name: "Raises", tasks: 3, rate: 4500)
            try await grantReviewer(t, requester, project, reviewer)
            var tab = Tab()
            for _ in 0..<2 {
                let task = try await lease(t, clock, worker, project)
                try await work(t, clock, worker, task, &tab, seconds: 600)
                try await submit(t, worker, task)
            }
            let unreviewed = rate(in: try await earnings(t, worker), project: project)
            #expect(unreviewed?["multiplier_bp"]?.intValue == 10_000, "\(unreviewed?.jsonText ?? "no rate")")
            #expect(unreviewed?["reviewed"]?.intValue == 0)
            #expect(unreviewed?["next"]?["multiplier_bp"]?.intValue == 11_000)
            #expect(unreviewed?["next"]?["reviewed_needed"]?.intValue == 2)

            // Two accepted reviews: quality 1.0 on 2 reviewed tasks reaches the 0.9 band.
            try await review(t, reviewer, project, verdict: "accept")
            try await review(t, reviewer, project, verdict: "accept")
            let raised = rate(in: try await earnings(t, worker), project: project)
            #expect(raised?["multiplier_bp"]?.intValue == 11_000, "\(raised?.jsonText ?? "no rate")")
            #expect(raised?["reviewed"]?.intValue == 2)
            #expect(raised?["quality"]?.numberValue == 1.0)
            #expect(raised?["effective_rate_cents"]?.intValue == 4950, "4500 x 1.1")
            #expect(raised?["next"] == JSONValue.null, "no band above")

            // 600 s before the raise: 4500 x 600 / 3600 = 750 cents each, unchanged; 600 s after: x 1.1 = 825.
            let task = try await lease(t, clock, worker, project)
            try await work(t, clock, worker, task, &tab, seconds: 600)
            try await submit(t, worker, task)
            let entries = try await ledger(t, worker)
            #expect(Self.amounts(entries, kind: "work") == [750, 750, 825], "\(entries)")
            #expect(entries.first?["amount_cents"]?.intValue == 825, "the newest entry is the raised one")
            #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 2325)
        }
    }

    // MARK: Rejected time

    /// A failed gold task done in 2 s is shown in the timesheet as rejected, with why, and is not paid; with
    /// `pay_rejected: false`, a review rejection after posting adds a negative adjustment reversing the work entry,
    /// which itself stays as it was; with the default policy a rejected task stays paid.
    @Test func timeThePolicyRejectsIsShownAndNotPaid() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)

            // Gold: one of the two tasks (served first or second, at random, at gold rate 0.5). $36.00 an hour: a
            // cent a second. The plain task takes 60 s, the gold one 2 s with the wrong answer.
            let gold = try await self.project(t, requester, name: "Gold", tasks: 1, rate: 3600,
                                              policy: "{\"gold_rate\": 0.5, \"spot_check\": {\"first_rate\": 0, \"rate\": 0}, \"time\": {\"rushed_below_s\": 5}}",
                                              extraLines: ["{\"data\": {\"text\": \"Gold item\"}, \"gold\": {\"sentiment\": \"positive\"}}"])
            let goldList = try await t.request(.GET, "/api/v1/projects/\(gold)/gold", token: requester.token)
            let goldTask = try #require(goldList.json["gold"]?[0]?["task_id"]?.stringValue)
            var tab = Tab()
            for _ in 0..<2 {
                let task = try await lease(t, clock, worker, gold)
                let isGold = task == goldTask
                try await work(t, clock, worker, task, &tab, seconds: isGold ? 2 : 60)
                try await submit(t, worker, task, sentiment: isGold ? "negative" : "positive")
            }
            #expect(try await t.request(.GET, "/api/v1/projects/\(gold)/next", token: worker.token).status == .noContent)

            let sheet = try await timesheet(t, worker)
            let figures = sheet.projects[gold]
            #expect(Self.near(figures?.rejectedSeconds, 2), "\(sheet.reply.body)")
            #expect(figures?.rejections.count == 1)
            #expect(figures?.rejections.first?["task_id"]?.stringValue == goldTask)
            #expect(Self.near(figures?.rejections.first?["active_s"]?.numberValue, 2))
            let reason = figures?.rejections.first?["reason"]?.stringValue ?? ""
            #expect(reason.hasPrefix("Rushed: the answer failed a quality check") && reason.contains("(under 5 s)"), "\(reason)")
            #expect(!reason.lowercased().contains("gold"), "a worker must not learn which tasks were gold: \(reason)")
            #expect(figures?.earnedCents == 60, "the 2 s are not paid")
            #expect(Self.near(figures?.activeSeconds, 62) || Self.near(figures?.activeSeconds, 60), "\(sheet.reply.body)")
            let goldEntries = try await ledger(t, worker)
            #expect(Self.amounts(goldEntries, kind: "work") == [60], "\(goldEntries)")
            #expect(!goldEntries.contains { $0["task_id"]?.stringValue == goldTask })

            // pay_rejected false: 120 s paid on submit (120 cents), then rejected in review.
            let strict = try await self.project(t, requester, name: "Strict", tasks: 1, rate: 3600,
                                           policy: "{\"gold_rate\": 0, \"expert_sample\": 0, \"time\": {\"pay_rejected\": false}}")
            try await grantReviewer(t, requester, strict, reviewer)
            let rejectedTask = try await lease(t, clock, worker, strict)
            try await work(t, clock, worker, rejectedTask, &tab, seconds: 120)
            try await submit(t, worker, rejectedTask)
            let posted = try #require(try await ledger(t, worker).first { $0["task_id"]?.stringValue == rejectedTask && $0["kind"]?.stringValue == "work" })
            #expect(posted["amount_cents"]?.intValue == 120)
            #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 180)
            #expect(try await review(t, reviewer, strict, verdict: "reject", comment: "Read the guideline on sarcasm") == rejectedTask)

            let afterReject = try await ledger(t, worker)
            let reversal = afterReject.filter { $0["task_id"]?.stringValue == rejectedTask && $0["kind"]?.stringValue == "adjustment" }
            #expect(reversal.count == 1, "\(afterReject)")
            #expect(reversal.first?["amount_cents"]?.intValue == -120)
            #expect(reversal.first?["memo"]?.stringValue == "Time rejected: Rejected in review")
            #expect(reversal.first?["created_by"] == JSONValue.null, "by Gloss")
            let original = afterReject.first { $0["id"]?.stringValue == posted["id"]?.stringValue }
            #expect(original?["amount_cents"]?.intValue == 120, "the work entry is never edited")
            #expect(original?["kind"]?.stringValue == "work")
            #expect(try await sqlCount(t, """
                SELECT COUNT(*) AS n FROM ledger_entries a JOIN ledger_entries w ON a.reverses_id = w.id
                WHERE a.kind = 'adjustment' AND w.kind = 'work' AND a.amount_cents = -w.amount_cents AND w.amount_cents = 120
                """) == 1)
            #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 60)
            let strictSheet = try await timesheet(t, worker)
            #expect(Self.near(strictSheet.projects[strict]?.rejectedSeconds, 120), "\(strictSheet.reply.body)")
            #expect(strictSheet.projects[strict]?.rejections.first?["reason"]?.stringValue == "Rejected in review")
            #expect(strictSheet.projects[strict]?.earnedCents == 0)

            // The default policy (pay_rejected true): a rejection after 45 s changes nothing of the pay.
            let lenient = try await self.project(t, requester, name: "Lenient", tasks: 1, rate: 3600)
            try await grantReviewer(t, requester, lenient, reviewer)
            let lenientTask = try await lease(t, clock, worker, lenient)
            try await work(t, clock, worker, lenientTask, &tab, seconds: 45)
            try await submit(t, worker, lenientTask)
            try await review(t, reviewer, lenient, verdict: "reject", comment: "Not quite")
            let lenientEntries = try await ledger(t, worker).filter { $0["task_id"]?.stringValue == lenientTask }
            #expect(lenientEntries.compactMap { $0["amount_cents"]?.intValue } == [45], "\(lenientEntries)")
            #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 105, "60 + 120 - 120 + 45")
        }
    }

    // MARK: Privacy

    /// A worker sees only their own timesheet, earnings and ledger; the admin's ledger, settings and pay-period
    /// endpoints refuse workers and requesters; the worker endpoints refuse everyone else; a requester cannot read
    /// another organization's cost or rates.
    @Test func workersSeeOnlyTheirOwnPay() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let stranger = try await t.makeUser(.requester, organization: "Org B")
            let ada = try await t.makeUser(.worker)
            let ben = try await t.makeUser(.worker)
            let project = try await self.project(t, requester, name: "Private", tasks: 2, rate: 3600)

            var adaTab = Tab()
            let adaTask = try await lease(t, clock, ada, project)
            try await work(t, clock, ada, adaTask, &adaTab, seconds: 70)
            try await submit(t, ada, adaTask)
            var benTab = Tab()
            let benTask = try await lease(t, clock, ben, project)
            try await work(t, clock, ben, benTask, &benTab, seconds: 130)
            try await submit(t, ben, benTask)
            let secretMemo = "Ben-only retention bonus 7f3a"
            let benBonus = try await t.request(.POST, "/api/v1/admin/workers/\(ben.id.uuidString.lowercased())/ledger", token: admin.token,
                                               json: "{\"kind\": \"bonus\", \"amount_cents\": 999, \"reason\": \"\(secretMemo)\"}")
            #expect(benBonus.status == .created, "\(benBonus.body)")
            let benEntryIDs = try await ledger(t, ben).compactMap { $0["id"]?.stringValue }
            #expect(benEntryIDs.count == 2)

            // Ada sees hers only.
            let adaEntries = try await ledger(t, ada)
            #expect(adaEntries.compactMap { $0["task_id"]?.stringValue } == [adaTask])
            #expect(Self.amounts(adaEntries, kind: "work") == [70])
            let adaBodies = [
                try await t.request(.GET, "/api/v1/me/ledger", token: ada.token).body,
                try await t.request(.GET, "/api/v1/me/earnings", token: ada.token).body,
                try await t.request(.GET, "/api/v1/me/timesheet", token: ada.token).body,
            ]
            for body in adaBodies {
                for secret in [benTask, secretMemo, ben.email, ben.id.uuidString.lowercased()] + benEntryIDs {
                    #expect(!body.contains(secret), "Ada's pay shows \(secret)")
                }
            }
            #expect(try await earnings(t, ada)["balance_cents"]?.intValue == 70)
            #expect(try await earnings(t, ben)["balance_cents"]?.intValue == 1129, "130 + 999")
            let adaSheet = try await timesheet(t, ada)
            #expect(Self.near(adaSheet.total.activeSeconds, 70))
            #expect(adaSheet.total.tasks == 1)
            // Paging with another worker's entry id shows nothing of theirs.
            let probe = try await t.request(.GET, "/api/v1/me/ledger?before=\(benEntryIDs[0])", token: ada.token)
            #expect(!probe.body.contains(secretMemo) && !probe.body.contains(benTask))

            // The worker endpoints are the worker's.
            for path in ["/api/v1/me/timesheet", "/api/v1/me/earnings", "/api/v1/me/ledger"] {
                #expect(try await t.request(.GET, path, token: requester.token).status == .forbidden, "\(path)")
            }
            #expect(try await t.request(.GET, "/api/v1/me/earnings").status == .unauthorized)

            // The admin's endpoints refuse workers and requesters.
            let benLedger = "/api/v1/admin/workers/\(ben.id.uuidString.lowercased())/ledger"
            let somePeriod = UUID().uuidString.lowercased()
            for account in [ada, requester] {
                for (method, path, body) in [(HTTPMethod.GET, benLedger, nil), (.POST, benLedger, "{\"kind\": \"bonus\", \"amount_cents\": 5, \"reason\": \"x\"}"),
                                             (.GET, "/api/v1/admin/pay-periods", nil), (.POST, "/api/v1/admin/pay-periods", "{}"),
                                             (.GET, "/api/v1/admin/pay-periods/\(somePeriod)", nil),
                                             (.GET, "/api/v1/admin/pay-periods/\(somePeriod)/payouts.csv", nil),
                                             (.GET, "/api/v1/admin/pay/settings", nil)] as [(HTTPMethod, String, String?)] {
                    let reply = try await t.request(method, path, token: account.token, json: body)
                    #expect(reply.status == .forbidden, "\(account.email) \(method) \(path): \(reply.status)")
                    #expect(!reply.body.contains(secretMemo))
                }
            }
            let adminView = try await t.request(.GET, benLedger, token: admin.token)
            #expect(adminView.json["balance_cents"]?.intValue == 1129)
            #expect(!adminView.body.contains(adaTask), "a worker's ledger holds their entries only")
            #expect(try await earnings(t, ben)["balance_cents"]?.intValue == 1129, "the refused bonus was not added")

            // Cost and rates: the requester's organization (and admins) only.
            for path in ["/api/v1/projects/\(project)/cost", "/api/v1/projects/\(project)/cost/chart.svg", "/api/v1/projects/\(project)/rates"] {
                #expect(try await t.request(.GET, path, token: stranger.token).status == .notFound, "\(path)")
                #expect([.forbidden, .notFound].contains(try await t.request(.GET, path, token: ada.token).status), "\(path)")
                #expect(try await t.request(.GET, path, token: requester.token).status == .ok, "\(path)")
                #expect(try await t.request(.GET, path, token: admin.token).status == .ok, "\(path)")
            }
        }
    }

    // MARK: Cost

    /// The requester's cost: four accepted annotations of 120, 480, 480 and 720 s at $48.00 an hour cost 160 +
    /// 640 + 640 + 960 = 2,400 cents over 0.5 hours, 600 cents per accepted annotation; two remain at the median
    /// of 480 s: 2 x 640 = 1,280 cents. The chart is SVG.
    @Test func requestersSeeCostAndForecast() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let reviewer = try await t.makeUser(.worker)
            let project = try await self.project(t, requester, name: "Costed", tasks: 6, rate: 4800)
            try await grantReviewer(t, requester, project, reviewer)

            let before = try await t.request(.GET, "/api/v1/projects/\(project)/cost?days=30", token: requester.token)
            #expect(before.status == .ok, "\(before.body)")
            #expect(before.json["spend_cents"]?.intValue == 0)
            #expect(before.json["cost_per_accepted_cents"] == JSONValue.null)
            #expect(before.json["median_active_s"] == JSONValue.null)
            #expect(before.json["forecast_cents"] == JSONValue.null)
            let emptyChart = try await t.request(.GET, "/api/v1/projects/\(project)/cost/chart.svg?days=30", token: requester.token)
            #expect(emptyChart.status == .ok)
            #expect(emptyChart.body.contains("<svg"))

            var tab = Tab()
            for seconds in [120.0, 480, 480, 720] {
                let task = try await lease(t, clock, worker, project)
                try await work(t, clock, worker, task, &tab, seconds: seconds)
                try await submit(t, worker, task)
            }
            for _ in 0..<4 { try await review(t, reviewer, project, verdict: "accept") }

            let cost = try await t.request(.GET, "/api/v1/projects/\(project)/cost?days=30", token: requester.token)
            #expect(cost.status == .ok, "\(cost.body)")
            #expect(cost.json["spend_cents"]?.intValue == 2_400, "\(cost.body)")
            #expect(Self.near(cost.json["hours"]?.numberValue, 0.5, tolerance: 0.005))
            #expect(Self.near(cost.json["active_s"]?.numberValue, 1_800))
            #expect(cost.json["accepted"]?.intValue == 4)
            #expect(cost.json["cost_per_accepted_cents"]?.intValue == 600)
            #expect(cost.json["remaining"]?.intValue == 2)
            #expect(Self.near(cost.json["median_active_s"]?.numberValue, 480))
            #expect(cost.json["forecast_cents"]?.intValue == 1_280, "2 x 480 s x $48.00/h")
            #expect(cost.json["mode"]?.stringValue == "hourly")
            #expect(cost.json["current_rate_cents"]?.intValue == 4800)
            let days = cost.json["days"]?.arrayValue ?? []
            #expect(days.count == 30, "every day of the window: \(days.count)")
            let names = days.compactMap { $0["day"]?.stringValue }
            #expect(names == names.sorted(), "oldest first")
            #expect(days.reduce(0) { $0 + ($1["spend_cents"]?.intValue ?? 0) } == 2_400)
            #expect(days.reduce(0) { $0 + ($1["accepted"]?.intValue ?? 0) } == 4)
            #expect(Self.near(days.reduce(0.0) { $0 + ($1["active_s"]?.numberValue ?? 0) }, 1_800))

            let chart = try await t.request(.GET, "/api/v1/projects/\(project)/cost/chart.svg?days=30", token: requester.token)
            #expect(chart.status == .ok)
            #expect(chart.headers.first(name: .contentType)?.hasPrefix("image/svg+xml") == true, "\(chart.headers)")
            #expect(chart.body.contains("<svg"))
            #expect(!chart.body.contains("<script"))
        }
    }

    // MARK: Concurrency

    /// Ten closes of the same period at once pay each entry once: one period, one payout per worker, each the sum
    /// of what was owed, and every entry in exactly one payout.
    @Test func concurrentClosesPayEachEntryOnce() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let ada = try await t.makeUser(.worker)
            let ben = try await t.makeUser(.worker)
            let project = try await self.project(t, requester, name: "Busy", tasks: 4, rate: 3600)
            // Ada: 60 s + 90 s (150 cents); Ben: 120 s (120 cents) and a 25-cent bonus.
            var adaTab = Tab()
            for seconds in [60.0, 90] {
                let task = try await lease(t, clock, ada, project)
                try await work(t, clock, ada, task, &adaTab, seconds: seconds)
                try await submit(t, ada, task)
            }
            var benTab = Tab()
            let benTask = try await lease(t, clock, ben, project)
            try await work(t, clock, ben, benTask, &benTab, seconds: 120)
            try await submit(t, ben, benTask)
            let bonus = try await t.request(.POST, "/api/v1/admin/workers/\(ben.id.uuidString.lowercased())/ledger", token: admin.token,
                                            json: "{\"kind\": \"bonus\", \"amount_cents\": 25, \"reason\": \"Weekend help\"}")
            #expect(bonus.status == .created, "\(bonus.body)")

            clock.advance(2)
            let end = clock.now().rounded(.down)
            let replies = try await withThrowingTaskGroup(of: TestApp.Reply.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await close(t, admin, endsAt: end) }
                }
                var all: [TestApp.Reply] = []
                for try await reply in group { all.append(reply) }
                return all
            }
            #expect(replies.count == 10)
            #expect(replies.allSatisfy { $0.status == .created || $0.status == .ok }, "\(replies.map { "\($0.status.code) \($0.body)" })")
            #expect(replies.filter { $0.status == .created }.count == 1, "\(replies.map(\.status.code))")
            #expect(replies.filter { $0.json["already_closed"]?.boolValue == false }.count == 1)
            #expect(Set(replies.compactMap { $0.string("id") }).count == 1, "one period")
            let expected: [String: [Int]] = [ada.id.uuidString.lowercased(): [150, 2], ben.id.uuidString.lowercased(): [145, 2]]
            for reply in replies where reply.status == .created || reply.status == .ok {
                #expect(Self.payouts(reply.json) == expected, "\(reply.body)")
            }

            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM pay_periods") == 1)
            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM payouts") == 2)
            #expect(try await sqlCount(t, "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS n FROM payouts") == 295)
            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'payout'") == 2)
            #expect(try await sqlCount(t, "SELECT COUNT(*) AS n FROM payout_items") == 4, "2 + 1 work entries and the bonus, each once")
            #expect(try await sqlCount(t, "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS n FROM ledger_entries") == 0, "everything owed was paid")
            for worker in [ada, ben] {
                #expect(try await earnings(t, worker)["balance_cents"]?.intValue == 0)
                #expect(Self.amounts(try await ledger(t, worker), kind: "payout").count == 1)
            }
        }
    }

    /// Work across UTC midnight: the day before is complete at midnight, so a close at midnight pays it and leaves
    /// the minutes after midnight for the next period.
    @Test func workAcrossMidnightIsPaidInItsOwnPeriod() async throws {
        let clock = Self.startClock()
        try await TestApp.run(clock: clock) { t in
            let admin = try await t.makeUser(.admin)
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await self.project(t, requester, name: "Night shift", tasks: 1, rate: 3600)
            let task = try await lease(t, clock, worker, project)
            let midnight = (clock.now() / 86_400).rounded(.down) * 86_400 + 86_400
            var tab = Tab()
            // 100 s of work, 90 before midnight and 10 after, claimed in one ping: 90 s x $36/h = 90 cents the day
            // before, 10 cents after.
            clock.set(midnight + 10)
            let reply = try await ping(t, worker, task, &tab, active: 100, idle: 0)
            #expect(Self.near(reply.json["credited_s"]?.numberValue, 100), "\(reply.body)")
            let closed = try await close(t, admin, endsAt: midnight)
            #expect(closed.status == .created, "\(closed.body)")
            #expect(Self.payouts(closed.json)[worker.id.uuidString.lowercased()] == [90, 1], "\(closed.body)")
            #expect(try await earnings(t, worker)["pending_cents"]?.intValue == 10)
            try await submit(t, worker, task)
            #expect(Self.amounts(try await ledger(t, worker), kind: "work") == [10, 90])
        }
    }
}
