// The "Workforce" panel of a requester's project page: who may work on the project (tracks, languages,
// countries, preferences), what it pays, how long a task takes, how it is listed on the public job board,
// and how many qualified workers it reaches. Fills <section id="workforce-panel" data-project-id="...">.

import { api, describeProblem } from "./api.js";
import { clearFieldErrors, make, markProblem, showStatus as show } from "./dom.js";

const LEVELS = ["basic", "professional", "fluent", "native"];

// --- small helpers: text only -----------------------------------------------------------------------------

/** Dollars from integer cents: 4000 -> "$40.00". */
export function formatDollars(cents) {
  if (typeof cents !== "number" || !Number.isFinite(cents)) return "—";
  return `$${(cents / 100).toFixed(2)}`;
}

/** Cents from a dollar amount ("45", "45.5", "$45.50"); null when empty, NaN when not an amount. */
export function parseDollars(text) {
  const cleaned = String(text ?? "").trim().replace(/^\$/, "").replace(/,/g, "");
  if (cleaned === "") return null;
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return NaN;
  return Math.round(Number(cleaned) * 100);
}

/** A comma-separated list as trimmed, non-empty, distinct entries. */
export function splitList(text, { upper = false } = {}) {
  const items = String(text ?? "").split(",").map((item) => item.trim()).filter(Boolean).map((item) => (upper ? item.toUpperCase() : item));
  return [...new Set(items)];
}

/** The reach as a sentence: "12 qualified workers, 340 hours a week". */
export function describeReach(reach) {
  const workers = reach?.qualified_workers ?? 0;
  const hours = reach?.weekly_hours ?? 0;
  return `${workers} qualified worker${workers === 1 ? "" : "s"}, ${hours} hour${hours === 1 ? "" : "s"} a week`;
}

function labelled(caption, control, hint) {
  const label = make("label", {}, caption);
  if (hint) label.append(" ", make("small", { className: "muted" }, hint));
  label.append(control);
  return label;
}

function checkbox(caption, attributes, checked) {
  const input = make("input", { type: "checkbox", ...attributes });
  input.checked = Boolean(checked);
  const label = make("label", { className: "check" });
  label.append(input, " ", caption);
  return { label, input };
}

// --- the panel ---------------------------------------------------------------------------------------------

class WorkforcePanel {
  constructor(root) {
    this.root = root;
    this.projectId = root.dataset.projectId;
    this.tracks = [];
  }

  get base() {
    return `/api/v1/projects/${encodeURIComponent(this.projectId)}`;
  }

  async start() {
    this.root.replaceChildren(make("h2", {}, "Workforce"), make("p", { className: "muted" }, "Loading…"));
    const [project, tracks] = await Promise.all([api("GET", this.base), api("GET", "/api/v1/tracks")]);
    this.tracks = tracks?.tracks ?? [];
    this.render(project);
    await this.loadReach();
    this.root.dataset.loaded = "true";
  }

