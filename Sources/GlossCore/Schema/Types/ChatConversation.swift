/// The conversation of a `chat` field while a worker holds the task: the finished turns and the pending one
/// (the worker's message and the two replies waiting for a choice). Stored as
/// `{"turns": [...], "pending": null | {user, candidates}}`; what is annotated is `{"turns": [...]}`.
public struct ChatConversation: Sendable, Equatable {
    public var turns: [JSONValue] = []
    public var pending: Pending?

    public struct Pending: Sendable, Equatable {
        public var user: String
        public var candidates: [String]

        public init(user: String, candidates: [String]) {
            self.user = user
            self.candidates = candidates
        }
    }

    /// Why a step is refused in the conversation's current state.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case choiceFirst
        case allTurnsDone(Int)
        case nothingPending

        public var description: String {
            switch self {
            case .choiceFirst: "Choose between the two replies of this turn before you send the next message."
            case .allTurnsDone(let turns): "This conversation has its \(turns) turns; submit the task."
            case .nothingPending: "There is no pending turn to choose in: send a message first."
            }
        }
    }

    public init() {}

    /// The stored state (nil or unreadable text: a conversation not begun).
    public init(stored text: String?) {
        guard let text, let object = (try? JSONValue.parse(text))?.objectValue else { return }
        turns = object["turns"]?.arrayValue ?? []
        if let pending = object["pending"]?.objectValue, let user = pending["user"]?.stringValue,
           let candidates = pending["candidates"]?.arrayValue?.compactMap(\.stringValue), candidates.count == 2 {
            self.pending = Pending(user: user, candidates: candidates)
        }
    }

    public var stored: JSONValue { .object(["turns": .array(turns), "pending": pendingJSON]) }

    public var pendingJSON: JSONValue {
        guard let pending else { return .null }
        return .object(["user": .string(pending.user), "candidates": .array(pending.candidates.map { .string($0) })])
    }

    /// The field's annotation value.
    public var value: JSONValue { .object(["turns": .array(turns)]) }

    /// Why the worker may not send another message under the field's rules; nil when they may.
    public func refusalToSend(in field: ChatField) -> Refusal? {
        if pending != nil { return .choiceFirst }
        if turns.count >= field.maximumTurns { return .allTurnsDone(field.maximumTurns) }
        return nil
    }

    /// Closes the pending turn with the worker's choice `{winner, strength?, reason?, reply?}`.
    public mutating func choose(_ choice: [String: JSONValue], in field: ChatField) throws -> JSONValue {
        guard let pending else { throw Refusal.nothingPending }
        let turn = try field.turn(choosing: choice, user: pending.user, candidates: pending.candidates, path: "choice").get()
        turns.append(turn)
        self.pending = nil
        return turn
    }
}
