import Foundation

public enum Role: String, Sendable, CaseIterable, Codable {
    case admin
    case requester
    case worker
}

/// Where a worker stands: an applicant fills in their application, is assessing once the starter assessment
/// has begun, and is then approved or rejected; an approved worker can later be suspended.
public enum WorkerStatus: String, Sendable, CaseIterable, Codable {
    case applicant
    case assessing
    case approved
    case rejected
    case suspended
}

public enum ProjectStatus: String, Sendable, CaseIterable, Codable {
    case open
    case paused
    case closed
}

/// Rules for account input that the CLI, the API and the pages share.
public enum AccountRules {
    public static let minimumPasswordLength = 8

    /// An e-mail address as stored: trimmed and lower-cased. Nil when it is not an address.
    public static func normalizedEmail(_ email: String) -> String? {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), trimmed.count <= 254,
              !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else { return nil }
        return trimmed
    }

    public static func checkPassword(_ password: String) throws(FieldError) {
        guard password.count >= minimumPasswordLength else {
            throw FieldError(field: "password", message: "must be at least \(minimumPasswordLength) characters")
        }
    }
}

/// Slows down repeated failed sign-ins for one e-mail address: after a few free attempts, each further
/// failure locks the address for a doubling delay, capped at five minutes.
public enum LoginThrottle {
    public static let freeAttempts = 5
    public static let maximumDelay: Double = 300

    /// Seconds to wait after `failures` consecutive failures.
    public static func delay(afterFailures failures: Int) -> Double {
        guard failures >= freeAttempts else { return 0 }
        let exponent = min(failures - freeAttempts, 10)
        return min(maximumDelay, pow(2, Double(exponent)))
    }
}

/// How the next task is chosen for a worker: the parts of the policy that are plain rules. The store runs
/// them as one indexed query inside one transaction.
public struct AssignmentPolicy: Sendable, Hashable {
    /// How many annotations each task needs (the project's overlap); later issues vary it per task (gold,
    /// rework, dynamic overlap), which is why it is stored on each task as its target.
    public var overlap: Int
    /// How long a lease lasts without a heartbeat.
    public var leaseSeconds: Int

    public init(overlap: Int, leaseSeconds: Int) {
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
    }

    public static let defaultLeaseSeconds = 30 * 60
    public static let overlapRange = 1...100
    public static let leaseSecondsRange = 30...(24 * 3600)

    /// A task can be leased when its active leases plus annotations are below its target.
    public static func isOpen(load: Int, target: Int) -> Bool { load < target }
}
