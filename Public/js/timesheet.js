// The worker's timesheet: per day (newest first) the active time (h:mm:ss), tasks and earnings, each project's
// share, the time the quality policy rejected with why, and a note the worker keeps per day (edited and saved
// in place). Filled from `GET /api/v1/me/timesheet`; notes go to `PUT /api/v1/me/timesheet/{day}/note`.
// Project names and notes come from the API and only ever reach the page as text.

import { api, describeProblem } from "./api.js";
import { make, showStatus } from "./dom.js";
import { money } from "./assessments.js";
import { formatClock as clockTime } from "./money.js";

const NOTE_LIMIT = 2000;
const COLUMNS = 6;

/** A cell (or other element) showing a duration, its exact seconds in `data-seconds`. */
export function timeCell(tag, className, seconds) {
  const value = typeof seconds === "number" && Number.isFinite(seconds) ? seconds : 0;
  return make(tag, { className, "data-seconds": String(value) }, clockTime(value));
}

/** "2026-11-23" as "Mon, Nov 23, 2026" (the day is a UTC day). */
export function dayName(day) {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return String(day ?? "");
  return date.toLocaleDateString(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** Today as YYYY-MM-DD in UTC (the timesheet's days are UTC days). */
function utcToday() {
  return new Date().toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day plus `count` days. */
function addDays(day, count) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

function minDay(a, b) {
  return a < b ? a : b;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

class Timesheet {
  constructor(section) {
    this.section = section;
    this.api = section.dataset.api || "/api/v1/me/timesheet";
    this.root = document.getElementById("timesheet-root");
    this.status = document.getElementById("timesheet-status");
    this.total = document.getElementById("timesheet-total");
    this.earned = document.getElementById("timesheet-earned");
    this.rangeText = document.getElementById("timesheet-range-text");
    this.idleText = document.getElementById("timesheet-idle");
    this.rangeForm = document.getElementById("timesheet-range");
    this.newNoteForm = document.getElementById("new-note");
  }

  start() {
    this.rangeForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      const form = new FormData(this.rangeForm);
      this.load({ from: String(form.get("from") ?? ""), to: String(form.get("to") ?? "") });
    });
    this.newNoteForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveNewNote();
    });
    const query = new URLSearchParams(window.location.search);
    return this.load({ from: query.get("from") ?? "", to: query.get("to") ?? "" });
  }

  async load({ from = "", to = "" } = {}) {
    const params = new URLSearchParams();
    if (from) params.set("from", from);
    if (to) params.set("to", to);
    const query = params.toString();
    this.root.dataset.loaded = "false";
    try {
      this.data = await api("GET", `${this.api}${query ? `?${query}` : ""}`);
      showStatus(this.status, "");
    } catch (error) {
      showStatus(this.status, describeProblem(error), "error");
      this.root.dataset.loaded = "true";
      return;
    }
    this.render();
    this.root.dataset.loaded = "true";
  }

  render() {
    const data = this.data ?? {};
    this.total.dataset.seconds = String(data.total_active_s ?? 0);
    this.total.textContent = clockTime(data.total_active_s ?? 0);
    if (this.earned) {
      this.earned.dataset.cents = String(data.total_earned_cents ?? 0);
      this.earned.textContent = money(data.total_earned_cents ?? 0);
    }
    if (this.rangeText) this.rangeText.textContent = data.from && data.to ? `${dayName(data.from)} – ${dayName(data.to)}` : "";
    if (this.idleText && typeof data.idle_seconds === "number") {
      this.idleText.textContent = `Time counts while a task is open, the tab is visible and you used the keyboard or mouse in the last ${plural(data.idle_seconds, "second")}.`;
    }
    if (this.rangeForm) {
      if (data.from) this.rangeForm.elements.from.value = data.from;
      if (data.to) this.rangeForm.elements.to.value = data.to;
    }
    if (this.newNoteForm) this.newNoteForm.elements.day.max = utcToday();

    const days = Array.isArray(data.days) ? data.days : [];
    const table = make("table", { id: "timesheet-days", className: "pay-table timesheet-table" });
    const head = make("thead");
    const headings = make("tr");
    for (const heading of ["Day", "Project", "Active time", "Tasks", "Earned", "Rejected time"]) {
      headings.append(make("th", { scope: "col" }, heading));
    }
    head.append(headings);
    table.append(head);
    if (!days.length) {
      const body = make("tbody");
      const row = make("tr", { className: "empty" });
      row.append(make("td", { colspan: COLUMNS, className: "muted" }, "No time in these days yet. Time you spend labeling appears here."));
      body.append(row);
      table.append(body);
    }
    // One tbody per day: the day's totals, a row per project (with its rejections), the day's note.
    for (const day of days) table.append(this.dayBody(day));
    this.root.replaceChildren(table);
  }

  dayBody(day) {
    const body = make("tbody", { className: "timesheet-day" });
    const row = make("tr", { className: "day-row", "data-day": day.day });
    row.append(make("th", { scope: "row", className: "day-name" }, dayName(day.day)));
    row.append(make("td", { className: "muted" }, "All projects"));
    row.append(timeCell("td", "active-time number", day.active_s));
    row.append(make("td", { className: "tasks number", "data-tasks": String(day.tasks ?? 0) }, String(day.tasks ?? 0)));
    row.append(make("td", { className: "earned number", "data-cents": String(day.earned_cents ?? 0) }, money(day.earned_cents ?? 0)));
    const rejected = timeCell("td", "rejected-time number", day.rejected_s ?? 0);
    if (!(day.rejected_s > 0)) rejected.classList.add("muted");
    row.append(rejected);
    body.append(row);

    for (const project of Array.isArray(day.projects) ? day.projects : []) {
      body.append(this.projectRow(day.day, project));
      const rejections = Array.isArray(project.rejections) ? project.rejections : [];
      if (rejections.length) body.append(this.rejectionsRow(day.day, project, rejections));
    }

    const noteRow = make("tr", { className: "note-row", "data-note-day": day.day });
    const cell = make("td", { colspan: COLUMNS });
    cell.append(this.noteForm(day.day, day.note ?? ""));
    noteRow.append(cell);
    body.append(noteRow);
    return body;
  }

  projectRow(day, project) {
    const row = make("tr", { className: "timesheet-project", "data-project-id": project.project_id, "data-of-day": day });
    row.append(make("td"));
    row.append(make("td", { className: "project-name" }, project.project_name ?? "Project"));
    row.append(timeCell("td", "project-active-time number", project.active_s));
    row.append(make("td", { className: "number" }, String(project.tasks ?? 0)));
    row.append(make("td", { className: "number", "data-cents": String(project.earned_cents ?? 0) }, money(project.earned_cents ?? 0)));
    const rejected = timeCell("td", "project-rejected-time number", project.rejected_s ?? 0);
    if (!(project.rejected_s > 0)) rejected.classList.add("muted");
    row.append(rejected);
    return row;
  }

  /** The time the quality policy did not pay, each with why (the reason is the server's words, as text). */
  rejectionsRow(day, project, rejections) {
    const row = make("tr", { className: "rejections-row", "data-project-id": project.project_id, "data-of-day": day });
    row.append(make("td"));
    const cell = make("td", { colspan: COLUMNS - 1 });
    const list = make("ul", { className: "rejections" });
    for (const rejection of rejections) {
      const item = make("li", { className: "rejection", "data-task-id": rejection.task_id ?? "" });
      item.append(make("span", { className: "rejection-time", "data-seconds": String(rejection.active_s ?? 0) },
        `${clockTime(rejection.active_s ?? 0)} not paid`));
      item.append(": ");
      item.append(make("span", { className: "rejection-reason" }, rejection.reason ?? "Rejected"));
      list.append(item);
    }
    cell.append(list);
    row.append(cell);
    return row;
  }

  noteForm(day, note) {
    const form = make("form", { className: "day-note", "data-day": day, autocomplete: "off" });
    const id = `note-${day}`;
    const label = make("label", { for: id, className: "note-label" }, "Note");
    const textarea = make("textarea", { id, name: "note", rows: 2, maxlength: NOTE_LIMIT, placeholder: "A note for this day (only you and the admins see it)" });
    textarea.value = note;
    const save = make("button", { type: "submit", className: "save-note" }, "Save");
    const status = make("span", { className: "note-status", role: "status" });
    const actions = make("div", { className: "note-actions" });
    actions.append(save, status);
    form.append(label, textarea, actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveNote(form, day, textarea, save, status);
    });
    textarea.addEventListener("input", () => showStatus(status, ""));
    return form;
  }

  async saveNote(form, day, textarea, save, status) {
    if (save.disabled) return;
    save.disabled = true;
    showStatus(status, "Saving…");
    try {
      const saved = await api("PUT", `${this.api}/${encodeURIComponent(day)}/note`, { note: textarea.value });
      const text = saved?.note ?? "";
      textarea.value = text;
      form.dataset.saved = "true";
      showStatus(status, text ? "Saved." : "Note removed.", "ok");
    } catch (error) {
      form.dataset.saved = "false";
      showStatus(status, describeProblem(error), "error");
    } finally {
      save.disabled = false;
    }
  }

  /** A note for a day not in the table (a day without work): saved, then the table reloads with that day. */
  async saveNewNote() {
    const form = this.newNoteForm;
    const status = document.getElementById("new-note-status");
    const day = String(form.elements.day.value ?? "");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      showStatus(status, "Choose a day.", "error");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("PUT", `${this.api}/${encodeURIComponent(day)}/note`, { note: String(form.elements.note.value ?? "") });
      form.reset();
      showStatus(status, "Saved.", "ok");
      const data = this.data ?? {};
      const inRange = data.from && data.to && day >= data.from && day <= data.to;
      // A day outside the range shown: show the two weeks from that day instead.
      await this.load(inRange ? { from: data.from, to: data.to } : { from: day, to: minDay(addDays(day, 13), utcToday()) });
    } catch (error) {
      showStatus(status, describeProblem(error), "error");
    } finally {
      button.disabled = false;
    }
  }
}

const section = document.getElementById("timesheet");
if (section) {
  const timesheet = new Timesheet(section);
  timesheet.start().catch((error) => showStatus(document.getElementById("timesheet-status"), describeProblem(error), "error"));
}
