/// A file of a change under review.
public struct ReviewedFile: Sendable, Hashable {
    public var path: String
    public var language: String
    public var content: String

    /// Lines count from 1; a final newline does not start another line.
    public var lineCount: Int {
        if content.isEmpty { return 0 }
        var lines = 1
        for byte in content.utf8 where byte == UInt8(ascii: "\n") { lines += 1 }
        return content.utf8.last == UInt8(ascii: "\n") ? lines - 1 : lines
    }
}

/// Review comments on code of the task: anchored to a file and a line range, with a category, a severity,
/// an optional CWE id and an optional suggested fix.
public struct CodeReviewField: Sendable, Hashable {
    public var source: String
    public var language: String?
    public var categories: [String]
    public var severities: [String]
    public var minimumComments: Int

    public static let defaultCategories = ["bug", "security", "performance", "style", "correctness"]
    public static let defaultSeverities = ["low", "medium", "high", "critical"]
    public static let languages = ["python", "javascript", "typescript", "html", "css", "swift", "c", "cpp", "csharp", "java",
                                   "kotlin", "go", "rust", "sql"]

    init(reading reader: inout SettingsReader) {
        source = reader.dataKey("source") ?? ""
        language = reader.string("language")
        categories = reader.names("categories", defaults: Self.defaultCategories)
        severities = reader.names("severities", defaults: Self.defaultSeverities)
        minimumComments = reader.integer("min_comments", minimum: 0) ?? 0
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "source": .string(source), "categories": .array(categories.map(JSONValue.string)),
            "severities": .array(severities.map(JSONValue.string)), "min_comments": .number(Double(minimumComments)),
        ]
        if let language { object["language"] = .string(language) }
        return object
    }

    /// The files under review in a task's data: one string, or an array of `{path, language, content}`.
    public func files(in data: [String: JSONValue]) -> Result<[ReviewedFile], FieldError> {
        let path = "data.\(source)"
        switch data[source] {
        case .string(let code)?:
            return .success([ReviewedFile(path: data["path"]?.stringValue ?? "snippet",
                                          language: language ?? data["language"]?.stringValue ?? "", content: code)])
        case .array(let elements)? where !elements.isEmpty:
            var files: [ReviewedFile] = []
            for (index, element) in elements.enumerated() {
                guard let object = element.objectValue, let filePath = object["path"]?.stringValue, !filePath.isEmpty,
                      let content = object["content"]?.stringValue else {
                    return .failure(FieldError(field: "\(path)[\(index)]", message: "must be a file {path, language, content}"))
                }
                if files.contains(where: { $0.path == filePath }) {
                    return .failure(FieldError(field: "\(path)[\(index)].path", message: "'\(filePath)' is listed twice"))
                }
                files.append(ReviewedFile(path: filePath, language: object["language"]?.stringValue ?? language ?? "", content: content))
            }
            return .success(files)
        default:
            return .failure(FieldError(field: path, message: "must hold the code to review: a string, or an array of files {path, language, content}"))
        }
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        let files: [ReviewedFile]
        switch self.files(in: context.data) {
        case .success(let found): files = found
        case .failure(let error): return [FieldError(field: path, message: "the task's code is unusable: \(error.field) \(error.message)")]
        }
        guard let comments = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of comments {file, start_line, end_line, category, severity, comment}, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        let lineCounts = files.map(\.lineCount)
        for (index, element) in comments.enumerated() {
            let commentPath = "\(path)[\(index)]"
            guard let object = element.objectValue else {
                errors.append(FieldError(field: commentPath, message: "must be an object {file, start_line, end_line, category, severity, comment}"))
                continue
            }
            var reader = SettingsReader(object: object, path: commentPath)
            let fileName = reader.string("file", required: files.count > 1)
            let start = reader.integer("start_line", minimum: 1, required: true)
            let end = reader.integer("end_line", minimum: 1, required: true)
            let category = reader.string("category", required: true)
            let severity = reader.string("severity", required: true)
            let cwe = reader.string("cwe")
            _ = reader.string("comment", required: true)
            _ = reader.string("suggestion")
            reader.rejectUnknownKeys(what: "a comment key (expected file, start_line, end_line, category, severity, cwe, comment, suggestion)")
            let fileIndex = fileName.map { name in files.firstIndex { $0.path == name } } ?? 0
            if let fileName, fileIndex == nil {
                reader.fail("file", "'\(fileName)' is not a file of this task (files: \(files.map(\.path).joined(separator: ", ")))")
            }
            if let fileIndex, let start, let end {
                if start > end { reader.fail("end_line", "must not be before start_line") }
                if end > lineCounts[fileIndex] {
                    reader.fail("end_line", "is past the end of \(files[fileIndex].path) (\(lineCounts[fileIndex]) lines)")
                }
            }
            if let category, !categories.contains(category) {
                reader.fail("category", "'\(category)' is not a category (categories: \(categories.joined(separator: ", ")))")
            }
            if let severity, !severities.contains(severity) {
                reader.fail("severity", "'\(severity)' is not a severity (severities: \(severities.joined(separator: ", ")))")
            }
            if let cwe, !Self.isCWE(cwe) { reader.fail("cwe", "'\(cwe)' is not a CWE id (such as CWE-89)") }
            errors.append(contentsOf: reader.errors)
        }
        if comments.count < minimumComments {
            errors.append(FieldError(field: path, message: "write at least \(minimumComments) comment\(minimumComments == 1 ? "" : "s")"))
        }
        return errors
    }

    static func isCWE(_ text: String) -> Bool {
        guard text.hasPrefix("CWE-") else { return false }
        let digits = text.dropFirst(4)
        return !digits.isEmpty && digits.count <= 6 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
