// An assessment attempt, for its taker. The clock runs on the server: the page counts down from the server's
// `time_left_s` and re-syncs on every save; at zero the form locks and what the worker answered is submitted.
// Items: multiple choice (radio buttons or checkboxes), written answers (a text area with a word count), and
// annotation items in the platform's own widgets, one small ReviewCore (a WidgetForm) per item over the item's
// schema and data. Every change is saved (debounced PUT); until the server has an answer it is also kept in
// localStorage, so a dropped connection or a closed tab loses nothing. Submit sends once, and the result
// (verdict, scores, reasons) replaces the clock. Prompts, options, task data and reasons are untrusted: text
// only, or the server's sanitised Markdown rebuilt through an allowlist (assessments.js safeHTML).
//
// practice.js reuses the item rendering (createAnswerControl, itemElement, answerSummary).

import { api, ApiError, describeProblem } from "./api.js";
import { make } from "./dom.js";
import { ReviewCore } from "./review.js";
import { widgetFactories } from "./widgets/registry.js";
import { normalizeOptions } from "./widgets/field-helpers.js";
import { formatDateTime, percent, richText, showStatus } from "./assessments.js";

const SAVE_DELAY_MS = 700;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 30000;
const NONE = "—";

let controlCounter = 0;

// --- answers ----------------------------------------------------------------------------------------------

/** Words as a reader counts them: runs of non-space characters. */
export function countWords(text) {
  return (String(text ?? "").trim().match(/\S+/g) ?? []).length;
}

/** Whether an answer says nothing: no value, blank text, no choice, an empty annotation. */
export function isEmptyAnswer(answer) {
  if (answer === undefined || answer === null) return true;
  if (typeof answer === "string") return answer.trim() === "";
  if (Array.isArray(answer)) return answer.length === 0;
  if (typeof answer === "object") return Object.keys(answer).length === 0;
  return false;
}

/** A JSON text with sorted object keys, so two equal answers compare equal whatever their key order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** An item's schema as the widgets expect it: choice options as `{value, label}` objects. */
export function widgetSchema(schema) {
  const fields = Array.isArray(schema?.fields) ? schema.fields : [];
  return {
    ...(schema && typeof schema === "object" ? schema : {}),
    fields: fields.map((field) => (field?.type === "choice" ? { ...field, options: normalizeOptions(field.options) } : field)),
  };
}

function isTimeUp(error) {
  return error instanceof ApiError && error.status === 403
    && (String(error.problem?.type ?? "").endsWith("/problems/time-up") || /time/i.test(error.problem?.title ?? ""));
}

/** The item ids a 422 names (`answers.<id>` or deeper), each with its message. */
function namedItems(problem, ids) {
  const named = new Map();
  const entries = problem?.errors?.length ? problem.errors : [{ field: problem?.field, message: problem?.detail ?? problem?.title }];
  for (const entry of entries) {
    const field = String(entry?.field ?? "");
    if (!field.startsWith("answers.")) continue;
    const rest = field.slice("answers.".length);
    // Item ids are [a-z0-9_-]: the id is what comes before a dot or bracket.
    const id = ids.find((candidate) => rest === candidate || rest.startsWith(`${candidate}.`) || rest.startsWith(`${candidate}[`));
    if (id) named.set(id, [named.get(id), entry.message ?? ""].filter(Boolean).join("; "));
  }
  return named;
}

// --- one item's answer control ----------------------------------------------------------------------------

function choiceControl(item, initial, onChange) {
  const name = `answer-${++controlCounter}`;
  const element = make("fieldset", { className: "answer-choice", "data-answer": item.multiple ? "checkboxes" : "radio" });
  element.append(make("legend", { className: "answer-legend" }, item.multiple ? "Choose every answer that applies" : "Choose one answer"));
  const options = (Array.isArray(item.options) ? item.options : []).map((option) => String(option));
  const selected = new Set(Array.isArray(initial) ? initial.map(String) : typeof initial === "string" ? [initial] : []);
  const inputs = options.map((option, index) => {
    const input = make("input", { type: item.multiple ? "checkbox" : "radio", name, id: `${name}-${index}` });
    input.value = option;
    input.checked = selected.has(option);
    input.addEventListener("change", () => onChange());
    const label = make("label", { className: "answer-option", for: input.id });
    label.append(input, make("span", { className: "answer-option-text" }, option));
    element.append(label);
    return input;
  });
  return {
    element,
    value() {
      if (item.multiple) return inputs.filter((input) => input.checked).map((input) => input.value);
      return inputs.find((input) => input.checked)?.value;
    },
    sendable(value) {
      return item.multiple ? Array.isArray(value) : typeof value === "string";
    },
    lock(locked) {
      for (const input of inputs) input.disabled = locked;
    },
  };
}

