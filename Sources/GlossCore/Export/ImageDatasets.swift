/// The image and video dataset exports: COCO instances, YOLO, Pascal VOC, MOT Challenge and PNG masks. Each
/// uses the most recent annotation of a task. Several-file formats are zip archives written entry by entry.

/// What an export knows of a task's image or video.
public struct ExportMedia: Sendable, Hashable {
    /// The SHA-256 of an uploaded file's bytes (nil for media Gloss does not store).
    public var id: String?
    public var fileName: String
    public var width: Int?
    public var height: Int?
    public var frameCount: Int?
    public var fps: Double?
    /// An audio file's length in seconds.
    public var duration: Double?

    public init(id: String? = nil, fileName: String, width: Int? = nil, height: Int? = nil, frameCount: Int? = nil, fps: Double? = nil,
                duration: Double? = nil) {
        self.duration = duration
        self.id = id
        self.fileName = fileName
        self.width = width
        self.height = height
        self.frameCount = frameCount
        self.fps = fps
    }

    /// The last path segment of a URL, for media Gloss did not store.
    public static func fileName(ofURL url: String) -> String {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        return path.split(separator: "/").last.map(String.init) ?? "image"
    }
}

extension ExportFormat {
    /// The formats over images and video.
    public var isDataset: Bool {
        switch self {
        case .coco, .yolo, .voc, .mot, .pngMasks, .rttm, .webvtt, .srt, .kitti: true
        default: false
        }
    }

    /// How many times the export reads the project: COCO writes all images, then all annotations.
    public var passes: Int { self == .coco ? 2 : 1 }
}

public struct DatasetEncoder: Sendable {
    public let format: ExportFormat
    public let schema: LabelSchema
    /// Whether a YOLO export carries the uploaded images (`images/`).
    public let includesImages: Bool
    var zip = ZipWriter()
    var stems: Set<String> = []
    var pass = 0
    var imageNumber = 0
    var annotationNumber = 0
    var wroteImage = false
    var wroteAnnotation = false
    var sizeless: [String] = []
    /// The VOC image list, written at the end.
    var imageSet = ""

    let boxFields: [(name: String, field: BoxesField)]
    let polygonFields: [(name: String, field: PolygonsField)]
    let keypointFields: [(name: String, field: KeypointsField)]
    let maskFields: [(name: String, field: MasksField)]
    let trackFields: [(name: String, field: TracksField)]
    /// The audio and LiDAR fields (`AudioAndPointExports.swift`).
    let rttmFields: [(name: String, field: SegmentsField)]
    let transcriptFields: [(name: String, field: TranscriptField)]
    let cuboidFields: [(name: String, field: CuboidsField)]
    /// KITTI: the point clouds left out (no calibration), named in SKIPPED.txt.
    var uncalibrated: [String] = []
    /// COCO categories: every label of the image fields, in schema order, once.
    let categories: [String]
    let keypointCategories: [String: KeypointsField]
    let boxClasses: [String]
    let polygonClasses: [String]
    let trackClasses: [String]
    let maskLabels: [String]
    /// Positions in those lists, looked up for every shape.
    let categoryIndex: [String: Int]
    let boxClassIndex: [String: Int]
    let polygonClassIndex: [String: Int]
    let trackClassIndex: [String: Int]

