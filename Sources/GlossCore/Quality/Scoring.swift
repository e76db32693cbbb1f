import Foundation

/// How an annotation compares with a gold answer: 0...1 per field and overall.
///
/// Every field type is compared with the metric an ML engineer expects of it, from 0 (nothing alike) to 1 (the same).
/// `score(_:against:)` reads the gold answer as the truth (keypoints and tracks are asymmetric there);
/// `similarity(_:_:)` uses the same metrics made symmetric (the mean of both directions where they differ).
///
/// | Type | Metric |
/// |---|---|
/// | `choice` | single: exact match; multiple: Jaccard of the selected sets (both empty: 1) |
/// | `text`, `translation` | the texts trimmed, whitespace collapsed and case-folded: equal is 1; when both have at most `shortTextWords` words nothing else counts; otherwise word-level F1 (SQuAD: bag of case-folded words, punctuation dropped) |
/// | `rewrite` | as `text`, on the rewritten text (the stored diff is ignored) |
/// | `prompt` | mean of: the prompt as `text`, the answer as `text` (when either has one), Jaccard of the tags (when the field has tags) |
/// | `spans` | span-level F1 over exact `(start, end, label)` matches (seqeval style; attributes ignored) |
/// | `relations` | F1 over `(head span, tail span, label)` triples, spans read as `(start, end, label)` from the same annotation's spans field (undirected: the pair unordered) |
/// | `mqm` | soft F1, `2 · credit / (n_a + n_b)`, over errors matched one to one to maximise the credit: a match needs the same category and overlapping ranges (an omission, start = end, matches a range it lies in or at the edge of); a matched pair counts 1 with the same severity, ½ with another |
/// | `code_review` | soft F1 as `mqm`, over comments: a match needs the same file (a comment without `file` matches any), overlapping line ranges and the same category; 1 with the same severity, ½ with another |
/// | `rating` | per dimension 1 when `abs(a - b) <= ratingTolerance`, else `1 - abs(a - b) / (max - min)`; the mean over dimensions (and candidates). The justification is not scored |
/// | `ranking` | Kendall's tau-b mapped to `(tau + 1) / 2` (a ranking with every candidate tied against another: ½; both all tied: 1) |
/// | `pairwise` | another winner: 0; the same winner: 1 when the strengths are within one step (or there is no strength: a tie, or a field without strength), ½ when they are two steps apart (1 against 3). The reason is not scored |
/// | `flags` | Jaccard of the flag sets (both empty: 1); per candidate, the mean over candidates |
/// | `taxonomy` | single: the same term id; multiple: Jaccard of the id sets |
/// | `chat` | not scored and not compared: two conversations with a model are different conversations |
/// | `boxes` | boxes of the same label with IoU ≥ `iouThreshold` matched one to one to maximise the summed IoU (Hungarian); `sum of matched IoU / max(n_a, n_b)` (both empty: 1) |
/// | `polygons` | as `boxes`, with exact polygon IoU |
/// | `keypoints` | as `boxes`, with COCO's object keypoint similarity (OKS, the gold instance's points and the box around them as the area, at least 1 px²) instead of IoU; symmetric: the mean OKS of both directions |
/// | `masks` | pixel IoU per label, the mean over labels either side marks (a label only one side marks: 0; no label on either side: 1) |
/// | `tracks` | CLEAR MOT per label (`clearMOT` at `iouThreshold`, frames 0 to the last keyframe of either side), summed over labels: `max(0, MOTA)`; no truth object: 1 when the other side has none either, else 0 |
/// | `events` | as `boxes`, with the IoU of the frame intervals `[start, end)` |
/// | `segments` | with `speakers: true`, `1 − DER` (diarization error rate, speakers mapped one to one to maximise the overlap, as pyannote.metrics); otherwise as `events`, with the IoU of the time intervals. Symmetric: the mean of both directions |
/// | `transcript` | `1 − WER` (word error rate, as jiwer) over every region's words in time order, after the conventions' tags, hesitations and false starts are removed; symmetric: the mean of both directions |
/// | `recording` | not scored and not compared: two recordings are two performances |
/// | `cuboids` | per frame that either side has a box on, boxes of the same label with 3D IoU ≥ `iouThreshold` matched one to one as `boxes`; the mean over those frames (neither side has a box: 1) |
///
/// A field the gold answer leaves out (absent or null) is not scored; the overall score is the mean of the
/// scored fields (1 when none). A field the annotation leaves out scores 0 (a list field left out is an
/// empty list). Anything unreadable scores 0, never a crash.
public struct GoldScore: Sendable, Hashable {
    /// The mean of the field scores (1 when the gold answer scores no field).
    public var overall: Double
    /// Each scored field's score, 0...1, by field name.
    public var fields: [String: Double]

