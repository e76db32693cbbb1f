import GlossCore

/// The admin's workforce console: applications, grading of written answers, credentials, tracks and rates,
/// and the audit log. A shell of tabs (buttons with `aria-selected`); `admin.js` fills each panel over the API.
enum AdminPage {
    struct Model {
        var principal: Principal
    }

    /// One tab of the console: the key its button and panel ids are made from, and its caption.
    struct Tab: Sendable {
        var key: String
        var caption: String
    }

    /// The tabs in the order they appear; the first is open when the page loads (or the one named by `#key`).
    static let tabs: [Tab] = [
        Tab(key: "applications", caption: "Applications"),
        Tab(key: "grading", caption: "Grading"),
        Tab(key: "credentials", caption: "Credentials"),
        Tab(key: "tracks", caption: "Tracks & rates"),
        Tab(key: "audit", caption: "Audit log"),
    ]

    static func render(_ model: Model) -> String {
        let buttons = tabs.enumerated().map { index, tab -> String in
            let selected = index == 0
            return """
            <button type="button" role="tab" class="admin-tab" id="tab-\(tab.key.htmlEscaped)" data-tab="\(tab.key.htmlEscaped)" aria-controls="panel-\(tab.key.htmlEscaped)" aria-selected="\(selected ? "true" : "false")" tabindex="\(selected ? "0" : "-1")">\(tab.caption.htmlEscaped)</button>
            """
        }.joined(separator: "\n")
        let panels = tabs.enumerated().map { index, tab -> String in
            """
            <section class="admin-panel" role="tabpanel" id="panel-\(tab.key.htmlEscaped)" data-tab="\(tab.key.htmlEscaped)" aria-labelledby="tab-\(tab.key.htmlEscaped)" tabindex="0"\(index == 0 ? "" : " hidden")>
              <h2>\(tab.caption.htmlEscaped)</h2>
              <div class="admin-body" aria-live="polite"><p class="muted">Loading…</p></div>
            </section>
            """
        }.joined(separator: "\n")
        let content = """
        <section class="panel admin-page" id="admin-console">
          <h1>Workforce admin</h1>
          <p class="muted">Review applications, grade written answers against their rubric, verify credentials, approve, reject or suspend with a reason, and edit tracks and rates. Every action is written to the audit log. Pay settings, pay periods, payouts and workers' ledgers are on <a class="admin-pay-link" href="\(SiteURL.adminPay.path)">Pay</a>.</p>
          <div class="admin-tabs" role="tablist" aria-label="Admin sections">
          \(buttons)
          </div>
          \(panels)
        </section>
        """
        return Layout.render(.init(title: "Admin", principal: model.principal, bodyClass: "admin", scripts: ["/js/admin.js"]),
                             content: content)
    }
}
