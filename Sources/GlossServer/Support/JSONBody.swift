import GlossCore
import Vapor

extension Request {
    /// The body as a JSON object, parsed by GlossCore's reader so a syntax error names its position.
    func jsonObject() throws -> [String: JSONValue] {
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw Problem.badRequest(field: "body", "a JSON object is required")
        }
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { raw in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self))
            }
        } catch let error as JSONSyntaxError {
            throw Problem.badRequest(field: "body", error.description)
        }
        guard let object = value.objectValue else {
            throw Problem.badRequest(field: "body", "must be a JSON object")
        }
        return object
    }

    func uuidParameter(_ name: String = "id") throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw Problem.notFound }
        return id
    }
}

/// Reads typed members of a request's JSON object, naming the member in every error.
struct JSONFields {
    let object: [String: JSONValue]
    let allowed: Set<String>

    init(_ object: [String: JSONValue], allowed: Set<String>) throws {
        self.object = object
        self.allowed = allowed
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw Problem.invalid(field: key, "is not a known member (expected: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String, required: Bool = false, maximumLength: Int = 10_000) throws -> String? {
        guard let value = object[key], value != .null else {
            if required { throw Problem.invalid(field: key, "is required") }
            return nil
        }
        guard let string = value.stringValue else { throw Problem.invalid(field: key, "must be a string") }
        if required, string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw Problem.invalid(field: key, "must not be empty")
        }
        guard string.count <= maximumLength else { throw Problem.invalid(field: key, "must be at most \(maximumLength) characters") }
        return string
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard let integer = value.intValue else { throw Problem.invalid(field: key, "must be an integer") }
        guard range.contains(integer) else {
            throw Problem.invalid(field: key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return integer
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.numberValue else { throw Problem.invalid(field: key, "must be a number") }
        guard range.contains(number) else {
            throw Problem.invalid(field: key, "must be between \(Int(range.lowerBound)) and \(Int(range.upperBound))")
        }
        return number
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard let bool = value.boolValue else { throw Problem.invalid(field: key, "must be true or false") }
        return bool
    }

    func value(_ key: String, required: Bool = false) throws -> JSONValue? {
        guard let value = object[key], value != .null else {
            if required { throw Problem.invalid(field: key, "is required") }
            return nil
        }
        return value
    }
}
