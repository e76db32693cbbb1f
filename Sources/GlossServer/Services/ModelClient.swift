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
        case misconfigured(endpoint: String, reason: String)

        var description: String {
            switch self {
            case .timeout(let endpoint, let seconds): "the model endpoint '\(endpoint)' did not answer within \(seconds) s"
            case .unreachable(let endpoint, let reason): "the model endpoint '\(endpoint)' could not be reached (\(reason))"
            case .status(let endpoint, let code, let body):
                "the model endpoint '\(endpoint)' answered HTTP \(code)" + (body.isEmpty ? "" : ": \(body)")
            case .badAnswer(let endpoint, let reason): "the model endpoint '\(endpoint)' gave an answer Gloss cannot use: \(reason)"
            case .misconfigured(let endpoint, let reason): "the model endpoint '\(endpoint)' cannot be called: \(reason)"
            }
        }

        /// What a worker is told: the same, without the endpoint's own error text (which may name keys or
        /// internal hosts; requesters see it in the pre-label jobs and logs).
        var workerDescription: String {
            switch self {
            case .status(let endpoint, let code, _): "the model endpoint '\(endpoint)' answered HTTP \(code)"
            case .unreachable(let endpoint, _): "the model endpoint '\(endpoint)' could not be reached"
            case .misconfigured(let endpoint, _): "the model endpoint '\(endpoint)' is not set up correctly; tell the requester"
            default: description
            }
        }

        /// Worth another try later: the endpoint was slow, down, overloaded or broken for a moment.
        var isTransient: Bool {
            switch self {
            case .timeout, .unreachable: true
            case .status(_, let code, _): code == 429 || code >= 500
            case .badAnswer, .misconfigured: false
            }
        }
    }

    static let maximumAnswerBytes = 4 * 1024 * 1024

    /// POSTs JSON to the endpoint with its key as a bearer token; the answer's JSON. The endpoint's time limit
    /// covers the whole call, body included.
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
                throw .misconfigured(endpoint: endpoint.name, reason: "\(error)")
            }
        }
        request.body = .bytes(ByteBuffer(string: body.jsonText))
        let prepared = request
        let outcome: Result<(HTTPResponseStatus, ByteBuffer), CallError> = await withTaskGroup(of: Result<(HTTPResponseStatus, ByteBuffer), CallError>?.self) { group in
            group.addTask {
                do {
                    let response = try await http.execute(prepared, timeout: .seconds(Int64(endpoint.timeoutSeconds)))
                    return .success((response.status, try await response.body.collect(upTo: Self.maximumAnswerBytes)))
                } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                    return .failure(.timeout(endpoint: endpoint.name, seconds: endpoint.timeoutSeconds))
                } catch is NIOTooManyBytesError {
                    return .failure(.badAnswer(endpoint: endpoint.name, reason: "the answer is larger than \(Self.maximumAnswerBytes / 1024 / 1024) MB"))
                } catch {
                    return .failure(.unreachable(endpoint: endpoint.name, reason: Self.describe(error)))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(endpoint.timeoutSeconds))
                return Task.isCancelled ? nil : .failure(.timeout(endpoint: endpoint.name, seconds: endpoint.timeoutSeconds))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.timeout(endpoint: endpoint.name, seconds: endpoint.timeoutSeconds))
        }
        let (status, bytes) = try outcome.get()
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
            // The short form: the long one can quote header values (the key).
            if error == .remoteConnectionClosed { return "the connection was closed" }
            return error.shortDescription
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