function writtenControl(item, initial, onChange) {
  const id = `answer-${++controlCounter}`;
  const element = make("div", { className: "answer-written" });
  const label = make("label", { for: id, className: "answer-legend" }, "Your answer");
  const textarea = make("textarea", { id, className: "written-answer", rows: 8, spellcheck: "true" });
  textarea.value = typeof initial === "string" ? initial : "";
  const maximum = typeof item.max_words === "number" && item.max_words > 0 ? item.max_words : null;
  const counter = make("p", { className: "word-count muted", "aria-live": "polite" });
  const update = () => {
    const words = countWords(textarea.value);
    counter.textContent = maximum ? `${words} of at most ${maximum} words` : `${words} word${words === 1 ? "" : "s"}`;
    counter.dataset.words = String(words);
    const over = maximum !== null && words > maximum;
    counter.classList.toggle("over", over);
    counter.classList.toggle("muted", !over);
    if (over) counter.textContent += ": shorten your answer";
    textarea.toggleAttribute("aria-invalid", over);
  };
  textarea.addEventListener("input", () => {
    update();
    onChange();
  });
  update();
  element.append(label, textarea, counter);
  return {
    element,
    value() {
      return textarea.value;
    },
    sendable(value) {
      return typeof value === "string";
    },
    lock(locked) {
      textarea.readOnly = locked;
    },
  };
}

/** An annotation item: the item's data and the schema's widgets over one value, with undo and redo. */
function annotationControl(item, initial, onChange, hotkeys) {
  const element = make("div", { className: "answer-annotation" });
  const taskElement = make("div", { className: "item-task" });
  const dataElement = make("div", { className: "task-data item-data" });
  taskElement.append(dataElement);
  const form = make("form", { className: "item-form", autocomplete: "off" });
  const status = make("p", { className: "item-widget-status muted", role: "status" });
  element.append(taskElement, form, status);
  let loading = true;
  const core = new ReviewCore({
    config: { project_id: "", schema: widgetSchema(item.schema), hotkeys: hotkeys ?? {} },
    elements: { taskElement, dataElement, form, status },
    widgetFactories,
    onValueChange: () => {
      if (!loading) onChange();
    },
  });
  let mounted = false;
  return {
    element,
    core,
    /** Builds the widgets once the item is in the page (some measure their layout). */
    mount() {
      if (mounted) return;
      mounted = true;
      try {
        core.buildForm();
        const start = initial && typeof initial === "object" && !Array.isArray(initial) ? initial : undefined;
        core.load({ id: item.id, data: item.data && typeof item.data === "object" ? item.data : {} }, start, { useInitial: start === undefined });
      } catch (error) {
        form.replaceChildren(make("p", { className: "error" }, `This item cannot be shown: ${error.message}`));
      } finally {
        loading = false;
      }
    },
    value() {
      return isEmptyAnswer(core.value) ? undefined : structuredClone(core.value);
    },
    sendable(value) {
      return value !== undefined && !isEmptyAnswer(value);
    },
    lock(locked) {
      element.inert = locked;
    },
    handleKey(event) {
      core.handleKey(event);
    },
  };
}

/**
 * The control for one item's answer: `{element, value(), sendable(value), lock(bool), mount?(), handleKey?()}`.
 * `onChange` runs after every change the worker makes (not when the control is built).
 */
export function createAnswerControl(item, { initial, onChange = () => {}, hotkeys = {} } = {}) {
  switch (item?.kind) {
    case "multiple_choice":
      return choiceControl(item, initial, onChange);
    case "written":
      return writtenControl(item, initial, onChange);
    case "annotation":
      return annotationControl(item, initial, onChange, hotkeys);
    default:
      return {
        element: make("p", { className: "muted" }, `This kind of item (${item?.kind ?? "unknown"}) cannot be answered here.`),
        value: () => undefined,
        sendable: () => false,
        lock() {},
      };
  }
}

