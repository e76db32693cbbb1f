import FluentKit
import SQLKit

// Time and pay (the pay issue): the admin's pay settings, each project's rate history, the activity clock of
// each worker and its tabs, time entries (active milliseconds per worker, task, day and rate), the append-only
// ledger, pay periods with their payouts and the entries each paid, and the worker's notes on timesheet days.

struct CreatePay: AsyncMigration {
    var name: String { "018_CreatePay" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let id = idType(sql)
        let time = "DOUBLE PRECISION"
        try await sql.raw("""
            CREATE TABLE pay_settings (id INTEGER PRIMARY KEY, settings TEXT NOT NULL, updated_by \(unsafeRaw: id),
            updated_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("INSERT INTO pay_settings (id, settings, updated_at) VALUES (1, '{}', 0)").run()

        // How a project pays from a moment on. The latest change whose effective time has come is in force;
        // none: the project's own `rate_cents` (or its minimum), hourly.
        try await sql.raw("""
            CREATE TABLE rate_changes (id \(unsafeRaw: id) PRIMARY KEY, project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            mode TEXT NOT NULL, rate_cents INTEGER, task_rate_cents INTEGER, effective_at \(unsafeRaw: time) NOT NULL,
            reason TEXT NOT NULL, created_by \(unsafeRaw: id), created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX rate_changes_project ON rate_changes (project_id, effective_at)").run()

        // Each worker's activity clock: time up to `credited_until` is credited (to one task) and never again;
        // the last ping of each tab, so a duplicate counts once.
        try await sql.raw("""
            CREATE TABLE activity_clocks (worker_id \(unsafeRaw: id) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            credited_until \(unsafeRaw: time) NOT NULL, updated_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("""
            CREATE TABLE activity_tabs (worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE, tab TEXT NOT NULL,
            last_seq BIGINT NOT NULL, last_at \(unsafeRaw: time) NOT NULL, PRIMARY KEY (worker_id, tab))
            """).run()

        // Active time: one open row per worker, task, UTC day, rate and multiplier, growing with each ping;
        // posting freezes it (and pays it, when hourly and not rejected).
        try await sql.raw("""
            CREATE TABLE time_entries (id \(unsafeRaw: id) PRIMARY KEY, worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE, task_id \(unsafeRaw: id) NOT NULL,
            day TEXT NOT NULL, active_ms BIGINT NOT NULL, mode TEXT NOT NULL, base_rate_cents INTEGER NOT NULL,
            multiplier_bp INTEGER NOT NULL, first_at \(unsafeRaw: time) NOT NULL, last_at \(unsafeRaw: time) NOT NULL,
            status TEXT NOT NULL, rejected_reason TEXT, rejected_at \(unsafeRaw: time), ledger_entry_id \(unsafeRaw: id),
            created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX time_entries_worker_day ON time_entries (worker_id, day)").run()
        try await sql.raw("CREATE INDEX time_entries_task ON time_entries (task_id, worker_id)").run()
        try await sql.raw("CREATE INDEX time_entries_project_day ON time_entries (project_id, day)").run()
        try await sql.raw("CREATE INDEX time_entries_open ON time_entries (last_at) WHERE status = 'open'").run()

        // The ledger: append-only; a correction is a new entry. A work entry pays one time entry (or, on a
        // per-task project, one task) at most once, and an entry is reversed at most once, by the database's keys.
        try await sql.raw("""
            CREATE TABLE ledger_entries (id \(unsafeRaw: id) PRIMARY KEY, worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL, amount_cents BIGINT NOT NULL, project_id \(unsafeRaw: id), task_id \(unsafeRaw: id),
            time_entry_id \(unsafeRaw: id), reverses_id \(unsafeRaw: id), payout_id \(unsafeRaw: id), memo TEXT NOT NULL,
            created_by \(unsafeRaw: id), earned_at \(unsafeRaw: time) NOT NULL, created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX ledger_worker ON ledger_entries (worker_id, created_at)").run()
        try await sql.raw("CREATE INDEX ledger_project ON ledger_entries (project_id, earned_at)").run()
        try await sql.raw("CREATE UNIQUE INDEX ledger_time_entry ON ledger_entries (time_entry_id) WHERE time_entry_id IS NOT NULL").run()
        try await sql.raw("CREATE UNIQUE INDEX ledger_task_pay ON ledger_entries (task_id, worker_id) WHERE kind = 'work' AND time_entry_id IS NULL").run()
        try await sql.raw("CREATE UNIQUE INDEX ledger_reversal ON ledger_entries (reverses_id) WHERE reverses_id IS NOT NULL").run()

        try await sql.raw("""
            CREATE TABLE pay_periods (id \(unsafeRaw: id) PRIMARY KEY, starts_at \(unsafeRaw: time) NOT NULL, ends_at \(unsafeRaw: time) NOT NULL UNIQUE,
            closed_by \(unsafeRaw: id), closed_at \(unsafeRaw: time) NOT NULL, total_cents BIGINT NOT NULL, workers INTEGER NOT NULL)
            """).run()
        try await sql.raw("""
            CREATE TABLE payouts (id \(unsafeRaw: id) PRIMARY KEY, period_id \(unsafeRaw: id) NOT NULL REFERENCES pay_periods (id),
            worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id), amount_cents BIGINT NOT NULL, entries INTEGER NOT NULL,
            created_at \(unsafeRaw: time) NOT NULL, UNIQUE (period_id, worker_id))
            """).run()
        try await sql.raw("""
            CREATE TABLE payout_items (entry_id \(unsafeRaw: id) PRIMARY KEY REFERENCES ledger_entries (id),
            payout_id \(unsafeRaw: id) NOT NULL REFERENCES payouts (id))
            """).run()
        try await sql.raw("CREATE INDEX payout_items_payout ON payout_items (payout_id)").run()

        try await sql.raw("""
            CREATE TABLE timesheet_notes (worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE, day TEXT NOT NULL,
            note TEXT NOT NULL, updated_at \(unsafeRaw: time) NOT NULL, PRIMARY KEY (worker_id, day))
            """).run()
        // The timesheet counts a worker's submissions per day.
        try await sql.raw("CREATE INDEX annotations_worker_time ON annotations (worker_id, created_at) WHERE version = 1").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX annotations_worker_time").run()
        for table in ["timesheet_notes", "payout_items", "payouts", "pay_periods", "ledger_entries", "time_entries",
                      "activity_tabs", "activity_clocks", "rate_changes", "pay_settings"] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}
