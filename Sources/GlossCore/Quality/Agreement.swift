import Foundation

/// The level of measurement of a label, which sets Krippendorff's distance between two values.
public enum AgreementMetric: String, Sendable, CaseIterable, Codable {
    /// Labels are categories: two values agree or they do not.
    case nominal
    /// Labels are ranks: the distance grows with how many values lie between them.
    case ordinal
    /// Labels are numbers: the distance is the squared difference.
    case interval
}

/// A 95% (or other) confidence interval.
public struct ConfidenceInterval: Sendable, Hashable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Every agreement figure of one field: Krippendorff's alpha with its bootstrap interval, percentage
/// agreement, Fleiss' and Cohen's kappas, per-label and per-coder figures and the coincidence matrix.
/// The CLI and the server print it as `jsonValue`.
public struct AgreementReport: Sendable {
    /// Cohen's kappa between two coders over the units both rated.
    public struct CoderPair: Sendable, Hashable {
        /// The first coder (earlier in coder order).
        public var a: String
        /// The second coder.
        public var b: String
        /// Units both coders rated.
        public var n: Int
        /// nil when undefined (both coders gave one and the same label throughout).
        public var kappa: Double?
    }

    /// How often a label was given and how often a pairable value with it is matched by the same label.
    public struct LabelFigures: Sendable, Hashable {
        /// The label as it was given.
        public var label: JSONValue
        /// Times the label was given (all rows, pairable or not).
        public var count: Int
        /// The coincidence diagonal over the label's pairable values (`o_cc / n_c`); nil when never pairable.
        public var agreement: Double?
    }

    /// One coder's agreement with the others in the units they share.
    public struct CoderFigures: Sendable, Hashable {
        /// The coder's name.
        public var coder: String
        /// Labels the coder gave in units with at least two labels.
        public var units: Int
        /// Share of the coder's pairs (with each other coder of the same unit) that agree exactly; nil without pairs.
        public var agreement: Double?
    }

    /// The level of measurement alpha was computed for.
    public var metric: AgreementMetric
    /// Units (tasks) with at least one label.
    public var units: Int
    /// Coders (workers) with at least one label.
    public var coders: Int
    /// The distinct labels in label order (the coincidence matrix's rows and columns).
    public var labels: [JSONValue]
    /// Values in units with at least two values (Krippendorff's n).
    public var pairableValues: Int
    /// Krippendorff's alpha; nil when undefined (no pairable values, or no variation at all).
    public var alpha: Double?
    /// Bootstrap interval for alpha over units (percentile method); nil when not computed or undefined.
    public var alphaCI95: ConfidenceInterval?
    /// Bootstrap resamples drawn for `alphaCI95`.
    public var bootstrapSamples: Int
    /// Share of agreeing pairs among all pairs of values within units (exact match, whatever the metric).
    public var percentAgreement: Double?
    /// Fleiss' kappa over the units holding the most common number of ratings; nil when undefined.
    public var fleissKappa: Double?
    /// Units Fleiss' kappa was computed over.
    public var fleissUnits: Int
    /// The unweighted mean of the defined pairwise Cohen's kappas.
    public var cohenKappaMean: Double?
    /// Cohen's kappa for every pair of coders sharing at least two units, in coder order.
    public var cohenPairs: [CoderPair]
    /// Each label's use and specific agreement, in label order.
    public var perLabel: [LabelFigures]
    /// Each coder's agreement with the others, in coder order.
    public var perCoder: [CoderFigures]
    /// The coincidence matrix (labels × labels, fractional counts); nil above `Agreement.coincidenceLimit` labels.
    public var coincidence: [[Double]]?

