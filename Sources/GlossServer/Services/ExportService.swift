import Foundation
import GlossCore
import GlossStore

/// Streams a project's export in keyset pages, for the HTTP route and the command line alike: memory stays
/// flat however large the project.
struct ExportService {
    static let pageSize = 2000

    let tasks: TaskRepository
    let media: MediaRepository
    let quality: QualityRepository
    let projects: ProjectRepository
    let blobs: any BlobStore

    init(context: GlossContext) {
        tasks = context.tasks
        media = context.media
        quality = context.quality
        projects = context.projects
        blobs = context.blobs
    }

    /// Which answers an export carries: every worker's (the current version of each, rejected ones left out),
    /// or each task's final answer (consensus, single, reviewed, adjudicated, an accepted pre-label, or the
    /// gold answer of a gold task), marked with where it came from.
    enum Answers: String, CaseIterable {
        case all, final
    }

    /// Dawid-Skene's label per task and single-choice field, over the whole project, for a policy whose
    /// categorical consensus is `dawid_skene`: it weighs each worker by their estimated confusion matrix,
    /// which needs every task's answers at once. Keyed by task id text, then field name.
    func dawidSkeneLabels(projectID: UUID, schema: LabelSchema, policy: QualityPolicy) async throws -> [String: [String: JSONValue]] {
        guard policy.consensus.categorical == .dawidSkene else { return [:] }
        let fields = schema.fields.compactMap { field -> String? in
            if case .choice(let choice) = field.kind, !choice.allowsMultiple { return field.name }
            return nil
        }
        guard !fields.isEmpty else { return [:] }
        let answers = try await quality.projectAnswers(projectID: projectID, limit: QualityReport.answerLimit)
        let values = answers.map { (try? JSONValue.parse($0.valueJSON))?.objectValue ?? [:] }
        var labels: [String: [String: JSONValue]] = [:]
        for field in fields {
            let rows = zip(answers, values).map { answer, value in (unit: answer.taskID.text, coder: answer.workerID.text, label: value[field] ?? .null) }
            guard let table = try? LabelTable(rows: rows), table.count > 0 else { continue }
            let result = Aggregation.dawidSkene(table)
            for (unit, name) in result.units.enumerated() { labels[name, default: [:]][field] = result.label(ofUnit: unit) }
        }
        return labels
    }

    /// One keyset page of tasks with the answers asked for. With `dawidSkene` labels, a consensus takes them
    /// for its single-choice fields.
    func page(projectID: UUID, afterSeq: Int64, answers: Answers,
              dawidSkene: [String: [String: JSONValue]] = [:]) async throws -> (tasks: [ExportedTask], lastSeq: Int64?) {
        var page = try await tasks.exportPage(projectID: projectID, afterSeq: afterSeq, limit: Self.pageSize)
        guard answers == .final, let lastSeq = page.lastSeq else { return page }
        var finals = try await quality.finals(projectID: projectID, afterSeq: afterSeq, throughSeq: lastSeq)
        for (seq, final) in finals where ["consensus", "auto_accepted"].contains(final.source) {
            guard let labels = dawidSkene[final.taskID.text], var value = (try? JSONValue.parse(final.valueJSON))?.objectValue else { continue }
            for (field, label) in labels { value[field] = label }
            finals[seq]?.valueJSON = JSONValue.object(value).jsonText
        }
        for index in page.tasks.indices {
            let task = page.tasks[index]
            guard let final = finals[task.seq] else {
                page.tasks[index].annotations = []
                continue
            }
            let latest = task.annotations.map(\.createdAt).max() ?? Date(timeIntervalSince1970: 0)
            page.tasks[index].annotations = [ExportedAnnotation(
                id: task.id, worker: final.source, valueJSON: final.valueJSON,
                timeSpentSeconds: task.annotations.reduce(0) { $0 + $1.timeSpentSeconds }, createdAt: latest,
                final: (final.source, final.confidence, final.agreement, final.answers))]
        }
        return page
    }

    /// Writes the export piece by piece; returns the number of tasks.
    @discardableResult
    func export(projectID: UUID, format: ExportFormat, schema: LabelSchema, includesImages: Bool = false, answers: Answers = .all,
                write: ([UInt8]) async throws -> Void) async throws -> Int {
        guard !format.isDataset else {
            return try await exportDataset(projectID: projectID, format: format, schema: schema, includesImages: includesImages,
                                           answers: answers, write: write)
        }
        let dawidSkene = answers == .final ? try await dawidSkeneLabels(projectID: projectID, schema: schema, policy: policy(projectID)) : [:]
        var encoder = ExportEncoder(format: format, schema: schema)
        var pending = encoder.header()
        var afterSeq: Int64 = 0
        var count = 0
        while true {
            let page = try await page(projectID: projectID, afterSeq: afterSeq, answers: answers, dawidSkene: dawidSkene)
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
    func exportDataset(projectID: UUID, format: ExportFormat, schema: LabelSchema, includesImages: Bool, answers: Answers,
                       write: ([UInt8]) async throws -> Void) async throws -> Int {
        let dawidSkene = answers == .final ? try await dawidSkeneLabels(projectID: projectID, schema: schema, policy: policy(projectID)) : [:]
        var encoder = DatasetEncoder(format: format, schema: schema, includesImages: includesImages)
        var count = 0
        let blobs = self.blobs
        for pass in 0..<format.passes {
            try await write(encoder.begin(pass: pass))
            var afterSeq: Int64 = 0
            count = 0
            while true {
                let page = try await page(projectID: projectID, afterSeq: afterSeq, answers: answers, dawidSkene: dawidSkene)
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

    func policy(_ projectID: UUID) async throws -> QualityPolicy {
        QualityService.policy(json: try await projects.find(id: projectID)?.qualityPolicyJSON ?? "{}")
    }

    /// The project's media that the tasks' image and video fields name, by URL.
    func mediaOf(urls: [String], projectID: UUID) async throws -> [String: ExportMedia] {
        // The export reads an uploaded image's bytes by its hash.
        return try await media.records(forURLs: urls, projectID: projectID).mapValues { record in
            ExportMedia(id: record.sha256, fileName: record.fileName, width: record.width, height: record.height,
                        frameCount: record.isVideo ? record.frames.count : nil, fps: record.fps, duration: record.duration)
        }
    }
}
