import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The parts of the Gloss HTTP API the benchmark uses, over one shared `HTTPClient`.
struct BenchAPI: Sendable {
    let http: HTTPClient
    /// `http://127.0.0.1:<port>`, no trailing slash.
    let baseURL: String

    /// The most a small (non-export) response body may hold.
    static let smallBodyLimit = 16 * 1024 * 1024
    static let defaultTimeout: TimeAmount = .seconds(30)
    /// Imports and exports of 100,000 tasks may take a while on a slow machine.
    static let bulkTimeout: TimeAmount = .seconds(600)

    /// Keep-alive connections, HTTP/1.1, no automatic retry of failed connects (start-up polling
    /// must see a refused connection at once instead of a back-off).
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 16
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(2), read: .seconds(300))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    struct Reply: Sendable {
        let status: HTTPResponseStatus
        let body: ByteBuffer

        var text: String { String(buffer: body) }
    }

    // MARK: Requests

    func request(
        _ method: HTTPMethod,
        _ path: String,
        token: String?,
        contentType: String? = nil,
        body: ByteBuffer? = nil
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let contentType {
            request.headers.add(name: "Content-Type", value: contentType)
        }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.body = .bytes(body)
        }
        return request
    }

    /// Sends a request and reads the whole (small) body, so the connection goes back to the pool.
    func send(_ request: HTTPClientRequest, timeout: TimeAmount = BenchAPI.defaultTimeout) async throws -> Reply {
        let response = try await http.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: Self.smallBodyLimit)
        return Reply(status: response.status, body: body)
    }

    private func expect(_ reply: Reply, _ status: HTTPResponseStatus, _ what: String) throws {
        guard reply.status == status else {
            throw BenchError("\(what): expected \(status.code), got \(reply.status.code): \(reply.text.prefix(500))")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from reply: Reply, _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: reply.body)
        } catch {
            throw BenchError("\(what): unexpected response body (\(error)): \(reply.text.prefix(500))")
        }
    }

    // MARK: Endpoints

    /// `GET /healthz`; throws when the server cannot be reached.
    func health(token: String? = nil, timeout: TimeAmount = .seconds(2)) async throws -> HTTPResponseStatus {
        try await send(request(.GET, "/healthz", token: token), timeout: timeout).status
    }

    /// `POST /api/v1/projects` with a one-field choice schema; returns the project id.
    func createProject(name: String, overlap: Int, token: String) async throws -> String {
        let body = try JSONEncoder().encodeAsByteBuffer(
            BenchNewProject(name: name, overlap: overlap),
            allocator: ByteBufferAllocator()
        )
        let reply = try await send(request(.POST, "/api/v1/projects", token: token, contentType: "application/json", body: body))
        try expect(reply, .created, "create project \(name)")
        return try decode(BenchIdentified.self, from: reply, "create project \(name)").id
    }

    /// `POST /api/v1/projects/{id}/tasks` with an NDJSON body; returns `imported`.
    func importTasks(projectID: String, ndjson: ByteBuffer, token: String) async throws -> Int {
        let reply = try await send(
            request(.POST, "/api/v1/projects/\(projectID)/tasks", token: token, contentType: "application/x-ndjson", body: ndjson),
            timeout: Self.bulkTimeout
        )
        try expect(reply, .created, "import into project \(projectID)")
        return try decode(BenchImported.self, from: reply, "import into project \(projectID)").imported
    }

    /// `GET /api/v1/projects/{id}/next`: the leased task's id, or nil on 204 (nothing left).
    func nextTask(projectID: String, token: String) async throws -> String? {
        let reply = try await send(request(.GET, "/api/v1/projects/\(projectID)/next", token: token))
        if reply.status == .noContent {
            return nil
        }
        try expect(reply, .ok, "next task of project \(projectID)")
        return try decode(BenchIdentified.self, from: reply, "next task of project \(projectID)").id
    }

    /// `POST /api/v1/tasks/{id}/annotations` with `{"value":{"sentiment":"positive"},"time_spent_s":1.5}`.
    func submitAnnotation(taskID: String, token: String) async throws {
        let reply = try await send(
            request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: token, contentType: "application/json", body: Self.annotationBody)
        )
        try expect(reply, .created, "annotate task \(taskID)")
    }

    /// `POST /api/v1/tasks/{id}/activity`: one activity ping of a labeling page (10 s active, input 1 s ago).
    func activity(taskID: String, tab: String, seq: Int, token: String) async throws {
        let body = ByteBuffer(string: #"{"tab":"\#(tab)","seq":\#(seq),"active_s":10,"idle_s":1}"#)
        let reply = try await send(request(.POST, "/api/v1/tasks/\(taskID)/activity", token: token, contentType: "application/json", body: body))
        try expect(reply, .ok, "activity ping on task \(taskID)")
    }

    /// `GET /api/v1/projects/{id}`: `progress.tasks_total` and `progress.tasks_done`.
    func progress(projectID: String, token: String) async throws -> BenchProjectProgress {
        let reply = try await send(request(.GET, "/api/v1/projects/\(projectID)", token: token))
        try expect(reply, .ok, "get project \(projectID)")
        return try decode(BenchProjectWithProgress.self, from: reply, "get project \(projectID)").progress
    }

    /// `GET /api/v1/projects/{id}/export?format=jsonl`, streamed: counts bytes and rows without
    /// keeping the body.
    func streamExport(projectID: String, token: String) async throws -> BenchExportCount {
        var exportRequest = request(.GET, "/api/v1/projects/\(projectID)/export?format=jsonl", token: token)
        exportRequest.headers.replaceOrAdd(name: "Accept", value: "*/*")
        let response = try await http.execute(exportRequest, timeout: Self.bulkTimeout)
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: Self.smallBodyLimit)
            throw BenchError("export of project \(projectID): expected 200, got \(response.status.code): \(String(buffer: body).prefix(500))")
        }
        var count = BenchExportCount()
        for try await chunk in response.body {
            count.add(chunk)
        }
        return count
    }

    static let annotationBody = ByteBuffer(string: #"{"value":{"sentiment":"positive"},"time_spent_s":1.5}"#)
}

