import Foundation
import GlossCore

/// In-process measurements of the image and video hot paths: checking a value of many boxes on submit,
/// exact polygon IoU (the quality issue's matching), track interpolation, and the COCO and PNG-mask exports.
enum BenchImageTypes {
    static func run() throws -> [BenchTaskTypes.Result] {
        typealias Result = BenchTaskTypes.Result
        var results: [Result] = []
        let schema = try LabelSchema.parse(try JSONValue.parse("""
            {"fields": [{"name": "objects", "type": "boxes", "labels": [{"value": "car", "attributes": [{"name": "occluded", "type": "boolean"}]}, "person"]},
                        {"name": "mask", "type": "masks", "labels": ["lesion"], "required": false}]}
            """))
        let data: [String: JSONValue] = ["image": .string("https://images.test/street.jpg"), "width": .number(4000), "height": .number(3000)]
        let boxes = JSONValue.array((0..<200).map { index -> JSONValue in
            let attributes: JSONValue = index % 2 == 0 ? .object(["occluded": .bool(index % 4 == 0)]) : .object([:])
            var box: [String: JSONValue] = ["id": .string("b\(index)"), "label": .string(index % 2 == 0 ? "car" : "person")]
            box["x"] = .number(Double(index * 19 % 3800))
            box["y"] = .number(Double(index * 13 % 2800))
            box["width"] = .number(120)
            box["height"] = .number(80)
            box["attributes"] = attributes
            return .object(box)
        })
        let value = JSONValue.object(["objects": boxes])
        precondition(schema.validate(value, data: data).isEmpty, "the benchmark's value must be valid")
        let (validated, validationSeconds) = BenchTaskTypes.time {
            var valid = 0
            for _ in 0..<2_000 where schema.validate(value, data: data).isEmpty { valid += 1 }
            return valid
        }
        results.append(Result(measurement: "validate a 200-box value on a 4000×3000 image", count: validated, seconds: validationSeconds, unit: "values/s"))

        func star(_ points: Int, center: Point, phase: Double) -> Polygon {
            Polygon((0..<points).map { index in
                let angle = Double(index) / Double(points) * 2 * .pi + phase
                let radius = index % 2 == 0 ? 100.0 : 60.0
                return Point(center.x + radius * cos(angle), center.y + radius * sin(angle))
            })
        }
        let a = star(50, center: Point(200, 200), phase: 0), b = star(50, center: Point(240, 220), phase: 0.3)
        let (pairs, iouSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<2_000 where a.iou(b) > 0 { count += 1 }
            return count
        }
        results.append(Result(measurement: "exact IoU of two 50-point concave polygons", count: pairs, seconds: iouSeconds, unit: "pairs/s"))

        let keyframes = (0..<1_000).map { TrackKeyframe(frame: $0 * 10, box: Box(x: Double($0), y: 10, width: 50, height: 40)) }
        let (lookups, lookupSeconds) = BenchTaskTypes.time {
            var count = 0
            for frame in 0..<200_000 where trackBox(at: frame % 10_000, keyframes: keyframes) != nil { count += 1 }
            return count
        }
        results.append(Result(measurement: "box of a 1,000-keyframe track at a frame", count: lookups, seconds: lookupSeconds, unit: "frames/s"))

        let valueJSON = value.jsonText
        let tasks = (0..<2_000).map { index in
            ExportedTask(id: UUID().uuidString.lowercased(), externalID: "street-\(index)", dataJSON: JSONValue.object(data).jsonText, prelabelsJSON: "[]",
                         annotations: [ExportedAnnotation(id: UUID().uuidString.lowercased(), worker: "w@x.test", valueJSON: valueJSON,
                                                          timeSpentSeconds: 30, createdAt: Date())])
        }
        let (encoded, cocoSeconds) = BenchTaskTypes.time {
            var encoder = DatasetEncoder(format: .coco, schema: schema)
            var bytes = 0
            for pass in 0..<2 {
                bytes += encoder.begin(pass: pass).count
                bytes += (try? encoder.encode(tasks, media: [:]))?.count ?? 0
            }
            bytes += encoder.finish().count
            return bytes > 0 ? tasks.count : 0
        }
        results.append(Result(measurement: "COCO export of images with 200 boxes each", count: encoded, seconds: cocoSeconds, unit: "images/s"))

        var bitmap = [UInt8](repeating: 0, count: 1024 * 768)
        for row in 200..<500 { for column in (300 + row / 4)..<(700 - row / 5) { bitmap[row * 1024 + column] = 1 } }
        let mask = RunLengthMask(width: 1024, height: 768, bitmap: bitmap)
        let (masks, maskSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<20 {
                let png = PNG.encode(width: mask.width, height: mask.height, color: .gray, pixels: mask.bitmap().map { $0 == 0 ? 0 : 255 })
                if !png.isEmpty { count += 1 }
            }
            return count
        }
        results.append(Result(measurement: "PNG of a 1024×768 mask from its RLE", count: masks, seconds: maskSeconds, unit: "masks/s"))
        return results
    }
}
