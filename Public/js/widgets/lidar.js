// The `cuboids` field: 3D boxes around objects in LiDAR point clouds, one frame or a sequence of frames, each
// box a track over the frames (keyframes, interpolated between them). The viewer sits in the task panel: one
// WebGL canvas with four views — the top (bird's-eye) view where boxes are placed, a perspective 3D view, and
// side and front views of the selected box where its height is fitted — and a frame bar for sequences. The form
// panel holds the labels, the selected box's tools, label, size and attributes, and the list of boxes.
//
// Performance: a frame's points are uploaded once into one GPU buffer (frames of a sequence load lazily into a
// small cache), every view draws them with one draw call and the boxes with one more, and a render happens
// only when something changed (one requestAnimationFrame), allocating nothing.
//
// Snap (F) fits the selected box to the points inside it grown by 30 cm, keeping the yaw, with the ground
// left out: see snapBox in lidar-math.js (the ground under and around the box is measured, points less than
// 15 cm above it are ground, and the box's bottom goes down to the ground when the object reaches within
// 50 cm of it).

import { fieldCaption, normalizeOptions } from "./field-helpers.js";
import { labelColor } from "./image-shapes.js";
import { LidarRenderer, LINE_STRIDE } from "./lidar-gl.js";
import { attributeRow, isSelectTarget, makeButton, makeElement, mediaSubpath, mediaURL, normalizeKey } from "./widget-dom.js";
import {
  BOX_EDGES,
  boxCorners,
  boxFromFootprint,
  boxUnitMatrix,
  boxViewMatrix,
  copyBox,
  cuboidList,
  cuboidStateAt,
  defaultSize,
  groundHeight,
  invert,
  lookAt,
  multiply,
  nearestKeyframeBox,
  neighbourKeyframe,
  nextId,
  perspective,
  pointsInBox,
  rayBoxDistance,
  resizeFootprint,
  resizeSide,
  roundBox,
  snapBox,
  sortedKeyframes,
  topViewMatrix,
  withKeyframe,
  withoutKeyframe,
  wrapAngle,
} from "./lidar-math.js";

const FRAME_CACHE = 5; // frames of a sequence kept on the GPU
const MAX_POINTS = 16_000_000;
const CLICK_PX = 4; // CSS px: a press that moves less is a click
const HANDLE_PX = 7; // CSS px around a handle that still grabs it
const ROTATE_PX = 26; // CSS px from a box's front to its rotation handle
const FRAME_TIME_SLOTS = 240;
const VERTICES_PER_BOX = 30; // 12 edges, a cross on the front face, the heading from the centre
const DASH = [6, 4];
const NO_DASH = [];
const DEG = 180 / Math.PI;
const TURN = 2 * Math.PI;

/** A coordinate for a canvas call as a whole CSS pixel: a small integer goes to the browser unboxed (a
 * fractional number would be boxed, a little garbage on every render). */
function px(value) {
  return value > 1e6 ? 1e6 : value < -1e6 ? -1e6 : value | 0;
}

function rgb(hex) {
  let digits = String(hex).slice(1);
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join("");
  const n = Number.parseInt(digits, 16) || 0;
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

function normalizeAttributes(attributes) {
  return (Array.isArray(attributes) ? attributes : []).filter((a) => a && typeof a.name === "string").map((a) => {
    const options = Array.isArray(a.options) ? normalizeOptions(a.options) : [];
    const type = a.type === "boolean" || a.type === "text" || a.type === "select" ? a.type : options.length ? "select" : "text";
    return { name: a.name, label: a.label != null ? String(a.label) : a.name, type, options, required: a.required === true };
  });
}

/** Labels with a colour, a hotkey (the schema's; else 1…9 in order when no label has one and no choice field
 * uses the digits), attributes and a default box size. */
function lidarLabels(field, core) {
  const options = normalizeOptions(field.labels);
  const anyHotkey = options.some((label) => typeof label.hotkey === "string" && label.hotkey);
  const digitsFree = !(core.schema?.fields ?? []).some((other) => other.type === "choice");
  return options.map((label, index) => {
    const key = typeof label.hotkey === "string" && label.hotkey ? normalizeKey(label.hotkey) : !anyHotkey && digitsFree && index < 9 ? String(index + 1) : "";
    const color = labelColor(label.value, label.color, core);
    return { ...label, key, color, rgb: rgb(color), attributes: normalizeAttributes(label.attributes), size: defaultSize(label) };
  });
}

/** Reads a GPC1 body: `{count, hasIntensity, min, max, positions (Float32Array view), body (Uint8Array view of
 * the positions and intensities)}`. Throws on a malformed one. */
export function parseGPC1(buffer) {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 36) throw new Error("the point file is too short");
  const bytes = new Uint8Array(buffer, 0, 4);
  if (bytes[0] !== 0x47 || bytes[1] !== 0x50 || bytes[2] !== 0x43 || bytes[3] !== 0x31) throw new Error("the point file is not GPC1");
  const view = new DataView(buffer);
  const count = view.getUint32(4, true);
  const flags = view.getUint32(8, true);
  const hasIntensity = (flags & 1) === 1;
  if (count > MAX_POINTS) throw new Error(`the frame has too many points (${count})`);
  const length = count * 12 + (hasIntensity ? count : 0);
  if (buffer.byteLength < 36 + length) throw new Error("the point file is truncated");
  const min = [view.getFloat32(12, true), view.getFloat32(16, true), view.getFloat32(20, true)];
  const max = [view.getFloat32(24, true), view.getFloat32(28, true), view.getFloat32(32, true)];
  return {
    count,
    hasIntensity,
    min,
    max,
    positions: new Float32Array(buffer, 36, count * 3),
    intensity: hasIntensity ? new Uint8Array(buffer, 36 + count * 12, count) : null,
    body: new Uint8Array(buffer, 36, length),
  };
}

/** A low height quantile of every 16th point: about where the ground is. */
function sampledLowHeight(positions, count, q) {
  const step = 16;
  const n = Math.ceil(count / step);
  if (!n) return 0;
  const heights = new Float32Array(n);
  for (let i = 0, k = 0; i < count; i += step, k++) heights[k] = positions[i * 3 + 2];
  heights.sort();
  return heights[Math.min(n - 1, Math.floor(q * (n - 1)))];
}

// The widget