    public init(format: ExportFormat, schema: LabelSchema, includesImages: Bool = false) {
        self.format = format
        self.schema = schema
        self.includesImages = includesImages
        var boxes: [(String, BoxesField)] = [], polygons: [(String, PolygonsField)] = [], keypoints: [(String, KeypointsField)] = []
        var masks: [(String, MasksField)] = [], tracks: [(String, TracksField)] = []
        for field in schema.fields {
            switch field.kind {
            case .boxes(let value): boxes.append((field.name, value))
            case .polygons(let value): polygons.append((field.name, value))
            case .keypoints(let value): keypoints.append((field.name, value))
            case .masks(let value): masks.append((field.name, value))
            case .tracks(let value): tracks.append((field.name, value))
            default: break
            }
        }
        let segments = schema.fields.compactMap { field in if case .segments(let value) = field.kind { (field.name, value) } else { nil } }
        rttmFields = segments.contains { $0.1.isSpeakers } ? segments.filter { $0.1.isSpeakers } : segments
        transcriptFields = schema.fields.compactMap { field in if case .transcript(let value) = field.kind { (field.name, value) } else { nil } }
        cuboidFields = schema.fields.compactMap { field in if case .cuboids(let value) = field.kind { (field.name, value) } else { nil } }
        boxFields = boxes
        polygonFields = polygons
        keypointFields = keypoints
        maskFields = masks
        trackFields = tracks
        func ordered(_ lists: [[ShapeLabel]]) -> [String] {
            var seen: Set<String> = []
            return lists.flatMap { $0 }.map(\.value).filter { seen.insert($0).inserted }
        }
        categories = ordered(boxes.map(\.1.labels) + polygons.map(\.1.labels) + masks.map(\.1.labels) + keypoints.map(\.1.labels))
        var keypointCategories: [String: KeypointsField] = [:]
        for (_, field) in keypoints { for label in field.labels where keypointCategories[label.value] == nil { keypointCategories[label.value] = field } }
        self.keypointCategories = keypointCategories
        boxClasses = ordered(boxes.map(\.1.labels))
        polygonClasses = ordered(polygons.map(\.1.labels))
        trackClasses = ordered(tracks.map(\.1.labels))
        maskLabels = ordered(masks.map(\.1.labels))
        func positions(_ names: [String]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        }
        categoryIndex = positions(categories)
        boxClassIndex = positions(boxClasses)
        polygonClassIndex = positions(polygonClasses)
        trackClassIndex = positions(trackClasses)
    }

    /// Why this format cannot export a project with this schema (nil when it can).
    public static func unavailableReason(_ format: ExportFormat, schema: LabelSchema) -> String? {
        let encoder = DatasetEncoder(format: format, schema: schema)
        switch format {
        case .coco: return encoder.categories.isEmpty ? "needs a boxes, polygons, keypoints or masks field in the schema" : nil
        case .yolo: return encoder.boxFields.isEmpty && encoder.polygonFields.isEmpty ? "needs a boxes or polygons field in the schema" : nil
        case .voc: return encoder.boxFields.isEmpty ? "needs a boxes field in the schema" : nil
        case .mot: return encoder.trackFields.isEmpty ? "needs a tracks field in the schema" : nil
        case .pngMasks: return encoder.maskFields.isEmpty ? "needs a masks field in the schema" : nil
        case .rttm: return encoder.rttmFields.isEmpty ? "needs a segments field in the schema" : nil
        case .webvtt, .srt: return encoder.transcriptFields.isEmpty ? "needs a transcript field in the schema" : nil
        case .kitti: return encoder.cuboidFields.isEmpty ? "needs a cuboids field in the schema" : nil
        default: return nil
        }
    }

    var usesYOLOSubfolders: Bool { !boxFields.isEmpty && !polygonFields.isEmpty }

    // MARK: Driving

    /// The bytes before the first page of a pass.
    public mutating func begin(pass: Int) -> [UInt8] {
        self.pass = pass
        imageNumber = 0
        guard format == .coco else { return [] }
        if pass == 0 {
            var output = "{\"info\":{\"description\":\"Exported from Gloss\",\"version\":\"1.0\"},\"licenses\":[],\"categories\":["
            for (index, name) in categories.enumerated() {
                if index > 0 { output += "," }
                output += "{\"id\":\(index + 1),\"name\":"
                JSONValue.writeString(name, into: &output)
                output += ",\"supercategory\":\"\""
                if let field = keypointCategories[name] {
                    output += ",\"keypoints\":" + JSONValue.array(field.points.map { .string($0.name) }).jsonText
                    output += ",\"skeleton\":" + JSONValue.array(field.skeleton.map { .array([.number(Double($0.0 + 1)), .number(Double($0.1 + 1))]) }).jsonText
                }
                output += "}"
            }
            output += "],\"images\":["
            return Array(output.utf8)
        }
        return Array("],\"annotations\":[".utf8)
    }

