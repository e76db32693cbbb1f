import Foundation

/// KITTI object-detection calibration and labels: from a box in the LiDAR (Velodyne) frame to the 15 fields
/// of a KITTI label line.

/// The matrices of a KITTI object calibration file (`calib/000000.txt`), row-major.
public struct KITTICalibration: Sendable, Hashable {
    /// The left colour camera's 3×4 projection from rectified camera coordinates to pixels, 12 numbers.
    public var p2: [Double]
    /// The 3×3 rectifying rotation, 9 numbers.
    public var r0Rect: [Double]
    /// The 3×4 rigid transform from the Velodyne frame to the (unrectified) reference camera frame, 12 numbers.
    public var trVeloToCam: [Double]

    /// A calibration from its matrices, row-major. A matrix with the wrong number of values is used as the
    /// identity (with zero translation).
    public init(p2: [Double], r0Rect: [Double], trVeloToCam: [Double]) {
        self.p2 = p2
        self.r0Rect = r0Rect
        self.trVeloToCam = trVeloToCam
    }

    /// Parses the text of a KITTI object calibration file: lines `KEY: numbers`. It needs `P2:` (12 numbers),
    /// `R0_rect:` (9) and `Tr_velo_to_cam:` (12); the tracking benchmark's names `R_rect` and `Tr_velo_cam` are
    /// accepted too. Other keys (P0, P1, P3, Tr_imu_to_velo, ...) are ignored; blank lines are skipped.
    /// Errors name the missing key or the bad line (numbered from 1).
    public static func parse(_ text: String) throws(PointCloudProblem) -> KITTICalibration {
        let wanted: [String: (name: String, count: Int)] = [
            "P2": ("P2", 12), "R0_rect": ("R0_rect", 9), "R_rect": ("R0_rect", 9),
            "Tr_velo_to_cam": ("Tr_velo_to_cam", 12), "Tr_velo_cam": ("Tr_velo_to_cam", 12),
        ]
        var found: [String: [Double]] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .corrupt("is not a KITTI calibration file (line \(lineNumber) is not 'KEY: numbers')")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard let (name, count) = wanted[key], found[name] == nil else { continue }
            let words = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
            var numbers: [Double] = []
            for word in words {
                guard let value = Double(word), value.isFinite else {
                    throw .corrupt("is a corrupt KITTI calibration (line \(lineNumber), \(key), has '\(word)', which is not a number)")
                }
                numbers.append(value)
            }
            guard numbers.count == count else {
                throw .corrupt("is a corrupt KITTI calibration (line \(lineNumber), \(key), has \(numbers.count) numbers, not \(count))")
            }
            found[name] = numbers
        }
        for name in ["P2", "R0_rect", "Tr_velo_to_cam"] where found[name] == nil {
            throw .corrupt("is not a complete KITTI calibration (it has no \(name) line)")
        }
        return KITTICalibration(p2: found["P2"]!, r0Rect: found["R0_rect"]!, trVeloToCam: found["Tr_velo_to_cam"]!)
    }
}

/// One object of a KITTI label file (`label_2/000000.txt`).
public struct KITTILabel: Sendable, Hashable {
    /// The class, e.g. "Car", "Pedestrian" (written with spaces as "_").
    public var type: String
    /// 0 (in the image) ... 1 (entirely outside it): how much of the projected box the image cuts off.
    public var truncated: Double
    /// 0 fully visible, 1 partly occluded, 2 largely occluded, 3 unknown.
    public var occluded: Int
    /// Observation angle, -π ... π.
    public var alpha: Double
    /// The 2D box in the image, pixels: left, top, right, bottom.
    public var bbox: [Double]
    /// height, width, length in metres.
    public var dimensions: [Double]
    /// The bottom centre of the box in rectified camera coordinates (x right, y down, z forward), metres.
    public var location: [Double]
    /// Rotation about the camera's y axis, -π ... π; 0 is a heading along camera +x.
    public var rotationY: Double

