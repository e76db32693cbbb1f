import FluentKit
import Foundation
import GlossCore
import NIOConcurrencyHelpers
import SQLKit

/// A task as a worker receives it with its lease.
public struct LeasedTask: Sendable {
    public var id: UUID
    public var externalID: String?
    public var dataJSON: String
    public var prelabelsJSON: String
    public var leaseExpiresAt: Double
    /// False when `next` handed back a task the worker already held.
    public var isNew = true
}

/// A task as a requester lists it.
public struct TaskSummary: Sendable {
    public var id: UUID
    public var seq: Int64
    public var externalID: String?
    public var dataJSON: String
    public var prelabelsJSON: String
    public var priority: Int
    public var target: Int
    public var annotationCount: Int
    public var createdAt: Double
}

/// What the submit path needs to know about a task.
public struct TaskContext: Sendable {
    public var id: UUID
    public var projectID: UUID
    public var seq: Int64
    /// The task's data (JSON text): some fields are checked against it.
    public var dataJSON: String
    /// The project's schema (JSON text) and its last change, for the schema cache.
    public var schemaJSON: String
    public var projectUpdatedAt: Double
    public var leaseSeconds: Int
    public var overlap: Int
    /// The project's quality policy (JSON) and its guidelines' current version, which the annotation records.
    public var qualityPolicyJSON: String
    public var guidelinesVersion: Int
    /// Who may work on the project (JSON): checked on every submit, so a worker who lost a qualification stops.
    public var requirementsJSON: String = "{}"
}

public struct StoredAnnotation: Sendable {
    public var id: UUID
    public var taskID: UUID
    public var projectID: UUID
    public var worker: String
    public var valueJSON: String
    public var timeSpentSeconds: Double
    public var createdAt: Double
    public var version: Int = 1
    public var status: String = "submitted"
    public var guidelinesVersion: Int = 1

    public init(id: UUID, taskID: UUID, projectID: UUID, worker: String, valueJSON: String, timeSpentSeconds: Double, createdAt: Double,
                version: Int = 1, status: String = "submitted", guidelinesVersion: Int = 1) {
        self.id = id
        self.taskID = taskID
        self.projectID = projectID
        self.worker = worker
        self.valueJSON = valueJSON
        self.timeSpentSeconds = timeSpentSeconds
        self.createdAt = createdAt
        self.version = version
        self.status = status
        self.guidelinesVersion = guidelinesVersion
    }
}

public enum LeaseError: Error, Sendable, Equatable {
    /// The caller holds no active lease on the task.
    case noLease
}

/// Tasks, leases (assignments) and annotations: the hot paths, written as raw SQL over indexes.
public struct TaskRepository: Sendable {
    public let store: Store

    let reclaimClock: ReclaimClock

    public init(store: Store) {
        self.store = store
        self.reclaimClock = ReclaimClock()
    }

    var sql: any SQLDatabase { store.sql }

    // MARK: Import

    static let insertBatchSize = 1000