    /// The report as JSON with snake_case keys (see docs for the layout); undefined figures are `null`.
    public var jsonValue: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { $0.isFinite ? .number($0) : .null } ?? .null }
        var object: [String: JSONValue] = [
            "metric": .string(metric.rawValue),
            "units": .number(Double(units)),
            "coders": .number(Double(coders)),
            "labels": .number(Double(labels.count)),
            "pairable_values": .number(Double(pairableValues)),
            "alpha": number(alpha),
            "alpha_ci95": alphaCI95.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null,
            "bootstrap_samples": .number(Double(bootstrapSamples)),
            "percent_agreement": number(percentAgreement),
            "fleiss_kappa": number(fleissKappa),
            "fleiss_units": .number(Double(fleissUnits)),
        ]
        object["cohen_kappa"] = .object([
            "mean": number(cohenKappaMean),
            "pairs": .array(cohenPairs.map {
                .object(["a": .string($0.a), "b": .string($0.b), "n": .number(Double($0.n)), "kappa": number($0.kappa)])
            }),
        ])
        object["per_label"] = .array(perLabel.map {
            .object(["label": $0.label, "count": .number(Double($0.count)), "agreement": number($0.agreement)])
        })
        object["per_coder"] = .array(perCoder.map {
            .object(["coder": .string($0.coder), "units": .number(Double($0.units)), "agreement": number($0.agreement)])
        })
        object["coincidence"] = .object([
            "labels": .array(labels),
            "counts": coincidence.map { .array($0.map { .array($0.map { .number($0) }) }) } ?? .null,
        ])
        return .object(object)
    }
}

/// Inter-annotator agreement: Krippendorff's alpha computed through the coincidence matrix exactly as the
/// `krippendorff` Python package does, and the usual companions. Pure and single-pass over a `LabelTable`.
public enum Agreement {
    /// Above this many labels the coincidence matrix is left out of reports (it would dwarf the rest).
    public static let coincidenceLimit = 256

    /// The bootstrap's seed when none is given: the same data always gives the same interval.
    public static let defaultSeed: UInt64 = 1

