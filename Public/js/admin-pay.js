// The admin's pay page (/admin/pay): the pay settings (quality bands, reviewed tasks before a raise, idle window,
// period length) with the problems of a 422 shown by field; the pay periods, each with its payouts and payout
// file; closing a period (its end prefilled with the API's next_end, in UTC) and what it paid; a worker's ledger
// found by e-mail, with bonuses and adjustments. Names, e-mails and reasons are untrusted: text only.

import { api, describeProblem } from "./api.js";
import { cell, clearFieldErrors, emptyRow, make, markInvalid, markProblem, plural, showStatus as show } from "./dom.js";
import { NONE, formatMoney, fromUTCInput, listProblems, parseAmount, toUTCInput, utcTime } from "./money.js";

const MAX_BANDS = 8;
const KINDS = { work: "Work", bonus: "Bonus", adjustment: "Adjustment", payout: "Payout" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


function moneyCell(cents, className) {
  const td = cell(formatMoney(cents), `number ${className}`);
  td.dataset.cents = typeof cents === "number" ? String(cents) : "";
  return td;
}

/** A number typed into an input: NaN unless it is one. */
function numberOf(input) {
  const text = input.value.trim();
  return text === "" ? NaN : Number(text);
}

/** Marks a request's problems on `form` (by field) and lists the rest; returns a status line. */
function reportProblem(form, list, error) {
  const left = markProblem(form, error);
  listProblems(list, left);
  const fielded = error.problem?.errors?.length || error.problem?.field;
  return fielded && !left.length ? "Please correct the marked fields." : describeProblem(error);
}

// --- settings ------------------------------------------------------------------------------------------------

class SettingsForm {
  constructor(form) {
    this.form = form;
    this.body = form.querySelector("#bands tbody");
    this.add = form.querySelector("#add-band");
    this.status = form.querySelector("#settings-status");
    this.errors = form.querySelector("#settings-errors");
    this.save = form.querySelector("#save-settings");
    this.add.addEventListener("click", () => {
      const rows = this.rows();
      const last = rows[rows.length - 1];
      this.addRow({ min_quality: "", multiplier: last ? last.querySelector(".band-multiplier").value : "1" });
      this.rows().at(-1)?.querySelector(".band-quality").focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  rows() {
    return [...this.body.querySelectorAll("tr.band-row")];
  }

  async load() {
    const settings = await api("GET", "/api/v1/admin/pay/settings");
    this.fill(settings);
    this.save.disabled = false;
    this.form.dataset.loaded = "true";
  }

  fill(settings) {
    this.body.replaceChildren();
    for (const band of settings?.bands ?? []) this.addRow(band);
    const { min_reviewed: reviewed, idle_seconds: idle, period_days: days } = this.form.elements;
    reviewed.value = settings?.min_reviewed ?? "";
    idle.value = settings?.idle_seconds ?? "";
    days.value = settings?.period_days ?? "";
  }

  addRow(band) {
    this.body.querySelector("tr.empty")?.remove();
    const row = make("tr", { className: "band-row" });
    const quality = make("input", { className: "band-quality", type: "number", min: "0", max: "1", step: "any", inputmode: "decimal", "aria-label": "From quality" });
    quality.value = band.min_quality ?? "";
    const multiplier = make("input", { className: "band-multiplier", type: "number", min: "0", step: "any", inputmode: "decimal", "aria-label": "Multiplier" });
    multiplier.value = band.multiplier ?? "";
    const remove = make("button", { type: "button", className: "remove-band danger" }, "Remove");
    remove.addEventListener("click", () => {
      row.remove();
      this.renumber();
    });
    const q = make("td");
    q.append(quality);
    const m = make("td");
    m.append(multiplier);
    const actions = make("td", { className: "row-actions" });
    actions.append(remove);
    row.append(q, m, actions);
    this.body.append(row);
    this.renumber();
  }

  /** Each band's inputs carry the field names of the API's problems: bands[1].min_quality, bands[1].multiplier. */
  renumber() {
    const rows = this.rows();
    rows.forEach((row, index) => {
      row.dataset.index = String(index);
      row.querySelector(".band-quality").dataset.field = `bands[${index}].min_quality`;
      row.querySelector(".band-multiplier").dataset.field = `bands[${index}].multiplier`;
      row.querySelector(".remove-band").disabled = rows.length === 1;
      row.querySelector(".remove-band").setAttribute("aria-label", `Remove band ${index + 1}`);
    });
    if (!rows.length) this.body.append(emptyRow(3, "No band: add one."));
    this.add.disabled = rows.length >= MAX_BANDS;
  }

  async submit() {
    const form = this.form;
    clearFieldErrors(form);
    listProblems(this.errors, []);
    let valid = true;
    const bands = this.rows().map((row) => {
      const quality = row.querySelector(".band-quality");
      const multiplier = row.querySelector(".band-multiplier");
      const band = { min_quality: numberOf(quality), multiplier: numberOf(multiplier) };
      if (!Number.isFinite(band.min_quality)) {
        markInvalid(quality, "A quality score from 0 to 1.");
        valid = false;
      }
      if (!Number.isFinite(band.multiplier)) {
        markInvalid(multiplier, "A multiplier, such as 1.1.");
        valid = false;
      }
      return band;
    });
    const body = { bands };
    for (const name of ["min_reviewed", "idle_seconds", "period_days"]) {
      const input = form.elements[name];
      const value = numberOf(input);
      if (!Number.isInteger(value)) {
        markInvalid(input, "A whole number.");
        valid = false;
      }
      body[name] = value;
    }
    if (!valid) {
      show(this.status, "Please correct the marked fields.", "error");
      return;
    }
    this.save.disabled = true;
    show(this.status, "Saving…");
    try {
      const saved = await api("PUT", "/api/v1/admin/pay/settings", body);
      this.fill(saved);
      show(this.status, "Saved.", "ok");
    } catch (error) {
      show(this.status, reportProblem(form, this.errors, error), "error");
    } finally {
      this.save.disabled = false;
    }
  }
}

// --- periods -------------------------------------------------------------------------------------------------

function payoutsTable(payouts, id) {
  const table = make("table", { className: "admin-table payouts-table", id });
  const head = make("tr");
  for (const heading of ["Worker", "E-mail", "Amount", "Entries"]) head.append(make("th", { scope: "col" }, heading));
  const thead = make("thead");
  thead.append(head);
  const body = make("tbody");
  table.append(thead, body);
  if (!payouts?.length) body.append(emptyRow(4, "Nobody was paid in this period."));
  for (const payout of payouts ?? []) {
    const row = make("tr", { className: "payout-row", "data-worker-id": payout.worker_id });
    row.append(
      cell(payout.name, "payout-name"),
      cell(payout.email, "payout-email"),
      moneyCell(payout.amount_cents, "payout-amount"),
      cell(String(payout.entries ?? 0), "number payout-entries"),
    );
    body.append(row);
  }
  return table;
}

class Periods {
  constructor(panel) {
    this.panel = panel;
    this.body = panel.querySelector("#periods tbody");
    this.unpaid = panel.querySelector("#unpaid");
    this.form = panel.querySelector("#close-period");
    this.status = panel.querySelector("#close-status");
    this.result = panel.querySelector("#close-result");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.close();
    });
  }

  async load({ prefill = true } = {}) {
    const data = await api("GET", "/api/v1/admin/pay-periods");
    this.render(data?.periods ?? []);
    this.unpaid.textContent = `Unpaid in all ledgers now: ${formatMoney(data?.unpaid_cents)}.`;
    this.unpaid.dataset.cents = typeof data?.unpaid_cents === "number" ? String(data.unpaid_cents) : "";
    const endsAt = this.form.elements.ends_at;
    endsAt.dataset.nextEnd = data?.next_end ?? "";
    if (prefill) {
      endsAt.value = toUTCInput(data?.next_end);
      endsAt.title = data?.next_end ? "" : "No period has ended since the last close: give the end yourself.";
    }
    this.panel.dataset.loaded = "true";
  }

  render(periods) {
    this.body.replaceChildren();
    if (!periods.length) {
      this.body.append(emptyRow(8, "No period has been closed yet."));
      return;
    }
    const sorted = [...periods].sort((a, b) => Date.parse(b.ends_at) - Date.parse(a.ends_at));
    for (const period of sorted) {
      const row = make("tr", { className: "period-row", "data-period-id": period.id });
      const csv = make("a", {
        className: "payouts-csv",
        href: `/api/v1/admin/pay-periods/${encodeURIComponent(period.id)}/payouts.csv`,
        download: `payouts-${String(period.ends_at ?? period.id).slice(0, 10)}.csv`,
      }, "CSV");
      const toggle = make("button", { type: "button", className: "show-payouts", "aria-expanded": "false" }, "Payouts");
      const actions = make("td", { className: "row-actions" });
      actions.append(toggle);
      row.append(
        cell(utcTime(period.starts_at), "period-start"),
        cell(utcTime(period.ends_at), "period-end"),
        cell(utcTime(period.closed_at), "period-closed"),
        cell(period.closed_by ?? "Gloss", "period-by"),
        cell(String(period.workers ?? 0), "number period-workers"),
        moneyCell(period.total_cents, "period-total"),
        cell(csv),
        actions,
      );
      toggle.addEventListener("click", () => this.toggle(period, row, toggle));
      this.body.append(row);
    }
  }

  async toggle(period, row, button) {
    const open = row.nextElementSibling?.classList.contains("payouts-row") ? row.nextElementSibling : null;
    if (open) {
      open.remove();
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const detail = make("tr", { className: "payouts-row", "data-period-id": period.id });
    const td = make("td", { colspan: 8 });
    td.append(make("p", { className: "muted" }, "Loading…"));
    detail.append(td);
    row.after(detail);
    button.setAttribute("aria-expanded", "true");
    try {
      const full = await api("GET", `/api/v1/admin/pay-periods/${encodeURIComponent(period.id)}`);
      td.replaceChildren(payoutsTable(full?.payouts ?? [], `payouts-${period.id}`));
      detail.dataset.loaded = "true";
    } catch (error) {
      td.replaceChildren(make("p", { className: "error", role: "alert" }, describeProblem(error)));
    }
  }

  async close() {
    const form = this.form;
    const input = form.elements.ends_at;
    clearFieldErrors(form);
    this.result.replaceChildren();
    const endsAt = fromUTCInput(input.value);
    if (Number.isNaN(endsAt)) {
      markInvalid(input, "Give a date and time (UTC).");
      show(this.status, "Please correct the marked field.", "error");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    show(this.status, "Closing the period…");
    try {
      const closed = await api("POST", "/api/v1/admin/pay-periods", endsAt ? { ends_at: endsAt } : {});
      const payouts = closed?.payouts ?? [];
      const total = payouts.reduce((sum, payout) => sum + (payout.amount_cents ?? 0), 0);
      const span = `${utcTime(closed?.starts_at).textContent} to ${utcTime(closed?.ends_at).textContent}`;
      const paid = `${plural(payouts.length, "worker")}, ${formatMoney(typeof closed?.total_cents === "number" ? closed.total_cents : total)} in total`;
      const summary = make("p", {
        id: "close-summary",
        className: closed?.already_closed ? "already-closed" : "ok",
        "data-period-id": closed?.id ?? "",
        "data-already-closed": closed?.already_closed ? "true" : "false",
      }, closed?.already_closed
        ? `Already closed, nothing paid twice: the period ${span} paid ${paid} when it was closed.`
        : `Closed the period ${span}: paid ${paid}.`);
      this.result.replaceChildren(summary, payoutsTable(payouts, "close-payouts"));
      show(this.status, "");
      await this.load({ prefill: !closed?.already_closed });
    } catch (error) {
      show(this.status, reportProblem(form, make("ul"), error), "error");
    } finally {
      button.disabled = false;
    }
  }
}

// --- a worker's ledger ------------------------------------------------------------------------------------------

class Ledger {
  constructor(panel) {
    this.panel = panel;
    this.lookup = panel.querySelector("#ledger-lookup");
    this.lookupStatus = panel.querySelector("#lookup-status");
    this.detail = panel.querySelector("#ledger-detail");
    this.body = panel.querySelector("#ledger-entries tbody");
    this.more = panel.querySelector("#ledger-more");
    this.entryForm = panel.querySelector("#ledger-entry");
    this.entryStatus = panel.querySelector("#entry-status");
    this.entryErrors = panel.querySelector("#entry-errors");
    this.worker = null;
    this.next = null;
    this.lookup.addEventListener("submit", (event) => {
      event.preventDefault();
      this.find();
    });
    this.more.addEventListener("click", () => this.loadEntries({ append: true }));
    this.entryForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.addEntry();
    });
  }

  /** The worker by e-mail (from the admin's list of workers) or by user id. */
  async find() {
    const input = this.lookup.elements.email;
    clearFieldErrors(this.lookup);
    const wanted = input.value.trim();
    if (!wanted) {
      markInvalid(input, "Give the worker's e-mail address.");
      return;
    }
    show(this.lookupStatus, "Looking up…");
    try {
      let worker;
      if (UUID.test(wanted)) {
        worker = { user_id: wanted.toLowerCase(), name: "", email: "" };
      } else {
        const list = await api("GET", "/api/v1/admin/applications");
        worker = (list?.applications ?? []).find((item) => String(item.email).toLowerCase() === wanted.toLowerCase());
      }
      if (!worker) {
        markInvalid(input, "No worker has this e-mail address.");
        show(this.lookupStatus, "");
        this.detail.hidden = true;
        return;
      }
      this.worker = worker;
      this.detail.dataset.userId = worker.user_id;
      const title = this.panel.querySelector("#ledger-worker");
      title.textContent = worker.name ? `${worker.name} · ${worker.email}` : worker.email || worker.user_id;
      await this.loadEntries();
      this.detail.hidden = false;
      show(this.lookupStatus, "");
    } catch (error) {
      show(this.lookupStatus, describeProblem(error), "error");
    }
  }

  async loadEntries({ append = false } = {}) {
    const id = encodeURIComponent(this.worker.user_id);
    const query = append && this.next ? `?limit=50&before=${encodeURIComponent(this.next)}` : "?limit=50";
    const ledger = await api("GET", `/api/v1/admin/workers/${id}/ledger${query}`);
    const balance = this.panel.querySelector("#ledger-balance");
    if (!append) {
      balance.textContent = formatMoney(ledger?.balance_cents);
      balance.dataset.cents = typeof ledger?.balance_cents === "number" ? String(ledger.balance_cents) : "";
      this.body.replaceChildren();
    }
    for (const entry of ledger?.entries ?? []) this.body.append(this.entryRow(entry));
    if (!this.body.children.length) this.body.append(emptyRow(7, "No entries yet."));
    this.next = ledger?.next ?? null;
    this.more.hidden = !this.next;
    this.detail.dataset.loaded = "true";
  }

  entryRow(entry) {
    const row = make("tr", { className: "entry-row", "data-entry-id": entry.id, "data-kind": entry.kind });
    const paid = entry.paid ? "paid" : "unpaid";
    row.append(
      cell(utcTime(entry.created_at), "entry-when"),
      cell(KINDS[entry.kind] ?? entry.kind, "entry-kind"),
      moneyCell(entry.amount_cents, "entry-amount"),
      cell(entry.memo ?? "", "entry-memo"),
      cell(entry.project_name ?? "", "entry-project"),
      cell(entry.created_by ?? "Gloss", "entry-by"),
      cell(paid, `entry-paid entry-${paid}`),
    );
    return row;
  }

  async addEntry() {
    const form = this.entryForm;
    const { kind, amount, reason } = form.elements;
    clearFieldErrors(form);
    listProblems(this.entryErrors, []);
    let valid = true;
    const cents = parseAmount(amount.value, { negative: kind.value === "adjustment" });
    if (cents === null || Number.isNaN(cents)) {
      markInvalid(amount, kind.value === "adjustment" ? "An amount in dollars, such as -3.20 or 5." : "An amount in dollars, such as 5 or 12.50.");
      valid = false;
    } else if (kind.value === "bonus" && cents <= 0) {
      markInvalid(amount, "A bonus is more than zero.");
      valid = false;
    } else if (cents === 0) {
      markInvalid(amount, "An adjustment is not zero.");
      valid = false;
    }
    const why = reason.value.trim();
    if (!why) {
      markInvalid(reason, "Say why: the worker sees it.");
      valid = false;
    }
    if (!valid) {
      show(this.entryStatus, "Please correct the marked fields.", "error");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    show(this.entryStatus, "Adding…");
    try {
      const entry = await api("POST", `/api/v1/admin/workers/${encodeURIComponent(this.worker.user_id)}/ledger`,
        { kind: kind.value, amount_cents: cents, reason: why });
      amount.value = "";
      reason.value = "";
      await this.loadEntries();
      show(this.entryStatus, `Added: ${(KINDS[entry?.kind] ?? kind.value).toLowerCase()} of ${formatMoney(entry?.amount_cents ?? cents)}.`, "ok");
    } catch (error) {
      show(this.entryStatus, reportProblem(form, this.entryErrors, error), "error");
    } finally {
      button.disabled = false;
    }
  }
}

// --- the page ---------------------------------------------------------------------------------------------------

async function start() {
  const status = document.getElementById("pay-load-status");
  const settings = new SettingsForm(document.getElementById("pay-settings"));
  const periods = new Periods(document.getElementById("periods-panel"));
  new Ledger(document.getElementById("ledger-panel"));
  const results = await Promise.allSettled([settings.load(), periods.load()]);
  const failed = results.filter((result) => result.status === "rejected").map((result) => describeProblem(result.reason));
  if (failed.length) show(status, `Part of the page could not be loaded: ${failed.join("; ")}`, "error");
  document.getElementById("pay-admin").dataset.loaded = "true";
}

if (document.getElementById("pay-admin")) start();
