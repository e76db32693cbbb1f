/// Reads RTTM speaker turns (`SPEAKER file channel onset duration <NA> <NA> speaker <NA> <NA>`), so `gloss
/// quality der` can score any diarization, Gloss's exports or another tool's.
public enum RTTMReader {
    /// The turns of each file id, in file order; errors name the line.
    public static func turns(_ text: String) -> Result<[String: [TimedLabel]], FieldError> {
        var result: [String: [TimedLabel]] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.first == "SPEAKER" else { continue }
            guard fields.count >= 8, let onset = Double(fields[3]), let duration = Double(fields[4]), onset.isFinite, duration.isFinite,
                  onset >= 0, duration >= 0 else {
                return .failure(FieldError(field: "rttm", message: "is not a SPEAKER line (file channel onset duration … speaker …)", line: index + 1))
            }
            result[fields[1], default: []].append(TimedLabel(label: fields[7], start: onset, end: onset + duration))
        }
        return .success(result)
    }
}
