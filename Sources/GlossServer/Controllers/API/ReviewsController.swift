import Foundation
import GlossCore
import GlossStore
import Vapor

/// Peer review and expert verification, and workers' flags. Reviewers and experts are workers holding the
/// project's reviewer or expert qualification; they never see who wrote an annotation.
struct ReviewsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reviews", use: queues)
        routes.get("projects", ":id", "reviews", "next", use: next)
        routes.get("reviews", ":id", use: show)
        routes.post("reviews", ":id", use: decide)
        routes.post("tasks", ":id", "flags", use: flag)
    }

    static let stages = ["review", "expert"]
    static let reviewLeaseSeconds = 900

    /// The review queues the caller can work: per project, their level and the open items per stage they may take.
    @Sendable func queues(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let assignments = try await req.gloss.quality.reviewAssignments(userID: principal.id)
        return .json(.object(["queues": .array(assignments.map { item in
            var stages: [String: JSONValue] = ["review": .number(Double(item.review))]
            if item.level == "expert" { stages["expert"] = .number(Double(item.expert)) }
            return .object(["project_id": .string(item.projectID.text), "project_name": .string(item.projectName),
                            "level": .string(item.level), "open": .object(stages)])
        })]))
    }

    /// The caller's grant on the project, checked for the stage: experts work both stages, reviewers the peer stage.
    static func grant(_ req: Request, projectID: UUID, stage: String) async throws -> ReviewerGrant {
        let principal = try req.requireRole(.worker)
        if principal.role == .worker, principal.user.workerStatus != WorkerStatus.approved.rawValue { throw MatchingService.refusal(principal) }
        guard let grant = try await req.gloss.quality.grant(projectID: projectID, userID: principal.id) else {
            throw Problem.forbidden("You do not review this project.")
        }
        if stage == "expert", grant.level != "expert" {
            throw Problem.forbidden("The expert stage is for workers with this project's expert qualification.")
        }
        return grant
    }

    @Sendable func next(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let projectID = try req.uuidParameter()
        guard let project = try await req.gloss.projects.find(id: projectID), project.status == ProjectStatus.open.rawValue else {
            throw Problem.notFound
        }
        let stage = req.query[String.self, at: "stage"] ?? "review"
        guard Self.stages.contains(stage) else { throw Problem.invalid(field: "stage", "must be review or expert") }
        let grant = try await Self.grant(req, projectID: projectID, stage: stage)
        guard let item = try await req.gloss.quality.leaseReview(projectID: projectID, stage: stage, reviewerID: principal.id,
                                                                 specialties: stage == "expert" ? grant.specialties : nil,
                                                                 leaseSeconds: Self.reviewLeaseSeconds) else {
            return Response(status: .noContent, headers: ["Cache-Control": "no-store"])
        }
        return .json(try await Self.itemJSON(item, req: req))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let item = try await req.gloss.quality.review(id: try req.uuidParameter()) else { throw Problem.notFound }
        if principal.role == .worker {
            guard item.reviewerID == principal.id else { throw Problem.notFound }
        } else {
            _ = try await req.projectService.managedProject(item.projectID, by: principal)
        }
        return .json(try await Self.itemJSON(item, req: req))
    }

    /// An item as its reviewer sees it: the task, the annotation under review (or, for a flag, every current
    /// answer), the decided reviews before it, and no worker identities.
    static func itemJSON(_ item: ReviewItem, req: Request) async throws -> JSONValue {
        guard let task = try await req.gloss.tasks.context(ofTask: item.taskID) else { throw Problem.notFound }
        var object: [String: JSONValue] = [
            "id": .string(item.id.text),
            "project_id": .string(item.projectID.text),
            "stage": .string(item.stage),
            "reason": .string(item.reason),
            "status": .string(item.status),
            "comment": item.comment.map(JSONValue.string) ?? .null,
            "specialty": item.specialty.map(JSONValue.string) ?? .null,
            "verdict": item.verdict.map(JSONValue.string) ?? .null,
            "task": .object(["id": .string(task.id.text), "data": (try? JSONValue.parse(task.dataJSON)) ?? .null]),
            "created_at": timestamp(item.createdAt),
        ]
        let quality = req.gloss.quality
        if let rootID = item.rootID, let annotationID = item.annotationID {
            let versions = try await quality.versions(rootID: rootID)
            let reviewed = versions.first { $0.id == annotationID }
            object["annotation"] = .object([
                "id": .string(annotationID.text),
                "version": .number(Double(reviewed?.version ?? 1)),
                "value": reviewed.flatMap { try? JSONValue.parse($0.valueJSON) } ?? .null,
                "origin": .string(reviewed?.origin ?? "worker"),
            ])
            object["history"] = .array(try await quality.history(rootID: rootID).map { entry in
                .object(["stage": .string(entry.stage), "verdict": .string(entry.verdict),
                         "comment": entry.comment.map(JSONValue.string) ?? .null, "decided_at": timestamp(entry.decidedAt)])
            })
        } else {
            object["annotation"] = .null
            object["history"] = .array([])
            // At most as many answers as the project asks for: a gold task, which every worker answers, shows
            // no more than any other.
            let answers = try await quality.answers(taskID: item.taskID).prefix(task.overlap)
            object["answers"] = .array(answers.enumerated().map { index, answer in
                .object(["annotation_id": .string(answer.annotationID.text), "label": .string("Answer \(index + 1)"),
                         "value": (try? JSONValue.parse(answer.valueJSON)) ?? .null])
            })
        }
        if let flagID = item.flagID, let flag = try await quality.flag(id: flagID) {
            object["flag"] = .object(["kind": .string(flag.kind), "note": .string(flag.note),
                                      "specialty": flag.specialty.map(JSONValue.string) ?? .null,
                                      "guidelines_version": .number(Double(flag.guidelinesVersion))])
        }
        return .object(object)
    }

    /// A verdict: `accept`, `reject` (a comment is required), `correct` (with the corrected `value`),
    /// `escalate` (peer stage; to the experts, optionally of a `specialty`) or `resolve` (a flag or a
    /// disagreement; optionally with the task's `final` answer).
    @Sendable func decide(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        guard let item = try await req.gloss.quality.review(id: try req.uuidParameter()), item.reviewerID == principal.id else {
            throw Problem.notFound
        }
        _ = try await Self.grant(req, projectID: item.projectID, stage: item.stage)
        guard let task = try await req.gloss.tasks.context(ofTask: item.taskID) else { throw Problem.notFound }
        let fields = try JSONFields(try req.jsonObject(), allowed: ["verdict", "comment", "value", "final", "specialty"])
        let verdictText = try fields.string("verdict", required: true)!
        guard let verdict = QualityService.Verdict(rawValue: verdictText) else {
            throw Problem.invalid(field: "verdict", "must be one of \(QualityService.Verdict.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let comment = try fields.string("comment", maximumLength: 5000)?.trimmingCharacters(in: .whitespacesAndNewlines)
        let hasAnnotation = item.rootID != nil
        switch verdict {
        case .accept, .correct:
            guard hasAnnotation else { throw Problem.invalid(field: "verdict", "this item has no annotation to \(verdict.rawValue); resolve it") }
        case .reject:
            guard hasAnnotation else { throw Problem.invalid(field: "verdict", "this item has no annotation to reject; resolve it") }
            guard let comment, !comment.isEmpty else { throw Problem.invalid(field: "comment", "is required when rejecting: tell the worker what to fix") }
        case .escalate:
            guard item.stage == "review" else { throw Problem.invalid(field: "verdict", "only the peer stage escalates to the experts") }
        case .resolve:
            guard !hasAnnotation || item.stage == "expert" else {
                throw Problem.invalid(field: "verdict", "accept, reject or correct an annotation; resolve is for flags")
            }
        }
        var correction: String?
        if verdict == .correct {
            correction = try await QualityController.checkedAnswer(try fields.value("value", required: true)!, field: "value", task: task, req: req).jsonText
        }
        var final: String?
        if let raw = try fields.value("final") {
            guard verdict == .resolve else { throw Problem.invalid(field: "final", "is only set when resolving") }
            final = try await QualityController.checkedAnswer(raw, field: "final", task: task, req: req).jsonText
        }
        let specialty = try fields.string("specialty", maximumLength: 100)?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let schema = try req.gloss.schemas.schema(projectID: task.projectID, updatedAt: task.projectUpdatedAt, json: task.schemaJSON)
        try await req.qualityService.decide(item: item, task: task, schema: schema, reviewerID: principal.id, verdict: verdict, comment: comment,
                                            correctionJSON: correction, finalJSON: final, specialty: specialty?.isEmpty == true ? nil : specialty)
        guard let decided = try await req.gloss.quality.review(id: item.id) else { throw Problem.notFound }
        return .json(try await Self.itemJSON(decided, req: req))
    }

    static let flagKinds = ["ambiguous", "edge_case", "guidelines_gap", "other"]

    /// A worker flags a task they hold or annotated: it goes to the expert queue (of the specialty, when
    /// given) and the requester sees it with the note.
    @Sendable func flag(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        if principal.role == .worker, principal.user.workerStatus != WorkerStatus.approved.rawValue { throw MatchingService.refusal(principal) }
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()),
              try await req.gloss.quality.hasWorked(taskID: task.id, workerID: principal.id) else { throw Problem.notFound }
        let fields = try JSONFields(try req.jsonObject(), allowed: ["kind", "note", "specialty"])
        let kind = try fields.string("kind") ?? "ambiguous"
        guard Self.flagKinds.contains(kind) else { throw Problem.invalid(field: "kind", "must be one of \(Self.flagKinds.joined(separator: ", "))") }
        let note = try fields.string("note", required: true, maximumLength: 5000)!.trimmingCharacters(in: .whitespacesAndNewlines)
        let specialty = try fields.string("specialty", maximumLength: 100)?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let flagID = try await req.qualityService.flag(task: task, workerID: principal.id, kind: kind, note: note,
                                                       specialty: specialty?.isEmpty == true ? nil : specialty)
        guard let flag = try await req.gloss.quality.flag(id: flagID) else { throw Problem.notFound }
        return .json(QualityController.flagJSON(flag), status: .created)
    }
}
