// The `spans` field (labeled ranges over a text, by mouse or keyboard) and the `relations` field (labeled
// links between those spans), with the selectable text that the `mqm` field reuses.

import { fieldCaption, normalizeOptions } from "./field-helpers.js";
import { textIndex } from "./text-offsets.js";

/** Distinct label colors, by the label's position. */
export const PALETTE = ["#2f5bd3", "#d9480f", "#2b8a3e", "#ae3ec9", "#e67700", "#0b7285", "#c2255c", "#5c940d", "#6741d9", "#087f5b"];

export function paletteColor(index) {
  return index < PALETTE.length ? PALETTE[index] : `hsl(${Math.round((index * 137.5) % 360)} 65% 40%)`;
}

function shorten(text, limit = 48) {
  const characters = [...text.replace(/\s+/g, " ").trim()];
  return characters.length > limit ? characters.slice(0, limit - 1).join("") + "…" : characters.join("");
}

/**
 * A read-only text whose ranges are drawn as marks, with a keyboard caret and selection (`kbd-selection`)
 * beside the mouse's window selection. Offsets here are UTF-16 units; `index` converts them.
 */
export function createSelectableText({ className, ariaLabel, persistentCaret = false, keepSelection = false, onClick }) {
  const element = document.createElement("div");
  element.className = `selectable-text ${className}${persistentCaret ? " persistent-caret" : ""}`;
  element.tabIndex = 0;
  element.setAttribute("role", "textbox");
  element.setAttribute("aria-readonly", "true");
  element.setAttribute("aria-multiline", "true");
  if (ariaLabel) element.setAttribute("aria-label", ariaLabel);
  let index = textIndex("");
  let marks = [];
  let caret = null;
  let anchor = null;
  let drawn = null;
  let remembered = null; // the last mouse selection, while it is still the window's
  const caretElement = document.createElement("span");
  caretElement.className = "kbd-caret";
  caretElement.hidden = true;
  caretElement.setAttribute("aria-hidden", "true");
  new ResizeObserver(() => placeCaret()).observe(element);

  /** The window selection clipped to this text, as UTF-16 offsets, or null when it lies elsewhere. */
  function nativeSelection() {
    const selection = document.getSelection();
    if (!selection || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const whole = document.createRange();
    whole.selectNodeContents(element);
    const startSide = whole.comparePoint(range.startContainer, range.startOffset);
    const endSide = whole.comparePoint(range.endContainer, range.endOffset);
    if (startSide > 0 || endSide < 0 || (startSide < 0 && endSide < 0) || (startSide > 0 && endSide > 0)) return null;
    const start = startSide < 0 ? 0 : offsetOf(range.startContainer, range.startOffset);
    const end = endSide > 0 ? index.length : offsetOf(range.endContainer, range.endOffset);
    let backward = false;
    if (selection.anchorNode && selection.focusNode && !selection.isCollapsed) {
      backward = selection.anchorNode.compareDocumentPosition(selection.focusNode) & Node.DOCUMENT_POSITION_PRECEDING
        ? true
        : selection.anchorNode === selection.focusNode && selection.focusOffset < selection.anchorOffset;
    }
    return { start, end, collapsed: start === end, backward };
  }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(element, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  /** The DOM point at a UTF-16 offset: a text node and an offset in it (at a node's edge, the earlier node unless `after`). */
  function domPoint(unit, after = false) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let seen = 0;
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (unit < seen + node.length || (!after && unit === seen + node.length)) return [node, unit - seen];
      seen += node.length;
      last = node;
    }
    return last ? [last, last.length] : [element, 0];
  }

  function clearNative() {
    const native = nativeSelection();
    remembered = null;
    if (native) document.getSelection().removeAllRanges();
    return Boolean(native && !native.collapsed);
  }

  // With `keepSelection`, a mouse selection outlives the window's (a click in a form control drops that one):
  // it becomes the keyboard selection.
  if (keepSelection) {
    document.addEventListener("selectionchange", () => {
      const native = nativeSelection();
      if (native) {
        remembered = native.collapsed ? null : native;
      } else if (remembered && element.isConnected) {
        anchor = remembered.backward ? remembered.end : remembered.start;
        caret = remembered.backward ? remembered.start : remembered.end;
        remembered = null;
        draw();
      }
    });
  }

  /** Redraws what changed: the text with its marks and keyboard selection (keeping any window selection), and the caret. */
  function draw() {
    const selectionRange = anchor !== null && caret !== null && anchor !== caret ? [Math.min(anchor, caret), Math.max(anchor, caret)] : null;
    const key = selectionRange ? selectionRange.join(":") : "";
    if (!drawn || drawn.marks !== marks || drawn.index !== index || drawn.selection !== key) {
      drawn = { marks, index, selection: key };
      drawText(selectionRange);
    }
    placeCaret();
  }

  function drawText(selectionRange) {
    const native = nativeSelection();
    const text = index.text;
    const points = new Set([0, text.length]);
    const starting = new Map();
    const empty = new Map();
    for (const mark of assignLanes(marks)) {
      const start = Math.max(0, Math.min(text.length, mark.start));
      const end = Math.max(start, Math.min(text.length, mark.end));
      const bucket = start === end ? empty : starting;
      if (!bucket.has(start)) bucket.set(start, []);
      bucket.get(start).push({ ...mark, start, end });
      points.add(start);
      points.add(end);
    }
    if (selectionRange) selectionRange.forEach((point) => points.add(point));
    const sorted = [...points].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    let active = [];
    for (let i = 0; i < sorted.length; i++) {
      const from = sorted[i];
      for (const mark of empty.get(from) ?? []) fragment.append(markElement(mark));
      if (i === sorted.length - 1) break;
      const to = sorted[i + 1];
      active = active.filter((mark) => mark.end > from).concat(starting.get(from) ?? []);
      let node = document.createTextNode(text.slice(from, to));
      if (selectionRange && from >= selectionRange[0] && to <= selectionRange[1]) {
        const wrapper = document.createElement("span");
        wrapper.className = "kbd-selection";
        wrapper.append(node);
        node = wrapper;
      }
      // Inner marks are the later lanes: a click lands on the most specific span.
      for (const mark of [...active].sort((a, b) => b.lane - a.lane)) {
        const wrapper = markElement(mark);
        wrapper.append(node);
        node = wrapper;
      }
      fragment.append(node);
    }
    fragment.append(caretElement);
    element.replaceChildren(fragment);
    if (native) {
      const [anchorUnit, focusUnit] = native.backward ? [native.end, native.start] : [native.start, native.end];
      document.getSelection().setBaseAndExtent(...domPoint(anchorUnit), ...domPoint(focusUnit));
    }
  }

  function markElement(mark) {
    const wrapper = document.createElement("mark");
    wrapper.className = mark.className;
    for (const [key, value] of Object.entries(mark.data ?? {})) wrapper.dataset[key] = String(value);
    if (mark.color) wrapper.style.setProperty("--span-color", mark.color);
    if (mark.lane) wrapper.style.setProperty("--lane", String(mark.lane));
    if (mark.title) wrapper.title = mark.title;
    return wrapper;
  }

  /** The caret is drawn over the text (never inside it), so moving it leaves the marks whole. */
  function placeCaret() {
    caretElement.hidden = caret === null;
    if (caret === null || !element.isConnected) return;
    const [node, offset] = domPoint(caret, true);
    const range = document.createRange();
    let rect;
    if (node.nodeType === Node.TEXT_NODE && node.length) {
      // A character's box is always there (a collapsed range's may not be, at a line wrap).
      if (offset < node.length) {
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        rect = [...range.getClientRects()].at(0);
        rect = rect && { left: rect.left, top: rect.top, height: rect.height };
      } else {
        range.setStart(node, offset - 1);
        range.setEnd(node, offset);
        rect = [...range.getClientRects()].at(-1);
        rect = rect && { left: rect.right, top: rect.top, height: rect.height };
      }
    }
    const box = element.getBoundingClientRect();
    if (!rect) {
      const style = getComputedStyle(element);
      rect = { left: box.left + element.clientLeft + parseFloat(style.paddingLeft), top: box.top + element.clientTop + parseFloat(style.paddingTop), height: parseFloat(style.fontSize) * 1.3 };
    }
    caretElement.style.left = `${rect.left - box.left - element.clientLeft + element.scrollLeft}px`;
    caretElement.style.top = `${rect.top - box.top - element.clientTop + element.scrollTop}px`;
    caretElement.style.height = `${rect.height}px`;
  }

  function scrollToCaret() {
    if (!caretElement.hidden) caretElement.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  let pressedAt = null;
  element.addEventListener("mousedown", (event) => {
    if (event.button !== 0) return;
    pressedAt = { x: event.clientX, y: event.clientY };
    // A mouse selection replaces the keyboard's; unmark it without touching the DOM the browser selects in.
    if (anchor !== null) {
      anchor = null;
      for (const node of element.querySelectorAll(".kbd-selection")) node.classList.remove("kbd-selection");
    }
  });
  element.addEventListener("click", (event) => {
    let native = nativeSelection();
    const moved = pressedAt && Math.hypot(event.clientX - pressedAt.x, event.clientY - pressedAt.y) > 3;
    // A plain click inside an old selection is a click, not a selection (the browser may not have dropped it yet).
    if (native && !native.collapsed && !moved && event.detail < 2) {
      clearNative();
      native = null;
    }
    if (!native || native.collapsed) {
      const point = offsetAtPoint(event.clientX, event.clientY) ?? native?.start;
      if (point !== undefined) caret = index.floorBoundary(point);
      anchor = null;
    }
    const mark = event.target instanceof Element ? event.target.closest("mark") : null;
    onClick?.({ mark: mark && element.contains(mark) ? mark : null, selecting: Boolean(native && !native.collapsed), event });
    draw();
  });

  /** The UTF-16 offset under a viewport point, when it lies in this text. */
  function offsetAtPoint(x, y) {
    let node;
    let offset;
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      [node, offset] = [position?.offsetNode, position?.offset];
    } else if (document.caretRangeFromPoint) {
      const range = document.caretRangeFromPoint(x, y);
      [node, offset] = [range?.startContainer, range?.startOffset];
    }
    if (!node || !element.contains(node) || node === caretElement) return undefined;
    return offsetOf(node, offset);
  }
  element.addEventListener("focus", () => {
    if (caret === null) {
      caret = 0;
      draw();
    }
  });

  return {
    element,
    get index() {
      return index;
    },
    get caret() {
      return caret;
    },
    setText(text) {
      index = textIndex(text);
      caret = null;
      anchor = null;
      marks = [];
      draw();
    },
    /** Marks: `{start, end, className, data, color, title}` in UTF-16 offsets. */
    setMarks(list) {
      marks = list;
      draw();
    },
    /** The current non-empty selection (the mouse's first, then the keyboard's), as UTF-16 offsets. */
    selection() {
      const native = nativeSelection();
      if (native && !native.collapsed) return { start: native.start, end: native.end, source: "mouse" };
      if (anchor !== null && caret !== null && anchor !== caret) {
        return { start: Math.min(anchor, caret), end: Math.max(anchor, caret), source: "keyboard" };
      }
      return null;
    },
    /** Drops both selections; true when there was one. */
    clearSelection({ keepCaret = true } = {}) {
      const hadNative = clearNative();
      const hadKeyboard = anchor !== null && anchor !== caret;
      anchor = null;
      if (!keepCaret) caret = null;
      draw();
      return hadNative || hadKeyboard;
    },
    /** Caret moves over characters, words and lines while the text has the focus. */
    handleKey(name) {
      if (document.activeElement !== element) return false;
      const parts = name.split("+");
      const key = parts.pop();
      const modifiers = new Set(parts);
      if (name === "ctrl+a" || name === "meta+a") {
        clearNative();
        anchor = 0;
        caret = index.length;
        draw();
        return true;
      }
      if (!["arrowleft", "arrowright", "arrowup", "arrowdown", "home", "end"].includes(key)) return false;
      const native = nativeSelection();
      if (native && !native.collapsed) {
        anchor = native.backward ? native.end : native.start;
        caret = native.backward ? native.start : native.end;
      }
      clearNative();
      if (caret === null) caret = 0;
      const extend = modifiers.has("shift");
      const byWord = modifiers.has("ctrl") || modifiers.has("alt");
      const hasSelection = anchor !== null && anchor !== caret;
      let target;
      if (key === "arrowright") {
        if (modifiers.has("meta")) target = index.lineEnd(caret);
        else if (byWord) target = index.nextWordEnd(caret);
        else target = !extend && hasSelection ? Math.max(anchor, caret) : index.nextBoundary(caret);
      } else if (key === "arrowleft") {
        if (modifiers.has("meta")) target = index.lineStart(caret);
        else if (byWord) target = index.previousWordStart(caret);
        else target = !extend && hasSelection ? Math.min(anchor, caret) : index.previousBoundary(caret);
      } else if (key === "arrowup" || key === "arrowdown") {
        target = index.verticalMove(caret, key === "arrowup" ? -1 : 1);
      } else if (key === "home") {
        target = modifiers.has("ctrl") ? 0 : index.lineStart(caret);
      } else {
        target = modifiers.has("ctrl") ? index.length : index.lineEnd(caret);
      }
      if (extend) {
        if (anchor === null) anchor = caret;
      } else {
        anchor = null;
      }
      caret = target;
      draw();
      scrollToCaret();
      return true;
    },
    draw,
  };
}

