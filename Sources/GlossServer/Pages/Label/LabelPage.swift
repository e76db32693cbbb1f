import GlossCore
import GlossStore

/// The worker's labeling stream. The task itself is loaded by the editor core over the API; the page carries
/// the schema, the user's hotkeys and the CSRF token as JSON data blocks (never run as script).
enum LabelPage {
    struct Model {
        var principal: Principal
        var project: ProjectModel
        var schema: LabelSchema
        var hotkeys: [String: String]
        /// The idle window of active time (pay settings): time counts only with input in the last this many seconds.
        var idleSeconds: Int = 60
    }

    /// How often the page reports active time (`POST /api/v1/tasks/{id}/activity`).
    static let activitySeconds = 10

    static func render(_ model: Model) -> String {
        let project = model.project
        let config = JSONValue.object([
            "project_id": .string(project.id!.text),
            "schema": model.schema.json,
            "hotkeys": .object(model.hotkeys.mapValues { .string($0) }),
            "heartbeat_seconds": .number(Double(max(10, min(60, project.leaseSeconds / 3)))),
            "activity_seconds": .number(Double(activitySeconds)),
            "idle_seconds": .number(Double(model.idleSeconds)),
        ])
        let content = """
        <div class="label-layout">
          <section class="panel task-panel">
            <p class="crumbs"><a href="\(SiteURL.project(project.id!).path)">\(project.name.htmlEscaped)</a></p>
            <div id="task" aria-live="polite">
              <div id="task-data" class="task-data"><p class="muted">Loading…</p></div>
            </div>
            <div id="done" class="done" hidden>
              <h2>No more tasks</h2>
              <p>Every task you can label in this project is done or taken. Thank you!</p>
              <p><a href="\(SiteURL.projects.path)">Back to projects</a></p>
            </div>
          </section>
          <section class="panel form-panel">
            <form id="annotation-form" autocomplete="off"></form>
            <div class="actions">
              <button type="button" id="submit-button" class="primary">Submit <kbd data-hotkey="submit"></kbd></button>
              <button type="button" id="skip-button">Skip <kbd data-hotkey="skip"></kbd></button>
              <button type="button" id="undo-button">Undo <kbd data-hotkey="undo"></kbd></button>
            </div>
            <p id="status" role="status"></p>
            <details class="guidelines-box"><summary>Guidelines (version \(project.guidelinesVersion))</summary>
              <article class="guidelines">\(Guidelines.html(fromMarkdown: project.guidelines))</article></details>
          </section>
        </div>
        <script type="application/json" id="label-config">\(config.jsonText)</script>
        """
        return Layout.render(.init(title: "Label · \(project.name)", principal: model.principal, bodyClass: "labeling",
                                   scripts: ["/js/label.js"]), content: content)
    }
}