  render(project) {
    const requirements = project?.requirements ?? {};
    const listing = project?.listing ?? {};
    const form = make("form", { id: "workforce-form", className: "workforce-form", novalidate: true });

    // Required qualifications: any of / all of, as checkboxes per track.
    const anyOf = new Set(requirements.any_of ?? []);
    const allOf = new Set(requirements.all_of ?? []);
    const trackGroup = (key, legend, hint, selected) => {
      const fieldset = make("fieldset", { className: "track-group", id: `workforce-${key.replace("_", "-")}`, "data-field": `requirements.${key}` });
      fieldset.append(make("legend", {}, legend), make("p", { className: "muted hint" }, hint));
      const list = make("div", { className: "track-checks" });
      for (const track of this.tracks) {
        const { label } = checkbox(`${track.name} (${formatDollars(track.base_rate_cents)}/h)`,
          { name: key, value: track.id, "data-track": track.id, "data-family": track.family }, selected.has(track.id));
        label.title = track.eligibility_text ?? "";
        list.append(label);
      }
      fieldset.append(list);
      return fieldset;
    };
    const qualifications = make("div", { className: "workforce-part" });
    qualifications.append(
      make("h3", {}, "Who may work on it"),
      trackGroup("any_of", "Any of these tracks", "A worker needs at least one of them.", anyOf),
      trackGroup("all_of", "All of these tracks", "A worker needs every one of them.", allOf),
    );

    // Languages with a minimum level.
    this.languageRows = make("div", { className: "language-rows", id: "workforce-languages", "data-field": "requirements.languages" });
    const addLanguage = make("button", { type: "button", id: "workforce-add-language" }, "Add a language");
    addLanguage.addEventListener("click", () => {
      this.addLanguageRow({ code: "", min_level: "professional" });
      this.languageRows.lastElementChild?.querySelector("input")?.focus();
    });
    for (const language of requirements.languages ?? []) this.addLanguageRow(language);
    const languages = make("fieldset", { className: "languages" });
    languages.append(make("legend", {}, "Languages"), make("p", { className: "muted hint" }, "Each at the level given or better (codes such as en, de, pt-br)."),
      this.languageRows, addLanguage);

    const countries = make("input", {
      id: "workforce-countries", name: "countries", autocomplete: "off", placeholder: "anywhere",
      value: (requirements.countries ?? []).join(", "), "data-field": "requirements.countries",
    });
    qualifications.append(languages, labelled("Countries", countries, "(ISO codes, comma-separated; empty = anywhere)"));

    // Preferences: they count in the match score, they exclude nobody.
    const preferences = requirements.preferences ?? {};
    const preferredFields = make("input", { id: "workforce-pref-fields", name: "fields", autocomplete: "off",
      value: (preferences.fields ?? []).join(", "), "data-field": "requirements.preferences.fields" });
    const preferredCredentials = make("input", { id: "workforce-pref-credentials", name: "credentials", autocomplete: "off",
      value: (preferences.credentials ?? []).join(", "), "data-field": "requirements.preferences.credentials" });
    const minYears = make("input", { id: "workforce-pref-years", name: "min_years", type: "number", min: 0, max: 60, step: 1,
      value: preferences.min_years ?? undefined, "data-field": "requirements.preferences.min_years" });
    const minHours = make("input", { id: "workforce-pref-hours", name: "min_hours_per_week", type: "number", min: 0, max: 80, step: 1,
      value: preferences.min_hours_per_week ?? undefined, "data-field": "requirements.preferences.min_hours_per_week" });
    const prefs = make("fieldset", { className: "preferences" });
    prefs.append(make("legend", {}, "Preferences"), make("p", { className: "muted hint" }, "They raise a worker's match score; they exclude nobody."),
      labelled("Fields", preferredFields, "(comma-separated, e.g. organic chemistry, contract law)"),
      labelled("Credentials", preferredCredentials, "(comma-separated types, e.g. cfa)"),
      labelled("Years of experience", minYears), labelled("Hours a week", minHours));
    qualifications.append(prefs);

    // Pay and time.
    const rate = make("input", {
      id: "workforce-rate", name: "rate", type: "number", min: 0, step: "0.01", inputmode: "decimal",
      value: project?.rate_set && typeof project.rate_cents === "number" ? (project.rate_cents / 100).toFixed(2) : undefined,
      "data-field": "rate_cents",
    });
    this.rateHint = make("p", { id: "workforce-rate-minimum", className: "muted hint" });
    this.effectiveRate = make("p", { id: "workforce-rate-effective", className: "muted hint" },
      `Pays now: ${formatDollars(project?.rate_cents)} an hour${project?.rate_set ? "" : " (the tracks' base rate)"}.`);
    const minutes = make("input", {
      id: "workforce-minutes", name: "expected_minutes", type: "number", min: 0, step: "0.5", inputmode: "decimal",
      value: typeof project?.expected_seconds_per_task === "number" ? Math.round(project.expected_seconds_per_task / 6) / 10 : undefined,
      "data-field": "expected_seconds_per_task",
    });
    const pay = make("div", { className: "workforce-part" });
    pay.append(make("h3", {}, "Pay and time"), labelled("Rate (dollars per hour)", rate, "(empty = the base rate)"), this.rateHint, this.effectiveRate,
      labelled("Expected minutes per task", minutes));

    // Listing on the public job board.
    const listed = checkbox("List this project on the public job board", { id: "workforce-listed", name: "listed", "data-field": "listing.listed" }, listing.listed);
    const title = make("input", { id: "workforce-listing-title", name: "title", maxlength: 200, autocomplete: "off",
      value: listing.title ?? undefined, placeholder: project?.name ?? "", "data-field": "listing.title" });
    const description = make("textarea", { id: "workforce-listing-description", name: "description", rows: 3, maxlength: 2000,
      "data-field": "listing.description" });
    description.value = listing.description ?? "";
    const showRate = checkbox("Show the rate", { id: "workforce-show-rate", name: "show_rate", "data-field": "listing.show_rate" }, listing.show_rate ?? true);
    const showRequirements = checkbox("Show the requirements", { id: "workforce-show-requirements", name: "show_requirements",
      "data-field": "listing.show_requirements" }, listing.show_requirements ?? true);
    const listingPart = make("div", { className: "workforce-part" });
    listingPart.append(make("h3", {}, "Job board"), listed.label, labelled("Title", title, "(empty = the project's name)"),
      labelled("Description", description), showRate.label, showRequirements.label);

    const save = make("button", { type: "submit", className: "primary", id: "workforce-save" }, "Save workforce settings");
    const status = make("p", { id: "workforce-status", role: "status" });
    const errors = make("ul", { id: "workforce-errors", className: "errors", hidden: true });
    const actions = make("div", { className: "form-actions" });
    actions.append(save);
    form.append(qualifications, pay, listingPart, actions, status, errors);

    this.reach = make("p", { id: "workforce-reach", className: "workforce-reach", "aria-live": "polite" }, "Counting the workers it reaches…");
    const reachPart = make("div", { className: "workforce-part reach-part" });
    reachPart.append(make("h3", {}, "Reach"), this.reach);

    form.addEventListener("change", (event) => {
      if (event.target.matches('input[type="checkbox"][data-track]')) this.updateMinimum(form);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(form, { rate, minutes, countries, preferredFields, preferredCredentials, minYears, minHours, listed: listed.input,
        title, description, showRate: showRate.input, showRequirements: showRequirements.input, save, status, errors });
    });

    this.root.replaceChildren(
      make("h2", {}, "Workforce"),
      make("p", { className: "muted" }, "Who can work on this project, what it pays and how it is shown on the job board. Workers see only projects whose requirements they meet."),
      reachPart, form);
    this.updateMinimum(form);
  }

