// The worker's assessments page (the starter of their path, specialist assessments, practice sets), and what
// the other workforce pages share with it: money, dates and durations in words, the server's sanitised HTML
// rebuilt node by node through an allowlist, and starting an assessment (asking first when it is the only or
// the last attempt). Names, titles, descriptions and reasons come from the API and only ever reach the page
// as text.

import { api, ApiError, describeProblem } from "./api.js";
import { make } from "./dom.js";

const NONE = "—";

// --- formatting ---------------------------------------------------------------------------------------------

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** Integer cents as dollars: 2550 -> "$25.50"; "—" for anything that is not a number. */
export function money(cents) {
  return typeof cents === "number" && Number.isFinite(cents) ? dollars.format(cents / 100) : NONE;
}

/** An hourly rate in cents: "$40.00/h". */
export function hourlyRate(cents) {
  return typeof cents === "number" && Number.isFinite(cents) ? `${money(cents)}/h` : NONE;
}

/** A fraction 0..1 as a whole percentage: 0.845 -> "85%"; "—" for null. */
export function percent(value) {
  return typeof value === "number" && Number.isFinite(value) ? `${Math.round(value * 100)}%` : NONE;
}

/** A duration in words: 90 -> "1 min 30 s", 1200 -> "20 min", 5400 -> "1 h 30 min". */
export function duration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return NONE;
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts = [];
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (rest && !hours) parts.push(`${rest} s`);
  return parts.join(" ") || "0 s";
}

function parseTime(timestamp) {
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return null;
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An RFC 3339 timestamp as local date and time; "—" when missing or unreadable. */
export function formatDateTime(timestamp) {
  const date = parseTime(timestamp);
  return date ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : NONE;
}

/** An RFC 3339 timestamp as a date (in UTC: "as of" dates are the start of a UTC day). */
export function formatDate(timestamp) {
  const date = parseTime(timestamp);
  return date ? date.toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" }) : NONE;
}

/** A `<time>` element for a timestamp, with the machine-readable value in `datetime`. */
export function timeElement(timestamp, { dateOnly = false } = {}) {
  const date = parseTime(timestamp);
  const element = make("time", {}, dateOnly ? formatDate(timestamp) : formatDateTime(timestamp));
  if (date) element.dateTime = date.toISOString();
  return element;
}

// --- the server's sanitised HTML, rebuilt through an allowlist ------------------------------------------------

const ALLOWED_TAGS = new Set([
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "s", "del", "code", "pre",
  "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
]);
// Dropped with everything inside them: nothing of these is text a reader needs.
const DROPPED_TAGS = new Set([
  "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "noscript", "svg", "math",
  "link", "meta", "base", "form", "input", "button", "select", "textarea", "audio", "video", "canvas",
]);

/** http, https, mailto and relative URLs (as the server's own check): nothing a browser would run. */
export function isSafeURL(url) {
  if (typeof url !== "string") return false;
  // eslint-disable-next-line no-control-regex
  const cleaned = url.trim().replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
  const colon = cleaned.indexOf(":");
  if (colon < 0) return true;
  const scheme = cleaned.slice(0, colon);
  if (/[/?#]/.test(scheme)) return true;
  return scheme === "http" || scheme === "https" || scheme === "mailto";
}

/** A link target inside Gloss: a path on this server ("/attempts/..."), never another origin. */
export function isLocalPath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\");
}

function copyAllowed(source, target) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.localName;
    if (DROPPED_TAGS.has(tag)) continue;
    if (!ALLOWED_TAGS.has(tag)) {
      copyAllowed(node, target); // an unknown wrapper keeps its text
      continue;
    }
    const element = document.createElement(tag);
    if (tag === "a") {
      const href = node.getAttribute("href");
      if (href && isSafeURL(href)) {
        element.setAttribute("href", href);
        element.setAttribute("rel", "noopener noreferrer nofollow");
        if (!isLocalPath(href)) element.setAttribute("target", "_blank");
      }
      const title = node.getAttribute("title");
      if (title) element.setAttribute("title", title);
    } else if (tag === "img") {
      const src = node.getAttribute("src");
      if (!src || !isSafeURL(src) || /^mailto:/i.test(src.trim())) continue;
      element.setAttribute("src", src);
      element.setAttribute("alt", node.getAttribute("alt") ?? "");
      element.setAttribute("loading", "lazy");
    } else if (tag === "ol") {
      const start = node.getAttribute("start");
      if (start && /^\d{1,6}$/.test(start)) element.setAttribute("start", start);
    }
    copyAllowed(node, element);
    target.append(element);
  }
}

/**
 * The server's sanitised HTML (prompt_html, guidelines_html) as DOM nodes, without ever assigning HTML to the
 * live page: parsed in an inert document (no script runs, no image loads), then rebuilt node by node keeping
 * only formatting tags and safe link and image URLs. Everything else stays as its text.
 */
export function safeHTML(html) {
  const fragment = document.createDocumentFragment();
  if (typeof html !== "string" || !html) return fragment;
  const parsed = new DOMParser().parseFromString(html, "text/html");
  copyAllowed(parsed.body, fragment);
  return fragment;
}

