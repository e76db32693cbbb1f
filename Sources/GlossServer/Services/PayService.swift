import Foundation
import GlossCore
import GlossStore
import SQLKit
import Vapor

/// Time and pay: activity pings turned into active time, time posted to the ledger when a task ends, time the
/// quality policy rejects, rates with their multipliers, pay periods and payouts, and the views of workers,
/// requesters and admins. Money is integer cents; `Money` rounds once per entry, half to even.
struct PayService {
    let context: GlossContext

    var pay: PayRepository { context.pay }
    var clock: any GlossClock { context.configuration.clock }

    func settings(on sql: (any SQLDatabase)? = nil) async throws -> PaySettings {
        let json = try await pay.settingsJSON(on: sql)
        guard let value = try? JSONValue.parse(json), let settings = try? PaySettings.parse(value) else { return .standard }
        return settings
    }

    // MARK: Rates

    /// How a worker is paid on a project at a moment, and why.
    struct WorkerRate {
        var mode: RateChange.Mode
        var baseCents: Int
        var baseReason: String
        var multiplier: Multiplier
        var taskRateCents: Int?
        var quality: Double?
        var reviewed: Int

        var effectiveCents: Int { Money.effectiveRate(rateCents: baseCents, multiplierBP: multiplier.basisPoints) }
    }

    func workerRate(projectID: UUID, workerID: UUID, at time: Double, settings: PaySettings, tracks: [TrackDefinition],
                    on sql: (any SQLDatabase)? = nil) async throws -> WorkerRate {
        let inputs = try await pay.rateInputs(projectID: projectID, workerID: workerID, now: time, on: sql)
        return Self.rate(inputs, at: time, settings: settings, tracks: tracks)
    }

    static func rate(_ inputs: PayRepository.RateInputs, at time: Double, settings: PaySettings, tracks: [TrackDefinition]) -> WorkerRate {
        let requirements = MatchingService.requirementsOrNobody(inputs.requirementsJSON)
        let change = PayRules.inForce(inputs.changes, at: time)
        let projectRate = change.map { $0.rateCents } ?? inputs.projectRateCents
        let base = PayRules.hourlyBase(projectRate: projectRate, requirements: requirements, held: inputs.held, tracks: tracks)
        let multiplier = PayRules.multiplier(quality: inputs.quality, reviewed: inputs.reviewed, settings: settings)
        return WorkerRate(mode: change?.mode ?? .hourly, baseCents: base.cents, baseReason: base.reason, multiplier: multiplier,
                          taskRateCents: change?.taskRateCents, quality: inputs.quality, reviewed: inputs.reviewed)
    }

    /// The project's hourly rate as listings show it: the change in force, else its own rate, never below its minimum.
    static func listedRate(of project: ProjectModel, changes: [RateChange], tracks: [TrackDefinition], now: Double) -> Int {
        let set = PayRules.inForce(changes, at: now).map { $0.mode == .hourly ? $0.rateCents : project.rateCents } ?? project.rateCents
        return WorkforceRules.rate(set: set ?? nil, requirements: MatchingService.requirementsOrNobody(project.requirementsJSON), tracks: tracks)
    }

    // MARK: Activity

    struct ActivityResult {
        var creditedSeconds: Double
        var taskActiveSeconds: Double
        var idleSeconds: Int
    }

