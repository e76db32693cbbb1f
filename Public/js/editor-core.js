// The editor core shared by every annotation widget: loads a task (with the next one prefetched), keeps the
// lease alive, holds the value with undo/redo, maps hotkeys to actions, and submits. Quality control: a task a
// reviewer sent back (rework) shows their comment and starts from the worker's previous answer; a submit that
// breaks a soft rule asks the worker to confirm; the Flag button sends the task to the experts with a note.
// Active time (what the worker is paid for) is measured by an ActivityMeter (activity.js), a signal separate
// from the lease heartbeat: the shown task's time is pinged every `activity_seconds` and once more, awaited
// (at most about 2 s), before a submit or a skip.

import { ActivityMeter } from "./activity.js";
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

/**
 * A form of the schema's widgets over one value, with undo and redo: what every widget expects of its core.
 * The labeling page's EditorCore and the review page's ReviewCore both build on it. `valueWillChange()` runs
 * before every change (the labeling page closes its soft-rule confirmation there).
 */
export class WidgetForm {
  constructor({ config, elements, widgetFactories }) {
    this.projectId = config.project_id;
    this.schema = config.schema;
    this.hotkeys = config.hotkeys ?? {};
    this.elements = elements;
    this.widgetFactories = widgetFactories;
    this.actionsByKey = new Map(Object.entries(this.hotkeys).map(([action, key]) => [key, action]));
    this.task = null;
    this.value = {};
    this.undoStack = [];
    this.redoStack = [];
    this.lastCoalesced = null;
    this.widgets = [];
  }

  buildForm() {
    const form = this.elements.form;
    form.replaceChildren();
    form.addEventListener("submit", (event) => event.preventDefault());
    const firstChoice = this.schema.fields.findIndex((f) => f.type === "choice");
    this.widgets = this.schema.fields.map((field, index) => {
      const factory = this.widgetFactories[field.type];
      if (!factory) throw new Error(`No widget for field type ${field.type}`);
      const widget = factory(field, this, { isFirstChoice: index === firstChoice });
      form.append(widget.element);
      return widget;
    });
  }

  valueWillChange() {}

  setField(name, fieldValue, { coalesce = false } = {}) {
    this.valueWillChange();
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
    this.valueWillChange();
    this.redoStack.push(structuredClone(this.value));
    this.value = this.undoStack.pop();
    this.lastCoalesced = null;
    this.renderValue();
    this.setStatus("Undone.");
  }

  redo() {
    if (!this.redoStack.length) return;
    this.valueWillChange();
    this.undoStack.push(structuredClone(this.value));
    this.value = this.redoStack.pop();
    this.lastCoalesced = null;
    this.renderValue();
  }

  renderValue() {
    for (const widget of this.widgets) widget.render(this.value[widget.field.name]);
  }

  setStatus(message, isError = false) {
    const status = this.elements.status;
    status.textContent = message;
    status.classList.toggle("error", isError);
  }
}

export class EditorCore extends WidgetForm {
  constructor({ config, elements, widgetFactories }) {
    super({ config, elements, widgetFactories });
    this.heartbeatSeconds = config.heartbeat_seconds;
    this.prefetched = null;
    this.busy = false;
    this.startedAt = performance.now();
    // The value a soft rule asked the worker to confirm (while the confirm panel is open).
    this.pendingConfirm = null;
    // Active time: only where the page asks for it (the labeling page's config names activity_seconds).
    this.activity = config.activity_seconds > 0
      ? new ActivityMeter({
        activitySeconds: config.activity_seconds,
        idleSeconds: config.idle_seconds ?? 60,
        send: (taskID, body, { keepalive }) => api("POST", `/api/v1/tasks/${taskID}/activity`, body, { keepalive }),
      })
      : null;
  }

  /** Sends the shown task's active time before it leaves the screen; errors are ignored and the wait is capped,
   * so a slow or failing ping never holds up the worker. */
  async flushActivity() {
    try {
      await this.activity?.flush({ timeoutMs: 2000 });
    } catch {
      // never blocks the submit or the skip
    }
  }

