/// The audio field types: `segments` (labeled time regions of a recording: speakers, noise, music…) and
/// `transcript` (the words of each speech region, written with the project's conventions), and `recording`
/// (audio the worker records or uploads for a prompt).

/// Labeled time regions `[{id, label, start, end, attributes?}]` in seconds over the audio at `data.<audio>`.
/// `overlap: true` lets the field's regions overlap (two speakers talking at once); `speakers: true` says the
/// labels are speakers: the field is scored by diarization error rate and exported as RTTM.
public struct SegmentsField: Sendable, Hashable {
    public var audio: String
    public var labels: [ShapeLabel]
    public var allowsOverlap: Bool
    public var isSpeakers: Bool
    var limits: CountLimits

    init(reading reader: inout SettingsReader) {
        audio = reader.dataKey("audio", required: false) ?? "audio"
        labels = reader.shapeLabels(withAttributes: true)
        allowsOverlap = reader.bool("overlap") ?? false
        isSpeakers = reader.bool("speakers") ?? false
        limits = CountLimits(noun: "segments", reading: &reader)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["audio": .string(audio), "labels": .array(labels.map(\.json)),
                                           "overlap": .bool(allowsOverlap), "speakers": .bool(isSpeakers)]
        limits.write(into: &object)
        return object
    }

    /// A region as the metrics and exports read it.
    public struct Segment: Sendable, Hashable {
        public var id: String
        public var label: String
        public var start: Double
        public var end: Double

        public var timed: TimedLabel { TimedLabel(label: label, start: start, end: end) }
    }

    /// The readable regions of a value, in time order (unreadable ones are left out).
    public static func segments(_ value: JSONValue?) -> [Segment] {
        (value?.arrayValue ?? []).compactMap { element -> Segment? in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let start = object["start"]?.numberValue, let end = object["end"]?.numberValue, start.isFinite, end.isFinite, end > start
            else { return nil }
            return Segment(id: id, label: label, start: start, end: end)
        }.sorted { ($0.start, $0.end, $0.id) < ($1.start, $1.end, $1.id) }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of segments {id, label, start, end} (seconds), got \(value.typeName)")]
        }
        let duration = context.audioFacts(key: audio).duration
        var errors: [FieldError] = []
        var ids: Set<String> = []
        var placed: [(index: Int, id: String, start: Double, end: Double)] = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, start, end}", errors: &errors) else { continue }
            let id = reader.id(unique: &ids)
            let label = reader.label(in: labels)
            reader.attributes(of: label)
            let start = reader.number("start"), end = reader.number("end")
            if let start, start < 0 { reader.fail("start", "must not be negative (seconds from the start of the audio)") }
            if let start, let end {
                if end <= start { reader.fail("end", "must be after start") }
                if let duration, end > duration + 0.0005 {
                    reader.fail("end", "is past the end of the audio (\(Self.seconds(end)) s > \(Self.seconds(duration)) s)")
                }
                if let id, end > start { placed.append((index, id, start, end)) }
            }
            reader.rejectUnknownKeys(expected: "id, label, start, end, attributes")
            errors += reader.errors
        }
        if !allowsOverlap {
            let ordered = placed.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
            var latest: (id: String, start: Double, end: Double)?
            for region in ordered {
                if let previous = latest, region.start < previous.end - 0.0005 {
                    errors.append(FieldError(field: "\(path)[\(region.index)].start", message:
                        "overlaps segment '\(previous.id)' (\(Self.seconds(previous.start))–\(Self.seconds(previous.end)) s); regions of this field may not overlap"))
                }
                if latest == nil || region.end > latest!.end { latest = (region.id, region.start, region.end) }
            }
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }

    static func seconds(_ value: Double) -> String {
        JSONValue.format(number: (value * 1000).rounded() / 1000)
    }
}

/// The words of speech regions `[{segment, text}]`: one entry per region of the `segments` field named by
/// `segments` whose label is one of `labels` (all of them when not set). The text follows the project's
/// conventions (`TranscriptConventions`): `[tag]` for non-speech, `%uh` for hesitations, `wor-` for a false
/// start. A required transcript needs text for every such region.
public struct TranscriptField: Sendable, Hashable {
    public var segmentsField: String
    public var speechLabels: [String]?
    public var conventions: TranscriptConventions

    init(reading reader: inout SettingsReader) {
        segmentsField = reader.string("segments", required: true) ?? ""
        let hasLabels = reader.object["labels"] != nil && reader.object["labels"] != .null
        speechLabels = hasLabels ? reader.names("labels", defaults: []) : { reader.readKeys.insert("labels"); return nil }()
        let defaults = TranscriptConventions()
        conventions = TranscriptConventions(tags: reader.names("tags", defaults: defaults.tags),
                                            hesitations: reader.names("hesitations", defaults: defaults.hesitations),
                                            falseStarts: reader.bool("false_starts") ?? defaults.falseStarts)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["segments": .string(segmentsField), "tags": .array(conventions.tags.map(JSONValue.string)),
                                           "hesitations": .array(conventions.hesitations.map(JSONValue.string)),
                                           "false_starts": .bool(conventions.falseStarts)]
        if let speechLabels { object["labels"] = .array(speechLabels.map(JSONValue.string)) }
        return object
    }

    /// Whether a region with this label carries speech (and so a transcript).
    public func isSpeech(_ label: String) -> Bool {
        speechLabels?.contains(label) ?? true
    }

    /// The text of each region, by region id (entries that are not readable are left out).
    public static func texts(_ value: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for element in value?.arrayValue ?? [] {
            guard let object = element.objectValue, let segment = object["segment"]?.stringValue, let text = object["text"]?.stringValue else { continue }
            result[segment] = text
        }
        return result
    }