    /// All agreement figures of `table` under `metric`. Ordinal and interval need numeric labels (else a
    /// `FieldError` naming the first offending line). `bootstrapSamples` resamples of units (0 for none)
    /// give alpha's 95% interval, drawn from a SplitMix64 generator seeded with `seed`.
    public static func report(_ table: LabelTable, metric: AgreementMetric, bootstrapSamples: Int = 1000,
                              seed: UInt64 = defaultSeed) throws(FieldError) -> AgreementReport {
        let values = metric == .nominal ? nil : try table.numericLabelValues()
        let pairable = PairableUnits(table)
        let labelCount = table.labels.count

        // Coincidence diagonal, marginals and (for few labels) the whole matrix.
        var diagonal = [Double](repeating: 0, count: labelCount)
        let dense = labelCount <= coincidenceLimit
        var matrix = [Double](repeating: 0, count: dense ? labelCount * labelCount : 0)
        var agreeingPairs = 0.0
        var allPairs = 0.0
        for unit in 0..<pairable.count {
            let m = Double(pairable.size[unit])
            let range = pairable.range(unit)
            allPairs += m * (m - 1) / 2
            for entry in range {
                let c = Int(pairable.entryLabel[entry])
                let nc = Double(pairable.entryCount[entry])
                diagonal[c] += nc * (nc - 1) / (m - 1)
                agreeingPairs += nc * (nc - 1) / 2
                if dense {
                    for other in range {
                        let k = Int(pairable.entryLabel[other])
                        let nk = Double(pairable.entryCount[other])
                        matrix[c * labelCount + k] += (c == k ? nc * (nc - 1) : nc * nk) / (m - 1)
                    }
                }
            }
        }

        let alpha = pairable.alpha(metric: metric, values: values)
        var interval: ConfidenceInterval?
        if bootstrapSamples > 0, alpha != nil {
            interval = pairable.bootstrapInterval(metric: metric, values: values, samples: bootstrapSamples, seed: seed)
        }

        var labelUses = [Int](repeating: 0, count: labelCount)
        for label in table.rowLabel { labelUses[Int(label)] += 1 }
        let perLabel = (0..<labelCount).map { c in
            AgreementReport.LabelFigures(label: table.labels[c], count: labelUses[c],
                                         agreement: pairable.marginal[c] > 0 ? diagonal[c] / Double(pairable.marginal[c]) : nil)
        }
        let fleiss = pairable.fleissKappa(labelCount: labelCount)
        let cohen = cohenPairs(table)
        let defined = cohen.compactMap(\.kappa)

        return AgreementReport(
            metric: metric,
            units: table.units.count,
            coders: table.coders.count,
            labels: table.labels,
            pairableValues: pairable.total,
            alpha: alpha,
            alphaCI95: interval,
            bootstrapSamples: interval == nil ? 0 : bootstrapSamples,
            percentAgreement: allPairs > 0 ? agreeingPairs / allPairs : nil,
            fleissKappa: fleiss.kappa,
            fleissUnits: fleiss.units,
            cohenKappaMean: defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count),
            cohenPairs: cohen,
            perLabel: perLabel,
            perCoder: coderFigures(table),
            coincidence: dense ? (0..<labelCount).map { Array(matrix[($0 * labelCount)..<(($0 + 1) * labelCount)]) } : nil
        )
    }

    /// Krippendorff's alpha alone; nil when undefined.
    public static func alpha(_ table: LabelTable, metric: AgreementMetric) throws(FieldError) -> Double? {
        let values = metric == .nominal ? nil : try table.numericLabelValues()
        return PairableUnits(table).alpha(metric: metric, values: values)
    }

    /// Each unit's share of agreeing pairs of labels (exact match); nil for units with fewer than two labels.
    /// Sorting by it ranks the disagreements for adjudication.
    public static func unitAgreement(_ table: LabelTable) -> [Double?] {
        var counts = [Int32](repeating: 0, count: table.labels.count)
        return (0..<table.units.count).map { unit in
            let rows = table.unitOffsets[unit]..<table.unitOffsets[unit + 1]
            guard rows.count >= 2 else { return nil }
            var agreeing = 0
            for row in rows {
                let label = Int(table.rowLabel[row])
                agreeing += Int(counts[label])
                counts[label] += 1
            }
            for row in rows { counts[Int(table.rowLabel[row])] = 0 }
            let m = rows.count
            return Double(agreeing) / Double(m * (m - 1) / 2)
        }
    }

    /// Cohen's kappa for every pair of coders (in coder order) over the units both rated, for pairs sharing
    /// at least two units.
    static func cohenPairs(_ table: LabelTable) -> [AgreementReport.CoderPair] {
        let coderCount = table.coders.count
        let labelCount = table.labels.count
        guard coderCount >= 2, labelCount > 0 else { return [] }
        return coderCount * coderCount * (2 + 2 * labelCount) <= 1 << 24 ? denseCohenPairs(table) : sparseCohenPairs(table)
    }

    /// `cohenPairs` for many coders or labels: each coder's rows are walked against the other coders of the
    /// same units, with working arrays of one row per other coder.
    static func sparseCohenPairs(_ table: LabelTable) -> [AgreementReport.CoderPair] {
        let coderCount = table.coders.count
        let labelCount = table.labels.count
        guard coderCount >= 2, labelCount > 0 else { return [] }
        // Rows by coder: (unit, label).
        var coderOffsets = [Int](repeating: 0, count: coderCount + 1)
        for coder in table.rowCoder { coderOffsets[Int(coder) + 1] += 1 }
        for index in 0..<coderCount { coderOffsets[index + 1] += coderOffsets[index] }
        var byCoderUnit = [Int32](repeating: 0, count: table.count)
        var byCoderLabel = [Int32](repeating: 0, count: table.count)
        var next = coderOffsets
        for unit in 0..<table.units.count {
            for row in table.unitOffsets[unit]..<table.unitOffsets[unit + 1] {
                let coder = Int(table.rowCoder[row])
                byCoderUnit[next[coder]] = Int32(unit)
                byCoderLabel[next[coder]] = table.rowLabel[row]
                next[coder] += 1
            }
        }

        var shared = [Int](repeating: 0, count: coderCount)
        var agreeing = [Int](repeating: 0, count: coderCount)
        var marginA = [Int32](repeating: 0, count: coderCount * labelCount)
        var marginB = [Int32](repeating: 0, count: coderCount * labelCount)
        var touched: [Int] = []
        var pairs: [AgreementReport.CoderPair] = []
        for a in 0..<coderCount {
            for slot in coderOffsets[a]..<coderOffsets[a + 1] {
                let unit = Int(byCoderUnit[slot])
                let la = Int(byCoderLabel[slot])
                for row in table.unitOffsets[unit]..<table.unitOffsets[unit + 1] {
                    let b = Int(table.rowCoder[row])
                    guard b > a else { continue }
                    let lb = Int(table.rowLabel[row])
                    if shared[b] == 0 { touched.append(b) }
                    shared[b] += 1
                    if la == lb { agreeing[b] += 1 }
                    marginA[b * labelCount + la] += 1
                    marginB[b * labelCount + lb] += 1
                }
            }
            touched.sort()
            for b in touched {
                let n = Double(shared[b])
                if shared[b] >= 2 {
                    var expected = 0.0
                    for c in 0..<labelCount {
                        expected += Double(marginA[b * labelCount + c]) * Double(marginB[b * labelCount + c])
                    }
                    expected /= n * n
                    let observed = Double(agreeing[b]) / n
                    let kappa: Double? = expected < 1 ? (observed - expected) / (1 - expected) : nil
                    pairs.append(AgreementReport.CoderPair(a: table.coders[a], b: table.coders[b], n: shared[b], kappa: kappa))
                }
                shared[b] = 0
                agreeing[b] = 0
                for c in 0..<labelCount {
                    marginA[b * labelCount + c] = 0
                    marginB[b * labelCount + c] = 0
                }
            }
            touched.removeAll(keepingCapacity: true)
        }
        return pairs
    }

    /// `cohenPairs` for few coders and labels: one pass over the pairs of rows within each unit, into a
    /// coders × coders table of (shared units, agreements, both coders' label counts).
    static func denseCohenPairs(_ table: LabelTable) -> [AgreementReport.CoderPair] {
        let coderCount = table.coders.count
        let labelCount = table.labels.count
        let stride = 2 + 2 * labelCount
        var stats = [Int32](repeating: 0, count: coderCount * coderCount * stride)
        stats.withUnsafeMutableBufferPointer { stats in
            table.rowCoder.withUnsafeBufferPointer { coders in
                table.rowLabel.withUnsafeBufferPointer { labels in
                    for unit in 0..<table.units.count {
                        let end = table.unitOffsets[unit + 1]
                        for first in table.unitOffsets[unit]..<end {
                            for second in (first + 1)..<max(first + 1, end) {
                                var a = Int(coders[first]), b = Int(coders[second])
                                var la = Int(labels[first]), lb = Int(labels[second])
                                if a > b { swap(&a, &b); swap(&la, &lb) }
                                let cell = stats.baseAddress! + (a * coderCount + b) * stride
                                cell[0] += 1
                                if la == lb { cell[1] += 1 }
                                cell[2 + la] += 1
                                cell[2 + labelCount + lb] += 1
                            }
                        }
                    }
                }
            }
        }
        var pairs: [AgreementReport.CoderPair] = []
        for a in 0..<coderCount {
            for b in (a + 1)..<coderCount {
                let base = (a * coderCount + b) * stride
                let shared = Int(stats[base])
                guard shared >= 2 else { continue }
                let n = Double(shared)
                var expected = 0.0
                for c in 0..<labelCount { expected += Double(stats[base + 2 + c]) * Double(stats[base + 2 + labelCount + c]) }
                expected /= n * n
                let observed = Double(stats[base + 1]) / n
                pairs.append(AgreementReport.CoderPair(a: table.coders[a], b: table.coders[b], n: shared,
                                                       kappa: expected < 1 ? (observed - expected) / (1 - expected) : nil))
            }
        }
        return pairs
    }

    /// Each coder's exact agreement with the other coders of the units they rated.
    static func coderFigures(_ table: LabelTable) -> [AgreementReport.CoderFigures] {
        var units = [Int](repeating: 0, count: table.coders.count)
        var pairs = [Int](repeating: 0, count: table.coders.count)
        var agreeing = [Int](repeating: 0, count: table.coders.count)
        var counts = [Int](repeating: 0, count: table.labels.count)
        for unit in 0..<table.units.count {
            let rows = table.unitOffsets[unit]..<table.unitOffsets[unit + 1]
            guard rows.count >= 2 else { continue }
            for row in rows { counts[Int(table.rowLabel[row])] += 1 }
            for row in rows {
                let coder = Int(table.rowCoder[row])
                units[coder] += 1
                pairs[coder] += rows.count - 1
                agreeing[coder] += counts[Int(table.rowLabel[row])] - 1
            }
            for row in rows { counts[Int(table.rowLabel[row])] = 0 }
        }
        return table.coders.indices.map {
            AgreementReport.CoderFigures(coder: table.coders[$0], units: units[$0],
                                         agreement: pairs[$0] > 0 ? Double(agreeing[$0]) / Double(pairs[$0]) : nil)
        }
    }
}

