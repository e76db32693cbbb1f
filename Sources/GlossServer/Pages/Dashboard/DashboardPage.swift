import GlossCore

/// The worker's dashboard: their status and qualifications, this week's stats, the projects they can do (each
/// match explained), the projects they are close to and what is missing, the assessments to take and their
/// unread notifications. The shell is static; `dashboard.js` fills it from `GET /api/v1/dashboard`.
enum DashboardPage {
    struct Model {
        var principal: Principal
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section id="dashboard" class="panel workforce-page dashboard-page" data-api="/api/v1/dashboard" \
        data-notifications-api="/api/v1/me/notifications" data-assessments-url="\(SiteURL.assessments.path)" \
        data-apply-url="\(SiteURL.apply.path)" data-jobs-url="\(SiteURL.jobs.path)">
          <h1 id="dashboard-title">Your dashboard</h1>
          <p id="dashboard-status" class="dashboard-status" role="status"></p>
          <div id="dashboard-root" aria-live="polite"><p class="muted">Loading…</p></div>
        </section>
        """
        return Layout.render(.init(title: "Dashboard", principal: model.principal, bodyClass: "workforce",
                                   scripts: ["/js/dashboard.js"]), content: content)
    }
}
