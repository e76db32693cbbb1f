/// A project's quality policy: how much gold, review, overlap and automation its annotations get.
///
/// Stored per project as a JSON object (`quality_policy`); every key is optional and a missing key (or a
/// `null`, except under `auto_accept` where `null` means off) takes the default below. `json` gives the full
/// effective policy, defaults filled in.
///
/// ```
/// {"gold_rate": 0.1, "gold_pass_score": 0.8,
///  "spot_check": {"first": 20, "first_rate": 1, "rate": 0.2, "proven_after": 50, "proven_quality": 0.9, "proven_rate": 0.05},
///  "rejected": "rework", "expert_sample": 0.1,
///  "overlap": {"dynamic": false, "agreement_below": 0.7, "max": 5},   // opt-in: extra answers cost money
///  "consensus": {"categorical": "majority", "ratings": "median", "iou_threshold": 0.5, "rating_tolerance": 0},
///  "auto_accept": {"prelabel_score": null, "consensus_confidence": null},
///  "thresholds": {"min_observations": 10, "more_review_below": 0.8, "pause_below": 0.6, "raise_above": 0.95},
///  "time": {"rushed_below_s": 5, "pay_rejected": true}}
/// ```
public struct QualityPolicy: Sendable, Hashable {
    /// Share of a worker's stream served from gold tasks (0...0.5).
    public var goldRate: Double
    /// A gold score at or above this counts as passed (0...1).
    public var goldPassScore: Double
    /// How many of a worker's annotations go to the review queue.
    public var spotCheck: SpotCheck
    /// What happens to a rejected annotation.
    public var onRejected: RejectedAction
    /// Share of peer-reviewed annotations that also go to the expert stage (0...1).
    public var expertSample: Double
    /// When to ask for more answers than the project's overlap.
    public var overlap: Overlap
    /// How answers to one task are combined.
    public var consensus: Consensus
    /// When an answer is accepted without review.
    public var autoAccept: AutoAccept
    /// Where a worker's quality score moves them to more review, a pause or higher pay.
    public var thresholds: Thresholds
    /// Which active time is not paid.
    public var time: TimeRules

    public init(goldRate: Double = 0.1, goldPassScore: Double = 0.8, spotCheck: SpotCheck = SpotCheck(),
                onRejected: RejectedAction = .rework, expertSample: Double = 0.1, overlap: Overlap = Overlap(),
                consensus: Consensus = Consensus(), autoAccept: AutoAccept = AutoAccept(), thresholds: Thresholds = Thresholds(),
                time: TimeRules = TimeRules()) {
        self.goldRate = goldRate
        self.goldPassScore = goldPassScore
        self.spotCheck = spotCheck
        self.onRejected = onRejected
        self.expertSample = expertSample
        self.overlap = overlap
        self.consensus = consensus
        self.autoAccept = autoAccept
        self.thresholds = thresholds
        self.time = time
    }

    /// The policy of a project that set none.
    public static let standard = QualityPolicy()

    /// Spot checks: every annotation of a new worker, then a share, then a smaller share once proven.
    public struct SpotCheck: Sendable, Hashable {
        /// A worker's first `first` annotations on a project are reviewed at `firstRate`.
        public var first: Int
        public var firstRate: Double
        /// The share reviewed after the first ones, until the worker is proven.
        public var rate: Double
        /// A worker is proven once at least `provenAfter` of their annotations are reviewed and their quality
        /// is at least `provenQuality`; then `provenRate` applies.
        public var provenAfter: Int
        public var provenQuality: Double
        public var provenRate: Double

        public init(first: Int = 20, firstRate: Double = 1.0, rate: Double = 0.2, provenAfter: Int = 50,
                    provenQuality: Double = 0.9, provenRate: Double = 0.05) {
            self.first = first
            self.firstRate = firstRate
            self.rate = rate
            self.provenAfter = provenAfter
            self.provenQuality = provenQuality
            self.provenRate = provenRate
        }
    }

    /// Where a rejected annotation goes: back to its worker with the reviewer's comment, or to another worker.
    public enum RejectedAction: String, Sendable, Hashable, CaseIterable {
        case rework, reassign
    }

