extension String {
    /// The text escaped for HTML element content and quoted attribute values.
    public var htmlEscaped: String {
        var output = ""
        output.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
