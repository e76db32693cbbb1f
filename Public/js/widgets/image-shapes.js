// What the shape tools (boxes, polygons, keypoints) share: labels and their colours, ids, the value with its
// per-label buckets for drawing, hidden shapes, and the field's form part: label buttons, the selected
// shape's attributes, and the layer list.

import { fieldCaption, normalizeOptions, setFieldValue } from "./field-helpers.js";

const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
  "#fabed4", "#469990", "#dcbeff", "#9a6324", "#ffe119", "#800000", "#aaffc3", "#000075"];
const UNKNOWN_COLOR = "#9aa0a6";
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A label's colour: its own when it is a hex colour, else the next palette colour (kept per core, so two
 * fields on one image do not share a colour unless they share the label). */
export function labelColor(value, own, core) {
  const registry = core ? (core.imageLabelColors ??= new Map()) : new Map();
  const taken = core ? (core.imageTakenColors ??= new Set()) : new Set();
  if (typeof own === "string" && HEX_COLOR.test(own)) {
    taken.add(own.toLowerCase());
    return own;
  }
  if (!registry.has(value)) {
    // The first palette colour no label has claimed yet (a label's own colour included).
    const free = PALETTE.find((color) => !taken.has(color.toLowerCase())) ?? PALETTE[registry.size % PALETTE.length];
    registry.set(value, free);
    taken.add(free.toLowerCase());
  }
  return registry.get(value);
}

/** `rgba()` of a hex colour with an alpha, for fills. */
export function withAlpha(hex, alpha) {
  let digits = hex.slice(1);
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join("");
  const n = Number.parseInt(digits, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Labels written as strings or objects, as `{value, label, hint?, hotkey?, color, attributes}`. */
export function normalizeLabels(labels, core) {
  return (Array.isArray(labels) ? labels : []).map((entry) => {
    const object = typeof entry === "object" && entry !== null ? entry : { value: entry };
    const value = String(object.value);
    return {
      value,
      label: object.label != null ? String(object.label) : value,
      hint: typeof object.hint === "string" ? object.hint : undefined,
      hotkey: typeof object.hotkey === "string" && object.hotkey ? object.hotkey.toLowerCase() : undefined,
      color: labelColor(value, object.color, core),
      attributes: normalizeAttributes(object.attributes),
    };
  });
}

function normalizeAttributes(attributes) {
  return (Array.isArray(attributes) ? attributes : []).filter((a) => a && typeof a.name === "string").map((a) => {
    const options = Array.isArray(a.options) ? normalizeOptions(a.options) : [];
    const type = a.type === "boolean" || a.type === "text" || a.type === "select" ? a.type : options.length ? "select" : "text";
    return { name: a.name, label: a.label != null ? String(a.label) : a.name, type, options, required: a.required === true };
  });
}

/** The distance from (x, y) to the segment from (ax, ay) to (bx, by). */
export function distanceToSegment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length)) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

export const CLICK_SLOP = 2; // CSS px: a press that moves less is a click

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function swatch(color) {
  const node = element("span", "image-swatch");
  node.style.backgroundColor = color;
  return node;
}

/**
 * The base of a shape tool: the field's shapes, bucketed per label for drawing, with ids, labels,
 * attributes, per-shape hiding and the selection. Subclasses draw and take the pointer.
 */
export class ShapeTool {
  constructor(field, core, { prefix, order, noun, nounPlural, minKey, maxKey, defaultLabels }) {
    this.field = field;
    this.core = core;
    this.name = field.name;
    this.order = order;
    this.prefix = prefix;
    this.noun = noun;
    this.nounPlural = nounPlural;
    this.minimum = Number.isInteger(field[minKey]) ? field[minKey] : 0;
    this.maximum = Number.isInteger(field[maxKey]) ? field[maxKey] : Infinity;
    this.visible = true;
    this.labels = normalizeLabels(field.labels ?? defaultLabels, core);
    this.labelByValue = new Map(this.labels.map((label) => [label.value, label]));
    this.label = this.labels.length === 1 ? this.labels[0].value : null;
    this.shapes = [];
    this.byId = new Map();
    this.hidden = new Set();
    this.buckets = [];
    this.unknownLabel = { value: "", label: "", color: UNKNOWN_COLOR, attributes: [] };
    this.view = null;
  }

