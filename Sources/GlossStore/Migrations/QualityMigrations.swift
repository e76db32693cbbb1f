import FluentKit
import SQLKit

// Layered quality control (the quality issue): versioned guidelines, annotation version chains, gold
// answers and their scores, review and rework queues, flags, project reviewers, final answers per task and
// each worker's standing on a project.

struct CreateQualityControl: AsyncMigration {
    var name: String { "016_CreateQualityControl" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let id = idType(sql)
        // Projects: the policy (JSON, `{}` = the defaults) and the guidelines' current version.
        try await sql.raw("ALTER TABLE projects ADD COLUMN quality_policy TEXT NOT NULL DEFAULT '{}'").run()
        try await sql.raw("ALTER TABLE projects ADD COLUMN guidelines_version INTEGER NOT NULL DEFAULT 1").run()
        try await sql.raw("""
            CREATE TABLE guideline_versions (project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            version INTEGER NOT NULL, guidelines TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (project_id, version))
            """).run()
        try await sql.raw("INSERT INTO guideline_versions (project_id, version, guidelines, created_at) SELECT id, 1, guidelines, created_at FROM projects").run()

        // Annotations form chains: the worker's first version, then rework and corrections as new versions
        // (never an overwrite). `root_id` names the chain, `author_id` who wrote this version, `is_current`
        // marks the chain's latest version and `status` the chain's standing.
        for column in [
            "root_id \(id)", "author_id \(id)", "is_current INTEGER NOT NULL DEFAULT 1",
            "status TEXT NOT NULL DEFAULT 'submitted'", "origin TEXT NOT NULL DEFAULT 'worker'",
            "guidelines_version INTEGER NOT NULL DEFAULT 1", "soft_rules TEXT",
        ] {
            try await sql.raw("ALTER TABLE annotations ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await sql.raw("UPDATE annotations SET root_id = id, author_id = worker_id").run()
        try await sql.raw("CREATE INDEX annotations_root ON annotations (root_id, version)").run()
        try await sql.raw("CREATE INDEX annotations_worker ON annotations (project_id, worker_id) WHERE version = 1").run()

        // Gold: the answer lives apart from the task, so nothing a worker can read carries it.
        try await sql.raw("""
            CREATE TABLE gold_answers (task_id \(unsafeRaw: id) PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
            project_id \(unsafeRaw: id) NOT NULL, value TEXT NOT NULL, created_by \(unsafeRaw: id), created_at DOUBLE PRECISION NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX gold_answers_project ON gold_answers (project_id, created_at)").run()
        try await sql.raw("""
            CREATE TABLE gold_results (annotation_id \(unsafeRaw: id) PRIMARY KEY REFERENCES annotations (id) ON DELETE CASCADE,
            project_id \(unsafeRaw: id) NOT NULL, task_id \(unsafeRaw: id) NOT NULL, worker_id \(unsafeRaw: id) NOT NULL,
            score DOUBLE PRECISION NOT NULL, fields TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX gold_results_worker ON gold_results (project_id, worker_id)").run()

        // Review items: a spot check, a soft-rule confirmation, a rework to check, an escalation, an expert
        // sample or a flag, in the peer (`review`) or the `expert` stage.
        try await sql.raw("""
            CREATE TABLE reviews (id \(unsafeRaw: id) PRIMARY KEY, project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            task_id \(unsafeRaw: id) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, annotation_id \(unsafeRaw: id), root_id \(unsafeRaw: id),
            worker_id \(unsafeRaw: id), flag_id \(unsafeRaw: id), stage TEXT NOT NULL, reason TEXT NOT NULL, specialty TEXT,
            status TEXT NOT NULL, reviewer_id \(unsafeRaw: id), lease_expires_at DOUBLE PRECISION NOT NULL, verdict TEXT, comment TEXT,
            correction_id \(unsafeRaw: id), created_at DOUBLE PRECISION NOT NULL, decided_at DOUBLE PRECISION)
            """).run()
        try await sql.raw("CREATE INDEX reviews_queue ON reviews (project_id, stage, created_at) WHERE status <> 'done'").run()
        try await sql.raw("CREATE INDEX reviews_root ON reviews (root_id, created_at)").run()
        // `next` never hands a reviewer a task they reviewed (their answer would not be independent).
        try await sql.raw("CREATE INDEX reviews_task ON reviews (task_id, reviewer_id)").run()
        try await sql.raw("CREATE INDEX reviews_worker ON reviews (project_id, worker_id) WHERE status = 'done'").run()

        try await sql.raw("""
            CREATE TABLE rework (id \(unsafeRaw: id) PRIMARY KEY, project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            task_id \(unsafeRaw: id) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, worker_id \(unsafeRaw: id) NOT NULL,
            root_id \(unsafeRaw: id) NOT NULL, review_id \(unsafeRaw: id) NOT NULL, comment TEXT NOT NULL, status TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, done_at DOUBLE PRECISION)
            """).run()
        try await sql.raw("CREATE INDEX rework_open ON rework (worker_id, project_id, created_at) WHERE status = 'open'").run()

        try await sql.raw("""
            CREATE TABLE flags (id \(unsafeRaw: id) PRIMARY KEY, project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            task_id \(unsafeRaw: id) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, worker_id \(unsafeRaw: id) NOT NULL,
            kind TEXT NOT NULL, note TEXT NOT NULL, specialty TEXT, guidelines_version INTEGER NOT NULL, status TEXT NOT NULL,
            resolution TEXT, created_at DOUBLE PRECISION NOT NULL, resolved_at DOUBLE PRECISION)
            """).run()
        try await sql.raw("CREATE INDEX flags_project ON flags (project_id, created_at)").run()

        // Who may review a project (peer stage) or verify it (expert stage, with sub-specialties).
        try await sql.raw("""
            CREATE TABLE project_reviewers (project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id \(unsafeRaw: id) NOT NULL REFERENCES users (id), level TEXT NOT NULL, specialties TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (project_id, user_id))
            """).run()
        try await sql.raw("CREATE INDEX project_reviewers_user ON project_reviewers (user_id)").run()

        // The answer a task ends with: a consensus, a single reviewed answer, an adjudication or an accepted
        // pre-label, with the agreement among the answers it came from.
        try await sql.raw("""
            CREATE TABLE final_answers (task_id \(unsafeRaw: id) PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
            project_id \(unsafeRaw: id) NOT NULL, task_seq BIGINT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL,
            confidence DOUBLE PRECISION NOT NULL, agreement DOUBLE PRECISION NOT NULL, answers INTEGER NOT NULL,
            decided_by \(unsafeRaw: id), updated_at DOUBLE PRECISION NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX final_answers_project ON final_answers (project_id, task_seq)").run()
        try await sql.raw("CREATE INDEX final_answers_agreement ON final_answers (project_id, agreement) WHERE answers > 1").run()
        try await sql.raw("""
            CREATE TABLE consensus_scores (root_id \(unsafeRaw: id) PRIMARY KEY, project_id \(unsafeRaw: id) NOT NULL,
            task_id \(unsafeRaw: id) NOT NULL, worker_id \(unsafeRaw: id) NOT NULL, score DOUBLE PRECISION NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX consensus_scores_task ON consensus_scores (task_id)").run()

        // A worker's standing on a project, kept as running sums so no step ever re-counts a worker's history:
        // how many tasks and gold tasks they were served (gold is mixed in by these), their annotations, the
        // sums their quality score rests on, and the status that score gives.
        try await sql.raw("""
            CREATE TABLE worker_standing (project_id \(unsafeRaw: id) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            worker_id \(unsafeRaw: id) NOT NULL, served INTEGER NOT NULL DEFAULT 0, gold_served INTEGER NOT NULL DEFAULT 0,
            annotations INTEGER NOT NULL DEFAULT 0, gold_count INTEGER NOT NULL DEFAULT 0, gold_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
            review_count INTEGER NOT NULL DEFAULT 0, review_sum DOUBLE PRECISION NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
            corrected INTEGER NOT NULL DEFAULT 0, consensus_count INTEGER NOT NULL DEFAULT 0, consensus_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active', score DOUBLE PRECISION, observations INTEGER NOT NULL DEFAULT 0,
            updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (project_id, worker_id))
            """).run()
        try await sql.raw("CREATE INDEX worker_standing_worker ON worker_standing (worker_id)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in ["worker_standing", "consensus_scores", "final_answers", "project_reviewers", "flags", "rework", "reviews",
                      "gold_results", "gold_answers", "guideline_versions"] {
            try await sql.raw("DROP TABLE IF EXISTS \(unsafeRaw: table)").run()
        }
    }
}