    /// Dynamic overlap: when a task's first answers agree less than `agreementBelow`, ask one more answer, up to
    /// `maximum` answers in all.
    public struct Overlap: Sendable, Hashable {
        public var isDynamic: Bool
        public var agreementBelow: Double
        public var maximum: Int

        public init(isDynamic: Bool = false, agreementBelow: Double = 0.7, maximum: Int = 5) {
            self.isDynamic = isDynamic
            self.agreementBelow = agreementBelow
            self.maximum = maximum
        }
    }

    /// How a task's answers are combined into one.
    public struct Consensus: Sendable, Hashable {
        /// Categorical fields: majority vote or Dawid-Skene.
        public var categorical: CategoricalMethod
        /// Rating scores: the median or the mean.
        public var ratings: RatingMethod
        /// Spans, boxes and polygons match when their IoU is at least this (0 < t <= 1).
        public var iouThreshold: Double
        /// Two ratings agree when they differ by at most this many points of the scale.
        public var ratingTolerance: Int

        public init(categorical: CategoricalMethod = .majority, ratings: RatingMethod = .median, iouThreshold: Double = 0.5,
                    ratingTolerance: Int = 0) {
            self.categorical = categorical
            self.ratings = ratings
            self.iouThreshold = iouThreshold
            self.ratingTolerance = ratingTolerance
        }

        /// The aggregation of categorical answers.
        public enum CategoricalMethod: String, Sendable, Hashable, CaseIterable {
            case majority
            case dawidSkene = "dawid_skene"
        }

        /// The aggregation of rating scores.
        public enum RatingMethod: String, Sendable, Hashable, CaseIterable {
            case median, mean
        }
    }

    /// Automation where it is safe: thresholds (0...1) above which no review is asked; `nil` is off.
    public struct AutoAccept: Sendable, Hashable {
        /// A pre-label whose model score is at least this is accepted as the answer.
        public var prelabelScore: Double?
        /// A consensus whose confidence is at least this is accepted without review.
        public var consensusConfidence: Double?

        public init(prelabelScore: Double? = nil, consensusConfidence: Double? = nil) {
            self.prelabelScore = prelabelScore
            self.consensusConfidence = consensusConfidence
        }
    }

    /// Worker-quality thresholds, applied once a score rests on `minimumObservations` observations.
    public struct Thresholds: Sendable, Hashable {
        public var minimumObservations: Int
        /// Below this score a worker's annotations are all reviewed again (`spotCheck.firstRate`).
        public var moreReviewBelow: Double
        /// Below this score a worker is paused on the project.
        public var pauseBelow: Double
        /// At or above this score a worker is marked for higher pay.
        public var raiseAbove: Double

        public init(minimumObservations: Int = 10, moreReviewBelow: Double = 0.8, pauseBelow: Double = 0.6, raiseAbove: Double = 0.95) {
            self.minimumObservations = minimumObservations
            self.moreReviewBelow = moreReviewBelow
            self.pauseBelow = pauseBelow
            self.raiseAbove = raiseAbove
        }
    }

    /// Active time the policy does not pay: time on an annotation that failed gold or was rejected in review
    /// when it took under `rushedBelowSeconds` (rushed), and time on any annotation rejected in review when
    /// `payRejected` is false.
    public struct TimeRules: Sendable, Hashable {
        /// 0...3600 seconds.
        public var rushedBelowSeconds: Double
        public var payRejected: Bool

        public init(rushedBelowSeconds: Double = 5, payRejected: Bool = true) {
            self.rushedBelowSeconds = rushedBelowSeconds
            self.payRejected = payRejected
        }
    }
}

// MARK: - Decisions

extension QualityPolicy {
    /// The share of a worker's next annotation to send to review. `annotationsBefore` counts the worker's earlier
    /// annotations on the project (0 for their first), `reviewed` how many of them were reviewed, `quality` their
    /// quality score on the project (nil when none yet). New workers and workers on `moreReview` (or paused) get
    /// `first_rate`; a proven worker (`reviewed >= proven_after` and `quality >= proven_quality`) gets
    /// `proven_rate`; everyone else `rate`.
    public func spotCheckRate(annotationsBefore: Int, reviewed: Int, quality: Double?, status: WorkerQualityStatus) -> Double {
        if status != .active || annotationsBefore < spotCheck.first { return spotCheck.firstRate }
        if reviewed >= spotCheck.provenAfter, let quality, quality >= spotCheck.provenQuality { return spotCheck.provenRate }
        return spotCheck.rate
    }

