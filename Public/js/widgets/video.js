// The `tracks` field (boxes that follow objects across the frames of a video, set at keyframes and
// interpolated between them) and the `events` field (labeled frame ranges). Fields on the same video share
// one player in the task panel: the frame view (real frame images, never a seeking <video>) and a timeline.

import { fieldCaption, normalizeOptions } from "./field-helpers.js";
import { safeImageURL } from "./candidates.js";
import { labelColor } from "./image-editor.js";
import {
  boxAt,
  fitBox,
  keyframeFromBox,
  lastKnownBox,
  neighbourKeyframe,
  nextId,
  occludedRanges,
  sortedKeyframes,
  trackStateAt,
  visibleRanges,
  withKeyframe,
  withoutKeyframe,
} from "./track-math.js";
import { ImageCanvas } from "./image-canvas.js";
import { attributeRow, labelSelect as makeLabelSelect, isSelectTarget, makeButton, makeElement, mediaURL, normalizeKey } from "./widget-dom.js";

const PRELOAD_BEHIND = 4;
const PRELOAD_AHEAD = 16;
const CACHE_LIMIT = 120;
const PARALLEL_LOADS = 4;
const HANDLE_PX = 7;
const CLICK_PX = 3;
const MARK_SPACING_PX = 8;

/** Labels with a colour each (the schema's, else the one image fields give that label) and a hotkey. */
function videoLabels(field, core) {
  return normalizeOptions(field.labels).map((label) => ({
    ...label,
    color: labelColor(label.value, label.color, core),
    key: label.hotkey ? normalizeKey(label.hotkey) : "",
    attributes: Array.isArray(label.attributes) ? label.attributes : [],
  }));
}

/** A bar of label buttons, one pressed: the label new tracks or events get. */
function labelBar(labels, onPick) {
  const bar = makeElement("div", "video-labels");
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Labels");
  const buttons = labels.map((label) => {
    const button = makeElement("button", "video-label");
    button.type = "button";
    button.dataset.value = label.value;
    button.style.setProperty("--label-color", label.color);
    const swatch = makeElement("span", "video-swatch");
    swatch.setAttribute("aria-hidden", "true");
    const key = makeElement("kbd", "", label.key);
    button.append(swatch, makeElement("span", "", label.label), key);
    if (label.hint) button.title = label.hint;
    button.addEventListener("click", () => onPick(label.value));
    bar.append(button);
    return button;
  });
  return {
    element: bar,
    show(value) {
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.value === value));
    },
  };
}

// The player: frames, the frame view, the timeline; one per (editor, video key).

const players = new WeakMap();

function sharedPlayer(core, key) {
  let registry = players.get(core);
  if (!registry) players.set(core, (registry = new Map()));
  if (!registry.has(key)) {
    const player = createPlayer(core, key);
    registry.set(key, player);
    exposeForTests(player);
  }
  return registry.get(key);
}

