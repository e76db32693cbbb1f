import FluentKit
import SQLKit

// The expert workforce (the workforce issue): workers' status and profiles, status history, notifications and
// the e-mail outbox, tracks with rates, assessments and one-attempt attempts, grades, qualifications,
// credentials, projects' requirements, rate and listing, alerts sent and the audit log.

struct CreateWorkforce: AsyncMigration {
    var name: String { "017_CreateWorkforce" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let id = idType(sql)
        let time = "DOUBLE PRECISION"
        // Accounts made by an admin (the command line, the demo) are approved workers; applicants start as applicants.
        try await sql.raw("ALTER TABLE users ADD COLUMN worker_status TEXT NOT NULL DEFAULT 'approved'").run()
        for column in [
            "requirements TEXT NOT NULL DEFAULT '{}'", "rate_cents INTEGER", "listing TEXT NOT NULL DEFAULT '{}'",
            "expected_seconds INTEGER",
        ] {
            try await sql.raw("ALTER TABLE projects ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await sql.raw("""
            CREATE TABLE worker_profiles (user_id \(unsafeRaw: id) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            profile TEXT NOT NULL, path TEXT NOT NULL, country TEXT, hours_per_week INTEGER NOT NULL DEFAULT 0,
            submitted_at \(unsafeRaw: time), updated_at \(unsafeRaw: time) NOT NULL,
            alerts INTEGER NOT NULL DEFAULT 0, unsubscribe_token TEXT NOT NULL UNIQUE)
            """).run()
        try await sql.raw("""
            CREATE TABLE status_changes (id \(unsafeRaw: id) PRIMARY KEY, user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            from_status TEXT, to_status TEXT NOT NULL, reason TEXT, actor_id \(unsafeRaw: id), created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX status_changes_user ON status_changes (user_id, created_at)").run()
        try await sql.raw("""
            CREATE TABLE notifications (id \(unsafeRaw: id) PRIMARY KEY, user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, link TEXT, created_at \(unsafeRaw: time) NOT NULL, read_at \(unsafeRaw: time))
            """).run()
        try await sql.raw("CREATE INDEX notifications_user ON notifications (user_id, created_at)").run()
        // Mail waits here until the operator's mail service has taken it; nothing is lost without one.
        try await sql.raw("""
            CREATE TABLE outbox (id \(unsafeRaw: id) PRIMARY KEY, user_id \(unsafeRaw: id), to_address TEXT NOT NULL, subject TEXT NOT NULL,
            body TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            next_attempt_at \(unsafeRaw: time) NOT NULL, created_at \(unsafeRaw: time) NOT NULL, sent_at \(unsafeRaw: time))
            """).run()
        try await sql.raw("CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'").run()
        try await sql.raw("""
            CREATE TABLE tracks (id TEXT PRIMARY KEY, name TEXT NOT NULL, family TEXT NOT NULL, base_rate_cents INTEGER NOT NULL,
            eligibility TEXT NOT NULL, position INTEGER NOT NULL, updated_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("""
            CREATE TABLE assessments (id \(unsafeRaw: id) PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT NOT NULL,
            kind TEXT NOT NULL, path TEXT, time_limit_s INTEGER NOT NULL, attempts_allowed INTEGER NOT NULL, unlocks TEXT NOT NULL,
            definition TEXT NOT NULL, created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        // One attempt per (normalised e-mail, assessment, attempt number): the database refuses a second first
        // attempt, whatever the page or a second account does.
        try await sql.raw("""
            CREATE TABLE assessment_attempts (id \(unsafeRaw: id) PRIMARY KEY, assessment_id \(unsafeRaw: id) NOT NULL REFERENCES assessments (id),
            user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE, email_key TEXT NOT NULL, attempt_no INTEGER NOT NULL,
            status TEXT NOT NULL, started_at \(unsafeRaw: time) NOT NULL, deadline_at \(unsafeRaw: time) NOT NULL, answers TEXT NOT NULL,
            saved_at \(unsafeRaw: time), submitted_at \(unsafeRaw: time), auto_scores TEXT, auto_score \(unsafeRaw: time),
            human_score \(unsafeRaw: time), score \(unsafeRaw: time), reasons TEXT, decided_by \(unsafeRaw: id), decided_at \(unsafeRaw: time))
            """).run()
        try await sql.raw("CREATE UNIQUE INDEX attempts_one_per_email ON assessment_attempts (email_key, assessment_id, attempt_no)").run()
        try await sql.raw("CREATE INDEX attempts_user ON assessment_attempts (user_id, started_at)").run()
        try await sql.raw("CREATE INDEX attempts_grading ON assessment_attempts (submitted_at) WHERE status = 'pending'").run()
        try await sql.raw("""
            CREATE TABLE grades (attempt_id \(unsafeRaw: id) NOT NULL REFERENCES assessment_attempts (id) ON DELETE CASCADE, item_id TEXT NOT NULL,
            grader_id \(unsafeRaw: id) NOT NULL, points TEXT NOT NULL, total \(unsafeRaw: time) NOT NULL, comment TEXT,
            created_at \(unsafeRaw: time) NOT NULL, PRIMARY KEY (attempt_id, item_id))
            """).run()
        try await sql.raw("""
            CREATE TABLE qualifications (user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE, track_id TEXT NOT NULL,
            source TEXT NOT NULL, attempt_id \(unsafeRaw: id), granted_by \(unsafeRaw: id), reason TEXT, granted_at \(unsafeRaw: time) NOT NULL,
            active INTEGER NOT NULL, inactive_reason TEXT, expires_at \(unsafeRaw: time), PRIMARY KEY (user_id, track_id))
            """).run()
        try await sql.raw("CREATE INDEX qualifications_track ON qualifications (track_id) WHERE active = 1").run()
        try await sql.raw("""
            CREATE TABLE credentials (id \(unsafeRaw: id) PRIMARY KEY, user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            type TEXT NOT NULL, issuer TEXT NOT NULL, number TEXT NOT NULL, year INTEGER, expires_on TEXT,
            document_sha TEXT, document_name TEXT, document_type TEXT, document_size INTEGER,
            status TEXT NOT NULL, note TEXT, reviewed_by \(unsafeRaw: id), reviewed_at \(unsafeRaw: time), created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX credentials_user ON credentials (user_id, created_at)").run()
        try await sql.raw("CREATE INDEX credentials_pending ON credentials (created_at) WHERE status = 'pending'").run()
        // An alert goes to a worker once per project and event (opened, or grew on a given day).
        try await sql.raw("""
            CREATE TABLE alerts_sent (user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id) ON DELETE CASCADE, project_id \(unsafeRaw: id) NOT NULL,
            event TEXT NOT NULL, created_at \(unsafeRaw: time) NOT NULL, PRIMARY KEY (user_id, project_id, event))
            """).run()
        try await sql.raw("""
            CREATE TABLE audit_events (id \(unsafeRaw: id) PRIMARY KEY, actor_id \(unsafeRaw: id), action TEXT NOT NULL, subject_type TEXT NOT NULL,
            subject_id TEXT NOT NULL, detail TEXT NOT NULL, created_at \(unsafeRaw: time) NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX audit_events_time ON audit_events (created_at)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in ["audit_events", "alerts_sent", "credentials", "qualifications", "grades", "assessment_attempts", "assessments",
                      "tracks", "outbox", "notifications", "status_changes", "worker_profiles"] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}
