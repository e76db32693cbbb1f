// The `rewrite` field (edit a response into the ideal one, with a live word diff) and the `prompt` field (write
// a new prompt, its tags and optionally its answer).

import { fieldCaption, lengthHint, normalizeOptions, setFieldValue } from "./field-helpers.js";

/** Words with the whitespace after them (leading whitespace is a token of its own), as the server splits. */
export function wordTokens(text) {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

const maximumWords = 4000; // past this many changed words on a side, the diff is one removal and one addition

/** A word-level diff `[["=", "kept "], ["-", "old "], ["+", "new "]]` of `after` against `before`, computed
 *  as the server computes the stored one (the same LCS and tie-breaks), so the preview is what is kept. */
export function wordDiff(before, after) {
  const a = wordTokens(before);
  const b = wordTokens(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const ops = [];
  const push = (op, token) => {
    const last = ops[ops.length - 1];
    if (last && last[0] === op) last[1] += token;
    else ops.push([op, token]);
  };
  for (const token of a.slice(0, prefix)) push("=", token);
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const n = middleA.length;
  const m = middleB.length;
  if (n > maximumWords || m > maximumWords) {
    for (const token of middleA) push("-", token);
    for (const token of middleB) push("+", token);
  } else {
    // table[i * width + j]: the longest common subsequence of middleA[i…] and middleB[j…].
    const width = m + 1;
    const table = new Uint16Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = middleA[i] === middleB[j]
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && middleA[i] === middleB[j]) {
        push("=", middleA[i++]);
        j++;
      } else if (j < m && (i === n || table[i * width + j + 1] > table[(i + 1) * width + j])) {
        push("+", middleB[j++]);
      } else {
        push("-", middleA[i++]);
      }
    }
  }
  for (const token of a.slice(a.length - suffix)) push("=", token);
  return ops;
}

/** Draws a diff as text, <del> and <ins>; never as HTML. */
function renderDiff(container, ops) {
  container.replaceChildren(...ops.map(([op, text]) => {
    if (op === "=") return document.createTextNode(text);
    const mark = document.createElement(op === "-" ? "del" : "ins");
    mark.textContent = text;
    return mark;
  }));
}

function textOf(value) {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof value.text === "string") return value.text;
  return "";
}

export function createRewriteWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-rewrite";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  const textarea = document.createElement("textarea");
  textarea.className = "rewrite-text";
  textarea.name = field.name;
  textarea.rows = 10;
  textarea.setAttribute("aria-label", field.label ?? field.name);
  if (field.max_length) textarea.maxLength = field.max_length;
  const bar = document.createElement("div");
  bar.className = "rewrite-bar";
  const hint = document.createElement("small");
  hint.className = "rewrite-hint muted";
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "rewrite-reset";
  reset.textContent = "Start over";
  reset.title = "Put the original response back";
  bar.append(hint, reset);
  const diffCaption = document.createElement("div");
  diffCaption.className = "rewrite-diff-caption muted";
  diffCaption.textContent = "Changes";
  const diff = document.createElement("div");
  diff.className = "rewrite-diff";
  diff.setAttribute("aria-live", "off");
  element.append(legend, textarea, bar, diffCaption, diff);

  const requireChange = field.require_change !== false;
  let source = "";
  let diffed = null; // the text the preview shows
  let timer = null;

  textarea.addEventListener("input", () => setFieldValue(core, field.name, textarea.value, { coalesce: true }));
  reset.addEventListener("click", () => setFieldValue(core, field.name, source));

  function sourceOf(task) {
    return textOf(task?.data?.[field.source]);
  }

  function showDiff(text) {
    if (text === diffed) return;
    clearTimeout(timer);
    const draw = () => {
      diffed = text;
      const ops = wordDiff(source, text);
      renderDiff(diff, ops);
      diff.classList.toggle("unchanged", ops.every(([op]) => op === "="));
    };
    // Long texts are diffed once typing pauses.
    if (source.length + text.length > 10_000) timer = setTimeout(draw, 150);
    else draw();
  }

  return {
    field,
    element,
    showTask(task) {
      source = sourceOf(task);
      diffed = null;
    },
    initialValue(task) {
      const text = sourceOf(task);
      return text || undefined;
    },
    render(value) {
      const text = textOf(value);
      if (textarea.value !== text) textarea.value = text;
      const unchanged = requireChange && text.trim() === source.trim();
      hint.textContent = lengthHint(text, field.min_length, field.max_length) + (unchanged ? " · unchanged: edit the response" : "");
      hint.classList.toggle("warning", unchanged);
      reset.disabled = text === source;
      showDiff(text);
    },
  };
}

