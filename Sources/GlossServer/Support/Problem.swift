import GlossCore
import Vapor

/// An error answered as `application/problem+json` (RFC 9457), naming the field and line at fault.
struct Problem: Error, Sendable {
    var status: HTTPResponseStatus
    var title: String
    var detail: String?
    var errors: [FieldError]
    var headers: HTTPHeaders
    /// A URI naming the kind of problem; `/problems/confirm` asks the client to confirm and resend.
    var type = "about:blank"

    init(_ status: HTTPResponseStatus, _ title: String, detail: String? = nil, errors: [FieldError] = [], headers: HTTPHeaders = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    static func invalid(_ errors: [FieldError], title: String = "The request is not valid") -> Problem {
        Problem(.unprocessableEntity, title, detail: errors.map(\.description).joined(separator: "; "), errors: errors)
    }

    static func invalid(field: String, _ message: String, line: Int? = nil) -> Problem {
        invalid([FieldError(field: field, message: message, line: line)])
    }

    static func badRequest(field: String, _ message: String) -> Problem {
        Problem(.badRequest, "The request is malformed", detail: "\(field): \(message)", errors: [FieldError(field: field, message: message)])
    }

    static let unauthorized = Problem(.unauthorized, "Sign in or send an API token",
                                      detail: "Send 'Authorization: Bearer <token>' or sign in.",
                                      headers: ["WWW-Authenticate": "Bearer"])
    static let notFound = Problem(.notFound, "Not found")

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, "Not allowed", detail: detail)
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, "Conflict", detail: detail)
    }

    var json: String {
        var members: [String: JSONValue] = [
            "type": .string(type),
            "title": .string(title),
            "status": .number(Double(status.code)),
        ]
        if let detail { members["detail"] = .string(detail) }
        if let first = errors.first {
            members["field"] = .string(first.field)
            if let line = first.line { members["line"] = .number(Double(line)) }
            members["errors"] = .array(errors.map { error in
                var item: [String: JSONValue] = ["field": .string(error.field), "message": .string(error.message)]
                if let line = error.line { item["line"] = .number(Double(line)) }
                return .object(item)
            })
        }
        return JSONValue.object(members).jsonText
    }

    func response() -> Response {
        var headers = self.headers
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: json))
    }
}

/// Turns every error into a problem response for the API (and a plain page for HTML routes), and never
/// leaks internals: unexpected errors are logged and answered as a 500 without details.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = Self.problem(for: error, request: request)
            if request.url.path.hasPrefix("/api/") || request.headers.accept.mediaTypes.contains(.json) {
                return problem.response()
            }
            return ErrorPage.response(for: problem, request: request)
        }
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let fieldError as FieldError:
            return .invalid([fieldError])
        case let failure as ValidationFailure:
            return .invalid(failure.errors)
        case let abort as any AbortError:
            if abort.status == .notFound { return .notFound }
            return Problem(abort.status, abort.status.reasonPhrase, detail: abort.reason, headers: abort.headers)
        case let decoding as DecodingError:
            return .badRequest(field: decoding.fieldPath, decoding.summary)
        default:
            request.logger.report(error: error)
            return Problem(.internalServerError, "Internal server error")
        }
    }
}

extension DecodingError {
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        let names = path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
        return names.isEmpty ? "body" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    var summary: String {
        switch self {
        case .keyNotFound: "is required"
        case .typeMismatch(let type, _): "has the wrong type (expected \(type))"
        case .valueNotFound(let type, _): "must not be null (expected \(type))"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "is not valid"
        }
    }
}
