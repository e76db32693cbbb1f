import Foundation

/// A field's consensus figures: how much the inputs agree on it and how strongly they back its merged value.
public struct FieldConsensus: Sendable, Hashable {
    /// The mean similarity over pairs of inputs that hold the field (1 with one input).
    public var agreement: Double
    /// How strongly the inputs back the merged value, 0...1 (per type, see the table).
    public var confidence: Double

    public init(agreement: Double, confidence: Double) {
        self.agreement = agreement
        self.confidence = confidence
    }
}

/// A task's consensus: the merged annotation of several workers' annotations, how strongly it is backed and how
/// much the inputs agree, field by field.
///
/// | Type | Merged value | Confidence |
/// |---|---|---|
/// | `choice` single | weighted majority; ties toward the option first in the schema | the winner's share of the weight |
/// | `choice` multiple | each option kept when more than half the weight picks it; then topped up (most picked first) to the field's minimum, or cut to its maximum | the mean, over options anyone picked, of the share that agrees with keeping or dropping it |
/// | `text`, `translation`, `rewrite`, `prompt` | the medoid: the input with the highest weighted mean similarity to the others (ties: the earlier) | the weighted mean similarity of the inputs to it |
/// | `spans` | the `(start, end, label)` spans more than half the weight marks; `text` from a supporter, each attribute by majority | mean support of the kept spans (nothing kept: the share of inputs that mark nothing) |
/// | `relations` | the relations more than half the weight makes between kept spans (spans matched by content), pointing at the consensus span ids | mean support, as spans |
/// | `mqm`, `code_review` | errors or comments grouped across inputs (see clustering); groups backed by more than half the weight keep their most central member, with the majority severity | mean support |
/// | `rating` | per dimension (and candidate) the weighted median, or mean, rounded half up and kept in the scale; the justification of the input closest to the merged scores that has one (long enough when the scores call for one) | the share of the weight within `ratingTolerance` of the merged score, averaged |
/// | `ranking` | Borda count (a candidate scores one point per candidate ranked below it and ½ per tie), ranks 1…n, ties toward the earlier candidate | the weighted mean similarity of the inputs to it |
/// | `pairwise` | the weighted majority winner (ties toward the side the earliest input chose, so no position bias), the weighted median strength of its voters, the reason of its first voter that has one | the winner's share |
/// | `flags` | each flag kept when more than half the weight raises it (per candidate) | as multiple choice |
/// | `taxonomy` | single: the weighted majority term (ties: the earliest input's); multiple: terms more than half pick, topped up to one when required, cut to `max_terms` | as choice |
/// | `chat` | the first input's conversation (conversations cannot be merged) | not reported |
/// | `boxes` | clusters backed by more than half the weight, each the weighted median of its members' left, top, right and bottom edges (so always a positive box inside the image); attributes and parent by majority | mean support |
/// | `polygons` | as boxes, each cluster's member with the highest mean IoU to the others | mean support |
/// | `keypoints` | as boxes (linked by OKS), per point: placed when more than half the members place it, at the weighted median x and y of those that do, `v` by majority (ties: 2) | mean support |
/// | `masks` | per label, each pixel inside when more than half the weight marks it | the mean over marked pixels of the share agreeing with the pixel's verdict |
/// | `tracks` | clusters linked by track IoU (the mean box IoU over the frames either track is present), merged at every keyframe of a member: present when more than half the members are (at the weighted median edges, occluded by majority), else an `outside` keyframe | mean support |
/// | `events` | as boxes, on frame intervals: the weighted median start and end, rounded half up | mean support |
///
/// Clustering (boxes, polygons, keypoints, tracks, events, MQM errors, code comments): every pair of objects from
/// two different inputs with the same label (category) and an overlap at or above `iouThreshold` (MQM and code
/// review: any overlap) is a link; links are taken greedily from the highest overlap, and two clusters merge only
/// when no input has an object in both and every cross pair is linked (complete linkage). A cluster's support is
/// the weight of the inputs in it over the total.
///
/// Merged objects keep the id their first input gave them (later clashes get `s1`, `b2`, …), so the consensus of one
/// annotation is that annotation. A merged list that breaks the field's count limits (`min_spans`, `max_boxes`,
/// `min_comments`, …) is replaced by the field's medoid input, so the consensus always validates. An optional field that more than half the weight
/// leaves out is left out (its confidence is the share that left it out); otherwise the inputs that hold it vote,
/// and the confidence is scaled by their share. Weights (per input, such as a worker's estimated accuracy) weight
/// every vote and median; negative or non-finite weights count 0, and when none is positive (or their count is not
/// the inputs') all inputs weigh the same. With one input, agreement and confidence are 1: a policy that auto-accepts
/// consensus should also ask for k > 1.
public struct TaskConsensus: Sendable, Hashable {
    /// The merged annotation, an object keyed by field name that validates against the schema.
    public var value: JSONValue
    /// The mean of the fields' confidences (1 when no field is reported; 0 without inputs).
    public var confidence: Double
    /// The mean pairwise similarity of the inputs (`similarity`), 1 with one input.
    public var agreement: Double
    /// Per field figures, by field name (`chat` fields and fields no input holds are not reported).
    public var fields: [String: FieldConsensus]

    public init(value: JSONValue, confidence: Double, agreement: Double, fields: [String: FieldConsensus]) {
        self.value = value
        self.confidence = confidence
        self.agreement = agreement
        self.fields = fields
    }
}