    public init(overall: Double, fields: [String: Double]) {
        self.overall = overall
        self.fields = fields
    }
}

/// How a consensus rating is formed from the inputs' scores before it is rounded to a point of the scale.
public enum RatingAggregate: String, Sendable, Hashable, CaseIterable {
    case median, mean
}

/// The tolerances and thresholds of the metrics (a project's quality policy may set them).
public struct ScoringOptions: Sendable, Hashable {
    /// The overlap (IoU; OKS for keypoints) from which two shapes, segments or tracks are the same object.
    public var iouThreshold: Double
    /// A rating within this many points of the other counts as the same.
    public var ratingTolerance: Int
    /// The consensus of ratings: the (weighted) median or mean, rounded half up to a point of the scale.
    public var ratingAggregate: RatingAggregate
    /// Texts that both have at most this many words must match exactly (normalized); longer ones score by word F1.
    public var shortTextWords: Int

    public init(iouThreshold: Double = 0.5, ratingTolerance: Int = 0, ratingAggregate: RatingAggregate = .median, shortTextWords: Int = 3) {
        self.iouThreshold = iouThreshold
        self.ratingTolerance = ratingTolerance
        self.ratingAggregate = ratingAggregate
        self.shortTextWords = shortTextWords
    }
}

extension LabelSchema {
    /// Scores `value` against `gold` with each field type's metric; fields the gold answer leaves out are not
    /// scored; `overall` is the mean of the scored fields (1 when none).
    public func score(_ value: JSONValue, against gold: JSONValue, options: ScoringOptions = .init()) -> GoldScore {
        let answer = value.objectValue ?? [:]
        let truth = gold.objectValue ?? [:]
        var scores: [String: Double] = [:]
        for field in fields where field.kind.isCompared {
            guard let expected = truth[field.name], expected != .null else { continue }
            guard let given = Self.presentValue(of: field, in: answer) else {
                scores[field.name] = 0
                continue
            }
            scores[field.name] = field.kind.compare(expected, given, in: (truth, answer), options: options, symmetric: false)
        }
        let overall = scores.isEmpty ? 1 : scores.values.reduce(0, +) / Double(scores.count)
        return GoldScore(overall: overall, fields: scores)
    }

    /// Similarity of two annotations of this schema, 0...1: the same metrics, symmetric. The mean over the fields
    /// either holds (a field only one holds: 0; `chat` fields are not compared); 1 when no field is compared.
    public func similarity(_ a: JSONValue, _ b: JSONValue, options: ScoringOptions = .init()) -> Double {
        let values = fieldSimilarities(a, b, options: options).values
        return values.isEmpty ? 1 : values.reduce(0, +) / Double(values.count)
    }

    /// The similarity of two annotations field by field (only the fields compared), by field name.
    public func fieldSimilarities(_ a: JSONValue, _ b: JSONValue, options: ScoringOptions = .init()) -> [String: Double] {
        let first = a.objectValue ?? [:], second = b.objectValue ?? [:]
        var result: [String: Double] = [:]
        for field in fields where field.kind.isCompared {
            if let similarity = fieldSimilarity(field, first, second, options: options) { result[field.name] = similarity }
        }
        return result
    }

    /// One field's similarity between two annotations; nil when neither holds the field.
    func fieldSimilarity(_ field: Field, _ a: [String: JSONValue], _ b: [String: JSONValue], options: ScoringOptions) -> Double? {
        let first = Self.presentValue(of: field, in: a), second = Self.presentValue(of: field, in: b)
        switch (first, second) {
        case (nil, nil): return nil
        case (let x?, let y?): return field.kind.compare(x, y, in: (a, b), options: options, symmetric: true)
        default: return 0
        }
    }

    /// A field's value in an annotation: nil when absent or null, except list fields, whose absence is an empty list.
    static func presentValue(of field: Field, in annotation: [String: JSONValue]) -> JSONValue? {
        let value = annotation[field.name] ?? .null
        if value != .null { return value }
        return field.kind.isList ? .array([]) : nil
    }
}

extension FieldKind {
    /// Whether values of this type are compared at all (`chat` is not).
    var isCompared: Bool {
        switch self {
        case .chat, .recording: false
        default: true
        }
    }

