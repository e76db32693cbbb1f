import GlossCore
import Vapor

/// The frame of every page: header with the signed-in user and sign-out, then the page's content.
enum Layout {
    struct Model {
        var title: String
        var principal: Principal?
        var bodyClass: String = ""
        var scripts: [String] = []
    }

    static func render(_ model: Model, content: String) -> String {
        var nav = """
            <nav class="top-nav">
              <a href="\(SiteURL.jobs.path)">Jobs</a>
              <a href="\(SiteURL.apply.path)">Apply</a>
              <a href="\(SiteURL.login.path)">Sign in</a>
            </nav>
            """
        if let principal = model.principal {
            nav = """
            <nav class="top-nav">
              \(links(for: principal.role))
              <a href="\(SiteURL.settings.path)">Settings</a>
              <span class="who">\(principal.user.email.htmlEscaped) · \(principal.role.rawValue)</span>
              <form id="logout-form" method="post" action="\(SiteURL.logout.path)">
                <input type="hidden" name="_csrf" value="\((principal.csrfToken ?? "").htmlEscaped)">
                <button type="submit" class="link-button">Sign out</button>
              </form>
            </nav>
            """
        }
        let csrf = model.principal?.csrfToken.map { "<meta name=\"csrf-token\" content=\"\($0.htmlEscaped)\">" } ?? ""
        let scripts = model.scripts.map { "<script type=\"module\" src=\"\($0.htmlEscaped)\"></script>" }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(csrf)
        <title>\(model.title.htmlEscaped) · Gloss</title>
        <link rel="stylesheet" href="/css/gloss.css">
        <link rel="icon" href="/favicon.svg" type="image/svg+xml">
        \(scripts)
        </head>
        <body class="\(model.bodyClass.htmlEscaped)">
        <header class="site-header">
          <a class="brand" href="\(SiteURL.home.path)">Gloss</a>
          \(nav)
        </header>
        <main>
        \(content)
        </main>
        </body>
        </html>
        """
    }

    /// The main links of a role: workers find work on their dashboard, admins run the workforce console.
    static func links(for role: Role) -> String {
        switch role {
        case .worker:
            "<a href=\"\(SiteURL.dashboard.path)\">Dashboard</a> <a href=\"\(SiteURL.assessments.path)\">Assessments</a> <a href=\"\(SiteURL.jobs.path)\">Jobs</a> <a href=\"\(SiteURL.timesheet.path)\">Timesheet</a> <a href=\"\(SiteURL.earnings.path)\">Earnings</a>"
        case .requester:
            "<a href=\"\(SiteURL.projects.path)\">Projects</a>"
        case .admin:
            "<a href=\"\(SiteURL.projects.path)\">Projects</a> <a href=\"\(SiteURL.admin.path)\">Admin</a> <a href=\"\(SiteURL.adminPay.path)\">Pay</a>"
        }
    }

    /// The problems of a form, each naming its field; empty when there are none.
    static func errorList(_ errors: [FieldError]) -> String {
        guard !errors.isEmpty else { return "" }
        return "<ul class=\"errors\" role=\"alert\">" + errors.map { "<li>\($0.description.htmlEscaped)</li>" }.joined() + "</ul>"
    }

    static func response(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
                 body: .init(string: html))
    }
}

enum ErrorPage {
    static func response(for problem: Problem, request: Request) -> Response {
        if problem.status == .unauthorized {
            return request.redirect(to: SiteURL.login.path)
        }
        let details = problem.errors.isEmpty ? (problem.detail.map { "<p>\($0.htmlEscaped)</p>" } ?? "") : Layout.errorList(problem.errors)
        let content = """
        <section class="panel narrow">
          <h1>\(problem.status.code) · \(problem.title.htmlEscaped)</h1>
          \(details)
          <p><a href="\(SiteURL.projects.path)">Back to projects</a></p>
        </section>
        """
        return Layout.response(Layout.render(.init(title: problem.title, principal: request.principal), content: content),
                               status: problem.status)
    }
}
