/// A project's label schema: the fields a worker fills in for each task.
///
/// The JSON form is `{"fields": [{"name": ..., "type": ..., ...}], "rules": [...]}`. Each field type has its own
/// configuration and validator; the set of types is open: a later type is one more case of `FieldKind`.
/// `rules` (optional) are the project's quality rules, checked at submit by `checkRules`.
public struct LabelSchema: Sendable, Hashable {
    public var fields: [Field]
    /// Project rules checked at submit after validation (required fields, minimum lengths, forbidden combinations…).
    public var rules: [QualityRule]

    public init(fields: [Field], rules: [QualityRule] = []) {
        self.fields = fields
        self.rules = rules
    }

    public func field(named name: String) -> Field? {
        fields.first { $0.name == name }
    }

    /// The taxonomies the schema's fields pick terms from.
    public var taxonomyNames: Set<String> {
        Set(fields.compactMap { if case .taxonomy(let field) = $0.kind { field.taxonomy } else { nil } })
    }

    /// The schema's chat fields, by name.
    public var chatFields: [(name: String, field: ChatField)] {
        fields.compactMap { if case .chat(let chat) = $0.kind { ($0.name, chat) } else { nil } }
    }
}

public struct Field: Sendable, Hashable {
    public var name: String
    public var label: String
    public var isRequired: Bool
    public var kind: FieldKind

    public init(name: String, label: String? = nil, isRequired: Bool = true, kind: FieldKind) {
        self.name = name
        self.label = label ?? name
        self.isRequired = isRequired
        self.kind = kind
    }

    public var typeName: String { kind.typeName }
}

public enum FieldKind: Sendable, Hashable {
    case choice(ChoiceField)
    case text(TextField)
    case spans(SpansField)
    case relations(RelationsField)
    case rating(RatingField)
    case ranking(RankingField)
    case pairwise(PairwiseField)
    case flags(FlagsField)
    case rewrite(RewriteField)
    case prompt(PromptField)
    case codeReview(CodeReviewField)
    case translation(TranslationField)
    case mqm(MQMField)
    case taxonomy(TaxonomyField)
    case chat(ChatField)
    case boxes(BoxesField)
    case polygons(PolygonsField)
    case keypoints(KeypointsField)
    case masks(MasksField)
    case tracks(TracksField)
    case events(EventsField)
    case segments(SegmentsField)
    case transcript(TranscriptField)
    case recording(RecordingField)
    case cuboids(CuboidsField)

    public var typeName: String {
        switch self {
        case .choice: "choice"
        case .text: "text"
        case .spans: "spans"
        case .relations: "relations"
        case .rating: "rating"
        case .ranking: "ranking"
        case .pairwise: "pairwise"
        case .flags: "flags"
        case .rewrite: "rewrite"
        case .prompt: "prompt"
        case .codeReview: "code_review"
        case .translation: "translation"
        case .mqm: "mqm"
        case .taxonomy: "taxonomy"
        case .chat: "chat"
        case .boxes: "boxes"
        case .polygons: "polygons"
        case .keypoints: "keypoints"
        case .masks: "masks"
        case .tracks: "tracks"
        case .events: "events"
        case .segments: "segments"
        case .transcript: "transcript"
        case .recording: "recording"
        case .cuboids: "cuboids"
        }
    }

    /// Every type the schema accepts today.
    public static let supportedTypes = ["choice", "text", "spans", "relations", "rating", "ranking", "pairwise", "flags",
                                        "rewrite", "prompt", "code_review", "translation", "mqm", "taxonomy", "chat",
                                        "boxes", "polygons", "keypoints", "masks", "tracks", "events",
                                        "segments", "transcript", "recording", "cuboids"]

    /// List-valued types: a missing value is an empty list (a sentence may hold no entity, a function no bug).
    var isList: Bool {
        switch self {
        case .spans, .relations, .codeReview, .mqm, .boxes, .polygons, .keypoints, .masks, .tracks, .events, .segments, .transcript, .cuboids: true
        case .flags(let flags): flags.items == nil
        case .taxonomy(let taxonomy): taxonomy.allowsMultiple
        default: false
        }
    }
}

public struct ChoiceOption: Sendable, Hashable {
    public var value: String
    public var label: String
    public var hint: String?

    public init(value: String, label: String? = nil, hint: String? = nil) {
        self.value = value
        self.label = label ?? value
        self.hint = hint
    }
}

public struct ChoiceField: Sendable, Hashable {
    public var options: [ChoiceOption]
    public var allowsMultiple: Bool
    public var minimumSelected: Int?
    public var maximumSelected: Int?

    public init(options: [ChoiceOption], allowsMultiple: Bool = false, minimumSelected: Int? = nil,
                maximumSelected: Int? = nil) {
        self.options = options
        self.allowsMultiple = allowsMultiple
        self.minimumSelected = minimumSelected
        self.maximumSelected = maximumSelected
    }

    public func contains(_ value: String) -> Bool {
        options.contains { $0.value == value }
    }
}

public struct TextField: Sendable, Hashable {
    public var minimumLength: Int?
    public var maximumLength: Int?
    public var isMultiline: Bool
    public var placeholder: String?

    public init(minimumLength: Int? = nil, maximumLength: Int? = nil, isMultiline: Bool = false,
                placeholder: String? = nil) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.isMultiline = isMultiline
        self.placeholder = placeholder
    }
}