  /** The label object of a value (a grey one when the schema does not know it). */
  labelOf(value) {
    return this.labelByValue.get(value) ?? { ...this.unknownLabel, value, label: String(value) };
  }

  /** Takes the field's value: indexes it and groups it per label, once per change (not per frame). */
  setValue(value) {
    this.shapes = Array.isArray(value) ? value.filter((shape) => shape && typeof shape === "object") : [];
    this.byId = new Map(this.shapes.map((shape) => [shape.id, shape]));
    const buckets = new Map(this.labels.map((label) => [label.value, { color: label.color, fill: withAlpha(label.color, 0.14), items: [] }]));
    for (const shape of this.shapes) {
      let bucket = buckets.get(shape.label);
      if (!bucket) {
        bucket = { color: UNKNOWN_COLOR, fill: withAlpha(UNKNOWN_COLOR, 0.14), items: [] };
        buckets.set(shape.label, bucket);
      }
      bucket.items.push(shape);
    }
    this.buckets = [...buckets.values()].filter((bucket) => bucket.items.length);
    for (const id of this.hidden) if (!this.byId.has(id)) this.hidden.delete(id);
    const selected = this.selectedId();
    if (selected !== null && !this.byId.has(selected)) this.editor?.select(null);
    this.ui?.update();
    this.editor?.requestRender();
  }

  // A gesture lives in `this.drag` ({start: p, moved, ...}) and changes the value once, when it ends.

  /** The gesture in progress after a pointer move (marked moved once past the click slop), or null. */
  dragMove(p) {
    const drag = this.drag;
    if (drag && !drag.moved && Math.hypot(p.sx - drag.start.sx, p.sy - drag.start.sy) >= CLICK_SLOP) drag.moved = true;
    return drag;
  }

  /** Ends the gesture at p: its last move is applied, then it is handed back (or null) for committing. */
  dragEnd(p) {
    this.pointerMove(p);
    const drag = this.drag;
    this.drag = null;
    this.editor.requestRender();
    return drag;
  }

  pointerCancel() {
    this.drag = null;
    this.editor.requestRender();
  }

  /** The pointer as an [x, y] of the value: inside the image, rounded to 2 decimals. */
  point(p) {
    return [this.editor.clampX(p.x), this.editor.clampY(p.y)];
  }

  /** Stores a new list of shapes: one undo step. */
  commit(shapes) {
    setFieldValue(this.core, this.name, shapes.length ? shapes : undefined);
  }

  replaceShape(id, shape) {
    this.commit(this.shapes.map((other) => (other.id === id ? shape : other)));
  }

