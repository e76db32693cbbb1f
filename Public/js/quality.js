// The requester's quality page: the summary and queues, agreement per field with the label coincidence
// matrix, the workers' scores, the disagreements with one-click adjudication, flags, gold tasks, reviewers
// and the quality policy. Everything comes from the API; task data, answers, notes and e-mails are
// untrusted and only ever reach the page as text.

import { api, describeProblem } from "./api.js";
import { emptyRow, make, table } from "./dom.js";
import { renderTaskData } from "./editor-core.js";
import { normalizeOptions } from "./widgets/field-helpers.js";

const DISAGREEMENT_LIMIT = 20;
const NONE = "—";
const statusLabels = { active: "active", more_review: "more review", paused: "paused" };
const sourceLabels = {
  consensus: "Consensus",
  single: "Single answer",
  reviewed: "Reviewed",
  adjudicated: "Adjudicated",
  auto_accepted: "Auto-accepted",
  prelabel: "Accepted pre-label",
};
const queueLabels = { review: "Review", expert: "Expert", rework: "Rework", flags: "Open flags" };

// --- small DOM helpers: text only, never HTML ------------------------------------------------------------

function isFiniteNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/** A figure (alpha, a kappa, a score, a mean) with `digits` decimals; "—" for null or anything not finite. */
export function formatNumber(value, digits = 3) {
  return isFiniteNumber(value) ? value.toFixed(digits) : NONE;
}

/** A count: whole numbers as they are, fractional ones (coincidences) with two decimals; "—" for null. */
export function formatCount(value) {
  if (!isFiniteNumber(value)) return NONE;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A 95% interval as "[lo, hi]"; "—" when there is none. */
export function formatInterval(interval, digits = 3) {
  if (!Array.isArray(interval) || interval.length !== 2) return NONE;
  return `[${formatNumber(interval[0], digits)}, ${formatNumber(interval[1], digits)}]`;
}

/** A label (any JSON value) as text. */
function labelText(label) {
  if (label === null || label === undefined) return NONE;
  return typeof label === "string" ? label : JSON.stringify(label);
}


function cell(text, className) {
  return make("td", { className }, text);
}

function numberCell(value, digits = 3) {
  return make("td", { className: "number" }, formatNumber(value, digits));
}

function countCell(value) {
  return make("td", { className: "number" }, formatCount(value));
}


function showStatus(element, text, kind = "") {
  element.textContent = text;
  element.classList.toggle("error", kind === "error");
  element.classList.toggle("ok", kind === "ok");
}

/** A `<section>` with a stable id, an `<h2>` and a body that is replaced on each render. */
function section(id, title, intro) {
  const element = make("section", { id, className: "quality-section", "aria-labelledby": `${id}-title` });
  element.append(make("h2", { id: `${id}-title` }, title));
  if (intro) element.append(make("p", { className: "muted quality-intro" }, intro));
  const body = make("div", { className: "quality-body" });
  body.append(make("p", { className: "muted" }, "Loading…"));
  element.append(body);
  return { element, body };
}

function showError(body, error) {
  body.replaceChildren(make("p", { className: "error", role: "alert" }, describeProblem(error)));
}

// --- answers as text ---------------------------------------------------------------------------------------

/** One field's value, readable: option labels for choices, a winner, a taxonomy node, scores, counts. */
export function describeFieldValue(field, value) {
  if (value === null || value === undefined || value === "") return NONE;
  const options = field?.options ? normalizeOptions(field.options) : [];
  const optionLabel = (item) => {
    const option = options.find((candidate) => candidate.value === String(item));
    return option && option.label !== option.value ? `${option.label} (${option.value})` : String(item);
  };
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return options.length ? optionLabel(value) : String(value);
  }
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== "object")) return value.map(optionLabel).join(", ") || NONE;
    return `${value.length} item${value.length === 1 ? "" : "s"}`;
  }
  if (typeof value === "object") {
    if ("winner" in value) return `winner: ${labelText(value.winner)}`;
    if (value.scores && typeof value.scores === "object") {
      return Object.entries(value.scores).map(([name, score]) => `${name}: ${labelText(score)}`).join(", ");
    }
    if ("id" in value && typeof value.id !== "object") return value.label ? `${value.label} (${value.id})` : String(value.id);
  }
  return JSON.stringify(value);
}