    /// Imports tasks as one transaction: every batch from `batches` is inserted, or none is. Duplicate
    /// external ids (within the file or against the project) are refused with the line of the duplicate.
    /// With `autoAcceptScore`, a task whose best pre-label scores at least that is done on arrival: its
    /// pre-label is its final answer (source `prelabel`) and it never enters the queue.
    public func importTasks(projectID: UUID, target: Int, autoAcceptScore: Double? = nil,
                            batches: some AsyncSequence<[ImportedTask], any Error> & Sendable) async throws -> Int {
        try await store.write { sql in
            let projectRows = try await sql.raw("""
                SELECT next_task_seq, tasks_total FROM projects WHERE id = \(bind: store.id(projectID))\(unsafeRaw: store.isSQLite ? "" : " FOR UPDATE")
                """).all()
            guard let project = projectRows.first else { throw StoreError.notFound("project not found") }
            var nextSeq = try project.int64("next_task_seq")
            let firstSeq = nextSeq
            let hadTasks = try project.int("tasks_total") > 0
            var seenExternalIDs: Set<String> = []
            var imported = 0
            var autoAccepted = 0
            var gold = 0
            let now = Store.now()
            for try await batch in batches {
                for task in batch {
                    if let externalID = task.externalID, !seenExternalIDs.insert(externalID).inserted {
                        throw FieldError(field: "external_id", message: "'\(externalID)' appears twice in the file", line: task.line)
                    }
                }
                if hadTasks {
                    try await Self.checkExternalIDsAreNew(batch, projectID: store.id(projectID), on: sql)
                }
                var start = 0
                while start < batch.count {
                    let end = min(start + Self.insertBatchSize, batch.count)
                    let outcome = try await Self.insert(batch[start..<end], projectID: store.id(projectID), newID: store.id, firstSeq: nextSeq,
                                                        target: target, autoAcceptScore: autoAcceptScore, now: now, on: sql)
                    autoAccepted += outcome.autoAccepted
                    gold += outcome.gold
                    nextSeq += Int64(end - start)
                    start = end
                }
                imported += batch.count
            }
            try await sql.raw("""
                UPDATE projects SET next_task_seq = \(bind: nextSeq), tasks_total = tasks_total + \(bind: imported - gold),
                tasks_done = tasks_done + \(bind: autoAccepted), updated_at = \(bind: now) WHERE id = \(bind: store.id(projectID))
                """).run()
            if imported > 0 {
                try await ModelRepository.enqueuePrelabels(projectID: store.id(projectID), firstSeq: firstSeq, now: now, on: sql)
            }
            return imported
        }
    }

