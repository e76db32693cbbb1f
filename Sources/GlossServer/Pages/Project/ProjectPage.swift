import Foundation
import GlossCore
import GlossStore

enum ProjectPage {
    struct Model {
        var principal: Principal
        var project: ProjectModel
        var schema: LabelSchema
        var errors: [FieldError] = []
        /// The worker's reviewer or expert qualification on this project, if any.
        var reviewLevel: String? = nil
    }

    static let exportNames: [ExportFormat: String] = [
        .jsonl: "JSON Lines", .json: "JSON", .csv: "CSV", .conll: "CoNLL (IOB2)", .dpo: "Preference pairs (DPO)",
        .kto: "Unpaired judgements (KTO)", .ratingsCSV: "Ratings table", .mqmCSV: "MQM errors table",
        .coco: "COCO", .yolo: "YOLO (zip)", .voc: "Pascal VOC (zip)", .mot: "MOT (zip)", .pngMasks: "PNG masks (zip)",
    ]

    /// A link per export format this schema can fill.
    static func exportLinks(_ id: UUID, schema: LabelSchema) -> String {
        ExportFormat.allCases.filter { $0.unavailableReason(for: schema) == nil }.map { format in
            "<a class=\"export-link button\" data-format=\"\(format.rawValue)\" href=\"\(SiteURL.export(id, format.rawValue).path)\" download>\(exportNames[format] ?? format.rawValue)</a>"
        }.joined(separator: "\n")
    }

    static func reviewLinks(_ id: UUID, level: String?) -> String {
        guard let level else { return "" }
        var links = " <a class=\"review-link button\" href=\"\(SiteURL.review(id, "review").path)\">Review</a>"
        if level == "expert" { links += " <a class=\"expert-link button\" href=\"\(SiteURL.review(id, "expert").path)\">Expert queue</a>" }
        return links
    }

    static func render(_ model: Model) -> String {
        let project = model.project
        let id = project.id!
        let isManager = model.principal.role != .worker
        let required = project.tasksTotal * project.overlap
        let percent = project.tasksTotal == 0 ? 0 : Int((Double(project.tasksDone) / Double(project.tasksTotal) * 100).rounded(.down))
        let fields = model.schema.fields.map { field -> String in
            var detail = field.typeName
            if case .choice(let choice) = field.kind {
                detail += (choice.allowsMultiple ? " (several)" : " (one)") + ": " + choice.options.map(\.label).joined(separator: ", ")
            }
            return "<li><strong>\(field.label.htmlEscaped)</strong> <span class=\"muted\">\(detail.htmlEscaped)\(field.isRequired ? "" : ", optional")</span></li>"
        }.joined()
        var content = """
        <section class="panel">
          <p class="crumbs"><a href="\(SiteURL.projects.path)">Projects</a></p>
          <h1>\(project.name.htmlEscaped) <span class="status status-\(project.status.htmlEscaped)">\(project.status.htmlEscaped)</span></h1>
          \(isManager ? """
          <div class="progress-block">
            <progress max="100" value="\(percent)"></progress>
            <p id="progress">\(project.tasksDone) / \(project.tasksTotal) tasks done · \(project.annotationsCount) / \(required) annotations</p>
          </div>
          """ : "")
          \(model.principal.role == .worker && project.status == "open" ? "<p><a class=\"label-link button primary\" href=\"\(SiteURL.label(id).path)\">Start labeling</a>\(reviewLinks(id, level: model.reviewLevel))</p>" : "")
          \(isManager ? "<p><a class=\"quality-link button\" href=\"\(SiteURL.quality(id).path)\">Quality: agreement, reviews, gold, disagreements</a> <a class=\"cost-link button\" href=\"\(SiteURL.cost(id).path)\">Cost: spend, forecast, rates</a></p>" : "")
          <h2>Labels</h2>
          <ul class="schema-fields">\(fields)</ul>
          <h2>Guidelines</h2>
          <article class="guidelines">\(Guidelines.html(fromMarkdown: project.guidelines))</article>
        </section>
        """
        if isManager {
            let errors = Layout.errorList(model.errors)
            let statusOptions = ProjectStatus.allCases.map {
                "<option value=\"\($0.rawValue)\"\($0.rawValue == project.status ? " selected" : "")>\($0.rawValue)</option>"
            }.joined()
            content += """
            <section class="panel">
              <h2>Import tasks</h2>
              <p class="muted">JSON Lines (<code>{"data": {"text": "..."}, "external_id": "..."}</code> a line), a JSON array of the same, or CSV with a header row (each column becomes a key of <code>data</code>; <code>external_id</code> is kept apart). All or nothing: one bad line rejects the file.</p>
              <form id="import-form" data-project-id="\(id.text)">
                <input type="file" name="file" accept=".jsonl,.ndjson,.json,.csv" required>
                <button type="submit" class="primary">Import</button>
              </form>
              <p id="import-result" role="status"></p>
              <h2>Export</h2>
              <p class="exports">
                \(exportLinks(id, schema: model.schema))
              </p>
            </section>
            <section class="panel" id="project-setup" data-project-id="\(id.text)"></section>
            <section class="panel" id="workforce-panel" data-project-id="\(id.text)"></section>
            <section class="panel">
              <h2>Settings</h2>
              \(errors)
              <form id="settings-form" method="post" action="\(SiteURL.projectSettings(id).path)">
                <input type="hidden" name="_csrf" value="\((model.principal.csrfToken ?? "").htmlEscaped)">
                <label>Name <input name="name" required maxlength="200" value="\(project.name.htmlEscaped)"></label>
                <label>Overlap (workers per task) <input name="overlap" type="number" min="1" max="100" value="\(project.overlap)"></label>
                <label>Status <select name="status">\(statusOptions)</select></label>
                <label>Guidelines (Markdown) <textarea name="guidelines" rows="8">\(project.guidelines.htmlEscaped)</textarea></label>
                <button type="submit" class="primary">Save</button>
              </form>
            </section>
            """
        }
        return Layout.render(.init(title: project.name, principal: model.principal, scripts: isManager ? ["/js/project.js", "/js/project-setup.js", "/js/project-workforce.js"] : []),
                             content: content)
    }
}