  nextId() {
    let highest = 0;
    const pattern = new RegExp(`^${this.prefix}(\\d+)$`);
    for (const shape of this.shapes) {
      const match = pattern.exec(String(shape.id));
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    let id = `${this.prefix}${highest + 1}`;
    while (this.byId.has(id)) id = `${this.prefix}${++highest + 1}`;
    return id;
  }

  /** Whether another shape may be drawn; says why not in the hint when it may not. */
  canAdd() {
    if (!this.editor.width || !this.editor.height) {
      this.editor.setHint("The image is not loaded yet.");
      return false;
    }
    if (this.shapes.length >= this.maximum) {
      this.editor.setHint(`At most ${this.maximum} ${this.maximum === 1 ? this.noun : this.nounPlural} in ${fieldCaption(this.field)}.`);
      return false;
    }
    return true;
  }

  /** The starting attributes of a shape with this label: false for every checkbox. */
  defaultAttributes(labelValue, previous = {}) {
    const attributes = {};
    for (const attribute of this.labelOf(labelValue).attributes) {
      if (previous[attribute.name] !== undefined) attributes[attribute.name] = previous[attribute.name];
      else if (attribute.type === "boolean") attributes[attribute.name] = false;
    }
    return Object.keys(attributes).length ? attributes : undefined;
  }

  /** A new shape object with its id, label and attributes first, as in the docs. */
  makeShape(labelValue, geometry) {
    const shape = { id: this.nextId(), label: labelValue, ...geometry };
    const attributes = this.defaultAttributes(labelValue);
    if (attributes) shape.attributes = attributes;
    return shape;
  }

  isHidden(id) {
    return this.hidden.size > 0 && this.hidden.has(id);
  }

  selectedId() {
    const selection = this.editor?.selection;
    return selection && selection.tool === this ? selection.id : null;
  }

  selectedShape() {
    const id = this.selectedId();
    return id === null ? null : this.byId.get(id) ?? null;
  }

  select(id) {
    this.editor.select(id == null ? null : this, id);
  }

  /** Picks the label new shapes get (and makes this the drawing tool). */
  arm(value) {
    this.label = value;
    this.editor.activate(this);
    this.ui?.update();
    this.updateHint();
  }

  /** A label's button or hotkey: relabels the selected shape of this field, and draws with that label next. */
  chooseLabel(value) {
    const shape = this.selectedShape();
    if (shape && shape.label !== value) {
      // The attributes the new label also has keep their values; the others go.
      const changed = { ...shape, label: value };
      const attributes = this.defaultAttributes(value, shape.attributes ?? {});
      if (attributes) changed.attributes = attributes;
      else delete changed.attributes;
      this.replaceShape(shape.id, changed);
    }
    this.arm(value);
  }

  activate() {
    this.ui?.update();
    this.updateHint();
  }

  deactivate() {
    this.cancel?.();
    this.ui?.update();
    this.editor.setHint("");
  }

  selectionChanged() {
    this.ui?.update();
    this.editor.requestRender();
  }

  reset() {
    this.hidden.clear();
    this.cancel?.();
  }

  /** What the hint line says while this tool is the drawing one. */
  updateHint() {
    if (this.editor.active !== this) return;
    this.editor.setHint(this.hintText());
  }

  hintText() {
    return "";
  }

  handleKey(name) {
    const label = this.labels.find((candidate) => candidate.hotkey === name);
    if (!label) return false;
    this.chooseLabel(label.value);
    return true;
  }

  deleteSelected(id) {
    const remaining = this.shapes.filter((shape) => shape.id !== id).map((shape) => {
      if (shape.parent !== id) return shape;
      const { parent, ...rest } = shape;
      return rest;
    });
    this.editor.select(null);
    this.commit(remaining);
  }

  setAttribute(id, name, value, coalesce = false) {
    const shape = this.byId.get(id);
    if (!shape) return;
    const attributes = { ...(shape.attributes ?? {}) };
    if (value === undefined || value === "") delete attributes[name];
    else attributes[name] = value;
    const changed = { ...shape };
    if (Object.keys(attributes).length) changed.attributes = attributes;
    else delete changed.attributes;
    setFieldValue(this.core, this.name, this.shapes.map((other) => (other.id === id ? changed : other)), { coalesce });
  }

  setVisible(visible) {
    this.visible = visible;
    if (!visible) {
      if (this.selectedId() !== null) this.editor.select(null);
      if (this.editor.active === this) this.editor.activate(null);
    }
    this.ui?.update();
    this.editor.requestRender();
  }

  setShapeHidden(id, hidden) {
    if (hidden) this.hidden.add(id);
    else this.hidden.delete(id);
    if (hidden && this.selectedId() === id) this.editor.select(null);
    this.ui?.update();
    this.editor.requestRender();
  }

  /** Shapes missing a required attribute: the list marks them, the count says how many. */
  missingAttributes(shape) {
    return this.labelOf(shape.label).attributes.filter((a) => a.required && a.type !== "boolean" &&
      (shape.attributes?.[a.name] === undefined || shape.attributes[a.name] === ""));
  }

  /** The extra controls of a subclass under the label buttons (keypoints: the next point). */
  buildControls() {
    return null;
  }

  /** The extra rows of a subclass in the selected shape's panel (boxes: the parent). */
  buildSelectionExtras() {
    return [];
  }

  /** A line naming a shape in lists: its label and id. */
  describe(shape) {
    return `${this.labelOf(shape.label).label} ${shape.id}`;
  }
}

/** The field's form part for a shape tool, and its widget object for the core. */
export function createShapeWidget(tool, editor, type) {
  const field = tool.field;
  const root = element("fieldset", `field field-${type} image-field`);
  root.dataset.field = field.name;
  const legend = element("legend", "image-field-legend");
  const caption = element("span", "image-field-caption", fieldCaption(field));
  const count = element("span", "image-field-count muted");
  const eye = element("button", "image-field-visibility", "Hide");
  eye.type = "button";
  eye.setAttribute("aria-pressed", "true");
  eye.title = "Hide or show every shape of this field";
  legend.append(caption, " ", count, eye);
  if (field.description) legend.title = String(field.description);

  const labelBar = element("div", "image-labels");
  const labelButtons = tool.labels.map((label) => {
    const labelButton = element("button", "image-label");
    labelButton.type = "button";
    labelButton.dataset.label = label.value;
    labelButton.setAttribute("aria-pressed", "false");
    labelButton.append(swatch(label.color), element("span", "image-label-text", label.label));
    if (label.hotkey) labelButton.append(" ", element("kbd", "", label.hotkey));
    if (label.hint) labelButton.title = label.hint;
    labelButton.addEventListener("click", () => tool.chooseLabel(label.value));
    labelBar.append(labelButton);
    return labelButton;
  });

  const controls = tool.buildControls();
  const selectionPanel = element("div", "image-selection");
  selectionPanel.hidden = true;
  const layerList = element("ul", "image-layers");
  layerList.setAttribute("aria-label", `${fieldCaption(field)}: shapes`);
  root.append(legend, labelBar);
  if (controls) root.append(controls);
  root.append(selectionPanel, layerList);

  eye.addEventListener("click", () => tool.setVisible(!tool.visible));
  layerList.addEventListener("click", (event) => {
    const row = event.target.closest?.("li.image-layer");
    if (!row) return;
    const id = row.dataset.id;
    if (event.target.closest(".image-layer-eye")) tool.setShapeHidden(id, !tool.hidden.has(id));
    else if (!tool.hidden.has(id)) tool.select(tool.selectedId() === id ? null : id);
  });

  const rows = new Map();
  let selectionKey = null;
  let selectionInputs = [];

  function layerRow(shape) {
    let row = rows.get(shape.id);
    if (!row) {
      const item = element("li", "image-layer");
      item.dataset.id = shape.id;
      const rowEye = element("button", "image-layer-eye");
      rowEye.type = "button";
      const name = element("button", "image-layer-name");
      name.type = "button";
      const rowSwatch = swatch(UNKNOWN_COLOR);
      const text = element("span", "image-layer-label");
      const id = element("span", "image-layer-id muted", shape.id);
      const warning = element("span", "image-layer-warning", "!");
      warning.hidden = true;
      name.append(rowSwatch, text, " ", id, warning);
      item.append(rowEye, name);
      row = { item, eye: rowEye, swatch: rowSwatch, text, warning, label: null, hidden: null, selected: null, missing: null };
      rows.set(shape.id, row);
    }
    const label = tool.labelOf(shape.label);
    if (row.label !== shape.label) {
      row.label = shape.label;
      row.item.dataset.label = shape.label;
      row.text.textContent = label.label;
      row.swatch.style.backgroundColor = label.color;
    }
    const hidden = tool.hidden.has(shape.id);
    if (row.hidden !== hidden) {
      row.hidden = hidden;
      row.eye.setAttribute("aria-pressed", String(!hidden));
      row.eye.title = hidden ? "Show" : "Hide";
      row.eye.textContent = hidden ? "○" : "◉";
      row.item.classList.toggle("hidden-shape", hidden);
    }
    const selected = tool.selectedId() === shape.id;
    if (row.selected !== selected) {
      row.selected = selected;
      row.item.setAttribute("aria-selected", String(selected));
    }
    const missing = tool.missingAttributes(shape);
    const missingText = missing.map((a) => a.label).join(", ");
    if (row.missing !== missingText) {
      row.missing = missingText;
      row.warning.hidden = !missing.length;
      row.warning.title = missing.length ? `Needs: ${missingText}` : "";
    }
    return row.item;
  }

  function updateLayers() {
    const items = tool.shapes.map(layerRow);
    const ids = new Set(tool.shapes.map((shape) => shape.id));
    for (const id of rows.keys()) if (!ids.has(id)) rows.delete(id);
    const children = layerList.children;
    let same = children.length === items.length;
    for (let index = 0; same && index < items.length; index++) same = children[index] === items[index];
    if (!same) layerList.replaceChildren(...items);
  }

  function attributeInput(shape, attribute) {
    const value = shape.attributes?.[attribute.name];
    const wrapper = element("label", `image-attribute image-attribute-${attribute.type}`);
    wrapper.dataset.attribute = attribute.name;
    const text = element("span", "", attribute.label + (attribute.required && attribute.type !== "boolean" ? " *" : ""));
    let input;
    if (attribute.type === "boolean") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = value === true;
      input.addEventListener("change", () => tool.setAttribute(shape.id, attribute.name, input.checked));
      wrapper.append(input, " ", text);
      return { wrapper, sync: (shapeNow) => { input.checked = shapeNow.attributes?.[attribute.name] === true; } };
    }
    if (attribute.type === "select") {
      input = document.createElement("select");
      const empty = element("option", "", "—");
      empty.value = "";
      input.append(empty, ...attribute.options.map((option) => {
        const node = element("option", "", option.label);
        node.value = option.value;
        return node;
      }));
      input.value = typeof value === "string" ? value : "";
      input.addEventListener("change", () => {
        tool.setAttribute(shape.id, attribute.name, input.value || undefined);
        input.blur();
      });
    } else {
      input = document.createElement("input");
      input.type = "text";
      input.value = typeof value === "string" ? value : "";
      input.addEventListener("input", () => tool.setAttribute(shape.id, attribute.name, input.value, true));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Escape") input.blur();
      });
    }
    wrapper.append(text, input);
    return {
      wrapper,
      sync: (shapeNow) => {
        const now = shapeNow.attributes?.[attribute.name];
        const text = typeof now === "string" ? now : "";
        if (document.activeElement !== input && input.value !== text) input.value = text;
      },
    };
  }

  function updateSelection() {
    const shape = tool.selectedShape();
    const key = shape ? `${shape.id}\u0000${shape.label}` : null;
    if (key !== selectionKey) {
      selectionKey = key;
      selectionInputs = [];
      selectionPanel.replaceChildren();
      selectionPanel.hidden = !shape;
      if (!shape) return;
      const label = tool.labelOf(shape.label);
      const heading = element("div", "image-selection-heading");
      heading.append(swatch(label.color), element("strong", "image-selection-label", label.label), " ",
        element("span", "image-selection-id muted", shape.id));
      const remove = element("button", "image-selection-delete", "Delete");
      remove.type = "button";
      remove.title = "Delete this shape (Delete)";
      remove.addEventListener("click", () => tool.deleteSelected(shape.id));
      heading.append(remove);
      selectionPanel.append(heading);
      for (const attribute of label.attributes) {
        const input = attributeInput(shape, attribute);
        selectionInputs.push(input);
        selectionPanel.append(input.wrapper);
      }
      for (const extra of tool.buildSelectionExtras(shape)) {
        selectionInputs.push(extra);
        selectionPanel.append(extra.wrapper);
      }
      return;
    }
    if (shape) for (const input of selectionInputs) input.sync(shape);
  }

  function updateCount() {
    const n = tool.shapes.length;
    const parts = [`${n} ${n === 1 ? tool.noun : tool.nounPlural}`];
    if (tool.minimum) parts.push(`min ${tool.minimum}`);
    if (tool.maximum !== Infinity) parts.push(`max ${tool.maximum}`);
    const missing = tool.shapes.filter((shape) => tool.missingAttributes(shape).length).length;
    if (missing) parts.push(`${missing} need${missing === 1 ? "s" : ""} attributes`);
    count.textContent = `(${parts.join(" · ")})`;
  }

  tool.ui = {
    update() {
      const armed = tool.editor?.active === tool;
      for (const labelButton of labelButtons) {
        labelButton.setAttribute("aria-pressed", String(armed && labelButton.dataset.label === tool.label));
      }
      root.classList.toggle("image-field-active", armed);
      root.classList.toggle("image-field-hidden", !tool.visible);
      eye.setAttribute("aria-pressed", String(tool.visible));
      eye.textContent = tool.visible ? "Hide" : "Show";
      updateCount();
      updateLayers();
      updateSelection();
      tool.updateControls?.();
    },
  };

  editor.addTool(tool);
  tool.ui.update();

  return {
    field,
    element: root,
    dataKeys: [editor.imageKey],
    showTask(task) {
      editor.showTask(task);
    },
    render(value) {
      tool.setValue(value);
    },
    handleKey(name, event) {
      return editor.handleKey(name, event);
    },
  };
}
