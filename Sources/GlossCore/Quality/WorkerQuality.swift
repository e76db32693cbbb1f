import Foundation

/// Where a worker stands on a project, by their quality score and the policy's thresholds.
public enum WorkerQualityStatus: String, Sendable, Hashable, CaseIterable {
    /// Working normally (also every worker whose score rests on too few observations).
    case active
    /// Score below `more_review_below`: their annotations are reviewed at the spot check's first rate.
    case moreReview = "more_review"
    /// Score below `pause_below`: no more tasks on the project until a requester lifts the pause.
    case paused
}

/// What a worker's quality score on a project rests on: sums and counts of three kinds of observation, each
/// in 0...1. Gold scores (the type's metric against the right answer), review verdicts (accept 1, correct 0.5,
/// reject 0) and agreement with the task's final consensus. Sums and counts, so they add up incrementally and
/// across projects (`merging`) without keeping every observation.
public struct WorkerQualityObservations: Sendable, Hashable {
    public var goldCount: Int
    public var goldSum: Double
    public var reviewCount: Int
    public var reviewSum: Double
    public var consensusCount: Int
    public var consensusSum: Double

    /// Weights per observation in the score: gold and review verdicts are direct evidence of correctness,
    /// agreement with consensus is indirect (the consensus itself may be wrong), so it counts half.
    public static let goldWeight = 2.0
    public static let reviewWeight = 2.0
    public static let consensusWeight = 1.0

    public init(goldCount: Int = 0, goldSum: Double = 0, reviewCount: Int = 0, reviewSum: Double = 0,
                consensusCount: Int = 0, consensusSum: Double = 0) {
        self.goldCount = goldCount
        self.goldSum = goldSum
        self.reviewCount = reviewCount
        self.reviewSum = reviewSum
        self.consensusCount = consensusCount
        self.consensusSum = consensusSum
    }

    /// A reviewer's verdict on an annotation, as an observation.
    public enum ReviewVerdict: String, Sendable, Hashable, CaseIterable {
        case accept, correct, reject

        /// Accept 1, correct 0.5 (right in part), reject 0.
        public var score: Double {
            switch self {
            case .accept: 1
            case .correct: 0.5
            case .reject: 0
            }
        }
    }

    /// Adds a gold score (clamped to 0...1).
    public mutating func addGold(score: Double) {
        goldCount += 1
        goldSum += Self.clamped(score)
    }

    /// Adds a review verdict.
    public mutating func addReview(_ verdict: ReviewVerdict) {
        reviewCount += 1
        reviewSum += verdict.score
    }

    /// Adds the agreement (clamped to 0...1) of one answer with its task's final consensus.
    public mutating func addConsensus(agreement: Double) {
        consensusCount += 1
        consensusSum += Self.clamped(agreement)
    }

    static func clamped(_ value: Double) -> Double {
        value.isFinite ? min(1, max(0, value)) : 0
    }

    /// Both sets of observations together: a worker's overall figures from their per-project ones.
    public func merging(_ other: WorkerQualityObservations) -> WorkerQualityObservations {
        WorkerQualityObservations(goldCount: goldCount + other.goldCount, goldSum: goldSum + other.goldSum,
                                  reviewCount: reviewCount + other.reviewCount, reviewSum: reviewSum + other.reviewSum,
                                  consensusCount: consensusCount + other.consensusCount, consensusSum: consensusSum + other.consensusSum)
    }

    /// How many observations the score rests on (unweighted).
    public var count: Int { goldCount + reviewCount + consensusCount }

    var totalWeight: Double {
        Self.goldWeight * Double(goldCount) + Self.reviewWeight * Double(reviewCount) + Self.consensusWeight * Double(consensusCount)
    }

    /// The quality score in 0...1: the weighted mean of every observation (gold 2, review 2, consensus 1 per
    /// observation); nil with no observations.
    public var score: Double? {
        let weight = totalWeight
        guard weight > 0 else { return nil }
        let sum = Self.goldWeight * goldSum + Self.reviewWeight * reviewSum + Self.consensusWeight * consensusSum
        return min(1, max(0, sum / weight))
    }

    /// The effective number of observations of a weighted mean (Kish): (Σw)² / Σw².
    public var effectiveCount: Double {
        let squares = Self.goldWeight * Self.goldWeight * Double(goldCount) + Self.reviewWeight * Self.reviewWeight * Double(reviewCount)
            + Self.consensusWeight * Self.consensusWeight * Double(consensusCount)
        guard squares > 0 else { return 0 }
        return totalWeight * totalWeight / squares
    }

    /// A 95% interval for the score to show beside it: the Wilson score interval (z = 1.96) treating the score
    /// as a proportion over the effective number of observations. Unlike score ± 1.96·SE it stays inside
    /// 0...1 and is wide for few observations even when all agree. Nil with no observations.
    public var interval95: ClosedRange<Double>? {
        guard let score else { return nil }
        let n = effectiveCount
        let z = 1.96
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = score + z2 / (2 * n)
        let spread = z * (score * (1 - score) / n + z2 / (4 * n * n)).squareRoot()
        let lower = max(0, (centre - spread) / denominator)
        let upper = min(1, (centre + spread) / denominator)
        return lower...upper
    }

    /// Whether the score rests on enough observations for the policy's thresholds to apply.
    public func isEstablished(policy: QualityPolicy) -> Bool {
        count >= policy.thresholds.minimumObservations && score != nil
    }

    /// The worker's status: `.paused` below `pause_below`, `.moreReview` below `more_review_below`, else
    /// `.active`; always `.active` before `min_observations` observations.
    public func status(policy: QualityPolicy) -> WorkerQualityStatus {
        guard isEstablished(policy: policy), let score else { return .active }
        if score < policy.thresholds.pauseBelow { return .paused }
        if score < policy.thresholds.moreReviewBelow { return .moreReview }
        return .active
    }

    /// Whether the worker is marked for higher pay: an established score at or above `raise_above`.
    public func isRaiseEligible(policy: QualityPolicy) -> Bool {
        guard isEstablished(policy: policy), let score else { return false }
        return score >= policy.thresholds.raiseAbove
    }

    /// The figures a quality page shows: `{score, observations, interval95: [low, high], status,
    /// raise_eligible, gold: {count, mean}, review: {count, mean}, consensus: {count, mean}}` (nulls where
    /// there is nothing to show).
    public func json(policy: QualityPolicy) -> JSONValue {
        func part(_ count: Int, _ sum: Double) -> JSONValue {
            .object(["count": .number(Double(count)), "mean": count > 0 ? .number(sum / Double(count)) : .null])
        }
        return .object([
            "score": score.map(JSONValue.number) ?? .null,
            "observations": .number(Double(count)),
            "interval95": interval95.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null,
            "status": .string(status(policy: policy).rawValue),
            "raise_eligible": .bool(isRaiseEligible(policy: policy)),
            "gold": part(goldCount, goldSum),
            "review": part(reviewCount, reviewSum),
            "consensus": part(consensusCount, consensusSum),
        ])
    }
}
