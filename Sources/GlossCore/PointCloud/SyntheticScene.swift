import Foundation

/// A labelled object of the synthetic scene: its id (the same on every frame), class and true box.
public struct SyntheticObject: Sendable, Hashable {
    /// Stable across frames, e.g. "car-2".
    public var id: String
    /// "vehicle", "pedestrian" or "cyclist".
    public var label: String
    /// The true box, LiDAR frame.
    public var box: Cuboid

    public init(id: String, label: String, box: Cuboid) {
        self.id = id
        self.label = label
        self.box = box
    }
}

/// A deterministic LiDAR-like street scene for demos and tests: the same frame index always gives the same
/// points, on every machine (a seeded SplitMix64 generator; no system randomness).
///
/// The sensor sits at the origin, 1.7 m above a road running along +x (ground at z = -1.7): an 8 m wide road
/// with a dashed centre line and solid edge lines (bright intensity), 15 cm kerbs, sidewalks to |y| = 8, building
/// walls at y = ±8 with darker windows, and lamp poles. On it stand three cars (about 4.5 × 1.8 × 1.5 m) and a
/// pedestrian (0.6 × 0.6 × 1.75 m). Car 2 drives along +x at 1 m per frame and the pedestrian walks along +x at
/// 0.12 m per frame; both loop back every 40 frames, so frames 0...39 form a sequence.
///
/// Cars are sampled on the faces that look toward the sensor and on their roofs (a rounded profile, highest in
/// the middle); the pedestrian all around. Static surfaces hidden behind an object from the sensor are not
/// sampled, nor is the ground within 0.5 m of an object's footprint, so `Cuboids.fitted` on an object's box
/// recovers it closely. Intensities are in 0...1 like KITTI's reflectance.
public enum SyntheticScene {
    /// The ground's height below the sensor.
    static let groundZ = -1.7
    /// The sidewalks' height (a 15 cm kerb above the road).
    static let sidewalkZ = -1.55
    /// The frames after which the moving objects start over.
    static let loopLength = 40

    /// The objects on a frame, with their true boxes.
    static func objects(_ index: Int) -> [SyntheticObject] {
        let step = Double(((index % loopLength) + loopLength) % loopLength)
        return [
            SyntheticObject(id: "car-1", label: "vehicle",
                            box: Cuboid(x: 15, y: -2.8, z: groundZ + 0.75, length: 4.5, width: 1.8, height: 1.5, yaw: 0.04)),
            SyntheticObject(id: "car-2", label: "vehicle",
                            box: Cuboid(x: 6 + step, y: 1.9, z: groundZ + 0.725, length: 4.6, width: 1.85, height: 1.45, yaw: 0)),
            SyntheticObject(id: "car-3", label: "vehicle",
                            box: Cuboid(x: -12, y: -1.9, z: groundZ + 0.775, length: 4.3, width: 1.75, height: 1.55, yaw: -3.1)),
            SyntheticObject(id: "pedestrian-1", label: "pedestrian",
                            box: Cuboid(x: 9 + 0.12 * step, y: 6.0, z: sidewalkZ + 0.875, length: 0.6, width: 0.6, height: 1.75, yaw: 0)),
        ]
    }

    /// Frame `index` of the scene: exactly `pointsPerFrame` points (with intensities) and the objects' true boxes.
    public static func frame(_ index: Int, pointsPerFrame: Int = 60_000) -> (cloud: PointCloud, objects: [SyntheticObject]) {
        let objects = objects(index)
        let total = max(0, pointsPerFrame)
        var generator = SceneGenerator(seed: 0x6C6F_7373_4C69_4441 ^ (UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15))
        var builder = SceneBuilder(capacity: total, boxes: objects.map(\.box))

        let carShare = total * 6 / 100
        let pedestrianPoints = total * 2 / 100
        let polePoints = total * 2 / 100
        let wallPoints = total * 20 / 100
        let kerbPoints = total * 3 / 100
        let sidewalkPoints = total * 12 / 100
        let roadPoints = total - 3 * carShare - pedestrianPoints - polePoints - wallPoints - kerbPoints - sidewalkPoints

        for object in objects {
            if object.label == "pedestrian" {
                builder.person(object.box, points: pedestrianPoints, &generator)
            } else {
                builder.car(object.box, points: carShare, &generator)
            }
        }
        builder.road(points: roadPoints, &generator)
        builder.sidewalks(points: sidewalkPoints, &generator)
        builder.kerbs(points: kerbPoints, &generator)
        builder.walls(points: wallPoints, &generator)
        builder.poles(points: polePoints, &generator)
        return (PointCloud(positions: builder.positions, intensities: builder.intensities), objects)
    }
}

