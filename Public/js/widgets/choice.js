// The `choice` field: one option (radio-like buttons) or several (toggles). Digits 1-9 choose the options of
// the first choice field.

export function createChoiceWidget(field, core, { isFirstChoice }) {
  const element = document.createElement("fieldset");
  element.className = "field field-choice";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = field.label + (field.required ? "" : " (optional)") + (field.multiple ? " · choose any" : "");
  element.append(legend);
  const buttons = field.options.map((option, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "choice-option";
    button.dataset.value = option.value;
    button.setAttribute("aria-pressed", "false");
    if (isFirstChoice && index < 9) {
      const key = document.createElement("kbd");
      key.textContent = core.hotkeys[`option_${index + 1}`] ?? "";
      button.append(key, " ");
    }
    const label = document.createElement("span");
    label.textContent = option.label;
    button.append(label);
    if (option.hint) button.title = option.hint;
    button.addEventListener("click", () => toggle(option.value));
    element.append(button);
    return button;
  });

  function toggle(optionValue) {
    const current = core.value[field.name];
    if (field.multiple) {
      const selected = new Set(current ?? []);
      if (selected.has(optionValue)) selected.delete(optionValue);
      else selected.add(optionValue);
      core.setField(field.name, field.options.map((o) => o.value).filter((v) => selected.has(v)));
    } else {
      core.setField(field.name, current === optionValue && !field.required ? undefined : optionValue);
    }
  }

  return {
    field,
    element,
    render(value) {
      const selected = new Set(Array.isArray(value) ? value : value === undefined ? [] : [value]);
      for (const button of buttons) button.setAttribute("aria-pressed", String(selected.has(button.dataset.value)));
    },
    chooseOption(number) {
      if (!isFirstChoice) return;
      const option = field.options[number - 1];
      if (option) toggle(option.value);
    },
  };
}
