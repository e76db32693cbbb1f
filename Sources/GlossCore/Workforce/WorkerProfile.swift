import Foundation

/// How well someone speaks a language, ordered basic < professional < fluent < native.
public enum Proficiency: String, Sendable, Hashable, CaseIterable, Comparable {
    case basic, professional, fluent, native

    /// Position in the order above (0 for basic).
    public var rank: Int {
        switch self {
        case .basic: 0
        case .professional: 1
        case .fluent: 2
        case .native: 3
        }
    }

    public static func < (lhs: Proficiency, rhs: Proficiency) -> Bool { lhs.rank < rhs.rank }
}

/// The highest degree an education entry stands for. A professional degree (JD, MD) ranks with a master's:
/// high_school < associate < bachelor < master = professional < phd.
public enum DegreeLevel: String, Sendable, Hashable, CaseIterable {
    case high_school, associate, bachelor, master, phd, professional

    /// Position in the order above; master and professional share 3.
    public var rank: Int {
        switch self {
        case .high_school: 0
        case .associate: 1
        case .bachelor: 2
        case .master, .professional: 3
        case .phd: 4
        }
    }

    /// Whether this degree is at least `minimum` by rank (a professional degree meets a master's minimum).
    public func meets(_ minimum: DegreeLevel) -> Bool { rank >= minimum.rank }

    /// The degree in plain English with its article ("a master's degree"), for summaries.
    public var phrase: String {
        switch self {
        case .high_school: "a high-school diploma"
        case .associate: "an associate degree"
        case .bachelor: "a bachelor's degree"
        case .master: "a master's degree"
        case .phd: "a PhD"
        case .professional: "a professional degree (such as a JD or MD)"
        }
    }
}

/// One degree an applicant holds.
public struct Education: Sendable, Hashable {
    public var degree: DegreeLevel
    public var field: String
    public var institution: String
    public var year: Int

    public init(degree: DegreeLevel, field: String, institution: String, year: Int) {
        self.degree = degree
        self.field = field
        self.institution = institution
        self.year = year
    }
}

/// Years of professional experience in one field.
public struct Experience: Sendable, Hashable {
    public var field: String
    public var years: Int

    public init(field: String, years: Int) {
        self.field = field
        self.years = years
    }
}

/// A language an applicant speaks; `code` is BCP 47-ish and lower-cased ("en", "pt-br").
public struct LanguageSkill: Sendable, Hashable {
    public var code: String
    public var proficiency: Proficiency

    public init(code: String, proficiency: Proficiency) {
        self.code = code
        self.proficiency = proficiency
    }

    /// Whether this skill is in the language `code` asks for: the same code, or a regional variant of it
    /// ("pt-br" is "pt"; "pt" is not "pt-br").
    public func isLanguage(_ code: String) -> Bool {
        let wanted = code.lowercased()
        return self.code == wanted || self.code.hasPrefix(wanted + "-")
    }
}

/// A programming language and the years spent writing it.
public struct ProgrammingSkill: Sendable, Hashable {
    public var language: String
    public var years: Int

    public init(language: String, years: Int) {
        self.language = language
        self.years = years
    }
}

/// Which starter assessment an applicant takes.
public enum ApplicantPath: String, Sendable, Hashable, CaseIterable {
    case general, coding
}

/// What an applicant tells about themselves (name, e-mail and password live on the account, not here).
///
/// ```
/// {"country": "DE", "time_zone": "Europe/Berlin",
///  "availability": {"hours_per_week": 20, "days": ["mon", "wed"]},
///  "education": [{"degree": "master", "field": "Chemistry", "institution": "TU Munich", "year": 2015}],
///  "experience": [{"field": "Software engineering", "years": 6}],
///  "languages": [{"code": "en", "proficiency": "native"}],
///  "programming": [{"language": "Swift", "years": 4}],
///  "path": "coding"}
/// ```
public struct WorkerProfile: Sendable, Hashable {
    /// ISO 3166-1 alpha-2, upper-cased ("DE").
    public var country: String?
    /// IANA time zone name, checked with `TimeZone(identifier:)`.
    public var timeZone: String?
    /// 1...80.
    public var hoursPerWeek: Int?
    /// A subset of `WorkerProfile.weekDays`, in week order, no duplicates.
    public var days: [String]
    public var education: [Education]
    public var experience: [Experience]
    public var languages: [LanguageSkill]
    public var programming: [ProgrammingSkill]
    /// Which starter assessment the applicant takes (default general).
    public var path: ApplicantPath

    public init() {
        country = nil
        timeZone = nil
        hoursPerWeek = nil
        days = []
        education = []
        experience = []
        languages = []
        programming = []
        path = .general
    }

