import Foundation

/// The workforce's arithmetic: the rate a project may pay, the work left as workers see it, and the calendar
/// edges the dashboard and credentials use. Integer cents, seconds since 1970 (UTC).
public enum WorkforceRules {
    /// The lowest hourly rate a project with these requirements may pay, and the name of the track that sets it:
    /// the base rate of the cheapest way in — every `all_of` track's base binds, and of the `any_of` tracks the
    /// lowest (a worker who qualifies through a higher one is paid at least that one's base: `PayRules.floor`);
    /// General's when it requires no track.
    public static func minimumRate(_ requirements: ProjectRequirements, tracks: [TrackDefinition]) -> (cents: Int, track: String) {
        let byID = Dictionary(tracks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let all = requirements.allOf.compactMap { byID[$0] }
        let any = requirements.anyOf.compactMap { byID[$0] }
        var candidates = all
        if let lowest = any.min(by: { $0.baseRateCents < $1.baseRateCents }) { candidates.append(lowest) }
        guard let binding = candidates.max(by: { $0.baseRateCents < $1.baseRateCents }) else {
            let general = byID["general"]
            return (general?.baseRateCents ?? Tracks.defaultRateCents(.general), general?.name ?? "General")
        }
        return (binding.baseRateCents, binding.name)
    }

    /// What a project pays an hour: its own rate, or the minimum; a base rate raised after the project set its
    /// own still binds it.
    public static func rate(set: Int?, requirements: ProjectRequirements, tracks: [TrackDefinition]) -> Int {
        let minimum = minimumRate(requirements, tracks: tracks).cents
        return max(set ?? minimum, minimum)
    }

    /// The work left as workers and the public see it: gold tasks left out (they are not work to be done, and
    /// counting them would tell them apart), rounded down to tens above twenty so that one submit does not show
    /// whether the task counted.
    public static func tasksLeft(total: Int, done: Int, gold: Int) -> Int {
        let left = max(0, total - gold - done)
        return left > 20 ? left / 10 * 10 : left
    }

    /// Monday 00:00 UTC of the week of `now`.
    public static func startOfWeek(_ now: Double) -> Double {
        let day = (now / 86_400).rounded(.down)
        // 1970-01-01 was a Thursday: the days since a Monday are (day + 3) mod 7.
        let sinceMonday = ((Int(day) + 3) % 7 + 7) % 7
        return (day - Double(sinceMonday)) * 86_400
    }

    /// 00:00 UTC of the day of `now`.
    public static func startOfDay(_ now: Double) -> Double {
        (now / 86_400).rounded(.down) * 86_400
    }

    /// The end (UTC) of a `YYYY-MM-DD` date, such as a credential's expiry; nil when it is not a real date.
    public static func endOfDay(_ date: String) -> Double? {
        let parts = date.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.month, from: start) == month, calendar.component(.day, from: start) == day else { return nil }
        return start.timeIntervalSince1970 + 86_400
    }

    /// The content type of a credential's document from its first bytes: PDF, or a PNG or JPEG image (as the
    /// media inspector reads them); nil for anything else.
    public static func documentType(_ head: [UInt8]) -> String? {
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        guard let media = MediaInspector.sniff(head), ["image/png", "image/jpeg"].contains(media.contentType) else { return nil }
        return media.contentType
    }
}