    /// Credits an activity ping to the worker's task: see `ActiveTime.credit` for the rule. Throws
    /// `LeaseError.noLease` when the worker holds no lease (and no rework) on the task.
    func recordActivity(task: TaskContext, workerID: UUID, tab: String, seq: Int, activeSeconds: Double, idleSeconds: Double) async throws
        -> ActivityResult {
        let now = clock.now()
        let settings = try await settings()
        let tracks = try await context.workforce.tracks()
        let rate = try await workerRate(projectID: task.projectID, workerID: workerID, at: now, settings: settings, tracks: tracks)
        let pay = self.pay
        return try await context.store.write { sql in
            guard let start = try await pay.activityStart(taskID: task.id, workerID: workerID, on: sql) else { throw LeaseError.noLease }
            let locked = try await pay.lockClock(workerID: workerID, tab: tab, now: now, on: sql)
            var clock = ActiveTime.Clock(creditedUntil: locked.creditedUntil, lastSeq: locked.lastSeq.map { [tab: $0] } ?? [:])
            let ping = ActiveTime.Ping(receivedAt: now, tab: tab, seq: seq, activeSeconds: activeSeconds, idleSeconds: idleSeconds,
                                       task: task.id.uuidString)
            var credited = 0.0
            if let credit = ActiveTime.credit(ping, leaseStart: start, idleWindow: Double(settings.idleSeconds), clock: &clock) {
                credited = credit.seconds
                var pieceStart = credit.start
                for piece in ActiveTime.byDay(credit) {
                    // Each day's piece keeps its own end, so a close at midnight finds the day before complete.
                    let pieceEnd = min(credit.end, WorkforceRules.startOfDay(pieceStart) + 86_400)
                    defer { pieceStart = pieceEnd }
                    guard piece.milliseconds > 0 else { continue }
                    try await pay.addTime(.init(workerID: workerID, projectID: task.projectID, taskID: task.id, day: piece.day,
                                                milliseconds: piece.milliseconds, mode: rate.mode.rawValue, baseRateCents: rate.baseCents,
                                                multiplierBP: rate.multiplier.basisPoints, start: pieceStart, end: pieceEnd), now: now, on: sql)
                }
            }
            if (locked.lastSeq ?? Int.min) < seq {
                try await pay.saveClock(workerID: workerID, creditedUntil: clock.creditedUntil, tab: tab, seq: seq, now: now, on: sql)
            }
            let total = try await pay.taskMilliseconds(taskID: task.id, workerID: workerID, on: sql)
            return ActivityResult(creditedSeconds: credited, taskActiveSeconds: Double(total) / 1000, idleSeconds: settings.idleSeconds)
        }
    }

    // MARK: Posting

    static func duration(_ milliseconds: Int64) -> String {
        let seconds = Int((Double(milliseconds) / 1000).rounded())
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours > 0 { return "\(hours)h \(minutes)m \(rest)s" }
        return minutes > 0 ? "\(minutes)m \(rest)s" : "\(rest)s"
    }

    static func multiplierText(_ basisPoints: Int) -> String {
        basisPoints == 10_000 ? "" : " ×" + Money.multiplierText(basisPoints)
    }

    /// Freezes a time entry and, when it is worth anything, pays it with one work entry earned when the entry's work
    /// began (inside its UTC day, so a day's time always belongs to the period that holds the day).
    /// The row is claimed first and paid as the claim returns it, so a ping adding to it concurrently is either
    /// in the amount or in a new row, and a close and a submit never both post it.
    func post(_ listed: PayRepository.TimeEntryRow, now: Double, on sql: any SQLDatabase) async throws {
        guard let entry = try await pay.claimOpen(entryID: listed.id, on: sql) else { return }
        let amount = entry.valueCents
        guard amount != 0 else { return }
        let memo = "\(Self.duration(entry.milliseconds)) at \(Money.format(entry.baseRateCents))/h\(Self.multiplierText(entry.multiplierBP))"
        let ledgerID = try await pay.append(.init(workerID: entry.workerID, kind: "work", amountCents: amount, projectID: entry.projectID,
                                                  taskID: entry.taskID, timeEntryID: entry.id, memo: memo, earnedAt: entry.firstAt), now: now, on: sql)
        try await pay.setLedgerEntry(entryID: entry.id, ledgerEntryID: ledgerID, on: sql)
    }