/** Markdown rendered by the server when there is some, else the Markdown source as plain text. */
export function richText(html, text, className) {
  const element = make("div", { className });
  if (typeof html === "string" && html.trim()) {
    element.append(safeHTML(html));
  } else {
    element.classList.add("plain-text");
    element.textContent = typeof text === "string" ? text : "";
  }
  return element;
}

// --- starting an assessment ----------------------------------------------------------------------------------

/** The page of an attempt. */
export function attemptURL(id) {
  return `/attempts/${encodeURIComponent(id)}`;
}

/** The practice page of a track. */
export function practiceURL(track) {
  return `/practice/${encodeURIComponent(track)}`;
}

/** The track a practice set practises: the one it names, else its path, else its slug without "practice-". */
export function practiceTrack(summary) {
  const named = Array.isArray(summary?.unlocks) ? summary.unlocks.find((track) => typeof track === "string" && track) : null;
  if (named) return named;
  if (typeof summary?.path === "string" && summary.path) return summary.path;
  const slug = typeof summary?.slug === "string" ? summary.slug : "";
  return slug.startsWith("practice-") ? slug.slice("practice-".length) : slug || null;
}

/** The attempts left (Infinity when unlimited). */
export function attemptsLeft(summary) {
  const allowed = Number(summary?.attempts_allowed ?? 0);
  if (!allowed) return Infinity;
  return Math.max(0, allowed - Number(summary?.attempts_used ?? 0));
}

/** What the worker is asked before starting an assessment they cannot retake; null when nothing needs asking. */
export function startConfirmation(summary) {
  const title = summary?.title ?? "this assessment";
  const clock = summary?.time_limit_s > 0
    ? ` You will have ${duration(summary.time_limit_s)}; the clock runs on the server from the moment you start, even if you close the page.`
    : "";
  if (Number(summary?.attempts_allowed) === 1) {
    return `You have one attempt at “${title}”.${clock} Start it now?`;
  }
  if (attemptsLeft(summary) === 1) {
    return `This is your last attempt at “${title}”.${clock} Start it now?`;
  }
  return null;
}

/**
 * Starts an assessment (after asking, for a one-attempt or last attempt) and opens the attempt's page. Returns
 * the attempt, or null when the worker said no. API problems are thrown as ApiError.
 */
export async function startAssessment(summary, { confirm = (text) => window.confirm(text), navigate = true } = {}) {
  const question = startConfirmation(summary);
  if (question && !confirm(question)) return null;
  const attempt = await api("POST", `/api/v1/assessments/${encodeURIComponent(summary.id)}/attempts`);
  if (navigate && attempt?.id) window.location.assign(attemptURL(attempt.id));
  return attempt;
}

const ATTEMPT_STATUS = {
  in_progress: "in progress",
  submitted: "submitted",
  passed: "passed",
  failed: "not passed",
  pending: "waiting for a grader",
  review: "being reviewed by an admin",
};

/** An attempt's status in words. */
export function attemptStatusText(status) {
  return ATTEMPT_STATUS[status] ?? String(status ?? NONE);
}

/** Shows a message in a status line; `kind` "error" or "ok" colours it. */
export function showStatus(element, text, kind = "") {
  if (!element) return;
  element.textContent = text ?? "";
  element.classList.toggle("error", kind === "error");
  element.classList.toggle("ok", kind === "ok");
}

/**
 * One assessment as a card: what it is, its clock and attempts, the tracks it unlocks, the latest attempt, and
 * a Start button (or why it cannot start) or, for a practice set, the link to practise. `trackNames` maps track
 * ids to names; `status` is the line where starting reports a problem.
 */
