import Foundation
import GlossCore
import SQLKit

/// A worker's annotation chain as the quality steps see it: the current version of one worker's answer.
public struct ChainAnswer: Sendable {
    public var rootID: UUID
    public var annotationID: UUID
    public var workerID: UUID
    public var valueJSON: String
    public var status: String
}

/// One item of a review queue, with what the reviewer needs to judge it.
public struct ReviewItem: Sendable {
    public var id: UUID
    public var projectID: UUID
    public var taskID: UUID
    public var annotationID: UUID?
    public var rootID: UUID?
    public var workerID: UUID?
    public var flagID: UUID?
    public var stage: String
    public var reason: String
    public var specialty: String?
    public var status: String
    public var reviewerID: UUID?
    public var verdict: String?
    public var comment: String?
    public var createdAt: Double
}

/// A request to redo an annotation, as its worker receives it.
public struct ReworkItem: Sendable {
    public var id: UUID
    public var taskID: UUID
    public var rootID: UUID
    public var comment: String
    public var createdAt: Double
}

/// A worker's flag on a task.
public struct FlagRecord: Sendable {
    public var id: UUID
    public var taskID: UUID
    public var worker: String
    public var kind: String
    public var note: String
    public var specialty: String?
    public var guidelinesVersion: Int
    public var status: String
    public var resolution: String?
    public var createdAt: Double
}

/// A worker's standing on a project, as `next` reads it.
public struct WorkerStanding: Sendable {
    public var served: Int
    public var goldServed: Int
    public var status: String
    public var score: Double?
    public var observations: Int

    public static let new = WorkerStanding(served: 0, goldServed: 0, status: "active", score: nil, observations: 0)
}

/// The raw sums a worker's quality score is computed from, on one project.
public struct QualitySums: Sendable {
    public var annotations = 0
    public var goldCount = 0
    public var goldSum = 0.0
    public var reviewCount = 0
    public var reviewSum = 0.0
    public var rejected = 0
    public var corrected = 0
    public var consensusCount = 0
    public var consensusSum = 0.0

    public init(annotations: Int = 0, goldCount: Int = 0, goldSum: Double = 0, reviewCount: Int = 0, reviewSum: Double = 0, rejected: Int = 0,
                corrected: Int = 0, consensusCount: Int = 0, consensusSum: Double = 0) {
        self.annotations = annotations
        self.goldCount = goldCount
        self.goldSum = goldSum
        self.reviewCount = reviewCount
        self.reviewSum = reviewSum
        self.rejected = rejected
        self.corrected = corrected
        self.consensusCount = consensusCount
        self.consensusSum = consensusSum
    }

    public mutating func add(_ other: QualitySums) {
        annotations += other.annotations
        goldCount += other.goldCount
        goldSum += other.goldSum
        reviewCount += other.reviewCount
        reviewSum += other.reviewSum
        rejected += other.rejected
        corrected += other.corrected
        consensusCount += other.consensusCount
        consensusSum += other.consensusSum
    }
}

/// A task's final answer.
public struct FinalAnswer: Sendable {
    public var taskID: UUID
    public var valueJSON: String
    public var source: String
    public var confidence: Double
    public var agreement: Double
    public var answers: Int
}

/// A project reviewer or expert.
public struct ReviewerGrant: Sendable {
    public var userID: UUID
    public var email: String
    public var name: String
    public var level: String
    public var specialties: [String]
}

