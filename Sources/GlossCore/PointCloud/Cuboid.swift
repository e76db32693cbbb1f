import Foundation

/// A 3D box in the LiDAR frame (x forward, y left, z up, metres): its centre, its size and its heading.
///
/// `yaw` is the rotation about +z, counter-clockwise seen from above, from +x to the box's heading; `length`
/// runs along the heading, `width` across it and `height` along z. The box is upright (no pitch or roll).
public struct Cuboid: Sendable, Hashable, Codable {
    /// Centre x.
    public var x: Double
    /// Centre y.
    public var y: Double
    /// Centre z (the middle of the box's height, not its bottom).
    public var z: Double
    /// Size along the heading.
    public var length: Double
    /// Size across the heading.
    public var width: Double
    /// Size along z.
    public var height: Double
    /// Heading in radians about +z, from +x.
    public var yaw: Double

    /// A box from its centre, size and heading.
    public init(x: Double, y: Double, z: Double, length: Double, width: Double, height: Double, yaw: Double = 0) {
        self.x = x
        self.y = y
        self.z = z
        self.length = length
        self.width = width
        self.height = height
        self.yaw = yaw
    }

    /// Whether a point lies inside the box or on its surface.
    public func contains(x px: Double, y py: Double, z pz: Double) -> Bool {
        let cosine = cos(yaw), sine = sin(yaw)
        let dx = px - x, dy = py - y
        let along = dx * cosine + dy * sine
        let across = -dx * sine + dy * cosine
        return abs(along) <= length / 2 && abs(across) <= width / 2 && abs(pz - z) <= height / 2
    }

    /// The 8 corners as `[x, y, z]`. The bottom face first, then the top face in the same order; each face goes
    /// counter-clockwise seen from above, starting at the front right:
    /// 0 front-right-bottom, 1 front-left-bottom, 2 rear-left-bottom, 3 rear-right-bottom,
    /// 4 front-right-top, 5 front-left-top, 6 rear-left-top, 7 rear-right-top
    /// ("front" is +length along the heading, "left" is +width, i.e. +y when yaw is 0).
    public var corners: [[Double]] {
        let cosine = cos(yaw), sine = sin(yaw)
        let halfLength = length / 2, halfWidth = width / 2, halfHeight = height / 2
        let footprint: [(Double, Double)] = [(halfLength, -halfWidth), (halfLength, halfWidth), (-halfLength, halfWidth), (-halfLength, -halfWidth)]
        var result: [[Double]] = []
        result.reserveCapacity(8)
        for dz in [-halfHeight, halfHeight] {
            for (along, across) in footprint {
                result.append([x + along * cosine - across * sine, y + along * sine + across * cosine, z + dz])
            }
        }
        return result
    }

    /// length × width × height.
    public var volume: Double { length * width * height }
}

/// Operations on boxes and point clouds.
public enum Cuboids {
    /// The indices of the cloud's points inside the box (surface included), in cloud order.
    public static func pointsInside(_ box: Cuboid, _ cloud: PointCloud) -> [Int] {
        var result: [Int] = []
        forEachPoint(in: cloud, box: box, margin: 0) { index, _, _, _ in result.append(index) }
        return result
    }

    /// Calls `body` with each point inside `box` grown by `margin` on every side, in the box's own frame:
    /// `along` the heading, `across` it and `up` from the centre.
    @inline(__always)
    static func forEachPoint(in cloud: PointCloud, box: Cuboid, margin: Double, _ body: (_ index: Int, _ along: Double, _ across: Double, _ up: Double) -> Void) {
        let cosine = cos(box.yaw), sine = sin(box.yaw)
        let halfLength = box.length / 2 + margin, halfWidth = box.width / 2 + margin, halfHeight = box.height / 2 + margin
        let cx = box.x, cy = box.y, cz = box.z
        // A quick reject on the box's radius around its centre in the plane before rotating.
        let radius = (halfLength * halfLength + halfWidth * halfWidth).squareRoot()
        cloud.positions.withUnsafeBufferPointer { values in
            let count = values.count / 3
            for index in 0..<count {
                let up = Double(values[index * 3 + 2]) - cz
                guard abs(up) <= halfHeight else { continue }
                let dx = Double(values[index * 3]) - cx
                guard abs(dx) <= radius else { continue }
                let dy = Double(values[index * 3 + 1]) - cy
                guard abs(dy) <= radius else { continue }
                let along = dx * cosine + dy * sine
                guard abs(along) <= halfLength else { continue }
                let across = -dx * sine + dy * cosine
                guard abs(across) <= halfWidth else { continue }
                body(index, along, across, up)
            }
        }
    }