    public init(type: String, truncated: Double, occluded: Int, alpha: Double, bbox: [Double], dimensions: [Double], location: [Double], rotationY: Double) {
        self.type = type
        self.truncated = truncated
        self.occluded = occluded
        self.alpha = alpha
        self.bbox = bbox
        self.dimensions = dimensions
        self.location = location
        self.rotationY = rotationY
    }

    /// The label's line as KITTI writes it: 15 fields separated by single spaces, numbers with 2 decimals
    /// (occluded as an integer), the type with whitespace replaced by "_" ("DontCare" when empty):
    /// `type truncated occluded alpha left top right bottom height width length x y z rotation_y`.
    public var line: String {
        var name = String(type.map { $0.isWhitespace ? "_" : $0 })
        if name.isEmpty { name = "DontCare" }
        var fields = [name, KITTILabels.decimal(truncated), String(occluded), KITTILabels.decimal(alpha)]
        fields += bbox.map(KITTILabels.decimal)
        fields += dimensions.map(KITTILabels.decimal)
        fields += location.map(KITTILabels.decimal)
        fields.append(KITTILabels.decimal(rotationY))
        return fields.joined(separator: " ")
    }
}

/// From LiDAR boxes to KITTI labels.
public enum KITTILabels {
    /// The nearest a point may be in front of the camera (rectified z, metres) to be projected.
    public static let nearPlane = 0.1

