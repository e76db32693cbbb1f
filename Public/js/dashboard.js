// The worker's dashboard: where they stand (status, qualifications), this week's stats (hours, earnings,
// tasks, quality "as of" a day), the projects they can do with the match explained (each requirement met or
// missing with its weight) and a Start link, the projects they are close to with what is missing and the
// assessment to take, the assessments open to them, and their unread notifications (mark read). Project
// names, requirements, notification texts and everything else from the API reach the page as text; the
// guidelines are the server's sanitised HTML, rebuilt through an allowlist.

import { api, ApiError, describeProblem } from "./api.js";
import { make } from "./dom.js";
import {
  assessmentCard, duration, formatDate, hourlyRate, isLocalPath, isSafeURL, loadTrackNames, money, percent,
  practiceTrack, richText, showStatus, startAssessment, timeElement,
} from "./assessments.js";

const STATUS_TEXT = {
  applicant: "Applicant: finish and submit your application, then take the starter assessment.",
  assessing: "Assessing: take your starter assessment; your result decides your approval.",
  approved: "Approved: the projects below match your qualifications.",
  rejected: "Your application was not accepted.",
  suspended: "Your account is suspended: you cannot take new tasks for now.",
};

function section(id, title) {
  const element = make("section", { id, className: "dashboard-section", "aria-labelledby": `${id}-title` });
  element.append(make("h2", { id: `${id}-title` }, title));
  return element;
}

function stat(name, label, value, note) {
  const block = make("div", { className: "stat", "data-stat": name });
  block.append(make("dt", {}, label), make("dd", {}, value));
  if (note) block.append(make("dd", { className: "stat-note muted" }, note));
  return block;
}

/** A link target the API gave (label_url, a notification's link): a path here, or http(s); else none. */
function safeHref(url) {
  if (typeof url !== "string" || !url) return null;
  if (isLocalPath(url)) return url;
  return /^https?:\/\//i.test(url.trim()) && isSafeURL(url) ? url.trim() : null;
}

/** Each requirement of a match, met or missing, with its weight (the met weights add up to the score). */
export function matchExplanation(match) {
  const box = make("div", { className: "match", "data-score": String(match?.score ?? "") });
  const score = typeof match?.score === "number" ? Math.round(match.score) : null;
  const head = make("p", { className: "match-score" });
  head.append(make("strong", {}, score === null ? "Match: —" : `Match ${score}/100`));
  if (match && match.eligible === false) head.append(make("span", { className: "muted" }, " · not all requirements met"));
  box.append(head);
  const items = Array.isArray(match?.items) ? match.items : [];
  if (!items.length) {
    box.append(make("p", { className: "muted match-none" }, "This project asks for nothing in particular."));
    return box;
  }
  const list = make("ul", { className: "match-items" });
  for (const item of items) {
    const met = item.met === true;
    const entry = make("li", {
      className: `match-item ${met ? "met" : "missing"}`,
      "data-met": String(met),
      "data-kind": item.kind,
      "data-hard": String(item.hard === true),
    });
    entry.append(make("span", { className: "match-mark", "aria-hidden": "true" }, met ? "✓" : "✗"));
    entry.append(make("span", { className: "visually-hidden" }, met ? "Met: " : "Missing: "));
    entry.append(make("span", { className: "match-requirement" }, item.requirement ?? item.kind ?? ""));
    const weight = typeof item.weight === "number" ? Math.round(item.weight * 10) / 10 : null;
    const note = [weight === null ? null : met ? `+${weight}` : `${weight} points missed`, item.hard ? "required" : "preferred"]
      .filter(Boolean).join(" · ");
    entry.append(make("span", { className: "match-weight muted" }, ` (${note})`));
    list.append(entry);
  }
  box.append(list);
  return box;
}

function textList(className, entries, empty) {
  const values = (Array.isArray(entries) ? entries : []).filter((entry) => entry !== null && entry !== undefined && entry !== "");
  if (!values.length) return make("p", { className: "muted" }, empty);
  const list = make("ul", { className });
  for (const value of values) list.append(make("li", {}, typeof value === "string" ? value : JSON.stringify(value)));
  return list;
}

class Dashboard {
  constructor(section) {
    this.section = section;
    this.root = document.getElementById("dashboard-root");
    this.status = document.getElementById("dashboard-status");
    this.title = document.getElementById("dashboard-title");
    this.assessments = new Map();
  }