    /// `b` compared with `a` (the truth when not `symmetric`), 0...1. `annotations` are the two whole
    /// annotations, for fields that read another field (relations read their spans).
    func compare(_ a: JSONValue, _ b: JSONValue, in annotations: ([String: JSONValue], [String: JSONValue]), options: ScoringOptions,
                 symmetric: Bool) -> Double {
        let result: Double
        switch self {
        case .choice(let choice):
            if choice.allowsMultiple {
                result = QualityMetrics.jaccard(QualityMetrics.strings(a), QualityMetrics.strings(b))
            } else {
                result = a.stringValue != nil && a.stringValue == b.stringValue ? 1 : 0
            }
        case .text, .translation:
            result = QualityMetrics.text(a.stringValue, b.stringValue, options: options)
        case .rewrite:
            result = QualityMetrics.text(RewriteField.text(of: a), RewriteField.text(of: b), options: options)
        case .prompt(let prompt):
            result = QualityMetrics.prompt(a, b, hasTags: !prompt.tags.isEmpty, options: options)
        case .spans:
            result = QualityMetrics.f1(Set(SpanItem.read(a).map(\.key)), Set(SpanItem.read(b).map(\.key)))
        case .relations(let relations):
            let first = RelationKey.read(a, spans: annotations.0[relations.spansField], directed: relations.isDirected)
            let second = RelationKey.read(b, spans: annotations.1[relations.spansField], directed: relations.isDirected)
            result = QualityMetrics.f1(Set(first), Set(second))
        case .mqm:
            result = QualityMetrics.softF1(MQMItem.read(a), MQMItem.read(b)) { $0.match($1) }
        case .codeReview:
            result = QualityMetrics.softF1(ReviewCommentItem.read(a), ReviewCommentItem.read(b)) { $0.match($1) }
        case .rating(let rating):
            result = QualityMetrics.rating(a, b, field: rating, tolerance: options.ratingTolerance)
        case .ranking:
            result = QualityMetrics.ranking(a, b)
        case .pairwise:
            result = QualityMetrics.pairwise(a, b)
        case .flags(let flags):
            if flags.items != nil {
                result = QualityMetrics.perCandidate(a, b) { QualityMetrics.jaccard(QualityMetrics.strings($0), QualityMetrics.strings($1)) }
            } else {
                result = QualityMetrics.jaccard(QualityMetrics.strings(a), QualityMetrics.strings(b))
            }
        case .taxonomy(let taxonomy):
            if taxonomy.allowsMultiple {
                result = QualityMetrics.jaccard(Set(QualityMetrics.termIDs(a)), Set(QualityMetrics.termIDs(b)))
            } else {
                let id = QualityMetrics.termID(a)
                result = id != nil && id == QualityMetrics.termID(b) ? 1 : 0
            }
        case .chat:
            result = 1
        case .boxes:
            let first = BoxesField.shapes(a), second = BoxesField.shapes(b)
            result = QualityMetrics.matching(first.count, second.count, threshold: options.iouThreshold) { i, j in
                guard first[i].label == second[j].label else { return nil }
                return first[i].box.iou(second[j].box)
            }.score
        case .polygons:
            let first = PolygonsField.shapes(a), second = PolygonsField.shapes(b)
            result = QualityMetrics.matching(first.count, second.count, threshold: options.iouThreshold) { i, j in
                guard first[i].label == second[j].label else { return nil }
                return QualityMetrics.polygonIoU(first[i].polygon, second[j].polygon)
            }.score
        case .keypoints(let keypoints):
            let first = KeypointsField.instances(a), second = KeypointsField.instances(b)
            let sigmas = keypoints.points.map(\.sigma)
            result = QualityMetrics.matching(first.count, second.count, threshold: options.iouThreshold) { i, j in
                guard first[i].label == second[j].label else { return nil }
                let forward = QualityMetrics.oks(truth: first[i], detection: second[j], sigmas: sigmas)
                return symmetric ? (forward + QualityMetrics.oks(truth: second[j], detection: first[i], sigmas: sigmas)) / 2 : forward
            }.score
        case .masks:
            result = QualityMetrics.masks(MasksField.layers(a), MasksField.layers(b))
        case .tracks:
            let first = TracksField.tracks(a), second = TracksField.tracks(b)
            let forward = QualityMetrics.tracking(truth: first, hypotheses: second, threshold: options.iouThreshold)
            result = symmetric ? (forward + QualityMetrics.tracking(truth: second, hypotheses: first, threshold: options.iouThreshold)) / 2 : forward
        case .events:
            let first = EventItem.read(a), second = EventItem.read(b)
            result = QualityMetrics.matching(first.count, second.count, threshold: options.iouThreshold) { i, j in
                guard first[i].label == second[j].label else { return nil }
                return first[i].iou(second[j])
            }.score
        case .segments(let segments):
            result = QualityMetrics.segments(a, b, field: segments, threshold: options.iouThreshold, symmetric: symmetric)
        case .transcript(let transcript):
            let first = transcript.words(a, segments: annotations.0[transcript.segmentsField])
            let second = transcript.words(b, segments: annotations.1[transcript.segmentsField])
            let forward = max(0, 1 - WordErrorRate.counts(reference: first, hypothesis: second).wer)
            result = symmetric ? (forward + max(0, 1 - WordErrorRate.counts(reference: second, hypothesis: first).wer)) / 2 : forward
        case .recording:
            result = 1
        case .cuboids:
            result = QualityMetrics.cuboids(CuboidsField.tracks(a), CuboidsField.tracks(b), threshold: options.iouThreshold)
        }
        return result.isFinite ? min(1, max(0, result)) : 0
    }
}

