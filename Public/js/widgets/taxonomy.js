// The `taxonomy` field: a search box over the project's taxonomy (terms found by name or synonym, or browsed
// from the roots down) and the chosen terms as chips.

import { api, ApiError, describeProblem } from "../api.js";
import { fieldCaption, setFieldValue } from "./field-helpers.js";

const debounceMs = 120;
const searchLimit = 20;
const browseLimit = 200; // the most the server lists of a term's children
const cacheSize = 200;
let widgetCount = 0; // element ids must be unique on the page

/** The terms of a value: one term, a list of them, or none. */
function termsOf(value) {
  if (Array.isArray(value)) return value.filter((term) => term && typeof term === "object");
  return value && typeof value === "object" ? [value] : [];
}

/** The names of a term from root to the term, or its id when the value holds only the id. */
function namesOf(term) {
  if (Array.isArray(term.names) && term.names.length) return term.names.map(String);
  return [typeof term.name === "string" ? term.name : String(term.id)];
}

/** A search result as the value stores it: `{id, path, names}`, or `{id}` (the server fills the rest). */
function termValue(term) {
  const path = Array.isArray(term.path) ? term.path.map(String) : null;
  const names = Array.isArray(term.names) ? term.names.map(String) : null;
  if (path?.length && names?.length === path.length) return { id: String(term.id), path, names };
  return { id: String(term.id) };
}

function childCount(term) {
  return Number(term.children) > 0 ? Number(term.children) : 0;
}