/// The units with at least two values, each as its distinct labels and how many coders gave each: the
/// value counts `krippendorff` works from, in compressed rows.
struct PairableUnits {
    /// Number of pairable units.
    var count = 0
    /// Values in each pairable unit (m_u).
    var size: [Int32] = []
    /// Entries of unit `u` are `entryStart[u] ..< entryStart[u + 1]`.
    var entryStart: [Int] = [0]
    var entryLabel: [Int32] = []
    var entryCount: [Int32] = []
    /// Pairable values per label (the coincidence matrix's marginals n_c).
    var marginal: [Int]
    /// All pairable values (n).
    var total = 0

    init(_ table: LabelTable) {
        let labelCount = table.labels.count
        marginal = [Int](repeating: 0, count: labelCount)
        var counts = [Int32](repeating: 0, count: labelCount)
        var distinct: [Int32] = []
        for unit in 0..<table.units.count {
            let rows = table.unitOffsets[unit]..<table.unitOffsets[unit + 1]
            guard rows.count >= 2 else { continue }
            for row in rows {
                let label = table.rowLabel[row]
                if counts[Int(label)] == 0 { distinct.append(label) }
                counts[Int(label)] += 1
            }
            distinct.sort()
            for label in distinct {
                entryLabel.append(label)
                entryCount.append(counts[Int(label)])
                marginal[Int(label)] += Int(counts[Int(label)])
                counts[Int(label)] = 0
            }
            distinct.removeAll(keepingCapacity: true)
            entryStart.append(entryLabel.count)
            size.append(Int32(rows.count))
            total += rows.count
            count += 1
        }
    }