    /// The transcript's text in time order of its regions (the regions read from the same annotation).
    public func orderedTexts(_ value: JSONValue?, segments: JSONValue?) -> [(segment: SegmentsField.Segment, text: String)] {
        let texts = Self.texts(value)
        return SegmentsField.segments(segments).compactMap { segment in
            texts[segment.id].map { (segment, $0) }
        }
    }

    /// The words word error rate compares: every region's text in time order.
    public func words(_ value: JSONValue?, segments: JSONValue?) -> [String] {
        orderedTexts(value, segments: segments).flatMap { conventions.words($0.text) }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of {segment, text}, got \(value.typeName)")]
        }
        let regions = Dictionary(SegmentsField.segments(context.value[segmentsField]).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [FieldError] = []
        var written: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{segment, text}", errors: &errors) else { continue }
            if let id = reader.string("segment") {
                if let region = regions[id] {
                    if !isSpeech(region.label) {
                        reader.fail("segment", "'\(id)' is a '\(region.label)' region, which has no transcript (speech labels: \(speechLabels?.joined(separator: ", ") ?? ""))")
                    }
                    if !written.insert(id).inserted { reader.fail("segment", "'\(id)' has another transcript entry") }
                } else {
                    reader.fail("segment", "'\(id)' is not a segment of field '\(segmentsField)'")
                }
            }
            reader.readKeys.insert("text")
            if let text = reader.object["text"], text != .null {
                if let text = text.stringValue {
                    for problem in conventions.problems(in: text) { reader.fail("text", problem) }
                } else {
                    reader.fail("text", "must be a string")
                }
            } else {
                reader.fail("text", "is required")
            }
            reader.rejectUnknownKeys(expected: "segment, text")
            errors += reader.errors
        }
        if isRequired {
            let texts = Self.texts(value)
            for region in regions.values.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) where isSpeech(region.label) {
                if (texts[region.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    errors.append(FieldError(field: path, message: "segment '\(region.id)' (\(region.label), \(SegmentsField.seconds(region.start))–\(SegmentsField.seconds(region.end)) s) has no transcript"))
                }
            }
        }
        return errors
    }
}

/// Audio the worker records in the browser or uploads for a prompt: `{audio: "/api/v1/media/{id}"}` naming a
/// recording the worker stored with `POST /api/v1/tasks/{id}/recordings`. The recording's length must be within
/// `min_seconds`…`max_seconds`, and its loudest moment at least `min_peak_dbfs` (not silent).
public struct RecordingField: Sendable, Hashable {
    public var prompt: String?
    public var minimumSeconds: Double
    public var maximumSeconds: Double
    public var minimumPeakDBFS: Double

    init(reading reader: inout SettingsReader) {
        prompt = reader.dataKey("prompt", required: false)
        minimumSeconds = reader.number("min_seconds") ?? 0.5
        maximumSeconds = reader.number("max_seconds") ?? 120
        minimumPeakDBFS = reader.number("min_peak_dbfs") ?? -40
        if minimumSeconds < 0 { reader.fail("min_seconds", "must not be negative") }
        if maximumSeconds <= minimumSeconds { reader.fail("max_seconds", "must be greater than min_seconds") }
        if maximumSeconds > 3600 { reader.fail("max_seconds", "must be at most 3600 (an hour)") }
        if minimumPeakDBFS > 0 { reader.fail("min_peak_dbfs", "must be at most 0 (dBFS)") }
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["min_seconds": .number(minimumSeconds), "max_seconds": .number(maximumSeconds),
                                           "min_peak_dbfs": .number(minimumPeakDBFS)]
        if let prompt { object["prompt"] = .string(prompt) }
        return object
    }

    /// The recording's media URL in a value.
    public static func url(_ value: JSONValue?) -> String? {
        value?.objectValue?["audio"]?.stringValue
    }

    func validate(_ value: JSONValue, path: String, context: AnnotationContext) -> [FieldError] {
        guard let object = value.objectValue, let url = object["audio"]?.stringValue else {
            return [FieldError(field: path, message: "must be {audio: URL} naming a recording stored for this task, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        for key in object.keys.sorted() where key != "audio" {
            errors.append(FieldError(field: "\(path).\(key)", message: "is not a key of a recording (expected audio)"))
        }
        guard LabelSchema.isGlossMediaURL(url), let facts = context.media[url], let duration = facts.duration else {
            return errors + [FieldError(field: "\(path).audio", message: "must name a recording stored for this task (POST /api/v1/tasks/{id}/recordings)")]
        }
        if duration < minimumSeconds {
            errors.append(FieldError(field: "\(path).audio", message: "is \(SegmentsField.seconds(duration)) s long; record at least \(SegmentsField.seconds(minimumSeconds)) s"))
        }
        if duration > maximumSeconds {
            errors.append(FieldError(field: "\(path).audio", message: "is \(SegmentsField.seconds(duration)) s long; the limit is \(SegmentsField.seconds(maximumSeconds)) s"))
        }
        if let peak = facts.peakDBFS, peak < minimumPeakDBFS {
            let level = peak.isFinite ? "\(JSONValue.format(number: (peak * 10).rounded() / 10)) dBFS" : "silent"
            errors.append(FieldError(field: "\(path).audio", message: "is too quiet (\(level), at least \(JSONValue.format(number: minimumPeakDBFS)) dBFS at its loudest): record again closer to the microphone"))
        }
        return errors
    }
}

extension AnnotationContext {
    /// What is known of the audio a field reads (its duration), from Gloss's media.
    func audioFacts(key: String) -> MediaFacts {
        guard let url = data[key]?.stringValue, let facts = media[url] else { return MediaFacts() }
        return facts
    }
}
