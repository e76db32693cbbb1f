/// The ledger's rules as a small in-memory model: entries are appended, never changed; a worker's balance is the
/// sum of their entries (payouts are negative); closing a period pays each worker the sum of their unpaid
/// entries earned before its end, when that sum is positive, and marks those entries paid, each at most once.
/// `payouts(unpaid:endsAt:)` is the close computation the store uses; the rest lets tests check the rules.
public struct PayLedger: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case work, bonus, adjustment, payout
    }

    public struct Entry: Sendable, Hashable {
        public var id: String
        public var worker: String
        public var kind: Kind
        public var amountCents: Int
        /// Seconds since 1970.
        public var earnedAt: Double

        public init(id: String, worker: String, kind: Kind, amountCents: Int, earnedAt: Double) {
            self.id = id
            self.worker = worker
            self.kind = kind
            self.amountCents = amountCents
            self.earnedAt = earnedAt
        }
    }

    /// One worker's payout of a closed period.
    public struct Payout: Sendable, Hashable {
        public var worker: String
        public var amountCents: Int
        public var entryIDs: [String]

        public init(worker: String, amountCents: Int, entryIDs: [String]) {
            self.worker = worker
            self.amountCents = amountCents
            self.entryIDs = entryIDs
        }
    }

    /// A closed period: its end and what it paid.
    public struct Closing: Sendable, Hashable {
        public var endsAt: Double
        public var payouts: [Payout]
    }

    /// Every entry, in the order appended.
    public private(set) var entries: [Entry] = []
    /// Entry id -> the end of the period that paid it.
    public private(set) var paidBy: [String: Double] = [:]
    /// Closed period ends, ascending, with their payouts.
    public private(set) var closed: [Closing] = []

    public init() {}

    /// Appends a work, bonus or adjustment entry (payout entries are made by `close`).
    @discardableResult
    public mutating func append(worker: String, kind: Kind, amountCents: Int, earnedAt: Double) -> Entry {
        precondition(kind != .payout, "payout entries come from closing a period")
        let entry = Entry(id: "e\(entries.count + 1)", worker: worker, kind: kind, amountCents: amountCents, earnedAt: earnedAt)
        entries.append(entry)
        return entry
    }

    /// The sum of all a worker's entries.
    public func balance(of worker: String) -> Int {
        entries.filter { $0.worker == worker }.reduce(0) { $0 + $1.amountCents }
    }

    /// A worker's entries no payout has paid yet (payout entries themselves excluded).
    public func unpaid(of worker: String) -> [Entry] {
        entries.filter { $0.worker == worker && $0.kind != .payout && paidBy[$0.id] == nil }
    }

    /// Closes the period ending at `endsAt`: the same end again returns the payouts it made then (nothing is paid
    /// twice); an end before the last closed one is refused (nil).
    public mutating func close(endsAt: Double) -> [Payout]? {
        if let done = closed.first(where: { $0.endsAt == endsAt }) { return done.payouts }
        if let last = closed.last, endsAt < last.endsAt { return nil }
        let candidates = entries.filter { $0.kind != .payout && paidBy[$0.id] == nil }
            .map { (worker: $0.worker, entryID: $0.id, amountCents: $0.amountCents, earnedAt: $0.earnedAt) }
        let payouts = Self.payouts(unpaid: candidates, endsAt: endsAt).map { Payout(worker: $0.worker, amountCents: $0.amountCents, entryIDs: $0.entryIDs) }
        for payout in payouts {
            for id in payout.entryIDs { paidBy[id] = endsAt }
            entries.append(Entry(id: "e\(entries.count + 1)", worker: payout.worker, kind: .payout, amountCents: -payout.amountCents,
                                 earnedAt: endsAt))
        }
        closed.append(Closing(endsAt: endsAt, payouts: payouts))
        return payouts
    }

    /// What closing a period pays: per worker (sorted by worker), the sum of their unpaid entries earned before
    /// `endsAt` (`earnedAt < endsAt`), when positive, with those entries' ids in the order given. A worker whose
    /// sum is zero or negative is paid nothing and their entries stay unpaid (carried to the next period). An
    /// entry id listed twice counts once.
    public static func payouts(unpaid: [(worker: String, entryID: String, amountCents: Int, earnedAt: Double)],
                               endsAt: Double) -> [(worker: String, amountCents: Int, entryIDs: [String])] {
        var seen = Set<String>()
        var byWorker: [String: (amountCents: Int, entryIDs: [String])] = [:]
        for entry in unpaid where entry.earnedAt < endsAt && seen.insert(entry.entryID).inserted {
            byWorker[entry.worker, default: (0, [])].amountCents += entry.amountCents
            byWorker[entry.worker, default: (0, [])].entryIDs.append(entry.entryID)
        }
        return byWorker.keys.sorted().compactMap { worker in
            let due = byWorker[worker]!
            return due.amountCents > 0 ? (worker, due.amountCents, due.entryIDs) : nil
        }
    }
}