const KIND_NAMES = { multiple_choice: "Multiple choice", written: "Written answer", annotation: "Annotation" };

/** An item's frame: its number, kind and points, the prompt, the answer control and a place for its error. */
export function itemElement(item, index, control) {
  const element = make("li", { className: "attempt-item", "data-item-id": item.id, "data-kind": item.kind });
  const heading = make("h2", { className: "item-heading" });
  heading.append(make("span", { className: "item-number" }, `Question ${index + 1}`));
  const facts = [KIND_NAMES[item.kind] ?? item.kind];
  if (typeof item.points === "number") facts.push(`${item.points} point${item.points === 1 ? "" : "s"}`);
  heading.append(make("span", { className: "item-facts muted" }, ` · ${facts.join(" · ")}`));
  const error = make("p", { className: "error item-error", role: "alert" });
  error.hidden = true;
  element.append(heading, richText(item.prompt_html, item.prompt, "item-prompt"), control.element, error);
  return { element, error };
}

/** Marks an item's answer as refused (message) or fine again (null). */
function setItemError(entry, message) {
  entry.error.textContent = message ?? "";
  entry.error.hidden = !message;
  entry.element.toggleAttribute("aria-invalid", !!message);
  entry.element.classList.toggle("invalid", !!message);
}

/** One field's value in words (read-only answers). */
function valueText(value) {
  if (value === undefined || value === null || value === "") return NONE;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((entry) => entry === null || typeof entry !== "object")) return value.join(", ") || NONE;
  return JSON.stringify(value, null, 2);
}

/**
 * An answer (the worker's or the right one) for reading: the option(s) chosen, the text written, or for an
 * annotation the value in the item's own widgets, read-only, with the fields listed in words beside it.
 */
export function answerSummary(item, answer) {
  const element = make("div", { className: "answer-summary" });
  if (item?.kind === "annotation" && answer && typeof answer === "object" && !Array.isArray(answer)) {
    const control = annotationControl(item, answer, () => {}, {});
    control.lock(true);
    control.element.classList.add("read-only");
    element.append(control.element);
    const list = make("dl", { className: "answer-fields" });
    const fields = Array.isArray(item.schema?.fields) ? item.schema.fields : [];
    const names = [...fields.map((field) => field.name).filter((name) => name in answer),
      ...Object.keys(answer).filter((name) => !fields.some((field) => field.name === name))];
    for (const name of names) {
      const field = fields.find((candidate) => candidate.name === name);
      const text = valueText(answer[name]);
      list.append(make("dt", {}, field?.label ?? name), make(text.includes("\n") ? "pre" : "dd", { "data-field": name }, text));
    }
    element.append(list);
    element.mount = () => control.mount();
    return element;
  }
  const text = Array.isArray(answer) ? answer.map(String).join(", ") : typeof answer === "string" ? answer : valueText(answer);
  element.append(make("p", { className: "answer-text" }, text || NONE));
  return element;
}

// --- the clock ---------------------------------------------------------------------------------------------

/** Seconds as a clock: 75 -> "1:15", 3725 -> "1:02:05". */
export function clockText(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** A time of day as hh:mm:ss (24 hours). */
function timeOfDay(date) {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, "0")).join(":");
}

// --- the page ----------------------------------------------------------------------------------------------

const VERDICTS = {
  passed: "Passed",
  failed: "Not passed",
  pending: "Waiting for a grader",
  review: "An admin is reviewing your attempt",
};

const NEXT_STEPS = {
  passed: "The qualifications this assessment unlocks are on your dashboard.",
  failed: "Thank you for taking it. The reasons are below.",
  pending: "A grader reads your written answers; you get a notification when the result is decided.",
  review: "Your score is close to the pass mark, so an admin decides; you get a notification.",
};

