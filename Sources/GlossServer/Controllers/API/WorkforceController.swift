import Foundation
import GlossCore
import GlossStore
import Vapor

/// Applying, the worker's own application, credentials, qualifications, dashboard, alerts and notifications,
/// and the public tracks, job board and quiz.
struct WorkforceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tracks", use: tracks)
        routes.post("applications", use: apply)
        routes.get("listings", use: listings)
        routes.post("listings", "quiz", use: quiz)
        routes.post("alerts", "unsubscribe", use: unsubscribe)
        let me = routes.grouped("me")
        me.get("application", use: application)
        me.put("application", use: saveApplication)
        me.post("application", "submit", use: submitApplication)
        me.get("credentials", use: credentials)
        me.on(.POST, "credentials", body: .collect(maxSize: "5mb"), use: addCredential)
        me.get("qualifications", use: qualifications)
        me.get("alerts", use: alerts)
        me.put("alerts", use: setAlerts)
        me.get("notifications", use: notifications)
        me.post("notifications", "read", use: markRead)
        routes.get("credentials", ":id", "document", use: document)
        routes.get("dashboard", use: dashboard)
        routes.get("projects", ":id", "reach", use: reach)
    }

    func worker(_ req: Request) throws -> Principal {
        let principal = try req.requirePrincipal()
        guard principal.role == .worker else { throw Problem.forbidden("This route is for worker accounts.") }
        return principal
    }

    // MARK: Public

    @Sendable func tracks(req: Request) async throws -> Response {
        let workforce = req.gloss.workforce
        let assessments = try await workforce.assessments()
        return .json(.object(["tracks": .array(try await workforce.tracks().map { WorkforceDTO.track($0, assessments: assessments) })]))
    }

    @Sendable func apply(req: Request) async throws -> Response {
        try PagesController.checkSameOrigin(req)
        if let principal = req.principal { throw Problem.conflict("You are signed in as \(principal.user.email): sign out to apply with another account.") }
        let service = req.workforceService
        let user = try await service.apply(try req.jsonObject()) { try await req.password.async.hash($0) }
        let userID = try user.requireID()
        let session = try await req.gloss.accounts.createSession(userID: userID)
        let token = try await req.gloss.accounts.createToken(userID: userID, name: "application")
        let body = JSONValue.object(["application": try await service.application(userID: userID, includeResults: false), "token": .string(token)])
        let response = Response.json(body, status: .created)
        SessionCookie.set(session, on: response, secure: req.gloss.configuration.secureCookies)
        return response
    }

    @Sendable func listings(req: Request) async throws -> Response {
        var minimum: Int?
        if let text = req.query[String.self, at: "min_rate_cents"], !text.isEmpty {
            guard let value = Int(text), value >= 0 else { throw Problem.invalid(field: "min_rate_cents", "must be a whole number of cents") }
            minimum = value
        }
        let filter = MatchingService.ListingFilter(track: req.query[String.self, at: "track"], language: req.query[String.self, at: "language"],
                                                   profession: req.query[String.self, at: "profession"], minimumRateCents: minimum)
        return .json(try await req.matchingService.listings(filter))
    }

    @Sendable func quiz(req: Request) async throws -> Response {
        .json(try await req.matchingService.quiz(.object(try req.jsonObject())))
    }

    @Sendable func unsubscribe(req: Request) async throws -> Response {
        let fields = try JSONFields(try req.jsonObject(), allowed: ["token"])
        let token = try fields.string("token", required: true, maximumLength: 200)!
        guard try await req.gloss.workforce.unsubscribe(token: token) else { throw Problem.invalid(field: "token", "is not a valid unsubscribe link") }
        return .json(.object(["enabled": .bool(false)]))
    }

    // MARK: The worker's own

    @Sendable func application(req: Request) async throws -> Response {
        let principal = try worker(req)
        return .json(try await req.workforceService.application(userID: principal.id, includeResults: false))
    }

    @Sendable func saveApplication(req: Request) async throws -> Response {
        let principal = try worker(req)
        try await req.workforceService.saveDraft(principal, try req.jsonObject())
        return .json(try await req.workforceService.application(userID: principal.id, includeResults: false))
    }

    @Sendable func submitApplication(req: Request) async throws -> Response {
        let principal = try worker(req)
        try await req.workforceService.submit(principal)
        return .json(try await req.workforceService.application(userID: principal.id, includeResults: false))
    }

    @Sendable func credentials(req: Request) async throws -> Response {
        let principal = try worker(req)
        return .json(.object(["credentials": .array(try await req.gloss.workforce.credentials(userID: principal.id).map { WorkforceDTO.credential($0) })]))
    }

    @Sendable func addCredential(req: Request) async throws -> Response {
        let principal = try worker(req)
        guard req.headers.contentType?.subType == "form-data" else {
            throw Problem(.unsupportedMediaType, "Send multipart/form-data", detail: "Fields type, issuer, number, year, expires_on and the file document.")
        }
        let form = try req.content.decode(WorkforceService.CredentialForm.self)
        let credential = try await req.workforceService.addCredential(form, for: principal)
        return .json(WorkforceDTO.credential(credential), status: .created)
    }

    @Sendable func document(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let credential = try await req.gloss.workforce.credential(id: try req.uuidParameter()),
              credential.userID == principal.id || principal.isAdmin, let sha = credential.documentSHA else { throw Problem.notFound }
        let bytes = try req.gloss.blobs.read(sha)
        let name = (credential.documentName ?? "document").replacingOccurrences(of: "\"", with: "")
        return Response(status: .ok, headers: [
            "Content-Type": credential.documentType ?? "application/octet-stream", "Cache-Control": "no-store",
            "Content-Disposition": "attachment; filename=\"\(name)\"",
        ], body: .init(data: Data(bytes)))
    }

    @Sendable func qualifications(req: Request) async throws -> Response {
        let principal = try worker(req)
        let names = Tracks.names(try await req.gloss.workforce.tracks())
        let now = Store.now()
        return .json(.object(["qualifications": .array(try await req.gloss.workforce.qualifications(userID: principal.id).map {
            WorkforceDTO.qualification($0, names: names, now: now)
        })]))
    }

    @Sendable func alerts(req: Request) async throws -> Response {
        let principal = try worker(req)
        return .json(.object(["enabled": .bool(try await req.gloss.workforce.profile(userID: principal.id).alerts)]))
    }

    @Sendable func setAlerts(req: Request) async throws -> Response {
        let principal = try worker(req)
        let fields = try JSONFields(try req.jsonObject(), allowed: ["enabled"])
        guard let enabled = try fields.bool("enabled") else { throw Problem.invalid(field: "enabled", "is required") }
        try await req.gloss.workforce.setAlerts(userID: principal.id, enabled: enabled)
        return .json(.object(["enabled": .bool(enabled)]))
    }

    @Sendable func notifications(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let workforce = req.gloss.workforce
        return .json(.object([
            "notifications": .array(try await workforce.notifications(userID: principal.id).map(WorkforceDTO.notification)),
            "unread": .number(Double(try await workforce.unreadCount(userID: principal.id))),
        ]))
    }

    @Sendable func markRead(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        var ids: [UUID]?
        if let buffer = req.body.data, buffer.readableBytes > 0 {
            let fields = try JSONFields(try req.jsonObject(), allowed: ["ids"])
            if let list = try fields.value("ids") {
                guard let array = list.arrayValue else { throw Problem.invalid(field: "ids", "must be an array of notification ids") }
                ids = try array.enumerated().map { index, value in
                    guard let text = value.stringValue, let id = UUID(uuidString: text) else { throw Problem.invalid(field: "ids[\(index)]", "is not an id") }
                    return id
                }
            }
        }
        try await req.gloss.workforce.markRead(userID: principal.id, ids: ids, now: Store.now())
        return .json(.object(["unread": .number(Double(try await req.gloss.workforce.unreadCount(userID: principal.id)))]))
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let principal = try worker(req)
        return .json(try await req.matchingService.dashboard(principal))
    }

    @Sendable func reach(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        return .json(try await req.matchingService.reach(project))
    }
}
