import AsyncHTTPClient
import Foundation
import GlossCore
import GlossStore
import NIOCore
import NIOHTTP1

/// Calls the model endpoints requesters register: OpenAI-compatible chat completions for live chat, and
/// pre-label URLs that answer a value for a task. Every call has the endpoint's time limit.
struct ModelClient: Sendable {
    let http: HTTPClient
    let secrets: SecretBox

    /// Why a call gave no usable answer, in words a worker or requester can act on.
    enum CallError: Error, CustomStringConvertible {
        case timeout(endpoint: String, seconds: Int)
        case unreachable(endpoint: String, reason: String)
        case status(endpoint: String, code: UInt, body: String)
        case badAnswer(endpoint: String, reason: String)

        var description: String {
            switch self {
            case .timeout(let endpoint, let seconds): "the model endpoint '\(endpoint)' did not answer within \(seconds) s"
            case .unreachable(let endpoint, let reason): "the model endpoint '\(endpoint)' could not be reached (\(reason))"
            case .status(let endpoint, let code, let body):
                "the model endpoint '\(endpoint)' answered HTTP \(code)" + (body.isEmpty ? "" : ": \(body)")
            case .badAnswer(let endpoint, let reason): "the model endpoint '\(endpoint)' gave an answer Gloss cannot use: \(reason)"
            }
        }

        /// Worth another try later: the endpoint was slow, down, overloaded or broken for a moment.
        var isTransient: Bool {
            switch self {
            case .timeout, .unreachable: true
            case .status(_, let code, _): code == 429 || code >= 500
            case .badAnswer: false
            }
        }
    }

    static let maximumAnswerBytes = 4 * 1024 * 1024

    /// POSTs JSON to the endpoint with its key as a bearer token; the answer's JSON.
    func post(_ body: JSONValue, to endpoint: ModelEndpoint) async throws(CallError) -> JSONValue {
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Gloss")
        if let sealed = endpoint.keyCiphertext {
            do {
                request.headers.add(name: "Authorization", value: "Bearer \(try secrets.open(sealed))")
            } catch {
                throw .unreachable(endpoint: endpoint.name, reason: "\(error)")
            }
        }
        request.body = .bytes(ByteBuffer(string: body.jsonText))
        let bytes: ByteBuffer
        let status: HTTPResponseStatus
        do {
            let response = try await http.execute(request, timeout: .seconds(Int64(endpoint.timeoutSeconds)))
            status = response.status
            bytes = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout(endpoint: endpoint.name, seconds: endpoint.timeoutSeconds)
        } catch {
            throw .unreachable(endpoint: endpoint.name, reason: Self.describe(error))
        }
        let text = String(buffer: bytes)
        guard (200..<300).contains(status.code) else {
            throw .status(endpoint: endpoint.name, code: status.code, body: String(text.prefix(300)))
        }
        do {
            return try JSONValue.parse(text)
        } catch {
            throw .badAnswer(endpoint: endpoint.name, reason: "the body is not JSON (\(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .remoteConnectionClosed { return "the connection was closed" }
            return "\(error)"
        }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return String(text.prefix(200))
    }

    // MARK: Chat

    /// One reply of a chat-completions endpoint to the conversation: `choices[0].message.content`.
    func chatReply(_ messages: [JSONValue], endpoint: ModelEndpoint) async throws(CallError) -> String {
        var body: [String: JSONValue] = ["messages": .array(messages)]
        if let model = endpoint.model { body["model"] = .string(model) }
        let answer = try await post(.object(body), to: endpoint)
        guard let choice = answer["choices"]?.arrayValue?.first, let content = choice["message"]?["content"]?.stringValue else {
            throw .badAnswer(endpoint: endpoint.name, reason: "no choices[0].message.content")
        }
        guard !content.trimmed.isEmpty else { throw .badAnswer(endpoint: endpoint.name, reason: "the reply is empty") }
        return content
    }

    /// Two replies from two separate requests (never `n=2`, which many endpoints ignore), made at once.
    func twoReplies(_ messages: [JSONValue], endpoint: ModelEndpoint) async throws(CallError) -> [String] {
        async let first = replyResult(messages, endpoint: endpoint)
        async let second = replyResult(messages, endpoint: endpoint)
        let results = await [first, second]
        return try results.map { result throws(CallError) in try result.get() }
    }

    func replyResult(_ messages: [JSONValue], endpoint: ModelEndpoint) async -> Result<String, CallError> {
        do {
            return .success(try await chatReply(messages, endpoint: endpoint))
        } catch {
            return .failure(error)
        }
    }
}
