import Foundation
import GlossCore
import Testing

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

@Suite("Task-type exports") struct AnnotationExportTests {
    func export(_ format: ExportFormat, fields: String, data: String, values: [String]) throws -> String {
        let schema = try SchemaFixture(fields).schema
        let task = ExportedTask(id: "t1", externalID: "x1", dataJSON: data, prelabelsJSON: "[]", annotations: values.enumerated().map { index, value in
            ExportedAnnotation(id: "a\(index)", worker: "w\(index)@x", valueJSON: value, timeSpentSeconds: 1,
                               createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        })
        var encoder = ExportEncoder(format: format, schema: schema)
        return encoder.header() + encoder.encode([task]) + encoder.footer()
    }

    @Test func tokenizerRule() {
        let sentences = Tokenizer.sentences("Dr. Émile Zola's café—open 24/7! 北京 👍🏽 ok\nNext line")
        #expect(sentences.map { $0.map(\.text) } == [
            ["Dr", "."], ["Émile", "Zola", "'", "s", "café", "—", "open", "24", "/", "7", "!"], ["北京", "👍🏽", "ok"], ["Next", "line"],
        ])
        // Offsets are code points: 👍🏽 is two.
        let third = sentences[2]
        #expect(third[1].end - third[1].start == 2)
        #expect(third[2].start == third[1].end + 1)
    }

    @Test func conllTagsSpansAsIOB2() throws {
        let text = "Barack Obama visited Paris. He met Emmanuel Macron."
        let output = try export(.conll, fields: #"{"name": "ents", "type": "spans", "source": "text", "labels": ["PER", "LOC"]}"#,
                                data: "{\"text\": \"\(text)\"}",
                                values: [#"{"ents": [{"id": "s1", "start": 0, "end": 12, "label": "PER"}, {"id": "s2", "start": 21, "end": 26, "label": "LOC"}, {"id": "s3", "start": 35, "end": 50, "label": "PER"}]}"#])
        #expect(output == """
            -DOCSTART- O

            Barack B-PER
            Obama I-PER
            visited O
            Paris B-LOC
            . O

            He O
            met O
            Emmanuel B-PER
            Macron I-PER
            . O


            """)
    }

    @Test func dpoExpandsRankingsAndDropsTies() throws {
        let fields = #"{"name": "order", "type": "ranking", "items": "responses", "ties": true}, {"name": "pick", "type": "pairwise", "items": "pair", "required": false}"#
        let data = #"{"prompt": "Say hi", "responses": ["A", "B", "C"], "pair": ["P", "Q"]}"#
        let output = try export(.dpo, fields: fields, data: data, values: [#"{"order": [2, 1, 2], "pick": {"winner": "b", "strength": 1, "reason": "Q is better here."}}"#, #"{"order": [1, 1, 1]}"#])
        let lines = output.split(separator: "\n").map { try! JSONValue.parse(String($0)) }
        #expect(lines == [
            .object(["prompt": "Say hi", "chosen": "B", "rejected": "A"]),
            .object(["prompt": "Say hi", "chosen": "B", "rejected": "C"]),
            .object(["prompt": "Say hi", "chosen": "Q", "rejected": "P"]),
        ])
        let chat = #"{"messages": [{"role": "user", "content": "Say hi"}], "pair": ["P", "Q"]}"#
        let conversational = try export(.dpo, fields: #"{"name": "pick", "type": "pairwise", "items": "pair", "reason": "none"}"#, data: chat,
                                        values: [#"{"pick": {"winner": "a", "strength": 2}}"#])
        #expect(try JSONValue.parse(String(conversational.dropLast())) == JSONValue.object([
            "prompt": .array([.object(["role": "user", "content": "Say hi"])]),
            "chosen": .array([.object(["role": "assistant", "content": "P"])]),
            "rejected": .array([.object(["role": "assistant", "content": "Q"])]),
        ]))
    }

    @Test func ktoLabelsFromRatingsAndFlags() throws {
        let fields = #"{"name": "q", "type": "rating", "items": "responses", "dimensions": [{"name": "help", "min": 1, "max": 5}]}, {"name": "f", "type": "flags", "items": "responses", "flags": ["unsafe"]}"#
        let data = #"{"prompt": "Hi", "responses": ["good", "bad", "unsafe"]}"#
        let output = try export(.kto, fields: fields, data: data, values: [#"{"q": [{"scores": {"help": 5}}, {"scores": {"help": 2}}, {"scores": {"help": 5}}], "f": [[], [], ["unsafe"]]}"#])
        let lines = output.split(separator: "\n").map { try! JSONValue.parse(String($0)) }
        #expect(lines.map { $0.objectValue!["label"]! } == [.bool(true), .bool(false), .bool(false)])
        #expect(lines.map { $0.objectValue!["completion"]! } == ["good", "bad", "unsafe"])
    }

    @Test func ratingsAndMQMTables() throws {
        let ratings = try export(.ratingsCSV, fields: #"{"name": "q", "type": "rating", "dimensions": [{"name": "tone", "min": 1, "max": 7}, {"name": "accuracy", "min": 1, "max": 7}]}"#,
                                 data: #"{"response": "x"}"#, values: [#"{"q": {"scores": {"tone": 6, "accuracy": 3}, "justification": "Wrong date, \"kind\" tone."}}"#])
        #expect(ratings == "task_id,external_id,worker,field,candidate,tone,accuracy,justification,created_at\r\n"
                + "t1,x1,w0@x,q,,6,3,\"Wrong date, \"\"kind\"\" tone.\",2023-11-14T22:13:20.000Z\r\n")
        let mqm = try export(.mqmCSV, fields: #"{"name": "e", "type": "mqm", "source": "s", "target": "t"}"#,
                             data: #"{"s": "one two three four", "t": "uno dos tres cuatro"}"#,
                             values: [#"{"e": [{"start": 4, "end": 7, "category": "accuracy", "severity": "minor"}]}"#, #"{"e": []}"#])
        #expect(mqm == "task_id,external_id,worker,field,start,end,text,category,severity,weight,comment,mqm_score,source_words\r\n"
                + "t1,x1,w0@x,e,4,7,dos,accuracy,minor,1,,75,4\r\n"
                + "t1,x1,w1@x,e,,,,,,,,100,4\r\n")
        let jsonl = try export(.jsonl, fields: #"{"name": "e", "type": "mqm", "source": "s", "target": "t"}"#,
                               data: #"{"s": "one two three four", "t": "uno dos tres cuatro"}"#,
                               values: [#"{"e": [{"start": 4, "end": 7, "category": "accuracy", "severity": "major"}]}"#])
        #expect(jsonl.contains(#""mqm_score":{"e":-25}"#))
    }
}
