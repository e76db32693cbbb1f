/// What a value is checked against besides the schema: the task's data (the text a span points into, the
/// candidates a ranking orders, the code a review comments on) and the whole annotation (relations point at
/// the spans of another field).
public struct AnnotationContext: Sendable {
    public var data: [String: JSONValue]
    public var value: [String: JSONValue]
    /// The project's taxonomies that the schema's `taxonomy` fields name, by name.
    public var taxonomies: [String: Taxonomy]
    /// What is known of the media the data's URLs name (sizes, frame counts), by URL.
    public var media: [String: MediaFacts]

    public init(data: [String: JSONValue], value: [String: JSONValue] = [:], taxonomies: [String: Taxonomy] = [:],
                media: [String: MediaFacts] = [:]) {
        self.data = data
        self.value = value
        self.taxonomies = taxonomies
        self.media = media
    }

    /// The string at a data key, or an error naming the key.
    func text(_ key: String, path: String) -> Result<String, FieldError> {
        guard let text = data[key]?.stringValue else {
            return .failure(FieldError(field: path, message: "the task has no text at data.\(key) to annotate"))
        }
        return .success(text)
    }

    /// The candidates at a data key (at least two), or an error naming the key.
    func candidates(_ key: String, path: String) -> Result<[JSONValue], FieldError> {
        guard let items = data[key]?.arrayValue, items.count >= 2 else {
            return .failure(FieldError(field: path, message: "the task has no list of at least two candidates at data.\(key)"))
        }
        return .success(items)
    }
}

extension LabelSchema {
    /// Checks an annotation value against the schema and the task's data. The value is an object keyed by
    /// field name; every problem is reported with its path (`value.<field>`).
    /// A `partial` value (a pre-label) may leave out any field; what it holds must still be valid.
    public func validate(_ value: JSONValue, data: [String: JSONValue] = [:], taxonomies: [String: Taxonomy] = [:],
                         media: [String: MediaFacts] = [:], path: String = "value", partial: Bool = false) -> [FieldError] {
        guard let object = value.objectValue else {
            return [FieldError(field: path, message: "must be an object keyed by field name")]
        }
        var errors: [FieldError] = []
        for key in object.keys.sorted() where field(named: key) == nil {
            errors.append(FieldError(field: "\(path).\(key)", message: "is not a field of this project's schema"))
        }
        let context = AnnotationContext(data: data, value: object, taxonomies: taxonomies, media: media)
        for field in fields {
            let fieldPath = "\(path).\(field.name)"
            var fieldValue = object[field.name] ?? .null
            if fieldValue == .null {
                guard field.kind.isList, !partial else {
                    if partial { continue }
                    if field.isRequired { errors.append(FieldError(field: fieldPath, message: "is required")) }
                    continue
                }
                fieldValue = .array([])
            }
            errors.append(contentsOf: field.kind.validate(fieldValue, path: fieldPath, isRequired: field.isRequired, context: context))
        }
        return errors
    }

    /// The value as it is stored: fields that keep more than the worker sent get it (a rewrite keeps its diff
    /// against the original, a taxonomy term its path). Call after `validate` found no error.
    public func normalized(_ value: JSONValue, data: [String: JSONValue], taxonomies: [String: Taxonomy] = [:]) -> JSONValue {
        guard var object = value.objectValue else { return value }
        for field in fields {
            guard let fieldValue = object[field.name], fieldValue != .null else { continue }
            switch field.kind {
            case .rewrite(let rewrite): object[field.name] = rewrite.stored(fieldValue, data: data)
            case .taxonomy(let taxonomy): object[field.name] = taxonomy.stored(fieldValue, context: AnnotationContext(data: data, taxonomies: taxonomies))
            default: break
            }
        }
        return .object(object)
    }
}

extension FieldKind {
    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        switch self {
        case .choice(let choice): choice.validate(value, path: path, isRequired: isRequired)
        case .text(let text): text.validate(value, path: path, isRequired: isRequired)
        case .spans(let spans): spans.validate(value, path: path, context: context)
        case .relations(let relations): relations.validate(value, path: path, context: context)
        case .rating(let rating): rating.validate(value, path: path, context: context)
        case .ranking(let ranking): ranking.validate(value, path: path, context: context)
        case .pairwise(let pairwise): pairwise.validate(value, path: path, context: context)
        case .flags(let flags): flags.validate(value, path: path, context: context)
        case .rewrite(let rewrite): rewrite.validate(value, path: path, context: context)
        case .prompt(let prompt): prompt.validate(value, path: path)
        case .codeReview(let review): review.validate(value, path: path, context: context)
        case .translation(let translation): translation.validate(value, path: path, isRequired: isRequired, context: context)
        case .mqm(let mqm): mqm.validate(value, path: path, context: context)
        case .taxonomy(let taxonomy): taxonomy.validate(value, path: path, isRequired: isRequired, context: context)
        case .chat(let chat): chat.validate(value, path: path, isRequired: isRequired)
        case .boxes(let boxes): boxes.validate(value, path: path, isRequired: isRequired, context: context)
        case .polygons(let polygons): polygons.validate(value, path: path, isRequired: isRequired, context: context)
        case .keypoints(let keypoints): keypoints.validate(value, path: path, isRequired: isRequired, context: context)
        case .masks(let masks): masks.validate(value, path: path, isRequired: isRequired, context: context)
        case .tracks(let tracks): tracks.validate(value, path: path, isRequired: isRequired, context: context)
        case .events(let events): events.validate(value, path: path, isRequired: isRequired, context: context)
        case .segments(let segments): segments.validate(value, path: path, isRequired: isRequired, context: context)
        case .transcript(let transcript): transcript.validate(value, path: path, isRequired: isRequired, context: context)
        case .recording(let recording): recording.validate(value, path: path, context: context)
        case .cuboids(let cuboids): cuboids.validate(value, path: path, isRequired: isRequired, context: context)
        }
    }
}

