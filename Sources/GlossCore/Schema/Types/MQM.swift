/// MQM error annotation of a translation: error spans over the target text, each with a category and a
/// severity; the score is `100 - 100 × (sum of severity weights) / (words in the source)`.
public struct MQMField: Sendable, Hashable {
    public var source: String
    public var target: String
    public var categories: [String]
    /// Severity names and their weights, in the order they are offered.
    public var severities: [(name: String, weight: Double)]

    public static let defaultCategories = ["accuracy", "fluency", "terminology", "style", "locale_convention"]
    public static let defaultSeverities: [(name: String, weight: Double)] = [("minor", 1), ("major", 5), ("critical", 25)]

    init(reading reader: inout SettingsReader) {
        source = reader.dataKey("source") ?? ""
        target = reader.dataKey("target") ?? ""
        categories = reader.names("categories", defaults: Self.defaultCategories)
        if let object = reader.object("severities") {
            var severities: [(String, Double)] = []
            for name in object.keys.sorted() {
                guard let weight = object[name]?.numberValue, weight >= 0, weight <= 1000 else {
                    reader.fail("severities.\(name)", "must be a weight from 0 to 1000")
                    continue
                }
                severities.append((name, weight))
            }
            if severities.isEmpty, reader.errors.isEmpty { reader.fail("severities", "must name at least one severity") }
            self.severities = severities.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        } else {
            severities = Self.defaultSeverities
        }
    }

    public static func == (lhs: MQMField, rhs: MQMField) -> Bool {
        lhs.source == rhs.source && lhs.target == rhs.target && lhs.categories == rhs.categories
            && lhs.severities.map(\.name) == rhs.severities.map(\.name) && lhs.severities.map(\.weight) == rhs.severities.map(\.weight)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(target)
        hasher.combine(categories)
        hasher.combine(severities.map(\.name))
    }

    var settings: [String: JSONValue] {
        ["source": .string(source), "target": .string(target), "categories": .array(categories.map(JSONValue.string)),
         "severities": .object(Dictionary(uniqueKeysWithValues: severities.map { ($0.name, .number($0.weight)) }))]
    }

    public func weight(of severity: String) -> Double? { severities.first { $0.name == severity }?.weight }

    /// The MQM score of a value's errors against the source text (100 without errors; below 0 is possible).
    /// Nil when the source has no words.
    public func score(errors: [JSONValue], sourceText: String) -> Double? {
        let words = CodePointText(sourceText).words().count
        guard words > 0 else { return nil }
        let penalty = errors.reduce(0.0) { total, error in
            total + (error.objectValue?["severity"]?.stringValue.flatMap(weight(of:)) ?? 0)
        }
        return 100 - 100 * penalty / Double(words)
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        if case .failure(let error) = context.text(source, path: path) { return [error] }
        let text: CodePointText
        switch context.text(target, path: path) {
        case .success(let string): text = CodePointText(string)
        case .failure(let error): return [error]
        }
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of errors {start, end, category, severity}, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        for (index, element) in array.enumerated() {
            let errorPath = "\(path)[\(index)]"
            guard let object = element.objectValue else {
                errors.append(FieldError(field: errorPath, message: "must be an object {start, end, category, severity, comment?}"))
                continue
            }
            var reader = SettingsReader(object: object, path: errorPath)
            let start = reader.integer("start", minimum: 0, required: true)
            let end = reader.integer("end", minimum: 0, required: true)
            let category = reader.string("category", required: true)
            let severity = reader.string("severity", required: true)
            _ = reader.string("comment")
            reader.rejectUnknownKeys(what: "an error key (expected start, end, category, severity, comment)")
            if let start, let end {
                if end > text.count {
                    reader.fail("end", "is past the end of the translation (\(text.count) code points)")
                } else if start > end {
                    reader.fail("end", "must not be before start")
                } else if !text.isCharacterBoundary(start) {
                    reader.fail("start", "falls inside a character (offsets count code points)")
                } else if !text.isCharacterBoundary(end) {
                    reader.fail("end", "falls inside a character (offsets count code points)")
                }
            }
            if let category, !categories.contains(category) {
                reader.fail("category", "'\(category)' is not a category (categories: \(categories.joined(separator: ", ")))")
            }
            if let severity, weight(of: severity) == nil {
                reader.fail("severity", "'\(severity)' is not a severity (severities: \(severities.map(\.name).joined(separator: ", ")))")
            }
            errors.append(contentsOf: reader.errors)
        }
        return errors
    }
}