extension LabelSchema {
    /// The consensus of several annotations of one task (k >= 1): a merged value that validates against the
    /// schema, its confidence, and the agreement among the inputs, with per-field figures.
    public func consensus(of values: [JSONValue], weights: [Double]? = nil, options: ScoringOptions = .init()) -> TaskConsensus {
        guard !values.isEmpty else { return TaskConsensus(value: .object([:]), confidence: 0, agreement: 0, fields: [:]) }
        let annotations = values.map { $0.objectValue ?? [:] }
        let weights = ConsensusVoting.cleanWeights(weights, count: values.count)
        let count = values.count
        var merged: [String: JSONValue] = [:]
        var figures: [String: FieldConsensus] = [:]
        var pairSums = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
        var pairCounts = [[Int]](repeating: [Int](repeating: 0, count: count), count: count)
        // Relations merge after the spans they point at.
        let ordered = fields.filter { if case .relations = $0.kind { false } else { true } }
            + fields.filter { if case .relations = $0.kind { true } else { false } }
        for field in ordered {
            if case .chat = field.kind {
                if let first = annotations.lazy.compactMap({ Self.presentValue(of: field, in: $0) }).first { merged[field.name] = first }
                continue
            }
            let held = annotations.indices.compactMap { index in Self.presentValue(of: field, in: annotations[index]).map { (index, $0) } }
            let present = held.map(\.0)
            guard !present.isEmpty else { continue }
            var matrix = [[Double]](repeating: [Double](repeating: 1, count: count), count: count)
            var agreementSum = 0.0, agreementCount = 0
            for i in 0..<count {
                for j in (i + 1)..<count {
                    guard let similarity = fieldSimilarity(field, annotations[i], annotations[j], options: options) else { continue }
                    matrix[i][j] = similarity
                    matrix[j][i] = similarity
                    agreementSum += similarity
                    agreementCount += 1
                    pairSums[i][j] += similarity
                    pairCounts[i][j] += 1
                }
            }
            let agreement = agreementCount > 0 ? agreementSum / Double(agreementCount) : 1
            let total = weights.reduce(0, +)
            let presentShare = present.reduce(0) { $0 + weights[$1] } / total
            if !field.isRequired, presentShare < 0.5 - 1e-12 {
                figures[field.name] = FieldConsensus(agreement: agreement, confidence: 1 - presentShare)
                continue
            }
            let votes = ConsensusVoting.Votes(field: field, values: held.map(\.1), weights: present.map { weights[$0] },
                                              similarity: present.map { i in present.map { matrix[i][$0] } },
                                              annotations: present.map { annotations[$0] }, options: options)
            let (value, confidence) = votes.merge(sofar: merged)
            merged[field.name] = value
            figures[field.name] = FieldConsensus(agreement: agreement, confidence: min(1, max(0, confidence * presentShare)))
        }
        var agreementSum = 0.0, pairs = 0
        for i in 0..<count {
            for j in (i + 1)..<count {
                agreementSum += pairCounts[i][j] > 0 ? pairSums[i][j] / Double(pairCounts[i][j]) : 1
                pairs += 1
            }
        }
        let confidence = figures.isEmpty ? 1 : figures.values.reduce(0) { $0 + $1.confidence } / Double(figures.count)
        return TaskConsensus(value: .object(merged), confidence: confidence, agreement: pairs > 0 ? agreementSum / Double(pairs) : 1,
                             fields: figures)
    }
}

/// The voting rules of the consensus.
enum ConsensusVoting {
    /// Weights as the votes use them: one per input, finite and not negative, not all zero.
    static func cleanWeights(_ weights: [Double]?, count: Int) -> [Double] {
        guard let weights, weights.count == count else { return [Double](repeating: 1, count: count) }
        let clean = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        return clean.contains { $0 > 0 } ? clean : [Double](repeating: 1, count: count)
    }

    /// Whether `weight` is more than half of `total` (with room for rounding).
    static func isMajority(_ weight: Double, of total: Double) -> Bool {
        weight > total / 2 + 1e-9 * total
    }

    /// The value with the most weight, its share of the ballots' weight; ties go to the value `before` prefers.
    static func plurality<T: Hashable>(_ ballots: [(T, Double)], before: (T, T) -> Bool) -> (winner: T, share: Double)? {
        var totals: [T: Double] = [:]
        var order: [T] = []
        var sum = 0.0
        for (value, weight) in ballots {
            if totals[value] == nil { order.append(value) }
            totals[value, default: 0] += weight
            sum += weight
        }
        guard var best = order.first else { return nil }
        for candidate in order.dropFirst() {
            let difference = totals[candidate]! - totals[best]!
            if difference > 1e-12 * max(1, sum) || (abs(difference) <= 1e-12 * max(1, sum) && before(candidate, best)) { best = candidate }
        }
        return (best, sum > 0 ? totals[best]! / sum : 0)
    }

    /// The weighted median: the middle of the lower and upper weighted medians (so `[2, 4]` gives 3).
    static func median(_ values: [(Double, Double)]) -> Double? {
        guard !values.isEmpty else { return nil }
        var sorted = values.sorted { $0.0 < $1.0 }
        var total = sorted.reduce(0) { $0 + $1.1 }
        if total <= 0 {
            sorted = sorted.map { ($0.0, 1) }
            total = Double(sorted.count)
        }
        let half = total / 2, slack = 1e-12 * total
        var cumulative = 0.0
        var lower: Double?, upper: Double?
        for (value, weight) in sorted {
            cumulative += weight
            if lower == nil, cumulative >= half - slack { lower = value }
            if upper == nil, cumulative > half + slack { upper = value }
        }
        let low = lower ?? sorted[sorted.count - 1].0
        return (low + (upper ?? low)) / 2
    }

    static func mean(_ values: [(Double, Double)]) -> Double? {
        let total = values.reduce(0) { $0 + $1.1 }
        guard !values.isEmpty else { return nil }
        guard total > 0 else { return values.reduce(0) { $0 + $1.0 } / Double(values.count) }
        return values.reduce(0) { $0 + $1.0 * $1.1 } / total
    }

    /// Rounds half up (2.5 → 3, -2.5 → -2), the one rounding of every merged number.
    static func roundHalfUp(_ value: Double) -> Int {
        let rounded = (value + 0.5).rounded(.down)
        return rounded.isFinite ? Int(max(-9e15, min(9e15, rounded))) : 0
    }

    /// Ids of merged objects: each keeps the id its first input gave it unless an earlier one took it, else
    /// `<prefix><n>`; so the consensus of one annotation keeps its ids.
    struct IDs {
        var prefix: String
        var used: Set<String> = []

        mutating func take(_ preferred: String?) -> String {
            if let preferred, !preferred.isEmpty, used.insert(preferred).inserted { return preferred }
            var number = used.count + 1
            while !used.insert("\(prefix)\(number)").inserted { number += 1 }
            return "\(prefix)\(number)"
        }
    }

    /// Multi-select confidence: over the options anyone picked, the mean share that agrees with the verdict.
    static func decisionConfidence(_ shares: [(share: Double, kept: Bool)]) -> Double {
        let picked = shares.filter { $0.share > 0 }
        guard !picked.isEmpty else { return 1 }
        return picked.reduce(0) { $0 + ($1.kept ? $1.share : 1 - $1.share) } / Double(picked.count)
    }

