import GlossCore

/// The application form. A visitor creates their account with the first save; a signed-in applicant continues
/// their saved draft. The form is static here; `apply.js` fills it from the API, adds the list rows
/// (education, experience, languages, programming), saves, submits and uploads credentials.
enum ApplyPage {
    struct Model {
        var principal: Principal?
    }

    /// The days of the week as the profile names them, with their labels.
    static let days: [(String, String)] = [
        ("mon", "Mon"), ("tue", "Tue"), ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri"), ("sat", "Sat"), ("sun", "Sun"),
    ]

    static func render(_ model: Model) -> String {
        if let principal = model.principal, principal.role != .worker {
            let content = """
            <section class="panel narrow apply-page" id="apply-other-role">
              <h1>Apply to work with Gloss</h1>
              <p>You are signed in as <strong>\(principal.user.email.htmlEscaped)</strong>, a \(principal.role.rawValue.htmlEscaped) account.
              Applications are for expert accounts: sign out first to apply with another e-mail address.</p>
            </section>
            """
            return Layout.render(.init(title: "Apply", principal: principal, bodyClass: "apply"), content: content)
        }
        let signedIn = model.principal != nil
        let dayBoxes = days.map { day -> String in
            "<label class=\"apply-day\"><input type=\"checkbox\" name=\"days\" value=\"\(day.0)\"> \(day.1)</label>"
        }.joined(separator: "\n")
        let content = """
        <section class="panel apply-page" id="apply-root" data-signed-in="\(signedIn ? "true" : "false")" aria-labelledby="apply-title">
          <h1 id="apply-title">Apply to work with Gloss</h1>
          <p class="muted">Tell us about your background. Everything can be saved as a draft and finished later;
          when you submit, you take the starter assessment for your path.</p>
          <p id="apply-status" class="apply-status" role="status" aria-live="polite"></p>
          <ul id="apply-errors" class="errors" role="alert" hidden></ul>
          <div id="apply-submitted" class="apply-submitted" hidden></div>
          <form id="apply-form" class="apply-form" novalidate data-loaded="false">
            <fieldset class="apply-section" id="apply-account">
              <legend>Your account</legend>
              <p id="apply-signed-in" class="muted" hidden></p>
              <label>Full name <input name="name" data-field="name" autocomplete="name" maxlength="200"></label>
              <div id="apply-new-account"\(signedIn ? " hidden" : "")>
                <label>E-mail <input type="email" name="email" data-field="email" autocomplete="email" maxlength="320"></label>
                <label>Password <input type="password" name="password" data-field="password" autocomplete="new-password" maxlength="200">
                  <span class="hint">At least 8 characters.</span></label>
              </div>
            </fieldset>
            <fieldset class="apply-section" id="apply-location">
              <legend>Where you work from</legend>
              <div class="apply-grid">
                <label>Country <select name="country" data-field="profile.country"><option value="">Choose a country…</option></select></label>
                <label>Time zone <input name="time_zone" data-field="profile.time_zone" list="apply-time-zones" autocomplete="off" maxlength="64"></label>
              </div>
              <datalist id="apply-time-zones"></datalist>
            </fieldset>
            <fieldset class="apply-section" id="apply-availability" data-field="profile.availability">
              <legend>Availability</legend>
              <label class="apply-hours">Hours per week <input type="number" name="hours_per_week" min="1" max="80" step="1" data-field="profile.availability.hours_per_week"></label>
              <fieldset class="apply-days" data-field="profile.availability.days">
                <legend>Typical days</legend>
                \(dayBoxes)
              </fieldset>
            </fieldset>
            <fieldset class="apply-section apply-list" id="apply-education" data-list="education" data-field="profile.education">
              <legend>Education</legend>
              <div class="apply-rows"></div>
              <button type="button" class="apply-add" data-add="education">Add education</button>
            </fieldset>
            <fieldset class="apply-section apply-list" id="apply-experience" data-list="experience" data-field="profile.experience">
              <legend>Professional experience</legend>
              <p class="muted">Years by field, for example "corporate law", "organic chemistry", "software engineering".</p>
              <div class="apply-rows"></div>
              <button type="button" class="apply-add" data-add="experience">Add experience</button>
            </fieldset>
            <fieldset class="apply-section apply-list" id="apply-languages" data-list="languages" data-field="profile.languages">
              <legend>Languages</legend>
              <p class="muted">A language code (en, de, pt-br) and how well you know it.</p>
              <div class="apply-rows"></div>
              <button type="button" class="apply-add" data-add="languages">Add a language</button>
              <datalist id="apply-language-codes"></datalist>
            </fieldset>
            <fieldset class="apply-section apply-list" id="apply-programming" data-list="programming" data-field="profile.programming">
              <legend>Programming languages</legend>
              <div class="apply-rows"></div>
              <button type="button" class="apply-add" data-add="programming">Add a programming language</button>
            </fieldset>
            <fieldset class="apply-section apply-path" id="apply-path" data-field="profile.path">
              <legend>Your path</legend>
              <label class="apply-choice"><input type="radio" name="path" value="general"> <strong>General</strong>:
                text, judging, images and video; the general starter assessment.</label>
              <label class="apply-choice"><input type="radio" name="path" value="coding"> <strong>Coding</strong>:
                code review and programming tasks; the coding starter assessment (list a programming language).</label>
            </fieldset>
            <div class="actions apply-actions">
              <button type="button" id="apply-save">Save and continue later</button>
              <button type="submit" class="primary" id="apply-submit">Submit application</button>
            </div>
          </form>
          <section id="apply-credentials" class="apply-section apply-credentials" aria-labelledby="apply-credentials-title" hidden>
            <h2 id="apply-credentials-title">Professional credentials</h2>
            <p class="muted">A bar admission, a CFA charter, a medical licence… An admin checks the document;
            professional tracks need a verified credential that has not expired. PDF, PNG or JPEG, up to 4 MB.</p>
            <ul id="credential-list" class="credential-list"></ul>
            <form id="credential-form" class="credential-form" novalidate>
              <div class="apply-grid">
                <label>Type <input name="type" data-field="type" list="credential-types" maxlength="100" autocomplete="off"></label>
                <label>Issuer <input name="issuer" data-field="issuer" maxlength="200"></label>
                <label>Number <input name="number" data-field="number" maxlength="200" autocomplete="off"></label>
                <label>Year <input type="number" name="year" data-field="year" min="1950" max="2100" step="1"></label>
                <label>Expires on <input type="date" name="expires_on" data-field="expires_on"></label>
                <label>Document <input type="file" name="document" data-field="document" accept="application/pdf,image/png,image/jpeg"></label>
              </div>
              <datalist id="credential-types">
                <option value="bar_admission">Bar admission</option>
                <option value="cfa">CFA charter</option>
                <option value="cpa">CPA licence</option>
                <option value="medical_licence">Medical licence</option>
              </datalist>
              <button type="submit" id="credential-upload">Upload credential</button>
              <p id="credential-status" class="apply-status" role="status" aria-live="polite"></p>
            </form>
          </section>
        </section>
        """
        return Layout.render(.init(title: "Apply", principal: model.principal, bodyClass: "apply", scripts: ["/js/apply.js"]),
                             content: content)
    }
}
