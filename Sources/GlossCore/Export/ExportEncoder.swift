import Foundation

/// The export formats of a project.
public enum ExportFormat: String, Sendable, CaseIterable {
    case jsonl
    case json
    case csv
    /// Spans as CoNLL-style tokens with IOB2 tags.
    case conll
    /// Preference pairs `{prompt, chosen, rejected}` from rankings and pairwise choices.
    case dpo
    /// Unpaired `{prompt, completion, label}` from ratings and flags.
    case kto
    /// One row per rated item, one column per rubric dimension.
    case ratingsCSV = "ratings_csv"
    /// One row per MQM error, with the annotation's MQM score.
    case mqmCSV = "mqm_csv"
    /// COCO instances: boxes, polygons, masks (RLE) and keypoints.
    case coco
    /// A zip of YOLO label files (boxes; polygons as YOLO segmentation).
    case yolo
    /// A zip of Pascal VOC XML files.
    case voc
    /// A zip of MOT Challenge ground-truth files, one sequence per video task.
    case mot
    /// A zip of one PNG mask per image and label.
    case pngMasks = "png_masks"
    /// Speaker turns as RTTM (diarization), one file for the project.
    case rttm
    /// A zip of one WebVTT file of the transcript per audio file.
    case webvtt
    /// A zip of one SubRip file of the transcript per audio file.
    case srt
    /// A zip of KITTI object labels (and calibrations), one file per point cloud with a KITTI calibration.
    case kitti

    public var contentType: String {
        switch self {
        case .jsonl, .dpo, .kto: "application/x-ndjson; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .csv, .ratingsCSV, .mqmCSV: "text/csv; charset=utf-8"
        case .conll, .rttm: "text/plain; charset=utf-8"
        case .coco: "application/json"
        case .yolo, .voc, .mot, .pngMasks, .webvtt, .srt, .kitti: "application/zip"
        }
    }

    public var fileExtension: String {
        switch self {
        case .jsonl, .json, .csv, .conll: rawValue
        case .dpo: "dpo.jsonl"
        case .kto: "kto.jsonl"
        case .ratingsCSV: "ratings.csv"
        case .mqmCSV: "mqm.csv"
        case .coco: "coco.json"
        case .yolo: "yolo.zip"
        case .voc: "voc.zip"
        case .mot: "mot.zip"
        case .pngMasks: "masks.zip"
        case .rttm: "rttm"
        case .webvtt: "vtt.zip"
        case .srt: "srt.zip"
        case .kitti: "kitti.zip"
        }
    }

    /// Why this format cannot export a project with this schema (nil when it can).
    public func unavailableReason(for schema: LabelSchema) -> String? {
        func has(_ test: (FieldKind) -> Bool) -> Bool { schema.fields.contains { test($0.kind) } }
        switch self {
        case .jsonl, .json, .csv: return nil
        case .conll:
            return has { if case .spans = $0 { true } else { false } } ? nil : "needs a spans field in the schema"
        case .dpo:
            return has { switch $0 { case .ranking, .pairwise, .chat: true; default: false } } ? nil : "needs a ranking, pairwise or chat field in the schema"
        case .kto:
            return has { switch $0 { case .rating, .flags: true; default: false } } ? nil : "needs a rating or flags field in the schema"
        case .ratingsCSV:
            return has { if case .rating = $0 { true } else { false } } ? nil : "needs a rating field in the schema"
        case .mqmCSV:
            return has { if case .mqm = $0 { true } else { false } } ? nil : "needs an mqm field in the schema"
        case .coco, .yolo, .voc, .mot, .pngMasks, .rttm, .webvtt, .srt, .kitti:
            return DatasetEncoder.unavailableReason(self, schema: schema)
        }
    }
}

/// One task as it is exported, with its annotations. JSON members are kept as stored JSON text.
public struct ExportedTask: Sendable {
    /// The task id, lower-case.
    public var id: String
    public var externalID: String?
    public var dataJSON: String
    public var prelabelsJSON: String
    public var annotations: [ExportedAnnotation]
    /// The task's position in import order (0 when not from the store).
    public var seq: Int64 = 0

