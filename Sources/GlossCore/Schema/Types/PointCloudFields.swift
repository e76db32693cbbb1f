/// The LiDAR field type `cuboids`: 3D boxes in a point cloud (one frame, or a sequence of frames where each box
/// is a track with a stable id, set at keyframes and interpolated between them).

/// `[{id, label, attributes?, keyframes: [{frame, x, y, z, l, w, h, yaw}]}]`: the centre, the size (length
/// along the heading, width, height) in metres and the heading about z in radians, all in the LiDAR frame
/// (x forward, y left, z up). The box exists from its first keyframe to its last.
/// `calibration` names the data key of a KITTI calibration (the text of a KITTI `calib` file, or an object
/// `{P2, R0_rect, Tr_velo_to_cam}` of number lists); tasks with one can be exported as KITTI labels.
public struct CuboidsField: Sendable, Hashable {
    public var points: String
    public var labels: [ShapeLabel]
    public var calibration: String
    var limits: CountLimits

    /// The largest size of a box side, in metres (a LiDAR scene is at most a few hundred metres across).
    static let maximumSide = 500.0

    init(reading reader: inout SettingsReader) {
        points = reader.dataKey("points", required: false) ?? "points"
        labels = reader.shapeLabels(withAttributes: true)
        calibration = reader.dataKey("calibration", required: false) ?? "calibration"
        limits = CountLimits(noun: "cuboids", reading: &reader)
    }

    var settings: [String: JSONValue] {
        var object: [String: JSONValue] = ["points": .string(points), "labels": .array(labels.map(\.json)), "calibration": .string(calibration)]
        limits.write(into: &object)
        return object
    }

    /// A box tracked across frames.
    public struct Track: Sendable, Hashable {
        public var id: String
        public var label: String
        public var attributes: [String: JSONValue]
        public var keyframes: [CuboidKeyframe]

        /// The box on a frame (interpolated between keyframes), or nil outside the track's frames.
        public func box(at frame: Int) -> Cuboid? {
            CuboidTracks.box(at: frame, keyframes: keyframes)
        }

        /// The frames the track spans.
        public var frames: ClosedRange<Int>? {
            guard let first = keyframes.first?.frame, let last = keyframes.last?.frame else { return nil }
            return first...last
        }
    }

    /// The readable tracks of a value, keyframes in frame order.
    public static func tracks(_ value: JSONValue?) -> [Track] {
        (value?.arrayValue ?? []).compactMap { element -> Track? in
            guard let object = element.objectValue, let id = object["id"]?.stringValue, let label = object["label"]?.stringValue,
                  let frames = object["keyframes"]?.arrayValue else { return nil }
            let keyframes = frames.compactMap { raw -> CuboidKeyframe? in
                guard let key = raw.objectValue, let frame = key["frame"]?.intValue, let box = cuboid(key) else { return nil }
                return CuboidKeyframe(frame: frame, box: box)
            }.sorted { $0.frame < $1.frame }
            guard !keyframes.isEmpty else { return nil }
            return Track(id: id, label: label, attributes: object["attributes"]?.objectValue ?? [:], keyframes: keyframes)
        }
    }

    static func cuboid(_ key: [String: JSONValue]) -> Cuboid? {
        guard let x = key["x"]?.numberValue, let y = key["y"]?.numberValue, let z = key["z"]?.numberValue,
              let length = key["l"]?.numberValue, let width = key["w"]?.numberValue, let height = key["h"]?.numberValue,
              let yaw = key["yaw"]?.numberValue else { return nil }
        return Cuboid(x: x, y: y, z: z, length: length, width: width, height: height, yaw: yaw)
    }

    /// A box as the JSON of a value or an export: millimetres and 1e-4 radians.
    public static func json(_ box: Cuboid) -> [String: JSONValue] {
        func round(_ value: Double, _ scale: Double) -> JSONValue { .number((value * scale).rounded() / scale) }
        return ["x": round(box.x, 1000), "y": round(box.y, 1000), "z": round(box.z, 1000), "l": round(box.length, 1000),
                "w": round(box.width, 1000), "h": round(box.height, 1000), "yaw": round(box.yaw, 10000)]
    }

