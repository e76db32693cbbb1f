import Foundation
import GlossCore
import GlossStore

/// Streams a project's export in keyset pages, for the HTTP route and the command line alike: memory stays
/// flat however large the project.
struct ExportService {
    static let pageSize = 2000

    let tasks: TaskRepository

    /// Writes the export piece by piece; returns the number of tasks.
    @discardableResult
    func export(projectID: UUID, format: ExportFormat, schema: LabelSchema,
                write: (String) async throws -> Void) async throws -> Int {
        var encoder = ExportEncoder(format: format, schema: schema)
        var pending = encoder.header()
        var afterSeq: Int64 = 0
        var count = 0
        while true {
            let page = try await tasks.exportPage(projectID: projectID, afterSeq: afterSeq, limit: Self.pageSize)
            guard let lastSeq = page.lastSeq else { break }
            pending += encoder.encode(page.tasks)
            try await write(pending)
            pending = ""
            count += page.tasks.count
            afterSeq = lastSeq
        }
        try await write(pending + encoder.footer())
        return count
    }
}