    /// Attributes of merged objects: each one that at least half the members' weight sets, by weighted majority
    /// (ties: the earliest member's). Nil when none is kept.
    static func attributes(_ members: [([String: JSONValue], Double)]) -> JSONValue? {
        let total = members.reduce(0) { $0 + $1.1 }
        var names: [String] = []
        for (attributes, _) in members {
            for name in attributes.keys.sorted() where !names.contains(name) && attributes[name] != .null { names.append(name) }
        }
        var result: [String: JSONValue] = [:]
        for name in names {
            let ballots = members.compactMap { attributes, weight -> (JSONValue, Double)? in
                guard let value = attributes[name], value != .null else { return nil }
                return (value, weight)
            }
            let weight = ballots.reduce(0) { $0 + $1.1 }
            guard weight >= total / 2 - 1e-9 * total, let winner = plurality(ballots, before: { _, _ in false }) else { continue }
            result[name] = winner.winner
        }
        return result.isEmpty ? nil : .object(result)
    }

    /// The weighted median box of several: the median of each edge (left, top, right, bottom), which keeps the
    /// box positive and inside whatever contains all of them. Identical boxes give the same box back.
    static func medianBox(_ boxes: [(Box, Double)]) -> Box? {
        guard let first = boxes.first?.0 else { return nil }
        if boxes.allSatisfy({ $0.0 == first }) { return first }
        guard let left = median(boxes.map { ($0.0.x, $0.1) }), let top = median(boxes.map { ($0.0.y, $0.1) }),
              let right = median(boxes.map { ($0.0.x + $0.0.width, $0.1) }), let bottom = median(boxes.map { ($0.0.y + $0.0.height, $0.1) }) else { return nil }
        // right - left may round up by an ulp, so that left + width passes the right edge: step it back.
        var width = right - left, height = bottom - top, steps = 0
        while width > 0, left + width > right, steps < 64 { width = width.nextDown; steps += 1 }
        while height > 0, top + height > bottom, steps < 128 { height = height.nextDown; steps += 1 }
        guard width > 0, height > 0 else { return nil }
        return Box(x: left, y: top, width: width, height: height)
    }

    // MARK: - One field's votes

    /// The inputs that hold one field: their values, weights, pairwise similarities and whole annotations.
    struct Votes {
        var field: Field
        var values: [JSONValue]
        var weights: [Double]
        var similarity: [[Double]]
        var annotations: [[String: JSONValue]]
        var options: ScoringOptions
        var total: Double

        init(field: Field, values: [JSONValue], weights: [Double], similarity: [[Double]], annotations: [[String: JSONValue]], options: ScoringOptions) {
            self.field = field
            self.values = values
            let sum = weights.reduce(0, +)
            self.weights = sum > 0 ? weights : [Double](repeating: 1, count: weights.count)
            self.total = sum > 0 ? sum : Double(weights.count)
            self.similarity = similarity
            self.annotations = annotations
            self.options = options
        }

        /// The input with the highest weighted mean similarity to the others (ties: the earlier).
        var medoid: Int {
            guard values.count > 1 else { return 0 }
            var best = 0, bestScore = -Double.infinity
            for i in values.indices {
                var sum = 0.0, weight = 0.0, plain = 0.0
                for j in values.indices where j != i {
                    sum += similarity[i][j] * weights[j]
                    weight += weights[j]
                    plain += similarity[i][j]
                }
                let score = weight > 0 ? sum / weight : plain / Double(values.count - 1)
                if score > bestScore + 1e-12 {
                    best = i
                    bestScore = score
                }
            }
            return best
        }

        /// The weighted mean similarity of the inputs to input `index` (itself counting 1).
        func meanSimilarity(to index: Int) -> Double {
            values.indices.reduce(0) { $0 + weights[$1] * ($1 == index ? 1 : similarity[$1][index]) } / total
        }

        /// The weighted mean of `similarity` between each input and a merged value.
        func meanSimilarity(_ similarity: (JSONValue) -> Double) -> Double {
            values.indices.reduce(0) { $0 + weights[$1] * similarity(values[$1]) } / total
        }

        var medoidResult: (JSONValue, Double) {
            let index = medoid
            return (values[index], meanSimilarity(to: index))
        }

        /// The share of the weight whose list value is empty (the confidence of an empty merged list).
        var emptyShare: Double {
            values.indices.reduce(0) { $0 + ((values[$1].arrayValue?.isEmpty ?? true) ? weights[$1] : 0) } / total
        }

        func meanSupport(_ kept: [Double]) -> Double {
            kept.isEmpty ? emptyShare : kept.reduce(0, +) / Double(kept.count)
        }

        func merge(sofar merged: [String: JSONValue]) -> (JSONValue, Double) {
            switch field.kind {
            case .choice(let choice): return choice.allowsMultiple ? multipleChoice(choice) : singleChoice(choice)
            case .text, .translation, .rewrite, .prompt, .chat: return medoidResult
            case .spans(let spans): return self.spans(spans)
            case .relations(let relations): return self.relations(relations, spans: merged[relations.spansField])
            case .mqm: return mqm()
            case .codeReview(let review): return codeReview(review)
            case .rating(let rating): return self.rating(rating)
            case .ranking: return ranking()
            case .pairwise(let pairwise): return self.pairwise(pairwise)
            case .flags(let flags): return self.flags(flags)
            case .taxonomy(let taxonomy): return self.taxonomy(taxonomy)
            case .boxes(let boxes): return self.boxes(boxes)
            case .polygons(let polygons): return self.polygons(polygons)
            case .keypoints(let keypoints): return self.keypoints(keypoints)
            case .masks(let masks): return self.masks(masks)
            case .tracks(let tracks): return self.tracks(tracks)
            case .events: return events()
            case .segments, .transcript, .recording, .cuboids: return medoidResult
            }
        }

        // MARK: Categorical

        func singleChoice(_ choice: ChoiceField) -> (JSONValue, Double) {
            let order = Dictionary(choice.options.enumerated().map { ($1.value, $0) }, uniquingKeysWith: { first, _ in first })
            let ballots = values.indices.compactMap { index in values[index].stringValue.map { ($0, weights[index]) } }
            guard let result = plurality(ballots, before: { (order[$0] ?? Int.max) < (order[$1] ?? Int.max) }) else { return medoidResult }
            return (.string(result.winner), result.share)
        }