    /// A task's end for its worker (submitted or skipped), inside the caller's transaction: time the policy rejects
    /// is rejected (a failed gold answer done too fast), the open time is posted, and a first answer on a project
    /// paying per task earns its task amount.
    func finishTask(taskID: UUID, projectID: UUID, workerID: UUID, submittedFirstVersion: Bool, failedGold: Bool,
                    rules: QualityPolicy.TimeRules, on sql: any SQLDatabase) async throws {
        let now = clock.now()
        var rejection: String?
        if failedGold {
            let milliseconds = try await pay.taskMilliseconds(taskID: taskID, workerID: workerID, on: sql)
            rejection = PayRules.timeRejection(activeSeconds: Double(milliseconds) / 1000, failedGold: true, rejectedInReview: false, policy: rules)
            if let rejection { try await rejectTime(taskID: taskID, workerID: workerID, reason: rejection, now: now, on: sql) }
        }
        for entry in try await pay.openEntries(taskID: taskID, workerID: workerID, on: sql) {
            try await post(entry, now: now, on: sql)
        }
        guard submittedFirstVersion, rejection == nil else { return }
        let changes = try await pay.rateChanges(projectID: projectID, on: sql).map(\.change)
        guard let change = PayRules.inForce(changes, at: now), change.mode == .perTask, let taskRate = change.taskRateCents,
              try await !pay.taskPaid(taskID: taskID, workerID: workerID, on: sql) else { return }
        let settings = try await settings(on: sql)
        let tracks = try await context.workforce.tracks(on: sql)
        let rate = try await workerRate(projectID: projectID, workerID: workerID, at: now, settings: settings, tracks: tracks, on: sql)
        let amount = Money.taskAmount(rateCents: taskRate, multiplierBP: rate.multiplier.basisPoints)
        try await pay.append(.init(workerID: workerID, kind: "work", amountCents: amount, projectID: projectID, taskID: taskID,
                                   memo: "Task at \(Money.format(taskRate))\(Self.multiplierText(rate.multiplier.basisPoints))", earnedAt: now),
                             now: now, on: sql)
    }

    /// Rejects a worker's time on a task: every entry is marked with the reason, and work already posted is
    /// reversed by an adjustment (the original entry stays as it was).
    func rejectTime(taskID: UUID, workerID: UUID, reason: String, now: Double, on sql: any SQLDatabase) async throws {
        for entry in try await pay.entries(taskID: taskID, workerID: workerID, on: sql) where entry.rejectedReason == nil {
            try await pay.markRejected(entryID: entry.id, reason: reason, now: now, on: sql)
        }
        for work in try await pay.unreversedWork(taskID: taskID, workerID: workerID, on: sql) where work.amountCents != 0 {
            try await pay.append(.init(workerID: workerID, kind: "adjustment", amountCents: -work.amountCents, projectID: work.projectID,
                                       taskID: taskID, reversesID: work.id, memo: "Time rejected: \(reason)", earnedAt: now), now: now, on: sql)
        }
    }

    /// A reviewer rejected the worker's answer: the policy may reject the time spent on it.
    func reviewRejected(taskID: UUID, workerID: UUID, rules: QualityPolicy.TimeRules, on sql: any SQLDatabase) async throws {
        let milliseconds = try await pay.taskMilliseconds(taskID: taskID, workerID: workerID, on: sql)
        guard let reason = PayRules.timeRejection(activeSeconds: Double(milliseconds) / 1000, failedGold: false, rejectedInReview: true,
                                                  policy: rules) else { return }
        try await rejectTime(taskID: taskID, workerID: workerID, reason: reason, now: clock.now(), on: sql)
    }

    /// Posts the worker's open time on a task they gave back (skipped).
    func skipped(taskID: UUID, projectID: UUID, workerID: UUID) async throws {
        let service = self
        try await context.store.write { sql in
            try await service.finishTask(taskID: taskID, projectID: projectID, workerID: workerID, submittedFirstVersion: false,
                                         failedGold: false, rules: QualityPolicy.TimeRules(), on: sql)
        }
    }

    // MARK: Ledger entries by an admin

