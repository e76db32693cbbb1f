import GlossCore

/// A track's practice set: items like an assessment's that show the right answer and an explanation once the
/// worker checks theirs. Practice never counts. Filled by `practice.js` from `GET /api/v1/practice/{track}`.
enum PracticePage {
    struct Model {
        var principal: Principal
        var track: String
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section id="practice" class="panel workforce-page practice-page" data-track="\(model.track.htmlEscaped)" \
        data-assessments-url="\(SiteURL.assessments.path)">
          <p class="crumbs"><a href="\(SiteURL.dashboard.path)">Dashboard</a> › <a href="\(SiteURL.assessments.path)">Assessments</a></p>
          <h1>Practice · <span id="practice-track">\(model.track.htmlEscaped)</span></h1>
          <p class="muted">Answer an item and check it: you see the right answer and why. Practice never counts \
        toward an assessment or your quality score.</p>
          <p id="practice-status" class="workforce-status" role="status"></p>
          <ol id="practice-items" class="attempt-items practice-items"><li class="muted">Loading…</li></ol>
        </section>
        """
        return Layout.render(.init(title: "Practice · \(model.track)", principal: model.principal, bodyClass: "workforce",
                                   scripts: ["/js/practice.js"]), content: content)
    }
}
