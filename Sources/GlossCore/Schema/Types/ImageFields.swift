/// The image field types: `boxes`, `polygons`, `keypoints` and `masks`, over an image URL of the task's data.

/// Axis-aligned rectangles `[{id, label, x, y, width, height, attributes?, parent?}]`.
public struct BoxesField: Sendable, Hashable {
    public var image: String
    public var labels: [ShapeLabel]
    var limits: CountLimits
    public var allowsParents: Bool

    init(reading reader: inout SettingsReader) {
        image = reader.dataKey("image", required: false) ?? "image"
        labels = reader.shapeLabels(withAttributes: true)
        limits = CountLimits(noun: "boxes", reading: &reader)
        allowsParents = reader.bool("parents") ?? false
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["image": .string(image), "labels": .array(labels.map(\.json)), "parents": .bool(allowsParents)]
        limits.write(into: &object)
        return object
    }

    /// A box as read from a value.
    public struct Shape: Sendable, Hashable {
        public var id: String
        public var label: String
        public var box: Box
        public var parent: String?
        public var attributes: [String: JSONValue]
    }

    /// The boxes of a valid value.
    public static func shapes(_ value: JSONValue?) -> [Shape] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let x = object["x"]?.numberValue, let y = object["y"]?.numberValue,
                  let width = object["width"]?.numberValue, let height = object["height"]?.numberValue else { return nil }
            return Shape(id: id, label: label, box: Box(x: x, y: y, width: width, height: height), parent: object["parent"]?.stringValue,
                         attributes: object["attributes"]?.objectValue ?? [:])
        }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of boxes {id, label, x, y, width, height}, got \(value.typeName)")]
        }
        let size = context.imageFacts(key: image)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        var parents: [(index: Int, id: String, parent: String)] = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, x, y, width, height}", errors: &errors) else { continue }
            let id = reader.id(unique: &ids)
            let label = reader.label(in: labels)
            reader.attributes(of: label)
            if let x = reader.number("x"), let y = reader.number("y"), let width = reader.number("width"), let height = reader.number("height") {
                if width <= 0 { reader.fail("width", "must be positive") }
                if height <= 0 { reader.fail("height", "must be positive") }
                reader.checkInside(x, y, size: size, key: nil)
                reader.checkInside(x + width, y + height, size: size, key: nil)
            }
            if allowsParents {
                if let parent = reader.string("parent", required: false), let id { parents.append((index, id, parent)) }
            }
            reader.rejectUnknownKeys(expected: allowsParents ? "id, label, x, y, width, height, attributes, parent" : "id, label, x, y, width, height, attributes")
            errors += reader.errors
        }
        let parentOf = Dictionary(parents.map { ($0.id, $0.parent) }, uniquingKeysWith: { first, _ in first })
        for entry in parents {
            if !ids.contains(entry.parent) || entry.parent == entry.id {
                errors.append(FieldError(field: "\(path)[\(entry.index)].parent", message: "'\(entry.parent)' is not another box of this field"))
                continue
            }
            var seen: Set<String> = [entry.id]
            var current = entry.parent
            while let next = parentOf[current] {
                if !seen.insert(current).inserted || next == entry.id {
                    errors.append(FieldError(field: "\(path)[\(entry.index)].parent", message: "parents form a cycle"))
                    break
                }
                current = next
            }
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }
}

/// Closed polygons `[{id, label, points: [[x, y], …], attributes?}]`.
public struct PolygonsField: Sendable, Hashable {
    public static let maximumPoints = 10_000
    public var image: String
    public var labels: [ShapeLabel]
    var limits: CountLimits
    public var allowsSelfIntersection: Bool

    init(reading reader: inout SettingsReader) {
        image = reader.dataKey("image", required: false) ?? "image"
        labels = reader.shapeLabels(withAttributes: true)
        limits = CountLimits(noun: "polygons", reading: &reader)
        allowsSelfIntersection = reader.bool("self_intersection") ?? false
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["image": .string(image), "labels": .array(labels.map(\.json)),
                                           "self_intersection": .bool(allowsSelfIntersection)]
        limits.write(into: &object)
        return object
    }

    public struct Shape: Sendable, Hashable {
        public var id: String
        public var label: String
        public var polygon: Polygon
        public var attributes: [String: JSONValue]
    }

