import Foundation
import GlossCore
import GlossStore

/// The requester's quality page as data: agreement per field (Krippendorff's alpha with its bootstrap
/// interval, Fleiss' and Cohen's kappas, per-label figures and the label coincidence matrix for categorical
/// fields; mean pairwise agreement, IoU-based for geometry, for every field), each worker's quality with
/// Dawid-Skene's estimate of their accuracy, the queues and the final answers by source.
struct QualityReport {
    let context: GlossContext

    /// At most this many current answers are read for the figures (the newest are left out beyond it).
    static let answerLimit = 200_000
    /// Pairwise agreement per field is averaged over at most this many tasks with several answers.
    static let pairwiseTaskLimit = 5_000

    /// A categorical view of one field: its label in an annotation, and the metric that fits it.
    struct CategoricalView {
        var name: String
        var type: String
        var metric: AgreementMetric
        var label: ([String: JSONValue]) -> JSONValue
    }

    static func categoricalViews(_ schema: LabelSchema) -> [CategoricalView] {
        var views: [CategoricalView] = []
        for field in schema.fields {
            let name = field.name
            switch field.kind {
            case .choice(let choice) where !choice.allowsMultiple:
                views.append(CategoricalView(name: name, type: "choice", metric: .nominal) { $0[name] ?? .null })
            case .rating(let rating) where rating.items == nil:
                for dimension in rating.dimensions {
                    views.append(CategoricalView(name: "\(name).\(dimension.name)", type: "rating", metric: .ordinal) {
                        $0[name]?.objectValue?["scores"]?.objectValue?[dimension.name] ?? .null
                    })
                }
            case .pairwise:
                views.append(CategoricalView(name: name, type: "pairwise", metric: .nominal) { $0[name]?.objectValue?["winner"] ?? .null })
            case .taxonomy(let taxonomy) where !taxonomy.allowsMultiple:
                views.append(CategoricalView(name: name, type: "taxonomy", metric: .nominal) { $0[name]?.objectValue?["id"] ?? .null })
            default:
                break
            }
        }
        return views
    }

