import FluentKit
import Foundation
import GlossCore
import SQLKit

/// Projects of organizations.
public struct ProjectRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var database: any Database { store.database }

    /// Creates the project and its guidelines' first version, in one transaction.
    public func create(_ project: ProjectModel) async throws -> ProjectModel {
        if project.id == nil { project.id = UUID() }
        let id = project.id!
        try await store.write { sql in
            try await sql.insert(into: ProjectModel.schema)
                .columns("id", "organization_id", "name", "schema", "guidelines", "overlap", "lease_seconds", "status", "next_task_seq",
                         "tasks_total", "tasks_done", "annotations_count", "created_at", "updated_at", "quality_policy", "guidelines_version",
                         "requirements", "rate_cents", "listing", "expected_seconds")
                .values(SQLBind(store.id(id)), SQLBind(store.id(project.organizationID)), SQLBind(project.name), SQLBind(project.schemaJSON),
                        SQLBind(project.guidelines), SQLBind(project.overlap), SQLBind(project.leaseSeconds), SQLBind(project.status),
                        SQLBind(project.nextTaskSeq), SQLBind(project.tasksTotal), SQLBind(project.tasksDone), SQLBind(project.annotationsCount),
                        SQLBind(project.createdAt), SQLBind(project.updatedAt), SQLBind(project.qualityPolicyJSON), SQLBind(project.guidelinesVersion),
                        SQLBind(project.requirementsJSON), SQLBind(project.rateCents), SQLBind(project.listingJSON), SQLBind(project.expectedSeconds))
                .run()
            try await Self.insertGuidelines(projectID: store.id(id), version: project.guidelinesVersion, text: project.guidelines,
                                            now: project.createdAt, on: sql)
        }
        project.$id.exists = true
        return project
    }

    static func insertGuidelines(projectID: any Encodable & Sendable, version: Int, text: String, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO guideline_versions (project_id, version, guidelines, created_at) VALUES (\(bind: projectID), \(bind: version), \(bind: text), \(bind: now))
            """).run()
    }

    /// A version of a project's guidelines (the text annotations made under that version saw).
    public func guidelines(projectID: UUID, version: Int) async throws -> (text: String, createdAt: Double)? {
        guard let row = try await store.sql.raw("""
            SELECT guidelines, created_at FROM guideline_versions WHERE project_id = \(bind: store.id(projectID)) AND version = \(bind: version)
            """).first() else { return nil }
        return (try row.text("guidelines"), try row.double("created_at"))
    }

    /// Every version of a project's guidelines, newest first.
    public func guidelineVersions(projectID: UUID) async throws -> [(version: Int, createdAt: Double, length: Int)] {
        try await store.sql.raw("""
            SELECT version, created_at, guidelines FROM guideline_versions WHERE project_id = \(bind: store.id(projectID)) ORDER BY version DESC
            """).all().map { (try $0.int("version"), try $0.double("created_at"), try $0.text("guidelines").count) }
    }

    public func find(id: UUID) async throws -> ProjectModel? {
        try await ProjectModel.find(id, on: database)
    }

    /// What the assignment path needs of a project, in one raw query.
    public struct LeaseSettings: Sendable {
        public var organizationID: UUID
        public var status: ProjectStatus
        public var policy: AssignmentPolicy
        /// The quality policy (JSON): it sets how often gold is served.
        public var qualityPolicyJSON: String
        /// Who may work on it (JSON): `next` checks it.
        public var requirementsJSON: String
    }

    public func leaseSettings(id: UUID) async throws -> LeaseSettings? {
        guard let row = try await store.sql.raw("""
            SELECT organization_id, status, overlap, lease_seconds, quality_policy, requirements FROM projects WHERE id = \(bind: store.id(id))
            """).first() else { return nil }
        return LeaseSettings(organizationID: try row.uuid("organization_id"),
                             status: ProjectStatus(rawValue: try row.text("status")) ?? .closed,
                             policy: AssignmentPolicy(overlap: try row.int("overlap"), leaseSeconds: try row.int("lease_seconds")),
                             qualityPolicyJSON: try row.text("quality_policy"), requirementsJSON: try row.text("requirements"))
    }

    /// Projects newest first; only `organizationID`'s when given, only those with `status` when given.
    public func list(organizationID: UUID?, status: ProjectStatus? = nil) async throws -> [ProjectModel] {
        var query = ProjectModel.query(on: database)
        if let organizationID { query = query.filter(\.$organizationID == organizationID) }
        if let status { query = query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$createdAt, .descending).all()
    }

    /// Saves changed settings in one transaction. Changed guidelines become a new version. A changed overlap
    /// becomes the target of every task in the queue (gold tasks and accepted pre-labels, whose target is 0,
    /// stay out), so `next` sees it at once.
    public func update(_ project: ProjectModel, overlapChanged: Bool, guidelinesChanged: Bool, previousOverlap: Int? = nil) async throws {
        project.updatedAt = Store.now()
        let id = store.id(try project.requireID())
        let values = (project.name, project.schemaJSON, project.guidelines, project.overlap, project.leaseSeconds,
                      project.status, project.updatedAt, project.qualityPolicyJSON)
        let workforce = (project.requirementsJSON, project.rateCents, project.listingJSON, project.expectedSeconds)
        let (tasksDone, version) = try await store.write { sql -> (Int?, Int?) in
            try await sql.raw("""
                UPDATE projects SET name = \(bind: values.0), schema = \(bind: values.1), guidelines = \(bind: values.2),
                overlap = \(bind: values.3), lease_seconds = \(bind: values.4), status = \(bind: values.5),
                updated_at = \(bind: values.6), quality_policy = \(bind: values.7), requirements = \(bind: workforce.0),
                rate_cents = \(bind: workforce.1), listing = \(bind: workforce.2), expected_seconds = \(bind: workforce.3) WHERE id = \(bind: id)
                """).run()
            // The version is counted in the database, so two edits at once make two versions.
            var version: Int?
            if guidelinesChanged {
                let next = try await sql.raw("""
                    UPDATE projects SET guidelines_version = guidelines_version + 1 WHERE id = \(bind: id) RETURNING guidelines_version
                    """).first()?.int("guidelines_version") ?? 1
                try await Self.insertGuidelines(projectID: id, version: next, text: values.2, now: values.6, on: sql)
                version = next
            }
            guard overlapChanged else { return (nil, version) }
            // A task asked for more answers (dynamic overlap, a reassigned rejection) keeps asking for them.
            let delta = values.3 - (previousOverlap ?? values.3)
            try await sql.raw("""
                UPDATE tasks SET target = CASE WHEN target + \(bind: delta) < 1 THEN 1 ELSE target + \(bind: delta) END
                WHERE project_id = \(bind: id) AND target > 0
                """).run()
            return (try await Self.recountDone(projectID: id, on: sql), version)
        }
        if let tasksDone { project.tasksDone = tasksDone }
        if let version { project.guidelinesVersion = version }
    }

    /// Sets a project's `tasks_done` from its tasks (gold tasks are not work to be done) and returns it.
    static func recountDone(projectID: any Encodable & Sendable, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            UPDATE projects SET tasks_done = (SELECT COUNT(*) FROM tasks WHERE tasks.project_id = \(bind: projectID)
            AND tasks.annotation_count >= tasks.target
            AND NOT EXISTS (SELECT 1 FROM gold_answers g WHERE g.task_id = tasks.id)) WHERE id = \(bind: projectID)
            """).run()
        return try await sql.raw("SELECT tasks_done FROM projects WHERE id = \(bind: projectID)").first()?.int("tasks_done") ?? 0
    }
}
