// The public job board: the listed projects (GET /api/v1/listings) filtered by track, profession, language
// and minimum pay, one card each, and the "what is your background?" quiz (POST /api/v1/listings/quiz) that
// shows the tracks that fit, why, and the assessments that unlock them. Titles, descriptions and every other
// string from the API are untrusted: they reach the page as text only.

import { api, ApiError, describeProblem } from "./api.js";
import { make, showStatus } from "./dom.js";

const LEVELS = { basic: "basic", professional: "professional", fluent: "fluent", native: "native" };

const root = document.getElementById("jobs-root");
const filters = document.getElementById("jobs-filters");
const listStatus = document.getElementById("jobs-status");
const list = document.getElementById("jobs-list");
const quizForm = document.getElementById("quiz-form");
const quizStatus = document.getElementById("quiz-status");
const quizResults = document.getElementById("quiz-results");

let languageNames = null;
try {
  languageNames = new Intl.DisplayNames(["en"], { type: "language" });
} catch {
  languageNames = null;
}

// --- formatting -------------------------------------------------------------------------------------------

/** Cents per hour as people read a rate: 2000 -> "$20/h", 2250 -> "$22.50/h". */
export function formatRate(cents) {
  if (typeof cents !== "number" || !Number.isFinite(cents)) return "";
  const whole = cents % 100 === 0;
  return `$${whole ? String(cents / 100) : (cents / 100).toFixed(2)}/h`;
}

