// What every widget needs of its field: options, its caption, value updates without empty undo steps,
// and lengths counted as the server counts them.

/** Options written as strings or objects `{value, label?, ...}`, as objects with a string value and a label. */
export function normalizeOptions(options) {
  return (Array.isArray(options) ? options : []).map((option) =>
    typeof option === "object" && option !== null
      ? { ...option, value: String(option.value), label: option.label ?? String(option.value) }
      : { value: String(option), label: String(option) },
  );
}

/** Sets a field unless the value is unchanged, so a click that changes nothing adds no undo step. */
export function setFieldValue(core, name, value, options) {
  if (JSON.stringify(value) === JSON.stringify(core.value[name])) return;
  core.setField(name, value, options);
}

export function isRequired(field) {
  return field.required !== false;
}

/** The legend of a field: its label, marked when optional. */
export function fieldCaption(field) {
  return (field.label ?? field.name) + (isRequired(field) ? "" : " (optional)");
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Characters as the server counts them: grapheme clusters (an emoji with modifiers is one). */
export function characterCount(text) {
  let count = 0;
  for (const _ of graphemes.segment(text ?? "")) count++;
  return count;
}

/** A length hint such as "42 characters (min 10, max 500)"; `trim` counts without the outer whitespace. */
export function lengthHint(text, minimum, maximum, { trim = false } = {}) {
  const limits = [minimum ? `min ${minimum}` : "", maximum ? `max ${maximum}` : ""].filter(Boolean);
  const count = characterCount(trim ? (text ?? "").trim() : text);
  return `${count} character${count === 1 ? "" : "s"}${limits.length ? ` (${limits.join(", ")})` : ""}`;
}
