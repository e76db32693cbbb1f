import Foundation
import GlossCore
import GlossStore
import Vapor

/// The demo's language, LLM-evaluation and code projects: one per kind of work, with content written for
/// the demo (no real people's data).
extension Demo {
    struct ProjectSeed {
        var name: String
        var schemaJSON: String
        var guidelines: String
        var overlap: Int = 1
        /// JSON Lines of tasks.
        var tasks: [String]
        /// Taxonomies (name, CSV) imported before the tasks.
        var taxonomies: [(name: String, csv: String)] = []
        /// Endpoints of Gloss's own stand-in model (name, kind, path under the server), registered before the
        /// tasks so pre-label endpoints see the import.
        var standInEndpoints: [(name: String, kind: ModelEndpoint.Kind, path: String)] = []
        /// Images the demo draws itself (file name, PNG bytes), uploaded before the tasks; a task names one as
        /// the string `media:FILE` and gets its URL.
        var media: (@Sendable () -> [(fileName: String, bytes: [UInt8])])?
        /// Who may work on it (requirements JSON), its rate, and whether the public job board lists it.
        var requirementsJSON = "{}"
        var rateCents: Int?
        var listingJSON = "{}"
        var expectedSeconds: Int?
    }

    /// Creates each demo project that is not there yet.
    static func seedProjects(_ app: Application, organizationID: UUID, existing: Set<String>) async throws {
        for seed in projectSeeds where !existing.contains(seed.name) {
            let schema = try LabelSchema.parse(try JSONValue.parse(seed.schemaJSON))
            let model = ProjectModel(
                organizationID: organizationID, name: seed.name, schemaJSON: schema.json.jsonText, guidelines: seed.guidelines,
                overlap: seed.overlap, leaseSeconds: app.gloss.configuration.defaultLeaseSeconds)
            model.requirementsJSON = seed.requirementsJSON
            model.rateCents = seed.rateCents
            model.listingJSON = seed.listingJSON
            model.expectedSeconds = seed.expectedSeconds
            let project = try await app.gloss.projects.create(model)
            let projectID = try project.requireID()
            for (name, csv) in seed.taxonomies {
                _ = try await app.gloss.taxonomies.put(projectID: projectID, name: name, taxonomy: try Taxonomy.parseCSV(csv))
            }
            for (name, kind, path) in seed.standInEndpoints {
                try await app.gloss.models.create(ModelEndpoint(projectID: projectID, name: name, kind: kind, url: standInURL(app) + path,
                                                                model: "gloss-stand-in", keyCiphertext: nil, timeoutSeconds: 20, maxAttempts: 5))
            }
            var lines = seed.tasks.joined(separator: "\n") + "\n"
            if let media = seed.media {
                for record in try await storeMedia(app, projectID: projectID, files: media()) {
                    lines = lines.replacingOccurrences(of: "\"media:\(record.fileName)\"", with: "\"\(record.url)\"")
                }
            }
            let chunks = [Array(lines.utf8)].async
            _ = try await GlossAdministration.importTasks(app, projectID: project.requireID(), format: .jsonLines, chunks: chunks)
        }
    }

    static func task(_ externalID: String, _ data: [String: JSONValue], prelabels: JSONValue? = nil) -> String {
        var object: [String: JSONValue] = ["external_id": .string(externalID), "data": .object(data)]
        if let prelabels { object["prelabels"] = prelabels }
        return JSONValue.object(object).jsonText
    }

    static func span(_ id: String, _ start: Int, _ end: Int, _ label: String, _ text: String) -> JSONValue {
        .object(["id": .string(id), "start": .number(Double(start)), "end": .number(Double(end)), "label": .string(label), "text": .string(text)])
    }

    static func file(_ path: String, _ language: String, _ content: String) -> JSONValue {
        .object(["path": .string(path), "language": .string(language), "content": .string(content)])
    }

    static var projectSeeds: [ProjectSeed] {
        [newsEntities, supportAnswers, pairwise, translation, mqmReview, codeReview, rewrite, liveChat, diagnosisCoding, ticketTriage,
         streetObjects, trafficVideo, supportCall, roadScene]
    }

    // MARK: Entities and relations

    static let newsSentences = [
        "Maria Okafor, the chief executive of Lumen Grid, announced on Monday that the company will open a battery plant in Tucson.",
        "Harbor Bank agreed to acquire the payments start-up Fintrail for $410 million, according to a filing in London.",
        "The mayor of Porto, Rui Matos, met engineers from Siemens to discuss the city's new tram line.",
        "Apple shares rose 3% after the company said its services revenue hit a record in the last quarter.",
        "Dr. Aiko Tanaka, who leads the vaccine programme at Kyoto University, presented the trial results in Geneva.",
        "Greenfield Farms, founded by Tomás Ruiz in 1998, was sold to Nordic Foods last week.",
        "An apple a day keeps the doctor away, says the old proverb that Helen Brooks quoted in her Ottawa speech.",
        "Striker Leila Haddad signed a three-year contract with FC Marseille on 2 July.",
    ]