/** An annotation value as a definition list, one entry per field (schema order, then any other keys). */
function renderValue(value, schema) {
  const list = make("dl", { className: "answer-value" });
  const object = value && typeof value === "object" && !Array.isArray(value) ? value : { value };
  const fields = schema?.fields ?? [];
  const names = [...fields.map((field) => field.name).filter((name) => name in object),
    ...Object.keys(object).filter((name) => !fields.some((field) => field.name === name))];
  for (const name of names) {
    const field = fields.find((candidate) => candidate.name === name);
    const text = describeFieldValue(field, object[name]);
    list.append(make("dt", {}, field?.label ?? name), make("dd", { "data-field": name }, text));
    const raw = object[name];
    if (raw && typeof raw === "object" && text !== JSON.stringify(raw)) {
      // Spans, boxes and other structures: the counts above, the whole value on demand.
      const details = make("details", { className: "answer-json" });
      details.append(make("summary", {}, "JSON"), make("pre", {}, JSON.stringify(raw, null, 2)));
      list.lastChild.append(details);
    }
  }
  if (!names.length) list.append(make("dt", {}, "Answer"), make("dd", {}, NONE));
  return list;
}

/** A short one-line summary of a value (for the adjudicated note and the gold table). */
function summarizeValue(value, schema) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return labelText(value);
  const fields = schema?.fields ?? [];
  const parts = Object.entries(value).map(([name, item]) => {
    const field = fields.find((candidate) => candidate.name === name);
    return `${field?.label ?? name}: ${describeFieldValue(field, item)}`;
  });
  return parts.join("; ") || NONE;
}

// --- the page ----------------------------------------------------------------------------------------------

class QualityPage {
  constructor(root, config) {
    this.root = root;
    this.projectId = config.project_id;
    this.schema = config.schema ?? { fields: [] };
    this.policy = config.policy ?? {};
    this.policyAsWritten = config.policy_as_written ?? {};
    this.workerEmails = new Map();
    this.sections = {
      summary: section("quality-summary", "Summary"),
      agreement: section("quality-agreement", "Agreement",
        "Krippendorff's alpha with its 95% bootstrap interval, and the usual companions, over the current answers (gold tasks left out)."),
      leaderboards: section("quality-leaderboards", "Leaderboards",
        "Ranking and pairwise fields: the candidates across the project by Bradley-Terry strength (from every judgement), with the Borda count of the rankings."),
      workers: section("quality-workers", "Workers"),
      disagreements: section("quality-disagreements", "Disagreements",
        "Tasks where the workers agree least come first. Use an answer to set the task's final answer, or make it the gold answer."),
      flags: section("quality-flags", "Flags"),
      gold: section("quality-gold", "Gold tasks"),
      reviewers: section("quality-reviewers", "Reviewers and experts"),
      policy: section("quality-policy", "Quality policy"),
    };
    this.status = make("p", { id: "quality-status", role: "status", className: "muted" });
  }

  get base() {
    return `/api/v1/projects/${this.projectId}`;
  }

  async start() {
    this.root.replaceChildren(this.status, ...Object.values(this.sections).map((part) => part.element));
    this.renderPolicy();
    this.renderReviewerForm();
    await Promise.all([this.loadReport(), this.loadDisagreements(), this.loadFlags(), this.loadGold(), this.loadReviewers()]);
    this.root.dataset.loaded = "true";
  }

  // Report: summary, agreement, workers

  async loadReport() {
    try {
      const report = await api("GET", `${this.base}/quality`);
      this.report = report;
      for (const worker of report.workers ?? []) this.workerEmails.set(worker.worker_id, worker.worker);
      this.renderSummary(report);
      this.renderAgreement(report);
      this.renderLeaderboards(report);
      this.renderWorkers(report);
    } catch (error) {
      for (const part of [this.sections.summary, this.sections.agreement, this.sections.leaderboards, this.sections.workers]) showError(part.body, error);
    }
  }

