import Foundation
import GlossCore
import GlossStore
import Vapor

/// What the command line does, over the same services as the API.
public enum GlossAdministration {
    public static func createUser(_ app: Application, email: String, password: String, role: Role,
                                  organization: String?, name: String?) async throws -> UserModel {
        try AccountRules.checkPassword(password)
        var organizationID: UUID?
        if let organization {
            organizationID = try await app.gloss.accounts.organization(named: organization, creatingIfMissing: true)?.id
        }
        let hash = try await app.password.async.hash(password)
        return try await app.gloss.accounts.createUser(email: email, name: name ?? email, passwordHash: hash,
                                                       role: role, organizationID: organizationID)
    }

    public static func createToken(_ app: Application, email: String, name: String) async throws -> String {
        guard let user = try await app.gloss.accounts.user(email: email) else {
            throw FieldError(field: "email", message: "no user has the e-mail \(email)")
        }
        return try await app.gloss.accounts.createToken(userID: user.requireID(), name: name)
    }

    public static func importTasks<Chunks: AsyncSequence & Sendable>(_ app: Application, projectID: UUID, format: ImportFormat,
                                                                      chunks: Chunks) async throws -> Int where Chunks.Element: Collection<UInt8> {
        guard let project = try await app.gloss.projects.find(id: projectID) else {
            throw FieldError(field: "project", message: "no project has the id \(projectID.text)")
        }
        return try await ImportService(context: app.gloss).importTasks(into: project, format: format, chunks: chunks)
    }

    /// Streams an export to `write`; returns the number of tasks.
    public static func export(_ app: Application, projectID: UUID, format: ExportFormat, includesImages: Bool = false,
                              write: ([UInt8]) throws -> Void) async throws -> Int {
        guard let project = try await app.gloss.projects.find(id: projectID) else {
            throw FieldError(field: "project", message: "no project has the id \(projectID.text)")
        }
        let schema = try app.gloss.schemas.schema(of: project)
        if let reason = format.unavailableReason(for: schema) {
            throw FieldError(field: "format", message: "'\(format.rawValue)' \(reason)")
        }
        return try await ExportService(context: app.gloss).export(projectID: projectID, format: format, schema: schema,
                                                                   includesImages: includesImages, write: write)
    }
}