    static func checkExternalIDsAreNew(_ batch: [ImportedTask], projectID: any Encodable & Sendable, on sql: any SQLDatabase) async throws {
        let withIDs = batch.filter { $0.externalID != nil }
        var start = 0
        while start < withIDs.count {
            let slice = withIDs[start..<min(start + 500, withIDs.count)]
            var query = SQLQueryString("SELECT external_id FROM tasks WHERE project_id = ")
            query.appendInterpolation(bind: projectID)
            query.appendLiteral(" AND external_id IN (")
            for (index, task) in slice.enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(bind: task.externalID!)
            }
            query.appendLiteral(")")
            let existing = try await sql.raw(query).all().map { try $0.text("external_id") }
            if let duplicate = slice.first(where: { existing.contains($0.externalID!) }) {
                throw FieldError(field: "external_id", message: "'\(duplicate.externalID!)' is already a task of this project", line: duplicate.line)
            }
            start += 500
        }
    }

    /// Inserts a batch of tasks; returns how many were accepted on arrival by their pre-label and how many are
    /// gold (kept out of the queue and of the work to do, their answers apart from the task).
    static func insert(_ tasks: ArraySlice<ImportedTask>, projectID: any Encodable & Sendable, newID: (UUID) -> any Encodable & Sendable, firstSeq: Int64,
                       target: Int, autoAcceptScore: Double?, now: Double, on sql: any SQLDatabase) async throws -> (autoAccepted: Int, gold: Int) {
        var query = SQLQueryString("""
            INSERT INTO tasks (id, project_id, seq, external_id, data, prelabels, priority, target, load, annotation_count, created_at) VALUES 
            """)
        var seq = firstSeq
        var accepted: [(id: UUID, seq: Int64, valueJSON: String, score: Double)] = []
        var gold: [(id: UUID, valueJSON: String)] = []
        for (index, task) in tasks.enumerated() {
            let id = UUID()
            var taskTarget = target
            if let goldJSON = task.goldJSON {
                gold.append((id, goldJSON))
                taskTarget = 0
            } else if let autoAcceptScore, task.prelabelsJSON != "[]", let best = bestPrelabel(task.prelabelsJSON), best.score >= autoAcceptScore {
                accepted.append((id, seq, best.value.jsonText, best.score))
                taskTarget = 0
            }
            query.appendLiteral(index == 0 ? "(" : ", (")
            query.appendInterpolation(bind: newID(id))
            query.appendLiteral(", ")
            query.appendInterpolation(bind: projectID)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: seq)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: task.externalID)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: task.dataJSON)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: task.prelabelsJSON)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: task.priority)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: taskTarget)
            query.appendLiteral(", 0, 0, ")
            query.appendInterpolation(bind: now)
            query.appendLiteral(")")
            seq += 1
        }
        try await sql.raw(query).run()
        for task in accepted {
            try await sql.raw("""
                INSERT INTO final_answers (task_id, project_id, task_seq, value, source, confidence, agreement, answers, decided_by, updated_at)
                VALUES (\(bind: newID(task.id)), \(bind: projectID), \(bind: task.seq), \(bind: task.valueJSON), 'prelabel', \(bind: task.score), 1, 0, NULL, \(bind: now))
                """).run()
        }
        for task in gold {
            try await sql.raw("""
                INSERT INTO gold_answers (task_id, project_id, value, created_by, created_at)
                VALUES (\(bind: newID(task.id)), \(bind: projectID), \(bind: task.valueJSON), NULL, \(bind: now))
                """).run()
        }
        return (accepted.count, gold.count)
    }

    /// The highest-scoring pre-label of a task (one without a score counts as 0).
    static func bestPrelabel(_ json: String) -> (value: JSONValue, score: Double)? {
        guard let prelabels = (try? JSONValue.parse(json))?.arrayValue else { return nil }
        return prelabels.compactMap { prelabel -> (JSONValue, Double)? in
            guard let value = prelabel["value"] else { return nil }
            return (value, prelabel["score"]?.numberValue ?? 0)
        }.max { $0.1 < $1.1 }
    }

    // MARK: Listing

    /// A keyset page of a project's tasks, in import order.
    public func tasks(projectID: UUID, afterSeq: Int64, limit: Int) async throws -> [TaskSummary] {
        try await sql.raw("""
            SELECT id, seq, external_id, data, prelabels, priority, target, annotation_count, created_at FROM tasks
            WHERE project_id = \(bind: store.id(projectID)) AND seq > \(bind: afterSeq) ORDER BY seq LIMIT \(bind: limit)
            """).all().map { row in
            TaskSummary(id: try row.uuid("id"),
                        seq: try row.int64("seq"),
                        externalID: try row.optionalText("external_id"),
                        dataJSON: try row.text("data"),
                        prelabelsJSON: try row.text("prelabels"),
                        priority: try row.int("priority"),
                        target: try row.int("target"),
                        annotationCount: try row.int("annotation_count"),
                        createdAt: try row.double("created_at"))
        }
    }

    public func seq(ofTask taskID: UUID, projectID: UUID) async throws -> Int64? {
        try await sql.raw("SELECT seq FROM tasks WHERE id = \(bind: store.id(taskID)) AND project_id = \(bind: store.id(projectID))")
            .first()?.int64("seq")
    }

    public func context(ofTask taskID: UUID) async throws -> TaskContext? {
        guard let row = try await sql.raw("""
            SELECT t.project_id, t.seq, t.data, p.schema, p.updated_at, p.lease_seconds, p.overlap, p.quality_policy, p.guidelines_version, p.requirements
            FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = \(bind: store.id(taskID))
            """).first() else { return nil }
        return TaskContext(id: taskID, projectID: try row.uuid("project_id"), seq: try row.int64("seq"), dataJSON: try row.text("data"),
                           schemaJSON: try row.text("schema"), projectUpdatedAt: try row.double("updated_at"),
                           leaseSeconds: try row.int("lease_seconds"), overlap: try row.int("overlap"),
                           qualityPolicyJSON: try row.text("quality_policy"), guidelinesVersion: try row.int("guidelines_version"),
                           requirementsJSON: try row.text("requirements"))
    }

    // MARK: Leasing

    /// The next task for a worker, under the assignment policy: a task the worker already holds (not in
    /// `excluding`, so a reload burns nothing and a page can prefetch one ahead), else the first open task in
    /// priority order that the worker has not had. One statement picks and leases it; a trigger raises the
    /// task's load in the same statement, and a held lease is extended. Nil when none is left for this worker.
    public func next(projectID: UUID, workerID: UUID, excluding: Set<UUID>, policy: AssignmentPolicy) async throws -> LeasedTask? {
        let now = Store.now()
        let expiresAt = now + Double(policy.leaseSeconds)
        if reclaimClock.isDue(projectID: projectID, now: now) {
            try await reclaimExpiredLeases(projectID: projectID, now: now)
        }
        var query = SQLQueryString("WITH held AS (SELECT a.task_id AS id, 0 AS rank FROM assignments a WHERE a.worker_id = ")
        query.appendInterpolation(bind: store.id(workerID))
        query.appendLiteral(" AND a.project_id = ")
        query.appendInterpolation(bind: store.id(projectID))
        query.appendLiteral(" AND a.status = 'active' AND a.expires_at > ")
        query.appendInterpolation(bind: now)
        if !excluding.isEmpty {
            query.appendLiteral(" AND a.task_id NOT IN (")
            for (index, id) in excluding.sorted(by: { $0.uuidString < $1.uuidString }).enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(bind: store.id(id))
            }
            query.appendLiteral(")")
        }
        query.appendLiteral(" ORDER BY a.created_at LIMIT 1), ")
        query.appendLiteral("fresh AS (SELECT t.id, 1 AS rank FROM tasks t WHERE t.project_id = ")
        query.appendInterpolation(bind: store.id(projectID))
        query.appendLiteral(" AND t.load < t.target AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.worker_id = ")
        query.appendInterpolation(bind: store.id(workerID))
        query.appendLiteral(" AND a.status <> 'expired') AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.task_id = t.id AND r.reviewer_id = ")
        query.appendInterpolation(bind: store.id(workerID))
        query.appendLiteral(") ORDER BY t.priority DESC, t.seq LIMIT 1")
        query.appendLiteral(store.skipLocked)
        query.appendLiteral("), candidate AS (SELECT id FROM (SELECT id, rank FROM held UNION ALL SELECT id, rank FROM fresh) c ORDER BY rank LIMIT 1) ")
        query.appendLiteral("INSERT INTO assignments (id, task_id, project_id, worker_id, status, expires_at, created_at, updated_at) SELECT ")
        query.appendInterpolation(bind: store.id(UUID()))
        query.appendLiteral(", candidate.id, ")
        query.appendInterpolation(bind: store.id(projectID))
        query.appendLiteral(", ")
        query.appendInterpolation(bind: store.id(workerID))
        query.appendLiteral(", 'active', ")
        query.appendInterpolation(bind: expiresAt)
        query.appendLiteral(", ")
        query.appendInterpolation(bind: now)
        query.appendLiteral(", ")
        query.appendInterpolation(bind: now)
        query.appendLiteral(" FROM candidate WHERE true ON CONFLICT (task_id, worker_id) DO UPDATE SET status = 'active', expires_at = excluded.expires_at, ")
        query.appendLiteral("updated_at = excluded.updated_at, created_at = CASE WHEN assignments.status = 'active' THEN assignments.created_at ELSE excluded.created_at END ")
        query.appendLiteral("RETURNING task_id, created_at")
        let statement = query
        let leased = try await store.writeStatement { sql in
            try await sql.raw(statement).first().map { (try $0.uuid("task_id"), try $0.double("created_at")) }
        }
        guard let leased else { return nil }
        var task = try await leasedTask(id: leased.0, expiresAt: expiresAt, on: sql)
        task?.isNew = leased.1 == now
        return task
    }

    /// A task as a worker receives it, by id (for rework and gold, which are leased elsewhere).
    public func task(id: UUID, leaseExpiresAt: Double) async throws -> LeasedTask? {
        try await leasedTask(id: id, expiresAt: leaseExpiresAt, on: sql)
    }

    /// True when the worker holds an active lease on a task of the project other than `excluding`.
    public func holdsLease(projectID: UUID, workerID: UUID, excluding: Set<UUID>) async throws -> Bool {
        let rows = try await sql.raw("""
            SELECT task_id FROM assignments WHERE worker_id = \(bind: store.id(workerID)) AND project_id = \(bind: store.id(projectID))
            AND status = 'active' AND expires_at > \(bind: Store.now())
            """).all()
        return try rows.contains { !excluding.contains(try $0.uuid("task_id")) }
    }

    func leasedTask(id: UUID, expiresAt: Double, on sql: any SQLDatabase) async throws -> LeasedTask? {
        guard let row = try await sql.raw("SELECT external_id, data, prelabels FROM tasks WHERE id = \(bind: store.id(id))").first() else { return nil }
        return LeasedTask(id: id, externalID: try row.optionalText("external_id"),
                          dataJSON: try row.text("data"),
                          prelabelsJSON: try row.text("prelabels"),
                          leaseExpiresAt: expiresAt)
    }

    /// Leases past their expiry give their task back (a trigger lowers each task's load).
    func reclaimExpiredLeases(projectID: UUID, now: Double) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE assignments SET status = 'expired', updated_at = \(bind: now)
                WHERE project_id = \(bind: store.id(projectID)) AND status = 'active' AND expires_at <= \(bind: now)
                """).run()
        }
    }

    /// Extends the worker's lease on a task; returns the new expiry.
    public func heartbeat(taskID: UUID, workerID: UUID, leaseSeconds: Int) async throws -> Double {
        let now = Store.now()
        let expiresAt = now + Double(leaseSeconds)
        let updated = try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE assignments SET expires_at = \(bind: expiresAt), updated_at = \(bind: now)
                WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID)) AND status = 'active' RETURNING id
                """).all().count
        }
        guard updated == 1 else { throw LeaseError.noLease }
        return expiresAt
    }

    /// Gives a leased task back; this worker will not get it again (a trigger lowers the task's load).
    public func skip(taskID: UUID, workerID: UUID) async throws {
        let now = Store.now()
        let updated = try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE assignments SET status = 'skipped', updated_at = \(bind: now)
                WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID)) AND status = 'active' RETURNING id
                """).all().count
        }
        guard updated == 1 else { throw LeaseError.noLease }
    }

    /// True when the worker holds an active lease on the task (an expired one that nobody reclaimed still
    /// counts: the task was not handed to anyone else).
    public func holdsLease(taskID: UUID, workerID: UUID) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS held FROM assignments WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID)) AND status = 'active'
            """).first() != nil
    }

    // MARK: Annotations

    /// Stores a worker's annotation and closes their lease, in one transaction. The value must already be
    /// validated against the schema.
    public func submit(task: TaskContext, workerID: UUID, workerEmail: String, valueJSON: String, timeSpentSeconds: Double) async throws -> StoredAnnotation {
        let now = Store.now()
        let annotationID = UUID()
        // Inserted only while the worker holds the lease; a trigger closes the lease and counts the annotation
        // on the task and the project, all in this one statement.
        let inserted = try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO annotations (id, task_id, project_id, task_seq, worker_id, value, time_spent_s, version, created_at)
                SELECT \(bind: store.id(annotationID)), \(bind: store.id(task.id)), \(bind: store.id(task.projectID)), \(bind: task.seq), \(bind: store.id(workerID)),
                \(bind: valueJSON), \(bind: timeSpentSeconds), 1, \(bind: now)
                FROM assignments WHERE task_id = \(bind: store.id(task.id)) AND worker_id = \(bind: store.id(workerID)) AND status = 'active'
                RETURNING id
                """).all().count
        }
        guard inserted == 1 else { throw LeaseError.noLease }
        return StoredAnnotation(id: annotationID, taskID: task.id, projectID: task.projectID, worker: workerEmail,
                                valueJSON: valueJSON, timeSpentSeconds: timeSpentSeconds, createdAt: now)
    }

    /// Annotations of a task, oldest first: the current version of each chain, or, when `workerID` is given,
    /// every version that worker wrote (never a reviewer's correction).
    public func annotations(taskID: UUID, workerID: UUID?) async throws -> [StoredAnnotation] {
        var query = SQLQueryString("""
            SELECT a.id, a.task_id, a.project_id, u.email, a.value, a.time_spent_s, a.created_at, a.version, a.status, a.guidelines_version
            FROM annotations a JOIN users u ON u.id = a.worker_id WHERE a.task_id = 
            """)
        query.appendInterpolation(bind: store.id(taskID))
        if let workerID {
            query.appendLiteral(" AND a.worker_id = ")
            query.appendInterpolation(bind: store.id(workerID))
            query.appendLiteral(" AND a.author_id = ")
            query.appendInterpolation(bind: store.id(workerID))
        } else {
            query.appendLiteral(" AND a.is_current = 1")
        }
        query.appendLiteral(" ORDER BY a.created_at")
        return try await sql.raw(query).all().map(Self.annotation(from:))
    }

    static func annotation(from row: any SQLRow) throws -> StoredAnnotation {
        StoredAnnotation(id: try row.uuid("id"),
                         taskID: try row.uuid("task_id"),
                         projectID: try row.uuid("project_id"),
                         worker: try row.text("email"),
                         valueJSON: try row.text("value"),
                         timeSpentSeconds: try row.double("time_spent_s"),
                         createdAt: try row.double("created_at"),
                         version: try row.int("version"),
                         status: try row.text("status"),
                         guidelinesVersion: try row.int("guidelines_version"))
    }

    // MARK: Export

    /// One keyset page of the export: tasks after `afterSeq` in import order, each with its annotations.
    /// Returns the page and the last seq it holds.
    /// Adds one pre-label to each task, all in one transaction.
    public func appendPrelabels(_ additions: [(taskID: UUID, prelabel: JSONValue)]) async throws {
        guard !additions.isEmpty else { return }
        try await store.write { sql in
            for (taskID, prelabel) in additions {
                guard let row = try await sql.raw("""
                    SELECT prelabels FROM tasks WHERE id = \(bind: self.store.id(taskID))\(unsafeRaw: self.store.isSQLite ? "" : " FOR UPDATE")
                    """).first() else { continue }
                var prelabels = (try? JSONValue.parse(try row.text("prelabels")).arrayValue) ?? []
                prelabels.append(prelabel)
                try await sql.raw("UPDATE tasks SET prelabels = \(bind: JSONValue.array(prelabels).jsonText) WHERE id = \(bind: self.store.id(taskID))").run()
            }
        }
    }

    public func exportPage(projectID: UUID, afterSeq: Int64, limit: Int) async throws -> (tasks: [ExportedTask], lastSeq: Int64?) {
        let rows = try await sql.raw("""
            SELECT id, seq, external_id, data, prelabels FROM tasks WHERE project_id = \(bind: store.id(projectID)) AND seq > \(bind: afterSeq)
            ORDER BY seq LIMIT \(bind: limit)
            """).all()
        guard let last = rows.last else { return ([], nil) }
        let lastSeq = try last.int64("seq")
        var annotationsBySeq: [Int64: [ExportedAnnotation]] = [:]
        let annotationRows = try await sql.raw("""
            SELECT a.id, a.task_seq, u.email, a.value, a.time_spent_s, a.created_at, a.status FROM annotations a JOIN users u ON u.id = a.worker_id
            WHERE a.project_id = \(bind: store.id(projectID)) AND a.task_seq > \(bind: afterSeq) AND a.task_seq <= \(bind: lastSeq) AND a.is_current = 1
            AND a.status <> 'rejected'
            ORDER BY a.task_seq, a.created_at
            """).all()
        for row in annotationRows {
            let seq = try row.int64("task_seq")
            annotationsBySeq[seq, default: []].append(ExportedAnnotation(
                id: try row.uuidText("id"),
                worker: try row.text("email"),
                valueJSON: try row.text("value"),
                timeSpentSeconds: try row.double("time_spent_s"),
                createdAt: Date(timeIntervalSince1970: try row.double("created_at")),
                status: try row.text("status")))
        }
        let tasks = try rows.map { row in
            let seq = try row.int64("seq")
            var task = ExportedTask(id: try row.uuidText("id"),
                                    externalID: try row.optionalText("external_id"),
                                    dataJSON: try row.text("data"),
                                    prelabelsJSON: try row.text("prelabels"),
                                    annotations: annotationsBySeq[seq] ?? [])
            task.seq = seq
            return task
        }
        return (tasks, lastSeq)
    }
}

/// Expired leases are looked for at most once a second per project (per process): an expired lease keeps its
/// task for at most that second longer, and `next` saves a query on every other call.
final class ReclaimClock: Sendable {
    private let lastRun = NIOLockedValueBox<[UUID: Double]>([:])

    func isDue(projectID: UUID, now: Double) -> Bool {
        lastRun.withLockedValue { runs in
            if let last = runs[projectID], now - last < 1 { return false }
            runs[projectID] = now
            return true
        }
    }
}