    static var newsEntities: ProjectSeed {
        ProjectSeed(
            name: "News entities and relations",
            schemaJSON: """
            {"fields": [
              {"name": "entities", "type": "spans", "source": "text", "label": "Entities", "labels": [
                {"value": "PER", "label": "Person", "hotkey": "p"},
                {"value": "ORG", "label": "Organization", "hotkey": "o", "attributes": [{"name": "disambiguation", "label": "Which sense", "options": ["company", "public body", "sports club", "university"]}]},
                {"value": "LOC", "label": "Location", "hotkey": "l"},
                {"value": "DATE", "label": "Date", "hotkey": "d"},
                {"value": "MONEY", "label": "Money", "hotkey": "m"}]},
              {"name": "relations", "type": "relations", "spans": "entities", "label": "Relations",
               "labels": [{"value": "works_for", "label": "works for"}, {"value": "located_in", "label": "located in"},
                          {"value": "founded_by", "label": "founded by"}, {"value": "acquired", "label": "acquired"}]}
            ]}
            """,
            guidelines: """
            ## Mark people, organizations, places, dates and money

            Select the words with the mouse (or with Shift+arrows after clicking the text) and press the label's key:
            **P** person, **O** organization, **L** location, **D** date, **M** money. Click a marked span to change or delete it.

            - Mark the shortest span that names the thing: "Lumen Grid", not "the company".
            - Titles are not part of a name: "Dr. Aiko Tanaka" → mark "Aiko Tanaka".
            - "Apple" the company is an ORG (disambiguation: company); the fruit is not an entity.

            Then link spans: *works for* (person → organization), *located in*, *founded by* (organization → person),
            *acquired* (buyer → bought).
            """,
            overlap: 2,
            tasks: newsSentences.enumerated().map { index, sentence in
                var prelabels: JSONValue?
                if index == 0 {
                    // A model's suggestion on the first sentence, for the worker to check.
                    prelabels = .array([.object(["model": .string("ner-base-v2"), "score": .number(0.81), "value": .object(["entities": .array([
                        span("s1", 0, 12, "PER", "Maria Okafor"), span("s2", 37, 47, "ORG", "Lumen Grid"),
                    ])])])])
                }
                return task("news-\(index + 1)", ["text": .string(sentence)], prelabels: prelabels)
            })
    }

    // MARK: Rating, ranking and flags of chatbot answers

    static var supportAnswers: ProjectSeed {
        let dimensions = """
            [{"name": "tone", "label": "Tone", "min": 1, "max": 7, "anchors": {"1": "Rude or dismissive", "4": "Neutral", "7": "Warm and respectful"}},
             {"name": "accuracy", "label": "Accuracy", "min": 1, "max": 7, "anchors": {"1": "Wrong or invented", "4": "Partly right", "7": "Fully correct"}},
             {"name": "helpfulness", "label": "Helpfulness", "min": 1, "max": 7, "anchors": {"1": "No help", "4": "Some help", "7": "Solves the problem"}}]
            """
        let complaints: [(String, [String])] = [
            ("I was charged twice for order #A-2291 and nobody answers my emails. This is ridiculous.",
             ["I'm sorry about the double charge. I can see two payments for order #A-2291; I've refunded the duplicate, and it will be back on your card within 5 business days. You'll get a confirmation email shortly.",
              "Double charges happen sometimes. Please contact your bank.",
              "I understand how frustrating that is. Could you tell me the last four digits of the card used, so I can find both payments and refund the extra one?"]),
            ("My headphones stopped working after two weeks. I want a refund, not a repair.",
             ["Our policy only allows repairs.",
              "I'm sorry they failed so soon. Items that fail within 30 days qualify for a full refund: I've started the return, and a prepaid label is on its way to your email.",
              "Sorry to hear that! Have you tried turning them off and on again? Most problems go away after a restart."]),
            ("The parcel says delivered but it isn't here. I've checked with my neighbours.",
             ["Thanks for checking with your neighbours. I've opened a missing-parcel claim with the carrier; if they can't find it within 48 hours, we'll send a replacement at no cost.",
              "Parcels marked delivered are your responsibility. We can't help.",
              "It's probably stolen. You should call the police and then contact us again."]),
        ]
        return ProjectSeed(
            name: "Support chatbot answers: rate and rank",
            schemaJSON: """
            {"fields": [
              {"name": "quality", "type": "rating", "label": "Rate each answer", "items": "responses", "justify_below": 3, "dimensions": \(dimensions)},
              {"name": "ranking", "type": "ranking", "label": "Rank the answers, best first", "items": "responses"},
              {"name": "issues", "type": "flags", "label": "Problems", "items": "responses", "flags": [
                {"value": "factual_error", "label": "Factually incorrect"}, {"value": "unsafe", "label": "Unsafe"},
                {"value": "needless_refusal", "label": "Refuses needlessly"}, {"value": "helpful_but_wrong", "label": "Helpful but contains a factual error"}]}
            ]}
            """,
            guidelines: """
            ## Rate three chatbot answers to a customer complaint

            For each answer, rate **tone**, **accuracy** and **helpfulness** from 1 to 7 (the ends of each scale are described).
            A score below 3 needs a one-sentence justification. Then rank the three answers, best first, and tick any problem.

            Our policy: refunds within 30 days of delivery; duplicate charges are refunded without asking the bank.
            """,
            tasks: complaints.enumerated().map { index, item in
                task("complaint-\(index + 1)", ["prompt": .string(item.0), "responses": .array(item.1.map(JSONValue.string))])
            })
    }

