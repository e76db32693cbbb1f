// The `text` field: a one-line input or a text area, with its length limits shown.

export function createTextWidget(field, core) {
  const element = document.createElement("label");
  element.className = "field field-text";
  element.dataset.field = field.name;
  const caption = document.createElement("span");
  caption.textContent = field.label + (field.required ? "" : " (optional)");
  const input = document.createElement(field.multiline ? "textarea" : "input");
  input.name = field.name;
  if (field.max_length) input.maxLength = field.max_length;
  if (field.placeholder) input.placeholder = field.placeholder;
  if (field.multiline) input.rows = 4;
  const counter = document.createElement("small");
  counter.className = "muted";
  element.append(caption, input, counter);

  input.addEventListener("input", () => core.setField(field.name, input.value, { coalesce: true }));

  return {
    field,
    element,
    render(value) {
      const text = value ?? "";
      if (input.value !== text) input.value = text;
      const limits = [field.min_length ? `min ${field.min_length}` : "", field.max_length ? `max ${field.max_length}` : ""].filter(Boolean);
      counter.textContent = limits.length ? `${text.length} characters (${limits.join(", ")})` : "";
    },
  };
}
