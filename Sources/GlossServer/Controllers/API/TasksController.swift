import Foundation
import GlossCore
import GlossStore
import NIOCore
import Vapor

/// Import, listing, leasing and annotating tasks.
struct TasksController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "projects", ":id", "tasks", body: .stream, use: importTasks)
        routes.get("projects", ":id", "tasks", use: list)
        routes.get("projects", ":id", "next", use: next)
        routes.post("tasks", ":id", "heartbeat", use: heartbeat)
        routes.post("tasks", ":id", "skip", use: skip)
        routes.post("tasks", ":id", "annotations", use: submit)
        routes.get("tasks", ":id", "annotations", use: annotations)
    }

    // MARK: Import

    @Sendable func importTasks(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        guard let contentType = req.headers.first(name: .contentType), let format = ImportFormat(contentType: contentType) else {
            throw Problem(.unsupportedMediaType, "Unsupported import format",
                          detail: "Send application/json (an array of tasks), application/x-ndjson (one task a line) or text/csv.")
        }
        let limit = req.gloss.configuration.maximumImportBytes
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        let imported = try await ImportService(context: req.gloss)
            .importTasks(into: project, format: format, chunks: LimitedBody(body: req.body, limit: limit))
        return .json(.object(["imported": .number(Double(imported))]), status: .created)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(.payloadTooLarge, "The import is too large",
                detail: "The body is larger than the limit of \(limit) bytes (setting GLOSS_MAX_IMPORT_BYTES).")
    }

    /// The request body as byte chunks, failing once more than `limit` bytes have arrived.
    struct LimitedBody: AsyncSequence, Sendable {
        typealias Element = ByteBufferView
        let body: Request.Body
        let limit: Int

        struct AsyncIterator: AsyncIteratorProtocol {
            var base: Request.Body.AsyncIterator
            let limit: Int
            var received = 0

            mutating func next() async throws -> ByteBufferView? {
                guard let buffer = try await base.next() else { return nil }
                received += buffer.readableBytes
                guard received <= limit else { throw TasksController.tooLarge(limit) }
                return buffer.readableBytesView
            }
        }

        func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(base: body.makeAsyncIterator(), limit: limit)
        }
    }

    // MARK: Listing

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        var afterSeq: Int64 = 0
        if let after = req.query[String.self, at: "after"] {
            guard let afterID = UUID(uuidString: after),
                  let seq = try await req.gloss.tasks.seq(ofTask: afterID, projectID: project.id!) else {
                throw Problem.invalid(field: "after", "is not a task of this project")
            }
            afterSeq = seq
        }
        let tasks = try await req.gloss.tasks.tasks(projectID: project.id!, afterSeq: afterSeq, limit: limit)
        var output = "{\"tasks\":["
        for (index, task) in tasks.enumerated() {
            if index > 0 { output += "," }
            TaskDTO.summary(task, into: &output)
        }
        output += "],\"next_after\":"
        output += tasks.count == limit ? "\"\(tasks.last!.id.text)\"" : "null"
        output += "}"
        return .json(text: output)
    }

    // MARK: Leasing

    @Sendable func next(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let projectID = try req.uuidParameter()
        // Workers see open projects only (404 otherwise, as everywhere); an admin gets 204 from a closed one.
        guard let project = try await req.gloss.projects.leaseSettings(id: projectID),
              project.status == .open || principal.isAdmin else { throw Problem.notFound }
        var excluding: Set<UUID> = []
        if let exclude = req.query[String.self, at: "exclude"] {
            for part in exclude.split(separator: ",") {
                guard let id = UUID(uuidString: String(part)) else { throw Problem.invalid(field: "exclude", "must be task ids") }
                excluding.insert(id)
            }
            guard excluding.count <= 5 else { throw Problem.invalid(field: "exclude", "at most 5 task ids") }
        }
        guard project.status == .open else { return Response(status: .noContent) }
        // Only approved workers who meet the project's requirements are served its tasks.
        guard try await req.matchingService.mayWork(principal, requirementsJSON: project.requirementsJSON) else {
            throw MatchingService.refusal(principal)
        }
        let quality = req.gloss.quality
        let known = try await quality.leaseContext(projectID: projectID, workerID: principal.id)
        let standing = known.standing
        if standing.status == WorkerQualityStatus.paused.rawValue {
            throw Problem.forbidden("Your work on this project is paused: your quality score is below the project's threshold.")
        }
        // Rework first: an annotation a reviewer sent back, with their comment.
        if let reworkTask = known.reworkTaskID, !excluding.contains(reworkTask),
           let rework = try await quality.openRework(projectID: projectID, taskID: reworkTask, workerID: principal.id),
           let leased = try await req.gloss.tasks.task(id: rework.taskID, leaseExpiresAt: Store.now() + Double(project.policy.leaseSeconds)) {
            let previous = try await quality.answers(taskID: rework.taskID, includingRejected: true).first { $0.rootID == rework.rootID }
            return .json(text: TaskDTO.leased(leased, rework: (rework.comment, previous?.valueJSON ?? "null")))
        }
        // Gold is mixed into the stream at the policy's rate, served exactly like any task. What a worker is
        // served is counted only on projects with gold, so other projects' `next` writes nothing extra.
        let policy = QualityService.policy(json: project.qualityPolicyJSON)
        let countsServed = policy.goldRate > 0 && known.hasGold
        var generator = SystemRandomNumberGenerator()
        if countsServed, policy.goldDue(goldServed: standing.goldServed, totalServed: standing.served, using: &generator),
           !(try await req.gloss.tasks.holdsLease(projectID: projectID, workerID: principal.id, excluding: excluding)) {
            let now = Store.now()
            if let goldID = try await quality.leaseGold(projectID: projectID, workerID: principal.id, expiresAt: now + Double(project.policy.leaseSeconds), now: now),
               let leased = try await req.gloss.tasks.task(id: goldID, leaseExpiresAt: now + Double(project.policy.leaseSeconds)) {
                try await quality.countServed(projectID: projectID, workerID: principal.id, gold: true)
                req.gloss.metrics.tasksLeased.increment()
                return .json(text: TaskDTO.leased(leased))
            }
        }
        guard let task = try await req.gloss.tasks.next(projectID: projectID, workerID: principal.id, excluding: excluding, policy: project.policy) else {
            return Response(status: .noContent, headers: ["Cache-Control": "no-store"])
        }
        if countsServed, task.isNew {
            try await quality.countServed(projectID: projectID, workerID: principal.id, gold: false)
        }
        req.gloss.metrics.tasksLeased.increment()
        return .json(text: TaskDTO.leased(task))
    }

    /// The task a worker acts on. Whether they hold its lease is checked inside each write (409 when not).
    func workerTask(_ req: Request) async throws -> (Principal, TaskContext) {
        let principal = try req.requireRole(.worker)
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()) else { throw Problem.notFound }
        guard try await req.matchingService.mayWork(principal, requirementsJSON: task.requirementsJSON) else {
            throw MatchingService.refusal(principal)
        }
        return (principal, task)
    }

    @Sendable func heartbeat(req: Request) async throws -> Response {
        let (principal, task) = try await workerTask(req)
        if try await req.gloss.quality.openRework(taskID: task.id, workerID: principal.id) != nil {
            return .json(.object(["lease_expires_at": timestamp(Store.now() + Double(task.leaseSeconds))]))
        }
        do {
            let expiresAt = try await req.gloss.tasks.heartbeat(taskID: task.id, workerID: principal.id, leaseSeconds: task.leaseSeconds)
            return .json(.object(["lease_expires_at": timestamp(expiresAt)]))
        } catch LeaseError.noLease {
            throw Problem.conflict("The lease on this task is gone.")
        }
    }

    @Sendable func skip(req: Request) async throws -> Response {
        let (principal, task) = try await workerTask(req)
        if let rework = try await req.gloss.quality.openRework(taskID: task.id, workerID: principal.id) {
            // Declining a rework: someone else answers the task instead.
            let quality = req.gloss.quality
            try await req.gloss.store.write { sql in
                try await quality.closeRework(id: rework.id, status: "declined", now: Store.now(), on: sql)
                try await quality.raiseTarget(taskID: task.id, projectID: task.projectID, on: sql)
            }
            try await PayService(context: req.gloss).skipped(taskID: task.id, projectID: task.projectID, workerID: principal.id)
            return Response(status: .noContent)
        }
        do {
            try await req.gloss.tasks.skip(taskID: task.id, workerID: principal.id)
        } catch LeaseError.noLease {
            throw Problem.conflict("The lease on this task is gone.")
        }
        try await PayService(context: req.gloss).skipped(taskID: task.id, projectID: task.projectID, workerID: principal.id)
        return Response(status: .noContent)
    }

    // MARK: Annotations

    @Sendable func submit(req: Request) async throws -> Response {
        let (principal, task) = try await workerTask(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["value", "time_spent_s", "confirm"])
        let sent = try fields.value("value", required: true)!
        let timeSpent = try fields.number("time_spent_s", in: 0...86_400) ?? 0
        let confirmed = try fields.bool("confirm") ?? false
        let schema = try req.gloss.schemas.schema(projectID: task.projectID, updatedAt: task.projectUpdatedAt, json: task.schemaJSON)
        let data = schema.readsData ? (try JSONValue.parse(task.dataJSON).objectValue ?? [:]) : [:]
        let value = try await withConversations(sent, schema: schema, task: task, workerID: principal.id, req: req)
        let taxonomies = schema.taxonomyNames.isEmpty ? [:]
            : try await req.gloss.taxonomyCache.taxonomies(for: schema, projectID: task.projectID, repository: req.gloss.taxonomies)
        var media = try await req.gloss.media.records(forURLs: schema.mediaURLs(in: data), projectID: task.projectID).mapValues(\.facts)
        // A recording counts only when this worker stored it for this task, named by its exact URL (never the
        // task's own audio, nor another's take).
        let recordingURLs = schema.valueMediaURLs(in: value)
        for url in recordingURLs { media[url] = nil }
        for (url, record) in try await req.gloss.media.records(forURLs: recordingURLs, projectID: task.projectID)
        where url == record.url && record.uploadedBy == principal.id && record.taskID == task.id {
            media[url] = record.facts
        }
        let errors = schema.validate(value, data: data, taxonomies: taxonomies, media: media)
        guard errors.isEmpty else { throw Problem.invalid(errors, title: "The annotation does not fit the schema") }
        let stored = schema.normalized(value, data: data, taxonomies: taxonomies)
        // The project's rules: a hard rule refuses the annotation; a soft one asks the worker to confirm, and a
        // confirmed annotation goes to review.
        let violations = schema.checkRules(value: stored, timeSpentSeconds: timeSpent)
        let hard = violations.filter { $0.severity == .hard }
        guard hard.isEmpty else {
            throw Problem.invalid(hard.map { FieldError(field: $0.field, message: $0.message) }, title: "The annotation breaks a rule of the project")
        }
        let soft = violations.filter { $0.severity == .soft }
        if !soft.isEmpty, !confirmed {
            var problem = Problem.invalid(soft.map { FieldError(field: $0.field, message: $0.message) },
                                          title: "Please confirm: the annotation breaks a soft rule of the project")
            problem.type = "/problems/confirm"
            problem.detail = "Send it again with \"confirm\": true to submit it anyway; it will be reviewed."
            throw problem
        }
        do {
            let annotation = try await req.qualityService.submit(task: task, schema: schema, principal: principal, valueJSON: stored.jsonText,
                                                                 timeSpentSeconds: timeSpent, softViolations: soft)
            req.gloss.metrics.annotationsSubmitted.increment()
            return .json(text: AnnotationDTO.json(annotation, forWorker: true), status: .created)
        } catch LeaseError.noLease {
            throw Problem.conflict("The lease on this task is gone.")
        }
    }

    /// The value with each chat field's conversation as the server kept it (what the client sent for those
    /// fields is ignored: the replies must be the model's). A turn still waiting for a choice is an error.
    func withConversations(_ value: JSONValue, schema: LabelSchema, task: TaskContext, workerID: UUID, req: Request) async throws -> JSONValue {
        let chats = schema.chatFields
        guard !chats.isEmpty, var object = value.objectValue else { return value }
        let states = try await req.gloss.chats.states(taskID: task.id, workerID: workerID)
        for (name, _) in chats {
            let state = ChatConversation(stored: states[name])
            if state.pending != nil {
                throw Problem.invalid(field: "value.\(name)", "choose between the two replies of the last turn before you submit")
            }
            object[name] = state.value
        }
        return .object(object)
    }

    @Sendable func annotations(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()) else { throw Problem.notFound }
        let workerID: UUID?
        if principal.role == .worker {
            workerID = principal.id
        } else {
            _ = try await req.projectService.visibleProject(task.projectID, to: principal)
            workerID = nil
        }
        let annotations = try await req.gloss.tasks.annotations(taskID: task.id, workerID: workerID)
        if principal.role == .worker, annotations.isEmpty, !(try await req.gloss.tasks.holdsLease(taskID: task.id, workerID: principal.id)) {
            throw Problem.notFound
        }
        let forWorker = principal.role == .worker
        return .json(text: "{\"annotations\":[" + annotations.map { AnnotationDTO.json($0, forWorker: forWorker) }.joined(separator: ",") + "]}")
    }
}