/** Gives each mark the lowest lane free at its start, so overlapping marks stack their underlines. */
function assignLanes(marks) {
  const ordered = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
  const laneEnds = [];
  for (const mark of ordered) {
    let lane = laneEnds.findIndex((end) => end <= mark.start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = Math.max(mark.end, mark.start + 1);
    mark.lane = lane;
  }
  return ordered;
}

/** A label's hotkey as the core writes keys ("shift+p", "1"). */
function normalizeKey(key) {
  const parts = String(key).toLowerCase().split("+");
  const last = parts.pop();
  const order = ["ctrl", "alt", "shift", "meta"];
  return [...order.filter((modifier) => parts.includes(modifier)), last === " " ? "space" : last].join("+");
}

function nextSpanId(spans) {
  let highest = 0;
  for (const span of spans) {
    const match = /^s(\d+)$/.exec(span.id ?? "");
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `s${highest + 1}`;
}

/** Spans sorted by position, each with an id. */
function tidySpans(spans) {
  const result = spans.map((span) => ({ ...span }));
  for (const span of result) if (typeof span.id !== "string" || !span.id) span.id = nextSpanId(result);
  return result.sort((a, b) => a.start - b.start || a.end - b.end);
}

function isTypingTarget(target) {
  return target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}

export function createSpansWidget(field, core) {
  const labels = normalizeOptions(field.labels);
  const isFirstSpans = (core.schema?.fields ?? []).find((f) => f.type === "spans")?.name === field.name;
  labels.forEach((label, position) => {
    label.color = paletteColor(position);
    label.key = label.hotkey ? normalizeKey(label.hotkey) : isFirstSpans && position < 9 ? String(position + 1) : "";
  });
  const labelByValue = new Map(labels.map((label) => [label.value, label]));

  const element = document.createElement("fieldset");
  element.className = "field field-spans";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const bar = document.createElement("div");
  bar.className = "span-labels";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Labels");
  for (const label of labels) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "span-label";
    button.dataset.value = label.value;
    button.style.setProperty("--span-color", label.color);
    const key = document.createElement("kbd");
    key.textContent = label.key;
    const swatch = document.createElement("span");
    swatch.className = "span-swatch";
    swatch.setAttribute("aria-hidden", "true");
    const name = document.createElement("span");
    name.textContent = label.label;
    button.append(key, swatch, name);
    if (label.hint) button.title = label.hint;
    // Keep the text's selection and focus: the label applies to what is selected there.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => applyLabel(label.value));
    bar.append(button);
  }
  const text = createSelectableText({
    className: "span-text",
    ariaLabel: `${fieldCaption(field)}: text to label`,
    onClick: ({ mark, selecting }) => {
      if (selecting) return;
      if (!mark || !mark.classList.contains("span")) return select(null);
      // Clicking a selected span again selects the span around it, then the innermost again.
      const chain = [];
      for (let m = mark; m && text.element.contains(m); m = m.parentElement?.closest("mark.span")) chain.push(m);
      const at = chain.findIndex((m) => m.dataset.spanId === selectedId);
      select(chain[at >= 0 ? (at + 1) % chain.length : 0].dataset.spanId);
    },
  });
  const hint = document.createElement("small");
  hint.className = "span-count muted";
  const editor = document.createElement("div");
  editor.className = "span-editor";
  editor.hidden = true;
  const list = document.createElement("ul");
  list.className = "span-list";
  element.append(legend, bar, text.element, hint, editor, list);

  let spans = [];
  let selectedId = null;
  let sourceText = "";
  let drawnKey = null;
  let editorKey = null;

  function select(id) {
    selectedId = id && spans.some((span) => span.id === id) ? id : null;
    refresh();
    if (selectedId) list.querySelector(`li[data-span-id="${CSS.escape(selectedId)}"]`)?.scrollIntoView({ block: "nearest" });
  }

  function applyLabel(value) {
    const selection = text.selection();
    if (selection) return addSpan(selection, value);
    if (selectedId) return relabel(selectedId, value);
    core.setStatus("Select some text first (mouse, or shift+arrows in the text), then choose its label.");
    return true;
  }

  function addSpan(selection, value) {
    const index = text.index;
    const [from, to] = index.snapAndTrim(selection.start, selection.end);
    if (from >= to) {
      core.setStatus("The selection holds only spaces; select a word or more.", true);
      return true;
    }
    const start = index.toPoint(from);
    const end = index.toPoint(to);
    const problem = conflict({ start, end, label: value });
    if (problem) {
      core.setStatus(problem, true);
      return true;
    }
    if (field.max_spans != null && spans.length >= field.max_spans) {
      core.setStatus(`At most ${field.max_spans} spans: delete one first.`, true);
      return true;
    }
    const span = { id: nextSpanId(spans), start, end, label: value, text: index.text.slice(from, to) };
    text.clearSelection();
    if (labelByValue.get(value)?.attributes?.length) selectedId = span.id;
    core.setField(field.name, tidySpans([...spans, span]));
    core.setStatus(`Labeled “${shorten(span.text)}” as ${labelByValue.get(value)?.label ?? value}.`);
    return true;
  }

  /** Why a span may not join the others (the same range and label, or a shared character without overlap). */
  function conflict(candidate, ignoreId = null) {
    for (const span of spans) {
      if (span.id === ignoreId) continue;
      if (span.start === candidate.start && span.end === candidate.end && span.label === candidate.label) {
        return `“${shorten(span.text ?? "")}” is already labeled ${candidate.label}.`;
      }
      if (!field.overlap && span.start < candidate.end && candidate.start < span.end) {
        return `Spans may not overlap: this one shares characters with “${shorten(spanText(span))}” (${span.label}).`;
      }
    }
    return null;
  }

  /** The names of the required attributes a span lacks. */
  function missingAttributes(span) {
    const required = (labelByValue.get(span.label)?.attributes ?? []).filter((attribute) => attribute.required);
    return required.filter((attribute) => !span.attributes?.[attribute.name]).map((attribute) => attribute.name);
  }

  function spanText(span) {
    return typeof span.text === "string" ? span.text : text.index.slicePoints(span.start, span.end);
  }

  function relabel(id, value) {
    const span = spans.find((s) => s.id === id);
    if (!span || span.label === value) return true;
    const problem = conflict({ start: span.start, end: span.end, label: value }, id);
    if (problem) {
      core.setStatus(problem, true);
      return true;
    }
    const allowed = new Set((labelByValue.get(value)?.attributes ?? []).map((attribute) => attribute.name));
    const updated = { ...span, label: value };
    const kept = Object.fromEntries(Object.entries(span.attributes ?? {}).filter(([name]) => allowed.has(name)));
    if (Object.keys(kept).length) updated.attributes = kept;
    else delete updated.attributes;
    core.setField(field.name, spans.map((s) => (s.id === id ? updated : s)));
    return true;
  }

  function setAttribute(id, name, attributeValue) {
    const span = spans.find((s) => s.id === id);
    if (!span) return;
    const attributes = { ...(span.attributes ?? {}) };
    if (attributeValue === "") delete attributes[name];
    else attributes[name] = attributeValue;
    const updated = { ...span, attributes };
    if (!Object.keys(attributes).length) delete updated.attributes;
    core.setField(field.name, spans.map((s) => (s.id === id ? updated : s)), { coalesce: true });
  }

  /** Deletes a span and, in one undo step, the relations that point to it. */
  function deleteSpan(id) {
    const remaining = spans.filter((span) => span.id !== id);
    if (remaining.length === spans.length) return;
    if (selectedId === id) selectedId = null;
    const depth = core.undoStack?.length;
    let steps = 0;
    for (const other of core.schema?.fields ?? []) {
      if (other.type !== "relations" || other.spans !== field.name) continue;
      const relations = core.value[other.name];
      if (!Array.isArray(relations)) continue;
      const kept = relations.filter((relation) => relation.head !== id && relation.tail !== id);
      if (kept.length === relations.length) continue;
      core.setField(other.name, kept);
      steps++;
    }
    core.setField(field.name, remaining);
    steps++;
    // Fold the extra history entries into one, so a single undo brings the span and its relations back.
    if (steps > 1 && Array.isArray(core.undoStack) && core.undoStack.length === depth + steps) {
      core.undoStack.splice(depth + 1, steps - 1);
    }
    core.setStatus("Span deleted.");
  }

  function refresh() {
    const key = JSON.stringify([spans, selectedId, sourceText.length]);
    if (key === drawnKey) return;
    drawnKey = key;
    const index = text.index;
    text.setMarks(
      spans.map((span) => {
        const label = labelByValue.get(span.label);
        return {
          start: index.toUnit(span.start),
          end: index.toUnit(span.end),
          className: `span${span.id === selectedId ? " selected" : ""}`,
          data: { spanId: span.id, label: span.label, start: span.start, end: span.end },
          color: label?.color ?? "#868e96",
          title: label?.label ?? span.label,
        };
      }),
    );
    list.replaceChildren(
      ...spans.map((span) => {
        const item = document.createElement("li");
        const missing = missingAttributes(span);
        item.className = `span-item${span.id === selectedId ? " selected" : ""}${missing.length ? " needs-attributes" : ""}`;
        if (missing.length) item.title = `Needs: ${missing.join(", ")}`;
        item.dataset.spanId = span.id;
        item.dataset.label = span.label;
        item.style.setProperty("--span-color", labelByValue.get(span.label)?.color ?? "#868e96");
        const chip = document.createElement("span");
        chip.className = "span-chip";
        chip.textContent = labelByValue.get(span.label)?.label ?? span.label;
        const words = document.createElement("span");
        words.className = "span-item-text";
        words.textContent = spanText(span);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "span-item-delete";
        remove.textContent = "×";
        remove.title = "Delete this span";
        remove.setAttribute("aria-label", `Delete span ${span.id}`);
        remove.addEventListener("click", (event) => {
          event.stopPropagation();
          deleteSpan(span.id);
        });
        item.append(chip, words, remove);
        item.addEventListener("click", () => select(span.id === selectedId ? null : span.id));
        return item;
      }),
    );
    const limits = [field.min_spans ? `at least ${field.min_spans}` : "", field.max_spans != null ? `at most ${field.max_spans}` : ""].filter(Boolean);
    const incomplete = spans.filter((span) => missingAttributes(span).length).length;
    hint.textContent = spans.length
      ? `${spans.length} span${spans.length === 1 ? "" : "s"}${limits.length ? ` (${limits.join(", ")})` : ""} · click one to edit it` +
        (incomplete ? ` · ${incomplete} need${incomplete === 1 ? "s" : ""} an attribute` : "")
      : `Select text, then click a label or press its key${limits.length ? ` (${limits.join(", ")})` : ""}.`;
    renderEditor();
  }

  function renderEditor() {
    const span = spans.find((s) => s.id === selectedId);
    if (!span) {
      editor.hidden = true;
      editor.replaceChildren();
      editorKey = null;
      return;
    }
    editor.hidden = false;
    const key = `${span.id}\u0000${span.label}`;
    if (key !== editorKey) {
      editorKey = key;
      buildEditor(span);
    }
    editor.querySelector(".span-editor-text").textContent = spanText(span);
    for (const input of editor.querySelectorAll(".span-attribute")) {
      const current = span.attributes?.[input.dataset.attribute] ?? "";
      if (input.value !== current && document.activeElement !== input) input.value = current;
    }
  }

  function buildEditor(span) {
    const label = labelByValue.get(span.label);
    const heading = document.createElement("div");
    heading.className = "span-editor-heading";
    const quote = document.createElement("q");
    quote.className = "span-editor-text";
    const where = document.createElement("small");
    where.className = "muted";
    where.textContent = ` ${span.id} · characters ${span.start}–${span.end}`;
    heading.append(quote, where);
    const choices = document.createElement("div");
    choices.className = "span-editor-labels";
    for (const option of labels) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "span-relabel";
      button.dataset.value = option.value;
      button.style.setProperty("--span-color", option.color);
      button.setAttribute("aria-pressed", String(option.value === span.label));
      button.textContent = option.label;
      button.addEventListener("click", () => relabel(span.id, option.value));
      choices.append(button);
    }
    const attributes = (label?.attributes ?? []).map((attribute) => {
      const wrapper = document.createElement("label");
      wrapper.className = "span-attribute-row";
      const caption = document.createElement("span");
      caption.textContent = (attribute.label ?? attribute.name) + (attribute.required ? "" : " (optional)");
      let input;
      if (Array.isArray(attribute.options) && attribute.options.length) {
        input = document.createElement("select");
        const none = document.createElement("option");
        none.value = "";
        none.textContent = "—";
        input.append(none);
        for (const option of normalizeOptions(attribute.options)) {
          const choice = document.createElement("option");
          choice.value = option.value;
          choice.textContent = option.label;
          input.append(choice);
        }
        input.addEventListener("change", () => setAttribute(span.id, attribute.name, input.value));
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.addEventListener("input", () => setAttribute(span.id, attribute.name, input.value));
      }
      input.className = "span-attribute";
      input.dataset.attribute = attribute.name;
      wrapper.append(caption, input);
      return wrapper;
    });
    const actions = document.createElement("div");
    actions.className = "span-editor-actions";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "span-delete";
    remove.textContent = "Delete span";
    const key = document.createElement("kbd");
    key.textContent = "Del";
    remove.append(" ", key);
    remove.addEventListener("click", () => {
      deleteSpan(span.id);
      text.element.focus({ preventScroll: true });
    });
    const close = document.createElement("button");
    close.type = "button";
    close.className = "span-deselect";
    close.textContent = "Done";
    close.addEventListener("click", () => select(null));
    actions.append(remove, close);
    editor.replaceChildren(heading, choices, ...attributes, actions);
  }

  return {
    field,
    element,
    dataKeys: field.source ? [field.source] : [],
    showTask(task) {
      const source = task?.data?.[field.source];
      sourceText = typeof source === "string" ? source : "";
      selectedId = null;
      drawnKey = null;
      editorKey = null;
      text.setText(sourceText);
      if (typeof source !== "string") core.setStatus(`This task has no text under "${field.source}".`, true);
    },
    render(value) {
      spans = Array.isArray(value) ? value.filter((span) => span && typeof span === "object") : [];
      if (selectedId && !spans.some((span) => span.id === selectedId)) selectedId = null;
      refresh();
    },
    handleKey(name, event) {
      if (isTypingTarget(event?.target) && name !== "escape") return false;
      const label = labels.find((l) => l.key && l.key === name);
      if (label) {
        if (text.selection()) return applyLabel(label.value);
        if (selectedId) return relabel(selectedId, label.value);
        return false;
      }
      if (text.handleKey(name)) return true;
      if (name === "escape") {
        if (text.selection()) return text.clearSelection();
        if (selectedId) {
          select(null);
          return true;
        }
        return false;
      }
      if ((name === "delete" || name === "backspace") && selectedId) {
        deleteSpan(selectedId);
        return true;
      }
      return false;
    },
  };
}

