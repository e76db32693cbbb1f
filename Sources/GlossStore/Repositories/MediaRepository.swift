import FluentKit
import Foundation
import GlossCore
import SQLKit

/// An uploaded image, video, audio file or point cloud of a project.
public struct MediaRecord: Sendable {
    public var id: UUID
    public var projectID: UUID
    public var sha256: String
    public var kind: String
    public var contentType: String
    public var fileName: String
    public var byteSize: Int64
    public var width: Int?
    public var height: Int?
    public var frameCount: Int?
    public var fps: Double?
    /// The SHA-256 of each extracted frame (videos).
    public var frames: [String]
    public var createdAt: Double
    /// Audio: length in seconds, sample rate and channels (ffprobe's).
    public var duration: Double?
    public var sampleRate: Int?
    public var channels: Int?
    /// Point clouds: the number of points.
    public var pointCount: Int?
    /// The SHA-256 of the blob the browser loads instead of the file: an audio file's waveform peaks, a point
    /// cloud's compact points.
    public var derived: String?
    /// More facts by kind: `peaks_per_second`, `peak_dbfs`, `rms_dbfs` (audio); `bounds` and `format` (point clouds).
    public var details: [String: JSONValue]
    /// A worker's recording for a task: the worker and the task (nil for files a requester uploaded).
    public var uploadedBy: UUID?
    public var taskID: UUID?

    public init(id: UUID, projectID: UUID, sha256: String, kind: String, contentType: String, fileName: String, byteSize: Int64,
                width: Int?, height: Int?, frameCount: Int?, fps: Double?, frames: [String], createdAt: Double,
                duration: Double? = nil, sampleRate: Int? = nil, channels: Int? = nil, pointCount: Int? = nil, derived: String? = nil,
                details: [String: JSONValue] = [:], uploadedBy: UUID? = nil, taskID: UUID? = nil) {
        self.id = id
        self.projectID = projectID
        self.sha256 = sha256
        self.kind = kind
        self.contentType = contentType
        self.fileName = fileName
        self.byteSize = byteSize
        self.width = width
        self.height = height
        self.frameCount = frameCount
        self.fps = fps
        self.frames = frames
        self.createdAt = createdAt
        self.duration = duration
        self.sampleRate = sampleRate
        self.channels = channels
        self.pointCount = pointCount
        self.derived = derived
        self.details = details
        self.uploadedBy = uploadedBy
        self.taskID = taskID
    }

    /// The URL task data uses for it.
    public var url: String { "/api/v1/media/\(id.uuidString.lowercased())" }

    public var isVideo: Bool { kind == MediaKind.video.rawValue }

    /// What validation checks shapes against.
    public var facts: MediaFacts {
        MediaFacts(width: width, height: height, frameCount: isVideo ? frames.count : nil, duration: duration,
                   peakDBFS: details["peak_dbfs"].map { $0.numberValue ?? -Double.infinity })
    }
}