class AttemptPage {
  constructor(section) {
    this.section = section;
    this.attemptId = section.dataset.attemptId ?? "";
    this.apiPath = section.dataset.api || `/api/v1/attempts/${encodeURIComponent(this.attemptId)}`;
    try {
      this.hotkeys = JSON.parse(section.dataset.hotkeys || "{}");
    } catch {
      this.hotkeys = {};
    }
    this.title = document.getElementById("attempt-title");
    this.timer = document.getElementById("attempt-timer");
    this.saveStatus = document.getElementById("attempt-save-status");
    this.message = document.getElementById("attempt-message");
    this.resultBox = document.getElementById("attempt-result");
    this.itemsList = document.getElementById("attempt-items");
    this.actions = document.getElementById("attempt-actions");
    this.submitButton = document.getElementById("attempt-submit");
    this.unanswered = document.getElementById("attempt-unanswered");
    this.storageKey = `gloss.attempt.${this.attemptId}.answers`;

    this.entries = new Map(); // item id -> {item, control, element, error}
    this.answers = {};
    this.dirty = new Set(); // changed and not yet acknowledged by the server
    this.rejected = new Map(); // item id -> canonical answer the server refused (not re-sent until it changes)
    this.saving = false;
    this.saveAgain = false;
    this.saveTimer = null;
    this.retryTimer = null;
    this.retryDelay = RETRY_FIRST_MS;
    this.deadline = null;
    this.clockTimer = null;
    this.locked = false;
    this.submitting = false;
    this.submitted = false;
  }

  async start() {
    this.submitButton.addEventListener("click", () => this.submit());
    document.addEventListener("keydown", (event) => {
      const element = event.target instanceof Element ? event.target.closest(".attempt-item") : null;
      const entry = element ? this.entries.get(element.dataset.itemId) : null;
      if (entry && !this.locked) entry.control.handleKey?.(event);
    });
    window.addEventListener("online", () => {
      if (this.dirty.size) this.save();
    });
    const attempt = await api("GET", this.apiPath);
    this.show(attempt);
  }

  show(attempt) {
    this.attempt = attempt;
    this.title.textContent = attempt.assessment_title || "Assessment";
    document.title = `${attempt.assessment_title || "Assessment"} · Gloss`;
    this.section.dataset.status = attempt.status;
    const open = attempt.status === "in_progress";
    this.answers = attempt.answers && typeof attempt.answers === "object" ? { ...attempt.answers } : {};
    const items = Array.isArray(attempt.items) ? attempt.items : [];
    const restored = open ? this.restoreLocal(items) : 0;
    if (!open) this.clearLocal();
    this.renderItems(items);
    this.section.dataset.loaded = "true";
    if (!open) {
      this.finish(attempt);
      return;
    }
    this.actions.hidden = false;
    this.updateUnanswered();
    if (attempt.saved_at) this.showSaved(attempt.saved_at);
    this.syncClock(attempt.time_left_s);
    if (this.locked) return; // the clock had already run out
    if (restored) {
      showStatus(this.saveStatus, `${restored} answer${restored === 1 ? "" : "s"} kept on this device; saving…`);
      this.save();
    }
  }

  renderItems(items) {
    this.itemsList.replaceChildren();
    this.entries.clear();
    if (!items.length) this.itemsList.append(make("li", { className: "muted" }, "This assessment has no items."));
    items.forEach((item, index) => {
      const control = createAnswerControl(item, {
        initial: this.answers[item.id],
        onChange: () => this.changed(item.id),
        hotkeys: this.hotkeys,
      });
      const { element, error } = itemElement(item, index, control);
      this.entries.set(item.id, { item, control, element, error });
      this.itemsList.append(element);
      control.mount?.();
    });
  }

  // Answers and autosave

