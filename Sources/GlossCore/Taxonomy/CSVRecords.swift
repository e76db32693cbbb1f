/// A whole CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and newlines) as records, each
/// with the line it starts on. Blank lines are skipped; a byte-order mark before the first field is dropped.
public enum CSVRecords {
    public static func parse(_ text: String) throws(FieldError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var quoteSeen = false
        var fieldStarted = false
        var line = 1
        var recordLine = 1
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        func endRecord() {
            if fieldStarted || !fields.isEmpty || !field.isEmpty {
                fields.append(field)
                records.append((recordLine, fields))
            }
            fields = []
            field = ""
            fieldStarted = false
        }

        for scalar in scalars {
            if quoted {
                if quoteSeen {
                    quoteSeen = false
                    if scalar == "\"" { field.unicodeScalars.append(scalar); continue }
                    quoted = false
                } else if scalar == "\"" {
                    quoteSeen = true
                    continue
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                    continue
                }
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = true
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\r":
                break
            case "\"":
                guard field.isEmpty, !quoted else {
                    throw FieldError(field: "row", message: "a quote inside an unquoted field (quote the whole field and double the quote)", line: line)
                }
                quoted = true
                fieldStarted = true
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if quoted && !quoteSeen {
            throw FieldError(field: "row", message: "a quoted field is not closed", line: recordLine)
        }
        endRecord()
        return records
    }
}
