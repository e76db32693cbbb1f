import Foundation
/// One task read from an import file, its data kept as the JSON text it came in (validated), so a large
/// import never builds objects for task content.
public struct ImportedTask: Sendable, Hashable {
    public var externalID: String?
    /// A JSON object, as text.
    public var dataJSON: String
    /// A JSON array of `{model, score?, value}`, as text.
    public var prelabelsJSON: String
    public var priority: Int
    /// The line of the import file where this task starts (1-based).
    public var line: Int
    /// The task's gold answer (a whole, validated annotation value, as JSON text): the task is imported as gold.
    public var goldJSON: String?

    public init(externalID: String?, dataJSON: String, prelabelsJSON: String = "[]", priority: Int = 0, line: Int, goldJSON: String? = nil) {
        self.externalID = externalID
        self.dataJSON = dataJSON
        self.prelabelsJSON = prelabelsJSON
        self.priority = priority
        self.line = line
        self.goldJSON = goldJSON
    }
}

public enum ImportFormat: String, Sendable, CaseIterable {
    case json
    case jsonLines = "jsonl"
    case csv

    /// The format a request's `Content-Type` names, or nil.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json": self = .json
        case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines": self = .jsonLines
        case "text/csv": self = .csv
        default: return nil
        }
    }

    /// The format a file name's extension names, or nil.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { self = .jsonLines }
        else if lower.hasSuffix(".json") { self = .json }
        else if lower.hasSuffix(".csv") { self = .csv }
        else { return nil }
    }
}

extension ImportedTask {
    static let knownKeys: Set<String> = ["data", "external_id", "prelabels", "priority", "gold"]

    /// Reads one task object (`{data, external_id?, prelabels?, priority?, gold?}`) from JSON bytes. Pre-labels
    /// are checked against the schema, as a worker's value would be; a gold answer as a whole annotation.
    public static func read(json bytes: UnsafeBufferPointer<UInt8>, line: Int, schema: LabelSchema,
                            taxonomies: [String: Taxonomy] = [:]) throws(FieldError) -> ImportedTask {
        let members: JSONObjectMembers
        do {
            members = try JSONObjectMembers.read(bytes)
        } catch {
            throw FieldError(field: "task", message: error.description, line: line)
        }
        for member in members.members where !knownKeys.contains(member.key) {
            throw FieldError(field: member.key, message: "is not a task key (expected data, external_id, prelabels, priority, gold)", line: line)
        }
        guard let dataRange = members.range(of: "data") else {
            throw FieldError(field: "data", message: "is required: an object with the task's content", line: line)
        }
        guard bytes[dataRange.lowerBound] == UInt8(ascii: "{") else {
            throw FieldError(field: "data", message: "must be an object", line: line)
        }
        let dataJSON = String(decoding: UnsafeBufferPointer(rebasing: bytes[dataRange]), as: UTF8.self)

        var externalID: String?
        if let range = members.range(of: "external_id") {
            let value = try parseSmall(bytes, range, field: "external_id", line: line)
            switch value {
            case .null: externalID = nil
            case .string(let string) where !string.isEmpty && string.count <= 512: externalID = string
            case .number(let number) where number.rounded() == number: externalID = String(Int64(number))
            default: throw FieldError(field: "external_id", message: "must be a non-empty string of at most 512 characters", line: line)
            }
        }

        var priority = 0
        if let range = members.range(of: "priority") {
            guard let value = try parseSmall(bytes, range, field: "priority", line: line).intValue,
                  abs(value) <= 1_000_000 else {
                throw FieldError(field: "priority", message: "must be an integer between -1000000 and 1000000", line: line)
            }
            priority = value
        }

        // Fields that read the data (a text to mark, candidates to rank) need it to be there; only then is the
        // data parsed, so a plain classification import stays on the fast path.
        var data: [String: JSONValue]?
        if schema.readsData {
            let parsed = try parseSmall(bytes, dataRange, field: "data", line: line).objectValue ?? [:]
            if let first = schema.checkData(parsed).first {
                throw FieldError(field: first.field, message: first.message, line: line)
            }
            data = parsed
        }
        var prelabelsJSON = "[]"
        if let range = members.range(of: "prelabels") {
            let value = try parseSmall(bytes, range, field: "prelabels", line: line)
            if value != .null {
                if data == nil { data = try parseSmall(bytes, dataRange, field: "data", line: line).objectValue ?? [:] }
                prelabelsJSON = try validatedPrelabels(value, line: line, schema: schema, data: data ?? [:], taxonomies: taxonomies).jsonText
            }
        }
        var goldJSON: String?
        if let range = members.range(of: "gold") {
            let value = try parseSmall(bytes, range, field: "gold", line: line)
            if value != .null {
                if data == nil { data = try parseSmall(bytes, dataRange, field: "data", line: line).objectValue ?? [:] }
                if let first = schema.validate(value, data: data ?? [:], taxonomies: taxonomies, path: "gold").first {
                    throw FieldError(field: first.field, message: first.message, line: line)
                }
                goldJSON = schema.normalized(value, data: data ?? [:], taxonomies: taxonomies).jsonText
            }
        }
        return ImportedTask(externalID: externalID, dataJSON: dataJSON, prelabelsJSON: prelabelsJSON, priority: priority, line: line,
                            goldJSON: goldJSON)
    }