  async start() {
    this.buildForm();
    this.showHotkeyHints();
    document.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.elements.submitButton.addEventListener("click", () => this.submit());
    this.elements.skipButton.addEventListener("click", () => this.skip());
    this.elements.undoButton.addEventListener("click", () => this.undo());
    this.wireQualityPanels();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatSeconds * 1000);
    this.activity?.start();
    await this.show(await this.fetchNext());
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
    this.closeConfirm();
    this.closeFlagPanel();
    this.showRework(task?.rework);
    // The time from now on belongs to this task; the previous task's unsent time goes at once.
    this.activity?.setTask(task?.id ?? null);
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

  /** The form starts from the worker's previous answer on a rework, else from the best pre-label, marked as a
   * suggestion. */
  initialValue(task) {
    const prelabels = task.prelabels ?? [];
    const note = this.elements.suggestion;
    if (task.rework) {
      note.hidden = true;
      const previous = task.rework.value;
      return previous && typeof previous === "object" && !Array.isArray(previous) ? structuredClone(previous) : {};
    }
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

  /** A changed value needs its own check against the soft rules. */
  valueWillChange() {
    this.closeConfirm();
  }

  // Actions

  /** Sends the value; with `confirm`, the value the worker confirmed past the soft rules. */
  async submit({ confirm = false } = {}) {
    if (!this.task || this.busy) return;
    if (confirm && !this.pendingConfirm) return;
    this.busy = true;
    const seconds = Math.round((performance.now() - this.startedAt) / 100) / 10;
    const value = confirm ? this.pendingConfirm.value : structuredClone(this.value);
    const body = { value, time_spent_s: seconds };
    if (confirm) body.confirm = true;
    this.closeConfirm();
    try {
      await this.flushActivity();
      await api("POST", `/api/v1/tasks/${this.task.id}/annotations`, body);
      this.activity?.taskDone(this.task.id);
      this.setStatus(confirm ? "Submitted; a reviewer will look at it." : "Submitted.");
      await this.advance();
    } catch (error) {
      if (!confirm && error instanceof ApiError && error.status === 422 && error.problem?.type === "/problems/confirm") {
        // Soft rules: the worker may fix the answer or send it anyway (it is then reviewed).
        this.setStatus("");
        this.openConfirm(value, error.problem);
      } else if (error instanceof ApiError && error.status === 409) {
        this.setStatus("This task's lease ran out; here is the next one.", true);
        this.activity?.taskDone(this.task?.id);
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
      await this.flushActivity();
      await api("POST", `/api/v1/tasks/${this.task.id}/skip`);
      this.activity?.taskDone(this.task.id);
      this.setStatus("Skipped.");
      await this.advance();
    } catch (error) {
      this.setStatus(describeProblem(error), true);
      if (error instanceof ApiError && error.status === 409) {
        this.activity?.taskDone(this.task?.id);
        await this.show(await this.fetchNext());
      }
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
    // The confirm and flag panels keep their keys (typing a note, Enter on their buttons); Escape closes them.
    const panel = [this.elements.confirmPanel, this.elements.flagPanel].find((element) => element && !element.hidden && element.contains(target));
    if (panel) {
      if (name === "escape") {
        event.preventDefault();
        if (panel === this.elements.confirmPanel) this.goBackFromConfirm();
        else this.closeFlagPanel({ refocus: true });
      }
      return;
    }
    if (name === "escape" && this.elements.flagPanel && !this.elements.flagPanel.hidden) {
      this.closeFlagPanel({ refocus: true });
      return;
    }
    if (name === "escape" && this.elements.confirmPanel && !this.elements.confirmPanel.hidden) {
      this.goBackFromConfirm();
      return;
    }
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

  // Quality: rework, soft-rule confirmation, flags

  wireQualityPanels() {
    const { confirmSubmit, confirmCancel, flagButton, flagForm, flagCancel } = this.elements;
    confirmSubmit?.addEventListener("click", () => this.submit({ confirm: true }));
    confirmCancel?.addEventListener("click", () => this.goBackFromConfirm());
    flagButton?.addEventListener("click", () => this.openFlagPanel());
    flagCancel?.addEventListener("click", () => this.closeFlagPanel({ refocus: true }));
    flagForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.sendFlag();
    });
  }

  /** Shows the reviewer's comment on a rework (as text: comments are untrusted), or hides the banner. */
  showRework(rework) {
    const { reworkBanner, reworkComment } = this.elements;
    if (!reworkBanner) return;
    reworkBanner.hidden = !rework;
    if (reworkComment) reworkComment.textContent = rework ? (rework.comment ?? "") : "";
  }

  /** Lists the soft rules the value breaks and asks whether to send it anyway. */
  openConfirm(value, problem) {
    const { confirmPanel, confirmList } = this.elements;
    if (!confirmPanel) {
      this.setStatus(describeProblem(new ApiError(422, problem)), true);
      return;
    }
    this.pendingConfirm = { value, taskId: this.task?.id };
    const items = (problem.errors?.length ? problem.errors : [{ message: problem.detail || problem.title }]).map((error) => {
      const item = document.createElement("li");
      if (error.field) item.dataset.field = error.field;
      item.textContent = error.message ?? "";
      return item;
    });
    confirmList.replaceChildren(...items);
    confirmPanel.hidden = false;
    // The panel itself takes the focus: a second Enter neither sends nor dismisses by accident; Tab reaches
    // its buttons and Escape goes back.
    confirmPanel.focus();
  }

  closeConfirm() {
    this.pendingConfirm = null;
    if (this.elements.confirmPanel) this.elements.confirmPanel.hidden = true;
  }

  /** "Go back and fix": the panel closes, the value stays, and the first field a rule named gets the focus. */
  goBackFromConfirm() {
    const field = this.elements.confirmList?.querySelector("li[data-field^='value.']")?.dataset.field;
    this.closeConfirm();
    const name = field?.slice("value.".length).split(/[.[]/, 1)[0];
    const control = name
      ? this.elements.form.querySelector(`[data-field="${CSS.escape(name)}"]`)?.querySelector("textarea, input, button, select, [tabindex]")
      : null;
    if (control) control.focus();
    else document.activeElement?.blur?.();
  }

  openFlagPanel() {
    const { flagPanel, flagError, flagNote } = this.elements;
    if (!this.task || !flagPanel) return;
    flagError.textContent = "";
    flagError.hidden = true;
    flagPanel.hidden = false;
    flagNote.focus();
  }

  /** Hides the flag panel and clears it. With `refocus`, the focus leaves the panel for the page (not the Flag
   * button: Enter there would both press it and submit), so the hotkeys work at once. */
  closeFlagPanel({ refocus = false } = {}) {
    const { flagPanel, flagForm, flagError } = this.elements;
    if (!flagPanel) return;
    const hadFocus = flagPanel.contains(document.activeElement);
    flagPanel.hidden = true;
    flagForm.reset();
    flagError.textContent = "";
    flagError.hidden = true;
    if (refocus && hadFocus) document.activeElement?.blur?.();
  }

  /** Posts the flag for the shown task; the task stays on screen, so the worker can still answer or skip it. */
  async sendFlag() {
    const { flagForm, flagError, flagSend } = this.elements;
    if (!this.task || flagSend.disabled) return;
    const form = new FormData(flagForm);
    const body = { kind: String(form.get("kind") ?? "ambiguous"), note: String(form.get("note") ?? "") };
    const specialty = String(form.get("specialty") ?? "").trim();
    if (specialty) body.specialty = specialty;
    flagSend.disabled = true;
    try {
      await api("POST", `/api/v1/tasks/${this.task.id}/flags`, body);
      this.closeFlagPanel({ refocus: true });
      this.setStatus("Flagged for the experts.");
    } catch (error) {
      flagError.textContent = describeProblem(error);
      flagError.hidden = false;
    } finally {
      flagSend.disabled = false;
    }
  }
}

/** Creates the labeling page's quality controls around the form and its actions: the rework banner above the
 * form, the Flag button beside Skip, the confirm panel and the flag panel below the actions. Returns the elements
 * for EditorCore's `elements`. Every text here is fixed; the reviewer's comment and rule messages go in later
 * as textContent. */
export function createQualityElements(form, actions) {
  const make = (tag, properties = {}, ...children) => {
    const element = Object.assign(document.createElement(tag), properties);
    element.append(...children);
    return element;
  };

  const reworkComment = make("span", { className: "rework-comment" });
  const reworkBanner = make("div", { id: "rework-banner", className: "rework-banner", hidden: true },
    make("strong", { textContent: "A reviewer sent this back: " }), reworkComment,
    make("span", { className: "rework-hint muted", textContent: "Your previous answer is in the form: fix it and submit again." }));
  reworkBanner.setAttribute("role", "alert");
  form.before(reworkBanner);

  const flagButton = make("button", { type: "button", id: "flag-button", className: "flag-button", textContent: "Flag" });
  flagButton.title = "Ask the experts about this task (unclear, an edge case, a gap in the guidelines)";
  const skipButton = actions.querySelector("#skip-button");
  if (skipButton) skipButton.after(flagButton);
  else actions.append(flagButton);

  const confirmList = make("ul", { className: "confirm-messages" });
  const confirmSubmit = make("button", { type: "button", id: "confirm-submit", className: "primary", textContent: "Submit anyway" });
  const confirmCancel = make("button", { type: "button", id: "confirm-cancel", textContent: "Go back and fix" });
  const confirmPanel = make("div", { id: "confirm-panel", className: "quality-panel confirm-panel", hidden: true },
    make("p", { className: "confirm-title", textContent: "Please check your answer:" }),
    confirmList,
    make("p", { className: "muted", textContent: "You may submit it anyway; a reviewer will then look at it." }),
    make("div", { className: "panel-actions" }, confirmSubmit, confirmCancel));
  confirmPanel.tabIndex = -1;
  confirmPanel.setAttribute("role", "alertdialog");
  confirmPanel.setAttribute("aria-label", "Confirm the submit");

  const kinds = [["ambiguous", "Ambiguous"], ["edge_case", "Edge case"], ["guidelines_gap", "Gap in the guidelines"], ["other", "Other"]];
  const flagKind = make("select", { name: "kind" }, ...kinds.map(([value, label]) => make("option", { value, textContent: label })));
  const flagNote = make("textarea", { name: "note", rows: 3, maxLength: 5000 });
  flagNote.placeholder = "What is unclear about this task?";
  const flagSpecialty = make("input", { type: "text", name: "specialty", maxLength: 100 });
  flagSpecialty.placeholder = "e.g. medicine";
  const flagError = make("p", { className: "error flag-error", hidden: true });
  const flagSend = make("button", { type: "submit", id: "flag-send", className: "primary", textContent: "Send flag" });
  const flagCancel = make("button", { type: "button", id: "flag-cancel", textContent: "Cancel" });
  const flagForm = make("form", { className: "flag-form", noValidate: true },
    make("label", {}, make("span", { textContent: "Kind" }), flagKind),
    make("label", {}, make("span", { textContent: "Note for the experts" }), flagNote),
    make("label", {}, make("span", { textContent: "Specialty (optional)" }), flagSpecialty),
    flagError,
    make("div", { className: "panel-actions" }, flagSend, flagCancel));
  flagForm.setAttribute("autocomplete", "off");
  const flagPanel = make("div", { id: "flag-panel", className: "quality-panel flag-panel", hidden: true },
    make("p", { className: "flag-title", textContent: "Flag this task for the experts" }), flagForm);
  flagPanel.setAttribute("role", "dialog");
  flagPanel.setAttribute("aria-label", "Flag this task");

  actions.after(confirmPanel, flagPanel);
  return {
    reworkBanner, reworkComment, flagButton, confirmPanel, confirmList, confirmSubmit, confirmCancel,
    flagPanel, flagForm, flagNote, flagError, flagSend, flagCancel,
  };
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
