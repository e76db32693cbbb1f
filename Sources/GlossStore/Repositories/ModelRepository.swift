import FluentKit
import Foundation
import GlossCore
import SQLKit

/// A model endpoint a project registered: a chat-completions URL for live chat, or a pre-label URL called
/// for each imported task. The key is stored encrypted (the server holds the secret).
public struct ModelEndpoint: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case chat, prelabel }

    public static let defaultMaximumAttempts = 5

    public var id: UUID
    public var projectID: UUID
    public var name: String
    public var kind: Kind
    public var url: String
    public var model: String?
    public var keyCiphertext: String?
    public var timeoutSeconds: Int
    public var maxAttempts: Int
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: UUID = UUID(), projectID: UUID, name: String, kind: Kind, url: String, model: String?, keyCiphertext: String?,
                timeoutSeconds: Int, maxAttempts: Int, createdAt: Double = Store.now(), updatedAt: Double = Store.now()) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.kind = kind
        self.url = url
        self.model = model
        self.keyCiphertext = keyCiphertext
        self.timeoutSeconds = timeoutSeconds
        self.maxAttempts = maxAttempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A pre-label job as a runner takes it.
public struct PrelabelJob: Sendable {
    public var taskID: UUID
    public var endpointID: UUID
    public var attempts: Int
}

/// A pre-label job as a requester sees it.
public struct PrelabelJobSummary: Sendable {
    public var taskID: UUID
    public var externalID: String?
    public var endpoint: String
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public var updatedAt: Double
}

/// Everything one pre-label call needs, read in one query.
public struct PrelabelWork: Sendable {
    public var projectID: UUID
    public var externalID: String?
    public var dataJSON: String
    public var schemaJSON: String
    public var projectUpdatedAt: Double
    public var endpoint: ModelEndpoint
}

