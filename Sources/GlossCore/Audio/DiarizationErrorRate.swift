import Foundation

/// A labelled time span, such as a speaker turn: `label` spoke from `start` to `end` seconds.
public struct TimedLabel: Sendable, Hashable {
    /// The label (a speaker name or id).
    public var label: String
    /// Start, in seconds.
    public var start: Double
    /// End, in seconds (after `start`; a span with `end <= start` is empty and ignored).
    public var end: Double

    /// A span of `label` from `start` to `end` seconds.
    public init(label: String, start: Double, end: Double) {
        self.label = label
        self.start = start
        self.end = end
    }
}

/// The parts of a diarization error rate, in seconds of speaker time (a second with two speakers counts twice).
public struct DiarizationErrorCounts: Sendable, Hashable {
    /// Reference speaker time evaluated: the sum over time of the number of reference speakers.
    public var total: Double
    /// Reference speaker time with too few hypothesis speakers: `Σ d·max(0, r − h)`.
    public var miss: Double
    /// Hypothesis speaker time beyond the reference speakers: `Σ d·max(0, h − r)`.
    public var falseAlarm: Double
    /// Time where a hypothesis speaker is mapped to a reference speaker who is not speaking: `Σ d·(min(r, h) − correct)`.
    public var confusion: Double
    /// Time where a hypothesis speaker and the reference speaker it is mapped to both speak.
    public var correct: Double
    /// The optimal one-to-one mapping, hypothesis label to reference label; a hypothesis label that
    /// shares no evaluated time with the reference speaker it would take is left out.
    public var mapping: [String: String]

    /// Counts as given.
    public init(
        total: Double = 0, miss: Double = 0, falseAlarm: Double = 0, confusion: Double = 0,
        correct: Double = 0, mapping: [String: String] = [:]
    ) {
        self.total = total
        self.miss = miss
        self.falseAlarm = falseAlarm
        self.confusion = confusion
        self.correct = correct
        self.mapping = mapping
    }

    /// `(confusion + falseAlarm + miss) / total`; with no reference speech (`total == 0`): 0 when
    /// there is no hypothesis speech either, else 1 (as pyannote.metrics).
    public var der: Double {
        let errors = confusion + falseAlarm + miss
        if total == 0 { return errors == 0 ? 0 : 1 }
        return errors / total
    }
}

/// Diarization error rate, as `pyannote.metrics.diarization.DiarizationErrorRate`.
public enum DiarizationErrorRate {
    /// Compares hypothesis speaker turns with reference turns.
    ///
    /// The same as `DiarizationErrorRate(collar: collar, skip_overlap: skipOverlap)` of pyannote.metrics
    /// (whose uem defaults to the extent of both): `collar` seconds centred on every start and end of
    /// a reference turn (`±collar/2`) are left out of the evaluation, and with `skipOverlap` so is the
    /// time where two or more reference speakers speak. Time is cut at every boundary of both; in each
    /// piece of `d` seconds with `r` reference and `h` hypothesis speakers, `total += d·r`,
    /// `miss += d·max(0, r−h)`, `falseAlarm += d·max(0, h−r)`, `correct += d·c` and
    /// `confusion += d·(min(r, h) − c)`, `c` being the number of active hypothesis speakers whose
    /// mapped reference speaker is active. The mapping is the one-to-one assignment of hypothesis to
    /// reference labels that maximises the total time they share (Hungarian method).
    ///
    /// Turns of one label that overlap count once (the union per label); pyannote would count such
    /// a stretch twice, for each turn. Spans with `end <= start` or a non-finite time are ignored.
    /// Where several mappings are optimal the DER is the same, but `mapping` may differ from pyannote's.
    public static func compute(
        reference: [TimedLabel], hypothesis: [TimedLabel], collar: Double = 0, skipOverlap: Bool = false
    ) -> DiarizationErrorCounts {
        let referenceTurns = reference.filter(isValid)
        let hypothesisTurns = hypothesis.filter(isValid)
        let referenceLabels = Speakers(referenceTurns)
        let hypothesisLabels = Speakers(hypothesisTurns)

        // Evaluation map: everything but the collars (and overlap regions).
        var excluded: [(Double, Double)] = []
        if collar > 0 {
            for turn in referenceTurns {
                excluded.append((turn.start - 0.5 * collar, turn.start + 0.5 * collar))
                excluded.append((turn.end - 0.5 * collar, turn.end + 0.5 * collar))
            }
        }
        if skipOverlap {
            excluded += referenceLabels.overlapRegions()
        }
        let excludedRegions = Self.union(excluded)

        // Elementary pieces: every boundary of either side and of the evaluation map.
        var boundaries: [Double] = []
        for spans in referenceLabels.spans + hypothesisLabels.spans {
            for span in spans {
                boundaries.append(span.0)
                boundaries.append(span.1)
            }
        }
        for region in excludedRegions {
            boundaries.append(region.0)
            boundaries.append(region.1)
        }
        boundaries.sort()
        var cuts: [Double] = []
        for boundary in boundaries where cuts.last != boundary { cuts.append(boundary) }
        var pieces: [Piece] = []
        var referenceCursor = Cursor(referenceLabels.spans)
        var hypothesisCursor = Cursor(hypothesisLabels.spans)
        var excludedCursor = Cursor([excludedRegions])
        for index in cuts.indices.dropLast() {
            let start = cuts[index], end = cuts[index + 1]
            let middle = start + (end - start) / 2
            if !excludedCursor.active(at: middle).isEmpty { continue }
            let r = referenceCursor.active(at: middle)
            let h = hypothesisCursor.active(at: middle)
            if r.isEmpty && h.isEmpty { continue }
            pieces.append(Piece(duration: end - start, reference: r, hypothesis: h))
        }

        // Optimal mapping over the evaluated time.
        let nh = hypothesisLabels.names.count, nr = referenceLabels.names.count
        var shared = [[Double]](repeating: [Double](repeating: 0, count: nr), count: nh)
        for piece in pieces {
            for h in piece.hypothesis {
                for r in piece.reference { shared[h][r] += piece.duration }
            }
        }
        var mappedTo = [Int](repeating: -1, count: nh)
        var mapping: [String: String] = [:]
        if nh > 0, nr > 0 {
            for (h, r) in maximumAssignment(shared) where shared[h][r] > 0 {
                mappedTo[h] = r
                mapping[hypothesisLabels.names[h]] = referenceLabels.names[r]
            }
        }

        var counts = DiarizationErrorCounts(mapping: mapping)
        for piece in pieces {
            let r = piece.reference.count, h = piece.hypothesis.count
            var matched = 0
            for speaker in piece.hypothesis where mappedTo[speaker] >= 0 {
                if piece.reference.contains(mappedTo[speaker]) { matched += 1 }
            }
            let d = piece.duration
            counts.total += d * Double(r)
            counts.correct += d * Double(matched)
            counts.confusion += d * Double(min(r, h) - matched)
            counts.miss += d * Double(max(0, r - h))
            counts.falseAlarm += d * Double(max(0, h - r))
        }
        return counts
    }

