import GlossCore

/// The worker's timesheet: per day and project their active time, tasks and earnings, the time the quality
/// policy rejected with why, and a note per day. The shell is static; `timesheet.js` fills it from
/// `GET /api/v1/me/timesheet` and saves notes with `PUT /api/v1/me/timesheet/{day}/note`.
enum TimesheetPage {
    struct Model {
        var principal: Principal
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section id="timesheet" class="panel pay-page timesheet-page" data-api="/api/v1/me/timesheet">
          <h1>Your timesheet</h1>
          <p class="pay-links"><a href="\(SiteURL.earnings.path)" id="earnings-link">Earnings and rates</a></p>
          <p id="timesheet-idle" class="muted">Time counts while a task is open, the tab is visible and you used the keyboard or mouse recently.</p>
          <dl class="pay-figures">
            <div class="pay-figure"><dt>Active time <span id="timesheet-range-text" class="muted"></span></dt>
              <dd id="timesheet-total" class="active-time-total" data-seconds="">—</dd></div>
            <div class="pay-figure"><dt>Earned</dt><dd id="timesheet-earned" data-cents="">—</dd></div>
          </dl>
          <form id="timesheet-range" class="pay-inline-form" autocomplete="off">
            <label>From <input type="date" name="from"></label>
            <label>To <input type="date" name="to"></label>
            <button type="submit">Show</button>
          </form>
          <p id="timesheet-status" class="pay-status" role="status"></p>
          <div id="timesheet-root" aria-live="polite"><p class="muted">Loading…</p></div>
          <details class="new-note-box">
            <summary>Add a note for another day</summary>
            <form id="new-note" class="pay-inline-form" autocomplete="off">
              <label>Day <input type="date" name="day" required></label>
              <label>Note <textarea name="note" rows="2" maxlength="2000"></textarea></label>
              <button type="submit">Save</button>
              <span id="new-note-status" class="note-status" role="status"></span>
            </form>
          </details>
        </section>
        """
        return Layout.render(.init(title: "Timesheet", principal: model.principal, bodyClass: "workforce pay",
                                   scripts: ["/js/timesheet.js"]), content: content)
    }
}
