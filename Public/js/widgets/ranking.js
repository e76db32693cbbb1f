// The `ranking` field (order the candidates: drag, arrows or a rank per candidate) and the `pairwise` field
// (which of two responses is better, and by how much).

import { candidateExcerpt, candidateImage, candidateLetter, taskCandidates } from "./candidates.js";
import { fieldCaption, isRequired, lengthHint, setFieldValue } from "./field-helpers.js";

export function createRankingWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-ranking";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const hint = document.createElement("p");
  hint.className = "rank-hint muted";
  hint.textContent = field.ties
    ? "Best first. Drag or move a response, or give it a rank (equal ranks are ties)."
    : "Best first. Drag or move a response, or give it a rank.";
  const list = document.createElement("ol");
  list.className = "rank-list";
  const footer = document.createElement("div");
  footer.className = "rank-footer";
  const accept = document.createElement("button");
  accept.type = "button";
  accept.className = "rank-accept";
  accept.textContent = "Keep this order";
  const status = document.createElement("small");
  status.className = "rank-status muted";
  footer.append(accept, status);
  element.append(legend, hint, list, footer);

  let items = []; // one {index, element, select, up, down} per candidate, in the data's order
  let dragged = null;

  accept.addEventListener("click", () => setOrder(displayOrder(core.value[field.name])));

  function buildItems(task) {
    const candidates = taskCandidates(field, task);
    const count = candidates.length;
    items = candidates.map((candidate, index) => {
      const letter = candidateLetter(index);
      const item = document.createElement("li");
      item.className = "rank-item";
      item.dataset.index = String(index);
      item.draggable = true;
      item.tabIndex = 0;
      item.setAttribute("aria-label", `Response ${letter}`);
      const handle = document.createElement("span");
      handle.className = "rank-handle";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "⠿";
      const label = document.createElement("div");
      label.className = "rank-label";
      const name = document.createElement("strong");
      name.textContent = `Response ${letter}`;
      label.append(name);
      if (candidate && typeof candidate === "object" && typeof candidate.image === "string") {
        label.append(candidateImage(candidate, index, "rank-thumbnail"));
      }
      const excerpt = document.createElement("span");
      excerpt.className = "rank-excerpt muted";
      excerpt.textContent = candidateExcerpt(candidate);
      if (excerpt.textContent) label.append(excerpt);
      const select = document.createElement("select");
      select.className = "rank-select";
      select.dataset.index = String(index);
      select.setAttribute("aria-label", `Rank of Response ${letter}`);
      const none = document.createElement("option");
      none.value = "";
      none.textContent = "–";
      select.append(none);
      for (let rank = 1; rank <= count; rank++) {
        const option = document.createElement("option");
        option.value = String(rank);
        option.textContent = String(rank);
        select.append(option);
      }
      select.addEventListener("change", () => {
        if (select.value) setRank(index, Number(select.value));
      });
      const up = moveButton("rank-up", "↑", `Move Response ${letter} up`, () => move(index, -1));
      const down = moveButton("rank-down", "↓", `Move Response ${letter} down`, () => move(index, 1));
      up.dataset.index = down.dataset.index = String(index);
      item.append(handle, label, select, up, down);
      item.addEventListener("dragstart", (event) => {
        dragged = index;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", `Response ${letter}`);
        item.classList.add("dragging");
      });
      item.addEventListener("dragend", () => {
        dragged = null;
        item.classList.remove("dragging");
        for (const each of items) each.element.classList.remove("drop-target");
      });
      item.addEventListener("dragover", (event) => {
        if (dragged === null) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        item.classList.toggle("drop-target", dragged !== index);
      });
      item.addEventListener("dragleave", () => item.classList.remove("drop-target"));
      item.addEventListener("drop", (event) => {
        event.preventDefault();
        item.classList.remove("drop-target");
        if (dragged !== null && dragged !== index) dropOn(dragged, index);
        dragged = null;
      });
      return { index, element: item, select, none, up, down };
    });
    list.replaceChildren(...items.map((item) => item.element));
    if (!candidates.length) {
      const note = document.createElement("li");
      note.className = "muted";
      note.textContent = `This task has no candidates under "${field.items}".`;
      list.append(note);
    }
  }

  function moveButton(className, text, label, action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    button.title = label;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", action);
    return button;
  }

  /** The value's ranks when they fit this task (one integer 1…N per candidate), else null. */
  function ranksOf(value) {
    const count = items.length;
    if (!Array.isArray(value) || value.length !== count) return null;
    return value.every((rank) => Number.isInteger(rank) && rank >= 1 && rank <= count) ? value : null;
  }

  /** Candidate indexes best first: by rank (ties in the data's order), or the data's order when unranked. */
  function displayOrder(value) {
    const ranks = ranksOf(value);
    const order = items.map((item) => item.index);
    return ranks ? order.sort((a, b) => ranks[a] - ranks[b] || a - b) : order;
  }

  function setOrder(order) {
    const ranks = new Array(order.length);
    order.forEach((index, position) => { ranks[index] = position + 1; });
    setFieldValue(core, field.name, ranks);
  }

  function move(index, step) {
    const order = displayOrder(core.value[field.name]);
    const from = order.indexOf(index);
    const to = from + step;
    if (to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to], order[from]];
    setOrder(order);
    focusItem(index, ".rank-" + (step < 0 ? "up" : "down"));
  }

  /** Dropping a response on another puts it in that one's place. */
  function dropOn(index, target) {
    const order = displayOrder(core.value[field.name]).filter((each) => each !== index);
    const at = displayOrder(core.value[field.name]).indexOf(target);
    order.splice(at, 0, index);
    setOrder(order);
  }

  /** Without ties a rank another response holds is swapped with it; with ties it is simply given. */
  function setRank(index, rank) {
    const current = ranksOf(core.value[field.name]);
    const ranks = current ? [...current] : (() => {
      const fresh = [];
      displayOrder(undefined).forEach((each, position) => { fresh[each] = position + 1; });
      return fresh;
    })();
    if (!field.ties) {
      const holder = ranks.indexOf(rank);
      if (holder !== -1 && holder !== index) ranks[holder] = ranks[index];
    }
    ranks[index] = rank;
    setFieldValue(core, field.name, ranks);
  }

  /** Keeps the focus on a response's row (or one of its buttons) after the rows were reordered. */
  function focusItem(index, selector) {
    const item = items[index];
    const target = selector ? item.element.querySelector(selector) : item.element;
    (target && !target.disabled ? target : item.element).focus();
  }

  return {
    field,
    element,
    showTask(task) {
      buildItems(task);
    },
    render(value) {
      const ranks = ranksOf(value);
      const order = displayOrder(value);
      const shown = [...list.children];
      if (order.some((index, position) => shown[position] !== items[index].element)) {
        const focused = document.activeElement;
        list.append(...order.map((index) => items[index].element));
        if (focused && list.contains(focused) && document.activeElement !== focused) focused.focus();
      }
      order.forEach((index, position) => {
        const item = items[index];
        const rank = ranks ? ranks[index] : null;
        item.select.value = rank ? String(rank) : "";
        item.none.hidden = Boolean(ranks);
        if (rank) item.element.dataset.rank = String(rank);
        else delete item.element.dataset.rank;
        item.element.classList.toggle("tied", Boolean(ranks) && ranks.filter((each) => each === rank).length > 1);
        item.up.disabled = position === 0;
        item.down.disabled = position === order.length - 1;
      });
      status.textContent = !items.length ? "" : ranks
        ? `Ranked: ${order.map((index) => candidateLetter(index)).join(" > ")}`
        : "Not ranked yet: order the responses, or keep this order.";
      if (value !== undefined && !ranks) status.textContent = "The ranks do not fit these responses: order them again.";
    },
    handleKey(name) {
      const focused = document.activeElement;
      const item = items.find((each) => each.element === focused || each.select === focused);
      if (!item) return false;
      // On a focused rank menu a digit is that rank (and no other field's option); arrows stay the menu's.
      if (focused === item.select) {
        if (!/^[1-9]$/.test(name) || Number(name) > items.length) return false;
        setRank(item.index, Number(name));
        return true;
      }
      const order = displayOrder(core.value[field.name]);
      const position = order.indexOf(item.index);
      if (name === "arrowup" || name === "arrowdown") {
        const next = order[position + (name === "arrowup" ? -1 : 1)];
        if (next !== undefined) items[next].element.focus();
        return true;
      }
      if (name === "shift+arrowup" || name === "shift+arrowdown") {
        move(item.index, name === "shift+arrowup" ? -1 : 1);
        item.element.focus();
        return true;
      }
      if (/^[1-9]$/.test(name) && Number(name) <= items.length) {
        setRank(item.index, Number(name));
        item.element.focus();
        return true;
      }
      return false;
    },
  };
}

