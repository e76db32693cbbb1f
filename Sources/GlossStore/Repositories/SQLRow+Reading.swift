import Foundation
import SQLKit

/// Fast, dialect-neutral reads of the column types Gloss uses. Ids are read as text first (SQLite stores them
/// as text, and a direct `String` read skips the generic `Decoder` path, which costs microseconds a column),
/// falling back to the driver's `UUID` (PostgreSQL's `uuid`).
extension SQLRow {
    func uuid(_ column: String) throws -> UUID {
        if let text = try? decode(column: column, as: String.self), let id = UUID(uuidString: text) {
            return id
        }
        return try decode(column: column, as: UUID.self)
    }

    /// An id as lower-case text, without parsing it (the export writes ids as text anyway).
    func uuidText(_ column: String) throws -> String {
        if let text = try? decode(column: column, as: String.self) {
            return text.lowercased()
        }
        return try decode(column: column, as: UUID.self).uuidString.lowercased()
    }

    func text(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }

    func int(_ column: String) throws -> Int {
        try decode(column: column, as: Int.self)
    }

    func int64(_ column: String) throws -> Int64 {
        try decode(column: column, as: Int64.self)
    }

    func double(_ column: String) throws -> Double {
        try decode(column: column, as: Double.self)
    }
}