    // MARK: Pairwise

    static var pairwise: ProjectSeed {
        let pairs: [(String, String, String)] = [
            ("Explain what a mortgage offset account is in two sentences.",
             "An offset account is a savings account linked to your mortgage. Its balance is subtracted from the loan when interest is calculated, so you pay less interest while keeping access to your money.",
             "An offset account is a type of loan where the bank offsets your payments. It is mostly used by businesses."),
            ("Write a haiku about autumn rain.",
             "Cold rain on maple / red leaves drift in gutter streams / the street smells of earth",
             "Autumn rain is falling down, leaves are red and brown, I like autumn."),
            ("What is the boiling point of water at the top of Mount Everest?",
             "About 70 °C (158 °F), because the air pressure at 8,849 m is roughly a third of the pressure at sea level.",
             "Water always boils at 100 °C, no matter the altitude."),
        ]
        return ProjectSeed(
            name: "Which answer is better?",
            schemaJSON: """
            {"fields": [{"name": "preference", "type": "pairwise", "label": "Which answer is better?", "items": "responses", "reason": "required", "reason_min_length": 15}]}
            """,
            guidelines: """
            ## Compare two answers to the same prompt

            Choose the better answer and how much better it is. Correctness first, then completeness, then style.
            Explain your choice in a sentence a model trainer would understand.
            """,
            tasks: pairs.enumerated().map { index, pair in
                task("pair-\(index + 1)", ["prompt": .string(pair.0), "responses": .array([.string(pair.1), .string(pair.2)])])
            })
    }

    // MARK: Translation and MQM

    static let checkoutTexts = [
        "Your order has shipped. Track it from the Orders page, and contact support if it has not arrived within 7 days.",
        "To request a refund, open the order, choose Return items and select a reason. Refunds reach your card in 5 to 10 business days.",
        "Your cart is saved for 30 days. Prices and availability may change before checkout.",
        "We could not process your payment. Check your card details or choose another payment method.",
    ]

    static var translation: ProjectSeed {
        ProjectSeed(
            name: "English → Spanish: store help texts",
            schemaJSON: """
            {"fields": [{"name": "translation", "type": "translation", "label": "Spanish (Spain)", "source": "text",
              "source_language": "en", "target_language": "es-ES",
              "glossary": [{"source": "refund", "target": "reembolso"}, {"source": "checkout", "target": "pago", "note": "the checkout step"},
                           {"source": "cart", "target": "cesta"}, {"source": "order", "target": "pedido"}, {"source": "support", "target": "atención al cliente"}]}]}
            """,
            guidelines: """
            ## Translate store help texts into Spanish (Spain)

            Use *usted*. Keep the store's terms from the glossary (they are highlighted in the source): a missing
            glossary term is flagged before you can submit. Keep numbers and page names as they are.
            """,
            tasks: checkoutTexts.enumerated().map { index, text in task("help-\(index + 1)", ["text": .string(text)]) })
    }

