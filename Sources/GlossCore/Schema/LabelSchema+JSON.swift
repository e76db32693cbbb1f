extension LabelSchema {
    /// The schema's canonical JSON form (what `parse` reads); `rules` only when there are some, so a schema
    /// without rules keeps its form.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["fields": .array(fields.map(\.json))]
        if !rules.isEmpty { object["rules"] = .array(rules.map(\.json)) }
        return .object(object)
    }
}

extension Field {
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name),
            "type": .string(typeName),
            "label": .string(label),
            "required": .bool(isRequired),
        ]
        switch kind {
        case .choice(let choice):
            object["multiple"] = .bool(choice.allowsMultiple)
            object["options"] = .array(choice.options.map { .object($0.json) })
            if let minimum = choice.minimumSelected { object["min_selected"] = .number(Double(minimum)) }
            if let maximum = choice.maximumSelected { object["max_selected"] = .number(Double(maximum)) }
        case .text(let text):
            object["multiline"] = .bool(text.isMultiline)
            if let minimum = text.minimumLength { object["min_length"] = .number(Double(minimum)) }
            if let maximum = text.maximumLength { object["max_length"] = .number(Double(maximum)) }
            if let placeholder = text.placeholder { object["placeholder"] = .string(placeholder) }
        case .spans(let field): object.merge(field.settings) { $1 }
        case .relations(let field): object.merge(field.settings) { $1 }
        case .rating(let field): object.merge(field.settings) { $1 }
        case .ranking(let field): object.merge(field.settings) { $1 }
        case .pairwise(let field): object.merge(field.settings) { $1 }
        case .flags(let field): object.merge(field.settings) { $1 }
        case .rewrite(let field): object.merge(field.settings) { $1 }
        case .prompt(let field): object.merge(field.settings) { $1 }
        case .codeReview(let field): object.merge(field.settings) { $1 }
        case .translation(let field): object.merge(field.settings) { $1 }
        case .mqm(let field): object.merge(field.settings) { $1 }
        case .taxonomy(let field): object.merge(field.settings) { $1 }
        case .chat(let field): object.merge(field.settings) { $1 }
        case .boxes(let field): object.merge(field.settings) { $1 }
        case .polygons(let field): object.merge(field.settings) { $1 }
        case .keypoints(let field): object.merge(field.settings) { $1 }
        case .masks(let field): object.merge(field.settings) { $1 }
        case .tracks(let field): object.merge(field.settings) { $1 }
        case .events(let field): object.merge(field.settings) { $1 }
        case .segments(let field): object.merge(field.settings) { $1 }
        case .transcript(let field): object.merge(field.settings) { $1 }
        case .recording(let field): object.merge(field.settings) { $1 }
        case .cuboids(let field): object.merge(field.settings) { $1 }
        }
        return .object(object)
    }
}

extension ChoiceOption {
    var json: [String: JSONValue] {
        var member: [String: JSONValue] = ["value": .string(value), "label": .string(label)]
        if let hint { member["hint"] = .string(hint) }
        return member
    }
}
