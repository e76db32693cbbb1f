// The admin's workforce console: applications (profile, history, attempts, credentials, qualifications, and
// the status decision with its reason), the grading queue for written answers, credentials to verify, tracks
// and their rates, and the audit log. Everything comes from the API; names, profiles, answers, prompts, notes
// and file names are untrusted and only ever reach the page as text.

import { api, describeProblem } from "./api.js";
import { formatDollars } from "./project-workforce.js";
import { NONE, cell, clearFieldErrors, emptyRow, make, markInvalid, markProblem, plural, showStatus as show, table } from "./dom.js";

const STATUSES = ["applicant", "assessing", "approved", "rejected", "suspended"];
const DEGREES = {
  high_school: "High school",
  associate: "Associate degree",
  bachelor: "Bachelor's",
  master: "Master's",
  phd: "PhD",
  professional: "Professional degree",
};
const PROFICIENCY = { basic: "basic", professional: "professional", fluent: "fluent", native: "native" };
const DAYS = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };
const VERDICTS = { passed: "passed", failed: "failed", pending: "awaiting grading", review: "an admin decides" };
const ATTEMPT_STATUSES = { in_progress: "in progress", submitted: "submitted", passed: "passed", failed: "failed", pending: "awaiting grading", review: "admin review" };

// --- formatting: text only ------------------------------------------------------------------------------------

/** Cents from a dollar amount typed by a person ("40", "40.5", "$40.50"); null when it is not an amount. */
export function parseDollars(text) {
  const cleaned = String(text ?? "").trim().replace(/^\$/, "").replace(/,/g, "");
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** A score in 0...1 as a percentage ("85%", "66.7%"); "—" for null. */
export function formatPercent(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return NONE;
  const percent = Math.round(value * 1000) / 10;
  return `${percent}%`;
}

function formatPoints(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return NONE;
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** A <time> for an RFC 3339 string; the dash when there is none. */
function time(value) {
  const date = new Date(value ?? NaN);
  if (value === null || value === undefined || Number.isNaN(date.getTime())) return document.createTextNode(value ? String(value) : NONE);
  return make("time", { datetime: date.toISOString() }, date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }));
}

function regionName(code) {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "region" }).of(String(code).toUpperCase());
    return name && name !== code ? `${name} (${code})` : String(code);
  } catch {
    return String(code);
  }
}

function languageName(code) {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(String(code));
    return name && name !== code ? `${name} (${code})` : String(code);
  } catch {
    return String(code);
  }
}


function badge(status, text) {
  return make("span", { className: `badge badge-${status ?? "unknown"}`, "data-status": status ?? "" }, text ?? status ?? NONE);
}

function labelled(caption, control, hint) {
  const label = make("label", {}, caption);
  if (hint) label.append(" ", make("small", { className: "muted" }, hint));
  label.append(control);
  return label;
}

function errorBlock(error) {
  return make("p", { className: "error", role: "alert" }, describeProblem(error));
}

// --- tabs -----------------------------------------------------------------------------------------------------

class Tabs {
  constructor(root, onOpen) {
    this.buttons = [...root.querySelectorAll('[role="tab"]')];
    this.onOpen = onOpen;
    for (const button of this.buttons) {
      button.addEventListener("click", () => this.select(button.dataset.tab, { focus: false }));
      button.addEventListener("keydown", (event) => this.key(event, button));
    }
  }

  key(event, button) {
    const index = this.buttons.indexOf(button);
    let next = null;
    if (event.key === "ArrowRight") next = this.buttons[(index + 1) % this.buttons.length];
    else if (event.key === "ArrowLeft") next = this.buttons[(index - 1 + this.buttons.length) % this.buttons.length];
    else if (event.key === "Home") next = this.buttons[0];
    else if (event.key === "End") next = this.buttons[this.buttons.length - 1];
    if (!next) return;
    event.preventDefault();
    this.select(next.dataset.tab, { focus: true });
  }

  select(key, { focus = false, updateHash = true } = {}) {
    const target = this.buttons.find((button) => button.dataset.tab === key) ?? this.buttons[0];
    for (const button of this.buttons) {
      const selected = button === target;
      button.setAttribute("aria-selected", selected ? "true" : "false");
      button.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(button.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    }
    if (focus) target.focus();
    if (updateHash && location.hash !== `#${target.dataset.tab}`) history.replaceState(null, "", `#${target.dataset.tab}`);
    this.onOpen(target.dataset.tab);
  }
}

// --- the console ------------------------------------------------------------------------------------------------

class AdminConsole {
  constructor(root) {
    this.root = root;
    this.loaded = new Set();
    this.tracks = [];
    this.trackNames = new Map();
    this.bodies = {};
    for (const panel of root.querySelectorAll('[role="tabpanel"]')) this.bodies[panel.dataset.tab] = panel.querySelector(".admin-body");
    this.tabs = new Tabs(root, (key) => this.open(key));
  }