// MARK: - Values as the metrics read them

/// A span as scoring reads it: its exact `(start, end, label)`.
struct SpanKey: Hashable, Comparable, Sendable {
    var start: Int
    var end: Int
    var label: String

    static func < (lhs: SpanKey, rhs: SpanKey) -> Bool {
        (lhs.start, lhs.end, lhs.label) < (rhs.start, rhs.end, rhs.label)
    }
}

/// A span of a value with its id and its JSON object (for the consensus to keep `text` and `attributes`).
struct SpanItem {
    var id: String?
    var key: SpanKey
    var object: [String: JSONValue]

    static func read(_ value: JSONValue?) -> [SpanItem] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let start = object["start"]?.intValue, let end = object["end"]?.intValue,
                  let label = object["label"]?.stringValue else { return nil }
            return SpanItem(id: object["id"]?.stringValue, key: SpanKey(start: start, end: end, label: label), object: object)
        }
    }
}

/// A relation as scoring reads it: its two spans by content (not by id) and its label.
struct RelationKey: Hashable, Comparable, Sendable {
    var head: SpanKey
    var tail: SpanKey
    var label: String

    static func < (lhs: RelationKey, rhs: RelationKey) -> Bool {
        (lhs.head, lhs.tail, lhs.label) < (rhs.head, rhs.tail, rhs.label)
    }

    /// The relations of a value with their spans resolved in the same annotation's spans value. An id that names
    /// no span stays an unmatched key of its own.
    static func read(_ value: JSONValue?, spans: JSONValue?, directed: Bool) -> [RelationKey] {
        var byID: [String: SpanKey] = [:]
        for span in SpanItem.read(spans) {
            if let id = span.id { byID[id] = span.key }
        }
        return (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let head = object["head"]?.stringValue, let tail = object["tail"]?.stringValue,
                  let label = object["label"]?.stringValue else { return nil }
            let first = byID[head] ?? SpanKey(start: -1, end: -1, label: "#" + head)
            let second = byID[tail] ?? SpanKey(start: -1, end: -1, label: "#" + tail)
            if directed || first <= second { return RelationKey(head: first, tail: second, label: label) }
            return RelationKey(head: second, tail: first, label: label)
        }
    }
}

/// An MQM error: a code point range of the target, a category and a severity.
struct MQMItem {
    var start: Int
    var end: Int
    var category: String
    var severity: String
    var object: [String: JSONValue]

    static func read(_ value: JSONValue?) -> [MQMItem] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let start = object["start"]?.intValue, let end = object["end"]?.intValue,
                  let category = object["category"]?.stringValue, let severity = object["severity"]?.stringValue else { return nil }
            return MQMItem(start: start, end: end, category: category, severity: severity, object: object)
        }
    }

    /// How well two errors match (nil: they do not): the overlap of their ranges and the credit of the pair.
    func match(_ other: MQMItem) -> (quality: Double, credit: Double)? {
        guard category == other.category else { return nil }
        let quality: Double
        if start == end || other.start == other.end {
            // An omission marks a point: it matches a range it lies in (or at the edge of), or the same point.
            let (point, range) = start == end ? (start, other) : (other.start, self)
            guard range.start <= point, point <= range.end else { return nil }
            quality = start == other.start && end == other.end ? 1 : 0.5
        } else {
            let intersection = min(end, other.end) - max(start, other.start)
            guard intersection > 0 else { return nil }
            quality = Double(intersection) / Double(max(end, other.end) - min(start, other.start))
        }
        return (quality, severity == other.severity ? 1 : 0.5)
    }
}

/// A code review comment: a file (nil: the task's only file), an inclusive line range, a category, a severity.
struct ReviewCommentItem {
    var file: String?
    var start: Int
    var end: Int
    var category: String
    var severity: String
    var object: [String: JSONValue]

