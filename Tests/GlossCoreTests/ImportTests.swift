import GlossCore
import Testing

@Suite("Import reader and JSON") struct ImportTests {
    let schema = LabelSchema(fields: [Field(name: "label", kind: .choice(ChoiceField(options: [ChoiceOption(value: "a"), ChoiceOption(value: "b")])))])

    /// Feeds `text` in chunks of `size` bytes, as a network would.
    func read(_ text: String, _ format: ImportFormat, chunk size: Int) throws -> [ImportedTask] {
        var reader = TaskImportReader(format: format, schema: schema)
        let bytes = Array(text.utf8)
        var tasks: [ImportedTask] = []
        var start = 0
        while start < bytes.count {
            tasks += try reader.consume(bytes[start..<min(start + size, bytes.count)])
            start += size
        }
        return tasks + (try reader.finish())
    }

    func failure(_ text: String, _ format: ImportFormat) -> FieldError? {
        do {
            _ = try read(text, format, chunk: 3)
            return nil
        } catch {
            return error as? FieldError
        }
    }

    @Test(arguments: [1, 2, 7, 4096]) func jsonLinesInAnyChunking(size: Int) throws {
        let text = "{\"data\": {\"text\": \"é ✓ \\u00e9\"}, \"external_id\": \"x1\", \"priority\": 3}\r\n\n{\"data\":{\"n\":[1,2,{\"k\":null}]},\"prelabels\":[{\"model\":\"m\",\"score\":0.5,\"value\":{\"label\":\"a\"}}]}"
        let tasks = try read(text, .jsonLines, chunk: size)
        #expect(tasks.count == 2)
        #expect(tasks[0].externalID == "x1")
        #expect(tasks[0].priority == 3)
        #expect(try JSONValue.parse(tasks[0].dataJSON)["text"]?.stringValue == "é ✓ é")
        #expect(tasks[1].line == 3)
        #expect(try JSONValue.parse(tasks[1].prelabelsJSON).arrayValue?.first?["model"]?.stringValue == "m")
    }

    @Test(arguments: [1, 5, 4096]) func jsonArrayInAnyChunking(size: Int) throws {
        let text = "\u{FEFF}[\n {\"data\": {\"t\": \"a ] } [ {\"}},\n {\"data\": {}, \"external_id\": 7}\n]\n"
        let tasks = try read(text, .json, chunk: size)
        #expect(tasks.map(\.line) == [2, 3])
        #expect(try JSONValue.parse(tasks[0].dataJSON)["t"]?.stringValue == "a ] } [ {")
        #expect(tasks[1].externalID == "7")
        #expect(try read("[]", .json, chunk: 1).isEmpty)
    }

    @Test(arguments: [1, 3, 4096]) func csvWithQuotesAndNewlines(size: Int) throws {
        let text = "text,external_id,priority\r\n\"a, \"\"quoted\"\"\nline\",id-1,2\r\nplain,,\n"
        let tasks = try read(text, .csv, chunk: size)
        #expect(tasks.count == 2)
        #expect(try JSONValue.parse(tasks[0].dataJSON)["text"]?.stringValue == "a, \"quoted\"\nline")
        #expect(tasks[0].externalID == "id-1")
        #expect(tasks[0].priority == 2)
        #expect(tasks[1].line == 4)
        #expect(tasks[1].externalID == nil)
        // A last field that is quoted, with no newline after it, is closed.
        let last = try read("text\nplain\n\"a, b\"", .csv, chunk: size)
        #expect(last.count == 2)
        #expect(try JSONValue.parse(last[1].dataJSON)["text"]?.stringValue == "a, b")
    }

    @Test func badInputNamesTheLineAndField() {
        #expect(failure("{\"data\": {}}\n{\"data\": 5}", .jsonLines) == FieldError(field: "data", message: "must be an object", line: 2))
        #expect(failure("{\"data\": {}}\n\n{\"dat\": {}}", .jsonLines)?.line == 3)
        #expect(failure("{\"data\": {}}\n{\"data\": {}", .jsonLines)?.line == 2)
        #expect(failure("{\"data\": {}, \"priority\": 1.5}", .jsonLines)?.field == "priority")
        #expect(failure("{\"data\": {}, \"external_id\": \"\"}", .jsonLines)?.field == "external_id")
        #expect(failure("{\"data\": {}, \"prelabels\": [{\"value\": {}}]}", .jsonLines)?.field == "prelabels[0].model")
        #expect(failure("{\"data\": {}, \"prelabels\": [{\"model\": \"m\", \"value\": {\"label\": \"c\"}}]}", .jsonLines)?.field == "prelabels[0].value.label")
        #expect(failure("[{\"data\": {}},\n 3]", .json)?.line == 2)
        #expect(failure("[{\"data\": {}}", .json)?.field == "body")
        #expect(failure("[{\"data\": {}}] x", .json)?.field == "body")
        #expect(failure("{\"data\": {}}", .json)?.field == "body")
        #expect(failure("text\n\"open", .csv)?.line == 2)
        #expect(failure("text,external_id\na\n", .csv) == FieldError(field: "row", message: "has 1 columns, the header has 2", line: 2))
        #expect(failure("text,text\na,b\n", .csv)?.field == "text")
        #expect(failure("", .csv)?.field == "header")
        #expect(failure("text\nab\"c\n", .csv)?.line == 2)
    }

    @Test func jsonParserRefusesInvalidJSON() throws {
        for bad in ["{", "[1,]", "{\"a\" 1}", "\"\\x\"", "01", "1.", "-", "tru", "\"a\nb\"", "{\"a\":1}}", "[\"\\ud800\"", "nul"] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
        #expect(try JSONValue.parse(" {\"a\": [1, -2.5e3, true, null, \"\\ud83d\\ude00\"]} ") ==
                .object(["a": .array([.number(1), .number(-2500), .bool(true), .null, .string("😀")])]))
    }

    @Test func jsonTextEscapesForHTML() {
        #expect(JSONValue.string("</script><b>&\u{2028}").jsonText == "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\"")
        #expect(JSONValue.object(["b": .number(2), "a": .number(1.5)]).jsonText == "{\"a\":1.5,\"b\":2}")
    }
}
