import Foundation
import GlossCore
import SQLKit

/// Time and pay storage: pay settings, rate changes, activity clocks, time entries, the append-only ledger, pay
/// periods and payouts, timesheet notes. Functions taking `on sql` run inside a caller's `store.write`
/// transaction (never read through the pool there: SQLite has one writer connection).
public struct PayRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var sql: any SQLDatabase { store.sql }

    func id(_ value: UUID) -> any Encodable & Sendable { store.id(value) }

    func maybeID(_ value: UUID?) -> any Encodable & Sendable { store.isSQLite ? value?.uuidString : value }

    /// Sums of BIGINT columns come back as `numeric` from PostgreSQL: cast them back.
    static func sum(_ expression: String) -> String { "CAST(COALESCE(SUM(\(expression)), 0) AS BIGINT)" }

    // MARK: Settings

    public func settingsJSON(on sql: (any SQLDatabase)? = nil) async throws -> String {
        try await (sql ?? self.sql).raw("SELECT settings FROM pay_settings WHERE id = 1").first()?.text("settings") ?? "{}"
    }

    public func saveSettings(_ json: String, by userID: UUID, now: Double) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE pay_settings SET settings = \(bind: json), updated_by = \(bind: self.id(userID)), updated_at = \(bind: now) WHERE id = 1
                """).run()
        }
    }

    // MARK: Rates

    public struct RateChangeRow: Sendable {
        public var id: UUID
        public var projectID: UUID
        public var change: RateChange
        public var reason: String
        public var createdBy: String?
        public var createdAt: Double
    }

    static func rateChange(from row: any SQLRow) throws -> RateChange {
        RateChange(mode: RateChange.Mode(rawValue: try row.text("mode")) ?? .hourly, rateCents: try row.optionalInt("rate_cents"),
                   taskRateCents: try row.optionalInt("task_rate_cents"), effectiveAt: try row.double("effective_at"))
    }

    /// A project's rate changes, oldest effective first.
    public func rateChanges(projectID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> [RateChangeRow] {
        try await (sql ?? self.sql).raw("""
            SELECT r.id, r.project_id, r.mode, r.rate_cents, r.task_rate_cents, r.effective_at, r.reason, r.created_at, u.email
            FROM rate_changes r LEFT JOIN users u ON u.id = r.created_by WHERE r.project_id = \(bind: id(projectID))
            ORDER BY r.effective_at, r.created_at
            """).all().map { row in
            RateChangeRow(id: try row.uuid("id"), projectID: try row.uuid("project_id"), change: try Self.rateChange(from: row),
                          reason: try row.text("reason"), createdBy: try row.optionalText("email"), createdAt: try row.double("created_at"))
        }
    }

    /// The rate changes of several projects at once.
    public func rateChanges(projectIDs: [UUID]) async throws -> [UUID: [RateChange]] {
        guard !projectIDs.isEmpty else { return [:] }
        var result: [UUID: [RateChange]] = [:]
        for chunk in stride(from: 0, to: projectIDs.count, by: 500).map({ Array(projectIDs[$0..<min($0 + 500, projectIDs.count)]) }) {
            var query = SQLQueryString("SELECT project_id, mode, rate_cents, task_rate_cents, effective_at FROM rate_changes WHERE project_id IN (")
            for (index, projectID) in chunk.enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(bind: id(projectID))
            }
            query.appendLiteral(") ORDER BY effective_at, created_at")
            for row in try await sql.raw(query).all() {
                result[try row.uuid("project_id"), default: []].append(try Self.rateChange(from: row))
            }
        }
        return result
    }

    /// Records a rate change; one effective now also becomes the project's own rate (what listings show).
    public func addRateChange(projectID: UUID, change: RateChange, reason: String, by userID: UUID?, now: Double) async throws -> UUID {
        let changeID = UUID()
        try await store.write { sql in
            try await sql.raw("""
                INSERT INTO rate_changes (id, project_id, mode, rate_cents, task_rate_cents, effective_at, reason, created_by, created_at)
                VALUES (\(bind: self.id(changeID)), \(bind: self.id(projectID)), \(bind: change.mode.rawValue), \(bind: change.rateCents),
                \(bind: change.taskRateCents), \(bind: change.effectiveAt), \(bind: reason), \(bind: self.maybeID(userID)), \(bind: now))
                """).run()
            if change.effectiveAt <= now, change.mode == .hourly {
                try await sql.raw("UPDATE projects SET rate_cents = \(bind: change.rateCents) WHERE id = \(bind: self.id(projectID))").run()
            }
        }
        return changeID
    }

    // MARK: What a worker's rate on a project rests on

    public struct RateInputs: Sendable {
        public var requirementsJSON: String
        public var projectRateCents: Int?
        public var changes: [RateChange]
        public var held: Set<String>
        public var quality: Double?
        public var reviewed: Int
    }

    /// The project's requirements, own rate and rate changes, the tracks the worker holds and their standing on it.
    public func rateInputs(projectID: UUID, workerID: UUID, now: Double, on sql: (any SQLDatabase)? = nil) async throws -> RateInputs {
        let database = sql ?? self.sql
        let project = try await database.raw("SELECT requirements, rate_cents FROM projects WHERE id = \(bind: id(projectID))").first()
        let changes = try await rateChanges(projectID: projectID, on: database).map(\.change)
        let held = Set(try await database.raw("""
            SELECT track_id FROM qualifications WHERE user_id = \(bind: id(workerID)) AND active = 1
            AND (expires_at IS NULL OR expires_at > \(bind: now))
            """).all().map { try $0.text("track_id") })
        let standing = try await database.raw("""
            SELECT score, review_count, gold_count FROM worker_standing WHERE project_id = \(bind: id(projectID)) AND worker_id = \(bind: id(workerID))
            """).first()
        return RateInputs(requirementsJSON: try project?.text("requirements") ?? "{}", projectRateCents: try project?.optionalInt("rate_cents"),
                          changes: changes, held: held, quality: try standing?.optionalDouble("score"),
                          reviewed: (try standing?.int("review_count") ?? 0) + (try standing?.int("gold_count") ?? 0))
    }

    // MARK: Activity

    /// When this worker's lease on the task began (or the rework they hold on it was opened); nil when they hold
    /// neither, so no time can be credited to the task.
    /// The lease row is locked for the rest of the transaction on PostgreSQL, so a ping and the submit of the same
    /// task run one after the other (a ping after the submit finds no lease).
    public func activityStart(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> Double? {
        let lock = store.isSQLite ? "" : " FOR UPDATE"
        if let leased = try await sql.raw("""
            SELECT created_at FROM assignments WHERE task_id = \(bind: id(taskID)) AND worker_id = \(bind: id(workerID)) AND status = 'active'\(unsafeRaw: lock)
            """).first() {
            return try leased.double("created_at")
        }
        return try await sql.raw("""
            SELECT created_at FROM rework WHERE task_id = \(bind: id(taskID)) AND worker_id = \(bind: id(workerID)) AND status = 'open'
            ORDER BY created_at LIMIT 1\(unsafeRaw: lock)
            """).first()?.double("created_at")
    }

    /// The worker's activity clock (created at 0 the first time) and the last seq of this tab, locked for the
    /// rest of the transaction on PostgreSQL (SQLite's write transaction already holds the database).
    public func lockClock(workerID: UUID, tab: String, now: Double, on sql: any SQLDatabase) async throws -> (creditedUntil: Double, lastSeq: Int?) {
        try await sql.raw("""
            INSERT INTO activity_clocks (worker_id, credited_until, updated_at) VALUES (\(bind: id(workerID)), 0, \(bind: now))
            ON CONFLICT (worker_id) DO NOTHING
            """).run()
        let lock = store.isSQLite ? "" : " FOR UPDATE"
        let clock = try await sql.raw("SELECT credited_until FROM activity_clocks WHERE worker_id = \(bind: id(workerID))\(unsafeRaw: lock)").first()
        let tabRow = try await sql.raw("""
            SELECT last_seq FROM activity_tabs WHERE worker_id = \(bind: id(workerID)) AND tab = \(bind: tab)
            """).first()
        return (try clock?.double("credited_until") ?? 0, try tabRow.map { try $0.int("last_seq") })
    }

    public func saveClock(workerID: UUID, creditedUntil: Double, tab: String, seq: Int, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE activity_clocks SET credited_until = \(bind: creditedUntil), updated_at = \(bind: now) WHERE worker_id = \(bind: id(workerID))
            """).run()
        try await sql.raw("""
            INSERT INTO activity_tabs (worker_id, tab, last_seq, last_at) VALUES (\(bind: id(workerID)), \(bind: tab), \(bind: seq), \(bind: now))
            ON CONFLICT (worker_id, tab) DO UPDATE SET last_seq = excluded.last_seq, last_at = excluded.last_at
            """).run()
    }

    /// A piece of credited time on one task, one UTC day, at one rate.
    public struct TimePiece: Sendable {
        public var workerID: UUID
        public var projectID: UUID
        public var taskID: UUID
        public var day: String
        public var milliseconds: Int64
        public var mode: String
        public var baseRateCents: Int
        public var multiplierBP: Int
        public var start: Double
        public var end: Double

        public init(workerID: UUID, projectID: UUID, taskID: UUID, day: String, milliseconds: Int64, mode: String, baseRateCents: Int,
                    multiplierBP: Int, start: Double, end: Double) {
            self.workerID = workerID
            self.projectID = projectID
            self.taskID = taskID
            self.day = day
            self.milliseconds = milliseconds
            self.mode = mode
            self.baseRateCents = baseRateCents
            self.multiplierBP = multiplierBP
            self.start = start
            self.end = end
        }
    }

    /// Adds the piece to the open time entry of its task, day and rate, or opens one.
    public func addTime(_ piece: TimePiece, now: Double, on sql: any SQLDatabase) async throws {
        let updated = try await sql.raw("""
            UPDATE time_entries SET active_ms = active_ms + \(bind: piece.milliseconds),
            last_at = CASE WHEN last_at > \(bind: piece.end) THEN last_at ELSE \(bind: piece.end) END
            WHERE worker_id = \(bind: id(piece.workerID)) AND task_id = \(bind: id(piece.taskID)) AND day = \(bind: piece.day)
            AND mode = \(bind: piece.mode) AND base_rate_cents = \(bind: piece.baseRateCents) AND multiplier_bp = \(bind: piece.multiplierBP)
            AND status = 'open' AND rejected_reason IS NULL RETURNING id
            """).first()
        guard updated == nil else { return }
        try await sql.raw("""
            INSERT INTO time_entries (id, worker_id, project_id, task_id, day, active_ms, mode, base_rate_cents, multiplier_bp, first_at, last_at,
            status, created_at) VALUES (\(bind: id(UUID())), \(bind: id(piece.workerID)), \(bind: id(piece.projectID)), \(bind: id(piece.taskID)),
            \(bind: piece.day), \(bind: piece.milliseconds), \(bind: piece.mode), \(bind: piece.baseRateCents), \(bind: piece.multiplierBP),
            \(bind: piece.start), \(bind: piece.end), 'open', \(bind: now))
            """).run()
    }

    /// All the active milliseconds credited to a worker on a task (rejected or not).
    public func taskMilliseconds(taskID: UUID, workerID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> Int64 {
        try await (sql ?? self.sql).raw("""
            SELECT \(unsafeRaw: Self.sum("active_ms")) AS ms FROM time_entries WHERE task_id = \(bind: id(taskID)) AND worker_id = \(bind: id(workerID))
            """).first()?.int64("ms") ?? 0
    }

    // MARK: Time entries

    public struct TimeEntryRow: Sendable {
        public var id: UUID
        public var workerID: UUID
        public var projectID: UUID
        public var taskID: UUID
        public var day: String
        public var milliseconds: Int64
        public var mode: String
        public var baseRateCents: Int
        public var multiplierBP: Int
        public var firstAt: Double
        public var lastAt: Double
        public var status: String
        public var rejectedReason: String?
        public var ledgerEntryID: UUID?

        /// What the row is worth: its hourly amount, 0 when rejected or paid per task.
        public var valueCents: Int {
            guard rejectedReason == nil, mode == RateChange.Mode.hourly.rawValue else { return 0 }
            return Money.hourlyAmount(milliseconds: milliseconds, rateCents: baseRateCents, multiplierBP: multiplierBP)
        }
    }

    static let timeColumns = """
        t.id, t.worker_id, t.project_id, t.task_id, t.day, t.active_ms, t.mode, t.base_rate_cents, t.multiplier_bp, t.first_at, t.last_at,
        t.status, t.rejected_reason, t.ledger_entry_id
        """

    static func timeEntry(from row: any SQLRow) throws -> TimeEntryRow {
        TimeEntryRow(id: try row.uuid("id"), workerID: try row.uuid("worker_id"), projectID: try row.uuid("project_id"),
                     taskID: try row.uuid("task_id"), day: try row.text("day"), milliseconds: try row.int64("active_ms"),
                     mode: try row.text("mode"), baseRateCents: try row.int("base_rate_cents"), multiplierBP: try row.int("multiplier_bp"),
                     firstAt: try row.double("first_at"), lastAt: try row.double("last_at"), status: try row.text("status"),
                     rejectedReason: try row.optionalText("rejected_reason"),
                     ledgerEntryID: try row.decodeNil(column: "ledger_entry_id") ? nil : try row.uuid("ledger_entry_id"))
    }

    /// The open time entries of a worker's task.
    public func openEntries(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> [TimeEntryRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t
            WHERE t.task_id = \(bind: id(taskID)) AND t.worker_id = \(bind: id(workerID)) AND t.status = 'open' ORDER BY t.first_at
            """).all().map(Self.timeEntry(from:))
    }

    /// Every open time entry whose work ended by `time`.
    public func openEntries(lastBefore time: Double, on sql: any SQLDatabase) async throws -> [TimeEntryRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t WHERE t.status = 'open' AND t.last_at <= \(bind: time) ORDER BY t.first_at
            """).all().map(Self.timeEntry(from:))
    }

    /// Every time entry of a worker's task.
    public func entries(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> [TimeEntryRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t
            WHERE t.task_id = \(bind: id(taskID)) AND t.worker_id = \(bind: id(workerID)) ORDER BY t.first_at
            """).all().map(Self.timeEntry(from:))
    }

    /// Claims an open time entry for posting: marks it posted and returns it as it is now (a ping that added to it
    /// has committed first: the row lock orders them on PostgreSQL), or nil when someone else posted it.
    public func claimOpen(entryID: UUID, on sql: any SQLDatabase) async throws -> TimeEntryRow? {
        try await sql.raw("""
            UPDATE time_entries SET status = 'posted' WHERE id = \(bind: id(entryID)) AND status = 'open'
            RETURNING id, worker_id, project_id, task_id, day, active_ms, mode, base_rate_cents, multiplier_bp, first_at, last_at,
            status, rejected_reason, ledger_entry_id
            """).first().map(Self.timeEntry(from:))
    }

    public func setLedgerEntry(entryID: UUID, ledgerEntryID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE time_entries SET ledger_entry_id = \(bind: id(ledgerEntryID)) WHERE id = \(bind: id(entryID))
            """).run()
    }

    public func markRejected(entryID: UUID, reason: String, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE time_entries SET rejected_reason = \(bind: reason), rejected_at = \(bind: now) WHERE id = \(bind: id(entryID)) AND rejected_reason IS NULL
            """).run()
    }

    // MARK: Ledger

    public struct NewEntry: Sendable {
        public var workerID: UUID
        public var kind: String
        public var amountCents: Int
        public var projectID: UUID?
        public var taskID: UUID?
        public var timeEntryID: UUID?
        public var reversesID: UUID?
        public var payoutID: UUID?
        public var memo: String
        public var createdBy: UUID?
        public var earnedAt: Double

        public init(workerID: UUID, kind: String, amountCents: Int, projectID: UUID? = nil, taskID: UUID? = nil, timeEntryID: UUID? = nil,
                    reversesID: UUID? = nil, payoutID: UUID? = nil, memo: String, createdBy: UUID? = nil, earnedAt: Double) {
            self.workerID = workerID
            self.kind = kind
            self.amountCents = amountCents
            self.projectID = projectID
            self.taskID = taskID
            self.timeEntryID = timeEntryID
            self.reversesID = reversesID
            self.payoutID = payoutID
            self.memo = memo
            self.createdBy = createdBy
            self.earnedAt = earnedAt
        }
    }

    /// Appends an entry (entries are never updated or deleted).
    @discardableResult
    public func append(_ entry: NewEntry, now: Double, on sql: any SQLDatabase) async throws -> UUID {
        let entryID = UUID()
        try await sql.raw("""
            INSERT INTO ledger_entries (id, worker_id, kind, amount_cents, project_id, task_id, time_entry_id, reverses_id, payout_id, memo,
            created_by, earned_at, created_at) VALUES (\(bind: id(entryID)), \(bind: id(entry.workerID)), \(bind: entry.kind),
            \(bind: Int64(entry.amountCents)), \(bind: maybeID(entry.projectID)), \(bind: maybeID(entry.taskID)), \(bind: maybeID(entry.timeEntryID)),
            \(bind: maybeID(entry.reversesID)), \(bind: maybeID(entry.payoutID)), \(bind: entry.memo), \(bind: maybeID(entry.createdBy)),
            \(bind: entry.earnedAt), \(bind: now))
            """).run()
        return entryID
    }

    /// Whether the worker was already paid for the task on a per-task project.
    public func taskPaid(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT id FROM ledger_entries WHERE task_id = \(bind: id(taskID)) AND worker_id = \(bind: id(workerID)) AND kind = 'work'
            AND time_entry_id IS NULL
            """).first() != nil
    }

    /// The work entries of a worker's task not yet reversed (what a later rejection reverses).
    public func unreversedWork(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> [(id: UUID, amountCents: Int, projectID: UUID?)] {
        try await sql.raw("""
            SELECT e.id, e.amount_cents, e.project_id FROM ledger_entries e WHERE e.task_id = \(bind: id(taskID)) AND e.worker_id = \(bind: id(workerID))
            AND e.kind = 'work' AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)
            """).all().map { row in
            (try row.uuid("id"), Int(try row.int64("amount_cents")), try row.decodeNil(column: "project_id") ? nil : try row.uuid("project_id"))
        }
    }

    public struct EntryRow: Sendable {
        public var id: UUID
        public var workerID: UUID
        public var kind: String
        public var amountCents: Int
        public var projectID: UUID?
        public var projectName: String?
        public var taskID: UUID?
        public var memo: String
        public var createdBy: String?
        public var earnedAt: Double
        public var createdAt: Double
        public var periodID: UUID?
        public var paid: Bool
    }

    /// A worker's entries, newest first, `limit` of them from before the entry `before` (keyset pages).
    public func entries(workerID: UUID, limit: Int, before: UUID?) async throws -> [EntryRow] {
        var query = SQLQueryString("""
            SELECT e.id, e.worker_id, e.kind, e.amount_cents, e.project_id, p.name AS project_name, e.task_id, e.memo, u.email AS created_by,
            e.earned_at, e.created_at, po.period_id, pi.entry_id AS paid_entry, pe.period_id AS payout_period
            FROM ledger_entries e LEFT JOIN projects p ON p.id = e.project_id LEFT JOIN users u ON u.id = e.created_by
            LEFT JOIN payout_items pi ON pi.entry_id = e.id LEFT JOIN payouts po ON po.id = pi.payout_id
            LEFT JOIN payouts pe ON pe.id = e.payout_id
            WHERE e.worker_id = 
            """)
        query.appendInterpolation(bind: id(workerID))
        if let before, let anchor = try await sql.raw("SELECT created_at FROM ledger_entries WHERE id = \(bind: id(before))").first() {
            let createdAt = try anchor.double("created_at")
            query.appendLiteral(" AND (e.created_at < ")
            query.appendInterpolation(bind: createdAt)
            query.appendLiteral(" OR (e.created_at = ")
            query.appendInterpolation(bind: createdAt)
            query.appendLiteral(" AND e.id < ")
            query.appendInterpolation(bind: id(before))
            query.appendLiteral("))")
        }
        query.appendLiteral(" ORDER BY e.created_at DESC, e.id DESC LIMIT ")
        query.appendInterpolation(bind: limit)
        return try await sql.raw(query).all().map { row in
            let kind = try row.text("kind")
            let paidPeriod = try row.decodeNil(column: "period_id") ? nil : try row.uuid("period_id")
            let payoutPeriod = try row.decodeNil(column: "payout_period") ? nil : try row.uuid("payout_period")
            return EntryRow(id: try row.uuid("id"), workerID: try row.uuid("worker_id"), kind: kind, amountCents: Int(try row.int64("amount_cents")),
                            projectID: try row.decodeNil(column: "project_id") ? nil : try row.uuid("project_id"),
                            projectName: try row.optionalText("project_name"),
                            taskID: try row.decodeNil(column: "task_id") ? nil : try row.uuid("task_id"), memo: try row.text("memo"),
                            createdBy: try row.optionalText("created_by"), earnedAt: try row.double("earned_at"), createdAt: try row.double("created_at"),
                            periodID: paidPeriod ?? payoutPeriod, paid: paidPeriod != nil || kind == "payout")
        }
    }

    public struct Totals: Sendable {
        public var balanceCents: Int
        public var paidCents: Int
    }

    /// The balance (every entry) and what payouts paid to date.
    public func totals(workerID: UUID) async throws -> Totals {
        let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("amount_cents")) AS balance,
            \(unsafeRaw: Self.sum("CASE WHEN kind = 'payout' THEN -amount_cents ELSE 0 END")) AS paid
            FROM ledger_entries WHERE worker_id = \(bind: id(workerID))
            """).first()
        return Totals(balanceCents: Int(try row?.int64("balance") ?? 0), paidCents: Int(try row?.int64("paid") ?? 0))
    }

    /// The sum of a worker's non-payout entries earned in [from, to).
    public func earned(workerID: UUID, from: Double, to: Double) async throws -> Int {
        Int(try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("amount_cents")) AS total FROM ledger_entries WHERE worker_id = \(bind: id(workerID))
            AND kind <> 'payout' AND earned_at >= \(bind: from) AND earned_at < \(bind: to)
            """).first()?.int64("total") ?? 0)
    }

    /// The worker's open, unrejected hourly time (valued by the caller).
    public func openTime(workerID: UUID) async throws -> [TimeEntryRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t WHERE t.worker_id = \(bind: id(workerID)) AND t.status = 'open'
            """).all().map(Self.timeEntry(from:))
    }

    /// The projects a worker has time on.
    public func projectsWorked(workerID: UUID) async throws -> [UUID] {
        try await sql.raw("SELECT DISTINCT project_id FROM time_entries WHERE worker_id = \(bind: id(workerID))").all().map { try $0.uuid("project_id") }
    }

    // MARK: Timesheet

    public struct TimesheetRow: Sendable {
        public var entry: TimeEntryRow
        public var projectName: String
    }

    public func timeEntries(workerID: UUID, fromDay: String, toDay: String) async throws -> [TimesheetRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns), p.name AS project_name FROM time_entries t JOIN projects p ON p.id = t.project_id
            WHERE t.worker_id = \(bind: id(workerID)) AND t.day >= \(bind: fromDay) AND t.day <= \(bind: toDay) ORDER BY t.day, t.first_at
            """).all().map { TimesheetRow(entry: try Self.timeEntry(from: $0), projectName: try $0.text("project_name")) }
    }

    /// A worker's first-version submissions in [from, to): project, name and time.
    public func submissions(workerID: UUID, from: Double, to: Double) async throws -> [(projectID: UUID, projectName: String, at: Double)] {
        try await sql.raw("""
            SELECT a.project_id, p.name, a.created_at FROM annotations a JOIN projects p ON p.id = a.project_id
            WHERE a.worker_id = \(bind: id(workerID)) AND a.version = 1 AND a.created_at >= \(bind: from) AND a.created_at < \(bind: to)
            """).all().map { (try $0.uuid("project_id"), try $0.text("name"), try $0.double("created_at")) }
    }

    /// A worker's per-task work entries earned in [from, to).
    public func taskPay(workerID: UUID, from: Double, to: Double) async throws -> [(projectID: UUID, projectName: String, cents: Int, at: Double)] {
        try await sql.raw("""
            SELECT e.project_id, p.name, e.amount_cents, e.earned_at FROM ledger_entries e JOIN projects p ON p.id = e.project_id
            WHERE e.worker_id = \(bind: id(workerID)) AND e.kind = 'work' AND e.time_entry_id IS NULL
            AND e.earned_at >= \(bind: from) AND e.earned_at < \(bind: to)
            AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)
            """).all().map { (try $0.uuid("project_id"), try $0.text("name"), Int(try $0.int64("amount_cents")), try $0.double("earned_at")) }
    }

    public func notes(workerID: UUID, fromDay: String, toDay: String) async throws -> [String: String] {
        var notes: [String: String] = [:]
        for row in try await sql.raw("""
            SELECT day, note FROM timesheet_notes WHERE worker_id = \(bind: id(workerID)) AND day >= \(bind: fromDay) AND day <= \(bind: toDay)
            """).all() {
            notes[try row.text("day")] = try row.text("note")
        }
        return notes
    }

    public func setNote(workerID: UUID, day: String, note: String, now: Double) async throws {
        try await store.writeStatement { sql in
            if note.isEmpty {
                try await sql.raw("DELETE FROM timesheet_notes WHERE worker_id = \(bind: self.id(workerID)) AND day = \(bind: day)").run()
            } else {
                try await sql.raw("""
                    INSERT INTO timesheet_notes (worker_id, day, note, updated_at) VALUES (\(bind: self.id(workerID)), \(bind: day), \(bind: note), \(bind: now))
                    ON CONFLICT (worker_id, day) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at
                    """).run()
            }
        }
    }

    // MARK: Pay periods

    public struct PeriodRow: Sendable {
        public var id: UUID
        public var startsAt: Double
        public var endsAt: Double
        public var closedBy: String?
        public var closedAt: Double
        public var totalCents: Int
        public var workers: Int
    }

    static func period(from row: any SQLRow) throws -> PeriodRow {
        PeriodRow(id: try row.uuid("id"), startsAt: try row.double("starts_at"), endsAt: try row.double("ends_at"),
                  closedBy: try row.optionalText("email"), closedAt: try row.double("closed_at"),
                  totalCents: Int(try row.int64("total_cents")), workers: try row.int("workers"))
    }

    public func periods(on sql: (any SQLDatabase)? = nil) async throws -> [PeriodRow] {
        try await (sql ?? self.sql).raw("""
            SELECT pp.id, pp.starts_at, pp.ends_at, pp.closed_at, pp.total_cents, pp.workers, u.email
            FROM pay_periods pp LEFT JOIN users u ON u.id = pp.closed_by ORDER BY pp.ends_at DESC
            """).all().map(Self.period(from:))
    }

    public func period(id periodID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> PeriodRow? {
        try await (sql ?? self.sql).raw("""
            SELECT pp.id, pp.starts_at, pp.ends_at, pp.closed_at, pp.total_cents, pp.workers, u.email
            FROM pay_periods pp LEFT JOIN users u ON u.id = pp.closed_by WHERE pp.id = \(bind: id(periodID))
            """).first().map(Self.period(from:))
    }

    public struct PayoutRow: Sendable {
        public var workerID: UUID
        public var name: String
        public var email: String
        public var amountCents: Int
        public var entries: Int
    }

    public func payouts(periodID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> [PayoutRow] {
        try await (sql ?? self.sql).raw("""
            SELECT po.worker_id, u.name, u.email, po.amount_cents, po.entries FROM payouts po JOIN users u ON u.id = po.worker_id
            WHERE po.period_id = \(bind: id(periodID)) ORDER BY u.email
            """).all().map { row in
            PayoutRow(workerID: try row.uuid("worker_id"), name: try row.text("name"), email: try row.text("email"),
                      amountCents: Int(try row.int64("amount_cents")), entries: try row.int("entries"))
        }
    }

    /// Serializes closes: the settings row is locked for the rest of the transaction (PostgreSQL).
    public func lockForClose(on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE pay_settings SET updated_at = updated_at WHERE id = 1").run()
    }

    public func period(endingAt time: Double, on sql: any SQLDatabase) async throws -> PeriodRow? {
        try await sql.raw("""
            SELECT pp.id, pp.starts_at, pp.ends_at, pp.closed_at, pp.total_cents, pp.workers, u.email
            FROM pay_periods pp LEFT JOIN users u ON u.id = pp.closed_by WHERE pp.ends_at = \(bind: time)
            """).first().map(Self.period(from:))
    }

    public func lastEnd(on sql: (any SQLDatabase)? = nil) async throws -> Double? {
        try await (sql ?? self.sql).raw("SELECT MAX(ends_at) AS last FROM pay_periods").first()?.optionalDouble("last")
    }

    /// Unpaid, non-payout entries earned before `time`, every worker.
    public func unpaid(before time: Double, on sql: any SQLDatabase) async throws -> [(entryID: UUID, workerID: UUID, amountCents: Int, earnedAt: Double)] {
        try await sql.raw("""
            SELECT e.id, e.worker_id, e.amount_cents, e.earned_at FROM ledger_entries e
            WHERE e.kind <> 'payout' AND e.earned_at < \(bind: time) AND NOT EXISTS (SELECT 1 FROM payout_items pi WHERE pi.entry_id = e.id)
            """).all().map { (try $0.uuid("id"), try $0.uuid("worker_id"), Int(try $0.int64("amount_cents")), try $0.double("earned_at")) }
    }

    /// Unpaid, non-payout entries of everyone: their sum.
    public func unpaidTotal() async throws -> Int {
        Int(try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("e.amount_cents")) AS total FROM ledger_entries e
            WHERE e.kind <> 'payout' AND NOT EXISTS (SELECT 1 FROM payout_items pi WHERE pi.entry_id = e.id)
            """).first()?.int64("total") ?? 0)
    }

    public func insertPeriod(id periodID: UUID, startsAt: Double, endsAt: Double, closedBy: UUID, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO pay_periods (id, starts_at, ends_at, closed_by, closed_at, total_cents, workers)
            VALUES (\(bind: id(periodID)), \(bind: startsAt), \(bind: endsAt), \(bind: id(closedBy)), \(bind: now), 0, 0)
            """).run()
    }

    public func finishPeriod(id periodID: UUID, totalCents: Int, workers: Int, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE pay_periods SET total_cents = \(bind: Int64(totalCents)), workers = \(bind: workers) WHERE id = \(bind: id(periodID))
            """).run()
    }

    /// A payout with the entries it pays (each entry once: `payout_items` is keyed by the entry).
    public func insertPayout(id payoutID: UUID, periodID: UUID, workerID: UUID, amountCents: Int, entryIDs: [UUID], now: Double,
                             on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO payouts (id, period_id, worker_id, amount_cents, entries, created_at)
            VALUES (\(bind: id(payoutID)), \(bind: id(periodID)), \(bind: id(workerID)), \(bind: Int64(amountCents)), \(bind: entryIDs.count), \(bind: now))
            """).run()
        for chunk in stride(from: 0, to: entryIDs.count, by: 200).map({ Array(entryIDs[$0..<min($0 + 200, entryIDs.count)]) }) {
            var query = SQLQueryString("INSERT INTO payout_items (entry_id, payout_id) VALUES ")
            for (index, entryID) in chunk.enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendLiteral("(")
                query.appendInterpolation(bind: id(entryID))
                query.appendLiteral(", ")
                query.appendInterpolation(bind: id(payoutID))
                query.appendLiteral(")")
            }
            try await sql.raw(query).run()
        }
    }

    // MARK: Cost

    public struct ProjectSpend: Sendable {
        public var ledgerCents: Int
        public var openTime: [TimeEntryRow]
        public var paidMilliseconds: Int64
    }

    /// What a project's work cost: its ledger entries, its open time and its unrejected milliseconds.
    public func spend(projectID: UUID) async throws -> ProjectSpend {
        let ledger = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("amount_cents")) AS total FROM ledger_entries WHERE project_id = \(bind: id(projectID)) AND kind <> 'payout'
            """).first()?.int64("total") ?? 0
        let open = try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t WHERE t.project_id = \(bind: id(projectID)) AND t.status = 'open'
            """).all().map(Self.timeEntry(from:))
        let milliseconds = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("active_ms")) AS ms FROM time_entries WHERE project_id = \(bind: id(projectID)) AND rejected_reason IS NULL
            """).first()?.int64("ms") ?? 0
        return ProjectSpend(ledgerCents: Int(ledger), openTime: open, paidMilliseconds: milliseconds)
    }

    /// The condition for an accepted annotation `a`: the current version of a chain not rejected, on a task
    /// that is not gold and has its final answer.
    static let accepted = """
        a.is_current = 1 AND a.status <> 'rejected' AND NOT EXISTS (SELECT 1 FROM gold_answers g WHERE g.task_id = a.task_id)
        AND EXISTS (SELECT 1 FROM final_answers f WHERE f.task_id = a.task_id)
        """

    public func acceptedCount(projectID: UUID) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM annotations a WHERE a.project_id = \(bind: id(projectID)) AND \(unsafeRaw: Self.accepted)
            """).first()?.int("n") ?? 0
    }

    /// Annotations still to be made: each non-gold task's target less its answers.
    public func remaining(projectID: UUID) async throws -> Int {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("CASE WHEN t.target > t.annotation_count THEN t.target - t.annotation_count ELSE 0 END")) AS n FROM tasks t
            WHERE t.project_id = \(bind: id(projectID)) AND NOT EXISTS (SELECT 1 FROM gold_answers g WHERE g.task_id = t.id)
            """).first()?.int("n") ?? 0
    }

    /// Active milliseconds per accepted annotation created since `since` (its worker's time on its task).
    public func acceptedMilliseconds(projectID: UUID, since: Double) async throws -> [Int64] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.sum("t.active_ms")) AS ms FROM annotations a
            JOIN time_entries t ON t.task_id = a.task_id AND t.worker_id = a.worker_id
            WHERE a.project_id = \(bind: id(projectID)) AND a.created_at >= \(bind: since) AND \(unsafeRaw: Self.accepted)
            GROUP BY a.id
            """).all().map { try $0.int64("ms") }
    }

    /// Workers' unrejected milliseconds on the project since `since`, per worker.
    public func recentWorkers(projectID: UUID, sinceDay: String) async throws -> [(workerID: UUID, milliseconds: Int64)] {
        try await sql.raw("""
            SELECT worker_id, \(unsafeRaw: Self.sum("active_ms")) AS ms FROM time_entries WHERE project_id = \(bind: id(projectID))
            AND day >= \(bind: sinceDay) AND rejected_reason IS NULL GROUP BY worker_id
            """).all().map { (try $0.uuid("worker_id"), try $0.int64("ms")) }
    }

    public struct CostSeries: Sendable {
        public var spendByDay: [String: Int]
        public var acceptedByDay: [String: Int]
        public var millisecondsByDay: [String: Int64]
    }

    /// Per-day spend (ledger entries by the day earned, open time by its day), accepted annotations and
    /// unrejected milliseconds from `from` (a time) and `fromDay` on.
    public func series(projectID: UUID, from: Double, fromDay: String) async throws -> CostSeries {
        var series = CostSeries(spendByDay: [:], acceptedByDay: [:], millisecondsByDay: [:])
        for row in try await sql.raw("""
            SELECT amount_cents, earned_at FROM ledger_entries WHERE project_id = \(bind: id(projectID)) AND kind <> 'payout'
            AND earned_at >= \(bind: from)
            """).all() {
            series.spendByDay[ActiveTime.day(try row.double("earned_at")), default: 0] += Int(try row.int64("amount_cents"))
        }
        for row in try await sql.raw("""
            SELECT \(unsafeRaw: Self.timeColumns) FROM time_entries t WHERE t.project_id = \(bind: id(projectID)) AND t.day >= \(bind: fromDay)
            """).all() {
            let entry = try Self.timeEntry(from: row)
            if entry.rejectedReason == nil { series.millisecondsByDay[entry.day, default: 0] += entry.milliseconds }
            if entry.status == "open" { series.spendByDay[entry.day, default: 0] += entry.valueCents }
        }
        for row in try await sql.raw("""
            SELECT a.created_at FROM annotations a WHERE a.project_id = \(bind: id(projectID)) AND a.created_at >= \(bind: from)
            AND \(unsafeRaw: Self.accepted)
            """).all() {
            series.acceptedByDay[ActiveTime.day(try row.double("created_at")), default: 0] += 1
        }
        return series
    }
}

extension SQLRow {
    func optionalInt(_ column: String) throws -> Int? {
        try decodeNil(column: column) ? nil : decode(column: column, as: Int.self)
    }
}
