import Foundation
import GlossCore
import GlossServer
import Testing

/// Pure tests of the OpenAPI document and the response validator (no server, no database).
@Suite("OpenAPI document and validator")
struct OpenAPIValidatorTests {
    let spec = OpenAPISpec.shared
    let projectID = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"

    static let expectedOperations: Set<String> = [
        "GET /api/v1/me",
        "PUT /api/v1/me/hotkeys",
        "GET /api/v1/projects",
        "POST /api/v1/projects",
        "GET /api/v1/projects/{id}",
        "PATCH /api/v1/projects/{id}",
        "POST /api/v1/projects/{id}/media",
        "GET /api/v1/projects/{id}/media",
        "GET /api/v1/media/{id}",
        "GET /api/v1/media/{id}/info",
        "GET /api/v1/media/{id}/frames/{frame}",
        "POST /api/v1/projects/{id}/prelabels",
        "GET /api/v1/projects/{id}/tasks",
        "POST /api/v1/projects/{id}/tasks",
        "GET /api/v1/projects/{id}/next",
        "GET /api/v1/projects/{id}/export",
        "POST /api/v1/tasks/{id}/heartbeat",
        "POST /api/v1/tasks/{id}/skip",
        "GET /api/v1/tasks/{id}/annotations",
        "POST /api/v1/tasks/{id}/annotations",
        "GET /api/v1/projects/{id}/taxonomies",
        "PUT /api/v1/projects/{id}/taxonomies/{name}",
        "GET /api/v1/projects/{id}/taxonomies/{name}/search",
        "GET /api/v1/projects/{id}/endpoints",
        "POST /api/v1/projects/{id}/endpoints",
        "PATCH /api/v1/projects/{id}/endpoints/{endpoint}",
        "DELETE /api/v1/projects/{id}/endpoints/{endpoint}",
        "GET /api/v1/projects/{id}/prelabel-jobs",
        "POST /api/v1/projects/{id}/prelabel-jobs/retry",
        "GET /api/v1/tasks/{id}/chat/{field}",
        "POST /api/v1/tasks/{id}/chat/{field}/messages",
        "POST /api/v1/tasks/{id}/chat/{field}/choice",
        "GET /api/v1/projects/{id}/quality",
        "GET /api/v1/projects/{id}/disagreements",
        "GET /api/v1/projects/{id}/gold",
        "PUT /api/v1/tasks/{id}/gold",
        "DELETE /api/v1/tasks/{id}/gold",
        "GET /api/v1/tasks/{id}/final",
        "PUT /api/v1/tasks/{id}/final",
        "GET /api/v1/projects/{id}/flags",
        "GET /api/v1/projects/{id}/reviewers",
        "POST /api/v1/projects/{id}/reviewers",
        "DELETE /api/v1/projects/{id}/reviewers/{user_id}",
        "GET /api/v1/projects/{id}/guidelines/versions",
        "GET /api/v1/projects/{id}/guidelines/versions/{version}",
        "GET /api/v1/reviews",
        "GET /api/v1/projects/{id}/reviews/next",
        "GET /api/v1/reviews/{id}",
        "POST /api/v1/reviews/{id}",
        "POST /api/v1/tasks/{id}/flags",
        "GET /api/v1/openapi.yaml",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
    ]

    /// A Project as docs/api.md describes it; `drop` leaves keys out, `replace` overrides them.
    func projectJSON(drop: Set<String> = [], replace: [String: String] = [:]) -> Data {
        var fields: [String: String] = [
            "id": "\"\(projectID)\"",
            "organization_id": "\"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\"",
            "name": "\"Sentiment\"",
            "schema": #"{"fields": [{"name": "sentiment", "type": "choice", "options": ["positive", "negative"]}]}"#,
            "guidelines": "\"Read *carefully*.\"",
            "guidelines_html": "\"<p>Read <em>carefully</em>.</p>\"",
            "overlap": "2",
            "lease_seconds": "600",
            "status": "\"open\"",
            "created_at": "\"2025-01-02T03:04:05Z\"",
            "updated_at": "\"2025-01-02T03:04:05.123Z\"",
            "progress": #"{"tasks_total": 10, "tasks_done": 3, "annotations": 7, "annotations_required": 20}"#,
            "guidelines_version": "1",
            "quality_policy": QualityPolicy.standard.json.jsonText,
        ]
        for key in drop { fields[key] = nil }
        fields.merge(replace) { _, new in new }
        let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        return Data("{\(body)}".utf8)
    }