        /// Per option, the share of the weight whose set holds it.
        func shares(_ sets: [Set<String>], options: [String]) -> [Double] {
            options.map { option in sets.indices.reduce(0) { $0 + (sets[$1].contains(option) ? weights[$1] : 0) } / total }
        }

        /// The options kept by majority, topped up to `minimum` and cut to `maximum` by share (ties: option order).
        static func select(_ shares: [Double], minimum: Int, maximum: Int?) -> [Bool] {
            var kept = shares.map { $0 > 0.5 + 1e-9 }
            let ranked = shares.indices.sorted { (shares[$0], -$0) > (shares[$1], -$1) }
            var count = kept.filter { $0 }.count
            for index in ranked where count < minimum && !kept[index] && shares[index] > 0 {
                kept[index] = true
                count += 1
            }
            if let maximum, count > maximum {
                for index in ranked.reversed() where count > maximum && kept[index] {
                    kept[index] = false
                    count -= 1
                }
            }
            return kept
        }

        func multipleChoice(_ choice: ChoiceField) -> (JSONValue, Double) {
            let options = choice.options.map(\.value)
            let shares = self.shares(values.map(QualityMetrics.strings), options: options)
            // The minimum applies to a required field, and to an optional one that keeps anything.
            let keepsAny = shares.contains { $0 > 0.5 + 1e-9 }
            let minimum = field.isRequired || keepsAny ? max(choice.minimumSelected ?? 0, field.isRequired ? 1 : 0) : 0
            let kept = Self.select(shares, minimum: minimum, maximum: choice.maximumSelected)
            let value = JSONValue.array(options.indices.filter { kept[$0] }.map { .string(options[$0]) })
            return (value, decisionConfidence(shares.indices.map { (shares[$0], kept[$0]) }))
        }

        func flagList(_ lists: [JSONValue], flags: [String]) -> (JSONValue, Double) {
            let shares = self.shares(lists.map(QualityMetrics.strings), options: flags)
            let kept = shares.map { $0 > 0.5 + 1e-9 }
            return (.array(flags.indices.filter { kept[$0] }.map { .string(flags[$0]) }), decisionConfidence(shares.indices.map { (shares[$0], kept[$0]) }))
        }

        func flags(_ flags: FlagsField) -> (JSONValue, Double) {
            let names = flags.flags.map(\.value)
            guard flags.items != nil else { return flagList(values, flags: names) }
            let count = values.first?.arrayValue?.count ?? 0
            var entries: [JSONValue] = [], confidence = 0.0
            for candidate in 0..<count {
                let lists = values.map { value -> JSONValue in
                    guard let array = value.arrayValue, candidate < array.count else { return .array([]) }
                    return array[candidate]
                }
                let (entry, share) = flagList(lists, flags: names)
                entries.append(entry)
                confidence += share
            }
            return (.array(entries), count > 0 ? confidence / Double(count) : 1)
        }

        func taxonomy(_ taxonomy: TaxonomyField) -> (JSONValue, Double) {
            // The first stored object of each id, and the order in which ids first appear.
            var objects: [String: JSONValue] = [:]
            var appearance: [String] = []
            let terms = values.map { value -> [JSONValue] in taxonomy.allowsMultiple ? (value.arrayValue ?? []) : [value] }
            for list in terms {
                for term in list {
                    guard let id = QualityMetrics.termID(term), objects[id] == nil else { continue }
                    objects[id] = term
                    appearance.append(id)
                }
            }
            let position = Dictionary(uniqueKeysWithValues: appearance.enumerated().map { ($1, $0) })
            if !taxonomy.allowsMultiple {
                let ballots = values.indices.compactMap { index in QualityMetrics.termID(values[index]).map { ($0, weights[index]) } }
                guard let result = plurality(ballots, before: { position[$0]! < position[$1]! }), let term = objects[result.winner] else { return medoidResult }
                return (term, result.share)
            }
            let shares = self.shares(terms.map { Set($0.compactMap(QualityMetrics.termID)) }, options: appearance)
            let kept = Self.select(shares, minimum: field.isRequired ? 1 : 0, maximum: taxonomy.maximumTerms)
            let value = JSONValue.array(appearance.indices.filter { kept[$0] }.compactMap { objects[appearance[$0]] })
            return (value, decisionConfidence(shares.indices.map { (shares[$0], kept[$0]) }))
        }

        // MARK: Text spans

        func spans(_ field: SpansField) -> (JSONValue, Double) {
            var support: [SpanKey: Double] = [:]
            var members: [SpanKey: [(SpanItem, Double)]] = [:]
            for (index, value) in values.enumerated() {
                var seen: Set<SpanKey> = []
                for span in SpanItem.read(value) where seen.insert(span.key).inserted {
                    support[span.key, default: 0] += weights[index]
                    members[span.key, default: []].append((span, weights[index]))
                }
            }
            let kept = support.keys.filter { isMajority(support[$0]!, of: total) }.sorted()
            if let minimum = field.minimumSpans, kept.count < minimum { return medoidResult }
            if let maximum = field.maximumSpans, kept.count > maximum { return medoidResult }
            var ids = IDs(prefix: "s")
            let spans = kept.map { key -> JSONValue in
                let supporters = members[key] ?? []
                var object: [String: JSONValue] = ["id": .string(ids.take(supporters.first?.0.id)), "start": .number(Double(key.start)),
                                                   "end": .number(Double(key.end)), "label": .string(key.label)]
                if let text = supporters.lazy.compactMap({ $0.0.object["text"]?.stringValue }).first { object["text"] = .string(text) }
                if let attributes = ConsensusVoting.attributes(supporters.map { ($0.0.object["attributes"]?.objectValue ?? [:], $0.1) }) {
                    object["attributes"] = attributes
                }
                return .object(object)
            }
            return (.array(spans), meanSupport(kept.map { support[$0]! / total }))
        }

