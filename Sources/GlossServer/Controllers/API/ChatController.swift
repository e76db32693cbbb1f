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

    /// The saved conversation of one chat field: finished turns and the pending one.
    struct ChatState {
        var turns: [JSONValue] = []
        var pending: (user: String, candidates: [String])?

        init() {}

        init(json text: String?) throws {
            guard let text, let object = try JSONValue.parse(text).objectValue else { return }
            turns = object["turns"]?.arrayValue ?? []
            if let pending = object["pending"]?.objectValue, let user = pending["user"]?.stringValue,
               let candidates = pending["candidates"]?.arrayValue?.compactMap(\.stringValue), candidates.count == 2 {
                self.pending = (user, candidates)
            }
        }

        var stored: JSONValue {
            .object(["turns": .array(turns), "pending": pendingJSON])
        }

        var pendingJSON: JSONValue {
            guard let pending else { return .null }
            return .object(["user": .string(pending.user), "candidates": .array(pending.candidates.map { .string($0) })])
        }

        var value: JSONValue { .object(["turns": .array(turns)]) }
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

    func response(_ state: ChatState, _ context: Context) -> Response {
        .json(.object([
            "turns": .array(state.turns), "pending": state.pendingJSON, "endpoint": .string(context.field.endpoint),
            "min_turns": .number(Double(context.field.minimumTurns)), "max_turns": .number(Double(context.field.maximumTurns)),
        ]))
    }

    func load(_ req: Request, _ context: Context) async throws -> ChatState {
        try ChatState(json: try await req.gloss.chats.state(taskID: context.task.id, workerID: context.principal.id, field: context.fieldName))
    }

    func save(_ req: Request, _ context: Context, _ state: ChatState) async throws {
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
        guard state.pending == nil else { throw Problem.conflict("Choose between the two replies of this turn before you send the next message.") }
        guard state.turns.count < context.field.maximumTurns else {
            throw Problem.conflict("This conversation has its \(context.field.maximumTurns) turns; submit the task.")
        }
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
        state.pending = (content!, candidates)
        try await save(req, context, state)
        return response(state, context)
    }

    @Sendable func choose(req: Request) async throws -> Response {
        let context = try await context(req)
        var state = try await load(req, context)
        guard let pending = state.pending else { throw Problem.conflict("There is no pending turn to choose in: send a message first.") }
        switch context.field.turn(choosing: try req.jsonObject(), user: pending.user, candidates: pending.candidates, path: "choice") {
        case .failure(let failure): throw Problem.invalid(failure.errors, title: "The choice is not complete")
        case .success(let turn):
            state.turns.append(turn)
            state.pending = nil
        }
        try await save(req, context, state)
        return response(state, context)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
