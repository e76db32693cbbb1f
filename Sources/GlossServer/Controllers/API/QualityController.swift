import Foundation
import GlossCore
import GlossStore
import Vapor

/// What a requester manages and sees of quality: gold tasks, reviewers and experts, flags, the quality
/// report, disagreements and their adjudication, and the guidelines' versions.
struct QualityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("projects", ":id", "quality", use: report)
        routes.get("projects", ":id", "disagreements", use: disagreements)
        routes.get("projects", ":id", "gold", use: goldTasks)
        routes.put("tasks", ":id", "gold", use: setGold)
        routes.delete("tasks", ":id", "gold", use: unsetGold)
        routes.get("tasks", ":id", "final", use: final)
        routes.put("tasks", ":id", "final", use: adjudicate)
        routes.get("projects", ":id", "flags", use: flags)
        routes.get("projects", ":id", "reviewers", use: reviewers)
        routes.post("projects", ":id", "reviewers", use: grant)
        routes.delete("projects", ":id", "reviewers", ":user_id", use: revoke)
        routes.get("projects", ":id", "guidelines", "versions", use: guidelineVersions)
        routes.get("projects", ":id", "guidelines", "versions", ":version", use: guidelineVersion)
    }

    /// The task and its managed project, or 404 (403 for workers).
    static func managedTask(_ req: Request) async throws -> (ProjectModel, TaskContext) {
        let principal = try req.requirePrincipal()
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()) else { throw Problem.notFound }
        let project = try await req.projectService.managedProject(task.projectID, by: principal)
        return (project, task)
    }

    /// Checks a whole answer against the schema as a worker's annotation would be, and normalizes it.
    static func checkedAnswer(_ value: JSONValue, field: String, task: TaskContext, req: Request) async throws -> JSONValue {
        let schema = try req.gloss.schemas.schema(projectID: task.projectID, updatedAt: task.projectUpdatedAt, json: task.schemaJSON)
        let data = schema.readsData ? (try JSONValue.parse(task.dataJSON).objectValue ?? [:]) : [:]
        let taxonomies = schema.taxonomyNames.isEmpty ? [:]
            : try await req.gloss.taxonomyCache.taxonomies(for: schema, projectID: task.projectID, repository: req.gloss.taxonomies)
        var media = try await req.gloss.media.records(forURLs: schema.mediaURLs(in: data), projectID: task.projectID).mapValues(\.facts)
        // A reviewer's correction or a gold answer may name any recording made for this task.
        let recordingURLs = schema.valueMediaURLs(in: value)
        for url in recordingURLs { media[url] = nil }
        for (url, record) in try await req.gloss.media.records(forURLs: recordingURLs, projectID: task.projectID)
        where url == record.url && record.taskID == task.id {
            media[url] = record.facts
        }
        let errors = schema.validate(value, data: data, taxonomies: taxonomies, media: media).map { error in
            FieldError(field: error.field.hasPrefix("value") ? field + error.field.dropFirst("value".count) : "\(field).\(error.field)",
                       message: error.message, line: error.line)
        }
        guard errors.isEmpty else { throw Problem.invalid(errors, title: "The answer does not fit the schema") }
        return schema.normalized(value, data: data, taxonomies: taxonomies)
    }

    // MARK: Report

    @Sendable func report(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let schema = try req.gloss.schemas.schema(of: project)
        let bootstrap = try JSONFields(["bootstrap": req.query[Int.self, at: "bootstrap"].map { .number(Double($0)) } ?? .null], allowed: ["bootstrap"])
            .integer("bootstrap", in: 0...5000) ?? 1000
        let report = try await QualityReport(context: req.gloss).build(project: project, schema: schema, bootstrapSamples: bootstrap)
        return .json(report)
    }

    @Sendable func disagreements(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 20, 1), 200)
        let quality = req.gloss.quality
        var items: [JSONValue] = []
        for final in try await quality.disagreements(projectID: project.id!, limit: limit) {
            guard let task = try await req.gloss.tasks.context(ofTask: final.taskID) else { continue }
            let answers = try await req.gloss.tasks.annotations(taskID: final.taskID, workerID: nil).filter { $0.status != "rejected" }
            items.append(.object([
                "task": .object(["id": .string(final.taskID.text), "data": (try? JSONValue.parse(task.dataJSON)) ?? .null]),
                "agreement": .number(Self.rounded(final.agreement)),
                "consensus": .object(["value": (try? JSONValue.parse(final.valueJSON)) ?? .null, "source": .string(final.source),
                                      "confidence": .number(Self.rounded(final.confidence))]),
                "answers": .array(answers.map { answer in
                    .object(["annotation_id": .string(answer.id.text), "worker": .string(answer.worker),
                             "value": (try? JSONValue.parse(answer.valueJSON)) ?? .null])
                }),
            ]))
        }
        return .json(.object(["disagreements": .array(items)]))
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    // MARK: Gold

    @Sendable func goldTasks(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 200, 1), 1000)
        let gold = try await req.gloss.quality.goldTasks(projectID: project.id!, limit: limit)
        return .json(.object(["gold": .array(gold.map { item in
            .object([
                "task_id": .string(item.taskID.text),
                "external_id": item.externalID.map(JSONValue.string) ?? .null,
                "data": (try? JSONValue.parse(item.dataJSON)) ?? .null,
                "answer": (try? JSONValue.parse(item.valueJSON)) ?? .null,
                "attempts": .number(Double(item.attempts)),
                "mean_score": item.meanScore.map { .number(Self.rounded($0)) } ?? .null,
            ])
        })]))
    }

    @Sendable func setGold(req: Request) async throws -> Response {
        let (_, task) = try await Self.managedTask(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["answer"])
        let answer = try await Self.checkedAnswer(try fields.value("answer", required: true)!, field: "answer", task: task, req: req)
        try await req.gloss.quality.setGold(taskID: task.id, projectID: task.projectID, valueJSON: answer.jsonText, by: try req.requirePrincipal().id)
        return .json(.object(["task_id": .string(task.id.text), "answer": answer]))
    }

    @Sendable func unsetGold(req: Request) async throws -> Response {
        let (project, task) = try await Self.managedTask(req)
        guard try await req.qualityService.unsetGold(task: task, schema: try req.gloss.schemas.schema(of: project)) else {
            throw Problem.notFound
        }
        return Response(status: .noContent)
    }

    // MARK: Final answers

    @Sendable func final(req: Request) async throws -> Response {
        let (_, task) = try await Self.managedTask(req)
        guard let final = try await req.gloss.quality.final(taskID: task.id) else { throw Problem.notFound }
        return .json(Self.finalJSON(final))
    }

    static func finalJSON(_ final: FinalAnswer) -> JSONValue {
        .object([
            "task_id": .string(final.taskID.text),
            "value": (try? JSONValue.parse(final.valueJSON)) ?? .null,
            "source": .string(final.source),
            "confidence": .number(rounded(final.confidence)),
            "agreement": .number(rounded(final.agreement)),
            "answers": .number(Double(final.answers)),
        ])
    }

    /// Adjudication: the requester sets a task's final answer, either a value or one of the answers by id.
    @Sendable func adjudicate(req: Request) async throws -> Response {
        let (_, task) = try await Self.managedTask(req)
        let principal = try req.requirePrincipal()
        let fields = try JSONFields(try req.jsonObject(), allowed: ["value", "annotation_id"])
        let value: JSONValue
        if let annotationText = try fields.string("annotation_id") {
            guard let annotationID = UUID(uuidString: annotationText),
                  let answer = try await req.gloss.tasks.annotations(taskID: task.id, workerID: nil).first(where: { $0.id == annotationID }) else {
                throw Problem.invalid(field: "annotation_id", "is not a current answer of this task")
            }
            value = (try? JSONValue.parse(answer.valueJSON)) ?? .null
        } else {
            value = try await Self.checkedAnswer(try fields.value("value", required: true)!, field: "value", task: task, req: req)
        }
        try await req.qualityService.adjudicate(task: task, valueJSON: value.jsonText, by: principal.id)
        guard let final = try await req.gloss.quality.final(taskID: task.id) else { throw Problem.notFound }
        return .json(Self.finalJSON(final))
    }

    // MARK: Flags

    @Sendable func flags(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let flags = try await req.gloss.quality.flags(projectID: project.id!, limit: 500)
        return .json(.object(["flags": .array(flags.map(Self.flagJSON))]))
    }

    static func flagJSON(_ flag: FlagRecord) -> JSONValue {
        .object([
            "id": .string(flag.id.text),
            "task_id": .string(flag.taskID.text),
            "worker": .string(flag.worker),
            "kind": .string(flag.kind),
            "note": .string(flag.note),
            "specialty": flag.specialty.map(JSONValue.string) ?? .null,
            "guidelines_version": .number(Double(flag.guidelinesVersion)),
            "status": .string(flag.status),
            "resolution": flag.resolution.map(JSONValue.string) ?? .null,
            "created_at": timestamp(flag.createdAt),
        ])
    }

    // MARK: Reviewers

    @Sendable func reviewers(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let grants = try await req.gloss.quality.reviewers(projectID: project.id!)
        return .json(.object(["reviewers": .array(grants.map(Self.grantJSON))]))
    }

    static func grantJSON(_ grant: ReviewerGrant) -> JSONValue {
        .object([
            "user_id": .string(grant.userID.text),
            "email": .string(grant.email),
            "name": .string(grant.name),
            "level": .string(grant.level),
            "specialties": .array(grant.specialties.map(JSONValue.string)),
        ])
    }

    /// Grants a worker the reviewer (peer stage) or expert (expert stage) qualification on a project.
    @Sendable func grant(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["email", "level", "specialties"])
        let email = try fields.string("email", required: true)!
        let level = try fields.string("level") ?? "reviewer"
        guard ["reviewer", "expert"].contains(level) else { throw Problem.invalid(field: "level", "must be reviewer or expert") }
        var specialties: [String] = []
        if let raw = try fields.value("specialties") {
            guard let items = raw.arrayValue else { throw Problem.invalid(field: "specialties", "must be an array of strings") }
            for (index, item) in items.enumerated() {
                guard let text = item.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty, text.count <= 100 else {
                    throw Problem.invalid(field: "specialties[\(index)]", "must be a non-empty string of at most 100 characters")
                }
                specialties.append(text.lowercased())
            }
        }
        guard let normalized = AccountRules.normalizedEmail(email), let user = try await req.gloss.accounts.user(email: normalized),
              user.role == Role.worker.rawValue else {
            throw Problem.invalid(field: "email", "is not a worker's account")
        }
        try await req.gloss.quality.grant(projectID: project.id!, userID: user.id!, level: level, specialties: specialties)
        guard let grant = try await req.gloss.quality.grant(projectID: project.id!, userID: user.id!) else { throw Problem.notFound }
        return .json(Self.grantJSON(grant), status: .created)
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        guard let userID = req.parameters.get("user_id").flatMap(UUID.init(uuidString:)),
              try await req.gloss.quality.revoke(projectID: project.id!, userID: userID) else { throw Problem.notFound }
        return Response(status: .noContent)
    }

    // MARK: Guidelines

    @Sendable func guidelineVersions(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        let versions = try await req.gloss.projects.guidelineVersions(projectID: project.id!)
        return .json(.object(["versions": .array(versions.map { version in
            .object(["version": .number(Double(version.version)), "created_at": timestamp(version.createdAt),
                     "length": .number(Double(version.length))])
        })]))
    }

    @Sendable func guidelineVersion(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        guard let number = req.parameters.get("version").flatMap(Int.init),
              let version = try await req.gloss.projects.guidelines(projectID: project.id!, version: number) else { throw Problem.notFound }
        return .json(.object(["version": .number(Double(number)), "guidelines": .string(version.text),
                              "guidelines_html": .string(Guidelines.html(fromMarkdown: version.text)),
                              "created_at": timestamp(version.createdAt)]))
    }
}