    /// "Snap to points": keeping the box's yaw, takes the points inside the box grown by `margin` on every side
    /// and returns the tightest box with that yaw around them; nil when there are none. Points on the ground
    /// under or beside the box count like any other, so a box that reaches the ground should be snapped on a
    /// cloud with the ground removed, or the box raised above it.
    public static func fitted(_ box: Cuboid, to cloud: PointCloud, margin: Double = 0.1) -> Cuboid? {
        var minAlong = Double.infinity, maxAlong = -Double.infinity
        var minAcross = Double.infinity, maxAcross = -Double.infinity
        var minUp = Double.infinity, maxUp = -Double.infinity
        var found = false
        forEachPoint(in: cloud, box: box, margin: margin) { _, along, across, up in
            found = true
            minAlong = min(minAlong, along); maxAlong = max(maxAlong, along)
            minAcross = min(minAcross, across); maxAcross = max(maxAcross, across)
            minUp = min(minUp, up); maxUp = max(maxUp, up)
        }
        guard found else { return nil }
        let along = (minAlong + maxAlong) / 2, across = (minAcross + maxAcross) / 2
        let cosine = cos(box.yaw), sine = sin(box.yaw)
        return Cuboid(x: box.x + along * cosine - across * sine, y: box.y + along * sine + across * cosine,
                      z: box.z + (minUp + maxUp) / 2,
                      length: maxAlong - minAlong, width: maxAcross - minAcross, height: maxUp - minUp, yaw: box.yaw)
    }

    /// The footprint (x, y) of a box, counter-clockwise.
    static func footprint(_ box: Cuboid) -> [(x: Double, y: Double)] {
        let cosine = cos(box.yaw), sine = sin(box.yaw)
        let halfLength = box.length / 2, halfWidth = box.width / 2
        return [(halfLength, -halfWidth), (halfLength, halfWidth), (-halfLength, halfWidth), (-halfLength, -halfWidth)].map { along, across in
            (box.x + along * cosine - across * sine, box.y + along * sine + across * cosine)
        }
    }

    /// The exact area where the two boxes' footprints overlap seen from above (bird's-eye view): the first
    /// rectangle clipped by each edge of the second (Sutherland–Hodgman; both are convex), then the shoelace
    /// area. 0 when they only touch or either is empty.
    public static func bevIntersectionArea(_ a: Cuboid, _ b: Cuboid) -> Double {
        guard a.length > 0, a.width > 0, b.length > 0, b.width > 0 else { return 0 }
        var polygon = footprint(a)
        let clip = footprint(b)
        for edge in 0..<4 {
            guard !polygon.isEmpty else { return 0 }
            let start = clip[edge], end = clip[(edge + 1) % 4]
            let ex = end.x - start.x, ey = end.y - start.y
            // Positive on the left of the edge, which is inside for a counter-clockwise polygon.
            func side(_ p: (x: Double, y: Double)) -> Double { ex * (p.y - start.y) - ey * (p.x - start.x) }
            var clipped: [(x: Double, y: Double)] = []
            clipped.reserveCapacity(polygon.count + 4)
            for index in polygon.indices {
                let current = polygon[index], next = polygon[(index + 1) % polygon.count]
                let currentSide = side(current), nextSide = side(next)
                if currentSide >= 0 { clipped.append(current) }
                if (currentSide >= 0) != (nextSide >= 0) {
                    let t = currentSide / (currentSide - nextSide)
                    clipped.append((current.x + (next.x - current.x) * t, current.y + (next.y - current.y) * t))
                }
            }
            polygon = clipped
        }
        guard polygon.count >= 3 else { return 0 }
        var twiceArea = 0.0
        for index in polygon.indices {
            let current = polygon[index], next = polygon[(index + 1) % polygon.count]
            twiceArea += current.x * next.y - next.x * current.y
        }
        return max(0, twiceArea / 2)
    }

