import Foundation

/// One subtitle cue: `text` shown from `start` to `end` seconds, optionally said by `speaker`.
public struct Cue: Sendable, Hashable {
    /// Start, in seconds.
    public var start: Double
    /// End, in seconds.
    public var end: Double
    /// Who speaks, if known.
    public var speaker: String?
    /// What is said; may hold several lines.
    public var text: String

    /// A cue from `start` to `end` seconds.
    public init(start: Double, end: Double, speaker: String? = nil, text: String) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.text = text
    }
}

/// Encoders for speaker turns and subtitles: RTTM, WebVTT and SubRip (SRT).
///
/// Times are rounded to the millisecond; a negative or non-finite time is written as 0, and an end
/// before its start as the start. Cues and turns are written in order of start (then end), ties
/// keeping their given order.
public enum SubtitleFormats {
    /// NIST RTTM, one line per turn:
    /// `SPEAKER <file> 1 <onset> <duration> <NA> <NA> <speaker> <NA> <NA>`, onset and duration in
    /// seconds with three decimals. Whitespace in the file id and speaker names is trimmed and each
    /// run of it inside replaced by `_`; an empty one becomes `unknown`. Turns shorter than half a
    /// millisecond (duration `0.000`) are left out.
    public static func rttm(fileID: String, turns: [TimedLabel]) -> String {
        let file = token(fileID)
        var output = ""
        for turn in ordered(turns, start: \.start, end: \.end) {
            let onset = milliseconds(turn.start)
            let duration = max(0, milliseconds(turn.end) - onset)
            guard duration > 0 else { continue }
            output += "SPEAKER \(file) 1 \(decimal(onset)) \(decimal(duration)) <NA> <NA> \(token(turn.label)) <NA> <NA>\n"
        }
        return output
    }

    /// WebVTT: `WEBVTT`, a blank line, then per cue `HH:MM:SS.mmm --> HH:MM:SS.mmm`, the text (after
    /// `<v Speaker>` when a speaker is given) and a blank line; a cue with neither text nor speaker is left out. `&`, `<` and `>` are escaped in text
    /// and speaker (so the text never holds `-->`), line breaks are `\n`, blank lines in the text are
    /// dropped (a blank line would end the cue), and a speaker name is kept on one line.
    public static func webVTT(_ cues: [Cue]) -> String {
        var output = "WEBVTT\n\n"
        for cue in ordered(cues, start: \.start, end: \.end) {
            var text = lines(cue.text).map(escapeVTT).joined(separator: "\n")
            if let name = speakerName(cue.speaker) { text = "<v \(escapeVTT(name))>" + text }
            guard !text.isEmpty else { continue }
            let start = milliseconds(cue.start)
            let end = max(start, milliseconds(cue.end))
            output += "\(timestamp(milliseconds: start, separator: ".")) --> \(timestamp(milliseconds: end, separator: "."))\n"
            output += text + "\n\n"
        }
        return output
    }

    /// SubRip: per cue its 1-based number, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, the text (prefixed
    /// `Speaker: ` when a speaker is given) and a blank line; a cue with neither text nor speaker is
    /// left out (and not numbered); blank lines in the text are dropped
    /// (a blank line would end the cue). Lines end with `\n`.
    public static func srt(_ cues: [Cue]) -> String {
        var output = ""
        var number = 0
        for cue in ordered(cues, start: \.start, end: \.end) {
            var text = lines(cue.text).joined(separator: "\n")
            if let name = speakerName(cue.speaker) { text = "\(name): " + text }
            guard !text.isEmpty else { continue }
            let start = milliseconds(cue.start)
            let end = max(start, milliseconds(cue.end))
            number += 1
            output += "\(number)\n"
            output += "\(timestamp(milliseconds: start, separator: ",")) --> \(timestamp(milliseconds: end, separator: ","))\n"
            output += text + "\n\n"
        }
        return output
    }

    /// `HH:MM:SS<separator>mmm`, rounded to the millisecond (halves away from zero); hours take as
    /// many digits as they need (`100:00:00.000`). Negative and non-finite times give `00:00:00.000`.
    public static func timestamp(_ seconds: Double, separator: Character) -> String {
        timestamp(milliseconds: milliseconds(seconds), separator: separator)
    }

    static func timestamp(milliseconds total: Int, separator: Character) -> String {
        let hours = total / 3_600_000
        let minutes = total / 60_000 % 60
        let seconds = total / 1000 % 60
        let millis = total % 1000
        return "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2))\(separator)\(pad(millis, 3))"
    }

    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        let value = (seconds * 1000).rounded()
        return value < Double(Int.max / 2) ? Int(value) : Int.max / 2
    }

    static func decimal(_ milliseconds: Int) -> String {
        "\(milliseconds / 1000).\(pad(milliseconds % 1000, 3))"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A speaker name on one line, or nil when blank.
    static func speakerName(_ speaker: String?) -> String? {
        guard let speaker else { return nil }
        let name = speaker.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return name.isEmpty ? nil : name
    }

    static func token(_ name: String) -> String {
        let parts = name.split(whereSeparator: { $0.isWhitespace })
        return parts.isEmpty ? "unknown" : parts.joined(separator: "_")
    }

    /// The non-blank lines of `text` (any line break).
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isNewline }).map(String.init).filter {
            !$0.allSatisfy { $0.isWhitespace }
        }
    }

    static func escapeVTT(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func ordered<T>(_ items: [T], start: (T) -> Double, end: (T) -> Double) -> [T] {
        items.enumerated().sorted { lhs, rhs in
            let (ls, rs) = (milliseconds(start(lhs.element)), milliseconds(start(rhs.element)))
            if ls != rs { return ls < rs }
            let (le, re) = (milliseconds(end(lhs.element)), milliseconds(end(rhs.element)))
            if le != re { return le < re }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
