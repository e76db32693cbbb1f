import Crypto
import Foundation
import GlossCore
import GlossStore
import MultipartKit
import NIOCore
import Vapor

/// Uploads: a multipart body is streamed part by part into temporary files (hashed as it arrives), each file's
/// real type is read from its bytes, images are checked whole and measured, videos are cut into frames with
/// ffmpeg; only when every file passed are the blobs moved into the store and the records written, together.
struct MediaService {
    let context: GlossContext
    let threadPool: NIOThreadPool
    let logger: Logger
    /// Only these kinds are accepted (checked from the first bytes, before any decoding); nil: any.
    var allowedKinds: Set<MediaKind>? = nil
    /// A tighter cap on audio length than the server's (a recording field's `max_seconds`).
    var audioLimit: Double? = nil
    /// How many file parts one request may carry.
    var maximumFiles = Int.max

    var maximumAudioSeconds: Double { min(audioLimit ?? .infinity, context.configuration.maximumAudioSeconds) }

    /// A file received from the upload, still in a temporary folder.
    struct ReceivedFile: Sendable {
        var name: String
        var path: String
        var size: Int64
        var sha256: String
    }

    /// `accept` sees each checked record before anything is stored: it may refuse it (throw) or amend it.
    func upload(projectID: UUID, boundary: String, body: Request.Body,
                accept: (MediaRecord, Int) throws -> MediaRecord = { record, _ in record }) async throws -> [MediaRecord] {
        let folder = NSTemporaryDirectory() + "gloss-upload-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try await receive(boundary: boundary, body: body, into: folder)
        guard !files.isEmpty else { throw Problem.invalid(field: "file", "send at least one file in a multipart part named 'file'") }
        return try await store(files, projectID: projectID, folder: folder, accept: accept)
    }

    /// Checks every file, then moves the blobs into the store and writes the records together; nothing is
    /// written when a file fails. `folder` is a scratch folder for video frames, peaks and points.
    func store(_ files: [ReceivedFile], projectID: UUID, folder: String,
               accept: (MediaRecord, Int) throws -> MediaRecord = { record, _ in record }) async throws -> [MediaRecord] {
        var records: [MediaRecord] = []
        var blobs: [(path: String, sha256: String)] = []
        for (index, file) in files.enumerated() {
            let (record, fileBlobs) = try await inspect(file, index: index, projectID: projectID, folder: folder)
            records.append(try accept(record, index))
            blobs += fileBlobs
        }
        let store = context.blobs, toStore = blobs
        try await threadPool.runIfActive {
            for blob in toStore { try store.put(movingFile: blob.path, sha256: blob.sha256) }
        }
        try await context.media.insert(records)
        return records
    }