    static var mqmReview: ProjectSeed {
        let pairs: [(String, String)] = [
            (checkoutTexts[0], "Su pedido ha sido enviado. Rastréelo desde la página Pedidos y contacte con soporte si no ha llegado en 7 semanas."),
            (checkoutTexts[1], "Para pedir un reembolso, abra el pedido, elija Devolver artículos y seleccione una razón. Los reembolsos llegan a su tarjeta en 5 a 10 días."),
            (checkoutTexts[2], "Su carrito se guarda por 30 días. Los precios y la disponibilidad pueden cambiar antes del pago."),
        ]
        return ProjectSeed(
            name: "MQM review: English → Spanish",
            schemaJSON: """
            {"fields": [{"name": "errors", "type": "mqm", "label": "Translation errors", "source": "source", "target": "translation"}]}
            """,
            guidelines: """
            ## Mark the errors in each Spanish translation

            Select the words in error (or click between two words for an omission), choose a category and a severity:
            **minor** (1 point: style, a slip that does not change the meaning), **major** (5: meaning changed or unclear),
            **critical** (25: misleading or harmful). The score is 100 − 100 × points ÷ source words.
            """,
            tasks: pairs.enumerated().map { index, pair in
                task("mqm-\(index + 1)", ["source": .string(pair.0), "translation": .string(pair.1)])
            })
    }

    // MARK: Code review

    static var codeReview: ProjectSeed {
        let users = """
        import sqlite3


        def find_users(db: sqlite3.Connection, name: str, page: int, per_page: int = 20):
            \"\"\"Return one page of users whose name starts with `name` (pages start at 1).\"\"\"
            offset = page * per_page
            query = f"SELECT id, name, email FROM users WHERE name LIKE '{name}%' ORDER BY name LIMIT {per_page} OFFSET {offset}"
            return db.execute(query).fetchall()


        def last_n(items: list, n: int) -> list:
            \"\"\"Return the last n items, oldest first.\"\"\"
            return [items[i] for i in range(len(items) - n + 1, len(items))]

        """
        let test = """
        from users import find_users


        def test_first_page(db):
            assert len(find_users(db, "a", page=1)) == 20

        """
        let files: JSONValue = .array([
            file("app/users.py", "python", users),
            file("tests/test_users.py", "python", test),
        ])
        let goHandler = """
        func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request) {
        	id := r.URL.Query().Get("id")
        	_, err := s.db.Exec("DELETE FROM items WHERE id = " + id)
        	if err != nil {
        		http.Error(w, err.Error(), 500)
        	}
        	for i := 0; i <= len(s.cache); i++ {
        		if s.cache[i].ID == id {
        			s.cache = append(s.cache[:i], s.cache[i+1:]...)
        		}
        	}
        	w.WriteHeader(http.StatusNoContent)
        }

        """
        return ProjectSeed(
            name: "Code review: AI-written functions",
            schemaJSON: """
            {"fields": [
              {"name": "review", "type": "code_review", "label": "Review comments", "source": "files", "min_comments": 1},
              {"name": "verdict", "type": "choice", "label": "Verdict", "options": [{"value": "approve", "label": "Approve"}, {"value": "request_changes", "label": "Request changes"}]}
            ]}
            """,
            guidelines: """
            ## Review code written by an AI assistant

            Click a line number (Shift+click another to extend), then write a comment: category, severity, the CWE id
            for security issues (for example CWE-89 for SQL injection), and a suggested fix when you have one.
            Look for correctness first (off-by-one errors, wrong edge cases), then security, then performance and style.
            """,
            tasks: [
                task("users-py", ["files": files]),
                task("delete-go", ["files": .array([file("server/items.go", "go", goHandler)])]),
            ],
            requirementsJSON: #"{"any_of": ["coding"]}"#, rateCents: 4500,
            listingJSON: #"{"listed": true, "description": "Review short functions an AI wrote: find the bugs and say what to change."}"#,
            expectedSeconds: 300)
    }

    // MARK: Rewrite

    static var rewrite: ProjectSeed {
        let drafts: [(String, String)] = [
            ("How do I reset my router?",
             "To reset you're router, you must to press the reset button for 30 second. Then it will restart and all you're settings is deleted, so be careful and also make sure its plugged in."),
            ("Can I take ibuprofen with coffee?",
             "Yes absolutely, there is zero interaction ever so take as much as you want with coffee."),
            ("What's the difference between a Roth IRA and a traditional IRA?",
             "Roth is taxed later and traditional is taxed now, so traditional is better for young people."),
        ]
        return ProjectSeed(
            name: "Rewrite: make the answer ideal",
            schemaJSON: """
            {"fields": [{"name": "ideal", "type": "rewrite", "label": "Ideal answer", "source": "response", "min_length": 40}]}
            """,
            guidelines: """
            ## Rewrite the model's answer into the ideal one

            Fix every factual error, the grammar and the tone. Keep what is right. Safety: medical and financial
            answers must be correct and suggest a professional where a reader could be harmed. The changes you make are
            shown as a diff while you type.
            """,
            tasks: drafts.enumerated().map { index, draft in
                task("rewrite-\(index + 1)", ["prompt": .string(draft.0), "response": .string(draft.1)])
            })
    }
}
