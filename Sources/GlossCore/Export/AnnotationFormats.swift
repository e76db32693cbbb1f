/// The task-type exports: CoNLL tokens for spans, preference pairs (DPO) and unpaired judgements (KTO) for
/// rankings, pairwise choices, ratings and flags, and CSV tables of ratings and MQM errors.
extension ExportEncoder {
    struct ParsedAnnotation {
        var annotation: ExportedAnnotation
        var value: [String: JSONValue]
    }

    func parsed(_ task: ExportedTask) -> (data: [String: JSONValue], annotations: [ParsedAnnotation]) {
        let data = (try? JSONValue.parse(task.dataJSON))?.objectValue ?? [:]
        let annotations = task.annotations.map { annotation in
            ParsedAnnotation(annotation: annotation, value: (try? JSONValue.parse(annotation.valueJSON))?.objectValue ?? [:])
        }
        return (data, annotations)
    }

    // MARK: CoNLL

    /// Each annotation of a task is a document: a `-DOCSTART- O` line, then its sentences, one token a line
    /// with its IOB2 tag, a blank line after each sentence. The first spans field of the schema is exported.
    func writeCoNLL(_ task: ExportedTask, into output: inout String) {
        guard let (name, field) = conllField else { return }
        let (data, annotations) = parsed(task)
        guard let text = data[field.source]?.stringValue else { return }
        let sentences = Tokenizer.sentences(text)
        for annotation in annotations {
            let spans = (annotation.value[name]?.arrayValue ?? []).compactMap { element -> (start: Int, end: Int, label: String)? in
                guard let object = element.objectValue, let start = object["start"]?.intValue, let end = object["end"]?.intValue,
                      let label = object["label"]?.stringValue else { return nil }
                return (start, end, label)
            }
            output += "-DOCSTART- O\n\n"
            for sentence in sentences {
                let tags = Tokenizer.iob2(sentence, spans: spans)
                for (token, tag) in zip(sentence, tags) {
                    output += token.text
                    output += " "
                    output += tag
                    output += "\n"
                }
                output += "\n"
            }
        }
    }

    // MARK: Preference pairs

    /// The prompt of a task: `data.prompt` as text, or a chat (`data.messages` or `data.conversation`, a list
    /// of `{role, content}`) for the conversational shape.
    static func prompt(of data: [String: JSONValue]) -> JSONValue? {
        for key in ["messages", "conversation"] {
            if let messages = data[key]?.arrayValue, !messages.isEmpty,
               messages.allSatisfy({ $0.objectValue?["role"]?.stringValue != nil && $0.objectValue?["content"]?.stringValue != nil }) {
                return .array(messages.map { message in
                    .object(["role": message.objectValue!["role"]!, "content": message.objectValue!["content"]!])
                })
            }
        }
        for key in ["prompt", "question", "instruction", "input"] {
            if let text = data[key]?.stringValue { return .string(text) }
        }
        return nil
    }

    /// A completion in the prompt's shape: text, or one assistant message.
    static func completion(_ text: String, conversational: Bool) -> JSONValue {
        conversational ? .array([.object(["role": .string("assistant"), "content": .string(text)])]) : .string(text)
    }