    /// A task's KITTI calibration from its data: the text of a KITTI calib file, or `{P2, R0_rect, Tr_velo_to_cam}`.
    public static func parseCalibration(_ raw: JSONValue) -> Result<KITTICalibration, PointCloudProblem> {
        switch raw {
        case .string(let text):
            do throws(PointCloudProblem) {
                return .success(try KITTICalibration.parse(text))
            } catch {
                return .failure(.corrupt("is not a KITTI calibration: \(error.message)"))
            }
        case .object(let object):
            var lines: [String] = []
            for (key, count) in [("P2", 12), ("R0_rect", 9), ("Tr_velo_to_cam", 12)] {
                guard let numbers = object[key]?.arrayValue?.compactMap(\.numberValue), numbers.count == count else {
                    return .failure(.corrupt("needs \(key) as a list of \(count) numbers"))
                }
                lines.append("\(key): " + numbers.map { JSONValue.format(number: $0) }.joined(separator: " "))
            }
            do throws(PointCloudProblem) {
                return .success(try KITTICalibration.parse(lines.joined(separator: "\n")))
            } catch {
                return .failure(.corrupt("is not a KITTI calibration: \(error.message)"))
            }
        default:
            return .failure(.corrupt("must be the text of a KITTI calib file or an object {P2, R0_rect, Tr_velo_to_cam}"))
        }
    }

    func validate(_ value: JSONValue, path: String, isRequired: Bool, context: AnnotationContext) -> [FieldError] {
        guard let list = value.arrayValue else {
            return [FieldError(field: path, message: "must be an array of cuboids {id, label, keyframes: [{frame, x, y, z, l, w, h, yaw}]}, got \(value.typeName)")]
        }
        let frameCount = context.pointCloudFrames(key: points)
        var errors: [FieldError] = []
        var ids: Set<String> = []
        for (index, element) in list.enumerated() {
            guard var reader = ShapeReader(element, path: "\(path)[\(index)]", expected: "{id, label, keyframes}", errors: &errors) else { continue }
            _ = reader.id(unique: &ids)
            let label = reader.label(in: labels)
            reader.attributes(of: label)
            reader.keyframes(expected: "{frame, x, y, z, l, w, h, yaw}", frameCount: frameCount,
                             pastEnd: { $0 == 1 ? "must be 0 (the task has one point cloud)" : "is past the sequence's last frame \($0 - 1)" }) { key in
                for name in ["x", "y", "z"] {
                    if let coordinate = key.number(name), abs(coordinate) > 10_000 { key.fail(name, "is more than 10 km from the sensor") }
                }
                for name in ["l", "w", "h"] {
                    if let side = key.number(name) {
                        if side <= 0 { key.fail(name, "must be positive (metres)") }
                        if side > Self.maximumSide { key.fail(name, "must be at most \(Int(Self.maximumSide)) m") }
                    }
                }
                if let yaw = key.number("yaw"), abs(yaw) > 2 * Double.pi + 1e-9 {
                    key.fail("yaw", "must be an angle in radians between -2π and 2π")
                }
                key.rejectUnknownKeys(expected: "frame, x, y, z, l, w, h, yaw")
            }
            reader.rejectUnknownKeys(expected: "id, label, keyframes, attributes")
            errors += reader.errors
        }
        return errors + limits.check(list.count, path: path, isRequired: isRequired)
    }
}

extension AnnotationContext {
    /// How many frames the point cloud a field reads has: 1 for one cloud, the list's length for a sequence.
    func pointCloudFrames(key: String) -> Int? {
        switch data[key] {
        case .string?: 1
        case .array(let frames)?: frames.count
        default: nil
        }
    }
}
