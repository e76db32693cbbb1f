/// What image and video fields share: labels with colours, hotkeys and attributes, the image or video a
/// field reads from the task's data, and checks of numbers and attributes.

/// An attribute of a shape's label: a checkbox (`boolean`), free `text`, or one of `options` (`select`).
public struct ShapeAttribute: Sendable, Hashable {
    public enum Kind: String, Sendable { case boolean, text, select }
    public var name: String
    public var label: String
    public var kind: Kind
    public var options: [String]
    public var isRequired: Bool

    var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "label": .string(label), "type": .string(kind.rawValue),
                                           "required": .bool(isRequired)]
        if kind == .select { object["options"] = .array(options.map(JSONValue.string)) }
        return .object(object)
    }
}

/// A label of an image or video field.
public struct ShapeLabel: Sendable, Hashable {
    public var option: ChoiceOption
    public var hotkey: String?
    public var color: String?
    public var attributes: [ShapeAttribute]

    public var value: String { option.value }

    var json: JSONValue {
        var member = option.json
        if let hotkey { member["hotkey"] = .string(hotkey) }
        if let color { member["color"] = .string(color) }
        if !attributes.isEmpty { member["attributes"] = .array(attributes.map(\.json)) }
        return .object(member)
    }
}

/// The size and length of a piece of media, as far as they are known.
public struct MediaFacts: Sendable, Hashable {
    public var width: Int?
    public var height: Int?
    public var frameCount: Int?
    /// An audio file's length in seconds.
    public var duration: Double?
    /// An audio file's loudest sample, in dBFS (a recording's level check).
    public var peakDBFS: Double?

    public init(width: Int? = nil, height: Int? = nil, frameCount: Int? = nil, duration: Double? = nil, peakDBFS: Double? = nil) {
        self.width = width
        self.height = height
        self.frameCount = frameCount
        self.duration = duration
        self.peakDBFS = peakDBFS
    }
}

extension SettingsReader {
    /// Labels with optional hotkey, colour and attributes (`withAttributes`).
    mutating func shapeLabels(withAttributes: Bool, required: Bool = true, defaults: [String]? = nil) -> [ShapeLabel] {
        if let defaults, object["labels"] == nil || object["labels"] == .null {
            readKeys.insert("labels")
            return defaults.map { ShapeLabel(option: ChoiceOption(value: $0), hotkey: nil, color: nil, attributes: []) }
        }
        var extras: [String: (hotkey: String?, color: String?, attributes: [ShapeAttribute])] = [:]
        let options = self.options("labels", required: required) { labelReader, value in
            let hotkey = labelReader.string("hotkey")
            if let hotkey, hotkey.count != 1 { labelReader.fail("hotkey", "must be one key (a letter or a digit)") }
            let color = labelReader.string("color")
            if let color, !Self.isHexColor(color) { labelReader.fail("color", "must be a hex colour such as #e6194b") }
            var attributes: [ShapeAttribute] = []
            if withAttributes {
                for (index, raw) in (labelReader.array("attributes") ?? []).enumerated() {
                    if let attribute = labelReader.shapeAttribute(raw, at: "attributes[\(index)]") {
                        if attributes.contains(where: { $0.name == attribute.name }) {
                            labelReader.fail("attributes[\(index)].name", "'\(attribute.name)' is used twice")
                        }
                        attributes.append(attribute)
                    }
                }
            }
            extras[value] = (hotkey, color, attributes)
        }
        let labels = options.map {
            ShapeLabel(option: $0, hotkey: extras[$0.value]?.hotkey, color: extras[$0.value]?.color, attributes: extras[$0.value]?.attributes ?? [])
        }
        let hotkeys = labels.compactMap(\.hotkey)
        if Set(hotkeys).count != hotkeys.count { fail("labels", "two labels have the same hotkey") }
        return labels
    }

    static func isHexColor(_ text: String) -> Bool {
        let digits = text.dropFirst()
        return text.first == "#" && (digits.count == 3 || digits.count == 6) && digits.allSatisfy(\.isHexDigit)
    }

