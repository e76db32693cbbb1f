import Foundation
import GlossCore

/// The demo's audio and LiDAR projects. The audio is a short support call we synthesised with espeak-ng in two
/// voices, with a burst of noise mixed in by sox, committed as `Public/demo/conversation.wav` (16 kHz mono
/// 16-bit PCM, read by Gloss itself: no ffmpeg needed). The point clouds are drawn here by `SyntheticScene`: a
/// road with cars and a pedestrian, as KITTI `.bin` frames with a KITTI calibration, so every export works.
extension Demo {
    static var supportCall: ProjectSeed {
        ProjectSeed(
            name: "Support call: speakers, transcript and noise (audio)",
            schemaJSON: """
            {"fields": [
              {"name": "speakers", "type": "segments", "label": "Speakers", "speakers": true, "labels": [
                {"value": "Agent", "hotkey": "a", "color": "#4363d8"},
                {"value": "Caller", "hotkey": "c", "color": "#e6194b"}]},
              {"name": "transcript", "type": "transcript", "label": "Transcript", "segments": "speakers"},
              {"name": "noise", "type": "segments", "label": "Background noise", "required": false, "overlap": true, "labels": [
                {"value": "traffic", "label": "Traffic", "hotkey": "t"},
                {"value": "dog_bark", "label": "Dog bark", "hotkey": "d"},
                {"value": "tv", "label": "TV", "hotkey": "v"},
                {"value": "music", "label": "Music", "hotkey": "m"},
                {"value": "other_noise", "label": "Other noise", "hotkey": "o"}]},
              {"name": "intent", "type": "choice", "label": "The caller wants", "options": [
                {"value": "order_status", "label": "Order status"}, {"value": "refund", "label": "A refund"},
                {"value": "complaint", "label": "To complain"}, {"value": "other", "label": "Something else"}]}
            ]}
            """,
            guidelines: """
            Mark every stretch of speech with its speaker: play (space), press **[** where a turn starts and \
            **]** where it ends, or drag on the waveform. Pick the speaker with its key. Then write what was \
            said in each turn, word for word: hesitations as `%uh`, `%um`; a cut-off word with a dash (`thi-`); \
            `[inaudible]` where you cannot make it out; `[noise]` for sounds that are not speech. Mark any \
            background noise (traffic, a dog, a TV, music) in the noise track; it may overlap speech.
            """,
            tasks: [task("call-1", ["audio": .string("media:conversation.wav"), "file_name": .string("conversation.wav")])],
            media: {
                let path = GlossConfiguration.findPublicDirectory() + "/demo/conversation.wav"
                guard let data = FileManager.default.contents(atPath: path) else { return [] }
                return [("conversation.wav", [UInt8](data))]
            })
    }

    /// The calibration of the demo's LiDAR frames: the layout of KITTI's (a camera 0.27 m behind the LiDAR,
    /// looking forward, a 1242 × 375 image).
    static let demoCalibration = """
        P2: 721.5377 0 609.5593 44.85728 0 721.5377 172.854 0.2163791 0 0 1 0.002745884
        R0_rect: 0.9999239 0.00983776 -0.007445048 -0.009869795 0.9999421 -0.004278459 0.007402527 0.004351614 0.9999631
        Tr_velo_to_cam: 0.007533745 -0.9999714 -0.000616602 -0.004069766 0.01480249 0.0007280733 -0.9998902 -0.07631618 0.9998621 0.00752379 0.01480755 -0.2717806
        """

    static var roadScene: ProjectSeed {
        let frames = 3
        let pointsPerFrame = 120_000
        return ProjectSeed(
            name: "Road scene: 3D boxes (LiDAR)",
            schemaJSON: """
            {"fields": [
              {"name": "objects", "type": "cuboids", "label": "3D boxes", "labels": [
                {"value": "Car", "hotkey": "c", "color": "#e6194b", "attributes": [{"name": "parked", "type": "boolean"}]},
                {"value": "Pedestrian", "hotkey": "p", "color": "#3cb44b"},
                {"value": "Cyclist", "hotkey": "y", "color": "#ffe119"}]}
            ]}
            """,
            guidelines: """
            Put a 3D box on every **car**, **pedestrian** and **cyclist**. Drag its footprint in the top view, \
            press **F** to snap it to the points inside, fit its height in the side view, and turn it with the \
            handle so its length runs along the object's heading. In the sequence, step to the next frame (→) \
            and move each box onto its object: Gloss interpolates between your keyframes and keeps the id.
            """,
            tasks: [
                task("road-sequence", ["points": .array((0..<frames).map { .string("media:road-\($0).bin") }),
                                       "calibration": .string(demoCalibration), "image_width": .number(1242), "image_height": .number(375)]),
                task("road-single", ["points": .string("media:road-single.bin"), "calibration": .string(demoCalibration),
                                     "image_width": .number(1242), "image_height": .number(375)]),
            ],
            media: {
                (0..<frames).map { ("road-\($0).bin", kittiBin(SyntheticScene.frame($0, pointsPerFrame: pointsPerFrame).cloud)) }
                    + [("road-single.bin", kittiBin(SyntheticScene.frame(7, pointsPerFrame: pointsPerFrame).cloud))]
            })
    }

    /// A cloud as a KITTI `.bin`: x, y, z, intensity as little-endian float32 per point.
    static func kittiBin(_ cloud: PointCloud) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cloud.count * 16)
        for index in 0..<cloud.count {
            let values = [cloud.positions[3 * index], cloud.positions[3 * index + 1], cloud.positions[3 * index + 2],
                          cloud.intensities?[index] ?? 0]
            for value in values {
                let bits = value.bitPattern
                bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
            }
        }
        return bytes
    }
}
