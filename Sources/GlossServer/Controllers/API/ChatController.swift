import Foundation
import GlossCore
import GlossStore
import Vapor

/// Live chat for `chat` fields: the worker's message goes to the project's chat endpoint twice, the two
/// replies wait as the pending turn until the worker picks one (and may edit it). The state is saved after
/// every step, so a reload resumes the conversation and a failed call loses nothing.
struct ChatController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tasks", ":id", "chat", ":field", use: show)
        routes.post("tasks", ":id", "chat", ":field", "messages", use: send)
        routes.post("tasks", ":id", "chat", ":field", "choice", use: choose)
    }

    struct Context {
        let principal: Principal
        let task: TaskContext
        let fieldName: String
        let field: ChatField
    }

    func context(_ req: Request) async throws -> Context {
        let principal = try req.requireRole(.worker)
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()) else { throw Problem.notFound }
        let schema = try req.gloss.schemas.schema(projectID: task.projectID, updatedAt: task.projectUpdatedAt, json: task.schemaJSON)
        let name = req.parameters.get("field") ?? ""
        guard case .chat(let field)? = schema.field(named: name)?.kind else { throw Problem.notFound }
        guard try await req.gloss.tasks.holdsLease(taskID: task.id, workerID: principal.id) else {
            throw Problem.conflict("The lease on this task is gone.")
        }
        return Context(principal: principal, task: task, fieldName: name, field: field)
    }

    func response(_ state: ChatConversation, _ context: Context) -> Response {
        .json(.object([
            "turns": .array(state.turns), "pending": state.pendingJSON, "endpoint": .string(context.field.endpoint),
            "min_turns": .number(Double(context.field.minimumTurns)), "max_turns": .number(Double(context.field.maximumTurns)),
        ]))
    }

    func load(_ req: Request, _ context: Context) async throws -> ChatConversation {
        ChatConversation(stored: try await req.gloss.chats.state(taskID: context.task.id, workerID: context.principal.id, field: context.fieldName))
    }

    func save(_ req: Request, _ context: Context, _ state: ChatConversation) async throws {
        do {
            try await req.gloss.chats.save(taskID: context.task.id, workerID: context.principal.id, field: context.fieldName, state: state.stored.jsonText)
        } catch LeaseError.noLease {
            throw Problem.conflict("The lease on this task is gone.")
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let context = try await context(req)
        return response(try await load(req, context), context)
    }

    @Sendable func send(req: Request) async throws -> Response {
        let context = try await context(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["content"])
        let content = try fields.string("content", maximumLength: ChatField.maximumMessageLength + 1)
        if let error = ChatField.checkMessage(content, path: "content") { throw Problem.invalid([error]) }
        var state = try await load(req, context)
        if let refusal = state.refusalToSend(in: context.field) { throw Problem.conflict(refusal.description) }
        guard let endpoint = try await req.gloss.models.endpoint(named: context.field.endpoint, projectID: context.task.projectID, kind: .chat) else {
            throw Problem(.serviceUnavailable, "No model endpoint",
                          detail: "This project has no chat endpoint named '\(context.field.endpoint)'; the requester must register it. Your conversation so far is saved.")
        }
        let data = try JSONValue.parse(context.task.dataJSON).objectValue ?? [:]
        let messages = context.field.messages(turns: state.turns, next: content!, data: data)
        let candidates: [String]
        do {
            candidates = try await req.gloss.modelClient.twoReplies(messages, endpoint: endpoint)
        } catch {
            let saved = "Your conversation so far is saved; send your message again."
            if case .timeout = error {
                throw Problem(.gatewayTimeout, "The model is too slow", detail: "\(error.workerDescription.capitalizedFirst). \(saved)")
            }
            req.logger.warning("chat endpoint failed: \(error)")
            throw Problem(.badGateway, "The model did not answer", detail: "\(error.workerDescription.capitalizedFirst). \(saved)")
        }
        state.pending = .init(user: content!, candidates: candidates)
        try await save(req, context, state)
        return response(state, context)
    }

    @Sendable func choose(req: Request) async throws -> Response {
        let context = try await context(req)
        var state = try await load(req, context)
        do {
            _ = try state.choose(try req.jsonObject(), in: context.field)
        } catch let refusal as ChatConversation.Refusal {
            throw Problem.conflict(refusal.description)
        } catch let failure as ValidationFailure {
            throw Problem.invalid(failure.errors, title: "The choice is not complete")
        }
        try await save(req, context, state)
        return response(state, context)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
