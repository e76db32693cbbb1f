import Foundation
import GlossCore
@testable import GlossServer
import NIOConcurrencyHelpers
import Vapor

/// A real HTTP server standing in for requesters' model endpoints: Gloss's stand-in model (chat completions
/// and pre-labels, with `?mode=slow|fail|invalid`) plus routes that show what Gloss sent.
struct ModelServer {
    let app: Application
    let baseURL: String
    /// The Authorization headers the `echo` chat route received.
    let authorizations: NIOLockedValueBox<[String]>
    /// Calls to `flaky`, which fails with 500 until `flakyFailures` calls have been made.
    let flakyCalls: NIOLockedValueBox<Int>

    var chatURL: String { baseURL + "/stand-in-model/v1/chat/completions" }
    var prelabelURL: String { baseURL + "/stand-in-model/prelabel" }

    static func run(flakyFailures: Int = 2, _ body: (ModelServer) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let authorizations = NIOLockedValueBox<[String]>([])
        let flakyCalls = NIOLockedValueBox(0)
        do {
            try app.register(collection: StandInModel())
            app.post("echo", "v1", "chat", "completions") { req -> Response in
                let authorization = req.headers.first(name: .authorization) ?? ""
                authorizations.withLockedValue { $0.append(authorization) }
                let messages = try req.jsonObject()["messages"]?.arrayValue ?? []
                let reply = "I saw \(messages.count) messages; model \(try req.jsonObject()["model"]?.stringValue ?? "none")"
                return .json(.object(["choices": .array([.object(["message": .object(["role": .string("assistant"), "content": .string(reply)])])])]))
            }
            app.post("flaky", "prelabel") { req -> Response in
                let call = flakyCalls.withLockedValue { calls -> Int in
                    calls += 1
                    return calls
                }
                guard call > flakyFailures else { return Response(status: .internalServerError, body: .init(string: "try later")) }
                return .json(.object(["value": .object(["sentiment": .string("negative")]), "score": .number(0.9), "model": .string("flaky-v2")]))
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no port") }
            try await body(ModelServer(app: app, baseURL: "http://127.0.0.1:\(port)", authorizations: authorizations, flakyCalls: flakyCalls))
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// String literals as JSON strings, for writing expected values in tests.
extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
