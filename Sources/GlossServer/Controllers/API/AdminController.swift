import Foundation
import GlossCore
import GlossStore
import Vapor

/// The admin console's API: applications and decisions, credentials, qualifications by hand, tracks and
/// rates, assessments, decisions on attempts in the review band, and the audit log. Admins only.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin")
        admin.get("applications", use: applications)
        admin.get("applications", ":user_id", use: application)
        admin.post("applications", ":user_id", "status", use: decide)
        admin.get("credentials", use: credentials)
        admin.post("credentials", ":id", use: reviewCredential)
        admin.post("users", ":user_id", "qualifications", use: grant)
        admin.delete("users", ":user_id", "qualifications", ":track", use: revoke)
        admin.patch("tracks", ":id", use: updateTrack)
        admin.get("assessments", use: assessments)
        admin.post("assessments", use: createAssessment)
        admin.get("assessments", ":id", use: assessment)
        admin.post("attempts", ":id", "decision", use: decideAttempt)
        admin.get("audit", use: audit)
    }

    static func reason(_ fields: JSONFields) throws -> String {
        try fields.string("reason", required: true, maximumLength: 2000)!.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Sendable func applications(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        var status: WorkerStatus?
        if let text = req.query[String.self, at: "status"], !text.isEmpty {
            guard let value = WorkerStatus(rawValue: text) else {
                throw Problem.invalid(field: "status", "must be one of \(WorkerStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        }
        let workforce = req.gloss.workforce
        let rows = try await workforce.applications(status: status)
        let latest = try await workforce.latestAttempts(userIDs: rows.map(\.userID))
        let titles = Dictionary(uniqueKeysWithValues: try await workforce.assessments().map { ($0.id, $0.title) })
        return .json(.object(["applications": .array(rows.map { row in
            .object([
                "user_id": .string(row.userID.text), "name": .string(row.name), "email": .string(row.email), "status": .string(row.status),
                "path": .string(row.path), "country": WorkforceDTO.optional(row.country), "submitted_at": WorkforceDTO.optionalTime(row.submittedAt),
                "updated_at": timestamp(row.updatedAt),
                "latest_attempt": latest[row.userID].map { WorkforceDTO.attemptSummary($0, title: titles[$0.assessmentID] ?? "") } ?? .null,
            ])
        })]))
    }

    @Sendable func application(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        return .json(try await req.workforceService.application(userID: try req.uuidParameter("user_id"), includeResults: true))
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["status", "reason"])
        let text = try fields.string("status", required: true)!
        guard let status = WorkerStatus(rawValue: text), WorkforceService.decisionStatuses.contains(status) else {
            throw Problem.invalid(field: "status", "must be one of approved, rejected, suspended, assessing")
        }
        let userID = try req.uuidParameter("user_id")
        try await req.workforceService.decide(userID: userID, status: status, reason: try Self.reason(fields), by: admin)
        return .json(try await req.workforceService.application(userID: userID, includeResults: true))
    }

    @Sendable func credentials(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        if let status, !["pending", "verified", "rejected"].contains(status) {
            throw Problem.invalid(field: "status", "must be pending, verified or rejected")
        }
        return .json(.object(["credentials": .array(try await req.gloss.workforce.credentials(status: status).map {
            WorkforceDTO.credential($0, withUser: true)
        })]))
    }

    @Sendable func reviewCredential(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["status", "note"])
        let status = try fields.string("status", required: true)!
        let note = try fields.string("note", maximumLength: 2000)
        let credential = try await req.workforceService.reviewCredential(id: try req.uuidParameter(), status: status, note: note, by: admin)
        return .json(WorkforceDTO.credential(credential, withUser: true))
    }

    @Sendable func grant(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["track", "reason"])
        let track = try fields.string("track", required: true, maximumLength: 60)!
        let userID = try req.uuidParameter("user_id")
        try await req.workforceService.grant(track: track, to: userID, reason: try Self.reason(fields), by: admin)
        let names = Tracks.names(try await req.gloss.workforce.tracks())
        guard let row = try await req.gloss.workforce.qualifications(userID: userID).first(where: { $0.track == track }) else { throw Problem.notFound }
        return .json(WorkforceDTO.qualification(row, names: names, now: Store.now()), status: .created)
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        try await req.workforceService.revoke(track: req.parameters.get("track") ?? "", from: try req.uuidParameter("user_id"), by: admin)
        return Response(status: .noContent)
    }

    @Sendable func updateTrack(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let track = try await req.workforceService.updateTrack(id: req.parameters.get("id") ?? "", try req.jsonObject(), by: admin)
        return .json(WorkforceDTO.track(track, assessments: try await req.gloss.workforce.assessments()))
    }

    // MARK: Assessments

    func full(_ row: WorkforceRepository.AssessmentRow, req: Request) throws -> JSONValue {
        let definition = try AssessmentService.definition(row)
        var object = req.assessmentService.summary(row, definition: definition, taker: nil)
        object["definition"] = definition.json
        object["can_start"] = .bool(false)
        object["why_not"] = .string("Admins do not take assessments.")
        return .object(object)
    }

    @Sendable func assessments(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        let service = req.assessmentService
        return .json(.object(["assessments": .array(try await req.gloss.workforce.assessments().map { row -> JSONValue in
            var object = service.summary(row, definition: try? AssessmentService.definition(row), taker: nil)
            object["can_start"] = .bool(false)
            object["why_not"] = .string("Admins do not take assessments.")
            return .object(object)
        })]))
    }

    static let kinds: Set<String> = ["starter", "specialist", "practice"]

    @Sendable func createAssessment(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["slug", "title", "description", "kind", "path", "time_limit_s",
                                                                    "attempts_allowed", "unlocks", "definition"])
        let slug = try fields.string("slug", required: true, maximumLength: 60)!
        guard slug.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else {
            throw Problem.invalid(field: "slug", "must be lower-case letters, digits and dashes")
        }
        let kind = try fields.string("kind", required: true)!
        guard Self.kinds.contains(kind) else { throw Problem.invalid(field: "kind", "must be starter, specialist or practice") }
        let path = try fields.string("path")
        if let path, ApplicantPath(rawValue: path) == nil { throw Problem.invalid(field: "path", "must be general or coding") }
        let tracks = Set(try await req.gloss.workforce.tracks().map(\.id))
        guard let unlockValues = try fields.value("unlocks", required: true)?.arrayValue else { throw Problem.invalid(field: "unlocks", "must be an array of track ids") }
        var unlocks: [String] = []
        for (index, value) in unlockValues.enumerated() {
            guard let track = value.stringValue, tracks.contains(track) else { throw Problem.invalid(field: "unlocks[\(index)]", "is not a track") }
            unlocks.append(track)
        }
        let definition: AssessmentDefinition
        do {
            definition = try AssessmentDefinition.parse(try fields.value("definition", required: true)!)
        } catch let failure as ValidationFailure {
            throw Problem.invalid(failure.errors.map { FieldError(field: "definition." + $0.field, message: $0.message) },
                                  title: "The assessment is not valid")
        }
        let row = WorkforceRepository.AssessmentRow(
            slug: slug, title: try fields.string("title", required: true, maximumLength: 200)!,
            description: try fields.string("description", maximumLength: 5000) ?? "", kind: kind, path: path,
            timeLimitSeconds: try fields.integer("time_limit_s", in: 0...(24 * 3600)) ?? 0,
            attemptsAllowed: try fields.integer("attempts_allowed", in: 0...100) ?? 1, unlocks: unlocks,
            definitionJSON: definition.json.jsonText)
        do {
            try await req.gloss.workforce.createAssessment(row)
        } catch StoreError.conflict(let message) {
            var problem = Problem.conflict(message)
            problem.errors = [FieldError(field: "slug", message: message)]
            throw problem
        }
        let now = Store.now()
        try await req.gloss.store.write { sql in
            try await req.gloss.workforce.audit(actorID: admin.id, action: "assessment.create", subjectType: "assessment", subjectID: row.id.text,
                                                detail: .object(["slug": .string(slug)]), now: now, on: sql)
        }
        let response = Response.json(try full(row, req: req), status: .created)
        return response
    }

    @Sendable func assessment(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        guard let row = try await req.gloss.workforce.assessment(id: try req.uuidParameter()) else { throw Problem.notFound }
        return .json(try full(row, req: req))
    }

    @Sendable func decideAttempt(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["verdict", "reason"])
        let verdict = try fields.string("verdict", required: true)!
        guard verdict == "passed" || verdict == "failed" else { throw Problem.invalid(field: "verdict", "must be passed or failed") }
        let id = try req.uuidParameter()
        try await req.assessmentService.decide(attemptID: id, passed: verdict == "passed", reason: try Self.reason(fields), by: admin)
        let service = req.assessmentService
        let (attempt, assessment) = try await service.ownAttempt(id, principal: admin)
        return .json(try service.attemptJSON(attempt, assessment: assessment, now: Store.now()))
    }

    @Sendable func audit(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        return .json(.object(["events": .array(try await req.gloss.workforce.auditEvents(limit: limit).map {
            .object([
                "id": .string($0.id.text), "actor": WorkforceDTO.optional($0.actor), "action": .string($0.action),
                "subject_type": .string($0.subjectType), "subject_id": .string($0.subjectID),
                "detail": (try? JSONValue.parse($0.detailJSON)) ?? .object([:]), "at": timestamp($0.at),
            ])
        })]))
    }
}