    /// The bytes after the last pass.
    public mutating func finish() -> [UInt8] {
        switch format {
        case .coco:
            return Array("]}\n".utf8)
        case .yolo:
            var output: [UInt8] = []
            if usesYOLOSubfolders {
                output += zip.entry("detect/data.yaml", Array(Self.yoloYAML(boxClasses).utf8))
                output += zip.entry("detect/classes.txt", Array(boxClasses.map { $0 + "\n" }.joined().utf8))
                output += zip.entry("segment/data.yaml", Array(Self.yoloYAML(polygonClasses).utf8))
                output += zip.entry("segment/classes.txt", Array(polygonClasses.map { $0 + "\n" }.joined().utf8))
            } else {
                let classes = boxFields.isEmpty ? polygonClasses : boxClasses
                output += zip.entry("data.yaml", Array(Self.yoloYAML(classes).utf8))
                output += zip.entry("classes.txt", Array(classes.map { $0 + "\n" }.joined().utf8))
            }
            return output + sizelessNote() + zip.finish()
        case .voc:
            let labelmap = "# label:color_rgb:parts:actions\n" + boxClasses.map { "\($0)::: \n" }.joined()
            return zip.entry("labelmap.txt", Array(labelmap.utf8)) + zip.entry("ImageSets/Main/default.txt", Array(imageSet.utf8))
                + sizelessNote() + zip.finish()
        case .mot:
            return zip.entry("labels.txt", Array(trackClasses.map { $0 + "\n" }.joined().utf8)) + zip.finish()
        case .pngMasks:
            return zip.entry("labels.txt", Array(maskLabels.map { $0 + "\n" }.joined().utf8)) + sizelessNote() + zip.finish()
        case .webvtt, .srt:
            return zip.finish()
        case .kitti:
            return finishKITTI()
        default:
            return []
        }
    }

    mutating func sizelessNote() -> [UInt8] {
        guard !sizeless.isEmpty else { return [] }
        let text = "These tasks were left out: the size of their image is unknown (give data.width and data.height, or upload the image):\n"
            + sizeless.map { $0 + "\n" }.joined()
        return zip.entry("SKIPPED.txt", Array(text.utf8))
    }

    /// The bytes of a page of tasks. `media` knows the tasks' images and videos by URL; `imageBytes` reads an
    /// uploaded image (for YOLO with images).
    /// `data`, when given, is each task's data already parsed (the caller read it to look up the media).
    public mutating func encode(_ tasks: [ExportedTask], data parsed: [[String: JSONValue]]? = nil, media: [String: ExportMedia],
                                imageBytes: (ExportMedia) throws -> [UInt8]? = { _ in nil }) rethrows -> [UInt8] {
        var output: [UInt8] = []
        for (index, task) in tasks.enumerated() {
            imageNumber += 1
            let data = parsed?[index] ?? (try? JSONValue.parse(task.dataJSON))?.objectValue ?? [:]
            let latest = task.annotations.max { $0.createdAt < $1.createdAt }
            let value = latest.flatMap { (try? JSONValue.parse($0.valueJSON))?.objectValue } ?? [:]
            switch format {
            case .coco:
                if pass == 0 { writeCOCOImage(task, data: data, media: media, into: &output) } else { writeCOCOAnnotations(value, into: &output) }
            case .yolo: try writeYOLO(task, data: data, value: value, media: media, imageBytes: imageBytes, into: &output)
            case .voc: writeVOC(task, data: data, value: value, media: media, into: &output)
            case .mot: writeMOT(task, data: data, value: value, media: media, into: &output)
            case .pngMasks: writePNGMasks(task, data: data, value: value, media: media, into: &output)
            case .rttm: writeRTTM(task, data: data, value: value, media: media, into: &output)
            case .webvtt, .srt: writeSubtitles(task, data: data, value: value, media: media, into: &output)
            case .kitti: writeKITTI(task, data: data, value: value, media: media, into: &output)
            default: break
            }
        }
        return output
    }

    // MARK: Images of a task

    /// The image key of the schema's image fields (the first one).
    var imageKey: String? {
        boxFields.first?.field.image ?? polygonFields.first?.field.image ?? maskFields.first?.field.image ?? keypointFields.first?.field.image
    }

    func imageOf(_ data: [String: JSONValue], media: [String: ExportMedia]) -> ExportMedia? {
        guard let key = imageKey, let url = data[key]?.stringValue else { return nil }
        var image = media[url] ?? ExportMedia(fileName: ExportMedia.fileName(ofURL: url))
        image.width = image.width ?? data["width"]?.intValue
        image.height = image.height ?? data["height"]?.intValue
        if let name = data["file_name"]?.stringValue, media[url] == nil { image.fileName = name }
        return image
    }

    /// A file stem unique in this export, safe in a zip path.
    mutating func uniqueStem(_ fileName: String) -> String {
        var stem = fileName
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        stem = String(stem.map { $0 == "/" || $0 == "\\" || $0 == ":" || $0.isNewline ? "_" : $0 })
        if stem.isEmpty || stem == "." || stem == ".." { stem = "image" }
        var candidate = stem
        var number = 2
        while !stems.insert(candidate).inserted {
            candidate = "\(stem)_\(number)"
            number += 1
        }
        return candidate
    }

