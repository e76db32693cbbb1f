/// RFC 4180 CSV read byte by byte as the bytes arrive: quoted fields may hold commas, doubled quotes and
/// newlines; `\r` is dropped; blank lines are skipped; a byte-order mark before the first field goes. Each
/// record comes with the line it starts on. Task imports stream through it; taxonomies feed it whole.
public struct CSVScanner: Sendable {
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var quoteSeen = false
    var fieldStarted = false
    var rowHasContent = false
    var recordsRead = 0
    /// The line at the scan position, and the line the record being read started on.
    var line = 1
    var recordLine = 1

    public init() {}

    /// Feeds the next bytes; returns the records they completed.
    public mutating func consume(_ chunk: some Collection<UInt8>) throws(FieldError) -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        for byte in chunk {
            if quoted {
                if quoteSeen {
                    quoteSeen = false
                    if byte == UInt8(ascii: "\"") { field.append(byte); continue }
                    quoted = false
                    // fall through to the unquoted handling of this byte
                } else if byte == UInt8(ascii: "\"") {
                    quoteSeen = true
                    continue
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                    continue
                }
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case 0x0A:
                if let record = endRecord() { records.append((record, recordLine)) }
                line += 1
                recordLine = line
            case 0x0D:
                break
            case UInt8(ascii: "\""):
                guard !fieldStarted, field.isEmpty else {
                    throw FieldError(field: "row", message: "a quote inside an unquoted field (quote the whole field and double the quote)", line: line)
                }
                quoted = true
                fieldStarted = true
                rowHasContent = true
            default:
                field.append(byte)
                fieldStarted = true
                rowHasContent = true
            }
        }
        return records
    }

    /// Ends the input: the last record, if the file does not end with a newline.
    public mutating func finish() throws(FieldError) -> (fields: [String], line: Int)? {
        if quoted && !quoteSeen {
            throw FieldError(field: "row", message: "a quoted field is not closed at the end of the file", line: recordLine)
        }
        return endRecord().map { ($0, recordLine) }
    }

    mutating func endField() {
        var text = String(decoding: field, as: UTF8.self)
        if recordsRead == 0, fields.isEmpty, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        rowHasContent = true
    }

    mutating func endRecord() -> [String]? {
        defer {
            fields.removeAll(keepingCapacity: true)
            rowHasContent = false
            quoted = false
            quoteSeen = false
        }
        guard rowHasContent || !field.isEmpty else { return nil }
        endField()
        recordsRead += 1
        return fields
    }
}