    static func parseSmall(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, line: Int) throws(FieldError) -> JSONValue {
        do {
            return try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[range]))
        } catch {
            throw FieldError(field: field, message: error.description, line: line)
        }
    }

    static func validatedPrelabels(_ value: JSONValue, line: Int, schema: LabelSchema, data: [String: JSONValue],
                                   taxonomies: [String: Taxonomy] = [:]) throws(FieldError) -> JSONValue {
        guard let array = value.arrayValue else {
            throw FieldError(field: "prelabels", message: "must be an array of {model, score?, value}", line: line)
        }
        var result: [JSONValue] = []
        for (index, element) in array.enumerated() {
            do {
                result.append(try prelabel(element, path: "prelabels[\(index)]", schema: schema, data: data, taxonomies: taxonomies))
            } catch {
                throw FieldError(field: error.field, message: error.message, line: line)
            }
        }
        return .array(result)
    }

    /// One pre-label `{model, score?, value}` checked and in its stored form: the value is checked against
    /// the schema and the task's data like a worker's, except that it may leave fields out for the worker to
    /// fill. Imports and pre-label endpoints' answers both come through here.
    public static func prelabel(_ element: JSONValue, path: String, schema: LabelSchema, data: [String: JSONValue],
                                taxonomies: [String: Taxonomy] = [:]) throws(FieldError) -> JSONValue {
        guard let object = element.objectValue else {
            throw FieldError(field: path, message: "must be an object {model, score?, value}")
        }
        for key in object.keys.sorted() where !["model", "score", "value"].contains(key) {
            throw FieldError(field: "\(path).\(key)", message: "is not a pre-label key (expected model, score, value)")
        }
        guard let model = object["model"]?.stringValue, !model.isEmpty else {
            throw FieldError(field: "\(path).model", message: "is required: the name of the model")
        }
        var normalized: [String: JSONValue] = ["model": .string(String(model.prefix(200)))]
        if let score = object["score"], score != .null {
            guard let number = score.numberValue else { throw FieldError(field: "\(path).score", message: "must be a number") }
            normalized["score"] = .number(number)
        }
        guard let value = object["value"] else { throw FieldError(field: "\(path).value", message: "is required") }
        if let first = schema.validate(value, data: data, taxonomies: taxonomies, path: "\(path).value", partial: true).first {
            throw first
        }
        normalized["value"] = schema.normalized(value, data: data, taxonomies: taxonomies)
        return .object(normalized)
    }

    /// A task from one CSV row: each column is a key of `data` (as a string), except `external_id` and
    /// `priority`.
    public static func read(csvRow row: [String], header: [String], line: Int) throws(FieldError) -> ImportedTask {
        guard row.count == header.count else {
            throw FieldError(field: "row", message: "has \(row.count) columns, the header has \(header.count)", line: line)
        }
        var data = ""
        data.reserveCapacity(64)
        data += "{"
        var externalID: String?
        var priority = 0
        var first = true
        for (name, cell) in zip(header, row) {
            switch name {
            case "external_id":
                externalID = cell.isEmpty ? nil : cell
            case "priority":
                if !cell.isEmpty {
                    guard let value = Int(cell), abs(value) <= 1_000_000 else {
                        throw FieldError(field: "priority", message: "must be an integer between -1000000 and 1000000", line: line)
                    }
                    priority = value
                }
            default:
                if !first { data += "," }
                first = false
                JSONValue.writeString(name, into: &data)
                data += ":"
                JSONValue.writeString(cell, into: &data)
            }
        }
        data += "}"
        return ImportedTask(externalID: externalID, dataJSON: data, priority: priority, line: line)
    }

    /// Checks a CSV header: non-empty, distinct column names.
    public static func checkCSVHeader(_ header: [String]) throws(FieldError) {
        var seen: Set<String> = []
        for (index, name) in header.enumerated() {
            if name.isEmpty { throw FieldError(field: "header[\(index)]", message: "column name is empty", line: 1) }
            if !seen.insert(name).inserted { throw FieldError(field: name, message: "column appears twice in the header", line: 1) }
        }
        if header.allSatisfy({ $0 == "external_id" || $0 == "priority" }) {
            throw FieldError(field: "header", message: "needs at least one data column", line: 1)
        }
    }
}
