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