    /// 3D intersection over union, exact for upright boxes: the footprints' overlap area times the overlap of
    /// their z ranges, over the union volume. 1 for a box with itself, 0 for boxes that do not overlap (or are
    /// empty).
    public static func iou3D(_ a: Cuboid, _ b: Cuboid) -> Double {
        let volumeA = max(0, a.volume), volumeB = max(0, b.volume)
        if a == b { return volumeA > 0 ? 1 : 0 }
        let zOverlap = min(a.z + a.height / 2, b.z + b.height / 2) - max(a.z - a.height / 2, b.z - b.height / 2)
        guard zOverlap > 0 else { return 0 }
        let intersection = bevIntersectionArea(a, b) * zOverlap
        let union = volumeA + volumeB - intersection
        guard union > 0 else { return 0 }
        return min(1, max(0, intersection / union))
    }

    /// The box `t` of the way from `a` to `b`: centre and size linearly, yaw along the shorter arc (when the two
    /// headings are exactly opposite, counter-clockwise), the result's yaw normalised to (-π, π]. `t` is not
    /// clamped.
    public static func interpolate(_ a: Cuboid, _ b: Cuboid, t: Double) -> Cuboid {
        func mix(_ u: Double, _ v: Double) -> Double { u + (v - u) * t }
        let turn = normalizedAngle(b.yaw - a.yaw)
        return Cuboid(x: mix(a.x, b.x), y: mix(a.y, b.y), z: mix(a.z, b.z),
                      length: mix(a.length, b.length), width: mix(a.width, b.width), height: mix(a.height, b.height),
                      yaw: normalizedAngle(a.yaw + turn * t))
    }

    /// The same angle in (-π, π].
    public static func normalizedAngle(_ angle: Double) -> Double {
        guard angle.isFinite else { return angle }
        var result = remainder(angle, 2 * Double.pi)   // in [-π, π]
        if result <= -Double.pi { result += 2 * Double.pi }
        return result
    }
}

/// One keyframe of a box tracked across the frames of a sequence.
public struct CuboidKeyframe: Sendable, Hashable, Codable {
    /// The frame's index in the sequence.
    public var frame: Int
    /// The box on that frame.
    public var box: Cuboid

    public init(frame: Int, box: Cuboid) {
        self.frame = frame
        self.box = box
    }
}

/// A box tracked across frames by keyframes: on a keyframe the box is the keyframe's; on a frame between two
/// keyframes it is interpolated (`Cuboids.interpolate`, linear in the frame number); before the first keyframe
/// and after the last there is none.
public enum CuboidTracks {
    /// The box on `frame`, or nil outside the keyframes' span. Keyframes may come in any order; when two share
    /// a frame the first given wins.
    public static func box(at frame: Int, keyframes: [CuboidKeyframe]) -> Cuboid? {
        var before: CuboidKeyframe?
        var after: CuboidKeyframe?
        for keyframe in keyframes {
            if keyframe.frame == frame, before?.frame != frame { before = keyframe; after = keyframe }
            if keyframe.frame < frame, before.map({ keyframe.frame > $0.frame }) ?? true { before = keyframe }
            if keyframe.frame > frame, after.map({ keyframe.frame < $0.frame }) ?? true { after = keyframe }
        }
        guard let before, let after else { return nil }
        if before.frame == frame { return before.box }
        let t = Double(frame - before.frame) / Double(after.frame - before.frame)
        return Cuboids.interpolate(before.box, after.box, t: t)
    }
}