  renderSummary(report) {
    const body = this.sections.summary.body;
    const tasks = report.tasks ?? {};
    const stats = make("dl", { className: "quality-stats" });
    const stat = (key, caption, value) => {
      const item = make("div", { className: "stat", "data-stat": key });
      item.append(make("dt", {}, caption), make("dd", { className: "number" }, formatCount(value)));
      stats.append(item);
    };
    stat("tasks-total", "Tasks", tasks.total);
    stat("tasks-done", "Done", tasks.done);
    stat("tasks-gold", "Gold", tasks.gold);

    const finals = make("dl", { className: "quality-stats final-sources" });
    const counts = tasks.final ?? {};
    const sources = [...Object.keys(sourceLabels), ...Object.keys(counts).filter((key) => !(key in sourceLabels))];
    for (const source of sources) {
      const item = make("div", { className: "stat", "data-source": source });
      item.append(make("dt", {}, sourceLabels[source] ?? source), make("dd", { className: "number" }, formatCount(counts[source] ?? 0)));
      finals.append(item);
    }

    const queues = make("dl", { className: "quality-stats queues" });
    for (const [key, caption] of Object.entries(queueLabels)) {
      const item = make("div", { className: "stat", "data-queue": key });
      item.append(make("dt", {}, caption), make("dd", { className: "number" }, formatCount(report.queues?.[key] ?? 0)));
      queues.append(item);
    }
    body.replaceChildren(
      stats,
      make("h3", {}, "Final answers by source"), finals,
      make("h3", {}, "Queues"), queues,
    );
  }

  renderAgreement(report) {
    const body = this.sections.agreement.body;
    const fields = report.fields ?? [];
    if (!fields.length) {
      body.replaceChildren(make("p", { className: "muted" }, "No fields to compare yet."));
      return;
    }
    body.replaceChildren(...fields.map((field) => this.renderField(field)));
  }

  renderField(field) {
    const article = make("article", { className: "agreement-field", "data-field": field.field });
    const schemaField = this.schema.fields?.find((candidate) => candidate.name === field.field);
    article.append(make("h3", {}, `${schemaField?.label ?? field.field} (${field.type})`));
    const mean = make("p", { className: "mean-agreement" });
    mean.append("Mean pairwise agreement: ", make("strong", { "data-figure": "mean-agreement" }, formatNumber(field.mean_agreement)),
      ` over ${formatCount(field.tasks_compared ?? 0)} task${field.tasks_compared === 1 ? "" : "s"} with several answers`);
    article.append(mean);
    for (const measure of field.measures ?? []) article.append(this.renderMeasure(measure));
    return article;
  }