/// SplitMix64: small, fast and the same everywhere.
private struct SceneGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Roughly normal noise with standard deviation `sigma` (a sum of three uniforms).
    mutating func noise(_ sigma: Double) -> Double { (unit() + unit() + unit() - 1.5) * 2 * sigma }

    /// A distance along the road, denser near the sensor as a spinning LiDAR's rings are: forward up to
    /// `ahead` metres (65% of draws) or back up to `behind`.
    mutating func roadX(ahead: Double = 70, behind: Double = 40) -> Double {
        let scale = 6.0
        let forward = unit() < 0.65
        let reach = forward ? ahead : behind
        let distance = scale * (pow(1 + reach / scale, unit()) - 1)
        return forward ? distance : -distance
    }
}

/// Accumulates the scene's points.
private struct SceneBuilder {
    var positions: [Float] = []
    var intensities: [Float] = []
    let boxes: [Cuboid]

    init(capacity: Int, boxes: [Cuboid]) {
        positions.reserveCapacity(capacity * 3)
        intensities.reserveCapacity(capacity)
        self.boxes = boxes
    }

    mutating func add(_ x: Double, _ y: Double, _ z: Double, _ intensity: Double) {
        positions.append(Float(x))
        positions.append(Float(y))
        positions.append(Float(z))
        intensities.append(Float(min(1, max(0, intensity))))
    }

    /// Whether a static point is hidden from the sensor by an object, or lies on the ground close around one.
    func hidden(_ x: Double, _ y: Double, _ z: Double) -> Bool {
        for box in boxes {
            let cosine = cos(box.yaw), sine = sin(box.yaw)
            let dx = x - box.x, dy = y - box.y
            let along = dx * cosine + dy * sine, across = -dx * sine + dy * cosine
            let bottom = box.z - box.height / 2
            // The ground (and kerb) just around an object: under the car, or in the shadow of its wheels.
            if z < bottom + 0.3, abs(along) <= box.length / 2 + 0.5, abs(across) <= box.width / 2 + 0.5 { return true }
            if segmentHitsBox(box, along: along, across: across, up: z - box.z, cosine: cosine, sine: sine) { return true }
        }
        return false
    }

    /// Whether the segment from the sensor (origin) to a point, given in the box's frame, passes through the box
    /// (slab test).
    func segmentHitsBox(_ box: Cuboid, along: Double, across: Double, up: Double, cosine: Double, sine: Double) -> Bool {
        // The sensor in the box's frame.
        let sx = -box.x * cosine - box.y * sine, sy = box.x * sine - box.y * cosine, sz = -box.z
        let start = [sx, sy, sz], end = [along, across, up]
        let half = [box.length / 2, box.width / 2, box.height / 2]
        var enter = 0.0, leave = 1.0
        for axis in 0..<3 {
            let delta = end[axis] - start[axis]
            if abs(delta) < 1e-12 {
                if abs(start[axis]) > half[axis] { return false }
                continue
            }
            var t0 = (-half[axis] - start[axis]) / delta, t1 = (half[axis] - start[axis]) / delta
            if t0 > t1 { swap(&t0, &t1) }
            enter = max(enter, t0)
            leave = min(leave, t1)
            if enter > leave { return false }
        }
        return true
    }

