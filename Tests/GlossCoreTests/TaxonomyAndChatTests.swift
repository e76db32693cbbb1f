import Foundation
import GlossCore
import Testing

@Suite("Taxonomies") struct TaxonomyTests {
    static let csv = """
        id,parent,name,synonyms
        D1,,Neoplasms,"Tumors|Cancer, all kinds"
        D2,D1,Neoplasms by Site,
        D7,D2,Breast Neoplasms,Breast Cancer|Mammary Carcinoma
        D8,D2,Lung Neoplasms,Lung Cancer
        E1,,Éczema,Atopic dermatitis
        B1,,Breast,
        """

    @Test func csvWithQuotedSynonymsAndPaths() throws {
        let taxonomy = try Taxonomy.parseCSV(Self.csv)
        #expect(taxonomy.terms.count == 6)
        #expect(taxonomy.roots.count == 3)
        #expect(taxonomy.depth == 3)
        #expect(taxonomy.term("D1")?.synonyms == ["Tumors", "Cancer, all kinds"])
        let breast = try #require(taxonomy.index(of: "D7"))
        #expect(taxonomy.value(of: breast) == .object(["id": .string("D7"), "path": .array([.string("D1"), .string("D2"), .string("D7")]),
                                                       "names": .array([.string("Neoplasms"), .string("Neoplasms by Site"), .string("Breast Neoplasms")])]))
        // The canonical form reads back to the same taxonomy.
        let again = try Taxonomy.parseJSON(taxonomy.canonicalJSON)
        #expect(again.terms == taxonomy.terms)
    }

    @Test func searchRanksNamesThenSynonymsThenWords() throws {
        let taxonomy = try Taxonomy.parseCSV(Self.csv)
        func ids(_ query: String) -> [String] { taxonomy.search(query, limit: 10).map { taxonomy.terms[$0.index].id } }
        // An exact name beats a name that starts with the query.
        #expect(ids("breast") == ["B1", "D7"])
        // A synonym's word prefixes, in any order; the match says which synonym.
        #expect(ids("canc breast") == ["D7"])
        #expect(taxonomy.search("mammary", limit: 5).first?.matchedSynonym == "Mammary Carcinoma")
        // Case and accents are ignored.
        #expect(ids("ECZEMA") == ["E1"])
        // Words anywhere come last; no match is empty.
        #expect(ids("plasms").first == "D1")
        #expect(ids("zebra").isEmpty)
        #expect(ids("   ").isEmpty)
    }

    @Test func errorsNameTheLineOrPath() {
        func errors(_ body: () throws -> Taxonomy) -> [FieldError] {
            do { _ = try body(); return [] } catch { return (error as? ValidationFailure)?.errors ?? [] }
        }
        #expect(errors { try Taxonomy.parseCSV("id,parent,name\nA,,Root\nB,Z,Child\n") } == [FieldError(field: "parent", message: "'Z' is not the id of a term in this taxonomy", line: 3)])
        #expect(errors { try Taxonomy.parseCSV("id,name\nA,Root\nA,Again\n") }.first?.line == 3)
        #expect(errors { try Taxonomy.parseCSV("id,name\nA,Root,extra\n") }.first?.message.contains("columns") == true)
        #expect(errors { try Taxonomy.parseCSV("id,name\nA,\"open\n") }.first?.message.contains("not closed") == true)
        let cycle = errors { try Taxonomy.parseJSON(try! JSONValue.parse(#"[{"id": "a", "name": "A", "parent": "c"}, {"id": "b", "name": "B", "parent": "a"}, {"id": "c", "name": "C", "parent": "b"}]"#)) }
        #expect(cycle.first?.message.contains("cycle") == true)
        let nested = errors { try Taxonomy.parseJSON(try! JSONValue.parse(#"[{"id": "a", "name": "A", "children": [{"id": "b", "name": " "}]}]"#)) }
        #expect(nested == [FieldError(field: "terms[0].children[0].name", message: "is required")])
        let conflicting = errors { try Taxonomy.parseJSON(try! JSONValue.parse(#"[{"id": "a", "name": "A", "children": [{"id": "b", "name": "B", "parent": "x"}]}]"#)) }
        #expect(conflicting.first?.field == "terms[0].children[0].parent")
    }

    /// A vocabulary of 12,000 terms (the size of a disease or chemistry ontology) builds and answers.
    @Test func tenThousandTerms() throws {
        var lines = ["id,parent,name,synonyms"]
        for group in 0..<120 {
            lines.append("G\(group),,Group \(group),Family \(group)")
            for term in 0..<99 { lines.append("T\(group)-\(term),G\(group),Compound \(group)-\(term),Substance \(group * 100 + term)") }
        }
        let taxonomy = try Taxonomy.parseCSV(lines.joined(separator: "\n"))
        #expect(taxonomy.terms.count == 12_000)
        let hits = taxonomy.search("substance 4205", limit: 5)
        #expect(hits.first.map { taxonomy.terms[$0.index].id } == "T42-5")
        #expect(taxonomy.search("compound", limit: 20).count == 20)
    }
}

@Suite("Chat field") struct ChatFieldTests {
    let fixture: SchemaFixture

    init() throws {
        fixture = try SchemaFixture(#"{"name": "chat", "type": "chat", "endpoint": "assistant", "min_turns": 1, "max_turns": 2, "system_key": "persona"}"#)
    }

    static func turn(reply: String = "B text", edited: Bool = false, strength: String = #", "strength": 2"#) -> String {
        #"{"user": "Hi", "candidates": ["A text", "B text"], "winner": "b"\#(strength), "reason": "Clearer and shorter.", "reply": "\#(reply)", "edited": \#(edited)}"#
    }

    @Test func settingsAreChecked() {
        #expect(throws: ValidationFailure.self) { try SchemaFixture(#"{"name": "c", "type": "chat"}"#) }
        #expect(throws: ValidationFailure.self) { try SchemaFixture(#"{"name": "c", "type": "chat", "endpoint": "e", "min_turns": 3, "max_turns": 2}"#) }
        #expect(throws: ValidationFailure.self) { try SchemaFixture(#"{"name": "c", "type": "chat", "endpoint": "e", "system": "x", "system_key": "y"}"#) }
    }

    @Test func turnsAreValidated() throws {
        #expect(try fixture.errors(#"{"chat": {"turns": [\#(Self.turn())]}}"#, data: "{}").isEmpty)
        #expect(try fixture.errors(#"{"chat": {"turns": [\#(Self.turn(reply: "Better B", edited: true))]}}"#, data: "{}").isEmpty)
        // A reply that is not the chosen candidate must be marked as an edit.
        #expect(try fixture.messages(#"{"chat": {"turns": [\#(Self.turn(reply: "Other"))]}}"#, data: "{}", at: "value.chat.turns[0].reply").count == 1)
        #expect(try fixture.messages(#"{"chat": {"turns": [\#(Self.turn(strength: ""))]}}"#, data: "{}", at: "value.chat.turns[0].strength").count == 1)
        #expect(try fixture.messages(#"{"chat": {"turns": []}}"#, data: "{}", at: "value.chat.turns") == ["has 0 turns; at least 1 are asked for"])
        let three = Array(repeating: Self.turn(), count: 3).joined(separator: ",")
        #expect(try fixture.messages(#"{"chat": {"turns": [\#(three)]}}"#, data: "{}", at: "value.chat.turns") == ["has 3 turns; the most is 2"])
    }

    @Test func messagesAndPreferencePairs() throws {
        guard case .chat(let chat) = fixture.schema.fields[0].kind else { Issue.record("not a chat field"); return }
        let data: [String: JSONValue] = ["persona": .string("You are terse.")]
        let value = try JSONValue.parse(#"{"turns": [\#(Self.turn()), \#(Self.turn(reply: "Edited", edited: true))]}"#)
        let sent = chat.messages(turns: value["turns"]!.arrayValue!, next: "Again", data: data)
        #expect(sent.compactMap { $0["role"]?.stringValue } == ["system", "user", "assistant", "user", "assistant", "user"])
        let pairs = chat.preferencePairs(value, data: data)
        #expect(pairs.map(\.chosen) == ["B text", "Edited"])
        #expect(pairs.map(\.rejected) == ["A text", "A text"])
        #expect(pairs[1].prompt.count == 4)
        let choice = chat.turn(choosing: ["winner": .string("a"), "strength": .number(3), "reason": .string("Much more accurate.")], user: "Q", candidates: ["x", "y"])
        #expect((try? choice.get())?["reply"] == .string("x"))
    }

    @Test func conversationStepsAndRefusals() throws {
        guard case .chat(let chat) = fixture.schema.fields[0].kind else { Issue.record("not a chat field"); return }
        var conversation = ChatConversation(stored: nil)
        #expect(throws: ChatConversation.Refusal.nothingPending) { _ = try conversation.choose(["winner": .string("a")], in: chat) }
        conversation.pending = .init(user: "Hi", candidates: ["A text", "B text"])
        #expect(conversation.refusalToSend(in: chat) == .choiceFirst)
        // An incomplete choice leaves the turn pending.
        #expect(throws: ValidationFailure.self) { _ = try conversation.choose(["winner": .string("b")], in: chat) }
        #expect(conversation.pending != nil)
        let turn = try conversation.choose(["winner": .string("b"), "strength": .number(2), "reason": .string("Clearer and shorter.")], in: chat)
        #expect(turn["reply"] == .string("B text"))
        #expect(conversation.pending == nil)
        // The stored text reads back to the same conversation; the value holds only the turns.
        #expect(ChatConversation(stored: conversation.stored.jsonText) == conversation)
        #expect(conversation.value == .object(["turns": .array([turn])]))
        conversation.turns.append(turn)
        #expect(conversation.refusalToSend(in: chat) == .allTurnsDone(2))
    }
}