    func range(_ unit: Int) -> Range<Int> { entryStart[unit]..<entryStart[unit + 1] }

    /// The metric's distance between labels `c` and `k` (c < k in label order), given the marginals
    /// (`prefix[i]` = values of labels before i) for the ordinal metric.
    @inline(__always)
    static func distance(_ metric: AgreementMetric, _ c: Int, _ k: Int, values: [Double]?, marginal: UnsafeBufferPointer<Double>,
                         prefix: UnsafeBufferPointer<Double>) -> Double {
        switch metric {
        case .nominal: return 1
        case .interval:
            let difference = values![c] - values![k]
            return difference * difference
        case .ordinal:
            let low = min(c, k), high = max(c, k)
            let between = prefix[high + 1] - prefix[low] - (marginal[low] + marginal[high]) / 2
            return between * between
        }
    }

    /// Alpha = 1 - (n - 1) · Σ o·d / Σ_{c≠k} n_c·n_k·d, the package's `1 - Σ o·d / Σ e·d`.
    func alpha(metric: AgreementMetric, values: [Double]?) -> Double? {
        guard total >= 2 else { return nil }
        let marginals = marginal.map(Double.init)
        return PairableUnits.alpha(metric: metric, values: values, marginal: marginals, total: Double(total)) { distance in
            var observed = 0.0
            for unit in 0..<count {
                let entries = range(unit)
                guard entries.count >= 2 else { continue }
                var unitSum = 0.0
                for first in entries {
                    let c = Int(entryLabel[first])
                    let nc = Double(entryCount[first])
                    for second in (first + 1)..<entries.upperBound {
                        unitSum += nc * Double(entryCount[second]) * distance(c, Int(entryLabel[second]))
                    }
                }
                observed += 2 * unitSum / Double(size[unit] - 1)
            }
            return observed
        }
    }

