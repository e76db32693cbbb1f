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
