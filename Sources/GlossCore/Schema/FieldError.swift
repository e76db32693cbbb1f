/// One problem with an input, naming the field (a dotted path such as `value.sentiment` or
/// `schema.fields[1].options`) and, for imports, the line.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var line: Int?

    public init(field: String, message: String, line: Int? = nil) {
        self.field = field
        self.message = message
        self.line = line
    }

    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        return "\(place)\(field): \(message)"
    }
}

/// Several problems found at once.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
