import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

@Suite("Projects API") struct ProjectAPITests {
    @Test func createListShowAndUpdate() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                              json: "{\"name\": \"Sentiment\", \"schema\": \(TestApp.sentimentSchema), \"guidelines\": \"Be **kind**\", \"overlap\": 2}")
            #expect(created.status == .created)
            let id = try #require(created.string("id"))
            #expect(UUID(uuidString: id) != nil)
            #expect(created.json["overlap"]?.intValue == 2)
            #expect(created.string("guidelines_html")?.contains("<strong>kind</strong>") == true)

            let list = try await t.request(.GET, "/api/v1/projects", token: requester.token)
            #expect(list.json["projects"]?.arrayValue?.count == 1)

            let patched = try await t.request(.PATCH, "/api/v1/projects/\(id)", token: requester.token,
                                              json: "{\"name\": \"Renamed\", \"overlap\": 3, \"status\": \"paused\"}")
            #expect(patched.status == .ok)
            #expect(patched.string("name") == "Renamed")
            #expect(patched.string("status") == "paused")
            let shown = try await t.request(.GET, "/api/v1/projects/\(id)", token: requester.token)
            #expect(shown.json["overlap"]?.intValue == 3)
        }
    }

    @Test func badSchemaNamesTheField() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                            json: "{\"name\": \"x\", \"schema\": {\"fields\": [{\"name\": \"a\", \"type\": \"choice\", \"options\": []}, {\"name\": \"b\", \"type\": \"polygon3d\"}]}}")
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.headers.first(name: .contentType) == "application/problem+json")
            #expect(reply.string("field") == "schema.fields[0].options")
            let fields = reply.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(fields.contains("schema.fields[1].type"))

            let missingName = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"schema\": \(TestApp.sentimentSchema)}")
            #expect(missingName.status == .unprocessableEntity)
            #expect(missingName.string("field") == "name")

            let notJSON = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": ")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.string("field") == "body")

            let unknown = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                              json: "{\"name\": \"x\", \"schema\": \(TestApp.sentimentSchema), \"overlapp\": 2}")
            #expect(unknown.string("field") == "overlapp")
            let projects = try await t.request(.GET, "/api/v1/projects", token: requester.token)
            #expect(projects.json["projects"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func workersSeeOnlyOpenProjectsAndCannotCreate() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let open = try await t.makeProject(requester)
            let paused = try await t.makeProject(requester, name: "Paused")
            try await t.request(.PATCH, "/api/v1/projects/\(paused)", token: requester.token, json: "{\"status\": \"paused\"}")
            let list = try await t.request(.GET, "/api/v1/projects", token: worker.token)
            let ids = list.json["projects"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids == [open])
            #expect(try await t.request(.GET, "/api/v1/projects/\(paused)", token: worker.token).status == .notFound)
            #expect(try await t.request(.POST, "/api/v1/projects", token: worker.token,
                                        json: "{\"name\": \"x\", \"schema\": \(TestApp.sentimentSchema)}").status == .forbidden)
        }
    }

    @Test func hotkeysCanBeRemapped() async throws {
        try await TestApp.run { t in
            let worker = try await t.makeUser(.worker)
            let reply = try await t.request(.PUT, "/api/v1/me/hotkeys", token: worker.token, json: "{\"hotkeys\": {\"skip\": \"K\", \"option_1\": \"a\"}}")
            #expect(reply.status == .ok)
            #expect(reply.json["hotkeys"]?["skip"]?.stringValue == "k")
            #expect(reply.json["hotkeys"]?["option_1"]?.stringValue == "a")
            let me = try await t.request(.GET, "/api/v1/me", token: worker.token)
            #expect(me.json["hotkeys"]?["skip"]?.stringValue == "k")
            let clash = try await t.request(.PUT, "/api/v1/me/hotkeys", token: worker.token, json: "{\"hotkeys\": {\"skip\": \"enter\"}}")
            #expect(clash.status == .unprocessableEntity)
            #expect(clash.string("field")?.hasPrefix("hotkeys.") == true)
        }
    }

    @Test func healthReadinessMetricsAndOpenAPI() async throws {
        try await TestApp.run { t in
            #expect(try await t.request(.GET, "/healthz").status == .ok)
            #expect(try await t.request(.GET, "/readyz").status == .ok)
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let project = try await t.makeProject(requester, tasks: 2)
            _ = try await t.labelAll(project, worker: worker)
            let metrics = try await t.request(.GET, "/metrics")
            #expect(metrics.body.contains("gloss_annotations_submitted_total"))
            #expect(metrics.body.contains("gloss_tasks_leased_total"))
            #expect(metrics.body.contains("http_requests_total"))
            let document = try await t.request(.GET, "/api/v1/openapi.yaml")
            #expect(document.body.hasPrefix("openapi: 3.1"))
        }
    }

    /// The OpenAPI document lists exactly the app's API routes.
    @Test func openAPIDocumentMatchesTheRoutes() async throws {
        try await TestApp.run { t in
            let routes = Set(t.app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let value): value
                    case .parameter(let name): "{\(name)}"
                    case .anything: "*"
                    case .catchall: "**"
                    }
                }.joined(separator: "/")
                guard path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path) else { return nil }
                return "\(route.method.rawValue) \(path)"
            })
            #expect(routes == OpenAPISpec.shared.operations, "only in the app: \(routes.subtracting(OpenAPISpec.shared.operations)); only in the document: \(OpenAPISpec.shared.operations.subtracting(routes))")
        }
    }
}
