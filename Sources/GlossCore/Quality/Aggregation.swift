import Foundation

/// How the labels of several workers on one task are turned into one answer.
public enum AggregationMethod: String, Sendable, CaseIterable, Codable {
    /// The most frequent label; ties go to the label first in label order. (crowd-kit's MajorityVote takes
    /// the first of its label columns, whose order under pandas 3 follows the counts, so ties are the only
    /// tasks where the two may differ.)
    case majority
    /// Dawid and Skene's EM over worker confusion matrices, as crowd-kit's DawidSkene.
    case dawidSkene = "dawid-skene"
}

/// One consensus label per task with its confidence, and each worker's estimated accuracy.
public struct ConsensusResult: Sendable {
    /// How the consensus was reached.
    public var method: AggregationMethod
    /// EM iterations run (Dawid-Skene); nil for majority vote.
    public var iterations: Int?
    /// The table's units (tasks), coders (workers) and labels, which the indices below point into.
    public var units: [String]
    public var coders: [String]
    public var labels: [JSONValue]
    /// Each unit's consensus label (an index into `labels`).
    public var unitLabel: [Int32]
    /// Majority: the winning label's share of the unit's votes. Dawid-Skene: its posterior probability.
    public var unitConfidence: [Double]
    /// Dawid-Skene's posterior of every label per unit (`units × labels`, row-major); nil for majority vote.
    public var unitProbabilities: [Double]?
    /// Dawid-Skene's estimated class priors; nil for majority vote.
    public var priors: [Double]?
    /// Labels each coder gave.
    public var coderLabelCount: [Int]
    /// Majority: share of the coder's labels equal to the consensus. Dawid-Skene: Σ_c prior(c)·P(says c | c).
    public var coderAccuracy: [Double]
    /// Dawid-Skene's confusion matrices, `coders × observed × true` (row-major): P(coder says y | truth c);
    /// nil for majority vote.
    public var confusion: [Double]?

    /// The consensus label of unit `unit`.
    public func label(ofUnit unit: Int) -> JSONValue { labels[Int(unitLabel[unit])] }