    /// The day names `days` may hold, in week order.
    public static let weekDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// The most entries any list of a profile may hold.
    public static let maximumEntries = 20
    /// Years of experience (per entry) and of programming: 0...60.
    public static let yearsRange = 0...60
    /// Hours per week of availability.
    public static let hoursRange = 1...80
    /// The members a profile object may have.
    public static let members = ["country", "time_zone", "availability", "education", "experience", "languages", "programming", "path"]

    /// Education years accepted in a year: 1950 through six years ahead (expected graduation).
    public static func educationYears(currentYear: Int) -> ClosedRange<Int> { 1950...(currentYear + 6) }

    /// The current calendar year (Gregorian, UTC).
    public static var currentYear: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.component(.year, from: Date())
    }

    /// Parses the JSON above. `complete: false` (saving a draft) checks types, ranges and formats of what is
    /// present; `complete: true` (submitting) also requires country, time_zone, hours_per_week, at least one
    /// day, at least one language, and for path coding at least one programming language. All errors at
    /// once, each naming its path (`education[0].year`, `languages[2].proficiency`).
    public static func parse(_ json: JSONValue, complete: Bool) throws(ValidationFailure) -> WorkerProfile {
        try parse(json, complete: complete, currentYear: currentYear)
    }

    /// `parse(_:complete:)` with the current year given, so that tests can fix it.
    public static func parse(_ json: JSONValue, complete: Bool, currentYear: Int) throws(ValidationFailure) -> WorkerProfile {
        var reader = WorkforceReader()
        var profile = WorkerProfile()
        guard let object = reader.object(json, at: "", name: "profile", allowed: members) else {
            throw ValidationFailure(reader.errors)
        }
        if let text = reader.text(object["country"], at: "country", maximum: 2) {
            let code = text.uppercased()
            if code.count == 2, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                profile.country = code
            } else {
                reader.fail("country", "must be a two-letter ISO 3166 country code such as DE")
            }
        }
        if let text = reader.text(object["time_zone"], at: "time_zone") {
            if TimeZone(identifier: text) != nil { profile.timeZone = text } else {
                reader.fail("time_zone", "must be an IANA time zone such as Europe/Berlin")
            }
        }
        if let value = object["availability"], value != .null,
           let availability = reader.object(value, at: "availability", name: "availability", allowed: ["hours_per_week", "days"]) {
            profile.hoursPerWeek = reader.integer(availability["hours_per_week"], at: "availability.hours_per_week", in: hoursRange)
            if let days = reader.array(availability["days"], at: "availability.days", maximum: weekDays.count) {
                var seen = Set<String>()
                for (index, day) in days.enumerated() {
                    let path = "availability.days[\(index)]"
                    guard let name = day.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(),
                          weekDays.contains(name) else {
                        reader.fail(path, "must be one of \(weekDays.joined(separator: ", "))")
                        continue
                    }
                    if !seen.insert(name).inserted { reader.fail(path, "lists '\(name)' twice") }
                }
                profile.days = weekDays.filter(seen.contains)
            }
        }
        if let entries = reader.array(object["education"], at: "education", maximum: maximumEntries) {
            let years = educationYears(currentYear: currentYear)
            for (index, entry) in entries.enumerated() {
                let path = "education[\(index)]"
                guard let members = reader.object(entry, at: path, name: "an education entry", allowed: ["degree", "field", "institution", "year"]) else { continue }
                let degree = reader.word(members["degree"], at: "\(path).degree", as: DegreeLevel.self, required: true)
                let field = reader.text(members["field"], at: "\(path).field", required: true)
                let institution = reader.text(members["institution"], at: "\(path).institution", required: true)
                let year = reader.integer(members["year"], at: "\(path).year", in: years, required: true)
                if let degree, let field, let institution, let year {
                    profile.education.append(Education(degree: degree, field: field, institution: institution, year: year))
                }
            }
        }
        if let entries = reader.array(object["experience"], at: "experience", maximum: maximumEntries) {
            for (index, entry) in entries.enumerated() {
                let path = "experience[\(index)]"
                guard let members = reader.object(entry, at: path, name: "an experience entry", allowed: ["field", "years"]) else { continue }
                let field = reader.text(members["field"], at: "\(path).field", required: true)
                let years = reader.integer(members["years"], at: "\(path).years", in: yearsRange, required: true)
                if let field, let years { profile.experience.append(Experience(field: field, years: years)) }
            }
        }
        if let entries = reader.array(object["languages"], at: "languages", maximum: maximumEntries) {
            var seen = Set<String>()
            for (index, entry) in entries.enumerated() {
                let path = "languages[\(index)]"
                guard let members = reader.object(entry, at: path, name: "a language entry", allowed: ["code", "proficiency"]) else { continue }
                let code = reader.languageCode(members["code"], at: "\(path).code", required: true)
                let proficiency = reader.word(members["proficiency"], at: "\(path).proficiency", as: Proficiency.self, required: true)
                if let code, !seen.insert(code).inserted { reader.fail("\(path).code", "lists '\(code)' twice") }
                if let code, let proficiency { profile.languages.append(LanguageSkill(code: code, proficiency: proficiency)) }
            }
        }
        if let entries = reader.array(object["programming"], at: "programming", maximum: maximumEntries) {
            for (index, entry) in entries.enumerated() {
                let path = "programming[\(index)]"
                guard let members = reader.object(entry, at: path, name: "a programming entry", allowed: ["language", "years"]) else { continue }
                let language = reader.text(members["language"], at: "\(path).language", required: true)
                let years = reader.integer(members["years"], at: "\(path).years", in: yearsRange, required: true)
                if let language, let years { profile.programming.append(ProgrammingSkill(language: language, years: years)) }
            }
        }
        if let path = reader.word(object["path"], at: "path", as: ApplicantPath.self) { profile.path = path }
        if complete {
            func require(_ present: Bool, _ key: String, _ message: String) {
                // Only when the member itself raised no error: one message per path.
                if !present, !reader.errors.contains(where: { $0.field == key || $0.field.hasPrefix(key + "[") }) {
                    reader.fail(key, message)
                }
            }
            require(profile.country != nil, "country", "is required")
            require(profile.timeZone != nil, "time_zone", "is required")
            require(profile.hoursPerWeek != nil, "availability.hours_per_week", "is required")
            require(!profile.days.isEmpty, "availability.days", "must name at least one day")
            require(!profile.languages.isEmpty, "languages", "must list at least one language")
            if profile.path == .coding {
                require(!profile.programming.isEmpty, "programming", "must list at least one programming language for the coding path")
            }
        }
        guard reader.errors.isEmpty else { throw ValidationFailure(reader.errors) }
        return profile
    }

    /// The profile as JSON in the form `parse` reads; absent values are left out.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["path": .string(path.rawValue)]
        if let country { object["country"] = .string(country) }
        if let timeZone { object["time_zone"] = .string(timeZone) }
        var availability: [String: JSONValue] = ["days": .array(days.map(JSONValue.string))]
        if let hoursPerWeek { availability["hours_per_week"] = .number(Double(hoursPerWeek)) }
        object["availability"] = .object(availability)
        object["education"] = .array(education.map {
            .object(["degree": .string($0.degree.rawValue), "field": .string($0.field), "institution": .string($0.institution),
                     "year": .number(Double($0.year))])
        })
        object["experience"] = .array(experience.map { .object(["field": .string($0.field), "years": .number(Double($0.years))]) })
        object["languages"] = .array(languages.map { .object(["code": .string($0.code), "proficiency": .string($0.proficiency.rawValue)]) })
        object["programming"] = .array(programming.map { .object(["language": .string($0.language), "years": .number(Double($0.years))]) })
        return .object(object)
    }

    /// Years of experience in entries whose field contains one of `keywords` (case-insensitive), each entry
    /// counted once; every entry when `keywords` is empty.
    public func yearsOfExperience(in keywords: [String]) -> Int {
        experience.filter { keywords.isEmpty || Workforce.field($0.field, matchesAnyOf: keywords) }.reduce(0) { $0 + $1.years }
    }
}

