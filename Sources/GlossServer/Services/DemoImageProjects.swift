import Crypto
import Foundation
import GlossCore
import GlossStore
import Vapor

/// The demo's image and video projects. Their pictures are drawn here, in Swift, from simple shapes (no
/// downloaded dataset, no ffmpeg): street scenes for boxes and polygons, and a 24-frame sequence of a car
/// and a pedestrian crossing paths for tracks.
extension Demo {
    static var streetObjects: ProjectSeed {
        let scenes = (1...4).map { StreetScene(seed: $0) }
        return ProjectSeed(
            name: "Street scenes: objects and road (images)",
            schemaJSON: """
            {"fields": [
              {"name": "objects", "type": "boxes", "label": "Objects", "parents": true, "labels": [
                {"value": "car", "label": "Car", "hotkey": "c", "color": "#e6194b",
                 "attributes": [{"name": "occluded", "type": "boolean"}, {"name": "truncated", "type": "boolean"}]},
                {"value": "person", "label": "Person", "hotkey": "p", "color": "#3cb44b", "attributes": [{"name": "occluded", "type": "boolean"}]},
                {"value": "wheel", "label": "Wheel (part of a car)", "hotkey": "w", "color": "#ffe119"}]},
              {"name": "road", "type": "polygons", "label": "Road surface", "required": false, "labels": [{"value": "road", "color": "#4363d8", "hotkey": "r"}]},
              {"name": "weather", "type": "choice", "label": "Weather", "options": ["clear", "overcast"]}
            ]}
            """,
            guidelines: """
            Draw a tight box around every **car** and **person**; give each car's visible wheels a **wheel** box \
            whose parent is the car. Outline the road surface as a polygon (click its corners, Enter closes). \
            Scenes 1 and 2 come with suggested boxes from a detector: correct them rather than start over.

            Keys: drag to draw, the label's letter picks it, Delete removes the selection, space+drag pans, the \
            wheel zooms, F fits the image.
            """,
            tasks: scenes.map { scene in
                let prelabel: JSONValue? = scene.seed <= 2
                    ? .array([.object(["model": .string("street-detector-v0"), "score": .number(0.81), "value": .object(["objects": .array(scene.boxes)])])])
                    : nil
                return task("street-\(scene.seed)", ["image": .string("media:street-\(scene.seed).png")], prelabels: prelabel)
            },
            media: { scenes.map { ("street-\($0.seed).png", $0.png()) } })
    }

    static var trafficVideo: ProjectSeed {
        let frameCount = 24
        return ProjectSeed(
            name: "Traffic clip: object tracks (video)",
            schemaJSON: """
            {"fields": [
              {"name": "objects", "type": "tracks", "label": "Tracks", "labels": [
                {"value": "car", "label": "Car", "hotkey": "c", "color": "#e6194b"},
                {"value": "person", "label": "Person", "hotkey": "p", "color": "#3cb44b"}]},
              {"name": "actions", "type": "events", "label": "Actions", "required": false, "labels": [
                {"value": "crossing", "label": "Person crossing"}]}
            ]}
            """,
            guidelines: """
            Follow the **car** and the **person** through the clip. Draw each one's box on its first frame, step \
            ahead (→, or shift+→ for ten frames), move the box onto the object: Gloss interpolates between your \
            keyframes. Mark **outside** where an object leaves the picture. Mark the frames where the person is \
            crossing the road as an action.
            """,
            tasks: [task("clip-1", ["video": .array((0..<frameCount).map { .string("media:clip-frame-\($0).png") })])],
            media: { (0..<frameCount).map { ("clip-frame-\($0).png", TrafficFrame(frame: $0, count: frameCount).png()) } })
    }

    /// Stores drawn images as media of the project, as an upload would; other files (the demo's audio and point
    /// clouds) go through the upload's checks and conversions.
    static func storeMedia(_ app: Application, projectID: UUID, files: [(fileName: String, bytes: [UInt8])]) async throws -> [MediaRecord] {
        var records: [MediaRecord] = [], images: [MediaRecord] = []
        let others = files.filter { MediaInspector.sniff(Array($0.bytes.prefix(64)))?.kind != .image }
        if !others.isEmpty {
            let folder = NSTemporaryDirectory() + "gloss-demo-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var received: [MediaService.ReceivedFile] = []
            for (index, file) in others.enumerated() {
                let path = "\(folder)/source-\(index)"
                try Data(file.bytes).write(to: URL(fileURLWithPath: path))
                received.append(try MediaService.copy(path, name: file.fileName, into: folder, index: index))
            }
            records += try await MediaService(context: app.gloss, threadPool: app.threadPool, logger: app.logger)
                .store(received, projectID: projectID, folder: folder)
        }
        for (fileName, bytes) in files {
            guard case .success(let description) = MediaInspector.inspectImage(bytes) else { continue }
            let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let path = NSTemporaryDirectory() + "gloss-demo-" + UUID().uuidString
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try app.gloss.blobs.put(movingFile: path, sha256: sha256)
            images.append(MediaRecord(id: UUID(), projectID: projectID, sha256: sha256, kind: description.kind.rawValue,
                                      contentType: description.contentType, fileName: fileName, byteSize: Int64(bytes.count),
                                      width: description.width, height: description.height, frameCount: nil, fps: nil, frames: [],
                                      createdAt: Store.now()))
        }
        try await app.gloss.media.insert(images)
        return records + images
    }
}

