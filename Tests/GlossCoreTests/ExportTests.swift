import Foundation
import GlossCore
import Testing

@Suite("Export encoder") struct ExportTests {
    let schema = LabelSchema(fields: [
        Field(name: "labels", kind: .choice(ChoiceField(options: [ChoiceOption(value: "x"), ChoiceOption(value: "y")], allowsMultiple: true))),
        Field(name: "note", isRequired: false, kind: .text(TextField())),
    ])
    let task = ExportedTask(
        id: "6f9619ff-8b86-d011-b42d-00c04fc964ff", externalID: "e\"1", dataJSON: "{\"text\":\"=cmd(), \\\"hi\\\"\"}",
        prelabelsJSON: "[]",
        annotations: [ExportedAnnotation(id: "00000000-0000-0000-0000-000000000001", worker: "a@b.c",
                                         valueJSON: "{\"labels\":[\"x\",\"y\"],\"note\":\"line\\nbreak\"}", timeSpentSeconds: 2.5,
                                         createdAt: Date(timeIntervalSince1970: 1_700_000_000.25))])

    @Test func jsonLinesRecordsAreValidJSON() throws {
        var encoder = ExportEncoder(format: .jsonl, schema: schema)
        let text = encoder.header() + encoder.encode([task, task]) + encoder.footer()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let record = try JSONValue.parse(String(lines[0]))
        #expect(record["id"]?.stringValue == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        #expect(record["external_id"]?.stringValue == "e\"1")
        #expect(record["annotations"]?.arrayValue?.first?["created_at"]?.stringValue == "2023-11-14T22:13:20.250Z")
        #expect(record["annotations"]?.arrayValue?.first?["time_spent_s"]?.numberValue == 2.5)
    }

    @Test func jsonIsOneArray() throws {
        var encoder = ExportEncoder(format: .json, schema: schema)
        let text = encoder.header() + encoder.encode([task]) + encoder.encode([task]) + encoder.footer()
        #expect(try JSONValue.parse(text).arrayValue?.count == 2)
        var empty = ExportEncoder(format: .json, schema: schema)
        #expect(try JSONValue.parse(empty.header() + empty.footer()) == .array([]))
    }

    @Test func csvQuotesAndDefusesFormulas() {
        var encoder = ExportEncoder(format: .csv, schema: schema)
        let text = encoder.encode([task])
        let rows = text.components(separatedBy: "\r\n")
        #expect(rows[0] == "task_id,external_id,data,data.text,worker,labels,note,time_spent_s,created_at")
        #expect(rows[1].hasPrefix("6f9619ff-8b86-d011-b42d-00c04fc964ff,\"e\"\"1\",\"{\"\"text\"\":\"\"=cmd(), \\\"\"hi\\\"\"\"\"}\",\"'=cmd(), \"\"hi\"\"\",a@b.c,x|y,\"line\nbreak\",2.5,"))
    }
}