/// Small shared rules of the workforce types.
public enum Workforce {
    /// Whether `field` contains one of `keywords`, ignoring case and surrounding spaces (empty keywords never match).
    public static func field(_ field: String, matchesAnyOf keywords: [String]) -> Bool {
        keywords.contains { keyword in
            let trimmed = keyword.trimmingCharacters(in: .whitespacesAndNewlines)
            return !trimmed.isEmpty && field.range(of: trimmed, options: [.caseInsensitive, .diacriticInsensitive]) != nil
        }
    }

    /// Whether `code` is a language code as profiles store it: `^[a-z]{2,3}(-[a-z0-9]{2,8})*$`.
    public static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
              primary.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// A language code in English ("German", "Portuguese (pt-br)"); the code itself when unknown.
    public static func languageName(_ code: String) -> String {
        let primary = code.split(separator: "-").first.map(String.init) ?? code
        guard let name = Locale(identifier: "en").localizedString(forLanguageCode: primary) else { return code }
        return primary == code ? name : "\(name) (\(code))"
    }

    /// A country code in English ("Germany"); the code itself when unknown.
    public static func countryName(_ code: String) -> String {
        Locale(identifier: "en").localizedString(forRegionCode: code) ?? code
    }

    /// A credential type in plain English: `bar_admission` -> "bar admission", `cfa` -> "CFA".
    public static func credentialName(_ type: String) -> String {
        let words = type.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " }).map(String.init)
        if words.count == 1, let word = words.first, word.count <= 3 { return word.uppercased() }
        return words.joined(separator: " ")
    }

