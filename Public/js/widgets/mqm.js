// The `mqm` field: errors marked over a translation (a range, or a point for an omission) with a category
// and a severity, and the live MQM score.

import { fieldCaption, normalizeOptions } from "./field-helpers.js";
import { createSelectableText, paletteColor } from "./spans.js";

const DEFAULT_CATEGORIES = ["accuracy", "fluency", "terminology", "style", "locale_convention"];
const DEFAULT_SEVERITIES = { minor: 1, major: 5, critical: 25 };
const SEVERITY_COLORS = ["#e8a400", "#e8590c", "#c92a2a"];

/** Severities as `[{name, weight, color}]`, from the weights object (or a list of names). */
function normalizeSeverities(severities) {
  let entries;
  if (Array.isArray(severities) && severities.length) {
    entries = severities.map((name) => [String(name), DEFAULT_SEVERITIES[name] ?? 1]);
  } else if (severities && typeof severities === "object" && Object.keys(severities).length) {
    // Offered lightest first, as the server orders them (JSON objects carry no order).
    entries = Object.entries(severities)
      .map(([name, weight]) => [name, Number(weight) || 0])
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  } else {
    entries = Object.entries(DEFAULT_SEVERITIES);
  }
  return entries.map(([name, weight], position) => ({
    name,
    weight,
    color: position < SEVERITY_COLORS.length ? SEVERITY_COLORS[position] : paletteColor(position),
  }));
}

/** Words as the score counts them: tokens between Unicode White_Space characters, as the server does. */
export function wordCount(text) {
  return typeof text === "string" ? text.split(/\p{White_Space}+/u).filter(Boolean).length : 0;
}

/** The MQM score: 100 - 100 × (sum of severity weights) / (words in the source); null without words. */
export function mqmScore(errors, weights, sourceWords) {
  if (!sourceWords) return null;
  const penalty = errors.reduce((sum, error) => sum + (weights[error.severity] ?? 0), 0);
  return 100 - (100 * penalty) / sourceWords;
}

