// The worker's earnings: the balance (what Gloss owes them, derived from the ledger), this pay period's
// earnings, time worked but not yet posted, the rate on each project and why (base rate and where it comes
// from, the quality multiplier and its reason, the effective rate, and what would raise it), and the ledger
// itself, newest first, page by page ("Load more"). Filled from `GET /api/v1/me/earnings` and
// `GET /api/v1/me/ledger`. Project names, memos and reasons come from the API and only reach the page as text.

import { api, describeProblem } from "./api.js";
import { make, showStatus } from "./dom.js";
import { formatDate, hourlyRate, money, percent, timeElement } from "./assessments.js";
import { utcTime } from "./money.js";

const LEDGER_PAGE = 50;

const KIND_TEXT = { work: "Work", bonus: "Bonus", adjustment: "Adjustment", payout: "Payout" };

/** Basis points as a multiplier: 11000 -> "×1.10". */
export function multiplierText(basisPoints) {
  if (typeof basisPoints !== "number" || !Number.isFinite(basisPoints)) return "—";
  return `×${(basisPoints / 10_000).toFixed(basisPoints % 100 === 0 ? 2 : 4).replace(/(\.\d\d\d*?)0+$/, "$1")}`;
}

/** What one task pays on a per-task project: cents x basis points / 10 000, rounded half to even, as the server
 * rounds it (Money.taskAmount); integers only, for display (the ledger holds the real amounts). */
export function taskAmount(cents, basisPoints) {
  if (!Number.isInteger(cents) || !Number.isInteger(basisPoints)) return null;
  const product = cents * basisPoints;
  const quotient = Math.floor(product / 10_000);
  const twice = 2 * (product - quotient * 10_000);
  if (twice > 10_000 || (twice === 10_000 && quotient % 2 !== 0)) return quotient + 1;
  return quotient;
}

/** A figure with its cents in `data-cents` (the page's tests and the API agree on cents, never on text). */
function setFigure(element, cents) {
  if (!element) return;
  const value = typeof cents === "number" && Number.isFinite(cents) ? cents : 0;
  element.dataset.cents = String(value);
  element.textContent = money(value);
  element.classList.toggle("negative", value < 0);
}

/** What would raise a rate: the next band's quality and multiplier, and the reviewed tasks still needed. */
export function raiseText(rate) {
  const next = rate?.next;
  if (!next) return "You are in the highest band: keep your quality to keep this rate.";
  const parts = [`Reach ${percent(next.min_quality)} quality for ${multiplierText(next.multiplier_bp)}`];
  if (typeof next.reviewed_needed === "number" && next.reviewed_needed > 0) {
    parts.push(`with ${next.reviewed_needed} more reviewed task${next.reviewed_needed === 1 ? "" : "s"}`);
  }
  return `${parts.join(" ")}.`;
}

class Earnings {
  constructor(section) {
    this.section = section;
    this.api = section.dataset.api || "/api/v1/me/earnings";
    this.ledgerApi = section.dataset.ledgerApi || "/api/v1/me/ledger";
    this.root = document.getElementById("earnings-root");
    this.status = document.getElementById("earnings-status");
    this.rates = document.getElementById("rates");
    this.ledgerBody = document.getElementById("ledger-entries");
    this.more = document.getElementById("ledger-more");
    this.ledgerStatus = document.getElementById("ledger-status");
    this.next = null;
  }

  async start() {
    this.more.addEventListener("click", () => this.loadLedger());
    // The figures and the ledger load side by side; either may fail alone (the ledger reports in its own line).
    const [earnings] = await Promise.allSettled([api("GET", this.api), this.loadLedger({ first: true })]);
    if (earnings.status === "fulfilled") {
      this.data = earnings.value ?? {};
      this.render();
    } else {
      showStatus(this.status, describeProblem(earnings.reason), "error");
    }
    this.root.dataset.loaded = "true";
  }

  render() {
    const data = this.data;
    setFigure(document.getElementById("balance"), data.balance_cents);
    setFigure(document.getElementById("pending"), data.pending_cents);
    setFigure(document.getElementById("paid-to-date"), data.paid_to_date_cents);
    const period = data.period ?? {};
    setFigure(document.getElementById("period-earned"), period.earned_cents);
    const periodText = document.getElementById("period-range");
    if (periodText) {
      periodText.replaceChildren();
      if (period.starts_at && period.ends_at) {
        // Periods are cut at UTC moments: shown in UTC, so the boundary reads the same everywhere.
        periodText.append("from ", utcTime(period.starts_at), " to ", utcTime(period.ends_at));
      }
    }
    const settings = data.settings ?? {};
    const bands = document.getElementById("pay-bands");
    if (bands) bands.replaceChildren(...this.bandItems(settings));
    this.renderRates(Array.isArray(data.rates) ? data.rates : []);
  }

  /** The admin's quality bands in words, so "what raises it" has its whole ladder beside it. */
  bandItems(settings) {
    const items = [];
    for (const band of Array.isArray(settings.bands) ? settings.bands : []) {
      const basisPoints = typeof band.multiplier === "number" ? Math.round(band.multiplier * 10_000) : null;
      items.push(make("li", { className: "band" }, `${band.min_quality > 0 ? `quality ${percent(band.min_quality)} or more` : "any quality"}: ${multiplierText(basisPoints)}`));
    }
    if (typeof settings.min_reviewed === "number") {
      items.push(make("li", { className: "band-rule muted" }, `Raises apply once at least ${settings.min_reviewed} of your tasks on the project were reviewed.`));
    }
    if (typeof settings.period_days === "number") {
      items.push(make("li", { className: "band-rule muted" }, `Pay periods last ${settings.period_days} day${settings.period_days === 1 ? "" : "s"}.`));
    }
    return items;
  }