function createPlayer(core, key) {
  const layers = [];
  const element = makeElement("section", "video-player");
  element.dataset.videoKey = key;
  element.dataset.frame = "0";
  element.setAttribute("aria-label", `Video "${key}"`);

  const canvas = new ImageCanvas({ className: "video-canvas" });

  const bar = makeElement("div", "video-bar");
  const previous = makeButton("video-step video-previous", "‹", "Previous frame (←; shift+← 10 frames)");
  const play = makeButton("video-play", "▶", "Play or pause (space, with the pointer off the frame)");
  play.setAttribute("aria-pressed", "false");
  const next = makeButton("video-step video-next", "›", "Next frame (→; shift+→ 10 frames)");
  const position = makeElement("label", "video-position");
  const frameInput = makeElement("input", "video-frame-input");
  frameInput.type = "number";
  frameInput.min = "0";
  frameInput.step = "1";
  frameInput.value = "0";
  frameInput.setAttribute("aria-label", "Frame number (from 0)");
  const frameOf = makeElement("span", "video-frame-of", " of 0");
  position.append("Frame ", frameInput, frameOf);
  position.title = "Frames are numbered from 0";
  const loadState = makeElement("span", "video-load-state muted");
  loadState.setAttribute("aria-live", "polite");
  bar.append(previous, play, next, position, loadState);

  const timeline = makeElement("div", "video-timeline");
  timeline.tabIndex = 0;
  timeline.setAttribute("role", "slider");
  timeline.setAttribute("aria-label", "Timeline: click or drag to go to a frame");
  const ruler = makeElement("div", "video-timeline-row video-timeline-ruler");
  const rulerLane = makeElement("div", "video-timeline-lane");
  ruler.append(makeElement("span", "video-timeline-name", "frame"), rulerLane);
  const rows = makeElement("div", "video-timeline-rows");
  const playhead = makeElement("div", "video-playhead");
  playhead.setAttribute("aria-hidden", "true");
  timeline.append(ruler, rows, playhead);
  element.append(canvas.element, bar, timeline);

  let frames = [];
  let width = 0;
  let height = 0;
  let fps = 10;
  let frame = 0;
  let taskId;
  let loadToken = 0;
  let shownFrame = -1;
  let playing = null;
  const cache = new Map();
  const queue = [];
  let loading = 0;

  const player = {
    key,
    element,
    canvas,
    layers,
    get frame() {
      return frame;
    },
    get frameCount() {
      return frames.length;
    },
    get width() {
      return width;
    },
    get height() {
      return height;
    },
    /** True once the current frame's image is on the canvas. */
    get loaded() {
      return frames.length > 0 && shownFrame === frame;
    },
    attach(layer) {
      layers.push(layer);
    },
    /** Loads the task's video, once per task (every field on this video calls it). */
    show(task) {
      if (task === undefined || (taskId !== undefined && taskId === (task.id ?? task))) return;
      taskId = task.id ?? task;
      load(task);
    },
    seek,
    step(delta) {
      seek(frame + delta);
    },
    refresh,
    redraw() {
      canvas.requestRender();
    },
    /** Clears the selection of every layer but `owner`: one thing is selected at a time. */
    claimSelection(owner) {
      for (const layer of layers) if (layer !== owner) layer.clearSelection?.();
    },
    handleKey,
    /** Where image pixel (x, y) is on the page (client coordinates, as mouse events have them). */
    imageToClient(x, y) {
      return canvas.imageToClient(x, y);
    },
    clientToImage(x, y) {
      return canvas.clientToImage(x, y);
    },
    /** The left and width (in %) of frames [start, end) on a timeline lane. */
    laneSpan(start, end) {
      const count = Math.max(frames.length, 1);
      return { left: `${(start / count) * 100}%`, width: `${((end - start) / count) * 100}%` };
    },
    /** The width of a timeline lane in px (huge while it is not laid out, so nothing counts as crowded). */
    laneWidth() {
      return rulerLane.clientWidth || 1e9;
    },
    /** The centre (in %) of a frame on a timeline lane. */
    laneAt(frameNumber) {
      return `${((frameNumber + 0.5) / Math.max(frames.length, 1)) * 100}%`;
    },
  };

  async function load(task) {
    const token = ++loadToken;
    stopPlaying();
    cache.clear();
    queue.length = 0;
    loading = 0;
    frames = [];
    frame = 0;
    shownFrame = -1;
    const data = task.data ?? {};
    width = Number.isFinite(data.width) && data.width > 0 ? data.width : 0;
    height = Number.isFinite(data.height) && data.height > 0 ? data.height : 0;
    fps = Number.isFinite(data.fps) && data.fps > 0 ? Math.min(data.fps, 60) : 10;
    canvas.showMessage("");
    const source = data[key];
    let problem = "";
    if (Array.isArray(source)) {
      frames = source.map(safeImageURL);
      if (!frames.length) problem = `This task's "${key}" has no frames.`;
      else if (frames.some((url) => url === null)) core.setStatus?.(`Some frames of "${key}" are not image URLs: they stay blank.`, true);
    } else if (mediaURL(source)) {
      loadState.textContent = "Loading the video…";
      try {
        const info = await fetchInfo(mediaURL(source));
        if (token !== loadToken) return;
        const count = Number(info.frame_count);
        if (!Number.isInteger(count) || count <= 0 || !safeImageURL(info.frame_url)) throw new Error("the server gives no frames for it");
        frames = Array.from({ length: count }, (_, n) => info.frame_url.replace("{frame}", String(n)));
        if (info.width > 0 && info.height > 0) {
          width = info.width;
          height = info.height;
        }
        if (info.fps > 0) fps = Math.min(info.fps, 60);
      } catch (error) {
        if (token !== loadToken) return;
        problem = `Could not load the video: ${error.message}.`;
      }
    } else if (typeof source === "string" && source) {
      problem = `"${key}" is not an uploaded video (a Gloss media URL) or a list of frame images.`;
    } else {
      problem = `This task has no video under "${key}".`;
    }
    loadState.textContent = "";
    if (problem) canvas.showMessage(problem);
    const last = String(Math.max(frames.length - 1, 0));
    frameInput.max = last;
    timeline.setAttribute("aria-valuemin", "0");
    timeline.setAttribute("aria-valuemax", last);
    element.dataset.frameCount = String(frames.length);
    buildRuler();
    seek(0, { force: true });
    refresh();
    for (const layer of layers) layer.videoLoaded?.();
  }

  async function fetchInfo(url) {
    const response = await fetch(`${url}/info`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return response.json();
  }

  // Frames: decoded images in a bounded cache, the ones around the current frame loaded ahead.

  function entryFor(n) {
    let entry = cache.get(n);
    if (entry) {
      cache.delete(n); // most recently used last
      cache.set(n, entry);
      return entry;
    }
    entry = { n, image: new Image(), state: "waiting" };
    entry.image.decoding = "async";
    entry.ready = new Promise((resolve) => (entry.resolve = resolve));
    cache.set(n, entry);
    return entry;
  }

  function request(n, urgent) {
    const entry = entryFor(n);
    if (entry.state !== "waiting") return entry;
    const queued = queue.indexOf(entry);
    if (queued >= 0) {
      if (!urgent) return entry;
      queue.splice(queued, 1);
    }
    if (urgent) queue.unshift(entry);
    else queue.push(entry);
    return entry;
  }

  function pump() {
    while (loading < PARALLEL_LOADS && queue.length) {
      const entry = queue.shift();
      if (entry.state !== "waiting") continue;
      const url = frames[entry.n];
      if (!url) {
        entry.state = "failed";
        entry.resolve(entry);
        continue;
      }
      entry.state = "loading";
      loading++;
      const token = loadToken;
      entry.image.src = url;
      entry.image.decode().then(
        () => finish(entry, token, "ready"),
        () => finish(entry, token, "failed"),
      );
    }
  }

  function finish(entry, token, state) {
    entry.state = state;
    entry.resolve(entry);
    if (token !== loadToken) return;
    loading--;
    pump();
  }

  function preload() {
    // Forget queued frames far from here, then queue the frames ahead and a few behind.
    for (let index = queue.length - 1; index >= 0; index--) {
      const n = queue[index].n;
      if (n < frame - PRELOAD_BEHIND || n > frame + PRELOAD_AHEAD) {
        cache.delete(n);
        queue.splice(index, 1);
      }
    }
    for (let d = 1; d <= PRELOAD_AHEAD; d++) {
      if (frame + d < frames.length) request(frame + d, false);
      if (d <= PRELOAD_BEHIND && frame - d >= 0) request(frame - d, false);
    }
    if (cache.size > CACHE_LIMIT) {
      for (const [n, entry] of cache) {
        if (cache.size <= CACHE_LIMIT) break;
        if (entry.state === "loading" || (n >= frame - PRELOAD_BEHIND && n <= frame + PRELOAD_AHEAD)) continue;
        cache.delete(n);
      }
    }
    pump();
  }

  function showFrame(n) {
    // A frame that failed is asked for again when it is shown again.
    if (cache.get(n)?.state === "failed" && frames[n]) cache.delete(n);
    const entry = request(n, true);
    pump();
    preload();
    if (entry.state === "ready" || entry.state === "failed") return display(entry);
    loadState.textContent = "Loading frame…";
    element.dataset.frameLoaded = "false";
    entry.ready.then(() => {
      if (n === frame && entry === cache.get(n)) display(entry);
    });
  }

  function display(entry) {
    if (entry.state !== "ready") {
      loadState.textContent = `Frame ${entry.n} could not be loaded.`;
      element.dataset.frameLoaded = "false";
      return;
    }
    loadState.textContent = "";
    const first = !(width > 0 && height > 0);
    if (first) {
      width = entry.image.naturalWidth;
      height = entry.image.naturalHeight;
    }
    canvas.setSource(entry.image, width, height);
    shownFrame = entry.n;
    element.dataset.frameLoaded = "true";
    if (first) for (const layer of layers) layer.videoLoaded?.();
  }

  function seek(n, { force = false } = {}) {
    const count = frames.length;
    const target = count ? Math.min(Math.max(Math.round(Number(n) || 0), 0), count - 1) : 0;
    if (target === frame && !force) return;
    frame = target;
    element.dataset.frame = String(frame);
    if (document.activeElement !== frameInput) frameInput.value = String(frame);
    frameOf.textContent = ` of ${count}`;
    timeline.setAttribute("aria-valuenow", String(frame));
    timeline.setAttribute("aria-valuetext", `frame ${frame} of ${count}`);
    playhead.style.setProperty("--at", String(count ? (frame + 0.5) / count : 0));
    canvas.cancelGesture();
    for (const layer of layers) layer.frameChanged?.(frame);
    if (count) showFrame(frame);
    canvas.requestRender();
  }

  // Playing steps through the frames at the video's rate, waiting for frames not loaded yet.

  function stopPlaying() {
    if (!playing) return;
    clearTimeout(playing);
    playing = null;
    play.textContent = "▶";
    play.setAttribute("aria-pressed", "false");
  }

  function togglePlay() {
    if (playing) return stopPlaying();
    if (!frames.length) return;
    if (frame >= frames.length - 1) seek(0);
    play.textContent = "❚❚";
    play.setAttribute("aria-pressed", "true");
    const tick = () => {
      if (frame >= frames.length - 1) return stopPlaying();
      const entry = cache.get(frame + 1);
      if (!entry || entry.state === "ready" || entry.state === "failed") seek(frame + 1);
      playing = setTimeout(tick, 1000 / fps);
    };
    playing = setTimeout(tick, 1000 / fps);
  }

  // The timeline

  function buildRuler() {
    rulerLane.replaceChildren();
    const count = frames.length;
    if (!count) return;
    const choices = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
    const every = choices.find((choice) => count / choice <= 12) ?? Math.ceil(count / 12);
    for (let n = 0; n < count; n += every) {
      const tick = makeElement("span", "video-tick", String(n));
      tick.style.left = player.laneAt(n);
      rulerLane.append(tick);
    }
  }

  /** Puts the timeline rows of every layer in place (once for all the fields a change renders). */
  let refreshQueued = false;
  function refresh() {
    canvas.requestRender();
    if (refreshQueued) return;
    refreshQueued = true;
    queueMicrotask(() => {
      refreshQueued = false;
      const next = layers.flatMap((layer) => layer.timelineRows?.() ?? []);
      const current = [...rows.children];
      // Swap only the rows that changed: re-inserting them all would restyle every mark of a long video.
      if (next.length === current.length && next.every((row, index) => row === current[index] || !row.isConnected)) {
        next.forEach((row, index) => row !== current[index] && rows.replaceChild(row, current[index]));
      } else {
        rows.replaceChildren(...next);
      }
    });
  }

  function handleKey(name, event) {
    const target = event?.target;
    if (isSelectTarget(target)) return false;
    // A focused button, checkbox or link keeps its own Space.
    if (name === "space" && (target instanceof HTMLButtonElement || target instanceof HTMLInputElement || target instanceof HTMLAnchorElement)) return false;
    if (canvas.handleKey(name)) return true;
    if (!frames.length) return false;
    const steps = { arrowleft: -1, arrowright: 1, "shift+arrowleft": -10, "shift+arrowright": 10 };
    if (name in steps) return seek(frame + steps[name]), true;
    if (name === "home") return seek(0), true;
    if (name === "end") return seek(frames.length - 1), true;
    if (name === "space") return togglePlay(), true;
    return false;
  }

  previous.addEventListener("click", () => seek(frame - 1));
  next.addEventListener("click", () => seek(frame + 1));
  play.addEventListener("click", togglePlay);
  frameInput.addEventListener("change", () => seek(frameInput.value));
  frameInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // Enter here goes to the frame; it does not submit.
    event.preventDefault();
    event.stopPropagation();
    seek(frameInput.value);
    frameInput.blur();
  });
  frameInput.addEventListener("blur", () => (frameInput.value = String(frame)));

  // The timeline seeks where it is pressed, and scrubs while dragged.
  function frameAtClientX(clientX) {
    const lane = rulerLane.getBoundingClientRect();
    return Math.floor(((clientX - lane.left) / Math.max(lane.width, 1)) * frames.length);
  }
  timeline.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !frames.length) return;
    for (const layer of layers) layer.timelinePressed?.(event.target);
    const mark = event.target.closest?.("[data-seek]");
    if (mark) seek(Number(mark.dataset.seek));
    else if (event.clientX >= rulerLane.getBoundingClientRect().left) seek(frameAtClientX(event.clientX));
    else return;
    event.preventDefault();
    timeline.focus({ preventScroll: true });
    timeline.setPointerCapture(event.pointerId);
    const move = (moved) => seek(frameAtClientX(moved.clientX));
    const up = () => {
      timeline.removeEventListener("pointermove", move);
      timeline.removeEventListener("pointerup", up);
      timeline.removeEventListener("pointercancel", up);
    };
    timeline.addEventListener("pointermove", move);
    timeline.addEventListener("pointerup", up);
    timeline.addEventListener("pointercancel", up);
  });

  // One canvas layer hands drawing and the pointer to the field layers (the tracks draw and edit boxes).
  let owner = null;
  canvas.addLayer({
    order: 10,
    draw(ctx, view) {
      if (!frames.length || !(width > 0)) return;
      for (const layer of layers) layer.draw?.(ctx, view, frame);
    },
    drawScreen(ctx, view) {
      if (!frames.length || !(width > 0)) return;
      for (const layer of layers) layer.drawScreen?.(ctx, view, frame);
    },
    pointerDown(p) {
      if (!frames.length || !(width > 0)) return false;
      owner = layers.find((layer) => layer.pointerDown?.(p)) ?? null;
      return Boolean(owner);
    },
    pointerMove(p) {
      owner?.pointerMove?.(p);
    },
    pointerUp(p) {
      const layer = owner;
      owner = null;
      layer?.pointerUp?.(p);
    },
    pointerCancel() {
      const layer = owner;
      owner = null;
      layer?.pointerCancel?.();
    },
    hover(p) {
      for (const layer of layers) {
        const cursor = layer.hover?.(p);
        if (cursor) return cursor;
      }
      return "";
    },
  });
  return player;
}