export function createMqmWidget(field, core) {
  const categories = normalizeOptions(field.categories?.length ? field.categories : DEFAULT_CATEGORIES);
  const severities = normalizeSeverities(field.severities);
  const weights = Object.fromEntries(severities.map((severity) => [severity.name, severity.weight]));
  const severityByName = new Map(severities.map((severity) => [severity.name, severity]));
  const categoryLabel = new Map(categories.map((category) => [category.value, category.label]));

  const element = document.createElement("fieldset");
  element.className = "field field-mqm";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);

  const texts = document.createElement("div");
  texts.className = "mqm-texts";
  const sourcePane = pane("Source");
  const source = document.createElement("div");
  source.className = "mqm-source";
  sourcePane.append(source);
  const targetPane = pane("Translation · select the error, or click where something is missing");
  const target = createSelectableText({
    className: "mqm-target",
    ariaLabel: "Translation under review",
    persistentCaret: true,
    keepSelection: true,
    onClick: ({ mark, selecting }) => {
      if (selecting) return;
      selectError(mark?.classList.contains("mqm-error") ? Number(mark.dataset.index) : null);
    },
  });
  targetPane.append(target.element);
  texts.append(sourcePane, targetPane);

  const controls = document.createElement("div");
  controls.className = "mqm-controls";
  const category = labeledControl("Category", "select", "mqm-category");
  for (const option of categories) category.control.append(optionElement(option.value, option.label));
  const severity = labeledControl("Severity", "select", "mqm-severity");
  for (const option of severities) severity.control.append(optionElement(option.name, `${option.name} (${option.weight})`));
  const comment = labeledControl("Comment (optional)", "textarea", "mqm-comment");
  comment.control.rows = 2;
  comment.wrapper.classList.add("mqm-comment-row");
  const add = document.createElement("button");
  add.type = "button";
  add.className = "mqm-add primary";
  add.textContent = "Add error";
  add.addEventListener("mousedown", (event) => event.preventDefault());
  add.addEventListener("click", addError);
  controls.append(category.wrapper, severity.wrapper, comment.wrapper, add);

  const score = document.createElement("p");
  score.className = "mqm-score";
  score.setAttribute("aria-live", "polite");
  const list = document.createElement("ul");
  list.className = "mqm-list";
  element.append(legend, texts, controls, score, list);

  let errors = [];
  let selectedIndex = null;
  let sourceWords = 0;
  let drawnKey = null;

  function pane(caption) {
    const wrapper = document.createElement("div");
    wrapper.className = "mqm-pane";
    const heading = document.createElement("div");
    heading.className = "data-key";
    heading.textContent = caption;
    wrapper.append(heading);
    return wrapper;
  }

  function labeledControl(caption, tag, className) {
    const wrapper = document.createElement("label");
    const text = document.createElement("span");
    text.textContent = caption;
    const control = document.createElement(tag);
    control.className = className;
    wrapper.append(text, control);
    return { wrapper, control };
  }

  function optionElement(value, label) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    return option;
  }

  function addError() {
    const index = target.index;
    const selection = target.selection();
    let from;
    let to;
    if (selection) {
      [from, to] = index.snapAndTrim(selection.start, selection.end);
      // A selection of spaces only (a doubled space, say) is kept as it is.
      if (from >= to) [from, to] = [index.floorBoundary(selection.start), index.ceilBoundary(selection.end)];
    } else if (target.caret !== null) {
      from = to = index.floorBoundary(target.caret);
    } else {
      core.setStatus("Select the wrong words in the translation, or click where something is missing.", true);
      return;
    }
    const error = { start: index.toPoint(from), end: index.toPoint(to), category: category.control.value, severity: severity.control.value };
    const note = comment.control.value.trim();
    if (note) error.comment = note;
    const same = errors.some((e) => e.start === error.start && e.end === error.end && e.category === error.category && e.severity === error.severity);
    if (same) {
      core.setStatus("That error is already marked.", true);
      return;
    }
    target.clearSelection();
    comment.control.value = "";
    selectedIndex = null;
    core.setField(field.name, [...errors, error].sort((a, b) => a.start - b.start || a.end - b.end));
    core.setStatus(from === to ? "Omission marked." : `Error marked: “${index.text.slice(from, to)}”.`);
  }

  function selectError(position) {
    selectedIndex = position !== null && position >= 0 && position < errors.length ? position : null;
    refresh();
  }

  function deleteError(position) {
    if (selectedIndex === position) selectedIndex = null;
    else if (selectedIndex !== null && selectedIndex > position) selectedIndex--;
    core.setField(field.name, errors.filter((_, i) => i !== position));
  }

  function errorText(error) {
    if (error.start === error.end) {
      const after = target.index.slicePoints(error.start, error.start + 12).trim();
      return `(omission${after ? ` before “${after}”` : " at the end"})`;
    }
    return `“${target.index.slicePoints(error.start, error.end)}”`;
  }

  function refresh() {
    const key = JSON.stringify([errors, selectedIndex]);
    if (key === drawnKey) return;
    drawnKey = key;
    const index = target.index;
    target.setMarks(
      errors.map((error, position) => ({
        start: index.toUnit(error.start),
        end: index.toUnit(error.end),
        className: `mqm-error${error.start === error.end ? " mqm-omission" : ""}${position === selectedIndex ? " selected" : ""}`,
        data: { index: position, start: error.start, end: error.end, category: error.category, severity: error.severity },
        color: severityByName.get(error.severity)?.color ?? "#868e96",
        title: `${error.severity} · ${categoryLabel.get(error.category) ?? error.category}${error.comment ? `: ${error.comment}` : ""}`,
      })),
    );
    list.replaceChildren(
      ...errors.map((error, position) => {
        const item = document.createElement("li");
        item.className = `mqm-item${position === selectedIndex ? " selected" : ""}`;
        item.dataset.index = String(position);
        item.dataset.severity = error.severity;
        item.dataset.category = error.category;
        item.style.setProperty("--span-color", severityByName.get(error.severity)?.color ?? "#868e96");
        const chip = document.createElement("span");
        chip.className = "mqm-chip";
        chip.textContent = `${error.severity} · ${categoryLabel.get(error.category) ?? error.category}`;
        const words = document.createElement("span");
        words.className = "mqm-item-text";
        words.textContent = errorText(error);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "mqm-delete";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Delete this error");
        remove.addEventListener("click", (event) => {
          event.stopPropagation();
          deleteError(position);
        });
        item.append(chip, words, remove);
        if (error.comment) {
          const note = document.createElement("small");
          note.className = "mqm-item-comment muted";
          note.textContent = error.comment;
          item.append(note);
        }
        item.addEventListener("click", () => selectError(position === selectedIndex ? null : position));
        return item;
      }),
    );
    const value = mqmScore(errors, weights, sourceWords);
    const penalty = errors.reduce((sum, error) => sum + (weights[error.severity] ?? 0), 0);
    score.replaceChildren();
    const strong = document.createElement("strong");
    strong.className = "mqm-score-value";
    strong.textContent = value === null ? "—" : String(Math.round(value * 100) / 100);
    score.dataset.score = value === null ? "" : String(value);
    score.append("MQM score ", strong, ` · ${errors.length} error${errors.length === 1 ? "" : "s"}, penalty ${penalty}, ${sourceWords} source word${sourceWords === 1 ? "" : "s"}`);
    score.classList.toggle("negative", value !== null && value < 0);
  }

  return {
    field,
    element,
    dataKeys: [field.source, field.target].filter(Boolean),
    showTask(task) {
      const sourceText = task?.data?.[field.source];
      const targetText = task?.data?.[field.target];
      source.textContent = typeof sourceText === "string" ? sourceText : "";
      sourceWords = wordCount(sourceText);
      target.setText(typeof targetText === "string" ? targetText : "");
      selectedIndex = null;
      drawnKey = null;
      comment.control.value = "";
      if (typeof targetText !== "string") core.setStatus(`This task has no translation under "${field.target}".`, true);
    },
    render(value) {
      errors = Array.isArray(value) ? value.filter((error) => error && typeof error === "object") : [];
      if (selectedIndex !== null && selectedIndex >= errors.length) selectedIndex = null;
      refresh();
    },
    handleKey(name, event) {
      if (event?.target instanceof HTMLSelectElement && name !== "escape") return false;
      if (target.handleKey(name)) return true;
      if (name === "escape") {
        if (target.selection()) return target.clearSelection();
        if (selectedIndex !== null) {
          selectError(null);
          return true;
        }
        return false;
      }
      if ((name === "delete" || name === "backspace") && selectedIndex !== null) {
        deleteError(selectedIndex);
        return true;
      }
      return false;
    },
  };
}
