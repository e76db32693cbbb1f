import Foundation

extension AccountRules {
    /// Domains whose mail service ignores dots in the local part, and the domain each stands for.
    static let dotInsensitiveDomains: [String: String] = ["gmail.com": "gmail.com", "googlemail.com": "gmail.com"]

    /// The key the one-attempt rule is enforced on: lower case, trimmed, `+tag` removed from the local part,
    /// dots removed from the local part only for gmail.com and googlemail.com (googlemail.com -> gmail.com).
    /// Nil when not an e-mail address (use AccountRules.normalizedEmail first for validity).
    public static func assessmentKey(_ email: String) -> String? {
        guard let normalized = normalizedEmail(email), let at = normalized.lastIndex(of: "@") else { return nil }
        var local = String(normalized[..<at])
        var domain = String(normalized[normalized.index(after: at)...])
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if let canonical = dotInsensitiveDomains[domain] {
            local.removeAll { $0 == "." }
            domain = canonical
        }
        guard !local.isEmpty else { return nil }
        return "\(local)@\(domain)"
    }
}
