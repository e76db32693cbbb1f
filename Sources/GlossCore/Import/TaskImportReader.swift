/// Reads an import file chunk by chunk (as it arrives over the network) and hands out complete tasks, so the
/// file is never held whole. Errors name the line where the bad task starts.
///
/// Formats: JSON Lines (one task object a line; blank lines ignored), a JSON array of task objects, and CSV
/// (RFC 4180: a header row, quoted fields may hold commas, quotes and newlines).
public struct TaskImportReader: Sendable {
    public let format: ImportFormat
    let schema: LabelSchema
    /// The project's taxonomies, for pre-labels of `taxonomy` fields.
    let taxonomies: [String: Taxonomy]

    /// Bytes of the record being assembled across chunks.
    var pending: [UInt8] = []
    /// Line number (1-based) at the start of `pending`'s record.
    var recordLine = 1
    /// Current line number at the scan position.
    var line = 1
    var tasksRead = 0

    // JSON array state
    var arrayState: ArrayState = .beforeArray
    var depth = 0
    var inString = false
    var escaped = false

    // CSV state
    var csv = CSVScanner()
    var csvHeader: [String]?

    enum ArrayState: Sendable { case beforeArray, beforeElement, inElement, afterElement, afterArray }

    public init(format: ImportFormat, schema: LabelSchema, taxonomies: [String: Taxonomy] = [:]) {
        self.format = format
        self.schema = schema
        self.taxonomies = taxonomies
    }

    /// Feeds the next chunk; returns the tasks it completed.
    public mutating func consume(_ chunk: some Collection<UInt8>) throws(FieldError) -> [ImportedTask] {
        var tasks: [ImportedTask] = []
        switch format {
        case .jsonLines: try consumeLines(chunk, into: &tasks)
        case .json: try consumeArray(chunk, into: &tasks)
        case .csv: try consumeCSV(chunk, into: &tasks)
        }
        tasksRead += tasks.count
        return tasks
    }

    /// Ends the input; returns the last task, if any, and checks the file was complete.
    public mutating func finish() throws(FieldError) -> [ImportedTask] {
        var tasks: [ImportedTask] = []
        switch format {
        case .jsonLines:
            if let task = try lineTask(pending, line: recordLine) { tasks.append(task) }
            pending.removeAll()
        case .json:
            switch arrayState {
            case .afterArray: break
            case .beforeArray: throw FieldError(field: "body", message: "expected a JSON array of tasks", line: line)
            default: throw FieldError(field: "body", message: "the JSON array is not closed (unexpected end of file)", line: line)
            }
        case .csv:
            if let record = try csv.finish(), let task = try csvTask(record.fields, line: record.line) { tasks.append(task) }
            if csvHeader == nil { throw FieldError(field: "header", message: "the CSV file is empty: it needs a header row", line: 1) }
        }
        tasksRead += tasks.count
        return tasks
    }

    // MARK: JSON Lines

    mutating func consumeLines(_ chunk: some Collection<UInt8>, into tasks: inout [ImportedTask]) throws(FieldError) {
        var start = chunk.startIndex
        var index = chunk.startIndex
        while index != chunk.endIndex {
            if chunk[index] == 0x0A {
                pending.append(contentsOf: chunk[start..<index])
                if let task = try lineTask(pending, line: recordLine) { tasks.append(task) }
                pending.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
                start = chunk.index(after: index)
            }
            index = chunk.index(after: index)
        }
        pending.append(contentsOf: chunk[start..<chunk.endIndex])
    }

    func lineTask(_ bytes: [UInt8], line: Int) throws(FieldError) -> ImportedTask? {
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        var begin = 0
        if line == 1, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { begin = 3 }
        if bytes[begin..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        let schema = self.schema
        let taxonomies = self.taxonomies
        return try bytes.withUnsafeBufferPointer { buffer throws(FieldError) in
            try ImportedTask.read(json: UnsafeBufferPointer(rebasing: buffer[begin..<end]), line: line, schema: schema, taxonomies: taxonomies)
        }
    }

    // MARK: JSON array

    mutating func consumeArray(_ chunk: some Collection<UInt8>, into tasks: inout [ImportedTask]) throws(FieldError) {
        var elementStart: Int? = arrayState == .inElement ? 0 : nil
        let bytes = Array(chunk)
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while index < bytes.count {
            let byte = bytes[index]
            switch arrayState {
            case .beforeArray:
                if byte == 0xEF || byte == 0xBB || byte == 0xBF, line == 1 { break }
                if byte == UInt8(ascii: "[") { arrayState = .beforeElement }
                else if !isSpace(byte) { throw FieldError(field: "body", message: "expected a JSON array of tasks", line: line) }
            case .beforeElement, .afterElement:
                if isSpace(byte) { break }
                if byte == UInt8(ascii: "]") {
                    if arrayState == .beforeElement, tasksRead + tasks.count > 0 {
                        throw FieldError(field: "body", message: "expected a task after ','", line: line)
                    }
                    arrayState = .afterArray
                } else if arrayState == .afterElement {
                    guard byte == UInt8(ascii: ",") else {
                        throw FieldError(field: "body", message: "expected ',' or ']' between tasks", line: line)
                    }
                    arrayState = .beforeElement
                } else {
                    guard byte == UInt8(ascii: "{") else {
                        throw FieldError(field: "task", message: "each element of the array must be a task object", line: line)
                    }
                    arrayState = .inElement
                    recordLine = line
                    elementStart = index
                    depth = 1
                    inString = false
                    escaped = false
                }
            case .inElement:
                if inString {
                    if escaped { escaped = false }
                    else if byte == UInt8(ascii: "\\") { escaped = true }
                    else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        pending.append(contentsOf: bytes[(elementStart ?? 0)...index])
                        let schema = self.schema
                        let taxonomies = self.taxonomies
                        let recordLine = self.recordLine
                        let task = try pending.withUnsafeBufferPointer { buffer throws(FieldError) in
                            try ImportedTask.read(json: buffer, line: recordLine, schema: schema, taxonomies: taxonomies)
                        }
                        tasks.append(task)
                        pending.removeAll(keepingCapacity: true)
                        elementStart = nil
                        arrayState = .afterElement
                    }
                }
            case .afterArray:
                if !isSpace(byte) { throw FieldError(field: "body", message: "unexpected content after the JSON array", line: line) }
            }
            if byte == 0x0A { line += 1 }
            index += 1
        }
        if arrayState == .inElement, let elementStart {
            pending.append(contentsOf: bytes[elementStart..<bytes.count])
        }
    }

    // MARK: CSV

    mutating func consumeCSV(_ chunk: some Collection<UInt8>, into tasks: inout [ImportedTask]) throws(FieldError) {
        for record in try csv.consume(chunk) {
            if let task = try csvTask(record.fields, line: record.line) { tasks.append(task) }
        }
    }

    /// The header (the first record) is kept; every later record is a task.
    mutating func csvTask(_ fields: [String], line: Int) throws(FieldError) -> ImportedTask? {
        guard let header = csvHeader else {
            try ImportedTask.checkCSVHeader(fields)
            csvHeader = fields
            return nil
        }
        return try ImportedTask.read(csvRow: fields, header: header, line: line)
    }
}