/// A picture as RGB pixels, with the few shapes the demo draws.
struct Raster {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    mutating func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ color: (UInt8, UInt8, UInt8)) {
        let rows = max(0, y)..<max(max(0, y), min(height, y + h))
        let columns = max(0, x)..<max(max(0, x), min(width, x + w))
        for row in rows {
            for column in columns {
                let offset = (row * width + column) * 3
                pixels[offset] = color.0
                pixels[offset + 1] = color.1
                pixels[offset + 2] = color.2
            }
        }
    }

    mutating func disc(_ cx: Int, _ cy: Int, _ radius: Int, _ color: (UInt8, UInt8, UInt8)) {
        for dy in -radius...radius {
            let half = Int(Double(radius * radius - dy * dy).squareRoot())
            fill(cx - half, cy + dy, 2 * half + 1, 1, color)
        }
    }

    func png() -> [UInt8] { PNG.encode(width: width, height: height, color: .rgb, pixels: pixels) }
}

/// A street: sky, buildings, a road, cars with wheels and people, placed from a seed. `boxes` are the true
/// boxes (the demo's "detector" suggests them, a little off).
struct StreetScene {
    let seed: Int
    static let width = 480, height = 320

    struct Thing { var label: String; var x: Int; var y: Int; var w: Int; var h: Int; var color: (UInt8, UInt8, UInt8) }

    var things: [Thing] {
        var random = SplitMix(seed: UInt64(seed))
        var result: [Thing] = []
        for index in 0..<(2 + seed % 2) {
            let w = 90 + random.next(40), h = 40 + random.next(12)
            let x = 20 + index * 150 + random.next(30), y = 205 + random.next(30)
            let palette: [(UInt8, UInt8, UInt8)] = [(200, 40, 40), (40, 90, 200), (230, 200, 60), (90, 90, 100)]
            result.append(Thing(label: "car", x: x, y: y, w: w, h: h, color: palette[random.next(palette.count)]))
        }
        for index in 0..<(1 + seed % 3) {
            let x = 60 + index * 140 + random.next(40), y = 150 + random.next(20)
            result.append(Thing(label: "person", x: x, y: y, w: 18, h: 56, color: (60, 150, 70)))
        }
        return result
    }

    var boxes: [JSONValue] {
        things.enumerated().map { index, thing in
            .object(["id": .string("b\(index + 1)"), "label": .string(thing.label), "x": .number(Double(thing.x + 3)),
                     "y": .number(Double(thing.y - 2)), "width": .number(Double(thing.w - 4)), "height": .number(Double(thing.h + 3))])
        }
    }

    func png() -> [UInt8] {
        var raster = Raster(width: Self.width, height: Self.height)
        raster.fill(0, 0, Self.width, 140, seed % 2 == 0 ? (150, 190, 235) : (170, 175, 185))
        for index in 0..<6 {
            let shade = UInt8(120 + (index * 23 + seed * 17) % 80)
            raster.fill(index * 80, 40 + (index * 37 + seed * 11) % 60, 76, 140, (shade, shade - 20, shade - 40))
        }
        raster.fill(0, 140, Self.width, 40, (190, 190, 180))           // pavement
        raster.fill(0, 180, Self.width, 140, (70, 70, 75))             // road
        for column in stride(from: 10, to: Self.width, by: 60) { raster.fill(column, 258, 34, 5, (235, 235, 235)) }
        for thing in things {
            if thing.label == "car" {
                raster.fill(thing.x, thing.y + 10, thing.w, thing.h - 22, thing.color)
                raster.fill(thing.x + thing.w / 5, thing.y, thing.w * 3 / 5, 14, thing.color)
                raster.fill(thing.x + thing.w / 5 + 4, thing.y + 3, thing.w * 3 / 5 - 8, 9, (180, 210, 230))
                raster.disc(thing.x + thing.w / 5, thing.y + thing.h - 12, 11, (20, 20, 20))
                raster.disc(thing.x + thing.w * 4 / 5, thing.y + thing.h - 12, 11, (20, 20, 20))
            } else {
                raster.disc(thing.x + thing.w / 2, thing.y + 7, 7, (230, 190, 160))
                raster.fill(thing.x + 2, thing.y + 14, thing.w - 4, 24, thing.color)
                raster.fill(thing.x + 3, thing.y + 38, 5, 18, (40, 40, 60))
                raster.fill(thing.x + thing.w - 8, thing.y + 38, 5, 18, (40, 40, 60))
            }
        }
        return raster.png()
    }
}

/// One frame of the traffic clip: a car drives left to right while a person crosses the other way and
/// leaves the picture.
struct TrafficFrame {
    let frame: Int
    let count: Int

    func png() -> [UInt8] {
        var raster = Raster(width: 320, height: 200)
        raster.fill(0, 0, 320, 90, (150, 190, 235))
        raster.fill(0, 90, 320, 30, (190, 190, 180))
        raster.fill(0, 120, 320, 80, (70, 70, 75))
        let t = Double(frame) / Double(max(1, count - 1))
        let carX = Int(-20 + t * 260)
        raster.fill(carX, 140, 80, 24, (200, 40, 40))
        raster.fill(carX + 16, 130, 48, 12, (200, 40, 40))
        raster.disc(carX + 16, 166, 8, (20, 20, 20))
        raster.disc(carX + 64, 166, 8, (20, 20, 20))
        let personX = Int(300 - t * 360)
        raster.disc(personX + 6, 104, 5, (230, 190, 160))
        raster.fill(personX, 110, 12, 20, (60, 150, 70))
        raster.fill(personX + 1, 130, 4, 14, (40, 40, 60))
        raster.fill(personX + 7, 130, 4, 14, (40, 40, 60))
        // The frame number in the corner, as dots: a worker sees the clip advance.
        for bit in 0..<5 where frame & (1 << bit) != 0 { raster.fill(300 - bit * 8, 6, 6, 6, (255, 255, 255)) }
        return raster.png()
    }
}

/// A small deterministic random number generator, so the demo draws the same pictures every time.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
