import Foundation
import GlossCore
import Testing

@Suite("Image and video fields, media checks, dataset files")
struct ImageFieldTests {
    let imageData = #"{"image": "/api/v1/media/6f1c2a57-1111-4222-8333-944455556666", "width": 100, "height": 50}"#

    @Test func boxesAreCheckedAgainstTheImage() throws {
        let fixture = try SchemaFixture(#"""
            {"name": "objects", "type": "boxes", "parents": true, "labels": [{"value": "shoe", "attributes": [
              {"name": "occluded", "type": "boolean"}, {"name": "kind", "options": ["running", "formal"], "required": true}]},
              {"value": "sole"}]}
            """#)
        let good = #"""
            {"objects": [{"id": "b1", "label": "shoe", "x": 10, "y": 5, "width": 50, "height": 40, "attributes": {"kind": "running", "occluded": true}},
            {"id": "b2", "label": "sole", "x": 10, "y": 35, "width": 50, "height": 10, "parent": "b1"}]}
            """#
        #expect(try fixture.errors(good, data: imageData).isEmpty)
        #expect(try fixture.messages(#"{"objects": [{"id": "b1", "label": "sole", "x": 90, "y": 0, "width": 20, "height": 10}]}"#,
                                     data: imageData, at: "value.objects[0]") == ["lies outside the image (x 110 > width 100)"])
        #expect(try fixture.messages(#"{"objects": [{"id": "b1", "label": "shoe", "x": 0, "y": 0, "width": 20, "height": 10}]}"#,
                                     data: imageData, at: "value.objects[0].attributes.kind") == ["is required"])
        #expect(try fixture.messages(#"{"objects": [{"id": "b1", "label": "sole", "x": 0, "y": 0, "width": 0, "height": 10}]}"#,
                                     data: imageData, at: "value.objects[0].width") == ["must be positive"])
        let cycle = #"""
            {"objects": [{"id": "a", "label": "sole", "x": 0, "y": 0, "width": 5, "height": 5, "parent": "b"},
            {"id": "b", "label": "sole", "x": 0, "y": 0, "width": 5, "height": 5, "parent": "a"}]}
            """#
        #expect(try fixture.messages(cycle, data: imageData, at: "value.objects[0].parent") == ["parents form a cycle"])
        #expect(try fixture.messages(#"{"objects": [{"id": "a", "label": "car", "x": 0, "y": 0, "width": 5, "height": 5}]}"#,
                                     data: imageData, at: "value.objects[0].label") == ["'car' is not a label of this field (labels: shoe, sole)"])
        // The task must hold an image URL.
        #expect(fixture.schema.checkData(["image": .string("javascript:alert(1)")]).map(\.field) == ["data.image"])
    }

    @Test func polygonsKeypointsMasksTracksEvents() throws {
        let fixture = try SchemaFixture(#"""
            {"name": "regions", "type": "polygons", "labels": ["road"], "required": false},
            {"name": "pose", "type": "keypoints", "points": [{"name": "nose", "sigma": 0.026}, {"name": "tail"}], "skeleton": [["nose", "tail"]], "required": false},
            {"name": "mask", "type": "masks", "labels": ["lesion"], "required": false}
            """#)
        #expect(try fixture.messages(#"{"regions": [{"id": "p", "label": "road", "points": [[0,0],[10,10],[10,0],[0,10]]}]}"#,
                                     data: imageData, at: "value.regions[0].points") == ["cross themselves: the outline must not intersect itself"])
        #expect(try fixture.messages(#"{"regions": [{"id": "p", "label": "road", "points": [[0,0],[10,10]]}]}"#,
                                     data: imageData, at: "value.regions[0].points") == ["needs at least 3 points (has 2)"])
        #expect(try fixture.errors(#"{"pose": [{"id": "k", "label": "object", "keypoints": [[5, 5, 2], [0, 0, 0]]}]}"#, data: imageData).isEmpty)
        #expect(try fixture.messages(#"{"pose": [{"id": "k", "label": "object", "keypoints": [[5, 5, 2]]}]}"#,
                                     data: imageData, at: "value.pose[0].keypoints") == ["needs one [x, y, v] per point of the schema: 2 (has 1)"])
        #expect(try fixture.errors(#"{"mask": [{"label": "lesion", "rle": {"size": [50, 100], "counts": [10, 4990]}}]}"#, data: imageData).isEmpty)
        #expect(try fixture.messages(#"{"mask": [{"label": "lesion", "rle": {"size": [100, 50], "counts": [10, 4990]}}]}"#,
                                     data: imageData, at: "value.mask[0].rle.size").count == 1)

        let video = try SchemaFixture(#"""
            {"name": "objects", "type": "tracks", "labels": ["car"]},
            {"name": "actions", "type": "events", "labels": ["turn"], "required": false}
            """#)
        let frames = #"{"video": ["https://x.test/0.jpg", "https://x.test/1.jpg", "https://x.test/2.jpg"], "width": 64, "height": 48}"#
        let track = #"""
            {"objects": [{"id": "t1", "label": "car", "keyframes": [{"frame": 0, "x": 1, "y": 1, "width": 5, "height": 5},
            {"frame": 2, "outside": true}]}],
            "actions": [{"id": "e1", "label": "turn", "start": 0, "end": 3}]}
            """#
        #expect(try video.errors(track, data: frames).isEmpty)
        let late = #"""
            {"objects": [{"id": "t1", "label": "car", "keyframes": [{"frame": 3, "x": 1, "y": 1, "width": 5, "height": 5}]}],
            "actions": [{"id": "e1", "label": "turn", "start": 2, "end": 2}]}
            """#
        let errors = try video.errors(late, data: frames)
        #expect(errors.map(\.field) == ["value.objects[0].keyframes[0].frame", "value.actions[0].end"])
    }

    @Test func mediaTypesAreReadFromTheBytes() {
        let png = PNG.encode(width: 3, height: 2, color: .rgb, pixels: [UInt8](repeating: 200, count: 18))
        guard case .success(let description) = MediaInspector.inspectImage(png) else { Issue.record("a good PNG was refused"); return }
        #expect(description.contentType == "image/png" && description.width == 3 && description.height == 2)
        guard case .failure(.corrupt) = MediaInspector.inspectImage(Array(png.prefix(png.count - 6))) else {
            Issue.record("a truncated PNG was accepted"); return
        }
        var damaged = png
        damaged[40] ^= 0xFF
        guard case .failure(.corrupt) = MediaInspector.inspectImage(damaged) else { Issue.record("a PNG with a bad CRC was accepted"); return }
        guard case .failure(.unsupported) = MediaInspector.inspectImage(Array("just some text, named photo.jpg".utf8)) else {
            Issue.record("text was taken for an image"); return
        }
        // A JPEG: SOI, a frame header (SOF0, 16×8), a scan, EOI; cut before EOI it is truncated.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
                             0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9]
        guard case .success(let jpegDescription) = MediaInspector.inspectImage(jpeg) else { Issue.record("a good JPEG was refused"); return }
        #expect(jpegDescription.width == 16 && jpegDescription.height == 8)
        guard case .failure(.corrupt) = MediaInspector.inspectImage(Array(jpeg.dropLast(2))) else { Issue.record("a truncated JPEG was accepted"); return }
        #expect(MediaInspector.sniff(Array("\0\0\0\u{18}ftypisom".utf8))?.kind == .video)
        #expect(MediaInspector.sniff([0x1A, 0x45, 0xDF, 0xA3] + Array("....webm".utf8))?.contentType == "video/webm")
    }

    /// The zip's central directory lists every entry at the offset of its local header, with its CRC.
    @Test func zipArchivesAreWellFormed() {
        var writer = ZipWriter()
        var archive = writer.entry("labels/a.txt", Array("0 0.5 0.5 0.1 0.1\n".utf8))
        let second = writer.uniqueName("labels/a.txt")
        #expect(second == "labels/a_2.txt")
        archive += writer.entry(second, Array("x".utf8))
        archive += writer.finish()
        func u32(_ offset: Int) -> Int { Int(archive[offset]) | Int(archive[offset + 1]) << 8 | Int(archive[offset + 2]) << 16 | Int(archive[offset + 3]) << 24 }
        func u16(_ offset: Int) -> Int { Int(archive[offset]) | Int(archive[offset + 1]) << 8 }
        let end = archive.count - 22
        #expect(u32(end) == 0x0605_4B50)
        #expect(u16(end + 10) == 2)
        var record = u32(end + 16)
        var names: [String] = []
        for _ in 0..<2 {
            #expect(u32(record) == 0x0201_4B50)
            let nameLength = u16(record + 28)
            let local = u32(record + 42)
            #expect(u32(local) == 0x0403_4B50)
            let size = u32(record + 24)
            let content = Array(archive[(local + 30 + u16(local + 26))..<(local + 30 + u16(local + 26) + size)])
            #expect(UInt32(u32(record + 16)) == Checksum.crc32(content))
            names.append(String(decoding: archive[(record + 46)..<(record + 46 + nameLength)], as: UTF8.self))
            record += 46 + nameLength
        }
        #expect(names == ["labels/a.txt", "labels/a_2.txt"])
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func cocoPrelabelsBecomeBoxes() throws {
        let schema = try LabelSchema.parse(try JSONValue.parse(#"{"fields": [{"name": "objects", "type": "boxes", "labels": ["car"]}]}"#))
        let coco = try COCOPrelabels.parse(try JSONValue.parse(#"""
            {"images": [{"id": 7, "file_name": "dir/a.jpg"}], "categories": [{"id": 3, "name": "car"}, {"id": 4, "name": "tree"}],
             "annotations": [{"image_id": 7, "category_id": 3, "bbox": [1.234, 2, 30, 40]}, {"image_id": 7, "category_id": 4, "bbox": [0, 0, 1, 1]}]}
            """#))
        let value = COCOPrelabels.value(of: schema.fields[0].kind, annotations: coco.annotationsByFile["a.jpg"] ?? [])
        #expect(value == (try JSONValue.parse(#"[{"id": "b1", "label": "car", "x": 1.23, "y": 2, "width": 30, "height": 40}]"#)))
        #expect(throws: FieldError.self) {
            _ = try COCOPrelabels.parse(try JSONValue.parse(#"{"images": [], "categories": [], "annotations": [{"image_id": 1, "category_id": 1}]}"#))
        }
    }
}
