/// Project rules written in the schema's `"rules"` array and checked when a worker submits, after the schema's
/// own validation: required fields, minimum text lengths, forbidden combinations, minimum box sizes and a
/// minimum time per task.
///
/// ```
/// "rules": [
///   {"type": "min_length", "field": "quality.justification", "min": 40, "message": "Explain your scores"},
///   {"type": "required", "field": "note", "when": {"sentiment": ["negative", "mixed"]}},
///   {"type": "forbid", "when": {"safety": "unsafe", "quality.helpfulness": 5}, "severity": "soft"},
///   {"type": "min_box_size", "field": "cars", "min_width": 8, "min_height": 8},
///   {"type": "min_time", "seconds": 20}
/// ]
/// ```
///
/// Every rule takes `severity` (`"hard"`, the default: the submit is refused; `"soft"`: the worker may confirm,
/// and the annotation is marked for review), `message` (what the worker sees instead of the default) and `when`
/// (the rule applies only when every listed field has one of the listed values; for `forbid` the combination
/// that fails). Field paths are a field's name or `field.member`: a rating's `justification` or one of its
/// dimensions, a pairwise field's `winner`, `strength` or `reason`, a prompt's `prompt`, `answer` or `tags`, a
/// rewrite's `text`.
public struct QualityRule: Sendable, Hashable {
    /// What a failure does.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        /// The submit is refused (422).
        case hard
        /// The worker may confirm the submit; the annotation is then marked for review.
        case soft
    }

    /// What the rule checks.
    public enum Check: Sendable, Hashable {
        /// The text at the target has at least `minimum` characters after trimming.
        case minimumLength(RuleTarget, minimum: Int)
        /// The target has a non-empty value.
        case required(RuleTarget)
        /// Fails whenever the rule's conditions all hold; `field` names the field the error points at.
        case forbid(field: String?)
        /// Every box (or polygon's bounding box) of a field is at least this wide and high, in pixels.
        case minimumBoxSize(field: String, minimumWidth: Double, minimumHeight: Double)
        /// The worker spent at least this many seconds of active time on the task.
        case minimumTime(seconds: Double)
    }

    public var check: Check
    /// The rule applies only when all hold (`when`); for `forbid`, the combination that fails.
    public var conditions: [RuleCondition]
    public var severity: Severity
    /// What the worker sees when the rule fails; a default explains it otherwise.
    public var message: String?

    public init(check: Check, conditions: [RuleCondition] = [], severity: Severity = .hard, message: String? = nil) {
        self.check = check
        self.conditions = conditions
        self.severity = severity
        self.message = message
    }

    /// The rule types the schema accepts.
    public static let supportedTypes = ["min_length", "required", "forbid", "min_box_size", "min_time"]

    /// The rule's `type` in JSON.
    public var typeName: String {
        switch check {
        case .minimumLength: "min_length"
        case .required: "required"
        case .forbid: "forbid"
        case .minimumBoxSize: "min_box_size"
        case .minimumTime: "min_time"
        }
    }
}

/// A place in an annotation value a rule reads: a field, or a member of it (`quality.justification`).
public struct RuleTarget: Sendable, Hashable {
    /// The field's name.
    public var field: String
    /// The member after the dot, as written (`justification`, a dimension's name, `winner`, …).
    public var member: String?
    var accessor: Accessor
    /// The field holds one entry per candidate (a rating or flags field with `items`): the target is read in each.
    var isPerCandidate: Bool

    /// The path as written in the rule: `field` or `field.member`.
    public var path: String { member.map { "\(field).\($0)" } ?? field }

    enum Accessor: Sendable, Hashable {
        case whole
        case key(String)
        case score(String)
        case rewriteText
    }