/** Builds one timeline row: a name cell and a lane of `[start, end)` segments and frame marks. */
function timelineRow(player, { className, name, color, dataset = {}, onName }) {
  const row = makeElement("div", `video-timeline-row ${className}`);
  for (const [key, value] of Object.entries(dataset)) row.dataset[key] = value;
  if (color) row.style.setProperty("--label-color", color);
  const nameCell = makeElement("span", "video-timeline-name", name);
  nameCell.title = name;
  if (onName) nameCell.addEventListener("pointerdown", (event) => (event.stopPropagation(), onName()));
  const lane = makeElement("div", "video-timeline-lane");
  row.append(nameCell, lane);
  return {
    row,
    segment(start, end, segmentClass, extra = {}) {
      const node = makeElement("span", segmentClass);
      const span = player.laneSpan(start, end);
      node.style.left = span.left;
      node.style.width = span.width;
      node.dataset.start = String(start);
      node.dataset.end = String(end);
      for (const [key, value] of Object.entries(extra)) node.dataset[key] = value;
      lane.append(node);
      return node;
    },
    mark(frameNumber, markClass, extra = {}) {
      const node = makeElement("span", markClass);
      node.style.left = player.laneAt(frameNumber);
      node.dataset.frame = String(frameNumber);
      node.dataset.seek = String(frameNumber);
      for (const [key, value] of Object.entries(extra)) node.dataset[key] = value;
      lane.append(node);
      return node;
    },
  };
}

/**
 * The test hook: `window.__glossVideoEditor` is the first player, `.players[videoKey]` each one.
 * `frame`, `frameCount`, `width`, `height`, `loaded` (the current frame is on the canvas), `seek(n)`,
 * `step(d)`, `imageToScreen(x, y)` → the page point over image pixel (x, y) (what page.mouse takes),
 * `screenToImage(x, y)`, `view` (the canvas transform: screen = image × scale + (x, y)), `render()`
 * (draws now), `drawn` (the boxes of the last drawing: {id, label, kind: "keyframe"|"interpolated",
 * occluded, selected, x, y, width, height}), `selectedTrack`, `boxAt(trackId, frame?)` (the track's box,
 * interpolated, or null where it is not visible) and `trackState(trackId, frame?)`.
 */