/// Gold answers, review and rework queues, flags, reviewers, final answers and worker standing. The steps of
/// one pipeline event run inside one transaction: every function that takes `sql` runs on the caller's.
public struct QualityRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var sql: any SQLDatabase { store.sql }
    func id(_ value: UUID) -> any Encodable & Sendable { store.id(value) }
    func maybeID(_ value: UUID?) -> any Encodable & Sendable { store.isSQLite ? value?.uuidString : value }

    // MARK: Annotation chains

    /// Inserts a worker's first version while they hold the task's lease (a trigger closes the lease and counts
    /// it). False when they hold no lease.
    public func insertFirstVersion(id annotationID: UUID, task: TaskContext, workerID: UUID, valueJSON: String, timeSpentSeconds: Double,
                                   guidelinesVersion: Int, softRulesJSON: String?, now: Double, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO annotations (id, task_id, project_id, task_seq, worker_id, value, time_spent_s, version, created_at,
            root_id, author_id, is_current, status, origin, guidelines_version, soft_rules)
            SELECT \(bind: id(annotationID)), \(bind: id(task.id)), \(bind: id(task.projectID)), \(bind: task.seq), \(bind: id(workerID)),
            \(bind: valueJSON), \(bind: timeSpentSeconds), 1, \(bind: now), \(bind: id(annotationID)), \(bind: id(workerID)), 1, 'submitted', 'worker',
            \(bind: guidelinesVersion), \(bind: softRulesJSON)
            FROM assignments WHERE task_id = \(bind: id(task.id)) AND worker_id = \(bind: id(workerID)) AND status = 'active'
            RETURNING id
            """).all().count == 1
    }

    /// Adds a version to a chain (rework by its worker, a reviewer's correction, an expert's): the earlier
    /// versions stay as they were, only no longer current. Returns the new version's id.
    public func insertVersion(rootID: UUID, authorID: UUID, valueJSON: String, timeSpentSeconds: Double, origin: String, status: String,
                              guidelinesVersion: Int, softRulesJSON: String?, now: Double, on sql: any SQLDatabase) async throws -> (id: UUID, version: Int) {
        guard let current = try await sql.raw("""
            SELECT task_id, project_id, task_seq, worker_id, version FROM annotations WHERE root_id = \(bind: id(rootID)) AND is_current = 1
            """).first() else { throw StoreError.notFound("annotation not found") }
        let newID = UUID()
        try await sql.raw("UPDATE annotations SET is_current = 0 WHERE root_id = \(bind: id(rootID)) AND is_current = 1").run()
        try await sql.raw("""
            INSERT INTO annotations (id, task_id, project_id, task_seq, worker_id, value, time_spent_s, version, created_at,
            root_id, author_id, is_current, status, origin, guidelines_version, soft_rules) VALUES
            (\(bind: id(newID)), \(bind: id(try current.uuid("task_id"))), \(bind: id(try current.uuid("project_id"))), \(bind: try current.int64("task_seq")),
            \(bind: id(try current.uuid("worker_id"))), \(bind: valueJSON), \(bind: timeSpentSeconds), \(bind: try current.int("version") + 1), \(bind: now),
            \(bind: id(rootID)), \(bind: id(authorID)), 1, \(bind: status), \(bind: origin), \(bind: guidelinesVersion), \(bind: softRulesJSON))
            """).run()
        return (newID, try current.int("version") + 1)
    }

    /// Sets the standing of a chain (on its current version): submitted, accepted, rejected, corrected.
    public func setChainStatus(rootID: UUID, status: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE annotations SET status = \(bind: status) WHERE root_id = \(bind: id(rootID)) AND is_current = 1").run()
    }

    /// The current version of every chain on a task, oldest chain first; rejected chains only when asked.
    public func answers(taskID: UUID, includingRejected: Bool = false, on sql: (any SQLDatabase)? = nil) async throws -> [ChainAnswer] {
        try await (sql ?? self.sql).raw("""
            SELECT root_id, id, worker_id, value, status FROM annotations WHERE task_id = \(bind: id(taskID)) AND is_current = 1
            \(unsafeRaw: includingRejected ? "" : "AND status <> 'rejected'") ORDER BY created_at, root_id
            """).all().map(Self.chainAnswer)
    }

    static func chainAnswer(_ row: any SQLRow) throws -> ChainAnswer {
        ChainAnswer(rootID: try row.uuid("root_id"), annotationID: try row.uuid("id"), workerID: try row.uuid("worker_id"),
                    valueJSON: try row.text("value"), status: try row.text("status"))
    }

    /// Every version of a chain, oldest first, with who wrote it.
    public func versions(rootID: UUID) async throws -> [(id: UUID, version: Int, author: String, origin: String, valueJSON: String, createdAt: Double)] {
        try await sql.raw("""
            SELECT a.id, a.version, u.email, a.origin, a.value, a.created_at FROM annotations a JOIN users u ON u.id = a.author_id
            WHERE a.root_id = \(bind: id(rootID)) ORDER BY a.version
            """).all().map { (try $0.uuid("id"), try $0.int("version"), try $0.text("email"), try $0.text("origin"), try $0.text("value"), try $0.double("created_at")) }
    }

    /// The chain an annotation version belongs to, with its task and worker.
    public func chain(ofAnnotation annotationID: UUID) async throws -> (rootID: UUID, taskID: UUID, projectID: UUID, workerID: UUID)? {
        guard let row = try await sql.raw("""
            SELECT root_id, task_id, project_id, worker_id FROM annotations WHERE id = \(bind: id(annotationID))
            """).first() else { return nil }
        return (try row.uuid("root_id"), try row.uuid("task_id"), try row.uuid("project_id"), try row.uuid("worker_id"))
    }

    // MARK: Gold

    /// The gold answer of a task, if it is gold.
    public func goldAnswer(taskID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> String? {
        try await (sql ?? self.sql).raw("SELECT value FROM gold_answers WHERE task_id = \(bind: id(taskID))").first()?.text("value")
    }

    /// Makes a task gold (or changes its answer). A new gold task leaves the normal queue (target 0) and the
    /// project's count of work to do, in one transaction.
    public func setGold(taskID: UUID, projectID: UUID, valueJSON: String, by userID: UUID) async throws {
        let now = Store.now()
        try await store.write { sql in
            let existing = try await sql.raw("SELECT 1 AS one FROM gold_answers WHERE task_id = \(bind: id(taskID))").first() != nil
            if existing {
                try await sql.raw("UPDATE gold_answers SET value = \(bind: valueJSON), created_by = \(bind: id(userID)) WHERE task_id = \(bind: id(taskID))").run()
                return
            }
            try await sql.raw("""
                INSERT INTO gold_answers (task_id, project_id, value, created_by, created_at)
                VALUES (\(bind: id(taskID)), \(bind: id(projectID)), \(bind: valueJSON), \(bind: id(userID)), \(bind: now))
                """).run()
            try await sql.raw("UPDATE tasks SET target = 0 WHERE id = \(bind: id(taskID))").run()
            try await sql.raw("DELETE FROM final_answers WHERE task_id = \(bind: id(taskID))").run()
            try await sql.raw("UPDATE projects SET tasks_total = tasks_total - 1 WHERE id = \(bind: id(projectID))").run()
            _ = try await ProjectRepository.recountDone(projectID: id(projectID), on: sql)
        }
    }

    /// Makes a gold task a normal task again, in the caller's transaction: back in the queue with the project's
    /// overlap, or with as many answers as it already has when that is more. False when it was not gold.
    public func unsetGold(taskID: UUID, projectID: UUID, overlap: Int, on sql: any SQLDatabase) async throws -> Bool {
        let deleted = try await sql.raw("DELETE FROM gold_answers WHERE task_id = \(bind: id(taskID)) RETURNING task_id").all().count
        guard deleted == 1 else { return false }
        try await sql.raw("""
            UPDATE tasks SET target = CASE WHEN annotation_count > \(bind: overlap) THEN annotation_count ELSE \(bind: overlap) END
            WHERE id = \(bind: id(taskID))
            """).run()
        try await sql.raw("UPDATE projects SET tasks_total = tasks_total + 1 WHERE id = \(bind: id(projectID))").run()
        _ = try await ProjectRepository.recountDone(projectID: id(projectID), on: sql)
        return true
    }

    /// A project's gold tasks with their answers and how workers did on them.
    public func goldTasks(projectID: UUID, limit: Int) async throws -> [(taskID: UUID, externalID: String?, dataJSON: String, valueJSON: String,
                                                                         attempts: Int, meanScore: Double?)] {
        try await sql.raw("""
            SELECT g.task_id, t.external_id, t.data, g.value, (SELECT COUNT(*) FROM gold_results r WHERE r.task_id = g.task_id) AS attempts,
            (SELECT AVG(r.score) FROM gold_results r WHERE r.task_id = g.task_id) AS mean_score
            FROM gold_answers g JOIN tasks t ON t.id = g.task_id WHERE g.project_id = \(bind: id(projectID)) ORDER BY t.seq LIMIT \(bind: limit)
            """).all().map { row in
            (try row.uuid("task_id"), try row.optionalText("external_id"), try row.text("data"), try row.text("value"), try row.int("attempts"),
             try row.decodeNil(column: "mean_score") ? nil : try row.double("mean_score"))
        }
    }

    public func insertGoldResult(annotationID: UUID, task: TaskContext, workerID: UUID, score: Double, fieldsJSON: String, now: Double,
                                 on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO gold_results (annotation_id, project_id, task_id, worker_id, score, fields, created_at) VALUES
            (\(bind: id(annotationID)), \(bind: id(task.projectID)), \(bind: id(task.id)), \(bind: id(workerID)), \(bind: score), \(bind: fieldsJSON), \(bind: now))
            """).run()
    }

    /// Leases the next gold task this worker has not had (one statement; a trigger raises its load, which
    /// does not matter for a task outside the queue). Nil when none is left for them.
    public func leaseGold(projectID: UUID, workerID: UUID, expiresAt: Double, now: Double) async throws -> UUID? {
        try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO assignments (id, task_id, project_id, worker_id, status, expires_at, created_at, updated_at)
                SELECT \(bind: id(UUID())), g.task_id, \(bind: id(projectID)), \(bind: id(workerID)), 'active', \(bind: expiresAt), \(bind: now), \(bind: now)
                FROM gold_answers g JOIN tasks t ON t.id = g.task_id WHERE g.project_id = \(bind: id(projectID))
                AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = g.task_id AND a.worker_id = \(bind: id(workerID)) AND a.status <> 'expired')
                AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.task_id = g.task_id AND r.reviewer_id = \(bind: id(workerID)))
                ORDER BY t.priority DESC, t.seq LIMIT 1
                ON CONFLICT (task_id, worker_id) DO UPDATE SET status = 'active', expires_at = excluded.expires_at, updated_at = excluded.updated_at
                RETURNING task_id
                """).first()?.uuid("task_id")
        }
    }

    // MARK: Standing

    static let sumColumns = "annotations, gold_count, gold_sum, review_count, review_sum, rejected, corrected, consensus_count, consensus_sum"

    static func sums(_ row: any SQLRow) throws -> QualitySums {
        QualitySums(annotations: try row.int("annotations"), goldCount: try row.int("gold_count"), goldSum: try row.double("gold_sum"),
                    reviewCount: try row.int("review_count"), reviewSum: try row.double("review_sum"), rejected: try row.int("rejected"),
                    corrected: try row.int("corrected"), consensusCount: try row.int("consensus_count"), consensusSum: try row.double("consensus_sum"))
    }

    /// What `next` needs to know of a worker on a project, in one read: their standing, the task of their
    /// oldest open rework, and whether the project has gold tasks at all (it counts what it serves only then).
    public func leaseContext(projectID: UUID, workerID: UUID) async throws -> (standing: WorkerStanding, reworkTaskID: UUID?, hasGold: Bool) {
        let project = id(projectID), worker = id(workerID)
        guard let row = try await sql.raw("""
            SELECT (SELECT served FROM worker_standing WHERE project_id = \(bind: project) AND worker_id = \(bind: worker)) AS served,
            (SELECT gold_served FROM worker_standing WHERE project_id = \(bind: project) AND worker_id = \(bind: worker)) AS gold_served,
            (SELECT status FROM worker_standing WHERE project_id = \(bind: project) AND worker_id = \(bind: worker)) AS status,
            (SELECT task_id FROM rework WHERE worker_id = \(bind: worker) AND project_id = \(bind: project) AND status = 'open'
             ORDER BY created_at LIMIT 1) AS rework_task,
            CASE WHEN EXISTS (SELECT 1 FROM gold_answers WHERE project_id = \(bind: project)) THEN 1 ELSE 0 END AS has_gold
            """).first() else { return (.new, nil, false) }
        var standing = WorkerStanding.new
        if !(try row.decodeNil(column: "served")) {
            standing.served = try row.int("served")
            standing.goldServed = try row.int("gold_served")
            standing.status = try row.text("status")
        }
        let rework = try row.decodeNil(column: "rework_task") ? nil : try row.uuid("rework_task")
        let hasGold = try row.decode(column: "has_gold", as: Int.self) != 0
        return (standing, rework, hasGold)
    }

    /// What a submit needs to know of a task, in its transaction and one read: the gold answer if the task is
    /// gold, and the worker's open rework of it.
    public func submitContext(taskID: UUID, workerID: UUID, on sql: any SQLDatabase) async throws -> (goldJSON: String?, rework: ReworkItem?) {
        let task = id(taskID), worker = id(workerID)
        guard let row = try await sql.raw("""
            SELECT (SELECT value FROM gold_answers WHERE task_id = \(bind: task)) AS gold,
            r.id AS rework_id, r.root_id, r.comment, r.created_at
            FROM (SELECT 1 AS one) base LEFT JOIN rework r ON r.worker_id = \(bind: worker) AND r.task_id = \(bind: task) AND r.status = 'open'
            """).first() else { return (nil, nil) }
        let rework = try row.decodeNil(column: "rework_id") ? nil
            : ReworkItem(id: try row.uuid("rework_id"), taskID: taskID, rootID: try row.uuid("root_id"), comment: try row.text("comment"),
                         createdAt: try row.double("created_at"))
        return (try row.optionalText("gold"), rework)
    }

    public func standing(projectID: UUID, workerID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> WorkerStanding {
        guard let row = try await (sql ?? self.sql).raw("""
            SELECT served, gold_served, status, score, observations FROM worker_standing
            WHERE project_id = \(bind: id(projectID)) AND worker_id = \(bind: id(workerID))
            """).first() else { return .new }
        return WorkerStanding(served: try row.int("served"), goldServed: try row.int("gold_served"), status: try row.text("status"),
                              score: try row.decodeNil(column: "score") ? nil : try row.double("score"), observations: try row.int("observations"))
    }

    /// Counts a task served to a worker (and whether it was gold), for mixing gold at the policy's rate.
    public func countServed(projectID: UUID, workerID: UUID, gold: Bool) async throws {
        let now = Store.now()
        let goldIncrement = gold ? 1 : 0
        try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO worker_standing (project_id, worker_id, served, gold_served, updated_at)
                VALUES (\(bind: id(projectID)), \(bind: id(workerID)), 1, \(bind: goldIncrement), \(bind: now))
                ON CONFLICT (project_id, worker_id) DO UPDATE SET served = worker_standing.served + 1,
                gold_served = worker_standing.gold_served + \(bind: goldIncrement), updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Adds observations to a worker's running sums on a project; returns the new sums and the current status.
    public func addToStanding(projectID: UUID, workerID: UUID, _ delta: QualitySums, on sql: any SQLDatabase) async throws -> (sums: QualitySums, status: String) {
        let now = Store.now()
        guard let row = try await sql.raw("""
            INSERT INTO worker_standing (project_id, worker_id, \(unsafeRaw: Self.sumColumns), updated_at) VALUES
            (\(bind: id(projectID)), \(bind: id(workerID)), \(bind: delta.annotations), \(bind: delta.goldCount), \(bind: delta.goldSum),
            \(bind: delta.reviewCount), \(bind: delta.reviewSum), \(bind: delta.rejected), \(bind: delta.corrected), \(bind: delta.consensusCount),
            \(bind: delta.consensusSum), \(bind: now))
            ON CONFLICT (project_id, worker_id) DO UPDATE SET annotations = worker_standing.annotations + excluded.annotations,
            gold_count = worker_standing.gold_count + excluded.gold_count, gold_sum = worker_standing.gold_sum + excluded.gold_sum,
            review_count = worker_standing.review_count + excluded.review_count, review_sum = worker_standing.review_sum + excluded.review_sum,
            rejected = worker_standing.rejected + excluded.rejected, corrected = worker_standing.corrected + excluded.corrected,
            consensus_count = worker_standing.consensus_count + excluded.consensus_count,
            consensus_sum = worker_standing.consensus_sum + excluded.consensus_sum, updated_at = excluded.updated_at
            RETURNING \(unsafeRaw: Self.sumColumns), status
            """).first() else { throw StoreError.notFound("worker standing not found") }
        return (try Self.sums(row), try row.text("status"))
    }

    /// Stores a worker's score and status after a new observation.
    public func setStanding(projectID: UUID, workerID: UUID, status: String, score: Double?, observations: Int, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE worker_standing SET status = \(bind: status), score = \(bind: score), observations = \(bind: observations)
            WHERE project_id = \(bind: id(projectID)) AND worker_id = \(bind: id(workerID))
            """).run()
    }

    /// The sums a worker's quality rests on, on one project (or every project together when nil).
    public func sums(projectID: UUID?, workerID: UUID) async throws -> QualitySums {
        var total = QualitySums()
        let project = projectID.map { SQLQueryString("project_id = \(bind: id($0)) AND ") } ?? SQLQueryString("")
        for row in try await sql.raw("SELECT \(unsafeRaw: Self.sumColumns) FROM worker_standing WHERE \(project)worker_id = \(bind: id(workerID))").all() {
            total.add(try Self.sums(row))
        }
        return total
    }

    /// Every worker who has annotated a project, with their sums and standing.
    public func workers(projectID: UUID) async throws -> [(workerID: UUID, email: String, name: String, standing: WorkerStanding, sums: QualitySums)] {
        try await sql.raw("""
            SELECT s.worker_id, u.email, u.name, s.served, s.gold_served, s.status, s.score, s.observations, s.annotations, s.gold_count,
            s.gold_sum, s.review_count, s.review_sum, s.rejected, s.corrected, s.consensus_count, s.consensus_sum
            FROM worker_standing s JOIN users u ON u.id = s.worker_id WHERE s.project_id = \(bind: id(projectID)) AND s.annotations > 0
            ORDER BY u.email
            """).all().map { row in
            (try row.uuid("worker_id"), try row.text("email"), try row.text("name"),
             WorkerStanding(served: try row.int("served"), goldServed: try row.int("gold_served"), status: try row.text("status"),
                            score: try row.decodeNil(column: "score") ? nil : try row.double("score"), observations: try row.int("observations")),
             try Self.sums(row))
        }
    }

    // MARK: Reviews

    /// Puts an item in a review queue.
    @discardableResult
    public func enqueueReview(projectID: UUID, taskID: UUID, annotationID: UUID?, rootID: UUID?, workerID: UUID?, flagID: UUID? = nil,
                              stage: String, reason: String, specialty: String? = nil, comment: String? = nil, now: Double,
                              on sql: any SQLDatabase) async throws -> UUID {
        let reviewID = UUID()
        try await sql.raw("""
            INSERT INTO reviews (id, project_id, task_id, annotation_id, root_id, worker_id, flag_id, stage, reason, specialty, status,
            reviewer_id, lease_expires_at, verdict, comment, correction_id, created_at, decided_at) VALUES
            (\(bind: id(reviewID)), \(bind: id(projectID)), \(bind: id(taskID)), \(bind: maybeID(annotationID)), \(bind: maybeID(rootID)), \(bind: maybeID(workerID)),
            \(bind: maybeID(flagID)), \(bind: stage), \(bind: reason), \(bind: specialty), 'open', NULL, 0, NULL, \(bind: comment), NULL, \(bind: now), NULL)
            """).run()
        return reviewID
    }

    /// Leases the next item of a queue to a reviewer: one they already hold, else the oldest open one (or one
    /// whose lease ran out) that is not on a task they annotated themselves; experts see items without a
    /// specialty and those of their specialties.
    public func leaseReview(projectID: UUID, stage: String, reviewerID: UUID, specialties: [String]?, leaseSeconds: Int) async throws -> ReviewItem? {
        let now = Store.now()
        var filter = SQLQueryString("")
        if let specialties {
            filter = SQLQueryString(" AND (r.specialty IS NULL")
            if !specialties.isEmpty {
                filter.appendLiteral(" OR r.specialty IN (")
                for (index, specialty) in specialties.enumerated() {
                    if index > 0 { filter.appendLiteral(", ") }
                    filter.appendInterpolation(bind: specialty)
                }
                filter.appendLiteral(")")
            }
            filter.appendLiteral(")")
        }
        let me = id(reviewerID)
        let statement: SQLQueryString = """
            UPDATE reviews SET status = 'leased', reviewer_id = \(bind: me), lease_expires_at = \(bind: now + Double(leaseSeconds))
            WHERE id = (SELECT r.id FROM reviews r WHERE r.project_id = \(bind: id(projectID)) AND r.stage = \(bind: stage) AND r.status <> 'done'
              AND (r.status = 'open' OR r.reviewer_id = \(bind: me) OR r.lease_expires_at < \(bind: now))
              AND (r.worker_id IS NULL OR r.worker_id <> \(bind: me))
              AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = r.task_id AND a.worker_id = \(bind: me))\(filter)
              ORDER BY CASE WHEN r.reviewer_id = \(bind: me) AND r.status = 'leased' THEN 0 ELSE 1 END, r.created_at LIMIT 1\(unsafeRaw: store.skipLocked))
            RETURNING \(unsafeRaw: Self.reviewColumns)
            """
        return try await store.writeStatement { sql in
            try await sql.raw(statement).first().map(Self.reviewItem)
        }
    }

    static let reviewColumns = "id, project_id, task_id, annotation_id, root_id, worker_id, flag_id, stage, reason, specialty, status, reviewer_id, verdict, comment, created_at"

    static func reviewItem(_ row: any SQLRow) throws -> ReviewItem {
        func optionalID(_ column: String) throws -> UUID? { try row.decodeNil(column: column) ? nil : try row.uuid(column) }
        return ReviewItem(id: try row.uuid("id"), projectID: try row.uuid("project_id"), taskID: try row.uuid("task_id"),
                          annotationID: try optionalID("annotation_id"), rootID: try optionalID("root_id"), workerID: try optionalID("worker_id"),
                          flagID: try optionalID("flag_id"), stage: try row.text("stage"), reason: try row.text("reason"),
                          specialty: try row.optionalText("specialty"), status: try row.text("status"), reviewerID: try optionalID("reviewer_id"),
                          verdict: try row.optionalText("verdict"), comment: try row.optionalText("comment"), createdAt: try row.double("created_at"))
    }

    public func review(id reviewID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> ReviewItem? {
        try await (sql ?? self.sql).raw("SELECT \(unsafeRaw: Self.reviewColumns) FROM reviews WHERE id = \(bind: id(reviewID))").first().map(Self.reviewItem)
    }

    /// Records a verdict on an item the reviewer holds. False when they do not hold it (any more).
    public func decide(reviewID: UUID, reviewerID: UUID, verdict: String, comment: String?, correctionID: UUID?, now: Double,
                       on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE reviews SET status = 'done', verdict = \(bind: verdict), comment = \(bind: comment), correction_id = \(bind: maybeID(correctionID)),
            decided_at = \(bind: now) WHERE id = \(bind: id(reviewID)) AND reviewer_id = \(bind: id(reviewerID)) AND status = 'leased'
            RETURNING id
            """).all().count == 1
    }

    /// The decided reviews of a chain, oldest first: the history a reviewer and the worker see.
    public func history(rootID: UUID) async throws -> [(stage: String, verdict: String, comment: String?, decidedAt: Double)] {
        try await sql.raw("""
            SELECT stage, verdict, comment, decided_at FROM reviews WHERE root_id = \(bind: id(rootID)) AND status = 'done' ORDER BY decided_at
            """).all().map { (try $0.text("stage"), try $0.text("verdict"), try $0.optionalText("comment"), try $0.double("decided_at")) }
    }

    /// Open items per stage, open rework and open flags of a project.
    public func queueSizes(projectID: UUID) async throws -> (review: Int, expert: Int, rework: Int, flags: Int) {
        let rows = try await sql.raw("""
            SELECT stage, COUNT(*) AS n FROM reviews WHERE project_id = \(bind: id(projectID)) AND status <> 'done' GROUP BY stage
            """).all()
        var review = 0, expert = 0
        for row in rows {
            if try row.text("stage") == "expert" { expert = try row.int("n") } else { review = try row.int("n") }
        }
        let rework = try await sql.raw("SELECT COUNT(*) AS n FROM rework WHERE project_id = \(bind: id(projectID)) AND status = 'open'").first()?.int("n") ?? 0
        let flags = try await sql.raw("SELECT COUNT(*) AS n FROM flags WHERE project_id = \(bind: id(projectID)) AND status = 'open'").first()?.int("n") ?? 0
        return (review, expert, rework, flags)
    }

    // MARK: Rework

    public func insertRework(projectID: UUID, taskID: UUID, workerID: UUID, rootID: UUID, reviewID: UUID, comment: String, now: Double,
                             on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO rework (id, project_id, task_id, worker_id, root_id, review_id, comment, status, created_at, done_at) VALUES
            (\(bind: id(UUID())), \(bind: id(projectID)), \(bind: id(taskID)), \(bind: id(workerID)), \(bind: id(rootID)), \(bind: id(reviewID)),
            \(bind: comment), 'open', \(bind: now), NULL)
            """).run()
    }

    /// The oldest open rework of a worker on a project, or on one task.
    public func openRework(projectID: UUID? = nil, taskID: UUID? = nil, workerID: UUID, on sql: (any SQLDatabase)? = nil) async throws -> ReworkItem? {
        var query = SQLQueryString("SELECT id, task_id, root_id, comment, created_at FROM rework WHERE worker_id = \(bind: id(workerID)) AND status = 'open'")
        if let projectID { query.appendLiteral(" AND project_id = "); query.appendInterpolation(bind: id(projectID)) }
        if let taskID { query.appendLiteral(" AND task_id = "); query.appendInterpolation(bind: id(taskID)) }
        query.appendLiteral(" ORDER BY created_at LIMIT 1")
        return try await (sql ?? self.sql).raw(query).first().map { row in
            ReworkItem(id: try row.uuid("id"), taskID: try row.uuid("task_id"), rootID: try row.uuid("root_id"),
                       comment: try row.text("comment"), createdAt: try row.double("created_at"))
        }
    }

    /// Closes a rework item (`done` when resubmitted, `declined` when the worker gave it back).
    public func closeRework(id reworkID: UUID, status: String, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE rework SET status = \(bind: status), done_at = \(bind: now) WHERE id = \(bind: id(reworkID))").run()
    }

    /// One more answer is needed on a task (dynamic overlap, a reassigned rejection): its target rises by one,
    /// and a task that was done is open again.
    public func raiseTarget(taskID: UUID, projectID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE projects SET tasks_done = tasks_done - (SELECT CASE WHEN annotation_count >= target AND target > 0 THEN 1 ELSE 0 END
            FROM tasks WHERE id = \(bind: id(taskID))) WHERE id = \(bind: id(projectID))
            """).run()
        try await sql.raw("UPDATE tasks SET target = target + 1 WHERE id = \(bind: id(taskID)) AND target > 0").run()
    }

    /// A task's target, how many first versions it has, and the current version of every chain that is not
    /// rejected, oldest chain first: what its final answer is made from, in one read.
    public func progressAndAnswers(taskID: UUID, on sql: any SQLDatabase) async throws -> (target: Int, annotations: Int, answers: [ChainAnswer]) {
        let rows = try await sql.raw("""
            SELECT t.target, t.annotation_count, a.root_id, a.id, a.worker_id, a.value, a.status FROM tasks t
            LEFT JOIN annotations a ON a.task_id = t.id AND a.is_current = 1 AND a.status <> 'rejected'
            WHERE t.id = \(bind: id(taskID)) ORDER BY a.created_at, a.root_id
            """).all()
        guard let first = rows.first else { return (0, 0, []) }
        let answers = try rows.filter { !(try $0.decodeNil(column: "id")) }.map(Self.chainAnswer)
        return (try first.int("target"), try first.int("annotation_count"), answers)
    }

    // MARK: Flags

    public func insertFlag(projectID: UUID, taskID: UUID, workerID: UUID, kind: String, note: String, specialty: String?, guidelinesVersion: Int,
                           now: Double, on sql: any SQLDatabase) async throws -> UUID {
        let flagID = UUID()
        try await sql.raw("""
            INSERT INTO flags (id, project_id, task_id, worker_id, kind, note, specialty, guidelines_version, status, resolution, created_at, resolved_at)
            VALUES (\(bind: id(flagID)), \(bind: id(projectID)), \(bind: id(taskID)), \(bind: id(workerID)), \(bind: kind), \(bind: note), \(bind: specialty),
            \(bind: guidelinesVersion), 'open', NULL, \(bind: now), NULL)
            """).run()
        return flagID
    }

    public func resolveFlag(id flagID: UUID, resolution: String?, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE flags SET status = 'resolved', resolution = \(bind: resolution), resolved_at = \(bind: now) WHERE id = \(bind: id(flagID))").run()
    }

    public func flags(projectID: UUID, limit: Int) async throws -> [FlagRecord] {
        try await sql.raw("""
            SELECT f.id, f.task_id, u.email, f.kind, f.note, f.specialty, f.guidelines_version, f.status, f.resolution, f.created_at
            FROM flags f JOIN users u ON u.id = f.worker_id WHERE f.project_id = \(bind: id(projectID)) ORDER BY f.created_at DESC LIMIT \(bind: limit)
            """).all().map(Self.flag)
    }

    public func flag(id flagID: UUID) async throws -> FlagRecord? {
        try await sql.raw("""
            SELECT f.id, f.task_id, u.email, f.kind, f.note, f.specialty, f.guidelines_version, f.status, f.resolution, f.created_at
            FROM flags f JOIN users u ON u.id = f.worker_id WHERE f.id = \(bind: id(flagID))
            """).first().map(Self.flag)
    }

    static func flag(_ row: any SQLRow) throws -> FlagRecord {
        FlagRecord(id: try row.uuid("id"), taskID: try row.uuid("task_id"), worker: try row.text("email"), kind: try row.text("kind"),
                   note: try row.text("note"), specialty: try row.optionalText("specialty"), guidelinesVersion: try row.int("guidelines_version"),
                   status: try row.text("status"), resolution: try row.optionalText("resolution"), createdAt: try row.double("created_at"))
    }

    /// True when the worker holds the task's lease or has annotated it: who may flag it.
    public func hasWorked(taskID: UUID, workerID: UUID) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS one FROM assignments WHERE task_id = \(bind: id(taskID)) AND worker_id = \(bind: id(workerID)) AND status IN ('active', 'submitted')
            """).first() != nil
    }

    // MARK: Reviewers

    public func grant(projectID: UUID, userID: UUID, level: String, specialties: [String]) async throws {
        let specialtiesJSON = JSONValue.array(specialties.map(JSONValue.string)).jsonText
        try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO project_reviewers (project_id, user_id, level, specialties, created_at)
                VALUES (\(bind: id(projectID)), \(bind: id(userID)), \(bind: level), \(bind: specialtiesJSON), \(bind: Store.now()))
                ON CONFLICT (project_id, user_id) DO UPDATE SET level = excluded.level, specialties = excluded.specialties
                """).run()
        }
    }

    public func revoke(projectID: UUID, userID: UUID) async throws -> Bool {
        try await store.writeStatement { sql in
            try await sql.raw("""
                DELETE FROM project_reviewers WHERE project_id = \(bind: id(projectID)) AND user_id = \(bind: id(userID)) RETURNING user_id
                """).all().count == 1
        }
    }

    public func reviewers(projectID: UUID) async throws -> [ReviewerGrant] {
        try await sql.raw("""
            SELECT r.user_id, u.email, u.name, r.level, r.specialties FROM project_reviewers r JOIN users u ON u.id = r.user_id
            WHERE r.project_id = \(bind: id(projectID)) ORDER BY u.email
            """).all().map(Self.grant)
    }

    /// The user's grant on a project, if any.
    public func grant(projectID: UUID, userID: UUID) async throws -> ReviewerGrant? {
        try await sql.raw("""
            SELECT r.user_id, u.email, u.name, r.level, r.specialties FROM project_reviewers r JOIN users u ON u.id = r.user_id
            WHERE r.project_id = \(bind: id(projectID)) AND r.user_id = \(bind: id(userID))
            """).first().map(Self.grant)
    }

    /// The projects a user reviews, with their grant and open items per stage they can see.
    public func reviewAssignments(userID: UUID) async throws -> [(projectID: UUID, projectName: String, level: String, review: Int, expert: Int)] {
        try await sql.raw("""
            SELECT p.id, p.name, r.level,
            (SELECT COUNT(*) FROM reviews v WHERE v.project_id = p.id AND v.stage = 'review' AND v.status <> 'done') AS review_open,
            (SELECT COUNT(*) FROM reviews v WHERE v.project_id = p.id AND v.stage = 'expert' AND v.status <> 'done') AS expert_open
            FROM project_reviewers r JOIN projects p ON p.id = r.project_id WHERE r.user_id = \(bind: id(userID)) AND p.status = 'open'
            ORDER BY p.name
            """).all().map { (try $0.uuid("id"), try $0.text("name"), try $0.text("level"), try $0.int("review_open"), try $0.int("expert_open")) }
    }

    static func grant(_ row: any SQLRow) throws -> ReviewerGrant {
        let specialties = (try? JSONValue.parse(try row.text("specialties")).arrayValue?.compactMap(\.stringValue)) ?? []
        return ReviewerGrant(userID: try row.uuid("user_id"), email: try row.text("email"), name: try row.text("name"),
                             level: try row.text("level"), specialties: specialties ?? [])
    }

    // MARK: Final answers

    /// Sets a task's final answer; an adjudicated answer is kept unless `overriding` (a new adjudication).
    public func setFinal(taskID: UUID, projectID: UUID, taskSeq: Int64, valueJSON: String, source: String, confidence: Double, agreement: Double,
                         answers: Int, decidedBy: UUID?, overriding: Bool, on sql: any SQLDatabase) async throws {
        let now = Store.now()
        try await sql.raw("""
            INSERT INTO final_answers (task_id, project_id, task_seq, value, source, confidence, agreement, answers, decided_by, updated_at)
            VALUES (\(bind: id(taskID)), \(bind: id(projectID)), \(bind: taskSeq), \(bind: valueJSON), \(bind: source), \(bind: confidence),
            \(bind: agreement), \(bind: answers), \(bind: maybeID(decidedBy)), \(bind: now))
            ON CONFLICT (task_id) DO UPDATE SET value = excluded.value, source = excluded.source, confidence = excluded.confidence,
            agreement = CASE WHEN excluded.source = 'adjudicated' THEN final_answers.agreement ELSE excluded.agreement END,
            answers = CASE WHEN excluded.source = 'adjudicated' THEN final_answers.answers ELSE excluded.answers END, decided_by = excluded.decided_by, updated_at = excluded.updated_at
            \(unsafeRaw: overriding ? "" : "WHERE final_answers.source <> 'adjudicated'")
            """).run()
    }

    public func deleteFinal(taskID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM final_answers WHERE task_id = \(bind: id(taskID)) AND source <> 'adjudicated'").run()
    }

    public func final(taskID: UUID) async throws -> FinalAnswer? {
        try await sql.raw("""
            SELECT task_id, value, source, confidence, agreement, answers FROM final_answers WHERE task_id = \(bind: id(taskID))
            """).first().map(Self.finalAnswer)
    }

    static func finalAnswer(_ row: any SQLRow) throws -> FinalAnswer {
        FinalAnswer(taskID: try row.uuid("task_id"), valueJSON: try row.text("value"), source: try row.text("source"),
                    confidence: try row.double("confidence"), agreement: try row.double("agreement"), answers: try row.int("answers"))
    }

    /// The final answers of a range of a project's tasks (an export page), by task seq.
    public func finals(projectID: UUID, afterSeq: Int64, throughSeq: Int64) async throws -> [Int64: FinalAnswer] {
        var result: [Int64: FinalAnswer] = [:]
        for row in try await sql.raw("""
            SELECT task_id, task_seq, value, source, confidence, agreement, answers FROM final_answers
            WHERE project_id = \(bind: id(projectID)) AND task_seq > \(bind: afterSeq) AND task_seq <= \(bind: throughSeq)
            """).all() {
            result[try row.int64("task_seq")] = try Self.finalAnswer(row)
        }
        // A gold task's final answer is its gold answer.
        for row in try await sql.raw("""
            SELECT g.task_id, t.seq, g.value FROM gold_answers g JOIN tasks t ON t.id = g.task_id
            WHERE g.project_id = \(bind: id(projectID)) AND t.seq > \(bind: afterSeq) AND t.seq <= \(bind: throughSeq)
            """).all() {
            result[try row.int64("seq")] = FinalAnswer(taskID: try row.uuid("task_id"), valueJSON: try row.text("value"), source: "gold",
                                                       confidence: 1, agreement: 1, answers: 0)
        }
        return result
    }

    /// Tasks whose answers agree least, least first (only tasks with more than one answer), not yet adjudicated.
    public func disagreements(projectID: UUID, limit: Int) async throws -> [FinalAnswer] {
        try await sql.raw("""
            SELECT task_id, value, source, confidence, agreement, answers FROM final_answers
            WHERE project_id = \(bind: id(projectID)) AND answers > 1 AND agreement < 1 AND source <> 'adjudicated' ORDER BY agreement, task_seq LIMIT \(bind: limit)
            """).all().map(Self.finalAnswer)
    }

    /// Counts of final answers by source.
    public func finalCounts(projectID: UUID) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("SELECT source, COUNT(*) AS n FROM final_answers WHERE project_id = \(bind: id(projectID)) GROUP BY source").all() {
            counts[try row.text("source")] = try row.int("n")
        }
        return counts
    }

    /// Stores how each worker's answer compares with the task's consensus, replacing earlier figures; returns
    /// the replaced ones, so running sums can take them out.
    public func setConsensusScores(taskID: UUID, projectID: UUID, scores: [(rootID: UUID, workerID: UUID, score: Double)],
                                   on sql: any SQLDatabase) async throws -> [(workerID: UUID, score: Double)] {
        let replaced = try await sql.raw("DELETE FROM consensus_scores WHERE task_id = \(bind: id(taskID)) RETURNING worker_id, score").all()
            .map { (try $0.uuid("worker_id"), try $0.double("score")) }
        for entry in scores {
            try await sql.raw("""
                INSERT INTO consensus_scores (root_id, project_id, task_id, worker_id, score) VALUES
                (\(bind: id(entry.rootID)), \(bind: id(projectID)), \(bind: id(taskID)), \(bind: id(entry.workerID)), \(bind: entry.score))
                """).run()
        }
        return replaced
    }

    /// The current, not rejected answers of a project's normal tasks (gold excluded), for agreement figures:
    /// (task id, worker id, value), at most `limit`.
    public func projectAnswers(projectID: UUID, limit: Int) async throws -> [(taskID: UUID, workerID: UUID, valueJSON: String)] {
        try await sql.raw("""
            SELECT a.task_id, a.worker_id, a.value FROM annotations a WHERE a.project_id = \(bind: id(projectID)) AND a.is_current = 1
            AND a.status <> 'rejected' AND NOT EXISTS (SELECT 1 FROM gold_answers g WHERE g.task_id = a.task_id)
            ORDER BY a.task_seq, a.created_at LIMIT \(bind: limit)
            """).all().map { (try $0.uuid("task_id"), try $0.uuid("worker_id"), try $0.text("value")) }
    }
}