    mutating func shapeAttribute(_ raw: JSONValue, at key: String) -> ShapeAttribute? {
        guard let members = raw.objectValue else {
            fail(key, "must be an object {name, label?, type?, options?, required?}")
            return nil
        }
        var reader = SettingsReader(object: members, path: "\(path).\(key)")
        defer { errors.append(contentsOf: reader.errors) }
        let name = reader.string("name", required: true) ?? ""
        if !name.isEmpty, !LabelSchema.isValidFieldName(name) {
            reader.fail("name", "must start with a letter and hold only letters, digits and '_'")
        }
        let label = reader.string("label")
        let hasOptions = members["options"] != nil && members["options"] != .null
        let kindName = reader.word("type", allowed: ["boolean", "text", "select"], default: hasOptions ? "select" : "text")
        let kind = ShapeAttribute.Kind(rawValue: kindName) ?? .text
        let options = hasOptions ? reader.names("options", defaults: []) : []
        if kind == .select, options.isEmpty, !hasOptions { reader.fail("options", "are required for a select attribute") }
        if kind != .select, hasOptions { reader.fail("options", "are only for a select attribute") }
        let isRequired = reader.bool("required") ?? false
        reader.rejectUnknownKeys()
        guard reader.errors.isEmpty else { return nil }
        return ShapeAttribute(name: name, label: label ?? name, kind: kind, options: options, isRequired: isRequired)
    }
}

/// Reads one shape of a value (an object), collecting errors with paths.
struct ShapeReader {
    var object: [String: JSONValue]
    let path: String
    var errors: [FieldError] = []
    var readKeys: Set<String> = []

    init?(_ value: JSONValue, path: String, expected: String, errors: inout [FieldError]) {
        guard let object = value.objectValue else {
            errors.append(FieldError(field: path, message: "must be an object \(expected), got \(value.typeName)"))
            return nil
        }
        self.object = object
        self.path = path
    }

    mutating func fail(_ key: String?, _ message: String) {
        errors.append(FieldError(field: key.map { "\(path).\($0)" } ?? path, message: message))
    }