export function createCuboidsWidget(field, core) {
  const pointsKey = typeof field.points === "string" && field.points ? field.points : "points";
  const labels = lidarLabels(field, core);
  const labelByValue = new Map(labels.map((label) => [label.value, label]));
  const UNKNOWN = { value: "", label: "", color: "#9aa0a6", rgb: rgb("#9aa0a6"), attributes: [], size: [1.5, 1.5, 1.5] };
  const labelOf = (value) => labelByValue.get(value) ?? { ...UNKNOWN, value, label: String(value ?? "") };

  let currentLabel = labels[0]?.value ?? null;
  let cuboids = [];
  let selectedId = null;
  let listed = null;

  // Frames
  let frame = 0;
  let frameURLs = [];
  let loadToken = 0;
  const frames = new Map(); // n → {state, cloud, positions, count, ...}
  let problem = "";

  // ----- The viewer (task panel) -----

  const viewer = makeElement("section", "lidar-viewer");
  viewer.dataset.pointsKey = pointsKey;
  viewer.dataset.frame = "0";
  viewer.setAttribute("aria-label", `Point cloud "${pointsKey}"`);

  const bar = makeElement("div", "lidar-bar");
  const previousFrame = makeButton("lidar-step lidar-previous", "‹", "Previous frame", "←");
  const nextFrame = makeButton("lidar-step lidar-next", "›", "Next frame", "→");
  const position = makeElement("label", "lidar-position");
  const frameInput = makeElement("input", "lidar-frame-input");
  frameInput.type = "number";
  frameInput.min = "0";
  frameInput.step = "1";
  frameInput.value = "0";
  frameInput.setAttribute("aria-label", "Frame number (from 0)");
  const frameOf = makeElement("span", "lidar-frame-of", " of 1");
  position.append("Frame ", frameInput, frameOf);
  const frameControls = makeElement("span", "lidar-frame-controls");
  frameControls.append(previousFrame, nextFrame, position);
  const loadState = makeElement("span", "lidar-load-state muted");
  loadState.setAttribute("aria-live", "polite");
  const colorButton = makeButton("lidar-color-mode", "Colour: height", "Colour the points by height or by intensity", "C");
  const resetButton = makeButton("lidar-reset-views", "Reset view", "Reset the top and 3D views", "R");
  const spacer = makeElement("span", "lidar-spacer");
  bar.append(frameControls, loadState, spacer, colorButton, resetButton);

  const timeline = makeElement("div", "lidar-timeline");
  timeline.setAttribute("role", "slider");
  timeline.setAttribute("aria-label", "Frames: click to go to a frame");
  timeline.tabIndex = -1;
  const timelineLane = makeElement("div", "lidar-timeline-lane");
  const timelineHead = makeElement("div", "lidar-timeline-head");
  timelineLane.append(timelineHead);
  timeline.append(timelineLane);

  const stage = makeElement("div", "lidar-stage");
  stage.tabIndex = 0;
  stage.setAttribute("aria-label", "Point cloud views: top, 3D, side and front");
  const glCanvas = makeElement("canvas", "lidar-gl");
  const overlay = makeElement("canvas", "lidar-overlay");
  const message = makeElement("p", "lidar-message");
  message.hidden = true;
  const captions = {};
  for (const [name, text] of [["top", "Top"], ["persp", "3D"], ["side", "Side"], ["front", "Front"]]) {
    captions[name] = makeElement("span", `lidar-caption lidar-caption-${name}`, text);
    captions[name].setAttribute("aria-hidden", "true");
  }
  stage.append(glCanvas, overlay, ...Object.values(captions), message);
  const help = makeElement(
    "p",
    "lidar-help muted",
    "Top view: drag to draw a box (click for one of the label's size), drag a box to move it, its round handle to turn it, its corners and edges to resize it. Side and front views: drag the top or bottom edge to fit the height. 3D view: drag to orbit, right-drag or shift-drag to pan, wheel to zoom (every view zooms with the wheel).",
  );
  viewer.append(bar, timeline, stage, help);

  // ----- The form part -----

  const element = makeElement("fieldset", "field field-cuboids");
  element.dataset.field = field.name;
  const legend = makeElement("legend", "", fieldCaption(field));
  const labelBar = makeElement("div", "lidar-labels");
  labelBar.setAttribute("role", "toolbar");
  labelBar.setAttribute("aria-label", "Labels");
  const labelButtons = labels.map((label) => {
    const button = makeElement("button", "lidar-label");
    button.type = "button";
    button.dataset.value = label.value;
    button.style.setProperty("--label-color", label.color);
    const swatch = makeElement("span", "lidar-swatch");
    swatch.setAttribute("aria-hidden", "true");
    button.append(swatch, makeElement("span", "", label.label), makeElement("kbd", "", label.key));
    button.title = `New boxes get “${label.label}”; relabels the selected box${label.key ? ` (${label.key})` : ""}`;
    button.addEventListener("click", () => pickLabel(label.value));
    labelBar.append(button);
    return button;
  });
  const hint = makeElement("p", "lidar-hint muted");

  const tools = makeElement("div", "lidar-tools");
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", "Selected box");
  const snapButton = makeButton("lidar-snap", "Snap", "Fit the box to the points in it, keeping its heading; the ground is left out", "F");
  const keyHere = makeButton("lidar-keyframe-here", "Keyframe here", "Make this frame a keyframe of the box (from the box shown here)", "K");
  const copyNext = makeButton("lidar-copy-next", "Copy to next frame", "Keyframe the box on the next frame and go there", "N");
  const previousKey = makeButton("lidar-previous-key", "◂ Keyframe", "The box's previous keyframe", ",");
  const nextKey = makeButton("lidar-next-key", "Keyframe ▸", "The box's next keyframe", ".");
  const deleteKey = makeButton("lidar-delete-keyframe", "Delete keyframe", "Delete the box's keyframe on this frame", "⇧Del");
  const deleteBox = makeButton("lidar-delete", "Delete box", "Delete the box on every frame", "Del");
  tools.append(snapButton, keyHere, copyNext, previousKey, nextKey, deleteKey, deleteBox);

  const details = makeElement("div", "lidar-details");
  const detailsHeading = makeElement("div", "lidar-details-heading");
  const detailsTitle = makeElement("strong", "");
  const detailsState = makeElement("span", "lidar-details-state muted");
  detailsHeading.append(detailsTitle, " ", detailsState);
  const labelRow = makeElement("label", "lidar-label-row");
  const labelSelect = makeElement("select", "lidar-label-select");
  labelRow.append("Label", labelSelect);
  const numbers = makeElement("div", "lidar-numbers");
  const numberInputs = {};
  for (const [key, caption, unit] of [["x", "x", "m"], ["y", "y", "m"], ["z", "z", "m"], ["l", "length", "m"], ["w", "width", "m"], ["h", "height", "m"], ["yaw", "yaw", "°"]]) {
    const row = makeElement("label", "lidar-number");
    const input = makeElement("input");
    input.type = "number";
    input.step = key === "yaw" ? "1" : "0.05";
    input.dataset.key = key;
    input.addEventListener("change", () => numberChanged(key, input));
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      // Enter sets the number; it does not submit.
      event.preventDefault();
      event.stopPropagation();
      numberChanged(key, input);
      input.blur();
    });
    row.append(makeElement("span", "", caption), input, makeElement("span", "lidar-unit muted", unit));
    numbers.append(row);
    numberInputs[key] = input;
  }
  const pointsLine = makeElement("p", "lidar-points-line muted");
  const attributesBox = makeElement("div", "lidar-attributes");
  details.append(detailsHeading, labelRow, numbers, pointsLine, attributesBox);

  const list = makeElement("ul", "lidar-list");
  list.setAttribute("aria-label", "Boxes");
  const count = makeElement("small", "lidar-count muted");
  element.append(legend, labelBar, hint, tools, details, list, count);

  // ----- Views -----

  // A view: its rectangle on the stage (CSS px; `width` and `height` repeat it for the matrix builders), its
  // matrix (world → clip), and what its builder reads.
  function makeView(name, depthTest) {
    return { name, rect: { x: 0, y: 0, w: 0, h: 0 }, width: 1, height: 1, matrix: new Float32Array(16), pointSize: 2, depthTest };
  }
  const top = Object.assign(makeView("top", false), { cx: 10, cy: 0, scale: 8 });
  const persp = Object.assign(makeView("persp", true), {
    camera: { fovy: (50 * Math.PI) / 180, aspect: 1, near: 0.1, far: 1000 },
    target: new Float64Array([10, 0, 0]),
    distance: 40,
    azimuth: Math.PI,
    elevation: 0.6,
    eye: new Float64Array(3),
    projection: new Float32Array(16),
    view: new Float32Array(16),
    inverse: new Float32Array(16),
  });
  const side = Object.assign(makeView("side", false), { kind: "side", zoom: 1, scale: 40, depth: 1, frameBox: { x: 0, y: 0, z: 0, l: 1, w: 1, h: 1, yaw: 0 }, framed: false });
  const front = Object.assign(makeView("front", false), { kind: "front", zoom: 1, scale: 40, depth: 1, frameBox: { x: 0, y: 0, z: 0, l: 1, w: 1, h: 1, yaw: 0 }, framed: false });
  const viewList = [top, persp, side, front];

  const style = { mode: 0, height: new Float32Array([-2, 3]), box: new Float32Array(16), hasBox: false, highlight: new Float32Array(3) };

  let renderer = null;
  let glProblem = "";
  try {
    renderer = new LidarRenderer(glCanvas);
  } catch (error) {
    glProblem = `The 3D views need WebGL: ${error.message}.`;
  }

  // Sizes in CSS px and device px
  let cssWidth = 0;
  let cssHeight = 0;
  let dpr = 1;
  let deviceWidth = 0;
  let deviceHeight = 0;
  const overlayContext = overlay.getContext("2d");
  overlayContext.font = "12px system-ui, sans-serif";

  function layout() {
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    if (!width || !height) return;
    const firstLayout = !cssWidth;
    cssWidth = width;
    cssHeight = height;
    dpr = Math.min(window.devicePixelRatio || 1, 2);
    deviceWidth = Math.round(width * dpr);
    deviceHeight = Math.round(height * dpr);
    overlay.width = deviceWidth;
    overlay.height = deviceHeight;
    const left = Math.round(width * 0.58);
    const rightWidth = width - left;
    const perspHeight = Math.round(height * 0.44);
    const sideHeight = Math.round((height - perspHeight) / 2);
    Object.assign(top.rect, { x: 0, y: 0, w: left, h: height });
    Object.assign(persp.rect, { x: left, y: 0, w: rightWidth, h: perspHeight });
    Object.assign(side.rect, { x: left, y: perspHeight, w: rightWidth, h: sideHeight });
    Object.assign(front.rect, { x: left, y: perspHeight + sideHeight, w: rightWidth, h: height - perspHeight - sideHeight });
    for (const view of viewList) {
      view.width = Math.max(view.rect.w, 1);
      view.height = Math.max(view.rect.h, 1);
      captions[view.name].style.left = `${view.rect.x + 6}px`;
      captions[view.name].style.top = `${view.rect.y + 4}px`;
      view.pointSize = Math.max(1, Math.round((view === side || view === front ? 3 : 2) * dpr)) | 0;
    }
    if (firstLayout) resetViews();
    requestRender();
  }
  if (typeof ResizeObserver === "function") new ResizeObserver(layout).observe(stage);
  else window.addEventListener("resize", layout);

  /** The top view on the frame's points around the sensor, the 3D view behind the sensor. */
  function resetViews() {
    const entry = frames.get(frame);
    let cx = 10;
    let cy = 0;
    let spanX = 60;
    let spanY = 60;
    if (entry?.state === "ready") {
      const [minX, minY] = entry.min;
      const [maxX, maxY] = entry.max;
      // The points from 20 m behind the sensor to 40 m ahead of it, 30 m to either side.
      const lowX = Math.max(minX, -20);
      const highX = Math.min(maxX, 40);
      const lowY = Math.max(minY, -30);
      const highY = Math.min(maxY, 30);
      if (highX > lowX && highY > lowY) {
        cx = (lowX + highX) / 2;
        cy = (lowY + highY) / 2;
        spanX = highX - lowX;
        spanY = highY - lowY;
      }
    }
    top.cx = cx;
    top.cy = cy;
    top.scale = top.rect.w && top.rect.h ? Math.min(top.rect.h / (spanX * 1.05), top.rect.w / (spanY * 1.05)) : 8;
    persp.target[0] = cx;
    persp.target[1] = cy;
    persp.target[2] = 0;
    persp.distance = Math.max(spanX, spanY) * 0.8;
    persp.azimuth = Math.PI;
    persp.elevation = 0.65;
    side.zoom = 1;
    front.zoom = 1;
    requestRender();
  }

  // ----- The shown boxes: rebuilt when the value, the frame or the selection change -----

  /** What is drawn on the current frame: `{id, cuboid, label, box, kind: keyframe|interpolated|ghost, tag}`. */
  let shown = [];
  let selectedEntry = null;
  let lineData = new Float32Array(VERTICES_PER_BOX * LINE_STRIDE * 8);
  let lineVertices = 0;
  let linesDirty = true;
  let pointsInSelected = 0;
  const preview = { x: 0, y: 0, z: 0, l: 1, w: 1, h: 1, yaw: 0 };
  let gesture = null;

  function refreshShown() {
    shown = [];
    selectedEntry = null;
    for (const cuboid of cuboids) {
      const state = cuboidStateAt(cuboid, frame);
      const selected = cuboid.id === selectedId;
      let box = state.box;
      let kind = state.keyframe ? "keyframe" : "interpolated";
      if (!box && selected) {
        box = nearestKeyframeBox(cuboid, frame);
        kind = "ghost";
      }
      if (!box) continue;
      const label = labelOf(cuboid.label);
      const suffix = kind === "interpolated" ? " · interpolated" : kind === "ghost" ? " · not on this frame" : "";
      const text = `${cuboid.id} ${label.label}${suffix}`;
      const entry = { id: cuboid.id, cuboid, label, box, kind, selected, tag: text, tagWidth: overlayContext.measureText(text).width + 8 };
      if (gesture?.id === cuboid.id && gesture.editing) entry.box = preview;
      shown.push(entry);
      if (selected) selectedEntry = entry;
    }
    // The selected box is drawn last (on top).
    if (selectedEntry) {
      shown.splice(shown.indexOf(selectedEntry), 1);
      shown.push(selectedEntry);
    }
    const needed = Math.max(shown.length, 1) * VERTICES_PER_BOX * LINE_STRIDE;
    if (lineData.length < needed) lineData = new Float32Array(needed * 2);
    updateHighlight();
    countSelectedPoints();
    linesDirty = true;
    requestRender();
  }

  function updateHighlight() {
    if (selectedEntry) {
      boxUnitMatrix(style.box, selectedEntry.box);
      style.hasBox = true;
      const [r, g, b] = selectedEntry.label.rgb;
      // The label's colour, lighter: it stands out of the height colours.
      style.highlight[0] = r + (1 - r) * 0.35;
      style.highlight[1] = g + (1 - g) * 0.35;
      style.highlight[2] = b + (1 - b) * 0.35;
    } else {
      style.hasBox = false;
    }
  }

  function countSelectedPoints() {
    const entry = frames.get(frame);
    pointsInSelected = selectedEntry && entry?.state === "ready" ? pointsInBox(entry.positions, entry.count, selectedEntry.box) : 0;
  }

  const corners = new Float64Array(24);
  function writeLines() {
    let offset = 0;
    let vertices = 0;
    const data = lineData;
    for (let index = 0; index < shown.length; index++) {
      const entry = shown[index];
      const box = entry.box;
      boxCorners(box, corners);
      const color = entry.label.rgb;
      let r = color[0];
      let g = color[1];
      let b = color[2];
      let a = entry.kind === "keyframe" ? 1 : entry.kind === "interpolated" ? 0.7 : 0.4;
      if (entry.selected) {
        r += (1 - r) * 0.45;
        g += (1 - g) * 0.45;
        b += (1 - b) * 0.45;
        a = Math.max(a, 0.55);
      }
      for (let e = 0; e < 24; e++) {
        const c = BOX_EDGES[e] * 3;
        data[offset++] = corners[c];
        data[offset++] = corners[c + 1];
        data[offset++] = corners[c + 2];
        data[offset++] = r;
        data[offset++] = g;
        data[offset++] = b;
        data[offset++] = a;
      }
      // A cross on the front face: corners 0-5 and 1-4.
      for (let k = 0; k < 4; k++) {
        const c = (k === 0 ? 0 : k === 1 ? 5 : k === 2 ? 1 : 4) * 3;
        data[offset++] = corners[c];
        data[offset++] = corners[c + 1];
        data[offset++] = corners[c + 2];
        data[offset++] = r;
        data[offset++] = g;
        data[offset++] = b;
        data[offset++] = a;
      }
      // The heading: from the centre to the middle of the front face.
      const cos = Math.cos(box.yaw);
      const sin = Math.sin(box.yaw);
      data[offset++] = box.x;
      data[offset++] = box.y;
      data[offset++] = box.z;
      data[offset++] = r;
      data[offset++] = g;
      data[offset++] = b;
      data[offset++] = a;
      data[offset++] = box.x + (cos * box.l) / 2;
      data[offset++] = box.y + (sin * box.l) / 2;
      data[offset++] = box.z;
      data[offset++] = r;
      data[offset++] = g;
      data[offset++] = b;
      data[offset++] = a;
      vertices += VERTICES_PER_BOX;
    }
    lineVertices = vertices;
    renderer?.setLines(lineData, lineVertices);
    linesDirty = false;
  }

  // ----- Rendering: on demand, one requestAnimationFrame, nothing allocated -----

  let renderQueued = false;
  const frameTimes = new Float64Array(FRAME_TIME_SLOTS);
  let frameTimeCount = 0;
  let frameTimeNext = 0;
  let lastDrawCalls = 0;
  let renders = 0;

  function requestRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(renderFrame);
  }

  function renderFrame() {
    renderQueued = false;
    render();
  }

  function updateMatrices() {
    // Top
    const t = top.rect;
    if (t.w > 0 && t.h > 0) topViewMatrix(top.matrix, top);
    // Perspective
    const p = persp.rect;
    if (p.w > 0 && p.h > 0) {
      const ce = Math.cos(persp.elevation);
      persp.eye[0] = persp.target[0] + persp.distance * ce * Math.cos(persp.azimuth);
      persp.eye[1] = persp.target[1] + persp.distance * ce * Math.sin(persp.azimuth);
      persp.eye[2] = persp.target[2] + persp.distance * Math.sin(persp.elevation);
      const camera = persp.camera;
      camera.aspect = p.w / p.h;
      camera.near = Math.max(0.05, persp.distance * 0.01);
      camera.far = persp.distance + 600;
      perspective(persp.projection, camera);
      lookAt(persp.view, persp.eye, persp.target);
      multiply(persp.matrix, persp.projection, persp.view);
    }
    // Side and front: framed on the selected box, except while a drag in that view goes on.
    for (let index = 2; index < 4; index++) {
      const view = viewList[index];
      const r = view.rect;
      view.framed = Boolean(selectedEntry);
      if (!selectedEntry || !(r.w > 0 && r.h > 0)) continue;
      if (!(gesture && gesture.view === view && gesture.editing)) {
        copyBox(view.frameBox, selectedEntry.box);
        const across = Math.max(view.kind === "side" ? view.frameBox.l : view.frameBox.w, 1.5);
        const tall = Math.max(view.frameBox.h, 1.5);
        view.scale = Math.min(r.w / (across * 1.7), r.h / (tall * 1.9)) * view.zoom;
      }
      view.depth = (view.kind === "side" ? view.frameBox.w : view.frameBox.l) / 2 + 0.5;
      boxViewMatrix(view.matrix, view.frameBox, view);
    }
  }

  function render() {
    if (!renderer || !cssWidth) return 0;
    const started = performance.now();
    if (linesDirty) writeLines();
    updateMatrices();
    renderer.begin(deviceWidth, deviceHeight);
    const entry = frames.get(frame);
    renderer.setCloud(entry?.state === "ready" ? entry.cloud : null);
    for (let index = 0; index < 4; index++) {
      const view = viewList[index];
      if ((view === side || view === front) && !view.framed) continue;
      const r = view.rect;
      renderer.drawView((r.x * dpr + 0.5) | 0, (r.y * dpr + 0.5) | 0, (r.w * dpr + 0.5) | 0, (r.h * dpr + 0.5) | 0, view, style);
    }
    drawOverlay();
    const elapsed = performance.now() - started;
    frameTimes[frameTimeNext] = elapsed;
    frameTimeNext = (frameTimeNext + 1) % FRAME_TIME_SLOTS;
    if (frameTimeCount < FRAME_TIME_SLOTS) frameTimeCount++;
    lastDrawCalls = renderer.drawCalls;
    renders++;
    return elapsed;
  }

  // ----- The overlay: tags, handles, the box being drawn -----

  const scratch = new Float64Array(4);
  const local = new Float64Array(3);

  /** Top view: world (x, y) → stage px, into scratch[0], scratch[1]. */
  function topToStage(x, y) {
    scratch[0] = top.rect.x + top.rect.w / 2 - (y - top.cy) * top.scale;
    scratch[1] = top.rect.y + top.rect.h / 2 - (x - top.cx) * top.scale;
  }

  function stageToTop(sx, sy) {
    return { x: top.cx + (top.rect.y + top.rect.h / 2 - sy) / top.scale, y: top.cy - (sx - top.rect.x - top.rect.w / 2) / top.scale };
  }

  /** Side or front view: a point `a` metres along the view's horizontal axis from its frame box's centre, at
   * height z → stage px into scratch. */
  function sideToStage(view, a, z) {
    scratch[0] = view.rect.x + view.rect.w / 2 + a * view.scale;
    scratch[1] = view.rect.y + view.rect.h / 2 - (z - view.frameBox.z) * view.scale;
  }

  /** The horizontal coordinate of world (x, y) in a side or front view (from its frame box's centre). */
  function sideAxis(view, x, y) {
    const c = Math.cos(view.frameBox.yaw);
    const s = Math.sin(view.frameBox.yaw);
    const dx = x - view.frameBox.x;
    const dy = y - view.frameBox.y;
    return view.kind === "side" ? dx * c + dy * s : -dx * s + dy * c;
  }

  /** Perspective: the world point in `point` (3 numbers) → stage px into scratch (scratch[3] > 0 when in front
   * of the camera). */
  function perspToStage(point) {
    const m = persp.matrix;
    const x = point[0];
    const y = point[1];
    const z = point[2];
    const w = m[3] * x + m[7] * y + m[11] * z + m[15];
    scratch[0] = persp.rect.x + (((m[0] * x + m[4] * y + m[8] * z + m[12]) / w + 1) / 2) * persp.rect.w;
    scratch[1] = persp.rect.y + ((1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / w) / 2) * persp.rect.h;
    scratch[3] = w;
  }

  function drawOverlay() {
    const ctx = overlayContext;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "bottom";
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.25)";
    for (let index = 1; index < 4; index++) {
      const r = viewList[index].rect;
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
    drawTopOverlay(ctx);
    drawPerspOverlay(ctx);
    drawSideOverlay(ctx, side);
    drawSideOverlay(ctx, front);
  }

  function clip(ctx, r) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
  }

  /** The tag of a box (its id and label) with its bottom left at scratch[0], scratch[1], inside view rect r. */
  function tag(ctx, entry, r) {
    const width = entry.tagWidth;
    const left = Math.min(Math.max(scratch[0], r.x + 2), r.x + r.w - width - 2);
    const topY = Math.max(scratch[1] - 17, r.y + 2);
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = entry.label.color;
    ctx.fillRect(px(left), px(topY), px(width), 16);
    ctx.globalAlpha = 1;
    ctx.fillStyle = "#fff";
    ctx.fillText(entry.tag, px(left + 4), px(topY + 14));
  }

  function drawTopOverlay(ctx) {
    const r = top.rect;
    clip(ctx, r);
    for (let index = 0; index < shown.length; index++) {
      const entry = shown[index];
      const box = entry.box;
      boxCorners(box, corners);
      // Footprint outline: thick for the selected box, dashed for an interpolated or absent one.
      ctx.setLineDash(entry.kind === "keyframe" ? NO_DASH : DASH);
      ctx.lineWidth = entry.selected ? 2.5 : 1.5;
      ctx.strokeStyle = entry.label.color;
      ctx.globalAlpha = entry.kind === "ghost" ? 0.6 : 1;
      ctx.beginPath();
      for (let k = 0; k < 4; k++) {
        topToStage(corners[k * 3], corners[k * 3 + 1]);
        if (k === 0) ctx.moveTo(px(scratch[0]), px(scratch[1]));
        else ctx.lineTo(px(scratch[0]), px(scratch[1]));
      }
      ctx.closePath();
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.setLineDash(NO_DASH);
      topToStage(corners[0], corners[1]);
      let tx = scratch[0];
      let ty = scratch[1];
      for (let k = 1; k < 4; k++) {
        topToStage(corners[k * 3], corners[k * 3 + 1]);
        if (scratch[1] < ty) {
          ty = scratch[1];
          tx = scratch[0];
        }
      }
      scratch[0] = tx;
      scratch[1] = ty - 2;
      tag(ctx, entry, r);
      if (entry.selected) drawTopHandles(ctx, entry);
    }
    if (gesture?.kind === "draw" && gesture.moved) {
      const color = labelOf(currentLabel).color;
      ctx.setLineDash(DASH);
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(px(Math.min(gesture.sx, gesture.ex)), px(Math.min(gesture.sy, gesture.ey)), px(Math.abs(gesture.ex - gesture.sx)), px(Math.abs(gesture.ey - gesture.sy)));
      ctx.setLineDash(NO_DASH);
    }
    ctx.fillStyle = "rgba(255,255,255,0.55)";
    ctx.fillText("x ↑  y ←", r.x + 6, r.y + r.h - 4);
    ctx.restore();
  }

  /** Whether the top view shows the footprint handle (su, sv) of a box: a box too small on the screen keeps
   * only its corners (and none when tiny), so a press inside it still moves it. */
  function hasHandle(box, su, sv) {
    const long = box.l * top.scale;
    const wide = box.w * top.scale;
    if (su && sv) return long >= 14 && wide >= 14;
    return (su ? wide : long) >= 30 && long >= 14 && wide >= 14;
  }

  function drawTopHandles(ctx, entry) {
    const box = entry.box;
    const cos = Math.cos(box.yaw);
    const sin = Math.sin(box.yaw);
    ctx.fillStyle = "#fff";
    ctx.strokeStyle = entry.label.color;
    ctx.lineWidth = 1.5;
    for (let su = -1; su <= 1; su++) {
      for (let sv = -1; sv <= 1; sv++) {
        if ((!su && !sv) || !hasHandle(box, su, sv)) continue;
        const u = (su * box.l) / 2;
        const v = (sv * box.w) / 2;
        topToStage(box.x + u * cos - v * sin, box.y + u * sin + v * cos);
        const size = su && sv ? 8 : 6;
        const hx = px(scratch[0]) - size / 2;
        const hy = px(scratch[1]) - size / 2;
        ctx.fillRect(hx, hy, size, size);
        ctx.strokeRect(hx, hy, size, size);
      }
    }
    // The rotation handle: a round knob ahead of the front.
    topToStage(box.x + (cos * box.l) / 2, box.y + (sin * box.l) / 2);
    const fx = px(scratch[0]);
    const fy = px(scratch[1]);
    rotationHandle(box);
    const rx = px(scratch[0]);
    const ry = px(scratch[1]);
    ctx.beginPath();
    ctx.moveTo(fx, fy);
    ctx.lineTo(rx, ry);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(rx, ry, 6, 0, TURN);
    ctx.fill();
    ctx.stroke();
  }

  /** The rotation handle of a box in the top view, into scratch (stage px). */
  function rotationHandle(box) {
    const ahead = box.l / 2 + ROTATE_PX / top.scale;
    topToStage(box.x + Math.cos(box.yaw) * ahead, box.y + Math.sin(box.yaw) * ahead);
  }

  function drawPerspOverlay(ctx) {
    const r = persp.rect;
    if (!(r.w > 0)) return;
    clip(ctx, r);
    for (let index = 0; index < shown.length; index++) {
      const entry = shown[index];
      const box = entry.box;
      local[0] = box.x;
      local[1] = box.y;
      local[2] = box.z + box.h / 2;
      perspToStage(local);
      if (scratch[3] <= 0) continue;
      if (scratch[0] < r.x - 50 || scratch[0] > r.x + r.w + 50 || scratch[1] < r.y || scratch[1] > r.y + r.h + 20) continue;
      scratch[1] -= 4;
      tag(ctx, entry, r);
    }
    ctx.restore();
  }

  let sizeText = { side: "", front: "" };
  function drawSideOverlay(ctx, view) {
    const r = view.rect;
    if (!(r.w > 0)) return;
    clip(ctx, r);
    if (!selectedEntry) {
      ctx.fillStyle = "rgba(255,255,255,0.6)";
      ctx.textAlign = "center";
      ctx.fillText("Select a box", px(r.x + r.w / 2), px(r.y + r.h / 2));
      ctx.textAlign = "start";
      ctx.restore();
      return;
    }
    const box = selectedEntry.box;
    const across = view.kind === "side" ? box.l : box.w;
    const a = sideAxis(view, box.x, box.y);
    sideToStage(view, a - across / 2, box.z + box.h / 2);
    const left = px(scratch[0]);
    const topY = px(scratch[1]);
    sideToStage(view, a + across / 2, box.z - box.h / 2);
    const right = px(scratch[0]);
    const bottom = px(scratch[1]);
    ctx.setLineDash(selectedEntry.kind === "keyframe" ? NO_DASH : DASH);
    ctx.strokeStyle = selectedEntry.label.color;
    ctx.lineWidth = 2;
    ctx.strokeRect(left, topY, right - left, bottom - topY);
    ctx.setLineDash(NO_DASH);
    // Edge handles
    ctx.fillStyle = "#fff";
    ctx.lineWidth = 1.5;
    const mx = (left + right) >> 1;
    const my = (topY + bottom) >> 1;
    for (let k = 0; k < 4; k++) {
      const hx = k === 0 || k === 1 ? mx : k === 2 ? left : right;
      const hy = k === 0 ? topY : k === 1 ? bottom : my;
      ctx.fillRect(hx - 4, hy - 4, 8, 8);
      ctx.strokeRect(hx - 4, hy - 4, 8, 8);
    }
    // The heading: an arrow on the side view's front edge.
    if (view.kind === "side") {
      ctx.beginPath();
      ctx.moveTo(right + 4, my - 6);
      ctx.lineTo(right + 12, my);
      ctx.lineTo(right + 4, my + 6);
      ctx.stroke();
    }
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillText(view === side ? sizeText.side : sizeText.front, r.x + 6, r.y + r.h - 4);
    ctx.restore();
  }

  function updateSizeText() {
    const box = selectedEntry?.box;
    sizeText = box
      ? { side: `l ${box.l.toFixed(2)} m · h ${box.h.toFixed(2)} m · z ${box.z.toFixed(2)} m`, front: `w ${box.w.toFixed(2)} m · h ${box.h.toFixed(2)} m` }
      : { side: "", front: "" };
  }

  // ----- Value edits -----

  const selected = () => cuboids.find((cuboid) => cuboid.id === selectedId) ?? null;

  function commit(next, options) {
    const tidy = next.map((cuboid) => {
      const keyframes = sortedKeyframes(cuboid.keyframes);
      return keyframes === cuboid.keyframes ? cuboid : { ...cuboid, keyframes };
    });
    core.setField(field.name, tidy, options);
  }

  function replaceCuboid(cuboid, options) {
    commit(cuboids.map((existing) => (existing.id === cuboid.id ? cuboid : existing)), options);
  }

  function defaultAttributes(labelValue, previous = {}) {
    const attributes = {};
    for (const attribute of labelByValue.get(labelValue)?.attributes ?? []) {
      if (attribute.name in previous) attributes[attribute.name] = previous[attribute.name];
      else if (attribute.type === "boolean") attributes[attribute.name] = false;
    }
    return attributes;
  }

  /** Sets the box of a cuboid on the current frame: a keyframe here (made when this frame was not one). */
  function setBoxHere(cuboid, box, options) {
    const next = withKeyframe(cuboid, frame, box);
    const before = sortedKeyframes(cuboid.keyframes).find((keyframe) => keyframe.frame === frame);
    const after = next.keyframes.find((keyframe) => keyframe.frame === frame);
    if (before && ["x", "y", "z", "l", "w", "h", "yaw"].every((key) => before[key] === after[key])) {
      refreshShown();
      return false;
    }
    replaceCuboid(next, options);
    return true;
  }

  function createCuboid(box) {
    if (!currentLabel) return;
    if (field.max_cuboids && cuboids.length >= field.max_cuboids) {
      core.setStatus(`At most ${field.max_cuboids} box${field.max_cuboids === 1 ? "" : "es"}.`, true);
      refreshShown();
      return;
    }
    const id = nextId(cuboids, "c");
    const cuboid = { id, label: currentLabel };
    const attributes = defaultAttributes(currentLabel);
    if (Object.keys(attributes).length) cuboid.attributes = attributes;
    cuboid.keyframes = [{ frame, ...roundBox(box) }];
    selectedId = id;
    commit([...cuboids, cuboid]);
  }

  /** The ground height near (x, y) on the current frame. */
  function groundAt(x, y) {
    const entry = frames.get(frame);
    if (entry?.state !== "ready") return 0;
    const ground = groundHeight(entry.positions, entry.count, x, y, 3, { maxZ: entry.ground + 3 });
    return Number.isFinite(ground) ? ground : entry.ground;
  }

  function defaultBoxAt(x, y) {
    const [l, w, h] = labelOf(currentLabel).size;
    return roundBox({ x, y, z: groundAt(x, y) + h / 2, l, w, h, yaw: 0 });
  }

  function select(id, { reveal = false } = {}) {
    selectedId = id;
    refreshShown();
    update();
    if (reveal && selectedEntry) {
      // Bring the box into the top view and the 3D view.
      const box = selectedEntry.box;
      topToStage(box.x, box.y);
      const r = top.rect;
      if (scratch[0] < r.x + 20 || scratch[0] > r.x + r.w - 20 || scratch[1] < r.y + 20 || scratch[1] > r.y + r.h - 20) {
        top.cx = box.x;
        top.cy = box.y;
      }
      persp.target[0] = box.x;
      persp.target[1] = box.y;
      persp.target[2] = box.z;
      persp.distance = Math.min(persp.distance, Math.max(12, box.l * 4));
    }
    requestRender();
  }

  function pickLabel(value) {
    currentLabel = value;
    showLabel();
    const cuboid = selected();
    if (cuboid && cuboid.label !== value) {
      replaceCuboid(relabeled(cuboid, value));
      core.setStatus(`Box ${cuboid.id} is now “${labelOf(value).label}”.`);
    }
    return true;
  }

  function relabeled(cuboid, value) {
    const next = { ...cuboid, label: value };
    const attributes = defaultAttributes(value, cuboid.attributes ?? {});
    if (Object.keys(attributes).length) next.attributes = attributes;
    else delete next.attributes;
    return next;
  }

  function showLabel() {
    for (const button of labelButtons) button.setAttribute("aria-pressed", String(button.dataset.value === currentLabel));
    const label = labelByValue.get(currentLabel);
    hint.textContent = label
      ? `Drag in the top view to draw a “${label.label}” box, or click an empty spot for one of ${label.size.map((n) => n.toFixed(1)).join(" × ")} m (a click with a box selected deselects it). Then press F to snap it to its points.`
      : "";
  }

  function snap() {
    const cuboid = selected();
    if (!cuboid || !selectedEntry) return false;
    const entry = frames.get(frame);
    if (entry?.state !== "ready") {
      core.setStatus("The points of this frame are not loaded yet.", true);
      return true;
    }
    const result = snapBox(entry.positions, entry.count, selectedEntry.box);
    if (!result.box) {
      core.setStatus(`Not enough points in box ${cuboid.id} to snap it (${result.points}).`, true);
      return true;
    }
    setBoxHere(cuboid, result.box);
    core.setStatus(`Snapped box ${cuboid.id} to ${result.points} points.`);
    return true;
  }

  function keyframeHere() {
    const cuboid = selected();
    if (!cuboid || !selectedEntry) return false;
    if (selectedEntry.kind === "keyframe") {
      core.setStatus(`Frame ${frame} is already a keyframe of box ${cuboid.id}.`);
      return true;
    }
    setBoxHere(cuboid, selectedEntry.box);
    return true;
  }

  function copyToNextFrame() {
    const cuboid = selected();
    if (!cuboid || !selectedEntry) return false;
    if (frame + 1 >= frameCount()) {
      core.setStatus("This is the last frame.", true);
      return true;
    }
    replaceCuboid(withKeyframe(cuboid, frame + 1, selectedEntry.box));
    seek(frame + 1);
    return true;
  }

  function deleteKeyframeHere() {
    const cuboid = selected();
    if (!cuboid) return false;
    if (!(cuboid.keyframes ?? []).some((keyframe) => keyframe.frame === frame)) {
      core.setStatus(`Box ${cuboid.id} has no keyframe on this frame.`, true);
      return true;
    }
    const remaining = withoutKeyframe(cuboid, frame);
    if (!remaining) return removeCuboid();
    replaceCuboid(remaining);
    return true;
  }

  function removeCuboid() {
    const cuboid = selected();
    if (!cuboid) return false;
    selectedId = null;
    commit(cuboids.filter((existing) => existing.id !== cuboid.id));
    core.setStatus(`Deleted box ${cuboid.id}.`);
    return true;
  }

  function jumpKeyframe(direction) {
    const candidates = selected() ? [selected()] : cuboids;
    const found = candidates.map((cuboid) => neighbourKeyframe(cuboid, frame, direction)).filter((n) => n !== null);
    if (!found.length) return false;
    seek(direction > 0 ? Math.min(...found) : Math.max(...found));
    return true;
  }

  function rotateSelected(degrees) {
    const cuboid = selected();
    if (!cuboid || !selectedEntry) return false;
    setBoxHere(cuboid, { ...selectedEntry.box, yaw: wrapAngle(selectedEntry.box.yaw + degrees / DEG) }, { coalesce: true });
    return true;
  }

  /** Tab: the next box on this frame (all boxes when none is here); past the last one the focus moves on. */
  function cycle(direction) {
    const here = cuboids.filter((cuboid) => cuboidStateAt(cuboid, frame).visible);
    const pool = here.length ? here : cuboids;
    if (!pool.length) return false;
    const index = pool.findIndex((cuboid) => cuboid.id === selectedId);
    const next = index < 0 ? (direction > 0 ? 0 : pool.length - 1) : index + direction;
    if (next < 0 || next >= pool.length) {
      select(null);
      return false;
    }
    select(pool[next].id, { reveal: true });
    return true;
  }

  function numberChanged(key, input) {
    const cuboid = selected();
    if (!cuboid || !selectedEntry) return;
    const number = Number(input.value);
    if (input.value === "" || !Number.isFinite(number)) return update();
    const box = { ...selectedEntry.box };
    box[key] = key === "yaw" ? number / DEG : number;
    if (["l", "w", "h"].includes(key) && !(number > 0)) return update();
    setBoxHere(cuboid, box);
  }

  // ----- Frames -----

  function frameCount() {
    return frameURLs.length;
  }

  function seek(n, { force = false } = {}) {
    const total = frameCount();
    const target = total ? Math.min(Math.max(Math.round(Number(n) || 0), 0), total - 1) : 0;
    if (target === frame && !force) return;
    frame = target;
    viewer.dataset.frame = String(frame);
    if (document.activeElement !== frameInput) frameInput.value = String(frame);
    cancelGesture();
    showFrame();
    refreshShown();
    update();
  }

  let loadedSource = null;
  async function loadTask(task) {
    // The same points again (the review page shows one task with each answer): keep what is loaded.
    const sourceKey = JSON.stringify(task?.data?.[pointsKey] ?? null);
    if (sourceKey === loadedSource && frameURLs.length) {
      seek(0, { force: true });
      return;
    }
    loadedSource = sourceKey;
    const token = ++loadToken;
    for (const entry of frames.values()) renderer?.deleteCloud(entry.cloud);
    frames.clear();
    frame = 0;
    problem = "";
    const source = task?.data?.[pointsKey];
    if (Array.isArray(source)) {
      frameURLs = source.map(mediaURL);
      if (!frameURLs.length) problem = `This task's "${pointsKey}" has no frames.`;
      else if (frameURLs.some((url) => url === null)) problem = `Some frames of "${pointsKey}" are not Gloss media URLs.`;
    } else if (mediaURL(source)) {
      frameURLs = [mediaURL(source)];
    } else {
      frameURLs = [];
      problem = typeof source === "string" && source ? `"${pointsKey}" is not an uploaded point cloud (a Gloss media URL).` : `This task has no point cloud under "${pointsKey}".`;
    }
    const total = frameCount();
    frameInput.max = String(Math.max(total - 1, 0));
    frameOf.textContent = ` of ${total}`;
    viewer.dataset.frameCount = String(total);
    frameControls.hidden = total <= 1;
    timeline.hidden = total <= 1;
    viewer.dataset.frame = "0";
    frameInput.value = "0";
    showMessage();
    if (token === loadToken) {
      seek(0, { force: true });
      const first = await frames.get(0)?.promise;
      if (token === loadToken && first?.state === "ready") resetViews();
    }
  }

  function showMessage(text = problem || glProblem) {
    message.textContent = text;
    message.hidden = !text;
  }

  function showFrame() {
    if (!frameURLs.length) return;
    const entry = requestFrame(frame);
    if (entry.state === "loading") {
      loadState.textContent = frameCount() > 1 ? `Loading frame ${frame}…` : "Loading the point cloud…";
      viewer.dataset.loaded = "false";
    }
    entry.promise.then(() => {
      if (entry !== frames.get(frame)) return;
      if (entry.state === "ready") {
        loadState.textContent = `${entry.count.toLocaleString("en")} points`;
        viewer.dataset.loaded = "true";
        style.height[0] = entry.ground - 0.2;
        style.height[1] = entry.ground + 3;
        showMessage();
        // The neighbours next, one at a time.
        if (frame + 1 < frameCount()) requestFrame(frame + 1).promise.then(() => frame - 1 >= 0 && requestFrame(frame - 1));
      } else {
        loadState.textContent = "";
        showMessage(`Could not load frame ${entry.n}: ${entry.error}.`);
        viewer.dataset.loaded = "false";
      }
      countSelectedPoints();
      update();
      requestRender();
    });
    evict();
  }

  function requestFrame(n) {
    let entry = frames.get(n);
    if (entry && entry.state !== "failed") return entry;
    const token = loadToken;
    entry = { n, state: "loading", cloud: null, positions: null, count: 0, error: "" };
    frames.set(n, entry);
    entry.promise = loadFrame(frameURLs[n]).then(
      (loaded) => {
        if (token !== loadToken || frames.get(n) !== entry) return entry;
        entry.cloud = renderer ? renderer.createCloud(loaded.body, loaded.count, loaded.hasIntensity) : null;
        Object.assign(entry, {
          state: "ready",
          positions: loaded.positions,
          intensity: loaded.intensity,
          count: loaded.count,
          hasIntensity: loaded.hasIntensity,
          min: loaded.min,
          max: loaded.max,
          ground: sampledLowHeight(loaded.positions, loaded.count, 0.05),
        });
        evict();
        return entry;
      },
      (error) => {
        entry.state = "failed";
        entry.error = error.message;
        return entry;
      },
    );
    return entry;
  }

  async function loadFrame(url) {
    if (!url) throw new Error("not a Gloss media URL");
    const response = await fetch(`${url}/info`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const info = await response.json();
    if (info?.kind && info.kind !== "pointcloud") throw new Error(`it is not a point cloud (${String(info.kind)})`);
    const target = info?.points_url === undefined ? `${url}/points` : mediaSubpath(info.points_url);
    if (!target) throw new Error("the server gave no points URL on this site");
    const points = await fetch(target, { credentials: "same-origin" });
    if (!points.ok) throw new Error(`the server answered ${points.status} for the points`);
    return parseGPC1(await points.arrayBuffer());
  }

  /** Keeps at most FRAME_CACHE frames: the ones farthest from the current frame go first. */
  function evict() {
    if (frames.size <= FRAME_CACHE) return;
    const candidates = [...frames.values()].filter((entry) => entry.n !== frame && entry.state !== "loading").sort((a, b) => Math.abs(b.n - frame) - Math.abs(a.n - frame));
    for (const entry of candidates) {
      if (frames.size <= FRAME_CACHE) break;
      renderer?.deleteCloud(entry.cloud);
      frames.delete(entry.n);
    }
  }

  // ----- The form panel -----

  function update() {
    const cuboid = selected();
    const total = frameCount();
    previousFrame.disabled = frame <= 0;
    nextFrame.disabled = frame >= total - 1;
    for (const button of [snapButton, keyHere, copyNext, previousKey, nextKey, deleteKey, deleteBox]) button.disabled = !cuboid;
    if (cuboid) {
      const kind = selectedEntry?.kind;
      keyHere.disabled = !selectedEntry || kind === "keyframe";
      snapButton.disabled = !selectedEntry || frames.get(frame)?.state !== "ready";
      copyNext.disabled = !selectedEntry || frame + 1 >= total;
      deleteKey.disabled = kind !== "keyframe";
      previousKey.disabled = neighbourKeyframe(cuboid, frame, -1) === null;
      nextKey.disabled = neighbourKeyframe(cuboid, frame, 1) === null;
    }
    const sequence = total > 1;
    keyHere.hidden = !sequence;
    copyNext.hidden = !sequence;
    previousKey.hidden = !sequence;
    nextKey.hidden = !sequence;
    deleteKey.hidden = !sequence;
    tools.hidden = !cuboid;
    renderDetails(cuboid);
    updateSizeText();
    if (listed !== cuboids) renderList();
    else showStates();
    renderTimeline();
  }

  let detailsFor = null;
  function renderDetails(cuboid) {
    details.hidden = !cuboid;
    if (!cuboid) {
      detailsFor = null;
      return;
    }
    details.dataset.cuboidId = cuboid.id;
    const label = labelOf(cuboid.label);
    details.style.setProperty("--label-color", label.color);
    detailsTitle.textContent = `Box ${cuboid.id}`;
    detailsState.textContent = frameCount() <= 1 || !selectedEntry
      ? ""
      : selectedEntry.kind === "ghost"
        ? `not on frame ${frame}: edit it here or press K to add it`
        : `${stateText(selectedEntry.kind)} on frame ${frame}`;
    const box = selectedEntry?.box;
    for (const [key, input] of Object.entries(numberInputs)) {
      input.disabled = !box;
      if (document.activeElement === input) continue;
      input.value = box ? (key === "yaw" ? (box.yaw * DEG).toFixed(1) : box[key].toFixed(3)) : "";
    }
    pointsLine.textContent = box && frames.get(frame)?.state === "ready" ? `${pointsInSelected.toLocaleString("en")} point${pointsInSelected === 1 ? "" : "s"} in the box` : "";
    const identity = JSON.stringify([cuboid.id, cuboid.label, cuboid.attributes ?? {}]);
    if (identity === detailsFor) return;
    // Typing in a text attribute changes the value at each key: keep that input (and its caret).
    const focused = document.activeElement;
    const typing = focused instanceof HTMLInputElement && focused.type === "text" && attributesBox.contains(focused) ? focused.closest("[data-attribute]")?.dataset.attribute : null;
    const previous = detailsFor ? JSON.parse(detailsFor) : null;
    if (typing && previous && previous[0] === cuboid.id && previous[1] === cuboid.label && focused.value === (cuboid.attributes?.[typing] ?? "")) {
      const others = (attributes) => JSON.stringify(Object.entries(attributes ?? {}).filter(([name]) => name !== typing));
      if (others(previous[2]) === others(cuboid.attributes)) {
        detailsFor = identity;
        return;
      }
    }
    detailsFor = identity;
    labelSelect.replaceChildren();
    for (const option of labels) {
      const node = makeElement("option", "", option.label);
      node.value = option.value;
      labelSelect.append(node);
    }
    if (!labelByValue.has(cuboid.label)) {
      const node = makeElement("option", "", String(cuboid.label ?? ""));
      node.value = String(cuboid.label ?? "");
      labelSelect.prepend(node);
    }
    labelSelect.value = String(cuboid.label ?? "");
    attributesBox.replaceChildren(...label.attributes.map((attribute) => attributeInput(cuboid, attribute)));
  }

  labelSelect.addEventListener("change", () => {
    const cuboid = selected();
    if (cuboid) replaceCuboid(relabeled(cuboid, labelSelect.value));
  });

  function attributeInput(cuboid, attribute) {
    const set = (value, options) => {
      const latest = selected();
      if (!latest) return;
      const attributes = { ...(latest.attributes ?? {}) };
      if (value === undefined || value === "") delete attributes[attribute.name];
      else attributes[attribute.name] = value;
      const next = { ...latest, attributes };
      if (!Object.keys(attributes).length) delete next.attributes;
      replaceCuboid(next, options);
    };
    return attributeRow("lidar", attribute, attribute.type, cuboid.attributes?.[attribute.name], set, normalizeOptions);
  }

  function stateText(kind) {
    return kind === "keyframe" ? "keyframe" : kind === "interpolated" ? "interpolated" : kind === "ghost" ? "not on this frame" : "—";
  }

  function renderList() {
    listed = cuboids;
    list.replaceChildren(
      ...cuboids.map((cuboid) => {
        const label = labelOf(cuboid.label);
        const item = makeElement("li", "lidar-item");
        item.dataset.cuboidId = cuboid.id;
        item.dataset.label = String(cuboid.label ?? "");
        item.style.setProperty("--label-color", label.color);
        const button = makeElement("button", "lidar-item-select");
        button.type = "button";
        button.title = `Select box ${cuboid.id}`;
        const keys = sortedKeyframes(cuboid.keyframes).length;
        button.append(
          makeElement("span", "lidar-chip", cuboid.id),
          makeElement("span", "lidar-item-label", label.label),
          makeElement("span", "lidar-item-state muted"),
          makeElement("span", "lidar-item-keys muted", frameCount() > 1 ? `${keys} key${keys === 1 ? "" : "s"}` : ""),
        );
        button.addEventListener("click", () => selectFromList(cuboid.id));
        item.append(button);
        const missing = label.attributes
          .filter((attribute) => attribute.required && attribute.type !== "boolean" && [undefined, ""].includes(cuboid.attributes?.[attribute.name]))
          .map((attribute) => attribute.label);
        if (missing.length) {
          item.classList.add("incomplete");
          item.append(makeElement("span", "lidar-item-missing", `needs ${missing.join(", ")}`));
        }
        return item;
      }),
    );
    const limits = [field.min_cuboids ? `min ${field.min_cuboids}` : "", field.max_cuboids ? `max ${field.max_cuboids}` : ""].filter(Boolean);
    count.textContent = `${cuboids.length} box${cuboids.length === 1 ? "" : "es"}${limits.length ? ` (${limits.join(", ")})` : ""}`;
    showStates();
  }

  function showStates() {
    const items = list.children;
    cuboids.forEach((cuboid, index) => {
      const item = items[index];
      if (!item) return;
      const state = cuboidStateAt(cuboid, frame);
      const kind = state.visible ? (state.keyframe ? "keyframe" : "interpolated") : state.reason;
      item.dataset.state = kind;
      item.classList.toggle("selected", cuboid.id === selectedId);
      item.querySelector(".lidar-item-select").setAttribute("aria-pressed", String(cuboid.id === selectedId));
      const text = frameCount() > 1 ? (state.visible ? kind : "not on this frame") : "";
      const where = item.querySelector(".lidar-item-state");
      if (where.textContent !== text) where.textContent = text;
    });
  }

  function selectFromList(id) {
    const cuboid = cuboids.find((existing) => existing.id === id);
    if (!cuboid) return;
    if (!cuboidStateAt(cuboid, frame).visible) {
      // Go where it is: its nearest keyframe.
      const keyframes = sortedKeyframes(cuboid.keyframes).map((keyframe) => keyframe.frame);
      if (keyframes.length) {
        selectedId = id;
        seek(keyframes.reduce((best, f) => (Math.abs(f - frame) < Math.abs(best - frame) ? f : best)));
      }
    }
    select(id, { reveal: true });
  }

  /** The frame lane of a sequence: where the selected box is, its keyframes, the current frame. */
  let timelineKey = "";
  function renderTimeline() {
    const total = frameCount();
    if (total <= 1) return;
    const cuboid = selected();
    const key = JSON.stringify([total, frame, cuboid?.id ?? null, cuboid ? sortedKeyframes(cuboid.keyframes).map((k) => k.frame) : []]);
    if (key === timelineKey) return;
    timelineKey = key;
    timelineHead.style.left = `${((frame + 0.5) / total) * 100}%`;
    timeline.setAttribute("aria-valuemin", "0");
    timeline.setAttribute("aria-valuemax", String(total - 1));
    timeline.setAttribute("aria-valuenow", String(frame));
    for (const node of [...timelineLane.querySelectorAll(".lidar-timeline-range, .lidar-timeline-key")]) node.remove();
    if (!cuboid) return;
    const keyframes = sortedKeyframes(cuboid.keyframes);
    const color = labelOf(cuboid.label).color;
    if (keyframes.length) {
      const range = makeElement("span", "lidar-timeline-range");
      const first = keyframes[0].frame;
      const last = keyframes[keyframes.length - 1].frame;
      range.style.left = `${(first / total) * 100}%`;
      range.style.width = `${((last - first + 1) / total) * 100}%`;
      range.style.setProperty("--label-color", color);
      timelineLane.append(range);
    }
    for (const keyframe of keyframes) {
      const mark = makeElement("span", "lidar-timeline-key");
      mark.style.left = `${((keyframe.frame + 0.5) / total) * 100}%`;
      mark.style.setProperty("--label-color", color);
      mark.dataset.frame = String(keyframe.frame);
      mark.title = `Keyframe on frame ${keyframe.frame}`;
      timelineLane.append(mark);
    }
  }

  timeline.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || frameCount() <= 1) return;
    const lane = timelineLane.getBoundingClientRect();
    seek(Math.floor(((event.clientX - lane.left) / Math.max(lane.width, 1)) * frameCount()));
    event.preventDefault();
  });

  // ----- Pointer gestures on the views -----

  let stageRect = null;

  function viewAt(x, y) {
    for (const view of viewList) {
      const r = view.rect;
      if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) return view;
    }
    return null;
  }

  function stagePoint(event) {
    return { x: event.clientX - stageRect.left, y: event.clientY - stageRect.top };
  }

  /** What the top view has under stage point (x, y): a handle of the selected box, else a box. */
  function topHit(x, y) {
    if (selectedEntry) {
      const box = selectedEntry.box;
      rotationHandle(box);
      if (Math.hypot(scratch[0] - x, scratch[1] - y) <= HANDLE_PX + 2) return { entry: selectedEntry, kind: "rotate" };
      const cos = Math.cos(box.yaw);
      const sin = Math.sin(box.yaw);
      const reach = Math.min(HANDLE_PX, (Math.min(box.l, box.w) * top.scale) / 4 + 2);
      for (let su = -1; su <= 1; su++) {
        for (let sv = -1; sv <= 1; sv++) {
          if ((!su && !sv) || !hasHandle(box, su, sv)) continue;
          const u = (su * box.l) / 2;
          const v = (sv * box.w) / 2;
          topToStage(box.x + u * cos - v * sin, box.y + u * sin + v * cos);
          if (Math.abs(scratch[0] - x) <= reach && Math.abs(scratch[1] - y) <= reach) return { entry: selectedEntry, kind: "resize", su, sv };
        }
      }
    }
    const world = stageToTop(x, y);
    const margin = 3 / top.scale;
    for (let index = shown.length - 1; index >= 0; index--) {
      const entry = shown[index];
      const box = entry.box;
      const c = Math.cos(box.yaw);
      const s = Math.sin(box.yaw);
      const dx = world.x - box.x;
      const dy = world.y - box.y;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      if (Math.abs(u) <= box.l / 2 + margin && Math.abs(v) <= box.w / 2 + margin) return { entry, kind: "move" };
    }
    return null;
  }

  /** What a side or front view has under (x, y): an edge of the selected box, or the box. */
  function sideHit(view, x, y) {
    if (!selectedEntry) return null;
    const box = selectedEntry.box;
    const across = view.kind === "side" ? box.l : box.w;
    const a = sideAxis(view, box.x, box.y);
    sideToStage(view, a - across / 2, box.z + box.h / 2);
    const left = scratch[0];
    const topY = scratch[1];
    sideToStage(view, a + across / 2, box.z - box.h / 2);
    const right = scratch[0];
    const bottom = scratch[1];
    const withinX = x >= left - HANDLE_PX && x <= right + HANDLE_PX;
    const withinY = y >= topY - HANDLE_PX && y <= bottom + HANDLE_PX;
    if (withinX && Math.abs(y - topY) <= HANDLE_PX) return { entry: selectedEntry, kind: "edge", edge: "top" };
    if (withinX && Math.abs(y - bottom) <= HANDLE_PX) return { entry: selectedEntry, kind: "edge", edge: "bottom" };
    if (withinY && Math.abs(x - left) <= HANDLE_PX) return { entry: selectedEntry, kind: "edge", edge: "low" };
    if (withinY && Math.abs(x - right) <= HANDLE_PX) return { entry: selectedEntry, kind: "edge", edge: "high" };
    if (x > left && x < right && y > topY && y < bottom) return { entry: selectedEntry, kind: "move" };
    return null;
  }

  function startEdit(view, hit, point) {
    const start = { ...hit.entry.box };
    copyBox(preview, start);
    gesture = { view, kind: hit.kind, id: hit.entry.id, start, startPoint: point, editing: false, moved: false, su: hit.su, sv: hit.sv, edge: hit.edge, ghost: hit.entry.kind === "ghost" };
    if (view === top) {
      const world = stageToTop(point.x, point.y);
      gesture.world = world;
    } else {
      const world = sideWorld(view, point.x, point.y);
      gesture.a = world.a;
      gesture.z = world.z;
    }
  }

  /** A side or front view point: its horizontal coordinate (from the frame box's centre) and its height. */
  function sideWorld(view, x, y) {
    return { a: (x - view.rect.x - view.rect.w / 2) / view.scale, z: view.frameBox.z + (view.rect.y + view.rect.h / 2 - y) / view.scale };
  }

  function onPointerDown(event) {
    if (!renderer || !cssWidth) return;
    stageRect = stage.getBoundingClientRect();
    const point = stagePoint(event);
    const view = viewAt(point.x, point.y);
    if (!view) return;
    stage.focus({ preventScroll: true });
    event.preventDefault();
    const panning = event.button === 2 || event.button === 1 || (event.button === 0 && event.shiftKey);
    if (panning) {
      if (view === top || view === persp) gesture = { view, kind: "pan", last: point, startPoint: point, moved: false };
    } else if (event.button === 0) {
      if (view === persp) {
        gesture = { view, kind: "orbit", last: point, startPoint: point, moved: false };
      } else if (view === top) {
        const hit = topHit(point.x, point.y);
        if (hit) {
          if (hit.entry.id !== selectedId) select(hit.entry.id);
          startEdit(view, hit, point);
        } else if (currentLabel) {
          gesture = { view, kind: "draw", startPoint: point, sx: point.x, sy: point.y, ex: point.x, ey: point.y, moved: false };
        } else {
          gesture = { view, kind: "pan", last: point, startPoint: point, moved: false };
        }
      } else {
        const hit = sideHit(view, point.x, point.y);
        if (hit) startEdit(view, hit, point);
      }
    }
    if (gesture) overlay.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event) {
    if (!gesture) {
      hover(event);
      return;
    }
    const point = stagePoint(event);
    if (!gesture.moved && Math.hypot(point.x - gesture.startPoint.x, point.y - gesture.startPoint.y) < CLICK_PX) return;
    gesture.moved = true;
    const view = gesture.view;
    if (gesture.kind === "pan") {
      const dx = point.x - gesture.last.x;
      const dy = point.y - gesture.last.y;
      gesture.last = point;
      if (view === top) {
        top.cx += dy / top.scale;
        top.cy += dx / top.scale;
      } else {
        const k = persp.distance * 0.0018;
        const sin = Math.sin(persp.azimuth);
        const cos = Math.cos(persp.azimuth);
        // Right on the screen is (-sin, cos)·(-1); forward (away from the camera) is (-cos, -sin).
        persp.target[0] += (sin * dx - cos * dy) * k;
        persp.target[1] += (-cos * dx - sin * dy) * k;
      }
    } else if (gesture.kind === "orbit") {
      persp.azimuth -= (point.x - gesture.last.x) * 0.008;
      persp.elevation = Math.min(1.55, Math.max(-0.2, persp.elevation + (point.y - gesture.last.y) * 0.008));
      gesture.last = point;
    } else if (gesture.kind === "draw") {
      gesture.ex = point.x;
      gesture.ey = point.y;
    } else {
      editMove(point);
      return;
    }
    requestRender();
  }

  function editMove(point) {
    const g = gesture;
    if (!g.editing) {
      g.editing = true;
      const entry = shown.find((candidate) => candidate.id === g.id);
      if (entry) entry.box = preview;
      if (entry === selectedEntry) updateHighlight();
    }
    const view = g.view;
    if (view === top) {
      const world = stageToTop(point.x, point.y);
      if (g.kind === "move") {
        copyBox(preview, g.start);
        preview.x = g.start.x + world.x - g.world.x;
        preview.y = g.start.y + world.y - g.world.y;
      } else if (g.kind === "rotate") {
        copyBox(preview, g.start);
        preview.yaw = Math.atan2(world.y - g.start.y, world.x - g.start.x);
      } else if (g.kind === "resize") {
        resizeFootprint(g.start, g.su, g.sv, world.x, world.y, preview);
      }
    } else {
      const at = sideWorld(view, point.x, point.y);
      const startA = sideAxis(view, g.start.x, g.start.y);
      if (g.kind === "move") {
        copyBox(preview, g.start);
        const da = at.a - g.a;
        const c = Math.cos(g.start.yaw);
        const s = Math.sin(g.start.yaw);
        if (view.kind === "side") {
          preview.x = g.start.x + da * c;
          preview.y = g.start.y + da * s;
        } else {
          preview.x = g.start.x - da * s;
          preview.y = g.start.y + da * c;
        }
        preview.z = g.start.z + at.z - g.z;
      } else {
        resizeSide(g.start, view.kind === "side" ? "u" : "v", g.edge, at.a - startA, at.z, preview);
      }
    }
    boxUnitMatrix(style.box, preview);
    updateSizeText();
    linesDirty = true;
    requestRender();
  }

  function onPointerUp(event) {
    const done = gesture;
    gesture = null;
    if (!done) return;
    if (overlay.hasPointerCapture?.(event.pointerId)) overlay.releasePointerCapture(event.pointerId);
    if (done.kind === "draw") {
      if (!done.moved) {
        // A click on an empty spot: with a box selected it deselects, else it places a box of the label's size.
        if (selectedId) return select(null);
        const world = stageToTop(done.sx, done.sy);
        createCuboid(defaultBoxAt(world.x, world.y));
        return;
      }
      const a = stageToTop(done.sx, done.sy);
      const b = stageToTop(done.ex, done.ey);
      if (Math.abs(a.x - b.x) < 0.2 || Math.abs(a.y - b.y) < 0.2) {
        requestRender();
        return;
      }
      const height = labelOf(currentLabel).size[2];
      createCuboid(boxFromFootprint(a.x, a.y, b.x, b.y, groundAt((a.x + b.x) / 2, (a.y + b.y) / 2), height));
      return;
    }
    if (done.kind === "orbit" && !done.moved) {
      pickInPersp(done.startPoint);
      return;
    }
    if (done.editing) {
      const cuboid = cuboids.find((existing) => existing.id === done.id);
      if (cuboid) setBoxHere(cuboid, preview);
      else refreshShown();
      return;
    }
    requestRender();
  }

  function cancelGesture() {
    if (!gesture) return false;
    const wasEditing = gesture.editing;
    gesture = null;
    if (wasEditing) refreshShown();
    requestRender();
    return true;
  }

  const rayNear = new Float64Array(4);
  const rayFar = new Float64Array(4);
  function pickInPersp(point) {
    const r = persp.rect;
    const nx = ((point.x - r.x) / r.w) * 2 - 1;
    const ny = 1 - ((point.y - r.y) / r.h) * 2;
    if (!invert(persp.inverse, persp.matrix)) return;
    unproject(rayNear, nx, ny, -1);
    unproject(rayFar, nx, ny, 1);
    const dx = rayFar[0] - rayNear[0];
    const dy = rayFar[1] - rayNear[1];
    const dz = rayFar[2] - rayNear[2];
    const length = Math.hypot(dx, dy, dz) || 1;
    let best = null;
    let bestDistance = Infinity;
    for (const entry of shown) {
      if (entry.kind === "ghost") continue;
      const distance = rayBoxDistance(rayNear[0], rayNear[1], rayNear[2], dx / length, dy / length, dz / length, entry.box);
      if (distance !== null && distance < bestDistance) {
        best = entry;
        bestDistance = distance;
      }
    }
    if (best) select(best.id);
  }

  function unproject(out, nx, ny, nz) {
    const m = persp.inverse;
    const x = m[0] * nx + m[4] * ny + m[8] * nz + m[12];
    const y = m[1] * nx + m[5] * ny + m[9] * nz + m[13];
    const z = m[2] * nx + m[6] * ny + m[10] * nz + m[14];
    const w = m[3] * nx + m[7] * ny + m[11] * nz + m[15];
    out[0] = x / w;
    out[1] = y / w;
    out[2] = z / w;
  }

  function hover(event) {
    if (!cssWidth) return;
    const rect = stage.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const view = viewAt(x, y);
    let cursor = "";
    if (view === top) {
      const hit = topHit(x, y);
      cursor = !hit ? (currentLabel ? "crosshair" : "grab") : hit.kind === "rotate" ? "grab" : hit.kind === "move" ? "move" : "nwse-resize";
    } else if (view === persp) {
      cursor = "grab";
    } else if (view) {
      const hit = sideHit(view, x, y);
      cursor = !hit ? "" : hit.kind === "move" ? "move" : hit.edge === "top" || hit.edge === "bottom" ? "ns-resize" : "ew-resize";
    }
    if (overlay.style.cursor !== cursor) overlay.style.cursor = cursor;
  }

  function onWheel(event) {
    if (!cssWidth) return;
    const rect = stage.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const view = viewAt(x, y);
    if (!view) return;
    event.preventDefault();
    const factor = Math.exp(-Math.max(-300, Math.min(300, event.deltaY)) * 0.0015);
    if (view === top) {
      // Zoom about the pointer: the world point under it stays.
      const before = stageToTop(x, y);
      top.scale = Math.min(400, Math.max(0.5, top.scale * factor));
      const after = stageToTop(x, y);
      top.cx += before.x - after.x;
      top.cy += before.y - after.y;
    } else if (view === persp) {
      persp.distance = Math.min(800, Math.max(1.5, persp.distance / factor));
    } else {
      view.zoom = Math.min(8, Math.max(0.25, view.zoom * factor));
    }
    requestRender();
  }

  overlay.addEventListener("pointerdown", onPointerDown);
  overlay.addEventListener("pointermove", onPointerMove);
  overlay.addEventListener("pointerup", onPointerUp);
  overlay.addEventListener("pointercancel", () => cancelGesture());
  overlay.addEventListener("wheel", onWheel, { passive: false });
  overlay.addEventListener("contextmenu", (event) => event.preventDefault());

  previousFrame.addEventListener("click", () => seek(frame - 1));
  nextFrame.addEventListener("click", () => seek(frame + 1));
  frameInput.addEventListener("change", () => seek(frameInput.value));
  frameInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();
    seek(frameInput.value);
    frameInput.blur();
  });
  frameInput.addEventListener("blur", () => (frameInput.value = String(frame)));
  colorButton.addEventListener("click", toggleColor);
  resetButton.addEventListener("click", resetViews);
  snapButton.addEventListener("click", snap);
  keyHere.addEventListener("click", keyframeHere);
  copyNext.addEventListener("click", copyToNextFrame);
  previousKey.addEventListener("click", () => jumpKeyframe(-1));
  nextKey.addEventListener("click", () => jumpKeyframe(1));
  deleteKey.addEventListener("click", deleteKeyframeHere);
  deleteBox.addEventListener("click", removeCuboid);

  function toggleColor() {
    style.mode = style.mode ? 0 : 1;
    colorButton.firstChild.textContent = style.mode ? "Colour: intensity" : "Colour: height";
    colorButton.setAttribute("aria-pressed", String(style.mode === 1));
    requestRender();
    return true;
  }

  // ----- Keys -----

  /** Widget keys a remapped core action keeps (a worker who moved "skip" to F keeps skipping with F). */
  const coreKeeps = (name) => core.actionsByKey?.has?.(name) ?? false;

  function handleKey(name, event) {
    const target = event?.target;
    if (isSelectTarget(target)) return false;
    const label = labels.find((candidate) => candidate.key && candidate.key === name);
    if (label) return pickLabel(label.value);
    if (name === "escape") {
      if (cancelGesture()) return true;
      if (selectedId) return select(null), true;
      return false;
    }
    if (name === "tab" || name === "shift+tab") {
      // Only while the focus is on the page or in the viewer: a focused control keeps Tab.
      const focus = document.activeElement;
      if (focus && focus !== document.body && !viewer.contains(focus)) return false;
      return cycle(name === "tab" ? 1 : -1);
    }
    if (selectedId) {
      if (name === "delete" || name === "backspace") return removeCuboid();
      if (name === "shift+delete" || name === "shift+backspace") return deleteKeyframeHere();
    }
    const total = frameCount();
    if (total > 1) {
      const steps = { arrowleft: -1, arrowright: 1, "shift+arrowleft": -10, "shift+arrowright": 10 };
      if (name in steps) return seek(frame + steps[name]), true;
      if (name === "home") return seek(0), true;
      if (name === "end") return seek(total - 1), true;
      if (name === "," || name === ".") return jumpKeyframe(name === "," ? -1 : 1) || true;
    }
    if (coreKeeps(name)) return false;
    if (name === "f") return snap();
    if (name === "k") return keyframeHere();
    if (name === "n" && total > 1) return copyToNextFrame();
    if (name === "q") return rotateSelected(1);
    if (name === "e") return rotateSelected(-1);
    if (name === "c") return toggleColor();
    if (name === "r") return resetViews(), true;
    return false;
  }

  // ----- Test hook -----

  function clientOf(x, y) {
    const rect = stage.getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }

  const hook = {
    get frame() {
      return frame;
    },
    get frameCount() {
      return frameCount();
    },
    get pointCount() {
      const entry = frames.get(frame);
      return entry?.state === "ready" ? entry.count : 0;
    },
    get loaded() {
      return frames.get(frame)?.state === "ready";
    },
    get selected() {
      return selectedId;
    },
    get drawCalls() {
      return lastDrawCalls;
    },
    get renders() {
      return renders;
    },
    get cachedFrames() {
      return [...frames.keys()].sort((a, b) => a - b);
    },
    get pointsInSelected() {
      return pointsInSelected;
    },
    get webgl() {
      return renderer ? (renderer.gl instanceof WebGL2RenderingContext ? "webgl2" : "webgl") : null;
    },
    frameTimes() {
      const out = [];
      for (let k = 0; k < frameTimeCount; k++) out.push(frameTimes[(frameTimeNext - frameTimeCount + k + FRAME_TIME_SLOTS) % FRAME_TIME_SLOTS]);
      return out;
    },
    /** The boxes drawn on the current frame: {id, label, kind, selected, x, y, z, l, w, h, yaw}. */
    boxes() {
      return shown.map((entry) => ({ id: entry.id, label: entry.cuboid.label, kind: entry.kind, selected: entry.selected, ...entry.box }));
    },
    boxAt(id, n = frame) {
      const cuboid = cuboids.find((existing) => existing.id === id);
      return cuboid ? cuboidStateAt(cuboid, n).box : null;
    },
    /** Page (client) coordinates of world point (x, y) in the top view. */
    topViewToScreen(x, y) {
      topToStage(x, y);
      return clientOf(scratch[0], scratch[1]);
    },
    /** Page coordinates of world point (x, y, z) in a view: "top", "persp", "side" or "front". */
    viewToScreen(name, x, y, z = 0) {
      if (name === "top") return hook.topViewToScreen(x, y);
      if (name === "persp") {
        perspToStage([x, y, z]);
        return clientOf(scratch[0], scratch[1]);
      }
      const view = name === "side" ? side : front;
      sideToStage(view, sideAxis(view, x, y), z);
      return clientOf(scratch[0], scratch[1]);
    },
    /** The world point under page point (x, y) in a view: {x, y} in the top view; in the side and front views
     * {x, y, z} on the selected box's centre plane. */
    screenToWorld(name, clientX, clientY) {
      const rect = stage.getBoundingClientRect();
      const x = clientX - rect.left;
      const y = clientY - rect.top;
      if (name === "top") return stageToTop(x, y);
      const view = name === "side" ? side : name === "front" ? front : null;
      if (!view) return null;
      const at = sideWorld(view, x, y);
      const c = Math.cos(view.frameBox.yaw);
      const s = Math.sin(view.frameBox.yaw);
      return view.kind === "side"
        ? { x: view.frameBox.x + at.a * c, y: view.frameBox.y + at.a * s, z: at.z }
        : { x: view.frameBox.x - at.a * s, y: view.frameBox.y + at.a * c, z: at.z };
    },
    /** The views' rectangles in page coordinates. */
    views() {
      const rect = stage.getBoundingClientRect();
      return Object.fromEntries(viewList.map((view) => [view.name, { x: rect.left + view.rect.x, y: rect.top + view.rect.y, w: view.rect.w, h: view.rect.h }]));
    },
    get topView() {
      return { cx: top.cx, cy: top.cy, scale: top.scale };
    },
    setTopView(cx, cy, scale) {
      top.cx = cx;
      top.cy = cy;
      if (scale > 0) top.scale = scale;
      requestRender();
    },
    seek: (n) => seek(n),
    select: (id) => select(id),
    /** Renders now; returns the milliseconds the render took. */
    render: () => render(),
    /** Renders `n` times, a new 3D view each time (as an orbit drag makes); the milliseconds of each render's
     * WebGL calls, or with `sync` until its pixels can be read back (the GPU's whole work). */
    benchmark(n = 30, { sync = false } = {}) {
      const times = [];
      if (sync) renderer?.finish(); // nothing queued from before counts
      for (let k = 0; k < n; k++) {
        const started = performance.now();
        persp.azimuth += 0.01;
        render();
        if (sync) renderer?.finish();
        times.push(performance.now() - started);
      }
      return times;
    },
    /** Whether frame n's points are on the GPU (loads it when not). */
    async frameReady(n = frame) {
      if (!frameURLs[n]) return false;
      return (await requestFrame(n).promise).state === "ready";
    },
  };
  window.glossLidar ??= {};
  window.glossLidar[pointsKey] = hook;

  // ----- The widget -----

  function placeViewer() {
    if (viewer.isConnected) return;
    const { taskElement, dataElement } = core.elements ?? {};
    if (taskElement && dataElement?.parentElement === taskElement) taskElement.insertBefore(viewer, dataElement);
    else if (taskElement) taskElement.prepend(viewer);
    else element.prepend(viewer);
    layout();
  }

  showLabel();
  showMessage();
  update();

  return {
    field,
    element,
    dataKeys: [pointsKey],
    showTask(task) {
      selectedId = null;
      gesture = null;
      detailsFor = null;
      currentLabel = labels[0]?.value ?? null;
      showLabel();
      placeViewer();
      loadTask(task);
    },
    render(value) {
      cuboids = cuboidList(value);
      if (selectedId && !cuboids.some((cuboid) => cuboid.id === selectedId)) selectedId = null;
      gesture = null;
      refreshShown();
      update();
    },
    handleKey,
  };
}
