// The `masks` field: pixel masks painted over the shared image editor, one layer per label (brush, eraser,
// fill of a closed outline), stored as row-major run-length encoding.

import { getImageEditor, normalizeLabels } from "./image-editor.js";
import { fieldCaption } from "./field-helpers.js";
import { encodeMask, countsAreValid, countsArea, sameCounts, paintSegment, fillEnclosed, unionRect } from "./mask-rle.js";

const MIN_SIZE = 1;
const MAX_SIZE = 300;
const DEFAULT_SIZE = 10;
const DEFAULT_OPACITY = 50;
const TOOLS = [
  { name: "brush", key: "b", text: "Brush", title: "Paint the chosen label (B)" },
  { name: "eraser", key: "e", text: "Eraser", title: "Erase the chosen label (E)" },
  { name: "fill", key: "g", text: "Fill", title: "Fill inside a closed outline of the chosen label (G)" },
];

/** `#rrggbb` as the 32-bit little-endian RGBA word of an opaque pixel. */
function colorWord(hex) {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join("") : hex.slice(1);
  const n = Number.parseInt(digits, 16);
  return (0xff << 24 | (n & 0xff) << 16 | (n >> 8 & 0xff) << 8 | n >> 16 & 0xff) >>> 0;
}

function makeButton(className, text, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = text;
  if (title) button.title = title;
  return button;
}

/** The value's entry of each label: `{label: entry}` of the well-formed entries (the first one per label). */
function entriesByLabel(value) {
  const entries = new Map();
  for (const entry of Array.isArray(value) ? value : []) {
    if (entry && typeof entry === "object" && typeof entry.label === "string" && !entries.has(entry.label)) entries.set(entry.label, entry);
  }
  return entries;
}

