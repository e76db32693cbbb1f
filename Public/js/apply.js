// The application form. A visitor's first save creates the account (POST /api/v1/applications, which also
// signs the browser in, so a reload continues the draft); later saves update the draft (PUT
// /api/v1/me/application), and "Submit application" saves and then submits it for assessment. Credentials
// (a document with type, issuer, number, year and expiry) can be uploaded once the account exists.
// Everything shown from the API is text, never HTML; 422 errors are shown next to the inputs they name.

import { api, ApiError, describeProblem } from "./api.js";
import { make, showStatus } from "./dom.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DEGREES = [
  ["high_school", "High school"],
  ["associate", "Associate degree"],
  ["bachelor", "Bachelor's degree"],
  ["master", "Master's degree"],
  ["professional", "Professional degree (JD, MD…)"],
  ["phd", "PhD"],
];
const PROFICIENCIES = [
  ["basic", "Basic"],
  ["professional", "Professional"],
  ["fluent", "Fluent"],
  ["native", "Native"],
];
const STATUS_TEXT = {
  applicant: "Submitted: take the starter assessment for your path next.",
  assessing: "Assessing: your starter assessment is under way or being graded.",
  approved: "Approved: you can work on the projects that match you.",
  rejected: "Not approved this time.",
  suspended: "Suspended.",
};
const CREDENTIAL_STATUS = { pending: "waiting for verification", verified: "verified", rejected: "rejected" };

// ISO 3166-1 alpha-2 codes; the names come from the browser (Intl.DisplayNames).
const COUNTRIES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
  "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
  "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
  "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
  "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");
// Suggestions for the language code input; any code of the form en, de or pt-br is accepted.
const LANGUAGE_CODES = (
  "af am ar az be bg bn bs ca cs cy da de el en es et eu fa fi fil fr ga gl gu ha he hi hr hu hy id ig is it ja jv " +
  "ka kk km kn ko ky lo lt lv mk ml mn mr ms mt my nb ne nl no pa pl ps pt pt-br ro ru si sk sl so sq sr sv sw ta te " +
  "th tl tr uk ur uz vi xh yo zh zh-hans zh-hant zu"
).split(" ");

// The rows of each list: one input per member of the entry, in the order the profile names them.
const LISTS = {
  education: {
    add: "Add education",
    members: [
      { name: "degree", label: "Degree", kind: "select", options: DEGREES, placeholder: "Choose…" },
      { name: "field", label: "Field", kind: "text", maxlength: 200, placeholder: "e.g. Chemistry" },
      { name: "institution", label: "Institution", kind: "text", maxlength: 200 },
      { name: "year", label: "Year", kind: "number", min: 1950, max: 2100 },
    ],
  },
  experience: {
    members: [
      { name: "field", label: "Field", kind: "text", maxlength: 200, placeholder: "e.g. Corporate law" },
      { name: "years", label: "Years", kind: "number", min: 0, max: 60 },
    ],
  },
  languages: {
    members: [
      { name: "code", label: "Language", kind: "text", maxlength: 35, list: "apply-language-codes", placeholder: "e.g. en" },
      { name: "proficiency", label: "Proficiency", kind: "select", options: PROFICIENCIES, placeholder: "Choose…" },
    ],
  },
  programming: {
    members: [
      { name: "language", label: "Language", kind: "text", maxlength: 200, placeholder: "e.g. Python" },
      { name: "years", label: "Years", kind: "number", min: 0, max: 60 },
    ],
  },
};

const root = document.getElementById("apply-root");
const form = document.getElementById("apply-form");
const statusLine = document.getElementById("apply-status");
const errorList = document.getElementById("apply-errors");
const submittedPanel = document.getElementById("apply-submitted");
const credentialsSection = document.getElementById("apply-credentials");
const credentialForm = document.getElementById("credential-form");
const credentialStatus = document.getElementById("credential-status");
const credentialList = document.getElementById("credential-list");

