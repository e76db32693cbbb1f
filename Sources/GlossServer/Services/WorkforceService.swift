import Crypto
import Foundation
import GlossCore
import GlossStore
import SQLKit
import Vapor

/// Applications, worker status, credentials, qualifications and tracks: the rules the API, the pages, the
/// admin console and the demo share. Every status change is recorded with who made it and why, tells the
/// worker (a notification and an e-mail in the outbox) and goes into the audit log, in one transaction.
struct WorkforceService {
    let context: GlossContext

    var workforce: WorkforceRepository { context.workforce }

    // MARK: Applying

    /// Reads a profile from API input; a draft may be incomplete, a submitted application may not.
    static func profile(_ value: JSONValue?, complete: Bool) throws -> WorkerProfile {
        do {
            return try WorkerProfile.parse(value ?? .object([:]), complete: complete)
        } catch {
            throw Problem.invalid(error.errors.map { FieldError(field: "profile." + $0.field, message: $0.message, line: $0.line) },
                                  title: complete ? "The application is not complete" : "The application is not valid")
        }
    }

    static func name(_ fields: JSONFields, required: Bool) throws -> String? {
        try fields.string("name", required: required, maximumLength: 200)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates an applicant's account and draft; returns the new user.
    func apply(_ object: [String: JSONValue], passwordHash: (String) async throws -> String) async throws -> UserModel {
        let fields = try JSONFields(object, allowed: ["name", "email", "password", "profile"])
        let name = try Self.name(fields, required: true)!
        let emailText = try fields.string("email", required: true, maximumLength: 254)!
        guard AccountRules.normalizedEmail(emailText) != nil, AccountRules.assessmentKey(emailText) != nil else {
            throw Problem.invalid(field: "email", "is not an e-mail address")
        }
        let password = try fields.string("password", required: true, maximumLength: 200)!
        do {
            try AccountRules.checkPassword(password)
        } catch {
            throw Problem.invalid([error])
        }
        let profile = try Self.profile(fields.value("profile"), complete: false)
        let userID: UUID
        do {
            userID = try await workforce.createApplicant(.init(email: emailText, name: name, passwordHash: try await passwordHash(password),
                                                                profile: profile), now: Store.now())
        } catch StoreError.conflict(let message) {
            var problem = Problem.conflict(message)
            problem.errors = [FieldError(field: "email", message: message)]
            throw problem
        }
        guard let user = try await context.accounts.user(id: userID) else { throw Problem.notFound }
        return user
    }

    func saveDraft(_ principal: Principal, _ object: [String: JSONValue]) async throws {
        let fields = try JSONFields(object, allowed: ["name", "profile"])
        guard principal.user.workerStatus == WorkerStatus.applicant.rawValue,
              try await workforce.profile(userID: principal.id).submittedAt == nil else {
            throw Problem.conflict("The application has been submitted and can no longer change.")
        }
        let profile = try Self.profile(fields.value("profile"), complete: false)
        try await workforce.saveProfile(userID: principal.id, profile: profile, name: try Self.name(fields, required: false),
                                        submittedAt: nil, now: Store.now())
    }

    /// Submits the application: the whole profile must be there, with every problem named.
    func submit(_ principal: Principal) async throws {
        let stored = try await workforce.profile(userID: principal.id)
        guard principal.user.workerStatus == WorkerStatus.applicant.rawValue, stored.submittedAt == nil else {
            throw Problem.conflict("The application has already been submitted.")
        }
        let profile = try Self.profile(try JSONValue.parse(stored.profileJSON), complete: true)
        let now = Store.now()
        try await workforce.saveProfile(userID: principal.id, profile: profile, name: nil, submittedAt: now, now: now)
        try await context.store.write { sql in
            try await workforce.notify(userID: principal.id, kind: "application", title: "Application received",
                                       body: "Thank you. Your next step is the \(profile.path == .coding ? "coding" : "general") starter assessment: you have one attempt.",
                                       link: SiteURL.assessments.path, mail: nil, now: now, on: sql)
            try await workforce.audit(actorID: principal.id, action: "application.submit", subjectType: "user", subjectID: principal.id.text,
                                      detail: .object([:]), now: now, on: sql)
        }
    }

    /// The whole application as its owner or an admin sees it.
    func application(userID: UUID, includeResults: Bool) async throws -> JSONValue {
        guard let user = try await context.accounts.user(id: userID), user.role == Role.worker.rawValue else { throw Problem.notFound }
        let profile = try await workforce.profile(userID: userID)
        let tracks = try await workforce.tracks()
        let names = Tracks.names(tracks)
        let assessments = try await workforce.assessments()
        let titles = Dictionary(uniqueKeysWithValues: assessments.map { ($0.id, $0.title) })
        let now = Store.now()
        try await AssessmentService(context: context).closeExpired(userID: userID, user: user)
        let attempts = try await workforce.attempts(userID: userID).map { attempt -> JSONValue in
            guard includeResults, case .object(var object) = WorkforceDTO.attemptSummary(attempt, title: titles[attempt.assessmentID] ?? "") else {
                return WorkforceDTO.attemptSummary(attempt, title: titles[attempt.assessmentID] ?? "")
            }
            object["result"] = WorkforceDTO.result(attempt)
            return .object(object)
        }
        return .object([
            "user_id": .string(userID.text), "name": .string(user.name), "email": .string(user.email), "status": .string(user.workerStatus),
            "path": .string(profile.path), "submitted_at": WorkforceDTO.optionalTime(profile.submittedAt), "updated_at": timestamp(profile.updatedAt),
            "profile": (try? JSONValue.parse(profile.profileJSON)) ?? .object([:]),
            "history": WorkforceDTO.history(try await workforce.history(userID: userID), namesActors: includeResults),
            "credentials": .array(try await workforce.credentials(userID: userID).map { WorkforceDTO.credential($0) }),
            "qualifications": .array(try await workforce.qualifications(userID: userID).map { WorkforceDTO.qualification($0, names: names, now: now) }),
            "attempts": .array(attempts),
        ])
    }

    // MARK: Status

    static let decisionStatuses: Set<WorkerStatus> = [.approved, .rejected, .suspended, .assessing]

    /// An admin's decision on a worker, with the reason the worker is told. Approving or rejecting someone whose
    /// starter attempt waits in the review band decides that attempt too.
    func decide(userID: UUID, status: WorkerStatus, reason: String, by admin: Principal) async throws {
        guard Self.decisionStatuses.contains(status) else {
            throw Problem.invalid(field: "status", "must be one of approved, rejected, suspended, assessing")
        }
        guard let user = try await context.accounts.user(id: userID), user.role == Role.worker.rawValue else { throw Problem.notFound }
        guard user.workerStatus != status.rawValue else { throw Problem.conflict("The worker is already \(status.rawValue).") }
        let now = Store.now()
        let assessments = AssessmentService(context: context)
        let waiting = try await assessments.waiting(userID: userID, now: now)
        try await context.store.write { sql in
            guard try await workforce.changeStatus(userID: userID, from: nil, to: status, reason: reason, actorID: admin.id, now: now, on: sql) != nil else {
                throw Problem.conflict("The worker's status changed meanwhile; reload and try again.")
            }
            if let waiting, status == .approved || status == .rejected {
                try await assessments.settle(waiting, passed: status == .approved, reason: reason, by: admin.id, now: now, on: sql)
            }
            try await notifyStatus(user: user, status: status, reason: reason, now: now, on: sql)
            try await workforce.audit(actorID: admin.id, action: "worker.\(status.rawValue)", subjectType: "user", subjectID: userID.text,
                                      detail: .object(["reason": .string(reason), "from": .string(user.workerStatus)]), now: now, on: sql)
        }
    }

    /// Tells a worker their new status, in the app and by e-mail.
    func notifyStatus(user: UserModel, status: WorkerStatus, reason: String?, now: Double, on sql: any SQLDatabase) async throws {
        let (title, body): (String, String) = switch status {
        case .approved: ("You are approved", "Welcome to Gloss: your dashboard lists the projects that match you.")
        case .rejected: ("Your application was not accepted", "Thank you for applying to Gloss.")
        case .suspended: ("Your account is suspended", "You cannot take tasks until an admin reinstates you.")
        case .assessing: ("Your application is being assessed", "We will tell you when there is a decision.")
        case .applicant: ("Your application is open", "You can complete and submit it.")
        }
        let text = reason.map { "\(body)\n\nReason: \($0)" } ?? body
        let link = status == .approved ? SiteURL.dashboard.path : SiteURL.apply.path
        try await workforce.notify(userID: try user.requireID(), kind: "status", title: title, body: text, link: link,
                                   mail: .init(to: user.email, subject: "Gloss: \(title.lowercased())",
                                               body: "Hello \(user.name),\n\n\(text)\n\n\(context.configuration.publicURL)\(link)\n"),
                                   now: now, on: sql)
    }

    // MARK: Credentials and qualifications

    /// What counts of a worker's credentials for eligibility.
    static func facts(_ credentials: [WorkforceRepository.CredentialRow]) -> [CredentialFact] {
        credentials.map { CredentialFact(type: $0.type, verified: $0.status == "verified", expiresAt: $0.expiresOn.flatMap(WorkforceRules.endOfDay)) }
    }

    /// The worker as the matcher sees them.
    func candidate(userID: UUID, now: Double) async throws -> MatchCandidate {
        let stored = try await workforce.profile(userID: userID)
        let profile = (try? WorkerProfile.parse(try JSONValue.parse(stored.profileJSON), complete: false)) ?? WorkerProfile()
        return MatchCandidate(profile: profile, qualifications: try await workforce.activeTracks(userID: userID, now: now),
                              credentials: Self.facts(try await workforce.credentials(userID: userID)))
    }

    /// The eligibility verdict of one track for a worker.
    func verdict(track: String, userID: UUID, tracks: [TrackDefinition], now: Double) async throws -> EligibilityVerdict {
        guard let definition = tracks.first(where: { $0.id == track }) else {
            return EligibilityVerdict(eligible: false, missing: ["the track no longer exists"], expiresAt: nil)
        }
        let stored = try await workforce.profile(userID: userID)
        let profile = (try? WorkerProfile.parse(try JSONValue.parse(stored.profileJSON), complete: false)) ?? WorkerProfile()
        return definition.eligibility.evaluate(profile: profile, credentials: Self.facts(try await workforce.credentials(userID: userID)), now: now)
    }

    /// Re-judges every track a worker holds (after a credential was verified or rejected, a rule edited): the
    /// verdicts are read first, then written in one transaction (which reads nothing through the pool).
    func refreshEligibility(userID: UUID, tracks: [TrackDefinition], now: Double) async throws {
        var verdicts: [(String, EligibilityVerdict)] = []
        for held in try await workforce.qualifications(userID: userID) {
            verdicts.append((held.track, try await verdict(track: held.track, userID: userID, tracks: tracks, now: now)))
        }
        guard !verdicts.isEmpty else { return }
        let judged = verdicts
        try await context.store.write { sql in
            for (track, verdict) in judged {
                try await workforce.setEligibility(userID: userID, track: track, verdict: verdict, on: sql)
            }
        }
    }

    static let documentTypes = ["application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"]
    static let maximumDocumentBytes = 4 * 1024 * 1024

    struct CredentialForm: Content {
        var type: String?
        var issuer: String?
        var number: String?
        var year: String?
        var expires_on: String?
        var document: File?
    }

    /// Adds a credential with its document (stored in the blob store); it counts once an admin verifies it.
    func addCredential(_ form: CredentialForm, for principal: Principal) async throws -> WorkforceRepository.CredentialRow {
        var errors: [FieldError] = []
        func text(_ value: String?, _ field: String, required: Bool = true) -> String? {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if trimmed.isEmpty {
                if required { errors.append(FieldError(field: field, message: "is required")) }
                return nil
            }
            if trimmed.count > 200 { errors.append(FieldError(field: field, message: "must be at most 200 characters")) }
            return trimmed
        }
        let type = text(form.type, "type")?.lowercased().replacingOccurrences(of: " ", with: "_")
        let issuer = text(form.issuer, "issuer")
        let number = text(form.number, "number")
        var year: Int?
        if let yearText = text(form.year, "year", required: false) {
            if let value = Int(yearText), (1950...WorkerProfile.currentYear).contains(value) { year = value } else {
                errors.append(FieldError(field: "year", message: "must be a year between 1950 and \(WorkerProfile.currentYear)"))
            }
        }
        let expires = text(form.expires_on, "expires_on", required: false)
        if let expires, WorkforceRules.endOfDay(expires) == nil {
            errors.append(FieldError(field: "expires_on", message: "must be a date YYYY-MM-DD"))
        }
        var stored: (sha: String, name: String, type: String, size: Int)?
        if let document = form.document, document.data.readableBytes > 0 {
            let contentType = document.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
            let bytes = Array(document.data.readableBytesView)
            let sniffed = WorkforceRules.documentType(Array(bytes.prefix(64)))
            if bytes.count > Self.maximumDocumentBytes {
                errors.append(FieldError(field: "document", message: "must be at most 4 MB"))
            } else if sniffed == nil || (Self.documentTypes[contentType] != nil && sniffed != contentType) {
                errors.append(FieldError(field: "document", message: "must be a PDF, PNG or JPEG file"))
            } else if let sniffed {
                let sha = try Self.storeDocument(bytes, in: context.blobs)
                stored = (sha, String(document.filename.prefix(200)), sniffed, bytes.count)
            }
        } else {
            errors.append(FieldError(field: "document", message: "is required: a scan or photo of the credential"))
        }
        guard errors.isEmpty, let type, let issuer, let number else { throw Problem.invalid(errors, title: "The credential is not valid") }
        let row = WorkforceRepository.CredentialRow(userID: principal.id, type: type, issuer: issuer, number: number, year: year,
                                                    expiresOn: expires, documentSHA: stored?.sha, documentName: stored?.name,
                                                    documentType: stored?.type, documentSize: stored?.size, createdAt: Store.now())
        try await workforce.addCredential(row)
        return try await workforce.credential(id: row.id) ?? row
    }

    /// Writes a document into the blob store under its SHA-256.
    static func storeDocument(_ bytes: [UInt8], in blobs: any BlobStore) throws -> String {
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let path = NSTemporaryDirectory() + "gloss-credential-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw Problem(.internalServerError, "The document could not be stored")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        try blobs.put(movingFile: path, sha256: sha)
        return sha
    }

    func reviewCredential(id: UUID, status: String, note: String?, by admin: Principal) async throws -> WorkforceRepository.CredentialRow {
        guard ["verified", "rejected"].contains(status) else { throw Problem.invalid(field: "status", "must be verified or rejected") }
        guard let credential = try await workforce.credential(id: id) else { throw Problem.notFound }
        let now = Store.now()
        let tracks = try await workforce.tracks()
        guard let user = try await context.accounts.user(id: credential.userID) else { throw Problem.notFound }
        try await context.store.write { sql in
            try await workforce.reviewCredential(id: id, status: status, note: note, reviewerID: admin.id, now: now, on: sql)
            try await workforce.audit(actorID: admin.id, action: "credential.\(status)", subjectType: "credential", subjectID: id.text,
                                      detail: .object(["user": .string(credential.userID.text), "type": .string(credential.type),
                                                       "note": WorkforceDTO.optional(note)]), now: now, on: sql)
            let title = status == "verified" ? "Credential verified" : "Credential not verified"
            let body = "\(Workforce.credentialName(credential.type)) (\(credential.issuer)): \(status)" + (note.map { ". \($0)" } ?? ".")
            try await workforce.notify(userID: credential.userID, kind: "credential", title: title, body: body, link: SiteURL.dashboard.path,
                                       mail: .init(to: user.email, subject: "Gloss: \(title.lowercased())", body: "Hello \(user.name),\n\n\(body)\n"),
                                       now: now, on: sql)
        }
        // Eligibility reads the committed credential.
        try await refreshEligibility(userID: credential.userID, tracks: tracks, now: now)
        return try await workforce.credential(id: id) ?? credential
    }

    /// An admin grants a track by hand (with a reason); eligibility still applies.
    func grant(track: String, to userID: UUID, reason: String, by admin: Principal) async throws {
        let tracks = try await workforce.tracks()
        guard tracks.contains(where: { $0.id == track }) else { throw Problem.invalid(field: "track", "is not a track") }
        guard let user = try await context.accounts.user(id: userID), user.role == Role.worker.rawValue else { throw Problem.notFound }
        let now = Store.now()
        let verdict = try await verdict(track: track, userID: userID, tracks: tracks, now: now)
        try await context.store.write { sql in
            try await workforce.grant(userID: userID, track: track, source: "admin", attemptID: nil, grantedBy: admin.id, reason: reason,
                                      verdict: verdict, now: now, on: sql)
            try await workforce.audit(actorID: admin.id, action: "qualification.grant", subjectType: "user", subjectID: userID.text,
                                      detail: .object(["track": .string(track), "reason": .string(reason)]), now: now, on: sql)
        }
    }

    func revoke(track: String, from userID: UUID, by admin: Principal) async throws {
        let now = Store.now()
        try await context.store.write { sql in
            guard try await workforce.revoke(userID: userID, track: track, on: sql) else { throw Problem.notFound }
            try await workforce.audit(actorID: admin.id, action: "qualification.revoke", subjectType: "user", subjectID: userID.text,
                                      detail: .object(["track": .string(track)]), now: now, on: sql)
        }
    }

    // MARK: Tracks

    func updateTrack(id: String, _ object: [String: JSONValue], by admin: Principal) async throws -> TrackDefinition {
        let fields = try JSONFields(object, allowed: ["name", "base_rate_cents", "eligibility"])
        guard var track = try await workforce.tracks().first(where: { $0.id == id }) else { throw Problem.notFound }
        if let name = try fields.string("name", required: object["name"] != nil, maximumLength: 100) { track.name = name }
        if let rate = try fields.integer("base_rate_cents", in: 100...100_000) { track.baseRateCents = rate }
        if let rule = try fields.value("eligibility") {
            do {
                track.eligibility = try EligibilityRule.parse(rule, path: "eligibility")
            } catch {
                throw Problem.invalid(error.errors, title: "The eligibility rule is not valid")
            }
        }
        try await workforce.updateTrack(track, actorID: admin.id, detail: .object(object))
        if fields.object["eligibility"] != nil {
            // A changed rule re-judges everyone holding the track.
            let tracks = try await workforce.tracks()
            let now = Store.now()
            for holder in try await workforce.holders(track: id) {
                try await refreshEligibility(userID: holder, tracks: tracks, now: now)
            }
        }
        return track
    }
}

extension Request {
    var workforceService: WorkforceService { WorkforceService(context: gloss) }
}