    /// Alpha from marginals and the observed disagreement (computed by `observed`, given the distance).
    static func alpha(metric: AgreementMetric, values: [Double]?, marginal: [Double], total: Double,
                      observed: ((Int, Int) -> Double) -> Double) -> Double? {
        var prefix = [Double](repeating: 0, count: marginal.count + 1)
        for index in marginal.indices { prefix[index + 1] = prefix[index] + marginal[index] }
        return marginal.withUnsafeBufferPointer { marginalPointer in
            prefix.withUnsafeBufferPointer { prefixPointer in
                let distance: (Int, Int) -> Double = { c, k in
                    PairableUnits.distance(metric, c, k, values: values, marginal: marginalPointer, prefix: prefixPointer)
                }
                let present = marginal.indices.filter { marginal[$0] > 0 }
                var expected = 0.0
                switch metric {
                case .nominal:
                    expected = total * total - marginal.reduce(0) { $0 + $1 * $1 }
                case .interval where present.count > 4096, .ordinal where present.count > 4096:
                    // Many distinct values: Σ_{c≠k} n_c n_k (v_c - v_k)² = 2 (n Σ n v² - (Σ n v)²), on values
                    // centred for precision. The ordinal distance is the squared difference of mid-ranks
                    // v_c = Σ_{g<c} n_g + n_c / 2.
                    let position: (Int) -> Double = metric == .interval ? { values![$0] } : { prefixPointer[$0] + marginalPointer[$0] / 2 }
                    let mean = present.reduce(0) { $0 + marginal[$1] * position($1) } / total
                    var sum1 = 0.0, sum2 = 0.0
                    for c in present {
                        let v = position(c) - mean
                        sum1 += marginal[c] * v
                        sum2 += marginal[c] * v * v
                    }
                    expected = 2 * (total * sum2 - sum1 * sum1)
                default:
                    for (position, c) in present.enumerated() {
                        var row = 0.0
                        for k in present[(position + 1)...] { row += marginal[k] * distance(c, k) }
                        expected += 2 * marginal[c] * row
                    }
                }
                guard expected > 0 else { return nil }
                return 1 - (total - 1) * observed(distance) / expected
            }
        }
    }

    /// Fleiss' kappa over the units with the most common number of values (ties: the larger number).
    func fleissKappa(labelCount: Int) -> (kappa: Double?, units: Int) {
        guard count > 0 else { return (nil, 0) }
        var histogram: [Int32: Int] = [:]
        for m in size { histogram[m, default: 0] += 1 }
        guard let raters = histogram.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key })?.key else { return (nil, 0) }
        let m = Double(raters)
        var used = 0
        var agreementSum = 0.0
        var totals = [Double](repeating: 0, count: labelCount)
        for unit in 0..<count where size[unit] == raters {
            used += 1
            var squares = 0.0
            for entry in range(unit) {
                let n = Double(entryCount[entry])
                squares += n * n
                totals[Int(entryLabel[entry])] += n
            }
            agreementSum += (squares - m) / (m * (m - 1))
        }
        let observed = agreementSum / Double(used)
        let expected = totals.reduce(0) { $0 + ($1 / (Double(used) * m)) * ($1 / (Double(used) * m)) }
        guard expected < 1 else { return (nil, used) }
        return ((observed - expected) / (1 - expected), used)
    }

    // MARK: Bootstrap

    /// The 2.5th and 97.5th percentiles (linear interpolation) of alpha over `samples` resamples of the
    /// pairable units with replacement; resamples where alpha is undefined are left out. Units with the same
    /// value counts are grouped, so a resample is a histogram over the groups; resamples run on all cores,
    /// each from its own generator, so the result does not depend on the number of cores.
    func bootstrapInterval(metric: AgreementMetric, values: [Double]?, samples: Int, seed: UInt64) -> ConfidenceInterval? {
        guard count > 0, samples > 0 else { return nil }
        let labelCount = marginal.count
        if metric == .ordinal, labelCount > Agreement.coincidenceLimit { return nil }
        let groups = UnitGroups(self, metric: metric, values: values)
        var alphas = [Double](repeating: .nan, count: samples)
        let workers = max(1, min(samples, ProcessInfo.processInfo.activeProcessorCount))
        let unitCount = count
        alphas.withUnsafeMutableBufferPointer { buffer in
            let output = SendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var scratch = UnitGroups.Scratch(groups: groups.count, labels: labelCount, metric: metric)
                var sample = worker
                while sample < samples {
                    // Each resample has its own stream, seeded through one SplitMix64 step so streams do not overlap.
                    var seeder = SplitMix64(seed: seed ^ (UInt64(sample) &* 0xD1B5_4A32_D192_ED03))
                    var random = SplitMix64(seed: seeder.next())
                    output.buffer[sample] = groups.resampledAlpha(units: unitCount, random: &random, scratch: &scratch,
                                                                  metric: metric, values: values) ?? .nan
                    sample += workers
                }
            }
        }
        alphas.removeAll { $0.isNaN }
        guard !alphas.isEmpty else { return nil }
        alphas.sort()
        return ConfidenceInterval(lower: percentile(alphas, 0.025), upper: percentile(alphas, 0.975))
    }

    /// The `p` quantile of sorted values, interpolating linearly between order statistics (numpy's default).
    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}