        func relations(_ field: RelationsField, spans merged: JSONValue?) -> (JSONValue, Double) {
            var ids: [SpanKey: String] = [:]
            for span in SpanItem.read(merged) {
                if let id = span.id { ids[span.key] = id }
            }
            var support: [RelationKey: Double] = [:]
            for (index, value) in values.enumerated() {
                let keys = Set(RelationKey.read(value, spans: annotations[index][field.spansField], directed: field.isDirected))
                for key in keys { support[key, default: 0] += weights[index] }
            }
            let kept = support.keys.filter { isMajority(support[$0]!, of: total) && ids[$0.head] != nil && ids[$0.tail] != nil }.sorted()
            let relations = kept.map { key -> JSONValue in
                .object(["head": .string(ids[key.head]!), "tail": .string(ids[key.tail]!), "label": .string(key.label)])
            }
            return (.array(relations), meanSupport(kept.map { support[$0]! / total }))
        }

        /// Items grouped across inputs; groups backed by a majority keep their most central member.
        func clusteredItems<T>(_ lists: [[T]], link: (T, T) -> Double?) -> [(members: [(input: Int, item: T)], central: T, support: Double)] {
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in link(lists[a.input][a.index], lists[b.input][b.index]) }
            var result: [(members: [(input: Int, item: T)], central: T, support: Double)] = []
            for cluster in clusters.groups {
                let support = cluster.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9 else { continue }
                let central = clusters.central(cluster)
                result.append((cluster.map { ($0.input, lists[$0.input][$0.index]) }, lists[central.input][central.index], support))
            }
            return result
        }

        /// The weighted majority severity of a group (ties: the central member's).
        func severity(_ members: [(input: Int, severity: String)], central: String) -> String {
            plurality(members.map { ($0.severity, weights[$0.input]) }, before: { first, _ in first == central })?.winner ?? central
        }

        func mqm() -> (JSONValue, Double) {
            let groups = clusteredItems(values.map(MQMItem.read)) { $0.match($1)?.quality }
            let items = groups.map { group -> (MQMItem, JSONValue) in
                var object = group.central.object
                object["severity"] = .string(severity(group.members.map { ($0.input, $0.item.severity) }, central: group.central.severity))
                return (group.central, .object(object))
            }.sorted { ($0.0.start, $0.0.end, $0.0.category) < ($1.0.start, $1.0.end, $1.0.category) }
            return (.array(items.map(\.1)), meanSupport(groups.map(\.support)))
        }

        func codeReview(_ review: CodeReviewField) -> (JSONValue, Double) {
            let groups = clusteredItems(values.map(ReviewCommentItem.read)) { $0.match($1)?.quality }
            guard groups.count >= review.minimumComments else { return medoidResult }
            let items = groups.map { group -> (ReviewCommentItem, JSONValue) in
                var object = group.central.object
                object["severity"] = .string(severity(group.members.map { ($0.input, $0.item.severity) }, central: group.central.severity))
                return (group.central, .object(object))
            }.sorted { ($0.0.file ?? "", $0.0.start, $0.0.end, $0.0.category) < ($1.0.file ?? "", $1.0.start, $1.0.end, $1.0.category) }
            return (.array(items.map(\.1)), meanSupport(groups.map(\.support)))
        }

        // MARK: Judging

        func rating(_ rating: RatingField) -> (JSONValue, Double) {
            guard rating.items != nil else { return ratingEntry(values.indices.map { (values[$0], weights[$0]) }, field: rating) }
            let count = values.first?.arrayValue?.count ?? 0
            var entries: [JSONValue] = [], confidence = 0.0
            for candidate in 0..<count {
                let ballots = values.indices.compactMap { index -> (JSONValue, Double)? in
                    guard let array = values[index].arrayValue, candidate < array.count else { return nil }
                    return (array[candidate], weights[index])
                }
                let (entry, share) = ratingEntry(ballots, field: rating)
                entries.append(entry)
                confidence += share
            }
            return (.array(entries), count > 0 ? confidence / Double(count) : 1)
        }

        /// One `{scores, justification?}` from several, in input order.
        func ratingEntry(_ entries: [(JSONValue, Double)], field: RatingField) -> (JSONValue, Double) {
            var scores: [String: JSONValue] = [:], points: [String: Int] = [:]
            var confidence = 0.0
            for dimension in field.dimensions {
                let ballots = entries.compactMap { entry, weight -> (Double, Double)? in
                    entry.objectValue?["scores"]?.objectValue?[dimension.name]?.intValue.map { (Double($0), weight) }
                }
                let aggregate = options.ratingAggregate == .median ? median(ballots) : mean(ballots)
                let point = min(dimension.maximum, max(dimension.minimum, roundHalfUp(aggregate ?? Double(dimension.minimum))))
                scores[dimension.name] = .number(Double(point))
                points[dimension.name] = point
                let weight = ballots.reduce(0) { $0 + $1.1 }
                let within = ballots.reduce(0) { $0 + (abs(Int($1.0) - point) <= max(0, options.ratingTolerance) ? $1.1 : 0) }
                confidence += weight > 0 ? within / weight : 0
            }
            var object: [String: JSONValue] = ["scores": .object(scores)]
            let needsJustification = points.values.contains { point in
                (field.justifyBelow.map { point < $0 } ?? false) || (field.justifyAbove.map { point > $0 } ?? false)
            }
            let needed = needsJustification ? max(1, field.justificationMinimumLength) : 1
            // The justification of the entry closest to the merged scores that has one long enough.
            let ranked = entries.indices.sorted { a, b in
                func distance(_ index: Int) -> Int {
                    let given = entries[index].0.objectValue?["scores"]?.objectValue ?? [:]
                    return field.dimensions.reduce(0) { $0 + abs((given[$1.name]?.intValue.map { min($0, 1_000_000) } ?? 1_000_000) - (points[$1.name] ?? 0)) }
                }
                return (distance(a), a) < (distance(b), b)
            }
            if let text = ranked.lazy.compactMap({ entries[$0].0.objectValue?["justification"]?.stringValue }).first(where: { $0.trimmed.count >= needed }) {
                object["justification"] = .string(text)
            }
            return (.object(object), field.dimensions.isEmpty ? 1 : confidence / Double(field.dimensions.count))
        }

