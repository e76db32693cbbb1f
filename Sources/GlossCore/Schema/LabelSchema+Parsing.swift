extension LabelSchema {
    /// Field names are identifiers: a letter, then letters, digits and underscores, at most 64 characters.
    static func isValidFieldName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64,
              first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// Reads a schema from its JSON form, reporting every problem with the path of the field at fault
    /// (paths start with `prefix`, `schema` by default).
    public static func parse(_ json: JSONValue, prefix: String = "schema") throws(ValidationFailure) -> LabelSchema {
        var errors: [FieldError] = []
        guard let object = json.objectValue else {
            throw ValidationFailure([FieldError(field: prefix, message: "must be an object with a 'fields' array")])
        }
        for key in object.keys.sorted() where key != "fields" && key != "rules" {
            errors.append(FieldError(field: "\(prefix).\(key)", message: "is not a schema setting (expected 'fields' and 'rules')"))
        }
        guard let rawFields = object["fields"]?.arrayValue else {
            throw ValidationFailure(errors + [FieldError(field: "\(prefix).fields", message: "must be an array of fields")])
        }
        if rawFields.isEmpty {
            errors.append(FieldError(field: "\(prefix).fields", message: "must have at least one field"))
        }
        var fields: [Field] = []
        var names: Set<String> = []
        for (index, raw) in rawFields.enumerated() {
            let path = "\(prefix).fields[\(index)]"
            do throws(ValidationFailure) {
                let field = try parseField(raw, path: path)
                if !names.insert(field.name).inserted {
                    errors.append(FieldError(field: "\(path).name", message: "'\(field.name)' is used by another field"))
                }
                fields.append(field)
            } catch {
                errors.append(contentsOf: error.errors)
            }
        }
        for (index, field) in fields.enumerated() {
            guard case .relations(let relations) = field.kind else { continue }
            guard case .spans? = fields.first(where: { $0.name == relations.spansField })?.kind else {
                errors.append(FieldError(field: "\(prefix).fields[\(index)].spans", message: "must name a spans field of this schema"))
                continue
            }
        }
        for (index, field) in fields.enumerated() {
            guard case .transcript(let transcript) = field.kind else { continue }
            guard case .segments(let segments)? = fields.first(where: { $0.name == transcript.segmentsField })?.kind else {
                errors.append(FieldError(field: "\(prefix).fields[\(index)].segments", message: "must name a segments field of this schema"))
                continue
            }
            for label in transcript.speechLabels ?? [] where !segments.labels.contains(where: { $0.value == label }) {
                errors.append(FieldError(field: "\(prefix).fields[\(index)].labels", message: "'\(label)' is not a label of field '\(transcript.segmentsField)'"))
            }
        }
        var rules: [QualityRule] = []
        if let rawRules = object["rules"], rawRules != .null {
            let parsed = QualityRule.parseAll(rawRules, fields: fields, prefix: prefix)
            rules = parsed.rules
            errors += parsed.errors
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return LabelSchema(fields: fields, rules: rules)
    }

    static func parseField(_ raw: JSONValue, path: String) throws(ValidationFailure) -> Field {
        guard let object = raw.objectValue else {
            throw ValidationFailure([FieldError(field: path, message: "must be an object")])
        }
        var reader = SettingsReader(object: object, path: path)
        let name = reader.string("name", required: true) ?? ""
        if !name.isEmpty, !isValidFieldName(name) {
            reader.fail("name", "must start with a letter and hold only letters, digits and '_' (at most 64)")
        }
        let type = reader.string("type", required: true) ?? ""
        let label = reader.string("label")
        let isRequired = reader.bool("required") ?? true
        _ = reader.string("description")
        let kind: FieldKind?
        switch type {
        case "choice": kind = .choice(parseChoice(&reader))
        case "text": kind = .text(parseText(&reader))
        case "spans": kind = .spans(SpansField(reading: &reader))
        case "relations": kind = .relations(RelationsField(reading: &reader))
        case "rating": kind = .rating(RatingField(reading: &reader))
        case "ranking": kind = .ranking(RankingField(reading: &reader))
        case "pairwise": kind = .pairwise(PairwiseField(reading: &reader))
        case "flags": kind = .flags(FlagsField(reading: &reader))
        case "rewrite": kind = .rewrite(RewriteField(reading: &reader))
        case "prompt": kind = .prompt(PromptField(reading: &reader))
        case "code_review": kind = .codeReview(CodeReviewField(reading: &reader))
        case "translation": kind = .translation(TranslationField(reading: &reader))
        case "mqm": kind = .mqm(MQMField(reading: &reader))
        case "taxonomy": kind = .taxonomy(TaxonomyField(reading: &reader))
        case "chat": kind = .chat(ChatField(reading: &reader))
        case "boxes": kind = .boxes(BoxesField(reading: &reader))
        case "polygons": kind = .polygons(PolygonsField(reading: &reader))
        case "keypoints": kind = .keypoints(KeypointsField(reading: &reader))
        case "masks": kind = .masks(MasksField(reading: &reader))
        case "tracks": kind = .tracks(TracksField(reading: &reader))
        case "events": kind = .events(EventsField(reading: &reader))
        case "segments": kind = .segments(SegmentsField(reading: &reader))
        case "transcript": kind = .transcript(TranscriptField(reading: &reader))
        case "recording": kind = .recording(RecordingField(reading: &reader))
        case "cuboids": kind = .cuboids(CuboidsField(reading: &reader))
        case "":
            kind = nil
        default:
            reader.fail("type", "'\(type)' is not a field type (supported: \(FieldKind.supportedTypes.joined(separator: ", ")))")
            kind = nil
        }
        reader.rejectUnknownKeys()
        guard reader.errors.isEmpty, let kind else { throw ValidationFailure(reader.errors) }
        return Field(name: name, label: label, isRequired: isRequired, kind: kind)
    }

    static func parseChoice(_ reader: inout SettingsReader) -> ChoiceField {
        let allowsMultiple = reader.bool("multiple") ?? false
        let options = reader.options("options", required: true)
        let minimum = reader.integer("min_selected", minimum: 0)
        let maximum = reader.integer("max_selected", minimum: 1)
        if (minimum != nil || maximum != nil), !allowsMultiple {
            reader.fail("multiple", "must be true to use min_selected or max_selected")
        }
        if let minimum, let maximum, minimum > maximum {
            reader.fail("min_selected", "must not be greater than max_selected")
        }
        return ChoiceField(options: options, allowsMultiple: allowsMultiple, minimumSelected: minimum, maximumSelected: maximum)
    }

    static func parseText(_ reader: inout SettingsReader) -> TextField {
        let minimum = reader.integer("min_length", minimum: 0)
        let maximum = reader.integer("max_length", minimum: 1)
        if let minimum, let maximum, minimum > maximum {
            reader.fail("min_length", "must not be greater than max_length")
        }
        let isMultiline = reader.bool("multiline") ?? false
        let placeholder = reader.string("placeholder")
        return TextField(minimumLength: minimum, maximumLength: maximum, isMultiline: isMultiline, placeholder: placeholder)
    }
}

/// Reads typed settings from a JSON object, collecting errors with their paths and noting which keys were read,
/// so unknown keys (often typos) can be refused.
struct SettingsReader {
    let object: [String: JSONValue]
    let path: String
    var errors: [FieldError] = []
    var readKeys: Set<String> = []

    init(object: [String: JSONValue], path: String) {
        self.object = object
        self.path = path
    }

    mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: "\(path).\(key)", message: message))
    }

    mutating func value(_ key: String, required: Bool) -> JSONValue? {
        readKeys.insert(key)
        guard let value = object[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let string = value.stringValue else { fail(key, "must be a string"); return nil }
        if required, string.isEmpty { fail(key, "must not be empty"); return nil }
        return string
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key, required: false) else { return nil }
        guard let bool = value.boolValue else { fail(key, "must be true or false"); return nil }
        return bool
    }

    mutating func integer(_ key: String, minimum: Int, required: Bool = false) -> Int? {
        guard let value = value(key, required: required) else { return nil }
        guard let integer = value.intValue else { fail(key, "must be an integer"); return nil }
        guard integer >= minimum else { fail(key, "must be at least \(minimum)"); return nil }
        return integer
    }

    mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let value = value(key, required: required) else { return nil }
        guard case .number(let number) = value, number.isFinite else { fail(key, "must be a number"); return nil }
        return number
    }

    mutating func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let value = value(key, required: required) else { return nil }
        guard let array = value.arrayValue else { fail(key, "must be an array"); return nil }
        return array
    }

    /// A list of options: strings, or objects `{value, label?, hint?}` (more keys with `extraKeys`, handed to
    /// `extra` with a reader positioned on the option). Values are non-empty and unique.
    mutating func options(_ key: String, required: Bool,
                          extraKeys: (inout SettingsReader, String) -> Void = { _, _ in }) -> [ChoiceOption] {
        guard let rawOptions = array(key, required: required) else { return [] }
        if rawOptions.isEmpty { fail(key, "must list at least one option") }
        var options: [ChoiceOption] = []
        var seen: Set<String> = []
        for (index, rawOption) in rawOptions.enumerated() {
            let optionPath = "\(key)[\(index)]"
            var option: ChoiceOption?
            switch rawOption {
            case .string(let value):
                option = ChoiceOption(value: value)
                var optionReader = SettingsReader(object: [:], path: "\(path).\(optionPath)")
                extraKeys(&optionReader, value)
            case .object(let members):
                var optionReader = SettingsReader(object: members, path: "\(path).\(optionPath)")
                let value = optionReader.string("value", required: true)
                let label = optionReader.string("label")
                let hint = optionReader.string("hint")
                extraKeys(&optionReader, value ?? "")
                optionReader.rejectUnknownKeys()
                errors.append(contentsOf: optionReader.errors)
                if let value { option = ChoiceOption(value: value, label: label, hint: hint) }
            default:
                fail(optionPath, "must be a string or an object with 'value'")
            }
            guard let option else { continue }
            if option.value.isEmpty {
                fail(optionPath, "must not be empty")
            } else if !seen.insert(option.value).inserted {
                fail(optionPath, "'\(option.value)' is listed twice")
            } else {
                options.append(option)
            }
        }
        return options
    }

    /// A list of option values (strings), with defaults when absent.
    mutating func names(_ key: String, defaults: [String]) -> [String] {
        guard object[key] != nil, object[key] != .null else { readKeys.insert(key); return defaults }
        return options(key, required: true).map(\.value)
    }

    /// A data key the field reads (`source`, `items`, `target`).
    mutating func dataKey(_ key: String, required: Bool = true) -> String? {
        string(key, required: required)
    }

    /// One of a few words.
    mutating func word(_ key: String, allowed: [String], default defaultValue: String) -> String {
        guard let word = string(key) else { return defaultValue }
        guard allowed.contains(word) else {
            fail(key, "must be one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
            return defaultValue
        }
        return word
    }

    mutating func object(_ key: String, required: Bool = false) -> [String: JSONValue]? {
        guard let value = value(key, required: required) else { return nil }
        guard let object = value.objectValue else { fail(key, "must be an object"); return nil }
        return object
    }

    mutating func rejectUnknownKeys(what: String = "a setting of this field") {
        for key in object.keys.sorted() where !readKeys.contains(key) {
            fail(key, "is not \(what)")
        }
    }
}
