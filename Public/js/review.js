// The review page: a reviewer (peer stage) or an expert (expert stage) takes one item at a time from the
// project's queue, sees the task, why it is there and what was decided before, and accepts, rejects with a
// comment, corrects the annotation in the project's own widgets, escalates it to the experts, or resolves a
// flag. Everything from the API (task data, values, comments, notes) is shown as text, never as HTML.

import { api, ApiError, describeProblem } from "./api.js";
import { WidgetForm, keyName, renderTaskData } from "./editor-core.js";
import { widgetFactories } from "./widgets/registry.js";

const FLAG_KINDS = { ambiguous: "Ambiguous", edge_case: "Edge case", guidelines_gap: "Guidelines gap", other: "Other" };
const STAGE_NAMES = { review: "Peer review", expert: "Expert verification" };
const VERDICT_NAMES = {
  accept: "accepted",
  reject: "rejected",
  correct: "corrected",
  escalate: "escalated",
  resolve: "resolved",
};

/** A JSON text with sorted object keys, so two values compare equal whatever their key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Why an item is in the queue, in words. */
export function describeReason(item) {
  const comment = item.comment?.trim();
  switch (item.reason) {
    case "spot_check":
      return "Spot check";
    case "soft_rule":
      return comment ? `Soft rule confirmed by the worker: ${comment}` : "Soft rule confirmed by the worker";
    case "rework":
      return `Rework (version ${item.annotation?.version ?? 2})`;
    case "escalated": {
      const specialty = item.specialty ? ` (for ${item.specialty} experts)` : "";
      return comment ? `Escalated${specialty}: ${comment}` : `Escalated by a reviewer${specialty}`;
    }
    case "sample":
      return "Expert sample";
    case "flag": {
      const flag = item.flag ?? {};
      const kind = FLAG_KINDS[flag.kind] ?? flag.kind ?? "flag";
      const note = (flag.note ?? comment ?? "").trim();
      const specialty = (flag.specialty ?? item.specialty) ? ` (${flag.specialty ?? item.specialty})` : "";
      return `Flag: ${kind}${specialty}${note ? ` — ${note}` : ""}`;
    }
    default:
      return comment ? `${item.reason}: ${comment}` : String(item.reason ?? "");
  }
}

/** One field's value in words (a list joined, anything structured as indented JSON), for read-only answers. */
function valueNode(value) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) {
    return element("span", "muted", "—");
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return element("span", "answer-text", String(value));
  }
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) {
    return element("span", "answer-text", value.join(", "));
  }
  return element("pre", "answer-json", JSON.stringify(value, null, 2));
}

/**
 * What the labeling widgets expect of their editor core, for one review item: the value with undo and redo,
 * the schema, the task, the hotkeys and a status line. The item's original value is kept to tell whether the
 * reviewer changed it.
 */
export class ReviewCore extends WidgetForm {
  constructor({ config, elements, widgetFactories: factories, onValueChange }) {
    super({ config, elements, widgetFactories: factories });
    this.onValueChange = onValueChange ?? (() => {});
    this.original = canonical({});
  }

  /** Shows a task and starts the form from `value`; with `useInitial`, fields left empty take the widgets' defaults. */
  load(task, value, { useInitial = false } = {}) {
    this.task = task;
    const claimed = new Set(this.widgets.flatMap((widget) => widget.dataKeys ?? []));
    renderTaskData(this.elements.dataElement, task.data, claimed);
    for (const widget of this.widgets) widget.showTask?.(task);
    this.value = value && typeof value === "object" && !Array.isArray(value) ? structuredClone(value) : {};
    if (useInitial) {
      for (const widget of this.widgets) {
        const start = widget.initialValue?.(task);
        if (start !== undefined && this.value[widget.field.name] === undefined) this.value[widget.field.name] = start;
      }
    }
    this.original = canonical(this.value);
    this.undoStack = [];
    this.redoStack = [];
    this.lastCoalesced = null;
    this.renderValue();
  }

