import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

/// Media over HTTP: upload checked by its bytes, served with ranges to those who may see it, boxes checked
/// against the stored image size, and the COCO export and pre-labels over it.
@Suite("Media and image annotation over the API") struct MediaAPITests {
    static let boundary = "gloss-test-boundary"

    static func multipart(_ files: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes
            body += Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    func upload(_ t: TestApp, _ projectID: String, token: String, _ files: [(name: String, bytes: [UInt8])]) async throws -> TestApp.Reply {
        try await t.request(.POST, "/api/v1/projects/\(projectID)/media", token: token, bytes: Self.multipart(files),
                            contentType: "multipart/form-data; boundary=\(Self.boundary)")
    }

    @Test func uploadServeValidateExport() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let schema = #"{"fields": [{"name": "objects", "type": "boxes", "labels": ["car", "person"]}]}"#
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": \"Streets\", \"schema\": \(schema)}")
            let projectID = try #require(created.string("id"))

            let png = PNG.encode(width: 40, height: 30, color: .rgb, pixels: (0..<(40 * 30 * 3)).map { UInt8($0 % 251) })
            let uploaded = try await upload(t, projectID, token: requester.token, [("street.png", png)])
            #expect(uploaded.status == .created, "\(uploaded.body)")
            let media = try #require(uploaded.json["media"]?.arrayValue?.first)
            #expect(media["width"]?.intValue == 40 && media["height"]?.intValue == 30)
            #expect(media["content_type"]?.stringValue == "image/png")
            #expect(media["file_name"]?.stringValue == "street.png")
            let url = try #require(media["url"]?.stringValue)

            // The bytes, a range of them, and the cache answer.
            let whole = try await t.request(.GET, url, token: worker.token, validate: false)
            #expect(whole.status == .ok && whole.bytes == png)
            #expect(whole.headers.first(name: .cacheControl)?.contains("private") == true)
            let range = try await t.request(.GET, url, token: worker.token, headers: ["Range": "bytes=8-15"], validate: false)
            #expect(range.status == .partialContent && range.bytes == Array(png[8...15]))
            let eTag = try #require(whole.headers.first(name: .eTag))
            let cached = try await t.request(.GET, url, token: worker.token, headers: ["If-None-Match": eTag], validate: false)
            #expect(cached.status == .notModified)
            // Another organization sees nothing; nor does anyone signed out.
            let outsider = try await t.makeUser(.requester, organization: "Org B")
            #expect(try await t.request(.GET, url, token: outsider.token, validate: false).status == .notFound)
            #expect(try await t.request(.GET, url, validate: false).status == .unauthorized)

            // Refused: a text named .jpg (415), a truncated PNG (422), and with them nothing is stored.
            let text = try await upload(t, projectID, token: requester.token, [("ok.png", png), ("photo.jpg", Array("hello".utf8))])
            #expect(text.status == .unsupportedMediaType)
            #expect(text.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "file[1]")
            let truncated = try await upload(t, projectID, token: requester.token, [("cut.png", Array(png.prefix(png.count / 2)))])
            #expect(truncated.status == .unprocessableEntity)
            let list = try await t.request(.GET, "/api/v1/projects/\(projectID)/media", token: requester.token)
            #expect(list.json["media"]?.arrayValue?.count == 1)
            #expect(try await upload(t, projectID, token: worker.token, [("w.png", png)]).status == .forbidden)

            // A box past the stored width is refused; one inside is stored and exported as COCO.
            let imported = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                               json: "[{\"external_id\": \"s1\", \"data\": {\"image\": \"\(url)\"}}]")
            #expect(imported.status == .created, "\(imported.body)")
            let next = try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token)
            let taskID = try #require(next.string("id"))
            let outside = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                              json: #"{"value": {"objects": [{"id": "b1", "label": "car", "x": 30, "y": 0, "width": 20, "height": 10}]}}"#)
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.objects[0]")
            let good = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                           json: #"{"value": {"objects": [{"id": "b1", "label": "person", "x": 5, "y": 6, "width": 10, "height": 12}]}}"#)
            #expect(good.status == .created, "\(good.body)")
            // The same media named with an upper-case id is the same image, with the same size.
            let upper = "/api/v1/media/" + url.dropFirst("/api/v1/media/".count).uppercased()
            _ = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                    json: "[{\"external_id\": \"s2\", \"data\": {\"image\": \"\(upper)\"}}]")
            let second = try #require(try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token).string("id"))
            let outsideAgain = try await t.request(.POST, "/api/v1/tasks/\(second)/annotations", token: worker.token,
                                                   json: #"{"value": {"objects": [{"id": "b1", "label": "car", "x": 30, "y": 0, "width": 20, "height": 10}]}}"#)
            #expect(outsideAgain.status == .unprocessableEntity)
            let coco = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=coco", token: requester.token)
            #expect(coco.status == .ok)
            #expect(coco.json["images"]?.arrayValue?.first?["file_name"]?.stringValue == "street.png")
            #expect(coco.json["images"]?.arrayValue?.map { $0["width"]?.intValue } == [40, 40])
            let annotation = try #require(coco.json["annotations"]?.arrayValue?.first)
            #expect(annotation["bbox"] == .array([5, 6, 10, 12].map { JSONValue.number($0) }))
            #expect(annotation["category_id"]?.intValue == 2)
            // A format the schema cannot fill is refused.
            let mot = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=mot", token: requester.token)
            #expect(mot.status == .unprocessableEntity)
            let voc = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=voc", token: requester.token, validate: false)
            #expect(voc.status == .ok && voc.headers.first(name: .contentType) == "application/zip")
            #expect(Array(voc.bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            #expect(String(decoding: voc.bytes, as: UTF8.self).contains("<xmin>6</xmin><ymin>7</ymin><xmax>15</xmax><ymax>18</ymax>"))
        }
    }

    @Test func cocoPrelabelsMatchByFileName() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let schema = #"{"fields": [{"name": "objects", "type": "boxes", "labels": ["car"]}]}"#
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": \"Pre\", \"schema\": \(schema)}")
            let projectID = try #require(created.string("id"))
            let imported = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                               json: #"[{"data": {"image": "https://images.test/a/cars_01.jpg", "width": 200, "height": 100}}]"#)
            #expect(imported.status == .created)
            let coco = #"""
                {"images": [{"id": 1, "file_name": "cars_01.jpg"}, {"id": 2, "file_name": "missing.jpg"}],
                 "categories": [{"id": 9, "name": "car"}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 9, "bbox": [10, 20, 30, 40], "score": 0.9}]}
                """#
            let reply = try await t.request(.POST, "/api/v1/projects/\(projectID)/prelabels?format=coco&model=detector", token: requester.token, json: coco)
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.json["matched_images"]?.intValue == 1)
            #expect(reply.json["unmatched_images"] == .array(["missing.jpg"]))
            let next = try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token)
            let prelabel = try #require(next.json["prelabels"]?.arrayValue?.first)
            #expect(prelabel["model"]?.stringValue == "detector")
            #expect(prelabel["value"]?["objects"]?.arrayValue?.first?["width"]?.numberValue == 30)
            // A box outside the image's declared size is refused, and nothing is added.
            let outside = coco.replacingOccurrences(of: "[10, 20, 30, 40]", with: "[190, 20, 30, 40]")
            let refused = try await t.request(.POST, "/api/v1/projects/\(projectID)/prelabels", token: requester.token, json: outside)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.json["errors"]?.arrayValue?.first?["field"]?.stringValue?.hasPrefix("images[cars_01.jpg].objects[0]") == true)
        }
    }
}