export function createPromptWidget(field, core) {
  const element = document.createElement("fieldset");
  element.className = "field field-prompt";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);
  element.append(legend);

  const tagOptions = normalizeOptions(field.tags);
  const minimumTags = field.min_tags ?? (tagOptions.length ? 1 : 0);
  const answerMode = field.answer ?? "optional";

  const promptBox = document.createElement("label");
  promptBox.className = "prompt-box";
  const promptCaption = document.createElement("span");
  promptCaption.textContent = "Prompt";
  const prompt = document.createElement("textarea");
  prompt.className = "prompt-text";
  prompt.rows = 5;
  if (field.max_length) prompt.maxLength = field.max_length;
  const promptHint = document.createElement("small");
  promptHint.className = "muted";
  promptBox.append(promptCaption, prompt, promptHint);
  element.append(promptBox);
  prompt.addEventListener("input", () => update({ prompt: prompt.value }, "prompt"));

  let tagButtons = [];
  let tagHint = null;
  if (tagOptions.length) {
    const tags = document.createElement("div");
    tags.className = "prompt-tags";
    tags.setAttribute("role", "group");
    const caption = document.createElement("div");
    caption.className = "prompt-tags-caption";
    caption.textContent = "Tags";
    tagHint = document.createElement("small");
    tagHint.className = "muted";
    caption.append(" ", tagHint);
    tags.append(caption);
    tagButtons = tagOptions.map((option) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "prompt-tag";
      button.dataset.value = option.value;
      button.setAttribute("aria-pressed", "false");
      button.textContent = option.label;
      if (option.hint) button.title = option.hint;
      button.addEventListener("click", () => toggleTag(option.value));
      tags.append(button);
      return button;
    });
    element.append(tags);
  }

  let answer = null;
  let answerHint = null;
  if (answerMode !== "none") {
    const answerBox = document.createElement("label");
    answerBox.className = "prompt-answer-box";
    const caption = document.createElement("span");
    caption.textContent = answerMode === "required" ? "Answer" : "Answer (optional)";
    answer = document.createElement("textarea");
    answer.className = "prompt-answer";
    answer.rows = 5;
    answer.required = answerMode === "required";
    answerHint = document.createElement("small");
    answerHint.className = "muted";
    answerBox.append(caption, answer, answerHint);
    element.append(answerBox);
    answer.addEventListener("input", () => update({ answer: answer.value }, "answer"));
  }

  function current() {
    const value = core.value[field.name];
    return value && typeof value === "object" ? value : {};
  }

  let lastPart = null; // typing in one box coalesces; switching boxes starts a new undo step

  /** `{prompt, answer?, tags?}` with the empty keys left out. */
  function update(changes, part) {
    const merged = { ...current(), ...changes };
    const next = {};
    if (merged.prompt) next.prompt = merged.prompt;
    if (merged.answer && answerMode !== "none") next.answer = merged.answer;
    if (Array.isArray(merged.tags) && merged.tags.length) next.tags = merged.tags;
    const coalesce = part !== null && part === lastPart;
    lastPart = part;
    setFieldValue(core, field.name, Object.keys(next).length ? next : undefined, { coalesce });
  }

  function toggleTag(tag) {
    const selected = new Set(Array.isArray(current().tags) ? current().tags : []);
    if (selected.has(tag)) selected.delete(tag);
    else selected.add(tag);
    update({ tags: tagOptions.map((option) => option.value).filter((value) => selected.has(value)) }, null);
  }

  return {
    field,
    element,
    render(value) {
      const { prompt: promptText, answer: answerText, tags } = value && typeof value === "object" ? value : {};
      const text = typeof promptText === "string" ? promptText : "";
      if (prompt.value !== text) prompt.value = text;
      promptHint.textContent = lengthHint(text, field.min_length, field.max_length, { trim: true });
      const selected = new Set(Array.isArray(tags) ? tags : []);
      for (const button of tagButtons) button.setAttribute("aria-pressed", String(selected.has(button.dataset.value)));
      if (tagHint) tagHint.textContent = minimumTags ? `choose at least ${minimumTags} (${selected.size} chosen)` : `${selected.size} chosen`;
      if (answer) {
        const given = typeof answerText === "string" ? answerText : "";
        if (answer.value !== given) answer.value = given;
        answerHint.textContent = lengthHint(given, answerMode === "required" || given ? field.answer_min_length : null, null, { trim: true });
      }
    },
  };
}