public struct MediaRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Stores the records of one upload together: all or none.
    public func insert(_ records: [MediaRecord]) async throws {
        try await store.write { sql in
            for record in records {
                let frames: String? = record.frames.isEmpty ? nil : JSONValue.array(record.frames.map(JSONValue.string)).jsonText
                let details: String? = record.details.isEmpty ? nil : JSONValue.object(record.details).jsonText
                try await sql.raw("""
                    INSERT INTO media (id, project_id, sha256, kind, content_type, file_name, byte_size, width, height, frame_count, fps,
                    frames, created_at, duration_s, sample_rate, channels, point_count, derived, details, uploaded_by, task_id)
                    VALUES (\(bind: store.id(record.id)), \(bind: store.id(record.projectID)), \(bind: record.sha256),
                    \(bind: record.kind), \(bind: record.contentType), \(bind: record.fileName), \(bind: record.byteSize), \(bind: record.width),
                    \(bind: record.height), \(bind: record.frameCount), \(bind: record.fps), \(bind: frames), \(bind: record.createdAt),
                    \(bind: record.duration), \(bind: record.sampleRate), \(bind: record.channels), \(bind: record.pointCount),
                    \(bind: record.derived), \(bind: details), \(optionalID(record.uploadedBy)), \(optionalID(record.taskID)))
                    """).run()
            }
        }
    }

    func optionalID(_ id: UUID?) -> any SQLExpression {
        id.map { SQLBind(store.id($0)) } ?? SQLLiteral.null
    }

    static let columns = """
        id, project_id, sha256, kind, content_type, file_name, byte_size, width, height, frame_count, fps, frames, created_at, duration_s,
        sample_rate, channels, point_count, derived, details, uploaded_by, task_id
        """

    public func find(id: UUID) async throws -> MediaRecord? {
        try await store.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM media WHERE id = \(bind: store.id(id))").first().map(Self.record)
    }

    /// The project's media among `ids` (media of other projects are left out).
    public func find(ids: [UUID], projectID: UUID) async throws -> [UUID: MediaRecord] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: MediaRecord] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let list = SQLList(chunk.map { SQLBind(store.id($0)) })
            let rows = try await store.sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM media WHERE project_id = \(bind: store.id(projectID)) AND id IN (\(list))
                """).all()
            for row in rows {
                let record = try Self.record(row)
                result[record.id] = record
            }
        }
        return result
    }

    /// The project's media named by these URLs (`/api/v1/media/{id}`), keyed by the URL as given; other
    /// URLs, and media of other projects, are left out.
    public func records(forURLs urls: [String], projectID: UUID) async throws -> [String: MediaRecord] {
        var urlsByID: [UUID: [String]] = [:]
        for url in Set(urls) { if let id = MediaRecord.id(inURL: url) { urlsByID[id, default: []].append(url) } }
        var result: [String: MediaRecord] = [:]
        for (id, record) in try await find(ids: Array(urlsByID.keys), projectID: projectID) {
            for url in urlsByID[id] ?? [] { result[url] = record }
        }
        return result
    }

    /// The project's media, newest first.
    public func list(projectID: UUID, limit: Int, before: Double? = nil) async throws -> [MediaRecord] {
        try await store.sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM media WHERE project_id = \(bind: store.id(projectID))
            AND created_at < \(bind: before ?? Double.greatestFiniteMagnitude) ORDER BY created_at DESC LIMIT \(bind: limit)
            """).all().map(Self.record)
    }

    /// The project's media with this file name (the newest first): pre-labels and imports match by name.
    public func find(fileName: String, projectID: UUID) async throws -> MediaRecord? {
        try await store.sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM media WHERE project_id = \(bind: store.id(projectID)) AND file_name = \(bind: fileName)
            ORDER BY created_at DESC LIMIT 1
            """).first().map(Self.record)
    }

    static func record(_ row: any SQLRow) throws -> MediaRecord {
        func optionalInt(_ column: String) throws -> Int? { try row.decodeNil(column: column) ? nil : try row.int(column) }
        let framesJSON = try row.optionalText("frames")
        let frames = framesJSON.flatMap { try? JSONValue.parse($0).arrayValue?.compactMap(\.stringValue) } ?? []
        return MediaRecord(
            id: try row.uuid("id"), projectID: try row.uuid("project_id"), sha256: try row.text("sha256"), kind: try row.text("kind"),
            contentType: try row.text("content_type"), fileName: try row.text("file_name"), byteSize: try row.int64("byte_size"),
            width: try optionalInt("width"), height: try optionalInt("height"), frameCount: try optionalInt("frame_count"),
            fps: try row.decodeNil(column: "fps") ? nil : try row.double("fps"), frames: frames, createdAt: try row.double("created_at"),
            duration: try row.decodeNil(column: "duration_s") ? nil : try row.double("duration_s"), sampleRate: try optionalInt("sample_rate"),
            channels: try optionalInt("channels"), pointCount: try optionalInt("point_count"), derived: try row.optionalText("derived"),
            details: (try row.optionalText("details")).flatMap { try? JSONValue.parse($0).objectValue } ?? [:],
            uploadedBy: try row.decodeNil(column: "uploaded_by") ? nil : try row.uuid("uploaded_by"),
            taskID: try row.decodeNil(column: "task_id") ? nil : try row.uuid("task_id"))
    }
}

extension MediaRecord {
    /// The id in a Gloss media URL (`/api/v1/media/{id}`), if the text is one.
    public static func id(inURL url: String) -> UUID? {
        let prefix = "/api/v1/media/"
        guard url.hasPrefix(prefix) else { return nil }
        let rest = url.dropFirst(prefix.count)
        return UUID(uuidString: String(rest.prefix { $0 != "/" && $0 != "?" }))
    }
}