export function createMasksWidget(field, core) {
  const labels = normalizeLabels(field.labels, core);
  const editor = getImageEditor(core, field.image ?? "image");
  const element = document.createElement("fieldset");
  element.className = "field field-masks";
  element.dataset.field = field.name;
  const legend = document.createElement("legend");
  legend.textContent = fieldCaption(field);

  // Tools and brush size
  const toolbar = document.createElement("div");
  toolbar.className = "masks-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", `${field.label ?? field.name}: painting tools`);
  const toolButtons = new Map();
  for (const tool of TOOLS) {
    const button = makeButton("masks-tool", "", tool.title);
    button.dataset.tool = tool.name;
    button.setAttribute("aria-pressed", "false");
    const key = document.createElement("kbd");
    key.textContent = tool.key.toUpperCase();
    button.append(tool.text, " ", key);
    button.addEventListener("click", () => chooseTool(tool.name));
    toolButtons.set(tool.name, button);
    toolbar.append(button);
  }
  const sizeBox = document.createElement("label");
  sizeBox.className = "masks-size-box";
  const sizeCaption = document.createElement("span");
  sizeCaption.textContent = "Size";
  const sizeInput = document.createElement("input");
  sizeInput.type = "range";
  sizeInput.className = "masks-size";
  sizeInput.min = String(MIN_SIZE);
  sizeInput.max = String(MAX_SIZE);
  sizeInput.step = "1";
  sizeInput.value = String(DEFAULT_SIZE);
  sizeInput.title = "Brush size in image pixels ([ smaller, ] larger)";
  const sizeOutput = document.createElement("output");
  sizeOutput.className = "masks-size-value";
  sizeBox.append(sizeCaption, sizeInput, sizeOutput);
  toolbar.append(sizeBox);
  sizeInput.addEventListener("input", () => setSize(Number(sizeInput.value)));
  // After a drag of the slider the keys go back to the editor (B, E, G, [ and ]).
  sizeInput.addEventListener("pointerup", () => sizeInput.blur());

  // Layers: one per label
  const layerList = document.createElement("ul");
  layerList.className = "masks-layers";
  layerList.setAttribute("aria-label", "Layers");
  const hint = document.createElement("p");
  hint.className = "masks-hint muted";
  hint.setAttribute("aria-live", "polite");
  element.append(legend, toolbar, layerList, hint);

  const layers = labels.map((label) => {
    const item = document.createElement("li");
    item.className = "masks-layer";
    item.dataset.label = label.value;
    item.style.setProperty("--mask-color", label.color);
    const select = makeButton("masks-layer-select", "", label.hint ?? "");
    select.setAttribute("aria-pressed", "false");
    const swatch = document.createElement("span");
    swatch.className = "masks-swatch";
    const name = document.createElement("span");
    name.className = "masks-layer-name";
    name.textContent = label.label;
    const key = document.createElement("kbd");
    key.textContent = label.hotkey ?? "";
    const area = document.createElement("small");
    area.className = "masks-layer-area";
    select.append(swatch, name, key, area);
    const showBox = document.createElement("label");
    showBox.className = "masks-layer-show";
    showBox.title = `Show or hide ${label.label}`;
    const visible = document.createElement("input");
    visible.type = "checkbox";
    visible.className = "masks-layer-visible";
    visible.checked = true;
    visible.setAttribute("aria-label", `Show ${label.label}`);
    showBox.append(visible, "Show");
    const opacity = document.createElement("input");
    opacity.type = "range";
    opacity.className = "masks-layer-opacity";
    opacity.min = "0";
    opacity.max = "100";
    opacity.value = String(DEFAULT_OPACITY);
    opacity.title = `Opacity of ${label.label}`;
    opacity.setAttribute("aria-label", `Opacity of ${label.label}`);
    const clear = makeButton("masks-layer-clear", "Clear", `Erase the whole ${label.label} layer`);
    const controls = document.createElement("div");
    controls.className = "masks-layer-controls";
    const opacityBox = document.createElement("label");
    opacityBox.className = "masks-layer-opacity-box";
    opacityBox.append("Opacity", opacity);
    controls.append(showBox, opacityBox);
    item.append(select, clear, controls);
    layerList.append(item);
    const layer = {
      label, item, select, area, visible, opacity, clear,
      color: colorWord(label.color),
      mask: null, // Uint8Array of width × height, allocated on first paint or decode
      canvas: null, // the same pixels, coloured, one canvas pixel per image pixel
      counts: null, // the counts the mask holds now (null when empty): what render compares with the value
      shown: true,
      alpha: DEFAULT_OPACITY / 100,
    };
    select.addEventListener("click", () => chooseLayer(layer));
    visible.addEventListener("change", () => {
      layer.shown = visible.checked;
      editor.requestRender();
    });
    opacity.addEventListener("input", () => {
      layer.alpha = Number(opacity.value) / 100;
      editor.requestRender();
    });
    opacity.addEventListener("pointerup", () => opacity.blur());
    clear.addEventListener("click", () => clearLayer(layer));
    return layer;
  });

  let width = 0;
  let height = 0;
  let current = layers[0] ?? null;
  let toolName = "brush";
  let size = DEFAULT_SIZE;
  let stroke = null; // {layer, value (1 paint, 0 erase), last: {x, y}, rect}
  let cursor = null; // the pointer over the image, for the brush outline
  let problem = ""; // what is wrong with the value (a mask of another size), shown in the hint

  // Layers' pixels

  function ensureBuffers(layer) {
    if (!layer.mask) layer.mask = new Uint8Array(width * height);
    if (!layer.canvas) {
      layer.canvas = document.createElement("canvas");
      layer.canvas.width = width;
      layer.canvas.height = height;
    }
  }

  /** Copies a rectangle of a layer's mask into its canvas. */
  function paintCanvas(layer, rect) {
    if (!rect || !layer.canvas) return;
    const w = rect.x1 - rect.x0;
    const h = rect.y1 - rect.y0;
    const image = new ImageData(w, h);
    const pixels = new Uint32Array(image.data.buffer);
    const { mask, color } = layer;
    for (let y = 0; y < h; y++) {
      const from = (rect.y0 + y) * width + rect.x0;
      const to = y * w;
      for (let x = 0; x < w; x++) if (mask[from + x]) pixels[to + x] = color;
    }
    layer.canvas.getContext("2d").putImageData(image, rect.x0, rect.y0);
  }

  /** Makes a layer hold `counts` (null: empty); returns false when they do not fit the image. */
  function loadLayer(layer, counts) {
    if (counts && !countsAreValid(counts, width, height)) return false;
    if (!counts || countsArea(counts) === 0) {
      if (layer.mask) layer.mask.fill(0);
      if (layer.canvas) layer.canvas.getContext("2d").clearRect(0, 0, width, height);
      layer.counts = null;
      return true;
    }
    ensureBuffers(layer);
    const { mask, color } = layer;
    mask.fill(0);
    // Only the rows from the first pixel inside to the last are coloured, straight from the runs.
    const first = counts[0];
    const last = width * height - (counts.length % 2 ? counts[counts.length - 1] : 0);
    const y0 = Math.floor(first / width);
    const y1 = Math.ceil(last / width);
    const image = new ImageData(width, y1 - y0);
    const pixels = new Uint32Array(image.data.buffer);
    const offset = y0 * width;
    let position = 0;
    for (let i = 0; i < counts.length; i++) {
      if (i & 1) {
        mask.fill(1, position, position + counts[i]);
        pixels.fill(color, position - offset, position + counts[i] - offset);
      }
      position += counts[i];
    }
    const context = layer.canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    context.putImageData(image, 0, y0);
    layer.counts = counts;
    return true;
  }

  /** Draws the field's value into the layers (only those whose counts changed). */
  function syncLayers(value) {
    const entries = entriesByLabel(value);
    const wrong = [];
    for (const layer of layers) {
      const entry = entries.get(layer.label.value);
      const counts = Array.isArray(entry?.rle?.counts) ? entry.rle.counts : null;
      if (stroke?.layer === layer) continue;
      if (counts === layer.counts || (counts && layer.counts && sameCounts(counts, layer.counts))) continue;
      if (!width || !height) continue; // drawn once the image's size is known
      const rleSize = entry?.rle?.size;
      const fits = !counts || (Array.isArray(rleSize) && rleSize[0] === height && rleSize[1] === width);
      if (!fits || !loadLayer(layer, counts)) {
        wrong.push(layer.label.label);
        loadLayer(layer, null); // not drawn, and left out of the value when the layers change next
      }
    }
    for (const label of entries.keys()) {
      if (width && !layers.some((layer) => layer.label.value === label)) wrong.push(label);
    }
    problem = wrong.length ? `Not shown (not a mask of this ${width}×${height} image, or not a label of this field): ${wrong.join(", ")}.` : "";
  }

  /** The field's value from the layers: one entry per non-empty layer, in the order of the labels. */
  function valueOfLayers() {
    const value = [];
    for (const layer of layers) {
      if (!layer.counts || countsArea(layer.counts) === 0) continue;
      value.push({ label: layer.label.value, rle: { size: [height, width], counts: layer.counts } });
    }
    return value;
  }

  function commit() {
    core.setField(field.name, valueOfLayers());
  }

  // The tool in the shared editor

  const tool = {
    name: field.name,
    order: 0,
    visible: true,
    draw(ctx) {
      ctx.imageSmoothingEnabled = false;
      for (const layer of layers) {
        if (!layer.shown || !layer.canvas || layer.alpha <= 0 || (!layer.counts && stroke?.layer !== layer)) continue;
        ctx.globalAlpha = layer.alpha;
        ctx.drawImage(layer.canvas, 0, 0);
      }
      ctx.globalAlpha = 1;
    },
    drawScreen(ctx, view) {
      if (editor.active !== tool || !cursor || toolName === "fill" || !width) return;
      // The brush's outline at the pointer, in screen pixels (its size is in image pixels).
      const radius = Math.max(0.5, size / 2) * view.scale;
      const x = cursor.x * view.scale + view.x;
      const y = cursor.y * view.scale + view.y;
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, Math.PI * 2);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
      ctx.stroke();
      ctx.lineWidth = 1;
      ctx.strokeStyle = toolName === "eraser" ? "#ffffff" : current?.label.color ?? "#ffffff";
      ctx.stroke();
    },
    claimPointer() {
      return Boolean(current && width && height);
    },
    pointerDown(p) {
      if (!current || !width || !height) return false;
      if (toolName === "fill") {
        fill(p);
        return false;
      }
      const value = toolName === "brush" ? 1 : 0;
      if (value === 0 && !current.counts) {
        say(`The ${current.label.label} layer is empty: nothing to erase.`);
        return false;
      }
      ensureBuffers(current);
      stroke = { layer: current, value, last: { x: p.x, y: p.y }, rect: null };
      extendStroke(p.x, p.y);
      return true;
    },
    pointerMove(p) {
      if (!stroke) return;
      // The browser may merge several pointer moves into one event: paint through each of them.
      const samples = p.event?.getCoalescedEvents?.() ?? [];
      let dirty = null;
      for (const sample of samples) {
        const point = editor.canvas.clientToImage(sample.clientX, sample.clientY);
        dirty = unionRect(dirty, extendStroke(point.x, point.y, false));
      }
      dirty = unionRect(dirty, extendStroke(p.x, p.y, false));
      if (dirty) {
        paintCanvas(stroke.layer, dirty);
        editor.requestRender();
      }
      cursor = { x: p.x, y: p.y };
    },
    pointerUp(p) {
      if (!stroke) return;
      extendStroke(p.x, p.y);
      const { layer } = stroke;
      stroke = null;
      const counts = encodeMask(layer.mask, width, height);
      const next = countsArea(counts) ? counts : null;
      if (next === layer.counts || (next && layer.counts && sameCounts(next, layer.counts))) {
        editor.requestRender();
        return; // a stroke that changed nothing adds no undo step
      }
      layer.counts = next;
      commit();
    },
    pointerCancel() {
      if (!stroke) return;
      const { layer } = stroke;
      stroke = null;
      loadLayer(layer, layer.counts);
      editor.requestRender();
    },
    hover(p) {
      if (editor.active !== tool) return null;
      cursor = { x: p.x, y: p.y };
      editor.requestRender();
      return "crosshair";
    },
    handleKey(name) {
      if (stroke) {
        if (name === "escape") editor.canvas.cancelGesture();
        return true; // no other key while the button is down
      }
      const byHotkey = layers.find((layer) => layer.label.hotkey && layer.label.hotkey.toLowerCase() === name);
      if (byHotkey) {
        chooseLayer(byHotkey);
        return true;
      }
      const named = TOOLS.find((candidate) => candidate.key === name);
      if (named) {
        chooseTool(named.name);
        return true;
      }
      if (name === "[" || name === "]") {
        const step = Math.max(1, Math.round(size / 6));
        setSize(size + (name === "]" ? step : -step));
        return true;
      }
      return false;
    },
    reset() {
      stroke = null;
      cursor = null;
      width = 0;
      height = 0;
      for (const layer of layers) {
        layer.mask = null;
        layer.canvas = null;
        layer.counts = null;
      }
      problem = "";
      say("");
      // Alone on its image, the brush is ready at once; beside other fields, picking a layer or tool arms it.
      if (!editor.active && current && editor.tools.length === 1) editor.activate(tool);
    },
    activate() {
      showState();
    },
    deactivate() {
      if (stroke) editor.canvas.cancelGesture();
      cursor = null;
      editor.setHint("");
      showState();
    },
    cancel() {
      if (!stroke) return false;
      editor.canvas.cancelGesture();
      return true;
    },
  };
  editor.addTool(tool);

  // The image's size is known once it loads (or from the task's width and height when it cannot).
  function adoptSize() {
    if (editor.width === width && editor.height === height) return;
    if (stroke) editor.canvas.cancelGesture();
    width = editor.width;
    height = editor.height;
    for (const layer of layers) {
      layer.mask = null;
      layer.canvas = null;
      layer.counts = null;
    }
    syncLayers(core.value[field.name]);
    showState();
    editor.requestRender();
  }
  editor.canvas.addEventListener("load", adoptSize);
  editor.canvas.addEventListener("error", () => queueMicrotask(adoptSize));
  editor.canvas.canvas.addEventListener("pointerleave", () => {
    if (!cursor || stroke) return;
    cursor = null;
    editor.requestRender();
  });

  /** Paints the stroke on to (x, y) in the layer (and its canvas unless `show` is false: the caller then
   * copies the changed rectangle once); the value changes only when the stroke ends. */
  function extendStroke(x, y, show = true) {
    const { layer, value, last } = stroke;
    const rect = paintSegment(layer.mask, width, height, last.x, last.y, x, y, size, value);
    stroke.last = { x, y };
    if (!rect) return null;
    stroke.rect = unionRect(stroke.rect, rect);
    if (!show) return rect;
    paintCanvas(layer, rect);
    editor.requestRender();
    return rect;
  }

  function fill(p) {
    const layer = current;
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    if (!layer.counts) {
      say(`Draw a closed outline with the brush first: the ${layer.label.label} layer is empty.`, true);
      return;
    }
    const result = fillEnclosed(layer.mask, width, height, x, y);
    if (result.status === "outside") say("Click inside the image to fill.", true);
    else if (result.status === "painted") say(`Pixel (${x}, ${y}) is already ${layer.label.label}: click inside the outline.`, true);
    else if (result.status === "open") say(`Not filled: the outline around (${x}, ${y}) is not closed (the region reaches the image's edge).`, true);
    else {
      paintCanvas(layer, result.rect);
      layer.counts = encodeMask(layer.mask, width, height);
      say(`Filled ${result.area.toLocaleString("en")} pixels of ${layer.label.label}.`);
      commit();
    }
  }

  function clearLayer(layer) {
    if (!layer.counts) return;
    if (stroke) editor.canvas.cancelGesture();
    loadLayer(layer, null);
    commit();
  }

  // Choices

  function chooseLayer(layer) {
    current = layer;
    if (editor.active !== tool) editor.activate(tool);
    showState();
    editor.requestRender();
  }

  function chooseTool(name) {
    toolName = name;
    if (editor.active !== tool) editor.activate(tool);
    showState();
    editor.requestRender();
  }

  function setSize(next) {
    size = Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(next) || MIN_SIZE));
    if (sizeInput.value !== String(size)) sizeInput.value = String(size);
    sizeOutput.textContent = `${size} px`;
    editor.requestRender();
  }
  setSize(DEFAULT_SIZE);

  function say(message, isError = false) {
    if (message) core.setStatus(message, isError);
    hint.textContent = isError ? message : problem;
    hint.classList.toggle("error", Boolean(isError));
    if (message && !isError && editor.active === tool) editor.setHint(message);
  }

  function defaultHint() {
    if (!current) return "This field has no labels.";
    const tools = { brush: "paint", eraser: "erase", fill: "click inside a closed outline to fill it" };
    return `${current.label.label}: ${tools[toolName]}. B brush, E eraser, G fill, [ and ] brush size.`;
  }

  /** The pressed tool and layer, each layer's area, and the hint. */
  function showState() {
    const active = editor.active === tool;
    element.classList.toggle("masks-active", active);
    element.dataset.tool = toolName;
    for (const [name, button] of toolButtons) button.setAttribute("aria-pressed", String(active && name === toolName));
    for (const layer of layers) {
      layer.select.setAttribute("aria-pressed", String(layer === current));
      layer.item.classList.toggle("current", layer === current);
      const area = layer.counts && width ? countsArea(layer.counts) : 0;
      layer.item.dataset.pixels = String(area);
      layer.area.textContent = area ? `${area.toLocaleString("en")} px` : "empty";
      layer.clear.disabled = !layer.counts;
    }
    // The editor's hint line says what the armed tool does; the field's own line, what is wrong.
    if (!hint.classList.contains("error")) hint.textContent = problem || (active ? "" : "Pick a layer or a tool to paint.");
    if (active) editor.setHint(defaultHint());
  }

  return {
    field,
    element,
    dataKeys: [field.image ?? "image"],
    showTask(task) {
      editor.showTask(task);
    },
    render(value) {
      if (stroke) editor.canvas.cancelGesture();
      adoptSize();
      syncLayers(value);
      hint.classList.remove("error");
      showState();
      editor.requestRender();
    },
    handleKey(name, event) {
      return editor.handleKey(name, event);
    },
  };
}