        func ranking() -> (JSONValue, Double) {
            let lists = values.map { $0.arrayValue?.compactMap(\.numberValue) ?? [] }
            let count = lists.first { !$0.isEmpty }?.count ?? 0
            guard count > 0 else { return medoidResult }
            var points = [Double](repeating: 0, count: count)
            for (index, ranks) in lists.enumerated() where ranks.count == count {
                for candidate in 0..<count {
                    var score = 0.0
                    for other in 0..<count where other != candidate {
                        if ranks[other] > ranks[candidate] { score += 1 } else if ranks[other] == ranks[candidate] { score += 0.5 }
                    }
                    points[candidate] += weights[index] * score
                }
            }
            let order = (0..<count).sorted { (points[$0], -$0) > (points[$1], -$1) }
            var ranks = [Double](repeating: 0, count: count)
            for (position, candidate) in order.enumerated() { ranks[candidate] = Double(position + 1) }
            let value = JSONValue.array(ranks.map(JSONValue.number))
            return (value, meanSimilarity { QualityMetrics.ranking(value, $0) })
        }

        func pairwise(_ pairwise: PairwiseField) -> (JSONValue, Double) {
            let winners = values.map { $0.objectValue?["winner"]?.stringValue }
            let firstVote = Dictionary(winners.enumerated().compactMap { index, winner in winner.map { ($0, index) } }, uniquingKeysWith: { first, _ in first })
            let ballots = values.indices.compactMap { index in winners[index].map { ($0, weights[index]) } }
            guard let result = plurality(ballots, before: { firstVote[$0]! < firstVote[$1]! }) else { return medoidResult }
            let voters = values.indices.filter { winners[$0] == result.winner }
            var object: [String: JSONValue] = ["winner": .string(result.winner)]
            if pairwise.hasStrength, result.winner != "tie" {
                let strengths = voters.compactMap { index in values[index].objectValue?["strength"]?.intValue.map { (Double($0), weights[index]) } }
                let strength = median(strengths).map(roundHalfUp) ?? 2
                object["strength"] = .number(Double(min(Judgement.strengths.upperBound, max(Judgement.strengths.lowerBound, strength))))
            }
            if pairwise.reason != .none {
                let needed = pairwise.reason == .required ? max(1, pairwise.reasonMinimumLength) : 1
                let reasons = (voters + values.indices.filter { !voters.contains($0) }).compactMap { values[$0].objectValue?["reason"]?.stringValue }
                if let reason = reasons.first(where: { $0.trimmed.count >= needed }) { object["reason"] = .string(reason) }
            }
            return (.object(object), result.share)
        }

        // MARK: Images and video

        func withinLimits(_ count: Int, _ limits: CountLimits) -> Bool {
            limits.check(count, path: field.name, isRequired: field.isRequired).isEmpty
        }