    /// The values at the target in an annotation value, each with its path (`value.quality[1].justification`).
    func values(in object: [String: JSONValue], prefix: String = "value") -> [(value: JSONValue, path: String)] {
        let base = object[field] ?? .null
        let fieldPath = "\(prefix).\(field)"
        let entries: [(JSONValue, String)]
        if isPerCandidate, let array = base.arrayValue {
            entries = array.enumerated().map { ($1, "\(fieldPath)[\($0)]") }
        } else {
            entries = [(base, fieldPath)]
        }
        return entries.map { entry, path in
            switch accessor {
            case .whole: (entry, path)
            case .key(let key): (entry.objectValue?[key] ?? .null, "\(path).\(key)")
            case .score(let dimension): (entry.objectValue?["scores"]?.objectValue?[dimension] ?? .null, "\(path).scores.\(dimension)")
            case .rewriteText: (entry.stringValue.map(JSONValue.string) ?? entry.objectValue?["text"] ?? .null, path)
            }
        }
    }
}

/// One condition of a rule: the value at `target` is one of `values` (for a list value, such as a multiple
/// choice or flags, the list holds one of them; for a per-candidate field, some candidate's does).
public struct RuleCondition: Sendable, Hashable {
    public var target: RuleTarget
    public var values: [JSONValue]

    public init(target: RuleTarget, values: [JSONValue]) {
        self.target = target
        self.values = values
    }

    /// The first place in the value where the condition holds, or nil.
    func match(in object: [String: JSONValue]) -> String? {
        for (value, path) in target.values(in: object) {
            let found = value.arrayValue.map { $0.contains(where: values.contains) } ?? values.contains(value)
            if found { return path }
        }
        return nil
    }

    /// `safety = 'unsafe'`, `quality.helpfulness = 4 or 5`.
    var description: String {
        "\(target.path) = \(values.map(RuleCondition.describe).joined(separator: " or "))"
    }

    static func describe(_ value: JSONValue) -> String {
        if let string = value.stringValue { return "'\(string)'" }
        return value.jsonText
    }
}

/// A rule that failed on an annotation.
public struct RuleViolation: Sendable, Hashable {
    /// The rule's index in the schema's `rules`.
    public var ruleIndex: Int
    public var severity: QualityRule.Severity
    /// The path to name in the error: `value.<field>…` or `time_spent_s`.
    public var field: String
    /// The rule's `message`, or a default that says what is wrong.
    public var message: String

    public init(ruleIndex: Int, severity: QualityRule.Severity, field: String, message: String) {
        self.ruleIndex = ruleIndex
        self.severity = severity
        self.field = field
        self.message = message
    }

    /// Whether the worker may confirm past it (the annotation is then marked for review).
    public var isSoft: Bool { severity == .soft }

    /// The violation as a field error, for a 422 body.
    public var fieldError: FieldError { FieldError(field: field, message: message) }
}

// MARK: - Checking

extension LabelSchema {
    /// Checks the schema's rules against a submitted value (run after `validate` found no error) and the worker's
    /// active time on the task in seconds. An empty result means every rule passed; otherwise hard violations
    /// refuse the submit and soft ones ask the worker to confirm.
    public func checkRules(value: JSONValue, timeSpentSeconds: Double) -> [RuleViolation] {
        let object = value.objectValue ?? [:]
        var violations: [RuleViolation] = []
        for (index, rule) in rules.enumerated() {
            violations += rule.violations(in: object, timeSpentSeconds: timeSpentSeconds, index: index)
        }
        return violations
    }
}