  /** Whether the form differs from the value it was loaded with. */
  get changed() {
    return canonical(this.value) !== this.original;
  }

  /** Replaces the whole value (one undo step): an expert taking one of the answers as the starting point. */
  replaceValue(value) {
    this.undoStack.push(structuredClone(this.value));
    this.redoStack = [];
    this.lastCoalesced = null;
    this.value = structuredClone(value ?? {});
    this.renderValue();
  }

  renderValue() {
    super.renderValue();
    this.onValueChange();
  }

  /** The keys the widgets and the form understand: a widget's own keys, option digits, undo and redo. */
  handleKey(event) {
    if (!this.task) return;
    const name = keyName(event);
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== "checkbox")
      || target instanceof HTMLSelectElement;
    if (!typing && this.widgets.some((widget) => widget.handleKey?.(name, event))) {
      event.preventDefault();
      return;
    }
    const action = this.actionsByKey.get(name);
    if (!action || typing) return;
    if (action === "undo") this.undo();
    else if (action === "redo") this.redo();
    else if (action.startsWith("option_")) {
      const number = Number(action.slice("option_".length));
      for (const widget of this.widgets) widget.chooseOption?.(number);
    } else return;
    event.preventDefault();
  }
}

/** The page: the queue's current item, its context, the form and the verdict buttons. */
class ReviewPage {
  constructor(config) {
    this.config = config;
    this.stage = config.stage === "expert" ? "expert" : "review";
    this.item = null;
    this.busy = false;
    this.root = document.getElementById("review-item");
    this.empty = document.getElementById("review-empty");
    this.form = document.getElementById("review-form");
    this.comment = document.getElementById("review-comment");
    this.actions = document.getElementById("review-actions");
    this.status = document.getElementById("review-status");
    this.buildItemView();
    this.buildButtons();
    this.core = new ReviewCore({
      config,
      elements: { taskElement: this.taskElement, dataElement: this.dataElement, form: this.form, status: this.status },
      widgetFactories,
      onValueChange: () => this.updateButtons(),
    });
  }

  buildItemView() {
    this.root.replaceChildren();
    this.reasonElement = element("p", "review-reason");
    this.reasonElement.id = "review-reason";
    this.historyBox = element("section", "review-history-box");
    this.historyBox.append(element("h3", "review-subhead", "Earlier decisions"));
    this.historyList = element("ol", "review-history");
    this.historyList.id = "review-history";
    this.historyBox.append(this.historyList);
    this.taskElement = element("div", "review-task");
    this.taskElement.id = "review-task";
    this.dataElement = element("div", "task-data");
    this.dataElement.id = "review-data";
    this.taskElement.append(this.dataElement);
    this.answersBox = element("section", "review-answers-box");
    this.answersBox.append(element("h3", "review-subhead", "The answers"));
    this.answersList = element("div", "review-answers");
    this.answersList.id = "review-answers";
    this.answersBox.append(this.answersList);
    this.root.append(this.reasonElement, this.historyBox, this.taskElement, this.answersBox);
    this.root.hidden = true;
  }

  buildButtons() {
    const button = (id, text, className, handler) => {
      const node = element("button", className, text);
      node.type = "button";
      node.id = id;
      node.addEventListener("click", handler);
      return node;
    };
    this.acceptButton = button("accept-button", "Accept", "primary", () => this.decide("accept"));
    this.rejectButton = button("reject-button", "Reject", "danger", () => this.decide("reject"));
    this.correctButton = button("correct-button", "Save correction", "", () => this.decide("correct"));
    this.escalateButton = button("escalate-button", "Escalate to experts", "", () => this.decide("escalate"));
    this.resolveButton = button("resolve-button", "Resolve", "primary", () => this.decide("resolve"));
    this.undoButton = button("review-undo-button", "Undo edit", "", () => this.core.undo());
    this.specialtyInput = element("input", "escalate-specialty");
    this.specialtyInput.id = "escalate-specialty";
    this.specialtyInput.type = "text";
    this.specialtyInput.maxLength = 100;
    this.specialtyInput.placeholder = "specialty (optional)";
    this.specialtyInput.setAttribute("aria-label", "Specialty of the experts to escalate to (optional)");
    this.escalateGroup = element("span", "escalate-group");
    this.escalateGroup.append(this.escalateButton, this.specialtyInput);
    this.actions.replaceChildren(this.acceptButton, this.rejectButton, this.correctButton, this.escalateGroup,
      this.resolveButton, this.undoButton);
    this.actions.hidden = true;
  }

