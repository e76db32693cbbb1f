extension Taxonomy {
    /// A taxonomy from CSV: a header naming `id`, `parent` and `name` (any order; `synonyms` optional,
    /// separated by `|`), then a term a row. Errors name the line.
    public static func parseCSV(_ text: String) throws(ValidationFailure) -> Taxonomy {
        var records: [(fields: [String], line: Int)]
        do {
            var scanner = CSVScanner()
            records = try scanner.consume(text.utf8)
            if let last = try scanner.finish() { records.append(last) }
        } catch {
            throw ValidationFailure([error])
        }
        guard let header = records.first else {
            throw ValidationFailure([FieldError(field: "header", message: "the file is empty: expected a header id,parent,name,synonyms", line: 1)])
        }
        let columns = header.fields.map { $0.trimmed.lowercased() }
        var position: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            guard ["id", "parent", "name", "synonyms"].contains(column) else {
                throw ValidationFailure([FieldError(field: "header", message: "'\(column)' is not a column (expected id, parent, name, synonyms)", line: header.line)])
            }
            guard position[column] == nil else {
                throw ValidationFailure([FieldError(field: "header", message: "'\(column)' is named twice", line: header.line)])
            }
            position[column] = index
        }
        for required in ["id", "name"] where position[required] == nil {
            throw ValidationFailure([FieldError(field: "header", message: "has no '\(required)' column (expected id, parent, name, synonyms)", line: header.line)])
        }
        var terms: [TaxonomyTerm] = []
        var locations: [Location] = []
        terms.reserveCapacity(records.count)
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw ValidationFailure([FieldError(field: "row", message: "has \(record.fields.count) columns; the header has \(columns.count)", line: record.line)])
            }
            func column(_ name: String) -> String? { position[name].map { String(record.fields[$0].trimmed) } }
            let synonyms = column("synonyms").map(Self.splitSynonyms) ?? []
            let parent = column("parent")
            terms.append(TaxonomyTerm(id: column("id")!, name: column("name")!, parent: parent?.isEmpty == true ? nil : parent, synonyms: synonyms))
            locations.append(.line(record.line))
            if terms.count > maximumTerms { break }
        }
        return try Taxonomy(terms: terms, locations: locations)
    }

    static func splitSynonyms(_ text: String) -> [String] {
        text.split(separator: "|").map { String(String($0).trimmed) }.filter { !$0.isEmpty }
    }

    /// A taxonomy from JSON: a list of terms `{id, name, parent?, synonyms?, children?}` (flat with parents,
    /// nested with children, or both), or `{"terms": [...]}`. Other keys of a term are ignored. Errors name
    /// the term's path (`terms[3].children[0].id`).
    public static func parseJSON(_ json: JSONValue) throws(ValidationFailure) -> Taxonomy {
        let list: [JSONValue]
        let prefix: String
        if let array = json.arrayValue {
            (list, prefix) = (array, "terms")
        } else if let array = json.objectValue?["terms"]?.arrayValue {
            (list, prefix) = (array, "terms")
        } else {
            throw ValidationFailure([FieldError(field: "terms", message: "must be a list of terms {id, name, parent?, synonyms?, children?} or {\"terms\": [...]}")])
        }
        var terms: [TaxonomyTerm] = []
        var locations: [Location] = []
        var errors: [FieldError] = []

        func read(_ elements: [JSONValue], path: String, parent: String?) {
            for (index, element) in elements.enumerated() {
                let termPath = "\(path)[\(index)]"
                guard errors.count < 50, terms.count <= maximumTerms else { return }
                guard let object = element.objectValue else {
                    errors.append(FieldError(field: termPath, message: "must be an object {id, name, parent?, synonyms?, children?}"))
                    continue
                }
                func text(_ key: String) -> String? {
                    switch object[key] {
                    case .string(let string)?: return String(string.trimmed)
                    case .number(let number)?: return JSONValue.format(number: number)
                    case .null?, nil: return nil
                    default:
                        errors.append(FieldError(field: "\(termPath).\(key)", message: "must be a string"))
                        return nil
                    }
                }
                let id = text("id") ?? ""
                let name = text("name") ?? ""
                var termParent = text("parent")
                if let parent {
                    if let given = termParent, !given.isEmpty, given != parent {
                        errors.append(FieldError(field: "\(termPath).parent", message: "is '\(given)' but the term is listed under '\(parent)'"))
                    }
                    termParent = parent
                }
                var synonyms: [String] = []
                switch object["synonyms"] {
                case .array(let values)?:
                    for (synonymIndex, value) in values.enumerated() {
                        guard let synonym = value.stringValue else {
                            errors.append(FieldError(field: "\(termPath).synonyms[\(synonymIndex)]", message: "must be a string"))
                            continue
                        }
                        if !synonym.trimmed.isEmpty { synonyms.append(String(synonym.trimmed)) }
                    }
                case .string(let joined)?: synonyms = splitSynonyms(joined)
                case .null?, nil: break
                default: errors.append(FieldError(field: "\(termPath).synonyms", message: "must be a list of strings"))
                }
                terms.append(TaxonomyTerm(id: id, name: name, parent: termParent?.isEmpty == true ? nil : termParent, synonyms: synonyms))
                locations.append(.path(termPath))
                switch object["children"] {
                case .array(let nested)?: read(nested, path: "\(termPath).children", parent: id)
                case .null?, nil: break
                default: errors.append(FieldError(field: "\(termPath).children", message: "must be a list of terms"))
                }
            }
        }
        read(list, path: prefix, parent: nil)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try Taxonomy(terms: terms, locations: locations)
    }
}
