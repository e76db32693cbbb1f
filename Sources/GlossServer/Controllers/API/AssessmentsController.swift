import Foundation
import GlossCore
import GlossStore
import Vapor

/// Assessments, attempts (start, autosave, submit), practice sets, and the grading queue.
struct AssessmentsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("assessments", use: index)
        routes.get("assessments", ":id", use: show)
        routes.post("assessments", ":id", "attempts", use: start)
        routes.get("attempts", ":id", use: attempt)
        routes.put("attempts", ":id", "answers", use: save)
        routes.post("attempts", ":id", "submit", use: submit)
        routes.get("practice", ":track", use: practice)
        routes.post("practice", ":track", "check", use: check)
        routes.get("grading", use: gradingQueue)
        routes.get("grading", ":attempt_id", use: grading)
        routes.post("grading", ":attempt_id", use: grade)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        return .json(.object(["assessments": .array(try await req.assessmentService.summaries(for: principal))]))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requireRole(.worker)
        let service = req.assessmentService
        guard let assessment = try await req.gloss.workforce.assessment(id: try req.uuidParameter()) else { throw Problem.notFound }
        let definition = try AssessmentService.definition(assessment)
        var object = service.summary(assessment, definition: definition, taker: principal.role == .worker ? try await service.taker(principal) : nil)
        object["items"] = WorkforceDTO.publicItems(definition)
        return .json(.object(object))
    }

    @Sendable func start(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let attempt = try await req.assessmentService.start(assessmentID: try req.uuidParameter(), principal: principal)
        return .json(attempt, status: .created)
    }

    @Sendable func attempt(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let service = req.assessmentService
        let (attempt, assessment) = try await service.readAttempt(try req.uuidParameter(), principal: principal)
        return .json(try service.attemptJSON(attempt, assessment: assessment, now: Store.now()))
    }

    @Sendable func save(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        return .json(try await req.assessmentService.save(attemptID: try req.uuidParameter(), principal: principal, body: try req.jsonObject()))
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = (req.body.data?.readableBytes ?? 0) > 0 ? try req.jsonObject() : [:]
        return .json(try await req.assessmentService.submit(attemptID: try req.uuidParameter(), principal: principal, body: body))
    }

    // MARK: Practice

    @Sendable func practice(req: Request) async throws -> Response {
        _ = try req.requireRole(.worker)
        let track = req.parameters.get("track") ?? ""
        let (_, definition) = try await req.assessmentService.practice(track: track)
        return .json(.object(["track": .string(track), "items": WorkforceDTO.publicItems(definition)]))
    }

    @Sendable func check(req: Request) async throws -> Response {
        _ = try req.requireRole(.worker)
        let (_, definition) = try await req.assessmentService.practice(track: req.parameters.get("track") ?? "")
        let fields = try JSONFields(try req.jsonObject(), allowed: ["item_id", "answer"])
        let itemID = try fields.string("item_id", required: true, maximumLength: 40)!
        let answer = try fields.value("answer") ?? .null
        guard definition.item(itemID) != nil else { throw Problem.invalid(field: "item_id", "is not an item of this practice set") }
        if let error = definition.checkAnswer(itemID: itemID, answer, partial: true) {
            throw Problem.invalid([FieldError(field: error.field.replacingOccurrences(of: "answers.\(itemID)", with: "answer"), message: error.message)])
        }
        guard case .object(let feedback)? = definition.practiceFeedback(itemID: itemID, answer: answer) else { throw Problem.notFound }
        let score = feedback["score"]?.numberValue
        return .json(.object([
            "score": score.map { .number($0) } ?? .null, "correct": .bool((score ?? 0) >= 0.999),
            "answer": feedback["answer"] ?? .null, "explanation": feedback["explanation"] ?? .string(""),
        ]))
    }

    // MARK: Grading

    @Sendable func gradingQueue(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        return .json(try await req.assessmentService.gradingQueue())
    }

    @Sendable func grading(req: Request) async throws -> Response {
        _ = try req.requireRole(.admin)
        return .json(try await req.assessmentService.grading(attemptID: try req.uuidParameter("attempt_id")))
    }

    @Sendable func grade(req: Request) async throws -> Response {
        let admin = try req.requireRole(.admin)
        let id = try req.uuidParameter("attempt_id")
        try await req.assessmentService.grade(attemptID: id, body: try req.jsonObject(), by: admin)
        return .json(try await req.assessmentService.grading(attemptID: id))
    }
}
