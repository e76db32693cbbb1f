import Foundation
import GlossCore
import GlossStore
import Vapor

/// What workers, requesters and admins see of time and pay, as API JSON.
extension PayService {
    static func seconds(_ milliseconds: Int64) -> JSONValue {
        .number((Double(milliseconds) / 100).rounded() / 10)
    }

    static func cents(_ value: Int) -> JSONValue { .number(Double(value)) }

    static func day(_ text: String) -> Double? {
        WorkforceRules.endOfDay(text).map { $0 - 86_400 }
    }

    // MARK: Timesheet

    /// Days (newest first) with the worker's active time, tasks and earnings per project, rejected time with its
    /// reason, and their notes.
    func timesheet(workerID: UUID, fromDay: String, toDay: String) async throws -> JSONValue {
        guard let from = Self.day(fromDay), let to = Self.day(toDay) else { throw Abort(.badRequest) }
        let settings = try await settings()
        struct ProjectDay {
            var name: String
            var milliseconds: Int64 = 0
            var rejectedMilliseconds: Int64 = 0
            var tasks = 0
            var earned = 0
            var rejections: [UUID: (milliseconds: Int64, reason: String)] = [:]
        }
        var days: [String: [UUID: ProjectDay]] = [:]
        for row in try await pay.timeEntries(workerID: workerID, fromDay: fromDay, toDay: toDay) {
            let entry = row.entry
            var project = days[entry.day, default: [:]][entry.projectID] ?? ProjectDay(name: row.projectName)
            project.milliseconds += entry.milliseconds
            project.earned += entry.valueCents
            if let reason = entry.rejectedReason {
                project.rejectedMilliseconds += entry.milliseconds
                project.rejections[entry.taskID, default: (0, reason)].milliseconds += entry.milliseconds
            }
            days[entry.day, default: [:]][entry.projectID] = project
        }
        for submission in try await pay.submissions(workerID: workerID, from: from, to: to + 86_400) {
            let day = ActiveTime.day(submission.at)
            days[day, default: [:]][submission.projectID, default: ProjectDay(name: submission.projectName)].tasks += 1
        }
        for paid in try await pay.taskPay(workerID: workerID, from: from, to: to + 86_400) {
            let day = ActiveTime.day(paid.at)
            days[day, default: [:]][paid.projectID, default: ProjectDay(name: paid.projectName)].earned += paid.cents
        }
        let notes = try await pay.notes(workerID: workerID, fromDay: fromDay, toDay: toDay)
        var totalMilliseconds: Int64 = 0
        var totalRejected: Int64 = 0
        var totalEarned = 0
        var output: [JSONValue] = []
        for day in Set(days.keys).union(notes.keys).sorted(by: >) {
            let projects = (days[day] ?? [:]).sorted { $0.value.name < $1.value.name }
            let milliseconds = projects.reduce(Int64(0)) { $0 + $1.value.milliseconds }
            let rejected = projects.reduce(Int64(0)) { $0 + $1.value.rejectedMilliseconds }
            let earned = projects.reduce(0) { $0 + $1.value.earned }
            totalMilliseconds += milliseconds
            totalRejected += rejected
            totalEarned += earned
            output.append(.object([
                "day": .string(day), "active_s": Self.seconds(milliseconds), "tasks": .number(Double(projects.reduce(0) { $0 + $1.value.tasks })),
                "earned_cents": Self.cents(earned), "rejected_s": Self.seconds(rejected), "note": notes[day].map { .string($0) } ?? .null,
                "projects": .array(projects.map { id, project in
                    .object([
                        "project_id": .string(id.text), "project_name": .string(project.name), "active_s": Self.seconds(project.milliseconds),
                        "tasks": .number(Double(project.tasks)), "earned_cents": Self.cents(project.earned),
                        "rejected_s": Self.seconds(project.rejectedMilliseconds),
                        "rejections": .array(project.rejections.sorted { $0.key.uuidString < $1.key.uuidString }.map { task, rejection in
                            .object(["task_id": .string(task.text), "active_s": Self.seconds(rejection.milliseconds), "reason": .string(rejection.reason)])
                        }),
                    ])
                }),
            ]))
        }
        return .object([
            "from": .string(fromDay), "to": .string(toDay), "idle_seconds": .number(Double(settings.idleSeconds)),
            "total_active_s": Self.seconds(totalMilliseconds), "total_rejected_s": Self.seconds(totalRejected),
            "total_earned_cents": Self.cents(totalEarned), "days": .array(output),
        ])
    }