    static func read(_ value: JSONValue?) -> [ReviewCommentItem] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let start = object["start_line"]?.intValue, let end = object["end_line"]?.intValue,
                  let category = object["category"]?.stringValue, let severity = object["severity"]?.stringValue else { return nil }
            return ReviewCommentItem(file: object["file"]?.stringValue, start: start, end: end, category: category, severity: severity, object: object)
        }
    }

    func match(_ other: ReviewCommentItem) -> (quality: Double, credit: Double)? {
        guard category == other.category else { return nil }
        if let file, let otherFile = other.file, file != otherFile { return nil }
        let intersection = min(end, other.end) - max(start, other.start) + 1
        guard intersection > 0 else { return nil }
        let quality = Double(intersection) / Double(max(end, other.end) - min(start, other.start) + 1)
        return (quality, severity == other.severity ? 1 : 0.5)
    }
}

/// A labeled segment of frames `[start, end)`.
struct EventItem {
    var id: String?
    var label: String
    var start: Int
    var end: Int

    static func read(_ value: JSONValue?) -> [EventItem] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let label = object["label"]?.stringValue, let start = object["start"]?.intValue,
                  let end = object["end"]?.intValue else { return nil }
            return EventItem(id: object["id"]?.stringValue, label: label, start: start, end: end)
        }
    }

    func iou(_ other: EventItem) -> Double {
        let intersection = min(end, other.end) - max(start, other.start)
        let union = (end - start) + (other.end - other.start) - max(0, intersection)
        return intersection > 0 && union > 0 ? Double(intersection) / Double(union) : 0
    }
}

// MARK: - Metrics

/// The metrics of the table above, on plain values.
enum QualityMetrics {
    /// `segments`: DER for speakers, else interval IoU matching as `events`.
    static func segments(_ a: JSONValue, _ b: JSONValue, field: SegmentsField, threshold: Double, symmetric: Bool) -> Double {
        let first = SegmentsField.segments(a), second = SegmentsField.segments(b)
        if field.isSpeakers {
            let forward = 1 - DiarizationErrorRate.compute(reference: first.map(\.timed), hypothesis: second.map(\.timed)).der
            guard symmetric else { return max(0, forward) }
            let backward = 1 - DiarizationErrorRate.compute(reference: second.map(\.timed), hypothesis: first.map(\.timed)).der
            return (max(0, forward) + max(0, backward)) / 2
        }
        return matching(first.count, second.count, threshold: threshold) { i, j in
            guard first[i].label == second[j].label else { return nil }
            let intersection = min(first[i].end, second[j].end) - max(first[i].start, second[j].start)
            let union = (first[i].end - first[i].start) + (second[j].end - second[j].start) - max(0, intersection)
            return intersection > 0 && union > 0 ? intersection / union : 0
        }.score
    }

    /// `cuboids`: the mean over frames of the one-to-one 3D IoU matching of the boxes on that frame.
    static func cuboids(_ a: [CuboidsField.Track], _ b: [CuboidsField.Track], threshold: Double) -> Double {
        var frames: Set<Int> = []
        for track in a + b { if let range = track.frames { frames.formUnion(range) } }
        guard !frames.isEmpty else { return 1 }
        var total = 0.0
        for frame in frames {
            let first = a.compactMap { track in track.box(at: frame).map { (track.label, $0) } }
            let second = b.compactMap { track in track.box(at: frame).map { (track.label, $0) } }
            total += matching(first.count, second.count, threshold: threshold) { i, j in
                guard first[i].0 == second[j].0 else { return nil }
                return Cuboids.iou3D(first[i].1, second[j].1)
            }.score
        }
        return total / Double(frames.count)
    }

    static func strings(_ value: JSONValue) -> Set<String> {
        Set((value.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// |A ∩ B| / |A ∪ B|; 1 when both are empty.
    static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        let intersection = a.intersection(b).count
        return Double(intersection) / Double(a.count + b.count - intersection)
    }

    /// F1 of exact matches, 2|A ∩ B| / (|A| + |B|); 1 when both are empty.
    static func f1<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        return 2 * Double(a.intersection(b).count) / Double(a.count + b.count)
    }

    // MARK: Text

    /// Trimmed, whitespace collapsed to one space, case-folded.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// Case-folded words: runs of letters, digits and marks (the tokenizer's word characters); punctuation dropped.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if Tokenizer.isWordCharacter(character) {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// SQuAD's F1 of two bags of words; when either is empty, 1 if both are.
    static func tokenF1(_ a: [String], _ b: [String]) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        var counts: [String: Int] = [:]
        for word in a { counts[word, default: 0] += 1 }
        var common = 0
        for word in b where (counts[word] ?? 0) > 0 {
            counts[word]! -= 1
            common += 1
        }
        return 2 * Double(common) / Double(a.count + b.count)
    }