    /// One line per preferred/rejected pair: a pairwise choice is a pair (ties dropped); a ranking of N
    /// expands into every pair of candidates with different ranks, the better one chosen.
    ///
    /// A chat field gives a conversational pair per turn: the conversation up to the turn's message as the
    /// prompt, the reply it went on with as chosen, the other candidate as rejected.
    func writeDPO(_ task: ExportedTask, into output: inout String) {
        let (data, annotations) = parsed(task)
        let prompt = Self.prompt(of: data)
        let conversational = prompt?.arrayValue != nil
        for annotation in annotations {
            for field in schema.fields {
                var pairs: [(chosen: Int, rejected: Int)] = []
                let items: String
                switch field.kind {
                case .chat(let chat):
                    for pair in chat.preferencePairs(annotation.value[field.name] ?? .null, data: data) {
                        output += JSONValue.object([
                            "prompt": .array(pair.prompt),
                            "chosen": Self.completion(pair.chosen, conversational: true),
                            "rejected": Self.completion(pair.rejected, conversational: true),
                        ]).jsonText
                        output += "\n"
                    }
                    continue
                case .pairwise(let pairwise):
                    items = pairwise.items
                    switch annotation.value[field.name]?.objectValue?["winner"]?.stringValue {
                    case "a": pairs = [(0, 1)]
                    case "b": pairs = [(1, 0)]
                    default: break
                    }
                case .ranking(let ranking):
                    items = ranking.items
                    let ranks = (annotation.value[field.name]?.arrayValue ?? []).map { $0.intValue ?? 0 }
                    for i in ranks.indices {
                        for j in ranks.indices where ranks[i] < ranks[j] { pairs.append((i, j)) }
                    }
                    pairs.sort { (ranks[$0.chosen], ranks[$0.rejected], $0.chosen) < (ranks[$1.chosen], ranks[$1.rejected], $1.chosen) }
                default:
                    continue
                }
                guard let prompt else { continue }
                let candidates = data[items]?.arrayValue ?? []
                for pair in pairs {
                    guard pair.chosen < candidates.count, pair.rejected < candidates.count,
                          let chosen = Candidates.text(candidates[pair.chosen]),
                          let rejected = Candidates.text(candidates[pair.rejected]) else { continue }
                    output += JSONValue.object([
                        "prompt": prompt,
                        "chosen": Self.completion(chosen, conversational: conversational),
                        "rejected": Self.completion(rejected, conversational: conversational),
                    ]).jsonText
                    output += "\n"
                }
            }
        }
    }

    /// One line per judged completion: `label` is false when any flag applies to it or its rubric scores
    /// average at or below the middle of their scales, true otherwise. The completion is the candidate
    /// (for fields over `items`) or `data.response`.
    func writeKTO(_ task: ExportedTask, into output: inout String) {
        let (data, annotations) = parsed(task)
        guard let prompt = Self.prompt(of: data) else { return }
        let conversational = prompt.arrayValue != nil
        for annotation in annotations {
            // Completion index (-1: data.response) to verdict.
            var verdicts: [Int: Bool] = [:]
            func judge(_ index: Int, _ good: Bool) { verdicts[index] = (verdicts[index] ?? true) && good }
            for field in schema.fields {
                switch field.kind {
                case .rating(let rating):
                    let entries = rating.items == nil ? [annotation.value[field.name]].map { $0 ?? .null }
                        : annotation.value[field.name]?.arrayValue ?? []
                    for (index, entry) in entries.enumerated() {
                        guard let scores = entry.objectValue?["scores"]?.objectValue else { continue }
                        let fractions = rating.dimensions.compactMap { dimension -> Double? in
                            scores[dimension.name]?.numberValue.map { ($0 - Double(dimension.minimum)) / Double(dimension.maximum - dimension.minimum) }
                        }
                        guard !fractions.isEmpty else { continue }
                        judge(rating.items == nil ? -1 : index, fractions.reduce(0, +) / Double(fractions.count) > 0.5)
                    }
                case .flags(let flags):
                    if flags.items == nil {
                        judge(-1, (annotation.value[field.name]?.arrayValue ?? []).isEmpty)
                    } else {
                        for (index, entry) in (annotation.value[field.name]?.arrayValue ?? []).enumerated() {
                            judge(index, (entry.arrayValue ?? []).isEmpty)
                        }
                    }
                default:
                    continue
                }
            }
            let itemsKey = schema.fields.lazy.compactMap { field -> String? in
                switch field.kind {
                case .rating(let rating): rating.items
                case .flags(let flags): flags.items
                default: nil
                }
            }.first
            let candidates = itemsKey.flatMap { data[$0]?.arrayValue } ?? []
            for (index, label) in verdicts.sorted(by: { $0.key < $1.key }) {
                let text = index < 0 ? (data["response"]?.stringValue ?? data["completion"]?.stringValue)
                    : (index < candidates.count ? Candidates.text(candidates[index]) : nil)
                guard let text else { continue }
                output += JSONValue.object([
                    "prompt": prompt,
                    "completion": Self.completion(text, conversational: conversational),
                    "label": .bool(label),
                ]).jsonText
                output += "\n"
            }
        }
    }