    /// Time, tasks and earnings since `since` (the dashboard's week).
    func weekStats(workerID: UUID, since: Double) async throws -> (seconds: Double, tasks: Int, earnedCents: Int) {
        let fromDay = ActiveTime.day(since)
        let now = clock.now()
        var milliseconds: Int64 = 0
        var earned = 0
        for row in try await pay.timeEntries(workerID: workerID, fromDay: fromDay, toDay: ActiveTime.day(now)) where row.entry.rejectedReason == nil {
            milliseconds += row.entry.milliseconds
            earned += row.entry.valueCents
        }
        earned += try await pay.taskPay(workerID: workerID, from: since, to: now + 1).reduce(0) { $0 + $1.cents }
        let tasks = try await pay.submissions(workerID: workerID, from: since, to: now + 1).count
        return (Double(milliseconds) / 1000, tasks, earned)
    }

    // MARK: Earnings

    func earnings(_ principal: Principal) async throws -> JSONValue {
        let now = clock.now()
        let settings = try await settings()
        let tracks = try await context.workforce.tracks()
        let totals = try await pay.totals(workerID: principal.id)
        let open = try await pay.openTime(workerID: principal.id)
        let pending = open.reduce(0) { $0 + $1.valueCents }
        let lastEnd = try await pay.lastEnd()
        let start = max(lastEnd ?? 0, PayPeriods.boundary(atOrBefore: now, days: settings.periodDays))
        let end = PayPeriods.boundary(after: now, days: settings.periodDays)
        let earnedThisPeriod = try await pay.earned(workerID: principal.id, from: start, to: end) + pending
        var rates: [JSONValue] = []
        for project in try await projectsFor(principal) {
            let projectID = try project.requireID()
            let rate = try await workerRate(projectID: projectID, workerID: principal.id, at: now, settings: settings, tracks: tracks)
            rates.append(.object([
                "project_id": .string(projectID.text), "project_name": .string(project.name), "mode": .string(rate.mode.rawValue),
                "base_rate_cents": Self.cents(rate.baseCents), "base_reason": .string(rate.baseReason),
                "multiplier_bp": .number(Double(rate.multiplier.basisPoints)), "multiplier_reason": .string(rate.multiplier.reason),
                "quality": rate.quality.map { .number(($0 * 1000).rounded() / 1000) } ?? .null, "reviewed": .number(Double(rate.reviewed)),
                "effective_rate_cents": Self.cents(rate.effectiveCents),
                "task_rate_cents": rate.mode == .perTask ? rate.taskRateCents.map { Self.cents($0) } ?? .null : .null,
                "next": rate.multiplier.next.map { next in
                    .object(["min_quality": .number(next.minimumQuality), "multiplier_bp": .number(Double(next.multiplierBP)),
                             "reviewed_needed": .number(Double(next.reviewedNeeded))])
                } ?? .null,
            ]))
        }
        return .object([
            "balance_cents": Self.cents(totals.balanceCents), "pending_cents": Self.cents(pending),
            "period": .object(["starts_at": timestamp(start), "ends_at": timestamp(end), "earned_cents": Self.cents(earnedThisPeriod)]),
            "paid_to_date_cents": Self.cents(totals.paidCents), "currency": .string("USD"), "rates": .array(rates),
            "settings": settings.json,
        ])
    }

    /// The projects a worker's rates are shown for: those they may work on now, and those they worked on.
    func projectsFor(_ principal: Principal) async throws -> [ProjectModel] {
        let matching = MatchingService(context: context)
        var result: [ProjectModel] = []
        let worked = Set(try await pay.projectsWorked(workerID: principal.id))
        for project in try await context.projects.list(organizationID: nil, status: nil) {
            let id = try project.requireID()
            if worked.contains(id) {
                result.append(project)
            } else if project.status == ProjectStatus.open.rawValue, try await matching.mayWork(principal, requirementsJSON: project.requirementsJSON) {
                result.append(project)
            }
        }
        return result.sorted { $0.name < $1.name }
    }

    // MARK: Ledger

    func ledger(workerID: UUID, limit: Int, before: UUID?) async throws -> JSONValue {
        let rows = try await pay.entries(workerID: workerID, limit: limit + 1, before: before)
        let page = rows.prefix(limit)
        return .object([
            "entries": .array(page.map(Self.entry)),
            "next": rows.count > limit ? page.last.map { .string($0.id.text) } ?? .null : .null,
        ])
    }

    static func entry(_ row: PayRepository.EntryRow) -> JSONValue {
        .object([
            "id": .string(row.id.text), "kind": .string(row.kind), "amount_cents": cents(row.amountCents), "memo": .string(row.memo),
            "project_id": row.projectID.map { .string($0.text) } ?? .null, "project_name": row.projectName.map { .string($0) } ?? .null,
            "task_id": row.taskID.map { .string($0.text) } ?? .null, "created_by": row.createdBy.map { .string($0) } ?? .null,
            "earned_at": timestamp(row.earnedAt), "created_at": timestamp(row.createdAt), "paid": .bool(row.paid),
            "period_id": row.periodID.map { .string($0.text) } ?? .null,
        ])
    }

