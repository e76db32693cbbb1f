/// A term (or several) from a taxonomy imported into the project: `{id, path, names}`.
public struct TaxonomyField: Sendable, Hashable {
    /// The name of the project's taxonomy.
    public var taxonomy: String
    public var allowsMultiple: Bool
    public var leafOnly: Bool
    public var maximumTerms: Int?

    init(reading reader: inout SettingsReader) {
        taxonomy = reader.string("taxonomy", required: true) ?? ""
        if !taxonomy.isEmpty, !ResourceName.isValid(taxonomy) {
            reader.fail("taxonomy", "must be a name of \(ResourceName.rule)")
        }
        allowsMultiple = reader.bool("multiple") ?? false
        leafOnly = reader.bool("leaf_only") ?? false
        maximumTerms = reader.integer("max_terms", minimum: 1)
        if maximumTerms != nil, !allowsMultiple { reader.fail("max_terms", "needs multiple: true") }
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["taxonomy": .string(taxonomy), "multiple": .bool(allowsMultiple), "leaf_only": .bool(leafOnly)]
        if let maximumTerms { object["max_terms"] = .number(Double(maximumTerms)) }
        return object
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let taxonomy = context.taxonomies[self.taxonomy] else {
            return [FieldError(field: path, message: "the taxonomy '\(self.taxonomy)' has not been imported into this project")]
        }
        guard allowsMultiple else { return check(value, path: path, in: taxonomy).errors }
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be a list of terms {id, path?, names?}, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        var seen: Set<Int> = []
        for (index, element) in list.enumerated() {
            let result = check(element, path: "\(path)[\(index)]", in: taxonomy)
            errors += result.errors
            if let term = result.term, !seen.insert(term).inserted {
                errors.append(FieldError(field: "\(path)[\(index)].id", message: "'\(taxonomy.terms[term].id)' is picked twice"))
            }
        }
        if isRequired, list.isEmpty { errors.append(FieldError(field: path, message: "is required: pick at least one term")) }
        if let maximumTerms, list.count > maximumTerms { errors.append(FieldError(field: path, message: "pick at most \(maximumTerms) terms")) }
        return errors
    }

    /// One picked term: an id of the taxonomy, with a path and names that are the term's when given.
    func check(_ value: JSONValue, path: String, in taxonomy: Taxonomy) -> (term: Int?, errors: [FieldError]) {
        guard let object = value.objectValue else {
            return (nil, [FieldError(field: path, message: "must be a term {id, path?, names?}, got \(value.typeName)")])
        }
        var reader = SettingsReader(object: object, path: path)
        let id = reader.string("id", required: true)
        let givenPath = reader.value("path", required: false)
        let givenNames = reader.value("names", required: false)
        reader.rejectUnknownKeys(what: "a term key (expected id, path, names)")
        guard let id else { return (nil, reader.errors) }
        guard let index = taxonomy.index(of: id) else {
            reader.fail("id", "'\(id)' is not a term of the taxonomy '\(self.taxonomy)'")
            return (nil, reader.errors)
        }
        let stored = taxonomy.value(of: index).objectValue!
        if let givenPath, givenPath != stored["path"] { reader.fail("path", "is not the path of '\(id)' (expected the ids from the root to the term)") }
        if let givenNames, givenNames != stored["names"] { reader.fail("names", "are not the names on the path of '\(id)'") }
        if leafOnly, taxonomy.hasChildren(index) {
            reader.fail("id", "'\(id)' has narrower terms: pick one of them (this field takes only the most specific terms)")
        }
        return (index, reader.errors)
    }

    /// The stored form: each term with its path and names filled in from the taxonomy.
    func stored(_ value: JSONValue, context: AnnotationContext) -> JSONValue {
        guard let taxonomy = context.taxonomies[self.taxonomy] else { return value }
        func full(_ term: JSONValue) -> JSONValue {
            guard let id = term.objectValue?["id"]?.stringValue, let index = taxonomy.index(of: id) else { return term }
            return taxonomy.value(of: index)
        }
        if allowsMultiple, let list = value.arrayValue { return .array(list.map(full)) }
        return full(value)
    }
}