    static func text(_ a: String?, _ b: String?, options: ScoringOptions) -> Double {
        guard let a, let b else { return 0 }
        if normalized(a) == normalized(b) { return 1 }
        let first = words(a), second = words(b)
        if first.count <= options.shortTextWords && second.count <= options.shortTextWords { return 0 }
        return tokenF1(first, second)
    }

    static func prompt(_ a: JSONValue, _ b: JSONValue, hasTags: Bool, options: ScoringOptions) -> Double {
        let first = a.objectValue ?? [:], second = b.objectValue ?? [:]
        var parts = [text(first["prompt"]?.stringValue, second["prompt"]?.stringValue, options: options)]
        let answers = (first["answer"]?.stringValue, second["answer"]?.stringValue)
        if answers.0 != nil || answers.1 != nil { parts.append(text(answers.0, answers.1, options: options)) }
        if hasTags { parts.append(jaccard(strings(first["tags"] ?? .null), strings(second["tags"] ?? .null))) }
        return parts.reduce(0, +) / Double(parts.count)
    }

    // MARK: Judging

    /// The mean of `entry` over the candidates of two per-candidate values (an entry only one side has: 0).
    static func perCandidate(_ a: JSONValue, _ b: JSONValue, entry: (JSONValue, JSONValue) -> Double) -> Double {
        let first = a.arrayValue ?? [], second = b.arrayValue ?? []
        let count = max(first.count, second.count)
        guard count > 0 else { return 1 }
        var sum = 0.0
        for index in 0..<min(first.count, second.count) { sum += entry(first[index], second[index]) }
        return sum / Double(count)
    }

    static func rating(_ a: JSONValue, _ b: JSONValue, field: RatingField, tolerance: Int) -> Double {
        func entry(_ first: JSONValue, _ second: JSONValue) -> Double {
            guard !field.dimensions.isEmpty else { return 1 }
            let scoresA = first.objectValue?["scores"]?.objectValue ?? [:], scoresB = second.objectValue?["scores"]?.objectValue ?? [:]
            var sum = 0.0
            for dimension in field.dimensions {
                guard let x = scoresA[dimension.name]?.intValue, let y = scoresB[dimension.name]?.intValue else { continue }
                let difference = abs(x - y)
                if difference <= max(0, tolerance) {
                    sum += 1
                } else {
                    sum += max(0, 1 - Double(difference) / Double(max(1, dimension.maximum - dimension.minimum)))
                }
            }
            return sum / Double(field.dimensions.count)
        }
        return field.items != nil ? perCandidate(a, b, entry: entry) : entry(a, b)
    }

    /// Kendall's tau-b of two rank lists (1 is best), mapped to 0...1.
    static func ranking(_ a: JSONValue, _ b: JSONValue) -> Double {
        guard let first = a.arrayValue?.compactMap(\.numberValue), let second = b.arrayValue?.compactMap(\.numberValue),
              first.count == a.arrayValue?.count, second.count == b.arrayValue?.count, first.count == second.count else { return 0 }
        guard let tau = kendallTauB(first, second) else { return first == second ? 1 : 0.5 }
        return (tau + 1) / 2
    }

    /// Kendall's tau-b; nil when either list is all ties (or has fewer than two entries).
    static func kendallTauB(_ a: [Double], _ b: [Double]) -> Double? {
        var concordant = 0, discordant = 0, tiedA = 0, tiedB = 0, pairs = 0
        for i in a.indices {
            for j in (i + 1)..<a.count {
                pairs += 1
                let x = a[i] - a[j], y = b[i] - b[j]
                if x == 0 { tiedA += 1 }
                if y == 0 { tiedB += 1 }
                if x * y > 0 { concordant += 1 } else if x * y < 0 { discordant += 1 }
            }
        }
        let denominator = (Double(pairs - tiedA) * Double(pairs - tiedB)).squareRoot()
        guard denominator > 0 else { return nil }
        return Double(concordant - discordant) / denominator
    }

    static func pairwise(_ a: JSONValue, _ b: JSONValue) -> Double {
        guard let winner = a.objectValue?["winner"]?.stringValue, winner == b.objectValue?["winner"]?.stringValue else { return 0 }
        guard let x = a.objectValue?["strength"]?.intValue, let y = b.objectValue?["strength"]?.intValue else { return 1 }
        return abs(x - y) <= 1 ? 1 : 0.5
    }

    static func termID(_ value: JSONValue) -> String? {
        value.objectValue?["id"]?.stringValue ?? value.stringValue
    }

    static func termIDs(_ value: JSONValue) -> [String] {
        (value.arrayValue ?? []).compactMap(termID)
    }

    // MARK: Matching

