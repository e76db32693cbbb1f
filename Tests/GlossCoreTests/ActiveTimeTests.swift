@testable import GlossCore
import Testing

@Suite("Pay: active time from activity pings")
struct ActiveTimeTests {
    /// 2026-11-23 10:00:00 UTC (1795392000 is that day's midnight).
    let start: Double = 1_795_392_000 + 10 * 3600
    let window: Double = 60

    func ping(_ at: Double, tab: String = "tab-a", seq: Int, active: Double, idle: Double = 1, task: String = "t1") -> ActiveTime.Ping {
        ActiveTime.Ping(receivedAt: start + at, tab: tab, seq: seq, activeSeconds: active, idleSeconds: idle, task: task)
    }

    /// Runs pings in order from a fresh clock (lease at `lease` seconds after `start`): each ping's credited
    /// seconds (0 for none).
    func credits(_ pings: [ActiveTime.Ping], lease: Double = 0, clock: inout ActiveTime.Clock) -> [Double] {
        pings.map { ActiveTime.credit($0, leaseStart: start + lease, idleWindow: window, clock: &clock)?.seconds ?? 0 }
    }

    func credits(_ pings: [ActiveTime.Ping], lease: Double = 0) -> [Double] {
        var clock = ActiveTime.Clock()
        return credits(pings, lease: lease, clock: &clock)
    }

    @Test func steadyPingsCreditTheirIntervals() {
        var clock = ActiveTime.Clock()
        let first = ActiveTime.credit(ping(10, seq: 1, active: 10), leaseStart: start, idleWindow: window, clock: &clock)
        #expect(first == ActiveTime.Credit(start: start, end: start + 10))
        #expect(clock.creditedUntil == start + 10)
        #expect(clock.lastSeq == ["tab-a": 1])
        #expect(credits([ping(20, seq: 2, active: 10), ping(30, seq: 3, active: 10)], clock: &clock) == [10, 10])
        #expect(clock.creditedUntil == start + 30)
    }

    @Test func overlappingHeartbeatsCountEachInstantOnce() {
        // The second ping claims [5, 15] but [5, 10] is already credited.
        #expect(credits([ping(10, seq: 1, active: 10), ping(15, seq: 2, active: 10)]) == [10, 5])
        // A ping claiming only time already credited adds nothing.
        #expect(credits([ping(30, seq: 1, active: 30), ping(30, seq: 2, active: 20)]) == [30, 0])
    }

    @Test func gapsAreNotCredited() {
        // Ten seconds, a 80-second pause with the page reporting nothing, then ten seconds more.
        var clock = ActiveTime.Clock()
        let first = ActiveTime.credit(ping(10, seq: 1, active: 10), leaseStart: start, idleWindow: window, clock: &clock)
        let second = ActiveTime.credit(ping(100, seq: 2, active: 10), leaseStart: start, idleWindow: window, clock: &clock)
        #expect(first == ActiveTime.Credit(start: start, end: start + 10))
        #expect(second == ActiveTime.Credit(start: start + 90, end: start + 100))
    }

    @Test func duplicatesCountOnce() {
        var clock = ActiveTime.Clock()
        #expect(credits([ping(10, seq: 1, active: 10)], clock: &clock) == [10])
        let before = clock
        // The same ping again (a retried request), later, and an older seq: nothing, and the clock is unchanged.
        #expect(credits([ping(10, seq: 1, active: 10), ping(25, seq: 1, active: 10), ping(26, seq: 0, active: 20)], clock: &clock) == [0, 0, 0])
        #expect(clock == before)
        // The next real ping still gets its full time.
        #expect(credits([ping(30, seq: 2, active: 20)], clock: &clock) == [20])
    }