  renderMeasure(measure) {
    const block = make("div", { className: "agreement-measure", "data-measure": measure.name, "data-metric": measure.metric });
    block.append(make("h4", {}, `${measure.name} · ${measure.metric}`));
    const report = measure.report;
    if (!report) {
      block.append(make("p", { className: "muted" }, "Not enough answers yet."));
      return block;
    }
    const figures = make("dl", { className: "agreement-figures" });
    const figure = (key, caption, text, title) => {
      const item = make("div", { className: "figure" });
      item.append(make("dt", {}, caption), make("dd", { "data-figure": key, title }, text));
      figures.append(item);
    };
    figure("alpha", "Krippendorff's alpha", formatNumber(report.alpha));
    figure("alpha-ci95", "95% interval", formatInterval(report.alpha_ci95),
      report.bootstrap_samples ? `${report.bootstrap_samples} bootstrap resamples` : undefined);
    figure("percent-agreement", "Percent agreement", formatNumber(report.percent_agreement));
    figure("fleiss-kappa", "Fleiss' kappa", formatNumber(report.fleiss_kappa),
      report.fleiss_units != null ? `over ${report.fleiss_units} units` : undefined);
    figure("cohen-kappa", "Mean Cohen's kappa", formatNumber(report.cohen_kappa?.mean));
    figure("units", "Units", formatCount(report.units));
    figure("coders", "Coders", formatCount(report.coders));
    figure("pairable-values", "Pairable values", formatCount(report.pairable_values));
    block.append(figures);

    const perLabel = report.per_label ?? [];
    if (perLabel.length) {
      const { element, body } = table({ className: "quality-table per-label" }, ["Label", "Given", "Agreement"]);
      for (const item of perLabel) {
        const row = make("tr", { "data-label": labelText(item.label) });
        row.append(cell(labelText(item.label)), countCell(item.count), numberCell(item.agreement));
        body.append(row);
      }
      block.append(make("h5", {}, "Per label"), element);
    }

    const pairs = report.cohen_kappa?.pairs ?? [];
    if (pairs.length) {
      const details = make("details", { className: "cohen-pairs" });
      details.append(make("summary", {}, `Cohen's kappa for ${pairs.length} pair${pairs.length === 1 ? "" : "s"} of workers`));
      const { element, body } = table({ className: "quality-table cohen-pairs-table" }, ["Worker", "Worker", "Shared tasks", "Kappa"]);
      for (const pair of pairs) {
        const row = make("tr");
        row.append(cell(this.workerEmails.get(pair.a) ?? pair.a), cell(this.workerEmails.get(pair.b) ?? pair.b),
          countCell(pair.n), numberCell(pair.kappa));
        body.append(row);
      }
      details.append(element);
      block.append(details);
    }

    block.append(this.renderCoincidence(report.coincidence));
    return block;
  }

  /** The coincidence matrix between labels: rows and columns are the labels, cells the (fractional) counts. */
  renderCoincidence(coincidence) {
    const wrapper = make("div", { className: "confusion-wrapper" });
    wrapper.append(make("h5", {}, "Coincidence between labels"));
    const labels = coincidence?.labels ?? [];
    const counts = coincidence?.counts;
    if (!labels.length || !Array.isArray(counts)) {
      wrapper.append(make("p", { className: "muted" }, labels.length ? "Too many labels to show the matrix." : "No labels yet."));
      return wrapper;
    }
    const element = make("table", { className: "quality-table confusion" });
    element.append(make("caption", { className: "muted" }, "How often a label (row) was paired with another (column) on the same task; the diagonal is agreement."));
    const head = make("thead");
    const headRow = make("tr");
    headRow.append(make("td", { className: "corner" }));
    for (const label of labels) headRow.append(make("th", { scope: "col", "data-label": labelText(label) }, labelText(label)));
    head.append(headRow);
    const body = make("tbody");
    const largest = Math.max(0, ...counts.flat().filter((value) => typeof value === "number"));
    labels.forEach((label, rowIndex) => {
      const row = make("tr");
      row.append(make("th", { scope: "row", "data-label": labelText(label) }, labelText(label)));
      labels.forEach((_, columnIndex) => {
        const value = counts[rowIndex]?.[columnIndex];
        const td = make("td", { className: `number${rowIndex === columnIndex ? " diagonal" : ""}` }, formatCount(value));
        if (largest > 0 && typeof value === "number" && value > 0) td.style.setProperty("--shade", String(Math.round((value / largest) * 100) / 100));
        row.append(td);
      });
      body.append(row);
    });
    element.append(head, body);
    wrapper.append(element);
    return wrapper;
  }

  renderLeaderboards(report) {
    const part = this.sections.leaderboards;
    const boards = report.leaderboards ?? [];
    part.element.hidden = boards.length === 0;
    const children = [];
    for (const board of boards) {
      children.push(make("h3", {}, `${board.field} · ${formatCount(board.comparisons)} comparisons`));
      const { element, body: rows } = table({ className: "quality-table leaderboard-table" }, ["#", "Candidate", "Bradley-Terry strength", "Wins", "Comparisons", "Borda points"]);
      element.dataset.field = board.field;
      (board.items ?? []).forEach((item, index) => {
        const row = make("tr", { "data-name": item.name });
        row.append(countCell(index + 1), make("td", { className: "leader-name" }, item.name), numberCell(item.bradley_terry),
          countCell(item.wins), countCell(item.comparisons), countCell(item.borda));
        rows.append(row);
      });
      children.push(element);
    }
    part.body.replaceChildren(...children);
  }

