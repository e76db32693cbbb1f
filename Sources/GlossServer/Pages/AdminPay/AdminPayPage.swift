import GlossCore

/// The admin's pay page: the pay settings (quality bands and their multipliers, the reviewed tasks a raise
/// needs, the idle window, the period length), the pay periods with their payouts and payout files, closing a
/// period, and a worker's ledger with bonuses and adjustments. A shell; `admin-pay.js` fills it over the API.
/// Every moment on this page is UTC.
enum AdminPayPage {
    struct Model {
        var principal: Principal
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section class="panel admin-page pay-admin" id="pay-admin">
          <p class="crumbs"><a href="\(SiteURL.admin.path)">Admin</a></p>
          <h1>Pay</h1>
          <p class="muted">Workers are paid by the hour for their active time (or per task where a project pays so), times the multiplier their quality on a project earns. Earnings are an append-only ledger; closing a period pays every worker's unpaid entries up to its end, once. All times on this page are UTC.</p>
          <p id="pay-load-status" role="status"></p>
        </section>

        <section class="panel admin-page pay-admin" id="pay-settings-panel" aria-labelledby="pay-settings-title">
          <h2 id="pay-settings-title">Settings</h2>
          <form id="pay-settings" class="pay-form" novalidate>
            <fieldset class="bands-fieldset" data-field="bands">
              <legend>Quality bands</legend>
              <p class="muted">A worker's multiplier on a project is the band their quality score reaches, once they have at least the minimum number of reviewed tasks there. The first band starts at quality 0; multipliers may not go down as quality goes up.</p>
              <table class="admin-table" id="bands">
                <thead><tr><th scope="col">From quality (0–1)</th><th scope="col">Multiplier</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
                <tbody><tr class="empty"><td colspan="3" class="muted">Loading…</td></tr></tbody>
              </table>
              <p><button type="button" id="add-band">Add a band</button></p>
            </fieldset>
            <div class="form-grid">
              <label>Reviewed tasks before a raise <input name="min_reviewed" type="number" min="0" max="10000" step="1" required data-field="min_reviewed"></label>
              <label>Idle window (seconds) <small>time without input that still counts</small> <input name="idle_seconds" type="number" min="10" max="600" step="1" required data-field="idle_seconds"></label>
              <label>Pay period (days) <input name="period_days" type="number" min="1" max="31" step="1" required data-field="period_days"></label>
            </div>
            <div class="form-actions"><button type="submit" class="primary" id="save-settings" disabled>Save settings</button></div>
            <ul class="errors" id="settings-errors" role="alert" hidden></ul>
            <p id="settings-status" role="status"></p>
          </form>
        </section>

        <section class="panel admin-page pay-admin" id="periods-panel" aria-labelledby="periods-title">
          <h2 id="periods-title">Pay periods</h2>
          <p id="unpaid" class="muted"></p>
          <form id="close-period" class="pay-form inline-form" novalidate>
            <label>Close the period ending at (UTC) <input name="ends_at" type="datetime-local" step="1" required data-field="ends_at"></label>
            <div class="form-actions"><button type="submit" class="primary">Close the period and pay</button></div>
            <p class="muted close-hint">Every worker's unpaid entries earned before this moment are paid, and their open time up to it is posted first. Closing the same end again pays nothing twice.</p>
          </form>
          <p id="close-status" role="status"></p>
          <div id="close-result" aria-live="polite"></div>
          <div class="table-scroll">
            <table class="admin-table" id="periods">
              <thead><tr><th scope="col">Starts (UTC)</th><th scope="col">Ends (UTC)</th><th scope="col">Closed</th><th scope="col">By</th><th scope="col">Workers</th><th scope="col">Total</th><th scope="col">Payout file</th><th scope="col"><span class="visually-hidden">Payouts</span></th></tr></thead>
              <tbody><tr class="empty"><td colspan="8" class="muted">Loading…</td></tr></tbody>
            </table>
          </div>
        </section>

        <section class="panel admin-page pay-admin" id="ledger-panel" aria-labelledby="ledger-title">
          <h2 id="ledger-title">A worker's ledger</h2>
          <form id="ledger-lookup" class="pay-form inline-form" novalidate>
            <label>Worker's e-mail <small>or user id</small> <input name="email" type="text" autocomplete="off" required data-field="email"></label>
            <div class="form-actions"><button type="submit">Look up</button></div>
          </form>
          <p id="lookup-status" role="status"></p>
          <div id="ledger-detail" hidden>
            <h3 id="ledger-worker"></h3>
            <p class="ledger-balance-line">Balance (unpaid): <strong id="ledger-balance" data-cents=""></strong></p>
            <div class="table-scroll">
              <table class="admin-table" id="ledger-entries">
                <thead><tr><th scope="col">When (UTC)</th><th scope="col">Kind</th><th scope="col">Amount</th><th scope="col">Why</th><th scope="col">Project</th><th scope="col">By</th><th scope="col">Paid</th></tr></thead>
                <tbody></tbody>
              </table>
            </div>
            <p><button type="button" id="ledger-more" hidden>Load more</button></p>
            <h4>Add a bonus or an adjustment</h4>
            <form id="ledger-entry" class="pay-form" novalidate>
              <div class="form-grid">
                <label>Kind <select name="kind" data-field="kind"><option value="bonus">Bonus</option><option value="adjustment">Adjustment</option></select></label>
                <label>Amount (dollars) <small>an adjustment may be negative</small> <input name="amount" inputmode="decimal" autocomplete="off" required placeholder="e.g. 5.00" data-field="amount_cents"></label>
                <label class="wide">Reason <small>shown to the worker</small> <textarea name="reason" rows="2" maxlength="500" required data-field="reason"></textarea></label>
              </div>
              <div class="form-actions"><button type="submit" class="primary">Add to the ledger</button></div>
              <ul class="errors" id="entry-errors" role="alert" hidden></ul>
              <p id="entry-status" role="status"></p>
            </form>
          </div>
        </section>
        """
        return Layout.render(.init(title: "Pay", principal: model.principal, bodyClass: "admin", scripts: ["/js/admin-pay.js"]),
                             content: content)
    }
}
