// The `code_review` field: the files of a change, highlighted with line numbers. The worker selects lines (click a
// line number, shift-click or drag for a range, or arrows in the code) and comments on them with a category, a
// severity, an optional CWE and a suggested fix. Comments show inline under their last line.

import { highlight, highlightToFragment, languageFromPath, normalizeLanguage, splitLines, tokensToFragment } from "../highlight.js";

const DEFAULT_CATEGORIES = ["bug", "security", "performance", "style", "correctness"];
const DEFAULT_SEVERITIES = ["low", "medium", "high", "critical"];
const CWE_PATTERN = /^CWE-\d{1,6}$/; // as the server checks it

export function createCodeReviewWidget(field, core) {
  const categories = choices(field.categories, DEFAULT_CATEGORIES);
  const severities = choices(field.severities, DEFAULT_SEVERITIES);
  const minComments = Number.isInteger(field.min_comments) ? field.min_comments : 0;
  const required = field.required !== false;

  const element = document.createElement("div");
  element.className = "field field-code_review";
  element.dataset.field = field.name;
  const title = document.createElement("div");
  title.className = "field-title";
  title.textContent = (field.label ?? field.name) + (required && minComments > 0 ? "" : " (comments optional)");
  const hint = document.createElement("p");
  hint.className = "review-hint muted";
  hint.textContent = "Click a line number (shift-click or drag for a range), or use ↑ ↓ (shift to extend) in the code and press C to comment.";
  const summary = document.createElement("p");
  summary.className = "review-summary";
  const list = document.createElement("ol");
  list.className = "review-list";
  const orphans = document.createElement("div");
  orphans.className = "review-orphans";
  element.append(title, hint, summary, list, orphans);

  // The code itself goes to the task panel where the core has one (it is wide); else into the field.
  const view = document.createElement("div");
  view.className = "code-review";
  view.dataset.reviewField = field.name;

  let files = []; // {path, language, lines, section, body, rows, count}
  let selection = null; // {file, anchor, cursor}: line numbers from 1
  const cursors = new Map(); // file index -> last current line
  let lastFile = null; // the file of the last selection
  let formOpen = false;
  let editing = null; // index of the comment being edited
  let dragging = false;
  let selectedRows = [];
  let highlightedRows = [];
  let commentedRows = [];
  let currentRow = null;
  let commentNodes = [];
  const NOTHING = Symbol("nothing");
  let rendered = NOTHING; // the value last drawn (by reference)

  const form = buildForm();

  // Selecting lines with the mouse: press on a line number, shift-press to extend, drag over numbers.
  view.addEventListener("mousedown", (event) => {
    const number = event.target.closest?.(".line-number");
    if (!number || event.button !== 0) return;
    event.preventDefault();
    const { file, line } = locate(number);
    if (event.shiftKey && selection && selection.file === file) selection.cursor = line;
    else selection = { file, anchor: line, cursor: line };
    dragging = true;
    clearHighlight();
    files[file].body.focus({ preventScroll: true });
    updateSelection();
  });
  view.addEventListener("mouseover", (event) => {
    if (!dragging || !selection) return;
    const row = event.target.closest?.(".code-line");
    if (!row) return;
    const { file, line } = locate(row);
    if (file !== selection.file || line === selection.cursor) return;
    selection.cursor = line;
    updateSelection();
  });
  // The form opens when the button is released, so that it does not push the lines away while dragging.
  window.addEventListener("mouseup", () => {
    if (!dragging) return;
    dragging = false;
    formOpen = true;
    placeForm();
  });
  view.addEventListener("click", (event) => {
    const tab = event.target.closest(".code-file-tab");
    if (tab) {
      const file = files[Number(tab.dataset.index)];
      file.section.scrollIntoView({ block: "start", behavior: "smooth" });
      file.body.focus({ preventScroll: true });
      return;
    }
    onCommentClick(event);
  });
  element.addEventListener("click", (event) => {
    if (view.contains(event.target)) return;
    const jump = event.target.closest(".review-jump");
    if (jump) {
      const index = Number(jump.dataset.index);
      const node = commentNodes.find((n) => Number(n.dataset.index) === index);
      node?.scrollIntoView({ block: "center", behavior: "smooth" });
      highlightComment(index);
      return;
    }
    onCommentClick(event);
  });

  // Enter or Space on one of our buttons presses it (the core would take Enter as "submit").
  for (const root of [view, element]) {
    root.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLButtonElement && (event.key === "Enter" || event.key === " ")) event.stopPropagation();
    });
  }

  function onCommentClick(event) {
    const node = event.target.closest("div.review-comment");
    if (!node) return;
    const index = Number(node.dataset.index);
    if (event.target.closest(".review-delete")) remove(index);
    else if (event.target.closest(".review-edit")) startEdit(index);
    else highlightComment(index);
  }

  function locate(target) {
    const row = target.closest(".code-line");
    return { file: Number(row.closest(".code-file").dataset.index), line: Number(row.dataset.line) };
  }

  // Task and files

  function readFiles(data) {
    const source = data?.[field.source];
    if (Array.isArray(source)) {
      return source.map((item, index) => {
        const file = item && typeof item === "object" ? item : { content: item };
        const path = typeof file.path === "string" && file.path ? file.path : `file-${index + 1}`;
        const content = typeof file.content === "string" ? file.content : typeof file.text === "string" ? file.text : String(file.content ?? "");
        return { path, language: file.language ?? field.language ?? languageFromPath(path), content };
      });
    }
    if (typeof source === "string") {
      const path = typeof data.path === "string" && data.path ? data.path : "snippet";
      return [{ path, language: field.language ?? data.language ?? languageFromPath(path), content: source }];
    }
    return [];
  }

  function showTask(task) {
    selection = null;
    cursors.clear();
    lastFile = null;
    formOpen = false;
    editing = null;
    resetForm();
    selectedRows = [];
    highlightedRows = [];
    commentedRows = [];
    currentRow = null;
    commentNodes = [];
    rendered = NOTHING;
    files = readFiles(task.data ?? {}).map((file, index) => buildFile(file, index));
    view.replaceChildren();
    if (files.length > 1) view.append(buildTabs());
    for (const file of files) view.append(file.section);
    if (!files.length) {
      const empty = document.createElement("p");
      empty.className = "muted";
      empty.textContent = `This task has no code under "${field.source}".`;
      view.append(empty);
    }
    (core.elements?.dataElement ?? element).append(view);
  }

  function buildFile({ path, language, content }, index) {
    const canonical = normalizeLanguage(language);
    const lines = splitLines(content);
    const section = document.createElement("section");
    section.className = "code-file";
    section.dataset.path = path;
    section.dataset.index = index;
    section.dataset.language = canonical || "text";
    const header = document.createElement("header");
    header.className = "code-file-header";
    const pathLabel = document.createElement("span");
    pathLabel.className = "code-file-path";
    pathLabel.textContent = path;
    const languageLabel = document.createElement("span");
    languageLabel.className = "code-file-language";
    languageLabel.textContent = canonical || (typeof language === "string" && language ? language : "text");
    const count = document.createElement("span");
    count.className = "code-file-count";
    header.append(pathLabel, languageLabel, count);
    const body = document.createElement("div");
    body.className = "code-body";
    body.tabIndex = 0;
    body.setAttribute("role", "region");
    body.setAttribute("aria-label", `Code of ${path}: arrows move the current line, shift extends, C comments`);
    body.style.setProperty("--gutter", `${String(lines.length).length}ch`);
    const tokens = highlight(lines.map((line) => line + "\n").join(""), canonical);
    // Rows go in chunks the browser may skip laying out while they are off screen (content-visibility).
    let chunk = null;
    const rows = lines.map((_, i) => {
      if (i % 100 === 0) {
        chunk = document.createElement("div");
        chunk.className = "code-chunk";
        body.append(chunk);
      }
      const row = document.createElement("div");
      row.className = "code-line";
      row.dataset.line = i + 1;
      const number = document.createElement("span");
      number.className = "line-number";
      number.textContent = i + 1;
      const code = document.createElement("span");
      code.className = "line-code";
      code.append(tokensToFragment(tokens[i] ?? []));
      row.append(number, code);
      chunk.append(row);
      return row;
    });
    if (!lines.length) {
      const empty = document.createElement("p");
      empty.className = "code-empty muted";
      empty.textContent = "(empty file)";
      body.append(empty);
    }
    section.append(header, body);
    return { path, language: canonical, lines, section, body, rows, count, tab: null };
  }

  function buildTabs() {
    const nav = document.createElement("nav");
    nav.className = "code-file-tabs";
    nav.setAttribute("aria-label", "Files");
    files.forEach((file, index) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "code-file-tab";
      tab.dataset.path = file.path;
      tab.dataset.index = index;
      const name = document.createElement("span");
      name.textContent = file.path;
      const badge = document.createElement("span");
      badge.className = "code-file-tab-count";
      tab.append(name, badge);
      file.tab = badge;
      nav.append(tab);
    });
    return nav;
  }

  // Selection

  function range() {
    if (!selection) return null;
    return { file: selection.file, start: Math.min(selection.anchor, selection.cursor), end: Math.max(selection.anchor, selection.cursor) };
  }

  function updateSelection() {
    for (const row of selectedRows) row.classList.remove("selected");
    selectedRows = [];
    currentRow?.classList.remove("current");
    currentRow = null;
    const r = range();
    if (r) {
      const rows = files[r.file].rows;
      for (let line = r.start; line <= r.end; line++) {
        rows[line - 1].classList.add("selected");
        selectedRows.push(rows[line - 1]);
      }
      cursors.set(r.file, selection.cursor);
      lastFile = r.file;
      currentRow = rows[selection.cursor - 1];
    } else if (lastFile !== null && cursors.has(lastFile)) {
      currentRow = files[lastFile].rows[cursors.get(lastFile) - 1];
    }
    currentRow?.classList.add("current");
    placeForm();
  }

  function clearSelection() {
    selection = null;
    updateSelection();
  }

  function move(delta, extend) {
    const focused = files.findIndex((file) => file.body.contains(document.activeElement));
    const fileIndex = focused >= 0 ? focused : selection ? selection.file : 0;
    const file = files[fileIndex];
    if (!file.lines.length) return;
    const sameFile = selection && selection.file === fileIndex;
    const from = sameFile ? selection.cursor : cursors.get(fileIndex);
    const line = from === undefined ? 1 : Math.min(file.lines.length, Math.max(1, from + delta));
    if (extend && sameFile) selection.cursor = line;
    else selection = { file: fileIndex, anchor: line, cursor: line };
    dragging = false;
    clearHighlight();
    updateSelection();
    file.rows[line - 1].scrollIntoView({ block: "nearest" });
  }

  function highlightComment(index) {
    clearHighlight();
    const comment = currentList()[index];
    const fileIndex = files.findIndex((file) => file.path === comment?.file);
    if (fileIndex < 0 || !validLines(comment, files[fileIndex])) return;
    const rows = files[fileIndex].rows;
    for (let line = comment.start_line; line <= comment.end_line; line++) {
      rows[line - 1].classList.add("highlighted");
      highlightedRows.push(rows[line - 1]);
    }
    for (const node of commentNodes) node.classList.toggle("active", Number(node.dataset.index) === index);
  }

  function clearHighlight() {
    for (const row of highlightedRows) row.classList.remove("highlighted");
    highlightedRows = [];
    for (const node of commentNodes) node.classList.remove("active");
  }

  // The comment form

  function buildForm() {
    const box = document.createElement("div");
    box.className = "review-form";
    box.setAttribute("role", "group");
    const heading = document.createElement("p");
    heading.className = "review-form-title";
    const row = document.createElement("div");
    row.className = "review-form-row";
    const category = select("review-category", categories);
    const severity = select("review-severity", severities);
    const cwe = document.createElement("input");
    cwe.type = "text";
    cwe.className = "review-cwe";
    cwe.placeholder = "CWE-89";
    cwe.spellcheck = false;
    const cweHint = document.createElement("small");
    cweHint.className = "review-cwe-hint";
    row.append(labelled("Category", category), labelled("Severity", severity), labelled("CWE (optional)", cwe, cweHint));
    const comment = document.createElement("textarea");
    comment.className = "review-comment";
    comment.rows = 3;
    comment.required = true;
    comment.placeholder = "What is wrong here, and why?";
    const suggestion = document.createElement("textarea");
    suggestion.className = "review-suggestion code";
    suggestion.rows = 3;
    suggestion.spellcheck = false;
    suggestion.placeholder = "Replacement code for the selected lines";
    const error = document.createElement("p");
    error.className = "review-form-error error";
    error.hidden = true;
    const actions = document.createElement("div");
    actions.className = "review-form-actions";
    const add = document.createElement("button");
    add.type = "button";
    add.className = "review-add primary";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "review-cancel";
    cancel.textContent = "Cancel";
    const keys = document.createElement("small");
    keys.className = "muted";
    keys.textContent = "Ctrl+Enter adds, Esc cancels";
    actions.append(add, cancel, keys);
    box.append(heading, row, labelled("Comment", comment), labelled("Suggested fix (optional)", suggestion), error, actions);

    cwe.addEventListener("input", () => showCweHint(false));
    cwe.addEventListener("blur", () => showCweHint(true));
    add.addEventListener("click", () => submitForm());
    cancel.addEventListener("click", () => cancelForm());
    // Keys typed in the form are the form's: Enter must not submit the task, nor "s" (in a select) skip it.
    box.addEventListener("keydown", (event) => {
      const combination = event.ctrlKey || event.metaKey;
      if (event.key === "Enter" && (combination || event.target === cwe)) {
        event.preventDefault();
        submitForm();
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancelForm();
      }
      if (!(combination && event.key !== "Enter") && !event.altKey) event.stopPropagation();
    });
    return { box, heading, category, severity, cwe, cweHint, comment, suggestion, error, add };
  }

  function showCweHint(final) {
    const text = normalizeCwe(form.cwe.value);
    const bad = text !== "" && !CWE_PATTERN.test(text);
    form.cwe.classList.toggle("invalid", bad);
    form.cwe.setAttribute("aria-invalid", String(bad));
    form.cweHint.classList.toggle("bad", bad);
    form.cweHint.textContent = bad ? "Write CWE- and its number, e.g. CWE-89" : text && text !== form.cwe.value.trim() ? `Saved as ${text}` : "";
    if (final && !bad && text) form.cwe.value = text;
  }

  function placeForm() {
    if (dragging) return;
    const r = range();
    if (!formOpen || !r) {
      form.box.remove();
      return;
    }
    const file = files[r.file];
    const lines = r.start === r.end ? `line ${r.start}` : `lines ${r.start}–${r.end}`;
    form.heading.textContent = `${editing === null ? "New comment on" : "Edit the comment on"} ${file.path}, ${lines}`;
    form.add.textContent = editing === null ? "Add comment" : "Save comment";
    const row = file.rows[r.end - 1];
    let anchor = row;
    while (anchor.nextElementSibling?.matches("div.review-comment")) anchor = anchor.nextElementSibling;
    if (anchor.nextElementSibling !== form.box) anchor.after(form.box);
  }

  function openForm() {
    if (!selection) {
      const focused = files.findIndex((file) => file.body.contains(document.activeElement));
      const fileIndex = Math.max(0, focused);
      if (!files[fileIndex].lines.length) return;
      const line = cursors.get(fileIndex) ?? 1;
      selection = { file: fileIndex, anchor: line, cursor: line };
    }
    formOpen = true;
    updateSelection();
    form.comment.focus({ preventScroll: true });
    form.box.scrollIntoView({ block: "nearest" });
  }

  function resetForm() {
    form.category.value = categories[0]?.value ?? "";
    form.severity.value = severities[0]?.value ?? "";
    form.cwe.value = "";
    form.comment.value = "";
    form.suggestion.value = "";
    form.error.hidden = true;
    showCweHint(false);
  }

  function closeForm() {
    formOpen = false;
    editing = null;
    resetForm();
    placeForm();
  }

  function cancelForm() {
    const file = selection ? files[selection.file] : null;
    closeForm();
    clearSelection();
    file?.body.focus({ preventScroll: true });
  }

  function fail(message, input) {
    form.error.textContent = message;
    form.error.hidden = false;
    input.focus();
  }

  function submitForm() {
    const r = range();
    if (!r) return;
    const text = form.comment.value.trim();
    if (!text) return fail("Write a comment: what is wrong here, and why.", form.comment);
    const cwe = normalizeCwe(form.cwe.value);
    if (cwe && !CWE_PATTERN.test(cwe)) return fail("The CWE must be CWE- and its number, e.g. CWE-89 (or leave it empty).", form.cwe);
    const file = files[r.file];
    const entry = { file: file.path, start_line: r.start, end_line: r.end, category: form.category.value, severity: form.severity.value };
    if (cwe) entry.cwe = cwe;
    entry.comment = text;
    if (form.suggestion.value.trim()) entry.suggestion = form.suggestion.value.replace(/\s+$/, "");
    const next = [...currentList()];
    if (editing !== null && editing < next.length) next[editing] = entry;
    else next.push(entry);
    cursors.set(r.file, r.end);
    closeForm();
    clearSelection();
    file.body.focus({ preventScroll: true });
    core.setField(field.name, next);
  }

  function startEdit(index) {
    const comment = currentList()[index];
    const fileIndex = files.findIndex((file) => file.path === comment?.file);
    if (fileIndex < 0 || !validLines(comment, files[fileIndex])) return;
    resetForm();
    editing = index;
    selection = { file: fileIndex, anchor: comment.start_line, cursor: comment.end_line };
    if (categories.some((c) => c.value === comment.category)) form.category.value = comment.category;
    if (severities.some((s) => s.value === comment.severity)) form.severity.value = comment.severity;
    form.cwe.value = comment.cwe ?? "";
    form.comment.value = comment.comment ?? "";
    form.suggestion.value = comment.suggestion ?? "";
    formOpen = true;
    clearHighlight();
    updateSelection();
    form.comment.focus({ preventScroll: true });
  }

  function remove(index) {
    const next = currentList().filter((_, i) => i !== index);
    if (editing === index) closeForm();
    else if (editing !== null && editing > index) editing--;
    core.setField(field.name, next);
  }

  function currentList() {
    const value = core.value[field.name];
    return Array.isArray(value) ? value : [];
  }

  // Drawing the value

  function render(value) {
    if (value === rendered) return;
    rendered = value;
    const comments = Array.isArray(value) ? value : [];
    for (const node of commentNodes) node.remove();
    commentNodes = [];
    orphans.replaceChildren();
    list.replaceChildren();
    for (const row of commentedRows) row.classList.remove("commented");
    commentedRows = [];
    const counts = files.map(() => 0);
    const tails = new Map(); // row -> the last node shown under it
    comments.forEach((comment, index) => {
      if (!comment || typeof comment !== "object") return;
      const fileIndex = files.findIndex((file) => file.path === comment.file);
      const file = files[fileIndex];
      const node = commentNode(comment, index, file);
      if (!file || !validLines(comment, file)) {
        node.classList.add("orphan");
        orphans.append(node);
        commentNodes.push(node);
        return;
      }
      counts[fileIndex]++;
      const row = file.rows[comment.end_line - 1];
      (tails.get(row) ?? row).after(node);
      tails.set(row, node);
      commentNodes.push(node);
      for (let line = comment.start_line; line <= comment.end_line; line++) {
        file.rows[line - 1].classList.add("commented");
        commentedRows.push(file.rows[line - 1]);
      }
      list.append(listItem(comment, index));
    });
    files.forEach((file, index) => {
      const n = counts[index];
      file.count.textContent = n ? `${n} comment${n === 1 ? "" : "s"}` : "";
      if (file.tab) file.tab.textContent = n ? String(n) : "";
    });
    if (orphans.childElementCount) {
      const note = document.createElement("p");
      note.className = "error";
      note.textContent = "These comments point at files or lines that are not in this task:";
      orphans.prepend(note);
    }
    if (editing !== null && editing >= comments.length) closeForm();
    summary.textContent = summarize(comments.filter((c) => c && typeof c === "object"));
    summary.classList.toggle("error", required && comments.length < minComments && comments.length > 0);
    placeForm();
  }

  function summarize(comments) {
    if (!comments.length) {
      if (required && minComments > 0) return `No comments yet: at least ${minComments} needed.`;
      return "No comments yet. Found no issues? Submit as is.";
    }
    const bySeverity = severities.map((s) => [s.label, comments.filter((c) => c.severity === s.value).length]).filter(([, n]) => n);
    const parts = [`${comments.length} comment${comments.length === 1 ? "" : "s"}`];
    if (bySeverity.length) parts.push(bySeverity.reverse().map(([label, n]) => `${n} ${label}`).join(", "));
    if (required && comments.length < minComments) parts.push(`at least ${minComments} needed`);
    return parts.join(" · ");
  }

  function commentNode(comment, index, file) {
    const node = document.createElement("div");
    node.className = "review-comment";
    node.dataset.index = index;
    node.dataset.file = String(comment.file ?? "");
    node.dataset.start = String(comment.start_line ?? "");
    node.dataset.end = String(comment.end_line ?? "");
    node.dataset.severity = String(comment.severity ?? "");
    const head = document.createElement("div");
    head.className = "review-comment-head";
    head.append(
      badge("review-badge review-category-badge", comment.category, "category"),
      badge("review-badge review-severity-badge", comment.severity, "severity"),
    );
    if (comment.cwe) head.append(badge("review-badge review-cwe-badge", comment.cwe));
    const where = document.createElement("span");
    where.className = "review-comment-lines muted";
    where.textContent = lineText(comment);
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "review-edit";
    edit.textContent = "Edit";
    edit.disabled = !file || !validLines(comment, file);
    const del = document.createElement("button");
    del.type = "button";
    del.className = "review-delete";
    del.textContent = "Delete";
    del.setAttribute("aria-label", `Delete the comment on ${lineText(comment)}`);
    head.append(where, edit, del);
    const text = document.createElement("p");
    text.className = "review-comment-text";
    text.textContent = String(comment.comment ?? "");
    node.append(head, text);
    if (typeof comment.suggestion === "string" && comment.suggestion) {
      const caption = document.createElement("div");
      caption.className = "review-comment-suggestion-label muted";
      caption.textContent = "Suggested fix";
      const pre = document.createElement("pre");
      pre.className = "review-comment-suggestion";
      const code = document.createElement("code");
      code.append(highlightToFragment(comment.suggestion, file?.language ?? ""));
      pre.append(code);
      node.append(caption, pre);
    }
    return node;
  }

  function listItem(comment, index) {
    const item = document.createElement("li");
    const jump = document.createElement("button");
    jump.type = "button";
    jump.className = "review-jump";
    jump.dataset.index = index;
    jump.textContent = `${comment.file}:${comment.start_line}${comment.end_line !== comment.start_line ? `–${comment.end_line}` : ""} · ${comment.category} · ${comment.severity}`;
    item.append(jump);
    return item;
  }

  return {
    field,
    element,
    get dataKeys() {
      // A single-file source also brings its path and language, which the file header shows.
      const data = core.task?.data;
      return data && typeof data[field.source] === "string" ? [field.source, "path", "language"] : [field.source];
    },
    showTask,
    render,
    initialValue() {
      return !required || minComments === 0 ? [] : undefined;
    },
    handleKey(name) {
      if (!files.length) return false;
      const focused = files.some((file) => file.body.contains(document.activeElement));
      if (!focused && !selection) return false;
      switch (name) {
        case "arrowdown": move(1, false); return true;
        case "arrowup": move(-1, false); return true;
        case "shift+arrowdown": move(1, true); return true;
        case "shift+arrowup": move(-1, true); return true;
        case "c": openForm(); return true;
        case "escape":
          if (formOpen) closeForm();
          else if (selection) clearSelection();
          else return false;
          return true;
        default: return false;
      }
    },
  };
}