  async start() {
    const [data, trackNames] = await Promise.all([api("GET", this.section.dataset.api || "/api/v1/dashboard"), loadTrackNames()]);
    this.data = data ?? {};
    this.trackNames = trackNames;
    this.assessments = new Map((this.data.assessments ?? []).map((summary) => [summary.id, summary]));
    this.render();
    this.root.dataset.loaded = "true";
    await this.loadNotifications();
  }

  render() {
    const data = this.data;
    if (data.name) this.title.textContent = `Welcome, ${data.name}`;
    this.root.replaceChildren(
      this.profileSection(data),
      this.statsSection(data.stats ?? {}),
      this.projectsSection(data.projects ?? [], data.status),
      this.closeSection(data.close ?? []),
      this.assessmentsSection(data.assessments ?? []),
      this.notificationsSection(data.unread_notifications),
    );
  }

  profileSection(data) {
    const element = section("dashboard-profile", "Your standing");
    const status = make("p", { className: "worker-status", "data-status": data.status ?? "" });
    status.append(make("span", { className: `status status-${data.status ?? "unknown"}` }, data.status ?? "unknown"), " ",
      STATUS_TEXT[data.status] ?? "");
    element.append(status);
    const starterOpen = (data.assessments ?? []).some((summary) => summary.kind === "starter" && summary.can_start);
    if (data.status === "applicant" && starterOpen) {
      // The application is in (the starter opens only then): the next step is the assessment.
      status.lastChild.textContent = "Applicant: your application is in. Take the starter assessment below: one attempt, timed.";
    } else if (data.status === "applicant") {
      const line = make("p", { className: "apply-link" });
      line.append(make("a", { href: this.section.dataset.applyUrl || "/apply" }, "Continue your application"));
      element.append(line);
    }
    const qualifications = Array.isArray(data.qualifications) ? data.qualifications : [];
    element.append(make("h3", {}, "Qualifications"));
    if (!qualifications.length) {
      element.append(make("p", { className: "muted", id: "no-qualifications" }, "None yet: pass an assessment to earn your first track."));
      return element;
    }
    const list = make("ul", { className: "qualification-list" });
    for (const qualification of qualifications) {
      const entry = make("li", {
        className: `qualification ${qualification.active ? "active" : "inactive"}`,
        "data-track": qualification.track,
        "data-active": String(qualification.active === true),
      });
      entry.append(make("strong", {}, qualification.name ?? this.trackNames[qualification.track] ?? qualification.track));
      const source = qualification.source === "admin" ? "granted by an admin" : "earned by assessment";
      entry.append(make("span", { className: "muted" }, ` · ${source} · since `), timeElement(qualification.granted_at, { dateOnly: true }));
      if (qualification.expires_at) entry.append(make("span", { className: "muted" }, " · expires "), timeElement(qualification.expires_at, { dateOnly: true }));
      if (!qualification.active) {
        entry.append(make("p", { className: "qualification-inactive error" }, `Inactive${qualification.inactive_reason ? `: ${qualification.inactive_reason}` : ""}`));
      }
      list.append(entry);
    }
    element.append(list);
    return element;
  }

  statsSection(stats) {
    const element = section("dashboard-stats", "This week");
    const list = make("dl", { className: "dashboard-stats" });
    const hours = typeof stats.hours_this_week === "number" ? stats.hours_this_week.toFixed(1) : "—";
    list.append(
      stat("hours", "Hours", hours),
      stat("earnings", "Earnings", money(stats.earnings_cents_this_week)),
      stat("tasks", "Tasks", typeof stats.tasks_this_week === "number" ? String(stats.tasks_this_week) : "—"),
      stat("quality", "Quality", stats.quality == null ? "No score yet" : percent(stats.quality),
        stats.quality_as_of ? `as of ${formatDate(stats.quality_as_of)}` : null),
    );
    element.append(list);
    return element;
  }

  projectsSection(projects, status) {
    const element = section("dashboard-projects", "Projects you can do");
    if (!projects.length) {
      element.append(make("p", { className: "muted empty" }, status === "approved"
        ? "No project matches your qualifications right now. Earn more tracks through the assessments below."
        : "Projects appear here once you are approved."));
      return element;
    }
    const list = make("div", { className: "project-cards" });
    for (const project of projects) list.append(this.projectCard(project));
    element.append(list);
    return element;
  }

