/// Pre-labels from a COCO instances file: each image's annotations, turned into the value of one image field
/// of the schema (boxes from `bbox`, polygons from `segmentation`, keypoints from `keypoints`). Images are
/// matched to tasks by file name; categories to labels by name.
public struct COCOPrelabels: Sendable {
    public struct Annotation: Sendable {
        public var category: String
        public var bbox: [Double]?
        public var polygons: [[Double]]
        public var keypoints: [Double]?
        public var score: Double?
    }

    /// Annotations by image file name (its last path segment), in file order.
    public let annotationsByFile: [String: [Annotation]]
    /// File names in the order of the file's images.
    public let fileNames: [String]
    let knownFiles: Set<String>

    init(annotationsByFile: [String: [Annotation]], fileNames: [String]) {
        self.annotationsByFile = annotationsByFile
        self.fileNames = fileNames
        knownFiles = Set(fileNames)
    }

    /// The first of a task's names (its upload's file name, `data.file_name`, its URL's last segment) that
    /// names an image of the file.
    public func fileName(matching candidates: [String?]) -> String? {
        candidates.lazy.compactMap { $0 }.first { annotationsByFile[$0] != nil || knownFiles.contains($0) }
    }

    /// Reads the parts of a COCO file pre-labels need, reporting what is malformed with its path.
    public static func parse(_ json: JSONValue) throws(FieldError) -> COCOPrelabels {
        guard let object = json.objectValue else { throw FieldError(field: "body", message: "must be a COCO object {images, annotations, categories}") }
        guard let images = object["images"]?.arrayValue else { throw FieldError(field: "images", message: "is required: the COCO images") }
        guard let categories = object["categories"]?.arrayValue else { throw FieldError(field: "categories", message: "is required: the COCO categories") }
        let annotations = object["annotations"]?.arrayValue ?? []
        var categoryNames: [Int: String] = [:]
        for (index, category) in categories.enumerated() {
            guard let id = category["id"]?.intValue, let name = category["name"]?.stringValue else {
                throw FieldError(field: "categories[\(index)]", message: "must have an integer id and a name")
            }
            categoryNames[id] = name
        }
        var fileByImage: [Int: String] = [:]
        var fileNames: [String] = []
        for (index, image) in images.enumerated() {
            guard let id = image["id"]?.intValue, let fileName = image["file_name"]?.stringValue, !fileName.isEmpty else {
                throw FieldError(field: "images[\(index)]", message: "must have an integer id and a file_name")
            }
            let name = ExportMedia.fileName(ofURL: fileName)
            fileByImage[id] = name
            fileNames.append(name)
        }
        var byFile: [String: [Annotation]] = [:]
        for (index, annotation) in annotations.enumerated() {
            let path = "annotations[\(index)]"
            guard let imageID = annotation["image_id"]?.intValue, let file = fileByImage[imageID] else {
                throw FieldError(field: "\(path).image_id", message: "must be the id of one of the images")
            }
            guard let categoryID = annotation["category_id"]?.intValue, let category = categoryNames[categoryID] else {
                throw FieldError(field: "\(path).category_id", message: "must be the id of one of the categories")
            }
            func numbers(_ value: JSONValue?) -> [Double]? {
                guard let list = value?.arrayValue else { return nil }
                let numbers = list.compactMap(\.numberValue)
                return numbers.count == list.count ? numbers : nil
            }
            let bbox = numbers(annotation["bbox"])
            if let bbox, bbox.count != 4 { throw FieldError(field: "\(path).bbox", message: "must be [x, y, width, height]") }
            let polygons = annotation["segmentation"]?.arrayValue?.compactMap { numbers($0) } ?? []
            byFile[file, default: []].append(Annotation(category: category, bbox: bbox, polygons: polygons,
                                                        keypoints: numbers(annotation["keypoints"]), score: annotation["score"]?.numberValue))
        }
        return COCOPrelabels(annotationsByFile: byFile, fileNames: fileNames)
    }

    /// The value of `field` (a boxes, polygons or keypoints field) for these annotations; annotations whose
    /// category is not a label of the field, or that lack the geometry the field needs, are left out.
    public static func value(of field: FieldKind, annotations: [Annotation]) -> JSONValue {
        func rounded(_ value: Double) -> JSONValue { .number((value * 100).rounded() / 100) }
        var shapes: [JSONValue] = []
        switch field {
        case .boxes(let boxes):
            for annotation in annotations where boxes.labels.contains(where: { $0.value == annotation.category }) {
                guard let bbox = annotation.bbox, bbox[2] > 0, bbox[3] > 0 else { continue }
                shapes.append(.object(["id": .string("b\(shapes.count + 1)"), "label": .string(annotation.category), "x": rounded(bbox[0]),
                                       "y": rounded(bbox[1]), "width": rounded(bbox[2]), "height": rounded(bbox[3])]))
            }
        case .polygons(let polygons):
            for annotation in annotations where polygons.labels.contains(where: { $0.value == annotation.category }) {
                for ring in annotation.polygons where ring.count >= 6 && ring.count % 2 == 0 {
                    let points = stride(from: 0, to: ring.count, by: 2).map { JSONValue.array([rounded(ring[$0]), rounded(ring[$0 + 1])]) }
                    shapes.append(.object(["id": .string("p\(shapes.count + 1)"), "label": .string(annotation.category), "points": .array(points)]))
                }
            }
        case .keypoints(let keypoints):
            for annotation in annotations where keypoints.labels.contains(where: { $0.value == annotation.category }) {
                guard let values = annotation.keypoints, values.count == keypoints.points.count * 3 else { continue }
                let triples = stride(from: 0, to: values.count, by: 3).map { index -> JSONValue in
                    let visibility = Int(values[index + 2])
                    return visibility == 0 ? .array([0, 0, 0].map { JSONValue.number($0) })
                        : .array([rounded(values[index]), rounded(values[index + 1]), .number(Double(min(2, max(1, visibility))))])
                }
                shapes.append(.object(["id": .string("k\(shapes.count + 1)"), "label": .string(annotation.category), "keypoints": .array(triples)]))
            }
        default:
            break
        }
        return .array(shapes)
    }
}
