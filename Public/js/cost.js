// The requester's cost page: the figures, the days table and the rate history come from
// GET /api/v1/projects/{id}/cost and GET /api/v1/projects/{id}/rates (the server-rendered page is the first paint;
// the chart stays the server's SVG); `form#rate-change` schedules a rate change (POST .../rates) with the problems
// shown next to their inputs. Everything from the API reaches the page as text.

import { api, describeProblem } from "./api.js";
import { clearFieldErrors, emptyRow, make, markInvalid, markProblem, showStatus as show } from "./dom.js";
import { NONE, formatClock, formatMoney, fromUTCInput, listProblems, parseAmount, utcTime } from "./money.js";

/** "$25.00 an hour", "$0.40 a task", or the minimum when an hourly change names no rate. */
export function describeRate(change) {
  if (!change) return NONE;
  if (change.mode === "per_task") return `${formatMoney(change.task_rate_cents)} a task`;
  return typeof change.rate_cents === "number" ? `${formatMoney(change.rate_cents)} an hour` : "the minimum an hour (the tracks' base rate)";
}

function setFigure(id, text, data = {}) {
  const element = document.getElementById(id);
  if (!element) return;
  element.textContent = text;
  for (const [key, value] of Object.entries(data)) element.dataset[key] = value === null || value === undefined ? "" : String(value);
}

function cell(content, className) {
  const td = make("td", { className });
  if (content instanceof Node) td.append(content);
  else td.textContent = content === null || content === undefined || content === "" ? NONE : String(content);
  return td;
}

class CostPage {
  constructor(root) {
    this.root = root;
    this.projectId = root.dataset.projectId;
    this.days = Number(root.dataset.days) || 30;
    this.base = `/api/v1/projects/${encodeURIComponent(this.projectId)}`;
    this.status = document.getElementById("cost-status");
    this.form = document.getElementById("rate-change");
    // The server's time when it rendered the page, carried forward by the monotonic clock: what is in force and
    // what is scheduled is decided without the client's wall clock.
    const rendered = Date.parse(root.dataset.now ?? "");
    const loaded = performance.now();
    this.now = () => (Number.isNaN(rendered) ? Date.now() : rendered + (performance.now() - loaded));
  }

  async start() {
    this.bindForm();
    await this.load();
    this.root.dataset.loaded = "true";
  }

  async load() {
    try {
      const [cost, rates] = await Promise.all([
        api("GET", `${this.base}/cost?days=${this.days}`),
        api("GET", `${this.base}/rates`),
      ]);
      this.renderCost(cost);
      this.renderRates(rates);
      show(this.status, "");
    } catch (error) {
      show(this.status, `The figures could not be refreshed: ${describeProblem(error)}`, "error");
    }
  }

  renderCost(cost) {
    if (!cost) return;
    setFigure("spend", formatMoney(cost.spend_cents), { cents: cost.spend_cents });
    setFigure("accrued", formatMoney(cost.accrued_cents), { cents: cost.accrued_cents });
    const hours = typeof cost.hours === "number" ? cost.hours : (cost.active_s ?? 0) / 3600;
    setFigure("hours", formatClock(cost.active_s ?? hours * 3600), { seconds: cost.active_s, hours: hours.toFixed(2) });
    const hint = document.querySelector("#hours + .figure-hint");
    if (hint) hint.textContent = `${hours.toFixed(2)} hours of active time`;
    setFigure("accepted", String(cost.accepted ?? 0), { count: cost.accepted });
    setFigure("cost-per-accepted", formatMoney(cost.cost_per_accepted_cents), { cents: cost.cost_per_accepted_cents });
    setFigure("remaining", String(cost.remaining ?? 0), { count: cost.remaining });
    const median = cost.median_active_s;
    setFigure("median", typeof median === "number" ? `${median.toFixed(1)} s` : NONE, { seconds: median });
    setFigure("forecast", formatMoney(cost.forecast_cents), { cents: cost.forecast_cents });
    const forecastHint = document.querySelector("#forecast + .figure-hint");
    if (forecastHint) {
      forecastHint.textContent = typeof cost.forecast_cents === "number"
        ? "remaining × median time × current rate" : "no accepted work in the last 7 days to measure the pace";
    }
    setFigure("current-rate", describeRate({ mode: cost.mode, rate_cents: cost.current_rate_cents, task_rate_cents: cost.task_rate_cents }),
      { mode: cost.mode });

    const body = document.querySelector("#cost-days tbody");
    if (!body) return;
    const worked = (cost.days ?? []).filter((day) => day.spend_cents || day.accepted || day.active_s > 0).reverse();
    body.replaceChildren();
    if (!worked.length) body.append(emptyRow(4, `No work in the last ${this.days} days.`));
    for (const day of worked) {
      const row = make("tr", { "data-day": day.day });
      const spend = cell(formatMoney(day.spend_cents), "number day-spend");
      spend.dataset.cents = String(day.spend_cents);
      const active = cell(formatClock(day.active_s), "number day-active");
      active.dataset.seconds = String(day.active_s);
      row.append(cell(day.day), spend, cell(String(day.accepted ?? 0), "number day-accepted"), active);
      body.append(row);
    }
  }