extension QualityRule {
    /// The places where this rule fails on a value.
    func violations(in object: [String: JSONValue], timeSpentSeconds: Double, index: Int) -> [RuleViolation] {
        var matches: [String] = []
        for condition in conditions {
            guard let path = condition.match(in: object) else { return [] }
            matches.append(path)
        }
        let condition = conditions.isEmpty ? "" : " when " + conditions.map(\.description).joined(separator: " and ")
        var found: [(field: String, message: String)] = []
        switch check {
        case .minimumLength(let target, let minimum):
            for (value, path) in target.values(in: object) {
                let length = value.stringValue?.trimmed.count ?? 0
                if length < minimum { found.append((path, "must be at least \(minimum) characters (has \(length))\(condition)")) }
            }
        case .required(let target):
            for (value, path) in target.values(in: object) where Self.isEmpty(value) {
                found.append((path, "is required\(condition)"))
            }
        case .forbid(let field):
            let path = field.map { "value.\($0)" } ?? matches.first ?? "value"
            found.append((path, "is not allowed in this combination: \(conditions.map(\.description).joined(separator: " with "))"))
        case .minimumBoxSize(let field, let minimumWidth, let minimumHeight):
            for (offset, element) in (object[field]?.arrayValue ?? []).enumerated() {
                guard let box = Self.boundingBox(element) else { continue }
                if box.width < minimumWidth || box.height < minimumHeight {
                    let size = "\(Self.format(box.width))×\(Self.format(box.height))"
                    found.append(("value.\(field)[\(offset)]",
                                  "is \(size) pixels, smaller than the minimum \(Self.format(minimumWidth))×\(Self.format(minimumHeight))"))
                }
            }
        case .minimumTime(let seconds):
            if !(timeSpentSeconds >= seconds) {
                found.append(("time_spent_s", "must be at least \(Self.format(seconds)) seconds of work on the task (was \(Self.format(timeSpentSeconds)))"))
            }
        }
        return found.map { RuleViolation(ruleIndex: index, severity: severity, field: $0.field, message: message ?? $0.message) }
    }

    /// Empty: null, blank text, an empty list, or an object whose members are all empty.
    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.trimmed.isEmpty
        case .array(let elements): elements.isEmpty
        case .object(let members): members.values.allSatisfy(isEmpty)
        case .bool, .number: false
        }
    }

    /// A box `{x, y, width, height}`, or the bounding box of a polygon `{points: [[x, y], …]}`.
    static func boundingBox(_ element: JSONValue) -> Box? {
        guard let object = element.objectValue else { return nil }
        if let width = object["width"]?.numberValue, let height = object["height"]?.numberValue {
            return Box(x: object["x"]?.numberValue ?? 0, y: object["y"]?.numberValue ?? 0, width: width, height: height)
        }
        guard let points = object["points"]?.arrayValue else { return nil }
        let polygon = Polygon(points.compactMap(PolygonsField.point))
        return polygon.points.isEmpty ? nil : polygon.boundingBox
    }

    /// A number for a message: whole numbers bare, others to one decimal.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "0" }
        return JSONValue.format(number: (number * 10).rounded() / 10)
    }
}

// MARK: - Parsing

extension QualityRule {
    /// What a target is read for, which decides the field types and members it may name.
    enum TargetUse {
        case text, presence, comparison
    }

    /// Reads the schema's `rules` array against the schema's fields, reporting problems under
    /// `<prefix>.rules[i].<key>`.
    static func parseAll(_ raw: JSONValue, fields: [Field], prefix: String) -> (rules: [QualityRule], errors: [FieldError]) {
        guard let list = raw.arrayValue else {
            return ([], [FieldError(field: "\(prefix).rules", message: "must be an array of rules")])
        }
        var rules: [QualityRule] = []
        var errors: [FieldError] = []
        for (index, element) in list.enumerated() {
            switch parse(element, fields: fields, path: "\(prefix).rules[\(index)]") {
            case .success(let rule): rules.append(rule)
            case .failure(let failure): errors += failure.errors
            }
        }
        return (rules, errors)
    }

