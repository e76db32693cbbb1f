import GlossCore
import Vapor

struct ProjectsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let projects = routes.grouped("projects")
        projects.get(use: index)
        projects.post(use: create)
        projects.get(":id", use: show)
        projects.patch(":id", use: update)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let projects = try await req.projectService.projects(visibleTo: principal)
        let tracks = try await req.gloss.workforce.tracks()
        return .json(.object(["projects": .array(projects.map { ProjectDTO.json($0, forWorker: principal.role == .worker, tracks: tracks) })]))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requireRole(.requester)
        let project = try await req.projectService.create(try req.jsonObject(), by: principal)
        let response = Response.json(ProjectDTO.json(project, tracks: try await req.gloss.workforce.tracks()), status: .created)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(project.id!.text)")
        return response
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.visibleProject(try req.uuidParameter(), to: principal)
        return .json(ProjectDTO.json(project, forWorker: principal.role == .worker, tracks: try await req.gloss.workforce.tracks()))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let service = req.projectService
        let project = try await service.managedProject(try req.uuidParameter(), by: principal)
        try await service.update(project, with: try req.jsonObject())
        return .json(ProjectDTO.json(project, tracks: try await req.gloss.workforce.tracks()))
    }
}

struct MeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", use: show)
        routes.put("me", "hotkeys", use: updateHotkeys)
    }

    @Sendable func show(req: Request) async throws -> Response {
        .json(UserDTO.json(try req.requirePrincipal().user))
    }

    @Sendable func updateHotkeys(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let fields = try JSONFields(try req.jsonObject(), allowed: ["hotkeys"])
        guard let raw = try fields.value("hotkeys", required: true)?.objectValue else {
            throw Problem.invalid(field: "hotkeys", "must be an object of action: key")
        }
        var overrides: [String: String] = [:]
        for (action, key) in raw {
            guard let key = key.stringValue else { throw Problem.invalid(field: "hotkeys.\(action)", "must be a string") }
            overrides[action] = key
        }
        let json = Hotkeys.storedJSON(for: try Hotkeys.merged(overrides))
        try await req.gloss.accounts.updateHotkeys(userID: principal.id, hotkeysJSON: json)
        principal.user.hotkeysJSON = json
        return .json(UserDTO.json(principal.user))
    }
}
