import Foundation
import GlossCore
import GlossStore
import Vapor

/// A project's taxonomies: import (JSON or CSV), list, and the search box of `taxonomy` fields.
struct TaxonomiesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.PUT, "projects", ":id", "taxonomies", ":name", body: .collect(maxSize: "64mb"), use: put)
        routes.get("projects", ":id", "taxonomies", use: list)
        routes.get("projects", ":id", "taxonomies", ":name", "search", use: search)
    }

    static func name(_ req: Request) throws -> String {
        let name = req.parameters.get("name") ?? ""
        guard ResourceName.isValid(name) else { throw Problem.invalid(field: "name", "must be \(ResourceName.rule)") }
        return name
    }

    @Sendable func put(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let name = try Self.name(req)
        let contentType = req.headers.contentType
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw Problem.badRequest(field: "body", "send the taxonomy file (JSON or CSV)")
        }
        let taxonomy: Taxonomy
        do {
            if contentType == .json {
                let json: JSONValue
                do {
                    json = try buffer.withUnsafeReadableBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) }
                } catch let error as JSONSyntaxError {
                    throw Problem.badRequest(field: "body", error.description)
                }
                taxonomy = try Taxonomy.parseJSON(json)
            } else if contentType?.type == "text", contentType?.subType == "csv" {
                taxonomy = try Taxonomy.parseCSV(String(buffer: buffer))
            } else {
                throw Problem(.unsupportedMediaType, "Unsupported taxonomy format",
                              detail: "Send application/json (a list of terms {id, name, parent?, synonyms?, children?}) or text/csv (id,parent,name,synonyms).")
            }
        } catch let failure as ValidationFailure {
            throw Problem.invalid(failure.errors, title: "The taxonomy is not valid")
        }
        let info = try await req.gloss.taxonomies.put(projectID: project.id!, name: name, taxonomy: taxonomy)
        req.gloss.taxonomyCache.remember(taxonomy, projectID: project.id!, name: name, updatedAt: info.updatedAt)
        return .json(Self.json(info))
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let taxonomies = try await req.gloss.taxonomies.list(projectID: project.id!)
        return .json(.object(["taxonomies": .array(taxonomies.map(Self.json))]))
    }

    static func json(_ info: TaxonomyInfo) -> JSONValue {
        .object(["name": .string(info.name), "terms": .number(Double(info.terms)), "roots": .number(Double(info.roots)),
                 "depth": .number(Double(info.depth)), "updated_at": timestamp(info.updatedAt)])
    }

    /// Terms matching `q` (names and synonyms), a term's children (`parent`), or the roots.
    @Sendable func search(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        let name = try Self.name(req)
        guard let taxonomy = try await req.gloss.taxonomyCache.taxonomy(projectID: project.id!, name: name, repository: req.gloss.taxonomies) else {
            throw Problem(.notFound, "Not found", detail: "The taxonomy '\(name)' has not been imported into this project.")
        }
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 20, 1), 200)
        let query = req.query[String.self, at: "q"] ?? ""
        guard query.count <= 200 else { throw Problem.invalid(field: "q", "must be at most 200 characters") }
        let hits: [TaxonomyMatch]
        if !query.trimmed.isEmpty {
            hits = taxonomy.search(query, limit: limit)
        } else if let parent = req.query[String.self, at: "parent"], !parent.isEmpty {
            guard let index = taxonomy.index(of: parent) else { throw Problem.invalid(field: "parent", "'\(parent)' is not a term of '\(name)'") }
            hits = taxonomy.childIndexes(of: index).prefix(limit).map { TaxonomyMatch(index: $0, matchedSynonym: nil) }
        } else {
            hits = taxonomy.roots.prefix(limit).map { TaxonomyMatch(index: $0, matchedSynonym: nil) }
        }
        let terms: [JSONValue] = hits.map { hit in
            let term = taxonomy.terms[hit.index]
            var object = taxonomy.value(of: hit.index).objectValue!
            object["name"] = .string(term.name)
            object["synonyms"] = .array(term.synonyms.map { .string($0) })
            object["matched"] = hit.matchedSynonym.map { .string($0) } ?? .null
            object["children"] = .number(Double(taxonomy.childIndexes(of: hit.index).count))
            return .object(object)
        }
        return .json(.object(["terms": .array(terms)]))
    }
}