    /// Draws whether one item is sampled at `rate`: never at 0 or below, always at 1 or above, else with
    /// probability `rate`. Pass a seeded generator to make it reproducible.
    public static func shouldSample(rate: Double, using generator: inout some RandomNumberGenerator) -> Bool {
        if rate <= 0 { return false }
        if rate >= 1 { return true }
        return Double.random(in: 0..<1, using: &generator) < rate
    }

    /// Whether a peer-reviewed annotation also goes to the expert stage (at `expert_sample`).
    public func expertSampled(using generator: inout some RandomNumberGenerator) -> Bool {
        Self.shouldSample(rate: expertSample, using: &generator)
    }

    /// Whether a task whose `answers` answers (the project's overlap is `baseOverlap`) agree at `agreement`
    /// (0...1) needs one more answer. False when dynamic overlap is off, before the first
    /// `max(2, baseOverlap)` answers are in, once `answers >= overlap.max`, or when `agreement >= agreement_below`.
    public func needsMoreAnswers(agreement: Double, answers: Int, baseOverlap: Int) -> Bool {
        guard overlap.isDynamic, answers >= max(2, baseOverlap), answers < overlap.maximum else { return false }
        return agreement < overlap.agreementBelow
    }

    /// Whether the next task handed to a worker should be a gold one, so that gold is spread evenly through the
    /// stream at `gold_rate`. Rule: due when `goldServed < floor(gold_rate × (totalServed + 1))` (`totalServed`
    /// counts every task served, gold included). At 0.1 the 10th, 20th, … task is gold: 10 in 100, never the
    /// first ones; at 0 never. A worker behind (no unseen gold was left) catches up as gold appears.
    public func goldDue(goldServed: Int, totalServed: Int) -> Bool {
        guard goldRate > 0 else { return false }
        // The small epsilon keeps products such as 0.29 × 100 = 28.999… on the integer they stand for.
        let owed = (goldRate * Double(totalServed + 1) + 1e-9).rounded(.down)
        return Double(goldServed) < owed
    }

    /// Whether the next task handed to a worker should be gold, at a random position: due for sure once the
    /// worker is a whole gold task behind `gold_rate × (served + 1)`, and otherwise with the probability of
    /// the fraction owed. Gold stays within one task of the rate, and no worker can predict which task is
    /// gold from how many they were served (`goldDue(goldServed:totalServed:)` is the periodic schedule).
    public func goldDue(goldServed: Int, totalServed: Int, using generator: inout some RandomNumberGenerator) -> Bool {
        guard goldRate > 0 else { return false }
        let owed = goldRate * Double(totalServed + 1) - Double(goldServed)
        return owed >= 1 || Double.random(in: 0..<1, using: &generator) < owed
    }

    /// Whether a gold score counts as passed.
    public func goldPassed(score: Double) -> Bool {
        score >= goldPassScore
    }

    /// Whether a pre-label with this model score is accepted without review (never when the policy sets no
    /// threshold or the pre-label has no score).
    public func autoAcceptsPrelabel(score: Double?) -> Bool {
        guard let threshold = autoAccept.prelabelScore, let score else { return false }
        return score >= threshold
    }

    /// Whether a consensus with this confidence is accepted without review (never when the policy sets none).
    public func autoAcceptsConsensus(confidence: Double) -> Bool {
        guard let threshold = autoAccept.consensusConfidence else { return false }
        return confidence >= threshold
    }
}

// MARK: - JSON