    public static func shapes(_ value: JSONValue?) -> [Shape] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let points = object["points"]?.arrayValue else { return nil }
            return Shape(id: id, label: label, polygon: Polygon(points.compactMap(Self.point)), attributes: object["attributes"]?.objectValue ?? [:])
        }
    }

    static func point(_ value: JSONValue) -> Point? {
        guard let pair = value.arrayValue, pair.count == 2, let x = pair[0].numberValue, let y = pair[1].numberValue,
              x.isFinite, y.isFinite else { return nil }
        return Point(x, y)
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of polygons {id, label, points}, got \(value.typeName)")]
        }
        let size = context.imageFacts(key: image)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, points}", errors: &errors) else { continue }
            _ = reader.id(unique: &ids)
            let label = reader.label(in: labels)
            reader.attributes(of: label)
            reader.readKeys.insert("points")
            if let rawPoints = reader.object["points"]?.arrayValue {
                var points: [Point] = []
                for (pointIndex, raw) in rawPoints.enumerated() {
                    guard let point = Self.point(raw) else {
                        reader.fail("points[\(pointIndex)]", "must be a pair of numbers [x, y]")
                        continue
                    }
                    reader.checkInside(point.x, point.y, size: size, key: "points[\(pointIndex)]")
                    points.append(point)
                }
                if rawPoints.count < 3 {
                    reader.fail("points", "needs at least 3 points (has \(rawPoints.count))")
                } else if rawPoints.count > Self.maximumPoints {
                    reader.fail("points", "has more than \(Self.maximumPoints) points")
                } else if points.count == rawPoints.count {
                    let polygon = Polygon(points)
                    if !allowsSelfIntersection, polygon.isSelfIntersecting {
                        reader.fail("points", "cross themselves: the outline must not intersect itself")
                    } else if polygon.area <= 0 {
                        reader.fail("points", "enclose no area")
                    }
                }
            } else {
                reader.fail("points", "is required: an array of [x, y] pairs")
            }
            reader.rejectUnknownKeys(expected: "id, label, points, attributes")
            errors += reader.errors
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }
}

/// A named point of a keypoint schema, with its OKS constant.
public struct KeypointDefinition: Sendable, Hashable {
    public var name: String
    public var label: String
    public var sigma: Double
}

/// Objects marked by named points `[{id, label, keypoints: [[x, y, v], …]}]`, one triple per schema point.
public struct KeypointsField: Sendable, Hashable {
    public var image: String
    public var labels: [ShapeLabel]
    public var points: [KeypointDefinition]
    /// Pairs of point indexes joined by a line.
    public var skeleton: [(Int, Int)]
    var limits: CountLimits

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.image == rhs.image && lhs.labels == rhs.labels && lhs.points == rhs.points && lhs.limits == rhs.limits
            && lhs.skeleton.map { [$0.0, $0.1] } == rhs.skeleton.map { [$0.0, $0.1] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(image)
        hasher.combine(points)
    }

