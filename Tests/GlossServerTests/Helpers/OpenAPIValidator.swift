import Foundation
import GlossServer
import Yams

// A small response validator for the server tests: it checks a response (status, content type,
// JSON body) against `OpenAPIDocument.yaml`, supporting the JSON Schema subset that the document
// uses: `$ref`, `type` (a name or a list of names, "null" included), `enum`, `properties`,
// `required`, `additionalProperties` (false or a schema), `items`, `allOf`, `anyOf`, `oneOf`,
// `format` (date-time, uuid), `minimum`, `maximum`, `minLength`, `pattern`.

// MARK: - YAML tree

/// The parsed OpenAPI document as a Sendable tree (Yams hands back `Any`).
indirect enum YAMLNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([YAMLNode])
    case object([String: YAMLNode])

    /// Converts what `Yams.load(yaml:)` returns.
    init(yams value: Any?) {
        guard let value else { self = .null; return }
        switch value {
        case is NSNull:
            self = .null
        case let string as String:
            self = .string(string)
        case let bool as Bool where type(of: value) == Bool.self:
            self = .bool(bool)
        case let int as Int:
            self = .int(int)
        case let double as Double:
            self = .double(double)
        case let date as Date:
            // An unquoted YAML timestamp; keep it as the RFC 3339 text it came from.
            self = .string(ISO8601DateFormatter().string(from: date))
        case let array as [Any]:
            self = .array(array.map { YAMLNode(yams: $0) })
        case let set as Set<AnyHashable>:
            self = .array(set.map { YAMLNode(yams: $0.base) })
        case let mapping as [AnyHashable: Any]:
            var object: [String: YAMLNode] = [:]
            for (key, item) in mapping {
                object[YAMLNode.keyString(key.base)] = YAMLNode(yams: item)
            }
            self = .object(object)
        case let mapping as [String: Any]:
            self = .object(mapping.mapValues { YAMLNode(yams: $0) })
        default:
            self = .string(String(describing: value))
        }
    }

    /// Mapping keys come back as String, or as Int for an unquoted status code such as `200:`.
    private static func keyString(_ key: Any) -> String {
        switch key {
        case let string as String: return string
        case let int as Int: return String(int)
        default: return String(describing: key)
        }
    }

    subscript(key: String) -> YAMLNode? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    var array: [YAMLNode]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var object: [String: YAMLNode]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

// MARK: - JSON values

/// A decoded JSON value. Decoding with JSONDecoder (rather than JSONSerialization, which yields
/// NSNumber on Linux) keeps booleans and numbers apart.
indirect enum SpecJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SpecJSON])
    case object([String: SpecJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SpecJSON].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: SpecJSON].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// The JSON Schema type name: "integer" for a number without a fractional part.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let value): return value.isFinite && value.rounded() == value ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Whether this value is an instance of the JSON Schema type `name`.
    func isInstance(of name: String) -> Bool {
        switch (name, typeName) {
        case ("number", "integer"): return true
        default: return name == typeName
        }
    }

    /// Equality with a value written in the document (for `enum`).
    func equals(_ node: YAMLNode) -> Bool {
        switch (self, node) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), _): return node.number == a
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.equals) ?? false }
        default: return false
        }
    }
}

// MARK: - The spec

struct OpenAPISpec: Sendable {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parsed once from `OpenAPIDocument.yaml`. If the document does not parse, `operations` is
    /// empty and every `validate` call reports the parse error.
    static let shared: OpenAPISpec = {
        do {
            return try OpenAPISpec(yaml: OpenAPIDocument.yaml)
        } catch {
            return OpenAPISpec(document: .object([:]), loadError: "OpenAPI document: \(error)")
        }
    }()

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    let document: YAMLNode
    /// Set when the document could not be parsed.
    let loadError: String?
    /// "GET /api/v1/projects/{id}" style strings for every operation in the document.
    var operations: Set<String>
    /// Operation ("GET /api/v1/projects/{id}") to its operationId, for operations that have one.
    var operationIDs: [String: String]