  start() {
    const key = location.hash.replace(/^#/, "");
    this.tabs.select(this.bodies[key] ? key : "applications", { updateHash: false });
  }

  /** Builds a tab the first time it is opened; later openings keep what is there (each has Refresh). */
  open(key) {
    if (this.loaded.has(key)) return;
    this.loaded.add(key);
    const builders = {
      applications: () => this.buildApplications(),
      grading: () => this.buildGrading(),
      credentials: () => this.buildCredentials(),
      tracks: () => this.buildTracks(),
      audit: () => this.buildAudit(),
    };
    builders[key]?.().catch((error) => this.bodies[key]?.replaceChildren(errorBlock(error)));
  }

  async loadTracks() {
    const result = await api("GET", "/api/v1/tracks");
    this.tracks = result?.tracks ?? [];
    this.trackNames = new Map(this.tracks.map((track) => [track.id, track.name]));
    return this.tracks;
  }

  trackName(id) {
    return this.trackNames.get(id) ?? id;
  }

  // === Applications ===========================================================================================

  async buildApplications() {
    const body = this.bodies.applications;
    const filter = make("select", { id: "applications-filter", name: "status" });
    filter.append(make("option", { value: "" }, "All statuses"));
    for (const status of STATUSES) filter.append(make("option", { value: status }, status));
    const refresh = make("button", { type: "button", id: "applications-refresh" }, "Refresh");
    const bar = make("div", { className: "admin-toolbar" });
    bar.append(labelled("Status", filter), refresh);
    this.applicationsList = make("div", { id: "applications-list" });
    this.applicationDetail = make("div", { id: "application-detail", className: "admin-detail", hidden: true });
    body.replaceChildren(bar, this.applicationsList, this.applicationDetail);
    filter.addEventListener("change", () => this.loadApplications(filter.value));
    refresh.addEventListener("click", () => this.loadApplications(filter.value));
    this.applicationsFilter = filter;
    await Promise.all([this.loadApplications(""), this.loadTracks().catch(() => [])]);
  }

  async loadApplications(status) {
    const list = this.applicationsList;
    list.setAttribute("aria-busy", "true");
    try {
      const query = status ? `?status=${encodeURIComponent(status)}` : "";
      const result = await api("GET", `/api/v1/admin/applications${query}`);
      const headings = ["Name", "E-mail", "Status", "Path", "Country", "Submitted", "Latest attempt", ""];
      const { element, body } = table({ id: "applications-table", className: "admin-table" }, headings);
      const applications = result?.applications ?? [];
      if (!applications.length) body.append(emptyRow(headings.length, status ? `No application is ${status}.` : "No applications yet."));
      for (const application of applications) {
        const row = make("tr", { "data-user-id": application.user_id, "data-status": application.status });
        const latest = application.latest_attempt;
        const attempt = latest
          ? `${latest.assessment_title}: ${ATTEMPT_STATUSES[latest.status] ?? latest.status}${latest.score != null ? ` (${formatPercent(latest.score)})` : ""}`
          : NONE;
        const open = make("button", { type: "button", className: "open-application" }, "Open");
        open.addEventListener("click", () => this.openApplication(application.user_id));
        const actions = make("td", { className: "row-actions" });
        actions.append(open);
        row.append(cell(application.name, "applicant-name"), cell(application.email), cell(badge(application.status)),
          cell(application.path), cell(application.country ? regionName(application.country) : NONE),
          cell(time(application.submitted_at)), cell(attempt), actions);
        body.append(row);
      }
      list.replaceChildren(element);
    } catch (error) {
      list.replaceChildren(errorBlock(error));
    } finally {
      list.removeAttribute("aria-busy");
      this.applicationsList.dataset.loaded = "true";
    }
  }

  async openApplication(userId) {
    const detail = this.applicationDetail;
    detail.hidden = false;
    detail.dataset.userId = userId;
    detail.replaceChildren(make("p", { className: "muted" }, "Loading…"));
    try {
      const application = await api("GET", `/api/v1/admin/applications/${encodeURIComponent(userId)}`);
      this.renderApplication(application);
      detail.scrollIntoView?.({ block: "start" });
    } catch (error) {
      detail.replaceChildren(errorBlock(error));
    }
  }

  renderApplication(application) {
    const detail = this.applicationDetail;
    detail.dataset.userId = application.user_id;
    detail.dataset.status = application.status;
    const heading = make("h3", { id: "application-name" }, application.name || application.email);
    const meta = make("p", { className: "application-meta" });
    meta.append(make("span", { className: "application-email" }, application.email), " · status ",
      make("span", { id: "application-status" }, ""), ` · path ${application.path ?? NONE} · submitted `,
      time(application.submitted_at), " · updated ", time(application.updated_at));
    meta.querySelector("#application-status").append(badge(application.status));
    const close = make("button", { type: "button", className: "close-detail" }, "Close");
    close.addEventListener("click", () => {
      detail.hidden = true;
      detail.replaceChildren();
    });
    detail.replaceChildren(
      close, heading, meta,
      this.renderStatusForm(application),
      make("h4", {}, "Profile"), renderProfile(application.profile ?? {}),
      make("h4", {}, "History"), this.renderHistory(application.history ?? []),
      make("h4", {}, "Attempts"), this.renderAttempts(application.attempts ?? []),
      make("h4", {}, "Credentials"), this.renderApplicationCredentials(application.credentials ?? []),
      make("h4", {}, "Qualifications"), this.renderQualifications(application),
    );
  }

  /** The decision: a required reason, then one button per status the applicant can be moved to. */
  renderStatusForm(application) {
    const form = make("form", { id: "status-form", className: "admin-form status-form", novalidate: true });
    const reason = make("textarea", { id: "status-reason", name: "reason", rows: 2, maxlength: 2000, required: true, "data-field": "reason" });
    const actions = make("div", { className: "form-actions" });
    const current = application.status;
    const choices = [
      ["approved", current === "suspended" || current === "rejected" ? "Reinstate" : "Approve", "primary"],
      ["rejected", "Reject", "danger"],
      ["suspended", "Suspend", "danger"],
      ["assessing", "Back to assessing", ""],
    ].filter(([status]) => status !== current)
      .filter(([status]) => status !== "suspended" || current === "approved");
    for (const [status, caption, className] of choices) {
      const button = make("button", { type: "submit", className, value: status, "data-status": status }, caption);
      actions.append(button);
    }
    const status = make("p", { id: "status-result", role: "status" });
    form.append(make("h4", {}, "Decision"), labelled("Reason (the applicant is told)", reason), actions, status);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = event.submitter?.value;
      if (chosen) this.changeStatus(application, chosen, form, reason, status);
    });
    return form;
  }