    @Test func idleTimeIsCutOff() {
        // Input 75 s ago with a 60 s window: the claim ended 15 s ago, when the window ran out.
        var clock = ActiveTime.Clock()
        let placed = ActiveTime.credit(ping(100, seq: 1, active: 30, idle: 75), leaseStart: start, idleWindow: window, clock: &clock)
        #expect(placed == ActiveTime.Credit(start: start + 55, end: start + 85))
        // After a ping at 80, only the 5 s from 80 to the end of the window can be new: the idle 15 s never count.
        var later = ActiveTime.Clock()
        _ = ActiveTime.credit(ping(80, seq: 1, active: 10, idle: 0), leaseStart: start, idleWindow: window, clock: &later)
        let cut = ActiveTime.credit(ping(100, seq: 2, active: 30, idle: 75), leaseStart: start, idleWindow: window, clock: &later)
        #expect(cut == ActiveTime.Credit(start: start + 80, end: start + 85))
        // Idle exactly the window: nothing is cut.
        #expect(credits([ping(100, seq: 1, active: 30, idle: 60)]) == [30])
        // The window ran out before the last credited moment: nothing.
        #expect(credits([ping(70, seq: 1, active: 10, idle: 0), ping(100, seq: 2, active: 30, idle: 100)]) == [10, 0])
        // A shorter window ends the claim earlier: input 25 s ago with a 10 s window, after a ping at 80.
        var short = ActiveTime.Clock()
        _ = ActiveTime.credit(ping(80, seq: 1, active: 5, idle: 0), leaseStart: start, idleWindow: 10, clock: &short)
        let shortCut = ActiveTime.credit(ping(100, seq: 2, active: 30, idle: 25), leaseStart: start, idleWindow: 10, clock: &short)
        #expect(shortCut?.seconds == 5)
    }

    @Test func twoTabsCountOnce() {
        // Both tabs of one worker report the same ten seconds (and more): the wall time is credited once.
        let pings = [ping(10, tab: "tab-a", seq: 1, active: 10), ping(12, tab: "tab-b", seq: 1, active: 10),
                     ping(20, tab: "tab-a", seq: 2, active: 8), ping(22, tab: "tab-b", seq: 2, active: 10)]
        let credited = credits(pings)
        #expect(credited == [10, 2, 8, 2])
        #expect(credited.reduce(0, +) == 22)
        // Two tabs on two tasks: the time goes to the ping that claims it first, never to both.
        let aggregate = ActiveTime.aggregate(
            [ping(10, tab: "tab-a", seq: 1, active: 10, task: "t1"), ping(14, tab: "tab-b", seq: 1, active: 10, task: "t2")],
            leaseStarts: ["t1": start, "t2": start], idleWindow: window)
        #expect(aggregate == ["t1": 10_000, "t2": 4_000])
    }

    @Test func aLostPingIsRecoveredByTheNext() {
        // Ping 1 (active 10 at 10 s) never arrived; ping 2 carries its time too.
        #expect(credits([ping(20, seq: 2, active: 20)]) == [20])
        // Ping 1 arrived but its answer was lost: the page sends the time again; only the new part counts.
        #expect(credits([ping(10, seq: 1, active: 10), ping(20, seq: 2, active: 20)]) == [10, 10])
    }

    @Test func aWrongClientClockChangesNothing() {
        // A page whose clock runs 50% fast claims 15 s every 10 s of server time: it gets the 10 s that passed.
        let fast = [ping(10, seq: 1, active: 15), ping(20, seq: 2, active: 15), ping(30, seq: 3, active: 15)]
        #expect(credits(fast) == [10, 10, 10])
        // One whose clock runs slow claims 5 s: it gets 5 s, nothing invented.
        let slow = [ping(10, seq: 1, active: 5), ping(20, seq: 2, active: 5)]
        #expect(credits(slow) == [5, 5])
        // Only the server's receive time places the claim.
        var clock = ActiveTime.Clock()
        let placed = ActiveTime.credit(ping(50, seq: 1, active: 10), leaseStart: start, idleWindow: window, clock: &clock)
        #expect(placed == ActiveTime.Credit(start: start + 40, end: start + 50))
    }

