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

    public func create(_ project: ProjectModel) async throws -> ProjectModel {
        try await project.create(on: database)
        return project
    }

    public func find(id: UUID) async throws -> ProjectModel? {
        try await ProjectModel.find(id, on: database)
    }

    /// What the assignment path needs of a project, in one raw query.
    public struct LeaseSettings: Sendable {
        public var organizationID: UUID
        public var status: ProjectStatus
        public var policy: AssignmentPolicy
    }

    public func leaseSettings(id: UUID) async throws -> LeaseSettings? {
        guard let row = try await store.sql.raw("""
            SELECT organization_id, status, overlap, lease_seconds FROM projects WHERE id = \(bind: store.id(id))
            """).first() else { return nil }
        return LeaseSettings(organizationID: try row.uuid("organization_id"),
                             status: ProjectStatus(rawValue: try row.text("status")) ?? .closed,
                             policy: AssignmentPolicy(overlap: try row.int("overlap"), leaseSeconds: try row.int("lease_seconds")))
    }

    /// Projects newest first; only `organizationID`'s when given, only those with `status` when given.
    public func list(organizationID: UUID?, status: ProjectStatus? = nil) async throws -> [ProjectModel] {
        var query = ProjectModel.query(on: database)
        if let organizationID { query = query.filter(\.$organizationID == organizationID) }
        if let status { query = query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$createdAt, .descending).all()
    }

    /// Saves changed settings. A changed overlap becomes the target of every task that has no annotation
    /// beyond it, in the same transaction, so `next` sees it at once.
    public func update(_ project: ProjectModel, overlapChanged: Bool) async throws {
        project.updatedAt = Store.now()
        guard overlapChanged else {
            try await project.update(on: database)
            return
        }
        let id = try project.requireID()
        let values = (project.name, project.schemaJSON, project.guidelines, project.overlap, project.leaseSeconds,
                      project.status, project.updatedAt)
        try await store.write { sql in
            try await sql.raw("""
                UPDATE projects SET name = \(bind: values.0), schema = \(bind: values.1), guidelines = \(bind: values.2),
                overlap = \(bind: values.3), lease_seconds = \(bind: values.4), status = \(bind: values.5),
                updated_at = \(bind: values.6) WHERE id = \(bind: id)
                """).run()
            try await sql.raw("UPDATE tasks SET target = \(bind: values.3) WHERE project_id = \(bind: id)").run()
            try await sql.raw("""
                UPDATE projects SET tasks_done = (SELECT COUNT(*) FROM tasks
                WHERE tasks.project_id = \(bind: id) AND tasks.annotation_count >= tasks.target) WHERE id = \(bind: id)
                """).run()
        }
        if let refreshed = try await find(id: id) { project.tasksDone = refreshed.tasksDone }
    }
}
