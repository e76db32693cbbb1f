/// An entity type of a `spans` field, with the attributes a span of it may carry.
public struct SpanLabel: Sendable, Hashable {
    public var option: ChoiceOption
    public var hotkey: String?
    public var attributes: [SpanAttribute]
}

/// An attribute of an entity type: free text, or one of `options` (for example `disambiguation`).
public struct SpanAttribute: Sendable, Hashable {
    public var name: String
    public var label: String
    public var options: [String]?
    public var isRequired: Bool
}

/// Named entities over a text of the task: `[{id, start, end, label, text?, attributes?}]` in code points.
public struct SpansField: Sendable, Hashable {
    public var source: String
    public var labels: [SpanLabel]
    public var allowsOverlap: Bool
    public var minimumSpans: Int?
    public var maximumSpans: Int?

    init(reading reader: inout SettingsReader) {
        source = reader.dataKey("source") ?? ""
        var extras: [String: (hotkey: String?, attributes: [SpanAttribute])] = [:]
        let options = reader.options("labels", required: true) { labelReader, value in
            let hotkey = labelReader.string("hotkey")
            if let hotkey, hotkey.count != 1 { labelReader.fail("hotkey", "must be one key (a letter or a digit)") }
            var attributes: [SpanAttribute] = []
            for (index, raw) in (labelReader.array("attributes") ?? []).enumerated() {
                guard let members = raw.objectValue else {
                    labelReader.fail("attributes[\(index)]", "must be an object {name, label?, options?, required?}")
                    continue
                }
                var attributeReader = SettingsReader(object: members, path: "\(labelReader.path).attributes[\(index)]")
                let name = attributeReader.string("name", required: true) ?? ""
                if !name.isEmpty, !LabelSchema.isValidFieldName(name) {
                    attributeReader.fail("name", "must start with a letter and hold only letters, digits and '_'")
                }
                let label = attributeReader.string("label")
                let choices = (members["options"] ?? .null) == .null ? nil : attributeReader.names("options", defaults: [])
                let isRequired = attributeReader.bool("required") ?? false
                attributeReader.rejectUnknownKeys()
                labelReader.errors.append(contentsOf: attributeReader.errors)
                if attributes.contains(where: { $0.name == name }) {
                    labelReader.fail("attributes[\(index)].name", "'\(name)' is used twice")
                }
                attributes.append(SpanAttribute(name: name, label: label ?? name, options: choices, isRequired: isRequired))
            }
            extras[value] = (hotkey, attributes)
        }
        labels = options.map { SpanLabel(option: $0, hotkey: extras[$0.value]?.hotkey, attributes: extras[$0.value]?.attributes ?? []) }
        let hotkeys = labels.compactMap(\.hotkey)
        if Set(hotkeys).count != hotkeys.count { reader.fail("labels", "two labels have the same hotkey") }
        allowsOverlap = reader.bool("overlap") ?? false
        minimumSpans = reader.integer("min_spans", minimum: 0)
        maximumSpans = reader.integer("max_spans", minimum: 1)
        if let minimumSpans, let maximumSpans, minimumSpans > maximumSpans {
            reader.fail("min_spans", "must not be greater than max_spans")
        }
    }