  projectCard(project) {
    const card = make("article", { className: "project-card", "data-project-id": project.id });
    card.append(make("h3", { className: "project-name" }, project.name ?? "Project"));
    const facts = make("ul", { className: "project-facts" });
    facts.append(make("li", { "data-fact": "rate" }, hourlyRate(project.rate_cents)));
    if (typeof project.expected_seconds_per_task === "number" && project.expected_seconds_per_task > 0) {
      facts.append(make("li", { "data-fact": "expected" }, `about ${duration(project.expected_seconds_per_task)} per task`));
    }
    if (typeof project.tasks_left === "number") {
      facts.append(make("li", { "data-fact": "tasks-left" }, `${project.tasks_left} task${project.tasks_left === 1 ? "" : "s"} left`));
    }
    card.append(facts);
    const columns = make("div", { className: "project-columns" });
    const requirements = make("div", { className: "project-requirements" });
    requirements.append(make("h4", {}, "Requirements"), textList("requirement-list", project.requirements, "None."));
    const deliverables = make("div", { className: "project-deliverables" });
    deliverables.append(make("h4", {}, "Deliverables"), textList("deliverable-list", project.deliverables, "—"));
    columns.append(requirements, deliverables);
    card.append(columns);
    if (project.guidelines_html) {
      const details = make("details", { className: "guidelines-box" });
      details.append(make("summary", {}, "Guidelines"), richText(project.guidelines_html, "", "guidelines"));
      card.append(details);
    }
    card.append(matchExplanation(project.match));
    const href = safeHref(project.label_url);
    if (href) card.append(make("a", { className: "button primary start-project", href }, "Start"));
    return card;
  }

  closeSection(close) {
    const element = section("dashboard-close", "Close to qualifying");
    if (!close.length) {
      element.append(make("p", { className: "muted empty" }, "No project is one step away right now."));
      return element;
    }
    const list = make("div", { className: "project-cards" });
    for (const project of close) {
      const card = make("article", { className: "project-card close-card", "data-project-id": project.id });
      card.append(make("h3", { className: "project-name" }, project.name ?? "Project"));
      const facts = make("ul", { className: "project-facts" });
      facts.append(make("li", { "data-fact": "rate" }, hourlyRate(project.rate_cents)));
      card.append(facts);
      card.append(make("h4", {}, "What is missing"));
      const missing = make("ul", { className: "missing-list" });
      for (const gap of project.missing ?? []) {
        const entry = make("li", { className: "missing-entry", "data-track": gap.track ?? "" });
        entry.append(make("span", { className: "missing-text" }, gap.text ?? ""));
        for (const assessment of gap.assessments ?? []) {
          entry.append(" ", this.assessmentButton(assessment));
        }
        missing.append(entry);
      }
      card.append(missing, matchExplanation(project.match));
      list.append(card);
    }
    element.append(list);
    return element;
  }

  /** "Take <assessment>": starts it (asking first for a one-attempt one) or continues an attempt in progress. */
  assessmentButton(reference) {
    const summary = this.assessments.get(reference.id);
    if (summary?.latest_attempt?.status === "in_progress") {
      return make("a", { className: "button take-assessment", href: `/attempts/${encodeURIComponent(summary.latest_attempt.id)}`,
        "data-assessment-id": reference.id }, `Continue: ${reference.title ?? summary.title}`);
    }
    const button = make("button", { type: "button", className: "take-assessment", "data-assessment-id": reference.id },
      `Take: ${reference.title ?? "the assessment"}`);
    button.addEventListener("click", async () => {
      if (button.disabled) return;
      button.disabled = true;
      showStatus(this.status, "");
      try {
        const full = this.assessments.get(reference.id) ?? await api("GET", `/api/v1/assessments/${encodeURIComponent(reference.id)}`);
        const attempt = await startAssessment(full);
        if (!attempt) button.disabled = false;
      } catch (error) {
        button.disabled = false;
        showStatus(this.status, `Could not start “${reference.title ?? "the assessment"}”: ${describeProblem(error)}`, "error");
      }
    });
    return button;
  }

