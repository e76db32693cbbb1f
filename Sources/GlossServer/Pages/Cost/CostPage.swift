import Foundation
import GlossCore
import GlossStore

/// What a project costs, as the cost page shows it on first paint: the figures of
/// `GET /api/v1/projects/{id}/cost`, the rate history of `GET /api/v1/projects/{id}/rates` and the chart
/// (`CostChart.svg`) rendered on the server. Money is integer cents; times are seconds since 1970.
struct CostPageData: Sendable {
    /// One UTC day of the window (oldest first, every day, as the API gives them).
    struct Day: Sendable, Hashable {
        var day: String
        var spendCents: Int
        var accepted: Int
        var activeSeconds: Double
    }

    /// One rate change of the project, as `changes` of the rates API.
    struct Rate: Sendable, Hashable {
        var id: String
        var mode: String  // "hourly" | "per_task"
        var rateCents: Int?  // hourly; nil = the project's minimum
        var taskRateCents: Int?  // per task
        var effectiveAt: Double
        var reason: String?
        var createdBy: String?  // e-mail, or nil for Gloss
        var createdAt: Double
    }

    var spendCents: Int = 0
    var accruedCents: Int = 0
    var hours: Double = 0
    var activeSeconds: Double = 0
    var accepted: Int = 0
    var costPerAcceptedCents: Int? = nil
    var remaining: Int = 0
    var medianActiveSeconds: Double? = nil
    var forecastCents: Int? = nil
    var mode: String = "hourly"
    var currentRateCents: Int? = nil
    var taskRateCents: Int? = nil
    /// The window of `days`, in days (the API's `days` query; 30 by default).
    var windowDays: Int = 30
    var days: [Day] = []
    /// Newest effective time first.
    var rates: [Rate] = []
    /// `CostChart.svg(days:width:640,height:240)`: trusted markup made by the server (all its text escaped there).
    var chartSVG: String = ""
}

/// The requester's cost page: spend to date, cost per accepted annotation, hours, the forecast to finish, the
/// chart of spend and throughput per day, the days table, the rate history and the form that schedules a rate
/// change. Rendered complete on the server (the first paint); `cost.js` refreshes it over the API and posts
/// rate changes.
enum CostPage {
    struct Model {
        var principal: Principal
        var project: ProjectModel
        var data: CostPageData
        /// The moment the page is rendered (to tell the rate in force from scheduled ones).
        var now: Double = Date().timeIntervalSince1970
    }

    static let none = "—"

    static func money(_ cents: Int?) -> String {
        cents.map { Money.format($0) } ?? none
    }

