import Foundation
import GlossCore

/// One assessment attempt, for its taker: the time left (the clock runs on the server), every item (multiple
/// choice, written, and annotation items in the platform's own widgets), answers saved as the worker goes
/// (kept on the device until the server has them), Submit, and the result once decided. The items and answers
/// are loaded by `attempt.js` from `GET /api/v1/attempts/{id}`; the user's hotkeys ride in a data attribute.
enum AttemptPage {
    struct Model {
        var principal: Principal
        var attemptID: UUID
        var hotkeys: [String: String]
    }

    static func render(_ model: Model) -> String {
        let id = model.attemptID.text
        let hotkeys = JSONValue.object(model.hotkeys.mapValues { .string($0) }).jsonText
        let content = """
        <section id="attempt" class="panel workforce-page attempt-page" data-attempt-id="\(id.htmlEscaped)" \
        data-api="/api/v1/attempts/\(id.htmlEscaped)" data-hotkeys="\(hotkeys.htmlEscaped)" \
        data-assessments-url="\(SiteURL.assessments.path)" data-dashboard-url="\(SiteURL.dashboard.path)">
          <p class="crumbs"><a href="\(SiteURL.dashboard.path)">Dashboard</a> › <a href="\(SiteURL.assessments.path)">Assessments</a></p>
          <h1 id="attempt-title">Assessment</h1>
          <div class="attempt-bar">
            <p id="attempt-timer" class="attempt-timer" role="timer" aria-live="off"></p>
            <p id="attempt-save-status" class="attempt-save-status" role="status" aria-live="polite"></p>
          </div>
          <p id="attempt-message" class="error attempt-message" role="alert" hidden></p>
          <div id="attempt-result" class="attempt-result" aria-live="polite" hidden></div>
          <ol id="attempt-items" class="attempt-items"><li class="muted">Loading…</li></ol>
          <div id="attempt-actions" class="actions attempt-actions" hidden>
            <button type="button" id="attempt-submit" class="primary">Submit answers</button>
            <span id="attempt-unanswered" class="muted"></span>
          </div>
          <p class="muted attempt-note">You cannot change your answers after you submit. Your answers are saved as you \
        go; if the connection drops they are kept on this device and sent when it is back.</p>
        </section>
        """
        return Layout.render(.init(title: "Assessment", principal: model.principal, bodyClass: "workforce",
                                   scripts: ["/js/attempt.js"]), content: content)
    }
}
