// Small DOM helpers the pages share. Text only, never HTML: everything from the API is untrusted.

/** An element with attributes and plain text. */
export function make(tag, attributes = {}, text) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

/** A table with a header row; returns it and its body to fill. */
export function table(attributes, headings) {
  const element = make("table", attributes);
  const row = make("tr");
  for (const heading of headings) row.append(make("th", { scope: "col" }, heading));
  const head = make("thead");
  head.append(row);
  const body = make("tbody");
  element.append(head, body);
  return { element, body };
}

/** A body row that says the table is empty. */
export function emptyRow(columns, text) {
  const row = make("tr", { className: "empty" });
  row.append(make("td", { colspan: columns, className: "muted" }, text));
  return row;
}

// --- field errors: aria-invalid and a message next to the input ----------------------------------------------

/** Removes every field error mark inside `container`. */
export function clearFieldErrors(container) {
  for (const element of container.querySelectorAll("[aria-invalid]")) {
    element.removeAttribute("aria-invalid");
    element.removeAttribute("aria-describedby");
  }
  for (const element of container.querySelectorAll(".field-error")) element.remove();
}

let errorCounter = 0;

/** Marks `input` invalid with `message` shown right after it. */
export function markInvalid(input, message) {
  errorCounter += 1;
  const id = `field-error-${errorCounter}`;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", id);
  input.after(make("span", { id, className: "field-error", role: "alert" }, message));
}

/** Marks the inputs of `container` named by a problem's errors (`data-field` = the path or a prefix of it);
 * returns the errors no input took, so the caller can list them. */
export function markProblem(container, error) {
  const problem = error?.problem;
  const items = problem?.errors?.length ? problem.errors : problem?.field ? [{ field: problem.field, message: problem.detail ?? problem.title }] : [];
  const inputs = [...container.querySelectorAll("[data-field]")];
  const left = [];
  for (const item of items) {
    const field = String(item.field ?? "");
    const exact = inputs.find((input) => input.dataset.field === field);
    const prefix = exact ?? inputs
      .filter((input) => field.startsWith(`${input.dataset.field}.`) || field.startsWith(`${input.dataset.field}[`))
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    if (prefix) markInvalid(prefix, `${item.line ? `line ${item.line}: ` : ""}${exact ? "" : `${field}: `}${item.message}`);
    else left.push(item);
  }
  return left;
}

/** A status line: its text, marked as an error or a success. */
export function showStatus(element, text, kind = "") {
  element.textContent = text;
  element.classList.toggle("error", kind === "error");
  element.classList.toggle("ok", kind === "ok");
}

/** What a table shows for a missing value. */
export const NONE = "—";

/** "1 entry", "3 entries". */
export const plural = (count, word, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

/** A table cell holding a node, or text (NONE when empty). */
export function cell(content, className) {
  const td = make("td", { className });
  if (content instanceof Node) td.append(content);
  else td.textContent = content === null || content === undefined || content === "" ? NONE : String(content);
  return td;
}