    /// "1:02:03" from seconds.
    static func clock(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded()))
        return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }

    static func number(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// A UTC moment, readable, in a <time>.
    static func time(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        let iso = Timestamp.string(date)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return "<time datetime=\"\(iso.htmlEscaped)\">\(formatter.string(from: date)) UTC</time>"
    }

    static func describeRate(mode: String, rateCents: Int?, taskRateCents: Int?) -> String {
        if mode == "per_task" { return "\(money(taskRateCents)) a task" }
        return rateCents.map { "\(Money.format($0)) an hour" } ?? "the minimum an hour (the tracks' base rate)"
    }

    static func figure(_ caption: String, id: String, value: String, attributes: String = "", hint: String = "") -> String {
        """
        <div class="cost-figure"><dt>\(caption.htmlEscaped)</dt><dd id="\(id)" class="figure-value"\(attributes)>\(value.htmlEscaped)</dd>\(hint.isEmpty ? "" : "<dd class=\"muted figure-hint\">\(hint.htmlEscaped)</dd>")</div>
        """
    }

    static func figures(_ data: CostPageData) -> String {
        let cents = { (value: Int?) in value.map { " data-cents=\"\($0)\"" } ?? " data-cents=\"\"" }
        let median = data.medianActiveSeconds
        return """
        <dl class="cost-figures" id="cost-figures">
        \(figure("Spend to date", id: "spend", value: money(data.spendCents), attributes: cents(data.spendCents), hint: "posted to workers' earnings"))
        \(figure("Accrued, not yet posted", id: "accrued", value: money(data.accruedCents), attributes: cents(data.accruedCents), hint: "time on tasks still open"))
        \(figure("Hours worked", id: "hours", value: clock(data.activeSeconds), attributes: " data-seconds=\"\(number(data.activeSeconds))\" data-hours=\"\(number(data.hours, digits: 2))\"", hint: "\(number(data.hours, digits: 2)) hours of active time"))
        \(figure("Accepted annotations", id: "accepted", value: String(data.accepted), attributes: " data-count=\"\(data.accepted)\""))
        \(figure("Cost per accepted annotation", id: "cost-per-accepted", value: money(data.costPerAcceptedCents), attributes: cents(data.costPerAcceptedCents)))
        \(figure("Annotations remaining", id: "remaining", value: String(data.remaining), attributes: " data-count=\"\(data.remaining)\""))
        \(figure("Median active time per accepted annotation", id: "median", value: median.map { "\(number($0)) s" } ?? none,
                 attributes: " data-seconds=\"\(median.map { number($0) } ?? "")\"", hint: "over the last 7 days"))
        \(figure("Forecast to finish", id: "forecast", value: money(data.forecastCents), attributes: cents(data.forecastCents),
                 hint: data.forecastCents == nil ? "no accepted work in the last 7 days to measure the pace" : "remaining × median time × current rate"))
        \(figure("Rate now", id: "current-rate", value: describeRate(mode: data.mode, rateCents: data.currentRateCents, taskRateCents: data.taskRateCents),
                 attributes: " data-mode=\"\(data.mode.htmlEscaped)\""))
        </dl>
        """
    }

    static func dayRows(_ data: CostPageData) -> String {
        let worked = data.days.filter { $0.spendCents != 0 || $0.accepted != 0 || $0.activeSeconds > 0 }.reversed()
        guard !worked.isEmpty else {
            return "<tr class=\"empty\"><td colspan=\"4\" class=\"muted\">No work in the last \(data.windowDays) days.</td></tr>"
        }
        return worked.map { day in
            """
            <tr data-day="\(day.day.htmlEscaped)"><td>\(day.day.htmlEscaped)</td><td class="number day-spend" data-cents="\(day.spendCents)">\(money(day.spendCents).htmlEscaped)</td><td class="number day-accepted">\(day.accepted)</td><td class="number day-active" data-seconds="\(number(day.activeSeconds))">\(clock(day.activeSeconds))</td></tr>
            """
        }.joined(separator: "\n")
    }

    static func rateRows(_ data: CostPageData, now: Double) -> String {
        guard !data.rates.isEmpty else {
            return "<tr class=\"empty\"><td colspan=\"6\" class=\"muted\">No rate change yet: the project pays the rate set on its Workforce panel (at least the tracks' base rate).</td></tr>"
        }
        let inForce = data.rates.filter { $0.effectiveAt <= now }.max { $0.effectiveAt < $1.effectiveAt }?.id
        return data.rates.map { rate in
            let state = rate.id == inForce ? "current" : rate.effectiveAt > now ? "scheduled" : "past"
            let stateText = state == "current" ? "in force" : state
            return """
            <tr data-rate-id="\(rate.id.htmlEscaped)" data-state="\(state)"><td class="rate-effective">\(time(rate.effectiveAt))</td><td class="rate-value">\(describeRate(mode: rate.mode, rateCents: rate.rateCents, taskRateCents: rate.taskRateCents).htmlEscaped)</td><td><span class="badge badge-\(state)">\(stateText)</span></td><td class="rate-reason">\((rate.reason ?? "").htmlEscaped)</td><td class="rate-by">\((rate.createdBy ?? "Gloss").htmlEscaped)</td><td>\(time(rate.createdAt))</td></tr>
            """
        }.joined(separator: "\n")
    }

    static func render(_ model: Model) -> String {
        let project = model.project
        let id = project.id!
        let data = model.data
        let chart = data.chartSVG.isEmpty ? "<p class=\"muted\">The chart is not available.</p>" : data.chartSVG
        let content = """
        <section class="panel cost-page" id="cost-root" data-project-id="\(id.text)" data-days="\(data.windowDays)" data-now="\(Timestamp.string(Date(timeIntervalSince1970: model.now)))">
          <p class="crumbs"><a href="\(SiteURL.projects.path)">Projects</a> › <a href="\(SiteURL.project(id).path)">\(project.name.htmlEscaped)</a></p>
          <h1>Cost · <span class="project-name">\(project.name.htmlEscaped)</span></h1>
          <p class="muted">What this project has cost so far and what finishing it will cost at the current pace and rates. Amounts are in US dollars; days are UTC.</p>
          \(figures(data))
          <p id="cost-status" role="status" class="muted"></p>
          <figure class="cost-chart-figure">
            <div id="cost-chart" class="cost-chart">\(chart)</div>
            <figcaption class="muted">Spend per day (bars, left axis) and accepted annotations per day (line, right axis), the last \(data.windowDays) days.</figcaption>
          </figure>
          <h2>By day</h2>
          <div class="table-scroll">
            <table class="admin-table" id="cost-days">
              <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Spend</th><th scope="col">Accepted</th><th scope="col">Active time</th></tr></thead>
              <tbody>
              \(dayRows(data))
              </tbody>
            </table>
          </div>
        </section>
        <section class="panel cost-page" id="rates-panel">
          <h2>Rates</h2>
          <p class="muted">A rate change applies from its effective time on, never backwards: time already worked keeps the rate it was worked at. An hourly rate is never below the minimum of the project's tracks.</p>
          <div class="table-scroll">
            <table class="admin-table" id="rate-history">
              <thead><tr><th scope="col">Effective (UTC)</th><th scope="col">Rate</th><th scope="col">State</th><th scope="col">Reason</th><th scope="col">By</th><th scope="col">Scheduled at</th></tr></thead>
              <tbody>
              \(rateRows(data, now: model.now))
              </tbody>
            </table>
          </div>
          <h3>Schedule a rate change</h3>
          <form id="rate-change" class="pay-form" novalidate>
            <div class="form-grid">
              <label>Pay <select name="mode" data-field="mode">
                <option value="hourly"\(data.mode == "per_task" ? "" : " selected")>by the hour</option>
                <option value="per_task"\(data.mode == "per_task" ? " selected" : "")>per task</option>
              </select></label>
              <label class="rate-hourly">Hourly rate (dollars) <input name="rate" inputmode="decimal" autocomplete="off" placeholder="e.g. 25.50" data-field="rate_cents"></label>
              <label class="rate-task">Rate per task (dollars) <input name="task_rate" inputmode="decimal" autocomplete="off" placeholder="e.g. 0.40" data-field="task_rate_cents"></label>
              <label>Effective from (UTC) <small>empty: now</small> <input name="effective_at" type="datetime-local" step="1" data-field="effective_at"></label>
              <label class="wide">Reason <small>optional</small> <input name="reason" maxlength="500" autocomplete="off" data-field="reason"></label>
            </div>
            <p class="muted" id="rate-minimum"></p>
            <div class="form-actions"><button type="submit" class="primary">Schedule</button></div>
            <ul class="errors" id="rate-errors" role="alert" hidden></ul>
            <p id="rate-status" role="status"></p>
          </form>
        </section>
        """
        return Layout.render(.init(title: "Cost · \(project.name)", principal: model.principal, bodyClass: "cost-body", scripts: ["/js/cost.js"]),
                             content: content)
    }
}
