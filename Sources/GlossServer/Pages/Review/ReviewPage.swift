import GlossCore
import GlossStore

/// A reviewer's queue (peer stage) or an expert's (expert stage): one item at a time, with the task, the
/// annotation in the project's widgets (editable, for a correction) and the verdict buttons. Items are
/// loaded over the API by `review.js`.
enum ReviewPage {
    struct Model {
        var principal: Principal
        var project: ProjectModel
        var schema: LabelSchema
        var stage: String
        var level: String
        var hotkeys: [String: String]
    }

    static func render(_ model: Model) -> String {
        let project = model.project
        let id = project.id!
        let config = JSONValue.object([
            "project_id": .string(id.text),
            "schema": model.schema.json,
            "stage": .string(model.stage),
            "level": .string(model.level),
            "hotkeys": .object(model.hotkeys.mapValues { .string($0) }),
        ])
        let stageName = model.stage == "expert" ? "Expert verification" : "Peer review"
        let otherStage = model.level == "expert"
            ? (model.stage == "expert" ? "<a href=\"\(SiteURL.review(id, "review").path)\">Peer review queue</a>"
                                       : "<a href=\"\(SiteURL.review(id, "expert").path)\">Expert queue</a>")
            : ""
        let content = """
        <div class="label-layout review-layout">
          <section class="panel task-panel">
            <p class="crumbs"><a href="\(SiteURL.project(id).path)">\(project.name.htmlEscaped)</a> › \(stageName) \(otherStage)</p>
            <div id="review-item" aria-live="polite"><p class="muted">Loading…</p></div>
            <div id="review-empty" class="done" hidden>
              <h2>The queue is empty</h2>
              <p>Nothing is waiting for \(model.stage == "expert" ? "an expert" : "review") in this project right now.</p>
              <p><a href="\(SiteURL.projects.path)">Back to projects</a></p>
            </div>
          </section>
          <section class="panel form-panel">
            <form id="review-form" autocomplete="off"></form>
            <label>Comment (required to reject; the worker sees it) <textarea id="review-comment" rows="3" maxlength="5000"></textarea></label>
            <div class="actions" id="review-actions"></div>
            <p id="review-status" role="status"></p>
            <details class="guidelines-box"><summary>Guidelines (version \(project.guidelinesVersion))</summary>
              <article class="guidelines">\(Guidelines.html(fromMarkdown: project.guidelines))</article></details>
          </section>
        </div>
        <script type="application/json" id="review-config">\(config.jsonText)</script>
        """
        return Layout.render(.init(title: "\(stageName) · \(project.name)", principal: model.principal, bodyClass: "labeling",
                                   scripts: ["/js/review.js"]), content: content)
    }
}