        func boxes(_ field: BoxesField) -> (JSONValue, Double) {
            let lists = values.map(BoxesField.shapes)
            let threshold = options.iouThreshold
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in
                let first = lists[a.input][a.index], second = lists[b.input][b.index]
                guard first.label == second.label else { return nil }
                let iou = first.box.iou(second.box)
                return iou >= threshold && iou > 0 ? iou : nil
            }
            var kept: [(members: [Clusters.Member], box: Box, support: Double)] = []
            for group in clusters.groups {
                let support = group.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9, let box = medianBox(group.map { (lists[$0.input][$0.index].box, weights[$0.input]) }) else { continue }
                kept.append((group, box, support))
            }
            guard withinLimits(kept.count, field.limits) else { return medoidResult }
            // Which kept cluster each input's box went to, for parents.
            var clusterOf: [Clusters.Member: Int] = [:]
            for (position, cluster) in kept.enumerated() {
                for member in cluster.members { clusterOf[member] = position }
            }
            var parents = [Int?](repeating: nil, count: kept.count)
            if field.allowsParents {
                for (position, cluster) in kept.enumerated() {
                    let ballots = cluster.members.compactMap { member -> (Int, Double)? in
                        guard let parent = lists[member.input][member.index].parent,
                              let index = lists[member.input].firstIndex(where: { $0.id == parent }),
                              let target = clusterOf[Clusters.Member(input: member.input, index: index)], target != position else { return nil }
                        return (target, weights[member.input])
                    }
                    let clusterWeight = cluster.members.reduce(0) { $0 + weights[$1.input] }
                    if let winner = plurality(ballots, before: { $0 < $1 }),
                       isMajority(winner.share * ballots.reduce(0) { $0 + $1.1 }, of: clusterWeight) {
                        parents[position] = winner.winner
                    }
                }
                // Parents never form a cycle: a link that closes one is dropped.
                for start in kept.indices {
                    var seen: Set<Int> = [start]
                    var current = parents[start]
                    while let next = current {
                        if !seen.insert(next).inserted || next == start {
                            parents[start] = nil
                            break
                        }
                        current = parents[next]
                    }
                }
            }
            var ids = IDs(prefix: "b")
            let names = kept.map { ids.take(lists[$0.members[0].input][$0.members[0].index].id) }
            let shapes = kept.enumerated().map { position, cluster -> JSONValue in
                let box = cluster.box
                var object: [String: JSONValue] = [
                    "id": .string(names[position]), "label": .string(lists[cluster.members[0].input][cluster.members[0].index].label),
                    "x": .number(box.x), "y": .number(box.y), "width": .number(box.width), "height": .number(box.height),
                ]
                if let attributes = ConsensusVoting.attributes(cluster.members.map { (lists[$0.input][$0.index].attributes, weights[$0.input]) }) {
                    object["attributes"] = attributes
                }
                if let parent = parents[position] { object["parent"] = .string(names[parent]) }
                return .object(object)
            }
            return (.array(shapes), meanSupport(kept.map(\.support)))
        }

        func polygons(_ field: PolygonsField) -> (JSONValue, Double) {
            let lists = values.map(PolygonsField.shapes)
            let raw = values.map { $0.arrayValue ?? [] }
            let threshold = options.iouThreshold
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in
                let first = lists[a.input][a.index], second = lists[b.input][b.index]
                guard first.label == second.label else { return nil }
                let iou = QualityMetrics.polygonIoU(first.polygon, second.polygon)
                return iou >= threshold && iou > 0 ? iou : nil
            }
            var shapes: [JSONValue] = [], supports: [Double] = []
            var ids = IDs(prefix: "p")
            for group in clusters.groups {
                let support = group.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9 else { continue }
                let central = clusters.central(group)
                let shape = lists[central.input][central.index]
                // The points as the input wrote them (shapes() keeps parseable ones only; valid values have all).
                let points = raw[central.input].lazy.compactMap(\.objectValue).first { $0["id"]?.stringValue == shape.id }?["points"]
                    ?? .array(shape.polygon.points.map { .array([.number($0.x), .number($0.y)]) })
                var object: [String: JSONValue] = ["id": .string(ids.take(lists[group[0].input][group[0].index].id)), "label": .string(shape.label), "points": points]
                if let attributes = ConsensusVoting.attributes(group.map { (lists[$0.input][$0.index].attributes, weights[$0.input]) }) {
                    object["attributes"] = attributes
                }
                shapes.append(.object(object))
                supports.append(support)
            }
            guard withinLimits(shapes.count, field.limits) else { return medoidResult }
            return (.array(shapes), meanSupport(supports))
        }

        func keypoints(_ field: KeypointsField) -> (JSONValue, Double) {
            let lists = values.map(KeypointsField.instances)
            let sigmas = field.points.map(\.sigma)
            let threshold = options.iouThreshold
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in
                let first = lists[a.input][a.index], second = lists[b.input][b.index]
                guard first.label == second.label else { return nil }
                let similarity = (QualityMetrics.oks(truth: first, detection: second, sigmas: sigmas) + QualityMetrics.oks(truth: second, detection: first, sigmas: sigmas)) / 2
                return similarity >= threshold && similarity > 0 ? similarity : nil
            }
            var instances: [JSONValue] = [], supports: [Double] = []
            var ids = IDs(prefix: "k")
            for group in clusters.groups {
                let support = group.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9 else { continue }
                let members = group.map { (lists[$0.input][$0.index], weights[$0.input]) }
                let memberWeight = members.reduce(0) { $0 + $1.1 }
                var points: [[Double]] = []
                for point in field.points.indices {
                    let placed = members.compactMap { instance, weight -> ([Double], Double)? in
                        guard point < instance.keypoints.count, instance.keypoints[point].count == 3, instance.keypoints[point][2] > 0 else { return nil }
                        return (instance.keypoints[point], weight)
                    }
                    guard isMajority(placed.reduce(0) { $0 + $1.1 }, of: memberWeight),
                          let x = median(placed.map { ($0.0[0], $0.1) }), let y = median(placed.map { ($0.0[1], $0.1) }) else {
                        points.append([0, 0, 0])
                        continue
                    }
                    let visibility = plurality(placed.map { ($0.0[2] >= 2 ? 2.0 : 1.0, $0.1) }, before: { $0 > $1 })?.winner ?? 2
                    points.append([x, y, visibility])
                }
                if !points.contains(where: { $0[2] > 0 }) {
                    let central = clusters.central(group)
                    points = lists[central.input][central.index].keypoints
                }
                instances.append(.object([
                    "id": .string(ids.take(members[0].0.id)), "label": .string(members[0].0.label),
                    "keypoints": .array(points.map { .array($0.map(JSONValue.number)) }),
                ]))
                supports.append(support)
            }
            guard withinLimits(instances.count, field.limits) else { return medoidResult }
            return (.array(instances), meanSupport(supports))
        }

        func masks(_ field: MasksField) -> (JSONValue, Double) {
            let layers = values.map(MasksField.layers)
            var result: [JSONValue] = []
            var agreeing = 0.0, covered = 0
            var labels = field.labels.map(\.value)
            for list in layers {
                for layer in list where !labels.contains(layer.label) { labels.append(layer.label) }
            }
            for label in labels {
                let masks = layers.indices.compactMap { index in layers[index].first { $0.label == label }.map { ($0.mask, weights[index]) } }
                guard let size = masks.first?.0 else { continue }
                var events: [(position: Int, change: Double)] = []
                for (mask, weight) in masks where mask.width == size.width && mask.height == size.height && weight > 0 {
                    for run in MaskRuns.intervals(mask) {
                        events.append((run.start, weight))
                        events.append((run.end, -weight))
                    }
                }
                events.sort { $0.position < $1.position }
                var inside: [(start: Int, end: Int)] = []
                var coverage = 0.0, index = 0
                while index < events.count {
                    let position = events[index].position
                    while index < events.count, events[index].position == position {
                        coverage += events[index].change
                        index += 1
                    }
                    guard index < events.count else { break }
                    let next = events[index].position, length = next - position
                    guard coverage > 1e-12 * total, length > 0 else { continue }
                    let share = min(1, coverage / total)
                    let isInside = isMajority(coverage, of: total)
                    agreeing += Double(length) * (isInside ? share : 1 - share)
                    covered += length
                    if isInside {
                        if let last = inside.last, last.end == position { inside[inside.count - 1].end = next } else { inside.append((position, next)) }
                    }
                }
                guard !inside.isEmpty else { continue }
                var counts: [Int] = []
                var position = 0
                for run in inside {
                    counts.append(run.start - position)
                    counts.append(run.end - run.start)
                    position = run.end
                }
                if size.width * size.height > position { counts.append(size.width * size.height - position) }
                result.append(.object(["label": .string(label), "rle": RunLengthMask(width: size.width, height: size.height, counts: counts).json]))
            }
            return (.array(result), covered > 0 ? agreeing / Double(covered) : 1)
        }

        func tracks(_ field: TracksField) -> (JSONValue, Double) {
            let lists = values.map(TracksField.tracks)
            let lastFrame = lists.flatMap { $0.flatMap { $0.keyframes.map(\.frame) } }.max() ?? -1
            guard lastFrame < 1_000_000 else { return medoidResult }
            let frames = lastFrame + 1
            // Each track's box (and occlusion) at each frame.
            let placed = lists.map { tracks in
                tracks.map { track -> [(box: Box, isOccluded: Bool)?] in
                    let keyframes = track.keyframes.sorted { $0.frame < $1.frame }
                    return (0..<max(0, frames)).map { trackBox(at: $0, keyframes: keyframes) }
                }
            }
            let threshold = options.iouThreshold
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in
                guard lists[a.input][a.index].label == lists[b.input][b.index].label else { return nil }
                let first = placed[a.input][a.index], second = placed[b.input][b.index]
                var sum = 0.0, count = 0
                for frame in 0..<frames {
                    switch (first[frame], second[frame]) {
                    case (nil, nil): continue
                    case (let x?, let y?): sum += x.box.iou(y.box)
                    default: break
                    }
                    count += 1
                }
                let iou = count > 0 ? sum / Double(count) : 0
                return iou >= threshold && iou > 0 ? iou : nil
            }
            var tracks: [JSONValue] = [], supports: [Double] = []
            var ids = IDs(prefix: "t")
            for group in clusters.groups {
                let support = group.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9 else { continue }
                let memberWeight = group.reduce(0) { $0 + weights[$1.input] }
                let keyFrames = Set(group.flatMap { lists[$0.input][$0.index].keyframes.map(\.frame) }).filter { $0 >= 0 && $0 < frames }.sorted()
                var keyframes: [JSONValue] = []
                var isOut = true, anyPresent = false
                for frame in keyFrames {
                    let present = group.compactMap { member in placed[member.input][member.index][frame].map { ($0, weights[member.input]) } }
                    if isMajority(present.reduce(0) { $0 + $1.1 }, of: memberWeight), let box = medianBox(present.map { ($0.0.box, $0.1) }) {
                        let occluded = isMajority(present.reduce(0) { $0 + ($1.0.isOccluded ? $1.1 : 0) }, of: present.reduce(0) { $0 + $1.1 })
                        keyframes.append(.object(["frame": .number(Double(frame)), "x": .number(box.x), "y": .number(box.y),
                                                  "width": .number(box.width), "height": .number(box.height),
                                                  "outside": .bool(false), "occluded": .bool(occluded)]))
                        isOut = false
                        anyPresent = true
                    } else if !isOut {
                        keyframes.append(.object(["frame": .number(Double(frame)), "outside": .bool(true)]))
                        isOut = true
                    }
                }
                guard anyPresent else { continue }
                let first = lists[group[0].input][group[0].index]
                var object: [String: JSONValue] = ["id": .string(ids.take(first.id)), "label": .string(first.label), "keyframes": .array(keyframes)]
                let rawAttributes = group.map { member -> ([String: JSONValue], Double) in
                    let track = lists[member.input][member.index]
                    let raw = values[member.input].arrayValue?.lazy.compactMap(\.objectValue).first { $0["id"]?.stringValue == track.id }
                    return (raw?["attributes"]?.objectValue ?? [:], weights[member.input])
                }
                if let attributes = ConsensusVoting.attributes(rawAttributes) { object["attributes"] = attributes }
                tracks.append(.object(object))
                supports.append(support)
            }
            guard withinLimits(tracks.count, field.limits) else { return medoidResult }
            return (.array(tracks), meanSupport(supports))
        }

        func events() -> (JSONValue, Double) {
            let lists = values.map(EventItem.read)
            let threshold = options.iouThreshold
            let clusters = Clusters(counts: lists.map(\.count)) { a, b in
                let first = lists[a.input][a.index], second = lists[b.input][b.index]
                guard first.label == second.label else { return nil }
                let iou = first.iou(second)
                return iou >= threshold && iou > 0 ? iou : nil
            }
            var events: [(EventItem, Double)] = []
            for group in clusters.groups {
                let support = group.reduce(0) { $0 + weights[$1.input] } / total
                guard support > 0.5 + 1e-9,
                      let start = median(group.map { (Double(lists[$0.input][$0.index].start), weights[$0.input]) }),
                      let end = median(group.map { (Double(lists[$0.input][$0.index].end), weights[$0.input]) }) else { continue }
                let first = lists[group[0].input][group[0].index]
                events.append((EventItem(id: first.id, label: first.label, start: roundHalfUp(start), end: roundHalfUp(end)), support))
            }
            var ids = IDs(prefix: "e")
            let value = events.map { entry -> JSONValue in
                .object(["id": .string(ids.take(entry.0.id)), "label": .string(entry.0.label),
                         "start": .number(Double(entry.0.start)), "end": .number(Double(entry.0.end))])
            }
            return (.array(value), meanSupport(events.map(\.1)))
        }
    }
}