  addLanguageRow(language) {
    const index = this.languageRows.children.length;
    const row = make("div", { className: "language-row" });
    const code = make("input", { name: "language_code", maxlength: 20, autocomplete: "off", value: language.code ?? "",
      "aria-label": "Language code", placeholder: "de", "data-field": `requirements.languages[${index}].code` });
    const level = make("select", { name: "language_level", "aria-label": "Minimum level", "data-field": `requirements.languages[${index}].min_level` });
    for (const value of LEVELS) level.append(make("option", { value, selected: value === (language.min_level ?? "professional") }, `${value} or better`));
    const remove = make("button", { type: "button", className: "remove-language" }, "Remove");
    remove.addEventListener("click", () => {
      row.remove();
      this.renumberLanguages();
    });
    row.append(code, level, remove);
    this.languageRows.append(row);
  }

  renumberLanguages() {
    [...this.languageRows.children].forEach((row, index) => {
      row.querySelector('[name="language_code"]').dataset.field = `requirements.languages[${index}].code`;
      row.querySelector('[name="language_level"]').dataset.field = `requirements.languages[${index}].min_level`;
    });
  }

  selectedTracks(form, name) {
    return [...form.querySelectorAll(`input[type="checkbox"][name="${name}"]:checked`)].map((input) => input.value);
  }

  /** The least the project may pay: the highest base rate of the tracks it requires. */
  updateMinimum(form) {
    const selected = new Set([...this.selectedTracks(form, "any_of"), ...this.selectedTracks(form, "all_of")]);
    const tracks = this.tracks.filter((track) => selected.has(track.id));
    if (!tracks.length) {
      this.rateHint.textContent = "No minimum: no track is required.";
      this.rateHint.dataset.minimumCents = "0";
      return;
    }
    const highest = tracks.reduce((best, track) => (track.base_rate_cents > best.base_rate_cents ? track : best));
    this.rateHint.textContent = `Minimum: ${formatDollars(highest.base_rate_cents)} an hour (the base rate of ${highest.name}).`;
    this.rateHint.dataset.minimumCents = String(highest.base_rate_cents);
  }

