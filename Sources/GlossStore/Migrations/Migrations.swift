import FluentKit
import SQLKit

/// Every migration, in order. Each is small and named for what it does; never edit one that has shipped,
/// add the next.
public enum GlossMigrations {
    public static let all: [any AsyncMigration] = [
        CreateOrganizations(),
        CreateUsers(),
        CreateSessions(),
        CreateAPITokens(),
        CreateLoginFailures(),
        CreateProjects(),
        CreateTasks(),
        CreateAssignments(),
        CreateAnnotations(),
        CreateCounterTriggers(),
        CreateTaxonomies(),
        CreateModelEndpoints(),
        CreatePrelabelJobs(),
        CreateChatSessions(),
        CreateMedia(),
        CreateQualityControl(),
        CreateWorkforce(),
        CreatePay(),
        AddAudioAndPointClouds(),
    ]
}

struct CreateOrganizations: AsyncMigration {
    var name: String { "001_CreateOrganizations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            .id()
            .field("name", .string, .required)
            .field("created_at", .double, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organizations").delete()
    }
}

struct CreateUsers: AsyncMigration {
    var name: String { "002_CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("hotkeys", .string, .required)
            .field("created_at", .double, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}

struct CreateSessions: AsyncMigration {
    var name: String { "003_CreateSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .double, .required)
            .field("expires_at", .double, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "004_CreateAPITokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .double, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}

struct CreateLoginFailures: AsyncMigration {
    var name: String { "005_CreateLoginFailures" }

    func prepare(on database: any Database) async throws {
        try await database.schema("login_failures")
            .field("email", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("locked_until", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_failures").delete()
    }
}

struct CreateProjects: AsyncMigration {
    var name: String { "006_CreateProjects" }

    func prepare(on database: any Database) async throws {
        try await database.schema("projects")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("name", .string, .required)
            .field("schema", .string, .required)
            .field("guidelines", .string, .required)
            .field("overlap", .int, .required)
            .field("lease_seconds", .int, .required)
            .field("status", .string, .required)
            .field("next_task_seq", .int64, .required)
            .field("tasks_total", .int, .required)
            .field("tasks_done", .int, .required)
            .field("annotations_count", .int, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX projects_organization ON projects (organization_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("projects").delete()
    }
}

struct CreateTasks: AsyncMigration {
    var name: String { "007_CreateTasks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tasks")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("seq", .int64, .required)
            .field("external_id", .string)
            .field("data", .string, .required)
            .field("prelabels", .string, .required)
            .field("priority", .int, .required)
            .field("target", .int, .required)
            .field("load", .int, .required)
            .field("annotation_count", .int, .required)
            .field("created_at", .double, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE UNIQUE INDEX tasks_project_seq ON tasks (project_id, seq)").run()
        try await sql.raw("CREATE UNIQUE INDEX tasks_project_external_id ON tasks (project_id, external_id)").run()
        // The assignment hot path: open tasks of a project in priority order. Partial, so finished tasks
        // leave the index and `next` never walks past them.
        try await sql.raw("CREATE INDEX tasks_open_queue ON tasks (project_id, priority DESC, seq) WHERE load < target").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tasks").delete()
    }
}

struct CreateAssignments: AsyncMigration {
    var name: String { "008_CreateAssignments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("assignments")
            .id()
            .field("task_id", .uuid, .required, .references("tasks", "id", onDelete: .cascade))
            .field("project_id", .uuid, .required)
            .field("worker_id", .uuid, .required, .references("users", "id"))
            .field("status", .string, .required)
            .field("expires_at", .double, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE UNIQUE INDEX assignments_task_worker ON assignments (task_id, worker_id)").run()
        try await sql.raw("CREATE INDEX assignments_held ON assignments (worker_id, project_id, created_at) WHERE status = 'active'").run()
        try await sql.raw("CREATE INDEX assignments_expiry ON assignments (project_id, expires_at) WHERE status = 'active'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assignments").delete()
    }
}

struct CreateAnnotations: AsyncMigration {
    var name: String { "009_CreateAnnotations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("annotations")
            .id()
            .field("task_id", .uuid, .required, .references("tasks", "id", onDelete: .cascade))
            .field("project_id", .uuid, .required)
            .field("task_seq", .int64, .required)
            .field("worker_id", .uuid, .required, .references("users", "id"))
            .field("value", .string, .required)
            .field("time_spent_s", .double, .required)
            .field("version", .int, .required)
            .field("created_at", .double, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX annotations_project_seq ON annotations (project_id, task_seq)").run()
        try await sql.raw("CREATE INDEX annotations_task ON annotations (task_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("annotations").delete()
    }
}

/// Keeps the counters that the assignment policy reads (a task's `load`, `annotation_count`, a project's
/// `annotations_count` and `tasks_done`) in triggers, so every lease, skip, expiry and submit is one atomic
/// statement: no window in which a crash could leave a counter and its rows disagreeing, and fewer round
/// trips on the hot path.
///
/// A task's load is its active leases plus its annotations: active -> submitted keeps it, active -> skipped
/// or expired lowers it, a new or revived active lease raises it. A first-version annotation closes the
/// worker's lease.
struct CreateCounterTriggers: AsyncMigration {
    var name: String { "010_CreateCounterTriggers" }

    static let loadDelta = """
        (CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END)
        - (CASE WHEN OLD.status = 'active' AND NEW.status IN ('skipped', 'expired') THEN 1 ELSE 0 END)
        """

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TRIGGER assignments_lease_taken AFTER INSERT ON assignments WHEN NEW.status = 'active'
                BEGIN UPDATE tasks SET load = load + 1 WHERE id = NEW.task_id; END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER assignments_lease_changed AFTER UPDATE OF status ON assignments WHEN OLD.status <> NEW.status
                BEGIN UPDATE tasks SET load = load + \(unsafeRaw: Self.loadDelta) WHERE id = NEW.task_id; END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER annotations_submitted AFTER INSERT ON annotations WHEN NEW.version = 1
                BEGIN
                  UPDATE assignments SET status = 'submitted', updated_at = NEW.created_at
                    WHERE task_id = NEW.task_id AND worker_id = NEW.worker_id AND status = 'active';
                  UPDATE tasks SET annotation_count = annotation_count + 1 WHERE id = NEW.task_id;
                  UPDATE projects SET annotations_count = annotations_count + 1,
                    tasks_done = tasks_done + (SELECT CASE WHEN annotation_count = target THEN 1 ELSE 0 END FROM tasks WHERE id = NEW.task_id)
                    WHERE id = NEW.project_id;
                END
                """).run()
        } else {
            try await sql.raw("""
                CREATE FUNCTION gloss_assignment_load() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    IF NEW.status = 'active' THEN UPDATE tasks SET load = load + 1 WHERE id = NEW.task_id; END IF;
                  ELSIF OLD.status <> NEW.status THEN
                    UPDATE tasks SET load = load + \(unsafeRaw: Self.loadDelta) WHERE id = NEW.task_id;
                  END IF;
                  RETURN NULL;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER assignments_load AFTER INSERT OR UPDATE OF status ON assignments
                FOR EACH ROW EXECUTE FUNCTION gloss_assignment_load()
                """).run()
            try await sql.raw("""
                CREATE FUNCTION gloss_annotation_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE done integer;
                BEGIN
                  UPDATE assignments SET status = 'submitted', updated_at = NEW.created_at
                    WHERE task_id = NEW.task_id AND worker_id = NEW.worker_id AND status = 'active';
                  UPDATE tasks SET annotation_count = annotation_count + 1 WHERE id = NEW.task_id
                    RETURNING CASE WHEN annotation_count = target THEN 1 ELSE 0 END INTO done;
                  UPDATE projects SET annotations_count = annotations_count + 1, tasks_done = tasks_done + done
                    WHERE id = NEW.project_id;
                  RETURN NULL;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER annotations_submitted AFTER INSERT ON annotations
                FOR EACH ROW WHEN (NEW.version = 1) EXECUTE FUNCTION gloss_annotation_submitted()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP TRIGGER IF EXISTS annotations_submitted\(unsafeRaw: sql.dialect.name == "sqlite" ? "" : " ON annotations")").run()
        try await sql.raw("DROP TRIGGER IF EXISTS assignments_lease_taken").run()
        try await sql.raw("DROP TRIGGER IF EXISTS assignments_lease_changed").run()
        if sql.dialect.name != "sqlite" {
            try await sql.raw("DROP TRIGGER IF EXISTS assignments_load ON assignments").run()
            try await sql.raw("DROP FUNCTION IF EXISTS gloss_assignment_load()").run()
            try await sql.raw("DROP FUNCTION IF EXISTS gloss_annotation_submitted()").run()
        }
    }
}
