/// Active time: how activity pings from the labeling page become credited seconds.
///
/// The page measures active time on a monotonic clock (shown, visible, input within the idle window) and pings
/// with `active_s` (active seconds since its last acknowledged ping) and `idle_s` (seconds since the last input).
/// The server places the claim on its own receive time `t` and credits
///
///     | [t − min(active_s, 3600), t − max(0, idle_s − idleWindow)] ∩ [max(creditedUntil, leaseStart), t] |
///
/// then moves the worker's `creditedUntil` to `t`. Each instant is credited once, to the first ping that
/// claims it, whatever tab or task it came from; a duplicate (a `seq` not above the tab's last) credits
/// nothing; the client's wall clock is never read; time before the lease began is never credited.
public enum ActiveTime {
    /// One activity ping as the server received it.
    public struct Ping: Sendable, Hashable {
        /// The server's receive time (seconds since 1970).
        public var receivedAt: Double
        /// The page load that sent it.
        public var tab: String
        /// +1 per ping of this tab.
        public var seq: Int
        /// Active seconds the page measured since its last acknowledged ping.
        public var activeSeconds: Double
        /// Seconds since the last input event when the ping was sent.
        public var idleSeconds: Double
        /// The task (or assignment) the time belongs to.
        public var task: String

        public init(receivedAt: Double, tab: String, seq: Int, activeSeconds: Double, idleSeconds: Double, task: String) {
            self.receivedAt = receivedAt
            self.tab = tab
            self.seq = seq
            self.activeSeconds = activeSeconds
            self.idleSeconds = idleSeconds
            self.task = task
        }
    }

    /// A worker's activity clock: how far their time is credited, and the last `seq` seen per tab.
    public struct Clock: Sendable, Hashable {
        public var creditedUntil: Double
        public var lastSeq: [String: Int]

        public init(creditedUntil: Double = 0, lastSeq: [String: Int] = [:]) {
            self.creditedUntil = creditedUntil
            self.lastSeq = lastSeq
        }
    }

    /// An interval of credited time, `start < end` (seconds since 1970).
    public struct Credit: Sendable, Hashable {
        public var start: Double
        public var end: Double

        public init(start: Double, end: Double) {
            self.start = start
            self.end = end
        }

        public var seconds: Double { end - start }
    }

    /// The most one ping may claim: an hour.
    public static let maximumClaim: Double = 3600

    /// The interval this ping adds (nil: nothing), updating the clock.
    public static func credit(_ ping: Ping, leaseStart: Double, idleWindow: Double, clock: inout Clock) -> Credit? {
        if let last = clock.lastSeq[ping.tab], ping.seq <= last { return nil }
        clock.lastSeq[ping.tab] = ping.seq
        let t = ping.receivedAt
        let claimed = ping.activeSeconds.isFinite ? min(max(ping.activeSeconds, 0), maximumClaim) : 0
        let idle = ping.idleSeconds.isFinite ? max(ping.idleSeconds, 0) : maximumClaim
        let window = idleWindow.isFinite ? max(idleWindow, 0) : 0
        // The claimed time ended when the idle window ran out (input `idle` seconds ago), or now: nothing after
        // the last input plus the window is work, and a ping sent late (a retry, a slow network) loses nothing.
        // The clock moves to that end, not to now, so work in another window in between still counts.
        let end = t - max(0, idle - window)
        defer { clock.creditedUntil = max(clock.creditedUntil, end) }
        let start = max(end - claimed, clock.creditedUntil, leaseStart)
        guard end > start else { return nil }
        return Credit(start: start, end: end)
    }

    /// A credit cut at UTC midnights: [(day "YYYY-MM-DD", milliseconds)], milliseconds rounded half-even once per piece.
    public static func byDay(_ credit: Credit) -> [(day: String, milliseconds: Int64)] {
        var pieces: [(day: String, milliseconds: Int64)] = []
        var start = credit.start
        while start < credit.end {
            let midnight = (start / 86_400).rounded(.down) * 86_400 + 86_400
            let end = min(credit.end, midnight)
            let milliseconds = Int64(((end - start) * 1000).rounded(.toNearestOrEven))
            if milliseconds > 0 { pieces.append((day(start), milliseconds)) }
            start = end
        }
        return pieces
    }

    /// Runs pings (sorted by receivedAt) from a fresh clock: active milliseconds per task key.
    /// A task without a lease start is bounded by nothing but the clock.
    public static func aggregate(_ pings: [Ping], leaseStarts: [String: Double], idleWindow: Double) -> [String: Int64] {
        let ordered = pings.enumerated().sorted { ($0.element.receivedAt, $0.offset) < ($1.element.receivedAt, $1.offset) }
        var clock = Clock()
        var totals: [String: Int64] = [:]
        for (_, ping) in ordered {
            guard let credit = credit(ping, leaseStart: leaseStarts[ping.task] ?? -Double.infinity, idleWindow: idleWindow,
                                      clock: &clock) else { continue }
            totals[ping.task, default: 0] += byDay(credit).reduce(0) { $0 + $1.milliseconds }
        }
        return totals
    }

    /// "YYYY-MM-DD" UTC
    public static func day(_ time: Double) -> String {
        let days = Int((time / 86_400).rounded(.down))
        // Days since 1970-01-01 to the proleptic Gregorian civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }
}
