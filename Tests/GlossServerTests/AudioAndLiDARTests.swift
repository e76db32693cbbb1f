import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

/// Audio and point clouds over HTTP: uploads checked by their content (good and corrupt files of each format),
/// waveform peaks and compact points served, segments, transcripts and cuboids validated at submit, the RTTM,
/// WebVTT, SRT and KITTI exports, and a worker's recording.
@Suite("Audio and LiDAR over the API") struct AudioAndLiDARTests {
    /// A tone of `seconds` at 16 kHz mono: 440 Hz at `amplitude` (0 is silence).
    static func tone(seconds: Double, amplitude: Double = 0.5, rate: Int = 16_000) -> [UInt8] {
        let count = Int(seconds * Double(rate))
        let samples = (0..<count).map { Int16((amplitude * 32767 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))).rounded()) }
        return WAVFile.encode(samples: samples, sampleRate: rate)
    }

    /// The same sound in another container, made with ffmpeg (installed by the test script).
    static func converted(_ wav: [UInt8], to fileExtension: String) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-audio-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(wav).write(to: URL(fileURLWithPath: "\(folder)/in.wav"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(VideoFrames.tool("ffmpeg")))
        let codec = ["mp3": ["-c:a", "libmp3lame"], "ogg": ["-c:a", "libvorbis"], "flac": ["-c:a", "flac"]][fileExtension] ?? []
        process.arguments = ["-v", "error", "-nostdin", "-y", "-i", "\(folder)/in.wav"] + codec + ["\(folder)/out.\(fileExtension)"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/out.\(fileExtension)")))
    }

    /// The entries of a stored (uncompressed) zip, as Gloss writes them.
    static func zipEntries(_ bytes: [UInt8]) -> [String: String] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var entries: [String: String] = [:]
        var offset = 0
        while offset + 30 <= bytes.count, u32(offset) == 0x0403_4B50 {
            let size = u32(offset + 18), nameLength = u16(offset + 26), extraLength = u16(offset + 28)
            let name = String(decoding: bytes[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
            let start = offset + 30 + nameLength + extraLength
            entries[name] = String(decoding: bytes[start..<(start + size)], as: UTF8.self)
            offset = start + size
        }
        return entries
    }

    func upload(_ t: TestApp, _ projectID: String, token: String, _ files: [(name: String, bytes: [UInt8])]) async throws -> TestApp.Reply {
        try await t.request(.POST, "/api/v1/projects/\(projectID)/media", token: token, bytes: MediaAPITests.multipart(files),
                            contentType: "multipart/form-data; boundary=\(MediaAPITests.boundary)")
    }

    @Test func audioUploadsSegmentsTranscriptsAndExports() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let schema = """
                {"fields": [
                  {"name": "speakers", "type": "segments", "speakers": true, "labels": [{"value": "Agent", "hotkey": "a"}, {"value": "Caller", "hotkey": "c"}]},
                  {"name": "transcript", "type": "transcript", "segments": "speakers"},
                  {"name": "noise", "type": "segments", "required": false, "overlap": true, "labels": ["traffic", "music"]},
                  {"name": "intent", "type": "choice", "options": ["order_status", "refund"]}
                ]}
                """
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": \"Calls\", \"schema\": \(schema)}")
            let projectID = try #require(created.string("id"))

            // Good files of each format: duration, rate and channels read from the content.
            let wav = Self.tone(seconds: 2)
            let uploaded = try await upload(t, projectID, token: requester.token, [
                ("call one.wav", wav), ("call.flac", try Self.converted(wav, to: "flac")),
                ("call.mp3", try Self.converted(wav, to: "mp3")), ("call.ogg", try Self.converted(wav, to: "ogg")),
            ])
            #expect(uploaded.status == .created, "\(uploaded.body)")
            let media = try #require(uploaded.json["media"]?.arrayValue)
            #expect(media.map { $0["content_type"]?.stringValue } == ["audio/wav", "audio/flac", "audio/mpeg", "audio/ogg"])
            for item in media {
                #expect(item["kind"]?.stringValue == "audio")
                #expect(abs((item["duration_s"]?.numberValue ?? 0) - 2) < 0.1, "\(item)")
                #expect(item["sample_rate"]?.intValue == 16_000 && item["channels"]?.intValue == 1)
                #expect(abs((item["peak_dbfs"]?.numberValue ?? 0) - -6) < 0.5, "\(item)")
            }
            let url = try #require(media[0]["url"]?.stringValue)
            // The waveform: 100 (min, max) pairs a second, a 0.5 tone reaching about ±64.
            let peaks = try await t.request(.GET, try #require(media[0]["peaks_url"]?.stringValue), token: worker.token, validate: false)
            #expect(peaks.status == .ok && peaks.bytes.count == 400)
            #expect(peaks.bytes.prefix(2).map { Int8(bitPattern: $0) } == [-64, 64])

            // Corrupt or foreign files are refused, and nothing of the upload is kept.
            var truncated = wav
            truncated.removeLast(wav.count / 2)
            let cut = try await upload(t, projectID, token: requester.token, [("ok.wav", wav), ("cut.wav", truncated)])
            #expect(cut.status == .unprocessableEntity, "\(cut.body)")
            #expect(cut.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "file[1]")
            let badOgg = try await upload(t, projectID, token: requester.token, [("bad.ogg", Array("OggS".utf8) + [UInt8](repeating: 0, count: 24) + Array("\u{01}vorbis".utf8) + [UInt8](repeating: 7, count: 200))])
            #expect(badOgg.status == .unprocessableEntity, "\(badOgg.body)")
            let noise = try await upload(t, projectID, token: requester.token, [("song.mp3", [UInt8](repeating: 0x41, count: 300))])
            #expect(noise.status == .unsupportedMediaType)
            #expect(try await t.request(.GET, "/api/v1/projects/\(projectID)/media", token: requester.token).json["media"]?.arrayValue?.count == 4)

            // A task on the WAV; the worker's answer is checked against the schema and the audio's length.
            let imported = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                               json: "[{\"external_id\": \"c1\", \"data\": {\"audio\": \"\(url)\"}}]")
            #expect(imported.status == .created, "\(imported.body)")
            let missing = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                              json: #"[{"external_id": "c2", "data": {"audio": 3}}]"#)
            #expect(missing.status == .unprocessableEntity)
            let taskID = try #require(try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token).string("id"))
            func submit(_ value: String) async throws -> TestApp.Reply {
                try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: "{\"value\": \(value)}")
            }
            func firstError(_ reply: TestApp.Reply) -> String? { reply.json["errors"]?.arrayValue?.first?["field"]?.stringValue }
            let overlapping = try await submit(#"{"speakers": [{"id": "s1", "label": "Agent", "start": 0, "end": 1}, {"id": "s2", "label": "Caller", "start": 0.5, "end": 1.5}], "intent": "refund"}"#)
            #expect(overlapping.status == .unprocessableEntity && firstError(overlapping) == "value.speakers[1].start", "\(overlapping.body)")
            let pastEnd = try await submit(#"{"speakers": [{"id": "s1", "label": "Agent", "start": 1.5, "end": 2.5}], "transcript": [{"segment": "s1", "text": "hi"}], "intent": "refund"}"#)
            #expect(pastEnd.status == .unprocessableEntity && firstError(pastEnd) == "value.speakers[0].end", "\(pastEnd.body)")
            let badTag = try await submit(#"{"speakers": [{"id": "s1", "label": "Agent", "start": 0.1, "end": 0.9}], "transcript": [{"segment": "s1", "text": "hello [cough]"}], "intent": "refund"}"#)
            #expect(badTag.status == .unprocessableEntity && firstError(badTag) == "value.transcript[0].text", "\(badTag.body)")
            let untranscribed = try await submit(#"{"speakers": [{"id": "s1", "label": "Agent", "start": 0.1, "end": 0.9}], "intent": "refund"}"#)
            #expect(untranscribed.status == .unprocessableEntity && firstError(untranscribed) == "value.transcript", "\(untranscribed.body)")
            let good = try await submit("""
                {"speakers": [{"id": "s1", "label": "Agent", "start": 0.1, "end": 0.9}, {"id": "s2", "label": "Caller", "start": 1, "end": 1.95}],
                 "transcript": [{"segment": "s2", "text": "%um my order <b>&</b> [noise]"}, {"segment": "s1", "text": "Good morning"}],
                 "noise": [{"id": "n1", "label": "traffic", "start": 0.5, "end": 1.5}, {"id": "n2", "label": "music", "start": 0.6, "end": 1.2}],
                 "intent": "order_status"}
                """)
            #expect(good.status == .created, "\(good.body)")

            // RTTM: the speaker turns (the speakers field only), named by the file.
            let rttm = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=rttm", token: requester.token, validate: false)
            #expect(rttm.status == .ok)
            #expect(rttm.body == "SPEAKER call_one 1 0.100 0.800 <NA> <NA> Agent <NA> <NA>\nSPEAKER call_one 1 1.000 0.950 <NA> <NA> Caller <NA> <NA>\n")
            // WebVTT and SRT: one file per audio, cues in time order with the speaker, the text escaped.
            let vtt = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=webvtt", token: requester.token, validate: false)
            let vttFiles = Self.zipEntries(vtt.bytes)
            #expect(vttFiles["call_one.vtt"]?.hasPrefix("WEBVTT\n\n00:00:00.100 --> 00:00:00.900\n<v Agent>Good morning\n") == true, "\(vttFiles)")
            #expect(vttFiles["call_one.vtt"]?.contains("<v Caller>%um my order &lt;b&gt;&amp;&lt;/b&gt; [noise]") == true, "\(vttFiles)")
            let srt = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=srt", token: requester.token, validate: false)
            #expect(Self.zipEntries(srt.bytes)["call_one.srt"]?.hasPrefix("1\n00:00:00,100 --> 00:00:00,900\nAgent: Good morning\n\n2\n") == true)
            // KITTI needs a cuboids field.
            #expect(try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=kitti", token: requester.token, validate: false).status == .unprocessableEntity)
        }
    }

    /// A small ASCII PCD of four points.
    static let asciiPCD = """
        # .PCD v0.7 - Point Cloud Data file format
        VERSION 0.7
        FIELDS x y z intensity
        SIZE 4 4 4 4
        TYPE F F F F
        COUNT 1 1 1 1
        WIDTH 4
        HEIGHT 1
        VIEWPOINT 0 0 0 1 0 0 0
        POINTS 4
        DATA ascii
        10 1 -0.5 0.2
        10.5 1.2 0 0.4
        11 0.8 0.5 0.6
        -3 -4 -1.6 0.1

        """

    static func kittiBin(_ points: [[Float]]) -> [UInt8] {
        points.flatMap { point in point.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) } }
    }

    @Test func pointCloudUploadsCuboidsAndKITTI() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let schema = #"{"fields": [{"name": "objects", "type": "cuboids", "labels": [{"value": "Car", "hotkey": "c"}, "Pedestrian"]}]}"#
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": \"Roads\", \"schema\": \(schema)}")
            let projectID = try #require(created.string("id"))

            let binary = Self.kittiBin([[1, 2, 3, 0.5], [4, 5, 6, 0.25], [-1, 0, 1, 1]])
            // A .bin whose first float reads like an MP3 frame header (FF E2 …) is still a point cloud.
            let mp3ish = Self.kittiBin([[Float(bitPattern: 0x4120_E2FF), 0, 0, 0], [1, 1, 1, 1]])
            let lookalike = try await upload(t, projectID, token: requester.token, [("000099.bin", mp3ish)])
            #expect(lookalike.status == .created && lookalike.json["media"]?[0]?["kind"]?.stringValue == "pointcloud", "\(lookalike.body)")
            let uploaded = try await upload(t, projectID, token: requester.token, [("000042.pcd", Array(Self.asciiPCD.utf8)), ("000043.bin", binary)])
            #expect(uploaded.status == .created, "\(uploaded.body)")
            let media = try #require(uploaded.json["media"]?.arrayValue)
            #expect(media.map { $0["point_count"]?.intValue } == [4, 3])
            #expect(media.map { $0["format"]?.stringValue } == ["pcd", "kitti_bin"])
            #expect(media[1]["bounds"]?["max"]?.arrayValue?.compactMap(\.numberValue) == [4, 5, 6])
            let points = try await t.request(.GET, try #require(media[0]["points_url"]?.stringValue), token: worker.token, validate: false)
            #expect(points.status == .ok && Array(points.bytes.prefix(4)) == Array("GPC1".utf8))
            #expect(CompactPoints.decode(points.bytes)?.count == 4)

            // Corrupt clouds: a PCD with fewer points than it says, a .bin whose size is not whole points, a NaN-free infinity.
            let short = Self.asciiPCD.replacingOccurrences(of: "-3 -4 -1.6 0.1\n", with: "")
            // A compressed PCD whose header claims far more than its bytes can unpack to is refused before allocating.
            let lie = Array("VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 5000000\nHEIGHT 1\nPOINTS 5000000\nDATA binary_compressed\n".utf8)
                + [4, 0, 0, 0] + withUnsafeBytes(of: UInt32(60_000_000).littleEndian, Array.init) + [0, 0, 0, 0]
            for (name, bytes) in [("short.pcd", Array(short.utf8)), ("odd.bin", Array(binary.dropLast(3))),
                                  ("inf.bin", Self.kittiBin([[1, 2, Float.infinity, 0]])), ("lie.pcd", lie)] {
                let refused = try await upload(t, projectID, token: requester.token, [(name, bytes)])
                #expect(refused.status == .unprocessableEntity, "\(name): \(refused.body)")
                #expect(refused.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "file[0]")
            }

            // A sequence of the two clouds with a calibration, and a single cloud without one.
            let first = try #require(media[0]["url"]?.stringValue), second = try #require(media[1]["url"]?.stringValue)
            let calibration = Demo.demoCalibration.replacingOccurrences(of: "\n", with: "\\n")
            let badCalibration = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                                     json: "[{\"external_id\": \"x\", \"data\": {\"points\": \"\(first)\", \"calibration\": \"P2: 1 2\"}}]")
            #expect(badCalibration.status == .unprocessableEntity, "\(badCalibration.body)")
            let imported = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token, json: """
                [{"external_id": "seq", "data": {"points": ["\(first)", "\(second)"], "calibration": "\(calibration)"}},
                 {"external_id": "one", "data": {"points": "\(second)", "file_name": "000043.bin"}}]
                """)
            #expect(imported.status == .created, "\(imported.body)")
            for _ in 0..<2 {
                let task = try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token)
                let taskID = try #require(task.string("id"))
                let isSequence = task.json["data"]?["points"]?.arrayValue != nil
                let pastEnd = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: """
                    {"value": {"objects": [{"id": "c1", "label": "Car", "keyframes": [{"frame": 2, "x": 10, "y": 1, "z": -0.5, "l": 4, "w": 1.8, "h": 1.5, "yaw": 0}]}]}}
                    """)
                #expect(pastEnd.status == .unprocessableEntity)
                #expect(pastEnd.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.objects[0].keyframes[0].frame")
                let flat = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: """
                    {"value": {"objects": [{"id": "c1", "label": "Car", "keyframes": [{"frame": 0, "x": 10, "y": 1, "z": -0.5, "l": 4, "w": 0, "h": 1.5, "yaw": 0}]}]}}
                    """)
                #expect(flat.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "value.objects[0].keyframes[0].w")
                let keyframes = isSequence
                    ? #"[{"frame": 0, "x": 10, "y": 1, "z": -0.5, "l": 4, "w": 1.8, "h": 1.5, "yaw": 0}, {"frame": 1, "x": 12, "y": 1, "z": -0.5, "l": 4, "w": 1.8, "h": 1.5, "yaw": 0.1}]"#
                    : #"[{"frame": 0, "x": 5, "y": -2, "z": -0.8, "l": 0.6, "w": 0.6, "h": 1.7, "yaw": 1.2}]"#
                let good = try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token,
                                               json: "{\"value\": {\"objects\": [{\"id\": \"c1\", \"label\": \"\(isSequence ? "Car" : "Pedestrian")\", \"keyframes\": \(keyframes)}]}}")
                #expect(good.status == .created, "\(good.body)")
            }

            // KITTI: a label file and the calibration per frame of the calibrated sequence; the other is named as skipped.
            let kitti = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=kitti", token: requester.token, validate: false)
            #expect(kitti.status == .ok)
            let files = Self.zipEntries(kitti.bytes)
            #expect(Set(files.keys) == ["label_2/000042.txt", "calib/000042.txt", "label_2/000043.txt", "calib/000043.txt", "SKIPPED.txt"], "\(files.keys)")
            let calib = try KITTICalibration.parse(Demo.demoCalibration)
            let expected = KITTILabels.label(for: Cuboid(x: 10, y: 1, z: -0.5, length: 4, width: 1.8, height: 1.5, yaw: 0), type: "Car",
                                             calibration: calib).line
            #expect(files["label_2/000042.txt"] == expected + "\n")
            #expect(files["label_2/000043.txt"]?.hasPrefix("Car ") == true)
            #expect(files["calib/000042.txt"] == Demo.demoCalibration)
            #expect(files["SKIPPED.txt"]?.contains("000043.bin") == true)
            // JSONL keeps the boxes in the LiDAR frame for every task.
            let jsonl = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=jsonl", token: requester.token, validate: false)
            #expect(jsonl.body.contains("\"yaw\":1.2") && jsonl.body.contains("\"l\":4"))
        }
    }

    @Test func recordingsAreTheWorkersAndChecked() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let other = try await t.makeUser(.worker)
            let schema = #"{"fields": [{"name": "reading", "type": "recording", "prompt": "sentence", "min_seconds": 1, "max_seconds": 5}]}"#
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: "{\"name\": \"Voices\", \"schema\": \(schema)}")
            let projectID = try #require(created.string("id"))
            let imported = try await t.request(.POST, "/api/v1/projects/\(projectID)/tasks", token: requester.token,
                                               json: #"[{"external_id": "r1", "data": {"sentence": "The quick brown fox."}}, {"external_id": "r2", "data": {"sentence": "Hello."}}]"#)
            #expect(imported.status == .created, "\(imported.body)")
            let taskID = try #require(try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: worker.token).string("id"))
            func record(_ bytes: [UInt8], token: String, task: String? = nil) async throws -> TestApp.Reply {
                try await t.request(.POST, "/api/v1/tasks/\(task ?? taskID)/recordings", token: token, bytes: MediaAPITests.multipart([("take.wav", bytes)]),
                                    contentType: "multipart/form-data; boundary=\(MediaAPITests.boundary)")
            }
            // Only the worker holding the task records for it, and only audio.
            #expect(try await record(Self.tone(seconds: 2), token: other.token).status == .conflict)
            #expect(try await record(Self.tone(seconds: 2), token: requester.token).status == .forbidden)
            #expect(try await record(Array(Self.asciiPCD.utf8), token: worker.token).status == .unsupportedMediaType)
            let tooLong = try await record(Self.tone(seconds: 7), token: worker.token)
            #expect(tooLong.status == .unprocessableEntity && tooLong.body.contains("longer than 6 s"), "\(tooLong.body)")
            let short = try await record(Self.tone(seconds: 0.5), token: worker.token)
            let silent = try await record(Self.tone(seconds: 2, amplitude: 0), token: worker.token)
            let take = try await record(Self.tone(seconds: 2), token: worker.token)
            #expect(take.status == .created, "\(take.body)")
            let url = try #require(take.string("url"))
            // Nobody else's worker hears it; the requester does.
            #expect(try await t.request(.GET, url, token: other.token, validate: false).status == .notFound)
            #expect(try await t.request(.GET, url, token: requester.token, validate: false).status == .ok)

            func submit(_ audio: String) async throws -> TestApp.Reply {
                try await t.request(.POST, "/api/v1/tasks/\(taskID)/annotations", token: worker.token, json: "{\"value\": {\"reading\": {\"audio\": \"\(audio)\"}}}")
            }
            let tooShort = try await submit(try #require(short.string("url")))
            #expect(tooShort.status == .unprocessableEntity && tooShort.body.contains("record at least 1 s"), "\(tooShort.body)")
            let quiet = try await submit(try #require(silent.string("url")))
            #expect(quiet.status == .unprocessableEntity && quiet.body.contains("too quiet"), "\(quiet.body)")
            // Only the exact URL of the worker's own take counts.
            let dotted = try await submit(url + "/../" + (try #require(short.string("id"))))
            #expect(dotted.status == .unprocessableEntity, "\(dotted.body)")
            let done = try await submit(url)
            #expect(done.status == .created, "\(done.body)")

            // The other worker cannot submit this worker's recording as theirs.
            let otherTask = try #require(try await t.request(.GET, "/api/v1/projects/\(projectID)/next", token: other.token).string("id"))
            let borrowed = try await t.request(.POST, "/api/v1/tasks/\(otherTask)/annotations", token: other.token,
                                               json: "{\"value\": {\"reading\": {\"audio\": \"\(url)\"}}}")
            #expect(borrowed.status == .unprocessableEntity)
            // The export carries the prompt with the recording.
            let jsonl = try await t.request(.GET, "/api/v1/projects/\(projectID)/export?format=jsonl", token: requester.token, validate: false)
            #expect(jsonl.body.contains("The quick brown fox.") && jsonl.body.contains(url))
        }
    }
}