export function createRelationsWidget(field, core) {
  const labels = normalizeOptions(field.labels);
  const directed = field.directed !== false;
  const element = document.createElement("fieldset");
  element.className = "field field-relations";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);

  const controls = document.createElement("div");
  controls.className = "relation-controls";
  const head = spanSelect("relation-head", directed ? "From (head)" : "Between");
  const tail = spanSelect("relation-tail", directed ? "To (tail)" : "And");
  const pick = document.createElement("button");
  pick.type = "button";
  pick.className = "relation-pick";
  pick.setAttribute("aria-pressed", "false");
  pick.textContent = "Pick in text";
  pick.title = "Then click the head span, then the tail span";
  controls.append(head.wrapper, tail.wrapper, pick);

  const labelBar = document.createElement("div");
  labelBar.className = "relation-labels";
  const labelButtons = labels.map((label) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "relation-label";
    button.dataset.value = label.value;
    button.setAttribute("aria-pressed", "false");
    button.textContent = label.label;
    if (label.hint) button.title = label.hint;
    button.addEventListener("click", () => {
      chosenLabel = label.value;
      showChoices();
    });
    labelBar.append(button);
    return button;
  });
  const add = document.createElement("button");
  add.type = "button";
  add.className = "relation-add primary";
  add.textContent = "Add relation";
  add.addEventListener("click", addRelation);
  labelBar.append(add);

  const list = document.createElement("ul");
  list.className = "relation-list";
  const hint = document.createElement("small");
  hint.className = "relation-count muted";
  element.append(legend, controls, labelBar, list, hint);

  let relations = [];
  let spanById = new Map();
  let chosenLabel = labels.length === 1 ? labels[0].value : null;
  let picking = null; // null, "head" or "tail"
  let optionsKey = null;
  let listKey = null;

  function spanSelect(className, caption) {
    const wrapper = document.createElement("label");
    wrapper.className = "relation-end";
    const text = document.createElement("span");
    text.textContent = caption;
    const select = document.createElement("select");
    select.className = className;
    wrapper.append(text, select);
    return { wrapper, select };
  }

  function spansElement() {
    return document.querySelector(`.field-spans[data-field="${CSS.escape(field.spans)}"]`);
  }

  /** A span's words: its `text`, else the source's characters at its offsets. */
  function spanWords(span) {
    if (typeof span.text === "string") return span.text;
    const source = (core.schema?.fields ?? []).find((f) => f.name === field.spans)?.source;
    const text = core.task?.data?.[source];
    return typeof text === "string" ? textIndex(text).slicePoints(span.start, span.end) : span.id;
  }

  function spanCaption(span) {
    return `${span.id} · ${span.label} · ${shorten(spanWords(span), 40)}`;
  }

  function showChoices() {
    for (const button of labelButtons) button.setAttribute("aria-pressed", String(button.dataset.value === chosenLabel));
  }

  function setPicking(state) {
    picking = state;
    pick.setAttribute("aria-pressed", String(Boolean(state)));
    pick.textContent = state === "head" ? "Click the head span…" : state === "tail" ? "Click the tail span…" : "Pick in text";
    spansElement()?.classList.toggle("relation-picking", Boolean(state));
  }

  pick.addEventListener("click", () => {
    setPicking(picking ? null : "head");
    if (picking) core.setStatus(`Click the ${directed ? "head" : "first"} span in the text.`);
  });

  // Picking: the next clicks on span marks set head, then tail (before the spans widget selects them).
  document.addEventListener(
    "click",
    (event) => {
      if (!picking || !(event.target instanceof Element)) return;
      const mark = event.target.closest("mark.span");
      const host = spansElement();
      if (!mark || !host?.contains(mark) || !spanById.has(mark.dataset.spanId)) return;
      event.stopPropagation();
      event.preventDefault();
      if (picking === "head") {
        head.select.value = mark.dataset.spanId;
        setPicking("tail");
        core.setStatus(`Now click the ${directed ? "tail" : "second"} span.`);
      } else {
        tail.select.value = mark.dataset.spanId;
        setPicking(null);
        core.setStatus(chosenLabel ? "Press “Add relation”." : "Choose the relation's label, then press “Add relation”.");
      }
    },
    true,
  );

  function sameLink(a, b) {
    if (a.label !== b.label) return false;
    if (a.head === b.head && a.tail === b.tail) return true;
    return !directed && a.head === b.tail && a.tail === b.head;
  }

  function addRelation() {
    const relation = { head: head.select.value, tail: tail.select.value, label: chosenLabel };
    if (!relation.head || !relation.tail) return core.setStatus(`Choose both spans of the relation (or use “Pick in text”).`, true);
    if (relation.head === relation.tail) return core.setStatus("A relation links two different spans.", true);
    if (!relation.label) return core.setStatus("Choose the relation's label.", true);
    if (relations.some((existing) => sameLink(existing, relation))) return core.setStatus("That relation is already there.", true);
    core.setField(field.name, [...relations, relation]);
    head.select.value = "";
    tail.select.value = "";
    core.setStatus("Relation added.");
  }

  function fillSelect(select, spans, placeholder) {
    const current = select.value;
    const none = document.createElement("option");
    none.value = "";
    none.textContent = placeholder;
    select.replaceChildren(
      none,
      ...spans.map((span) => {
        const option = document.createElement("option");
        option.value = span.id;
        option.textContent = spanCaption(span);
        return option;
      }),
    );
    select.value = spanById.has(current) ? current : "";
  }

  function endText(id) {
    const span = spanById.get(id);
    return span ? shorten(spanWords(span), 40) : `(deleted ${id})`;
  }

  return {
    field,
    element,
    showTask() {
      setPicking(null);
      head.select.value = "";
      tail.select.value = "";
    },
    render(value) {
      relations = Array.isArray(value) ? value.filter((relation) => relation && typeof relation === "object") : [];
      const spans = (Array.isArray(core.value[field.spans]) ? core.value[field.spans] : []).filter((span) => span && typeof span.id === "string");
      spanById = new Map(spans.map((span) => [span.id, span]));
      const spansKey = JSON.stringify(spans.map((span) => [span.id, span.label, span.text]));
      if (spansKey !== optionsKey) {
        optionsKey = spansKey;
        fillSelect(head.select, spans, spans.length ? "Choose a span…" : "No spans yet");
        fillSelect(tail.select, spans, spans.length ? "Choose a span…" : "No spans yet");
      }
      const key = JSON.stringify([relations, spansKey]);
      if (key === listKey) return;
      listKey = key;
      const labelOf = new Map(labels.map((label) => [label.value, label.label]));
      let dangling = 0;
      list.replaceChildren(
        ...relations.map((relation) => {
          const item = document.createElement("li");
          const broken = !spanById.has(relation.head) || !spanById.has(relation.tail);
          if (broken) dangling++;
          item.className = `relation-item${broken ? " dangling" : ""}`;
          item.dataset.head = relation.head;
          item.dataset.tail = relation.tail;
          item.dataset.label = relation.label;
          const words = document.createElement("span");
          words.className = "relation-text";
          const name = labelOf.get(relation.label) ?? relation.label;
          words.textContent = `${endText(relation.head)} —${name}${directed ? "→" : "—"} ${endText(relation.tail)}`;
          if (broken) item.title = "This relation points to a span that no longer exists: delete it.";
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "relation-delete";
          remove.textContent = "×";
          remove.setAttribute("aria-label", "Delete this relation");
          remove.addEventListener("click", () => core.setField(field.name, relations.filter((r) => r !== relation)));
          item.append(words, remove);
          return item;
        }),
      );
      hint.textContent = `${relations.length} relation${relations.length === 1 ? "" : "s"}${dangling ? ` · ${dangling} pointing to deleted spans` : ""}`;
      showChoices();
    },
    handleKey(name) {
      if (name === "escape" && picking) {
        setPicking(null);
        return true;
      }
      return false;
    },
  };
}