extension QualityPolicy {
    /// The full effective policy as JSON, every key present (auto-accept thresholds that are off are `null`).
    public var json: JSONValue {
        .object([
            "gold_rate": .number(goldRate),
            "gold_pass_score": .number(goldPassScore),
            "spot_check": .object([
                "first": .number(Double(spotCheck.first)), "first_rate": .number(spotCheck.firstRate),
                "rate": .number(spotCheck.rate), "proven_after": .number(Double(spotCheck.provenAfter)),
                "proven_quality": .number(spotCheck.provenQuality), "proven_rate": .number(spotCheck.provenRate),
            ]),
            "rejected": .string(onRejected.rawValue),
            "expert_sample": .number(expertSample),
            "overlap": .object([
                "dynamic": .bool(overlap.isDynamic), "agreement_below": .number(overlap.agreementBelow),
                "max": .number(Double(overlap.maximum)),
            ]),
            "consensus": .object([
                "categorical": .string(consensus.categorical.rawValue), "ratings": .string(consensus.ratings.rawValue),
                "iou_threshold": .number(consensus.iouThreshold), "rating_tolerance": .number(Double(consensus.ratingTolerance)),
            ]),
            "auto_accept": .object([
                "prelabel_score": autoAccept.prelabelScore.map(JSONValue.number) ?? .null,
                "consensus_confidence": autoAccept.consensusConfidence.map(JSONValue.number) ?? .null,
            ]),
            "thresholds": .object([
                "min_observations": .number(Double(thresholds.minimumObservations)),
                "more_review_below": .number(thresholds.moreReviewBelow), "pause_below": .number(thresholds.pauseBelow),
                "raise_above": .number(thresholds.raiseAbove),
            ]),
            "time": .object([
                "rushed_below_s": .number(time.rushedBelowSeconds), "pay_rejected": .bool(time.payRejected),
            ]),
        ])
    }

    /// Reads a policy from JSON (`null` is the standard policy), reporting every unknown key and out-of-range
    /// value with its dotted path under `prefix` (`quality_policy.spot_check.rate`).
    public static func parse(_ json: JSONValue, prefix: String = "quality_policy") throws(ValidationFailure) -> QualityPolicy {
        if json == .null { return .standard }
        guard let object = json.objectValue else {
            throw ValidationFailure([FieldError(field: prefix, message: "must be an object")])
        }
        var policy = QualityPolicy()
        var reader = SettingsReader(object: object, path: prefix)
        policy.goldRate = reader.fraction("gold_rate", in: 0...0.5) ?? policy.goldRate
        policy.goldPassScore = reader.fraction("gold_pass_score") ?? policy.goldPassScore
        if var section = reader.section("spot_check") {
            var spot = policy.spotCheck
            spot.first = section.count("first", in: 0...1_000_000) ?? spot.first
            spot.firstRate = section.fraction("first_rate") ?? spot.firstRate
            spot.rate = section.fraction("rate") ?? spot.rate
            spot.provenAfter = section.count("proven_after", in: 0...1_000_000) ?? spot.provenAfter
            spot.provenQuality = section.fraction("proven_quality") ?? spot.provenQuality
            spot.provenRate = section.fraction("proven_rate") ?? spot.provenRate
            reader.finish(section, what: "a spot_check setting (expected first, first_rate, rate, proven_after, proven_quality, proven_rate)")
            policy.spotCheck = spot
        }
        if let word = reader.word("rejected", allowed: RejectedAction.allCases.map(\.rawValue)) {
            policy.onRejected = RejectedAction(rawValue: word) ?? .rework
        }
        policy.expertSample = reader.fraction("expert_sample") ?? policy.expertSample
        if var section = reader.section("overlap") {
            var overlap = policy.overlap
            overlap.isDynamic = section.bool("dynamic") ?? overlap.isDynamic
            overlap.agreementBelow = section.fraction("agreement_below") ?? overlap.agreementBelow
            overlap.maximum = section.count("max", in: 1...100) ?? overlap.maximum
            reader.finish(section, what: "an overlap setting (expected dynamic, agreement_below, max)")
            policy.overlap = overlap
        }
        if var section = reader.section("consensus") {
            var consensus = policy.consensus
            if let word = section.word("categorical", allowed: Consensus.CategoricalMethod.allCases.map(\.rawValue)) {
                consensus.categorical = Consensus.CategoricalMethod(rawValue: word) ?? .majority
            }
            if let word = section.word("ratings", allowed: Consensus.RatingMethod.allCases.map(\.rawValue)) {
                consensus.ratings = Consensus.RatingMethod(rawValue: word) ?? .median
            }
            if let threshold = section.fraction("iou_threshold") {
                if threshold > 0 { consensus.iouThreshold = threshold } else { section.fail("iou_threshold", "must be greater than 0 and at most 1") }
            }
            consensus.ratingTolerance = section.count("rating_tolerance", in: 0...100) ?? consensus.ratingTolerance
            reader.finish(section, what: "a consensus setting (expected categorical, ratings, iou_threshold, rating_tolerance)")
            policy.consensus = consensus
        }
        if var section = reader.section("auto_accept") {
            policy.autoAccept.prelabelScore = section.fraction("prelabel_score")
            policy.autoAccept.consensusConfidence = section.fraction("consensus_confidence")
            reader.finish(section, what: "an auto_accept setting (expected prelabel_score, consensus_confidence)")
        }
        if var section = reader.section("thresholds") {
            var thresholds = policy.thresholds
            thresholds.minimumObservations = section.count("min_observations", in: 0...1_000_000) ?? thresholds.minimumObservations
            thresholds.moreReviewBelow = section.fraction("more_review_below") ?? thresholds.moreReviewBelow
            thresholds.pauseBelow = section.fraction("pause_below") ?? thresholds.pauseBelow
            thresholds.raiseAbove = section.fraction("raise_above") ?? thresholds.raiseAbove
            if section.errors.isEmpty, thresholds.pauseBelow > thresholds.moreReviewBelow {
                section.fail("pause_below", "must not be greater than more_review_below")
            }
            if section.errors.isEmpty, thresholds.raiseAbove < thresholds.moreReviewBelow {
                section.fail("raise_above", "must not be less than more_review_below")
            }
            reader.finish(section, what: "a thresholds setting (expected min_observations, more_review_below, pause_below, raise_above)")
            policy.thresholds = thresholds
        }
        if var section = reader.section("time") {
            policy.time.rushedBelowSeconds = section.number("rushed_below_s", in: 0...3600) ?? policy.time.rushedBelowSeconds
            policy.time.payRejected = section.bool("pay_rejected") ?? policy.time.payRejected
            reader.finish(section, what: "a time setting (expected rushed_below_s, pay_rejected)")
        }
        reader.rejectUnknownKeys(what: "a quality policy setting (expected gold_rate, gold_pass_score, spot_check, rejected, expert_sample, overlap, consensus, auto_accept, thresholds, time)")
        guard reader.errors.isEmpty else { throw ValidationFailure(reader.errors) }
        return policy
    }
}