    /// Reads one rule, checking that the fields it names exist and have a fitting type.
    public static func parse(_ raw: JSONValue, fields: [Field], path: String) -> Result<QualityRule, ValidationFailure> {
        guard let object = raw.objectValue else {
            return .failure(ValidationFailure([FieldError(field: path, message: "must be an object {type, ...}")]))
        }
        var reader = SettingsReader(object: object, path: path)
        let type = reader.string("type", required: true) ?? ""
        let severity = Severity(rawValue: reader.word("severity", allowed: Severity.allCases.map(\.rawValue), default: "hard")) ?? .hard
        let message = reader.string("message")
        if let message, message.trimmed.isEmpty { reader.fail("message", "must not be blank") }
        let conditions = readConditions(&reader, fields: fields, required: type == "forbid")
        var check: Check?
        let expected: String
        switch type {
        case "min_length":
            expected = "field, min"
            let target = readTarget(&reader, use: .text, fields: fields)
            let minimum = reader.integer("min", minimum: 1, required: true)
            if let target, let minimum { check = .minimumLength(target, minimum: minimum) }
        case "required":
            expected = "field"
            if let target = readTarget(&reader, use: .presence, fields: fields) { check = .required(target) }
        case "forbid":
            expected = "field"
            let field = reader.string("field")
            if let field, !fields.contains(where: { $0.name == field }) { reader.fail("field", "'\(field)' is not a field of this schema") }
            check = .forbid(field: field)
        case "min_box_size":
            expected = "field, min_width, min_height"
            let field = reader.string("field", required: true)
            if let field {
                switch fields.first(where: { $0.name == field })?.kind {
                case .boxes?, .polygons?: break
                case nil: reader.fail("field", "'\(field)' is not a field of this schema")
                case let kind?: reader.fail("field", "must name a boxes or polygons field ('\(field)' is a \(kind.typeName) field)")
                }
            }
            let width = readNumber(&reader, "min_width", above: nil) ?? 0
            let height = readNumber(&reader, "min_height", above: nil) ?? 0
            if reader.errors.isEmpty, width == 0, height == 0 { reader.fail("min_width", "give min_width or min_height (pixels)") }
            if let field { check = .minimumBoxSize(field: field, minimumWidth: width, minimumHeight: height) }
        case "min_time":
            expected = "seconds"
            if reader.object["seconds"] == nil || reader.object["seconds"] == .null { reader.fail("seconds", "is required") }
            if let seconds = readNumber(&reader, "seconds", above: 0) { check = .minimumTime(seconds: seconds) }
        case "":
            expected = ""
        default:
            expected = ""
            reader.fail("type", "'\(type)' is not a rule type (supported: \(supportedTypes.joined(separator: ", ")))")
        }
        if !type.isEmpty, supportedTypes.contains(type) {
            reader.rejectUnknownKeys(what: "a key of a \(type) rule (expected type, \(expected), when, severity, message)")
        }
        guard reader.errors.isEmpty, let check else { return .failure(ValidationFailure(reader.errors)) }
        return .success(QualityRule(check: check, conditions: conditions, severity: severity, message: message))
    }

    /// A non-negative number at `key` (greater than `above` when given); nil when absent or wrong.
    static func readNumber(_ reader: inout SettingsReader, _ key: String, above: Double?) -> Double? {
        guard let value = reader.value(key, required: false) else { return nil }
        guard let number = value.numberValue, number.isFinite else { reader.fail(key, "must be a number"); return nil }
        if let above, number <= above { reader.fail(key, "must be greater than \(JSONValue.format(number: above))"); return nil }
        if number < 0 { reader.fail(key, "must be at least 0"); return nil }
        return number
    }

    /// The rule's `field`, resolved for its use.
    static func readTarget(_ reader: inout SettingsReader, use: TargetUse, fields: [Field]) -> RuleTarget? {
        guard let path = reader.string("field", required: true) else { return nil }
        switch resolve(path, use: use, fields: fields) {
        case .success(let target): return target
        case .failure(let problem): reader.fail("field", problem.message); return nil
        }
    }

