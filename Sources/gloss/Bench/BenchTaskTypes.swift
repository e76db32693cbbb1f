import Foundation
import GlossCore

/// In-process measurements of the task-type hot paths that run inside a request: checking a span or code
/// review value against its task on submit, and encoding the CoNLL and DPO exports.
enum BenchTaskTypes {
    struct Result {
        var measurement: String
        var count: Int
        var seconds: Double
        var unit: String

        var rate: Double { Double(count) / max(seconds, 1e-9) }
    }

    static func time(_ body: () -> Int) -> (Int, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let count = body()
        return (count, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// A news-like text of about 600 code points, with an emoji and CJK so offsets are not bytes or UTF-16.
    static let text = (0..<8).map { "Maria Okafor 👍🏽 of Lumen Grid met officials in 北京 on 2 July to discuss battery plant number \($0). " }
        .joined()

    static func spansValue(count: Int) -> (JSONValue, [String: JSONValue]) {
        let scalars = Array(text.unicodeScalars)
        var spans: [JSONValue] = []
        var cursor = 0
        for index in 0..<count {
            // "Maria Okafor" at the start of each sentence, one a sentence, then "Lumen Grid".
            let sentence = index / 2, sentenceLength = scalars.count / 8
            cursor = sentence * sentenceLength + (index % 2 == 0 ? 0 : 19)
            let length = index % 2 == 0 ? 12 : 10
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[cursor..<(cursor + length)])
            spans.append(.object(["id": .string("s\(index)"), "start": .number(Double(cursor)), "end": .number(Double(cursor + length)),
                                  "label": .string(index % 2 == 0 ? "PER" : "ORG"), "text": .string(String(view))]))
        }
        return (.object(["entities": .array(spans)]), ["text": .string(text)])
    }

    static func run() throws -> [Result] {
        var results: [Result] = []
        let spansSchema = try LabelSchema.parse(try JSONValue.parse("""
            {"fields": [{"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]},
                        {"name": "links", "type": "relations", "spans": "entities", "labels": ["works_for"]}]}
            """))
        let (value, data) = spansValue(count: 16)
        precondition(spansSchema.validate(value, data: data).isEmpty, "the benchmark's value must be valid")
        let validations = 20_000
        let (validated, validationSeconds) = time {
            var valid = 0
            for _ in 0..<validations where spansSchema.validate(value, data: data).isEmpty { valid += 1 }
            return valid
        }
        results.append(Result(measurement: "validate a 16-span value over a 600-character text", count: validated,
                              seconds: validationSeconds, unit: "values/s"))

        let reviewSchema = try LabelSchema.parse(try JSONValue.parse(#"{"fields": [{"name": "review", "type": "code_review", "source": "code"}]}"#))
        let code = (1...300).map { "    let value\($0) = compute(\($0)) // line \($0)" }.joined(separator: "\n")
        let comments = JSONValue.array((0..<10).map { (index: Int) -> JSONValue in
            let start = Double(index * 20 + 1)
            let comment: [String: JSONValue] = [
                "start_line": .number(start), "end_line": .number(start + 2), "category": .string("bug"),
                "severity": .string("high"), "cwe": .string("CWE-193"), "comment": .string("Off by one."),
            ]
            return .object(comment)
        })
        let reviewValue = JSONValue.object(["review": comments]), reviewData: [String: JSONValue] = ["code": .string(code)]
        precondition(reviewSchema.validate(reviewValue, data: reviewData).isEmpty)
        let (reviewed, reviewSeconds) = time {
            var valid = 0
            for _ in 0..<validations where reviewSchema.validate(reviewValue, data: reviewData).isEmpty { valid += 1 }
            return valid
        }
        results.append(Result(measurement: "validate a 10-comment review of a 300-line file", count: reviewed,
                               seconds: reviewSeconds, unit: "values/s"))

        let exportTasks = 20_000
        let dataJSON = JSONValue.object(data).jsonText, valueJSON = value.jsonText
        let tasks = (0..<exportTasks).map { index in
            ExportedTask(id: "task-\(index)", externalID: nil, dataJSON: dataJSON, prelabelsJSON: "[]", annotations: [
                ExportedAnnotation(id: "a\(index)", worker: "w@x", valueJSON: valueJSON, timeSpentSeconds: 1, createdAt: Date()),
            ])
        }
        let (conllTasks, conllSeconds) = time {
            var encoder = ExportEncoder(format: .conll, schema: spansSchema)
            var bytes = 0
            for page in stride(from: 0, to: tasks.count, by: 2000) {
                bytes += encoder.encode(Array(tasks[page..<min(page + 2000, tasks.count)])).utf8.count
            }
            return bytes > 0 ? tasks.count : 0
        }
        results.append(Result(measurement: "encode CoNLL (one 16-span annotation a task)", count: conllTasks,
                              seconds: conllSeconds, unit: "annotations/s"))

        let rankingSchema = try LabelSchema.parse(try JSONValue.parse(#"{"fields": [{"name": "order", "type": "ranking", "items": "responses"}]}"#))
        let rankingData = JSONValue.object(["prompt": .string("Where is my parcel?"), "responses": .array((1...4).map { .string("Answer number \($0), a few sentences long.") })]).jsonText
        let rankedTasks = (0..<exportTasks).map { index in
            ExportedTask(id: "task-\(index)", externalID: nil, dataJSON: rankingData, prelabelsJSON: "[]", annotations: [
                ExportedAnnotation(id: "a\(index)", worker: "w@x", valueJSON: #"{"order": [2, 1, 4, 3]}"#, timeSpentSeconds: 1, createdAt: Date()),
            ])
        }
        let (pairs, dpoSeconds) = time {
            var encoder = ExportEncoder(format: .dpo, schema: rankingSchema)
            var lines = 0
            for page in stride(from: 0, to: rankedTasks.count, by: 2000) {
                lines += encoder.encode(Array(rankedTasks[page..<min(page + 2000, rankedTasks.count)])).utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            }
            return lines
        }
        results.append(Result(measurement: "encode DPO pairs (a ranking of 4 = 6 pairs a task)", count: pairs,
                              seconds: dpoSeconds, unit: "pairs/s"))
        results += try taxonomy()
        return results
    }

    /// A 12,000-term vocabulary (120 groups of 100, a synonym each): reading its CSV, and the search box's
    /// query as a worker types (each prefix of a few phrases).
    static func taxonomy() throws -> [Result] {
        var lines = ["id,parent,name,synonyms"]
        for group in 0..<120 {
            lines.append("G\(group),,Disease group \(group),Family \(group)")
            for term in 0..<99 {
                lines.append("T\(group)-\(term),G\(group),Condition \(group * 100 + term) of the \(["heart", "lung", "skin", "liver"][term % 4]),Syndrome \(term)|Disorder \(group)-\(term)")
            }
        }
        let csv = lines.joined(separator: "\n")
        var taxonomy: Taxonomy?
        let (built, buildSeconds) = time {
            taxonomy = try? Taxonomy.parseCSV(csv)
            return taxonomy?.terms.count ?? 0
        }
        guard let taxonomy, built == 12_000 else { throw ValidationFailure([FieldError(field: "bench", message: "the taxonomy did not build")]) }
        let phrases = ["condition 4217", "lung", "syndrome 42", "disorder 17-3", "family 99", "of the liv"]
        let queries = phrases.flatMap { phrase in (1...phrase.count).map { String(phrase.prefix($0)) } }
        let rounds = 20
        let (searched, searchSeconds) = time {
            var answered = 0
            for _ in 0..<rounds {
                for query in queries where !taxonomy.search(query, limit: 20).isEmpty || query.count < 2 { answered += 1 }
            }
            return answered
        }
        return [
            Result(measurement: "read and index a 12,000-term taxonomy (CSV)", count: built, seconds: buildSeconds, unit: "terms/s"),
            Result(measurement: "search a 12,000-term taxonomy as a worker types (top 20)", count: searched, seconds: searchSeconds, unit: "queries/s"),
        ]
    }
}
