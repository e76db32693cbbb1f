import Foundation
import GlossCore
import GlossStore
import Vapor

/// The server-rendered pages. Handlers parse, authorise, call the services and render a page model.
struct PagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("login", use: loginForm)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        routes.get("projects", use: projects)
        routes.post("projects", use: createProject)
        routes.get("projects", ":id", use: project)
        routes.post("projects", ":id", "settings", use: updateProject)
        routes.get("projects", ":id", "label", use: label)
        routes.get("projects", ":id", "quality", use: quality)
        routes.get("projects", ":id", "cost", use: cost)
        routes.get("projects", ":id", "review", use: review)
        routes.get("settings", use: settings)
        routes.post("settings", use: saveSettings)
        routes.get("apply", use: apply)
        routes.get("jobs", use: jobs)
        routes.get("unsubscribe", use: unsubscribe)
        routes.get("dashboard", use: dashboard)
        routes.get("timesheet", use: timesheet)
        routes.get("earnings", use: earnings)
        routes.get("assessments", use: assessments)
        routes.get("attempts", ":id", use: attempt)
        routes.get("practice", ":track", use: practice)
        routes.get("admin", use: admin)
        routes.get("admin", "pay", use: adminPay)
    }

    func signedIn(_ req: Request) throws -> Principal {
        guard let principal = req.principal, principal.csrfToken != nil || req.headers.bearerAuthorization != nil else {
            throw Problem.unauthorized
        }
        return principal
    }

    /// The public landing page; a signed-in worker goes to their dashboard, anyone else to the projects.
    @Sendable func home(req: Request) async throws -> Response {
        if let principal = req.principal {
            return req.redirect(to: principal.role == .worker ? SiteURL.dashboard.path : SiteURL.projects.path)
        }
        return Layout.response(LandingPage.render(.init(principal: nil, tracks: try await req.gloss.workforce.tracks())))
    }

    // MARK: The workforce

    @Sendable func apply(req: Request) async throws -> Response {
        if let principal = req.principal, principal.role != .worker { return req.redirect(to: SiteURL.projects.path) }
        return Layout.response(ApplyPage.render(.init(principal: req.principal)))
    }

    @Sendable func jobs(req: Request) async throws -> Response {
        Layout.response(JobsPage.render(.init(principal: req.principal)))
    }

    @Sendable func unsubscribe(req: Request) async throws -> Response {
        Layout.response(UnsubscribePage.render(.init(token: req.query[String.self, at: "token"] ?? "")))
    }

    func signedInWorker(_ req: Request) throws -> Principal {
        let principal = try signedIn(req)
        guard principal.role == .worker else { throw Problem.forbidden("This page is for worker accounts.") }
        return principal
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        Layout.response(DashboardPage.render(.init(principal: try signedInWorker(req))))
    }

    @Sendable func assessments(req: Request) async throws -> Response {
        Layout.response(AssessmentsPage.render(.init(principal: try signedInWorker(req))))
    }

    @Sendable func timesheet(req: Request) async throws -> Response {
        Layout.response(TimesheetPage.render(.init(principal: try signedInWorker(req))))
    }

    @Sendable func earnings(req: Request) async throws -> Response {
        Layout.response(EarningsPage.render(.init(principal: try signedInWorker(req))))
    }

    @Sendable func attempt(req: Request) async throws -> Response {
        let principal = try signedInWorker(req)
        let (attempt, _) = try await req.assessmentService.readAttempt(try req.uuidParameter(), principal: principal)
        return Layout.response(AttemptPage.render(.init(principal: principal, attemptID: attempt.id, hotkeys: Self.hotkeys(of: principal.user))))
    }

    @Sendable func practice(req: Request) async throws -> Response {
        let principal = try signedInWorker(req)
        let track = req.parameters.get("track") ?? ""
        _ = try await req.assessmentService.practice(track: track)
        return Layout.response(PracticePage.render(.init(principal: principal, track: track)))
    }

    @Sendable func admin(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        guard principal.isAdmin else { throw Problem.forbidden("The console is for admins.") }
        return Layout.response(AdminPage.render(.init(principal: principal)))
    }

    @Sendable func adminPay(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        guard principal.isAdmin else { throw Problem.forbidden("Pay periods are run by admins.") }
        return Layout.response(AdminPayPage.render(.init(principal: principal)))
    }

    // MARK: Sign in and out

    @Sendable func loginForm(req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: SiteURL.projects.path) }
        return Layout.response(LoginPage.render(.init()))
    }

    struct LoginForm: Content {
        var email: String
        var password: String
    }

    @Sendable func login(req: Request) async throws -> Response {
        try Self.checkSameOrigin(req)
        let form = try req.content.decode(LoginForm.self)
        let email = AccountRules.normalizedEmail(form.email) ?? form.email.lowercased()
        let accounts = req.gloss.accounts
        let wait = try await accounts.lockout(email: email)
        if wait > 0 {
            let page = LoginPage.render(.init(email: form.email, error: "Too many failed attempts: try again in \(Int(wait.rounded(.up))) seconds."))
            let response = Layout.response(page, status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        guard let user = try await accounts.user(email: email),
              try await req.password.async.verify(form.password, created: user.passwordHash) else {
            try await accounts.recordFailedLogin(email: email)
            return Layout.response(LoginPage.render(.init(email: form.email, error: "Wrong e-mail or password.")), status: .unauthorized)
        }
        try await accounts.clearFailedLogins(email: email)
        let session = try await accounts.createSession(userID: user.requireID())
        let response = req.redirect(to: SiteURL.projects.path)
        SessionCookie.set(session, on: response, secure: req.gloss.configuration.secureCookies)
        return response
    }

    /// A sign-in form post must come from this site (no CSRF token exists before a session does).
    static func checkSameOrigin(_ req: Request) throws {
        guard let origin = req.headers.first(name: "Origin"), origin != "null" else { return }
        let host = req.headers.first(name: .host) ?? ""
        guard let url = URL(string: origin), let originHost = url.host else { throw Problem.forbidden("Cross-site sign-in refused.") }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        guard originAuthority == host || originHost == host else { throw Problem.forbidden("Cross-site sign-in refused.") }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let cookie = req.cookies[SessionCookie.name]?.string {
            try await req.gloss.accounts.deleteSession(token: cookie)
        }
        let response = req.redirect(to: SiteURL.login.path)
        response.cookies[SessionCookie.name] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                                                                 path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    // MARK: Projects

    @Sendable func projects(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let projects = try await req.projectService.projects(visibleTo: principal)
        return Layout.response(ProjectsPage.render(.init(principal: principal, projects: projects)))
    }

    struct NewProjectFormInput: Content {
        var name: String
        var schema: String
        var guidelines: String?
        var overlap: String?
    }

    @Sendable func createProject(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        _ = try req.requireRole(.requester)
        let input = try req.content.decode(NewProjectFormInput.self)
        let form = ProjectsPage.NewProjectForm(name: input.name, schema: input.schema, guidelines: input.guidelines ?? "",
                                               overlap: input.overlap ?? "1")
        do {
            var object: [String: JSONValue] = ["name": .string(input.name), "guidelines": .string(input.guidelines ?? "")]
            do {
                object["schema"] = try JSONValue.parse(input.schema)
            } catch let error as JSONSyntaxError {
                throw Problem.invalid(field: "schema", error.description)
            }
            object["overlap"] = try Self.wholeNumber(input.overlap, field: "overlap")
            let project = try await req.projectService.create(object, by: principal)
            return req.redirect(to: SiteURL.project(project.id!).path)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let projects = try await req.projectService.projects(visibleTo: principal)
            return Layout.response(ProjectsPage.render(.init(principal: principal, projects: projects, form: form, errors: problem.errors)),
                                   status: .unprocessableEntity)
        }
    }

    /// A form's number field as JSON for the API-shaped services: nil when left empty.
    static func wholeNumber(_ text: String?, field: String) throws -> JSONValue? {
        guard let text, !text.isEmpty else { return nil }
        guard let number = Int(text) else { throw Problem.invalid(field: field, "must be a whole number") }
        return .number(Double(number))
    }

    @Sendable func project(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        let schema = try req.gloss.schemas.schema(of: project)
        let grant = principal.role == .worker ? try await req.gloss.quality.grant(projectID: project.id!, userID: principal.id) : nil
        return Layout.response(ProjectPage.render(.init(principal: principal, project: project, schema: schema, reviewLevel: grant?.level)))
    }

    struct SettingsFormInput: Content {
        var name: String?
        var overlap: String?
        var status: String?
        var guidelines: String?
    }

    @Sendable func updateProject(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let service = req.projectService
        let project = try await service.managedProject(try req.uuidParameter(), by: principal)
        let input = try req.content.decode(SettingsFormInput.self)
        var object: [String: JSONValue] = [:]
        if let name = input.name { object["name"] = .string(name) }
        if let status = input.status { object["status"] = .string(status) }
        if let guidelines = input.guidelines { object["guidelines"] = .string(guidelines) }
        do {
            object["overlap"] = try Self.wholeNumber(input.overlap, field: "overlap")
            try await service.update(project, with: object)
            return req.redirect(to: SiteURL.project(project.id!).path)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let fresh = try await service.managedProject(project.id!, by: principal)
            let schema = try req.gloss.schemas.schema(of: fresh)
            return Layout.response(ProjectPage.render(.init(principal: principal, project: fresh, schema: schema, errors: problem.errors)),
                                   status: .unprocessableEntity)
        }
    }

    @Sendable func label(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        guard principal.role == .worker else {
            throw Problem.forbidden("Labeling is done with a worker account.")
        }
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        let schema = try req.gloss.schemas.schema(of: project)
        let settings = try await PayService(context: req.gloss).settings()
        return Layout.response(LabelPage.render(.init(principal: principal, project: project, schema: schema,
                                                      hotkeys: Self.hotkeys(of: principal.user), idleSeconds: settings.idleSeconds)))
    }

    @Sendable func quality(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let schema = try req.gloss.schemas.schema(of: project)
        return Layout.response(QualityPage.render(.init(principal: principal, project: project, schema: schema)))
    }

    /// The cost of a project: for the requesters of its organization and admins (workers are refused, as on the
    /// quality page).
    @Sendable func cost(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let cost = try await PayService(context: req.gloss).cost(of: project, days: 30)
        let changes = try await req.gloss.pay.rateChanges(projectID: try project.requireID())
        let data = CostPageData(cost, changes: changes)
        return Layout.response(CostPage.render(.init(principal: principal, project: project, data: data,
                                                     now: req.gloss.configuration.clock.now())))
    }

    @Sendable func review(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        let stage = req.query[String.self, at: "stage"] ?? "review"
        guard ReviewsController.stages.contains(stage) else { throw Problem.invalid(field: "stage", "must be review or expert") }
        let grant = try await ReviewsController.grant(req, projectID: project.id!, stage: stage)
        let schema = try req.gloss.schemas.schema(of: project)
        return Layout.response(ReviewPage.render(.init(principal: principal, project: project, schema: schema, stage: stage,
                                                       level: grant.level, hotkeys: Self.hotkeys(of: principal.user))))
    }

    // MARK: Settings

    static func hotkeys(of user: UserModel) -> [String: String] {
        Hotkeys.resolved(storedJSON: user.hotkeysJSON)
    }

    @Sendable func settings(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        return Layout.response(SettingsPage.render(.init(principal: principal, hotkeys: Self.hotkeys(of: principal.user))))
    }

    @Sendable func saveSettings(req: Request) async throws -> Response {
        let principal = try signedIn(req)
        var submitted: [String: String] = [:]
        for action in Hotkeys.actions {
            if let key = try? req.content.get(String.self, at: action), !key.trimmingCharacters(in: .whitespaces).isEmpty {
                submitted[action] = key.trimmingCharacters(in: .whitespaces)
            }
        }
        do {
            let merged = try Hotkeys.merged(submitted)
            let json = Hotkeys.storedJSON(for: merged)
            try await req.gloss.accounts.updateHotkeys(userID: principal.id, hotkeysJSON: json)
            return Layout.response(SettingsPage.render(.init(principal: principal, hotkeys: merged, saved: true)))
        } catch let failure as ValidationFailure {
            var shown = Self.hotkeys(of: principal.user)
            shown.merge(submitted) { $1 }
            return Layout.response(SettingsPage.render(.init(principal: principal, hotkeys: shown, errors: failure.errors)),
                                   status: .unprocessableEntity)
        }
    }
}
