import FluentKit
import SQLKit

// Taxonomies, model endpoints, the pre-label job queue and live chat sessions (the language issue).

/// Column type of an id in raw DDL: text on SQLite (as Fluent stores UUIDs there), `uuid` on PostgreSQL.
func idType(_ sql: any SQLDatabase) -> String { sql.dialect.name == "sqlite" ? "TEXT" : "UUID" }

struct CreateTaxonomies: AsyncMigration {
    var name: String { "011_CreateTaxonomies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("taxonomies")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("terms", .string, .required)
            .field("term_count", .int, .required)
            .field("roots", .int, .required)
            .field("depth", .int, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .unique(on: "project_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("taxonomies").delete()
    }
}

struct CreateModelEndpoints: AsyncMigration {
    var name: String { "012_CreateModelEndpoints" }

    func prepare(on database: any Database) async throws {
        try await database.schema("model_endpoints")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("url", .string, .required)
            .field("model", .string)
            .field("key_ciphertext", .string)
            .field("timeout_s", .int, .required)
            .field("max_attempts", .int, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .unique(on: "project_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("model_endpoints").delete()
    }
}

/// One job per task and pre-label endpoint, enqueued in the import's transaction and run after it commits.
/// `run_after` orders the queue (and delays retries); a `running` job whose `locked_until` has passed belongs
/// to a process that died and is taken again.
struct CreatePrelabelJobs: AsyncMigration {
    var name: String { "013_CreatePrelabelJobs" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let id = idType(sql)
        try await sql.raw("""
            CREATE TABLE prelabel_jobs (
              task_id \(unsafeRaw: id) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
              endpoint_id \(unsafeRaw: id) NOT NULL REFERENCES model_endpoints (id) ON DELETE CASCADE,
              project_id \(unsafeRaw: id) NOT NULL,
              status TEXT NOT NULL,
              attempts INTEGER NOT NULL,
              run_after DOUBLE PRECISION NOT NULL,
              locked_until DOUBLE PRECISION NOT NULL,
              last_error TEXT,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (task_id, endpoint_id))
            """).run()
        try await sql.raw("CREATE INDEX prelabel_jobs_queue ON prelabel_jobs (run_after) WHERE status IN ('queued', 'running')").run()
        try await sql.raw("CREATE INDEX prelabel_jobs_project ON prelabel_jobs (project_id, status, updated_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE prelabel_jobs").run()
    }
}

/// The conversation of a `chat` field while a worker holds the task, saved after every turn.
struct CreateChatSessions: AsyncMigration {
    var name: String { "014_CreateChatSessions" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let id = idType(sql)
        try await sql.raw("""
            CREATE TABLE chat_sessions (
              task_id \(unsafeRaw: id) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
              worker_id \(unsafeRaw: id) NOT NULL REFERENCES users (id),
              field TEXT NOT NULL,
              state TEXT NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (task_id, worker_id, field))
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE chat_sessions").run()
    }
}

// Media (the images and video issue).

struct CreateMedia: AsyncMigration {
    var name: String { "015_CreateMedia" }

    func prepare(on database: any Database) async throws {
        try await database.schema("media")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("sha256", .string, .required)
            .field("kind", .string, .required)
            .field("content_type", .string, .required)
            .field("file_name", .string, .required)
            .field("byte_size", .int64, .required)
            .field("width", .int)
            .field("height", .int)
            .field("frame_count", .int)
            .field("fps", .double)
            .field("frames", .string)
            .field("created_at", .double, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX media_project_created ON media (project_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("media").delete()
    }
}

// Audio and point clouds (the audio and LiDAR issue): what ffprobe reads of an audio file, a point cloud's size,
// the derived blob the browser loads (a waveform's peaks, a cloud's compact points), and the worker who
// recorded a file for a task (a recording is theirs and the project's, no other worker's).
struct AddAudioAndPointClouds: AsyncMigration {
    var name: String { "019_AddAudioAndPointClouds" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for column in ["duration_s DOUBLE PRECISION", "sample_rate INTEGER", "channels INTEGER", "point_count INTEGER",
                       "derived TEXT", "details TEXT", "uploaded_by \(idType(sql))", "task_id \(idType(sql))"] {
            try await sql.raw("ALTER TABLE media ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await sql.raw("CREATE INDEX media_task_uploader ON media (task_id, uploaded_by)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX media_task_uploader").run()
        for column in ["duration_s", "sample_rate", "channels", "point_count", "derived", "details", "uploaded_by", "task_id"] {
            try await sql.raw("ALTER TABLE media DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
