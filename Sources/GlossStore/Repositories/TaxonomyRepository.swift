import FluentKit
import Foundation
import GlossCore
import SQLKit

/// What is known of an imported taxonomy without reading its terms.
public struct TaxonomyInfo: Sendable {
    public var name: String
    public var terms: Int
    public var roots: Int
    public var depth: Int
    public var updatedAt: Double
}

/// Projects' taxonomies, each stored whole as its canonical JSON (read back and indexed by the server's
/// cache, keyed by `updated_at`).
public struct TaxonomyRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Stores a taxonomy under a name, replacing one of the same name.
    public func put(projectID: UUID, name: String, taxonomy: Taxonomy) async throws -> TaxonomyInfo {
        let now = Store.now()
        let termsJSON = taxonomy.canonicalJSON.jsonText
        let info = TaxonomyInfo(name: name, terms: taxonomy.terms.count, roots: taxonomy.roots.count, depth: taxonomy.depth, updatedAt: now)
        try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO taxonomies (id, project_id, name, terms, term_count, roots, depth, created_at, updated_at)
                VALUES (\(bind: store.id(UUID())), \(bind: store.id(projectID)), \(bind: name), \(bind: termsJSON), \(bind: info.terms),
                \(bind: info.roots), \(bind: info.depth), \(bind: now), \(bind: now))
                ON CONFLICT (project_id, name) DO UPDATE SET terms = excluded.terms, term_count = excluded.term_count,
                roots = excluded.roots, depth = excluded.depth, updated_at = excluded.updated_at
                """).run()
        }
        return info
    }

    public func list(projectID: UUID) async throws -> [TaxonomyInfo] {
        try await store.sql.raw("""
            SELECT name, term_count, roots, depth, updated_at FROM taxonomies WHERE project_id = \(bind: store.id(projectID)) ORDER BY name
            """).all().map(Self.info(from:))
    }

    public func info(projectID: UUID, name: String) async throws -> TaxonomyInfo? {
        try await store.sql.raw("""
            SELECT name, term_count, roots, depth, updated_at FROM taxonomies WHERE project_id = \(bind: store.id(projectID)) AND name = \(bind: name)
            """).first().map(Self.info(from:))
    }

    /// The stored terms (canonical JSON) and when they were stored.
    public func terms(projectID: UUID, name: String) async throws -> (json: String, updatedAt: Double)? {
        guard let row = try await store.sql.raw("""
            SELECT terms, updated_at FROM taxonomies WHERE project_id = \(bind: store.id(projectID)) AND name = \(bind: name)
            """).first() else { return nil }
        return (try row.text("terms"), try row.double("updated_at"))
    }

    static func info(from row: any SQLRow) throws -> TaxonomyInfo {
        TaxonomyInfo(name: try row.text("name"), terms: try row.int("term_count"), roots: try row.int("roots"),
                     depth: try row.int("depth"), updatedAt: try row.double("updated_at"))
    }
}
