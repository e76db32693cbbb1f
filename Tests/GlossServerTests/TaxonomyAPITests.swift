import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

/// Taxonomies over HTTP: import (CSV and JSON, with errors naming the line), search as a worker types, and
/// a taxonomy field's value stored with its path.
@Suite("Taxonomies over the API") struct TaxonomyAPITests {
    static let csv = """
        id,parent,name,synonyms
        D1,,Neoplasms,Tumors|Cancer
        D2,D1,Neoplasms by Site,
        D7,D2,Breast Neoplasms,Breast Cancer|Mammary Carcinoma
        D8,D2,Lung Neoplasms,Lung Cancer
        C1,,Cardiovascular Diseases,Heart disease
        C2,C1,Hypertension,High blood pressure
        """

    func project(_ t: TestApp, _ requester: TestApp.Account, field: String = #"{"name": "diagnosis", "type": "taxonomy", "taxonomy": "diseases"}"#) async throws -> String {
        let reply = try await t.request(.POST, "/api/v1/projects", token: requester.token,
                                        json: "{\"name\": \"Coding\", \"schema\": {\"fields\": [\(field)]}}")
        #expect(reply.status == .created, "\(reply.body)")
        return try #require(reply.string("id"))
    }

    @Test func importSearchAndAnnotate() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let id = try await project(t, requester)
            // Before the taxonomy exists, search says so.
            let missing = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/diseases/search?q=breast", token: worker.token)
            #expect(missing.status == .notFound)

            let put = try await t.request(.PUT, "/api/v1/projects/\(id)/taxonomies/diseases", token: requester.token, body: Self.csv, contentType: "text/csv")
            #expect(put.status == .ok, "\(put.body)")
            #expect(put.json["terms"]?.intValue == 6)
            #expect(put.json["roots"]?.intValue == 2)
            #expect(put.json["depth"]?.intValue == 3)
            let list = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies", token: requester.token)
            #expect(list.json["taxonomies"]?.arrayValue?.first?["name"]?.stringValue == "diseases")

            // A worker searches as they type: a synonym's word prefixes find the term, with its path.
            let search = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/diseases/search?q=breast%20canc", token: worker.token)
            let first = try #require(search.json["terms"]?.arrayValue?.first)
            #expect(first["id"]?.stringValue == "D7")
            #expect(first["matched"]?.stringValue == "Breast Cancer")
            #expect(first["names"] == .array(["Neoplasms", "Neoplasms by Site", "Breast Neoplasms"]))
            #expect(first["children"]?.intValue == 0)
            let roots = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/diseases/search", token: worker.token)
            #expect(roots.json["terms"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["D1", "C1"])
            let children = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/diseases/search?parent=D2", token: worker.token)
            #expect(children.json["terms"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["D7", "D8"])

            // Workers cannot import; another organization sees nothing.
            let forbidden = try await t.request(.PUT, "/api/v1/projects/\(id)/taxonomies/other", token: worker.token, body: Self.csv, contentType: "text/csv")
            #expect(forbidden.status == .forbidden)
            let outsider = try await t.makeUser(.requester, organization: "Org B")
            let hidden = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies/diseases/search?q=breast", token: outsider.token)
            #expect(hidden.status == .notFound)