  async save(form, inputs) {
    const { rate, minutes, countries, preferredFields, preferredCredentials, minYears, minHours, listed, title, description,
      showRate, showRequirements, save, status, errors } = inputs;
    clearFieldErrors(form);
    errors.hidden = true;
    errors.replaceChildren();
    let valid = true;

    const requirements = {};
    const anyOf = this.selectedTracks(form, "any_of");
    const allOf = this.selectedTracks(form, "all_of");
    if (anyOf.length) requirements.any_of = anyOf;
    if (allOf.length) requirements.all_of = allOf;
    const languages = [];
    for (const row of this.languageRows.children) {
      const code = row.querySelector('[name="language_code"]');
      const level = row.querySelector('[name="language_level"]');
      const value = code.value.trim().toLowerCase();
      if (!value) {
        markInvalid(code, "Give a language code, or remove the row.");
        valid = false;
        continue;
      }
      languages.push({ code: value, min_level: level.value });
    }
    if (languages.length) requirements.languages = languages;
    const countryList = splitList(countries.value, { upper: true });
    if (countryList.length) requirements.countries = countryList;
    const preferences = {};
    const fields = splitList(preferredFields.value);
    const credentials = splitList(preferredCredentials.value);
    if (fields.length) preferences.fields = fields;
    if (credentials.length) preferences.credentials = credentials;
    for (const [input, key, max] of [[minYears, "min_years", 60], [minHours, "min_hours_per_week", 80]]) {
      if (input.value.trim() === "") continue;
      const number = input.valueAsNumber;
      if (!Number.isInteger(number) || number < 0 || number > max) {
        markInvalid(input, `A whole number from 0 to ${max}.`);
        valid = false;
      } else {
        preferences[key] = number;
      }
    }
    if (Object.keys(preferences).length) requirements.preferences = preferences;

    const cents = parseDollars(rate.value);
    if (Number.isNaN(cents)) {
      markInvalid(rate, "Give an amount in dollars, such as 45 or 45.50 (or leave it empty for the base rate).");
      valid = false;
    }
    let seconds = null;
    if (minutes.value.trim() !== "") {
      const value = minutes.valueAsNumber;
      if (!Number.isFinite(value) || value <= 0) {
        markInvalid(minutes, "Minutes above zero, or empty when you do not know yet.");
        valid = false;
      } else {
        seconds = Math.round(value * 60);
      }
    }
    const listing = { listed: listed.checked, show_rate: showRate.checked, show_requirements: showRequirements.checked };
    if (title.value.trim()) listing.title = title.value.trim();
    if (description.value.trim()) listing.description = description.value.trim();

    if (!valid) {
      show(status, "Please correct the marked fields.", "error");
      return;
    }
    save.disabled = true;
    show(status, "Saving…");
    try {
      const project = await api("PATCH", this.base, {
        requirements, rate_cents: cents, expected_seconds_per_task: seconds, listing,
      });
      this.render(project);
      show(this.root.querySelector("#workforce-status"), "Saved.", "ok");
      await this.loadReach();
    } catch (error) {
      save.disabled = false;
      const left = markProblem(form, error);
      show(status, left.length || !error.problem?.errors?.length && !error.problem?.field ? describeProblem(error) : "Please correct the marked fields.", "error");
      for (const item of left) {
        const entry = make("li", { "data-field": item.field ?? "" });
        if (item.field) entry.append(make("code", {}, item.field), ": ");
        entry.append(item.message ?? "");
        errors.append(entry);
      }
      errors.hidden = left.length === 0;
    }
  }

  async loadReach() {
    const reach = this.reach;
    if (!reach) return;
    reach.removeAttribute("data-qualified");
    try {
      const result = await api("GET", `${this.base}/reach`);
      reach.textContent = describeReach(result);
      const close = result?.close_workers ?? 0;
      if (close) reach.append(make("span", { className: "muted close-workers" }, `; ${close} more ${close === 1 ? "is" : "are"} one qualification away`));
      reach.dataset.qualified = String(result?.qualified_workers ?? 0);
      reach.dataset.hours = String(result?.weekly_hours ?? 0);
      reach.dataset.close = String(close);
      reach.classList.remove("error");
    } catch (error) {
      reach.textContent = `The reach could not be counted: ${describeProblem(error)}`;
      reach.classList.add("error");
    }
  }
}

const root = document.getElementById("workforce-panel");
if (root?.dataset.projectId) {
  new WorkforcePanel(root).start().catch((error) => {
    root.append(make("p", { className: "error", role: "alert" }, describeProblem(error)));
  });
}