  async changeStatus(application, newStatus, form, reason, status) {
    clearFieldErrors(form);
    const text = reason.value.trim();
    if (!text) {
      markInvalid(reason, "Give a reason: it is recorded and the applicant is told.");
      reason.focus();
      show(status, "", "");
      return;
    }
    const buttons = [...form.querySelectorAll("button")];
    for (const button of buttons) button.disabled = true;
    show(status, "Saving…");
    try {
      const updated = await api("POST", `/api/v1/admin/applications/${encodeURIComponent(application.user_id)}/status`,
        { status: newStatus, reason: text });
      this.renderApplication(updated);
      show(this.applicationDetail.querySelector("#status-result"), `Status is now ${updated.status}.`, "ok");
      this.loadApplications(this.applicationsFilter?.value ?? "");
    } catch (error) {
      for (const button of buttons) button.disabled = false;
      const left = markProblem(form, error);
      show(status, left.length || !error.problem?.errors?.length ? describeProblem(error) : "Please correct the marked field.", "error");
    }
  }

  renderHistory(history) {
    const headings = ["When", "From", "To", "Reason", "By"];
    const { element, body } = table({ id: "history-table", className: "admin-table" }, headings);
    if (!history.length) body.append(emptyRow(headings.length, "No changes yet."));
    for (const entry of history) {
      const row = make("tr", { "data-to": entry.to });
      row.append(cell(time(entry.at)), cell(entry.from ?? NONE), cell(entry.to), cell(entry.reason ?? NONE, "history-reason"),
        cell(entry.by ?? "automatic"));
      body.append(row);
    }
    return element;
  }

  renderAttempts(attempts) {
    const headings = ["Assessment", "Status", "Started", "Submitted", "Score", "Result", ""];
    const { element, body } = table({ id: "attempts-table", className: "admin-table" }, headings);
    if (!attempts.length) body.append(emptyRow(headings.length, "No attempts yet."));
    for (const attempt of attempts) {
      const row = make("tr", { "data-attempt-id": attempt.id, "data-status": attempt.status });
      const result = make("td", { className: "attempt-result" });
      if (attempt.result) result.append(renderResult(attempt.result, { compact: true }));
      else result.textContent = NONE;
      const actions = make("td", { className: "row-actions" });
      if (attempt.status === "pending") {
        const grade = make("button", { type: "button", className: "grade-attempt" }, "Grade");
        grade.addEventListener("click", () => this.gradeAttempt(attempt.id));
        actions.append(grade);
      } else if (attempt.status === "review") {
        actions.append(this.renderAttemptDecision(attempt));
      }
      row.append(cell(attempt.assessment_title), cell(badge(attempt.status, ATTEMPT_STATUSES[attempt.status])),
        cell(time(attempt.started_at)), cell(time(attempt.submitted_at)), cell(formatPercent(attempt.score), "number"),
        result, actions);
      body.append(row);
    }
    return element;
  }