    /// `{"method", "iterations" (Dawid-Skene), "tasks": [{"task", "label", "confidence"}], "workers":
    /// [{"worker", "labels", "accuracy"}]}`, labels as the JSON values they were given as.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "method": .string(method.rawValue),
            "tasks": .array(units.indices.map {
                .object(["task": .string(units[$0]), "label": label(ofUnit: $0), "confidence": .number(unitConfidence[$0])])
            }),
            "workers": .array(coders.indices.map {
                .object(["worker": .string(coders[$0]), "labels": .number(Double(coderLabelCount[$0])),
                         "accuracy": .number(coderAccuracy[$0])])
            }),
        ]
        if let iterations { object["iterations"] = .number(Double(iterations)) }
        return .object(object)
    }

    /// The same text as `jsonValue.jsonText`, written directly as bytes: a hundred thousand tasks print in
    /// milliseconds.
    public var jsonText: String {
        var output: [UInt8] = []
        output.reserveCapacity(64 * (units.count + coders.count) + 64)
        let labelTexts = labels.map { Array($0.jsonText.utf8) }
        if let iterations {
            output.append(contentsOf: #"{"iterations":"#.utf8)
            output.append(contentsOf: String(iterations).utf8)
            output.append(contentsOf: #","method":"#.utf8)
        } else {
            output.append(contentsOf: #"{"method":"#.utf8)
        }
        ConsensusResult.appendString(method.rawValue, to: &output)
        output.append(contentsOf: #","tasks":["#.utf8)
        for unit in units.indices {
            output.append(contentsOf: unit == 0 ? #"{"confidence":"#.utf8 : #",{"confidence":"#.utf8)
            output.append(contentsOf: JSONValue.format(number: unitConfidence[unit]).utf8)
            output.append(contentsOf: #","label":"#.utf8)
            output.append(contentsOf: labelTexts[Int(unitLabel[unit])])
            output.append(contentsOf: #","task":"#.utf8)
            ConsensusResult.appendString(units[unit], to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: #"],"workers":["#.utf8)
        for coder in coders.indices {
            output.append(contentsOf: coder == 0 ? #"{"accuracy":"#.utf8 : #",{"accuracy":"#.utf8)
            output.append(contentsOf: JSONValue.format(number: coderAccuracy[coder]).utf8)
            output.append(contentsOf: #","labels":"#.utf8)
            output.append(contentsOf: String(coderLabelCount[coder]).utf8)
            output.append(contentsOf: #","worker":"#.utf8)
            ConsensusResult.appendString(coders[coder], to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "]}".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a JSON string literal: the bytes as they are when nothing needs escaping (as `JSONValue`
    /// escapes), else through `JSONValue.writeString`.
    static func appendString(_ value: String, to output: inout [UInt8]) {
        var value = value
        let plain = value.withUTF8 { bytes in
            bytes.allSatisfy { byte in
                byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "<")
                    && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "&") && byte != 0xE2   // U+2028, U+2029 start with E2
            }
        }
        if plain {
            output.append(UInt8(ascii: "\""))
            value.withUTF8 { output.append(contentsOf: $0) }
            output.append(UInt8(ascii: "\""))
        } else {
            var text = ""
            JSONValue.writeString(value, into: &text)
            output.append(contentsOf: text.utf8)
        }
    }
}

/// One pairwise comparison: `winner` was preferred to `loser` (item indices), counted `weight` times.
public struct PairwiseComparison: Sendable, Hashable {
    /// The preferred item's index.
    public var winner: Int
    /// The other item's index.
    public var loser: Int
    /// How many comparisons this stands for (at least 0).
    public var weight: Double

    public init(winner: Int, loser: Int, weight: Double = 1) {
        self.winner = winner
        self.loser = loser
        self.weight = weight
    }
}

/// Bradley-Terry strengths: P(i beats j) = s_i / (s_i + s_j), scores normalised to sum to 1.
public struct BradleyTerryResult: Sendable, Hashable {
    /// Each item's strength, summing to 1; 0 for items in no comparison (and, without smoothing, for items
    /// that never won).
    public var scores: [Double]
    /// Comparisons (weights) each item took part in.
    public var comparisons: [Double]
    /// MM steps taken.
    public var iterations: Int
    /// Whether the largest change of a score fell below the tolerance before the iteration limit.
    public var converged: Bool
}

/// The Borda count of rankings: in a ranking of L items the one at position r (0 = best) gets L - 1 - r
/// points; items a ranking leaves out get nothing from it.
public struct BordaResult: Sendable, Hashable {
    /// Each item's total points.
    public var points: [Double]
    /// Rankings each item appeared in.
    public var appearances: [Int]
    /// Items by points, most first (ties: lower index first).
    public var order: [Int]
}

/// Consensus from several workers' labels: majority vote and Dawid-Skene for categories (matching
/// crowd-kit), Bradley-Terry and Borda for comparisons and rankings. Pure; flat arrays in the inner loops.
public enum Aggregation {
    /// crowd-kit's clipping floor for probabilities (`_EPS = 1e-10`).
    static let epsilon = 1e-10

    /// The aggregate of `table` by `method`.
    public static func aggregate(_ table: LabelTable, method: AggregationMethod, maxIterations: Int = 100,
                                 tolerance: Double = 1e-5) -> ConsensusResult {
        switch method {
        case .majority: majorityVote(table)
        case .dawidSkene: dawidSkene(table, maxIterations: maxIterations, tolerance: tolerance)
        }
    }

    // MARK: Majority vote

    /// The most frequent label per unit (ties to the label first in label order), its share of the votes,
    /// and each coder's share of labels equal to the consensus.
    public static func majorityVote(_ table: LabelTable) -> ConsensusResult {
        let unitCount = table.units.count
        var counts = [Int](repeating: 0, count: table.labels.count)
        var unitLabel = [Int32](repeating: 0, count: unitCount)
        var confidence = [Double](repeating: 0, count: unitCount)
        var given = [Int](repeating: 0, count: table.coders.count)
        var agreeing = [Int](repeating: 0, count: table.coders.count)
        for unit in 0..<unitCount {
            let rows = table.unitOffsets[unit]..<table.unitOffsets[unit + 1]
            guard !rows.isEmpty else { continue }
            var best: Int32 = 0
            var bestCount = 0
            for row in rows {
                let label = Int(table.rowLabel[row])
                counts[label] += 1
                let count = counts[label]
                if count > bestCount || (count == bestCount && table.rowLabel[row] < best) {
                    best = table.rowLabel[row]
                    bestCount = count
                }
            }
            unitLabel[unit] = best
            confidence[unit] = Double(bestCount) / Double(rows.count)
            for row in rows {
                counts[Int(table.rowLabel[row])] = 0
                let coder = Int(table.rowCoder[row])
                given[coder] += 1
                if table.rowLabel[row] == best { agreeing[coder] += 1 }
            }
        }
        return ConsensusResult(method: .majority, iterations: nil, units: table.units, coders: table.coders,
                               labels: table.labels, unitLabel: unitLabel, unitConfidence: confidence,
                               unitProbabilities: nil, priors: nil, coderLabelCount: given,
                               coderAccuracy: zip(agreeing, given).map { $1 > 0 ? Double($0) / Double($1) : 0 },
                               confusion: nil)
    }

    // MARK: Dawid-Skene

    /// Dawid-Skene EM as crowd-kit's `DawidSkene` runs it: start from the majority-vote distributions, M-step
    /// (confusion counts clipped at 1e-10 and normalised over the labels each worker used), then up to
    /// `maxIterations` rounds of E-step (log2 likelihoods with priors clipped at 1e-10), priors as the mean
    /// posterior, M-step, stopping when the evidence lower bound per label gains less than `tolerance`.
    public static func dawidSkene(_ table: LabelTable, maxIterations: Int = 100, tolerance: Double = 1e-5) -> ConsensusResult {
        let unitCount = table.units.count
        let coderCount = table.coders.count
        let k = table.labels.count
        let rowCount = table.count
        guard unitCount > 0, k > 0 else {
            return ConsensusResult(method: .dawidSkene, iterations: 0, units: table.units, coders: table.coders, labels: table.labels,
                                   unitLabel: [], unitConfidence: [], unitProbabilities: [], priors: [],
                                   coderLabelCount: [Int](repeating: 0, count: coderCount),
                                   coderAccuracy: [Double](repeating: 0, count: coderCount), confusion: [])
        }
        // Each row's (coder, observed label) cell: the start of its row of K true-label columns.
        var cell = [Int32](repeating: 0, count: rowCount)
        var used = [Bool](repeating: false, count: coderCount * k)
        var given = [Int](repeating: 0, count: coderCount)
        for row in 0..<rowCount {
            let coder = Int(table.rowCoder[row])
            let index = coder * k + Int(table.rowLabel[row])
            cell[row] = Int32(index)
            used[index] = true
            given[coder] += 1
        }

        var state = DawidSkeneState(units: unitCount, coders: coderCount, labels: k, offsets: table.unitOffsets, cell: cell, used: used)
        state.startFromVotes(table.rowLabel)
        var priors = state.meanPosterior()
        state.maximise()
        var loss = -Double.infinity
        var iterations = 0
        for _ in 0..<maxIterations {
            state.expect(priors: priors)
            priors = state.meanPosterior()
            state.maximise()
            iterations += 1
            let newLoss = state.evidenceLowerBound(priors: priors) / Double(rowCount)
            if newLoss - loss < tolerance { break }
            loss = newLoss
        }
        let probabilities = state.probabilities()

        var unitLabel = [Int32](repeating: 0, count: unitCount)
        var confidence = [Double](repeating: 0, count: unitCount)
        for unit in 0..<unitCount {
            var best = 0
            for c in 1..<max(k, 1) where probabilities[unit * k + c] > probabilities[unit * k + best] { best = c }
            unitLabel[unit] = Int32(best)
            confidence[unit] = probabilities[unit * k + best]
        }
        let clippedPriors = priors.map { max($0, epsilon) }
        // errors[coder, observed y, true c], with cells the worker never used at 0.
        var confusion = [Double](repeating: 0, count: coderCount * k * k)
        var accuracy = [Double](repeating: 0, count: coderCount)
        for coder in 0..<coderCount {
            for y in 0..<k where used[coder * k + y] {
                for c in 0..<k { confusion[(coder * k + y) * k + c] = state.errors[(coder * k + y) * k + c] }
                accuracy[coder] += clippedPriors[y] * state.errors[(coder * k + y) * k + y]
            }
        }
        return ConsensusResult(method: .dawidSkene, iterations: iterations, units: table.units, coders: table.coders,
                               labels: table.labels, unitLabel: unitLabel, unitConfidence: confidence,
                               unitProbabilities: probabilities, priors: clippedPriors, coderLabelCount: given,
                               coderAccuracy: accuracy, confusion: confusion)
    }

    // MARK: Bradley-Terry

    /// Bradley-Terry strengths of `itemCount` items from pairwise comparisons, by Hunter's MM (Zermelo)
    /// iteration s_i ← W_i / Σ_j n_ij / (s_i + s_j), scores normalised to sum to 1 after every step.
    /// `smoothing` adds that many virtual wins to each side of every compared pair, which keeps an undefeated
    /// or winless item finite; 0 gives the plain maximum-likelihood estimate.
    public static func bradleyTerry(itemCount: Int, comparisons: [PairwiseComparison], smoothing: Double = 0,
                                    maxIterations: Int = 10_000, tolerance: Double = 1e-12) throws(FieldError) -> BradleyTerryResult {
        var pairWeights: [Int: Double] = [:]   // key: low * itemCount + high; total comparisons of the pair
        var wins = [Double](repeating: 0, count: itemCount)
        var taken = [Double](repeating: 0, count: itemCount)
        for (index, comparison) in comparisons.enumerated() {
            guard (0..<itemCount).contains(comparison.winner) else {
                throw FieldError(field: "comparisons[\(index)].winner", message: "must be an item index below \(itemCount)")
            }
            guard (0..<itemCount).contains(comparison.loser) else {
                throw FieldError(field: "comparisons[\(index)].loser", message: "must be an item index below \(itemCount)")
            }
            guard comparison.winner != comparison.loser else {
                throw FieldError(field: "comparisons[\(index)].loser", message: "must differ from the winner")
            }
            guard comparison.weight.isFinite, comparison.weight >= 0 else {
                throw FieldError(field: "comparisons[\(index)].weight", message: "must be a finite number of at least 0")
            }
            let low = min(comparison.winner, comparison.loser), high = max(comparison.winner, comparison.loser)
            pairWeights[low * itemCount + high, default: 0] += comparison.weight
            wins[comparison.winner] += comparison.weight
            taken[comparison.winner] += comparison.weight
            taken[comparison.loser] += comparison.weight
        }
        var pairs = pairWeights.map { (low: $0.key / itemCount, high: $0.key % itemCount, weight: $0.value) }
            .filter { $0.weight > 0 || smoothing > 0 }
        pairs.sort { ($0.low, $0.high) < ($1.low, $1.high) }
        if smoothing > 0 {
            for index in pairs.indices {
                pairs[index].weight += 2 * smoothing
                wins[pairs[index].low] += smoothing
                wins[pairs[index].high] += smoothing
            }
        }
        var scores = [Double](repeating: 0, count: itemCount)
        for pair in pairs {
            scores[pair.low] = 1
            scores[pair.high] = 1
        }
        var active = scores.reduce(0, +)
        if active > 0 { for item in 0..<itemCount { scores[item] /= active } }
        var denominators = [Double](repeating: 0, count: itemCount)
        var iterations = 0
        var converged = pairs.isEmpty
        while !converged, iterations < maxIterations {
            iterations += 1
            for item in 0..<itemCount { denominators[item] = 0 }
            for pair in pairs {
                let sum = scores[pair.low] + scores[pair.high]
                guard sum > 0 else { continue }
                denominators[pair.low] += pair.weight / sum
                denominators[pair.high] += pair.weight / sum
            }
            var next = scores
            for item in 0..<itemCount where denominators[item] > 0 { next[item] = wins[item] / denominators[item] }
            active = next.reduce(0, +)
            guard active > 0 else { break }
            var change = 0.0
            for item in 0..<itemCount {
                next[item] /= active
                change = max(change, abs(next[item] - scores[item]))
            }
            scores = next
            converged = change < tolerance
        }
        return BradleyTerryResult(scores: scores, comparisons: taken, iterations: iterations, converged: converged)
    }

    /// Every pair a ranking implies (each item beats every item listed after it), for `bradleyTerry`.
    public static func comparisons(fromRankings rankings: [[Int]]) -> [PairwiseComparison] {
        var result: [PairwiseComparison] = []
        for ranking in rankings {
            var seen = Set<Int>()
            let items = ranking.filter { seen.insert($0).inserted }
            for (position, winner) in items.enumerated() {
                for loser in items[(position + 1)...] { result.append(PairwiseComparison(winner: winner, loser: loser)) }
            }
        }
        return result
    }

    // MARK: Borda

    /// The Borda count of rankings (each a list of item indices, best first, possibly partial). An item
    /// listed twice in one ranking is an error.
    public static func borda(itemCount: Int, rankings: [[Int]]) throws(FieldError) -> BordaResult {
        var points = [Double](repeating: 0, count: itemCount)
        var appearances = [Int](repeating: 0, count: itemCount)
        var seenIn = [Int](repeating: -1, count: itemCount)
        for (rankingIndex, ranking) in rankings.enumerated() {
            let length = ranking.count
            for (position, item) in ranking.enumerated() {
                guard (0..<itemCount).contains(item) else {
                    throw FieldError(field: "rankings[\(rankingIndex)][\(position)]", message: "must be an item index below \(itemCount)")
                }
                guard seenIn[item] != rankingIndex else {
                    throw FieldError(field: "rankings[\(rankingIndex)][\(position)]", message: "lists item \(item) a second time")
                }
                seenIn[item] = rankingIndex
                points[item] += Double(length - 1 - position)
                appearances[item] += 1
            }
        }
        let order = (0..<itemCount).sorted { points[$0] != points[$1] ? points[$0] > points[$1] : $0 < $1 }
        return BordaResult(points: points, appearances: appearances, order: order)
    }
}

/// Dawid-Skene's working arrays: rows grouped by unit, each pointing at its (coder, observed label) cell.
/// A unit's posterior and a cell's row of true-label columns are stored as `width` SIMD vectors (labels
/// padded to a multiple of 8), so the E-step and M-step add whole rows at once.
struct DawidSkeneState {
    typealias Lanes = SIMD8<Double>
    let units: Int
    let coders: Int
    let labels: Int
    /// Vectors per row: labels / 8, rounded up.
    let width: Int
    let offsets: [Int]
    let cell: [Int32]
    let used: [Bool]
    /// Each unit's posterior over the true label (padding lanes 0).
    var posteriors: [Lanes]
    /// Unnormalised M-step sums: Σ over the cell's rows of the unit's posterior, per true label.
    var counts: [Lanes]
    /// log2 P(coder says y | truth c) for used cells (padding lanes 0).
    var logErrors: [Lanes]
    /// P(coder says y | truth c), `coders × labels × labels`, for used cells (clipped, normalised).
    var errors: [Double]
    /// The posteriors' entropy (probabilities clipped at 1e-10), from the latest E-step.
    var entropy = 0.0

    init(units: Int, coders: Int, labels: Int, offsets: [Int], cell: [Int32], used: [Bool]) {
        self.units = units
        self.coders = coders
        self.labels = labels
        width = (labels + 7) / 8
        self.offsets = offsets
        self.cell = cell
        self.used = used
        posteriors = [Lanes](repeating: .zero, count: units * width)
        counts = [Lanes](repeating: .zero, count: coders * labels * width)
        logErrors = counts
        errors = [Double](repeating: 0, count: coders * labels * labels)
    }

    /// The majority vote's distributions, crowd-kit's starting point: each label's share of the unit's votes.
    mutating func startFromVotes(_ rowLabel: [Int32]) {
        for unit in 0..<units {
            let rows = offsets[unit]..<offsets[unit + 1]
            for row in rows {
                let label = Int(rowLabel[row])
                posteriors[unit * width + label >> 3][label & 7] += 1
            }
            let share = 1 / Double(rows.count)
            for vector in 0..<width { posteriors[unit * width + vector] *= share }
        }
        // The entropy of the start is never used: the first loss comes after an E-step.
    }

    /// The posteriors as `units × labels`, row-major.
    func probabilities() -> [Double] {
        var result = [Double](repeating: 0, count: units * labels)
        for unit in 0..<units {
            for c in 0..<labels { result[unit * labels + c] = posteriors[unit * width + c >> 3][c & 7] }
        }
        return result
    }

    /// The class priors: the mean posterior over units.
    func meanPosterior() -> [Double] {
        var sums = [Lanes](repeating: .zero, count: width)
        posteriors.withUnsafeBufferPointer { p in
            for unit in 0..<units {
                for vector in 0..<width { sums[vector] += p[unit * width + vector] }
            }
        }
        return (0..<labels).map { sums[$0 >> 3][$0 & 7] / Double(units) }
    }

    /// M-step: confusion counts from the posteriors, clipped at 1e-10 and normalised per coder and true
    /// label over the labels the coder used (crowd-kit groups by the (worker, label) pairs that occur).
    mutating func maximise() {
        let width = width
        counts.withUnsafeMutableBufferPointer { counts in
            for index in counts.indices { counts[index] = .zero }
            posteriors.withUnsafeBufferPointer { p in
                cell.withUnsafeBufferPointer { cell in
                    offsets.withUnsafeBufferPointer { offsets in
                        for unit in 0..<units {
                            if width == 1 {
                                let posterior = p[unit]
                                for row in offsets[unit]..<offsets[unit + 1] { counts[Int(cell[row])] += posterior }
                                continue
                            }
                            let posterior = p.baseAddress! + unit * width
                            for row in offsets[unit]..<offsets[unit + 1] {
                                let target = counts.baseAddress! + Int(cell[row]) * width
                                for vector in 0..<width { target[vector] += posterior[vector] }
                            }
                        }
                    }
                }
            }
        }
        let k = labels
        let epsilon = Aggregation.epsilon
        for coder in 0..<coders {
            for c in 0..<k {
                var total = 0.0
                for y in 0..<k where used[coder * k + y] { total += max(counts[(coder * k + y) * width + c >> 3][c & 7], epsilon) }
                for y in 0..<k where used[coder * k + y] {
                    let cellIndex = coder * k + y
                    let error = max(counts[cellIndex * width + c >> 3][c & 7], epsilon) / total
                    errors[cellIndex * k + c] = error
                    logErrors[cellIndex * width + c >> 3][c & 7] = log2(error)
                }
            }
        }
    }

    /// E-step: each unit's posterior ∝ prior(c) · Π P(coder says y | c), summed in log2 and shifted by the
    /// maximum before exponentiating, as crowd-kit does; also the posteriors' entropy for the loss.
    mutating func expect(priors: [Double]) {
        let k = labels
        let width = width
        let epsilon = Aggregation.epsilon
        var logPriors = [Lanes](repeating: Lanes(repeating: -.infinity), count: width)   // padding never wins
        for c in 0..<k { logPriors[c >> 3][c & 7] = log2(max(priors[c], epsilon)) }
        var scratch = [Lanes](repeating: .zero, count: width)
        var entropy = 0.0
        let clippedTerm = -epsilon * log(epsilon)
        let ln2 = M_LN2
        posteriors.withUnsafeMutableBufferPointer { p in
            logErrors.withUnsafeBufferPointer { logErrors in
                cell.withUnsafeBufferPointer { cell in
                    offsets.withUnsafeBufferPointer { offsets in
                        scratch.withUnsafeMutableBufferPointer { likelihood in
                            for unit in 0..<units {
                                if width == 1 {
                                    // Up to 8 labels: the row sum stays in registers.
                                    var sum = logPriors[0]
                                    for row in offsets[unit]..<offsets[unit + 1] { sum += logErrors[Int(cell[row])] }
                                    likelihood[0] = sum
                                } else {
                                    for vector in 0..<width { likelihood[vector] = logPriors[vector] }
                                    for row in offsets[unit]..<offsets[unit + 1] {
                                        let source = logErrors.baseAddress! + Int(cell[row]) * width
                                        for vector in 0..<width { likelihood[vector] += source[vector] }
                                    }
                                }
                                var largest = -Double.infinity
                                for vector in 0..<width { largest = max(largest, likelihood[vector].max()) }
                                let posterior = p.baseAddress! + unit * width
                                var sum = 0.0
                                for c in 0..<k {
                                    let value = exp2(likelihood[c >> 3][c & 7] - largest)
                                    posterior[c >> 3][c & 7] = value
                                    sum += value
                                }
                                let logSum = log(sum)
                                for c in 0..<k {
                                    let probability = posterior[c >> 3][c & 7] / sum
                                    posterior[c >> 3][c & 7] = probability
                                    // -q ln q with q = max(p, 1e-10); ln p from the log-likelihoods, not a log per label.
                                    entropy += probability >= epsilon
                                        ? -probability * ((likelihood[c >> 3][c & 7] - largest) * ln2 - logSum)
                                        : clippedTerm
                                }
                            }
                        }
                    }
                }
            }
        }
        self.entropy = entropy
    }

    /// crowd-kit's evidence lower bound: Σ_rows Σ_c q(c) (ln P(y | c) + ln prior(c)) plus the posteriors'
    /// entropy. The row sum is taken through the M-step counts, which hold Σ q(c) per (coder, observed
    /// label) cell.
    func evidenceLowerBound(priors: [Double]) -> Double {
        let k = labels
        let logPriors = priors.map { log(max($0, Aggregation.epsilon)) }
        var expectation = 0.0
        for coder in 0..<coders {
            for y in 0..<k where used[coder * k + y] {
                let cellIndex = coder * k + y
                for c in 0..<k {
                    let weight = counts[cellIndex * width + c >> 3][c & 7]
                    if weight != 0 { expectation += weight * (log(errors[cellIndex * k + c]) + logPriors[c]) }
                }
            }
        }
        return expectation + entropy
    }
}
