import Foundation
import SQLKit

/// The conversations of `chat` fields, kept per task, worker and field while the worker holds the task.
public struct ChatRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The saved state (JSON text), if the conversation has begun.
    public func state(taskID: UUID, workerID: UUID, field: String) async throws -> String? {
        try await store.sql.raw("""
            SELECT state FROM chat_sessions WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID)) AND field = \(bind: field)
            """).first()?.text("state")
    }

    /// Every saved conversation of the worker on the task, by field.
    public func states(taskID: UUID, workerID: UUID) async throws -> [String: String] {
        var states: [String: String] = [:]
        for row in try await store.sql.raw("""
            SELECT field, state FROM chat_sessions WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID))
            """).all() {
            states[try row.text("field")] = try row.text("state")
        }
        return states
    }

    /// Saves the state, only while the worker holds an active lease on the task (one statement).
    public func save(taskID: UUID, workerID: UUID, field: String, state: String) async throws {
        let now = Store.now()
        let saved = try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO chat_sessions (task_id, worker_id, field, state, updated_at)
                SELECT task_id, worker_id, \(bind: field), \(bind: state), \(bind: now) FROM assignments
                WHERE task_id = \(bind: store.id(taskID)) AND worker_id = \(bind: store.id(workerID)) AND status = 'active'
                ON CONFLICT (task_id, worker_id, field) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                RETURNING task_id
                """).all().count
        }
        guard saved == 1 else { throw LeaseError.noLease }
    }
}
