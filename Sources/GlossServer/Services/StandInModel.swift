import Foundation
import GlossCore
import NIOConcurrencyHelpers
import Vapor

/// A small stand-in for a language model, served by Gloss itself so the demo's live chat and pre-label
/// projects work without a real model (and the tests have a real HTTP endpoint to call). It is not a model:
/// it answers from templates around the user's words, and says so in its replies' `model` name.
///
/// - `POST /stand-in-model/v1/chat/completions`: OpenAI-compatible chat completions.
/// - `POST /stand-in-model/prelabel`: a pre-label endpoint that picks, for each choice field, the option
///   named in the task's text (else the first).
///
/// `?mode=slow` waits 5 s before answering, `?mode=fail` answers 503 and `?mode=invalid` answers something
/// that is not what was asked for: how a requester (or a test) sees Gloss handle a bad endpoint.
struct StandInModel: RouteCollection {
    static let modelName = "gloss-stand-in (not a real model)"
    private static let counter = NIOLockedValueBox(0)

    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("stand-in-model")
        group.post("v1", "chat", "completions", use: chat)
        group.post("prelabel", use: prelabel)
    }

    /// Applies `?mode=`: nil to answer normally, or the response to give instead.
    func misbehave(_ req: Request) async throws -> Response? {
        switch req.query[String.self, at: "mode"] {
        case "slow":
            try await Task.sleep(for: .seconds(5))
            return nil
        case "fail":
            return Response(status: .serviceUnavailable, body: .init(string: "{\"error\":{\"message\":\"the stand-in model is failing on purpose\"}}"))
        case "invalid":
            return .json(.object(["unexpected": .string("this is not what was asked for")]))
        default:
            return nil
        }
    }

    @Sendable func chat(req: Request) async throws -> Response {
        if let response = try await misbehave(req) { return response }
        let body = try req.jsonObject()
        guard let messages = body["messages"]?.arrayValue, let last = messages.last?["content"]?.stringValue else {
            return Response(status: .badRequest, body: .init(string: "{\"error\":{\"message\":\"messages is required\"}}"))
        }
        let turn = messages.filter { $0["role"]?.stringValue == "user" }.count
        let draw = Self.counter.withLockedValue { value -> Int in
            value += 1
            return value
        }
        let reply = Self.reply(to: last, turn: turn, variant: draw)
        try await Task.sleep(for: .milliseconds(50 + (draw % 5) * 40))
        return .json(.object([
            "id": .string("standin-\(draw)"), "object": .string("chat.completion"), "model": .string(Self.modelName),
            "choices": .array([.object([
                "index": .number(0), "finish_reason": .string("stop"),
                "message": .object(["role": .string("assistant"), "content": .string(reply)]),
            ])]),
        ]))
    }

    /// A reply made from templates: it restates the topic and answers in one of several styles, so two
    /// replies to one message differ the way two samples of a model would.
    static func reply(to message: String, turn: Int, variant: Int) -> String {
        let words = message.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init)
        let topic = words.filter { $0.count > 3 }.prefix(4).joined(separator: " ").lowercased()
        let subject = topic.isEmpty ? "that" : "“\(topic)”"
        let styles = [
            "Short answer on \(subject): start with the simplest option that works, check it against what you need, and only then add detail. Want me to go deeper on one part?",
            "Here is a step-by-step take on \(subject):\n1. Say what a good result looks like.\n2. List the two or three options that matter.\n3. Pick one and try it on a small case first.\n4. Keep notes, so the next decision is easier.",
            "Good question. About \(subject), it depends on your constraints: time, budget and how much risk you accept. If you tell me which matters most, I can be more specific.",
            "I'd approach \(subject) like this: first the basics, then the exceptions. The most common mistake is to optimise too early. (Turn \(turn) of our chat.)",
            "Honestly, for \(subject) there is no single right answer, but a sensible default is to keep it simple and revisit once you have real feedback.",
        ]
        return styles[(variant + turn) % styles.count]
    }

    @Sendable func prelabel(req: Request) async throws -> Response {
        if let response = try await misbehave(req) { return response }
        let body = try req.jsonObject()
        guard let schemaJSON = body["schema"], let schema = try? LabelSchema.parse(schemaJSON) else {
            return Response(status: .badRequest, body: .init(string: "{\"error\":\"schema is required\"}"))
        }
        let data = body["task"]?["data"]?.objectValue ?? [:]
        let text = data.values.compactMap(\.stringValue).joined(separator: " ").lowercased()
        var value: [String: JSONValue] = [:]
        for field in schema.fields {
            guard case .choice(let choice) = field.kind, let first = choice.options.first else { continue }
            let named = choice.options.first { text.contains($0.value.lowercased()) || text.contains($0.label.lowercased()) } ?? first
            value[field.name] = choice.allowsMultiple ? .array([.string(named.value)]) : .string(named.value)
        }
        return .json(.object(["value": .object(value), "score": .number(0.5), "model": .string(Self.modelName)]))
    }
}