  changed(id) {
    const entry = this.entries.get(id);
    if (!entry || this.locked) return;
    const value = entry.control.value();
    if (value === undefined) delete this.answers[id];
    else this.answers[id] = value;
    if (this.rejected.has(id) && this.rejected.get(id) !== canonical(value)) setItemError(entry, null);
    if (entry.control.sendable(value)) this.dirty.add(id);
    else this.dirty.delete(id);
    this.writeLocal();
    this.updateUnanswered();
    if (this.dirty.size) this.saveStatus.dataset.state = "pending";
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  /** The answers to send: every changed, sendable one the server has not already refused as it is. */
  pendingIds() {
    return [...this.dirty].filter((id) => {
      const entry = this.entries.get(id);
      if (!entry || !entry.control.sendable(this.answers[id])) return false;
      return this.rejected.get(id) !== canonical(this.answers[id]);
    });
  }

  async save() {
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    if (this.locked || this.submitting || this.submitted) return;
    if (this.saving) {
      this.saveAgain = true;
      return;
    }
    const ids = this.pendingIds();
    if (!ids.length) return;
    const body = {};
    const sent = {};
    for (const id of ids) {
      body[id] = this.answers[id];
      sent[id] = canonical(this.answers[id]);
    }
    this.saving = true;
    showStatus(this.saveStatus, "Saving…");
    this.saveStatus.dataset.state = "saving";
    try {
      const response = await api("PUT", `${this.apiPath}/answers`, { answers: body });
      this.retryDelay = RETRY_FIRST_MS;
      for (const id of ids) {
        if (canonical(this.answers[id]) === sent[id]) this.dirty.delete(id);
        this.rejected.delete(id);
        const entry = this.entries.get(id);
        if (entry) setItemError(entry, null);
      }
      this.writeLocal();
      if (!this.locked) {
        this.syncClock(response?.time_left_s);
        this.showSaved(response?.saved_at);
      }
    } catch (error) {
      this.saveFailed(error, ids);
    } finally {
      this.saving = false;
      if (this.saveAgain) {
        this.saveAgain = false;
        if (!this.retryTimer) this.saveTimer = setTimeout(() => this.save(), 0);
      }
    }
  }

  saveFailed(error, ids) {
    if (error instanceof ApiError && error.status === 409) {
      this.submitted = true;
      this.lock();
      this.showMessage(`Not saved: this attempt has already been submitted. ${describeProblem(error)}`);
      this.refresh();
      return;
    }
    if (isTimeUp(error)) {
      this.lock();
      this.showMessage(`Time is up: answers after the limit are refused. ${describeProblem(error)}`);
      this.refresh();
      return;
    }
    if (error instanceof ApiError && error.status === 422) {
      const named = namedItems(error.problem, ids);
      if (named.size) {
        for (const [id, message] of named) {
          this.rejected.set(id, canonical(this.answers[id]));
          const entry = this.entries.get(id);
          if (entry) setItemError(entry, `Not saved: ${message || describeProblem(error)}`);
        }
        showStatus(this.saveStatus, `Not saved: fix the marked answer${named.size === 1 ? "" : "s"}.`, "error");
        this.saveStatus.dataset.state = "invalid";
        // The other answers of the batch go again without the refused ones.
        if (this.pendingIds().length) this.saveTimer = setTimeout(() => this.save(), 0);
        return;
      }
    }
    if (error instanceof ApiError && error.status === 401) {
      showStatus(this.saveStatus, "Not saved: you are signed out. Sign in again in another tab; your answers are kept on this device.", "error");
      this.saveStatus.dataset.state = "offline";
      this.scheduleRetry();
      return;
    }
    const reason = error instanceof ApiError ? describeProblem(error) : "no connection to the server";
    const seconds = Math.round(this.retryDelay / 1000);
    showStatus(this.saveStatus, `Not saved yet (${reason}). Trying again in ${seconds} s; your answers are kept on this device.`, "error");
    this.saveStatus.dataset.state = "offline";
    this.scheduleRetry();
  }

  scheduleRetry() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.save();
    }, this.retryDelay);
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
  }

  showSaved(savedAt) {
    const parsed = typeof savedAt === "string" ? new Date(savedAt) : null;
    const when = parsed && !Number.isNaN(parsed.getTime()) ? parsed : new Date();
    showStatus(this.saveStatus, `Saved ${timeOfDay(when)}`, "ok");
    this.saveStatus.dataset.state = this.dirty.size ? "saving" : "saved";
  }

  // Answers kept on this device until the server has them

  writeLocal() {
    try {
      if (!this.dirty.size) {
        window.localStorage.removeItem(this.storageKey);
        return;
      }
      const answers = {};
      for (const id of this.dirty) if (id in this.answers) answers[id] = this.answers[id];
      window.localStorage.setItem(this.storageKey, JSON.stringify({ answers, kept_at: new Date().toISOString() }));
    } catch {
      // No storage (private mode, full): the autosave still runs.
    }
  }

  /** Puts back the answers this device kept and the server never acknowledged; returns how many. */
  restoreLocal(items) {
    let kept;
    try {
      kept = JSON.parse(window.localStorage.getItem(this.storageKey) ?? "null");
    } catch {
      kept = null;
    }
    if (!kept || typeof kept.answers !== "object" || kept.answers === null) return 0;
    const ids = new Set(items.map((item) => item.id));
    let count = 0;
    for (const [id, value] of Object.entries(kept.answers)) {
      if (!ids.has(id) || value === undefined) continue;
      this.answers[id] = value;
      this.dirty.add(id);
      count += 1;
    }
    return count;
  }

  clearLocal() {
    try {
      window.localStorage.removeItem(this.storageKey);
    } catch {
      // nothing kept
    }
  }

  updateUnanswered() {
    const total = this.entries.size;
    let open = 0;
    for (const [id, entry] of this.entries) if (isEmptyAnswer(this.answers[id] ?? entry.control.value())) open += 1;
    this.unanswered.dataset.unanswered = String(open);
    this.unanswered.textContent = open
      ? `${open} of ${total} item${total === 1 ? "" : "s"} ${open === 1 ? "has" : "have"} no answer yet.`
      : `All ${total} item${total === 1 ? "" : "s"} answered.`;
  }

  // The clock

  syncClock(seconds) {
    if (typeof seconds !== "number" || !Number.isFinite(seconds)) return;
    this.deadline = performance.now() + Math.max(0, seconds) * 1000;
    if (!this.clockTimer) this.clockTimer = setInterval(() => this.tick(), 250);
    this.tick();
  }

  tick() {
    if (this.deadline === null) return;
    const left = Math.max(0, Math.ceil((this.deadline - performance.now()) / 1000));
    this.timer.textContent = left ? `${clockText(left)} left` : "Time is up";
    this.timer.dataset.secondsLeft = String(left);
    this.timer.classList.toggle("warning", left > 0 && left <= 60);
    this.timer.classList.toggle("over", left === 0);
    if (left === 0) {
      this.stopClock();
      this.timeUp();
    }
  }

  stopClock() {
    clearInterval(this.clockTimer);
    this.clockTimer = null;
    this.deadline = null;
  }

  /** The limit is reached: the form locks and the answers go in once (the server allows a few seconds' grace). */
  async timeUp() {
    if (this.locked || this.submitted) return;
    this.lock();
    this.showMessage("Time is up: the form is locked and your answers are being submitted.");
    await this.submit({ auto: true });
  }

  // Submit and the result

  /** Every answer the page holds that can be sent. */
  collectAnswers(skip = new Set()) {
    const answers = {};
    for (const [id, entry] of this.entries) {
      if (skip.has(id)) continue;
      const value = this.answers[id] ?? entry.control.value();
      if (value !== undefined && entry.control.sendable(value)) answers[id] = value;
    }
    return answers;
  }

  async submit({ auto = false, skip = new Set() } = {}) {
    if (this.submitting || this.submitted || (!auto && this.locked)) return;
    // Set before anything is awaited: a second click of a double click finds the button disabled.
    this.submitting = true;
    this.submitButton.disabled = true;
    this.submitButton.textContent = "Submitting…";
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.hideMessage();
    try {
      const attempt = await api("POST", `${this.apiPath}/submit`, { answers: this.collectAnswers(skip) });
      this.submitted = true;
      this.dirty.clear();
      this.clearLocal();
      this.finish(attempt, auto ? "Time is up: your answers were submitted." : "Submitted.");
    } catch (error) {
      this.submitting = false;
      if (error instanceof ApiError && error.status === 409) {
        this.submitted = true;
        this.clearLocal();
        this.lock();
        this.showMessage(`Already submitted: an attempt counts once, and this one was submitted before. ${describeProblem(error)}`);
        await this.refresh();
      } else if (isTimeUp(error)) {
        this.lock();
        this.showMessage(`Time is up: the limit has passed, so the server refuses new answers. ${describeProblem(error)}`);
        await this.refresh();
      } else if (error instanceof ApiError && error.status === 422) {
        const named = namedItems(error.problem, [...this.entries.keys()]);
        for (const [id, message] of named) {
          const entry = this.entries.get(id);
          if (entry) setItemError(entry, message || describeProblem(error));
        }
        if (auto && named.size) {
          // Out of time: what can go, goes.
          await this.submit({ auto: true, skip: new Set([...skip, ...named.keys()]) });
          return;
        }
        this.showMessage(`Not submitted: fix the marked answer${named.size === 1 ? "" : "s"} first.\n${describeProblem(error)}`);
      } else {
        const reason = error instanceof ApiError ? describeProblem(error) : "no connection to the server";
        if (auto) {
          this.showMessage(`Time is up, and the answers could not be sent (${reason}). What was saved before the limit is on the server.`);
          await this.refresh();
        } else {
          this.showMessage(`Not submitted (${reason}). Your answers are kept on this device; try again.`);
        }
      }
    } finally {
      this.submitting = false;
      if (!this.submitted && !this.locked) {
        this.submitButton.disabled = false;
        this.submitButton.textContent = "Submit answers";
      }
    }
  }

  /** Reads the attempt again after it closed elsewhere (submitted in another tab, or out of time). */
  async refresh() {
    try {
      const attempt = await api("GET", this.apiPath);
      if (attempt.status !== "in_progress") this.finish(attempt);
    } catch {
      // The message already says what happened.
    }
  }

  lock() {
    this.locked = true;
    this.section.dataset.locked = "true";
    this.itemsList.inert = true;
    for (const entry of this.entries.values()) entry.control.lock(true);
    this.submitButton.disabled = true;
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  finish(attempt, note) {
    this.attempt = attempt;
    this.section.dataset.status = attempt.status;
    this.stopClock();
    this.lock();
    this.actions.hidden = true;
    this.timer.classList.remove("warning", "over");
    this.timer.textContent = attempt.submitted_at ? `Submitted ${formatDateTime(attempt.submitted_at)}` : "Closed";
    delete this.timer.dataset.secondsLeft;
    if (note) showStatus(this.saveStatus, note, "ok");
    else showStatus(this.saveStatus, "");
    this.saveStatus.dataset.state = "submitted";
    this.showResult(attempt);
  }

  showResult(attempt) {
    const box = this.resultBox;
    const result = attempt.result;
    box.replaceChildren(make("h2", {}, "Result"));
    box.hidden = false;
    if (!result) {
      box.dataset.verdict = "";
      box.append(make("p", { className: "muted" }, "Your answers are in. The result appears here once it is decided."));
      return;
    }
    box.dataset.verdict = result.verdict ?? "";
    box.append(make("p", { className: `verdict verdict-${result.verdict}`, "data-verdict": result.verdict }, VERDICTS[result.verdict] ?? result.verdict));
    if (NEXT_STEPS[result.verdict]) box.append(make("p", { className: "muted" }, NEXT_STEPS[result.verdict]));
    const scores = make("dl", { className: "result-scores" });
    const score = (name, label, text) => {
      const block = make("div", { className: "result-score", "data-score": name });
      block.append(make("dt", {}, label), make("dd", {}, text));
      scores.append(block);
    };
    score("overall", "Overall", result.score == null && result.verdict === "pending" ? "after grading" : percent(result.score));
    if (result.auto_score != null) score("auto", "Scored automatically", percent(result.auto_score));
    const hasWritten = (attempt.items ?? []).some((item) => item.kind === "written");
    if (result.human_score != null || hasWritten) {
      score("human", "Written answers (graded)", result.human_score == null ? "waiting for a grader" : percent(result.human_score));
    }
    if (result.decided_by) {
      score("decided", "Decided", `${result.decided_by === "admin" ? "by an admin" : "automatically"}${result.decided_at ? `, ${formatDateTime(result.decided_at)}` : ""}`);
    }
    box.append(scores);
    const reasons = Array.isArray(result.reasons) ? result.reasons : [];
    if (reasons.length) {
      box.append(make("h3", {}, "Why"));
      const list = make("ul", { className: "result-reasons" });
      for (const reason of reasons) list.append(make("li", {}, reason));
      box.append(list);
    }
    const links = make("p", { className: "result-links" });
    links.append(make("a", { href: this.section.dataset.dashboardUrl || "/dashboard" }, "Your dashboard"), " · ",
      make("a", { href: this.section.dataset.assessmentsUrl || "/assessments" }, "Assessments"));
    box.append(links);
  }

  showMessage(text) {
    this.message.textContent = text;
    this.message.hidden = false;
  }

  hideMessage() {
    this.message.textContent = "";
    this.message.hidden = true;
  }
}

const pageSection = document.getElementById("attempt");
if (pageSection && document.getElementById("attempt-items")) {
  const page = new AttemptPage(pageSection);
  page.start().catch((error) => {
    const message = error instanceof ApiError ? describeProblem(error) : error.message;
    page.itemsList.replaceChildren(make("li", { className: "error", role: "alert" }, `Could not load the attempt: ${message}`));
  });
}