    /// Streams the multipart body into one file per `file` part, enforcing the size limit as bytes arrive.
    func receive(boundary: String, body: Request.Body, into folder: String) async throws -> [ReceivedFile] {
        let limit = context.configuration.maximumMediaBytes
        final class State {
            var headers: [String: String] = [:]
            var handle: FileHandle?
            var current: (name: String, path: String, size: Int64, hash: SHA256)?
            var files: [ReceivedFile] = []
            var failure: (any Error)?
        }
        let state = State()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            guard state.failure == nil else { return }
            if state.current == nil {
                let disposition = state.headers["content-disposition"] ?? ""
                guard Self.parameter("name", in: disposition) == "file" else { return }
                guard state.files.count < maximumFiles else {
                    state.failure = Problem.invalid(field: "file[\(state.files.count)]", "send at most \(maximumFiles) file\(maximumFiles == 1 ? "" : "s") at a time")
                    return
                }
                let fileName = Self.parameter("filename", in: disposition).map(Self.cleanFileName) ?? "upload"
                let path = "\(folder)/\(state.files.count)"
                FileManager.default.createFile(atPath: path, contents: nil)
                state.handle = FileHandle(forWritingAtPath: path)
                state.current = (fileName, path, 0, SHA256())
            }
            let bytes = buffer.readableBytesView
            state.current!.size += Int64(bytes.count)
            guard state.current!.size <= limit else {
                state.failure = Self.tooLarge(state.current!.name, limit: limit)
                return
            }
            state.current!.hash.update(data: Array(bytes))
            state.handle?.write(Data(bytes))
        }
        parser.onPartComplete = {
            if let current = state.current {
                try? state.handle?.close()
                let digest = current.hash.finalize().map { String(format: "%02x", $0) }.joined()
                state.files.append(ReceivedFile(name: current.name, path: current.path, size: current.size, sha256: digest))
            }
            state.handle = nil
            state.current = nil
            state.headers = [:]
        }
        do {
            for try await chunk in body {
                try parser.execute(chunk)
                if let failure = state.failure { throw failure }
            }
        } catch let problem as Problem {
            try? state.handle?.close()
            throw problem
        } catch {
            try? state.handle?.close()
            throw Problem.badRequest(field: "body", "is not a readable multipart/form-data body (\(error))")
        }
        return state.files
    }

    static func tooLarge(_ name: String, limit: Int) -> Problem {
        Problem(.payloadTooLarge, "The file is too large",
                detail: "'\(name)' is larger than the limit of \(limit) bytes (setting GLOSS_MAX_MEDIA_BYTES).",
                errors: [FieldError(field: "file", message: "'\(name)' is larger than \(limit) bytes")])
    }

    /// A parameter of a Content-Disposition header (`name="file"; filename="a.png"`).
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// The last path segment of a client's file name, without control characters, at most 255 characters.
    static func cleanFileName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(255))
        return clean.isEmpty ? "upload" : clean
    }

    /// Checks one received file and describes the record (and blobs) it will become.
    func inspect(_ file: ReceivedFile, index: Int, projectID: UUID, folder: String) async throws -> (MediaRecord, [(String, String)]) {
        let field = "file[\(index)]"
        let head = try Self.head(of: file.path)
        guard let sniffed = MediaInspector.sniff(head, fileName: file.name) else {
            throw Problem(.unsupportedMediaType, "Not a file type Gloss reads",
                          detail: "'\(file.name)' is not a file type Gloss reads (\(MediaInspector.supportedTypes)); the type is read from the bytes, not the name.",
                          errors: [FieldError(field: field, message: "'\(file.name)' is not an image, video, audio file or point cloud Gloss reads")])
        }
        var record = MediaRecord(id: UUID(), projectID: projectID, sha256: file.sha256, kind: sniffed.kind.rawValue, contentType: sniffed.contentType,
                                 fileName: file.name, byteSize: file.size, width: nil, height: nil, frameCount: nil, fps: nil, frames: [],
                                 createdAt: Store.now())
        let soundOnly = ["video/webm", "video/x-matroska"].contains(sniffed.contentType)
            ? try await AudioPeaks(threadPool: threadPool, maximumSeconds: maximumAudioSeconds).isAudioOnly(file.path) : false
        if let allowedKinds, !allowedKinds.contains(soundOnly ? .audio : sniffed.kind) {
            throw Problem(.unsupportedMediaType, "Not a kind of file this takes",
                          detail: "'\(file.name)' is \(sniffed.kind.rawValue); send \(allowedKinds.map(\.rawValue).sorted().joined(separator: " or ")).",
                          errors: [FieldError(field: field, message: "'\(file.name)' is not \(allowedKinds.map(\.rawValue).sorted().joined(separator: " or "))")])
        }
        switch sniffed.kind {
        case .image:
            let bytes = try await threadPool.runIfActive { () throws -> [UInt8] in [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path))) }
            switch MediaInspector.inspectImage(bytes) {
            case .failure(let problem):
                throw Problem(.unprocessableEntity, "The image is damaged", detail: "'\(file.name)' \(problem.message).",
                              errors: [FieldError(field: field, message: "'\(file.name)' \(problem.message)")])
            case .success(let description):
                record.width = description.width
                record.height = description.height
            }
            return (record, [(file.path, file.sha256)])
        case .video where soundOnly:
            // A WebM or Matroska file with sound and no picture (what browsers record) is audio.
            record.kind = MediaKind.audio.rawValue
            record.contentType = sniffed.contentType == "video/webm" ? "audio/webm" : "audio/x-matroska"
            return try await inspectAudio(file, record: record, index: index, field: field, folder: folder)
        case .video:
            let video = try await VideoFrames(threadPool: threadPool, maximumFrames: context.configuration.maximumVideoFrames)
                .extract(file.path, name: file.name, field: field, into: "\(folder)/frames-\(index)")
            record.width = video.width
            record.height = video.height
            record.fps = video.fps
            record.frameCount = video.frames.count
            record.frames = video.frames.map(\.sha256)
            return (record, [(file.path, file.sha256)] + video.frames.map { ($0.path, $0.sha256) })
        case .audio:
            return try await inspectAudio(file, record: record, index: index, field: field, folder: folder)
        case .pointCloud:
            let format: PointCloudFormat = sniffed.fileExtension == "pcd" ? .pcd : .kittiBin
            let cloud = try await PointCloudConversion(threadPool: threadPool)
                .convert(file.path, name: file.name, field: field, format: format, into: "\(folder)/points-\(index)")
            record.pointCount = cloud.pointCount
            record.derived = cloud.compactSHA256
            record.details = ["format": .string(format.rawValue),
                              "bounds": .object(["min": .array(cloud.bounds.min.map { JSONValue.number(Self.rounded(Double($0))) }),
                                                 "max": .array(cloud.bounds.max.map { JSONValue.number(Self.rounded(Double($0))) })])]
            return (record, [(file.path, file.sha256), (cloud.compactPath, cloud.compactSHA256)])
        }
    }

    /// Audio: length, rate and channels, and the waveform's peaks as a second blob.
    func inspectAudio(_ file: ReceivedFile, record: MediaRecord, index: Int, field: String, folder: String) async throws
        -> (MediaRecord, [(String, String)]) {
        var record = record
        let audio = try await AudioPeaks(threadPool: threadPool, maximumSeconds: maximumAudioSeconds).inspect(file.path, name: file.name, field: field, into: "\(folder)/audio-\(index)")
        record.duration = audio.duration
        record.sampleRate = audio.sampleRate
        record.channels = audio.channels
        record.derived = audio.peaksSHA256
        record.details = ["peaks_per_second": .number(Double(AudioPeaks.peaksPerSecond)), "codec": .string(audio.codec),
                          "peak_dbfs": Self.decibels(audio.peakDBFS), "rms_dbfs": Self.decibels(audio.rmsDBFS)]
        return (record, [(file.path, file.sha256), (audio.peaksPath, audio.peaksSHA256)])
    }

    /// A level in dBFS to a tenth of a decibel; silence (−∞) is null.
    static func decibels(_ value: Double) -> JSONValue {
        value.isFinite ? .number((value * 10).rounded() / 10) : .null
    }

    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }

    /// A file copied into the scratch folder (the store moves it) with its SHA-256 and size.
    static func copy(_ path: String, name: String, into folder: String, index: Int) throws -> ReceivedFile {
        let target = "\(folder)/\(index)"
        try FileManager.default.copyItem(atPath: path, toPath: target)
        guard let handle = FileHandle(forReadingAtPath: target) else { throw Problem.invalid(field: "file", "cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(data: chunk)
            size += Int64(chunk.count)
        }
        return ReceivedFile(name: name, path: target, size: size, sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func head(of path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8](handle.readData(ofLength: 64))
    }
}

/// Cuts a video into JPEG frames with ffmpeg (every frame, none dropped or duplicated), so the worker scrubs
/// real frames: HTML5 seeking is not frame-accurate.
struct VideoFrames {
    let threadPool: NIOThreadPool
    let maximumFrames: Int

    struct Result {
        var width: Int
        var height: Int
        var fps: Double?
        var frames: [(path: String, sha256: String)]
    }

    static func tool(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func extract(_ path: String, name: String, field: String, into folder: String) async throws -> Result {
        guard let ffmpeg = Self.tool("ffmpeg"), let ffprobe = Self.tool("ffprobe") else {
            throw Problem(.serviceUnavailable, "Video needs ffmpeg on the server",
                          detail: "This server cannot read videos: install ffmpeg (see docs/operations.md), or upload the frames as images.")
        }
        func damaged(_ message: String) -> Problem {
            Problem(.unprocessableEntity, "The video cannot be read", detail: "'\(name)' \(message).",
                    errors: [FieldError(field: field, message: "'\(name)' \(message)")])
        }
        let probe = try await run(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate",
                                            "-of", "json", path])
        guard probe.status == 0, let json = try? JSONValue.parse(probe.output),
              let stream = json["streams"]?.arrayValue?.first?.objectValue,
              let width = stream["width"]?.intValue, let height = stream["height"]?.intValue, width > 0, height > 0 else {
            throw damaged("is damaged or has no video stream")
        }
        func rate(_ text: String?) -> Double? {
            guard let parts = text?.split(separator: "/"), parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]),
                  denominator > 0, numerator > 0 else { return nil }
            return (numerator / denominator * 1000).rounded() / 1000
        }
        let fps = rate(stream["avg_frame_rate"]?.stringValue) ?? rate(stream["r_frame_rate"]?.stringValue)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let extraction = try await run(ffmpeg, ["-v", "error", "-nostdin", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough",
                                                "-frames:v", String(maximumFrames + 1), "-q:v", "2", "\(folder)/%07d.jpg"])
        guard extraction.status == 0 else { throw damaged("cannot be decoded (\(extraction.output.prefix(300)))") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jpg") }.sorted()
        guard !names.isEmpty else { throw damaged("holds no frame") }
        guard names.count <= maximumFrames else {
            throw damaged("has more than \(maximumFrames) frames (setting GLOSS_MAX_VIDEO_FRAMES)")
        }
        let frames = try await threadPool.runIfActive { () throws -> [(String, String)] in
            try names.map { name in
                let framePath = "\(folder)/\(name)"
                let data = try Data(contentsOf: URL(fileURLWithPath: framePath))
                return (framePath, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
            }
        }
        return Result(width: width, height: height, fps: fps, frames: frames.map { (path: $0.0, sha256: $0.1) })
    }

    func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await threadPool.runIfActive {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
    }
}
