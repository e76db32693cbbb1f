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
        "GET /api/v1/media/{id}/frames/{frame}", "GET /api/v1/media/{id}/peaks", "GET /api/v1/media/{id}/points", "POST /api/v1/tasks/{id}/recordings",
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
        // Workforce (issue 6): public
        "GET /api/v1/tracks",
        "POST /api/v1/applications",
        "GET /api/v1/listings",
        "POST /api/v1/listings/quiz",
        "POST /api/v1/alerts/unsubscribe",
        // Workforce: the worker's own
        "GET /api/v1/me/application",
        "PUT /api/v1/me/application",
        "POST /api/v1/me/application/submit",
        "GET /api/v1/me/credentials",
        "POST /api/v1/me/credentials",
        "GET /api/v1/credentials/{id}/document",
        "GET /api/v1/me/qualifications",
        "GET /api/v1/assessments",
        "GET /api/v1/assessments/{id}",
        "POST /api/v1/assessments/{id}/attempts",
        "GET /api/v1/attempts/{id}",
        "PUT /api/v1/attempts/{id}/answers",
        "POST /api/v1/attempts/{id}/submit",
        "GET /api/v1/practice/{track}",
        "POST /api/v1/practice/{track}/check",
        "GET /api/v1/dashboard",
        "GET /api/v1/me/alerts",
        "PUT /api/v1/me/alerts",
        "GET /api/v1/me/notifications",
        "POST /api/v1/me/notifications/read",
        // Workforce: requesters and admins
        "GET /api/v1/projects/{id}/reach",
        "GET /api/v1/admin/applications",
        "GET /api/v1/admin/applications/{user_id}",
        "POST /api/v1/admin/applications/{user_id}/status",
        "GET /api/v1/admin/credentials",
        "POST /api/v1/admin/credentials/{id}",
        "POST /api/v1/admin/users/{user_id}/qualifications",
        "DELETE /api/v1/admin/users/{user_id}/qualifications/{track}",
        "PATCH /api/v1/admin/tracks/{id}",
        "GET /api/v1/admin/assessments",
        "POST /api/v1/admin/assessments",
        "GET /api/v1/admin/assessments/{id}",
        "GET /api/v1/grading",
        "GET /api/v1/grading/{attempt_id}",
        "POST /api/v1/grading/{attempt_id}",
        "GET /api/v1/admin/audit",
        "POST /api/v1/admin/attempts/{id}/decision",
        // Time and pay (issue 7): the worker's own
        "POST /api/v1/tasks/{id}/activity",
        "GET /api/v1/me/timesheet",
        "PUT /api/v1/me/timesheet/{day}/note",
        "GET /api/v1/me/earnings",
        "GET /api/v1/me/ledger",
        // Time and pay: requesters and admins
        "GET /api/v1/projects/{id}/cost",
        "GET /api/v1/projects/{id}/cost/chart.svg",
        "GET /api/v1/projects/{id}/rates",
        "POST /api/v1/projects/{id}/rates",
        // Time and pay: admins
        "GET /api/v1/admin/pay/settings",
        "PUT /api/v1/admin/pay/settings",
        "GET /api/v1/admin/pay-periods",
        "POST /api/v1/admin/pay-periods",
        "GET /api/v1/admin/pay-periods/{period_id}",
        "GET /api/v1/admin/pay-periods/{period_id}/payouts.csv",
        "GET /api/v1/admin/workers/{user_id}/ledger",
        "POST /api/v1/admin/workers/{user_id}/ledger",
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
            "requirements": #"{"any_of": ["stem.chemistry"], "all_of": [], "languages": [{"code": "de", "min_level": "fluent"}], "countries": ["DE"], "preferences": {"fields": ["organic chemistry"], "credentials": [], "min_years": 3, "min_hours_per_week": 10}}"#,
            "rate_cents": "4500",
            "rate_set": "true",
            "listing": #"{"listed": true, "title": null, "description": "Check answers", "show_rate": true, "show_requirements": false}"#,
            "expected_seconds_per_task": "90",
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
        // A worker's view leaves out the policy and the progress (and may leave out the listing).
        #expect(validateProject(projectJSON(drop: ["progress", "quality_policy"])).isEmpty)
        #expect(validateProject(projectJSON(drop: ["progress", "quality_policy", "listing"])).isEmpty)
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

    // MARK: - Workforce (issue 6)

    static let time = "\"2026-11-23T10:00:00Z\""
    let userID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
    let attemptID = "2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e"
    let assessmentID = "3d4e5f60-7182-4c9d-8e1f-2a3b4c5d6e7f"

    /// A JSON object from member name to JSON text; `drop` leaves members out, `replace` overrides them.
    func object(_ fields: [String: String], drop: Set<String> = [], replace: [String: String] = [:]) -> String {
        var fields = fields
        for key in drop { fields[key] = nil }
        fields.merge(replace) { _, new in new }
        return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// Validates a JSON answer to `method path` with `status`.
    func check(_ method: String, _ path: String, _ body: String, status: Int = 200) -> [String] {
        spec.validate(method: method, path: path, status: status, contentType: "application/json; charset=utf-8",
                      body: Data(body.utf8))
    }

    static let choiceItem: [String: String] = [
        "id": "\"q1\"", "kind": "\"multiple_choice\"", "prompt": "\"Pick *one*\"", "prompt_html": "\"<p>Pick <em>one</em></p>\"",
        "points": "1", "options": #"["A", "B", "C"]"#, "multiple": "false",
    ]
    static let annotationItem = #"{"id": "sentiment", "kind": "annotation", "prompt": "Label it", "prompt_html": "<p>Label it</p>", "points": 2, "schema": {"fields": [{"name": "s", "type": "choice", "options": ["a", "b"]}]}, "data": {"text": "Great."}}"#
    static let writtenItem = #"{"id": "why", "kind": "written", "prompt": "Explain", "prompt_html": "<p>Explain</p>", "points": 3.5, "max_words": 200}"#
    static let passedResult = #"{"auto_score": 0.9, "human_score": null, "score": 0.9, "verdict": "passed", "reasons": ["Scored 90%; passing needs 70%."], "decided_by": "automatic", "decided_at": "2026-11-23T10:20:00Z"}"#

    var attemptFields: [String: String] {
        [
            "id": "\"\(attemptID)\"", "assessment_id": "\"\(assessmentID)\"", "assessment_title": "\"General starter\"",
            "status": "\"in_progress\"", "started_at": Self.time, "deadline_at": Self.time, "submitted_at": "null",
            "score": "null", "time_left_s": "1200", "saved_at": "null",
            "items": "[\(object(Self.choiceItem)), \(Self.annotationItem), \(Self.writtenItem)]",
            "answers": #"{"q1": "A", "sentiment": {"s": "a"}, "why": "Because the text is sarcastic."}"#,
            "result": "null",
        ]
    }

    var profile: String {
        #"{"country": "DE", "time_zone": "Europe/Berlin", "availability": {"hours_per_week": 20, "days": ["mon", "wed"]}, "education": [{"degree": "master", "field": "Chemistry", "institution": "TU Munich", "year": 2015}], "experience": [{"field": "Software engineering", "years": 6}], "languages": [{"code": "en", "proficiency": "native"}], "programming": [{"language": "Swift", "years": 4}], "path": "coding"}"#
    }

    var credential: [String: String] {
        [
            "id": "\"\(projectID)\"", "type": "\"bar_admission\"", "issuer": "\"State Bar of California\"", "number": "\"123456\"",
            "year": "2019", "expires_on": "\"2030-01-31\"", "status": "\"pending\"", "note": "null",
            "document": #"{"name": "bar.pdf", "content_type": "application/pdf", "size": 48213}"#,
            "created_at": Self.time, "reviewed_at": "null",
        ]
    }

    var applicationFields: [String: String] {
        [
            "user_id": "\"\(userID)\"", "name": "\"Ada Lovelace\"", "email": "\"ada@example.com\"", "status": "\"assessing\"",
            "path": "\"coding\"", "submitted_at": Self.time, "updated_at": Self.time, "profile": profile,
            "history": #"[{"from": null, "to": "applicant", "reason": null, "by": null, "at": "2026-11-23T10:00:00Z"}, {"from": "applicant", "to": "assessing", "reason": "Started the starter assessment.", "by": null, "at": "2026-11-23T10:05:00Z"}]"#,
            "credentials": "[\(object(credential))]",
            "qualifications": #"[{"track": "stem.chemistry", "name": "STEM: chemistry", "source": "assessment", "granted_at": "2026-11-23T10:00:00Z", "active": false, "inactive_reason": "Needs a master's in chemistry.", "expires_at": null}]"#,
            "attempts": "[\(object(attemptFields, drop: ["time_left_s", "saved_at", "items", "answers", "result"]))]",
        ]
    }

    @Test func publicWorkforceRoutesNeedNoSignIn() {
        let paths = spec.document["paths"]
        for (path, method) in [("/api/v1/tracks", "get"), ("/api/v1/applications", "post"), ("/api/v1/listings", "get"),
                               ("/api/v1/listings/quiz", "post"), ("/api/v1/alerts/unsubscribe", "post")] {
            #expect(paths?[path]?[method]?["security"] == .array([]), "\(method) \(path) should have security: []")
        }
        for (path, method) in [("/api/v1/me/application", "get"), ("/api/v1/dashboard", "get"), ("/api/v1/grading", "get"),
                               ("/api/v1/assessments", "get"), ("/api/v1/admin/applications", "get")] {
            #expect(paths?[path]?[method]?["security"] == nil, "\(method) \(path) should need sign-in")
        }
    }

    @Test func attemptValidatesAndItsItemsCarryNoGold() {
        let path = "/api/v1/attempts/\(attemptID)"
        #expect(check("GET", path, object(attemptFields)) == [])
        // What must never reach a taker: correct options, gold answers, scoring, rubrics, explanations.
        let leaks: [String: String] = [
            "correct": #"["A"]"#, "gold": #"{"s": "a"}"#, "scoring": #"{"rating_tolerance": 1}"#,
            "rubric": #"[{"id": "clear", "description": "Clear", "points": 1}]"#, "explanation": "\"Because A.\"",
        ]
        for (key, value) in leaks {
            let item = object(Self.choiceItem, replace: [key: value])
            let errors = check("GET", path, object(attemptFields, replace: ["items": "[\(item)]"]))
            #expect(errors.contains { $0.contains("$.items[0].\(key): property is not allowed") }, "\(key): \(errors)")
        }
        let detail = object(attemptFields, drop: ["assessment_id", "assessment_title", "status", "started_at", "deadline_at",
                                                  "submitted_at", "score", "time_left_s", "saved_at", "answers", "result"], replace: [
            "id": "\"\(assessmentID)\"", "slug": "\"starter-general\"", "title": "\"General starter\"", "description": "\"Twenty minutes.\"",
            "kind": "\"starter\"", "path": "\"general\"", "time_limit_s": "1200", "attempts_allowed": "1", "attempts_used": "0",
            "unlocks": #"["general"]"#, "item_count": "3", "can_start": "false",
            "why_not": "\"Submit your application first.\"", "latest_attempt": "null",
            "items": "[\(object(Self.choiceItem, replace: ["correct": #"["A"]"#]))]",
        ])
        let errors = check("GET", "/api/v1/assessments/\(assessmentID)", detail)
        #expect(errors.count == 1 && errors[0].contains("$.items[0].correct: property is not allowed"), "\(errors)")
    }

    @Test func submittedAttemptCarriesAResultWithoutGold() {
        let path = "/api/v1/attempts/\(attemptID)/submit"
        let submitted = object(attemptFields, replace: [
            "status": "\"passed\"", "submitted_at": Self.time, "score": "0.9", "time_left_s": "0", "saved_at": Self.time,
            "result": Self.passedResult,
        ])
        #expect(check("POST", path, submitted) == [])

        let leaky = Self.passedResult.replacingOccurrences(of: #""verdict""#, with: #""gold": {"q1": "A"}, "verdict""#)
        let errors = check("POST", path, object(attemptFields, replace: ["result": leaky]))
        #expect(errors.contains { $0.contains("$.result") }, "\(errors)")

        let overOne = check("GET", "/api/v1/attempts/\(attemptID)", object(attemptFields, replace: ["score": "1.5"]))
        #expect(overOne.contains { $0.contains("$.score") && $0.contains("maximum") }, "\(overOne)")

        let timeUp = Data(#"{"type": "/problems/time-up", "title": "Time is up", "status": 403, "detail": "The deadline has passed."}"#.utf8)
        #expect(spec.validate(method: "POST", path: path, status: 403, contentType: "application/problem+json", body: timeUp) == [])
    }

    @Test func applicationValidatesWithADraftProfile() {
        let path = "/api/v1/me/application"
        #expect(check("GET", path, object(applicationFields)) == [])
        // A saved draft may be partial.
        let draft = object(applicationFields, replace: [
            "status": "\"applicant\"", "submitted_at": "null", "profile": #"{"country": "DE", "education": [{"degree": "master"}]}"#,
            "credentials": "[]", "qualifications": "[]", "attempts": "[]",
        ])
        #expect(check("PUT", path, draft) == [])
        #expect(check("PUT", path, object(applicationFields, replace: ["profile": "{}"])) == [])

        let status = check("GET", path, object(applicationFields, replace: ["status": "\"hired\""]))
        #expect(status.contains { $0.contains("$.status") }, "\(status)")
        let level = check("GET", path, object(applicationFields, replace: [
            "profile": #"{"languages": [{"code": "en", "proficiency": "good"}]}"#,
        ]))
        #expect(level.contains { $0.contains("$.profile.languages[0].proficiency") }, "\(level)")
        let unknown = check("GET", path, object(applicationFields, replace: ["profile": #"{"salary": 3}"#]))
        #expect(unknown.contains { $0.contains("$.profile.salary: property is not allowed") }, "\(unknown)")
        let missing = check("GET", path, object(applicationFields, drop: ["history"]))
        #expect(missing.contains { $0.contains("$.history: required property is missing") }, "\(missing)")

        let created = "{\"application\": \(object(applicationFields)), \"token\": \"gls_0123456789abcdef\"}"
        #expect(check("POST", "/api/v1/applications", created, status: 201) == [])
    }

    @Test func credentialsAreNullableWhereTheContractSaysSo() {
        let bare = object(credential, replace: ["year": "null", "expires_on": "null", "document": "null"])
        #expect(check("GET", "/api/v1/me/credentials", "{\"credentials\": [\(object(credential)), \(bare)]}") == [])

        let year = check("GET", "/api/v1/me/credentials", "{\"credentials\": [\(object(credential, replace: ["year": "\"2019\""]))]}")
        #expect(year.contains { $0.contains("$.credentials[0].year: expected integer or null") }, "\(year)")
        let date = check("GET", "/api/v1/me/credentials", "{\"credentials\": [\(object(credential, replace: ["expires_on": Self.time]))]}")
        #expect(date.contains { $0.contains("$.credentials[0].expires_on") }, "\(date)")

        // Admin lists name each credential's user.
        let user = #"{"id": "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "name": "Ada", "email": "ada@example.com"}"#
        let listed = "{\"credentials\": [\(object(credential, replace: ["user": user]))]}"
        #expect(check("GET", "/api/v1/admin/credentials?status=pending", listed) == [])
        let anonymous = check("GET", "/api/v1/admin/credentials", "{\"credentials\": [\(object(credential))]}")
        #expect(anonymous.contains { $0.contains("$.credentials[0].user: required property is missing") }, "\(anonymous)")
    }

    @Test func dashboardAndMatchValidate() {
        let match = #"{"score": 72.5, "eligible": true, "items": [{"requirement": "holds STEM: chemistry", "kind": "qualification", "weight": 50, "met": true, "hard": true}, {"requirement": "German at fluent or better", "kind": "language", "weight": 27.5, "met": true, "hard": true}, {"requirement": "field: organic chemistry", "kind": "field", "weight": 22.5, "met": false, "hard": false}]}"#
        let project = "{\"id\": \"\(projectID)\", \"name\": \"Chemistry QA\", \"rate_cents\": 4500, \"expected_seconds_per_task\": 90, \"tasks_left\": 120, \"requirements\": [\"holds STEM: chemistry\"], \"deliverables\": [\"a verdict\"], \"guidelines_html\": \"<p>Check.</p>\", \"match\": \(match), \"label_url\": \"/projects/\(projectID)/label\"}"
        let close = "{\"id\": \"\(projectID)\", \"name\": \"Law review\", \"rate_cents\": 5000, \"missing\": [{\"text\": \"take the law assessment\", \"track\": \"professional.law\", \"assessments\": [{\"id\": \"\(assessmentID)\", \"title\": \"Law\"}]}], \"match\": \(match)}"
        let fields: [String: String] = [
            "status": "\"approved\"", "name": "\"Ada\"", "qualifications": "[]",
            "stats": #"{"hours_this_week": 1.5, "tasks_this_week": 12, "earnings_cents_this_week": 675, "quality": null, "quality_as_of": "2026-11-23T00:00:00Z"}"#,
            "projects": "[\(project)]", "close": "[\(close)]", "assessments": "[]", "unread_notifications": "2",
        ]
        #expect(check("GET", "/api/v1/dashboard", object(fields)) == [])
        #expect(check("GET", "/api/v1/dashboard", object(fields, replace: ["status": "\"assessing\"", "projects": "[]", "close": "[]"])) == [])

        let quality = check("GET", "/api/v1/dashboard", object(fields, replace: [
            "stats": #"{"hours_this_week": 1.5, "tasks_this_week": 12, "earnings_cents_this_week": 675, "quality": 1.2, "quality_as_of": "2026-11-23T00:00:00Z"}"#,
        ]))
        #expect(quality.contains { $0.contains("$.stats.quality") && $0.contains("maximum") }, "\(quality)")
        let score = check("GET", "/api/v1/dashboard", object(fields, replace: [
            "projects": "[\(project.replacingOccurrences(of: "\"score\": 72.5", with: "\"score\": 101"))]",
        ]))
        #expect(score.contains { $0.contains("$.projects[0].match.score") }, "\(score)")
    }

    @Test func projectWorkforceMembersAreTyped() {
        let rate = validateProject(projectJSON(replace: ["rate_cents": "null"]))
        #expect(rate.contains { $0.contains("$.rate_cents: expected integer") }, "\(rate)")
        let level = validateProject(projectJSON(replace: ["requirements": #"{"languages": [{"code": "de", "min_level": "good"}]}"#]))
        #expect(level.contains { $0.contains("$.requirements.languages[0].min_level") }, "\(level)")
        #expect(validateProject(projectJSON(replace: ["requirements": "{}", "rate_set": "false", "expected_seconds_per_task": "null"])) == [])
        let track = validateProject(projectJSON(replace: ["requirements": #"{"any_of": ["STEM chemistry"]}"#]))
        #expect(track.contains { $0.contains("$.requirements.any_of[0]") }, "\(track)")
    }

    @Test func listingsAndTracksValidate() {
        let listing: [String: String] = [
            "id": "\"\(projectID)\"", "title": "\"Chemistry QA\"", "description": "\"Check answers to chemistry questions.\"",
            "tracks": #"[{"id": "stem.chemistry", "name": "STEM: chemistry"}]"#, "family": "\"stem\"", "rate_cents": "null",
            "qualifications": #"["holds STEM: chemistry"]"#, "languages": #"[{"code": "de", "min_level": "fluent"}]"#,
            "countries": #"["DE"]"#, "expected_hours": "12.5", "tasks_left": "300", "updated_at": Self.time,
        ]
        #expect(check("GET", "/api/v1/listings?track=stem.chemistry&min_rate_cents=4000", "{\"listings\": [\(object(listing))]}") == [])
        let rate = check("GET", "/api/v1/listings", "{\"listings\": [\(object(listing, replace: ["rate_cents": "\"40\""]))]}")
        #expect(rate.contains { $0.contains("$.listings[0].rate_cents") }, "\(rate)")

        let track: [String: String] = [
            "id": "\"stem.chemistry\"", "name": "\"STEM: chemistry\"", "family": "\"stem\"", "base_rate_cents": "4000",
            "eligibility": #"{"any": [{"degree": {"minimum": "master", "fields": ["chemistry"]}}]}"#,
            "eligibility_text": "\"A master's or PhD in chemistry.\"",
            "assessments": "[{\"id\": \"\(assessmentID)\", \"title\": \"Chemistry\"}]",
        ]
        #expect(check("GET", "/api/v1/tracks", "{\"tracks\": [\(object(track))]}") == [])
        #expect(check("PATCH", "/api/v1/admin/tracks/stem.chemistry", object(track)) == [])
        let cents = check("GET", "/api/v1/tracks", "{\"tracks\": [\(object(track, replace: ["base_rate_cents": "40.5"]))]}")
        #expect(cents.contains { $0.contains("$.tracks[0].base_rate_cents: expected integer") }, "\(cents)")
    }

    @Test func gradingAndAuditValidate() {
        let grading = "{\"attempt_id\": \"\(attemptID)\", \"assessment_title\": \"General starter\", \"applicant\": {\"user_id\": \"\(userID)\", \"name\": \"Ada\", \"email\": \"ada@example.com\"}, \"submitted_at\": \(Self.time), \"auto_score\": 0.75, \"items\": [{\"id\": \"why\", \"prompt\": \"Explain\", \"prompt_html\": \"<p>Explain</p>\", \"points\": 3, \"answer\": \"Because.\", \"rubric\": [{\"id\": \"clear\", \"description\": \"Clear\", \"points\": 1}], \"grade\": {\"points\": {\"clear\": 1}, \"total\": 1, \"comment\": null, \"by\": \"admin@example.com\", \"at\": \(Self.time)}}], \"result\": null}"
        #expect(check("GET", "/api/v1/grading/\(attemptID)", grading) == [])
        #expect(check("POST", "/api/v1/grading/\(attemptID)", grading) == [])
        let audit = "{\"events\": [{\"id\": \"\(projectID)\", \"actor\": \"admin@example.com\", \"action\": \"application.status\", \"subject_type\": \"user\", \"subject_id\": \"\(userID)\", \"detail\": {\"to\": \"approved\"}, \"at\": \(Self.time)}, {\"id\": \"\(attemptID)\", \"actor\": null, \"action\": \"track.update\", \"subject_type\": \"track\", \"subject_id\": \"stem.chemistry\", \"detail\": {}, \"at\": \(Self.time)}]}"
        #expect(check("GET", "/api/v1/admin/audit?limit=100", audit) == [])
        #expect(spec.validate(method: "DELETE", path: "/api/v1/admin/users/\(userID)/qualifications/stem.chemistry",
                              status: 204, contentType: nil, body: Data()) == [])
    }
}
