// The `translation` field: the source text with its glossary terms marked, the translation, and a live check
// that each glossary term found in the source has its target term in the translation.

import { fieldCaption, lengthHint, setFieldValue } from "./field-helpers.js";

/** A pattern for a term as a whole word in any case, as the server matches it: no letter or digit may touch
 *  either end. */
function termPattern(term) {
  const body = term.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return `(?<![\\p{L}\\p{M}\\p{N}])${body}(?![\\p{L}\\p{M}\\p{N}])`;
}

export function createTranslationWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-translation";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const pair = document.createElement("div");
  pair.className = "translation-pair";
  const from = document.createElement("span");
  from.className = "translation-language";
  from.textContent = field.source_language ?? "";
  const to = document.createElement("span");
  to.className = "translation-language";
  to.textContent = field.target_language ?? "";
  pair.append(from, " → ", to);
  const source = document.createElement("div");
  source.className = "translation-source";
  source.dir = "auto";
  if (field.source_language) source.lang = field.source_language;
  const box = document.createElement("label");
  box.className = "translation-box";
  const caption = document.createElement("span");
  caption.textContent = `Translation${field.target_language ? ` (${field.target_language})` : ""}`;
  const textarea = document.createElement("textarea");
  textarea.className = "translation-text";
  textarea.name = field.name;
  textarea.rows = 8;
  textarea.dir = "auto";
  if (field.target_language) textarea.lang = field.target_language;
  if (field.max_length) textarea.maxLength = field.max_length;
  const hint = document.createElement("small");
  hint.className = "muted";
  box.append(caption, textarea, hint);
  element.append(legend, pair, source, box);

  const enforced = field.enforce_glossary !== false;
  const glossary = (field.glossary ?? []).filter((entry) => typeof entry?.source === "string" && entry.source && typeof entry.target === "string");
  const patterns = glossary.map((entry) => new RegExp(termPattern(entry.source), "iu"));
  // One pattern for marking, longest terms first so "machine learning" wins over "machine".
  const byLength = glossary.map((entry, index) => index).sort((a, b) => [...glossary[b].source].length - [...glossary[a].source].length);
  const marking = glossary.length ? new RegExp(byLength.map((index) => `(${patterns[index].source})`).join("|"), "giu") : null;

  let checklist = null;
  let checkSummary = null;
  let checks = []; // {entry, element} for the glossary terms found in this task's source
  if (glossary.length) {
    const glossaryBox = document.createElement("div");
    glossaryBox.className = "glossary-box";
    const heading = document.createElement("div");
    heading.className = "glossary-heading";
    heading.textContent = enforced ? "Glossary: use every target term" : "Glossary (advice)";
    checkSummary = document.createElement("small");
    checkSummary.className = "muted";
    heading.append(" ", checkSummary);
    checklist = document.createElement("ul");
    checklist.className = "glossary-checklist";
    glossaryBox.append(heading, checklist);
    element.append(glossaryBox);
  }

  textarea.addEventListener("input", () => setFieldValue(core, field.name, textarea.value, { coalesce: true }));

  function title(entry) {
    return entry.target + (entry.note ? ` — ${entry.note}` : "");
  }

  /** The source as text nodes and <mark>s for its glossary terms. */
  function showSource(text) {
    const nodes = [];
    let last = 0;
    if (marking) {
      for (const match of text.matchAll(marking)) {
        const group = match.slice(1).findIndex((each) => each !== undefined);
        const entry = glossary[byLength[group]];
        if (!match[0] || !entry) continue;
        if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
        const mark = document.createElement("mark");
        mark.className = "glossary-term";
        mark.dataset.term = entry.source;
        mark.dataset.target = entry.target;
        mark.title = title(entry);
        mark.textContent = match[0];
        nodes.push(mark);
        last = match.index + match[0].length;
      }
    }
    if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
    source.replaceChildren(...nodes);
  }

  function showChecklist(text) {
    if (!checklist) return;
    const seen = new Set();
    checks = [];
    glossary.forEach((entry, index) => {
      const key = `${entry.source.toLowerCase()}\u0000${entry.target.toLowerCase()}`;
      if (seen.has(key) || !patterns[index].test(text)) return;
      seen.add(key);
      const item = document.createElement("li");
      item.className = "glossary-check";
      item.dataset.term = entry.source;
      item.dataset.target = entry.target;
      const status = document.createElement("span");
      status.className = "glossary-status";
      status.setAttribute("aria-hidden", "true");
      const terms = document.createElement("span");
      terms.textContent = `${entry.source} → ${entry.target}`;
      item.append(status, terms);
      if (entry.note) {
        const note = document.createElement("small");
        note.className = "muted";
        note.textContent = ` ${entry.note}`;
        item.append(note);
      }
      checks.push({ entry, element: item, status });
    });
    checklist.replaceChildren(...checks.map((check) => check.element));
    if (!checks.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = "No glossary term appears in this text.";
      checklist.append(none);
    }
  }

  return {
    field,
    element,
    dataKeys: field.source ? [field.source] : [],
    showTask(task) {
      const value = task?.data?.[field.source];
      const text = typeof value === "string" ? value : "";
      showSource(text);
      showChecklist(text);
    },
    render(value) {
      const text = typeof value === "string" ? value : "";
      if (textarea.value !== text) textarea.value = text;
      hint.textContent = lengthHint(text, field.min_length, field.max_length);
      const lowered = text.toLowerCase();
      let used = 0;
      for (const check of checks) {
        const ok = lowered.includes(check.entry.target.toLowerCase());
        if (ok) used++;
        check.element.classList.toggle("ok", ok);
        check.element.classList.toggle("missing", !ok);
        check.element.setAttribute("aria-label", `${check.entry.source} → ${check.entry.target}: ${ok ? "used" : "missing"}`);
        check.status.textContent = ok ? "✓" : "✗";
      }
      if (checkSummary) checkSummary.textContent = checks.length ? `${used} of ${checks.length} used` : "";
    },
  };
}