  renderWorkers(report) {
    const body = this.sections.workers.body;
    const headings = ["Worker", "Annotations", "Score", "95% interval", "Observations", "Gold mean", "Review mean",
      "Consensus mean", "Estimated accuracy", "Overall score", "Status", "Raise"];
    const { element, body: rows } = table({ className: "quality-table workers-table" }, headings);
    const workers = report.workers ?? [];
    if (!workers.length) rows.append(emptyRow(headings.length, "No worker has annotated yet."));
    for (const worker of workers) {
      const row = make("tr", { "data-worker-id": worker.worker_id, "data-status": worker.status });
      const who = make("td", { className: "worker-email" }, worker.worker);
      if (worker.name && worker.name !== worker.worker) who.title = worker.name;
      const status = make("td");
      status.append(make("span", { className: `badge badge-${worker.status ?? "unknown"}` }, statusLabels[worker.status] ?? worker.status ?? NONE));
      const partCell = (part) => {
        const td = numberCell(part?.mean);
        if (part?.count) td.title = `${part.count} observation${part.count === 1 ? "" : "s"}`;
        return td;
      };
      row.append(who, countCell(worker.annotations), numberCell(worker.score), make("td", { className: "number" }, formatInterval(worker.interval95)),
        countCell(worker.observations), partCell(worker.gold), partCell(worker.review), partCell(worker.consensus),
        numberCell(worker.estimated_accuracy), numberCell(worker.overall_score), status, cell(worker.raise_eligible ? "yes" : "no", "raise"));
      rows.append(row);
    }
    body.replaceChildren(element);
  }

  // Disagreements and adjudication

  async loadDisagreements() {
    const body = this.sections.disagreements.body;
    try {
      const result = await api("GET", `${this.base}/disagreements?limit=${DISAGREEMENT_LIMIT}`);
      const all = result?.disagreements ?? [];
      // The list holds every task with several answers; those where all agree are no disagreement.
      const items = all.filter((item) => !(typeof item.agreement === "number" && item.agreement >= 1));
      const list = make("ol", { className: "disagreement-list" });
      for (const item of items) list.append(this.renderDisagreement(item));
      const children = [items.length ? list : make("p", { className: "muted empty" }, "No disagreements: the answers agree on every task.")];
      if (all.length > items.length) {
        children.push(make("p", { className: "muted" }, `${all.length - items.length} task${all.length - items.length === 1 ? "" : "s"} where all answers agree left out.`));
      }
      body.replaceChildren(...children);
    } catch (error) {
      showError(body, error);
    }
  }

  renderDisagreement(item) {
    const taskId = item.task?.id;
    const card = make("li", { className: "disagreement-card", "data-task-id": taskId });
    const header = make("p", { className: "disagreement-meta" });
    header.append("Agreement ", make("strong", { className: "agreement" }, formatNumber(item.agreement)));
    if (item.consensus) {
      header.append(` · consensus (${item.consensus.source ?? NONE}, confidence ${formatNumber(item.consensus.confidence)}): `,
        make("span", { className: "consensus-value" }, summarizeValue(item.consensus.value, this.schema)));
    }
    const data = make("div", { className: "task-data" });
    renderTaskData(data, item.task?.data);
    const answers = make("div", { className: "answers" });
    const status = make("p", { className: "card-status", role: "status" });
    const note = make("p", { className: "adjudicated-note", hidden: true });
    (item.answers ?? []).forEach((answer, index) => {
      const answerCard = make("div", { className: "answer-card", "data-annotation-id": answer.annotation_id });
      answerCard.append(make("p", { className: "answer-label muted" }, `Answer ${index + 1}`),
        make("p", { className: "answer-worker" }, answer.worker), renderValue(answer.value, this.schema));
      const actions = make("div", { className: "answer-actions" });
      const use = make("button", { type: "button", className: "adjudicate-button primary" }, "Use this answer");
      const gold = make("button", { type: "button", className: "make-gold-button" }, "Make gold");
      use.addEventListener("click", () => this.adjudicate(card, answerCard, answer, { status, note, buttons: answers }));
      gold.addEventListener("click", () => this.makeGold(taskId, answer, status, gold));
      actions.append(use, gold);
      answerCard.append(actions);
      answers.append(answerCard);
    });
    card.append(header, data, answers, note, status);
    return card;
  }