  renderRates(rates) {
    const body = this.rates.tBodies[0] ?? this.rates.appendChild(make("tbody"));
    body.replaceChildren();
    if (!rates.length) {
      const row = make("tr", { className: "empty" });
      row.append(make("td", { colspan: 7, className: "muted" }, "No projects yet: the rate of each project you work on appears here."));
      body.append(row);
      return;
    }
    for (const rate of rates) body.append(this.rateRow(rate));
  }

  rateRow(rate) {
    const perTask = rate.mode === "per_task";
    const row = make("tr", { "data-project-id": rate.project_id, "data-mode": rate.mode ?? "" });
    row.append(make("th", { scope: "row", className: "project-name" }, rate.project_name ?? "Project"));
    row.append(make("td", { className: "mode" }, perTask ? "Per task" : "Hourly"));
    const base = make("td", { className: "base-rate number", "data-cents": String(perTask ? rate.task_rate_cents ?? "" : rate.base_rate_cents ?? "") },
      perTask ? `${money(rate.task_rate_cents)}/task` : hourlyRate(rate.base_rate_cents));
    row.append(base);
    row.append(make("td", { className: "multiplier number", "data-bp": String(rate.multiplier_bp ?? "") }, multiplierText(rate.multiplier_bp)));
    // effective_rate_cents is hourly; a per-task project shows what one task pays at this multiplier.
    const perTaskAmount = perTask ? taskAmount(rate.task_rate_cents, rate.multiplier_bp) : null;
    const effectiveCents = perTask ? perTaskAmount : rate.effective_rate_cents;
    const effective = perTask ? `${money(perTaskAmount)}/task` : hourlyRate(rate.effective_rate_cents);
    row.append(make("td", { className: "effective-rate number", "data-cents": String(effectiveCents ?? "") }, effective));
    const why = make("td", { className: "why" });
    if (rate.base_reason) why.append(make("p", { className: "base-reason" }, rate.base_reason));
    if (rate.multiplier_reason) why.append(make("p", { className: "multiplier-reason" }, rate.multiplier_reason));
    const quality = rate.quality == null ? "no quality score yet" : `quality ${percent(rate.quality)}`;
    why.append(make("p", { className: "quality muted" }, `${quality} · ${rate.reviewed ?? 0} reviewed`));
    row.append(why);
    row.append(make("td", { className: "raise" }, raiseText(rate)));
    return row;
  }

  /** One page of the ledger (the first, or the one after the last shown); "Load more" shows while there is more. */
  async loadLedger({ first = false } = {}) {
    if (!first && !this.next) return;
    const params = new URLSearchParams({ limit: String(LEDGER_PAGE) });
    if (!first) params.set("before", this.next);
    this.more.disabled = true;
    try {
      const page = await api("GET", `${this.ledgerApi}?${params}`);
      const entries = Array.isArray(page?.entries) ? page.entries : [];
      if (first) this.ledgerBody.replaceChildren();
      for (const entry of entries) this.ledgerBody.append(this.entryRow(entry));
      if (first && !entries.length) {
        const row = make("tr", { className: "empty" });
        row.append(make("td", { colspan: 7, className: "muted" }, "Nothing yet: work you submit is entered here."));
        this.ledgerBody.append(row);
      }
      this.next = page?.next ?? null;
      this.more.hidden = !this.next;
      showStatus(this.ledgerStatus, "");
    } catch (error) {
      showStatus(this.ledgerStatus, describeProblem(error), "error");
    } finally {
      this.more.disabled = false;
    }
  }

  entryRow(entry) {
    const amount = typeof entry.amount_cents === "number" ? entry.amount_cents : 0;
    const row = make("tr", { className: `ledger-entry kind-${entry.kind ?? "other"}`, "data-entry-id": entry.id, "data-kind": entry.kind ?? "" });
    const when = make("td", { className: "when" });
    when.append(timeElement(entry.earned_at ?? entry.created_at));
    row.append(when);
    row.append(make("td", { className: "kind" }, KIND_TEXT[entry.kind] ?? String(entry.kind ?? "")));
    row.append(make("td", { className: "project-name" }, entry.project_name ?? ""));
    row.append(make("td", { className: `amount number${amount < 0 ? " negative" : ""}`, "data-cents": String(amount) }, money(amount)));
    row.append(make("td", { className: "memo" }, entry.memo ?? ""));
    row.append(make("td", { className: "by muted" }, entry.created_by ?? "Gloss"));
    const paid = entry.kind === "payout" ? "—" : entry.paid ? "Paid" : "Unpaid";
    row.append(make("td", { className: "paid", "data-paid": String(entry.paid === true) }, paid));
    if (entry.created_at && entry.earned_at && formatDate(entry.created_at) !== formatDate(entry.earned_at)) {
      row.title = `Entered ${new Date(entry.created_at).toLocaleString()}`;
    }
    return row;
  }
}

const section = document.getElementById("earnings");
if (section) {
  const earnings = new Earnings(section);
  earnings.start().catch((error) => showStatus(document.getElementById("earnings-status"), describeProblem(error), "error"));
}
