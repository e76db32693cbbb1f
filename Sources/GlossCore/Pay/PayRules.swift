/// Admin-set pay settings (stored as JSON, one row). Every key is optional on input (a missing key or `null`
/// takes the default), unknown keys are refused; `json` gives the full effective settings.
///
/// ```
/// {"bands": [{"min_quality": 0, "multiplier": 1.0}, {"min_quality": 0.9, "multiplier": 1.1}, {"min_quality": 0.97, "multiplier": 1.25}],
///  "min_reviewed": 20, "idle_seconds": 60, "period_days": 7}
/// ```
public struct PaySettings: Sendable, Hashable {
    /// A quality band: from `minimumQuality` (0...1) up, pay is multiplied by `multiplierBP` basis points.
    public struct Band: Sendable, Hashable {
        public var minimumQuality: Double
        public var multiplierBP: Int

        public init(minimumQuality: Double, multiplierBP: Int) {
            self.minimumQuality = minimumQuality
            self.multiplierBP = multiplierBP
        }
    }

    /// Sorted by `minimumQuality` (strictly increasing, the first at 0), multipliers non-decreasing and at least
    /// ×1.0 (a band never pays below the base), 1...8 bands.
    public var bands: [Band]
    /// Reviewed tasks on a project before a band above the first applies (0...10_000).
    public var minimumReviewed: Int
    /// The idle window: active time counts only with input in the last `idleSeconds` (10...600).
    public var idleSeconds: Int
    /// The length of a pay period in days (1...31; 7 = weekly, Monday to Monday UTC).
    public var periodDays: Int

    public init(bands: [Band], minimumReviewed: Int, idleSeconds: Int, periodDays: Int) {
        self.bands = bands
        self.minimumReviewed = minimumReviewed
        self.idleSeconds = idleSeconds
        self.periodDays = periodDays
    }

    /// The settings until an admin changes them.
    public static let standard = PaySettings(
        bands: [Band(minimumQuality: 0, multiplierBP: 10_000), Band(minimumQuality: 0.9, multiplierBP: 11_000),
                Band(minimumQuality: 0.97, multiplierBP: 12_500)],
        minimumReviewed: 20, idleSeconds: 60, periodDays: 7)

    public static let bandCount = 1...8
    public static let minimumReviewedRange = 0...10_000
    public static let idleSecondsRange = 10...600
    public static let periodDaysRange = 1...31
    /// A band's multiplier, in basis points: ×1.0 to ×10.
    public static let multiplierRange = 10_000...100_000

    /// Reads settings, reporting every problem with its path (`bands[1].min_quality`, `idle_seconds`).
    public static func parse(_ json: JSONValue) throws(ValidationFailure) -> PaySettings {
        if json == .null { return .standard }
        var reader = WorkforceReader()
        guard let object = reader.object(json, at: "", name: "settings",
                                         allowed: ["bands", "min_reviewed", "idle_seconds", "period_days"]) else {
            throw ValidationFailure(reader.errors)
        }
        var settings = PaySettings.standard
        if let elements = reader.array(object["bands"], at: "bands", maximum: bandCount.upperBound) {
            if elements.isEmpty { reader.fail("bands", "must list at least one band") }
            var bands: [Band] = []
            for (index, element) in elements.enumerated() {
                let path = "bands[\(index)]"
                guard let members = reader.object(element, at: path, name: "a band", allowed: ["min_quality", "multiplier"]) else { continue }
                let quality = reader.number(members["min_quality"], at: "\(path).min_quality", in: 0...1)
                var multiplier: Int?
                if let value = reader.number(members["multiplier"], at: "\(path).multiplier", in: -Double.infinity...Double.infinity) {
                    if let points = Money.basisPoints(value), multiplierRange.contains(points) {
                        multiplier = points
                    } else {
                        reader.fail("\(path).multiplier", "must be between 1 and 10 with at most 4 decimals (such as 1.1)")
                    }
                }
                if let quality, let multiplier { bands.append(Band(minimumQuality: quality, multiplierBP: multiplier)) }
            }
            if reader.errors.isEmpty, !bands.isEmpty {
                if bands[0].minimumQuality != 0 {
                    reader.fail("bands[0].min_quality", "must be 0 (the first band is where everyone starts)")
                }
                for index in bands.indices.dropFirst() {
                    let below = bands[index - 1], band = bands[index]
                    if band.minimumQuality <= below.minimumQuality {
                        reader.fail("bands[\(index)].min_quality",
                                    "must be greater than the band before it (\(JSONValue.format(number: below.minimumQuality)))")
                    }
                    if band.multiplierBP < below.multiplierBP {
                        reader.fail("bands[\(index)].multiplier",
                                    "must not be less than the band before it (\(Money.multiplierText(below.multiplierBP)))")
                    }
                }
                settings.bands = bands
            }
        }
        settings.minimumReviewed = reader.integer(object["min_reviewed"], at: "min_reviewed", in: minimumReviewedRange)
            ?? settings.minimumReviewed
        settings.idleSeconds = reader.integer(object["idle_seconds"], at: "idle_seconds", in: idleSecondsRange) ?? settings.idleSeconds
        settings.periodDays = reader.integer(object["period_days"], at: "period_days", in: periodDaysRange) ?? settings.periodDays
        guard reader.errors.isEmpty else { throw ValidationFailure(reader.errors) }
        return settings
    }

