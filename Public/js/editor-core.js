// The editor core shared by every annotation widget: loads a task (with the next one prefetched), keeps the
// lease alive, holds the value with undo/redo, maps hotkeys to actions, and submits.

import { api, ApiError, describeProblem } from "./api.js";
import { isCandidateList, renderCandidate } from "./widgets/candidates.js";

/** The key of a keyboard event in the form hotkeys are written: "ctrl+shift+z", "enter", "1". */
export function keyName(event) {
  const parts = [];
  if (event.ctrlKey) parts.push("ctrl");
  if (event.altKey) parts.push("alt");
  if (event.shiftKey && event.key.length > 1) parts.push("shift");
  if (event.shiftKey && event.key.length === 1 && /[a-z]/i.test(event.key) && (event.ctrlKey || event.metaKey || event.altKey)) parts.push("shift");
  if (event.metaKey) parts.push("meta");
  let key = event.key === " " ? "space" : event.key.toLowerCase();
  return [...parts, key].join("+");
}

export class EditorCore {
  constructor({ config, elements, widgetFactories }) {
    this.projectId = config.project_id;
    this.schema = config.schema;
    this.hotkeys = config.hotkeys;
    this.heartbeatSeconds = config.heartbeat_seconds;
    this.elements = elements;
    this.widgetFactories = widgetFactories;
    this.actionsByKey = new Map(Object.entries(this.hotkeys).map(([action, key]) => [key, action]));
    this.task = null;
    this.prefetched = null;
    this.value = {};
    this.undoStack = [];
    this.redoStack = [];
    this.busy = false;
    this.widgets = [];
    this.startedAt = performance.now();
  }

  async start() {
    this.buildForm();
    this.showHotkeyHints();
    document.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.elements.submitButton.addEventListener("click", () => this.submit());
    this.elements.skipButton.addEventListener("click", () => this.skip());
    this.elements.undoButton.addEventListener("click", () => this.undo());
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatSeconds * 1000);
    await this.show(await this.fetchNext());
  }

  buildForm() {
    const form = this.elements.form;
    form.replaceChildren();
    form.addEventListener("submit", (event) => event.preventDefault());
    this.widgets = this.schema.fields.map((field, index) => {
      const factory = this.widgetFactories[field.type];
      if (!factory) throw new Error(`No widget for field type ${field.type}`);
      const widget = factory(field, this, { isFirstChoice: index === this.schema.fields.findIndex((f) => f.type === "choice") });
      form.append(widget.element);
      return widget;
    });
  }

  showHotkeyHints() {
    for (const hint of document.querySelectorAll("kbd[data-hotkey]")) {
      hint.textContent = this.hotkeys[hint.dataset.hotkey] ?? "";
    }
  }

  // Tasks

  fetchNext(exclude) {
    const query = exclude ? `?exclude=${encodeURIComponent(exclude)}` : "";
    return api("GET", `/api/v1/projects/${this.projectId}/next${query}`);
  }

  async show(task) {
    this.task = task;
    this.prefetched = null;
    const { taskElement, dataElement, done } = this.elements;
    if (!task) {
      taskElement.hidden = true;
      taskElement.removeAttribute("data-task-id");
      this.elements.form.hidden = true;
      this.elements.actions.hidden = true;
      done.hidden = false;
      clearInterval(this.heartbeatTimer);
      return;
    }
    taskElement.hidden = false;
    taskElement.dataset.taskId = task.id;
    // Widgets that show part of the data themselves (a text to mark, code to review) claim those keys.
    const claimed = new Set(this.widgets.flatMap((widget) => widget.dataKeys ?? []));
    renderTaskData(dataElement, task.data, claimed);
    for (const widget of this.widgets) widget.showTask?.(task);
    this.undoStack = [];
    this.redoStack = [];
    this.value = this.initialValue(task);
    // A widget may start its field from the task (a rewrite starts from the response it rewrites).
    for (const widget of this.widgets) {
      const start = widget.initialValue?.(task);
      if (start !== undefined && this.value[widget.field.name] === undefined) this.value[widget.field.name] = start;
    }
    this.renderValue();
    this.startedAt = performance.now();
    this.elements.form.querySelector("input, textarea")?.blur();
    // Fetch the next task now, so it appears the instant this one is submitted.
    this.prefetched = this.fetchNext(task.id).catch(() => undefined);
  }

  /** The form starts from the best pre-label, marked as a suggestion. */
  initialValue(task) {
    const prelabels = task.prelabels ?? [];
    const note = this.elements.suggestion;
    if (!prelabels.length) {
      note.hidden = true;
      return {};
    }
    const best = [...prelabels].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
    note.hidden = false;
    note.textContent = `Suggested by ${best.model}${best.score != null ? ` (score ${best.score})` : ""}: check it before you submit.`;
    return structuredClone(best.value ?? {});
  }

  async advance() {
    const next = this.prefetched ? await this.prefetched : undefined;
    await this.show(next === undefined ? await this.fetchNext() : next);
  }

  // Value and history

  setField(name, fieldValue, { coalesce = false } = {}) {
    const previous = structuredClone(this.value);
    if (!(coalesce && this.lastCoalesced === name)) this.undoStack.push(previous);
    this.lastCoalesced = coalesce ? name : null;
    this.redoStack = [];
    if (fieldValue === undefined || fieldValue === null || fieldValue === "" || (Array.isArray(fieldValue) && !fieldValue.length)) {
      delete this.value[name];
    } else {
      this.value[name] = fieldValue;
    }
    this.renderValue();
  }

  undo() {
    if (!this.undoStack.length) return;
    this.redoStack.push(structuredClone(this.value));
    this.value = this.undoStack.pop();
    this.lastCoalesced = null;
    this.renderValue();
    this.setStatus("Undone.");
  }

  redo() {
    if (!this.redoStack.length) return;
    this.undoStack.push(structuredClone(this.value));
    this.value = this.redoStack.pop();
    this.lastCoalesced = null;
    this.renderValue();
  }

  renderValue() {
    for (const widget of this.widgets) widget.render(this.value[widget.field.name]);
  }

  // Actions

  async submit() {
    if (!this.task || this.busy) return;
    this.busy = true;
    const seconds = Math.round((performance.now() - this.startedAt) / 100) / 10;
    try {
      await api("POST", `/api/v1/tasks/${this.task.id}/annotations`, { value: this.value, time_spent_s: seconds });
      this.setStatus("Submitted.");
      await this.advance();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.setStatus("This task's lease ran out; here is the next one.", true);
        await this.show(await this.fetchNext());
      } else {
        this.setStatus(describeProblem(error), true);
      }
    } finally {
      this.busy = false;
    }
  }

  async skip() {
    if (!this.task || this.busy) return;
    this.busy = true;
    try {
      await api("POST", `/api/v1/tasks/${this.task.id}/skip`);
      this.setStatus("Skipped.");
      await this.advance();
    } catch (error) {
      this.setStatus(describeProblem(error), true);
      if (error instanceof ApiError && error.status === 409) await this.show(await this.fetchNext());
    } finally {
      this.busy = false;
    }
  }

  /** Keeps the leases of the shown and the prefetched task alive while the page is open. */
  async heartbeat() {
    const ids = [this.task?.id];
    const prefetched = await Promise.race([this.prefetched, Promise.resolve(undefined)]);
    if (prefetched) ids.push(prefetched.id);
    for (const id of ids.filter(Boolean)) {
      api("POST", `/api/v1/tasks/${id}/heartbeat`).catch(() => {});
    }
  }

  onKeyDown(event) {
    const name = keyName(event);
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== "checkbox");
    // A widget may take a key first (a span label's hotkey, arrows over a text); it returns true when it did.
    if (!typing && this.widgets.some((widget) => widget.handleKey?.(name, event))) {
      event.preventDefault();
      return;
    }
    const action = this.actionsByKey.get(name);
    if (!action) return;
    if (typing) {
      // Typing keeps its keys; Enter in a one-line input still submits, and combinations still work.
      const combination = event.ctrlKey || event.metaKey || event.altKey;
      const enterInInput = action === "submit" && target instanceof HTMLInputElement;
      if (!combination && !enterInInput) return;
      if (action === "undo" || action === "redo") return; // the field's own undo
    }
    event.preventDefault();
    if (action === "submit") this.submit();
    else if (action === "skip") this.skip();
    else if (action === "undo") this.undo();
    else if (action === "redo") this.redo();
    else if (action.startsWith("option_")) {
      const number = Number(action.slice("option_".length));
      for (const widget of this.widgets) widget.chooseOption?.(number);
    }
  }

  setStatus(message, isError = false) {
    const status = this.elements.status;
    status.textContent = message;
    status.classList.toggle("error", isError);
  }
}

