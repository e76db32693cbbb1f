/// The audio and LiDAR exports: RTTM speaker turns, WebVTT and SubRip transcripts, KITTI object labels. Each
/// uses the most recent annotation of a task (or the final answer), like the image datasets.

extension DatasetEncoder {
    /// The audio file of a task (the first segments field's), as the export names it.
    func audioOf(_ data: [String: JSONValue], media: [String: ExportMedia], key: String) -> ExportMedia? {
        guard let url = data[key]?.stringValue else { return nil }
        var audio = media[url] ?? ExportMedia(fileName: ExportMedia.fileName(ofURL: url))
        if let name = data["file_name"]?.stringValue, media[url] == nil { audio.fileName = name }
        return audio
    }

    /// The name a task's audio goes by in RTTM and the subtitle files: the file's stem, unique in the export,
    /// without whitespace (RTTM's fields are whitespace-separated).
    mutating func audioStem(_ task: ExportedTask, data: [String: JSONValue], media: [String: ExportMedia], key: String) -> String {
        let name = audioOf(data, media: media, key: key)?.fileName ?? task.id
        return uniqueStem(String(name.map { $0.isWhitespace ? "_" : $0 }))
    }

    // MARK: RTTM

    mutating func writeRTTM(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                            into output: inout [UInt8]) {
        guard let key = rttmFields.first?.field.audio, !task.annotations.isEmpty else { return }
        let turns = rttmFields.flatMap { SegmentsField.segments(value[$0.name]).map(\.timed) }
        guard !turns.isEmpty else { return }
        let stem = audioStem(task, data: data, media: media, key: key)
        output += Array(SubtitleFormats.rttm(fileID: stem, turns: turns).utf8)
    }

    // MARK: WebVTT and SubRip

    mutating func writeSubtitles(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                                 into output: inout [UInt8]) {
        guard !task.annotations.isEmpty else { return }
        var cues: [Cue] = []
        var audioKey: String?
        for (name, field) in transcriptFields {
            let segmentsValue = value[field.segmentsField]
            if audioKey == nil, case .segments(let segments)? = schema.field(named: field.segmentsField)?.kind { audioKey = segments.audio }
            for (segment, text) in field.orderedTexts(value[name], segments: segmentsValue) {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                cues.append(Cue(start: segment.start, end: segment.end, speaker: segment.label, text: trimmed))
            }
        }
        guard let audioKey, !cues.isEmpty else { return }
        let stem = audioStem(task, data: data, media: media, key: audioKey)
        if format == .webvtt {
            output += zip.entry("\(stem).vtt", Array(SubtitleFormats.webVTT(cues).utf8))
        } else {
            output += zip.entry("\(stem).srt", Array(SubtitleFormats.srt(cues).utf8))
        }
    }

    // MARK: KITTI

    /// One label file per point cloud (a sequence: per frame) of a task whose data holds a KITTI calibration,
    /// with that calibration beside it; boxes are moved into the rectified camera frame.
    mutating func writeKITTI(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                             into output: inout [UInt8]) {
        guard let (_, first) = cuboidFields.first else { return }
        let urls: [String]
        switch data[first.points] {
        case .string(let url)?: urls = [url]
        case .array(let frames)?: urls = frames.compactMap(\.stringValue)
        default: return
        }
        let names = urls.enumerated().map { index, url in
            media[url]?.fileName ?? (urls.count == 1 ? data["file_name"]?.stringValue : nil) ?? "\(task.externalID ?? task.id)_\(index)"
        }
        guard let raw = data[first.calibration], raw != .null, case .success(let calibration) = CuboidsField.parseCalibration(raw) else {
            uncalibrated.append(contentsOf: names)
            return
        }
        let imageSize = data["image_width"]?.intValue.flatMap { width in data["image_height"]?.intValue.map { (width: width, height: $0) } }
        let calibrationText = raw.stringValue ?? Self.kittiCalibrationText(calibration)
        let tracks = cuboidFields.flatMap { CuboidsField.tracks(value[$0.name]) }
        for (frame, name) in names.enumerated() {
            let stem = uniqueStem(Self.safePathPart(name))
            var lines = ""
            for track in tracks {
                guard let box = track.box(at: frame) else { continue }
                let occluded = track.attributes["occluded"]?.intValue.map { min(3, max(0, $0)) }
                    ?? (track.attributes["occluded"]?.boolValue == true ? 1 : 0)
                let label = KITTILabels.label(for: box, type: track.label, calibration: calibration, imageSize: imageSize, occluded: occluded)
                lines += label.line + "\n"
            }
            output += zip.entry("label_2/\(stem).txt", Array(lines.utf8))
            output += zip.entry("calib/\(stem).txt", Array(calibrationText.utf8))
        }
    }

    mutating func finishKITTI() -> [UInt8] {
        var output: [UInt8] = []
        if !uncalibrated.isEmpty {
            let text = "These point clouds were left out: their task's data has no KITTI calibration (data.\(cuboidFields.first?.field.calibration ?? "calibration"): P2, R0_rect, Tr_velo_to_cam). "
                + "Their boxes are in the JSONL export, in the LiDAR frame.\n" + uncalibrated.map { $0 + "\n" }.joined()
            output += zip.entry("SKIPPED.txt", Array(text.utf8))
        }
        return output + zip.finish()
    }

    static func kittiCalibrationText(_ calibration: KITTICalibration) -> String {
        func line(_ name: String, _ numbers: [Double]) -> String {
            name + ": " + numbers.map { JSONValue.format(number: $0) }.joined(separator: " ") + "\n"
        }
        return line("P2", calibration.p2) + line("R0_rect", calibration.r0Rect) + line("Tr_velo_to_cam", calibration.trVeloToCam)
    }
}
