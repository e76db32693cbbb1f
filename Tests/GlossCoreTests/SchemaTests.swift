import GlossCore
import Testing

@Suite("Label schema") struct SchemaTests {
    func parse(_ text: String) throws -> LabelSchema {
        try LabelSchema.parse(try JSONValue.parse(text))
    }

    func errors(_ text: String) -> [FieldError] {
        do {
            _ = try parse(text)
            return []
        } catch let failure as ValidationFailure {
            return failure.errors
        } catch {
            return [FieldError(field: "?", message: "\(error)")]
        }
    }

    let schema: LabelSchema

    init() throws {
        schema = try LabelSchema.parse(try JSONValue.parse("""
            {"fields": [
              {"name": "sentiment", "type": "choice", "options": ["positive", {"value": "negative", "label": "Negative", "hint": "unhappy"}]},
              {"name": "topics", "type": "choice", "multiple": true, "required": false, "options": ["price", "quality", "delivery"], "max_selected": 2},
              {"name": "summary", "type": "text", "min_length": 3, "max_length": 10},
              {"name": "note", "type": "text", "required": false}
            ]}
            """))
    }

    @Test func parsesEveryFieldType() throws {
        #expect(schema.fields.map(\.name) == ["sentiment", "topics", "summary", "note"])
        guard case .choice(let choice) = schema.fields[0].kind else { Issue.record("not a choice"); return }
        #expect(choice.options.map(\.value) == ["positive", "negative"])
        #expect(choice.options[1].hint == "unhappy")
        #expect(!schema.fields[3].isRequired)
        // The canonical JSON form parses back to the same schema.
        #expect(try LabelSchema.parse(schema.json) == schema)
    }

    @Test func refusesBadSchemasNamingTheField() {
        #expect(errors("[]").map(\.field) == ["schema"])
        #expect(errors("{}").map(\.field) == ["schema.fields"])
        #expect(errors("{\"fields\": []}").map(\.field) == ["schema.fields"])
        #expect(errors("{\"fields\": [], \"extra\": 1}").map(\.field).contains("schema.extra"))
        #expect(errors("{\"fields\": [{\"type\": \"text\"}]}").map(\.field) == ["schema.fields[0].name"])
        #expect(errors("{\"fields\": [{\"name\": \"9lives\", \"type\": \"text\"}]}").map(\.field) == ["schema.fields[0].name"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"hologram\"}]}").map(\.field) == ["schema.fields[0].type"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"choice\"}]}").map(\.field) == ["schema.fields[0].options"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"choice\", \"options\": [\"x\", \"x\"]}]}").map(\.field) == ["schema.fields[0].options[1]"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"choice\", \"options\": [3]}]}").map(\.field) == ["schema.fields[0].options[0]"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"choice\", \"options\": [\"x\"], \"max_selected\": 2}]}").map(\.field) == ["schema.fields[0].multiple"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"text\", \"min_length\": 5, \"max_length\": 2}]}").map(\.field) == ["schema.fields[0].min_length"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"text\", \"max_length\": \"ten\"}]}").map(\.field) == ["schema.fields[0].max_length"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"text\", \"colour\": \"red\"}]}").map(\.field) == ["schema.fields[0].colour"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"text\"}, {\"name\": \"a\", \"type\": \"text\"}]}").map(\.field) == ["schema.fields[1].name"])
        #expect(errors("{\"fields\": [{\"name\": \"a\", \"type\": \"text\", \"required\": \"yes\"}]}").map(\.field) == ["schema.fields[0].required"])
    }

    func validate(_ text: String) throws -> [String] {
        schema.validate(try JSONValue.parse(text)).map(\.field)
    }

    @Test func acceptsValidValues() throws {
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\"}").isEmpty)
        #expect(try validate("{\"sentiment\": \"negative\", \"topics\": [\"price\", \"delivery\"], \"summary\": \"ok!\", \"note\": \"\"}").isEmpty)
        #expect(try validate("{\"sentiment\": \"negative\", \"topics\": [], \"summary\": \"abc\", \"note\": null}").isEmpty)
    }

    @Test func refusesEveryKindOfBadValue() throws {
        #expect(try validate("[]") == ["value"])
        #expect(try validate("{\"summary\": \"fine\"}") == ["value.sentiment"])                               // missing required
        #expect(try validate("{\"sentiment\": \"meh\", \"summary\": \"fine\"}") == ["value.sentiment"])      // not an option
        #expect(try validate("{\"sentiment\": 1, \"summary\": \"fine\"}") == ["value.sentiment"])            // wrong type
        #expect(try validate("{\"sentiment\": [\"positive\"], \"summary\": \"fine\"}") == ["value.sentiment"]) // array for single
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\", \"mood\": 1}") == ["value.mood"]) // unknown field
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\", \"topics\": \"price\"}") == ["value.topics"])
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\", \"topics\": [\"price\", \"price\"]}") == ["value.topics[1]"])
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\", \"topics\": [\"colour\"]}") == ["value.topics[0]"])
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"fine\", \"topics\": [\"price\", \"quality\", \"delivery\"]}") == ["value.topics"])
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"no\"}") == ["value.summary"])         // too short
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"far too long\"}") == ["value.summary"]) // too long
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"   \"}") == ["value.summary"])       // blank required text
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": 12}") == ["value.summary"])
        #expect(try validate("{\"sentiment\": null, \"summary\": \"fine\"}") == ["value.sentiment"])
        // Text length counts characters, not bytes: 10 emoji fit in max_length 10.
        #expect(try validate("{\"sentiment\": \"positive\", \"summary\": \"👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽\"}").isEmpty)
    }

    @Test func hotkeysMergeAndRefuseClashes() throws {
        let merged = try Hotkeys.merged(["skip": "Ctrl+K", "option_1": "q"])
        #expect(merged["skip"] == "ctrl+k")
        #expect(merged["option_1"] == "q")
        #expect(merged["submit"] == "enter")
        #expect(throws: ValidationFailure.self) { try Hotkeys.merged(["skip": "enter"]) }
        #expect(throws: ValidationFailure.self) { try Hotkeys.merged(["fly": "f"]) }
        #expect(throws: ValidationFailure.self) { try Hotkeys.merged(["skip": "ctrl+"]) }
        #expect(Hotkeys.normalize("shift+ctrl+z") == "ctrl+shift+z")
    }

    @Test func accountRules() {
        #expect(AccountRules.normalizedEmail("  Ada@Example.COM ") == "ada@example.com")
        #expect(AccountRules.normalizedEmail("not-an-address") == nil)
        #expect(AccountRules.normalizedEmail("a@b") == nil)
        #expect(LoginThrottle.delay(afterFailures: 4) == 0)
        #expect(LoginThrottle.delay(afterFailures: 5) == 1)
        #expect(LoginThrottle.delay(afterFailures: 7) == 4)
        #expect(LoginThrottle.delay(afterFailures: 40) == LoginThrottle.maximumDelay)
    }
}
