import Foundation
import GlossCore
import GlossStore
import Vapor

/// The model endpoints a project registers (chat completions for live chat, pre-label URLs) and the pre-label
/// job queue. Keys go in, never out: answers say only whether one is stored.
struct EndpointsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("projects", ":id", "endpoints", use: create)
        routes.get("projects", ":id", "endpoints", use: list)
        routes.patch("projects", ":id", "endpoints", ":endpoint", use: update)
        routes.delete("projects", ":id", "endpoints", ":endpoint", use: delete)
        routes.get("projects", ":id", "prelabel-jobs", use: jobs)
        routes.post("projects", ":id", "prelabel-jobs", "retry", use: retry)
    }

    static let keys: Set<String> = ["name", "kind", "url", "model", "api_key", "timeout_seconds", "max_attempts"]

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let fields = try JSONFields(try req.jsonObject(), allowed: Self.keys)
        let kindName = try fields.string("kind", required: true)!
        guard let kind = ModelEndpoint.Kind(rawValue: kindName) else { throw Problem.invalid(field: "kind", "must be 'chat' or 'prelabel'") }
        var endpoint = ModelEndpoint(projectID: project.id!, name: "", kind: kind, url: "", model: nil, keyCiphertext: nil,
                                     timeoutSeconds: 30, maxAttempts: 5)
        try apply(fields, to: &endpoint, creating: true, secrets: req.gloss.modelClient.secrets)
        do {
            try await req.gloss.models.create(endpoint)
        } catch StoreError.conflict(let message) {
            throw Problem.invalid(field: "name", message)
        }
        return .json(Self.json(endpoint), status: .created)
    }

    func apply(_ fields: JSONFields, to endpoint: inout ModelEndpoint, creating: Bool, secrets: SecretBox) throws {
        if let name = try fields.string("name", required: creating, maximumLength: 64) {
            guard ResourceName.isValid(name) else { throw Problem.invalid(field: "name", "must be \(ResourceName.rule)") }
            endpoint.name = name
        }
        if let url = try fields.string("url", required: creating, maximumLength: 2000) {
            guard let parsed = URLComponents(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  let host = parsed.host, !host.isEmpty else {
                throw Problem.invalid(field: "url", "must be an http:// or https:// URL with a host")
            }
            guard parsed.user == nil, parsed.password == nil else {
                throw Problem.invalid(field: "url", "must not hold credentials: send the key as api_key, which is stored encrypted")
            }
            // A key goes only where it was given for: a new origin needs the key again.
            let old = URLComponents(string: endpoint.url)
            if !creating, (old?.scheme, old?.host, old?.port) != (parsed.scheme, parsed.host, parsed.port), fields.object["api_key"] == nil {
                endpoint.keyCiphertext = nil
            }
            endpoint.url = url
        }
        if fields.object["model"] != nil {
            endpoint.model = try fields.string("model", maximumLength: 200).flatMap { $0.isEmpty ? nil : $0 }
        }
        if fields.object["api_key"] != nil {
            let key = try fields.string("api_key", maximumLength: 4000)?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let key, key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) {
                throw Problem.invalid(field: "api_key", "must not hold spaces or control characters")
            }
            endpoint.keyCiphertext = try key.flatMap { $0.isEmpty ? nil : try secrets.seal($0) }
        }
        if let timeout = try fields.integer("timeout_seconds", in: 1...300) { endpoint.timeoutSeconds = timeout }
        if let attempts = try fields.integer("max_attempts", in: 1...10) { endpoint.maxAttempts = attempts }
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let endpoints = try await req.gloss.models.endpoints(projectID: project.id!)
        return .json(.object(["endpoints": .array(endpoints.map(Self.json))]))
    }

    func endpoint(_ req: Request) async throws -> ModelEndpoint {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        guard let endpoint = try await req.gloss.models.endpoint(id: try req.uuidParameter("endpoint"), projectID: project.id!) else {
            throw Problem.notFound
        }
        return endpoint
    }

    @Sendable func update(req: Request) async throws -> Response {
        var endpoint = try await endpoint(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: Self.keys.subtracting(["kind"]))
        try apply(fields, to: &endpoint, creating: false, secrets: req.gloss.modelClient.secrets)
        if let other = try await req.gloss.models.endpoints(projectID: endpoint.projectID).first(where: { $0.name == endpoint.name }), other.id != endpoint.id {
            throw Problem.invalid(field: "name", "an endpoint named '\(endpoint.name)' exists in this project")
        }
        try await req.gloss.models.update(endpoint)
        return .json(Self.json(endpoint))
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let endpoint = try await endpoint(req)
        try await req.gloss.models.delete(id: endpoint.id)
        return Response(status: .noContent)
    }

    static func json(_ endpoint: ModelEndpoint) -> JSONValue {
        .object([
            "id": .string(endpoint.id.text), "name": .string(endpoint.name), "kind": .string(endpoint.kind.rawValue),
            "url": .string(endpoint.url), "model": endpoint.model.map { .string($0) } ?? .null, "has_key": .bool(endpoint.keyCiphertext != nil),
            "timeout_seconds": .number(Double(endpoint.timeoutSeconds)), "max_attempts": .number(Double(endpoint.maxAttempts)),
            "created_at": timestamp(endpoint.createdAt),
        ])
    }

    // MARK: Pre-label jobs

    @Sendable func jobs(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let status = req.query[String.self, at: "status"]
        if let status, !["queued", "running", "done", "failed"].contains(status) {
            throw Problem.invalid(field: "status", "must be queued, running, done or failed")
        }
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 50, 1), 500)
        let (counts, jobs) = try await req.gloss.models.jobs(projectID: project.id!, status: status, limit: limit)
        return .json(.object([
            "counts": .object(counts.mapValues { .number(Double($0)) }),
            "jobs": .array(jobs.map { job in
                .object([
                    "task_id": .string(job.taskID.text), "external_id": job.externalID.map { .string($0) } ?? .null,
                    "endpoint": .string(job.endpoint), "status": .string(job.status), "attempts": .number(Double(job.attempts)),
                    "last_error": job.lastError.map { .string($0) } ?? .null, "updated_at": timestamp(job.updatedAt),
                ])
            }),
        ]))
    }

    @Sendable func retry(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let requeued = try await req.gloss.models.retryFailed(projectID: project.id!)
        return .json(.object(["requeued": .number(Double(requeued))]))
    }
}