    /// The full effective settings, in the form `parse` reads (multipliers as decimals: 1.1).
    public var json: JSONValue {
        .object([
            "bands": .array(bands.map { band in
                .object(["min_quality": .number(band.minimumQuality),
                         "multiplier": .number(Double(band.multiplierBP) / Double(Money.unitBasisPoints))])
            }),
            "min_reviewed": .number(Double(minimumReviewed)),
            "idle_seconds": .number(Double(idleSeconds)),
            "period_days": .number(Double(periodDays)),
        ])
    }
}

extension WorkforceReader {
    /// A finite number in `range`.
    mutating func number(_ value: JSONValue?, at path: String, in range: ClosedRange<Double>, required: Bool = true) -> Double? {
        guard let value, value != .null else {
            if required { fail(path, "is required") }
            return nil
        }
        guard let number = value.numberValue, number.isFinite else { fail(path, "must be a number"); return nil }
        guard range.contains(number) else {
            fail(path, "must be between \(JSONValue.format(number: range.lowerBound)) and \(JSONValue.format(number: range.upperBound))")
            return nil
        }
        return number
    }
}

/// What a worker's quality on a project is worth, and why.
public struct Multiplier: Sendable, Hashable {
    /// The band above the one reached.
    public struct NextBand: Sendable, Hashable {
        public var minimumQuality: Double
        public var multiplierBP: Int
        /// How many more reviewed tasks are needed before bands apply (0 when they already do).
        public var reviewedNeeded: Int

        public init(minimumQuality: Double, multiplierBP: Int, reviewedNeeded: Int) {
            self.minimumQuality = minimumQuality
            self.multiplierBP = multiplierBP
            self.reviewedNeeded = reviewedNeeded
        }
    }

    public var basisPoints: Int
    /// The index of the band in `PaySettings.bands`.
    public var band: Int
    /// Why, in plain English.
    public var reason: String
    /// The next band up (nil at the top).
    public var next: NextBand?

    public init(basisPoints: Int, band: Int, reason: String, next: NextBand?) {
        self.basisPoints = basisPoints
        self.band = band
        self.reason = reason
        self.next = next
    }
}

/// How a project pays from a moment on (a rate change, effective from `effectiveAt`, never backwards).
public struct RateChange: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case hourly
        case perTask = "per_task"
    }

    public var mode: Mode
    /// Hourly: cents per hour; nil = the project's minimum.
    public var rateCents: Int?
    /// Per task: cents per task.
    public var taskRateCents: Int?
    /// Seconds since 1970.
    public var effectiveAt: Double

    public init(mode: Mode, rateCents: Int? = nil, taskRateCents: Int? = nil, effectiveAt: Double) {
        self.mode = mode
        self.rateCents = rateCents
        self.taskRateCents = taskRateCents
        self.effectiveAt = effectiveAt
    }
}