    /// The `when` object: each key a field path, each value a value or a list of values (any of them).
    static func readConditions(_ reader: inout SettingsReader, fields: [Field], required: Bool) -> [RuleCondition] {
        guard let members = reader.object("when", required: required) else { return [] }
        if members.isEmpty { reader.fail("when", "must list at least one field and its value") }
        var conditions: [RuleCondition] = []
        for key in members.keys.sorted() {
            let failurePath = "when.\(key)"
            let target: RuleTarget, field: Field
            switch resolveField(key, use: .comparison, fields: fields) {
            case .success(let found): (target, field) = found
            case .failure(let problem): reader.fail(failurePath, problem.message); continue
            }
            let raw = members[key] ?? .null
            let values = raw.arrayValue ?? [raw]
            if values.isEmpty { reader.fail(failurePath, "must list at least one value"); continue }
            var fitting = true
            for value in values {
                if let problem = problem(with: value, at: target, of: field) {
                    reader.fail(failurePath, problem)
                    fitting = false
                    break
                }
            }
            if fitting { conditions.append(RuleCondition(target: target, values: values)) }
        }
        return conditions
    }

    /// Why `value` can never be found at the target, or nil when it can.
    static func problem(with value: JSONValue, at target: RuleTarget, of field: Field) -> String? {
        func oneOf(_ allowed: [String], _ noun: String) -> String? {
            guard let string = value.stringValue, allowed.contains(string) else {
                return "\(RuleCondition.describe(value)) is not \(noun) of '\(field.name)' (\(allowed.joined(separator: ", ")))"
            }
            return nil
        }
        switch (field.kind, target.accessor) {
        case (.choice(let choice), _): return oneOf(choice.options.map(\.value), "an option")
        case (.flags(let flags), _): return oneOf(flags.flags.map(\.value), "a flag")
        case (.prompt(let prompt), _): return oneOf(prompt.tags.map(\.value), "a tag")
        case (.pairwise(let pairwise), .key("winner")): return oneOf(pairwise.judgement.winners, "a winner")
        case (.pairwise, _):
            guard let strength = value.intValue, Judgement.strengths.contains(strength) else { return "must be a strength: 1, 2 or 3" }
            return nil
        case (.rating(let rating), .score(let name)):
            guard let dimension = rating.dimensions.first(where: { $0.name == name }) else { return "is not a dimension" }
            guard let score = value.intValue, (dimension.minimum...dimension.maximum).contains(score) else {
                return "\(value.jsonText) is not a point of the scale \(dimension.minimum)...\(dimension.maximum)"
            }
            return nil
        default:
            return value.stringValue == nil ? "must be a string (or a list of strings)" : nil
        }
    }

    static func resolve(_ path: String, use: TargetUse, fields: [Field]) -> Result<RuleTarget, FieldError> {
        resolveField(path, use: use, fields: fields).map(\.0)
    }