struct ExportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("projects", ":id", "export", use: export)
    }

    @Sendable func export(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let formatName = req.query[String.self, at: "format"] ?? "jsonl"
        guard let format = ExportFormat(rawValue: formatName) else {
            throw Problem.invalid(field: "format", "'\(formatName)' is not an export format (formats: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let schema = try req.gloss.schemas.schema(of: project)
        if let reason = format.unavailableReason(for: schema) {
            throw Problem.invalid(field: "format", "'\(format.rawValue)' \(reason)")
        }
        let service = ExportService(context: req.gloss)
        let includesImages = req.query[Bool.self, at: "images"] ?? false
        let answersName = req.query[String.self, at: "answers"] ?? "all"
        guard let answers = ExportService.Answers(rawValue: answersName) else {
            throw Problem.invalid(field: "answers", "must be all or final")
        }
        let projectID = project.id!
        let logger = req.logger
        let fileName = Self.fileName(project.name + (answers == .final ? " final" : ""), format: format)
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await service.export(projectID: projectID, format: format, schema: schema, includesImages: includesImages, answers: answers) { bytes in
                    try await writer.writeBuffer(ByteBuffer(bytes: bytes))
                }
                try await writer.write(.end)
            } catch {
                logger.report(error: error)
                try? await writer.write(.error(error))
            }
        }))
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Gloss-Answers", value: answers.rawValue)
        return response
    }

    static func fileName(_ name: String, format: ExportFormat) -> String {
        let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let trimmed = String(slug).split(separator: "-").joined(separator: "-").prefix(60)
        return "\(trimmed.isEmpty ? "export" : String(trimmed)).\(format.fileExtension)"
    }
}