    /// Draws a static point with `draw` until it is visible (at most 20 tries; the last is kept).
    mutating func visible(_ generator: inout SceneGenerator, _ draw: (inout SceneGenerator) -> (Double, Double, Double, Double)) {
        var point = draw(&generator)
        var tries = 1
        while tries < 20, hidden(point.0, point.1, point.2) {
            point = draw(&generator)
            tries += 1
        }
        add(point.0, point.1, point.2, point.3)
    }

    mutating func road(points: Int, _ generator: inout SceneGenerator) {
        for _ in 0..<points {
            visible(&generator) { random in
                var x = 0.0, y = 0.0
                repeat {   // the LiDAR sees nothing within 2.5 m (its own vehicle)
                    x = random.roadX()
                    y = random.uniform(-4, 4)
                } while x * x + y * y < 6.25
                let dashed = abs(y) < 0.08 && (x - 6 * (x / 6).rounded(.down)) < 3
                let edge = abs(abs(y) - 3.8) < 0.06
                let intensity = dashed || edge ? random.uniform(0.7, 0.9) : random.uniform(0.05, 0.16)
                return (x, y, SyntheticScene.groundZ + random.noise(0.01), intensity)
            }
        }
    }

    mutating func sidewalks(points: Int, _ generator: inout SceneGenerator) {
        for _ in 0..<points {
            visible(&generator) { random in
                let side: Double = random.unit() < 0.5 ? 1 : -1
                let y = side * random.uniform(4, 8)
                return (random.roadX(), y, SyntheticScene.sidewalkZ + random.noise(0.01), random.uniform(0.18, 0.3))
            }
        }
    }

    mutating func kerbs(points: Int, _ generator: inout SceneGenerator) {
        for _ in 0..<points {
            visible(&generator) { random in
                let side: Double = random.unit() < 0.5 ? 1 : -1
                let z = random.uniform(SyntheticScene.groundZ, SyntheticScene.sidewalkZ)
                return (random.roadX(), side * 4 + random.noise(0.01), z, random.uniform(0.22, 0.35))
            }
        }
    }

    mutating func walls(points: Int, _ generator: inout SceneGenerator) {
        for _ in 0..<points {
            visible(&generator) { random in
                let side: Double = random.unit() < 0.5 ? 1 : -1
                let x = random.roadX()
                let height = random.uniform(0, 5)
                let bay = x - 5 * (x / 5).rounded(.down)
                let window = bay > 1 && bay < 3.5 && height > 1.1 && height < 2.6
                let intensity = window ? random.uniform(0.02, 0.08) : random.uniform(0.3, 0.45)
                return (x, side * 8 + random.noise(0.015), SyntheticScene.sidewalkZ + height, intensity)
            }
        }
    }

    mutating func poles(points: Int, _ generator: inout SceneGenerator) {
        let places: [(Double, Double)] = [-25, -5, 15, 35, 55].flatMap { x in [(x, 4.6), (x, -4.6)] }
        let radius = 0.08
        for _ in 0..<points {
            visible(&generator) { random in
                let (px, py) = places[Int(random.unit() * Double(places.count))]
                // The half of the pole facing the sensor.
                let facing = atan2(-py, -px)
                let angle = facing + random.uniform(-Double.pi / 2, Double.pi / 2)
                let z = SyntheticScene.sidewalkZ + random.uniform(0, 5)
                return (px + radius * cos(angle), py + radius * sin(angle), z, random.uniform(0.45, 0.6))
            }
        }
    }