export function createPairwiseWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-pairwise";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const scale = document.createElement("div");
  scale.className = field.strength !== false ? "pairwise-scale graded" : "pairwise-scale";
  scale.setAttribute("role", "group");
  element.append(legend, scale);

  const ties = field.ties !== false;
  const strength = field.strength !== false;
  const reasonMode = field.reason ?? "required";
  const reasonMinimum = Math.max(1, field.reason_min_length ?? 10);
  const words = { 1: "slightly better", 2: "better", 3: "much better" };
  const choices = strength
    ? [["a", 3], ["a", 2], ["a", 1], ...(ties ? [["tie"]] : []), ["b", 1], ["b", 2], ["b", 3]]
    : [["a"], ...(ties ? [["tie"]] : []), ["b"]];
  const buttons = choices.map(([winner, level]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `pairwise-choice pairwise-${winner}`;
    button.dataset.winner = winner;
    if (level) button.dataset.strength = String(level);
    button.setAttribute("aria-pressed", "false");
    button.textContent = winner === "tie" ? "Tie" : `${winner.toUpperCase()} ${level ? words[level] : "better"}`;
    button.addEventListener("click", () => choose(winner, level));
    scale.append(button);
    return button;
  });

  let textarea = null;
  let caption = null;
  let counter = null;
  if (reasonMode !== "none") {
    const box = document.createElement("label");
    box.className = "pairwise-reason-box";
    caption = document.createElement("span");
    caption.textContent = reasonMode === "required" ? `Reason (at least ${reasonMinimum} characters)` : "Reason (optional)";
    textarea = document.createElement("textarea");
    textarea.className = "pairwise-reason";
    textarea.rows = 3;
    textarea.required = reasonMode === "required";
    counter = document.createElement("small");
    counter.className = "muted";
    box.append(caption, textarea, counter);
    element.append(box);
    textarea.addEventListener("input", () => update({ reason: textarea.value }, true));
  }

  function current() {
    const value = core.value[field.name];
    return value && typeof value === "object" ? value : {};
  }

  /** The value with keys in the documented order and the empty ones left out. */
  function update(changes, coalesce = false) {
    const merged = { ...current(), ...changes };
    const next = {};
    if (merged.winner) next.winner = merged.winner;
    if (merged.winner && merged.winner !== "tie" && strength && merged.strength) next.strength = merged.strength;
    if (merged.reason && reasonMode !== "none") next.reason = merged.reason;
    setFieldValue(core, field.name, Object.keys(next).length ? next : undefined, { coalesce });
  }

  function choose(winner, level) {
    const value = current();
    const same = value.winner === winner && (!level || value.strength === level);
    if (same && !isRequired(field)) update({ winner: undefined, strength: undefined });
    else update({ winner, strength: level });
  }

  return {
    field,
    element,
    render(value) {
      const { winner, strength: level, reason } = value && typeof value === "object" ? value : {};
      for (const button of buttons) {
        const pressed = button.dataset.winner === winner && (!button.dataset.strength || Number(button.dataset.strength) === level);
        button.setAttribute("aria-pressed", String(pressed));
      }
      if (textarea) {
        const text = typeof reason === "string" ? reason : "";
        if (textarea.value !== text) textarea.value = text;
        counter.textContent = lengthHint(text, reasonMode === "required" ? reasonMinimum : null, null, { trim: true });
      }
    },
  };
}
