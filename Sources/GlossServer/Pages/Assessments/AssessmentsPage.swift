import GlossCore

/// The worker's assessments: the starter of their path, the specialist assessments and the practice sets, each
/// with its time limit, attempts left and the tracks it unlocks, a Start button (starting a one-attempt
/// assessment asks first) and links to practice. Filled by `assessments.js` from `GET /api/v1/assessments`.
enum AssessmentsPage {
    struct Model {
        var principal: Principal
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section id="assessments" class="panel workforce-page assessments-page" data-api="/api/v1/assessments" \
        data-dashboard-url="\(SiteURL.dashboard.path)">
          <p class="crumbs"><a href="\(SiteURL.dashboard.path)">Dashboard</a></p>
          <h1>Assessments</h1>
          <p class="muted">An assessment is a short sample of the real work, timed by the server. Passing one unlocks \
        the tracks it names. Practice sets are untimed, never count, and show the right answer after you answer.</p>
          <p id="assessments-status" class="workforce-status" role="status"></p>
          <div id="assessments-root" aria-live="polite"><p class="muted">Loading…</p></div>
        </section>
        """
        return Layout.render(.init(title: "Assessments", principal: model.principal, bodyClass: "workforce",
                                   scripts: ["/js/assessments.js"]), content: content)
    }
}