  renderRates(rates) {
    const body = document.querySelector("#rate-history tbody");
    if (!body || !rates) return;
    const changes = [...(rates.changes ?? [])].sort((a, b) => Date.parse(b.effective_at) - Date.parse(a.effective_at));
    const now = this.now();
    // The change in force: the latest whose effective time has come (changes are newest first).
    const inForce = changes.find((change) => Date.parse(change.effective_at) <= now) ?? null;
    const minimum = document.getElementById("rate-minimum");
    const current = rates.current ?? null;
    if (minimum && typeof current?.minimum_rate_cents === "number") {
      minimum.textContent = `Minimum: ${formatMoney(current.minimum_rate_cents)} an hour${current.minimum_track ? ` (the base rate of ${current.minimum_track})` : ""}.`;
      minimum.dataset.cents = String(current.minimum_rate_cents);
    }
    body.replaceChildren();
    if (!changes.length) {
      body.append(emptyRow(6, "No rate change yet: the project pays the rate set on its Workforce panel (at least the tracks' base rate)."));
      return;
    }
    for (const change of changes) {
      const state = change === inForce ? "current" : Date.parse(change.effective_at) > now ? "scheduled" : "past";
      const row = make("tr", { "data-rate-id": change.id, "data-state": state, "data-mode": change.mode });
      const value = cell(describeRate(change), "rate-value");
      value.dataset.cents = String(change.mode === "per_task" ? change.task_rate_cents ?? "" : change.rate_cents ?? "");
      const badge = make("span", { className: `badge badge-${state}` }, state === "current" ? "in force" : state);
      row.append(
        cell(utcTime(change.effective_at), "rate-effective"),
        value,
        cell(badge),
        cell(change.reason ?? "", "rate-reason"),
        cell(change.created_by ?? "Gloss", "rate-by"),
        cell(utcTime(change.created_at)),
      );
      body.append(row);
    }
  }

  // --- scheduling a rate change -------------------------------------------------------------------------------

  bindForm() {
    const form = this.form;
    if (!form) return;
    const mode = form.elements.mode;
    const toggle = () => {
      const perTask = mode.value === "per_task";
      form.querySelector(".rate-hourly").hidden = perTask;
      form.querySelector(".rate-task").hidden = !perTask;
    };
    mode.addEventListener("change", toggle);
    toggle();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  async submit() {
    const form = this.form;
    const status = document.getElementById("rate-status");
    const errors = document.getElementById("rate-errors");
    const { mode, rate, task_rate: taskRate, effective_at: effective, reason } = form.elements;
    clearFieldErrors(form);
    listProblems(errors, []);
    const body = { mode: mode.value };
    let valid = true;
    if (mode.value === "per_task") {
      const cents = parseAmount(taskRate.value);
      if (cents === null || Number.isNaN(cents) || cents <= 0) {
        markInvalid(taskRate, "Give the amount paid per task in dollars, such as 0.40.");
        valid = false;
      } else {
        body.task_rate_cents = cents;
      }
    } else {
      const cents = parseAmount(rate.value);
      if (Number.isNaN(cents)) {
        markInvalid(rate, "Give an hourly rate in dollars, such as 25 or 25.50 (or leave it empty for the minimum).");
        valid = false;
      } else if (cents !== null) {
        body.rate_cents = cents;
      }
    }
    const at = fromUTCInput(effective.value);
    if (Number.isNaN(at)) {
      markInvalid(effective, "Give a date and time (UTC), or leave it empty for now.");
      valid = false;
    } else if (at) {
      body.effective_at = at;
    }
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (!valid) {
      show(status, "Please correct the marked fields.", "error");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    show(status, "Scheduling…");
    try {
      const change = await api("POST", `${this.base}/rates`, body);
      rate.value = "";
      taskRate.value = "";
      effective.value = "";
      reason.value = "";
      show(status, `Scheduled: ${describeRate(change)} from ${utcTime(change?.effective_at).textContent}.`, "ok");
      await this.load();
    } catch (error) {
      const left = markProblem(form, error);
      listProblems(errors, left);
      const fielded = error.problem?.errors?.length || error.problem?.field;
      show(status, fielded && !left.length ? "Please correct the marked fields." : describeProblem(error), "error");
    } finally {
      button.disabled = false;
    }
  }
}

const root = document.getElementById("cost-root");
if (root?.dataset.projectId) {
  new CostPage(root).start().catch((error) => {
    root.append(make("p", { className: "error", role: "alert" }, describeProblem(error)));
  });
}