  /** An attempt in the review band: pass or fail it, with the reason the applicant is told. For a starter
   * this is the applicant's approval or rejection. */
  renderAttemptDecision(attempt) {
    const form = make("form", { className: "attempt-decision", novalidate: true });
    const reason = make("input", { name: "reason", maxlength: 2000, autocomplete: "off", placeholder: "Reason",
      "aria-label": `Reason for the decision on ${attempt.assessment_title}`, "data-field": "reason" });
    const pass = make("button", { type: "submit", value: "passed", className: "primary", "data-verdict": "passed" }, "Pass");
    const fail = make("button", { type: "submit", value: "failed", className: "danger", "data-verdict": "failed" }, "Fail");
    const status = make("span", { className: "decision-status", role: "status" });
    form.append(reason, pass, fail, status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const verdict = event.submitter?.value;
      if (!verdict) return;
      clearFieldErrors(form);
      if (!reason.value.trim()) {
        markInvalid(reason, "Give a reason: the applicant is told.");
        reason.focus();
        return;
      }
      pass.disabled = fail.disabled = true;
      try {
        await api("POST", `/api/v1/admin/attempts/${encodeURIComponent(attempt.id)}/decision`, { verdict, reason: reason.value.trim() });
        const userId = this.applicationDetail.dataset.userId;
        if (userId) await this.openApplication(userId);
        this.loadApplications(this.applicationsFilter?.value ?? "");
      } catch (error) {
        pass.disabled = fail.disabled = false;
        markProblem(form, error);
        show(status, describeProblem(error), "error");
      }
    });
    return form;
  }

  renderApplicationCredentials(credentials) {
    const headings = ["Type", "Issuer", "Number", "Year", "Expires", "Status", "Note", "Document"];
    const { element, body } = table({ id: "app-credentials-table", className: "admin-table" }, headings);
    if (!credentials.length) body.append(emptyRow(headings.length, "No credentials uploaded."));
    for (const credential of credentials) {
      const row = make("tr", { "data-credential-id": credential.id, "data-status": credential.status });
      row.append(cell(credential.type), cell(credential.issuer), cell(credential.number), cell(credential.year),
        cell(credential.expires_on), cell(badge(credential.status)), cell(credential.note), cell(documentLink(credential)));
      body.append(row);
    }
    return element;
  }

  renderQualifications(application) {
    const wrapper = make("div", { id: "qualifications" });
    const qualifications = application.qualifications ?? [];
    const headings = ["Track", "Source", "Granted", "Active", "Expires", ""];
    const { element, body } = table({ id: "qualifications-table", className: "admin-table" }, headings);
    if (!qualifications.length) body.append(emptyRow(headings.length, "No qualifications yet."));
    const status = make("p", { id: "qualification-status", role: "status" });
    for (const qualification of qualifications) {
      const row = make("tr", { "data-track": qualification.track, "data-active": String(Boolean(qualification.active)) });
      const active = qualification.active ? "yes" : `no${qualification.inactive_reason ? `: ${qualification.inactive_reason}` : ""}`;
      const revoke = make("button", { type: "button", className: "revoke-qualification danger" }, "Revoke");
      revoke.addEventListener("click", () => this.revokeQualification(application, qualification, revoke, status));
      const actions = make("td", { className: "row-actions" });
      actions.append(revoke);
      row.append(cell(qualification.name || this.trackName(qualification.track)), cell(qualification.source),
        cell(time(qualification.granted_at)), cell(active), cell(time(qualification.expires_at)), actions);
      body.append(row);
    }
    const form = make("form", { id: "grant-form", className: "admin-form inline-form", novalidate: true });
    const track = make("select", { id: "grant-track", name: "track", "data-field": "track" });
    const held = new Set(qualifications.map((item) => item.track));
    for (const item of this.tracks) {
      if (!held.has(item.id)) track.append(make("option", { value: item.id }, item.name));
    }
    const reason = make("input", { id: "grant-reason", name: "reason", maxlength: 2000, "data-field": "reason", autocomplete: "off" });
    const submit = make("button", { type: "submit" }, "Grant");
    form.append(labelled("Track", track), labelled("Reason", reason), submit);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.grantQualification(application, form, track, reason, status);
    });
    wrapper.append(element, make("h5", {}, "Grant a qualification"), form, status);
    return wrapper;
  }

  async grantQualification(application, form, track, reason, status) {
    clearFieldErrors(form);
    if (!track.value) {
      markInvalid(track, "Choose a track.");
      return;
    }
    if (!reason.value.trim()) {
      markInvalid(reason, "Give a reason: it is recorded in the audit log.");
      reason.focus();
      return;
    }
    show(status, "Granting…");
    try {
      await api("POST", `/api/v1/admin/users/${encodeURIComponent(application.user_id)}/qualifications`,
        { track: track.value, reason: reason.value.trim() });
      const name = this.trackName(track.value);
      await this.openApplication(application.user_id);
      show(this.applicationDetail.querySelector("#qualification-status"), `Granted ${name}.`, "ok");
    } catch (error) {
      const left = markProblem(form, error);
      show(status, left.length || !error.problem?.errors?.length ? describeProblem(error) : "Please correct the marked field.", "error");
    }
  }

  async revokeQualification(application, qualification, button, status) {
    button.disabled = true;
    show(status, "Revoking…");
    try {
      await api("DELETE", `/api/v1/admin/users/${encodeURIComponent(application.user_id)}/qualifications/${encodeURIComponent(qualification.track)}`);
      await this.openApplication(application.user_id);
      show(this.applicationDetail.querySelector("#qualification-status"), `Revoked ${qualification.name || qualification.track}.`, "ok");
    } catch (error) {
      button.disabled = false;
      show(status, describeProblem(error), "error");
    }
  }

  /** From an application's attempt to its grading sheet. */
  gradeAttempt(attemptId) {
    this.tabs.select("grading");
    this.gradingReady?.then(() => this.openAttempt(attemptId));
  }

  // === Grading ================================================================================================

  buildGrading() {
    const body = this.bodies.grading;
    const refresh = make("button", { type: "button", id: "grading-refresh" }, "Refresh");
    const bar = make("div", { className: "admin-toolbar" });
    bar.append(make("p", { className: "muted" }, "Written answers waiting for a grader, oldest first. Grade each item against its rubric; the pass rule decides once the last item is graded."), refresh);
    this.gradingList = make("div", { id: "grading-list" });
    this.gradingDetail = make("div", { id: "grading-detail", className: "admin-detail", hidden: true });
    body.replaceChildren(bar, this.gradingList, this.gradingDetail);
    refresh.addEventListener("click", () => this.loadGrading());
    this.gradingReady = this.loadGrading();
    return this.gradingReady;
  }

  async loadGrading() {
    const list = this.gradingList;
    try {
      const result = await api("GET", "/api/v1/grading");
      const headings = ["Applicant", "E-mail", "Assessment", "Submitted", "Items to grade", ""];
      const { element, body } = table({ id: "grading-table", className: "admin-table" }, headings);
      const attempts = result?.attempts ?? [];
      if (!attempts.length) body.append(emptyRow(headings.length, "Nothing to grade."));
      for (const attempt of attempts) {
        const row = make("tr", { "data-attempt-id": attempt.attempt_id });
        const open = make("button", { type: "button", className: "open-attempt" }, "Grade");
        open.addEventListener("click", () => this.openAttempt(attempt.attempt_id));
        const actions = make("td", { className: "row-actions" });
        actions.append(open);
        row.append(cell(attempt.applicant?.name, "applicant-name"), cell(attempt.applicant?.email), cell(attempt.assessment_title),
          cell(time(attempt.submitted_at)), cell(attempt.items_to_grade, "number"), actions);
        body.append(row);
      }
      list.replaceChildren(element);
    } catch (error) {
      list.replaceChildren(errorBlock(error));
    } finally {
      list.dataset.loaded = "true";
    }
  }

  async openAttempt(attemptId) {
    const detail = this.gradingDetail;
    detail.hidden = false;
    detail.dataset.attemptId = attemptId;
    detail.replaceChildren(make("p", { className: "muted" }, "Loading…"));
    try {
      const sheet = await api("GET", `/api/v1/grading/${encodeURIComponent(attemptId)}`);
      this.renderSheet(sheet);
      detail.scrollIntoView?.({ block: "start" });
    } catch (error) {
      detail.replaceChildren(errorBlock(error));
    }
  }

  renderSheet(sheet, message) {
    const detail = this.gradingDetail;
    detail.dataset.attemptId = sheet.attempt_id;
    const heading = make("h3", {}, sheet.assessment_title);
    const meta = make("p", { className: "application-meta" });
    meta.append("Applicant ", make("strong", { className: "grading-applicant" }, sheet.applicant?.name || NONE),
      ` (${sheet.applicant?.email ?? NONE}) · submitted `, time(sheet.submitted_at),
      ` · automatic score ${formatPercent(sheet.auto_score)}`);
    const result = make("div", { id: "grading-result", "aria-live": "polite" });
    if (sheet.result) {
      result.dataset.verdict = sheet.result.verdict;
      result.append(make("h4", {}, "Result"), renderResult(sheet.result));
    }
    const status = make("p", { id: "grading-status", role: "status" });
    if (message) show(status, message, "ok");
    const items = (sheet.items ?? []).map((item) => this.renderGradeItem(sheet, item));
    const close = make("button", { type: "button", className: "close-detail" }, "Close");
    close.addEventListener("click", () => {
      detail.hidden = true;
      detail.replaceChildren();
    });
    detail.replaceChildren(close, heading, meta, status, result, ...items);
  }

  renderGradeItem(sheet, item) {
    const article = make("article", { className: "grade-item", "data-item-id": item.id, "data-graded": String(Boolean(item.grade)) });
    article.append(make("h4", {}, `Item ${item.id} · ${formatPoints(item.points)} point${item.points === 1 ? "" : "s"}`));
    // The prompt is Markdown written by an admin, the answer is the applicant's: both shown as text.
    article.append(make("div", { className: "grade-prompt" }, item.prompt ?? ""));
    const answer = make("div", { className: "grade-answer" });
    answer.append(make("div", { className: "data-key" }, "Answer"));
    if (item.answer === null || item.answer === undefined || item.answer === "") {
      answer.append(make("p", { className: "muted no-answer" }, "No answer was given."));
    } else {
      answer.append(make("div", { className: "answer-text" }, String(item.answer)));
    }
    article.append(answer);

    const form = make("form", { className: "admin-form grade-form", novalidate: true });
    const fieldset = make("fieldset", { className: "rubric" });
    fieldset.append(make("legend", {}, "Rubric"));
    const inputs = [];
    for (const criterion of item.rubric ?? []) {
      const given = item.grade?.points?.[criterion.id];
      const input = make("input", {
        type: "number", min: 0, max: criterion.points, step: "any", inputmode: "decimal",
        name: criterion.id, "data-criterion": criterion.id, "data-field": `points.${criterion.id}`,
        required: true, value: typeof given === "number" ? given : undefined,
      });
      const label = make("label", { className: "criterion" });
      label.append(make("span", { className: "criterion-text" }, criterion.description),
        " ", make("small", { className: "muted" }, `(0 to ${formatPoints(criterion.points)})`), input);
      fieldset.append(label);
      inputs.push({ criterion, input });
    }
    const total = make("p", { className: "grade-total muted" });
    const updateTotal = () => {
      const sum = inputs.reduce((acc, { input }) => acc + (Number.isFinite(input.valueAsNumber) ? input.valueAsNumber : 0), 0);
      const max = inputs.reduce((acc, { criterion }) => acc + (Number(criterion.points) || 0), 0);
      total.textContent = `Total ${formatPoints(sum)} of ${formatPoints(max)}`;
    };
    for (const { input } of inputs) input.addEventListener("input", updateTotal);
    updateTotal();
    const comment = make("textarea", { className: "grade-comment", name: "comment", rows: 2, maxlength: 2000, "data-field": "comment" });
    comment.value = item.grade?.comment ?? "";
    const save = make("button", { type: "submit", className: "primary save-grade" }, item.grade ? "Update grade" : "Save grade");
    const status = make("p", { className: "grade-status", role: "status" });
    form.append(fieldset, total, labelled("Comment", comment, "(optional, for other graders)"), save, status);
    if (item.grade) {
      const summary = make("p", { className: "grade-summary ok" });
      summary.append(`Graded ${formatPoints(item.grade.total)} by ${item.grade.by ?? NONE} · `, time(item.grade.at));
      article.append(summary);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveGrade(sheet, item, form, inputs, comment, { save, status });
    });
    article.append(form);
    return article;
  }

  async saveGrade(sheet, item, form, inputs, comment, { save, status }) {
    clearFieldErrors(form);
    const points = {};
    let firstBad = null;
    for (const { criterion, input } of inputs) {
      const value = input.valueAsNumber;
      const max = Number(criterion.points);
      if (input.value.trim() === "" || !Number.isFinite(value) || value < 0 || value > max) {
        markInvalid(input, `Give 0 to ${formatPoints(max)} points.`);
        firstBad ??= input;
      } else {
        points[criterion.id] = value;
      }
    }
    if (firstBad) {
      firstBad.focus();
      show(status, "Every criterion needs points within its range.", "error");
      return;
    }
    save.disabled = true;
    show(status, "Saving…");
    const body = { item_id: item.id, points };
    if (comment.value.trim()) body.comment = comment.value.trim();
    try {
      const updated = await api("POST", `/api/v1/grading/${encodeURIComponent(sheet.attempt_id)}`, body);
      const decided = updated?.result && updated.result.verdict !== "pending";
      this.renderSheet(updated, decided ? `Grade saved. The attempt is decided: ${VERDICTS[updated.result.verdict] ?? updated.result.verdict}.` : "Grade saved.");
      this.loadGrading();
    } catch (error) {
      save.disabled = false;
      const left = markProblem(form, error);
      show(status, left.length || !error.problem?.errors?.length ? describeProblem(error) : "Please correct the marked points.", "error");
    }
  }

  // === Credentials ============================================================================================

  async buildCredentials() {
    const body = this.bodies.credentials;
    const filter = make("select", { id: "credentials-filter", name: "status" });
    for (const [value, caption] of [["pending", "Pending"], ["verified", "Verified"], ["rejected", "Rejected"]]) {
      filter.append(make("option", { value }, caption));
    }
    const refresh = make("button", { type: "button", id: "credentials-refresh" }, "Refresh");
    const bar = make("div", { className: "admin-toolbar" });
    bar.append(labelled("Status", filter), refresh);
    this.credentialsList = make("div", { id: "credentials-list" });
    this.credentialsStatus = make("p", { id: "credentials-status", role: "status" });
    body.replaceChildren(bar, this.credentialsStatus, this.credentialsList);
    filter.addEventListener("change", () => this.loadCredentials(filter.value));
    refresh.addEventListener("click", () => this.loadCredentials(filter.value));
    this.credentialsFilter = filter;
    await this.loadCredentials("pending");
  }

  async loadCredentials(status) {
    const list = this.credentialsList;
    try {
      const result = await api("GET", `/api/v1/admin/credentials?status=${encodeURIComponent(status)}`);
      const headings = ["Applicant", "Type", "Issuer", "Number", "Year", "Expires", "Document", "Uploaded", "Status", "Note", ""];
      const { element, body } = table({ id: "credentials-table", className: "admin-table" }, headings);
      const credentials = result?.credentials ?? [];
      if (!credentials.length) body.append(emptyRow(headings.length, `No ${status} credentials.`));
      for (const credential of credentials) body.append(this.renderCredentialRow(credential));
      list.replaceChildren(element);
    } catch (error) {
      list.replaceChildren(errorBlock(error));
    } finally {
      list.dataset.loaded = "true";
    }
  }

  renderCredentialRow(credential) {
    const row = make("tr", { "data-credential-id": credential.id, "data-status": credential.status });
    const who = make("td", { className: "applicant-name" });
    who.append(make("span", { className: "credential-user" }, credential.user?.name || NONE));
    if (credential.user?.email) who.append(make("br"), make("small", { className: "muted" }, credential.user.email));
    const noteCell = make("td");
    const actions = make("td", { className: "row-actions" });
    if (credential.status === "pending") {
      const note = make("input", { className: "credential-note", name: "note", maxlength: 2000, autocomplete: "off",
        "aria-label": `Note on ${credential.type} by ${credential.user?.name ?? "the applicant"}`, "data-field": "note" });
      noteCell.append(note);
      const verify = make("button", { type: "button", className: "verify-credential primary" }, "Verify");
      const reject = make("button", { type: "button", className: "reject-credential danger" }, "Reject");
      verify.addEventListener("click", () => this.reviewCredential(credential, "verified", note, [verify, reject], row));
      reject.addEventListener("click", () => this.reviewCredential(credential, "rejected", note, [verify, reject], row));
      actions.append(verify, reject);
    } else {
      noteCell.textContent = credential.note ?? NONE;
    }
    row.append(who, cell(credential.type), cell(credential.issuer), cell(credential.number), cell(credential.year),
      cell(credential.expires_on), cell(documentLink(credential)), cell(time(credential.created_at)),
      cell(badge(credential.status)), noteCell, actions);
    return row;
  }

  async reviewCredential(credential, status, note, buttons, row) {
    clearFieldErrors(row);
    const text = note.value.trim();
    if (status === "rejected" && !text) {
      markInvalid(note, "Say why it is rejected: the applicant reads this note.");
      note.focus();
      return;
    }
    for (const button of buttons) button.disabled = true;
    try {
      const body = { status };
      if (text) body.note = text;
      const updated = await api("POST", `/api/v1/admin/credentials/${encodeURIComponent(credential.id)}`, body);
      const merged = { ...credential, ...updated, user: updated?.user ?? credential.user };
      const replacement = this.renderCredentialRow(merged);
      row.replaceWith(replacement);
      show(this.credentialsStatus, `${merged.type} of ${merged.user?.name ?? merged.user?.email ?? "the applicant"} is ${merged.status}.`, "ok");
    } catch (error) {
      for (const button of buttons) button.disabled = false;
      const left = markProblem(row, error);
      show(this.credentialsStatus, left.length || !error.problem?.errors?.length ? describeProblem(error) : "Please correct the note.", "error");
    }
  }

  // === Tracks & rates =========================================================================================

  async buildTracks() {
    const body = this.bodies.tracks;
    this.tracksList = make("div", { id: "tracks-list" });
    this.trackEditor = make("div", { id: "track-editor", className: "admin-detail", hidden: true });
    this.tracksStatus = make("p", { id: "tracks-status", role: "status" });
    body.replaceChildren(
      make("p", { className: "muted" }, "Each track's base rate is the least a project requiring it may pay per hour. Eligibility is what a worker's profile must show, besides passing the track's assessment."),
      this.tracksStatus, this.tracksList, this.trackEditor);
    await this.loadTrackTable();
  }

  async loadTrackTable() {
    const list = this.tracksList;
    try {
      const tracks = await this.loadTracks();
      const headings = ["Track", "Id", "Family", "Base rate per hour", "Eligibility", "Assessments", ""];
      const { element, body } = table({ id: "tracks-table", className: "admin-table" }, headings);
      if (!tracks.length) body.append(emptyRow(headings.length, "No tracks."));
      for (const track of tracks) {
        const row = make("tr", { "data-track-id": track.id });
        const edit = make("button", { type: "button", className: "edit-track" }, "Edit");
        edit.addEventListener("click", () => this.editTrack(track));
        const actions = make("td", { className: "row-actions" });
        actions.append(edit);
        row.append(cell(track.name, "track-name"), cell(make("code", {}, track.id)), cell(track.family),
          cell(formatDollars(track.base_rate_cents), "number track-rate"), cell(track.eligibility_text, "track-eligibility"),
          cell((track.assessments ?? []).map((item) => item.title).join(", ") || NONE), actions);
        body.append(row);
      }
      list.replaceChildren(element);
    } catch (error) {
      list.replaceChildren(errorBlock(error));
    } finally {
      list.dataset.loaded = "true";
    }
  }

  editTrack(track) {
    const editor = this.trackEditor;
    editor.hidden = false;
    editor.dataset.trackId = track.id;
    const form = make("form", { id: "track-form", className: "admin-form", novalidate: true });
    const name = make("input", { id: "track-name", name: "name", required: true, maxlength: 100, value: track.name, "data-field": "name", autocomplete: "off" });
    const rate = make("input", {
      id: "track-rate", name: "base_rate", type: "number", min: 0, step: "0.01", inputmode: "decimal",
      value: (track.base_rate_cents / 100).toFixed(2), "data-field": "base_rate_cents",
    });
    const eligibility = make("textarea", { id: "track-eligibility", name: "eligibility", rows: 8, className: "code", spellcheck: "false", "data-field": "eligibility" });
    eligibility.value = JSON.stringify(track.eligibility ?? { always: true }, null, 2);
    const save = make("button", { type: "submit", className: "primary", id: "track-save" }, "Save track");
    const cancel = make("button", { type: "button", id: "track-cancel" }, "Cancel");
    const status = make("p", { id: "track-status", role: "status" });
    const errors = make("ul", { id: "track-errors", className: "errors", hidden: true });
    const actions = make("div", { className: "form-actions" });
    actions.append(save, cancel);
    form.append(
      make("h3", {}, `Edit ${track.name}`),
      labelled("Name", name),
      labelled("Base rate (dollars per hour)", rate),
      labelled("Eligibility (JSON rule)", eligibility,
        '{"always": true}, {"all": [...]}, {"any": [...]}, {"degree": {"minimum": "master", "fields": ["chemistry"]}}, {"experience": {"minimum_years": 10, "fields": [...]}}, {"credential": {"types": ["bar_admission"]}}, {"language": {"minimum": "professional", "codes": ["de"]}}'),
      actions, status, errors);
    cancel.addEventListener("click", () => {
      editor.hidden = true;
      editor.replaceChildren();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveTrack(track, form, { name, rate, eligibility, save, status, errors });
    });
    editor.replaceChildren(form);
    name.focus();
  }

  async saveTrack(track, form, { name, rate, eligibility, save, status, errors }) {
    clearFieldErrors(form);
    errors.hidden = true;
    errors.replaceChildren();
    const changes = {};
    let valid = true;
    const newName = name.value.trim();
    if (!newName) {
      markInvalid(name, "A track needs a name.");
      valid = false;
    } else if (newName !== track.name) {
      changes.name = newName;
    }
    const cents = parseDollars(rate.value);
    if (cents === null) {
      markInvalid(rate, "Give an amount in dollars, such as 45 or 45.50.");
      valid = false;
    } else if (cents !== track.base_rate_cents) {
      changes.base_rate_cents = cents;
    }
    let rule;
    try {
      rule = JSON.parse(eligibility.value);
      if (!rule || typeof rule !== "object" || Array.isArray(rule)) throw new Error("the rule must be a JSON object");
      if (JSON.stringify(rule) !== JSON.stringify(track.eligibility)) changes.eligibility = rule;
    } catch (error) {
      markInvalid(eligibility, `Not a valid rule: ${error.message}`);
      valid = false;
    }
    if (!valid) {
      show(status, "Please correct the marked fields.", "error");
      return;
    }
    if (!Object.keys(changes).length) {
      show(status, "Nothing changed.");
      return;
    }
    save.disabled = true;
    show(status, "Saving…");
    try {
      const updated = await api("PATCH", `/api/v1/admin/tracks/${encodeURIComponent(track.id)}`, changes);
      await this.loadTrackTable();
      const fresh = this.tracks.find((item) => item.id === track.id) ?? updated;
      this.editTrack(fresh);
      show(this.trackEditor.querySelector("#track-status"), `Saved ${fresh.name}: ${formatDollars(fresh.base_rate_cents)} an hour.`, "ok");
    } catch (error) {
      save.disabled = false;
      const left = markProblem(form, error);
      show(status, error.problem?.title && !left.length && error.problem?.errors?.length ? "Please correct the marked fields." : describeProblem(error), "error");
      for (const item of left) {
        const entry = make("li", { "data-field": item.field ?? "" });
        if (item.field) entry.append(make("code", {}, item.field), ": ");
        entry.append(item.message ?? "");
        errors.append(entry);
      }
      errors.hidden = left.length === 0;
    }
  }

  // === Audit log ==============================================================================================

  async buildAudit() {
    const body = this.bodies.audit;
    const limit = make("select", { id: "audit-limit", name: "limit" });
    for (const value of [50, 100, 200, 500]) limit.append(make("option", { value, selected: value === 100 }, String(value)));
    const refresh = make("button", { type: "button", id: "audit-refresh" }, "Refresh");
    const bar = make("div", { className: "admin-toolbar" });
    bar.append(labelled("Latest", limit), refresh);
    this.auditList = make("div", { id: "audit-list" });
    body.replaceChildren(bar, this.auditList);
    limit.addEventListener("change", () => this.loadAudit(limit.value));
    refresh.addEventListener("click", () => this.loadAudit(limit.value));
    await this.loadAudit(100);
  }

  async loadAudit(limit) {
    const list = this.auditList;
    try {
      const result = await api("GET", `/api/v1/admin/audit?limit=${encodeURIComponent(limit)}`);
      const headings = ["When", "Who", "Action", "Subject", "Detail"];
      const { element, body } = table({ id: "audit-table", className: "admin-table" }, headings);
      const events = result?.events ?? [];
      if (!events.length) body.append(emptyRow(headings.length, "Nothing recorded yet."));
      for (const event of events) {
        const row = make("tr", { "data-action": event.action, "data-subject-id": event.subject_id ?? "" });
        const subject = make("td");
        subject.append(make("span", {}, event.subject_type ?? NONE));
        if (event.subject_id) subject.append(" ", make("code", { className: "subject-id" }, event.subject_id));
        const detail = make("td", { className: "audit-detail" });
        const hasDetail = event.detail && typeof event.detail === "object" && Object.keys(event.detail).length;
        detail.append(hasDetail ? make("code", {}, JSON.stringify(event.detail)) : document.createTextNode(NONE));
        row.append(cell(time(event.at)), cell(event.actor ?? "system"), cell(make("code", {}, event.action)), subject, detail);
        body.append(row);
      }
      list.replaceChildren(element);
    } catch (error) {
      list.replaceChildren(errorBlock(error));
    } finally {
      list.dataset.loaded = "true";
    }
  }
}

