// The `rating` field: a rubric of scales, once or per candidate, with a justification when a score is extreme.
// A focused scale takes digits (that score) and left/right arrows.

import { candidateLetter, taskCandidates } from "./candidates.js";
import { fieldCaption, lengthHint, setFieldValue } from "./field-helpers.js";

export function createRatingWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-rating";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const groupsElement = document.createElement("div");
  groupsElement.className = "rating-groups";
  const progress = document.createElement("small");
  progress.className = "rating-progress muted";
  element.append(legend, groupsElement, progress);

  const dimensions = (field.dimensions ?? []).map((dimension) => ({
    ...dimension,
    min: Number(dimension.min ?? 1),
    max: Number(dimension.max ?? 5),
    anchors: dimension.anchors ?? {},
  }));
  const minimumJustification = Math.max(1, field.justification_min_length ?? 10);
  let groups = [];
  let count = 0; // candidates when `items` is set; 0 rates once

  function buildGroups(task) {
    count = field.items ? taskCandidates(field, task).length : 0;
    const indexes = field.items ? [...Array(count).keys()] : [null];
    groups = indexes.map((item) => buildGroup(item));
    groupsElement.replaceChildren(...groups.map((group) => group.element));
    if (field.items && !count) {
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = `This task has no candidates under "${field.items}".`;
      groupsElement.append(note);
    }
  }

  function buildGroup(item) {
    const group = document.createElement("div");
    group.className = "rating-group";
    if (item !== null) {
      group.dataset.item = String(item);
      const heading = document.createElement("div");
      heading.className = "rating-group-heading";
      heading.textContent = `Response ${candidateLetter(item)}`;
      group.append(heading);
    }
    const points = new Map(); // dimension name → buttons
    for (const dimension of dimensions) {
      const row = document.createElement("div");
      row.className = "rating-row";
      row.dataset.dimension = dimension.name;
      if (item !== null) row.dataset.item = String(item);
      row.setAttribute("role", "group");
      const name = document.createElement("div");
      name.className = "rating-dimension";
      name.textContent = dimension.label ?? dimension.name;
      const range = document.createElement("span");
      range.className = "muted";
      range.textContent = ` ${dimension.min}–${dimension.max}`;
      name.append(range);
      row.setAttribute("aria-label", `${item !== null ? `Response ${candidateLetter(item)}: ` : ""}${dimension.label ?? dimension.name}`);
      const scale = document.createElement("div");
      scale.className = "rating-scale";
      const buttons = [];
      for (let score = dimension.min; score <= dimension.max; score++) {
        const cell = document.createElement("div");
        cell.className = "rating-cell";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "rating-point";
        button.dataset.dimension = dimension.name;
        button.dataset.score = String(score);
        if (item !== null) button.dataset.item = String(item);
        button.setAttribute("aria-pressed", "false");
        button.textContent = String(score);
        const anchor = dimension.anchors[String(score)];
        cell.append(button);
        if (anchor) {
          button.title = anchor;
          const caption = document.createElement("small");
          caption.className = "rating-anchor";
          caption.textContent = anchor;
          cell.append(caption);
        }
        button.addEventListener("click", () => choose(item, dimension.name, score));
        scale.append(cell);
        buttons.push(button);
      }
      points.set(dimension.name, buttons);
      row.append(name, scale);
      group.append(row);
    }
    const justification = document.createElement("label");
    justification.className = "rating-justification-box";
    const caption = document.createElement("span");
    const textarea = document.createElement("textarea");
    textarea.className = "rating-justification";
    textarea.rows = 2;
    if (item !== null) textarea.dataset.item = String(item);
    const hint = document.createElement("small");
    hint.className = "muted";
    justification.append(caption, textarea, hint);
    // Unless a score calls for it (or one is written), the justification box opens on demand.
    const add = document.createElement("button");
    add.type = "button";
    add.className = "rating-justify-add";
    if (item !== null) add.dataset.item = String(item);
    add.textContent = "Add a justification";
    group.append(justification, add);
    textarea.addEventListener("input", () => {
      const entry = entryOf(core.value[field.name], item);
      setEntry(item, { ...entry, justification: textarea.value }, true);
    });
    const built = { element: group, item, points, justification, caption, textarea, hint, add, opened: false };
    add.addEventListener("click", () => {
      built.opened = true;
      justification.hidden = false;
      add.hidden = true;
      textarea.focus();
    });
    return built;
  }

  function entryOf(value, item) {
    const entry = item === null ? value : Array.isArray(value) ? value[item] : undefined;
    const scores = entry && typeof entry === "object" && entry.scores && typeof entry.scores === "object" ? entry.scores : {};
    const justification = typeof entry?.justification === "string" ? entry.justification : "";
    return { scores, justification };
  }

  /** The entry as the value holds it: `{scores, justification?}`, the justification only when written. */
  function cleaned({ scores, justification }) {
    return justification ? { scores, justification } : { scores };
  }

  function isEmpty(entry) {
    return !Object.keys(entry.scores).length && !entry.justification;
  }

  function setEntry(item, entry, coalesce = false) {
    const current = core.value[field.name];
    let next;
    if (item === null) {
      next = isEmpty(entry) ? undefined : cleaned(entry);
    } else {
      const entries = [...Array(count).keys()].map((index) => cleaned(index === item ? entry : entryOf(current, index)));
      next = entries.every((each) => isEmpty({ justification: "", ...each })) ? undefined : entries;
    }
    setFieldValue(core, field.name, next, { coalesce });
  }

  function choose(item, dimension, score) {
    const entry = entryOf(core.value[field.name], item);
    const scores = { ...entry.scores };
    if (scores[dimension] === score && field.required === false) delete scores[dimension];
    else scores[dimension] = score;
    setEntry(item, { ...entry, scores });
  }

  function needsJustification(scores) {
    return Object.values(scores).some((score) =>
      (field.justify_below != null && score < field.justify_below) || (field.justify_above != null && score > field.justify_above));
  }

  function ruleText() {
    const parts = [];
    if (field.justify_below != null) parts.push(`below ${field.justify_below}`);
    if (field.justify_above != null) parts.push(`above ${field.justify_above}`);
    return parts.join(" or ");
  }

  /** The group and dimension of the scale holding the focus, if it is one of this field's. */
  function focusedRow() {
    const row = document.activeElement?.closest?.(".rating-row");
    if (!row || !element.contains(row)) return null;
    const group = groups.find((each) => each.element.contains(row));
    const dimension = dimensions.find((each) => each.name === row.dataset.dimension);
    return group && dimension ? { group, dimension } : null;
  }

  return {
    field,
    element,
    showTask(task) {
      buildGroups(task);
    },
    render(value) {
      let rated = 0;
      for (const group of groups) {
        const entry = entryOf(value, group.item);
        for (const dimension of dimensions) {
          const score = entry.scores[dimension.name];
          if (Number.isInteger(score) && score >= dimension.min && score <= dimension.max) rated++;
          for (const button of group.points.get(dimension.name)) {
            button.setAttribute("aria-pressed", String(Number(button.dataset.score) === score));
          }
        }
        const needed = needsJustification(entry.scores);
        group.justification.hidden = !needed && !entry.justification && !group.opened && document.activeElement !== group.textarea;
        group.add.hidden = !group.justification.hidden;
        group.textarea.required = needed;
        group.justification.classList.toggle("required", needed);
        group.caption.textContent = needed
          ? `Justification (required: a score is ${ruleText()})`
          : "Justification (optional)";
        if (group.textarea.value !== entry.justification) group.textarea.value = entry.justification;
        group.hint.textContent = lengthHint(entry.justification, needed ? minimumJustification : null, null, { trim: true });
      }
      const total = groups.length * dimensions.length;
      progress.textContent = !total ? "" : field.items
        ? `${rated} of ${total} scores given (${dimensions.length} per response)`
        : `${rated} of ${total} dimension${total === 1 ? "" : "s"} rated`;
    },
    handleKey(name) {
      const focus = focusedRow();
      if (!focus) return false;
      const { group, dimension } = focus;
      const buttons = group.points.get(dimension.name);
      const current = entryOf(core.value[field.name], group.item).scores[dimension.name];
      let score;
      if (/^[0-9]$/.test(name)) {
        score = Number(name);
        if (score === 0 && dimension.min > 0 && dimension.max >= 10) score = 10;
        if (score < dimension.min || score > dimension.max) return false;
      } else if (name === "arrowleft" || name === "arrowright") {
        const step = name === "arrowleft" ? -1 : 1;
        score = Number.isInteger(current) ? Math.min(dimension.max, Math.max(dimension.min, current + step)) : dimension.min;
      } else {
        return false;
      }
      if (score !== current) choose(group.item, dimension.name, score);
      buttons.find((button) => Number(button.dataset.score) === score)?.focus();
      return true;
    },
  };
}
