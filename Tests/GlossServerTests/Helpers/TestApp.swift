import Foundation
import GlossCore
@testable import GlossServer
import GlossStore
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A fresh Gloss application for one test: SQLite in a temporary folder, or, when
/// `GLOSS_TEST_DATABASE_URL` is set, a new PostgreSQL database created for the test and dropped after it.
/// Every response is checked against the OpenAPI document.
struct TestApp {
    let app: Application
    let tester: any TestingApplicationTester

    static var databaseKind: String {
        ProcessInfo.processInfo.environment["GLOSS_TEST_DATABASE_URL"] == nil ? "sqlite" : "postgres"
    }

    static func run(leaseSeconds: Int = 1800, maximumImportBytes: Int? = nil, clock: ManualClock? = nil,
                    _ body: (TestApp) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-test-\(UUID().uuidString)").path
        var location = try DatabaseLocation.resolve(dataDirectory: directory, databaseURL: "")
        var dropDatabase: (() async throws -> Void)?
        if let baseURL = ProcessInfo.processInfo.environment["GLOSS_TEST_DATABASE_URL"], !baseURL.isEmpty {
            let name = "gloss_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            try await PostgresAdmin.execute("CREATE DATABASE \(name)", url: baseURL)
            location = .postgres(url: PostgresAdmin.url(baseURL, database: name))
            dropDatabase = { try await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: baseURL) }
        }
        let app = try await Application.make(.testing)
        do {
            // The pre-label queue is run by the tests themselves (`PrelabelRunner.runDueJobs`), step by step.
            var configuration = GlossConfiguration(location: location, bcryptCost: 4, maximumImportBytes: maximumImportBytes,
                                                   defaultLeaseSeconds: leaseSeconds, secretsDirectory: directory,
                                                   runsPrelabelJobs: false, prelabelRetryBaseSeconds: 0.01)
            // Pay reads this clock; a test moves it forward to credit minutes of work without waiting.
            if let clock { configuration.clock = clock }
            try await configure(app, configuration)
            try await body(TestApp(app: app, tester: try app.testing()))
        } catch {
            try? await app.asyncShutdown()
            try? await dropDatabase?()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        try await app.asyncShutdown()
        try await dropDatabase?()
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Accounts

    struct Account {
        let email: String
        let token: String
        let id: UUID
    }

    func makeUser(_ role: Role, organization: String? = nil, email: String? = nil) async throws -> Account {
        let address = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())@test.gloss"
        let user = try await GlossAdministration.createUser(app, email: address, password: "password-123", role: role,
                                                            organization: role == .requester ? (organization ?? "Org A") : nil, name: nil)
        let token = try await GlossAdministration.createToken(app, email: address, name: "test")
        return Account(email: address, token: token, id: try user.requireID())
    }

    // MARK: Requests

    struct Reply {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: String
        let bytes: [UInt8]

        var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
        var object: [String: JSONValue] { json.objectValue ?? [:] }
        func string(_ key: String) -> String? { json[key]?.stringValue }
    }

    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil,
                 body: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil, headers extra: HTTPHeaders = [:],
                 validate: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        var headers = extra
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        var buffer: ByteBuffer?
        if let json {
            headers.add(name: .contentType, value: "application/json")
            buffer = ByteBuffer(string: json)
        } else if let body {
            headers.add(name: .contentType, value: contentType ?? "application/octet-stream")
            buffer = ByteBuffer(string: body)
        } else if let bytes {
            headers.add(name: .contentType, value: contentType ?? "application/octet-stream")
            buffer = ByteBuffer(bytes: bytes)
        }
        let response = try await tester.sendRequest(method, path, headers: headers, body: buffer)
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        if validate, path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path) {
            let route = String(path.split(separator: "?").first ?? "")
            let errors = OpenAPISpec.shared.validate(method: method.rawValue, path: route, status: Int(response.status.code),
                                                     contentType: response.headers.first(name: .contentType), body: Data(text.utf8))
            #expect(errors.isEmpty, "response does not match the OpenAPI document: \(errors)", sourceLocation: sourceLocation)
        }
        return Reply(status: response.status, headers: response.headers, body: text, bytes: Array(response.body.readableBytesView))
    }

    // MARK: Projects and tasks

    static let sentimentSchema = """
    {"fields": [{"name": "sentiment", "type": "choice", "options": ["positive", "negative", "neutral"]},
                {"name": "note", "type": "text", "required": false, "max_length": 20}]}
    """

    func makeProject(_ requester: Account, overlap: Int = 1, tasks: Int = 0, name: String = "Reviews") async throws -> String {
        let reply = try await request(.POST, "/api/v1/projects", token: requester.token,
                                      json: "{\"name\": \(JSONValue.quoted(name)), \"schema\": \(Self.sentimentSchema), \"overlap\": \(overlap)}")
        #expect(reply.status == .created)
        let id = try #require(reply.string("id"))
        if tasks > 0 {
            let lines = (1...tasks).map { "{\"data\": {\"text\": \"review \($0)\"}, \"external_id\": \"r\($0)\"}" }.joined(separator: "\n")
            let imported = try await request(.POST, "/api/v1/projects/\(id)/tasks", token: requester.token, body: lines,
                                             contentType: "application/x-ndjson")
            #expect(imported.status == .created, "\(imported.body)")
        }
        return id
    }

    /// Next + submit for a worker until the project has nothing left for them; returns the task ids done.
    func labelAll(_ projectID: String, worker: Account, value: String = "{\"sentiment\": \"positive\"}") async throws -> [String] {
        var done: [String] = []
        while true {
            let next = try await request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token)
            if next.status == .noContent { return done }
            let taskID = try #require(next.string("id"))
            let submitted = try await request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: "{\"value\": \(value)}")
            #expect(submitted.status == .created, "\(submitted.body)")
            done.append(taskID)
        }
    }

    var sql: any SQLDatabase { app.gloss.store.sql }
}

/// Creates and drops PostgreSQL databases for tests, through a short-lived Fluent connection.
enum PostgresAdmin {
    static func url(_ base: String, database: String) -> String {
        guard var components = URLComponents(string: base) else { return base }
        components.path = "/" + database
        return components.string ?? base
    }

    static func execute(_ statement: String, url: String) async throws {
        let app = try await Application.make(.testing)
        do {
            try Store.register(.postgres(url: url), on: app.databases, postgresConnectionsPerEventLoop: 1)
            let store = Store(databases: app.databases, location: .postgres(url: url), logger: app.logger)
            try await store.sql.raw(SQLQueryString(statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