    /// A one-to-one matching of two lists of objects and the overlap of each matched pair.
    struct Matching {
        var firstCount: Int
        var secondCount: Int
        var pairs: [(first: Int, second: Int, overlap: Double)]

        /// The summed overlap of the pairs over the larger count (1 when both lists are empty).
        var score: Double {
            let largest = max(firstCount, secondCount)
            guard largest > 0 else { return 1 }
            return pairs.reduce(0) { $0 + $1.overlap } / Double(largest)
        }
    }

    /// Matches objects one to one to maximise the summed overlap (IoU, OKS) of the pairs at or above the threshold,
    /// by the Hungarian method (`overlap` nil: not the same kind of object, such as another label).
    static func matching(_ n: Int, _ m: Int, threshold: Double, overlap: (Int, Int) -> Double?) -> Matching {
        var edges: [(Int, Int, Double)] = []
        for i in 0..<n {
            for j in 0..<m {
                if let value = overlap(i, j), value.isFinite, value > 0, value >= threshold { edges.append((i, j, min(1, value))) }
            }
        }
        return Matching(firstCount: n, secondCount: m, pairs: assign(n: n, m: m, edges: edges))
    }

    /// The one-to-one assignment over allowed edges `(i, j, quality in 0...1)` with the largest summed quality (a pair
    /// that is not an edge costs as much as a pair of quality 0, and is dropped). The Hungarian method runs on each
    /// connected group of edges apart, so thousands of boxes that mostly overlap only their neighbours stay fast.
    static func assign(n: Int, m: Int, edges: [(Int, Int, Double)]) -> [(first: Int, second: Int, overlap: Double)] {
        guard !edges.isEmpty else { return [] }
        // Connected groups of the bipartite graph: rows 0..<n, columns n..<n+m.
        var parent = Array(0..<(n + m))
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for (i, j, _) in edges {
            let a = root(i), b = root(n + j)
            if a != b { parent[a] = b }
        }
        var groups: [Int: [(Int, Int, Double)]] = [:]
        for edge in edges { groups[root(edge.0), default: []].append(edge) }
        var result: [(first: Int, second: Int, overlap: Double)] = []
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let rows = Array(Set(group.map(\.0))).sorted(), columns = Array(Set(group.map(\.1))).sorted()
            let rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
            let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            var cost = [[Double]](repeating: [Double](repeating: 1, count: columns.count), count: rows.count)
            var quality = [[Double?]](repeating: [Double?](repeating: nil, count: columns.count), count: rows.count)
            for (i, j, value) in group {
                cost[rowIndex[i]!][columnIndex[j]!] = 1 - value
                quality[rowIndex[i]!][columnIndex[j]!] = value
            }
            for (row, column) in minimumCostAssignment(cost) {
                if let value = quality[row][column] { result.append((rows[row], columns[column], value)) }
            }
        }
        return result.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// Soft F1 over items matched one to one: each matched pair counts its credit, `2 · credits / (|A| + |B|)`, 1 when
    /// both are empty. The matching maximises the summed credit (the F1), then the overlap, whose weight is too small
    /// to outweigh half a credit: so the summed credit is the same whichever side is the gold.
    static func softF1<T>(_ a: [T], _ b: [T], match: (T, T) -> (quality: Double, credit: Double)?) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        let tieBreak = 0.25 / Double(max(a.count, b.count) + 1)
        var edges: [(Int, Int, Double)] = []
        var credits: [Int: [Int: Double]] = [:]
        for i in a.indices {
            for j in b.indices {
                if let found = match(a[i], b[j]), found.credit > 0 {
                    let credit = min(1, found.credit), overlap = min(1, max(0, found.quality))
                    edges.append((i, j, (credit + tieBreak * overlap) / (1 + tieBreak)))
                    credits[i, default: [:]][j] = credit
                }
            }
        }
        let pairs = assign(n: a.count, m: b.count, edges: edges)
        let credit = pairs.reduce(0.0) { $0 + (credits[$1.first]?[$1.second] ?? 0) }
        return 2 * credit / Double(a.count + b.count)
    }

    // MARK: Geometry

    /// Polygon IoU, 0 for degenerate or far-apart outlines (their boxes are checked first: cheap).
    static func polygonIoU(_ a: Polygon, _ b: Polygon) -> Double {
        guard a.points.count >= 3, b.points.count >= 3, a.area > 0, b.area > 0,
              a.boundingBox.intersectionArea(b.boundingBox) > 0 else { return 0 }
        return a.iou(b)
    }

    /// COCO's OKS of `detection` against `truth` (the truth's marked points, the box around them as the area,
    /// at least 1 px²); 0 when the shapes do not fit the schema or the truth marks no point.
    static func oks(truth: KeypointsField.Instance, detection: KeypointsField.Instance, sigmas: [Double]) -> Double {
        guard !sigmas.isEmpty, truth.keypoints.count == sigmas.count, detection.keypoints.count == sigmas.count,
              truth.keypoints.allSatisfy({ $0.count == 3 }), detection.keypoints.allSatisfy({ $0.count == 3 }) else { return 0 }
        let area = max(1, truth.boundingBox.area)
        let similarity = objectKeypointSimilarity(truth: truth.keypoints.map { (x: $0[0], y: $0[1], v: $0[2] > 0 ? 2 : 0) },
                                                  detection: detection.keypoints.map { (x: $0[0], y: $0[1]) }, area: area, sigmas: sigmas)
        return similarity ?? 0
    }

    /// Mean pixel IoU per label over the labels either side marks.
    static func masks(_ a: [MasksField.Layer], _ b: [MasksField.Layer]) -> Double {
        var first: [String: RunLengthMask] = [:], second: [String: RunLengthMask] = [:]
        for layer in a where first[layer.label] == nil { first[layer.label] = layer.mask }
        for layer in b where second[layer.label] == nil { second[layer.label] = layer.mask }
        var sum = 0.0, count = 0
        for label in Set(first.keys).union(second.keys) {
            let x = first[label], y = second[label]
            let areaX = x?.area ?? 0, areaY = y?.area ?? 0
            if areaX == 0 && areaY == 0 { continue }
            count += 1
            guard let x, let y, x.width == y.width, x.height == y.height else { continue }
            let intersection = MaskRuns.intersectionArea(MaskRuns.intervals(x), MaskRuns.intervals(y))
            sum += Double(intersection) / Double(areaX + areaY - intersection)
        }
        return count == 0 ? 1 : sum / Double(count)
    }

    /// `max(0, MOTA)` of CLEAR MOT per label, the counts summed over labels; frames from 0 to the last keyframe.
    static func tracking(truth: [TracksField.Track], hypotheses: [TracksField.Track], threshold: Double) -> Double {
        let lastFrame = (truth + hypotheses).flatMap { $0.keyframes.map(\.frame) }.max() ?? -1
        guard lastFrame >= 0, lastFrame < 1_000_000 else { return truth.isEmpty && hypotheses.isEmpty ? 1 : 0 }
        var truthCount = 0, hypothesisCount = 0, errors = 0
        for label in Set((truth + hypotheses).map(\.label)).sorted() {
            let truthFrames = TrackFrames.boxes(truth.filter { $0.label == label }, frames: lastFrame + 1)
            let hypothesisFrames = TrackFrames.boxes(hypotheses.filter { $0.label == label }, frames: lastFrame + 1)
            let score = clearMOT(truth: truthFrames, hypotheses: hypothesisFrames, threshold: threshold)
            truthCount += score.truthCount
            hypothesisCount += hypothesisFrames.reduce(0) { $0 + $1.count }
            errors += score.misses + score.falsePositives + score.identitySwitches
        }
        guard truthCount > 0 else { return hypothesisCount == 0 ? 1 : 0 }
        return max(0, 1 - Double(errors) / Double(truthCount))
    }
}

