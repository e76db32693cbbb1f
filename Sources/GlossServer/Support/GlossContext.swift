import Foundation
import GlossCore
import GlossStore
import NIOConcurrencyHelpers
import Vapor

/// Everything a request handler needs, built once in `configure` and kept in the application's storage.
struct GlossContext: Sendable {
    let configuration: GlossConfiguration
    let store: Store
    let accounts: AccountRepository
    let projects: ProjectRepository
    let tasks: TaskRepository
    let taxonomies: TaxonomyRepository
    let models: ModelRepository
    let chats: ChatRepository
    let media: MediaRepository
    let quality: QualityRepository
    let workforce: WorkforceRepository
    let pay: PayRepository
    let blobs: any BlobStore
    let schemas: SchemaCache
    let taxonomyCache: TaxonomyCache
    let modelClient: ModelClient
    let metrics: GlossMetrics
}

struct GlossContextKey: StorageKey {
    typealias Value = GlossContext
}

extension Application {
    var gloss: GlossContext {
        guard let context = storage[GlossContextKey.self] else { fatalError("configure(_:) has not run") }
        return context
    }
}

extension Request {
    var gloss: GlossContext { application.gloss }
}

/// Parsed project schemas, keyed by project and its last change, so the submit path parses a schema once.
final class SchemaCache: Sendable {
    private let entries = NIOLockedValueBox<[UUID: (updatedAt: Double, schema: LabelSchema)]>([:])

    func schema(of project: ProjectModel) throws -> LabelSchema {
        try schema(projectID: try project.requireID(), updatedAt: project.updatedAt, json: project.schemaJSON)
    }

    func schema(projectID: UUID, updatedAt: Double, json: String) throws -> LabelSchema {
        if let entry = entries.withLockedValue({ $0[projectID] }), entry.updatedAt == updatedAt {
            return entry.schema
        }
        let schema = try LabelSchema.parse(try JSONValue.parse(json))
        entries.withLockedValue { $0[projectID] = (updatedAt, schema) }
        return schema
    }
}