const state = {
  accountExists: root?.dataset.signedIn === "true",
  // The API token from creating the account: this page has no CSRF token for the new session until it is
  // reloaded, so its later calls authenticate with the token instead. Kept in memory only.
  bearer: null,
  busy: false,
  submitted: false,
};

// --- requests ------------------------------------------------------------------------------------------

/** `api()` from api.js, or the same request with the account's bearer token right after sign-up. */
async function call(method, path, body) {
  if (!state.bearer) return api(method, path, body);
  const headers = { Accept: "application/json", Authorization: `Bearer ${state.bearer}` };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// --- status and field errors -----------------------------------------------------------------------------

/** Removes every error mark inside `scope` (and the page's list of unplaced errors for the main form). */
function clearErrors(scope) {
  for (const message of scope.querySelectorAll(".field-error")) message.remove();
  for (const element of scope.querySelectorAll("[aria-invalid]")) {
    element.removeAttribute("aria-invalid");
    const ids = (element.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("err-"));
    if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
    else element.removeAttribute("aria-describedby");
  }
  if (scope === form) {
    errorList.replaceChildren();
    errorList.hidden = true;
  }
}

/** The element whose `data-field` names `path`, or the nearest enclosing path's element ("a.b[2].c" -> "a.b[2]" -> "a.b"). */
function fieldElement(scope, path) {
  let candidate = path;
  while (candidate) {
    const element = scope.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
    if (element) return element;
    const shorter = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (shorter === candidate) break;
    candidate = shorter;
  }
  return null;
}

let errorCount = 0;

/** Marks the element named by `field` with `message`: aria-invalid plus a message beside it. False when no element fits. */
function markField(scope, field, message) {
  const paths = scope === form && !/^(name|email|password|profile)\b/.test(field) ? [`profile.${field}`, field] : [field];
  let element = null;
  for (const path of paths) {
    element = fieldElement(scope, path);
    if (element) break;
  }
  if (!element) return false;
  errorCount += 1;
  const id = `err-${errorCount}`;
  const note = make("span", { className: "field-error", id, "data-error-for": field }, message);
  element.setAttribute("aria-invalid", "true");
  const described = element.getAttribute("aria-describedby");
  element.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
  if (element.tagName === "FIELDSET") {
    const legend = element.querySelector(":scope > legend");
    if (legend) legend.after(note);
    else element.prepend(note);
  } else {
    const label = element.closest("label");
    if (label) label.append(note);
    else element.after(note);
  }
  return true;
}

/** Shows an API error: each named field marked in `scope`, the rest (and the summary) in the status line. */
function showProblem(scope, status, error) {
  const problem = error instanceof ApiError ? error.problem : null;
  const named = problem?.errors?.length
    ? problem.errors
    : problem?.field
      ? [{ field: problem.field, message: problem.detail || problem.title }]
      : [];
  if (!named.length) {
    showStatus(status, describeProblem(error), "error");
    return;
  }
  const unplaced = named.filter((item) => !markField(scope, item.field, item.message));
  if (scope === form) {
    for (const item of unplaced) errorList.append(make("li", {}, `${item.field}: ${item.message}`));
    errorList.hidden = unplaced.length === 0;
  } else if (unplaced.length) {
    const list = make("ul", { className: "errors field-error" });
    for (const item of unplaced) list.append(make("li", {}, `${item.field}: ${item.message}`));
    status.after(list);
  }
  const count = named.length;
  showStatus(status, `Please correct ${count === 1 ? "the marked field" : `the ${count} marked fields`}.`, "error");
  const first = scope.querySelector("[aria-invalid=true]");
  if (first && typeof first.focus === "function" && first.tagName !== "FIELDSET") first.focus();
}

// --- building the form -------------------------------------------------------------------------------------

function option(value, label) {
  return make("option", { value }, label);
}

function fillCountries() {
  const select = form.elements.namedItem("country");
  let names = null;
  try {
    names = new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    names = null;
  }
  const entries = COUNTRIES.map((code) => {
    let name = code;
    try {
      name = names?.of(code) ?? code;
    } catch {
      name = code;
    }
    return [code, name];
  }).sort((a, b) => a[1].localeCompare(b[1]));
  for (const [code, name] of entries) select.append(option(code, name === code ? code : `${name} (${code})`));
}

function setCountry(code) {
  const select = form.elements.namedItem("country");
  const value = (code || "").toUpperCase();
  if (value && ![...select.options].some((item) => item.value === value)) select.append(option(value, value));
  select.value = value;
}

function fillTimeZones() {
  const list = document.getElementById("apply-time-zones");
  let zones = [];
  try {
    zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  } catch {
    zones = [];
  }
  for (const zone of zones) list.append(make("option", { value: zone }));
}

function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

function fillLanguageCodes() {
  const list = document.getElementById("apply-language-codes");
  let names = null;
  try {
    names = new Intl.DisplayNames(["en"], { type: "language" });
  } catch {
    names = null;
  }
  for (const code of LANGUAGE_CODES) {
    let label = "";
    try {
      label = names?.of(code) ?? "";
    } catch {
      label = "";
    }
    list.append(make("option", { value: code, label: label || undefined }));
  }
}

function listSection(list) {
  return form.querySelector(`fieldset[data-list="${list}"]`);
}

/** One row of a list: an input per member and a Remove button. */
function addRow(list, entry = {}) {
  const spec = LISTS[list];
  const row = make("div", { className: "apply-row", "data-list": list });
  for (const member of spec.members) {
    const label = make("label", { className: `apply-cell apply-cell-${member.name}` }, member.label);
    let input;
    if (member.kind === "select") {
      input = make("select", { "data-member": member.name });
      input.append(option("", member.placeholder ?? ""));
      for (const [value, text] of member.options) input.append(option(value, text));
      const value = entry[member.name];
      if (typeof value === "string" && value) {
        if (!member.options.some(([known]) => known === value)) input.append(option(value, value));
        input.value = value;
      }
    } else {
      input = make("input", {
        type: member.kind === "number" ? "number" : "text",
        "data-member": member.name,
        maxlength: member.maxlength,
        min: member.min,
        max: member.max,
        step: member.kind === "number" ? 1 : undefined,
        list: member.list,
        placeholder: member.placeholder,
        autocomplete: "off",
      });
      const value = entry[member.name];
      if (value !== undefined && value !== null) input.value = String(value);
    }
    label.append(input);
    row.append(label);
  }
  const remove = make("button", { type: "button", className: "apply-remove", "aria-label": `Remove this ${list} entry` }, "Remove");
  remove.addEventListener("click", () => {
    row.remove();
    numberRows(list);
  });
  row.append(remove);
  listSection(list).querySelector(".apply-rows").append(row);
  numberRows(list);
  return row;
}

function rows(list) {
  return [...listSection(list).querySelectorAll(".apply-row")];
}

function isBlank(row) {
  return [...row.querySelectorAll("[data-member]")].every((input) => input.value.trim() === "" && !input.validity?.badInput);
}

/**
 * Points each row's inputs at the path its entry will have in the request: blank rows are not sent, so the
 * entries after them move up, and an error about `profile.education[1].year` lands on the row that sent it.
 */
function numberRows(list) {
  let index = 0;
  for (const row of rows(list)) {
    const blank = isBlank(row);
    row.dataset.field = blank ? "" : `profile.${list}[${index}]`;
    for (const input of row.querySelectorAll("[data-member]")) {
      if (blank) input.removeAttribute("data-field");
      else input.dataset.field = `profile.${list}[${index}].${input.dataset.member}`;
    }
    if (!blank) index += 1;
  }
}

function setRows(list, entries) {
  for (const row of rows(list)) row.remove();
  for (const entry of Array.isArray(entries) ? entries : []) addRow(list, entry && typeof entry === "object" ? entry : {});
  if (rows(list).length === 0 && (list === "education" || list === "languages")) addRow(list);
}

// --- reading and filling the form ---------------------------------------------------------------------------

/** Numbers typed that the browser could not read: reported before anything is sent. */
function badNumbers(scope) {
  return [...scope.querySelectorAll("input[type=number]")].filter((input) => input.validity.badInput);
}

function numberValue(input) {
  const text = input.value.trim();
  return text === "" ? undefined : Number(text);
}

function collectList(list) {
  numberRows(list);
  const entries = [];
  for (const row of rows(list)) {
    if (isBlank(row)) continue;
    const entry = {};
    for (const input of row.querySelectorAll("[data-member]")) {
      const name = input.dataset.member;
      if (input.type === "number") {
        const value = numberValue(input);
        if (value !== undefined) entry[name] = value;
      } else {
        let value = input.value.trim();
        if (list === "languages" && name === "code") value = value.toLowerCase();
        if (value) entry[name] = value;
      }
    }
    entries.push(entry);
  }
  return entries;
}

/** The profile as the form shows it; members left empty are left out (a draft may be partial). */
function collectProfile() {
  const profile = {};
  const country = form.elements.namedItem("country").value.trim().toUpperCase();
  if (country) profile.country = country;
  const zone = form.elements.namedItem("time_zone").value.trim();
  if (zone) profile.time_zone = zone;
  const availability = {};
  const hours = numberValue(form.elements.namedItem("hours_per_week"));
  if (hours !== undefined) availability.hours_per_week = hours;
  availability.days = DAYS.filter((day) => form.querySelector(`input[name=days][value=${day}]`)?.checked);
  profile.availability = availability;
  for (const list of Object.keys(LISTS)) profile[list] = collectList(list);
  const path = form.querySelector("input[name=path]:checked")?.value;
  if (path) profile.path = path;
  return profile;
}

function fillProfile(profile) {
  const data = profile && typeof profile === "object" ? profile : {};
  setCountry(typeof data.country === "string" ? data.country : "");
  const zone = form.elements.namedItem("time_zone");
  zone.value = typeof data.time_zone === "string" && data.time_zone ? data.time_zone : zone.value || browserTimeZone();
  const availability = data.availability && typeof data.availability === "object" ? data.availability : {};
  const hours = form.elements.namedItem("hours_per_week");
  hours.value = Number.isFinite(availability.hours_per_week) ? String(availability.hours_per_week) : "";
  const days = Array.isArray(availability.days) ? availability.days : [];
  for (const box of form.querySelectorAll("input[name=days]")) box.checked = days.includes(box.value);
  for (const list of Object.keys(LISTS)) setRows(list, data[list]);
  for (const radio of form.querySelectorAll("input[name=path]")) radio.checked = radio.value === data.path;
}

// --- the account and the submitted state --------------------------------------------------------------------

function formatDate(text) {
  if (!text) return "";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? String(text) : date.toLocaleString();
}

/** After the account exists: no e-mail or password inputs, who is signed in, and the credentials section. */
function showAccount(application) {
  state.accountExists = true;
  document.getElementById("apply-new-account").hidden = true;
  const who = document.getElementById("apply-signed-in");
  if (application) {
    who.textContent = `Signed in as ${application.name || "(no name yet)"} <${application.email || ""}>`;
    who.hidden = false;
    const name = form.elements.namedItem("name");
    if (typeof application.name === "string") name.value = application.name;
  }
  credentialsSection.hidden = false;
}

function showSubmitted(application) {
  state.submitted = true;
  form.hidden = true;
  const status = application.status || "applicant";
  const panel = submittedPanel;
  panel.replaceChildren();
  panel.append(make("h2", {}, application.submitted_at ? "Application submitted" : "Your application"));
  const line = make("p", { className: "apply-state" });
  line.append("Status: ", make("span", { className: `status status-${status}`, "data-status": status }, status));
  if (application.submitted_at) line.append(` · submitted ${formatDate(application.submitted_at)}`);
  panel.append(line);
  panel.append(make("p", {}, STATUS_TEXT[status] ?? ""));
  const next = make("p", { className: "apply-next" });
  if (status === "approved") {
    next.append(make("a", { className: "button primary", href: "/dashboard", id: "apply-next" }, "Go to your dashboard"));
  } else if (status === "applicant" || status === "assessing") {
    next.append(make("a", { className: "button primary", href: "/assessments", id: "apply-next" }, "Go to your assessments"));
  }
  panel.append(next);
  const history = Array.isArray(application.history) ? application.history : [];
  if (history.length) {
    const list = make("ol", { className: "apply-history" });
    for (const entry of history) {
      const by = entry.by ? ` by ${entry.by}` : "";
      const reason = entry.reason ? `: ${entry.reason}` : "";
      list.append(make("li", {}, `${formatDate(entry.at)} · ${entry.from ?? "new"} → ${entry.to}${by}${reason}`));
    }
    panel.append(make("h3", {}, "History"), list);
  }
  panel.hidden = false;
}

// --- credentials ------------------------------------------------------------------------------------------

function formatSize(bytes) {
  if (!Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function renderCredentials(credentials) {
  credentialList.replaceChildren();
  const items = Array.isArray(credentials) ? credentials : [];
  if (!items.length) {
    credentialList.append(make("li", { className: "muted empty" }, "No credentials uploaded yet."));
    return;
  }
  for (const credential of items) {
    const item = make("li", { className: "credential", "data-id": credential.id, "data-status": credential.status });
    item.append(make("strong", { className: "credential-type" }, credential.type));
    const parts = [credential.issuer, credential.number ? `no. ${credential.number}` : "", credential.year ? String(credential.year) : ""]
      .filter(Boolean)
      .join(" · ");
    item.append(" ", make("span", { className: "credential-detail" }, parts));
    if (credential.expires_on) item.append(" ", make("span", { className: "muted" }, `expires ${credential.expires_on}`));
    const status = credential.status || "pending";
    item.append(" ", make("span", { className: `status status-${status}` }, CREDENTIAL_STATUS[status] ?? status));
    if (credential.document) {
      const link = make(
        "a",
        { href: `/api/v1/credentials/${encodeURIComponent(credential.id)}/document`, className: "credential-document" },
        `${credential.document.name} (${formatSize(credential.document.size)})`,
      );
      item.append(" ", link);
    }
    if (credential.note) item.append(make("p", { className: "muted credential-note" }, credential.note));
    credentialList.append(item);
  }
}

async function loadCredentials() {
  const result = await call("GET", "/api/v1/me/credentials");
  renderCredentials(result?.credentials);
}

async function uploadCredential(event) {
  event.preventDefault();
  clearErrors(credentialForm);
  const bad = badNumbers(credentialForm);
  if (bad.length) {
    for (const input of bad) markField(credentialForm, input.dataset.field, "must be a number");
    showStatus(credentialStatus, "Please correct the marked field.", "error");
    return;
  }
  const data = new FormData();
  for (const name of ["type", "issuer", "number", "year", "expires_on"]) {
    const value = credentialForm.elements.namedItem(name).value.trim();
    if (value) data.append(name, value);
  }
  const file = credentialForm.elements.namedItem("document").files?.[0];
  if (file) data.append("document", file, file.name);
  const button = document.getElementById("credential-upload");
  button.disabled = true;
  showStatus(credentialStatus, "Uploading…");
  try {
    await call("POST", "/api/v1/me/credentials", data);
    credentialForm.reset();
    await loadCredentials().catch(() => {});
    showStatus(credentialStatus, "Credential uploaded: an admin will verify it.", "ok");
  } catch (error) {
    showProblem(credentialForm, credentialStatus, error);
  } finally {
    button.disabled = false;
  }
}

// --- saving and submitting -----------------------------------------------------------------------------------

/** Creates the account with the draft (first time) or saves the draft; returns the application. */
async function save() {
  const profile = collectProfile();
  const name = form.elements.namedItem("name").value.trim();
  if (!state.accountExists) {
    const body = {
      name,
      email: form.elements.namedItem("email").value.trim(),
      password: form.elements.namedItem("password").value,
      profile,
    };
    const created = await call("POST", "/api/v1/applications", body);
    state.bearer = typeof created?.token === "string" ? created.token : null;
    form.elements.namedItem("password").value = "";
    showAccount(created?.application);
    await loadCredentials().catch(() => renderCredentials(created?.application?.credentials));
    return created?.application;
  }
  const body = { profile };
  if (name) body.name = name;
  const application = await call("PUT", "/api/v1/me/application", body);
  showAccount(application);
  return application;
}

async function run(action) {
  if (state.busy) return;
  clearErrors(form);
  const bad = badNumbers(form);
  if (bad.length) {
    for (const list of Object.keys(LISTS)) numberRows(list);
    for (const input of bad) markField(form, input.dataset.field || input.name, "must be a number");
    showStatus(statusLine, bad.length === 1 ? "Please correct the marked field." : `Please correct the ${bad.length} marked fields.`, "error");
    return;
  }
  state.busy = true;
  const buttons = [document.getElementById("apply-save"), document.getElementById("apply-submit")];
  for (const button of buttons) button.disabled = true;
  showStatus(statusLine, action === "submit" ? "Submitting…" : "Saving…");
  try {
    await save();
    if (action === "submit") {
      const application = await call("POST", "/api/v1/me/application/submit");
      showSubmitted(application);
      showStatus(statusLine, "Application submitted.", "ok");
    } else {
      showStatus(statusLine, `Draft saved at ${new Date().toLocaleTimeString()}. You can come back to it any time.`, "ok");
    }
  } catch (error) {
    showProblem(form, statusLine, error);
  } finally {
    state.busy = false;
    for (const button of buttons) button.disabled = false;
  }
}

// --- start --------------------------------------------------------------------------------------------------

async function start() {
  fillCountries();
  fillTimeZones();
  fillLanguageCodes();
  form.elements.namedItem("time_zone").value = browserTimeZone();
  setRows("education", []);
  setRows("languages", []);
  for (const button of form.querySelectorAll("button[data-add]")) {
    button.addEventListener("click", () => {
      const row = addRow(button.dataset.add);
      row.querySelector("[data-member]")?.focus();
    });
  }
  // Blank rows are not sent: renumber as rows fill or empty.
  form.addEventListener("input", (event) => {
    const row = event.target.closest?.(".apply-row");
    if (row) numberRows(row.dataset.list);
  });
  document.getElementById("apply-save").addEventListener("click", () => run("save"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run("submit");
  });
  credentialForm.addEventListener("submit", uploadCredential);

  if (state.accountExists) {
    showStatus(statusLine, "Loading your application…");
    try {
      const application = await call("GET", "/api/v1/me/application");
      fillProfile(application.profile);
      showAccount(application);
      renderCredentials(application.credentials);
      if (application.submitted_at || (application.status && application.status !== "applicant")) showSubmitted(application);
      showStatus(statusLine, application.submitted_at ? "" : "Your saved draft is loaded.");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        // An account without an application yet: the first save creates it.
        showAccount(null);
        await loadCredentials().catch(() => renderCredentials([]));
        showStatus(statusLine, "");
      } else {
        showStatus(statusLine, describeProblem(error), "error");
      }
    }
  }
  // A link from the job board's quiz may suggest the path; a saved choice wins.
  const suggested = new URLSearchParams(window.location.search).get("path");
  if (!form.querySelector("input[name=path]:checked") && (suggested === "general" || suggested === "coding")) {
    const radio = form.querySelector(`input[name=path][value=${suggested}]`);
    if (radio) radio.checked = true;
  }
  form.dataset.loaded = "true";
}

if (root && form) start();
