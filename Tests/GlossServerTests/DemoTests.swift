import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

@Suite("Demo") struct DemoTests {
    @Test func seedsEveryProjectOnceWithTasksThatFitTheirSchemas() async throws {
        try await TestApp.run { t in
            try await Demo.seed(t.app)
            try await Demo.seed(t.app)
            let requester = try await GlossAdministration.createToken(t.app, email: Demo.accounts[1].email, name: "test")
            let listed = try await t.request(.GET, "/api/v1/projects", token: requester)
            let projects = try #require(listed.json["projects"]?.arrayValue)
            let names = projects.compactMap { $0["name"]?.stringValue }
            #expect(names.count == Demo.projectSeeds.count + 1, "seeding twice made no duplicates: \(names)")
            for seed in Demo.projectSeeds {
                let project = try #require(projects.first { $0["name"]?.stringValue == seed.name })
                let id = try #require(project["id"]?.stringValue)
                #expect(project["progress"]?["tasks_total"]?.intValue == seed.tasks.count, "\(seed.name)")
                // The demo's pre-labels are valid values of the schema.
                let schema = try LabelSchema.parse(try #require(project["schema"]))
                let tasks = try await t.request(.GET, "/api/v1/projects/\(id)/tasks", token: requester)
                for task in tasks.json["tasks"]?.arrayValue ?? [] {
                    let data = task["data"]?.objectValue ?? [:]
                    #expect(schema.checkData(data) == [], "\(seed.name)")
                    for prelabel in task["prelabels"]?.arrayValue ?? [] {
                        #expect(schema.validate(prelabel["value"] ?? .null, data: data, partial: true) == [], "\(seed.name)")
                    }
                }
                // Taxonomies and the stand-in model's endpoints come with their projects.
                for (name, _) in seed.taxonomies {
                    let search = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/\(name)/search?q=heart%20attack", token: requester)
                    #expect(search.json["terms"]?.arrayValue?.first?["id"]?.stringValue == "CVD.IHD.MI")
                }
                let endpoints = try await t.request(.GET, "/api/v1/projects/\(id)/endpoints", token: requester)
                #expect(endpoints.json["endpoints"]?.arrayValue?.count == seed.standInEndpoints.count, "\(seed.name)")
                if seed.standInEndpoints.contains(where: { $0.kind == .prelabel }) {
                    let jobs = try await t.request(.GET, "/api/v1/projects/\(id)/prelabel-jobs", token: requester)
                    #expect(jobs.json["counts"]?["queued"]?.intValue == seed.tasks.count, "the import queued a pre-label job per task")
                }
            }
        }
    }
}