    func addEntry(workerID: UUID, kind: String, amountCents: Int, reason: String, projectID: UUID?, by adminID: UUID) async throws -> UUID {
        let now = clock.now()
        let pay = self.pay
        return try await context.store.write { sql in
            try await pay.append(.init(workerID: workerID, kind: kind, amountCents: amountCents, projectID: projectID, memo: reason,
                                       createdBy: adminID, earnedAt: now), now: now, on: sql)
        }
    }

    // MARK: Pay periods

    struct CloseResult {
        var period: PayRepository.PeriodRow
        var payouts: [PayRepository.PayoutRow]
        var alreadyClosed: Bool
    }

    /// The end the next close defaults to: the latest period boundary that has passed, if it is after the last close.
    func nextEnd(settings: PaySettings, lastEnd: Double?) -> Double? {
        let boundary = PayPeriods.boundary(atOrBefore: clock.now(), days: settings.periodDays)
        if let lastEnd, boundary <= lastEnd { return nil }
        return boundary
    }

    /// Closes the period ending at `endsAt` (default: the latest boundary passed): posts the time worked before it,
    /// pays every worker the sum of their unpaid entries earned before it (when positive), and records the payouts.
    /// Closing the same end again returns the first close and pays nothing; closes are serialized.
    func close(endsAt requested: Double?, by adminID: UUID) async throws -> CloseResult {
        let now = clock.now()
        let settings = try await settings()
        let service = self
        let pay = self.pay
        return try await context.store.write { sql in
            try await pay.lockForClose(on: sql)
            let lastEnd = try await pay.lastEnd(on: sql)
            guard let end = requested ?? service.nextEnd(settings: settings, lastEnd: lastEnd) else {
                throw Problem.conflict("The last period that has ended is already closed; give ends_at to close up to another moment.")
            }
            if let existing = try await pay.period(endingAt: end, on: sql) {
                return CloseResult(period: existing, payouts: try await pay.payouts(periodID: existing.id, on: sql), alreadyClosed: true)
            }
            guard end <= now else { throw Problem.invalid(field: "ends_at", "must not be in the future: a period is closed once it has ended") }
            if let lastEnd, end < lastEnd {
                throw Problem.conflict("A period ending \(Timestamp.string(Date(timeIntervalSince1970: lastEnd))) is already closed; a new period must end after it.")
            }
            for entry in try await pay.openEntries(lastBefore: end, on: sql) {
                try await service.post(entry, now: now, on: sql)
            }
            let periodID = UUID()
            let startsAt = lastEnd ?? (end - Double(settings.periodDays) * 86_400)
            try await pay.insertPeriod(id: periodID, startsAt: startsAt, endsAt: end, closedBy: adminID, now: now, on: sql)
            let unpaid = try await pay.unpaid(before: end, on: sql)
            let payouts = PayLedger.payouts(unpaid: unpaid.map { (worker: $0.workerID.uuidString, entryID: $0.entryID.uuidString,
                                                                  amountCents: $0.amountCents, earnedAt: $0.earnedAt) }, endsAt: end)
            var total = 0
            for payout in payouts {
                guard let workerID = UUID(uuidString: payout.worker) else { continue }
                let payoutID = UUID()
                try await pay.insertPayout(id: payoutID, periodID: periodID, workerID: workerID, amountCents: payout.amountCents,
                                           entryIDs: payout.entryIDs.compactMap(UUID.init(uuidString:)), now: now, on: sql)
                let range = "\(ActiveTime.day(startsAt)) to \(ActiveTime.day(end - 1))"
                try await pay.append(.init(workerID: workerID, kind: "payout", amountCents: -payout.amountCents, payoutID: payoutID,
                                           memo: "Payout for \(range)", createdBy: adminID, earnedAt: end), now: now, on: sql)
                total += payout.amountCents
            }
            try await pay.finishPeriod(id: periodID, totalCents: total, workers: payouts.count, on: sql)
            guard let period = try await pay.period(id: periodID, on: sql) else { throw Abort(.internalServerError) }
            return CloseResult(period: period, payouts: try await pay.payouts(periodID: periodID, on: sql), alreadyClosed: false)
        }
    }
}