function exposeForTests(player) {
  const hook = {
    get frame() {
      return player.frame;
    },
    get frameCount() {
      return player.frameCount;
    },
    get width() {
      return player.width;
    },
    get height() {
      return player.height;
    },
    get loaded() {
      return player.loaded;
    },
    seek: (n) => player.seek(n),
    step: (delta) => player.step(delta),
    imageToScreen: (x, y) => player.imageToClient(x, y),
    screenToImage: (x, y) => player.clientToImage(x, y),
    get view() {
      return { ...player.canvas.view };
    },
    render: () => player.canvas.render(),
    get drawn() {
      return player.tracks?.drawn() ?? [];
    },
    get selectedTrack() {
      return player.tracks?.selected() ?? null;
    },
    boxAt: (trackId, frameNumber = player.frame) => player.tracks?.boxAt(trackId, frameNumber) ?? null,
    trackState: (trackId, frameNumber = player.frame) => player.tracks?.trackState(trackId, frameNumber) ?? null,
  };
  window.__glossVideoEditor ??= Object.assign(hook, { players: {} });
  window.__glossVideoEditor.players[player.key] = hook;
}

function placePlayer(core, player, widgetElement) {
  if (player.element.isConnected) return;
  const { taskElement, dataElement } = core.elements ?? {};
  if (taskElement && dataElement?.parentElement === taskElement) taskElement.insertBefore(player.element, dataElement);
  else if (taskElement) taskElement.prepend(player.element);
  else widgetElement.prepend(player.element);
}

// `tracks`