extension ChoiceField {
    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        let allowed = options.map(\.value).joined(separator: ", ")
        if !allowsMultiple {
            guard let selected = value.stringValue else {
                return [FieldError(field: path, message: "must be one of the options (a string), got \(value.typeName)")]
            }
            guard contains(selected) else {
                return [FieldError(field: path, message: "'\(selected)' is not an option (options: \(allowed))")]
            }
            return []
        }
        guard let array = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of options, got \(value.typeName)")]
        }
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let selected = element.stringValue else {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "must be a string, got \(element.typeName)"))
                continue
            }
            if !contains(selected) {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "'\(selected)' is not an option (options: \(allowed))"))
            } else if !seen.insert(selected).inserted {
                errors.append(FieldError(field: "\(path)[\(index)]", message: "'\(selected)' is selected twice"))
            }
        }
        if isRequired, array.isEmpty {
            errors.append(FieldError(field: path, message: "is required: select at least one option"))
        }
        if let minimumSelected, array.count < minimumSelected, !(array.isEmpty && !isRequired) {
            errors.append(FieldError(field: path, message: "select at least \(minimumSelected)"))
        }
        if let maximumSelected, array.count > maximumSelected {
            errors.append(FieldError(field: path, message: "select at most \(maximumSelected)"))
        }
        return errors
    }
}

extension TextField {
    func validate(_ value: JSONValue, path: String, isRequired: Bool) -> [FieldError] {
        guard let text = value.stringValue else {
            return [FieldError(field: path, message: "must be a string, got \(value.typeName)")]
        }
        let length = text.count
        if isRequired, text.allSatisfy(\.isWhitespace) {
            return [FieldError(field: path, message: "is required: write some text")]
        }
        if length == 0, !isRequired { return [] }
        return lengthProblem(length, minimum: minimumLength, maximum: maximumLength).map { [FieldError(field: path, message: $0)] } ?? []
    }
}

/// What is wrong with a text's length (in characters) against its limits, if anything: the one wording of
/// every text-like field.
func lengthProblem(_ length: Int, minimum: Int?, maximum: Int?) -> String? {
    if let minimum, length < minimum { return "must be at least \(minimum) characters (has \(length))" }
    if let maximum, length > maximum { return "must be at most \(maximum) characters (has \(length))" }
    return nil
}

extension LabelSchema {
    /// Whether some field reads the task's data (so an import checks that the data holds it).
    /// Whether a data value is a URL an image or video can be loaded from: Gloss media or http(s).
    static func isMediaURL(_ value: JSONValue?) -> Bool {
        guard let url = value?.stringValue else { return false }
        return url.hasPrefix("/api/v1/media/") || url.hasPrefix("https://") || url.hasPrefix("http://")
    }

    /// The data keys the schema's image and video fields read.
    public var mediaKeys: Set<String> {
        Set(fields.flatMap { field in
            field.kind.dataNeeds.compactMap { need -> String? in
                switch need {
                case .image(let key), .video(let key), .audio(let key), .pointCloud(let key): key
                default: nil
                }
            }
        })
    }

    /// The media URLs a task's data names for the schema's image and video fields (a frame sequence by its
    /// first frame, which gives the size): what validation and the exports look up.
    public func mediaURLs(in data: [String: JSONValue]) -> [String] {
        let sequences = pointCloudKeys
        return mediaKeys.sorted().flatMap { key -> [String] in
            switch data[key] {
            case .string(let url)?: [url]
            case .array(let frames)?: sequences.contains(key) ? frames.compactMap(\.stringValue) : frames.first?.stringValue.map { [$0] } ?? []
            default: []
            }
        }
    }

    /// The data keys of point clouds (every frame of a sequence is looked up: frames are separate uploads).
    var pointCloudKeys: Set<String> {
        Set(fields.flatMap { $0.kind.dataNeeds.compactMap { need -> String? in if case .pointCloud(let key) = need { key } else { nil } } })
    }