    static func isValid(_ turn: TimedLabel) -> Bool {
        turn.start.isFinite && turn.end.isFinite && turn.end > turn.start
    }

    /// Sorted, disjoint union of intervals (touching ones merged).
    static func union(_ intervals: [(Double, Double)]) -> [(Double, Double)] {
        let sorted = intervals.filter { $0.1 > $0.0 }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var merged: [(Double, Double)] = []
        for interval in sorted {
            if let last = merged.last, interval.0 <= last.1 {
                merged[merged.count - 1].1 = max(last.1, interval.1)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    struct Piece {
        var duration: Double
        var reference: [Int]
        var hypothesis: [Int]
    }

    /// Labels (sorted) and the union of each label's spans.
    struct Speakers {
        var names: [String]
        var spans: [[(Double, Double)]]

        init(_ turns: [TimedLabel]) {
            var byLabel: [String: [(Double, Double)]] = [:]
            for turn in turns { byLabel[turn.label, default: []].append((turn.start, turn.end)) }
            names = byLabel.keys.sorted()
            spans = names.map { DiarizationErrorRate.union(byLabel[$0]!) }
        }

        /// Where two or more labels are active.
        func overlapRegions() -> [(Double, Double)] {
            var events: [(Double, Int)] = []
            for list in spans {
                for span in list {
                    events.append((span.0, 1))
                    events.append((span.1, -1))
                }
            }
            events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            var regions: [(Double, Double)] = []
            var active = 0
            var start = 0.0
            for (time, change) in events {
                let before = active
                active += change
                if before < 2, active >= 2 { start = time }
                if before >= 2, active < 2, time > start { regions.append((start, time)) }
            }
            return regions
        }
    }

    /// Walks forward through sorted disjoint spans per label.
    struct Cursor {
        var spans: [[(Double, Double)]]
        var positions: [Int]

        init(_ spans: [[(Double, Double)]]) {
            self.spans = spans
            positions = [Int](repeating: 0, count: spans.count)
        }

        /// Labels active at `time`; `time` must not decrease from call to call.
        mutating func active(at time: Double) -> [Int] {
            var result: [Int] = []
            for label in spans.indices {
                let list = spans[label]
                var position = positions[label]
                while position < list.count, list[position].1 <= time { position += 1 }
                positions[label] = position
                if position < list.count, list[position].0 <= time { result.append(label) }
            }
            return result
        }
    }

    /// Row → column pairs of a one-to-one assignment maximising the summed weight (Hungarian method
    /// with potentials, O(n²m)); every row of the smaller side is assigned.
    static func maximumAssignment(_ weight: [[Double]]) -> [(Int, Int)] {
        guard weight.first?.isEmpty == false else { return [] }
        let largest = weight.flatMap { $0 }.max() ?? 0
        return minimumCostAssignment(weight.map { row in row.map { largest - $0 } }).sorted { $0.0 < $1.0 }
    }
}