    func label(_ value: String) -> SpanLabel? { labels.first { $0.option.value == value } }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "source": .string(source),
            "overlap": .bool(allowsOverlap),
            "labels": .array(labels.map { label in
                var member = label.option.json
                if let hotkey = label.hotkey { member["hotkey"] = .string(hotkey) }
                if !label.attributes.isEmpty {
                    member["attributes"] = .array(label.attributes.map { attribute in
                        var object: [String: JSONValue] = ["name": .string(attribute.name), "label": .string(attribute.label),
                                                           "required": .bool(attribute.isRequired)]
                        if let options = attribute.options { object["options"] = .array(options.map(JSONValue.string)) }
                        return .object(object)
                    })
                }
                return .object(member)
            }),
        ]
        if let minimumSpans { object["min_spans"] = .number(Double(minimumSpans)) }
        if let maximumSpans { object["max_spans"] = .number(Double(maximumSpans)) }
        return object
    }

    /// A span as read from a value, in code points.
    public struct Span: Sendable, Hashable {
        public var id: String
        public var start: Int
        public var end: Int
        public var label: String
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of spans {id, start, end, label}, got \(value.typeName)")]
        }
        let text: CodePointText
        switch context.text(source, path: path) {
        case .success(let string): text = CodePointText(string)
        case .failure(let error): return [error]
        }
        var errors: [FieldError] = []
        var spans: [(span: Span, index: Int)] = []
        var ids: Set<String> = []
        for (index, element) in array.enumerated() {
            let spanPath = "\(path)[\(index)]"
            guard let object = element.objectValue else {
                errors.append(FieldError(field: spanPath, message: "must be an object {id, start, end, label}"))
                continue
            }
            var reader = SettingsReader(object: object, path: spanPath)
            let id = reader.string("id", required: true)
            let label = reader.string("label", required: true)
            let start = reader.integer("start", minimum: 0, required: true)
            let end = reader.integer("end", minimum: 0, required: true)
            let quoted = reader.string("text")
            let attributes = reader.object("attributes")
            reader.rejectUnknownKeys(what: "a span key (expected id, start, end, label, text, attributes)")
            if let id, !ids.insert(id).inserted { reader.fail("id", "'\(id)' is used by another span") }
            var spanLabel: SpanLabel?
            if let label {
                spanLabel = self.label(label)
                if spanLabel == nil {
                    reader.fail("label", "'\(label)' is not a label (labels: \(labels.map(\.option.value).joined(separator: ", ")))")
                }
            }
            if let start, let end {
                if end > text.count {
                    reader.fail("end", "is past the end of the text (\(text.count) code points)")
                } else if start >= end {
                    reader.fail("end", "must be greater than start")
                } else if !text.isCharacterBoundary(start) {
                    reader.fail("start", "falls inside a character (offsets count code points; a character may be several)")
                } else if !text.isCharacterBoundary(end) {
                    reader.fail("end", "falls inside a character (offsets count code points; a character may be several)")
                } else if let quoted, quoted != text.slice(start, end) {
                    reader.fail("text", "does not match the text at \(start)..<\(end) ('\(text.slice(start, end))'); offsets count code points")
                }
            }
            if let attributes, let spanLabel {
                for (name, attributeValue) in attributes.sorted(by: { $0.key < $1.key }) {
                    guard let attribute = spanLabel.attributes.first(where: { $0.name == name }) else {
                        reader.fail("attributes.\(name)", "is not an attribute of '\(spanLabel.option.value)'")
                        continue
                    }
                    guard let string = attributeValue.stringValue else { reader.fail("attributes.\(name)", "must be a string"); continue }
                    if let options = attribute.options, !options.contains(string) {
                        reader.fail("attributes.\(name)", "'\(string)' is not an option (options: \(options.joined(separator: ", ")))")
                    }
                }
            }
            if let spanLabel {
                for attribute in spanLabel.attributes where attribute.isRequired {
                    if (attributes?[attribute.name]?.stringValue ?? "").isEmpty { reader.fail("attributes.\(attribute.name)", "is required") }
                }
            }
            errors.append(contentsOf: reader.errors)
            if reader.errors.isEmpty, let id, let start, let end, let label {
                spans.append((Span(id: id, start: start, end: end, label: label), index))
            }
        }
        let sorted = spans.sorted { ($0.span.start, $0.span.end, $0.index) < ($1.span.start, $1.span.end, $1.index) }
        var furthest: (end: Int, id: String)?
        for (position, entry) in sorted.enumerated() {
            if position > 0 {
                let previous = sorted[position - 1].span
                if previous.start == entry.span.start, previous.end == entry.span.end, previous.label == entry.span.label {
                    errors.append(FieldError(field: "\(path)[\(entry.index)]", message: "repeats span '\(previous.id)'"))
                    continue
                }
            }
            if !allowsOverlap, let furthest, furthest.end > entry.span.start {
                errors.append(FieldError(field: "\(path)[\(entry.index)]", message: "overlaps span '\(furthest.id)' (this field does not allow overlapping spans)"))
            }
            if furthest == nil || entry.span.end > furthest!.end { furthest = (entry.span.end, entry.span.id) }
        }
        if let minimumSpans, array.count < minimumSpans {
            errors.append(FieldError(field: path, message: "mark at least \(minimumSpans) span\(minimumSpans == 1 ? "" : "s")"))
        }
        if let maximumSpans, array.count > maximumSpans {
            errors.append(FieldError(field: path, message: "mark at most \(maximumSpans) spans"))
        }
        return errors
    }
}

/// Labeled links between two spans of the same annotation: `[{head, tail, label}]` by span id.
public struct RelationsField: Sendable, Hashable {
    public var spansField: String
    public var labels: [ChoiceOption]
    public var isDirected: Bool

    init(reading reader: inout SettingsReader) {
        spansField = reader.string("spans", required: true) ?? ""
        labels = reader.options("labels", required: true)
        isDirected = reader.bool("directed") ?? true
    }

    var settings: [String: JSONValue] {
        ["spans": .string(spansField), "labels": .array(labels.map { .object($0.json) }), "directed": .bool(isDirected)]
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of relations {head, tail, label}, got \(value.typeName)")]
        }
        let spanIDs = Set((context.value[spansField]?.arrayValue ?? []).compactMap { $0.objectValue?["id"]?.stringValue })
        var errors: [FieldError] = []
        var seen: Set<[String]> = []
        for (index, element) in array.enumerated() {
            let relationPath = "\(path)[\(index)]"
            guard let object = element.objectValue else {
                errors.append(FieldError(field: relationPath, message: "must be an object {head, tail, label}"))
                continue
            }
            var reader = SettingsReader(object: object, path: relationPath)
            let head = reader.string("head", required: true)
            let tail = reader.string("tail", required: true)
            let label = reader.string("label", required: true)
            reader.rejectUnknownKeys(what: "a relation key (expected head, tail, label)")
            for (key, id) in [("head", head), ("tail", tail)] {
                if let id, !spanIDs.contains(id) { reader.fail(key, "'\(id)' is not a span of \(spansField)") }
            }
            if let head, let tail, head == tail { reader.fail("tail", "must differ from head (a span cannot relate to itself)") }
            if let label, !labels.contains(where: { $0.value == label }) {
                reader.fail("label", "'\(label)' is not a label (labels: \(labels.map(\.value).joined(separator: ", ")))")
            }
            if reader.errors.isEmpty, let head, let tail, let label {
                let key = isDirected ? [head, tail, label] : [min(head, tail), max(head, tail), label]
                if !seen.insert(key).inserted { reader.fail("label", "repeats an earlier relation") }
            }
            errors.append(contentsOf: reader.errors)
        }
        return errors
    }
}