/** Options given as strings or {value, label}. */
function choices(given, defaults) {
  const list = Array.isArray(given) && given.length ? given : defaults;
  return list.map((option) => (typeof option === "object" && option !== null
    ? { value: String(option.value), label: String(option.label ?? option.value) }
    : { value: String(option), label: String(option) }));
}

function select(className, options) {
  const element = document.createElement("select");
  element.className = className;
  for (const option of options) {
    const item = document.createElement("option");
    item.value = option.value;
    item.textContent = option.label;
    element.append(item);
  }
  return element;
}

function labelled(caption, ...controls) {
  const label = document.createElement("label");
  const text = document.createElement("span");
  text.textContent = caption;
  label.append(text, ...controls);
  return label;
}

function badge(className, text, attribute) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = String(text ?? "");
  if (attribute) span.dataset[attribute] = String(text ?? "");
  return span;
}

/** "CWE-89" from "cwe-89", "CWE 89" or "89"; other text as typed (trimmed). */
function normalizeCwe(text) {
  const trimmed = text.trim();
  const match = /^(?:cwe[-\s]?)?(\d+)$/i.exec(trimmed);
  return match ? `CWE-${match[1]}` : trimmed;
}

function validLines(comment, file) {
  const { start_line: start, end_line: end } = comment;
  return Number.isInteger(start) && Number.isInteger(end) && start >= 1 && start <= end && end <= file.lines.length;
}

function lineText(comment) {
  return comment.start_line === comment.end_line ? `line ${comment.start_line}` : `lines ${comment.start_line}–${comment.end_line}`;
}