  async adjudicate(card, answerCard, answer, { status, note, buttons }) {
    const taskId = card.dataset.taskId;
    const controls = [...buttons.querySelectorAll("button")];
    for (const button of controls) button.disabled = true;
    showStatus(status, "Saving the final answer…");
    try {
      const final = await api("PUT", `/api/v1/tasks/${taskId}/final`, { annotation_id: answer.annotation_id });
      card.classList.add("adjudicated");
      card.dataset.adjudicated = "true";
      card.dataset.finalSource = final?.source ?? "adjudicated";
      for (const other of card.querySelectorAll(".answer-card")) other.classList.toggle("chosen", other === answerCard);
      for (const button of card.querySelectorAll(".adjudicate-button")) {
        button.textContent = button.closest(".answer-card") === answerCard ? "Final answer" : "Use this answer";
      }
      note.hidden = false;
      note.replaceChildren("Adjudicated: ", make("span", { className: "adjudicated-value" }, summarizeValue(final?.value ?? answer.value, this.schema)),
        ` (answer by ${answer.worker})`);
      showStatus(status, "Final answer set.", "ok");
      this.loadReport();
    } catch (error) {
      showStatus(status, describeProblem(error), "error");
    } finally {
      for (const button of controls) button.disabled = false;
    }
  }

  async makeGold(taskId, answer, status, button) {
    button.disabled = true;
    showStatus(status, "Making this task gold…");
    try {
      await api("PUT", `/api/v1/tasks/${taskId}/gold`, { answer: answer.value });
      showStatus(status, `Gold answer set from ${answer.worker}'s answer.`, "ok");
      await Promise.all([this.loadGold(), this.loadReport()]);
    } catch (error) {
      showStatus(status, describeProblem(error), "error");
    } finally {
      button.disabled = false;
    }
  }

  // Flags

  async loadFlags() {
    const body = this.sections.flags.body;
    try {
      const result = await api("GET", `${this.base}/flags`);
      const headings = ["Kind", "Note", "Specialty", "Guidelines version", "Status", "Resolution", "Worker", "Task"];
      const { element, body: rows } = table({ className: "quality-table flags-table" }, headings);
      const flags = result?.flags ?? [];
      if (!flags.length) rows.append(emptyRow(headings.length, "No flags."));
      for (const flag of flags) {
        const row = make("tr", { "data-flag-id": flag.id, "data-status": flag.status });
        const status = make("td");
        status.append(make("span", { className: `badge badge-flag-${flag.status}` }, flag.status));
        row.append(cell(String(flag.kind ?? "").replace(/_/g, " ")), cell(flag.note, "flag-note"), cell(flag.specialty ?? NONE),
          countCell(flag.guidelines_version), status, cell(flag.resolution ?? NONE, "flag-resolution"), cell(flag.worker),
          cell(flag.task_id, "task-id"));
        rows.append(row);
      }
      body.replaceChildren(element);
    } catch (error) {
      showError(body, error);
    }
  }

  // Gold

