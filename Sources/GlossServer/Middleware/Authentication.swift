import Foundation
import GlossCore
import GlossStore
import Vapor

/// Who is calling: resolved once per request from a bearer token or the session cookie.
struct Principal: Sendable {
    let user: UserModel
    let id: UUID
    let role: Role
    /// The session's CSRF token when the caller came with the session cookie; nil for bearer tokens.
    let csrfToken: String?

    var isAdmin: Bool { role == .admin }
    var organizationID: UUID? { user.organizationID }
}

struct PrincipalKey: StorageKey {
    typealias Value = Principal
}

extension Request {
    var principal: Principal? { storage[PrincipalKey.self] }

    /// The caller, or a 401 problem.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthorized }
        return principal
    }

    func requireRole(_ roles: Role...) throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.role == .admin || roles.contains(principal.role) else {
            throw Problem.forbidden("This route is for \(roles.map(\.rawValue).joined(separator: " or ")) accounts.")
        }
        return principal
    }
}

enum SessionCookie {
    static let name = "gloss_session"

    /// Signs the browser in: the session's cookie, HTTP-only and same-site.
    static func set(_ session: AccountRepository.NewSession, on response: Response, secure: Bool) {
        response.cookies[name] = HTTPCookies.Value(
            string: session.token, expires: Date(timeIntervalSince1970: session.expiresAt), path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Resolves the caller from `Authorization: Bearer` or the session cookie. A cookie-authenticated write
/// must carry the session's CSRF token (header `X-CSRF-Token`, or the form field `_csrf`).
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let accounts = request.gloss.accounts
        if let bearer = request.headers.bearerAuthorization {
            guard let user = try await accounts.user(token: bearer.token), let id = user.id,
                  let role = Role(rawValue: user.role) else {
                throw Problem(.unauthorized, "The API token is not valid", headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""])
            }
            request.storage[PrincipalKey.self] = Principal(user: user, id: id, role: role, csrfToken: nil)
        } else if let cookie = request.cookies[SessionCookie.name]?.string,
                  let (user, csrfToken) = try await accounts.session(token: cookie), let id = user.id,
                  let role = Role(rawValue: user.role) {
            request.storage[PrincipalKey.self] = Principal(user: user, id: id, role: role, csrfToken: csrfToken)
            if Self.isWrite(request.method) {
                try await Self.checkCSRF(request, expected: csrfToken)
            }
        }
        return try await next.respond(to: request)
    }

    static func isWrite(_ method: HTTPMethod) -> Bool {
        ![.GET, .HEAD, .OPTIONS].contains(method)
    }

    static func checkCSRF(_ request: Request, expected: String) async throws {
        var presented = request.headers.first(name: "X-CSRF-Token")
        if presented == nil, request.headers.contentType == .urlEncodedForm {
            presented = try? request.content.get(String.self, at: "_csrf")
        }
        guard let presented, constantTimeEquals(presented, expected) else {
            throw Problem.forbidden("Missing or wrong CSRF token: send the page's token in 'X-CSRF-Token'.")
        }
    }

    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Adds security headers to every response: no framing, no sniffing, and a content security policy that
/// allows only this server's own scripts and styles (no inline script), so even a missed escape cannot run.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.contentType?.subType == "html" {
            // Images may come from HTTPS hosts: tasks compare generated images kept in the requester's storage.
            // Scripts, styles and connections stay on this origin.
            response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                          value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        }
        return response
    }
}

/// Serves `Public/` (css, js, the icon) and nothing else: API and page requests skip the file system.
struct StaticFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard path.hasPrefix("/css/") || path.hasPrefix("/js/") || path == "/favicon.svg" else {
            return try await next.respond(to: request)
        }
        let response = try await files.respond(to: request, chainingTo: next)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }
}
