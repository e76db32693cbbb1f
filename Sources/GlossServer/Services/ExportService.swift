import Foundation
import GlossCore
import GlossStore

/// Streams a project's export in keyset pages, for the HTTP route and the command line alike: memory stays
/// flat however large the project.
struct ExportService {
    static let pageSize = 2000

    let tasks: TaskRepository
    let media: MediaRepository
    let blobs: any BlobStore

    init(context: GlossContext) {
        tasks = context.tasks
        media = context.media
        blobs = context.blobs
    }

    /// Writes the export piece by piece; returns the number of tasks.
    @discardableResult
    func export(projectID: UUID, format: ExportFormat, schema: LabelSchema, includesImages: Bool = false,
                write: ([UInt8]) async throws -> Void) async throws -> Int {
        guard !format.isDataset else {
            return try await exportDataset(projectID: projectID, format: format, schema: schema, includesImages: includesImages, write: write)
        }
        var encoder = ExportEncoder(format: format, schema: schema)
        var pending = encoder.header()
        var afterSeq: Int64 = 0
        var count = 0
        while true {
            let page = try await tasks.exportPage(projectID: projectID, afterSeq: afterSeq, limit: Self.pageSize)
            guard let lastSeq = page.lastSeq else { break }
            pending += encoder.encode(page.tasks)
            try await write(Array(pending.utf8))
            pending = ""
            count += page.tasks.count
            afterSeq = lastSeq
        }
        try await write(Array((pending + encoder.footer()).utf8))
        return count
    }

    /// Image and video datasets: each page's media are looked up once (only the project's own).
    func exportDataset(projectID: UUID, format: ExportFormat, schema: LabelSchema, includesImages: Bool,
                       write: ([UInt8]) async throws -> Void) async throws -> Int {
        var encoder = DatasetEncoder(format: format, schema: schema, includesImages: includesImages)
        var count = 0
        let blobs = self.blobs
        for pass in 0..<format.passes {
            try await write(encoder.begin(pass: pass))
            var afterSeq: Int64 = 0
            count = 0
            while true {
                let page = try await tasks.exportPage(projectID: projectID, afterSeq: afterSeq, limit: Self.pageSize)
                guard let lastSeq = page.lastSeq else { break }
                let data = page.tasks.map { (try? JSONValue.parse($0.dataJSON).objectValue) ?? [:] }
                let urls = data.flatMap(schema.mediaURLs(in:))
                let known = try await mediaOf(urls: urls, projectID: projectID)
                let bytes = try encoder.encode(page.tasks, data: data, media: known) { media in
                    guard let id = media.id else { return nil }
                    return try blobs.read(id)
                }
                try await write(bytes)
                count += page.tasks.count
                afterSeq = lastSeq
            }
        }
        try await write(encoder.finish())
        return count
    }

    /// The project's media that the tasks' image and video fields name, by URL.
    func mediaOf(urls: [String], projectID: UUID) async throws -> [String: ExportMedia] {
        // The export reads an uploaded image's bytes by its hash.
        return try await media.records(forURLs: urls, projectID: projectID).mapValues { record in
            ExportMedia(id: record.sha256, fileName: record.fileName, width: record.width, height: record.height,
                        frameCount: record.isVideo ? record.frames.count : nil, fps: record.fps)
        }
    }
}
