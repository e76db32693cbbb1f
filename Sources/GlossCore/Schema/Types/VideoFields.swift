/// The video field types: `tracks` (objects across frames) and `events` (labeled time segments), over a
/// video of the task's data (an uploaded video or a list of frame URLs).

/// Objects followed across frames `[{id, label, attributes?, keyframes: [{frame, x, y, width, height, outside?, occluded?}]}]`.
public struct TracksField: Sendable, Hashable {
    public var video: String
    public var labels: [ShapeLabel]
    var limits: CountLimits

    init(reading reader: inout SettingsReader) {
        video = reader.dataKey("video", required: false) ?? "video"
        labels = reader.shapeLabels(withAttributes: true)
        limits = CountLimits(noun: "tracks", reading: &reader)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["video": .string(video), "labels": .array(labels.map(\.json))]
        limits.write(into: &object)
        return object
    }

    public struct Track: Sendable, Hashable {
        public var id: String
        public var label: String
        public var keyframes: [TrackKeyframe]
    }

    public static func tracks(_ value: JSONValue?) -> [Track] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let frames = object["keyframes"]?.arrayValue else { return nil }
            let keyframes = frames.compactMap { raw -> TrackKeyframe? in
                guard let key = raw.objectValue, let frame = key["frame"]?.intValue else { return nil }
                let box = Box(x: key["x"]?.numberValue ?? 0, y: key["y"]?.numberValue ?? 0,
                              width: key["width"]?.numberValue ?? 0, height: key["height"]?.numberValue ?? 0)
                return TrackKeyframe(frame: frame, box: box, isOutside: key["outside"]?.boolValue ?? false,
                                     isOccluded: key["occluded"]?.boolValue ?? false)
            }
            return Track(id: id, label: label, keyframes: keyframes)
        }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of tracks {id, label, keyframes}, got \(value.typeName)")]
        }
        let facts = context.videoFacts(key: video)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, keyframes}", errors: &errors) else { continue }
            _ = reader.id(unique: &ids)
            let label = reader.label(in: labels)
            reader.attributes(of: label)
            reader.keyframes(expected: "{frame, x, y, width, height, outside?, occluded?}", frameCount: facts.frameCount,
                             pastEnd: { "is past the video's last frame \($0 - 1)" }) { key in
                let outside = key.bool("outside") ?? false
                _ = key.bool("occluded")
                if let x = key.number("x", required: !outside), let y = key.number("y", required: !outside),
                   let width = key.number("width", required: !outside), let height = key.number("height", required: !outside), !outside {
                    if width <= 0 { key.fail("width", "must be positive") }
                    if height <= 0 { key.fail("height", "must be positive") }
                    key.checkInside(x, y, size: facts, key: nil)
                    key.checkInside(x + width, y + height, size: facts, key: nil)
                }
                key.rejectUnknownKeys(expected: "frame, x, y, width, height, outside, occluded")
            }
            reader.rejectUnknownKeys(expected: "id, label, keyframes, attributes")
            errors += reader.errors
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }
}

/// Labeled segments of frames `[{id, label, start, end}]`, `end` exclusive.
public struct EventsField: Sendable, Hashable {
    public var video: String
    public var labels: [ShapeLabel]

    init(reading reader: inout SettingsReader) {
        video = reader.dataKey("video", required: false) ?? "video"
        labels = reader.shapeLabels(withAttributes: false)
    }

    var settings: [String: JSONValue] {
        ["video": .string(video), "labels": .array(labels.map(\.json))]
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of events {id, label, start, end}, got \(value.typeName)")]
        }
        let facts = context.videoFacts(key: video)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, start, end}", errors: &errors) else { continue }
            _ = reader.id(unique: &ids)
            _ = reader.label(in: labels)
            reader.readKeys.formUnion(["start", "end"])
            let start = reader.object["start"]?.intValue, end = reader.object["end"]?.intValue
            if start == nil || start! < 0 { reader.fail("start", "must be a frame number (an integer from 0)") }
            if end == nil { reader.fail("end", "must be a frame number (exclusive)") }
            if let start, let end {
                if end <= start { reader.fail("end", "must be after start (end is exclusive)") }
                if let count = facts.frameCount, end > count { reader.fail("end", "is past the video's end (\(count) frames)") }
            }
            reader.rejectUnknownKeys(expected: "id, label, start, end")
            errors += reader.errors
        }
        return errors
    }
}