    /// The KITTI label of a LiDAR-frame box.
    ///
    /// - location: the box's bottom centre `(x, y, z - height/2)` mapped into rectified camera coordinates,
    ///   `R0_rect · (Tr_velo_to_cam · [p; 1])`.
    /// - dimensions: height, width, length.
    /// - rotationY: the heading `(cos yaw, sin yaw, 0)` rotated by `R0_rect · R(Tr_velo_to_cam)` to `d`, then
    ///   `-atan2(d.z, d.x)`, normalised to (-π, π]. With KITTI's usual Tr this is `-yaw - π/2`.
    /// - alpha: `rotationY - atan2(location.x, location.z)`, normalised to (-π, π].
    /// - bbox: the 8 corners in rectified camera coordinates, projected with P2 (`u = (P2·[X;1])₀ / (P2·[X;1])₂`,
    ///   `v = (P2·[X;1])₁ / (P2·[X;1])₂`), their min and max. A box reaching behind the camera is first cut at
    ///   the plane z = `nearPlane` (each of its 12 edges crossing the plane contributes its crossing point, corners
    ///   behind it are dropped), so the 2D box is that of the part in front of the camera. With `imageSize`
    ///   each coordinate is clamped to 0 ... width-1 and 0 ... height-1 and `truncated` is 1 - clipped area /
    ///   unclipped area; without it the box is not clamped and `truncated` is 0.
    /// - A box entirely behind the near plane has bbox 0, 0, 0, 0 and truncated 1.
    public static func label(for box: Cuboid, type: String, calibration: KITTICalibration, imageSize: (width: Int, height: Int)? = nil, occluded: Int = 0) -> KITTILabel {
        let transform = Rigid(calibration)
        let bottom = transform.point(box.x, box.y, box.z - box.height / 2)
        let heading = transform.direction(cos(box.yaw), sin(box.yaw), 0)
        let rotationY = Cuboids.normalizedAngle(-atan2(heading.2, heading.0))
        let alpha = Cuboids.normalizedAngle(rotationY - atan2(bottom.0, bottom.2))

        // Corners in camera coordinates, then the part of the box in front of the near plane.
        let corners = box.corners.map { transform.point($0[0], $0[1], $0[2]) }
        var visible: [(Double, Double, Double)] = corners.filter { $0.2 >= nearPlane }
        let edges = [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4), (0, 4), (1, 5), (2, 6), (3, 7)]
        for (first, second) in edges {
            let a = corners[first], b = corners[second]
            guard (a.2 >= nearPlane) != (b.2 >= nearPlane) else { continue }
            let t = (nearPlane - a.2) / (b.2 - a.2)
            visible.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, nearPlane))
        }
        let p = matrix(calibration.p2, rows: 3)
        var left = Double.infinity, top = Double.infinity, right = -Double.infinity, bottomEdge = -Double.infinity
        for point in visible {
            let w = p[8] * point.0 + p[9] * point.1 + p[10] * point.2 + p[11]
            guard w > 0 else { continue }
            let u = (p[0] * point.0 + p[1] * point.1 + p[2] * point.2 + p[3]) / w
            let v = (p[4] * point.0 + p[5] * point.1 + p[6] * point.2 + p[7]) / w
            left = min(left, u); right = max(right, u)
            top = min(top, v); bottomEdge = max(bottomEdge, v)
        }
        var bbox = [0.0, 0, 0, 0]
        var truncated = 0.0
        if left <= right, top <= bottomEdge {
            bbox = [left, top, right, bottomEdge]
            if let imageSize {
                let maxU = Double(max(0, imageSize.width - 1)), maxV = Double(max(0, imageSize.height - 1))
                let clipped = [min(max(left, 0), maxU), min(max(top, 0), maxV), min(max(right, 0), maxU), min(max(bottomEdge, 0), maxV)]
                let area = (right - left) * (bottomEdge - top)
                let clippedArea = (clipped[2] - clipped[0]) * (clipped[3] - clipped[1])
                truncated = area > 0 ? min(1, max(0, 1 - clippedArea / area)) : (clipped == bbox ? 0 : 1)
                bbox = clipped
            }
        } else {
            truncated = 1
        }
        return KITTILabel(type: type, truncated: truncated, occluded: occluded, alpha: alpha, bbox: bbox,
                          dimensions: [box.height, box.width, box.length],
                          location: [bottom.0, bottom.1, bottom.2], rotationY: rotationY)
    }

    /// A number with 2 decimals, never "-0.00".
    static func decimal(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }

    /// `values` as a row-major matrix of `rows` rows and 3 or 4 columns; the identity when the count is wrong.
    static func matrix(_ values: [Double], rows: Int, columns: Int = 4) -> [Double] {
        if values.count == rows * columns { return values }
        var identity = [Double](repeating: 0, count: rows * columns)
        for index in 0..<min(rows, columns) { identity[index * columns + index] = 1 }
        return identity
    }

    /// Velodyne → rectified camera: `R0_rect · (Tr_velo_to_cam · [p; 1])`.
    struct Rigid {
        var rotation: [Double]      // 3×3, R0_rect · R(Tr)
        var translation: [Double]   // 3, R0_rect · t(Tr)

        init(_ calibration: KITTICalibration) {
            let tr = KITTILabels.matrix(calibration.trVeloToCam, rows: 3)
            let r0 = KITTILabels.matrix(calibration.r0Rect, rows: 3, columns: 3)
            var rotation = [Double](repeating: 0, count: 9)
            var translation = [Double](repeating: 0, count: 3)
            for row in 0..<3 {
                for column in 0..<3 {
                    var sum = 0.0
                    for k in 0..<3 { sum += r0[row * 3 + k] * tr[k * 4 + column] }
                    rotation[row * 3 + column] = sum
                }
                var sum = 0.0
                for k in 0..<3 { sum += r0[row * 3 + k] * tr[k * 4 + 3] }
                translation[row] = sum
            }
            self.rotation = rotation
            self.translation = translation
        }

        func direction(_ x: Double, _ y: Double, _ z: Double) -> (Double, Double, Double) {
            (rotation[0] * x + rotation[1] * y + rotation[2] * z,
             rotation[3] * x + rotation[4] * y + rotation[5] * z,
             rotation[6] * x + rotation[7] * y + rotation[8] * z)
        }

        func point(_ x: Double, _ y: Double, _ z: Double) -> (Double, Double, Double) {
            let d = direction(x, y, z)
            return (d.0 + translation[0], d.1 + translation[1], d.2 + translation[2])
        }
    }
}
