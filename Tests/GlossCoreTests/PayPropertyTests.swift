@testable import GlossCore
import PropertyBased
import Testing

/// Properties of time and pay over random inputs: no instant credited twice, never more than wall time, a
/// duplicate changes nothing; the ledger's balance is the sum of its entries and nothing is paid twice.
@Suite("Pay: properties")
struct PayPropertyTests {
    // MARK: Time

    static let start: Double = 1_795_392_000 + 23 * 3600 // 23:00 UTC, so some runs cross midnight
    static let tabs = ["tab-a", "tab-b", "tab-c"]
    static let tasks = ["t1", "t2", "t3"]
    static let window: Double = 60

    /// One raw ping: seconds since the previous ping, tab, task, active and idle seconds, and how its seq moves
    /// (0: repeats the tab's last seq, a duplicate; 1...: the next).
    typealias RawPing = (gap: Int, tab: Int, task: Int, active: Int, idle: Int, step: Int)

    static let rawPing = zip(Gen.int(in: 0...40), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...90),
                             Gen.int(in: 0...150), Gen.int(in: 0...3))
        .map { (gap: $0.0, tab: $0.1, task: $0.2, active: $0.3, idle: $0.4, step: $0.5) as RawPing }

    /// Lease starts per task, in seconds after `start` (a lease may start after some pings arrive).
    static let leaseOffsets = Gen.int(in: 0...200).array(of: 3)

    static func pings(_ raw: [RawPing]) -> [ActiveTime.Ping] {
        var time = start
        var seqs: [String: Int] = [:]
        return raw.map { raw in
            time += Double(raw.gap) + 0.25
            let tab = tabs[raw.tab]
            let seq = (seqs[tab] ?? 0) + (raw.step == 0 ? 0 : 1)
            seqs[tab] = seq
            return ActiveTime.Ping(receivedAt: time, tab: tab, seq: seq, activeSeconds: Double(raw.active) + 0.5,
                                   idleSeconds: Double(raw.idle), task: tasks[raw.task])
        }
    }

    static func leaseStarts(_ offsets: [Int]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(tasks, offsets.map { start + Double($0) }))
    }

    /// The measure of a union of intervals, computed by merging them.
    static func unionMeasure(_ intervals: [(Double, Double)]) -> Double {
        var total = 0.0
        var current: (Double, Double)?
        for interval in intervals.filter({ $0.1 > $0.0 }).sorted(by: { $0.0 < $1.0 }) {
            if let open = current, interval.0 <= open.1 {
                current = (open.0, max(open.1, interval.1))
            } else {
                if let open = current { total += open.1 - open.0 }
                current = interval
            }
        }
        if let open = current { total += open.1 - open.0 }
        return total
    }

    @Test func noInstantIsCreditedTwiceAndNeverMoreThanWallTime() async {
        await propertyCheck(count: 200, input: Self.rawPing.array(of: 1...40), Self.leaseOffsets) { raw, offsets in
            let pings = Self.pings(raw)
            let leases = Self.leaseStarts(offsets)
            var clock = ActiveTime.Clock()
            var credited: [(ping: ActiveTime.Ping, credit: ActiveTime.Credit)] = []
            for ping in pings {
                if let credit = ActiveTime.credit(ping, leaseStart: leases[ping.task]!, idleWindow: Self.window, clock: &clock) {
                    credited.append((ping, credit))
                }
            }
            for (ping, credit) in credited {
                // Inside the lease, before the receive time, within the claim and at most an hour.
                #expect(credit.start >= leases[ping.task]!)
                #expect(credit.end <= ping.receivedAt)
                #expect(credit.seconds > 0)
                #expect(credit.seconds <= min(ping.activeSeconds, ActiveTime.maximumClaim) + 1e-9)
            }
            // The sum of credits is the measure of their union: no instant twice.
            let sum = credited.reduce(0) { $0 + $1.credit.seconds }
            let union = Self.unionMeasure(credited.map { ($0.credit.start, $0.credit.end) })
            #expect(abs(sum - union) < 1e-6)
            // Never more than the wall time of the leases (each task's lease start to its last ping).
            var lastPing: [String: Double] = [:]
            for ping in pings { lastPing[ping.task] = max(lastPing[ping.task] ?? ping.receivedAt, ping.receivedAt) }
            let wall = Self.unionMeasure(lastPing.map { (leases[$0.key]!, $0.value) })
            #expect(sum <= wall + 1e-6)
            // And the milliseconds per day add up to the credited time (to a millisecond per piece).
            let milliseconds = credited.flatMap { ActiveTime.byDay($0.credit) }.reduce(Int64(0)) { $0 + $1.milliseconds }
            #expect(abs(Double(milliseconds) - sum * 1000) <= Double(credited.count * 2))
        }
    }

    @Test func replayingAPingChangesNothing() async {
        await propertyCheck(count: 200, input: Self.rawPing.array(of: 1...40), Self.leaseOffsets, Gen.int(in: 0...1000), Gen.int(in: 0...120)) {
            raw, offsets, pick, delay in
            let pings = Self.pings(raw)
            let leases = Self.leaseStarts(offsets)
            let before = ActiveTime.aggregate(pings, leaseStarts: leases, idleWindow: Self.window)
            // The same request again, received `delay` seconds later (a retry, a double submit).
            var replay = pings[pick % pings.count]
            replay.receivedAt += Double(delay)
            let after = ActiveTime.aggregate(pings + [replay], leaseStarts: leases, idleWindow: Self.window)
            #expect(after == before)
            // Aggregating in any order of arrival gives the same: pings are placed by their receive time.
            #expect(ActiveTime.aggregate(pings.reversed(), leaseStarts: leases, idleWindow: Self.window) == before)
        }
    }

    // MARK: Money

    @Test func halfEvenDivisionMatchesExactRounding() async {
        await propertyCheck(count: 300, input: Gen.int64(in: -1_000_000...1_000_000), Gen.int64(in: 1...1000)) { n, d in
            // Small enough that the double quotient is exact at every half.
            #expect(Money.divideHalfEven(n, d) == Int64((Double(n) / Double(d)).rounded(.toNearestOrEven)))
        }
    }

    @Test func hourlyAmountsMatchExactRounding() async {
        await propertyCheck(count: 300, input: Gen.int64(in: 0...1_000_000), Gen.int(in: 1...10_000), Gen.int(in: 10_000...20_000)) {
            milliseconds, rate, points in
            let exact = Double(milliseconds) * Double(rate) * Double(points) / 36_000_000_000
            #expect(Money.hourlyAmount(milliseconds: milliseconds, rateCents: rate, multiplierBP: points)
                    == Int(exact.rounded(.toNearestOrEven)))
        }
    }

    // MARK: Ledger

    /// One raw ledger operation: an entry (kind 0 work, 1 bonus, 2 adjustment) for a worker, earned at an hour,
    /// or a close (kind 3) at an hour.
    typealias RawOperation = (kind: Int, worker: Int, amount: Int, hour: Int)

    static let rawOperation = zip(Gen.int(in: 0...3), Gen.int(in: 0...2), Gen.int(in: -3000...5000), Gen.int(in: 0...400))
        .map { (kind: $0.0, worker: $0.1, amount: $0.2, hour: $0.3) as RawOperation }

    static let workers = ["ana", "ben", "chloé"]

    @Test func balancesAreSumsAndNothingIsPaidTwice() async {
        await propertyCheck(count: 200, input: Self.rawOperation.array(of: 1...60)) { operations in
            var ledger = PayLedger()
            var everPaid = Set<String>()
            var lastEnd = -Double.infinity
            for operation in operations {
                let earnedAt = Self.start + Double(operation.hour) * 3600
                switch operation.kind {
                case 0: ledger.append(worker: Self.workers[operation.worker], kind: .work, amountCents: abs(operation.amount), earnedAt: earnedAt)
                case 1: ledger.append(worker: Self.workers[operation.worker], kind: .bonus, amountCents: abs(operation.amount) + 1, earnedAt: earnedAt)
                case 2: ledger.append(worker: Self.workers[operation.worker], kind: .adjustment,
                                      amountCents: operation.amount == 0 ? -1 : operation.amount, earnedAt: earnedAt)
                default:
                    let entriesBefore = ledger.entries.count
                    let earlier = ledger.closed.first { $0.endsAt == earnedAt }
                    guard let payouts = ledger.close(endsAt: earnedAt) else {
                        // Refused only for a new end before the last one closed, and then nothing changes.
                        #expect(earlier == nil && earnedAt < lastEnd)
                        #expect(ledger.entries.count == entriesBefore)
                        continue
                    }
                    if let earlier {
                        // The same close again: the same payouts, and no new payout entry.
                        #expect(payouts == earlier.payouts)
                        #expect(ledger.entries.count == entriesBefore)
                    } else {
                        lastEnd = earnedAt
                        #expect(ledger.entries.count == entriesBefore + payouts.count)
                        let amounts = Dictionary(uniqueKeysWithValues: ledger.entries.map { ($0.id, $0) })
                        for payout in payouts {
                            #expect(payout.amountCents > 0)
                            // Each entry is the worker's, earned before the end, paid for the first time.
                            for id in payout.entryIDs {
                                #expect(amounts[id]?.worker == payout.worker)
                                #expect((amounts[id]?.earnedAt ?? .infinity) < earnedAt)
                                #expect(everPaid.insert(id).inserted, "entry \(id) paid twice")
                            }
                            #expect(payout.entryIDs.reduce(0) { $0 + (amounts[$1]?.amountCents ?? 0) } == payout.amountCents)
                        }
                        // Closing again right away pays nothing new.
                        let again = ledger.close(endsAt: earnedAt)
                        #expect(again == payouts)
                        #expect(ledger.entries.count == entriesBefore + payouts.count)
                    }
                }
                // After every step: a balance is the sum of the worker's entries, and equals what is earned and
                // not yet paid.
                for worker in Self.workers {
                    let entries = ledger.entries.filter { $0.worker == worker }
                    let sum = entries.reduce(0) { $0 + $1.amountCents }
                    #expect(ledger.balance(of: worker) == sum)
                    #expect(ledger.unpaid(of: worker).reduce(0) { $0 + $1.amountCents } == sum)
                    let earned = entries.filter { $0.kind != .payout }.reduce(0) { $0 + $1.amountCents }
                    let paidOut = -entries.filter { $0.kind == .payout }.reduce(0) { $0 + $1.amountCents }
                    #expect(earned - paidOut == sum)
                }
            }
            // No entry id appears in two payouts, across every close.
            let allPaid = ledger.closed.flatMap { $0.payouts.flatMap(\.entryIDs) }
            #expect(Set(allPaid).count == allPaid.count)
        }
    }

    @Test func payoutsTakeOnlyPositiveSumsBeforeTheEnd() {
        let end: Double = 1000
        let unpaid: [(worker: String, entryID: String, amountCents: Int, earnedAt: Double)] = [
            ("ben", "e1", 500, 10), ("ana", "e2", 300, 20), ("ben", "e3", -200, 30),
            ("ana", "e4", 100, 1000),   // at the end: not before it, next period
            ("cat", "e5", 100, 40), ("cat", "e6", -150, 50), // -50: nothing paid, carried
            ("ana", "e2", 300, 20),     // listed twice: counts once
        ]
        let payouts = PayLedger.payouts(unpaid: unpaid, endsAt: end)
        #expect(payouts.map(\.worker) == ["ana", "ben"])
        #expect(payouts.map(\.amountCents) == [300, 300])
        #expect(payouts.map(\.entryIDs) == [["e2"], ["e1", "e3"]])
        #expect(PayLedger.payouts(unpaid: [], endsAt: end).isEmpty)
    }
}
