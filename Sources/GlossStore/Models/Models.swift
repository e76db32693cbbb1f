import FluentKit
import Foundation

// Times are stored as seconds since 1970 (Double) on both SQLite and PostgreSQL, so the raw SQL of the hot
// paths and the models read them the same way.

public final class OrganizationModel: Model, @unchecked Sendable {
    public static let schema = "organizations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "created_at") public var createdAt: Double

    public init() {}

    public init(id: UUID? = nil, name: String, createdAt: Double = Date().timeIntervalSince1970) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: String
    @OptionalField(key: "organization_id") public var organizationID: UUID?
    @Field(key: "hotkeys") public var hotkeysJSON: String
    @Field(key: "created_at") public var createdAt: Double
    /// A worker's standing: applicant, assessing, approved, rejected or suspended (`WorkerStatus`).
    @Field(key: "worker_status") public var workerStatus: String

    public init() {}

    public init(id: UUID? = nil, email: String, name: String, passwordHash: String, role: String,
                organizationID: UUID?, hotkeysJSON: String = "{}", createdAt: Double = Date().timeIntervalSince1970,
                workerStatus: String = "approved") {
        self.workerStatus = workerStatus
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.organizationID = organizationID
        self.hotkeysJSON = hotkeysJSON
        self.createdAt = createdAt
    }
}

public final class SessionModel: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Double
    @Field(key: "expires_at") public var expiresAt: Double

    public init() {}

    public init(tokenHash: String, userID: UUID, csrfToken: String, createdAt: Double, expiresAt: Double) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Double

    public init() {}

    public init(userID: UUID, name: String, tokenHash: String, createdAt: Double = Date().timeIntervalSince1970) {
        self.userID = userID
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
    }
}

public final class LoginFailureModel: Model, @unchecked Sendable {
    public static let schema = "login_failures"
    @ID(custom: "email", generatedBy: .user) public var id: String?
    @Field(key: "failures") public var failures: Int
    @Field(key: "locked_until") public var lockedUntil: Double

    public init() {}

    public init(email: String, failures: Int, lockedUntil: Double) {
        self.id = email
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

public final class ProjectModel: Model, @unchecked Sendable {
    public static let schema = "projects"
    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "schema") public var schemaJSON: String
    @Field(key: "guidelines") public var guidelines: String
    @Field(key: "overlap") public var overlap: Int
    @Field(key: "lease_seconds") public var leaseSeconds: Int
    @Field(key: "status") public var status: String
    @Field(key: "next_task_seq") public var nextTaskSeq: Int64
    @Field(key: "tasks_total") public var tasksTotal: Int
    @Field(key: "tasks_done") public var tasksDone: Int
    @Field(key: "annotations_count") public var annotationsCount: Int
    @Field(key: "created_at") public var createdAt: Double
    @Field(key: "updated_at") public var updatedAt: Double
    /// The quality policy as the requester wrote it (JSON; `{}` means every default).
    @Field(key: "quality_policy") public var qualityPolicyJSON: String
    @Field(key: "guidelines_version") public var guidelinesVersion: Int
    /// Who may work on it (JSON `ProjectRequirements`; `{}` = any approved worker).
    @Field(key: "requirements") public var requirementsJSON: String
    /// Pay per hour in cents; nil = the base rate of the tracks it requires.
    @OptionalField(key: "rate_cents") public var rateCents: Int?
    /// Whether and how it appears on the public job board (JSON).
    @Field(key: "listing") public var listingJSON: String
    /// The requester's estimate of the time a task takes.
    @OptionalField(key: "expected_seconds") public var expectedSeconds: Int?

    public init() {}

    public init(id: UUID? = nil, organizationID: UUID, name: String, schemaJSON: String, guidelines: String,
                overlap: Int, leaseSeconds: Int, status: String = "open", qualityPolicyJSON: String = "{}",
                now: Double = Date().timeIntervalSince1970) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.schemaJSON = schemaJSON
        self.guidelines = guidelines
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
        self.status = status
        self.nextTaskSeq = 1
        self.tasksTotal = 0
        self.tasksDone = 0
        self.annotationsCount = 0
        self.createdAt = now
        self.updatedAt = now
        self.qualityPolicyJSON = qualityPolicyJSON
        self.guidelinesVersion = 1
        self.requirementsJSON = "{}"
        self.rateCents = nil
        self.listingJSON = "{}"
        self.expectedSeconds = nil
    }
}