    func validateProject(_ body: Data) -> [String] {
        spec.validate(method: "GET", path: "/api/v1/projects/\(projectID)", status: 200,
                      contentType: "application/json; charset=utf-8", body: body)
    }

    @Test func documentParses() throws {
        let parsed = try OpenAPISpec(yaml: OpenAPIDocument.yaml)
        #expect(parsed.loadError == nil)
        #expect(parsed.document["openapi"]?.string?.hasPrefix("3.1") == true)
        #expect(parsed.operations == Self.expectedOperations)
        #expect(!OpenAPIDocument.yaml.contains("\"\"\"#"))
    }

    @Test func everyOperationHasAnOperationID() {
        for operation in spec.operations.sorted() {
            let id = spec.operationIDs[operation]
            #expect(id?.isEmpty == false, "\(operation) has no operationId")
        }
        let ids = Array(spec.operationIDs.values)
        #expect(Set(ids).count == ids.count, "operationIds are not unique")
    }

    @Test func validProjectValidates() {
        #expect(validateProject(projectJSON()) == [])
    }

    @Test func projectMissingARequiredMemberFails() {
        let errors = validateProject(projectJSON(drop: ["guidelines_version"]))
        #expect(errors.contains { $0.contains("$.guidelines_version") && $0.contains("missing") }, "\(errors)")
        // A worker's view leaves out the policy and the progress.
        #expect(validateProject(projectJSON(drop: ["progress", "quality_policy"])).isEmpty)
    }

    @Test func projectWithWrongTypesFails() {
        let fractional = validateProject(projectJSON(replace: [
            "progress": #"{"tasks_total": 10, "tasks_done": 1.5, "annotations": 7, "annotations_required": 20}"#,
        ]))
        #expect(fractional.contains { $0.contains("$.progress.tasks_done: expected integer") }, "\(fractional)")

        let boolean = validateProject(projectJSON(replace: ["overlap": "true"]))
        #expect(boolean.contains { $0.contains("$.overlap: expected integer") }, "\(boolean)")

        let status = validateProject(projectJSON(replace: ["status": "\"archived\""]))
        #expect(status.contains { $0.contains("$.status") }, "\(status)")

        let time = validateProject(projectJSON(replace: ["created_at": "\"yesterday\""]))
        #expect(time.contains { $0.contains("$.created_at") }, "\(time)")

        let extra = validateProject(projectJSON(replace: ["password_hash": "\"x\""]))
        #expect(extra.contains { $0.contains("$.password_hash") }, "\(extra)")
    }

    @Test func problemWithStringStatusFails() {
        let body = Data(#"{"type": "about:blank", "title": "Not Found", "status": "404", "detail": "No such project."}"#.utf8)
        let errors = spec.validate(method: "GET", path: "/api/v1/projects/\(projectID)", status: 404,
                                   contentType: "application/problem+json", body: body)
        #expect(errors.contains { $0.contains("$.status: expected integer") }, "\(errors)")

        let valid = Data(#"{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such project."}"#.utf8)
        #expect(spec.validate(method: "GET", path: "/api/v1/projects/\(projectID)", status: 404,
                              contentType: "application/problem+json", body: valid) == [])
    }

    @Test func undocumentedPathFails() {
        let errors = spec.validate(method: "GET", path: "/api/v1/nothing-here", status: 200,
                                   contentType: "application/json", body: Data("{}".utf8))
        #expect(errors.count == 1)
        #expect(errors.first?.contains("undocumented path") == true)
    }

    @Test func undocumentedStatusAndMethodFail() {
        let status = spec.validate(method: "GET", path: "/api/v1/me", status: 418,
                                   contentType: "application/json", body: Data("{}".utf8))
        #expect(status.first?.contains("418") == true, "\(status)")

        let method = spec.validate(method: "DELETE", path: "/api/v1/me", status: 200,
                                   contentType: "application/json", body: Data("{}".utf8))
        #expect(!method.isEmpty)
    }

    @Test func noContentAndNullables() {
        #expect(spec.validate(method: "POST", path: "/api/v1/tasks/\(projectID)/skip", status: 204,
                              contentType: nil, body: Data()) == [])

        let page = Data(#"{"tasks": [], "next_after": null}"#.utf8)
        #expect(spec.validate(method: "GET", path: "/api/v1/projects/\(projectID)/tasks?limit=10", status: 200,
                              contentType: "application/json", body: page) == [])

        let badPage = Data(#"{"tasks": [], "next_after": 5}"#.utf8)
        #expect(!spec.validate(method: "GET", path: "/api/v1/projects/\(projectID)/tasks", status: 200,
                               contentType: "application/json", body: badPage).isEmpty)
    }
}