export function createTracksWidget(field, core) {
  const videoKey = field.video ?? "video";
  const player = sharedPlayer(core, videoKey);
  const labels = videoLabels(field, core);
  const labelByValue = new Map(labels.map((label) => [label.value, label]));
  let currentLabel = labels[0]?.value ?? null;
  let tracks = [];
  let selectedId = null;
  let gesture = null;
  let listed = null;

  const element = makeElement("fieldset", "field field-tracks");
  element.dataset.field = field.name;
  const legend = makeElement("legend", "", fieldCaption(field));
  const bar = labelBar(labels, (value) => {
    currentLabel = value;
    bar.show(currentLabel);
    hint.textContent = drawHint();
  });
  const hint = makeElement("p", "video-hint muted");

  const tools = makeElement("div", "track-tools");
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", "Selected track");
  const previousKey = makeButton("track-previous-key", "◂ Keyframe", "Previous keyframe of the track", ",");
  const nextKey = makeButton("track-next-key", "Keyframe ▸", "Next keyframe of the track", ".");
  const copyNext = makeButton("track-copy-next", "Copy to next frame", "Keyframe the box on the next frame and go there", "n");
  const outside = makeButton("track-outside", "Outside here", "The object leaves the frame here (or comes back)", "o");
  const occluded = makeButton("track-occluded", "Occluded here", "Toggle occluded from this frame on", "h");
  const deleteKey = makeButton("track-delete-keyframe", "Delete keyframe", "Delete the keyframe on this frame", "Del");
  const deleteTrack = makeButton("track-delete", "Delete track", "Delete the whole track", "⇧Del");
  tools.append(previousKey, nextKey, copyNext, outside, occluded, deleteKey, deleteTrack);

  const details = makeElement("div", "track-details");
  const list = makeElement("ul", "track-list");
  list.setAttribute("aria-label", "Tracks");
  const count = makeElement("small", "track-count muted");
  element.append(legend, bar.element, hint, tools, details, list, count);
  bar.show(currentLabel);

  function drawHint() {
    const label = labelByValue.get(currentLabel);
    return label ? `Drag on the frame to draw a new “${label.label}” track. Drag a box to move it: that sets a keyframe.` : "";
  }
  hint.textContent = drawHint();

  const selected = () => tracks.find((track) => track.id === selectedId) ?? null;
  const colorOf = (track) => labelByValue.get(track.label)?.color ?? "#868e96";
  const labelText = (track) => labelByValue.get(track.label)?.label ?? String(track.label ?? "");

  function commit(next, options) {
    const tidy = next.map((track) => {
      const keyframes = sortedKeyframes(track.keyframes);
      return keyframes === track.keyframes ? track : { ...track, keyframes };
    });
    core.setField(field.name, tidy, options);
  }

  function replaceTrack(track) {
    commit(tracks.map((existing) => (existing.id === track.id ? track : existing)));
  }

  function select(id) {
    selectedId = id;
    if (id) player.claimSelection(layer);
    update();
    showStates();
    player.redraw();
    refreshTimelineSelection();
  }

  function defaultAttributes(labelValue, previous = {}) {
    const attributes = {};
    for (const attribute of labelByValue.get(labelValue)?.attributes ?? []) {
      if (attribute.name in previous) attributes[attribute.name] = previous[attribute.name];
      else if (attribute.type === "boolean") attributes[attribute.name] = false;
    }
    return attributes;
  }

  // Edits at the current frame

  function createTrack(box) {
    if (field.max_tracks && tracks.length >= field.max_tracks) {
      core.setStatus(`At most ${field.max_tracks} track${field.max_tracks === 1 ? "" : "s"}.`, true);
      return;
    }
    const id = nextId(tracks, "t");
    const track = {
      id,
      label: currentLabel,
      attributes: defaultAttributes(currentLabel),
      keyframes: [{ frame: player.frame, ...box, outside: false, occluded: false }],
    };
    selectedId = id;
    player.claimSelection(layer);
    commit([...tracks, track]);
  }

  function setBox(track, box) {
    replaceTrack(withKeyframe(track, keyframeFromBox(track, player.frame, box)));
  }

  function currentBox(track, frameNumber = player.frame) {
    const box = boxAt(track, frameNumber);
    return box && fitBox(box, player.width, player.height, { keepSize: true });
  }

  function copyToNextFrame() {
    const track = selected();
    if (!track) return false;
    const box = currentBox(track);
    if (!box) return core.setStatus("The track is not on this frame.", true), true;
    if (player.frame + 1 >= player.frameCount) return core.setStatus("This is the last frame.", true), true;
    const state = trackStateAt(track, player.frame);
    const target = player.frame + 1;
    replaceTrack(withKeyframe(track, { frame: target, ...box, outside: false, occluded: state.occluded }));
    player.seek(target);
    return true;
  }

  function toggleOutside() {
    const track = selected();
    if (!track) return false;
    const frameNumber = player.frame;
    const state = trackStateAt(track, frameNumber);
    if (state.visible) {
      const box = currentBox(track) ?? lastKnownBox(track, frameNumber);
      replaceTrack(withKeyframe(track, { frame: frameNumber, ...box, outside: true, occluded: false }));
    } else {
      // Back in: where it was last (a keyframe marked outside keeps the box it had).
      const base = state.keyframe?.outside ? state.keyframe : lastKnownBox(track, frameNumber);
      const box = fitBox(base, player.width, player.height, { keepSize: true });
      replaceTrack(withKeyframe(track, { frame: frameNumber, ...box, outside: false, occluded: false }));
    }
    return true;
  }

  function toggleOccluded() {
    const track = selected();
    if (!track) return false;
    const state = trackStateAt(track, player.frame);
    if (!state.visible) return core.setStatus("The track is not on this frame.", true), true;
    const keyframe = state.keyframe ?? { frame: player.frame, ...currentBox(track) };
    replaceTrack(withKeyframe(track, { ...keyframe, outside: false, occluded: !state.occluded }));
    return true;
  }

  function deleteKeyframeHere() {
    const track = selected();
    if (!track) return false;
    if (!track.keyframes.some((keyframe) => keyframe.frame === player.frame)) {
      core.setStatus("No keyframe of this track on this frame.", true);
      return true;
    }
    const remaining = withoutKeyframe(track, player.frame);
    if (!remaining) return removeTrack(), true;
    replaceTrack(remaining);
    return true;
  }

  function removeTrack() {
    const track = selected();
    if (!track) return false;
    selectedId = null;
    commit(tracks.filter((existing) => existing.id !== track.id));
    core.setStatus(`Deleted track ${track.id}.`);
    return true;
  }

  function jumpKeyframe(direction) {
    const candidates = selected() ? [selected()] : tracks;
    const found = candidates
      .map((track) => neighbourKeyframe(track, player.frame, direction))
      .filter((frameNumber) => frameNumber !== null);
    if (!found.length) return false;
    player.seek(direction > 0 ? Math.min(...found) : Math.max(...found));
    return true;
  }

  // The form panel: tools, the selected track's label and attributes, the list

  function update() {
    const track = selected();
    const state = track ? trackStateAt(track, player.frame) : null;
    for (const button of [previousKey, nextKey, copyNext, outside, occluded, deleteKey, deleteTrack]) button.disabled = !track;
    if (track) {
      outside.firstChild.textContent = state.visible ? "Outside here" : state.reason === "before" ? "Enters here" : "Back in here";
      outside.setAttribute("aria-pressed", String(!state.visible));
      occluded.setAttribute("aria-pressed", String(Boolean(state.visible && state.occluded)));
      occluded.disabled = !state.visible;
      copyNext.disabled = !state.visible || player.frame + 1 >= player.frameCount;
      deleteKey.disabled = !state.keyframe;
      previousKey.disabled = neighbourKeyframe(track, player.frame, -1) === null;
      nextKey.disabled = neighbourKeyframe(track, player.frame, 1) === null;
    }
    tools.hidden = !track;
    renderDetails(track);
  }

  let detailsFor = null;
  function renderDetails(track) {
    const identity = track ? JSON.stringify([track.id, track.label, track.attributes ?? {}]) : null;
    if (identity === detailsFor) return;
    // Typing in a text attribute changes the value at each key: keep that input (and its caret) as it is.
    const focused = document.activeElement;
    const typing = focused instanceof HTMLInputElement && focused.type === "text" && details.contains(focused) ? focused.closest("[data-attribute]")?.dataset.attribute : null;
    if (track && typing && details.dataset.trackId === track.id && focused.value === (track.attributes?.[typing] ?? "")) {
      const others = (attributes) => JSON.stringify(Object.entries(attributes ?? {}).filter(([name]) => name !== typing));
      const previous = detailsFor ? JSON.parse(detailsFor) : null;
      if (previous && previous[1] === track.label && others(previous[2]) === others(track.attributes)) {
        detailsFor = identity;
        return;
      }
    }
    detailsFor = identity;
    details.replaceChildren();
    details.hidden = !track;
    if (!track) return;
    details.dataset.trackId = track.id;
    details.style.setProperty("--label-color", colorOf(track));
    const heading = makeElement("div", "track-details-heading");
    heading.append(makeElement("strong", "", `Track ${track.id}`));
    const labelRow = makeElement("label", "track-label-row");
    const labelSelect = makeLabelSelect("track-label-select", labels, track.label);
    labelSelect.addEventListener("change", () => {
      const current = selected();
      if (!current) return;
      replaceTrack({ ...current, label: labelSelect.value, attributes: defaultAttributes(labelSelect.value, current.attributes ?? {}) });
    });
    labelRow.append("Label", labelSelect);
    details.append(heading, labelRow);
    for (const attribute of labelByValue.get(track.label)?.attributes ?? []) details.append(attributeInput(track, attribute));
  }

  function attributeInput(track, attribute) {
    const type = attribute.type ?? (Array.isArray(attribute.options) ? "select" : "text");
    const set = (value, options) => {
      const latest = selected();
      if (!latest) return;
      const attributes = { ...(latest.attributes ?? {}) };
      if (value === undefined || value === "") delete attributes[attribute.name];
      else attributes[attribute.name] = value;
      replaceTrackWith({ ...latest, attributes }, options);
    };
    return attributeRow("track", attribute, type, track.attributes?.[attribute.name], set, normalizeOptions);
  }

  function replaceTrackWith(track, options) {
    commit(
      tracks.map((existing) => (existing.id === track.id ? track : existing)),
      options,
    );
  }

  /** The list of tracks (rebuilt when the value changes); `showStates` updates it as the frame changes. */
  function renderList() {
    list.replaceChildren(
      ...tracks.map((track) => {
        const item = makeElement("li", "track-item");
        item.dataset.trackId = track.id;
        item.dataset.label = String(track.label ?? "");
        item.style.setProperty("--label-color", colorOf(track));
        const chip = makeElement("span", "track-chip", track.id);
        const name = makeElement("span", "track-item-label", labelText(track));
        const where = makeElement("span", "track-item-state muted");
        const keys = makeElement("span", "track-item-keys muted", `${track.keyframes?.length ?? 0} key${track.keyframes?.length === 1 ? "" : "s"}`);
        item.append(chip, name, where, keys);
        // Required attributes still to set, named so the worker sees them before submitting.
        const missing = (labelByValue.get(track.label)?.attributes ?? [])
          .filter((attribute) => attribute.required && attribute.type !== "boolean" && [undefined, ""].includes(track.attributes?.[attribute.name]))
          .map((attribute) => attribute.label ?? attribute.name);
        if (missing.length) {
          item.classList.add("incomplete");
          item.append(makeElement("span", "track-item-missing", `needs ${missing.join(", ")}`));
        }
        item.addEventListener("click", () => selectFromList(track.id));
        return item;
      }),
    );
    const limits = [field.min_tracks ? `min ${field.min_tracks}` : "", field.max_tracks ? `max ${field.max_tracks}` : ""].filter(Boolean);
    count.textContent = `${tracks.length} track${tracks.length === 1 ? "" : "s"}${limits.length ? ` (${limits.join(", ")})` : ""}`;
    showStates();
  }

  /** Each listed track's state on the current frame (`data-state`: keyframe, interpolated, outside, before). */
  function showStates() {
    const items = list.children;
    tracks.forEach((track, index) => {
      const item = items[index];
      if (!item) return;
      const state = trackStateAt(track, player.frame);
      item.dataset.state = !state.visible ? state.reason : state.keyframe ? "keyframe" : "interpolated";
      item.setAttribute("aria-selected", String(track.id === selectedId));
      item.classList.toggle("selected", track.id === selectedId);
      let text = !state.visible ? (state.reason === "before" ? "not yet" : "outside") : state.keyframe ? "keyframe" : "interpolated";
      if (state.visible && state.occluded) text += " · occluded";
      const where = item.querySelector(".track-item-state");
      if (where.textContent !== text) where.textContent = text;
    });
  }

  function selectFromList(id) {
    const track = tracks.find((existing) => existing.id === id);
    if (!track) return;
    select(id);
    if (!trackStateAt(track, player.frame).visible) {
      // Go where it is: its nearest keyframe with a box.
      const visible = track.keyframes.filter((keyframe) => !keyframe.outside).map((keyframe) => keyframe.frame);
      if (visible.length) player.seek(visible.reduce((best, f) => (Math.abs(f - player.frame) < Math.abs(best - player.frame) ? f : best)));
    }
  }

  function refreshTimelineSelection() {
    for (const row of player.element.querySelectorAll(".video-timeline-track")) {
      row.classList.toggle("selected", row.dataset.trackId === selectedId);
    }
  }

  // Drawing on the frame: boxes solid on keyframes and dashed between them, handles on the selected one

  const CURSORS = { nw: "nwse-resize", se: "nwse-resize", ne: "nesw-resize", sw: "nesw-resize", n: "ns-resize", s: "ns-resize", e: "ew-resize", w: "ew-resize", move: "move" };
  let drawn = [];

  function drawScreen(ctx, view, frameNumber) {
    drawn = [];
    const shown = tracks.map((track) => ({ track, state: trackStateAt(track, frameNumber) }));
    // The selected track on top.
    shown.sort((a, b) => (a.track.id === selectedId) - (b.track.id === selectedId));
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "bottom";
    for (const { track, state } of shown) {
      let box = state.visible ? state : null;
      let kind = state.keyframe ? "keyframe" : "interpolated";
      if (gesture?.trackId === track.id && gesture.preview) {
        box = gesture.preview;
        kind = "keyframe";
      }
      if (!box) continue;
      const selectedNow = track.id === selectedId;
      drawn.push({ id: track.id, label: track.label, kind, occluded: Boolean(state.occluded), selected: selectedNow, x: box.x, y: box.y, width: box.width, height: box.height });
      drawBox(ctx, view, box, colorOf(track), { dashed: kind === "interpolated", occluded: state.occluded, selected: selectedNow, tag: `${track.id} ${labelText(track)}${state.occluded ? " (occluded)" : ""}` });
    }
    if (gesture?.kind === "draw" && gesture.preview) {
      drawBox(ctx, view, gesture.preview, labelByValue.get(currentLabel)?.color ?? "#868e96", { dashed: false, selected: false, draft: true });
    }
  }

  function drawBox(ctx, view, box, color, { dashed, occluded, selected, tag, draft }) {
    const left = box.x * view.scale + view.x;
    const top = box.y * view.scale + view.y;
    const right = (box.x + box.width) * view.scale + view.x;
    const bottom = (box.y + box.height) * view.scale + view.y;
    ctx.save();
    ctx.globalAlpha = selected ? 0.2 : draft ? 0.15 : 0.08;
    ctx.fillStyle = color;
    ctx.fillRect(left, top, right - left, bottom - top);
    ctx.globalAlpha = occluded ? 0.6 : 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = selected ? 3 : 2;
    ctx.setLineDash(dashed ? [7, 5] : draft ? [3, 3] : []);
    ctx.strokeRect(left, top, right - left, bottom - top);
    ctx.setLineDash([]);
    if (tag) {
      const textWidth = ctx.measureText(tag).width;
      const tagTop = top - 16 >= 0 ? top - 16 : top;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(left, tagTop, textWidth + 8, 16);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#fff";
      ctx.fillText(tag, left + 4, tagTop + 14);
    }
    if (selected) {
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#fff";
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      for (const [, hx, hy] of handlePoints({ x: left, y: top }, { x: right, y: bottom })) {
        ctx.fillRect(hx - 4, hy - 4, 8, 8);
        ctx.strokeRect(hx - 4, hy - 4, 8, 8);
      }
    }
    ctx.restore();
  }

  function handlePoints(a, b) {
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    return [
      ["nw", a.x, a.y],
      ["n", mx, a.y],
      ["ne", b.x, a.y],
      ["e", b.x, my],
      ["se", b.x, b.y],
      ["s", mx, b.y],
      ["sw", a.x, b.y],
      ["w", a.x, my],
    ];
  }

  /** A timeline row per track, kept while the track (the same object) and the lane's size stay. */
  const rowCache = new WeakMap();
  function timelineRows() {
    if (!player.frameCount) return [];
    const pixels = player.laneWidth();
    return tracks.map((track) => {
      const cached = rowCache.get(track);
      if (cached && cached.frames === player.frameCount && cached.pixels === pixels && cached.color === colorOf(track)) {
        cached.row.classList.toggle("selected", track.id === selectedId);
        return cached.row;
      }
      const row = buildTrackRow(track, pixels);
      rowCache.set(track, { row, frames: player.frameCount, pixels, color: colorOf(track) });
      return row;
    });
  }

  function buildTrackRow(track, pixels) {
    const row = timelineRow(player, {
      className: `video-timeline-track${track.id === selectedId ? " selected" : ""}`,
      name: `${track.id} ${labelText(track)}`,
      color: colorOf(track),
      dataset: { trackId: track.id },
      onName: () => selectFromList(track.id),
    });
    for (const [start, end] of visibleRanges(track, player.frameCount)) row.segment(start, end, "video-track-range");
    for (const [start, end] of occludedRanges(track, player.frameCount)) row.segment(start, end, "video-track-occluded");
    // Marks closer than MARK_SPACING_PX would hide each other: a long video shows the first of each such run.
    let lastPixel = -Infinity;
    for (const keyframe of sortedKeyframes(track.keyframes)) {
      if (keyframe.frame >= player.frameCount) continue;
      const pixel = ((keyframe.frame + 0.5) / player.frameCount) * pixels;
      if (pixel - lastPixel < 3) continue;
      lastPixel = pixel;
      const mark = row.mark(keyframe.frame, `video-keyframe-mark${keyframe.outside ? " outside" : ""}${keyframe.occluded ? " occluded" : ""}`);
      if (keyframe.outside) mark.title = "outside";
    }
    return row.row;
  }

  /** A keyframe mark pressed on the timeline selects its track (the player then seeks to it). */
  function timelinePressed(target) {
    const row = target.closest?.(".video-keyframe-mark") && target.closest(".video-timeline-track");
    if (row && row.dataset.trackId !== selectedId && tracks.some((track) => track.id === row.dataset.trackId)) select(row.dataset.trackId);
  }

  // Gestures on the frame: one value change when the mouse is released.

  /** What lies under image point p: a handle of the selected box, else the topmost box (selected first). */
  function hitTest(p) {
    const tolerance = HANDLE_PX * (p.pixel || 1);
    const track = selected();
    const box = track && boxAt(track, player.frame);
    if (box) {
      for (const [handle, hx, hy] of handlePoints({ x: box.x, y: box.y }, { x: box.x + box.width, y: box.y + box.height })) {
        if (Math.abs(p.x - hx) <= tolerance && Math.abs(p.y - hy) <= tolerance) return { track, handle, box };
      }
    }
    const candidates = [...tracks].reverse();
    if (track) candidates.unshift(track);
    const margin = tolerance / 2;
    for (const candidate of candidates) {
      const candidateBox = boxAt(candidate, player.frame);
      if (!candidateBox) continue;
      if (
        p.x >= candidateBox.x - margin &&
        p.x <= candidateBox.x + candidateBox.width + margin &&
        p.y >= candidateBox.y - margin &&
        p.y <= candidateBox.y + candidateBox.height + margin
      ) {
        return { track: candidate, handle: "move", box: candidateBox };
      }
    }
    return null;
  }

  function clampPoint(point) {
    if (!(player.width > 0)) return { x: point.x, y: point.y };
    return { x: Math.min(Math.max(point.x, 0), player.width), y: Math.min(Math.max(point.y, 0), player.height) };
  }

  function onPointerDown(p) {
    const hit = hitTest(p);
    if (hit) {
      if (hit.track.id !== selectedId) select(hit.track.id);
      gesture = { kind: hit.handle === "move" ? "move" : "resize", handle: hit.handle, trackId: hit.track.id, start: { x: p.x, y: p.y }, startScreen: [p.sx, p.sy], box: { ...hit.box }, preview: null };
      return true;
    }
    if (!currentLabel) return false;
    gesture = { kind: "draw", start: clampPoint(p), startScreen: [p.sx, p.sy], preview: null };
    return true;
  }

  function onPointerMove(p) {
    if (!gesture) return;
    if (!gesture.preview && Math.hypot(p.sx - gesture.startScreen[0], p.sy - gesture.startScreen[1]) < CLICK_PX) return;
    if (gesture.kind === "draw") {
      const end = clampPoint(p);
      const { start } = gesture;
      gesture.preview = { x: Math.min(start.x, end.x), y: Math.min(start.y, end.y), width: Math.abs(end.x - start.x), height: Math.abs(end.y - start.y) };
    } else if (gesture.kind === "move") {
      const { box, start } = gesture;
      const moved = { x: box.x + p.x - start.x, y: box.y + p.y - start.y, width: box.width, height: box.height };
      gesture.preview = fitBox(moved, player.width, player.height, { keepSize: true }) ?? gesture.preview;
    } else {
      const { box, handle } = gesture;
      const end = clampPoint(p);
      let left = box.x;
      let top = box.y;
      let right = box.x + box.width;
      let bottom = box.y + box.height;
      if (handle.includes("w")) left = end.x;
      if (handle.includes("e")) right = end.x;
      if (handle.includes("n")) top = end.y;
      if (handle.includes("s")) bottom = end.y;
      gesture.preview = { x: Math.min(left, right), y: Math.min(top, bottom), width: Math.abs(right - left), height: Math.abs(bottom - top) };
    }
    player.redraw();
  }

  function onPointerUp() {
    const done = gesture;
    gesture = null;
    if (!done) return;
    if (!done.preview) {
      // A click: on a box it selected it; on the empty frame it deselects.
      if (done.kind === "draw" && selectedId) select(null);
      player.redraw();
      return;
    }
    const box = fitBox(done.preview, player.width, player.height, { keepSize: done.kind === "move" });
    const scale = player.canvas.view.scale || 1;
    if (!box || box.width * scale < CLICK_PX || box.height * scale < CLICK_PX) {
      player.redraw();
      return;
    }
    if (done.kind === "draw") return createTrack(box);
    const track = tracks.find((existing) => existing.id === done.trackId);
    if (!track) return player.redraw();
    const state = trackStateAt(track, player.frame);
    const before = state.visible ? fitBox(state, player.width, player.height, { keepSize: true }) : null;
    if (before && state.keyframe && ["x", "y", "width", "height"].every((key) => before[key] === box[key])) return player.redraw();
    setBox(track, box);
  }

  function cancelGesture() {
    if (!gesture) return false;
    gesture = null;
    player.redraw();
    return true;
  }

  function hover(p) {
    const hit = hitTest(p);
    if (hit) return CURSORS[hit.handle] ?? "move";
    return currentLabel ? "crosshair" : "";
  }

  const layer = {
    drawScreen,
    timelineRows,
    pointerDown: onPointerDown,
    pointerMove: onPointerMove,
    pointerUp: onPointerUp,
    pointerCancel: cancelGesture,
    hover,
    timelinePressed,
    frameChanged() {
      gesture = null;
      update();
      showStates();
    },
    videoLoaded() {
      update();
    },
    clearSelection() {
      if (!selectedId) return;
      selectedId = null;
      update();
      showStates();
      refreshTimelineSelection();
      player.redraw();
    },
  };
  player.attach(layer);
  player.tracks = {
    selected: () => selectedId,
    drawn: () => drawn.map((box) => ({ ...box })),
    boxAt: (id, frameNumber) => {
      const track = tracks.find((existing) => existing.id === id);
      return track ? boxAt(track, frameNumber) : null;
    },
    trackState: (id, frameNumber) => {
      const track = tracks.find((existing) => existing.id === id);
      return track ? trackStateAt(track, frameNumber) : null;
    },
  };

  previousKey.addEventListener("click", () => jumpKeyframe(-1));
  nextKey.addEventListener("click", () => jumpKeyframe(1));
  copyNext.addEventListener("click", copyToNextFrame);
  outside.addEventListener("click", toggleOutside);
  occluded.addEventListener("click", toggleOccluded);
  deleteKey.addEventListener("click", deleteKeyframeHere);
  deleteTrack.addEventListener("click", removeTrack);

  return {
    field,
    element,
    dataKeys: [videoKey],
    showTask(task) {
      selectedId = null;
      gesture = null;
      detailsFor = undefined;
      currentLabel = labels[0]?.value ?? null;
      bar.show(currentLabel);
      hint.textContent = drawHint();
      placePlayer(core, player, element);
      player.show(task);
    },
    render(value) {
      tracks = Array.isArray(value) ? value : [];
      if (selectedId && !tracks.some((track) => track.id === selectedId)) selectedId = null;
      update();
      if (tracks !== listed) renderList();
      else showStates();
      listed = tracks;
      player.refresh();
    },
    handleKey(name, event) {
      if (isSelectTarget(event?.target)) return false;
      const label = labels.find((candidate) => candidate.key && candidate.key === name);
      if (label) {
        currentLabel = label.value;
        bar.show(currentLabel);
        hint.textContent = drawHint();
        return true;
      }
      if (name === "escape") {
        if (gesture) return player.canvas.cancelGesture(), cancelGesture(), true;
        if (selectedId) return select(null), true;
        return false;
      }
      if (selectedId) {
        if (name === "n") return copyToNextFrame();
        if (name === "o") return toggleOutside();
        if (name === "h") return toggleOccluded();
        if (name === "delete" || name === "backspace") return deleteKeyframeHere();
        if (name === "shift+delete" || name === "shift+backspace") return removeTrack();
      }
      if (name === ",") return jumpKeyframe(-1) || true;
      if (name === ".") return jumpKeyframe(1) || true;
      return player.handleKey(name, event);
    },
  };
}

