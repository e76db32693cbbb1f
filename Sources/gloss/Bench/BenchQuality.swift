import Foundation
import GlossCore

/// In-process measurements of the quality hot paths: what the quality page computes over a project's
/// answers (Krippendorff's alpha with its bootstrap interval, Dawid-Skene), and what every submit on an
/// overlap task computes (the consensus of its answers and each answer's similarity to it).
enum BenchQuality {
    static func run() throws -> [BenchTaskTypes.Result] {
        typealias Result = BenchTaskTypes.Result
        var results: [Result] = []
        // 20,000 tasks x 5 of 50 workers, 4 labels, workers right 80% of the time: 100,000 answers.
        var generator = SplitMix64(seed: 42)
        let labels = ["positive", "negative", "neutral", "mixed"].map(JSONValue.string)
        var rows: [(unit: String, coder: String, label: JSONValue)] = []
        for task in 0..<20_000 {
            let truth = Int(generator.next() % 4)
            var workers: Set<Int> = []
            while workers.count < 5 { workers.insert(Int(generator.next() % 50)) }
            for worker in workers.sorted() {
                let right = generator.next() % 100 < 80
                rows.append(("t\(task)", "w\(worker)", labels[right ? truth : Int(generator.next() % 4)]))
            }
        }
        let table = try LabelTable(rows: rows)
        let (reports, reportSeconds) = BenchTaskTypes.time {
            (try? Agreement.report(table, metric: .nominal, bootstrapSamples: 1_000)) == nil ? 0 : 1
        }
        results.append(Result(measurement: "agreement report of 100,000 answers (alpha, 1,000-sample interval, kappas)", count: reports,
                              seconds: reportSeconds, unit: "reports/s"))
        let (aggregations, dawidSkeneSeconds) = BenchTaskTypes.time { Aggregation.dawidSkene(table).units.count > 0 ? 1 : 0 }
        results.append(Result(measurement: "Dawid-Skene over 100,000 answers", count: aggregations, seconds: dawidSkeneSeconds, unit: "runs/s"))

        let schema = try LabelSchema.parse(try JSONValue.parse("""
            {"fields": [{"name": "sentiment", "type": "choice", "options": ["positive", "negative", "neutral"]},
                        {"name": "objects", "type": "boxes", "labels": ["car", "person"]}]}
            """))
        func box(_ index: Int, worker: Int) -> JSONValue {
            let x = Double(index * 40 + worker * 3), y = Double(index * 20)
            let label = index % 2 == 0 ? "car" : "person"
            return .object(["id": .string("b\(index)"), "label": .string(label), "x": .number(x), "y": .number(y),
                            "width": .number(35), "height": .number(30)])
        }
        let answers: [JSONValue] = (0..<3).map { worker in
            let boxes: [JSONValue] = (0..<30).map { box($0, worker: worker) }
            return .object(["sentiment": .string(worker == 2 ? "neutral" : "positive"), "objects": .array(boxes)])
        }
        let (consensuses, consensusSeconds) = BenchTaskTypes.time {
            var similarity = 0.0
            for _ in 0..<500 {
                let result = schema.consensus(of: answers)
                for answer in answers { similarity += schema.similarity(answer, result.value) }
            }
            return similarity > 0 ? 500 : 0
        }
        results.append(Result(measurement: "consensus of 3 answers of 30 boxes and a choice, with each answer's similarity", count: consensuses,
                              seconds: consensusSeconds, unit: "tasks/s"))
        return results
    }
}