  async start() {
    this.core.buildForm();
    document.addEventListener("keydown", (event) => this.core.handleKey(event));
    await this.loadNext();
  }

  async loadNext() {
    let item;
    try {
      item = await api("GET", `/api/v1/projects/${this.config.project_id}/reviews/next?stage=${encodeURIComponent(this.stage)}`);
    } catch (error) {
      this.show(null, { failed: true });
      this.core.setStatus(`Could not load the next item: ${describeProblem(error)}`, true);
      return;
    }
    this.show(item);
  }

  /** Shows an item, or (null) the empty queue; after a failed load neither. */
  show(item, { failed = false } = {}) {
    this.item = item;
    const formLabel = this.comment.closest("label") ?? this.comment;
    if (!item) {
      this.root.hidden = true;
      this.root.removeAttribute("data-review-id");
      this.root.removeAttribute("data-task-id");
      this.root.removeAttribute("data-reason");
      this.empty.hidden = failed;
      this.form.hidden = true;
      formLabel.hidden = true;
      this.actions.hidden = true;
      return;
    }
    this.empty.hidden = true;
    this.root.hidden = false;
    this.root.dataset.reviewId = item.id;
    this.root.dataset.taskId = item.task?.id ?? "";
    this.root.dataset.reason = item.reason;
    this.reasonElement.textContent = describeReason(item);
    this.showHistory(item.history ?? []);
    const hasAnnotation = !!item.annotation;
    this.showAnswers(hasAnnotation ? [] : item.answers ?? []);
    // An annotation is shown as written; a flag's form starts empty (the expert may set the final answer).
    this.core.load(item.task ?? { id: "", data: {} }, hasAnnotation ? item.annotation.value : {}, { useInitial: !hasAnnotation });
    this.form.hidden = false;
    formLabel.hidden = false;
    this.comment.value = "";
    this.specialtyInput.value = "";
    this.actions.hidden = false;
    this.acceptButton.hidden = !hasAnnotation;
    this.rejectButton.hidden = !hasAnnotation;
    this.correctButton.hidden = !hasAnnotation;
    this.escalateGroup.hidden = !hasAnnotation || this.stage !== "review";
    this.resolveButton.hidden = hasAnnotation;
    this.updateButtons();
    this.form.querySelector("input, textarea")?.blur();
  }

  showHistory(history) {
    this.historyList.replaceChildren();
    this.historyBox.hidden = !history.length;
    for (const entry of history) {
      const row = element("li", "review-history-entry");
      const head = element("span", "history-verdict",
        `${STAGE_NAMES[entry.stage] ?? entry.stage}: ${VERDICT_NAMES[entry.verdict] ?? entry.verdict}`);
      row.append(head);
      if (entry.decided_at != null) {
        const when = new Date(typeof entry.decided_at === "number" ? entry.decided_at * 1000 : entry.decided_at);
        if (!Number.isNaN(when.getTime())) {
          const time = element("time", "muted", ` · ${when.toLocaleString()}`);
          time.dateTime = when.toISOString();
          row.append(time);
        }
      }
      if (entry.comment) row.append(element("p", "history-comment", entry.comment));
      this.historyList.append(row);
    }
  }