    init(yaml: String) throws {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            throw LoadError(description: "YAML does not parse: \(error)")
        }
        let document = YAMLNode(yams: loaded)
        guard document["openapi"]?.string != nil, document["paths"]?.object != nil else {
            throw LoadError(description: "not an OpenAPI document (no `openapi` or `paths`)")
        }
        self.init(document: document, loadError: nil)
    }

    private init(document: YAMLNode, loadError: String?) {
        self.document = document
        self.loadError = loadError
        var operations: Set<String> = []
        var operationIDs: [String: String] = [:]
        for (template, item) in document["paths"]?.object ?? [:] {
            for method in Self.methods {
                guard let operation = item[method] else { continue }
                let key = "\(method.uppercased()) \(template)"
                operations.insert(key)
                operationIDs[key] = operation["operationId"]?.string
            }
        }
        self.operations = operations
        self.operationIDs = operationIDs
    }

    // MARK: Responses

    /// Validates a response to `method path` (a concrete path such as `/api/v1/projects/<uuid>`,
    /// query allowed) with `status`, `contentType` (parameters such as `charset` are ignored) and
    /// `body`. Returns human-readable errors; empty means valid.
    func validate(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        if let loadError { return [loadError] }
        let request = "\(method.uppercased()) \(path)"

        guard let template = matchTemplate(for: path) else {
            return ["\(request): undocumented path"]
        }
        let operationKey = "\(method.uppercased()) \(template)"
        guard let operation = document["paths"]?[template]?[method.lowercased()] else {
            return ["\(request): undocumented method for \(template)"]
        }
        let responses = operation["responses"]
        guard let response = (responses?[String(status)] ?? responses?["default"]).map(resolved) else {
            return ["\(operationKey): status \(status) is not documented"]
        }

        let content = response["content"]?.object ?? [:]
        if content.isEmpty {
            return body.isEmpty ? [] : ["\(operationKey) \(status): expected no body, got \(body.count) bytes"]
        }

        let mediaType: String
        if let contentType {
            mediaType = Self.mediaType(contentType)
        } else if let json = ["application/json", "application/problem+json"].first(where: { content[$0] != nil }) {
            mediaType = json
        } else {
            return ["\(operationKey) \(status): response has no Content-Type"]
        }
        guard let media = content[mediaType] else {
            let documented = content.keys.sorted().joined(separator: ", ")
            return ["\(operationKey) \(status): content type \(mediaType) is not documented (documented: \(documented))"]
        }
        guard Self.isJSON(mediaType), let schema = media["schema"] else {
            return []  // Non-JSON bodies (CSV, JSON Lines, YAML, text) are not checked further.
        }

        let json: SpecJSON
        do {
            json = try JSONDecoder().decode(SpecJSON.self, from: body)
        } catch {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return ["\(operationKey) \(status): body is not JSON: \(text)"]
        }
        return validate(json, against: schema).map { "\(operationKey) \(status): \($0)" }
    }

    /// The path template (e.g. `/api/v1/projects/{id}`) that a concrete path matches: an exact
    /// match first, otherwise the template with the fewest parameters.
    func matchTemplate(for path: String) -> String? {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        let segments = Self.segments(bare)
        let templates = (document["paths"]?.object ?? [:]).keys
        let matches = templates.filter { template in
            let parts = Self.segments(template)
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in
                Self.isParameter(part) ? !segment.isEmpty : part == segment
            }
        }
        return matches.min { a, b in
            let (pa, pb) = (Self.segments(a).filter(Self.isParameter).count, Self.segments(b).filter(Self.isParameter).count)
            return pa != pb ? pa < pb : a < b
        }
    }

    // MARK: Schemas

    /// Validates a JSON value against a schema from the document; errors name the JSON path.
    func validate(_ value: SpecJSON, against schema: YAMLNode, at path: String = "$") -> [String] {
        var errors: [String] = []
        check(value, schema, path, &errors, depth: 0)
        return errors
    }

    /// Follows a `$ref` (`#/...` JSON pointer into the document); other nodes are returned as is.
    func resolved(_ node: YAMLNode) -> YAMLNode {
        var node = node
        var hops = 0
        while let ref = node["$ref"]?.string, hops < 32, let target = lookUp(ref) {
            node = target
            hops += 1
        }
        return node
    }

    private func lookUp(_ ref: String) -> YAMLNode? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: YAMLNode? = document
        for token in ref.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    private func check(_ value: SpecJSON, _ schema: YAMLNode, _ path: String, _ errors: inout [String], depth: Int) {
        guard depth < 64 else {
            errors.append("\(path): schema nesting too deep (a $ref cycle?)")
            return
        }
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        }
        guard schema.object != nil else { return }

        if let ref = schema["$ref"]?.string {
            guard let target = lookUp(ref) else {
                errors.append("\(path): unresolvable $ref \(ref)")
                return
            }
            check(value, target, path, &errors, depth: depth + 1)
        }

        if let types = schema["type"] {
            let names: [String] = types.array.map { list in
                list.map { $0 == .null ? "null" : ($0.string ?? "") }
            } ?? [types.string ?? ""]
            if !names.contains(where: value.isInstance(of:)) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), got \(value.typeName)")
                return  // The remaining keywords would only repeat the complaint.
            }
        }

        if let options = schema["enum"]?.array, !options.contains(where: value.equals) {
            let listed = options.map { $0.string ?? "\($0)" }.joined(separator: ", ")
            errors.append("\(path): \(Self.describe(value)) is not one of [\(listed)]")
        }

        for part in schema["allOf"]?.array ?? [] {
            check(value, part, path, &errors, depth: depth + 1)
        }
        if let alternatives = schema["anyOf"]?.array {
            let matching = alternatives.filter { validate(value, against: $0, depth: depth + 1, at: path).isEmpty }
            if matching.isEmpty {
                errors.append("\(path): matches none of the anyOf schemas")
            }
        }
        if let alternatives = schema["oneOf"]?.array {
            let matching = alternatives.filter { validate(value, against: $0, depth: depth + 1, at: path).isEmpty }
            if matching.count != 1 {
                errors.append("\(path): matches \(matching.count) of the oneOf schemas, expected exactly 1")
            }
        }

        switch value {
        case .string(let string):
            checkString(string, schema, path, &errors)
        case .number(let number):
            if let minimum = schema["minimum"]?.number, number < minimum {
                errors.append("\(path): \(Self.describe(value)) is less than the minimum \(Self.describe(.number(minimum)))")
            }
            if let maximum = schema["maximum"]?.number, number > maximum {
                errors.append("\(path): \(Self.describe(value)) is more than the maximum \(Self.describe(.number(maximum)))")
            }
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    check(item, itemSchema, "\(path)[\(index)]", &errors, depth: depth + 1)
                }
            }
        case .object(let object):
            checkObject(object, schema, path, &errors, depth: depth)
        case .null, .bool:
            break
        }
    }

    private func validate(_ value: SpecJSON, against schema: YAMLNode, depth: Int, at path: String) -> [String] {
        var errors: [String] = []
        check(value, schema, path, &errors, depth: depth)
        return errors
    }

    private func checkObject(_ object: [String: SpecJSON], _ schema: YAMLNode, _ path: String, _ errors: inout [String], depth: Int) {
        let properties = schema["properties"]?.object ?? [:]
        for case .string(let key) in schema["required"]?.array ?? [] where object[key] == nil {
            errors.append("\(path).\(key): required property is missing")
        }
        for key in object.keys.sorted() {
            let childPath = "\(path).\(key)"
            if let propertySchema = properties[key] {
                check(object[key]!, propertySchema, childPath, &errors, depth: depth + 1)
                continue
            }
            switch schema["additionalProperties"] {
            case .bool(false)?:
                errors.append("\(childPath): property is not allowed")
            case let extra? where extra.object != nil:
                check(object[key]!, extra, childPath, &errors, depth: depth + 1)
            default:
                break
            }
        }
    }

    private func checkString(_ string: String, _ schema: YAMLNode, _ path: String, _ errors: inout [String]) {
        if let minLength = schema["minLength"]?.number, Double(string.count) < minLength {
            errors.append("\(path): shorter than \(Int(minLength)) characters")
        }
        if let pattern = schema["pattern"]?.string {
            if let regex = try? NSRegularExpression(pattern: pattern),
               regex.firstMatch(in: string, options: [], range: NSRange(string.startIndex..., in: string)) == nil {
                errors.append("\(path): \(Self.describe(.string(string))) does not match \(pattern)")
            }
        }
        switch schema["format"]?.string {
        case "date-time"?:
            if !Self.isDateTime(string) {
                errors.append("\(path): \(Self.describe(.string(string))) is not an RFC 3339 date-time")
            }
        case "uuid"?:
            if UUID(uuidString: string) == nil {
                errors.append("\(path): \(Self.describe(.string(string))) is not a UUID")
            }
        default:
            break
        }
    }

    // MARK: Helpers

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false)
    }

    private static func isParameter(_ segment: Substring) -> Bool {
        segment.hasPrefix("{") && segment.hasSuffix("}")
    }

    /// `application/json; charset=utf-8` becomes `application/json`.
    private static func mediaType(_ contentType: String) -> String {
        let base = contentType.split(separator: ";", maxSplits: 1).first ?? Substring(contentType)
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func isJSON(_ mediaType: String) -> Bool {
        mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    private static func isDateTime(_ string: String) -> Bool {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if formatter.date(from: string) != nil { return true }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: string) != nil
    }

    private static func describe(_ value: SpecJSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return String(bool)
        case .number(let number):
            return value.typeName == "integer" && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let string): return "\"\(string)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