/// Pairable units grouped by identical value counts, with what each group adds to alpha's sums: a
/// bootstrap resample only needs how many times it drew each group.
struct UnitGroups: Sendable {
    /// Number of groups.
    let count: Int
    /// Each pairable unit's group.
    let groupOfUnit: [Int32]
    /// Values per unit of the group (m).
    let size: [Double]
    /// Σ o·d of one unit of the group (nominal, interval).
    let observed: [Double]
    /// Σ n·v and Σ n·v² of one unit, values centred (interval).
    let sum1: [Double]
    let sum2: [Double]
    /// The group's value counts: entries `entryStart[g] ..< entryStart[g + 1]`.
    let entryStart: [Int]
    let entryLabel: [Int32]
    let entryCount: [Double]
    /// Ordinal: the group's coincidences between different labels c < k, as `c * labels + k` and 2·n_c·n_k/(m-1).
    let pairStart: [Int]
    let pairCell: [Int32]
    let pairWeight: [Double]

    /// Per-thread working arrays.
    struct Scratch {
        var draws: [Int32]
        var marginals: [Double]
        var pairWeights: [Double]

        init(groups: Int, labels: Int, metric: AgreementMetric) {
            draws = [Int32](repeating: 0, count: groups)
            marginals = [Double](repeating: 0, count: labels)
            pairWeights = [Double](repeating: 0, count: metric == .ordinal ? labels * labels : 0)
        }
    }

    init(_ units: PairableUnits, metric: AgreementMetric, values: [Double]?) {
        var index: [[Int32]: Int32] = [:]
        var groupOfUnit = [Int32](repeating: 0, count: units.count)
        var key: [Int32] = []
        var representative: [Int] = []
        for unit in 0..<units.count {
            key.removeAll(keepingCapacity: true)
            for entry in units.range(unit) {
                key.append(units.entryLabel[entry])
                key.append(units.entryCount[entry])
            }
            if let group = index[key] {
                groupOfUnit[unit] = group
            } else {
                let group = Int32(representative.count)
                index[key] = group
                representative.append(unit)
                groupOfUnit[unit] = group
            }
        }
        let labelCount = units.marginal.count
        var mean = 0.0
        if metric == .interval, let values {
            mean = units.marginal.indices.reduce(0) { $0 + Double(units.marginal[$1]) * values[$1] } / Double(units.total)
        }
        var size: [Double] = [], observed: [Double] = [], sum1: [Double] = [], sum2: [Double] = []
        var entryStart = [0], entryLabel: [Int32] = [], entryCount: [Double] = []
        var pairStart = [0], pairCell: [Int32] = [], pairWeight: [Double] = []
        for unit in representative {
            let entries = units.range(unit)
            let m = Double(units.size[unit])
            size.append(m)
            var squares = 0.0, first = 0.0, second = 0.0
            for entry in entries {
                let label = Int(units.entryLabel[entry])
                let n = Double(units.entryCount[entry])
                entryLabel.append(Int32(label))
                entryCount.append(n)
                squares += n * n
                if metric == .interval, let values {
                    let v = values[label] - mean
                    first += n * v
                    second += n * v * v
                }
                if metric == .ordinal {
                    for other in (entry + 1)..<entries.upperBound {
                        pairCell.append(Int32(label * labelCount + Int(units.entryLabel[other])))
                        pairWeight.append(2 * n * Double(units.entryCount[other]) / (m - 1))
                    }
                }
            }
            entryStart.append(entryLabel.count)
            pairStart.append(pairCell.count)
            sum1.append(first)
            sum2.append(second)
            switch metric {
            case .nominal: observed.append((m * m - squares) / (m - 1))
            case .interval: observed.append(2 * (m * second - first * first) / (m - 1))
            case .ordinal: observed.append(0)
            }
        }
        count = representative.count
        self.groupOfUnit = groupOfUnit
        self.size = size
        self.observed = observed
        self.sum1 = sum1
        self.sum2 = sum2
        self.entryStart = entryStart
        self.entryLabel = entryLabel
        self.entryCount = entryCount
        self.pairStart = pairStart
        self.pairCell = pairCell
        self.pairWeight = pairWeight
    }