    /// Joins phrases as English does: "a", "a or b", "a, b or c".
    public static func list(_ items: [String], conjunction: String = "or") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + (items.last ?? "")
        }
    }
}

/// Reads the members of workforce JSON, collecting every error with its dotted path. A `null` member is
/// taken as absent.
struct WorkforceReader {
    var errors: [FieldError] = []

    mutating func fail(_ path: String, _ message: String) {
        errors.append(FieldError(field: path, message: message))
    }

    /// `value` as an object whose keys are all in `allowed`; each unknown key is an error naming it.
    mutating func object(_ value: JSONValue, at path: String, name: String, allowed: [String]) -> [String: JSONValue]? {
        guard let object = value.objectValue else {
            fail(path.isEmpty ? name : path, "must be an object")
            return nil
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            fail(path.isEmpty ? key : "\(path).\(key)", "is not a member of \(name) (expected \(allowed.joined(separator: ", ")))")
        }
        return object
    }

    /// Whether a member is absent (reporting it when required).
    private mutating func isAbsent(_ value: JSONValue?, at path: String, required: Bool) -> Bool {
        guard let value, value != .null else {
            if required { fail(path, "is required") }
            return true
        }
        return false
    }

    /// A string trimmed of surrounding spaces, 1...maximum characters.
    mutating func text(_ value: JSONValue?, at path: String, maximum: Int = 200, required: Bool = false) -> String? {
        guard !isAbsent(value, at: path, required: required), let value else { return nil }
        guard let string = value.stringValue else { fail(path, "must be a string"); return nil }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { fail(path, "must not be empty"); return nil }
        guard trimmed.count <= maximum else { fail(path, "must be at most \(maximum) characters"); return nil }
        return trimmed
    }

    mutating func integer(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard !isAbsent(value, at: path, required: required), let value else { return nil }
        guard let integer = value.intValue else { fail(path, "must be a whole number"); return nil }
        guard range.contains(integer) else { fail(path, "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return integer
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        guard !isAbsent(value, at: path, required: false), let value else { return nil }
        guard let bool = value.boolValue else { fail(path, "must be true or false"); return nil }
        return bool
    }

    /// An array of at most `maximum` elements.
    mutating func array(_ value: JSONValue?, at path: String, maximum: Int = 20, required: Bool = false) -> [JSONValue]? {
        guard !isAbsent(value, at: path, required: required), let value else { return nil }
        guard let array = value.arrayValue else { fail(path, "must be an array"); return nil }
        guard array.count <= maximum else { fail(path, "must have at most \(maximum) entries"); return nil }
        return array
    }

    /// One of an enumeration's raw values.
    mutating func word<Word: RawRepresentable & CaseIterable>(_ value: JSONValue?, at path: String, as type: Word.Type,
                                                               required: Bool = false) -> Word? where Word.RawValue == String {
        guard !isAbsent(value, at: path, required: required), let value else { return nil }
        guard let string = value.stringValue, let word = Word(rawValue: string) else {
            fail(path, "must be one of \(Word.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return word
    }

    /// A language code, lower-cased.
    mutating func languageCode(_ value: JSONValue?, at path: String, required: Bool = false) -> String? {
        guard let text = text(value, at: path, maximum: 35, required: required) else { return nil }
        let code = text.lowercased()
        guard Workforce.isLanguageCode(code) else {
            fail(path, "must be a language code such as en, de or pt-br")
            return nil
        }
        return code
    }

    /// An array of trimmed strings (1...maximumLength characters), duplicates (ignoring case) reported.
    mutating func strings(_ value: JSONValue?, at path: String, maximum: Int = 20, maximumLength: Int = 200,
                          transform: (String) -> String? = { $0 }, expected: String = "") -> [String]? {
        guard let elements = array(value, at: path, maximum: maximum) else { return nil }
        var result: [String] = []
        var seen = Set<String>()
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard let text = text(element, at: elementPath, maximum: maximumLength, required: true) else { continue }
            guard let item = transform(text) else { fail(elementPath, expected.isEmpty ? "is not valid" : expected); continue }
            if !seen.insert(item.lowercased()).inserted { fail(elementPath, "lists '\(item)' twice"); continue }
            result.append(item)
        }
        return result
    }
}