/// Tracks as boxes per frame.
enum TrackFrames {
    /// `result[f]` maps each track present at frame f (by id) to its box there.
    static func boxes(_ tracks: [TracksField.Track], frames: Int) -> [[String: Box]] {
        var result = [[String: Box]](repeating: [:], count: max(0, frames))
        for track in tracks {
            let keyframes = track.keyframes.sorted { $0.frame < $1.frame }
            guard let first = keyframes.first?.frame else { continue }
            for frame in max(0, first)..<max(max(0, first), frames) {
                if let found = trackBox(at: frame, keyframes: keyframes) { result[frame][track.id] = found.box }
            }
        }
        return result
    }
}

/// Masks as sorted, disjoint pixel intervals `[start, end)` in row-major order: overlaps and votes without a bitmap.
enum MaskRuns {
    static func intervals(_ mask: RunLengthMask) -> [(start: Int, end: Int)] {
        var result: [(start: Int, end: Int)] = []
        var position = 0
        for (index, count) in mask.counts.enumerated() {
            if index % 2 == 1, count > 0 { result.append((position, position + count)) }
            position += count
        }
        return result
    }

    static func intersectionArea(_ a: [(start: Int, end: Int)], _ b: [(start: Int, end: Int)]) -> Int {
        var i = 0, j = 0, total = 0
        while i < a.count, j < b.count {
            let overlap = min(a[i].end, b[j].end) - max(a[i].start, b[j].start)
            if overlap > 0 { total += overlap }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return total
    }
}
