// What the media widgets (video, audio, LiDAR) build their controls from: elements and buttons with key hints,
// same-site media URLs, label hotkeys as the core writes keys, and the row that edits one attribute of a shape.

export function makeElement(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function makeButton(className, text, title, key) {
  const button = makeElement("button", className);
  button.type = "button";
  button.append(text);
  if (key) {
    const kbd = makeElement("kbd", "", key);
    button.append(" ", kbd);
  }
  if (title) button.title = title;
  return button;
}

function sameSite(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value.trim(), location.href);
    return url.origin === location.origin ? url : null;
  } catch {
    return null;
  }
}

/** The path of a Gloss media URL (`/api/v1/media/{id}`, maybe absolute on this site), or null. */
export function mediaURL(value) {
  const url = sameSite(value);
  return url && /^\/api\/v1\/media\/[^/]+$/.test(url.pathname) ? url.pathname : null;
}

/** A same-site path under /api/v1/media/ (the peaks or points a media's info names), or null. */
export function mediaSubpath(value) {
  const url = sameSite(value);
  return url && url.pathname.startsWith("/api/v1/media/") ? url.pathname + url.search : null;
}

export function isSelectTarget(target) {
  return target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}

/** A label's hotkey as the core writes keys ("shift+p", "c"). */
export function normalizeKey(key) {
  const parts = String(key).toLowerCase().split("+");
  const last = parts.pop();
  return [...["ctrl", "alt", "shift", "meta"].filter((modifier) => parts.includes(modifier)), last === " " ? "space" : last].join("+");
}

/**
 * The row editing one attribute of a shape (`<prefix>-attribute`): a checkbox, a select of its options, or a
 * text box. `set(value, options)` stores a change (undefined clears it; typing coalesces into one undo step).
 */
export function attributeRow(prefix, attribute, type, current, set, normalizeOptions) {
  const caption = (attribute.label ?? attribute.name) + (attribute.required ? "" : " (optional)");
  const row = makeElement("label", `${prefix}-attribute ${prefix}-attribute-${type}`);
  row.dataset.attribute = attribute.name;
  if (type === "boolean") {
    const box = makeElement("input");
    box.type = "checkbox";
    box.checked = current === true;
    box.addEventListener("change", () => set(box.checked));
    row.append(box, " ", caption);
  } else if (type === "select") {
    const chooser = makeElement("select");
    const empty = makeElement("option", "", "—");
    empty.value = "";
    chooser.append(empty);
    for (const option of normalizeOptions(attribute.options)) {
      const node = makeElement("option", "", option.label);
      node.value = option.value;
      chooser.append(node);
    }
    chooser.value = typeof current === "string" ? current : "";
    chooser.addEventListener("change", () => set(chooser.value || undefined));
    row.append(caption, chooser);
  } else {
    const input = makeElement("input");
    input.type = "text";
    input.value = typeof current === "string" ? current : "";
    input.addEventListener("input", () => set(input.value, { coalesce: true }));
    row.append(caption, input);
  }
  return row;
}

/** A select of the field's labels set to `current`; a value that is not a label (an old answer's) stays listed. */
export function labelSelect(className, labels, current) {
  const select = makeElement("select", className);
  for (const label of labels) {
    const option = makeElement("option", "", label.label);
    option.value = label.value;
    select.append(option);
  }
  if (!labels.some((label) => label.value === current)) {
    const option = makeElement("option", "", String(current));
    option.value = String(current);
    select.prepend(option);
  }
  select.value = current;
  return select;
}