export function assessmentCard(summary, { trackNames = {}, status, practiceTracks = new Set() } = {}) {
  const card = make("article", {
    className: "assessment-card",
    "data-assessment-id": summary.id,
    "data-slug": summary.slug,
    "data-kind": summary.kind,
  });
  card.append(make("h3", { className: "assessment-title" }, summary.title ?? summary.slug ?? "Assessment"));
  if (summary.description) card.append(make("p", { className: "assessment-description" }, summary.description));

  const facts = make("ul", { className: "assessment-facts" });
  const fact = (name, text) => facts.append(make("li", { "data-fact": name }, text));
  if (typeof summary.item_count === "number") fact("items", `${summary.item_count} item${summary.item_count === 1 ? "" : "s"}`);
  if (summary.kind !== "practice") {
    fact("time", summary.time_limit_s > 0 ? `${duration(summary.time_limit_s)} time limit` : "No time limit");
    const allowed = Number(summary.attempts_allowed ?? 0);
    const used = Number(summary.attempts_used ?? 0);
    fact("attempts", allowed === 0
      ? `Unlimited attempts${used ? ` (${used} used)` : ""}`
      : allowed === 1 ? `One attempt${used ? " (used)" : ""}` : `${allowed} attempts (${used} used)`);
  }
  const unlocks = (summary.unlocks ?? []).map((track) => trackNames[track] ?? track);
  if (unlocks.length && summary.kind !== "practice") fact("unlocks", `Unlocks: ${unlocks.join(", ")}`);
  card.append(facts);

  const latest = summary.latest_attempt;
  if (latest && latest.id) {
    const line = make("p", { className: "assessment-latest", "data-status": latest.status });
    line.append(`Your ${latest.status === "in_progress" ? "current" : "last"} attempt: ${attemptStatusText(latest.status)}`);
    if (typeof latest.score === "number") line.append(` (${percent(latest.score)})`);
    if (latest.submitted_at) line.append(", ", timeElement(latest.submitted_at));
    line.append(" · ");
    line.append(make("a", { href: attemptURL(latest.id), className: "attempt-link" },
      latest.status === "in_progress" ? "Continue it" : "See the result"));
    card.append(line);
  }

  const actions = make("div", { className: "assessment-actions" });
  if (summary.kind === "practice") {
    const track = practiceTrack(summary);
    if (track) actions.append(make("a", { className: "button", href: practiceURL(track), "data-practice": track }, "Practise"));
  } else if (latest?.status === "in_progress") {
    actions.append(make("a", { className: "button primary", href: attemptURL(latest.id) }, "Continue"));
  } else if (summary.can_start) {
    const button = make("button", { type: "button", className: "primary start-assessment", "data-assessment-id": summary.id }, "Start");
    button.addEventListener("click", async () => {
      if (button.disabled) return;
      button.disabled = true;
      showStatus(status, "");
      try {
        const attempt = await startAssessment(summary);
        if (!attempt) button.disabled = false;
        else showStatus(status, "Started: opening the assessment…", "ok");
      } catch (error) {
        button.disabled = false;
        showStatus(status, `Could not start “${summary.title}”: ${describeProblem(error)}`, "error");
      }
    });
    actions.append(button);
  } else if (summary.why_not) {
    actions.append(make("p", { className: "muted why-not" }, summary.why_not));
  }
  // Practice for a track this assessment unlocks, when there is a practice set for it.
  for (const track of summary.kind === "practice" ? [] : summary.unlocks ?? []) {
    if (practiceTracks.has(track)) {
      actions.append(make("a", { className: "practice-link", href: practiceURL(track), "data-practice": track },
        `Practise ${trackNames[track] ?? track} first`));
    }
  }
  if (actions.childNodes.length) card.append(actions);
  return card;
}

/** Track ids -> names from the public list of tracks; empty when it cannot be read (ids are shown then). */
export async function loadTrackNames() {
  try {
    const response = await api("GET", "/api/v1/tracks");
    return Object.fromEntries((response?.tracks ?? []).map((track) => [track.id, track.name ?? track.id]));
  } catch {
    return {};
  }
}

// --- the page -----------------------------------------------------------------------------------------------

const GROUPS = [
  { kind: "starter", id: "assessments-starter", title: "Starter assessment",
    intro: "The first step after applying: one attempt, timed, a sample of the real work." },
  { kind: "specialist", id: "assessments-specialist", title: "Specialist assessments",
    intro: "Each unlocks a higher-paying track." },
  { kind: "practice", id: "assessments-practice", title: "Practice",
    intro: "Untimed, as often as you like; you see the right answer and an explanation after each item." },
];

class AssessmentsPage {
  constructor(section) {
    this.section = section;
    this.root = document.getElementById("assessments-root");
    this.status = document.getElementById("assessments-status");
  }

  async start() {
    const [response, trackNames] = await Promise.all([api("GET", this.section.dataset.api || "/api/v1/assessments"), loadTrackNames()]);
    const assessments = Array.isArray(response?.assessments) ? response.assessments : [];
    const practiceTracks = new Set(assessments.filter((a) => a.kind === "practice").map(practiceTrack).filter(Boolean));
    this.root.replaceChildren();
    if (!assessments.length) {
      this.root.append(make("p", { className: "muted" }, "There is no assessment for you right now."));
    }
    const known = new Set(GROUPS.map((group) => group.kind));
    for (const group of GROUPS) {
      const members = assessments.filter((a) => a.kind === group.kind || (group.kind === "specialist" && !known.has(a.kind)));
      if (!members.length) continue;
      const block = make("section", { id: group.id, className: "assessment-group", "aria-labelledby": `${group.id}-title` });
      block.append(make("h2", { id: `${group.id}-title` }, group.title), make("p", { className: "muted" }, group.intro));
      const list = make("div", { className: "assessment-list" });
      for (const summary of members) list.append(assessmentCard(summary, { trackNames, status: this.status, practiceTracks }));
      block.append(list);
      this.root.append(block);
    }
    this.root.dataset.loaded = "true";
  }
}

const pageSection = document.getElementById("assessments");
if (pageSection && document.getElementById("assessments-root")) {
  const page = new AssessmentsPage(pageSection);
  page.start().catch((error) => {
    const message = error instanceof ApiError ? describeProblem(error) : error.message;
    page.root.replaceChildren(make("p", { className: "error", role: "alert" }, `Could not load the assessments: ${message}`));
  });
}