    public init(id: String, externalID: String?, dataJSON: String, prelabelsJSON: String, annotations: [ExportedAnnotation]) {
        self.id = id
        self.externalID = externalID
        self.dataJSON = dataJSON
        self.prelabelsJSON = prelabelsJSON
        self.annotations = annotations
    }
}

public struct ExportedAnnotation: Sendable {
    /// The annotation id, lower-case.
    public var id: String
    public var worker: String
    public var valueJSON: String
    public var timeSpentSeconds: Double
    public var createdAt: Date
    /// The review standing of a worker's annotation (submitted, accepted, corrected); nil for a final answer.
    public var status: String?
    /// For a final answer: where it came from (consensus, single, reviewed, adjudicated, prelabel) and how sure it is.
    public var final: (source: String, confidence: Double, agreement: Double, answers: Int)?

    public init(id: String, worker: String, valueJSON: String, timeSpentSeconds: Double, createdAt: Date, status: String? = nil,
                final: (source: String, confidence: Double, agreement: Double, answers: Int)? = nil) {
        self.id = id
        self.worker = worker
        self.valueJSON = valueJSON
        self.timeSpentSeconds = timeSpentSeconds
        self.createdAt = createdAt
        self.status = status
        self.final = final
    }
}

/// Turns exported tasks into the bytes of each format, page by page, so an export streams.
public struct ExportEncoder: Sendable {
    public let format: ExportFormat
    public let schema: LabelSchema
    var wroteFirstRecord = false
    var csvDataColumns: [String]?
    /// The schema's mqm fields (their scores join the JSON records) and its first spans field (the CoNLL
    /// export's), found once rather than per task.
    let mqmFields: [(name: String, field: MQMField)]
    let conllField: (name: String, field: SpansField)?

    public init(format: ExportFormat, schema: LabelSchema) {
        self.format = format
        self.schema = schema
        mqmFields = schema.fields.compactMap { field in
            if case .mqm(let mqm) = field.kind { (field.name, mqm) } else { nil }
        }
        conllField = schema.fields.lazy.compactMap { field in
            if case .spans(let spans) = field.kind { (field.name, spans) } else { nil }
        }.first
    }

    /// What comes before the first record.
    public mutating func header() -> String {
        switch format {
        case .json: return "["
        case .ratingsCSV: return ratingsCSVHeader()
        case .mqmCSV: return Self.mqmCSVHeader()
        default: return ""
        }
    }

    /// What comes after the last record.
    public func footer() -> String {
        switch format {
        case .json: return wroteFirstRecord ? "\n]\n" : "]\n"
        default: return ""
        }
    }

    public mutating func encode(_ tasks: [ExportedTask]) -> String {
        var output = ""
        output.reserveCapacity(tasks.count * 256)
        for task in tasks {
            switch format {
            case .jsonl:
                writeJSON(task, into: &output)
                output += "\n"
            case .json:
                output += wroteFirstRecord ? ",\n" : "\n"
                writeJSON(task, into: &output)
            case .csv:
                writeCSV(task, into: &output)
            case .conll:
                writeCoNLL(task, into: &output)
            case .dpo:
                writeDPO(task, into: &output)
            case .kto:
                writeKTO(task, into: &output)
            case .ratingsCSV:
                writeRatingsCSV(task, into: &output)
            case .mqmCSV:
                writeMQMCSV(task, into: &output)
            case .coco, .yolo, .voc, .mot, .pngMasks, .rttm, .webvtt, .srt, .kitti:
                preconditionFailure("dataset formats are written by DatasetEncoder")
            }
            wroteFirstRecord = true
        }
        return output
    }

