import Foundation
import GlossCore
import GlossStore
import NIOConcurrencyHelpers

/// Indexed taxonomies, keyed by project, name and the time they were stored: the database holds the truth
/// (so any server serves any request), each process builds an index once per version.
final class TaxonomyCache: Sendable {
    private let entries = NIOLockedValueBox<[String: (updatedAt: Double, taxonomy: Taxonomy)]>([:])

    static func key(_ projectID: UUID, _ name: String) -> String { "\(projectID.uuidString)/\(name)" }

    /// The project's taxonomy of that name, or nil when none was imported.
    func taxonomy(projectID: UUID, name: String, repository: TaxonomyRepository) async throws -> Taxonomy? {
        guard let info = try await repository.info(projectID: projectID, name: name) else { return nil }
        let key = Self.key(projectID, name)
        if let entry = entries.withLockedValue({ $0[key] }), entry.updatedAt == info.updatedAt { return entry.taxonomy }
        guard let stored = try await repository.terms(projectID: projectID, name: name) else { return nil }
        let taxonomy = try Taxonomy.parseJSON(try JSONValue.parse(stored.json))
        remember(taxonomy, projectID: projectID, name: name, updatedAt: stored.updatedAt)
        return taxonomy
    }

    /// The taxonomies a schema names that the project has (missing ones are left out: validation names them).
    func taxonomies(for schema: LabelSchema, projectID: UUID, repository: TaxonomyRepository) async throws -> [String: Taxonomy] {
        var result: [String: Taxonomy] = [:]
        for name in schema.taxonomyNames {
            result[name] = try await taxonomy(projectID: projectID, name: name, repository: repository)
        }
        return result
    }

    func remember(_ taxonomy: Taxonomy, projectID: UUID, name: String, updatedAt: Double) {
        entries.withLockedValue { $0[Self.key(projectID, name)] = (updatedAt, taxonomy) }
    }
}