            // The worker sends the id; the stored value has the path and names. An unknown id is refused.
            _ = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token,
                                    body: #"{"data": {"text": "Invasive ductal carcinoma, left breast."}}"#, contentType: "application/x-ndjson")
            let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
            let taskID = try #require(next.string("id"))
            let unknown = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {"diagnosis": {"id": "D99"}}}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.string("field") == "value.diagnosis.id")
            let wrongPath = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                                json: #"{"value": {"diagnosis": {"id": "D7", "path": ["D7"]}}}"#)
            #expect(wrongPath.string("field") == "value.diagnosis.path")
            let good = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {"diagnosis": {"id": "D7"}}}"#)
            #expect(good.status == .created, "\(good.body)")
            #expect(good.json["value"]?["diagnosis"] == .object(["id": "D7", "path": .array(["D1", "D2", "D7"]),
                                                                 "names": .array(["Neoplasms", "Neoplasms by Site", "Breast Neoplasms"])]))
        }
    }

    @Test func badFilesAreRefusedWithTheirLine() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let id = try await project(t, requester)
            let path = "/api/v1/projects/\(id)/taxonomies/diseases"
            let unknownParent = try await t.request(.PUT, path, token: requester.token, body: "id,parent,name\nA,,Root\nB,Z,Child\n", contentType: "text/csv")
            #expect(unknownParent.status == .unprocessableEntity)
            #expect(unknownParent.json["line"]?.intValue == 3)
            #expect(unknownParent.string("field") == "parent")
            let duplicate = try await t.request(.PUT, path, token: requester.token, body: "id,name\nA,Root\nA,Again\n", contentType: "text/csv")
            #expect(duplicate.json["line"]?.intValue == 3)
            #expect(duplicate.string("field") == "id")
            let cycle = try await t.request(.PUT, path, token: requester.token, body: #"[{"id": "a", "name": "A", "parent": "b"}, {"id": "b", "name": "B", "parent": "a"}]"#, contentType: "application/json")
            #expect(cycle.status == .unprocessableEntity)
            #expect(cycle.string("detail")?.contains("cycle") == true)
            let nested = try await t.request(.PUT, path, token: requester.token,
                                             body: #"{"terms": [{"id": "a", "name": "A", "children": [{"id": "b", "name": "B", "children": [{"id": "", "name": "C"}]}]}]}"#,
                                             contentType: "application/json")
            #expect(nested.string("field") == "terms[0].children[0].children[0].id")
            let badHeader = try await t.request(.PUT, path, token: requester.token, body: "code,label\n1,x\n", contentType: "text/csv")
            #expect(badHeader.json["line"]?.intValue == 1)
            let badType = try await t.request(.PUT, path, token: requester.token, body: "x", contentType: "text/plain")
            #expect(badType.status == .unsupportedMediaType)
            let badName = try await t.request(.PUT, "/api/v1/projects/\(id)/taxonomies/Bad%20Name", token: requester.token, body: "id,name\na,A\n", contentType: "text/csv")
            #expect(badName.status == .unprocessableEntity)
            // Nothing was stored by the failures.
            let list = try await t.request(.GET, "/api/v1/projects/\(id)/taxonomies", token: requester.token)
            #expect(list.json["taxonomies"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func leafOnlyAndPrelabelsUseTheTaxonomy() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let id = try await project(t, requester, field: #"{"name": "codes", "type": "taxonomy", "taxonomy": "diseases", "multiple": true, "leaf_only": true, "max_terms": 2}"#)
            _ = try await t.request(.PUT, "/api/v1/projects/\(id)/taxonomies/diseases", token: requester.token, body: Self.csv, contentType: "text/csv")
            let badPrelabel = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token,
                                                  body: #"{"data": {"text": "x"}, "prelabels": [{"model": "coder", "value": {"codes": [{"id": "D1"}]}}]}"#,
                                                  contentType: "application/x-ndjson")
            #expect(badPrelabel.status == .unprocessableEntity)
            #expect(badPrelabel.string("field") == "prelabels[0].value.codes[0].id")
            let imported = try await t.request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token,
                                               body: #"{"data": {"text": "x"}, "prelabels": [{"model": "coder", "value": {"codes": [{"id": "C2"}]}}]}"#,
                                               contentType: "application/x-ndjson")
            #expect(imported.status == .created, "\(imported.body)")
            let next = try await t.request(.GET, "/api/v1/projects/\(id)/next", token: worker.token)
            #expect(next.json["prelabels"]?.arrayValue?.first?["value"]?["codes"]?.arrayValue?.first?["names"] == .array(["Cardiovascular Diseases", "Hypertension"]))
            let taskID = try #require(next.string("id"))
            let tooMany = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                              json: #"{"value": {"codes": [{"id": "D7"}, {"id": "D8"}, {"id": "C2"}]}}"#)
            #expect(tooMany.string("field") == "value.codes")
            let twice = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {"codes": [{"id": "D7"}, {"id": "D7"}]}}"#)
            #expect(twice.string("field") == "value.codes[1].id")
            let good = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: #"{"value": {"codes": [{"id": "D7"}, {"id": "C2"}]}}"#)
            #expect(good.status == .created, "\(good.body)")
        }
    }
}
