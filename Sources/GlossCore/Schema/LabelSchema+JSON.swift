extension LabelSchema {
    /// The schema's canonical JSON form (what `parse` reads).
    public var json: JSONValue {
        .object(["fields": .array(fields.map(\.json))])
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
            object["options"] = .array(choice.options.map { option in
                var member: [String: JSONValue] = ["value": .string(option.value), "label": .string(option.label)]
                if let hint = option.hint { member["hint"] = .string(hint) }
                return .object(member)
            })
            if let minimum = choice.minimumSelected { object["min_selected"] = .number(Double(minimum)) }
            if let maximum = choice.maximumSelected { object["max_selected"] = .number(Double(maximum)) }
        case .text(let text):
            object["multiline"] = .bool(text.isMultiline)
            if let minimum = text.minimumLength { object["min_length"] = .number(Double(minimum)) }
            if let maximum = text.maximumLength { object["max_length"] = .number(Double(maximum)) }
            if let placeholder = text.placeholder { object["placeholder"] = .string(placeholder) }
        }
        return .object(object)
    }
}