  assessmentsSection(assessments) {
    const element = section("dashboard-assessments", "Assessments to take");
    const open = assessments.filter((summary) => summary.kind !== "practice" && (summary.can_start || summary.latest_attempt?.status === "in_progress"));
    const practice = assessments.filter((summary) => summary.kind === "practice");
    if (!open.length) element.append(make("p", { className: "muted empty" }, "None open right now."));
    const practiceTracks = new Set(practice.map(practiceTrack).filter(Boolean));
    const list = make("div", { className: "assessment-list" });
    for (const summary of open) list.append(assessmentCard(summary, { trackNames: this.trackNames, status: this.status, practiceTracks }));
    element.append(list);
    const links = make("p", { className: "dashboard-links" });
    links.append(make("a", { href: this.section.dataset.assessmentsUrl || "/assessments" }, "All assessments and practice"));
    element.append(links);
    return element;
  }

  notificationsSection(unread) {
    const element = section("dashboard-notifications", "Notifications");
    this.unreadBadge = make("span", { className: "unread-count", id: "dashboard-unread", "data-unread": String(unread ?? 0) },
      `${unread ?? 0} unread`);
    element.querySelector("h2").append(" ", this.unreadBadge);
    this.markAllButton = make("button", { type: "button", id: "notifications-mark-all" }, "Mark all read");
    this.markAllButton.hidden = !unread;
    this.markAllButton.addEventListener("click", () => this.markRead(null));
    this.notificationList = make("ul", { className: "notification-list", id: "notification-list" });
    this.notificationList.append(make("li", { className: "muted" }, "Loading…"));
    this.notificationStatus = make("p", { className: "notification-status", role: "status" });
    element.append(this.markAllButton, this.notificationList, this.notificationStatus);
    return element;
  }

  async loadNotifications() {
    try {
      const response = await api("GET", this.section.dataset.notificationsApi || "/api/v1/me/notifications");
      this.notifications = (response?.notifications ?? []).filter((notification) => !notification.read);
      this.showNotifications(response?.unread ?? this.notifications.length);
    } catch (error) {
      this.notificationList.replaceChildren(make("li", { className: "error" }, `Could not load the notifications: ${describeProblem(error)}`));
    }
  }

  showNotifications(unread) {
    this.setUnread(unread);
    this.notificationList.replaceChildren();
    if (!this.notifications.length) {
      this.notificationList.append(make("li", { className: "muted empty" }, "Nothing new."));
      return;
    }
    for (const notification of this.notifications) {
      const entry = make("li", { className: "notification unread", "data-notification-id": notification.id, "data-kind": notification.kind });
      entry.append(make("strong", { className: "notification-title" }, notification.title ?? ""), " ",
        timeElement(notification.created_at));
      if (notification.body) entry.append(make("p", { className: "notification-body plain-text" }, notification.body));
      const href = safeHref(notification.link);
      const actions = make("p", { className: "notification-actions" });
      if (href) actions.append(make("a", { href }, "Open"), " ");
      const read = make("button", { type: "button", className: "mark-read" }, "Mark read");
      read.addEventListener("click", () => this.markRead([notification.id]));
      actions.append(read);
      entry.append(actions);
      this.notificationList.append(entry);
    }
  }

  setUnread(count) {
    const value = typeof count === "number" ? count : 0;
    this.unreadBadge.textContent = `${value} unread`;
    this.unreadBadge.dataset.unread = String(value);
    this.markAllButton.hidden = value === 0;
  }

  async markRead(ids) {
    this.markAllButton.disabled = true;
    try {
      const response = await api("POST", "/api/v1/me/notifications/read", ids ? { ids } : {});
      this.notifications = ids ? this.notifications.filter((notification) => !ids.includes(notification.id)) : [];
      this.showNotifications(response?.unread ?? this.notifications.length);
      showStatus(this.notificationStatus, ids ? "Marked read." : "All marked read.", "ok");
    } catch (error) {
      showStatus(this.notificationStatus, describeProblem(error), "error");
    } finally {
      this.markAllButton.disabled = false;
    }
  }
}

const pageSection = document.getElementById("dashboard");
if (pageSection && document.getElementById("dashboard-root")) {
  const page = new Dashboard(pageSection);
  page.start().catch((error) => {
    const message = error instanceof ApiError ? describeProblem(error) : error.message;
    page.root.replaceChildren(make("p", { className: "error", role: "alert" }, `Could not load your dashboard: ${message}`));
  });
}