    func build(project: ProjectModel, schema: LabelSchema, bootstrapSamples: Int) async throws -> JSONValue {
        let projectID = try project.requireID()
        let policy = QualityService.policy(json: project.qualityPolicyJSON)
        let quality = context.quality
        let answers = try await quality.projectAnswers(projectID: projectID, limit: Self.answerLimit)
        var byTask: [UUID: [(worker: UUID, value: [String: JSONValue])]] = [:]
        var taskOrder: [UUID] = []
        for answer in answers {
            let value = (try? JSONValue.parse(answer.valueJSON))?.objectValue ?? [:]
            if byTask[answer.taskID] == nil { taskOrder.append(answer.taskID) }
            byTask[answer.taskID, default: []].append((answer.workerID, value))
        }

        // Categorical fields: the full agreement figures, and Dawid-Skene's worker accuracies on the first.
        var fieldReports: [String: JSONValue] = [:]
        var estimatedAccuracy: [String: Double] = [:]
        let views = Self.categoricalViews(schema)
        for (index, view) in views.enumerated() {
            var rows: [(unit: String, coder: String, label: JSONValue)] = []
            rows.reserveCapacity(answers.count)
            for taskID in taskOrder {
                for answer in byTask[taskID] ?? [] {
                    rows.append((taskID.text, answer.worker.text, view.label(answer.value)))
                }
            }
            guard let table = try? LabelTable(rows: rows), table.count > 0 else { continue }
            let report = try? Agreement.report(table, metric: view.metric, bootstrapSamples: bootstrapSamples)
            fieldReports[view.name] = report?.jsonValue ?? .null
            if index == 0, view.metric == .nominal {
                let result = Aggregation.dawidSkene(table)
                for (coder, accuracy) in zip(result.coders, result.coderAccuracy) { estimatedAccuracy[coder] = accuracy }
            }
        }

        // Every field: mean pairwise similarity between workers on the same task (matched IoU for geometry).
        let options = QualityService.scoringOptions(policy)
        var sums: [String: (total: Double, pairs: Int, tasks: Int)] = [:]
        var compared = 0
        for taskID in taskOrder {
            guard let taskAnswers = byTask[taskID], taskAnswers.count > 1 else { continue }
            compared += 1
            if compared > Self.pairwiseTaskLimit { break }
            var seen: Set<String> = []
            for i in 0..<taskAnswers.count {
                for j in (i + 1)..<taskAnswers.count {
                    let similarities = schema.fieldSimilarities(.object(taskAnswers[i].value), .object(taskAnswers[j].value), options: options)
                    for (name, similarity) in similarities {
                        var entry = sums[name] ?? (0, 0, 0)
                        entry.total += similarity
                        entry.pairs += 1
                        if seen.insert(name).inserted { entry.tasks += 1 }
                        sums[name] = entry
                    }
                }
            }
        }
        var fields: [JSONValue] = []
        for field in schema.fields {
            let categorical = views.filter { $0.name == field.name || $0.name.hasPrefix(field.name + ".") }
            let mean = sums[field.name]
            fields.append(.object([
                "field": .string(field.name),
                "type": .string(field.typeName),
                "mean_agreement": mean.map { .number(Self.rounded($0.total / Double(max($0.pairs, 1)))) } ?? .null,
                "tasks_compared": .number(Double(mean?.tasks ?? 0)),
                "measures": .array(categorical.map { view in
                    .object(["name": .string(view.name), "metric": .string(view.metric.rawValue), "report": fieldReports[view.name] ?? .null])
                }),
            ]))
        }

        let leaderboards = try await leaderboards(projectID: projectID, schema: schema, answers: byTask)

        // Workers.
        var workers: [JSONValue] = []
        for worker in try await quality.workers(projectID: projectID) {
            let observations = QualityService.observations(worker.sums)
            var entry = observations.json(policy: policy).objectValue ?? [:]
            entry["worker_id"] = .string(worker.workerID.text)
            entry["worker"] = .string(worker.email)
            entry["name"] = .string(worker.name)
            entry["annotations"] = .number(Double(worker.sums.annotations))
            entry["rejected"] = .number(Double(worker.sums.rejected))
            entry["corrected"] = .number(Double(worker.sums.corrected))
            entry["estimated_accuracy"] = estimatedAccuracy[worker.workerID.text].map { .number(Self.rounded($0)) } ?? .null
            let overall = QualityService.observations(try await quality.sums(projectID: nil, workerID: worker.workerID))
            entry["overall_score"] = overall.score.map { .number(Self.rounded($0)) } ?? .null
            workers.append(.object(entry))
        }

        let queues = try await quality.queueSizes(projectID: projectID)
        let finals = try await quality.finalCounts(projectID: projectID)
        let goldCount = try await quality.goldTasks(projectID: projectID, limit: 100_000).count
        return .object([
            "project_id": .string(projectID.text),
            "tasks": .object([
                "total": .number(Double(project.tasksTotal)),
                "done": .number(Double(project.tasksDone)),
                "gold": .number(Double(goldCount)),
                "final": .object(finals.mapValues { .number(Double($0)) }),
            ]),
            "queues": .object(["review": .number(Double(queues.review)), "expert": .number(Double(queues.expert)),
                               "rework": .number(Double(queues.rework)), "flags": .number(Double(queues.flags))]),
            "fields": .array(fields),
            "leaderboards": .array(leaderboards),
            "workers": .array(workers),
            "answers_read": .number(Double(answers.count)),
            "policy": policy.json,
        ])
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// Ranking and pairwise fields: a leaderboard of the candidates across the project (a model comparison), by
    /// Bradley-Terry strength over every pairwise judgement and every pair a ranking orders (ties count for
    /// neither), with the Borda count of the rankings. A candidate is named by its `model`, else its `id`, else
    /// its position ("candidate 1").
    func leaderboards(projectID: UUID, schema: LabelSchema, answers: [UUID: [(worker: UUID, value: [String: JSONValue])]]) async throws -> [JSONValue] {
        let fields = schema.fields.compactMap { field -> (name: String, items: String, isRanking: Bool)? in
            switch field.kind {
            case .ranking(let ranking): (field.name, ranking.items, true)
            case .pairwise(let pairwise): (field.name, pairwise.items, false)
            default: nil
            }
        }
        guard !fields.isEmpty, !answers.isEmpty else { return [] }
        var data: [UUID: [String: JSONValue]] = [:]
        var afterSeq: Int64 = 0
        while data.count < answers.count {
            let page = try await context.tasks.tasks(projectID: projectID, afterSeq: afterSeq, limit: 1000)
            guard let last = page.last else { break }
            for task in page where answers[task.id] != nil {
                data[task.id] = (try? JSONValue.parse(task.dataJSON))?.objectValue ?? [:]
            }
            afterSeq = last.seq
        }
        var boards: [JSONValue] = []
        for field in fields {
            // Tasks in a fixed order (by id), so a leaderboard's ties come out the same every time.
            let judged = answers.keys.sorted { $0.uuidString < $1.uuidString }.compactMap { taskID -> (candidates: [String], values: [JSONValue])? in
                guard let taskAnswers = answers[taskID], let items = data[taskID]?[field.items]?.arrayValue else { return nil }
                return (Leaderboard.candidateNames(items), taskAnswers.map { $0.value[field.name] ?? .null })
            }
            guard let board = Leaderboard.build(tasks: judged, isRanking: field.isRanking) else { continue }
            boards.append(.object([
                "field": .string(field.name),
                "comparisons": .number(Double(board.comparisons)),
                "items": .array(board.entries.map { entry in
                    .object([
                        "name": .string(entry.name),
                        "bradley_terry": .number(Self.rounded(entry.bradleyTerry)),
                        "wins": .number(Double(entry.wins)),
                        "comparisons": .number(entry.comparisons),
                        "borda": entry.borda.map(JSONValue.number) ?? .null,
                    ])
                }),
            ]))
        }
        return boards
    }
}