    // MARK: Periods

    static func period(_ row: PayRepository.PeriodRow) -> [String: JSONValue] {
        [
            "id": .string(row.id.text), "starts_at": timestamp(row.startsAt), "ends_at": timestamp(row.endsAt),
            "closed_at": timestamp(row.closedAt), "closed_by": row.closedBy.map { .string($0) } ?? .null,
            "total_cents": cents(row.totalCents), "workers": .number(Double(row.workers)),
        ]
    }

    static func payout(_ row: PayRepository.PayoutRow) -> JSONValue {
        .object([
            "worker_id": .string(row.workerID.text), "name": .string(row.name), "email": .string(row.email),
            "amount_cents": cents(row.amountCents), "entries": .number(Double(row.entries)),
        ])
    }

    func periods() async throws -> JSONValue {
        let settings = try await settings()
        let periods = try await pay.periods()
        let next = nextEnd(settings: settings, lastEnd: periods.first?.endsAt)
        return .object([
            "periods": .array(periods.map { .object(Self.period($0)) }), "next_end": next.map(timestamp) ?? .null,
            "unpaid_cents": Self.cents(try await pay.unpaidTotal()),
        ])
    }

    /// The payout file: one row per worker paid in the period.
    func payoutsCSV(_ period: PayRepository.PeriodRow) async throws -> String {
        var lines = ["period_start,period_end,worker_id,name,email,amount_cents,amount,currency,entries"]
        for payout in try await pay.payouts(periodID: period.id) {
            let fields = [
                Timestamp.string(Date(timeIntervalSince1970: period.startsAt)), Timestamp.string(Date(timeIntervalSince1970: period.endsAt)),
                payout.workerID.text, payout.name, payout.email, String(payout.amountCents), Self.decimal(payout.amountCents), "USD",
                String(payout.entries),
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Cents as a plain decimal: "1234.50", "-0.05".
    static func decimal(_ cents: Int) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// A CSV field, quoted when needed; text a spreadsheet would run as a formula is prefixed with '.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Cost

    struct Cost {
        var json: JSONValue
        var days: [CostDay]
    }

    /// A project's cost: spend to date (the ledger and the time not yet posted), hours, accepted annotations and
    /// their cost, and the forecast to finish: remaining x median active time per accepted annotation (7 days) x
    /// the current rate (weighted by who worked lately), or remaining x the task rate on per-task projects.
    func cost(of project: ProjectModel, days: Int) async throws -> Cost {
        let projectID = try project.requireID()
        let now = clock.now()
        let settings = try await settings()
        let tracks = try await context.workforce.tracks()
        let spend = try await pay.spend(projectID: projectID)
        let accrued = spend.openTime.reduce(0) { $0 + $1.valueCents }
        let total = spend.ledgerCents + accrued
        let accepted = try await pay.acceptedCount(projectID: projectID)
        let remaining = try await pay.remaining(projectID: projectID)
        let median = PayRules.median(try await pay.acceptedMilliseconds(projectID: projectID, since: now - 7 * 86_400))
        let changes = try await pay.rateChanges(projectID: projectID).map(\.change)
        let change = PayRules.inForce(changes, at: now)
        let mode = change?.mode ?? .hourly
        let listed = Self.listedRate(of: project, changes: changes, tracks: tracks, now: now)
        // The current rate: each recent worker's rate now, weighted by their recent time; the listed rate without any.
        var weighted: Int64 = 0
        var weightedBP: Int64 = 0
        var weight: Int64 = 0
        for worker in try await pay.recentWorkers(projectID: projectID, sinceDay: ActiveTime.day(now - 7 * 86_400)) where worker.milliseconds > 0 {
            let rate = try await workerRate(projectID: projectID, workerID: worker.workerID, at: now, settings: settings, tracks: tracks)
            weighted += Int64(rate.effectiveCents) * worker.milliseconds
            weightedBP += Int64(rate.multiplier.basisPoints) * worker.milliseconds
            weight += worker.milliseconds
        }
        let currentRate = weight > 0 ? Int(Money.divideHalfEven(weighted, weight)) : listed
        let currentBP = weight > 0 ? Int(Money.divideHalfEven(weightedBP, weight)) : 10_000
        let forecast: Int?
        switch mode {
        case .hourly:
            forecast = PayRules.forecastCents(remaining: remaining, medianMilliseconds: median, rateCents: currentRate, multiplierBP: 10_000)
        case .perTask:
            forecast = change?.taskRateCents.map { remaining * Money.taskAmount(rateCents: $0, multiplierBP: currentBP) }
        }
        let window = max(1, min(days, 366))
        let firstDay = WorkforceRules.startOfDay(now) - Double(window - 1) * 86_400
        let series = try await pay.series(projectID: projectID, from: firstDay, fromDay: ActiveTime.day(firstDay))
        let costDays = (0..<window).map { index -> CostDay in
            let day = ActiveTime.day(firstDay + Double(index) * 86_400)
            return CostDay(day: day, spendCents: series.spendByDay[day] ?? 0, accepted: series.acceptedByDay[day] ?? 0,
                           activeMilliseconds: series.millisecondsByDay[day] ?? 0)
        }
        let json = JSONValue.object([
            "spend_cents": Self.cents(total), "accrued_cents": Self.cents(accrued),
            "hours": .number((Double(spend.paidMilliseconds) / 36_000).rounded() / 100), "active_s": Self.seconds(spend.paidMilliseconds),
            "accepted": .number(Double(accepted)),
            "cost_per_accepted_cents": accepted > 0 ? Self.cents(Int(Money.divideHalfEven(Int64(total), Int64(accepted)))) : .null,
            "remaining": .number(Double(remaining)), "median_active_s": median.map(Self.seconds) ?? .null,
            "forecast_cents": forecast.map(Self.cents) ?? .null, "mode": .string(mode.rawValue),
            "current_rate_cents": Self.cents(currentRate),
            "task_rate_cents": mode == .perTask ? change?.taskRateCents.map(Self.cents) ?? .null : .null,
            "days": .array(costDays.map { day in
                .object(["day": .string(day.day), "spend_cents": Self.cents(day.spendCents), "accepted": .number(Double(day.accepted)),
                         "active_s": Self.seconds(day.activeMilliseconds)])
            }),
        ])
        return Cost(json: json, days: costDays)
    }

    // MARK: Rate history

    static func rateChange(_ row: PayRepository.RateChangeRow) -> JSONValue {
        .object([
            "id": .string(row.id.text), "mode": .string(row.change.mode.rawValue),
            "rate_cents": row.change.rateCents.map { cents($0) } ?? .null, "task_rate_cents": row.change.taskRateCents.map { cents($0) } ?? .null,
            "effective_at": timestamp(row.change.effectiveAt), "reason": .string(row.reason),
            "created_by": row.createdBy.map { .string($0) } ?? .null, "created_at": timestamp(row.createdAt),
        ])
    }

    func rates(of project: ProjectModel) async throws -> JSONValue {
        let projectID = try project.requireID()
        let now = clock.now()
        let tracks = try await context.workforce.tracks()
        let rows = try await pay.rateChanges(projectID: projectID)
        let change = PayRules.inForce(rows.map(\.change), at: now)
        let listed = Self.listedRate(of: project, changes: rows.map(\.change), tracks: tracks, now: now)
        let minimum = WorkforceRules.minimumRate(MatchingService.requirementsOrNobody(project.requirementsJSON), tracks: tracks)
        return .object([
            "current": .object([
                "mode": .string((change?.mode ?? .hourly).rawValue), "rate_cents": Self.cents(listed),
                "task_rate_cents": change?.mode == .perTask ? change?.taskRateCents.map { Self.cents($0) } ?? .null : .null,
                "minimum_rate_cents": Self.cents(minimum.cents), "minimum_track": .string(minimum.track),
            ]),
            "changes": .array(rows.reversed().map(Self.rateChange)),
        ])
    }
}

extension CostPageData {
    /// The page's first paint: the figures of the cost API, the rate history, and the chart.
    init(_ cost: PayService.Cost, changes: [PayRepository.RateChangeRow]) {
        let json = cost.json
        func int(_ key: String) -> Int? { json[key]?.intValue }
        func number(_ key: String) -> Double? { json[key]?.numberValue }
        self.init()
        spendCents = int("spend_cents") ?? 0
        accruedCents = int("accrued_cents") ?? 0
        hours = number("hours") ?? 0
        activeSeconds = number("active_s") ?? 0
        accepted = int("accepted") ?? 0
        costPerAcceptedCents = int("cost_per_accepted_cents")
        remaining = int("remaining") ?? 0
        medianActiveSeconds = number("median_active_s")
        forecastCents = int("forecast_cents")
        mode = json["mode"]?.stringValue ?? "hourly"
        currentRateCents = int("current_rate_cents")
        taskRateCents = int("task_rate_cents")
        windowDays = cost.days.count
        days = cost.days.map { Day(day: $0.day, spendCents: $0.spendCents, accepted: $0.accepted, activeSeconds: Double($0.activeMilliseconds) / 1000) }
        rates = changes.reversed().map { row in
            Rate(id: row.id.text, mode: row.change.mode.rawValue, rateCents: row.change.rateCents, taskRateCents: row.change.taskRateCents,
                 effectiveAt: row.change.effectiveAt, reason: row.reason.isEmpty ? nil : row.reason, createdBy: row.createdBy, createdAt: row.createdAt)
        }
        chartSVG = CostChart.svg(days: cost.days, width: 640, height: 240)
    }
}