    @Test func nothingBeforeTheLeaseStarted() {
        // The lease began 5 s before the ping; the ping claims 10 s.
        #expect(credits([ping(10, seq: 1, active: 10)], lease: 5) == [5])
        // A lease that starts after the ping: nothing.
        #expect(credits([ping(10, seq: 1, active: 10)], lease: 20) == [0])
        // A claim of more than an hour is capped at an hour.
        #expect(credits([ping(5000, seq: 1, active: 5000)]) == [3600])
        // Nonsense values claim nothing.
        #expect(credits([ping(10, seq: 1, active: -5)]) == [0])
        #expect(credits([ping(10, seq: 1, active: .nan)]) == [0])
    }

    @Test func creditsSplitAtUTCMidnight() {
        let midnight: Double = 1_795_478_400 // 2026-11-24 00:00:00 UTC
        let split = ActiveTime.byDay(ActiveTime.Credit(start: midnight - 10, end: midnight + 20))
        #expect(split.map(\.day) == ["2026-11-23", "2026-11-24"])
        #expect(split.map(\.milliseconds) == [10_000, 20_000])
        // Within one day: one piece.
        let whole = ActiveTime.byDay(ActiveTime.Credit(start: midnight + 100, end: midnight + 112.25))
        #expect(whole.map(\.day) == ["2026-11-24"])
        #expect(whole.map(\.milliseconds) == [12_250])
        // Milliseconds are rounded per piece: 0.4 ms before midnight is dropped, 0.6 ms after is 1 ms.
        let tiny = ActiveTime.byDay(ActiveTime.Credit(start: midnight - 0.0004, end: midnight + 0.0006))
        #expect(tiny.map(\.day) == ["2026-11-24"])
        #expect(tiny.map(\.milliseconds) == [1])
        // Across two midnights (a credit of an hour cannot, but the function does not mind).
        let long = ActiveTime.byDay(ActiveTime.Credit(start: midnight - 1, end: midnight + 86_401))
        #expect(long.map(\.day) == ["2026-11-23", "2026-11-24", "2026-11-25"])
        #expect(long.map(\.milliseconds) == [1000, 86_400_000, 1000])
        // And the aggregate puts a ping across midnight on its task whole.
        var clock = ActiveTime.Clock()
        let credit = ActiveTime.credit(ActiveTime.Ping(receivedAt: midnight + 4, tab: "tab-a", seq: 1, activeSeconds: 10,
                                                       idleSeconds: 0, task: "t1"),
                                       leaseStart: midnight - 100, idleWindow: window, clock: &clock)
        #expect(credit.map(ActiveTime.byDay)?.map(\.milliseconds) == [6_000, 4_000])
    }

    @Test func daysAreUTCDates() {
        #expect(ActiveTime.day(0) == "1970-01-01")
        #expect(ActiveTime.day(-1) == "1969-12-31")
        #expect(ActiveTime.day(951_825_600) == "2000-02-29")
        #expect(ActiveTime.day(1_735_689_599) == "2024-12-31")
        #expect(ActiveTime.day(1_735_689_600) == "2025-01-01")
        #expect(ActiveTime.day(1_795_392_000) == "2026-11-23")
        #expect(ActiveTime.day(1_795_478_399.999) == "2026-11-23")
    }

    @Test func aggregateSortsPingsAndSumsPerTask() {
        // t1 leased at 0, t2 at 30. The worker works t1, switches to t2, comes back to t1; t2's ping is replayed.
        let pings = [
            ping(40, tab: "tab-a", seq: 3, active: 20, task: "t1"), // back on t1: [35, 40] left
            ping(10, tab: "tab-a", seq: 1, active: 10, task: "t1"), // [0, 10]
            ping(50, tab: "tab-b", seq: 1, active: 10, task: "t2"), // replay: nothing
            ping(35, tab: "tab-b", seq: 1, active: 10, task: "t2"), // [30, 35]: the lease began at 30
            ping(20, tab: "tab-a", seq: 2, active: 10, task: "t1"), // [10, 20]
        ]
        let totals = ActiveTime.aggregate(pings, leaseStarts: ["t1": start, "t2": start + 30], idleWindow: window)
        #expect(totals == ["t1": 25_000, "t2": 5_000])
        #expect(ActiveTime.aggregate([], leaseStarts: [:], idleWindow: window).isEmpty)
    }
}
