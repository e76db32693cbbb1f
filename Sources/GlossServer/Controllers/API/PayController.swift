import Foundation
import GlossCore
import GlossStore
import Vapor

/// Time and pay over the API: activity pings from the labeling page, the worker's timesheet, earnings and
/// ledger, a project's cost and rates, and the admin's pay settings, pay periods, payouts and ledger entries.
struct PayController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("tasks", ":id", "activity", use: activity)
        let me = routes.grouped("me")
        me.get("timesheet", use: timesheet)
        me.put("timesheet", ":day", "note", use: note)
        me.get("earnings", use: earnings)
        me.get("ledger", use: myLedger)
        routes.get("projects", ":id", "cost", use: cost)
        routes.get("projects", ":id", "cost", "chart.svg", use: chart)
        routes.get("projects", ":id", "rates", use: rates)
        routes.post("projects", ":id", "rates", use: addRate)
        let admin = routes.grouped("admin")
        admin.get("pay", "settings", use: settings)
        admin.put("pay", "settings", use: saveSettings)
        admin.get("pay-periods", use: periods)
        admin.post("pay-periods", use: close)
        admin.get("pay-periods", ":period_id", use: period)
        admin.get("pay-periods", ":period_id", "payouts.csv", use: payoutsCSV)
        admin.get("workers", ":user_id", "ledger", use: workerLedger)
        admin.post("workers", ":user_id", "ledger", use: addEntry)
    }

    /// An ISO-8601 time (with or without fractional seconds), or a 422 naming the field.
    static func time(_ text: String, field: String) throws -> Double {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        }
        throw Problem.invalid(field: field, "must be a time like 2026-11-23T09:30:00Z")
    }

    static func isDay(_ text: String) -> Bool { WorkforceRules.endOfDay(text) != nil }

    /// An admin's pay action in the audit log.
    static func audit(_ req: Request, actorID: UUID, action: String, subjectType: String, subjectID: String, detail: JSONValue) async throws {
        let workforce = req.gloss.workforce
        let now = req.gloss.configuration.clock.now()
        try await req.gloss.store.writeStatement { sql in
            try await workforce.audit(actorID: actorID, action: action, subjectType: subjectType, subjectID: subjectID, detail: detail, now: now, on: sql)
        }
    }

    // MARK: Activity

    static let tabCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")

    @Sendable func activity(req: Request) async throws -> Response {
        let (principal, task) = try await TasksController().workerTask(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["tab", "seq", "active_s", "idle_s"])
        var errors: [FieldError] = []
        func collect<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let problem as Problem {
                errors += problem.errors
                return nil
            } catch { return nil }
        }
        let tab = collect { try fields.string("tab", required: true, maximumLength: 64) }
        if let tab, tab.count < 8 || !tab.allSatisfy(Self.tabCharacters.contains) {
            errors.append(FieldError(field: "tab", message: "must be 8 to 64 letters, digits, _ or -"))
        }
        let seq = collect { try fields.integer("seq", in: 0...Int(Int32.max)) }
        if seq == nil, !errors.contains(where: { $0.field == "seq" }) { errors.append(FieldError(field: "seq", message: "is required")) }
        let active = collect { try fields.number("active_s", in: 0...3600) }
        if active == nil, !errors.contains(where: { $0.field == "active_s" }) { errors.append(FieldError(field: "active_s", message: "is required")) }
        let idle = collect { try fields.number("idle_s", in: 0...31_536_000) } ?? 0
        guard errors.isEmpty, let tab, let seq, let active else { throw Problem.invalid(errors, title: "The activity ping is not valid") }
        do {
            let result = try await PayService(context: req.gloss).recordActivity(task: task, workerID: principal.id, tab: tab, seq: seq,
                                                                                 activeSeconds: active, idleSeconds: idle)
            return .json(.object([
                "credited_s": .number((result.creditedSeconds * 10).rounded() / 10), "task_active_s": .number((result.taskActiveSeconds * 10).rounded() / 10),
                "idle_seconds": .number(Double(result.idleSeconds)),
            ]))
        } catch LeaseError.noLease {
            throw Problem.conflict("The lease on this task is gone.")
        }
    }

    // MARK: The worker's own

    @Sendable func timesheet(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let service = PayService(context: req.gloss)
        let today = ActiveTime.day(service.clock.now())
        let to = req.query[String.self, at: "to"].flatMap { $0.isEmpty ? nil : $0 } ?? today
        guard Self.isDay(to) else { throw Problem.invalid(field: "to", "must be a day like 2026-11-23") }
        let defaultFrom = ActiveTime.day((PayService.day(to) ?? 0) - 13 * 86_400)
        let from = req.query[String.self, at: "from"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultFrom
        guard Self.isDay(from) else { throw Problem.invalid(field: "from", "must be a day like 2026-11-23") }
        guard from <= to else { throw Problem.invalid(field: "from", "must not be after to") }
        guard let start = PayService.day(from), let end = PayService.day(to), end - start <= 91 * 86_400 else {
            throw Problem.invalid(field: "from", "a timesheet covers at most 92 days")
        }
        return .json(try await service.timesheet(workerID: principal.id, fromDay: from, toDay: to))
    }

    @Sendable func note(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let service = PayService(context: req.gloss)
        guard let day = req.parameters.get("day"), Self.isDay(day) else { throw Problem.invalid(field: "day", "must be a day like 2026-11-23") }
        guard day <= ActiveTime.day(service.clock.now()) else { throw Problem.invalid(field: "day", "must not be in the future") }
        let fields = try JSONFields(try req.jsonObject(), allowed: ["note"])
        guard let sent = try fields.string("note", maximumLength: 2000) else { throw Problem.invalid(field: "note", "is required (empty deletes the note)") }
        let note = sent.trimmingCharacters(in: .whitespacesAndNewlines)
        try await req.gloss.pay.setNote(workerID: principal.id, day: day, note: note, now: service.clock.now())
        return .json(.object(["day": .string(day), "note": note.isEmpty ? .null : .string(note)]))
    }

    @Sendable func earnings(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        return .json(try await PayService(context: req.gloss).earnings(principal))
    }

    static func page(_ req: Request) throws -> (limit: Int, before: UUID?) {
        var limit = 50
        if let text = req.query[String.self, at: "limit"], !text.isEmpty {
            guard let value = Int(text), (1...200).contains(value) else { throw Problem.invalid(field: "limit", "must be a whole number from 1 to 200") }
            limit = value
        }
        var before: UUID?
        if let text = req.query[String.self, at: "before"], !text.isEmpty {
            guard let value = UUID(uuidString: text) else { throw Problem.invalid(field: "before", "must be an entry id") }
            before = value
        }
        return (limit, before)
    }

    @Sendable func myLedger(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let page = try Self.page(req)
        return .json(try await PayService(context: req.gloss).ledger(workerID: principal.id, limit: page.limit, before: page.before))
    }

    // MARK: Projects

    /// A project whose cost and rates the caller may see and change: the requester's organization's, or any for an admin.
    static func managedProject(_ req: Request) async throws -> ProjectModel {
        let principal = try req.requireRole(.requester, .admin)
        return try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
    }

    static func days(_ req: Request) throws -> Int {
        guard let text = req.query[String.self, at: "days"], !text.isEmpty else { return 30 }
        guard let value = Int(text), (1...366).contains(value) else { throw Problem.invalid(field: "days", "must be a whole number from 1 to 366") }
        return value
    }

    @Sendable func cost(req: Request) async throws -> Response {
        let project = try await Self.managedProject(req)
        return .json(try await PayService(context: req.gloss).cost(of: project, days: try Self.days(req)).json)
    }

    @Sendable func chart(req: Request) async throws -> Response {
        let project = try await Self.managedProject(req)
        let cost = try await PayService(context: req.gloss).cost(of: project, days: try Self.days(req))
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        return Response(status: .ok, headers: headers, body: .init(string: CostChart.svg(days: cost.days, width: 640, height: 240)))
    }

    @Sendable func rates(req: Request) async throws -> Response {
        let project = try await Self.managedProject(req)
        return .json(try await PayService(context: req.gloss).rates(of: project))
    }

    @Sendable func addRate(req: Request) async throws -> Response {
        let principal = try req.requireRole(.requester, .admin)
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let service = PayService(context: req.gloss)
        let now = service.clock.now()
        let fields = try JSONFields(try req.jsonObject(), allowed: ["mode", "rate_cents", "task_rate_cents", "effective_at", "reason"])
        guard let mode = RateChange.Mode(rawValue: try fields.string("mode") ?? "hourly") else {
            throw Problem.invalid(field: "mode", "must be hourly or per_task")
        }
        let tracks = try await req.gloss.workforce.tracks()
        let minimum = WorkforceRules.minimumRate(MatchingService.requirementsOrNobody(project.requirementsJSON), tracks: tracks)
        var rate: Int?
        var taskRate: Int?
        switch mode {
        case .hourly:
            rate = try fields.integer("rate_cents", in: 0...1_000_000)
            if let rate, rate < minimum.cents {
                throw Problem.invalid(field: "rate_cents", "must be at least \(minimum.cents): the base rate of \(minimum.track)")
            }
        case .perTask:
            guard let value = try fields.integer("task_rate_cents", in: 1...1_000_000) else {
                throw Problem.invalid(field: "task_rate_cents", "is required for a project paying per task (cents per task, 1 to 1000000)")
            }
            taskRate = value
        }
        var effectiveAt = now
        if let text = try fields.string("effective_at"), !text.isEmpty {
            effectiveAt = try Self.time(text, field: "effective_at")
            guard effectiveAt >= now - 60 else {
                throw Problem.invalid(field: "effective_at", "must not be in the past: a rate applies from its effective time, never backwards")
            }
            effectiveAt = max(effectiveAt, now)
        }
        let reason = try fields.string("reason", maximumLength: 500)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let change = RateChange(mode: mode, rateCents: rate, taskRateCents: taskRate, effectiveAt: effectiveAt)
        let projectID = try project.requireID()
        let changeID = try await req.gloss.pay.addRateChange(projectID: projectID, change: change, reason: reason, by: principal.id, now: now)
        guard let row = try await req.gloss.pay.rateChanges(projectID: projectID).first(where: { $0.id == changeID }) else { throw Problem.notFound }
        return .json(PayService.rateChange(row), status: .created)
    }

    // MARK: Admin

    @Sendable func settings(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        return .json(try await PayService(context: req.gloss).settings().json)
    }

    @Sendable func saveSettings(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let value = JSONValue.object(try req.jsonObject())
        let settings: PaySettings
        do {
            settings = try PaySettings.parse(value)
        } catch {
            throw Problem.invalid(error.errors, title: "The pay settings are not valid")
        }
        let service = PayService(context: req.gloss)
        try await req.gloss.pay.saveSettings(settings.json.jsonText, by: admin.id, now: service.clock.now())
        try await Self.audit(req, actorID: admin.id, action: "pay.settings", subjectType: "pay_settings", subjectID: "1",
                                            detail: settings.json)
        return .json(settings.json)
    }

    @Sendable func periods(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        return .json(try await PayService(context: req.gloss).periods())
    }

    static func periodJSON(_ result: PayService.CloseResult) -> JSONValue {
        var object = PayService.period(result.period)
        object["already_closed"] = .bool(result.alreadyClosed)
        object["payouts"] = .array(result.payouts.map(PayService.payout))
        return .object(object)
    }

    @Sendable func close(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let body = req.body.data.map { $0.readableBytes } ?? 0 > 0 ? try req.jsonObject() : [:]
        let fields = try JSONFields(body, allowed: ["ends_at"])
        let endsAt = try fields.string("ends_at").flatMap { $0.isEmpty ? nil : $0 }.map { try Self.time($0, field: "ends_at") }
        let result = try await PayService(context: req.gloss).close(endsAt: endsAt, by: admin.id)
        if !result.alreadyClosed {
            try await Self.audit(req, actorID: admin.id, action: "pay.close", subjectType: "pay_period", subjectID: result.period.id.text,
                                                detail: .object(["total_cents": .number(Double(result.period.totalCents)),
                                                                 "workers": .number(Double(result.period.workers))]))
        }
        return .json(Self.periodJSON(result), status: result.alreadyClosed ? .ok : .created)
    }

    static func findPeriod(_ req: Request) async throws -> PayRepository.PeriodRow {
        _ = try req.requireRole(.admin)
        guard let period = try await req.gloss.pay.period(id: try req.uuidParameter("period_id")) else { throw Problem.notFound }
        return period
    }

    @Sendable func period(req: Request) async throws -> Response {
        let period = try await Self.findPeriod(req)
        let payouts = try await req.gloss.pay.payouts(periodID: period.id)
        return .json(Self.periodJSON(.init(period: period, payouts: payouts, alreadyClosed: true)))
    }

    @Sendable func payoutsCSV(req: Request) async throws -> Response {
        let period = try await Self.findPeriod(req)
        let csv = try await PayService(context: req.gloss).payoutsCSV(period)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"payouts-\(ActiveTime.day(period.endsAt - 1)).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    static func worker(_ req: Request) async throws -> UserModel {
        _ = try req.requireRole(.admin)
        guard let user = try await req.gloss.accounts.user(id: try req.uuidParameter("user_id")), user.role == Role.worker.rawValue else {
            throw Problem.notFound
        }
        return user
    }

    @Sendable func workerLedger(req: Request) async throws -> Response {
        let user = try await Self.worker(req)
        let userID = try user.requireID()
        let page = try Self.page(req)
        guard case .object(var object) = try await PayService(context: req.gloss).ledger(workerID: userID, limit: page.limit, before: page.before) else {
            throw Abort(.internalServerError)
        }
        object["balance_cents"] = PayService.cents(try await req.gloss.pay.totals(workerID: userID).balanceCents)
        return .json(.object(object))
    }

    @Sendable func addEntry(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let user = try await Self.worker(req)
        let userID = try user.requireID()
        let fields = try JSONFields(try req.jsonObject(), allowed: ["kind", "amount_cents", "reason", "project_id"])
        let kind = try fields.string("kind", required: true)!
        guard ["bonus", "adjustment"].contains(kind) else { throw Problem.invalid(field: "kind", "must be bonus or adjustment") }
        guard let amount = try fields.integer("amount_cents", in: -100_000_000...100_000_000) else {
            throw Problem.invalid(field: "amount_cents", "is required (whole cents)")
        }
        if kind == "bonus", amount <= 0 { throw Problem.invalid(field: "amount_cents", "a bonus must be more than 0 cents") }
        if kind == "adjustment", amount == 0 { throw Problem.invalid(field: "amount_cents", "an adjustment must not be 0 cents") }
        let reason = try fields.string("reason", required: true, maximumLength: 500)!.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Problem.invalid(field: "reason", "must say why") }
        var projectID: UUID?
        if let text = try fields.string("project_id"), !text.isEmpty {
            guard let value = UUID(uuidString: text), try await req.gloss.projects.find(id: value) != nil else {
                throw Problem.invalid(field: "project_id", "is not a project")
            }
            projectID = value
        }
        let service = PayService(context: req.gloss)
        let entryID = try await service.addEntry(workerID: userID, kind: kind, amountCents: amount, reason: reason, projectID: projectID, by: admin.id)
        try await Self.audit(req, actorID: admin.id, action: "pay.\(kind)", subjectType: "user", subjectID: userID.text,
                                            detail: .object(["amount_cents": .number(Double(amount)), "reason": .string(reason)]))
        let rows = try await req.gloss.pay.entries(workerID: userID, limit: 20, before: nil)
        guard let row = rows.first(where: { $0.id == entryID }) else { throw Problem.notFound }
        return .json(PayService.entry(row), status: .created)
    }
}