  async loadGold() {
    const body = this.sections.gold.body;
    try {
      const result = await api("GET", `${this.base}/gold`);
      const headings = ["Task", "Data", "Answer", "Attempts", "Mean score", ""];
      const { element, body: rows } = table({ className: "quality-table gold-table" }, headings);
      const gold = result?.gold ?? [];
      if (!gold.length) rows.append(emptyRow(headings.length, "No gold tasks. Make one from a disagreement, or over the API."));
      for (const item of gold) {
        const row = make("tr", { "data-task-id": item.task_id });
        const data = make("td", { className: "gold-data" });
        const text = item.data && typeof item.data === "object" ? Object.values(item.data).map(labelText).join(" · ") : labelText(item.data);
        data.textContent = text.length > 160 ? `${text.slice(0, 160)}…` : text;
        const remove = make("button", { type: "button", className: "remove-gold-button" }, "Remove");
        remove.addEventListener("click", () => this.removeGold(item.task_id, remove));
        const actions = make("td", { className: "row-actions" });
        actions.append(remove);
        row.append(cell(item.external_id ?? item.task_id, "task-id"), data, cell(summarizeValue(item.answer, this.schema), "gold-answer"),
          countCell(item.attempts), numberCell(item.mean_score), actions);
        rows.append(row);
      }
      this.goldStatus = make("p", { className: "muted", role: "status" });
      body.replaceChildren(element, this.goldStatus);
    } catch (error) {
      showError(body, error);
    }
  }

  async removeGold(taskId, button) {
    button.disabled = true;
    try {
      await api("DELETE", `/api/v1/tasks/${taskId}/gold`);
      await Promise.all([this.loadGold(), this.loadReport()]);
      showStatus(this.goldStatus, "Gold task removed.", "ok");
    } catch (error) {
      button.disabled = false;
      showStatus(this.goldStatus, describeProblem(error), "error");
    }
  }

  // Reviewers