function languageName(code) {
  try {
    const name = languageNames?.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function formatDate(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? String(text ?? "") : date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

function formatHours(hours) {
  if (typeof hours !== "number" || !Number.isFinite(hours)) return null;
  if (hours < 1) return "under an hour of work";
  const rounded = hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours);
  return `about ${rounded} hour${rounded === 1 ? "" : "s"} of work`;
}

// --- field errors (the quiz and the filters) ------------------------------------------------------------------

function clearErrors(scope) {
  for (const message of scope.querySelectorAll(".field-error")) message.remove();
  for (const element of scope.querySelectorAll("[aria-invalid]")) {
    element.removeAttribute("aria-invalid");
    element.removeAttribute("aria-describedby");
  }
}

let errorCount = 0;

function markField(scope, field, message) {
  let candidate = field;
  let element = null;
  while (candidate) {
    element = scope.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
    if (element) break;
    const shorter = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (shorter === candidate) break;
    candidate = shorter;
  }
  if (!element) return false;
  errorCount += 1;
  const id = `jobs-err-${errorCount}`;
  element.setAttribute("aria-invalid", "true");
  element.setAttribute("aria-describedby", id);
  const note = make("span", { className: "field-error", id, "data-error-for": field }, message);
  const legend = element.tagName === "FIELDSET" ? element.querySelector(":scope > legend") : null;
  if (legend) legend.after(note);
  else if (element.tagName === "FIELDSET") element.prepend(note);
  else if (element.closest("label")) element.closest("label").append(note);
  else element.after(note);
  return true;
}

function showProblem(scope, status, error) {
  const problem = error instanceof ApiError ? error.problem : null;
  const named = problem?.errors?.length ? problem.errors : problem?.field ? [{ field: problem.field, message: problem.detail || problem.title }] : [];
  const unplaced = named.filter((item) => !markField(scope, item.field, item.message));
  if (!named.length || unplaced.length) {
    showStatus(status, unplaced.length ? unplaced.map((item) => `${item.field}: ${item.message}`).join("\n") : describeProblem(error), "error");
  } else {
    showStatus(status, named.length === 1 ? "Please correct the marked field." : `Please correct the ${named.length} marked fields.`, "error");
  }
}

// --- listings ---------------------------------------------------------------------------------------------

function fact(term, value) {
  const wrapper = make("div", { className: "listing-fact" });
  wrapper.append(make("dt", {}, term));
  const detail = make("dd", {});
  if (value instanceof Node) detail.append(value);
  else detail.textContent = value;
  wrapper.append(detail);
  return wrapper;
}

function card(listing, signedIn) {
  const article = make("article", { className: "listing-card", "data-id": listing.id });
  const head = make("header", { className: "listing-head" });
  head.append(make("h3", { className: "listing-title" }, listing.title || "Untitled project"));
  const rate = make("p", { className: "listing-rate" }, listing.rate_cents === null || listing.rate_cents === undefined ? "Rate on request" : formatRate(listing.rate_cents));
  if (listing.rate_cents === null || listing.rate_cents === undefined) rate.classList.add("muted");
  head.append(rate);
  article.append(head);

  const tracks = Array.isArray(listing.tracks) ? listing.tracks : [];
  const tags = make("p", { className: "listing-tracks" });
  if (tracks.length) {
    for (const track of tracks) tags.append(make("span", { className: "listing-track", "data-track": track.id }, track.name || track.id));
  } else {
    tags.append(make("span", { className: "listing-track" }, listing.family ? listing.family : "Open to all qualified workers"));
  }
  article.append(tags);
  if (listing.description) article.append(make("p", { className: "listing-description" }, listing.description));

  const facts = make("dl", { className: "listing-facts" });
  const qualifications = Array.isArray(listing.qualifications) ? listing.qualifications : [];
  if (qualifications.length) {
    const items = make("ul", { className: "listing-qualifications" });
    for (const text of qualifications) items.append(make("li", {}, text));
    facts.append(fact("Eligibility", items));
  }
  const languages = Array.isArray(listing.languages) ? listing.languages : [];
  if (languages.length) {
    const text = languages
      .map((item) => `${languageName(item.code)}${item.min_level ? ` at ${LEVELS[item.min_level] ?? item.min_level} or better` : ""}`)
      .join("; ");
    facts.append(fact("Languages", text));
  }
  const countries = Array.isArray(listing.countries) ? listing.countries : [];
  facts.append(fact("Where", countries.length ? countries.join(", ") : "Anywhere"));
  const hours = formatHours(listing.expected_hours);
  if (hours) facts.append(fact("Expected", hours));
  if (Number.isFinite(listing.tasks_left)) facts.append(fact("Tasks left", String(listing.tasks_left)));
  if (listing.updated_at) {
    facts.append(fact("Updated", make("time", { datetime: listing.updated_at }, formatDate(listing.updated_at))));
  }
  article.append(facts);
  const action = make("p", { className: "listing-action" });
  action.append(
    signedIn
      ? make("a", { className: "button", href: "/dashboard" }, "See it on your dashboard")
      : make("a", { className: "button primary listing-apply", href: "/apply" }, "Apply to work on it"),
  );
  article.append(action);
  return article;
}

/** The filters as query parameters of GET /api/v1/listings (empty ones left out); null with errors marked. */
function filterQuery() {
  const query = new URLSearchParams();
  const track = filters.elements.namedItem("track").value;
  if (track) query.set("track", track);
  const profession = filters.elements.namedItem("profession").value;
  if (profession) query.set("profession", profession);
  const language = filters.elements.namedItem("language").value.trim().toLowerCase();
  if (language) query.set("language", language);
  const pay = filters.elements.namedItem("min_rate");
  if (pay.validity.badInput || (pay.value !== "" && !(Number(pay.value) >= 0))) {
    pay.setAttribute("aria-invalid", "true");
    showStatus(listStatus, "Minimum pay must be a number of dollars per hour, 0 or more.", "error");
    return null;
  }
  pay.removeAttribute("aria-invalid");
  if (pay.value !== "") query.set("min_rate_cents", String(Math.round(Number(pay.value) * 100)));
  return query;
}

/** Sets the filter inputs from the page's address (so a filtered board can be shared and reloaded). */
function filtersFromAddress() {
  const params = new URLSearchParams(window.location.search);
  for (const name of ["track", "profession", "language"]) {
    const value = params.get(name);
    if (value === null) continue;
    const input = filters.elements.namedItem(name);
    if (input.tagName === "SELECT" && ![...input.options].some((item) => item.value === value)) {
      input.append(make("option", { value }, value));
    }
    input.value = value;
  }
  const cents = params.get("min_rate_cents");
  if (cents !== null && cents !== "" && Number.isFinite(Number(cents))) {
    filters.elements.namedItem("min_rate").value = String(Number(cents) / 100);
  }
}

let loads = 0;

async function loadListings({ remember = true } = {}) {
  const query = filterQuery();
  if (!query) return;
  // Only the latest request may render: an earlier one that answers late must not overwrite it.
  loads += 1;
  const load = loads;
  if (remember) {
    const address = `${window.location.pathname}${query.toString() ? `?${query}` : ""}`;
    window.history.replaceState(null, "", address);
  }
  list.setAttribute("aria-busy", "true");
  showStatus(listStatus, "Loading…");
  try {
    const result = await api("GET", `/api/v1/listings${query.toString() ? `?${query}` : ""}`);
    if (load !== loads) return;
    const listings = Array.isArray(result?.listings) ? result.listings : [];
    const signedIn = root.dataset.signedIn === "true";
    list.replaceChildren(...listings.map((listing) => card(listing, signedIn)));
    if (!listings.length) {
      list.append(
        make("p", { className: "muted jobs-empty" }, query.toString() ? "No open work matches these filters." : "No open work is listed right now."),
      );
    }
    showStatus(listStatus, `${listings.length} listing${listings.length === 1 ? "" : "s"}${query.toString() ? " match" : ""}.`);
  } catch (error) {
    if (load !== loads) return;
    list.replaceChildren();
    showStatus(listStatus, describeProblem(error), "error");
  } finally {
    if (load === loads) {
      list.removeAttribute("aria-busy");
      list.dataset.loaded = "true";
    }
  }
}

async function loadTracks() {
  const select = filters.elements.namedItem("track");
  try {
    const result = await api("GET", "/api/v1/tracks");
    for (const track of Array.isArray(result?.tracks) ? result.tracks : []) {
      if ([...select.options].some((item) => item.value === track.id)) continue;
      const label = Number.isFinite(track.base_rate_cents) ? `${track.name} (from ${formatRate(track.base_rate_cents)})` : track.name;
      select.append(make("option", { value: track.id }, label));
    }
  } catch {
    // The board works without the track names: the filter then offers only "Any track".
  }
}

function fillLanguageCodes() {
  const datalist = document.getElementById("jobs-language-codes");
  for (const code of ["ar", "de", "en", "es", "fr", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr", "uk", "zh"]) {
    datalist.append(make("option", { value: code, label: languageName(code) }));
  }
}

// --- the quiz -----------------------------------------------------------------------------------------------

function splitList(text, lower = false) {
  return text
    .split(",")
    .map((item) => (lower ? item.trim().toLowerCase() : item.trim()))
    .filter((item, index, all) => item && all.indexOf(item) === index);
}

function quizAnswers() {
  const elements = quizForm.elements;
  const checked = (name) => [...quizForm.querySelectorAll(`input[name=${name}]:checked`)].map((input) => input.value);
  const years = elements.namedItem("years_experience");
  return {
    fields: [...new Set([...checked("fields"), ...splitList(elements.namedItem("other_fields").value)])],
    degree: elements.namedItem("degree").value || null,
    years_experience: years.value.trim() === "" ? 0 : Number(years.value),
    languages: splitList(elements.namedItem("languages").value, true),
    programming: elements.namedItem("programming").checked,
    credentials: checked("credentials"),
  };
}

function suggestionCard(suggestion) {
  const fits = suggestion.fits === true;
  const item = make("li", { className: `quiz-track ${fits ? "fits" : "not-yet"}`, "data-track": suggestion.track, "data-fits": String(fits) });
  const head = make("div", { className: "quiz-track-head" });
  head.append(make("strong", { className: "quiz-track-name" }, suggestion.name || suggestion.track));
  if (Number.isFinite(suggestion.base_rate_cents)) head.append(make("span", { className: "quiz-rate" }, `from ${formatRate(suggestion.base_rate_cents)}`));
  head.append(make("span", { className: `status ${fits ? "status-open" : ""}` }, fits ? "fits you" : "not yet"));
  item.append(head);
  const reasons = Array.isArray(suggestion.reasons) ? suggestion.reasons : [];
  if (reasons.length) {
    const why = make("ul", { className: "quiz-reasons" });
    for (const reason of reasons) why.append(make("li", {}, reason));
    item.append(why);
  }
  const assessments = Array.isArray(suggestion.assessments) ? suggestion.assessments : [];
  if (assessments.length) {
    item.append(make("p", { className: "muted quiz-assessments" }, `Unlocked by: ${assessments.map((item) => item.title || item.id).join(", ")}`));
  }
  if (fits) {
    const path = suggestion.track === "coding" ? "?path=coding" : "";
    item.append(make("a", { className: "button primary quiz-apply", href: `/apply${path}` }, "Apply"));
  }
  return item;
}

function renderSuggestions(tracks) {
  quizResults.replaceChildren();
  const fitting = tracks.filter((track) => track.fits === true);
  const others = tracks.filter((track) => track.fits !== true);
  quizResults.append(make("h3", {}, fitting.length ? "Tracks that fit you" : "No track fits these answers yet"));
  if (fitting.length) {
    const fitList = make("ul", { className: "quiz-list", id: "quiz-fits" });
    fitList.append(...fitting.map(suggestionCard));
    quizResults.append(fitList);
  }
  if (others.length) {
    const details = make("details", { className: "quiz-others" });
    details.append(make("summary", {}, `Other tracks (${others.length}) and what they need`));
    const otherList = make("ul", { className: "quiz-list", id: "quiz-others" });
    otherList.append(...others.map(suggestionCard));
    details.append(otherList);
    quizResults.append(details);
  }
  const apply = make("p", { className: "quiz-next" });
  apply.append(make("a", { className: "button", href: "/apply", id: "quiz-apply-link" }, "Start your application"));
  quizResults.append(apply);
}

async function runQuiz(event) {
  event.preventDefault();
  clearErrors(quizForm);
  const years = quizForm.elements.namedItem("years_experience");
  if (years.validity.badInput) {
    markField(quizForm, "years_experience", "must be a whole number");
    showStatus(quizStatus, "Please correct the marked field.", "error");
    return;
  }
  const button = document.getElementById("quiz-submit");
  button.disabled = true;
  showStatus(quizStatus, "Matching…");
  try {
    const result = await api("POST", "/api/v1/listings/quiz", quizAnswers());
    renderSuggestions(Array.isArray(result?.tracks) ? result.tracks : []);
    showStatus(quizStatus, "");
  } catch (error) {
    showProblem(quizForm, quizStatus, error);
  } finally {
    button.disabled = false;
  }
}

// --- start --------------------------------------------------------------------------------------------------

async function start() {
  fillLanguageCodes();
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    loadListings();
  });
  for (const name of ["track", "profession"]) {
    filters.elements.namedItem(name).addEventListener("change", () => loadListings());
  }
  document.getElementById("jobs-clear").addEventListener("click", () => {
    filters.reset();
    loadListings();
  });
  quizForm.addEventListener("submit", runQuiz);
  await loadTracks();
  filtersFromAddress();
  await loadListings({ remember: false });
}

if (root && filters && quizForm) start();