/// The rules of pay: multipliers, floors, rates in force, rejected time, forecasts. Integer cents.
public enum PayRules {
    /// The band a quality score reaches: bands apply only once `reviewed >= settings.minimumReviewed` and the
    /// score is not nil; otherwise the first band (1.0). Reason in plain English.
    public static func multiplier(quality: Double?, reviewed: Int, settings: PaySettings) -> Multiplier {
        let bands = settings.bands.isEmpty ? PaySettings.standard.bands : settings.bands
        func next(after index: Int, reviewedNeeded: Int) -> Multiplier.NextBand? {
            guard index + 1 < bands.count else { return nil }
            let band = bands[index + 1]
            return Multiplier.NextBand(minimumQuality: band.minimumQuality, multiplierBP: band.multiplierBP, reviewedNeeded: reviewedNeeded)
        }
        let first = bands[0]
        guard bands.count > 1 else {
            return Multiplier(basisPoints: first.multiplierBP, band: 0,
                              reason: "No performance bands: ×\(Money.multiplierText(first.multiplierBP)) for everyone", next: nil)
        }
        let reviewedText = reviewed == 1 ? "1 reviewed task" : "\(reviewed) reviewed tasks"
        if reviewed < settings.minimumReviewed {
            let needed = settings.minimumReviewed
            return Multiplier(basisPoints: first.multiplierBP, band: 0,
                              reason: "Raises start after \(needed) reviewed task\(needed == 1 ? "" : "s") (you have \(reviewed))",
                              next: next(after: 0, reviewedNeeded: needed - reviewed))
        }
        guard let quality, quality.isFinite else {
            return Multiplier(basisPoints: first.multiplierBP, band: 0, reason: "No quality score on this project yet",
                              next: next(after: 0, reviewedNeeded: 0))
        }
        let index = bands.lastIndex { quality >= $0.minimumQuality } ?? 0
        let band = bands[index]
        let range = index == 0 ? "under \(qualityText(bands[1].minimumQuality))" : "\(qualityText(band.minimumQuality)) and up"
        return Multiplier(basisPoints: band.multiplierBP, band: index,
                          reason: "Quality \(scoreText(quality)) over \(reviewedText): ×\(Money.multiplierText(band.multiplierBP)) band (\(range))",
                          next: next(after: index, reviewedNeeded: 0))
    }

    /// The floor of a worker on a project: the base rate of the highest track through which this worker qualifies
    /// for it (General's when the project requires no track), with that track's name. The qualifying tracks are
    /// the project's `any_of` tracks the worker holds and all its `all_of` tracks. A worker who qualifies through
    /// none (a qualification taken away) gets General's.
    public static func floor(requirements: ProjectRequirements, held: Set<String>, tracks: [TrackDefinition]) -> (cents: Int, track: String) {
        let qualifying = requirements.anyOf.filter { held.contains($0) } + requirements.allOf
        let candidates = qualifying.compactMap { id in tracks.first { $0.id == id } }
        guard let highest = candidates.max(by: { $0.baseRateCents < $1.baseRateCents }) else {
            let general = tracks.first { $0.id == "general" }
            return (general?.baseRateCents ?? Tracks.defaultRateCents(.general), general?.name ?? "General")
        }
        // `max(by:)` keeps the last of equals; prefer the first named.
        let first = candidates.first { $0.baseRateCents == highest.baseRateCents } ?? highest
        return (first.baseRateCents, first.name)
    }

    /// The change in force at `time` (the latest with effectiveAt <= time; of two at the same moment the later
    /// in the list), or nil.
    public static func inForce(_ changes: [RateChange], at time: Double) -> RateChange? {
        var found: RateChange?
        for change in changes where change.effectiveAt <= time {
            if let current = found, current.effectiveAt > change.effectiveAt { continue }
            found = change
        }
        return found
    }

