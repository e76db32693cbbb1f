import GlossCore

/// The worker's earnings: balance, this pay period, time not yet posted, the rate on each project and why (and
/// what raises it), and the ledger with "Load more". The shell is static; `earnings.js` fills it from
/// `GET /api/v1/me/earnings` and `GET /api/v1/me/ledger`.
enum EarningsPage {
    struct Model {
        var principal: Principal
    }

    static func render(_ model: Model) -> String {
        let content = """
        <section id="earnings" class="panel pay-page earnings-page" data-api="/api/v1/me/earnings" data-ledger-api="/api/v1/me/ledger">
          <h1>Your earnings</h1>
          <p class="pay-links"><a href="\(SiteURL.timesheet.path)" id="timesheet-link">Your timesheet</a></p>
          <p id="earnings-status" class="pay-status" role="status"></p>
          <div id="earnings-root" aria-live="polite">
            <dl class="pay-figures">
              <div class="pay-figure"><dt>Balance</dt><dd id="balance" data-cents="">—</dd>
                <dd class="muted figure-note">owed to you, not yet paid out</dd></div>
              <div class="pay-figure"><dt>This period</dt><dd id="period-earned" data-cents="">—</dd>
                <dd id="period-range" class="muted figure-note"></dd></div>
              <div class="pay-figure"><dt>Pending</dt><dd id="pending" data-cents="">—</dd>
                <dd class="muted figure-note">time on tasks still open</dd></div>
              <div class="pay-figure"><dt>Paid to date</dt><dd id="paid-to-date" data-cents="">—</dd></div>
            </dl>
            <section class="pay-section" aria-labelledby="rates-title">
              <h2 id="rates-title">Your rate on each project</h2>
              <table id="rates" class="pay-table rates-table">
                <thead><tr><th scope="col">Project</th><th scope="col">Pays</th><th scope="col">Base</th>
                  <th scope="col">Multiplier</th><th scope="col">Your rate</th><th scope="col">Why</th>
                  <th scope="col">What raises it</th></tr></thead>
                <tbody></tbody>
              </table>
              <ul id="pay-bands" class="pay-bands"></ul>
            </section>
            <section id="ledger" class="pay-section" aria-labelledby="ledger-title">
              <h2 id="ledger-title">History</h2>
              <table class="pay-table ledger-table">
                <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Project</th>
                  <th scope="col">Amount</th><th scope="col">Why</th><th scope="col">By</th><th scope="col">Paid</th></tr></thead>
                <tbody id="ledger-entries"></tbody>
              </table>
              <p id="ledger-status" class="pay-status" role="status"></p>
              <button type="button" id="ledger-more" hidden>Load more</button>
            </section>
          </div>
        </section>
        """
        return Layout.render(.init(title: "Earnings", principal: model.principal, bodyClass: "workforce pay",
                                   scripts: ["/js/earnings.js"]), content: content)
    }
}