  renderReviewerForm() {
    const form = make("form", { id: "reviewer-form", className: "quality-form" });
    const field = (caption, control) => {
      const label = make("label", {}, caption);
      label.append(control);
      return label;
    };
    const email = make("input", { type: "email", name: "email", required: true, autocomplete: "off", placeholder: "worker@example.org" });
    const level = make("select", { name: "level" });
    level.append(make("option", { value: "reviewer" }, "Reviewer (peer review)"), make("option", { value: "expert" }, "Expert (expert verification)"));
    const specialties = make("input", { type: "text", name: "specialties", placeholder: "oncology, organic chemistry" });
    const actions = make("div", { className: "form-actions" });
    actions.append(make("button", { type: "submit", className: "primary" }, "Grant"));
    form.append(field("Worker's e-mail", email), field("Level", level), field("Specialties (comma-separated)", specialties), actions);
    this.reviewerStatus = make("p", { id: "reviewer-status", role: "status" });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.grant(form, { email, level, specialties });
    });
    this.reviewerList = make("div", { className: "reviewer-list" });
    this.reviewerList.append(make("p", { className: "muted" }, "Loading…"));
    this.sections.reviewers.body.replaceChildren(this.reviewerList, make("h3", {}, "Grant a qualification"), form, this.reviewerStatus);
  }

  async loadReviewers() {
    try {
      const result = await api("GET", `${this.base}/reviewers`);
      const headings = ["E-mail", "Name", "Level", "Specialties", ""];
      const { element, body: rows } = table({ className: "quality-table reviewers-table" }, headings);
      const reviewers = result?.reviewers ?? [];
      if (!reviewers.length) rows.append(emptyRow(headings.length, "No reviewers or experts yet."));
      for (const reviewer of reviewers) {
        const row = make("tr", { "data-user-id": reviewer.user_id, "data-level": reviewer.level });
        const remove = make("button", { type: "button", className: "remove-reviewer-button" }, "Remove");
        remove.addEventListener("click", () => this.revoke(reviewer, remove));
        const actions = make("td", { className: "row-actions" });
        actions.append(remove);
        row.append(cell(reviewer.email, "reviewer-email"), cell(reviewer.name || NONE), cell(reviewer.level, "reviewer-level"),
          cell((reviewer.specialties ?? []).join(", ") || NONE, "reviewer-specialties"), actions);
        rows.append(row);
      }
      this.reviewerList.replaceChildren(element);
    } catch (error) {
      showError(this.reviewerList, error);
    }
  }

  async grant(form, { email, level, specialties }) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    showStatus(this.reviewerStatus, "Granting…");
    try {
      const list = specialties.value.split(",").map((item) => item.trim()).filter(Boolean);
      const grant = await api("POST", `${this.base}/reviewers`, { email: email.value.trim(), level: level.value, specialties: list });
      showStatus(this.reviewerStatus, `${grant.email} is now ${grant.level === "expert" ? "an expert" : "a reviewer"} on this project.`, "ok");
      form.reset();
      await this.loadReviewers();
    } catch (error) {
      showStatus(this.reviewerStatus, describeProblem(error), "error");
    } finally {
      button.disabled = false;
    }
  }

  async revoke(reviewer, button) {
    button.disabled = true;
    try {
      await api("DELETE", `${this.base}/reviewers/${reviewer.user_id}`);
      showStatus(this.reviewerStatus, `${reviewer.email} is no longer a reviewer here.`, "ok");
      await this.loadReviewers();
    } catch (error) {
      button.disabled = false;
      showStatus(this.reviewerStatus, describeProblem(error), "error");
    }
  }

  // Policy

  renderPolicy() {
    const body = this.sections.policy.body;
    const form = make("form", { id: "policy-form", className: "quality-form" });
    const written = this.policyAsWritten && typeof this.policyAsWritten === "object" && Object.keys(this.policyAsWritten).length
      ? this.policyAsWritten : this.policy;
    const label = make("label", { for: "policy-json" }, "Policy (JSON; keys left out take their defaults)");
    const textarea = make("textarea", { id: "policy-json", name: "quality_policy", className: "code", rows: 14, spellcheck: "false" });
    textarea.value = JSON.stringify(written, null, 2);
    const actions = make("div", { className: "form-actions" });
    actions.append(make("button", { type: "submit", className: "primary", id: "policy-save" }, "Save policy"));
    const status = make("p", { id: "policy-status", role: "status" });
    const errors = make("ul", { id: "policy-errors", className: "errors", hidden: true });
    const effective = make("details", { className: "effective-policy" });
    const effectiveText = make("pre", { id: "policy-effective" }, JSON.stringify(this.policy, null, 2));
    effective.append(make("summary", {}, "Effective policy (defaults filled in)"), effectiveText);
    form.append(label, textarea, actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.savePolicy(textarea, { status, errors, effectiveText, button: actions.querySelector("button") });
    });
    body.replaceChildren(form, status, errors, effective);
  }

  async savePolicy(textarea, { status, errors, effectiveText, button }) {
    errors.hidden = true;
    errors.replaceChildren();
    let policy;
    try {
      policy = JSON.parse(textarea.value);
    } catch (error) {
      showStatus(status, `The policy is not valid JSON: ${error.message}`, "error");
      return;
    }
    if (!policy || typeof policy !== "object" || Array.isArray(policy)) {
      showStatus(status, "The policy must be a JSON object.", "error");
      return;
    }
    button.disabled = true;
    showStatus(status, "Saving…");
    try {
      const project = await api("PATCH", this.base, { quality_policy: policy });
      this.policy = project?.quality_policy ?? this.policy;
      effectiveText.textContent = JSON.stringify(this.policy, null, 2);
      showStatus(status, "Policy saved.", "ok");
      this.loadReport();
    } catch (error) {
      const problem = error.problem;
      showStatus(status, problem?.title ?? describeProblem(error), "error");
      const items = problem?.errors?.length ? problem.errors : [{ field: problem?.field, message: describeProblem(error) }];
      for (const item of items) {
        const entry = make("li", { "data-field": item.field ?? "" });
        if (item.field) entry.append(make("code", { className: "error-field" }, item.field), ": ");
        entry.append(item.message ?? "");
        errors.append(entry);
      }
      errors.hidden = false;
    } finally {
      button.disabled = false;
    }
  }
}

const root = document.getElementById("quality-root");
const configElement = document.getElementById("quality-config");
if (root && configElement) {
  let config;
  try {
    config = JSON.parse(configElement.textContent);
  } catch (error) {
    root.replaceChildren(make("p", { className: "error" }, `The page's configuration could not be read: ${error.message}`));
  }
  if (config) {
    new QualityPage(root, config).start().catch((error) => {
      root.append(make("p", { className: "error", role: "alert" }, describeProblem(error)));
    });
  }
}
