// The `flags` field: a checklist of what applies (none may apply), once or per candidate.

import { candidateLetter, taskCandidates } from "./candidates.js";
import { fieldCaption, isRequired, normalizeOptions, setFieldValue } from "./field-helpers.js";

export function createFlagsWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-flags";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field) + " · check all that apply";
  const lists = document.createElement("div");
  lists.className = "flag-lists";
  const summary = document.createElement("small");
  summary.className = "flag-summary muted";
  element.append(legend, lists, summary);

  const options = normalizeOptions(field.flags);
  let groups = []; // one {item, boxes} per checklist
  let count = 0;

  function buildLists(task) {
    count = field.items ? taskCandidates(field, task).length : 0;
    const indexes = field.items ? [...Array(count).keys()] : [null];
    groups = indexes.map((item) => {
      const group = document.createElement("div");
      group.className = "flag-list";
      if (item !== null) {
        group.dataset.item = String(item);
        const heading = document.createElement("div");
        heading.className = "flag-list-heading";
        heading.textContent = `Response ${candidateLetter(item)}`;
        group.append(heading);
      }
      const boxes = options.map((option) => {
        const label = document.createElement("label");
        label.className = "flag-option";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.className = "flag";
        box.dataset.value = option.value;
        if (item !== null) box.dataset.item = String(item);
        const text = document.createElement("span");
        text.textContent = option.label;
        label.append(box, text);
        if (option.hint) label.title = option.hint;
        box.addEventListener("change", () => toggle(item, option.value, box.checked));
        group.append(label);
        return box;
      });
      return { item, element: group, boxes };
    });
    lists.replaceChildren(...groups.map((group) => group.element));
    if (field.items && !count) {
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = `This task has no candidates under "${field.items}".`;
      lists.append(note);
    }
  }

  function selectedOf(value, item) {
    const list = item === null ? value : Array.isArray(value) ? value[item] : undefined;
    return new Set(Array.isArray(list) ? list : []);
  }

  /** The flags in the options' order. */
  function ordered(selected) {
    return options.map((option) => option.value).filter((value) => selected.has(value));
  }

  function toggle(item, flag, checked) {
    const value = core.value[field.name];
    const selected = selectedOf(value, item);
    if (checked) selected.add(flag);
    else selected.delete(flag);
    if (item === null) {
      setFieldValue(core, field.name, ordered(selected));
    } else {
      const lists = [...Array(count).keys()].map((index) => (index === item ? ordered(selected) : ordered(selectedOf(value, index))));
      setFieldValue(core, field.name, !isRequired(field) && lists.every((list) => !list.length) ? undefined : lists);
    }
  }

  return {
    field,
    element,
    showTask(task) {
      buildLists(task);
    },
    /** A required checklist starts as "none apply", which may be submitted as it is. */
    initialValue(task) {
      if (!isRequired(field)) return undefined;
      return field.items ? taskCandidates(field, task).map(() => []) : [];
    },
    render(value) {
      let checked = 0;
      for (const group of groups) {
        const selected = selectedOf(value, group.item);
        for (const box of group.boxes) {
          box.checked = selected.has(box.dataset.value);
          if (box.checked) checked++;
        }
      }
      summary.textContent = !groups.length ? "" : checked
        ? `${checked} flag${checked === 1 ? "" : "s"} checked`
        : "None checked: nothing applies.";
    },
  };
}