    /// Alpha of one resample of `units` units drawn with replacement.
    func resampledAlpha(units: Int, random: inout SplitMix64, scratch: inout Scratch, metric: AgreementMetric,
                        values: [Double]?) -> Double? {
        let range = UInt64(units)
        scratch.draws.withUnsafeMutableBufferPointer { draws in
            for index in draws.indices { draws[index] = 0 }
            groupOfUnit.withUnsafeBufferPointer { groupOfUnit in
                for _ in 0..<units {
                    draws[Int(groupOfUnit[Int(random.next().multipliedFullWidth(by: range).high)])] += 1
                }
            }
        }
        var total = 0.0, observedSum = 0.0
        switch metric {
        case .interval:
            var first = 0.0, second = 0.0
            for group in 0..<count where scratch.draws[group] != 0 {
                let weight = Double(scratch.draws[group])
                total += weight * size[group]
                observedSum += weight * observed[group]
                first += weight * sum1[group]
                second += weight * sum2[group]
            }
            let expected = 2 * (total * second - first * first)
            return expected > 0 ? 1 - (total - 1) * observedSum / expected : nil
        case .nominal:
            for index in scratch.marginals.indices { scratch.marginals[index] = 0 }
            for group in 0..<count where scratch.draws[group] != 0 {
                let weight = Double(scratch.draws[group])
                total += weight * size[group]
                observedSum += weight * observed[group]
                for entry in entryStart[group]..<entryStart[group + 1] {
                    scratch.marginals[Int(entryLabel[entry])] += weight * entryCount[entry]
                }
            }
            let expected = total * total - scratch.marginals.reduce(0) { $0 + $1 * $1 }
            return expected > 0 ? 1 - (total - 1) * observedSum / expected : nil
        case .ordinal:
            for index in scratch.marginals.indices { scratch.marginals[index] = 0 }
            for index in scratch.pairWeights.indices { scratch.pairWeights[index] = 0 }
            for group in 0..<count where scratch.draws[group] != 0 {
                let weight = Double(scratch.draws[group])
                total += weight * size[group]
                for entry in entryStart[group]..<entryStart[group + 1] {
                    scratch.marginals[Int(entryLabel[entry])] += weight * entryCount[entry]
                }
                for pair in pairStart[group]..<pairStart[group + 1] {
                    scratch.pairWeights[Int(pairCell[pair])] += weight * pairWeight[pair]
                }
            }
            let labelCount = scratch.marginals.count
            let weights = scratch.pairWeights
            return PairableUnits.alpha(metric: .ordinal, values: values, marginal: scratch.marginals, total: total) { distance in
                var sum = 0.0
                for c in 0..<labelCount {
                    for k in (c + 1)..<max(c + 1, labelCount) where weights[c * labelCount + k] != 0 {
                        sum += weights[c * labelCount + k] * distance(c, k)
                    }
                }
                return sum
            }
        }
    }
}

/// A buffer that threads write disjoint elements of (each resample its own slot).
struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>

    init(_ buffer: UnsafeMutableBufferPointer<Double>) {
        self.buffer = buffer
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed gives the same
/// sequence on every platform, so bootstrap intervals are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