    static func fileExtension(_ fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return "" }
        return String(fileName[dot...])
    }

    static func number(_ value: Double) -> String {
        JSONValue.format(number: (value * 100).rounded() / 100)
    }

    static func safePathPart(_ text: String) -> String {
        let cleaned = String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == " " ? $0 : "_" })
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "_" : cleaned
    }

    // MARK: COCO

    mutating func writeCOCOImage(_ task: ExportedTask, data: [String: JSONValue], media: [String: ExportMedia], into output: inout [UInt8]) {
        let image = imageOf(data, media: media) ?? ExportMedia(fileName: task.id)
        let fileName = uniqueStem(image.fileName) + Self.fileExtension(image.fileName)
        var text = wroteImage ? "," : ""
        wroteImage = true
        text += "{\"id\":\(imageNumber),\"file_name\":"
        JSONValue.writeString(fileName, into: &text)
        text += ",\"width\":\(image.width.map(String.init) ?? "null"),\"height\":\(image.height.map(String.init) ?? "null")"
        text += ",\"gloss_task_id\":\"\(task.id)\""
        if let external = task.externalID {
            text += ",\"gloss_external_id\":"
            JSONValue.writeString(external, into: &text)
        }
        text += "}"
        output += Array(text.utf8)
    }

    func categoryID(_ label: String) -> Int? {
        categoryIndex[label].map { $0 + 1 }
    }

    mutating func writeCOCOAnnotations(_ value: [String: JSONValue], into output: inout [UInt8]) {
        var text = ""
        func open(_ label: String, bbox: Box, area: Double) -> Bool {
            guard let category = categoryID(label) else { return false }
            annotationNumber += 1
            text += wroteAnnotation ? "," : ""
            wroteAnnotation = true
            text += "{\"id\":\(annotationNumber),\"image_id\":\(imageNumber),\"category_id\":\(category),\"iscrowd\":0"
            text += ",\"bbox\":[\(Self.number(bbox.x)),\(Self.number(bbox.y)),\(Self.number(bbox.width)),\(Self.number(bbox.height))]"
            text += ",\"area\":\(Self.number(area))"
            return true
        }
        func attributes(_ own: [String: JSONValue], extra: [String: JSONValue]) {
            var attributes = own
            attributes.merge(extra) { $1 }
            text += ",\"attributes\":" + JSONValue.object(attributes).jsonText + "}"
        }
        for (name, _) in boxFields {
            let shapes = BoxesField.shapes(value[name])
            // Number the boxes first, so a part can name its parent's COCO id.
            let firstID = annotationNumber + 1
            var cocoIDs: [String: Int] = [:]
            var next = firstID
            for shape in shapes where categoryID(shape.label) != nil { cocoIDs[shape.id] = next; next += 1 }
            for shape in shapes {
                guard open(shape.label, bbox: shape.box, area: shape.box.area) else { continue }
                let points = [Point(shape.box.x, shape.box.y), Point(shape.box.x + shape.box.width, shape.box.y),
                              Point(shape.box.x + shape.box.width, shape.box.y + shape.box.height), Point(shape.box.x, shape.box.y + shape.box.height)]
                text += ",\"segmentation\":[[" + points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: ",") + "]]"
                var extra: [String: JSONValue] = ["gloss_id": .string(shape.id), "field": .string(name)]
                if let parent = shape.parent, let parentID = cocoIDs[parent] { extra["parent_id"] = .number(Double(parentID)) }
                attributes(shape.attributes, extra: extra)
            }
        }
        for (name, _) in polygonFields {
            for shape in PolygonsField.shapes(value[name]) {
                guard open(shape.label, bbox: shape.polygon.boundingBox, area: shape.polygon.area) else { continue }
                text += ",\"segmentation\":[[" + shape.polygon.points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: ",") + "]]"
                attributes(shape.attributes, extra: ["gloss_id": .string(shape.id), "field": .string(name)])
            }
        }
        for (name, _) in maskFields {
            for layer in MasksField.layers(value[name]) {
                guard let box = layer.mask.boundingBox, open(layer.label, bbox: box, area: Double(layer.mask.area)) else { continue }
                let counts = layer.mask.columnMajorCounts()
                text += ",\"segmentation\":{\"size\":[\(layer.mask.height),\(layer.mask.width)],\"counts\":["
                text += counts.map(String.init).joined(separator: ",") + "]}"
                attributes([:], extra: ["field": .string(name)])
            }
        }
        for (name, field) in keypointFields {
            for instance in KeypointsField.instances(value[name]) where instance.keypoints.count == field.points.count {
                let box = instance.boundingBox
                guard open(instance.label, bbox: box, area: box.area) else { continue }
                text += ",\"keypoints\":[" + instance.keypoints.map { "\(Self.number($0[0])),\(Self.number($0[1])),\(Int($0[2]))" }.joined(separator: ",") + "]"
                text += ",\"num_keypoints\":\(instance.keypoints.filter { $0[2] > 0 }.count)"
                attributes([:], extra: ["gloss_id": .string(instance.id), "field": .string(name)])
            }
        }
        output += Array(text.utf8)
    }

    // MARK: YOLO

    static func yoloYAML(_ classes: [String]) -> String {
        var text = "# Exported from Gloss. Put the images in images/ beside labels/.\npath: .\ntrain: images\nval: images\nnc: \(classes.count)\nnames:\n"
        for (index, name) in classes.enumerated() {
            var quoted = ""
            JSONValue.writeString(name, into: &quoted)
            text += "  \(index): \(quoted)\n"
        }
        return text
    }

    static func normalized(_ value: Double, _ size: Int) -> String {
        let number = min(1, max(0, value / Double(size)))
        let scaled = (number * 1_000_000).rounded()
        let whole = Int(scaled) / 1_000_000, fraction = Int(scaled) % 1_000_000
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }

    mutating func writeYOLO(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                            imageBytes: (ExportMedia) throws -> [UInt8]?, into output: inout [UInt8]) rethrows {
        guard let image = imageOf(data, media: media) else { return }
        guard let width = image.width, let height = image.height else { sizeless.append(task.id); return }
        let stem = uniqueStem(image.fileName)
        var detect = "", segment = ""
        for (name, _) in boxFields {
            for shape in BoxesField.shapes(value[name]) {
                guard let index = boxClassIndex[shape.label] else { continue }
                let box = shape.box
                detect += "\(index) \(Self.normalized(box.x + box.width / 2, width)) \(Self.normalized(box.y + box.height / 2, height)) "
                detect += "\(Self.normalized(box.width, width)) \(Self.normalized(box.height, height))\n"
            }
        }
        for (name, _) in polygonFields {
            for shape in PolygonsField.shapes(value[name]) {
                guard let index = polygonClassIndex[shape.label] else { continue }
                segment += "\(index) " + shape.polygon.points.map { "\(Self.normalized($0.x, width)) \(Self.normalized($0.y, height))" }.joined(separator: " ") + "\n"
            }
        }
        let imageName = stem + Self.fileExtension(image.fileName)
        if usesYOLOSubfolders {
            output += zip.entry("detect/labels/\(stem).txt", Array(detect.utf8))
            output += zip.entry("segment/labels/\(stem).txt", Array(segment.utf8))
        } else {
            output += zip.entry("labels/\(stem).txt", Array((boxFields.isEmpty ? segment : detect).utf8))
        }
        if includesImages, image.id != nil, let bytes = try imageBytes(image) {
            if usesYOLOSubfolders {
                output += zip.entry("detect/images/\(imageName)", bytes)
                output += zip.entry("segment/images/\(imageName)", bytes)
            } else {
                output += zip.entry("images/\(imageName)", bytes)
            }
        }
    }

    // MARK: Pascal VOC

    static func xml(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    mutating func writeVOC(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                           into output: inout [UInt8]) {
        guard let image = imageOf(data, media: media) else { return }
        guard let width = image.width, let height = image.height else { sizeless.append(task.id); return }
        let stem = uniqueStem(image.fileName)
        var text = "<annotation>\n  <folder>images</folder>\n  <filename>\(Self.xml(stem + Self.fileExtension(image.fileName)))</filename>\n"
        text += "  <source><database>Gloss</database><annotation>gloss task \(task.id)</annotation></source>\n"
        text += "  <size><width>\(width)</width><height>\(height)</height><depth>3</depth></size>\n  <segmented>0</segmented>\n"
        for (name, _) in boxFields {
            for shape in BoxesField.shapes(value[name]) {
                let attributes = shape.attributes
                func flag(_ key: String) -> Int { attributes[key]?.boolValue == true ? 1 : 0 }
                let box = shape.box
                let xmin = Int(box.x.rounded()) + 1, ymin = Int(box.y.rounded()) + 1
                let xmax = Int((box.x + box.width).rounded()), ymax = Int((box.y + box.height).rounded())
                text += "  <object>\n    <name>\(Self.xml(shape.label))</name>\n    <pose>Unspecified</pose>\n"
                text += "    <truncated>\(flag("truncated"))</truncated>\n    <difficult>\(flag("difficult"))</difficult>\n    <occluded>\(flag("occluded"))</occluded>\n"
                text += "    <bndbox><xmin>\(xmin)</xmin><ymin>\(ymin)</ymin><xmax>\(max(xmin, xmax))</xmax><ymax>\(max(ymin, ymax))</ymax></bndbox>\n"
                let others = attributes.keys.sorted().filter { !["truncated", "difficult", "occluded"].contains($0) }
                if !others.isEmpty {
                    text += "    <attributes>\n"
                    for key in others {
                        let attributeValue = attributes[key].map { $0.stringValue ?? $0.jsonText } ?? ""
                        text += "      <attribute><name>\(Self.xml(key))</name><value>\(Self.xml(attributeValue))</value></attribute>\n"
                    }
                    text += "    </attributes>\n"
                }
                text += "  </object>\n"
            }
        }
        text += "</annotation>\n"
        output += zip.entry("Annotations/\(stem).xml", Array(text.utf8))
        imageSet += stem + "\n"
    }

    // MARK: MOT

    mutating func writeMOT(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                           into output: inout [UInt8]) {
        guard let key = trackFields.first?.field.video else { return }
        var video = ExportMedia(fileName: task.id)
        switch data[key] {
        case .string(let url)?:
            video = media[url] ?? ExportMedia(fileName: ExportMedia.fileName(ofURL: url))
        case .array(let frames)?:
            let first = frames.first?.stringValue.flatMap { media[$0] }
            video = ExportMedia(fileName: task.id, width: first?.width, height: first?.height, frameCount: frames.count)
        default: return
        }
        video.width = video.width ?? data["width"]?.intValue
        video.height = video.height ?? data["height"]?.intValue
        let sequence = uniqueStem(Self.safePathPart(task.externalID ?? task.id))
        var lines = ""
        var trackNumber = 0
        var lastFrame = 0
        for (name, _) in trackFields {
            for track in TracksField.tracks(value[name]) {
                trackNumber += 1
                guard let classIndex = trackClassIndex[track.label], let first = track.keyframes.first?.frame else { continue }
                let end = video.frameCount ?? ((track.keyframes.last?.frame ?? first) + 1)
                lastFrame = max(lastFrame, end)
                guard first < end else { continue }
                for frame in first..<end {
                    guard let (box, occluded) = trackBox(at: frame, keyframes: track.keyframes) else { continue }
                    lines += "\(frame + 1),\(trackNumber),\(Self.number(box.x)),\(Self.number(box.y)),\(Self.number(box.width)),\(Self.number(box.height)),1,\(classIndex + 1),\(occluded ? 0 : 1)\n"
                }
            }
        }
        output += zip.entry("\(sequence)/gt/gt.txt", Array(lines.utf8))
        var info = "[Sequence]\nname=\(sequence)\nimDir=img1\nframeRate=\(video.fps.map { JSONValue.format(number: $0) } ?? "30")\n"
        info += "seqLength=\(video.frameCount ?? lastFrame)\n"
        if let width = video.width, let height = video.height { info += "imWidth=\(width)\nimHeight=\(height)\n" }
        info += "imExt=.jpg\n"
        output += zip.entry("\(sequence)/seqinfo.ini", Array(info.utf8))
    }

    // MARK: PNG masks

    mutating func writePNGMasks(_ task: ExportedTask, data: [String: JSONValue], value: [String: JSONValue], media: [String: ExportMedia],
                                into output: inout [UInt8]) {
        guard let image = imageOf(data, media: media) else { return }
        let stem = uniqueStem(image.fileName)
        for (name, _) in maskFields {
            for layer in MasksField.layers(value[name]) {
                let pixels = layer.mask.bitmap().map { $0 == 0 ? UInt8(0) : 255 }
                let png = PNG.encode(width: layer.mask.width, height: layer.mask.height, color: .gray, pixels: pixels)
                output += zip.entry(zip.uniqueName("\(stem)/\(Self.safePathPart(layer.label)).png"), png)
            }
        }
    }
}