    /// The media a value names itself: the recordings of `recording` fields.
    public func valueMediaURLs(in value: JSONValue) -> [String] {
        let object = value.objectValue ?? [:]
        return fields.compactMap { field in
            if case .recording = field.kind { RecordingField.url(object[field.name]) } else { nil }
        }
    }

    static func isGlossMediaURL(_ text: String) -> Bool {
        text.hasPrefix("/api/v1/media/")
    }

    public var readsData: Bool {
        fields.contains { !$0.kind.dataNeeds.isEmpty }
    }

    /// What the task's data lacks for this schema: a text to mark, candidates to compare, code to review. Paths
    /// are `data.<key>`.
    public func checkData(_ data: [String: JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        var checked: Set<String> = []
        for field in fields {
            for need in field.kind.dataNeeds where checked.insert("\(need)").inserted {
                switch need {
                case .text(let key):
                    if data[key]?.stringValue == nil {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': a text"))
                    }
                case .candidates(let key, let exactly):
                    let count = data[key]?.arrayValue?.count ?? 0
                    if let exactly, count != exactly {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': a list of \(exactly) candidates (has \(count))"))
                    } else if count < 2 {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': a list of at least 2 candidates"))
                    }
                case .image(let key):
                    if !Self.isMediaURL(data[key]) {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': an image URL (https://… or /api/v1/media/…)"))
                    }
                case .video(let key):
                    let frames = data[key]?.arrayValue
                    if !(Self.isMediaURL(data[key]) || (frames.map { !$0.isEmpty && $0.allSatisfy(Self.isMediaURL) } ?? false)) {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': a video URL or a list of frame image URLs"))
                    }
                case .audio(let key):
                    if !(data[key]?.stringValue.map(Self.isGlossMediaURL) ?? false) {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': the URL of an uploaded audio file (/api/v1/media/…)"))
                    }
                case .pointCloud(let key):
                    let frames = data[key]?.arrayValue
                    let isFrame = { (value: JSONValue) in value.stringValue.map(Self.isGlossMediaURL) ?? false }
                    if !(data[key].map(isFrame) ?? false || (frames.map { !$0.isEmpty && $0.allSatisfy(isFrame) } ?? false)) {
                        errors.append(FieldError(field: "data.\(key)", message: "is required by field '\(field.name)': the URL of an uploaded point cloud (/api/v1/media/…) or a list of them (a sequence)"))
                    }
                    if case .cuboids(let cuboids) = field.kind, let raw = data[cuboids.calibration], raw != .null,
                       case .failure(let problem) = CuboidsField.parseCalibration(raw) {
                        errors.append(FieldError(field: "data.\(cuboids.calibration)", message: problem.message))
                    }
                case .code:
                    if case .codeReview(let review) = field.kind, case .failure(let error) = review.files(in: data) {
                        errors.append(FieldError(field: error.field, message: "\(error.message) (for field '\(field.name)')"))
                    }
                }
            }
        }
        return errors
    }
}

/// What a field needs from the task's data.
enum DataNeed: Hashable, CustomStringConvertible {
    case text(String)
    case candidates(String, exactly: Int?)
    case code(String)
    case image(String)
    case video(String)
    case audio(String)
    case pointCloud(String)

    var description: String {
        switch self {
        case .text(let key): "text:\(key)"
        case .candidates(let key, let exactly): "candidates:\(key):\(exactly ?? 0)"
        case .code(let key): "code:\(key)"
        case .image(let key): "image:\(key)"
        case .video(let key): "video:\(key)"
        case .audio(let key): "audio:\(key)"
        case .pointCloud(let key): "points:\(key)"
        }
    }
}

extension FieldKind {
    /// The data key of an image field's image.
    public var imageKey: String? {
        for need in dataNeeds { if case .image(let key) = need { return key } }
        return nil
    }

    var dataNeeds: [DataNeed] {
        switch self {
        case .choice, .text, .relations, .prompt, .taxonomy: []
        case .chat(let field): field.systemKey.map { [.text($0)] } ?? []
        case .spans(let field): [.text(field.source)]
        case .rating(let field): field.items.map { [.candidates($0, exactly: nil)] } ?? []
        case .flags(let field): field.items.map { [.candidates($0, exactly: nil)] } ?? []
        case .ranking(let field): [.candidates(field.items, exactly: nil)]
        case .pairwise(let field): [.candidates(field.items, exactly: 2)]
        case .rewrite(let field): [.text(field.source)]
        case .codeReview(let field): [.code(field.source)]
        case .translation(let field): [.text(field.source)]
        case .mqm(let field): [.text(field.source), .text(field.target)]
        case .boxes(let field): [.image(field.image)]
        case .polygons(let field): [.image(field.image)]
        case .keypoints(let field): [.image(field.image)]
        case .masks(let field): [.image(field.image)]
        case .tracks(let field): [.video(field.video)]
        case .events(let field): [.video(field.video)]
        case .segments(let field): [.audio(field.audio)]
        case .transcript: []
        case .recording(let field): field.prompt.map { [.text($0)] } ?? []
        case .cuboids(let field): [.pointCloud(field.points)]
        }
    }
}
