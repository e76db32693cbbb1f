import Foundation
import GlossCore
import GlossStore
import Vapor

/// Uploaded images and videos: upload (multipart), list, read (with `Range`), describe, and the frames of a video.
struct MediaController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "projects", ":id", "media", body: .stream, use: upload)
        routes.get("projects", ":id", "media", use: list)
        routes.get("media", ":id", use: file)
        routes.get("media", ":id", "info", use: info)
        routes.get("media", ":id", "frames", ":frame", use: frame)
        routes.get("media", ":id", "peaks", use: peaks)
        routes.get("media", ":id", "points", use: points)
        routes.on(.POST, "tasks", ":id", "recordings", body: .stream, use: record)
        routes.on(.POST, "projects", ":id", "prelabels", body: .collect(maxSize: "256mb"), use: importPrelabels)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        guard let contentType = req.headers.contentType, contentType.type == "multipart", contentType.subType == "form-data",
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            throw Problem(.unsupportedMediaType, "Send the files as multipart/form-data",
                          detail: "Upload files as multipart/form-data parts named 'file'.")
        }
        let limit = req.gloss.configuration.maximumMediaBytes
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit + 64 * 1024 {
            throw MediaService.tooLarge("the upload", limit: limit)
        }
        let records = try await MediaService(context: req.gloss, threadPool: req.application.threadPool, logger: req.logger)
            .upload(projectID: try project.requireID(), boundary: boundary, body: req.body)
        return .json(.object(["media": .array(records.map(Self.json))]), status: .created)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        let records = try await req.gloss.media.list(projectID: try project.requireID(), limit: limit)
        return .json(.object(["media": .array(records.map(Self.json))]))
    }

    /// The record, if the caller may see its project (anything else is not found). A worker's recording is
    /// theirs: other workers never get it.
    func visibleMedia(_ req: Request) async throws -> MediaRecord {
        let principal = try req.requirePrincipal()
        guard let record = try await req.gloss.media.find(id: try req.uuidParameter()) else { throw Problem.notFound }
        if principal.role == .worker, let owner = record.uploadedBy, owner != principal.id,
           try await req.gloss.quality.grant(projectID: record.projectID, userID: principal.id) == nil {
            // Another worker's recording: only the project's reviewers and experts may hear it.
            throw Problem.notFound
        }
        _ = try await req.projectService.visibleProject(record.projectID, to: principal)
        return record
    }

    /// An audio file's waveform: signed 8-bit (min, max) pairs per 1/`peaks_per_second` s.
    @Sendable func peaks(req: Request) async throws -> Response {
        let record = try await visibleMedia(req)
        guard record.kind == MediaKind.audio.rawValue, let derived = record.derived else { throw Problem.notFound }
        return try await Self.stream(blob: derived, contentType: "application/octet-stream", req: req)
    }

    /// A point cloud as the compact binary the editor loads (`CompactPoints`: "GPC1", count, flags, bounds, points).
    @Sendable func points(req: Request) async throws -> Response {
        let record = try await visibleMedia(req)
        guard record.kind == MediaKind.pointCloud.rawValue, let derived = record.derived else { throw Problem.notFound }
        return try await Self.stream(blob: derived, contentType: "application/octet-stream", req: req)
    }

    /// A worker's recording for a task they hold: one audio file (multipart part `file`), stored as the
    /// project's media, theirs and the task's. The answer's `recording` field names it by its URL.
    @Sendable func record(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard principal.role == .worker else { throw Problem.forbidden("Only the worker who holds the task records for it.") }
        guard let task = try await req.gloss.tasks.context(ofTask: try req.uuidParameter()) else { throw Problem.notFound }
        _ = try await req.projectService.visibleProject(task.projectID, to: principal)
        let schema = try req.gloss.schemas.schema(projectID: task.projectID, updatedAt: task.projectUpdatedAt, json: task.schemaJSON)
        guard schema.fields.contains(where: { if case .recording = $0.kind { true } else { false } }) else {
            throw Problem.invalid(field: "task", "the project's schema has no recording field")
        }
        guard try await req.gloss.tasks.holdsLease(taskID: task.id, workerID: principal.id) else {
            throw Problem.conflict("You do not hold this task: open it from the labeling page first.")
        }
        guard let contentType = req.headers.contentType, contentType.type == "multipart", contentType.subType == "form-data",
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            throw Problem(.unsupportedMediaType, "Send the recording as multipart/form-data",
                          detail: "Upload the recording as a multipart/form-data part named 'file'.")
        }
        let longest = schema.fields.compactMap { field -> Double? in if case .recording(let recording) = field.kind { recording.maximumSeconds } else { nil } }.max() ?? 3600
        let limit = req.gloss.configuration.maximumMediaBytes
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit + 64 * 1024 {
            throw MediaService.tooLarge("the recording", limit: limit)
        }
        // Audio only, one file, no longer than the field allows (with a second to spare): checked before decoding.
        var service = MediaService(context: req.gloss, threadPool: req.application.threadPool, logger: req.logger)
        service.allowedKinds = [.audio]
        service.audioLimit = longest + 1
        service.maximumFiles = 1
        let records = try await service.upload(projectID: task.projectID, boundary: boundary, body: req.body) { record, _ in
            var mine = record
            mine.uploadedBy = principal.id
            mine.taskID = task.id
            return mine
        }
        return .json(Self.json(records[0]), status: .created)
    }

    @Sendable func info(req: Request) async throws -> Response {
        .json(Self.json(try await visibleMedia(req)))
    }

    @Sendable func file(req: Request) async throws -> Response {
        let record = try await visibleMedia(req)
        return try await Self.stream(blob: record.sha256, contentType: record.contentType, req: req)
    }

    @Sendable func frame(req: Request) async throws -> Response {
        let record = try await visibleMedia(req)
        guard let text = req.parameters.get("frame"), let number = Int(text), record.frames.indices.contains(number) else {
            throw Problem.notFound
        }
        return try await Self.stream(blob: record.frames[number], contentType: "image/jpeg", req: req)
    }

    /// A blob as a response: `Range` requests, an ETag that is the content's hash, and a long private cache
    /// (content-addressed bytes never change).
    static func stream(blob sha256: String, contentType: String, req: Request) async throws -> Response {
        let eTag = "\"\(sha256)\""
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: eTag)
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=31536000, immutable")
        if let match = req.headers.first(name: .ifNoneMatch), match == eTag || match == "*" {
            return Response(status: .notModified, headers: headers)
        }
        guard let path = req.gloss.blobs.localPath(of: sha256) else {
            req.logger.error("media blob \(sha256) is missing from the blob store")
            throw Problem(.internalServerError, "The file is missing from the blob store")
        }
        let response = try await req.fileio.asyncStreamFile(at: path, mediaType: HTTPMediaType(contentType: contentType))
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    /// Pre-labels from a COCO file for tasks already imported, matched by image file name. All or nothing.
    @Sendable func importPrelabels(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let project = try await req.projectService.managedProject(try req.uuidParameter(), by: principal)
        let projectID = try project.requireID()
        let format = req.query[String.self, at: "format"] ?? "coco"
        guard format == "coco" else { throw Problem.invalid(field: "format", "'\(format)' is not a pre-label format (formats: coco)") }
        let schema = try req.gloss.schemas.schema(of: project)
        let imageFields = schema.fields.filter {
            switch $0.kind { case .boxes, .polygons, .keypoints: true; default: false }
        }
        let fieldName = req.query[String.self, at: "field"] ?? imageFields.first?.name
        guard let fieldName, let field = imageFields.first(where: { $0.name == fieldName }) else {
            throw Problem.invalid(field: "field", "must name a boxes, polygons or keypoints field of the schema")
        }
        let model = req.query[String.self, at: "model"] ?? "coco"
        guard !model.isEmpty, model.count <= 200 else { throw Problem.invalid(field: "model", "must be 1 to 200 characters") }
        guard let buffer = req.body.data else { throw Problem.badRequest(field: "body", "a COCO JSON file is required") }
        let json: JSONValue
        do {
            json = try buffer.withUnsafeReadableBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) }
        } catch let error as JSONSyntaxError {
            throw Problem.badRequest(field: "body", error.description)
        }
        let coco: COCOPrelabels
        do { coco = try COCOPrelabels.parse(json) } catch { throw Problem.invalid([error]) }
        let imageKey = field.kind.imageKey ?? "image"
        var additions: [(taskID: UUID, prelabel: JSONValue)] = []
        var matched: Set<String> = []
        var annotationCount = 0
        var afterSeq: Int64 = 0
        while true {
            let page = try await req.gloss.tasks.exportPage(projectID: projectID, afterSeq: afterSeq, limit: ExportService.pageSize)
            guard let lastSeq = page.lastSeq else { break }
            afterSeq = lastSeq
            let datas = page.tasks.map { (try? JSONValue.parse($0.dataJSON).objectValue) ?? [:] }
            let records = try await req.gloss.media.records(forURLs: datas.compactMap { $0[imageKey]?.stringValue }, projectID: projectID)
            for (task, data) in zip(page.tasks, datas) {
                guard let url = data[imageKey]?.stringValue else { continue }
                let record = records[url]
                guard let name = coco.fileName(matching: [record?.fileName, data["file_name"]?.stringValue, ExportMedia.fileName(ofURL: url)]),
                      let taskID = UUID(uuidString: task.id) else { continue }
                matched.insert(name)
                let value = COCOPrelabels.value(of: field.kind, annotations: coco.annotationsByFile[name] ?? [])
                annotationCount += value.arrayValue?.count ?? 0
                let object = JSONValue.object([fieldName: value])
                let facts = record.map { [url: $0.facts] } ?? [:]
                let errors = schema.validate(object, data: data, media: facts, path: "images[\(name)]", partial: true)
                guard errors.isEmpty else { throw Problem.invalid(errors, title: "A pre-label does not fit the schema") }
                additions.append((taskID, .object(["model": .string(model), "value": object])))
            }
        }
        try await req.gloss.tasks.appendPrelabels(additions)
        var seen: Set<String> = []
        let unmatched = coco.fileNames.filter { !matched.contains($0) && seen.insert($0).inserted }
        return .json(.object(["matched_images": .number(Double(matched.count)), "unmatched_images": .array(unmatched.map(JSONValue.string)),
                              "annotations": .number(Double(annotationCount))]))
    }

    static func json(_ record: MediaRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(record.id.uuidString.lowercased()), "url": .string(record.url), "kind": .string(record.kind),
            "content_type": .string(record.contentType), "file_name": .string(record.fileName), "byte_size": .number(Double(record.byteSize)),
            "sha256": .string(record.sha256), "width": record.width.map { .number(Double($0)) } ?? .null,
            "height": record.height.map { .number(Double($0)) } ?? .null, "created_at": .string(Timestamp.string(Date(timeIntervalSince1970: record.createdAt))),
        ]
        if record.kind == MediaKind.video.rawValue {
            object["frame_count"] = .number(Double(record.frames.count))
            object["fps"] = record.fps.map { .number($0) } ?? .null
            object["frame_url"] = .string(record.url + "/frames/{frame}")
        }
        if record.kind == MediaKind.audio.rawValue {
            object["duration_s"] = record.duration.map { .number($0) } ?? .null
            object["sample_rate"] = record.sampleRate.map { .number(Double($0)) } ?? .null
            object["channels"] = record.channels.map { .number(Double($0)) } ?? .null
            object["peaks_url"] = .string(record.url + "/peaks")
            object["peaks_per_second"] = record.details["peaks_per_second"] ?? .null
            object["peak_dbfs"] = record.details["peak_dbfs"] ?? .null
            object["rms_dbfs"] = record.details["rms_dbfs"] ?? .null
        }
        if record.kind == MediaKind.pointCloud.rawValue {
            object["point_count"] = record.pointCount.map { .number(Double($0)) } ?? .null
            object["points_url"] = .string(record.url + "/points")
            object["bounds"] = record.details["bounds"] ?? .null
            object["format"] = record.details["format"] ?? .null
        }
        return .object(object)
    }
}

extension HTTPMediaType {
    init?(contentType: String) {
        let parts = contentType.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        self.init(type: parts[0], subType: parts[1])
    }
}