export function createTaxonomyWidget(field, core) {
  const base = `taxonomy-${++widgetCount}`;
  const maxTerms = field.multiple && Number(field.max_terms) > 0 ? Number(field.max_terms) : null;
  const element = document.createElement("fieldset");
  element.className = "field field-taxonomy";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field) + (field.multiple ? (maxTerms ? ` · up to ${maxTerms} terms` : " · choose any") : "");
  const chips = document.createElement("ul");
  chips.className = "taxonomy-chips";
  chips.setAttribute("aria-label", "Chosen terms");
  const empty = document.createElement("span");
  empty.className = "taxonomy-empty muted";
  empty.textContent = field.multiple ? "No terms chosen yet." : "No term chosen yet.";

  const search = document.createElement("div");
  search.className = "taxonomy-search";
  const input = document.createElement("input");
  input.type = "search";
  input.className = "taxonomy-input";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.maxLength = 200; // the server's limit for a query
  input.placeholder = `Search ${field.taxonomy ?? "the taxonomy"}…`;
  input.setAttribute("aria-label", `Search the ${field.taxonomy ?? ""} taxonomy`);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${base}-results`);
  input.setAttribute("aria-describedby", `${base}-hint`);
  const popup = document.createElement("div");
  popup.className = "taxonomy-popup";
  popup.hidden = true;
  const browse = document.createElement("div");
  browse.className = "taxonomy-browse";
  browse.hidden = true;
  const back = document.createElement("button");
  back.type = "button";
  back.className = "taxonomy-back";
  back.tabIndex = -1;
  back.textContent = "‹ Back";
  const crumbs = document.createElement("span");
  crumbs.className = "taxonomy-crumbs";
  browse.append(back, crumbs);
  const results = document.createElement("ul");
  results.className = "taxonomy-results";
  results.id = `${base}-results`;
  results.setAttribute("role", "listbox");
  results.setAttribute("aria-label", `Terms of ${field.taxonomy ?? "the taxonomy"}`);
  const message = document.createElement("p");
  message.className = "taxonomy-message";
  message.setAttribute("role", "status");
  popup.append(browse, results, message);
  search.append(input, popup);
  const failure = document.createElement("p");
  failure.className = "taxonomy-error error";
  failure.setAttribute("role", "alert");
  failure.hidden = true;
  const hint = document.createElement("small");
  hint.className = "taxonomy-hint muted";
  hint.id = `${base}-hint`;
  element.append(legend, chips, empty, search, failure, hint);

  const root = `/api/v1/projects/${encodeURIComponent(core.projectId)}/taxonomies/${encodeURIComponent(field.taxonomy ?? "")}`;
  const cache = new Map(); // url → terms
  let shown = null; // {url, mode: "search" | "browse", terms}: the list on screen
  let trail = []; // the browsed term and its ancestors [{id, name}], root first; [] lists the roots
  let active = -1;
  let open = false;
  let timer = null;
  let sequence = 0; // only the answer to the latest request is shown
  let inFlight = null;
  let pendingMove = 0; // an arrow pressed before the results came
  let options = [];

  function request() {
    const q = input.value.trim();
    if (q) return { url: `${root}/search?q=${encodeURIComponent(q)}&limit=${searchLimit}`, mode: "search", q };
    const parent = trail.at(-1);
    const query = parent ? `parent=${encodeURIComponent(parent.id)}&limit=${browseLimit}` : `limit=${browseLimit}`;
    return { url: `${root}/search?${query}`, mode: "browse", q };
  }

  /** Whether the list on screen answers something other than what the box now asks. */
  function isStale() {
    return shown?.url !== request().url;
  }

  async function load({ focusId } = {}) {
    clearTimeout(timer);
    timer = null;
    const wanted = request();
    updateBrowse();
    if (cache.has(wanted.url)) {
      sequence++;
      inFlight = null;
      show(wanted, cache.get(wanted.url), focusId);
      return;
    }
    if (inFlight === wanted.url) return;
    const ticket = ++sequence;
    inFlight = wanted.url;
    results.setAttribute("aria-busy", "true");
    results.classList.add("stale");
    if (!options.length) message.textContent = "Searching…";
    try {
      const answer = await api("GET", wanted.url);
      if (ticket !== sequence) return;
      inFlight = null;
      const terms = (Array.isArray(answer?.terms) ? answer.terms : []).filter(
        (term) => term && typeof term === "object" && (typeof term.id === "string" || typeof term.id === "number"),
      );
      if (cache.size >= cacheSize) cache.clear();
      cache.set(wanted.url, terms);
      show(wanted, terms, focusId);
    } catch (error) {
      if (ticket !== sequence) return;
      inFlight = null;
      fail(error);
    }
  }

  function show(wanted, terms, focusId) {
    shown = { url: wanted.url, mode: wanted.mode, terms };
    results.removeAttribute("aria-busy");
    failure.hidden = true;
    active = focusId === undefined ? -1 : terms.findIndex((term) => String(term.id) === String(focusId));
    renderOptions();
    if (pendingMove && terms.length) move(pendingMove);
    pendingMove = 0;
    if (!terms.length) {
      message.textContent = wanted.mode === "search" ? `No term matches “${wanted.q}”.`
        : trail.length ? "No narrower terms." : "This taxonomy has no terms.";
    } else {
      message.textContent = wanted.mode === "browse" && terms.length >= browseLimit ? `The first ${browseLimit} terms: search to find the others.` : "";
    }
    updatePopup();
  }

  function fail(error) {
    shown = null;
    options = [];
    active = -1;
    pendingMove = 0;
    results.replaceChildren();
    results.removeAttribute("aria-busy");
    results.classList.remove("stale");
    input.removeAttribute("aria-activedescendant");
    failure.textContent = error instanceof ApiError && error.status === 404
      ? `The taxonomy “${field.taxonomy}” is not imported into this project, so no term can be chosen yet. Ask the project's requester to import it.`
      : `Could not search the taxonomy: ${describeProblem(error)}`;
    failure.hidden = false;
    updatePopup();
  }

  function chosenIds() {
    return new Set(termsOf(core.value[field.name]).map((term) => String(term.id)));
  }

  function pickable(term) {
    return !(field.leaf_only && childCount(term) > 0);
  }

  function renderOptions() {
    const chosen = chosenIds();
    const terms = shown?.terms ?? [];
    options = terms.map((term, index) => {
      const names = namesOf(term);
      const name = typeof term.name === "string" ? term.name : names.at(-1);
      const option = document.createElement("li");
      option.id = `${base}-option-${index}`;
      option.className = "taxonomy-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.termId = String(term.id);
      const text = document.createElement("span");
      text.className = "taxonomy-option-text";
      const label = document.createElement("span");
      label.className = "taxonomy-option-name";
      label.textContent = name;
      text.append(label);
      if (typeof term.matched === "string" && term.matched) {
        const matched = document.createElement("span");
        matched.className = "taxonomy-option-matched";
        matched.textContent = `matched: ${term.matched}`;
        text.append(matched);
      }
      if (chosen.has(String(term.id)) || !pickable(term)) {
        const note = document.createElement("span");
        note.className = "taxonomy-option-note";
        note.textContent = chosen.has(String(term.id)) ? "✓ chosen" : "browse only";
        if (!pickable(term)) note.title = "Only terms without narrower terms can be chosen: open it with ›";
        text.append(note);
      }
      if (shown.mode === "search" && names.length > 1) {
        const path = document.createElement("span");
        path.className = "taxonomy-option-path";
        path.textContent = names.slice(0, -1).join(" › ");
        text.append(path);
      }
      option.append(text);
      if (chosen.has(String(term.id))) option.classList.add("chosen");
      // Not aria-disabled: its › button must stay usable; the note says it can only be opened.
      option.dataset.pickable = String(pickable(term));
      if (!pickable(term)) option.classList.add("browse-only");
      const children = childCount(term);
      if (children) {
        const narrower = document.createElement("button");
        narrower.type = "button";
        narrower.className = "taxonomy-children";
        narrower.tabIndex = -1;
        narrower.dataset.termId = String(term.id);
        narrower.textContent = "›";
        narrower.title = `${children} narrower term${children === 1 ? "" : "s"}`;
        narrower.setAttribute("aria-label", `Narrower terms of ${name} (${children})`);
        narrower.addEventListener("click", (event) => {
          event.stopPropagation();
          browseInto(term);
        });
        option.append(narrower);
      }
      option.addEventListener("click", () => choose(index));
      return option;
    });
    results.replaceChildren(...options);
    results.classList.toggle("stale", isStale());
    markActive();
  }

  function markActive({ scroll = false } = {}) {
    options.forEach((option, index) => {
      option.classList.toggle("active", index === active);
      option.setAttribute("aria-selected", String(index === active));
    });
    if (active >= 0 && options[active]) {
      input.setAttribute("aria-activedescendant", options[active].id);
      if (scroll) options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function move(delta) {
    const count = options.length;
    if (!count) return;
    active = active < 0 ? (delta > 0 ? 0 : count - 1) : (active + delta + count) % count;
    markActive({ scroll: true });
  }

  function updatePopup() {
    popup.hidden = !open || !failure.hidden;
    input.setAttribute("aria-expanded", String(!popup.hidden));
  }

  function updateBrowse() {
    browse.hidden = Boolean(input.value.trim()) || !trail.length;
    const top = document.createElement("button");
    top.type = "button";
    top.className = "taxonomy-crumb";
    top.tabIndex = -1;
    top.dataset.termId = "";
    top.textContent = "All";
    top.addEventListener("click", () => browseTo(-1));
    const parts = [top];
    trail.forEach((step, index) => {
      parts.push(" › ");
      if (index === trail.length - 1) {
        const current = document.createElement("span");
        current.className = "taxonomy-crumb-current";
        current.textContent = step.name;
        parts.push(current);
      } else {
        const crumb = document.createElement("button");
        crumb.type = "button";
        crumb.className = "taxonomy-crumb";
        crumb.tabIndex = -1;
        crumb.dataset.termId = step.id;
        crumb.textContent = step.name;
        crumb.addEventListener("click", () => browseTo(index));
        parts.push(crumb);
      }
    });
    crumbs.replaceChildren(...parts);
  }

  function openList() {
    if (open) return;
    open = true;
    updatePopup();
    if (isStale() && timer === null) load();
  }

  function closeList() {
    open = false;
    pendingMove = 0;
    updatePopup();
  }

  /** Lists the narrower terms of a term (the box empties: browsing and searching are one list). */
  function browseInto(term) {
    const names = namesOf(term);
    const path = Array.isArray(term.path) ? term.path.map(String) : [];
    trail = path.length && path.length === names.length
      ? path.map((id, index) => ({ id, name: names[index] }))
      : [...trail, { id: String(term.id), name: names.at(-1) }];
    input.value = "";
    open = true;
    load();
  }

  /** Goes up to the trail's step `index` (-1: the roots), with the term it came from active. */
  function browseTo(index) {
    const from = trail[index + 1]?.id;
    trail = trail.slice(0, index + 1);
    input.value = "";
    load({ focusId: from });
  }

  function choose(index) {
    const term = shown?.terms[index];
    if (!term) return;
    const name = typeof term.name === "string" ? term.name : namesOf(term).at(-1);
    if (!pickable(term)) {
      browseInto(term);
      return;
    }
    if (field.multiple) {
      const current = termsOf(core.value[field.name]);
      if (current.some((chosen) => String(chosen.id) === String(term.id))) {
        message.textContent = `${name} is chosen already.`;
        return;
      }
      if (maxTerms && current.length >= maxTerms) {
        message.textContent = `At most ${maxTerms} term${maxTerms === 1 ? "" : "s"}: remove one to choose another.`;
        return;
      }
      setFieldValue(core, field.name, [...current, termValue(term)]);
      message.textContent = `Chose ${name}.`;
      // The list stays for the next term; typing replaces the query.
      input.select();
    } else {
      setFieldValue(core, field.name, termValue(term));
      input.value = "";
      closeList();
    }
  }

  function remove(id) {
    const current = core.value[field.name];
    if (field.multiple && Array.isArray(current)) {
      setFieldValue(core, field.name, current.filter((term) => String(term?.id) !== id));
    } else {
      setFieldValue(core, field.name, undefined);
    }
    input.focus();
  }

  function renderChips(value) {
    const terms = termsOf(value);
    chips.replaceChildren(...terms.map((term) => {
      const names = namesOf(term);
      const chip = document.createElement("li");
      chip.className = "taxonomy-chip";
      chip.dataset.termId = String(term.id);
      const label = document.createElement("span");
      label.className = "taxonomy-chip-label";
      label.title = (Array.isArray(term.path) ? term.path : [term.id]).join(" › ");
      if (names.length > 1) {
        const ancestors = document.createElement("span");
        ancestors.className = "taxonomy-chip-ancestors";
        ancestors.textContent = `${names.slice(0, -1).join(" › ")} › `;
        label.append(ancestors);
      }
      const name = document.createElement("span");
      name.className = "taxonomy-chip-name";
      name.textContent = names.at(-1);
      label.append(name);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "taxonomy-chip-remove";
      button.textContent = "×";
      button.setAttribute("aria-label", `Remove ${names.at(-1)}`);
      button.addEventListener("click", () => remove(String(term.id)));
      // Enter on the button removes the term (the core would take it as submit).
      button.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") event.stopPropagation();
      });
      chip.append(label, button);
      return chip;
    }));
    chips.hidden = !terms.length;
    empty.hidden = terms.length > 0;
    const parts = [];
    if (field.multiple) parts.push(`${terms.length} term${terms.length === 1 ? "" : "s"} chosen${maxTerms ? ` (at most ${maxTerms})` : ""}.`);
    if (field.leaf_only) parts.push("Only the most specific terms can be chosen; open the others with › to reach them.");
    parts.push("↓ ↑ move, Enter chooses, → opens narrower terms, ← goes back, Esc closes.");
    hint.textContent = parts.join(" ");
  }

  function consume(event) {
    event.preventDefault();
    event.stopPropagation();
  }

  input.addEventListener("input", () => {
    active = -1;
    pendingMove = 0;
    open = true;
    updateBrowse();
    updatePopup();
    markActive();
    results.classList.toggle("stale", isStale());
    clearTimeout(timer);
    timer = setTimeout(load, debounceMs);
  });
  input.addEventListener("click", openList);
  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      consume(event);
      const delta = key === "ArrowDown" ? 1 : -1;
      openList();
      if (isStale()) {
        pendingMove = delta;
        load();
      } else {
        move(delta);
      }
    } else if (key === "Enter") {
      // Enter chooses; it submits the task only from an empty box with no term active.
      if (open && !isStale() && active >= 0) {
        consume(event);
        choose(active);
      } else if (input.value.trim()) {
        consume(event);
        if (!open) openList();
        else if (!isStale() && options.length) message.textContent = "Choose a term with ↓ ↑ and Enter, or click it.";
      }
    } else if (key === "Escape") {
      if (open && !popup.hidden) {
        consume(event);
        closeList();
      } else if (input.value) {
        consume(event);
        input.value = "";
        updateBrowse();
      }
    } else if (key === "ArrowRight") {
      const term = open && !isStale() && active >= 0 ? shown.terms[active] : null;
      if (term && childCount(term) && input.selectionStart === input.value.length) {
        consume(event);
        browseInto(term);
      }
    } else if (key === "ArrowLeft") {
      if (open && !input.value && trail.length) {
        consume(event);
        browseTo(trail.length - 2);
      }
    }
  });
  search.addEventListener("focusout", (event) => {
    if (!search.contains(event.relatedTarget)) closeList();
  });
  // Clicks in the list keep the focus in the box.
  popup.addEventListener("mousedown", (event) => event.preventDefault());
  back.addEventListener("click", () => browseTo(trail.length - 2));

  if (!field.taxonomy) {
    input.disabled = true;
    failure.textContent = "This field names no taxonomy (its `taxonomy` setting is missing).";
    failure.hidden = false;
  }

  return {
    field,
    element,
    render(value) {
      renderChips(value);
      if (shown) renderOptions();
    },
    showTask() {
      clearTimeout(timer);
      timer = null;
      input.value = "";
      trail = [];
      active = -1;
      message.textContent = "";
      updateBrowse();
      closeList();
    },
  };
}