/** Shows task data as text, never as HTML: task content is untrusted. An image URL is shown as the image. */
export function renderTaskData(container, data, skipKeys = new Set()) {
  // A value is an image when it is a safe URL (as candidates.js's safeImageURL) of Gloss media, of an image
  // file, or under the key "image".
  const imageURL = (key, value) => {
    if (typeof value !== "string" || !/^(https?:\/\/|\/)/i.test(value.trim())) return null;
    const url = value.trim();
    const path = url.split(/[?#]/, 1)[0];
    return url.startsWith("/api/v1/media/") || /\.(png|jpe?g|gif|webp)$/i.test(path) || key === "image" ? url : null;
  };
  container.replaceChildren();
  for (const [key, value] of Object.entries(data ?? {})) {
    if (skipKeys.has(key)) continue;
    const block = document.createElement("div");
    block.className = "data-field";
    block.dataset.key = key;
    const label = document.createElement("div");
    label.className = "data-key";
    label.textContent = key;
    const image = imageURL(key, value);
    let content;
    if (image) {
      // An image to classify, its key as the alt text.
      content = document.createElement("img");
      content.className = "data-image";
      content.src = image;
      content.alt = key;
    } else if (isCandidateList(value)) {
      // Responses to compare appear as cards "Response A", "B", … that the judging widgets refer to.
      content = document.createElement("div");
      content.className = "candidate-list";
      content.append(...value.map((candidate, index) => renderCandidate(candidate, index)));
    } else {
      content = document.createElement(typeof value === "string" ? "div" : "pre");
      content.className = "data-text";
      content.textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2);
    }
    block.append(label, content);
    container.append(block);
  }
}