// `events`

export function createEventsWidget(field, core) {
  const videoKey = field.video ?? "video";
  const player = sharedPlayer(core, videoKey);
  const labels = videoLabels(field, core);
  const labelByValue = new Map(labels.map((label) => [label.value, label]));
  let currentLabel = labels[0]?.value ?? null;
  let events = [];
  let pendingStart = null;
  let selectedId = null;

  const element = makeElement("fieldset", "field field-events");
  element.dataset.field = field.name;
  const legend = makeElement("legend", "", fieldCaption(field));
  const bar = labelBar(labels, (value) => {
    currentLabel = value;
    bar.show(currentLabel);
    update();
  });
  const tools = makeElement("div", "event-tools");
  const startButton = makeButton("event-start", "Start here", "Mark the start of an event on this frame", "[");
  const endButton = makeButton("event-end", "End here", "Mark the end of the event on this frame (the frame is included)", "]");
  const cancelButton = makeButton("event-cancel", "Cancel", "Forget the marked start", "Esc");
  tools.append(startButton, endButton, cancelButton);
  const pending = makeElement("p", "event-pending muted");
  pending.setAttribute("role", "status");
  const list = makeElement("ul", "event-list");
  list.setAttribute("aria-label", "Events");
  const count = makeElement("small", "event-count muted");
  element.append(legend, bar.element, tools, pending, list, count);
  bar.show(currentLabel);

  const colorOf = (event) => labelByValue.get(event.label)?.color ?? "#868e96";
  const labelText = (event) => labelByValue.get(event.label)?.label ?? String(event.label ?? "");

  function commit(next) {
    const sorted = [...next].sort((a, b) => a.start - b.start || a.end - b.end);
    core.setField(field.name, sorted);
  }

  function markStart() {
    if (!player.frameCount || !currentLabel) return false;
    pendingStart = player.frame;
    player.claimSelection(layer);
    update();
    player.refresh();
    return true;
  }

  function markEnd() {
    if (!player.frameCount || !currentLabel) return false;
    if (pendingStart === null) {
      core.setStatus("Mark the start of the event first ([).", true);
      return true;
    }
    const start = Math.min(pendingStart, player.frame);
    const end = Math.max(pendingStart, player.frame) + 1;
    pendingStart = null;
    const id = nextId(events, "e");
    selectedId = id;
    commit([...events, { id, label: currentLabel, start, end }]);
    return true;
  }

  function cancelPending() {
    if (pendingStart === null) return false;
    pendingStart = null;
    update();
    player.refresh();
    return true;
  }

  function remove(id) {
    if (selectedId === id) selectedId = null;
    commit(events.filter((event) => event.id !== id));
  }

  function select(id, { seek = true } = {}) {
    selectedId = id;
    const event = events.find((existing) => existing.id === id);
    if (event) player.claimSelection(layer);
    if (event && seek) player.seek(event.start);
    update();
    player.refresh();
  }

  function update() {
    const label = labelByValue.get(currentLabel);
    startButton.disabled = !player.frameCount || !label;
    endButton.disabled = !player.frameCount || pendingStart === null;
    cancelButton.hidden = pendingStart === null;
    pending.textContent =
      pendingStart === null
        ? label
          ? `Go to the first frame of a “${label.label}” event and press [, then to its last frame and press ].`
          : ""
        : `“${label?.label ?? ""}” starts at frame ${pendingStart}: go to its last frame and press ].`;
    pending.classList.toggle("active", pendingStart !== null);
    if (listed !== events || listedSelection !== selectedId) renderList();
    // The events the current frame is in.
    const items = list.children;
    events.forEach((event, index) => items[index]?.classList.toggle("current", player.frame >= event.start && player.frame < event.end));
  }

  let listed = null;
  let listedSelection = null;
  function renderList() {
    listed = events;
    listedSelection = selectedId;
    list.replaceChildren(
      ...events.map((event) => {
        const item = makeElement("li", "event-item");
        item.dataset.eventId = event.id;
        item.dataset.label = String(event.label ?? "");
        item.dataset.start = String(event.start);
        item.dataset.end = String(event.end);
        item.setAttribute("aria-selected", String(event.id === selectedId));
        item.classList.toggle("selected", event.id === selectedId);
        item.style.setProperty("--label-color", colorOf(event));
        const seek = makeElement("button", "event-seek");
        seek.type = "button";
        seek.title = `Go to frame ${event.start}`;
        seek.append(makeElement("span", "event-chip", event.id), makeElement("span", "event-item-label", labelText(event)), makeElement("span", "event-item-range muted", event.end - event.start === 1 ? `frame ${event.start}` : `frames ${event.start}–${event.end - 1}`));
        seek.addEventListener("click", () => select(event.id));
        const remover = makeButton("event-delete", "×", `Delete event ${event.id}`);
        remover.setAttribute("aria-label", `Delete event ${event.id}`);
        remover.addEventListener("click", () => remove(event.id));
        item.append(seek, remover);
        return item;
      }),
    );
    count.textContent = `${events.length} event${events.length === 1 ? "" : "s"}`;
  }

  /** Events on one row, overlapping ones on separate lines of it (kept while nothing they show changes). */
  let rowCache = null;
  function timelineRows() {
    if (!player.frameCount) return [];
    const key = [events, selectedId, pendingStart, pendingStart === null ? 0 : player.frame, player.frameCount, currentLabel];
    if (rowCache && rowCache.key.every((part, index) => part === key[index])) return [rowCache.row];
    const row = timelineRow(player, { className: "video-timeline-events", name: fieldCaption(field), dataset: { field: field.name } });
    const lineEnds = [];
    for (const event of events) {
      let line = lineEnds.findIndex((end) => end <= event.start);
      if (line < 0) line = lineEnds.push(0) - 1;
      lineEnds[line] = event.end;
      const segment = row.segment(Math.max(event.start, 0), Math.min(event.end, player.frameCount), `video-event${event.id === selectedId ? " selected" : ""}`, {
        eventId: event.id,
        seek: String(event.start),
      });
      segment.style.setProperty("--label-color", colorOf(event));
      segment.style.setProperty("--line", String(line));
      segment.title = `${event.id} ${labelText(event)}: frames ${event.start}–${event.end - 1}`;
    }
    row.row.style.setProperty("--lines", String(Math.max(lineEnds.length, 1)));
    if (pendingStart !== null) {
      const from = Math.min(pendingStart, player.frame);
      const to = Math.max(pendingStart, player.frame) + 1;
      const draft = row.segment(from, to, "video-event-pending");
      draft.style.setProperty("--label-color", labelByValue.get(currentLabel)?.color ?? "#868e96");
    }
    rowCache = { key, row: row.row };
    return [row.row];
  }

  /** An event pressed on the timeline is selected (the player then seeks to its start). */
  function timelinePressed(target) {
    const segment = target.closest?.(".video-event");
    if (segment && events.some((event) => event.id === segment.dataset.eventId)) select(segment.dataset.eventId, { seek: false });
  }

  const layer = {
    timelineRows,
    timelinePressed,
    frameChanged() {
      update();
      if (pendingStart !== null) player.refresh();
    },
    videoLoaded: update,
    clearSelection() {
      if (!selectedId && pendingStart === null) return;
      selectedId = null;
      update();
    },
  };
  player.attach(layer);

  startButton.addEventListener("click", markStart);
  endButton.addEventListener("click", markEnd);
  cancelButton.addEventListener("click", cancelPending);

  return {
    field,
    element,
    dataKeys: [videoKey],
    showTask(task) {
      pendingStart = null;
      selectedId = null;
      currentLabel = labels[0]?.value ?? null;
      bar.show(currentLabel);
      placePlayer(core, player, element);
      player.show(task);
    },
    render(value) {
      events = Array.isArray(value) ? value : [];
      if (selectedId && !events.some((event) => event.id === selectedId)) selectedId = null;
      update();
      player.refresh();
    },
    handleKey(name, event) {
      if (isSelectTarget(event?.target)) return false;
      const label = labels.find((candidate) => candidate.key && candidate.key === name);
      if (label) {
        currentLabel = label.value;
        bar.show(currentLabel);
        update();
        return true;
      }
      if (name === "[") return markStart();
      if (name === "]") return markEnd();
      if (name === "escape") {
        if (cancelPending()) return true;
        if (selectedId) return select(null, { seek: false }), true;
        return false;
      }
      if ((name === "delete" || name === "backspace") && selectedId) {
        remove(selectedId);
        return true;
      }
      return player.handleKey(name, event);
    },
  };
}