    func writeJSON(_ task: ExportedTask, into output: inout String) {
        let data = mqmFields.isEmpty ? [:] : ((try? JSONValue.parse(task.dataJSON))?.objectValue ?? [:])
        output += "{\"id\":\""
        output += task.id
        output += "\",\"external_id\":"
        if let externalID = task.externalID { JSONValue.writeString(externalID, into: &output) } else { output += "null" }
        output += ",\"data\":"
        output += task.dataJSON
        output += ",\"prelabels\":"
        output += task.prelabelsJSON
        output += ",\"annotations\":["
        for (index, annotation) in task.annotations.enumerated() {
            if index > 0 { output += "," }
            output += "{\"id\":\""
            output += annotation.id
            output += "\",\"worker\":"
            JSONValue.writeString(annotation.worker, into: &output)
            output += ",\"value\":"
            output += annotation.valueJSON
            if !mqmFields.isEmpty {
                // The MQM score of each mqm field, computed from the errors and the source's words.
                let value = (try? JSONValue.parse(annotation.valueJSON))?.objectValue ?? [:]
                var scores: [String: JSONValue] = [:]
                for (name, mqm) in mqmFields {
                    let score = mqm.score(errors: value[name]?.arrayValue ?? [], sourceText: data[mqm.source]?.stringValue ?? "")
                    scores[name] = score.map { .number(($0 * 100).rounded() / 100) } ?? .null
                }
                output += ",\"mqm_score\":"
                output += JSONValue.object(scores).jsonText
            }
            if let status = annotation.status {
                output += ",\"status\":"
                JSONValue.writeString(status, into: &output)
            }
            if let final = annotation.final {
                output += ",\"final\":true,\"source\":"
                JSONValue.writeString(final.source, into: &output)
                output += ",\"confidence\":"
                output += JSONValue.format(number: (final.confidence * 10_000).rounded() / 10_000)
                output += ",\"agreement\":"
                output += JSONValue.format(number: (final.agreement * 10_000).rounded() / 10_000)
                output += ",\"answers\":"
                output += String(final.answers)
            }
            output += ",\"time_spent_s\":"
            output += JSONValue.format(number: annotation.timeSpentSeconds)
            output += ",\"created_at\":\""
            output += Timestamp.string(annotation.createdAt)
            output += "\"}"
        }
        output += "]}"
    }

    // MARK: CSV: one row per annotation

    mutating func writeCSV(_ task: ExportedTask, into output: inout String) {
        let data = (try? JSONValue.parse(task.dataJSON))?.objectValue ?? [:]
        if csvDataColumns == nil {
            let columns = data.keys.sorted().filter { key in
                switch data[key] { case .string, .number, .bool: true; default: false }
            }
            csvDataColumns = columns
            var header = ["task_id", "external_id", "data"] + columns.map { "data.\($0)" } + ["worker"]
            header += schema.fields.map(\.name)
            header += ["time_spent_s", "created_at"]
            output += header.map(Self.csvCell).joined(separator: ",")
            output += "\r\n"
        }
        let prefix = [task.id, task.externalID ?? "", task.dataJSON]
            + (csvDataColumns ?? []).map { Self.plainText(data[$0]) }
        if task.annotations.isEmpty {
            let row = prefix + [""] + schema.fields.map { _ in "" } + ["", ""]
            output += row.map(Self.csvCell).joined(separator: ",")
            output += "\r\n"
        }
        for annotation in task.annotations {
            let value = (try? JSONValue.parse(annotation.valueJSON))?.objectValue ?? [:]
            var row = prefix + [annotation.worker]
            row += schema.fields.map { Self.plainText(value[$0.name]) }
            row += [JSONValue.format(number: annotation.timeSpentSeconds), Timestamp.string(annotation.createdAt)]
            output += row.map(Self.csvCell).joined(separator: ",")
            output += "\r\n"
        }
    }

    /// A value as a CSV cell: strings as they are, arrays of strings joined with `|`, anything else as JSON.
    static func plainText(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let string)?: return string
        case .number(let number)?: return JSONValue.format(number: number)
        case .bool(let bool)?: return bool ? "true" : "false"
        case .array(let elements)? where elements.allSatisfy({ $0.stringValue != nil }):
            return elements.compactMap(\.stringValue).joined(separator: "|")
        case let other?: return other.jsonText
        }
    }

    /// RFC 4180 quoting; a cell that a spreadsheet would run as a formula is prefixed with `'`.
    static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           Double(cell) == nil {
            cell = "'" + cell
        }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }
}

/// RFC 3339 timestamps in UTC with milliseconds, the one format the API writes.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        var time = time_t(seconds.quotient)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(seconds.remainder), 3))Z"
    }
}