/// The policy's settings, read by the schema's `SettingsReader` (the same dotted-path errors and refusal of
/// unknown keys) with the kinds of value a policy has.
extension SettingsReader {
    mutating func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = value(key, required: false) else { return nil }
        guard let number = value.numberValue, number.isFinite else { fail(key, "must be a number"); return nil }
        guard range.contains(number) else {
            fail(key, "must be between \(JSONValue.format(number: range.lowerBound)) and \(JSONValue.format(number: range.upperBound))")
            return nil
        }
        return number
    }

    /// A share or probability, 0...1 unless told.
    mutating func fraction(_ key: String, in range: ClosedRange<Double> = 0...1) -> Double? {
        number(key, in: range)
    }

    mutating func count(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key, required: false) else { return nil }
        guard let integer = value.intValue else { fail(key, "must be a whole number"); return nil }
        guard range.contains(integer) else { fail(key, "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return integer
    }

    /// One of a few words; nil when absent or not one of them (with an error).
    mutating func word(_ key: String, allowed: [String]) -> String? {
        guard let value = value(key, required: false) else { return nil }
        guard let word = value.stringValue, allowed.contains(word) else {
            fail(key, "must be one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
            return nil
        }
        return word
    }

    /// A nested object, read by a reader of its own (hand it back with `finish`).
    mutating func section(_ key: String) -> SettingsReader? {
        guard let members = object(key) else { return nil }
        return SettingsReader(object: members, path: "\(path).\(key)")
    }

    mutating func finish(_ section: SettingsReader, what: String) {
        var section = section
        section.rejectUnknownKeys(what: what)
        errors += section.errors
    }
}