/// Objects of several inputs grouped into clusters of the same object: greedy complete linkage over the links
/// (`link` nil: not the same object), strongest first, at most one object per input in a cluster.
struct Clusters {
    struct Member: Hashable {
        var input: Int
        var index: Int
    }

    /// The clusters (singletons included), each ordered by input, in the order of their first member.
    var groups: [[Member]] = []
    var links: [Member: [Member: Double]] = [:]

    init(counts: [Int], link: (Member, Member) -> Double?) {
        var members: [Member] = []
        for (input, count) in counts.enumerated() {
            for index in 0..<count { members.append(Member(input: input, index: index)) }
        }
        var edges: [(Double, Int, Int)] = []
        var flatIndex: [Member: Int] = [:]
        for (position, member) in members.enumerated() { flatIndex[member] = position }
        for a in members.indices {
            for b in (a + 1)..<members.count where members[a].input != members[b].input {
                guard let value = link(members[a], members[b]), value.isFinite else { continue }
                edges.append((value, a, b))
                links[members[a], default: [:]][members[b]] = value
                links[members[b], default: [:]][members[a]] = value
            }
        }
        edges.sort { ($0.0, -$0.1, -$0.2) > ($1.0, -$1.1, -$1.2) }
        var clusterOf = Array(members.indices)
        var clusterMembers = members.indices.map { [$0] }
        for (_, a, b) in edges {
            let first = clusterOf[a], second = clusterOf[b]
            guard first != second else { continue }
            let inputs = Set(clusterMembers[first].map { members[$0].input })
            guard !clusterMembers[second].contains(where: { inputs.contains(members[$0].input) }) else { continue }
            let complete = clusterMembers[first].allSatisfy { x in
                clusterMembers[second].allSatisfy { y in links[members[x]]?[members[y]] != nil }
            }
            guard complete else { continue }
            let (keep, drop) = first < second ? (first, second) : (second, first)
            for position in clusterMembers[drop] { clusterOf[position] = keep }
            clusterMembers[keep] += clusterMembers[drop]
            clusterMembers[drop] = []
        }
        groups = clusterMembers.filter { !$0.isEmpty }
            .map { $0.sorted().map { members[$0] } }
            .sorted { ($0[0].input, $0[0].index) < ($1[0].input, $1[0].index) }
    }

    func link(_ a: Member, _ b: Member) -> Double? { links[a]?[b] }

    /// The member with the highest mean link to the others (ties: the earlier).
    func central(_ group: [Member]) -> Member {
        guard group.count > 1 else { return group[0] }
        var best = group[0], bestScore = -Double.infinity
        for member in group {
            let score = group.reduce(0) { $0 + ($1 == member ? 0 : link(member, $1) ?? 0) }
            if score > bestScore + 1e-12 {
                best = member
                bestScore = score
            }
        }
        return best
    }
}