// --- shared renderers -----------------------------------------------------------------------------------------------

/** A link to a credential's uploaded file (the name is the applicant's: text only). */
function documentLink(credential) {
  if (!credential.document) return document.createTextNode(NONE);
  const link = make("a", {
    className: "credential-document",
    href: `/api/v1/credentials/${encodeURIComponent(credential.id)}/document`,
    target: "_blank",
    rel: "noopener",
  }, credential.document.name || "document");
  const size = Number(credential.document.size);
  const wrapper = make("span");
  wrapper.append(link);
  if (Number.isFinite(size)) wrapper.append(" ", make("small", { className: "muted" }, `(${Math.max(1, Math.round(size / 1024))} KB)`));
  return wrapper;
}

/** An attempt's result: the verdict, the scores and the reasons. */
function renderResult(result, { compact = false } = {}) {
  const wrapper = make("div", { className: "attempt-result-block", "data-verdict": result.verdict });
  const line = make("p", { className: "result-line" });
  line.append(badge(result.verdict, VERDICTS[result.verdict] ?? result.verdict),
    ` score ${formatPercent(result.score)} · automatic ${formatPercent(result.auto_score)} · graded ${formatPercent(result.human_score)}`);
  wrapper.append(line);
  const reasons = result.reasons ?? [];
  if (reasons.length) {
    const list = make("ul", { className: "result-reasons" });
    for (const reason of reasons) list.append(make("li", {}, reason));
    wrapper.append(list);
  }
  if (!compact && result.decided_at) {
    const decided = make("p", { className: "muted" });
    decided.append(`Decided ${result.decided_by === "admin" ? "by an admin" : "automatically"} · `, time(result.decided_at));
    wrapper.append(decided);
  }
  return wrapper;
}

