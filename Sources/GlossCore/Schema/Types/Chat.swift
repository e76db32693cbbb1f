/// A live conversation with a model endpoint of the project: each turn the worker's message, two replies
/// from two separate requests, which one is better (how much, why) and the reply the conversation went on
/// with (the chosen one, or the worker's edit of it). Value: `{"turns": [{user, candidates, winner,
/// strength?, reason?, reply, edited}]}`.
public struct ChatField: Sendable, Hashable {
    /// The name of a `chat` model endpoint of the project.
    public var endpoint: String
    public var minimumTurns: Int
    public var maximumTurns: Int
    public var system: String?
    public var systemKey: String?
    public var hasStrength: Bool
    public var reason: Requirement
    public var reasonMinimumLength: Int
    public var allowsEdit: Bool

    public static let maximumMessageLength = 20_000

    init(reading reader: inout SettingsReader) {
        endpoint = reader.string("endpoint", required: true) ?? ""
        minimumTurns = reader.integer("min_turns", minimum: 0) ?? 1
        maximumTurns = reader.integer("max_turns", minimum: 1) ?? max(5, minimumTurns)
        if minimumTurns > maximumTurns { reader.fail("min_turns", "must not be greater than max_turns") }
        if maximumTurns > 50 { reader.fail("max_turns", "must be at most 50") }
        system = reader.string("system")
        systemKey = reader.dataKey("system_key", required: false)
        if system != nil, systemKey != nil { reader.fail("system_key", "give either system or system_key, not both") }
        hasStrength = reader.bool("strength") ?? true
        reason = Requirement(rawValue: reader.word("reason", allowed: ["required", "optional", "none"], default: "required"))!
        reasonMinimumLength = reader.integer("reason_min_length", minimum: 0) ?? 10
        allowsEdit = reader.bool("edit") ?? true
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "endpoint": .string(endpoint), "min_turns": .number(Double(minimumTurns)), "max_turns": .number(Double(maximumTurns)),
            "strength": .bool(hasStrength), "reason": .string(reason.rawValue), "reason_min_length": .number(Double(reasonMinimumLength)),
            "edit": .bool(allowsEdit),
        ]
        if let system { object["system"] = .string(system) }
        if let systemKey { object["system_key"] = .string(systemKey) }
        return object
    }

    var judgement: Judgement {
        Judgement(winners: ["a", "b"], hasStrength: hasStrength, reason: reason, reasonMinimumLength: reasonMinimumLength)
    }

    /// The system prompt for a task, if any.
    public func systemPrompt(data: [String: JSONValue]) -> String? {
        if let system { return system }
        if let systemKey, let text = data[systemKey]?.stringValue, !text.isEmpty { return text }
        return nil
    }

    /// What the model is sent for the next reply: the system prompt, each finished turn as the user's
    /// message and the reply it went on with, then the new message.
    public func messages(turns: [JSONValue], next: String, data: [String: JSONValue]) -> [JSONValue] {
        func message(_ role: String, _ content: String) -> JSONValue { .object(["role": .string(role), "content": .string(content)]) }
        var messages: [JSONValue] = []
        if let system = systemPrompt(data: data) { messages.append(message("system", system)) }
        for turn in turns {
            guard let object = turn.objectValue, let user = object["user"]?.stringValue, let reply = object["reply"]?.stringValue else { continue }
            messages.append(message("user", user))
            messages.append(message("assistant", reply))
        }
        messages.append(message("user", next))
        return messages
    }

    /// A message the worker sends: text, not blank, not too long.
    public static func checkMessage(_ text: String?, path: String) -> FieldError? {
        guard let text, !text.trimmed.isEmpty else { return FieldError(field: path, message: "is required: write a message") }
        if text.count > maximumMessageLength { return FieldError(field: path, message: "must be at most \(maximumMessageLength) characters (has \(text.count))") }
        return nil
    }

    /// The worker's choice between the two pending candidates, as a finished turn, or the errors in it.
    /// Keys: `winner`, `strength`, `reason`, `reply` (the edited text of the chosen candidate).
    public func turn(choosing choice: [String: JSONValue], user: String, candidates: [String], path: String = "choice") -> Result<JSONValue, ValidationFailure> {
        var reader = SettingsReader(object: choice, path: path)
        let winner = reader.string("winner", required: true)
        let strength = reader.value("strength", required: false)
        let reasonText = reader.string("reason")
        let edited = reader.string("reply")
        reader.rejectUnknownKeys(what: "a key of a choice (expected winner, strength, reason, reply)")
        judgement.check(winner: winner, strength: strength, reason: reasonText, reader: &reader)
        if edited != nil, !allowsEdit { reader.fail("reply", "this field does not let the reply be edited") }
        if let edited, edited.trimmed.isEmpty { reader.fail("reply", "must not be empty") }
        if let edited, edited.count > Self.maximumMessageLength { reader.fail("reply", "must be at most \(Self.maximumMessageLength) characters") }
        guard reader.errors.isEmpty, let winner else { return .failure(ValidationFailure(reader.errors)) }
        let chosen = candidates[winner == "a" ? 0 : 1]
        var turn: [String: JSONValue] = [
            "user": .string(user), "candidates": .array(candidates.map { .string($0) }), "winner": .string(winner),
            "reply": .string(edited ?? chosen), "edited": .bool(edited != nil && edited != chosen),
        ]
        if let strength { turn["strength"] = strength }
        if let reasonText { turn["reason"] = .string(reasonText) }
        return .success(.object(turn))
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        guard let object = value.objectValue, let turns = object["turns"]?.arrayValue else {
            return [FieldError(field: path, message: "must be a conversation {turns: [...]}, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        for key in object.keys.sorted() where key != "turns" {
            errors.append(FieldError(field: "\(path).\(key)", message: "is not a key of a conversation (expected turns)"))
        }
        for (index, turn) in turns.enumerated() {
            let turnPath = "\(path).turns[\(index)]"
            guard var members = turn.objectValue else {
                errors.append(FieldError(field: turnPath, message: "must be a turn {user, candidates, winner, strength?, reason?, reply, edited}"))
                continue
            }
            let user = members.removeValue(forKey: "user")?.stringValue
            let candidates = members.removeValue(forKey: "candidates")?.arrayValue?.compactMap(\.stringValue) ?? []
            let reply = members["reply"]?.stringValue
            let editedFlag = members.removeValue(forKey: "edited")?.boolValue ?? false
            if user == nil { errors.append(FieldError(field: "\(turnPath).user", message: "is required: the worker's message")) }
            guard candidates.count == 2 else {
                errors.append(FieldError(field: "\(turnPath).candidates", message: "must be the two replies of the turn"))
                continue
            }
            if !editedFlag, members["reply"] != nil, let winner = members["winner"]?.stringValue, ["a", "b"].contains(winner) {
                members.removeValue(forKey: "reply")
                if reply != candidates[winner == "a" ? 0 : 1] {
                    errors.append(FieldError(field: "\(turnPath).reply", message: "is not the chosen reply (set edited: true for an edit)"))
                }
            }
            if case .failure(let failure) = self.turn(choosing: members, user: user ?? "", candidates: candidates, path: turnPath) {
                errors += failure.errors
            }
        }
        if turns.count > maximumTurns {
            errors.append(FieldError(field: "\(path).turns", message: "has \(turns.count) turns; the most is \(maximumTurns)"))
        }
        if (isRequired || !turns.isEmpty), turns.count < minimumTurns {
            errors.append(FieldError(field: "\(path).turns", message: "has \(turns.count) turns; at least \(minimumTurns) are asked for"))
        }
        return errors
    }

    /// The conversational preference pairs of a conversation: a pair per turn (TRL's conversational shape).
    public func preferencePairs(_ value: JSONValue, data: [String: JSONValue]) -> [(prompt: [JSONValue], chosen: String, rejected: String, turn: [String: JSONValue])] {
        guard let turns = value.objectValue?["turns"]?.arrayValue else { return [] }
        var pairs: [(prompt: [JSONValue], chosen: String, rejected: String, turn: [String: JSONValue])] = []
        for (index, turn) in turns.enumerated() {
            guard let object = turn.objectValue, let user = object["user"]?.stringValue, let reply = object["reply"]?.stringValue,
                  let candidates = object["candidates"]?.arrayValue?.compactMap(\.stringValue), candidates.count == 2,
                  let winner = object["winner"]?.stringValue else { continue }
            let rejected = candidates[winner == "a" ? 1 : 0]
            guard rejected != reply else { continue }
            pairs.append((messages(turns: Array(turns[..<index]), next: user, data: data), reply, rejected, object))
        }
        return pairs
    }
}
