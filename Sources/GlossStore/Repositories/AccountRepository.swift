import Crypto
import FluentKit
import Foundation
import GlossCore
import SQLKit

/// Users, organizations, sessions, API tokens and sign-in throttling.
public struct AccountRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var database: any Database { store.database }

    // MARK: Organizations and users

    public func organization(named name: String, creatingIfMissing: Bool) async throws -> OrganizationModel? {
        if let existing = try await OrganizationModel.query(on: database).filter(\.$name == name).first() {
            return existing
        }
        guard creatingIfMissing else { return nil }
        let organization = OrganizationModel(name: name)
        try await organization.create(on: database)
        return organization
    }

    public func organization(id: UUID) async throws -> OrganizationModel? {
        try await OrganizationModel.find(id, on: database)
    }

    /// Creates a user. The password must already be hashed (Bcrypt is the server's business).
    public func createUser(email: String, name: String, passwordHash: String, role: Role, organizationID: UUID?,
                           workerStatus: WorkerStatus = .approved) async throws -> UserModel {
        guard let normalized = AccountRules.normalizedEmail(email) else {
            throw FieldError(field: "email", message: "'\(email)' is not an e-mail address")
        }
        if try await user(email: normalized) != nil {
            throw FieldError(field: "email", message: "a user with this e-mail already exists")
        }
        let user = UserModel(email: normalized, name: name, passwordHash: passwordHash, role: role.rawValue, organizationID: organizationID,
                             workerStatus: workerStatus.rawValue)
        try await user.create(on: database)
        return user
    }

    public func user(email: String) async throws -> UserModel? {
        guard let normalized = AccountRules.normalizedEmail(email) else { return nil }
        return try await UserModel.query(on: database).filter(\.$email == normalized).first()
    }

    public func user(id: UUID) async throws -> UserModel? {
        try await UserModel.find(id, on: database)
    }

    public func updateHotkeys(userID: UUID, hotkeysJSON: String) async throws {
        try await UserModel.query(on: database).filter(\.$id == userID).set(\.$hotkeysJSON, to: hotkeysJSON).update()
    }

    // MARK: Secrets

    /// A new random secret (256 bits, URL-safe) with a readable prefix.
    public static func makeSecret(prefix: String) -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let encoded = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// Tokens and session ids are stored as their SHA-256, so a copy of the database opens no account.
    public static func hash(secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: API tokens

    /// Creates an API token and returns it; only its hash is stored.
    public func createToken(userID: UUID, name: String) async throws -> String {
        let token = Self.makeSecret(prefix: "gls_")
        try await APITokenModel(userID: userID, name: name, tokenHash: Self.hash(secret: token)).create(on: database)
        return token
    }

    public func user(token: String) async throws -> UserModel? {
        // Every API request comes through here: one raw query (a Fluent model query costs several times more).
        let row = try await store.sql.raw("""
            SELECT \(unsafeRaw: Self.userColumns) FROM users u JOIN api_tokens t ON t.user_id = u.id
            WHERE t.token_hash = \(bind: Self.hash(secret: token))
            """).first()
        return try row.map(Self.user(from:))
    }

    // MARK: Sessions

    public struct NewSession: Sendable {
        public var token: String
        public var csrfToken: String
        public var expiresAt: Double
    }

    public static let sessionLifetime: Double = 14 * 24 * 3600

    public func createSession(userID: UUID) async throws -> NewSession {
        let token = Self.makeSecret(prefix: "")
        let csrf = Self.makeSecret(prefix: "")
        let now = Store.now()
        let session = SessionModel(tokenHash: Self.hash(secret: token), userID: userID, csrfToken: csrf,
                                   createdAt: now, expiresAt: now + Self.sessionLifetime)
        try await session.create(on: database)
        return NewSession(token: token, csrfToken: csrf, expiresAt: session.expiresAt)
    }

    /// The user and the session's CSRF token for a cookie value, when the session exists and has not expired.
    public func session(token: String) async throws -> (user: UserModel, csrfToken: String)? {
        let row = try await store.sql.raw("""
            SELECT \(unsafeRaw: Self.userColumns), s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: Self.hash(secret: token)) AND s.expires_at > \(bind: Store.now())
            """).first()
        guard let row else { return nil }
        return (try Self.user(from: row), try row.text("csrf_token"))
    }

    static let userColumns = "u.id, u.email, u.name, u.password_hash, u.role, u.organization_id, u.hotkeys, u.created_at, u.worker_status"

    static func user(from row: any SQLRow) throws -> UserModel {
        let organizationID = try row.decodeNil(column: "organization_id") ? nil : try row.uuid("organization_id")
        return UserModel(id: try row.uuid("id"), email: try row.text("email"), name: try row.text("name"),
                         passwordHash: try row.text("password_hash"), role: try row.text("role"),
                         organizationID: organizationID, hotkeysJSON: try row.text("hotkeys"),
                         createdAt: try row.double("created_at"), workerStatus: try row.text("worker_status"))
    }

    public func deleteSession(token: String) async throws {
        try await SessionModel.query(on: database).filter(\.$tokenHash == Self.hash(secret: token)).delete()
    }

    // MARK: Sign-in throttling

    /// Seconds until this e-mail may try again, 0 when it may now.
    public func lockout(email: String) async throws -> Double {
        guard let record = try await LoginFailureModel.find(email, on: database) else { return 0 }
        return max(0, record.lockedUntil - Store.now())
    }

    public func recordFailedLogin(email: String) async throws {
        let now = Store.now()
        if let record = try await LoginFailureModel.find(email, on: database) {
            record.failures += 1
            record.lockedUntil = now + LoginThrottle.delay(afterFailures: record.failures)
            try await record.update(on: database)
        } else {
            try await LoginFailureModel(email: email, failures: 1, lockedUntil: now + LoginThrottle.delay(afterFailures: 1))
                .create(on: database)
        }
    }

    public func clearFailedLogins(email: String) async throws {
        try await LoginFailureModel.query(on: database).filter(\.$id == email).delete()
    }
}