  /** A flag's current answers side by side, read-only, each with a button to start the form from it. */
  showAnswers(answers) {
    this.answersList.replaceChildren();
    this.answersBox.hidden = !answers.length;
    const fields = this.config.schema.fields ?? [];
    for (const answer of answers) {
      const card = element("article", "review-answer");
      card.dataset.annotationId = answer.annotation_id ?? "";
      card.append(element("h4", "review-answer-label", answer.label ?? "Answer"));
      const list = element("dl", "review-answer-fields");
      const value = answer.value && typeof answer.value === "object" ? answer.value : {};
      const names = [...fields.map((field) => field.name), ...Object.keys(value).filter((key) => !fields.some((f) => f.name === key))];
      for (const name of names) {
        const field = fields.find((f) => f.name === name);
        const term = element("dt", "", field?.label ?? name);
        const definition = element("dd", "");
        definition.dataset.field = name;
        definition.append(valueNode(value[name]));
        list.append(term, definition);
      }
      card.append(list);
      const use = element("button", "use-answer", "Start from this answer");
      use.type = "button";
      use.addEventListener("click", () => {
        this.core.replaceValue(value);
        this.core.setStatus(`The form now holds ${answer.label ?? "this answer"}; resolve to make it the final answer.`);
      });
      card.append(use);
      this.answersList.append(card);
    }
  }

  updateButtons() {
    const changed = this.core.changed;
    this.correctButton.disabled = this.busy || !changed;
    this.correctButton.title = changed ? "" : "Change the answer in the form first";
    this.acceptButton.disabled = this.busy || changed;
    this.acceptButton.title = changed ? "You changed the answer: save it as a correction, or undo your edit" : "";
    this.rejectButton.disabled = this.busy;
    this.escalateButton.disabled = this.busy;
    this.resolveButton.disabled = this.busy;
    this.resolveButton.textContent = changed ? "Resolve with this answer" : "Resolve";
    this.undoButton.hidden = !this.item || !this.core.undoStack.length;
  }

  async decide(verdict) {
    if (!this.item || this.busy) return;
    const comment = this.comment.value.trim();
    const body = { verdict };
    if (comment) body.comment = comment;
    if (verdict === "correct") {
      if (!this.core.changed) {
        this.core.setStatus("Change the answer in the form before saving a correction.", true);
        return;
      }
      body.value = this.core.value;
    }
    if (verdict === "resolve" && this.core.changed) body.final = this.core.value;
    if (verdict === "escalate") {
      const specialty = this.specialtyInput.value.trim();
      if (specialty) body.specialty = specialty;
    }
    // Rejecting without a comment goes to the server too: its message (field "comment") is shown as it is.
    this.busy = true;
    this.updateButtons();
    try {
      await api("POST", `/api/v1/reviews/${this.item.id}`, body);
      const done = {
        accept: "Accepted.",
        reject: "Rejected: the comment goes to the worker.",
        correct: "Correction saved as a new version; the worker's answer is kept.",
        escalate: "Escalated to the experts.",
        resolve: body.final ? "Resolved; the form's answer is now the task's final answer." : "Resolved.",
      }[verdict];
      this.busy = false;
      this.core.setStatus(`${done} Loading the next item…`);
      await this.loadNext();
      if (this.item) this.core.setStatus(`${done} Here is the next item.`);
      else this.core.setStatus(`${done} The queue is empty.`);
    } catch (error) {
      this.busy = false;
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) {
        // The item is no longer this reviewer's (its lease ran out, or it was decided elsewhere).
        const message = describeProblem(error);
        await this.loadNext();
        this.core.setStatus(message, true);
      } else {
        this.core.setStatus(describeProblem(error), true);
        if (error instanceof ApiError && error.problem?.field === "comment") this.comment.focus();
        else if (error instanceof ApiError && error.problem?.errors?.some((e) => e.field === "comment")) this.comment.focus();
      }
    } finally {
      this.busy = false;
      this.updateButtons();
    }
  }
}

const configElement = document.getElementById("review-config");
if (configElement) {
  const page = new ReviewPage(JSON.parse(configElement.textContent));
  page.start().catch((error) => page.core.setStatus(`Could not start the review: ${error.message}`, true));
}