    init(reading reader: inout SettingsReader) {
        image = reader.dataKey("image", required: false) ?? "image"
        labels = reader.shapeLabels(withAttributes: false, defaults: ["object"])
        var definitions: [KeypointDefinition] = []
        for (index, raw) in (reader.array("points", required: true) ?? []).enumerated() {
            guard let members = raw.objectValue else {
                reader.fail("points[\(index)]", "must be an object {name, label?, sigma?}")
                continue
            }
            var pointReader = SettingsReader(object: members, path: "\(reader.path).points[\(index)]")
            let name = pointReader.string("name", required: true) ?? ""
            if !name.isEmpty, !LabelSchema.isValidFieldName(name) {
                pointReader.fail("name", "must start with a letter and hold only letters, digits and '_'")
            }
            let label = pointReader.string("label")
            var sigma = 0.05
            if let raw = pointReader.value("sigma", required: false) {
                if let number = raw.numberValue, number > 0, number < 10 { sigma = number } else { pointReader.fail("sigma", "must be a positive number") }
            }
            pointReader.rejectUnknownKeys()
            reader.errors += pointReader.errors
            if definitions.contains(where: { $0.name == name }) { reader.fail("points[\(index)].name", "'\(name)' is used twice") }
            definitions.append(KeypointDefinition(name: name, label: label ?? name, sigma: sigma))
        }
        if definitions.isEmpty, reader.object["points"]?.arrayValue != nil { reader.fail("points", "must list at least one point") }
        points = definitions
        var pairs: [(Int, Int)] = []
        for (index, raw) in (reader.array("skeleton") ?? []).enumerated() {
            guard let pair = raw.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue else {
                reader.fail("skeleton[\(index)]", "must be a pair of point names")
                continue
            }
            guard let first = definitions.firstIndex(where: { $0.name == a }), let second = definitions.firstIndex(where: { $0.name == b }), first != second else {
                reader.fail("skeleton[\(index)]", "must join two different points of 'points'")
                continue
            }
            pairs.append((first, second))
        }
        skeleton = pairs
        limits = CountLimits(noun: "instances", reading: &reader)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "image": .string(image), "labels": .array(labels.map(\.json)),
            "points": .array(points.map { .object(["name": .string($0.name), "label": .string($0.label), "sigma": .number($0.sigma)]) }),
            "skeleton": .array(skeleton.map { .array([.string(points[$0.0].name), .string(points[$0.1].name)]) }),
        ]
        limits.write(into: &object)
        return object
    }

    public struct Instance: Sendable, Hashable {
        public var id: String
        public var label: String
        /// x, y, v per schema point.
        public var keypoints: [[Double]]

        /// The box around the placed points.
        public var boundingBox: Box {
            Polygon(keypoints.filter { $0[2] > 0 }.map { Point($0[0], $0[1]) }).boundingBox
        }
    }

    public static func instances(_ value: JSONValue?) -> [Instance] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let triples = object["keypoints"]?.arrayValue else { return nil }
            let keypoints = triples.map { ($0.arrayValue ?? []).compactMap(\.numberValue) }
            guard keypoints.allSatisfy({ $0.count == 3 }) else { return nil }
            return Instance(id: id, label: label, keypoints: keypoints)
        }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of instances {id, label, keypoints}, got \(value.typeName)")]
        }
        let size = context.imageFacts(key: image)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, keypoints}", errors: &errors) else { continue }
            _ = reader.id(unique: &ids)
            _ = reader.label(in: labels)
            reader.readKeys.insert("keypoints")
            if let triples = reader.object["keypoints"]?.arrayValue {
                if triples.count != points.count {
                    reader.fail("keypoints", "needs one [x, y, v] per point of the schema: \(points.count) (has \(triples.count))")
                }
                var placed = 0
                for (pointIndex, raw) in triples.enumerated() {
                    let key = "keypoints[\(pointIndex)]"
                    guard let triple = raw.arrayValue, triple.count == 3, let x = triple[0].numberValue, let y = triple[1].numberValue,
                          x.isFinite, y.isFinite, let v = triple[2].intValue, (0...2).contains(v) else {
                        reader.fail(key, "must be [x, y, v] with v 0 (absent), 1 (occluded) or 2 (visible)")
                        continue
                    }
                    if v == 0 {
                        if x != 0 || y != 0 { reader.fail(key, "is absent (v 0), so x and y must be 0") }
                    } else {
                        placed += 1
                        reader.checkInside(x, y, size: size, key: key)
                    }
                }
                if placed == 0, !triples.isEmpty { reader.fail("keypoints", "places no point (every v is 0)") }
            } else {
                reader.fail("keypoints", "is required: an array of [x, y, v]")
            }
            reader.rejectUnknownKeys(expected: "id, label, keypoints")
            errors += reader.errors
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }
}

/// Pixel masks per label `[{label, rle: {size: [h, w], counts}}]`, row-major run lengths.
public struct MasksField: Sendable, Hashable {
    public var image: String
    public var labels: [ShapeLabel]

    init(reading reader: inout SettingsReader) {
        image = reader.dataKey("image", required: false) ?? "image"
        labels = reader.shapeLabels(withAttributes: false)
    }

    var settings: [String: JSONValue] {
        ["image": .string(image), "labels": .array(labels.map(\.json))]
    }

    public struct Layer: Sendable, Hashable {
        public var label: String
        public var mask: RunLengthMask
    }

    public static func layers(_ value: JSONValue?) -> [Layer] {
        (value?.arrayValue ?? []).compactMap { element in
            guard let object = element.objectValue, let label = object["label"]?.stringValue,
                  let mask = object["rle"].flatMap(RunLengthMask.init(json:)) else { return nil }
            return Layer(label: label, mask: mask)
        }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of layers {label, rle}, got \(value.typeName)")]
        }
        let size = context.imageFacts(key: image)
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{label, rle}", errors: &errors) else { continue }
            if let label = reader.label(in: labels), !seen.insert(label.value).inserted {
                reader.fail("label", "'\(label.value)' has two layers: one layer per label")
            }
            reader.readKeys.insert("rle")
            switch RunLengthMask.check(reader.object["rle"] ?? .null) {
            case .failure(let problem):
                reader.fail(problem.key.map { "rle.\($0)" } ?? "rle", problem.message)
            case .success(let mask):
                if let width = size.width, let height = size.height, mask.width != width || mask.height != height {
                    reader.fail("rle.size", "is [\(mask.height), \(mask.width)] but the image is \(width)×\(height): size is [height, width]")
                }
            }
            reader.rejectUnknownKeys(expected: "label, rle")
            errors += reader.errors
        }
        return errors
    }
}