    // MARK: Ratings CSV

    var ratingDimensions: [String] {
        var names: [String] = []
        for field in schema.fields {
            guard case .rating(let rating) = field.kind else { continue }
            for dimension in rating.dimensions where !names.contains(dimension.name) { names.append(dimension.name) }
        }
        return names
    }

    func ratingsCSVHeader() -> String {
        (["task_id", "external_id", "worker", "field", "candidate"] + ratingDimensions + ["justification", "created_at"])
            .map(Self.csvCell).joined(separator: ",") + "\r\n"
    }

    /// One row per rated thing (the task, or each candidate) per annotation.
    func writeRatingsCSV(_ task: ExportedTask, into output: inout String) {
        let (_, annotations) = parsed(task)
        let dimensions = ratingDimensions
        for annotation in annotations {
            for field in schema.fields {
                guard case .rating(let rating) = field.kind, let value = annotation.value[field.name] else { continue }
                let entries = rating.items == nil ? [value] : value.arrayValue ?? []
                for (index, entry) in entries.enumerated() {
                    let scores = entry.objectValue?["scores"]?.objectValue ?? [:]
                    var row = [task.id, task.externalID ?? "", annotation.annotation.worker, field.name,
                               rating.items == nil ? "" : Candidates.letter(index)]
                    row += dimensions.map { Self.plainText(scores[$0]) }
                    row += [entry.objectValue?["justification"]?.stringValue ?? "", Timestamp.string(annotation.annotation.createdAt)]
                    output += row.map(Self.csvCell).joined(separator: ",")
                    output += "\r\n"
                }
            }
        }
    }

    // MARK: MQM CSV

    static func mqmCSVHeader() -> String {
        ["task_id", "external_id", "worker", "field", "start", "end", "text", "category", "severity", "weight", "comment",
         "mqm_score", "source_words"].map(csvCell).joined(separator: ",") + "\r\n"
    }

    /// One row per error; an annotation without errors has one row with empty error columns (score 100).
    func writeMQMCSV(_ task: ExportedTask, into output: inout String) {
        let (data, annotations) = parsed(task)
        for annotation in annotations {
            for field in schema.fields {
                guard case .mqm(let mqm) = field.kind else { continue }
                let sourceText = data[mqm.source]?.stringValue ?? ""
                let target = CodePointText(data[mqm.target]?.stringValue ?? "")
                let errors = annotation.value[field.name]?.arrayValue ?? []
                let score = mqm.score(errors: errors, sourceText: sourceText).map { JSONValue.format(number: ($0 * 100).rounded() / 100) } ?? ""
                let words = String(CodePointText(sourceText).words().count)
                let prefix = [task.id, task.externalID ?? "", annotation.annotation.worker, field.name]
                if errors.isEmpty {
                    output += (prefix + ["", "", "", "", "", "", "", score, words]).map(Self.csvCell).joined(separator: ",") + "\r\n"
                }
                for error in errors {
                    let object = error.objectValue ?? [:]
                    let start = object["start"]?.intValue ?? 0, end = object["end"]?.intValue ?? 0
                    let text = (0...target.count).contains(start) && (start...target.count).contains(end) ? target.slice(start, end) : ""
                    let severity = object["severity"]?.stringValue ?? ""
                    let row = prefix + [String(start), String(end), text, object["category"]?.stringValue ?? "", severity,
                                        mqm.weight(of: severity).map { JSONValue.format(number: $0) } ?? "",
                                        object["comment"]?.stringValue ?? "", score, words]
                    output += row.map(Self.csvCell).joined(separator: ",") + "\r\n"
                }
            }
        }
    }
}