    /// The target a path names for a use, with its field; the failure's message says what would fit.
    static func resolveField(_ path: String, use: TargetUse, fields: [Field]) -> Result<(RuleTarget, Field), FieldError> {
        let parts = path.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let member = parts.count > 1 ? parts[1] : nil
        func failure(_ message: String) -> Result<(RuleTarget, Field), FieldError> { .failure(FieldError(field: path, message: message)) }
        guard let field = fields.first(where: { $0.name == name }) else { return failure("'\(name)' is not a field of this schema") }
        func target(_ accessor: RuleTarget.Accessor, perCandidate: Bool = false) -> Result<(RuleTarget, Field), FieldError> {
            .success((RuleTarget(field: name, member: member, accessor: accessor, isPerCandidate: perCandidate), field))
        }
        func noMember(_ members: [String]) -> Result<(RuleTarget, Field), FieldError> {
            let listed = members.isEmpty ? "" : " (use \(members.map { "\(name).\($0)" }.joined(separator: ", ")))"
            return failure("'\(path)' is not a part of the \(field.typeName) field '\(name)'\(listed)")
        }
        switch use {
        case .text:
            switch (field.kind, member) {
            case (.text, nil), (.translation, nil): return target(.whole)
            case (.rewrite, nil), (.rewrite, "text"?): return target(.rewriteText)
            case (.prompt, nil), (.prompt, "prompt"?): return target(.key("prompt"))
            case (.prompt, "answer"?): return target(.key("answer"))
            case (.rating(let rating), nil), (.rating(let rating), "justification"?): return target(.key("justification"), perCandidate: rating.items != nil)
            case (.pairwise, nil), (.pairwise, "reason"?): return target(.key("reason"))
            case (.text, _), (.translation, _): return noMember([])
            case (.rewrite, _): return noMember(["text"])
            case (.prompt, _): return noMember(["prompt", "answer"])
            case (.rating, _): return noMember(["justification"])
            case (.pairwise, _): return noMember(["reason"])
            default:
                return failure("must name text: a text, translation, rewrite or prompt field, a rating's justification or a pairwise reason ('\(name)' is a \(field.typeName) field)")
            }
        case .presence:
            switch (field.kind, member) {
            case (_, nil): return target(.whole)
            case (.rating(let rating), "justification"?): return target(.key("justification"), perCandidate: rating.items != nil)
            case (.rating(let rating), let dimension?) where rating.dimensions.contains(where: { $0.name == dimension }):
                return target(.score(dimension), perCandidate: rating.items != nil)
            case (.rating(let rating), _): return noMember(["justification"] + rating.dimensions.map(\.name))
            case (.pairwise, let key?) where ["winner", "strength", "reason"].contains(key): return target(.key(key))
            case (.pairwise, _): return noMember(["winner", "strength", "reason"])
            case (.prompt, let key?) where ["prompt", "answer", "tags"].contains(key): return target(.key(key))
            case (.prompt, _): return noMember(["prompt", "answer", "tags"])
            case (.rewrite, "text"?): return target(.rewriteText)
            case (.rewrite, _): return noMember(["text"])
            default: return noMember([])
            }
        case .comparison:
            switch (field.kind, member) {
            case (.choice, nil), (.text, nil), (.translation, nil): return target(.whole)
            case (.flags(let flags), nil): return target(.whole, perCandidate: flags.items != nil)
            case (.rating(let rating), let dimension?) where rating.dimensions.contains(where: { $0.name == dimension }):
                return target(.score(dimension), perCandidate: rating.items != nil)
            case (.rating(let rating), _):
                return failure("must name a dimension of the rating '\(name)' (\(rating.dimensions.map { "\(name).\($0.name)" }.joined(separator: ", ")))")
            case (.pairwise, nil), (.pairwise, "winner"?): return target(.key("winner"))
            case (.pairwise, "strength"?): return target(.key("strength"))
            case (.pairwise, _): return noMember(["winner", "strength"])
            case (.prompt, "tags"?): return target(.key("tags"))
            case (.prompt, _): return noMember(["tags"])
            case (.choice, _), (.text, _), (.translation, _), (.flags, _): return noMember([])
            default:
                return failure("cannot be compared in a rule: compare a choice, flags, text or translation field, a rating's dimension, a pairwise winner or strength, or a prompt's tags ('\(name)' is a \(field.typeName) field)")
            }
        }
    }
}

// MARK: - JSON

extension QualityRule {
    /// The rule's canonical JSON form (what `parse` reads).
    public var json: JSONValue {
        var object: [String: JSONValue] = ["type": .string(typeName), "severity": .string(severity.rawValue)]
        if let message { object["message"] = .string(message) }
        switch check {
        case .minimumLength(let target, let minimum):
            object["field"] = .string(target.path)
            object["min"] = .number(Double(minimum))
        case .required(let target):
            object["field"] = .string(target.path)
        case .forbid(let field):
            if let field { object["field"] = .string(field) }
        case .minimumBoxSize(let field, let minimumWidth, let minimumHeight):
            object["field"] = .string(field)
            object["min_width"] = .number(minimumWidth)
            object["min_height"] = .number(minimumHeight)
        case .minimumTime(let seconds):
            object["seconds"] = .number(seconds)
        }
        if !conditions.isEmpty {
            object["when"] = .object(Dictionary(conditions.map { ($0.target.path, $0.values.count == 1 ? $0.values[0] : .array($0.values)) },
                                                uniquingKeysWith: { first, _ in first }))
        }
        return .object(object)
    }
}
