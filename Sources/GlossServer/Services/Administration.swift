import Foundation
import GlossCore
import GlossStore
import Vapor

/// What the command line does, over the same services as the API.
public enum GlossAdministration {
    public static func createUser(_ app: Application, email: String, password: String, role: Role,
                                  organization: String?, name: String?) async throws -> UserModel {
        try AccountRules.checkPassword(password)
        var organizationID: UUID?
        if let organization {
            organizationID = try await app.gloss.accounts.organization(named: organization, creatingIfMissing: true)?.id
        }
        let hash = try await app.password.async.hash(password)
        return try await app.gloss.accounts.createUser(email: email, name: name ?? email, passwordHash: hash,
                                                       role: role, organizationID: organizationID)
    }

    public static func createToken(_ app: Application, email: String, name: String) async throws -> String {
        guard let user = try await app.gloss.accounts.user(email: email) else {
            throw FieldError(field: "email", message: "no user has the e-mail \(email)")
        }
        return try await app.gloss.accounts.createToken(userID: user.requireID(), name: name)
    }

    public static func importTasks<Chunks: AsyncSequence & Sendable>(_ app: Application, projectID: UUID, format: ImportFormat,
                                                                      chunks: Chunks) async throws -> Int where Chunks.Element: Collection<UInt8> {
        guard let project = try await app.gloss.projects.find(id: projectID) else {
            throw FieldError(field: "project", message: "no project has the id \(projectID.text)")
        }
        return try await ImportService(context: app.gloss).importTasks(into: project, format: format, chunks: chunks)
    }

    /// Stores image, video, audio and point cloud files as media of a project and imports one task per file,
    /// `{image: url, file_name}` (or `video`, `audio`, `points`: the keys the schema's fields read). Files that are not images
    /// or videos are skipped and named in the answer; a damaged one fails the whole import.
    public static func importMedia(_ app: Application, projectID: UUID, files: [(name: String, path: String)]) async throws
        -> (media: Int, tasks: Int, skipped: [String]) {
        guard let project = try await app.gloss.projects.find(id: projectID) else {
            throw FieldError(field: "project", message: "no project has the id \(projectID.text)")
        }
        let schema = try app.gloss.schemas.schema(of: project)
        let imageKey = schema.fields.lazy.compactMap(\.kind.imageKey).first
        let videoKey = schema.fields.lazy.compactMap { field -> String? in
            switch field.kind {
            case .tracks(let tracks): tracks.video
            case .events(let events): events.video
            default: nil
            }
        }.first
        let audioKey = schema.fields.lazy.compactMap { field -> String? in if case .segments(let segments) = field.kind { segments.audio } else { nil } }.first
        let pointsKey = schema.fields.lazy.compactMap { field -> String? in if case .cuboids(let cuboids) = field.kind { cuboids.points } else { nil } }.first
        let keys: [String: String?] = [MediaKind.image.rawValue: imageKey, MediaKind.video.rawValue: videoKey,
                                       MediaKind.audio.rawValue: audioKey, MediaKind.pointCloud.rawValue: pointsKey]
        let folder = NSTemporaryDirectory() + "gloss-import-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var received: [MediaService.ReceivedFile] = []
        var skipped: [String] = []
        for (index, file) in files.enumerated() {
            guard MediaInspector.sniff(try MediaService.head(of: file.path), fileName: file.name) != nil else { skipped.append(file.name); continue }
            received.append(try MediaService.copy(file.path, name: file.name, into: folder, index: index))
        }
        let service = MediaService(context: app.gloss, threadPool: app.threadPool, logger: app.logger)
        let records: [MediaRecord]
        do {
            records = try await service.store(received, projectID: projectID, folder: folder)
        } catch let problem as Problem {
            throw FieldError(field: problem.errors.first?.field ?? "file", message: problem.errors.first?.message ?? problem.title)
        }
        var lines = ""
        for (record, file) in zip(records, received) {
            guard let key = keys[record.kind] ?? nil else {
                throw FieldError(field: "file", message: "'\(file.name)' is a \(record.kind), but the project's schema has no \(record.kind) field")
            }
            let data: [String: JSONValue] = [key: .string(record.url), "file_name": .string(file.name)]
            lines += JSONValue.object(["external_id": .string(file.name), "data": .object(data)]).jsonText + "\n"
        }
        let tasks = lines.isEmpty ? 0 : try await importTasks(app, projectID: projectID, format: .jsonLines, chunks: [Array(lines.utf8)].async)
        return (records.count, tasks, skipped)
    }

    /// Streams an export to `write`; returns the number of tasks.
    public static func export(_ app: Application, projectID: UUID, format: ExportFormat, includesImages: Bool = false,
                              finalAnswers: Bool = false, write: ([UInt8]) throws -> Void) async throws -> Int {
        guard let project = try await app.gloss.projects.find(id: projectID) else {
            throw FieldError(field: "project", message: "no project has the id \(projectID.text)")
        }
        let schema = try app.gloss.schemas.schema(of: project)
        if let reason = format.unavailableReason(for: schema) {
            throw FieldError(field: "format", message: "'\(format.rawValue)' \(reason)")
        }
        return try await ExportService(context: app.gloss).export(projectID: projectID, format: format, schema: schema,
                                                                   includesImages: includesImages, answers: finalAnswers ? .final : .all,
                                                                   write: write)
    }

    /// The e-mail outbox, newest first (`status`: pending, sent or failed).
    public static func outbox(_ app: Application, status: String?, limit: Int) async throws -> [WorkforceRepository.OutboxMail] {
        try await app.gloss.workforce.outbox(status: status, limit: limit)
    }

    /// Sends the due mail once through the configured mail service; returns how many went out.
    public static func sendOutbox(_ app: Application) async throws -> Int {
        guard app.gloss.configuration.mailURL != nil else {
            throw FieldError(field: "GLOSS_MAIL_URL", message: "is not set: mail waits in the outbox until a mail service is configured")
        }
        return try await OutboxSender(context: app.gloss, client: app.http.client.shared).sendDue()
    }
}