/// Model endpoints and the pre-label job queue.
public struct ModelRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var sql: any SQLDatabase { store.sql }

    static let columns = "id, project_id, name, kind, url, model, key_ciphertext, timeout_s, max_attempts, created_at, updated_at"

    // MARK: Endpoints

    public func create(_ endpoint: ModelEndpoint) async throws {
        try await store.writeStatement { sql in
            let existing = try await sql.raw("""
                SELECT 1 AS found FROM model_endpoints WHERE project_id = \(bind: store.id(endpoint.projectID)) AND name = \(bind: endpoint.name)
                """).first()
            guard existing == nil else { throw StoreError.conflict("an endpoint named '\(endpoint.name)' exists in this project") }
            try await sql.raw("""
                INSERT INTO model_endpoints (\(unsafeRaw: Self.columns)) VALUES (\(bind: store.id(endpoint.id)), \(bind: store.id(endpoint.projectID)),
                \(bind: endpoint.name), \(bind: endpoint.kind.rawValue), \(bind: endpoint.url), \(bind: endpoint.model), \(bind: endpoint.keyCiphertext),
                \(bind: endpoint.timeoutSeconds), \(bind: endpoint.maxAttempts), \(bind: endpoint.createdAt), \(bind: endpoint.updatedAt))
                """).run()
        }
    }

    public func update(_ endpoint: ModelEndpoint) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE model_endpoints SET name = \(bind: endpoint.name), url = \(bind: endpoint.url), model = \(bind: endpoint.model),
                key_ciphertext = \(bind: endpoint.keyCiphertext), timeout_s = \(bind: endpoint.timeoutSeconds),
                max_attempts = \(bind: endpoint.maxAttempts), updated_at = \(bind: Store.now()) WHERE id = \(bind: store.id(endpoint.id))
                """).run()
        }
    }

    public func delete(id: UUID) async throws {
        try await store.write { sql in
            try await sql.raw("DELETE FROM prelabel_jobs WHERE endpoint_id = \(bind: store.id(id))").run()
            try await sql.raw("DELETE FROM model_endpoints WHERE id = \(bind: store.id(id))").run()
        }
    }

    public func endpoints(projectID: UUID) async throws -> [ModelEndpoint] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM model_endpoints WHERE project_id = \(bind: store.id(projectID)) ORDER BY created_at
            """).all().map(Self.endpoint(from:))
    }

    public func endpoint(id: UUID, projectID: UUID) async throws -> ModelEndpoint? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM model_endpoints WHERE id = \(bind: store.id(id)) AND project_id = \(bind: store.id(projectID))
            """).first().map(Self.endpoint(from:))
    }

    public func endpoint(named name: String, projectID: UUID, kind: ModelEndpoint.Kind) async throws -> ModelEndpoint? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM model_endpoints WHERE project_id = \(bind: store.id(projectID)) AND name = \(bind: name)
            AND kind = \(bind: kind.rawValue)
            """).first().map(Self.endpoint(from:))
    }

    static func kind(_ text: String) throws -> ModelEndpoint.Kind {
        guard let kind = ModelEndpoint.Kind(rawValue: text) else { throw StoreError.invalidConfiguration("unknown endpoint kind '\(text)'") }
        return kind
    }

    static func endpoint(from row: any SQLRow) throws -> ModelEndpoint {
        ModelEndpoint(id: try row.uuid("id"), projectID: try row.uuid("project_id"), name: try row.text("name"),
                      kind: try kind(row.text("kind")), url: try row.text("url"),
                      model: try row.optionalText("model"), keyCiphertext: try row.optionalText("key_ciphertext"),
                      timeoutSeconds: try row.int("timeout_s"), maxAttempts: try row.int("max_attempts"),
                      createdAt: try row.double("created_at"), updatedAt: try row.double("updated_at"))
    }

    // MARK: Jobs

    /// Queues a job per pre-label endpoint of the project for each task from `firstSeq` on. Called inside the
    /// import's transaction, so the jobs exist exactly when the tasks do.
    static func enqueuePrelabels(projectID: any Encodable & Sendable, firstSeq: Int64, now: Double, on sql: any SQLDatabase) async throws {
        guard try await sql.raw("""
            SELECT 1 AS found FROM model_endpoints WHERE project_id = \(bind: projectID) AND kind = 'prelabel'
            """).first() != nil else { return }
        try await sql.raw("""
            INSERT INTO prelabel_jobs (task_id, endpoint_id, project_id, status, attempts, run_after, locked_until, last_error, created_at, updated_at)
            SELECT t.id, e.id, t.project_id, 'queued', 0, \(bind: now), 0, NULL, \(bind: now), \(bind: now)
            FROM tasks t JOIN model_endpoints e ON e.project_id = t.project_id AND e.kind = 'prelabel'
            WHERE t.project_id = \(bind: projectID) AND t.seq >= \(bind: firstSeq)
            """).run()
    }

    /// Takes up to `limit` jobs that are due (queued, or running under a lock that ran out because its
    /// process died), marks them running under a lock a little longer than their endpoint's time limit, and
    /// counts the attempt.
    public func claim(limit: Int, now: Double = Store.now()) async throws -> [PrelabelJob] {
        let skipLocked = store.skipLocked
        return try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE prelabel_jobs SET status = 'running', attempts = attempts + 1, updated_at = \(bind: now),
                locked_until = \(bind: now) + 30 + (SELECT e.timeout_s FROM model_endpoints e WHERE e.id = prelabel_jobs.endpoint_id)
                WHERE (task_id, endpoint_id) IN (SELECT task_id, endpoint_id FROM prelabel_jobs
                  WHERE status IN ('queued', 'running') AND run_after <= \(bind: now) AND locked_until <= \(bind: now)
                  ORDER BY run_after LIMIT \(bind: limit)\(unsafeRaw: skipLocked))
                RETURNING task_id, endpoint_id, attempts
                """).all().map { row in
                PrelabelJob(taskID: try row.uuid("task_id"), endpointID: try row.uuid("endpoint_id"), attempts: try row.int("attempts"))
            }
        }
    }

    /// The task, its project's schema and the endpoint of a job; nil when any of them is gone.
    public func work(for job: PrelabelJob) async throws -> PrelabelWork? {
        guard let row = try await sql.raw("""
            SELECT t.project_id AS task_project, t.external_id, t.data, p.schema, p.updated_at AS project_updated_at,
            e.id, e.project_id, e.name, e.kind, e.url, e.model, e.key_ciphertext, e.timeout_s, e.max_attempts, e.created_at, e.updated_at
            FROM tasks t JOIN projects p ON p.id = t.project_id JOIN model_endpoints e ON e.id = \(bind: store.id(job.endpointID))
            WHERE t.id = \(bind: store.id(job.taskID))
            """).first() else { return nil }
        return PrelabelWork(projectID: try row.uuid("task_project"), externalID: try row.optionalText("external_id"),
                            dataJSON: try row.text("data"), schemaJSON: try row.text("schema"),
                            projectUpdatedAt: try row.double("project_updated_at"), endpoint: try Self.endpoint(from: row))
    }

    /// The condition that a job is still this runner's: running, on the attempt it claimed. A runner whose
    /// lock ran out (and whose job another runner took again) changes nothing.
    func heldBy(_ job: PrelabelJob) -> SQLQueryString {
        "task_id = \(bind: store.id(job.taskID)) AND endpoint_id = \(bind: store.id(job.endpointID)) AND status = 'running' AND attempts = \(bind: job.attempts)"
    }

    /// Adds the endpoint's answer to the task's pre-labels and closes the job, in one transaction; false
    /// when the job was no longer this runner's (nothing is written then). The task row is locked on
    /// PostgreSQL, so two endpoints answering for one task at once both land.
    @discardableResult
    public func complete(_ job: PrelabelJob, prelabel: JSONValue) async throws -> Bool {
        let now = Store.now()
        let held = heldBy(job)
        return try await store.write { sql in
            guard try await sql.raw("""
                UPDATE prelabel_jobs SET status = 'done', last_error = NULL, locked_until = 0, updated_at = \(bind: now) WHERE \(held) RETURNING task_id
                """).first() != nil else { return false }
            guard let row = try await sql.raw("""
                SELECT prelabels FROM tasks WHERE id = \(bind: store.id(job.taskID))\(unsafeRaw: store.isSQLite ? "" : " FOR UPDATE")
                """).first() else { return false }
            var prelabels = (try? JSONValue.parse(try row.text("prelabels")).arrayValue) ?? []
            prelabels.append(prelabel)
            try await sql.raw("UPDATE tasks SET prelabels = \(bind: JSONValue.array(prelabels).jsonText) WHERE id = \(bind: store.id(job.taskID))").run()
            return true
        }
    }

    /// Records a failed attempt: queued again at `retryAt`, or failed for good when nil (only while the job is
    /// still this runner's).
    public func fail(_ job: PrelabelJob, error: String, retryAt: Double?) async throws {
        let now = Store.now()
        let held = heldBy(job)
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE prelabel_jobs SET status = \(bind: retryAt == nil ? "failed" : "queued"), run_after = \(bind: retryAt ?? now),
                locked_until = 0, last_error = \(bind: String(error.prefix(1000))), updated_at = \(bind: now) WHERE \(held)
                """).run()
        }
    }

    /// Counts by status and the newest jobs (of one status when given).
    public func jobs(projectID: UUID, status: String?, limit: Int) async throws -> (counts: [String: Int], jobs: [PrelabelJobSummary]) {
        var counts = ["queued": 0, "running": 0, "done": 0, "failed": 0]
        for row in try await sql.raw("""
            SELECT status, COUNT(*) AS n FROM prelabel_jobs WHERE project_id = \(bind: store.id(projectID)) GROUP BY status
            """).all() {
            counts[try row.text("status")] = try row.int("n")
        }
        var query = SQLQueryString("""
            SELECT j.task_id, t.external_id, e.name, j.status, j.attempts, j.last_error, j.updated_at FROM prelabel_jobs j
            JOIN tasks t ON t.id = j.task_id JOIN model_endpoints e ON e.id = j.endpoint_id WHERE j.project_id = 
            """)
        query.appendInterpolation(bind: store.id(projectID))
        if let status {
            query.appendLiteral(" AND j.status = ")
            query.appendInterpolation(bind: status)
        }
        query.appendLiteral(" ORDER BY j.updated_at DESC LIMIT ")
        query.appendInterpolation(bind: limit)
        let jobs = try await sql.raw(query).all().map { row in
            PrelabelJobSummary(taskID: try row.uuid("task_id"), externalID: try row.optionalText("external_id"), endpoint: try row.text("name"),
                               status: try row.text("status"), attempts: try row.int("attempts"), lastError: try row.optionalText("last_error"),
                               updatedAt: try row.double("updated_at"))
        }
        return (counts, jobs)
    }

    /// Queues the project's failed jobs again, with fresh attempts.
    public func retryFailed(projectID: UUID) async throws -> Int {
        let now = Store.now()
        return try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE prelabel_jobs SET status = 'queued', attempts = 0, run_after = \(bind: now), locked_until = 0, updated_at = \(bind: now)
                WHERE project_id = \(bind: store.id(projectID)) AND status = 'failed' RETURNING task_id
                """).all().count
        }
    }
}
