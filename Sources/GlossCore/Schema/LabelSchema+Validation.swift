extension LabelSchema {
    /// Checks an annotation value against the schema. The value is an object keyed by field name; every
    /// problem is reported with its path (`value.<field>`).
    public func validate(_ value: JSONValue, path: String = "value") -> [FieldError] {
        guard let object = value.objectValue else {
            return [FieldError(field: path, message: "must be an object keyed by field name")]
        }
        var errors: [FieldError] = []
        for key in object.keys.sorted() where field(named: key) == nil {
            errors.append(FieldError(field: "\(path).\(key)", message: "is not a field of this project's schema"))
        }
        for field in fields {
            let fieldPath = "\(path).\(field.name)"
            guard let fieldValue = object[field.name], fieldValue != .null else {
                if field.isRequired { errors.append(FieldError(field: fieldPath, message: "is required")) }
                continue
            }
            errors.append(contentsOf: field.kind.validate(fieldValue, path: fieldPath, isRequired: field.isRequired))
        }
        return errors
    }
}

extension FieldKind {
    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        switch self {
        case .choice(let choice): choice.validate(value, path: path, isRequired: isRequired)
        case .text(let text): text.validate(value, path: path, isRequired: isRequired)
        }
    }
}

extension ChoiceField {
    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        let allowed = options.map(\.value).joined(separator: ", ")
        if !allowsMultiple {
            guard let selected = value.stringValue else {
                return [FieldError(field: path, message: "must be one of the options (a string), got \(value.typeName)")]
            }
            guard contains(selected) else {
                return [FieldError(field: path, message: "'\(selected)' is not an option (options: \(allowed))")]
            }
            return []
        }
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of options, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let selected = element.stringValue else {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "must be a string, got \(element.typeName)"))
                continue
            }
            if !contains(selected) {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "'\(selected)' is not an option (options: \(allowed))"))
            } else if !seen.insert(selected).inserted {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "'\(selected)' is selected twice"))
            }
        }
        if isRequired, array.isEmpty {
            errors.append(FieldError(field: path, message: "is required: select at least one option"))
        }
        if let minimumSelected, array.count < minimumSelected, !(array.isEmpty && !isRequired) {
            errors.append(FieldError(field: path, message: "select at least \(minimumSelected)"))
        }
        if let maximumSelected, array.count > maximumSelected {
            errors.append(FieldError(field: path, message: "select at most \(maximumSelected)"))
        }
        return errors
    }
}

extension TextField {
    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        guard let text = value.stringValue else {
            return [FieldError(field: path, message: "must be a string, got \(value.typeName)")]
        }
        let length = text.count
        if isRequired, text.allSatisfy(\.isWhitespace) {
            return [FieldError(field: path, message: "is required: write some text")]
        }
        if let minimumLength, length < minimumLength, !(length == 0 && !isRequired) {
            return [FieldError(field: path, message: "must be at least \(minimumLength) characters (has \(length))")]
        }
        if let maximumLength, length > maximumLength {
            return [FieldError(field: path, message: "must be at most \(maximumLength) characters (has \(length))")]
        }
        return []
    }
}