    mutating func number(_ key: String, required: Bool = true) -> Double? {
        readKeys.insert(key)
        guard let value = object[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .number(let number) = value, number.isFinite else { fail(key, "must be a number"); return nil }
        return number
    }

    mutating func string(_ key: String, required: Bool = true) -> String? {
        readKeys.insert(key)
        guard let value = object[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let string = value.stringValue, !string.isEmpty else { fail(key, "must be a non-empty string"); return nil }
        return string
    }

    mutating func bool(_ key: String) -> Bool? {
        readKeys.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard let bool = value.boolValue else { fail(key, "must be true or false"); return nil }
        return bool
    }

    /// The shape's id, unique within the field.
    mutating func id(unique seen: inout Set<String>) -> String? {
        guard let id = string("id") else { return nil }
        if !seen.insert(id).inserted { fail("id", "'\(id)' is used by another shape of this field") }
        return id
    }

    /// The label, which must be one of the field's.
    mutating func label(in labels: [ShapeLabel]) -> ShapeLabel? {
        guard let name = string("label") else { return nil }
        guard let label = labels.first(where: { $0.value == name }) else {
            fail("label", "'\(name)' is not a label of this field (labels: \(labels.map(\.value).joined(separator: ", ")))")
            return nil
        }
        return label
    }

    /// The attributes of the shape's label: known names, the right types, options from the list, required ones set.
    mutating func attributes(of label: ShapeLabel?) {
        readKeys.insert("attributes")
        let given = object["attributes"] ?? .null
        guard let label else { return }
        guard given == .null || given.objectValue != nil else { fail("attributes", "must be an object {name: value}"); return }
        let values = given.objectValue ?? [:]
        for key in values.keys.sorted() where !label.attributes.contains(where: { $0.name == key }) {
            fail("attributes.\(key)", "is not an attribute of label '\(label.value)'")
        }
        for attribute in label.attributes {
            let value = values[attribute.name] ?? .null
            let key = "attributes.\(attribute.name)"
            if value == .null {
                if attribute.isRequired { fail(key, "is required") }
                continue
            }
            switch attribute.kind {
            case .boolean:
                if value.boolValue == nil { fail(key, "must be true or false") }
            case .text:
                if value.stringValue == nil { fail(key, "must be a string") }
            case .select:
                guard let choice = value.stringValue else { fail(key, "must be one of \(attribute.options.joined(separator: ", "))"); break }
                if !attribute.options.contains(choice) {
                    fail(key, "'\(choice)' is not an option (options: \(attribute.options.joined(separator: ", ")))")
                }
            }
        }
    }

    /// A point inside the image (when its size is known).
    mutating func checkInside(_ x: Double, _ y: Double, size: MediaFacts, key: String?) {
        if x < 0 || y < 0 { fail(key, "lies outside the image (negative coordinate)"); return }
        if let width = size.width, x > Double(width) { fail(key, "lies outside the image (x \(JSONValue.format(number: x)) > width \(width))") }
        if let height = size.height, y > Double(height) { fail(key, "lies outside the image (y \(JSONValue.format(number: y)) > height \(height))") }
    }

    /// The shape's `keyframes`: at least one, objects `expected` whose `frame` numbers increase and stay below
    /// `frameCount` (when known; `pastEnd` says why one is not). `body` reads each keyframe's other keys.
    mutating func keyframes(expected: String, frameCount: Int?, pastEnd: (Int) -> String, _ body: (inout ShapeReader) -> Void) {
        readKeys.insert("keyframes")
        guard let keyframes = object["keyframes"]?.arrayValue, !keyframes.isEmpty else {
            fail("keyframes", "needs at least one keyframe")
            return
        }
        var previous = -1
        for (index, raw) in keyframes.enumerated() {
            guard var key = ShapeReader(raw, path: "\(path).keyframes[\(index)]", expected: expected, errors: &errors) else { continue }
            key.readKeys.insert("frame")
            if let frame = key.object["frame"]?.intValue, frame >= 0 {
                if frame <= previous { key.fail("frame", "must come after the previous keyframe's frame \(previous)") }
                if let frameCount, frame >= frameCount { key.fail("frame", pastEnd(frameCount)) }
                previous = frame
            } else {
                key.fail("frame", "must be a frame number (an integer from 0)")
            }
            body(&key)
            errors += key.errors
        }
    }

    mutating func rejectUnknownKeys(expected: String) {
        for key in object.keys.sorted() where !readKeys.contains(key) {
            fail(key, "is not a key of this shape (expected \(expected))")
        }
    }
}

extension AnnotationContext {
    /// The size of the image a field reads: from Gloss's media, else from the data's `width` and `height`.
    func imageFacts(key: String) -> MediaFacts {
        let fromData = MediaFacts(width: data["width"]?.intValue, height: data["height"]?.intValue)
        guard let url = data[key]?.stringValue, let facts = media[url] else { return fromData }
        return MediaFacts(width: facts.width ?? fromData.width, height: facts.height ?? fromData.height, frameCount: facts.frameCount)
    }

    /// The size and length of the video a field reads: an uploaded video, or a list of frames.
    func videoFacts(key: String) -> MediaFacts {
        let fromData = MediaFacts(width: data["width"]?.intValue, height: data["height"]?.intValue)
        switch data[key] {
        case .string(let url)?:
            guard let facts = media[url] else { return fromData }
            return MediaFacts(width: facts.width ?? fromData.width, height: facts.height ?? fromData.height, frameCount: facts.frameCount)
        case .array(let frames)?:
            let first = frames.first?.stringValue.flatMap { media[$0] }
            return MediaFacts(width: first?.width ?? fromData.width, height: first?.height ?? fromData.height, frameCount: frames.count)
        default:
            return fromData
        }
    }
}

/// Limits on how many shapes a field holds: `min_<noun>` and `max_<noun>`.
struct CountLimits: Sendable, Hashable {
    var noun: String
    var minimum: Int?
    var maximum: Int?

    init(noun: String, reading reader: inout SettingsReader) {
        self.noun = noun
        minimum = reader.integer("min_\(noun)", minimum: 0)
        maximum = reader.integer("max_\(noun)", minimum: 1)
        if let minimum, let maximum, minimum > maximum { reader.fail("min_\(noun)", "must not be greater than max_\(noun)") }
    }

    func check(_ count: Int, path: String, isRequired: Bool) -> [FieldError] {
        if isRequired, count == 0, minimum == nil { return [] }
        if let minimum, count < minimum { return [FieldError(field: path, message: "needs at least \(minimum) \(noun) (has \(count))")] }
        if let maximum, count > maximum { return [FieldError(field: path, message: "allows at most \(maximum) \(noun) (has \(count))")] }
        return []
    }

    func write(into object: inout [String: JSONValue]) {
        if let minimum { object["min_\(noun)"] = .number(Double(minimum)) }
        if let maximum { object["max_\(noun)"] = .number(Double(maximum)) }
    }
}
