import GlossCore

/// The public front page: what the work is, the tracks with their starting rates and who qualifies, and the
/// ways in (apply, browse the open work, sign in).
enum LandingPage {
    struct Model {
        var principal: Principal?
        var tracks: [TrackDefinition]
    }

    /// An hourly rate in cents as people read it: 2000 -> "$20/h", 2250 -> "$22.50/h".
    static func rate(cents: Int) -> String {
        let dollars = cents / 100
        let rest = abs(cents % 100)
        return rest == 0 ? "$\(dollars)/h" : "$\(dollars).\(rest < 10 ? "0" : "")\(rest)/h"
    }

    /// The family of a track as a heading word.
    static func familyName(_ family: TrackFamily) -> String {
        switch family {
        case .general: "General"
        case .multilingual: "Multilingual"
        case .coding: "Coding"
        case .stem: "STEM"
        case .professional: "Professional"
        }
    }

    static func render(_ model: Model) -> String {
        let rows = model.tracks.map { track -> String in
            """
            <tr class="track-row" data-track="\(track.id.htmlEscaped)">
              <th scope="row" class="track-name">\(track.name.htmlEscaped)</th>
              <td class="track-family">\(familyName(track.family).htmlEscaped)</td>
              <td class="number track-rate">\(rate(cents: track.baseRateCents).htmlEscaped)</td>
              <td class="track-eligibility">\(track.eligibility.summary.htmlEscaped)</td>
            </tr>
            """
        }.joined(separator: "\n")
        let body = model.tracks.isEmpty
            ? "<tr class=\"empty\"><td colspan=\"4\" class=\"muted\">No tracks are open yet.</td></tr>"
            : rows
        let from = model.tracks.map(\.baseRateCents).min().map { "from \(rate(cents: $0))" } ?? "by the hour"
        let signIn = model.principal == nil
            ? "<a id=\"landing-sign-in\" href=\"\(SiteURL.login.path)\">Already applied? Sign in</a>"
            : ""
        let content = """
        <section class="panel landing-hero" aria-labelledby="landing-title">
          <h1 id="landing-title">Get paid for what you know</h1>
          <p class="landing-lead">Gloss is where machine-learning teams get training data made by people who know the
          domain: lawyers reading contracts, chemists checking reactions, engineers reviewing code, native speakers
          judging translations. You work from home, on your own hours, and are paid by the hour at your track's
          rate, \(from.htmlEscaped).</p>
          <p class="landing-actions">
            <a class="button primary" id="landing-apply" href="\(SiteURL.apply.path)">Apply now</a>
            <a class="button" id="landing-jobs" href="\(SiteURL.jobs.path)">Browse open work</a>
            \(signIn)
          </p>
        </section>
        <section class="panel landing-how" aria-labelledby="landing-how-title">
          <h2 id="landing-how-title">How it works</h2>
          <ol class="landing-steps">
            <li><strong>Apply.</strong> Tell us about your background: education, experience, languages, programming
            and professional credentials. You can save and come back before you submit.</li>
            <li><strong>Take the starter assessment.</strong> One attempt, timed, and a real sample of the work:
            the general one, or the coding one if you write code.</li>
            <li><strong>Get qualified.</strong> Passing unlocks your first tracks. Specialist assessments (coding,
            each STEM field, law, finance, medicine, languages) unlock the higher-paid ones; professional tracks
            also need a credential we have verified.</li>
            <li><strong>Work on projects that fit you.</strong> Your dashboard lists the projects whose requirements
            you meet, with the rate, the expected time per task, the guidelines and your own quality and earnings.</li>
          </ol>
        </section>
        <section class="panel landing-tracks" aria-labelledby="landing-tracks-title">
          <h2 id="landing-tracks-title">Tracks and starting rates</h2>
          <p class="muted">A project never pays less than the base rate of the track it requires; many pay more.</p>
          <table id="landing-tracks" class="landing-track-table">
            <thead>
              <tr><th scope="col">Track</th><th scope="col">Family</th><th scope="col">Starting rate</th><th scope="col">Who qualifies</th></tr>
            </thead>
            <tbody>
            \(body)
            </tbody>
          </table>
          <p class="landing-actions">
            <a class="button primary" href="\(SiteURL.apply.path)">Start your application</a>
            <a class="button" href="\(SiteURL.jobs.path)">See which tracks fit you</a>
          </p>
        </section>
        """
        return Layout.render(.init(title: "Expert annotation work", principal: model.principal, bodyClass: "landing"),
                             content: content)
    }
}