    /// The hourly base for a worker: max(project rate or the project's minimum, the worker's floor). A project
    /// rate below the project's minimum (a track's base raised since) is raised to it.
    public static func hourlyBase(projectRate: Int?, requirements: ProjectRequirements, held: Set<String>,
                                  tracks: [TrackDefinition]) -> (cents: Int, reason: String) {
        let minimum = WorkforceRules.minimumRate(requirements, tracks: tracks)
        let workerFloor = floor(requirements: requirements, held: held, tracks: tracks)
        let project = max(projectRate ?? minimum.cents, minimum.cents)
        if workerFloor.cents > project {
            return (workerFloor.cents, "Your \(workerFloor.track) track's floor \(Money.format(workerFloor.cents))/h (the project pays less)")
        }
        if let projectRate, projectRate >= minimum.cents {
            return (project, "Project rate \(Money.format(project))/h")
        }
        return (project, "Project rate \(Money.format(project))/h (the \(minimum.track) track's minimum)")
    }

    /// Time the quality policy rejects for one annotation (nil: paid). failedGold/rejected as known now. A failed
    /// gold answer and a rejection in review read the same ("failed a quality check"): the worker must not learn
    /// which tasks were gold.
    public static func timeRejection(activeSeconds: Double, failedGold: Bool, rejectedInReview: Bool,
                                     policy: QualityPolicy.TimeRules) -> String? {
        if failedGold || rejectedInReview, activeSeconds < policy.rushedBelowSeconds {
            let spent = secondsText(activeSeconds), limit = secondsText(policy.rushedBelowSeconds)
            return "Rushed: the answer failed a quality check after \(spent) of work (under \(limit))"
        }
        if rejectedInReview, !policy.payRejected { return "Rejected in review" }
        return nil
    }

    /// The median (of an even count, the mean of the middle two, rounded half-even); nil when empty.
    public static func median(_ values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        let (low, high) = (sorted[middle - 1], sorted[middle])
        let (sum, overflow) = low.addingReportingOverflow(high)
        // Only at the ends of Int64: halve first (exact enough there).
        return overflow ? low / 2 + high / 2 : Money.divideHalfEven(sum, 2)
    }

    /// Forecast (hourly) = remaining annotations x median active milliseconds per accepted annotation x the rate
    /// and multiplier, rounded once, half-even; nil without a median. (Per task: remaining x `Money.taskAmount`.)
    public static func forecastCents(remaining: Int, medianMilliseconds: Int64?, rateCents: Int, multiplierBP: Int) -> Int? {
        guard let medianMilliseconds else { return nil }
        guard remaining > 0, medianMilliseconds > 0 else { return 0 }
        return Int(Money.scaledHalfEven([Int64(remaining), medianMilliseconds, Int64(rateCents), Int64(multiplierBP)],
                                        dividedBy: Money.millisecondsPerHour * Int64(Money.unitBasisPoints)))
    }

    // MARK: Words

    /// A worker's score, cut (not rounded) to two decimals, so 0.899 never reads as the 0.90 it did not reach.
    static func scoreText(_ quality: Double) -> String {
        Money.decimalText(Int((quality * 100 + 1e-9).rounded(.down)), scale: 2, minimumDecimals: 2)
    }

    /// A band's threshold: two decimals at least ("0.90", "0.975").
    static func qualityText(_ quality: Double) -> String {
        Money.decimalText(Int((quality * 10_000).rounded()), scale: 4, minimumDecimals: 2)
    }

    /// "2 s", "4.9 s": tenths, cut down.
    static func secondsText(_ seconds: Double) -> String {
        let tenths = seconds.isFinite ? Int((max(0, seconds) * 10 + 1e-9).rounded(.down)) : 0
        return "\(Money.decimalText(tenths, scale: 1, minimumDecimals: 0)) s"
    }
}
