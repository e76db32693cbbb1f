import GlossCore

/// The public job board: the listed projects with their track, pay, eligibility and expected hours, filters by
/// track, language, profession and pay, and the "what is your background?" quiz that points a visitor to the
/// tracks and assessments that fit them. `jobs.js` fills it from the API.
enum JobsPage {
    struct Model {
        var principal: Principal?
    }

    /// Profession filter values: the track families, then the sub-domains of the STEM and professional tracks.
    static let professions: [(String, String)] = [
        ("general", "General"), ("multilingual", "Multilingual"), ("coding", "Coding"), ("stem", "STEM (any field)"),
        ("math", "Mathematics"), ("physics", "Physics"), ("chemistry", "Chemistry"), ("biology", "Biology"),
        ("professional", "Professional (any field)"), ("law", "Law"), ("finance", "Finance"), ("medicine", "Medicine"),
    ]

    /// Fields of background the quiz offers (free text is accepted too).
    static let quizFields: [(String, String)] = [
        ("math", "Mathematics or statistics"), ("physics", "Physics"), ("chemistry", "Chemistry"), ("biology", "Biology"),
        ("law", "Law"), ("finance", "Finance"), ("medicine", "Medicine"), ("software", "Software engineering"),
    ]

    /// Credential types the quiz offers, as the tracks' eligibility rules name them.
    static let quizCredentials: [(String, String)] = [
        ("bar_admission", "Bar admission"), ("cfa", "CFA charter"), ("cpa", "CPA licence"), ("medical_licence", "Medical licence"),
    ]

    /// Degree levels, lowest first, as the profile names them.
    static let degrees: [(String, String)] = [
        ("high_school", "High school"), ("associate", "Associate degree"), ("bachelor", "Bachelor's degree"),
        ("master", "Master's degree"), ("professional", "Professional degree (JD, MD…)"), ("phd", "PhD"),
    ]

    static func render(_ model: Model) -> String {
        let professionOptions = professions.map { "<option value=\"\($0.0)\">\($0.1.htmlEscaped)</option>" }.joined()
        let fieldBoxes = quizFields.map { field -> String in
            "<label class=\"quiz-option\"><input type=\"checkbox\" name=\"fields\" value=\"\(field.0)\"> \(field.1.htmlEscaped)</label>"
        }.joined(separator: "\n")
        let credentialBoxes = quizCredentials.map { credential -> String in
            "<label class=\"quiz-option\"><input type=\"checkbox\" name=\"credentials\" value=\"\(credential.0)\"> \(credential.1.htmlEscaped)</label>"
        }.joined(separator: "\n")
        let degreeOptions = degrees.map { "<option value=\"\($0.0)\">\($0.1.htmlEscaped)</option>" }.joined()
        let signedIn = model.principal != nil
        let content = """
        <section class="panel jobs-page" id="jobs-root" data-signed-in="\(signedIn ? "true" : "false")" aria-labelledby="jobs-title">
          <h1 id="jobs-title">Open work</h1>
          <p class="muted">Projects looking for annotators now, paid by the hour. To work on one, apply and pass the
          assessment of its track.</p>
          <form id="jobs-filters" class="jobs-filters" novalidate>
            <label>Track <select name="track"><option value="">Any track</option></select></label>
            <label>Profession <select name="profession"><option value="">Any profession</option>\(professionOptions)</select></label>
            <label>Language <input name="language" list="jobs-language-codes" maxlength="35" placeholder="e.g. de" autocomplete="off"></label>
            <label>Minimum pay ($/h) <input type="number" name="min_rate" min="0" step="1" inputmode="numeric"></label>
            <div class="jobs-filter-actions">
              <button type="submit" class="primary" id="jobs-filter">Filter</button>
              <button type="button" id="jobs-clear">Clear</button>
            </div>
            <datalist id="jobs-language-codes"></datalist>
          </form>
          <p id="jobs-status" class="jobs-status" role="status" aria-live="polite"></p>
          <div id="jobs-list" class="jobs-list" data-loaded="false"></div>
        </section>
        <section class="panel jobs-quiz" id="jobs-quiz" aria-labelledby="quiz-title">
          <h2 id="quiz-title">What is your background?</h2>
          <p class="muted">Answer a few questions to see which tracks fit you, what they pay and which assessment unlocks them.</p>
          <form id="quiz-form" class="quiz-form" novalidate>
            <fieldset class="quiz-fields" data-field="fields">
              <legend>Fields you know well</legend>
              \(fieldBoxes)
              <label class="quiz-other">Other fields (comma-separated) <input name="other_fields" maxlength="300" placeholder="e.g. linguistics, tax law"></label>
            </fieldset>
            <div class="quiz-grid">
              <label>Highest degree <select name="degree" data-field="degree"><option value="">None of these</option>\(degreeOptions)</select></label>
              <label>Years of professional experience <input type="number" name="years_experience" data-field="years_experience" min="0" max="60" step="1" value="0"></label>
              <label>Languages you work in (codes, comma-separated) <input name="languages" data-field="languages" maxlength="200" placeholder="e.g. en, de"></label>
            </div>
            <label class="quiz-option"><input type="checkbox" name="programming" value="yes" data-field="programming"> I write code (professionally or in research)</label>
            <fieldset class="quiz-credentials" data-field="credentials">
              <legend>Credentials you hold</legend>
              \(credentialBoxes)
            </fieldset>
            <button type="submit" class="primary" id="quiz-submit">Show the tracks that fit me</button>
          </form>
          <p id="quiz-status" class="jobs-status" role="status" aria-live="polite"></p>
          <div id="quiz-results" class="quiz-results"></div>
        </section>
        """
        return Layout.render(.init(title: "Open work", principal: model.principal, bodyClass: "jobs", scripts: ["/js/jobs.js"]),
                             content: content)
    }
}