    /// A car: the faces looking toward the sensor and the roof, with a profile that is full height in the middle
    /// and lower at the ends (bonnet and boot).
    mutating func car(_ box: Cuboid, points: Int, _ generator: inout SceneGenerator) {
        let cosine = cos(box.yaw), sine = sin(box.yaw)
        let halfLength = box.length / 2, halfWidth = box.width / 2
        let bottom = box.z - box.height / 2
        func profile(_ along: Double) -> Double {
            let s = abs(along) / halfLength
            return box.height * (1 - 0.32 * s * s * s * s)
        }
        // Faces: 0 front, 1 rear, 2 left, 3 right, 4 roof. Outward normals in the box frame.
        let normals: [(Double, Double)] = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        let centres: [(Double, Double)] = [(halfLength, 0), (-halfLength, 0), (0, halfWidth), (0, -halfWidth)]
        var weights: [Double] = []
        for face in 0..<4 {
            // Vector from the face centre to the sensor, in the box frame.
            let cx = box.x + centres[face].0 * cosine - centres[face].1 * sine
            let cy = box.y + centres[face].0 * sine + centres[face].1 * cosine
            let tx = -cx, ty = -cy
            let localX = tx * cosine + ty * sine, localY = -tx * sine + ty * cosine
            let facing = normals[face].0 * localX + normals[face].1 * localY > 0
            let area = face < 2 ? box.width * box.height * 0.7 : box.length * box.height * 0.85
            weights.append(facing ? area : 0)
        }
        weights.append(box.length * box.width)
        let totalWeight = weights.reduce(0, +)
        for _ in 0..<points {
            var pick = generator.unit() * totalWeight
            var face = 0
            while face < 4, pick >= weights[face] { pick -= weights[face]; face += 1 }
            var along = 0.0, across = 0.0, up = 0.0
            switch face {
            case 0, 1:
                along = face == 0 ? halfLength : -halfLength
                across = generator.uniform(-halfWidth, halfWidth)
                up = generator.unit() * profile(along)
            case 2, 3:
                along = generator.uniform(-halfLength, halfLength)
                across = face == 2 ? halfWidth : -halfWidth
                up = generator.unit() * profile(along)
            default:
                along = generator.uniform(-halfLength, halfLength)
                across = generator.uniform(-halfWidth, halfWidth)
                up = profile(along)
            }
            var intensity = generator.uniform(0.18, 0.34)
            if face < 2, abs(across) < 0.26, up > 0.35, up < 0.5 { intensity = generator.uniform(0.9, 1) }       // number plate
            else if face < 2, abs(abs(across) - 0.68) < 0.12, up > 0.62, up < 0.78 { intensity = generator.uniform(0.75, 0.9) }   // lights
            else if face >= 2, face < 4, up > 0.9 { intensity = generator.uniform(0.03, 0.1) }                 // side windows
            along += generator.noise(0.008)
            across += generator.noise(0.008)
            up += generator.noise(0.008)
            add(box.x + along * cosine - across * sine, box.y + along * sine + across * cosine, bottom + up, intensity)
        }
    }

    /// A person: an upright elliptic cylinder filling the box's footprint up to the shoulders and a smaller
    /// head, sampled all around.
    mutating func person(_ box: Cuboid, points: Int, _ generator: inout SceneGenerator) {
        let cosine = cos(box.yaw), sine = sin(box.yaw)
        let bottom = box.z - box.height / 2
        let shoulders = box.height - 0.24
        for _ in 0..<points {
            let angle = generator.uniform(-Double.pi, Double.pi)
            var along = 0.0, across = 0.0, up = 0.0
            if generator.unit() < 0.86 {
                along = box.length / 2 * cos(angle)
                across = box.width / 2 * sin(angle)
                up = generator.unit() * shoulders
            } else {
                // The head: a sphere of radius 0.12 whose top is the box's top.
                let height = generator.uniform(-1, 1)
                let ring = (1 - height * height).squareRoot()
                along = 0.12 * ring * cos(angle)
                across = 0.12 * ring * sin(angle)
                up = box.height - 0.12 + 0.12 * height
            }
            let intensity = up < shoulders * 0.5 ? generator.uniform(0.1, 0.2) : generator.uniform(0.15, 0.3)
            along += generator.noise(0.006)
            across += generator.noise(0.006)
            add(box.x + along * cosine - across * sine, box.y + along * sine + across * cosine, bottom + up, intensity)
        }
    }
}