/// Bytes and newline-terminated rows of a streamed export.
struct BenchExportCount: Sendable {
    private(set) var bytes = 0
    private var newlines = 0
    private var endsWithNewline = true

    /// Rows: newline-terminated lines, plus a last line without a newline if there is one.
    var rows: Int { newlines + (endsWithNewline ? 0 : 1) }

    mutating func add(_ chunk: ByteBuffer) {
        guard chunk.readableBytes > 0 else { return }
        bytes += chunk.readableBytes
        var found = 0
        for byte in chunk.readableBytesView where byte == UInt8(ascii: "\n") {
            found += 1
        }
        newlines += found
        endsWithNewline = chunk.readableBytesView.last == UInt8(ascii: "\n")
    }
}

// MARK: Bodies

struct BenchNewProject: Encodable, Sendable {
    struct Field: Encodable, Sendable {
        let name: String
        let type: String
        let options: [String]
        let required: Bool
    }

    struct Schema: Encodable, Sendable {
        let fields: [Field]
    }

    let name: String
    let schema = Schema(fields: [
        Field(name: "sentiment", type: "choice", options: ["positive", "negative", "neutral"], required: true),
    ])
    let overlap: Int
}

struct BenchIdentified: Decodable, Sendable {
    let id: String
}

struct BenchImported: Decodable, Sendable {
    let imported: Int
}

struct BenchProjectProgress: Decodable, Sendable {
    let tasksTotal: Int
    let tasksDone: Int

    enum CodingKeys: String, CodingKey {
        case tasksTotal = "tasks_total"
        case tasksDone = "tasks_done"
    }
}

struct BenchProjectWithProgress: Decodable, Sendable {
    let progress: BenchProjectProgress
}

/// NDJSON import bodies: `{"data":{"text":"Review number N: ..."},"external_id":"t-N"}` per line.
enum BenchTaskFile {
    static func ndjson(range: Range<Int>) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: range.count * 112)
        for number in range {
            buffer.writeString(
                #"{"data":{"text":"Review number \#(number): the product arrived on time and works as described."},"external_id":"t-\#(number)"}"#
            )
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return buffer
    }
}