/** An applicant's profile in readable form (country and languages by name, degrees in words). */
export function renderProfile(profile) {
  const list = make("dl", { id: "profile-view", className: "profile-view" });
  const entry = (key, caption, content) => {
    const dt = make("dt", {}, caption);
    const dd = make("dd", { "data-profile": key });
    if (content instanceof Node) dd.append(content);
    else dd.textContent = content === null || content === undefined || content === "" ? NONE : String(content);
    list.append(dt, dd);
  };
  const bullets = (items) => {
    if (!items.length) return NONE;
    const ul = make("ul", { className: "plain-list" });
    for (const item of items) ul.append(make("li", {}, item));
    return ul;
  };
  entry("country", "Country", profile.country ? regionName(profile.country) : NONE);
  entry("time_zone", "Time zone", profile.time_zone);
  const availability = profile.availability ?? {};
  const hours = typeof availability.hours_per_week === "number" ? `${availability.hours_per_week} hours a week` : null;
  const days = (availability.days ?? []).map((day) => DAYS[day] ?? day).join(", ");
  entry("availability", "Availability", [hours, days ? `on ${days}` : null].filter(Boolean).join(" ") || NONE);
  entry("path", "Path", profile.path === "coding" ? "Coding" : profile.path === "general" ? "General" : profile.path);
  entry("education", "Education", bullets((profile.education ?? []).map((item) =>
    `${DEGREES[item.degree] ?? item.degree ?? "Degree"}${item.field ? ` in ${item.field}` : ""}${item.institution ? `, ${item.institution}` : ""}${item.year ? ` (${item.year})` : ""}`)));
  entry("experience", "Experience", bullets((profile.experience ?? []).map((item) =>
    `${item.field ?? NONE}: ${plural(item.years ?? 0, "year")}`)));
  entry("languages", "Languages", bullets((profile.languages ?? []).map((item) =>
    `${languageName(item.code)}: ${PROFICIENCY[item.proficiency] ?? item.proficiency ?? NONE}`)));
  entry("programming", "Programming", bullets((profile.programming ?? []).map((item) =>
    `${item.language ?? NONE}: ${plural(item.years ?? 0, "year")}`)));
  return list;
}

const root = document.getElementById("admin-console");
if (root) {
  const adminConsole = new AdminConsole(root);
  adminConsole.start();
  root.dataset.ready = "true";
}
