import Foundation
import GlossCore
import SQLKit

/// The workforce's storage: applications and profiles, status history, notifications and the outbox, tracks,
/// assessments and attempts, grades, qualifications, credentials, alerts and the audit log. Functions taking
/// `on sql` run inside a caller's `store.write` transaction.
public struct WorkforceRepository: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    var sql: any SQLDatabase { store.sql }

    func id(_ value: UUID) -> any Encodable & Sendable { store.id(value) }

    func maybeID(_ value: UUID?) -> any Encodable & Sendable { store.isSQLite ? value?.uuidString : value }

    // MARK: Applications

    public struct ProfileRow: Sendable {
        public var userID: UUID
        public var profileJSON: String
        public var path: String
        public var country: String?
        public var hoursPerWeek: Int
        public var submittedAt: Double?
        public var updatedAt: Double
        public var alerts: Bool
        public var unsubscribeToken: String
    }

    public struct NewApplicant: Sendable {
        public var email: String
        public var name: String
        public var passwordHash: String
        public var profile: WorkerProfile
        public init(email: String, name: String, passwordHash: String, profile: WorkerProfile) {
            self.email = email
            self.name = name
            self.passwordHash = passwordHash
            self.profile = profile
        }
    }

    /// Creates a worker account in status applicant with its draft profile, in one transaction. A taken e-mail
    /// throws a conflict (also when two sign-ups race: the unique index decides).
    public func createApplicant(_ applicant: NewApplicant, now: Double) async throws -> UUID {
        guard let email = AccountRules.normalizedEmail(applicant.email) else {
            throw FieldError(field: "email", message: "'\(applicant.email)' is not an e-mail address")
        }
        let userID = UUID()
        let taken = try await sql.raw("SELECT id FROM users WHERE email = \(bind: email)").first() != nil
        if taken { throw StoreError.conflict("a user with this e-mail already exists") }
        do {
            try await store.write { sql in
                try await sql.raw("""
                    INSERT INTO users (id, email, name, password_hash, role, organization_id, hotkeys, created_at, worker_status)
                    VALUES (\(bind: id(userID)), \(bind: email), \(bind: applicant.name), \(bind: applicant.passwordHash), 'worker', NULL, '{}',
                    \(bind: now), 'applicant')
                    """).run()
                try await insertProfile(userID: userID, profile: applicant.profile, now: now, on: sql)
                try await recordStatus(userID: userID, from: nil, to: .applicant, reason: nil, actorID: nil, now: now, on: sql)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            if try await sql.raw("SELECT id FROM users WHERE email = \(bind: email)").first() != nil {
                throw StoreError.conflict("a user with this e-mail already exists")
            }
            throw error
        }
        return userID
    }

    func insertProfile(userID: UUID, profile: WorkerProfile, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO worker_profiles (user_id, profile, path, country, hours_per_week, submitted_at, updated_at, alerts, unsubscribe_token)
            VALUES (\(bind: id(userID)), \(bind: profile.json.jsonText), \(bind: profile.path.rawValue), \(bind: profile.country),
            \(bind: profile.hoursPerWeek ?? 0), NULL, \(bind: now), 0, \(bind: AccountRepository.makeSecret(prefix: "")))
            """).run()
    }

    /// A worker's profile; a worker made by an admin gets an empty one on first use.
    public func profile(userID: UUID) async throws -> ProfileRow {
        if let row = try await profileRow(userID: userID) { return row }
        try await store.write { sql in
            if try await sql.raw("SELECT user_id FROM worker_profiles WHERE user_id = \(bind: id(userID))").first() == nil {
                try await insertProfile(userID: userID, profile: WorkerProfile(), now: Store.now(), on: sql)
            }
        }
        guard let row = try await profileRow(userID: userID) else { throw StoreError.notFound("no profile") }
        return row
    }

    func profileRow(userID: UUID) async throws -> ProfileRow? {
        try await sql.raw("""
            SELECT user_id, profile, path, country, hours_per_week, submitted_at, updated_at, alerts, unsubscribe_token
            FROM worker_profiles WHERE user_id = \(bind: id(userID))
            """).first().map(Self.profile(from:))
    }

    static func profile(from row: any SQLRow) throws -> ProfileRow {
        ProfileRow(userID: try row.uuid("user_id"), profileJSON: try row.text("profile"), path: try row.text("path"),
                   country: try row.optionalText("country"), hoursPerWeek: try row.int("hours_per_week"),
                   submittedAt: try row.optionalDouble("submitted_at"), updatedAt: try row.double("updated_at"),
                   alerts: try row.int("alerts") != 0, unsubscribeToken: try row.text("unsubscribe_token"))
    }

    /// Saves a profile (a draft, or the submitted application with `submittedAt`), and the name when given.
    public func saveProfile(userID: UUID, profile: WorkerProfile, name: String?, submittedAt: Double?, now: Double) async throws {
        _ = try await self.profile(userID: userID)
        try await store.write { sql in
            try await sql.raw("""
                UPDATE worker_profiles SET profile = \(bind: profile.json.jsonText), path = \(bind: profile.path.rawValue),
                country = \(bind: profile.country), hours_per_week = \(bind: profile.hoursPerWeek ?? 0), updated_at = \(bind: now),
                submitted_at = CASE WHEN submitted_at IS NULL THEN \(bind: submittedAt) ELSE submitted_at END
                WHERE user_id = \(bind: id(userID))
                """).run()
            if let name {
                try await sql.raw("UPDATE users SET name = \(bind: name) WHERE id = \(bind: id(userID))").run()
            }
        }
    }

    public func setAlerts(userID: UUID, enabled: Bool) async throws {
        _ = try await profile(userID: userID)
        try await sql.raw("UPDATE worker_profiles SET alerts = \(bind: enabled ? 1 : 0) WHERE user_id = \(bind: id(userID))").run()
    }

    /// Turns alerts off for the holder of an unsubscribe token; false when no one holds it.
    public func unsubscribe(token: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE worker_profiles SET alerts = 0 WHERE unsubscribe_token = \(bind: token) RETURNING user_id
            """).first() != nil
    }

    // MARK: Status

    /// Moves a worker to `to` when they are in one of `from` (nil = any); records who did it and why. Returns
    /// the previous status, or nil when the worker was not in `from` (nothing changes then).
    public func changeStatus(userID: UUID, from allowed: Set<WorkerStatus>?, to: WorkerStatus, reason: String?, actorID: UUID?,
                             now: Double, on sql: any SQLDatabase) async throws -> WorkerStatus? {
        guard let row = try await sql.raw("SELECT worker_status FROM users WHERE id = \(bind: id(userID))").first(),
              let current = WorkerStatus(rawValue: try row.text("worker_status")) else { return nil }
        if let allowed, !allowed.contains(current) { return nil }
        let updated = try await sql.raw("""
            UPDATE users SET worker_status = \(bind: to.rawValue) WHERE id = \(bind: id(userID)) AND worker_status = \(bind: current.rawValue)
            RETURNING id
            """).first()
        guard updated != nil else { return nil }
        try await recordStatus(userID: userID, from: current, to: to, reason: reason, actorID: actorID, now: now, on: sql)
        return current
    }

    func recordStatus(userID: UUID, from: WorkerStatus?, to: WorkerStatus, reason: String?, actorID: UUID?, now: Double,
                      on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO status_changes (id, user_id, from_status, to_status, reason, actor_id, created_at)
            VALUES (\(bind: id(UUID())), \(bind: id(userID)), \(bind: from?.rawValue), \(bind: to.rawValue), \(bind: reason),
            \(bind: maybeID(actorID)), \(bind: now))
            """).run()
    }

    public struct StatusChange: Sendable {
        public var from: String?
        public var to: String
        public var reason: String?
        public var by: String?
        public var at: Double
    }

    public func history(userID: UUID) async throws -> [StatusChange] {
        try await sql.raw("""
            SELECT c.from_status, c.to_status, c.reason, u.email, c.created_at FROM status_changes c LEFT JOIN users u ON u.id = c.actor_id
            WHERE c.user_id = \(bind: id(userID)) ORDER BY c.created_at, c.id
            """).all().map {
                StatusChange(from: try $0.optionalText("from_status"), to: try $0.text("to_status"), reason: try $0.optionalText("reason"),
                             by: try $0.optionalText("email"), at: try $0.double("created_at"))
            }
    }

    public struct ApplicationRow: Sendable {
        public var userID: UUID
        public var name: String
        public var email: String
        public var status: String
        public var path: String
        public var country: String?
        public var submittedAt: Double?
        public var updatedAt: Double
    }

    /// Workers with a profile, newest change first; only those in `status` when given.
    public func applications(status: WorkerStatus?, limit: Int = 500) async throws -> [ApplicationRow] {
        let filter: SQLQueryString = status.map { "AND u.worker_status = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT u.id, u.name, u.email, u.worker_status, p.path, p.country, p.submitted_at, p.updated_at
            FROM users u JOIN worker_profiles p ON p.user_id = u.id WHERE u.role = 'worker' \(filter)
            ORDER BY p.updated_at DESC LIMIT \(bind: limit)
            """).all().map {
                ApplicationRow(userID: try $0.uuid("id"), name: try $0.text("name"), email: try $0.text("email"),
                               status: try $0.text("worker_status"), path: try $0.text("path"), country: try $0.optionalText("country"),
                               submittedAt: try $0.optionalDouble("submitted_at"), updatedAt: try $0.double("updated_at"))
            }
    }

    // MARK: Notifications and the outbox

    public struct Mail: Sendable {
        public var to: String
        public var subject: String
        public var body: String
        public init(to: String, subject: String, body: String) {
            self.to = to
            self.subject = subject
            self.body = body
        }
    }

    /// An in-app notification and, when `mail` is given, an e-mail in the outbox: in the caller's transaction,
    /// so the event and its notice are written together.
    public func notify(userID: UUID, kind: String, title: String, body: String, link: String?, mail: Mail?, now: Double,
                       on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO notifications (id, user_id, kind, title, body, link, created_at, read_at)
            VALUES (\(bind: id(UUID())), \(bind: id(userID)), \(bind: kind), \(bind: title), \(bind: body), \(bind: link), \(bind: now), NULL)
            """).run()
        if let mail {
            try await enqueue(mail, userID: userID, kind: kind, now: now, on: sql)
        }
    }

    public func enqueue(_ mail: Mail, userID: UUID?, kind: String, now: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO outbox (id, user_id, to_address, subject, body, kind, status, attempts, last_error, next_attempt_at, created_at, sent_at)
            VALUES (\(bind: id(UUID())), \(bind: maybeID(userID)), \(bind: mail.to), \(bind: mail.subject), \(bind: mail.body), \(bind: kind),
            'pending', 0, NULL, \(bind: now), \(bind: now), NULL)
            """).run()
    }

    public struct Notification: Sendable {
        public var id: UUID
        public var kind: String
        public var title: String
        public var body: String
        public var link: String?
        public var createdAt: Double
        public var read: Bool
    }

    public func notifications(userID: UUID, limit: Int = 50) async throws -> [Notification] {
        try await sql.raw("""
            SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = \(bind: id(userID))
            ORDER BY created_at DESC LIMIT \(bind: limit)
            """).all().map {
                Notification(id: try $0.uuid("id"), kind: try $0.text("kind"), title: try $0.text("title"), body: try $0.text("body"),
                             link: try $0.optionalText("link"), createdAt: try $0.double("created_at"), read: try !$0.decodeNil(column: "read_at"))
            }
    }

    public func unreadCount(userID: UUID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: id(userID)) AND read_at IS NULL").first()?.int("n") ?? 0
    }

    /// Marks the given notifications (all when nil) read.
    public func markRead(userID: UUID, ids: [UUID]?, now: Double) async throws {
        if let ids {
            guard !ids.isEmpty else { return }
            try await sql.raw("""
                UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: id(userID)) AND read_at IS NULL
                AND id IN (\(SQLList(ids.map { SQLBind(id($0)) })))
                """).run()
        } else {
            try await sql.raw("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: id(userID)) AND read_at IS NULL").run()
        }
    }

    public struct OutboxMail: Sendable {
        public var id: UUID
        public var to: String
        public var subject: String
        public var body: String
        public var kind: String
        public var status: String
        public var attempts: Int
        public var lastError: String?
        public var nextAttemptAt: Double
        public var createdAt: Double
        public var sentAt: Double?
    }

    static let outboxColumns = "id, to_address, subject, body, kind, status, attempts, last_error, next_attempt_at, created_at, sent_at"

    static func outboxMail(from row: any SQLRow) throws -> OutboxMail {
        OutboxMail(id: try row.uuid("id"), to: try row.text("to_address"), subject: try row.text("subject"), body: try row.text("body"),
                   kind: try row.text("kind"), status: try row.text("status"), attempts: try row.int("attempts"),
                   lastError: try row.optionalText("last_error"), nextAttemptAt: try row.double("next_attempt_at"),
                   createdAt: try row.double("created_at"), sentAt: try row.optionalDouble("sent_at"))
    }

    /// The outbox, newest first; only mail in `status` (pending, sent, failed) when given.
    public func outbox(status: String?, limit: Int = 200) async throws -> [OutboxMail] {
        let filter: SQLQueryString = status.map { "WHERE status = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.outboxColumns) FROM outbox \(filter) ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """).all().map(Self.outboxMail(from:))
    }

    /// Pending mail whose next attempt is due.
    public func dueMail(now: Double, limit: Int) async throws -> [OutboxMail] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.outboxColumns) FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
            ORDER BY next_attempt_at LIMIT \(bind: limit)
            """).all().map(Self.outboxMail(from:))
    }

    /// Claims a due mail for one sender (several servers may run the sender): pushes its next attempt out by
    /// `lease` seconds; false when another sender had it first.
    public func claimMail(id mailID: UUID, expectedNextAttempt: Double, lease: Double) async throws -> Bool {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: expectedNextAttempt + lease) WHERE id = \(bind: id(mailID))
                AND status = 'pending' AND next_attempt_at = \(bind: expectedNextAttempt) RETURNING id
                """).first() != nil
        }
    }

    public func mailSent(id mailID: UUID, now: Double) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE outbox SET status = 'sent', sent_at = \(bind: now), attempts = attempts + 1, last_error = NULL WHERE id = \(bind: id(mailID))
                """).run()
        }
    }

    /// A failed attempt: tried again at `nextAttemptAt`, or left as failed (still in the outbox) when nil.
    public func mailFailed(id mailID: UUID, error: String, nextAttemptAt: Double?) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: String(error.prefix(1000))),
                status = \(bind: nextAttemptAt == nil ? "failed" : "pending"), next_attempt_at = \(bind: nextAttemptAt ?? Store.now())
                WHERE id = \(bind: id(mailID))
                """).run()
        }
    }

    // MARK: Tracks

    /// Adds the tracks that do not exist yet (an admin's edits to existing ones stay).
    public func seedTracks(_ tracks: [TrackDefinition]) async throws {
        let now = Store.now()
        try await store.write { sql in
            for (position, track) in tracks.enumerated() {
                try await sql.raw("""
                    INSERT INTO tracks (id, name, family, base_rate_cents, eligibility, position, updated_at)
                    VALUES (\(bind: track.id), \(bind: track.name), \(bind: track.family.rawValue), \(bind: track.baseRateCents),
                    \(bind: track.eligibility.json.jsonText), \(bind: position), \(bind: now)) ON CONFLICT (id) DO NOTHING
                    """).run()
            }
        }
    }

    public func tracks(on sql: (any SQLDatabase)? = nil) async throws -> [TrackDefinition] {
        try await (sql ?? self.sql).raw("SELECT id, name, family, base_rate_cents, eligibility FROM tracks ORDER BY position, id").all().map { row in
            let eligibility = (try? EligibilityRule.parse(try JSONValue.parse(try row.text("eligibility")), path: "eligibility")) ?? .always
            return TrackDefinition(id: try row.text("id"), name: try row.text("name"),
                                   family: TrackFamily(rawValue: try row.text("family")) ?? .general,
                                   baseRateCents: try row.int("base_rate_cents"), eligibility: eligibility)
        }
    }

    public func updateTrack(_ track: TrackDefinition, actorID: UUID, detail: JSONValue) async throws {
        let now = Store.now()
        try await store.write { sql in
            try await sql.raw("""
                UPDATE tracks SET name = \(bind: track.name), base_rate_cents = \(bind: track.baseRateCents),
                eligibility = \(bind: track.eligibility.json.jsonText), updated_at = \(bind: now) WHERE id = \(bind: track.id)
                """).run()
            try await audit(actorID: actorID, action: "track.update", subjectType: "track", subjectID: track.id, detail: detail, now: now, on: sql)
        }
    }

    // MARK: Assessments

    public struct AssessmentRow: Sendable {
        public var id: UUID
        public var slug: String
        public var title: String
        public var description: String
        public var kind: String
        public var path: String?
        public var timeLimitSeconds: Int
        public var attemptsAllowed: Int
        public var unlocks: [String]
        public var definitionJSON: String
        public var createdAt: Double

        public init(id: UUID = UUID(), slug: String, title: String, description: String, kind: String, path: String?, timeLimitSeconds: Int,
                    attemptsAllowed: Int, unlocks: [String], definitionJSON: String, createdAt: Double = Store.now()) {
            self.id = id
            self.slug = slug
            self.title = title
            self.description = description
            self.kind = kind
            self.path = path
            self.timeLimitSeconds = timeLimitSeconds
            self.attemptsAllowed = attemptsAllowed
            self.unlocks = unlocks
            self.definitionJSON = definitionJSON
            self.createdAt = createdAt
        }
    }

    static let assessmentColumns = "id, slug, title, description, kind, path, time_limit_s, attempts_allowed, unlocks, definition, created_at"

    static func assessment(from row: any SQLRow) throws -> AssessmentRow {
        let unlocks = (try? JSONValue.parse(try row.text("unlocks")))?.arrayValue?.compactMap(\.stringValue) ?? []
        return AssessmentRow(id: try row.uuid("id"), slug: try row.text("slug"), title: try row.text("title"),
                             description: try row.text("description"), kind: try row.text("kind"), path: try row.optionalText("path"),
                             timeLimitSeconds: try row.int("time_limit_s"), attemptsAllowed: try row.int("attempts_allowed"),
                             unlocks: unlocks, definitionJSON: try row.text("definition"), createdAt: try row.double("created_at"))
    }

    /// Stores an assessment; a taken slug is a conflict. `ifMissing` (seeding) leaves an existing one as it is.
    @discardableResult
    public func createAssessment(_ assessment: AssessmentRow, ifMissing: Bool = false) async throws -> Bool {
        let unlocks = JSONValue.array(assessment.unlocks.map { .string($0) }).jsonText
        let inserted = try await store.write { sql in
            try await sql.raw("""
                INSERT INTO assessments (id, slug, title, description, kind, path, time_limit_s, attempts_allowed, unlocks, definition, created_at)
                VALUES (\(bind: id(assessment.id)), \(bind: assessment.slug), \(bind: assessment.title), \(bind: assessment.description),
                \(bind: assessment.kind), \(bind: assessment.path), \(bind: assessment.timeLimitSeconds), \(bind: assessment.attemptsAllowed),
                \(bind: unlocks), \(bind: assessment.definitionJSON), \(bind: assessment.createdAt)) ON CONFLICT (slug) DO NOTHING RETURNING id
                """).first() != nil
        }
        if !inserted, !ifMissing { throw StoreError.conflict("an assessment with the slug '\(assessment.slug)' already exists") }
        return inserted
    }

    public func assessments() async throws -> [AssessmentRow] {
        try await sql.raw("SELECT \(unsafeRaw: Self.assessmentColumns) FROM assessments ORDER BY created_at, slug").all().map(Self.assessment(from:))
    }

    public func assessment(id assessmentID: UUID) async throws -> AssessmentRow? {
        try await sql.raw("SELECT \(unsafeRaw: Self.assessmentColumns) FROM assessments WHERE id = \(bind: id(assessmentID))").first()
            .map(Self.assessment(from:))
    }

    public func assessment(slug: String) async throws -> AssessmentRow? {
        try await sql.raw("SELECT \(unsafeRaw: Self.assessmentColumns) FROM assessments WHERE slug = \(bind: slug)").first()
            .map(Self.assessment(from:))
    }

    // MARK: Attempts

    public struct AttemptRow: Sendable {
        public var id: UUID
        public var assessmentID: UUID
        public var userID: UUID
        public var attemptNumber: Int
        public var status: String
        public var startedAt: Double
        public var deadlineAt: Double
        public var answersJSON: String
        public var savedAt: Double?
        public var submittedAt: Double?
        public var autoScoresJSON: String?
        public var autoScore: Double?
        public var humanScore: Double?
        public var score: Double?
        public var reasonsJSON: String?
        public var decidedBy: UUID?
        public var decidedAt: Double?
    }

    static let attemptColumns = """
        id, assessment_id, user_id, attempt_no, status, started_at, deadline_at, answers, saved_at, submitted_at, auto_scores, auto_score,
        human_score, score, reasons, decided_by, decided_at
        """

    static func attempt(from row: any SQLRow) throws -> AttemptRow {
        AttemptRow(id: try row.uuid("id"), assessmentID: try row.uuid("assessment_id"), userID: try row.uuid("user_id"),
                   attemptNumber: try row.int("attempt_no"), status: try row.text("status"), startedAt: try row.double("started_at"),
                   deadlineAt: try row.double("deadline_at"), answersJSON: try row.text("answers"), savedAt: try row.optionalDouble("saved_at"),
                   submittedAt: try row.optionalDouble("submitted_at"), autoScoresJSON: try row.optionalText("auto_scores"),
                   autoScore: try row.optionalDouble("auto_score"), humanScore: try row.optionalDouble("human_score"),
                   score: try row.optionalDouble("score"), reasonsJSON: try row.optionalText("reasons"),
                   decidedBy: try row.decodeNil(column: "decided_by") ? nil : try row.uuid("decided_by"),
                   decidedAt: try row.optionalDouble("decided_at"))
    }

    public func attempt(id attemptID: UUID) async throws -> AttemptRow? {
        try await sql.raw("SELECT \(unsafeRaw: Self.attemptColumns) FROM assessment_attempts WHERE id = \(bind: id(attemptID))").first()
            .map(Self.attempt(from:))
    }

    public func attempts(userID: UUID) async throws -> [AttemptRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.attemptColumns) FROM assessment_attempts WHERE user_id = \(bind: id(userID)) ORDER BY started_at DESC
            """).all().map(Self.attempt(from:))
    }

    /// Attempts made under an e-mail key (any account) at each assessment.
    public func attemptCounts(emailKey: String) async throws -> [UUID: Int] {
        var counts: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT assessment_id, COUNT(*) AS n FROM assessment_attempts WHERE email_key = \(bind: emailKey) GROUP BY assessment_id
            """).all() {
            counts[try row.uuid("assessment_id")] = try row.int("n")
        }
        return counts
    }

    /// Starts an attempt as number `attemptNumber` of this e-mail key; the unique index refuses a second one
    /// with the same number (two tabs, two accounts, two servers), which comes back as nil.
    public func startAttempt(id attemptID: UUID, assessmentID: UUID, userID: UUID, emailKey: String, attemptNumber: Int, now: Double,
                             deadline: Double, becomeAssessing: Bool) async throws -> AttemptRow? {
        do {
            try await store.write { sql in
                try await sql.raw("""
                    INSERT INTO assessment_attempts (id, assessment_id, user_id, email_key, attempt_no, status, started_at, deadline_at, answers)
                    VALUES (\(bind: id(attemptID)), \(bind: id(assessmentID)), \(bind: id(userID)), \(bind: emailKey), \(bind: attemptNumber),
                    'in_progress', \(bind: now), \(bind: deadline), '{}')
                    """).run()
                if becomeAssessing {
                    _ = try await changeStatus(userID: userID, from: [.applicant], to: .assessing, reason: "started the starter assessment",
                                               actorID: nil, now: now, on: sql)
                }
            }
        } catch {
            if try await sql.raw("""
                SELECT id FROM assessment_attempts WHERE email_key = \(bind: emailKey) AND assessment_id = \(bind: id(assessmentID))
                AND attempt_no = \(bind: attemptNumber)
                """).first() != nil {
                return nil
            }
            throw error
        }
        return try await attempt(id: attemptID)
    }

    /// Saves work in progress; false when the attempt is no longer open (submitted, or past `deadline`).
    public func saveAnswers(attemptID: UUID, answersJSON: String, now: Double, latestDeadline: Double) async throws -> Bool {
        try await store.writeStatement { sql in
            try await sql.raw("""
                UPDATE assessment_attempts SET answers = \(bind: answersJSON), saved_at = \(bind: now)
                WHERE id = \(bind: id(attemptID)) AND status = 'in_progress' AND deadline_at >= \(bind: latestDeadline) RETURNING id
                """).first() != nil
        }
    }

    /// Closes an open attempt with its final answers: exactly one of any number of concurrent submits gets true.
    public func closeAttempt(attemptID: UUID, answersJSON: String, now: Double, latestDeadline: Double, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE assessment_attempts SET answers = \(bind: answersJSON), saved_at = \(bind: now), submitted_at = \(bind: now), status = 'submitted'
            WHERE id = \(bind: id(attemptID)) AND status = 'in_progress' AND deadline_at >= \(bind: latestDeadline) RETURNING id
            """).first() != nil
    }

    public struct AttemptResult: Sendable {
        public var status: String
        public var autoScoresJSON: String?
        public var autoScore: Double?
        public var humanScore: Double?
        public var score: Double?
        public var reasons: [String]
        public var decidedBy: UUID?
        public var decidedAt: Double?
        public init(status: String, autoScoresJSON: String?, autoScore: Double?, humanScore: Double?, score: Double?, reasons: [String],
                    decidedBy: UUID?, decidedAt: Double?) {
            self.status = status
            self.autoScoresJSON = autoScoresJSON
            self.autoScore = autoScore
            self.humanScore = humanScore
            self.score = score
            self.reasons = reasons
            self.decidedBy = decidedBy
            self.decidedAt = decidedAt
        }
    }

    /// Records an attempt's result when it is still in one of `from` (false otherwise: another grader or admin
    /// decided it meanwhile, and the caller's transaction must not go on).
    @discardableResult
    public func recordResult(attemptID: UUID, _ result: AttemptResult, from: [String], on sql: any SQLDatabase) async throws -> Bool {
        let reasons = JSONValue.array(result.reasons.map { .string($0) }).jsonText
        return try await sql.raw("""
            UPDATE assessment_attempts SET status = \(bind: result.status), auto_scores = COALESCE(\(bind: result.autoScoresJSON), auto_scores),
            auto_score = \(bind: result.autoScore), human_score = \(bind: result.humanScore), score = \(bind: result.score), reasons = \(bind: reasons),
            decided_by = \(bind: maybeID(result.decidedBy)), decided_at = \(bind: result.decidedAt) WHERE id = \(bind: id(attemptID))
            AND status IN (\(SQLList(from.map { SQLBind($0) }))) RETURNING id
            """).first() != nil
    }

    /// Attempts waiting for a grader, oldest first.
    public func gradingQueue(limit: Int = 200) async throws -> [AttemptRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.attemptColumns) FROM assessment_attempts WHERE status = 'pending' ORDER BY submitted_at LIMIT \(bind: limit)
            """).all().map(Self.attempt(from:))
    }

    /// The latest attempt of each of these workers waiting for an admin's decision, or decided.
    public func latestAttempts(userIDs: [UUID]) async throws -> [UUID: AttemptRow] {
        guard !userIDs.isEmpty else { return [:] }
        var latest: [UUID: AttemptRow] = [:]
        for row in try await sql.raw("""
            SELECT \(unsafeRaw: Self.attemptColumns) FROM assessment_attempts WHERE user_id IN (\(SQLList(userIDs.map { SQLBind(id($0)) })))
            ORDER BY started_at
            """).all() {
            let attempt = try Self.attempt(from: row)
            latest[attempt.userID] = attempt
        }
        return latest
    }

    public struct Grade: Sendable {
        public var itemID: String
        public var graderEmail: String
        public var pointsJSON: String
        public var total: Double
        public var comment: String?
        public var createdAt: Double
    }

    public func grades(attemptID: UUID) async throws -> [Grade] {
        try await sql.raw("""
            SELECT g.item_id, u.email, g.points, g.total, g.comment, g.created_at FROM grades g JOIN users u ON u.id = g.grader_id
            WHERE g.attempt_id = \(bind: id(attemptID)) ORDER BY g.item_id
            """).all().map {
                Grade(itemID: try $0.text("item_id"), graderEmail: try $0.text("email"), pointsJSON: try $0.text("points"),
                      total: try $0.double("total"), comment: try $0.optionalText("comment"), createdAt: try $0.double("created_at"))
            }
    }

    /// Saves (or replaces) a grader's points for one written item.
    public func saveGrade(attemptID: UUID, itemID: String, graderID: UUID, pointsJSON: String, total: Double, comment: String?, now: Double,
                          on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO grades (attempt_id, item_id, grader_id, points, total, comment, created_at)
            VALUES (\(bind: id(attemptID)), \(bind: itemID), \(bind: id(graderID)), \(bind: pointsJSON), \(bind: total), \(bind: comment), \(bind: now))
            ON CONFLICT (attempt_id, item_id) DO UPDATE SET grader_id = excluded.grader_id, points = excluded.points, total = excluded.total,
            comment = excluded.comment, created_at = excluded.created_at
            """).run()
    }

    // MARK: Qualifications

    public struct QualificationRow: Sendable {
        public var userID: UUID
        public var track: String
        public var source: String
        public var grantedAt: Double
        public var active: Bool
        public var inactiveReason: String?
        public var expiresAt: Double?
    }

    static func qualification(from row: any SQLRow) throws -> QualificationRow {
        QualificationRow(userID: try row.uuid("user_id"), track: try row.text("track_id"), source: try row.text("source"),
                         grantedAt: try row.double("granted_at"), active: try row.int("active") != 0,
                         inactiveReason: try row.optionalText("inactive_reason"), expiresAt: try row.optionalDouble("expires_at"))
    }

    public func qualifications(userID: UUID) async throws -> [QualificationRow] {
        try await sql.raw("""
            SELECT user_id, track_id, source, granted_at, active, inactive_reason, expires_at FROM qualifications
            WHERE user_id = \(bind: id(userID)) ORDER BY granted_at
            """).all().map(Self.qualification(from:))
    }

    /// The tracks a worker holds now (the assignment path asks this for projects with requirements).
    public func activeTracks(userID: UUID, now: Double, on sql: (any SQLDatabase)? = nil) async throws -> Set<String> {
        Set(try await (sql ?? self.sql).raw("""
            SELECT track_id FROM qualifications WHERE user_id = \(bind: id(userID)) AND active = 1
            AND (expires_at IS NULL OR expires_at > \(bind: now))
            """).all().map { try $0.text("track_id") })
    }

    /// Grants a track (or refreshes a grant); whether it is active comes from the track's eligibility rule.
    public func grant(userID: UUID, track: String, source: String, attemptID: UUID?, grantedBy: UUID?, reason: String?,
                      verdict: EligibilityVerdict, now: Double, on sql: any SQLDatabase) async throws {
        let inactive = verdict.eligible ? nil : verdict.missing.joined(separator: "; ")
        try await sql.raw("""
            INSERT INTO qualifications (user_id, track_id, source, attempt_id, granted_by, reason, granted_at, active, inactive_reason, expires_at)
            VALUES (\(bind: id(userID)), \(bind: track), \(bind: source), \(bind: maybeID(attemptID)), \(bind: maybeID(grantedBy)), \(bind: reason),
            \(bind: now), \(bind: verdict.eligible ? 1 : 0), \(bind: inactive), \(bind: verdict.expiresAt))
            ON CONFLICT (user_id, track_id) DO UPDATE SET source = excluded.source, attempt_id = excluded.attempt_id,
            granted_by = excluded.granted_by, reason = excluded.reason, granted_at = excluded.granted_at, active = excluded.active,
            inactive_reason = excluded.inactive_reason, expires_at = excluded.expires_at
            """).run()
    }

    /// Re-judges a held track against its eligibility rule (a credential verified or expired, a rule edited).
    public func setEligibility(userID: UUID, track: String, verdict: EligibilityVerdict, on sql: any SQLDatabase) async throws {
        let inactive = verdict.eligible ? nil : verdict.missing.joined(separator: "; ")
        try await sql.raw("""
            UPDATE qualifications SET active = \(bind: verdict.eligible ? 1 : 0), inactive_reason = \(bind: inactive),
            expires_at = \(bind: verdict.expiresAt) WHERE user_id = \(bind: id(userID)) AND track_id = \(bind: track)
            """).run()
    }

    /// Everyone holding a track, active or not.
    public func holders(track: String) async throws -> [UUID] {
        try await sql.raw("SELECT user_id FROM qualifications WHERE track_id = \(bind: track)").all().map { try $0.uuid("user_id") }
    }

    public func revoke(userID: UUID, track: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            DELETE FROM qualifications WHERE user_id = \(bind: id(userID)) AND track_id = \(bind: track) RETURNING track_id
            """).first() != nil
    }

    public struct WorkerRow: Sendable {
        public var userID: UUID
        public var email: String
        public var name: String
        public var profileJSON: String
        public var hoursPerWeek: Int
        public var alerts: Bool
        public var unsubscribeToken: String
        public var tracks: Set<String>
    }

    /// Every approved worker with a profile and the tracks they hold now: what reach and alerts match against.
    public func approvedWorkers(now: Double, alertsOnly: Bool = false) async throws -> [WorkerRow] {
        var tracks: [UUID: Set<String>] = [:]
        for row in try await sql.raw("""
            SELECT q.user_id, q.track_id FROM qualifications q JOIN users u ON u.id = q.user_id
            WHERE u.worker_status = 'approved' AND q.active = 1 AND (q.expires_at IS NULL OR q.expires_at > \(bind: now))
            """).all() {
            tracks[try row.uuid("user_id"), default: []].insert(try row.text("track_id"))
        }
        let alertsFilter: SQLQueryString = alertsOnly ? "AND p.alerts = 1" : ""
        return try await sql.raw("""
            SELECT u.id, u.email, u.name, p.profile, p.hours_per_week, p.alerts, p.unsubscribe_token FROM users u
            JOIN worker_profiles p ON p.user_id = u.id WHERE u.role = 'worker' AND u.worker_status = 'approved' \(alertsFilter)
            """).all().map {
                let userID = try $0.uuid("id")
                return WorkerRow(userID: userID, email: try $0.text("email"), name: try $0.text("name"), profileJSON: try $0.text("profile"),
                                 hoursPerWeek: try $0.int("hours_per_week"), alerts: try $0.int("alerts") != 0,
                                 unsubscribeToken: try $0.text("unsubscribe_token"), tracks: tracks[userID] ?? [])
            }
    }

    // MARK: Credentials

    public struct CredentialRow: Sendable {
        public var id: UUID
        public var userID: UUID
        public var type: String
        public var issuer: String
        public var number: String
        public var year: Int?
        public var expiresOn: String?
        public var documentSHA: String?
        public var documentName: String?
        public var documentType: String?
        public var documentSize: Int?
        public var status: String
        public var note: String?
        public var reviewedAt: Double?
        public var createdAt: Double
        public var userName: String
        public var userEmail: String

        public init(id: UUID = UUID(), userID: UUID, type: String, issuer: String, number: String, year: Int?, expiresOn: String?,
                    documentSHA: String?, documentName: String?, documentType: String?, documentSize: Int?, createdAt: Double) {
            self.id = id
            self.userID = userID
            self.type = type
            self.issuer = issuer
            self.number = number
            self.year = year
            self.expiresOn = expiresOn
            self.documentSHA = documentSHA
            self.documentName = documentName
            self.documentType = documentType
            self.documentSize = documentSize
            self.status = "pending"
            self.note = nil
            self.reviewedAt = nil
            self.createdAt = createdAt
            self.userName = ""
            self.userEmail = ""
        }
    }

    static let credentialColumns = """
        c.id, c.user_id, c.type, c.issuer, c.number, c.year, c.expires_on, c.document_sha, c.document_name, c.document_type, c.document_size,
        c.status, c.note, c.reviewed_at, c.created_at, u.name, u.email
        """

    static func credential(from row: any SQLRow) throws -> CredentialRow {
        var credential = CredentialRow(id: try row.uuid("id"), userID: try row.uuid("user_id"), type: try row.text("type"),
                                       issuer: try row.text("issuer"), number: try row.text("number"),
                                       year: try row.decodeNil(column: "year") ? nil : try row.int("year"),
                                       expiresOn: try row.optionalText("expires_on"), documentSHA: try row.optionalText("document_sha"),
                                       documentName: try row.optionalText("document_name"), documentType: try row.optionalText("document_type"),
                                       documentSize: try row.decodeNil(column: "document_size") ? nil : try row.int("document_size"),
                                       createdAt: try row.double("created_at"))
        credential.status = try row.text("status")
        credential.note = try row.optionalText("note")
        credential.reviewedAt = try row.optionalDouble("reviewed_at")
        credential.userName = try row.text("name")
        credential.userEmail = try row.text("email")
        return credential
    }

    public func addCredential(_ credential: CredentialRow) async throws {
        try await store.writeStatement { sql in
            try await sql.raw("""
                INSERT INTO credentials (id, user_id, type, issuer, number, year, expires_on, document_sha, document_name, document_type,
                document_size, status, note, reviewed_by, reviewed_at, created_at)
                VALUES (\(bind: id(credential.id)), \(bind: id(credential.userID)), \(bind: credential.type), \(bind: credential.issuer),
                \(bind: credential.number), \(bind: credential.year), \(bind: credential.expiresOn), \(bind: credential.documentSHA),
                \(bind: credential.documentName), \(bind: credential.documentType), \(bind: credential.documentSize), 'pending', NULL, NULL, NULL,
                \(bind: credential.createdAt))
                """).run()
        }
    }

    public func credentials(userID: UUID) async throws -> [CredentialRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials c JOIN users u ON u.id = c.user_id
            WHERE c.user_id = \(bind: id(userID)) ORDER BY c.created_at
            """).all().map(Self.credential(from:))
    }

    public func credential(id credentialID: UUID) async throws -> CredentialRow? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.id = \(bind: id(credentialID))
            """).first().map(Self.credential(from:))
    }

    public func credentials(status: String?, limit: Int = 500) async throws -> [CredentialRow] {
        let filter: SQLQueryString = status.map { "WHERE c.status = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials c JOIN users u ON u.id = c.user_id \(filter)
            ORDER BY c.created_at LIMIT \(bind: limit)
            """).all().map(Self.credential(from:))
    }

    public func reviewCredential(id credentialID: UUID, status: String, note: String?, reviewerID: UUID, now: Double,
                                 on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE credentials SET status = \(bind: status), note = \(bind: note), reviewed_by = \(bind: id(reviewerID)), reviewed_at = \(bind: now)
            WHERE id = \(bind: id(credentialID))
            """).run()
    }

    /// Gold tasks per project (they are not work left to do).
    public func goldCounts() async throws -> [UUID: Int] {
        var counts: [UUID: Int] = [:]
        for row in try await sql.raw("SELECT project_id, COUNT(*) AS n FROM gold_answers GROUP BY project_id").all() {
            counts[try row.uuid("project_id")] = try row.int("n")
        }
        return counts
    }

    /// Attempts of a worker whose time ran out before they submitted.
    public func expiredAttempts(userID: UUID, before: Double) async throws -> [AttemptRow] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.attemptColumns) FROM assessment_attempts WHERE user_id = \(bind: id(userID)) AND status = 'in_progress'
            AND deadline_at < \(bind: before)
            """).all().map(Self.attempt(from:))
    }

    // MARK: Alerts

    /// Records that a worker was alerted of a project's event; false when they already were.
    public func recordAlert(userID: UUID, projectID: UUID, event: String, now: Double, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO alerts_sent (user_id, project_id, event, created_at) VALUES (\(bind: id(userID)), \(bind: id(projectID)), \(bind: event),
            \(bind: now)) ON CONFLICT (user_id, project_id, event) DO NOTHING RETURNING user_id
            """).first() != nil
    }

    // MARK: Audit log

    public func audit(actorID: UUID?, action: String, subjectType: String, subjectID: String, detail: JSONValue, now: Double,
                      on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO audit_events (id, actor_id, action, subject_type, subject_id, detail, created_at)
            VALUES (\(bind: id(UUID())), \(bind: maybeID(actorID)), \(bind: action), \(bind: subjectType), \(bind: subjectID),
            \(bind: detail.jsonText), \(bind: now))
            """).run()
    }

    public struct AuditEvent: Sendable {
        public var id: UUID
        public var actor: String?
        public var action: String
        public var subjectType: String
        public var subjectID: String
        public var detailJSON: String
        public var at: Double
    }

    public func auditEvents(limit: Int) async throws -> [AuditEvent] {
        try await sql.raw("""
            SELECT a.id, u.email, a.action, a.subject_type, a.subject_id, a.detail, a.created_at FROM audit_events a
            LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.created_at DESC, a.id LIMIT \(bind: limit)
            """).all().map {
                AuditEvent(id: try $0.uuid("id"), actor: try $0.optionalText("email"), action: try $0.text("action"),
                           subjectType: try $0.text("subject_type"), subjectID: try $0.text("subject_id"), detailJSON: try $0.text("detail"),
                           at: try $0.double("created_at"))
            }
    }

    // MARK: The worker's own figures

    /// The worker's quality from gold answers and reviews decided before `before`: the mean of gold scores and
    /// review verdicts (accept 1, correct 0.5, reject 0); nil without any.
    public func quality(workerID: UUID, before: Double) async throws -> Double? {
        let gold = try await sql.raw("""
            SELECT COUNT(*) AS n, SUM(score) AS total FROM gold_results WHERE worker_id = \(bind: id(workerID)) AND created_at < \(bind: before)
            """).first()
        let reviews = try await sql.raw("""
            SELECT COUNT(*) AS n, SUM(CASE WHEN verdict = 'accept' THEN 1.0 WHEN verdict = 'correct' THEN 0.5 ELSE 0.0 END) AS total
            FROM reviews WHERE worker_id = \(bind: id(workerID)) AND verdict IN ('accept', 'correct', 'reject') AND decided_at < \(bind: before)
            """).first()
        let count = (try gold?.int("n") ?? 0) + (try reviews?.int("n") ?? 0)
        guard count > 0 else { return nil }
        let total = (try gold?.optionalDouble("total") ?? 0) + (try reviews?.optionalDouble("total") ?? 0)
        return total / Double(count)
    }
}

extension SQLRow {
    func optionalDouble(_ column: String) throws -> Double? {
        try decodeNil(column: column) ? nil : decode(column: column, as: Double.self)
    }
}
