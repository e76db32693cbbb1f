// The audio player the `segments` and `transcript` fields share, one per (editor, data key), placed in the
// task panel: an <audio> element for the sound, a waveform drawn from the server's peaks (never from the
// decoded audio), the regions of every segments field in lanes under it, a playhead, zoom and scroll.
// The fields attach "layers" (segments) and "listeners" (transcripts); the player owns the pointer gestures
// and the keys that are not a field's own.

import {
  MIN_REGION_S,
  SPEEDS,
  assignLanes,
  buildPeakLevels,
  clamp,
  clockText,
  drawRuler,
  drawWaveform,
  freeGap,
  initialZoom,
  zoomLimits,
} from "./audio-waveform.js";
import { isSelectTarget, makeButton, makeElement, mediaSubpath, mediaURL } from "./widget-dom.js";

export { isSelectTarget, makeButton, makeElement };

const RULER_H = 22;
const WAVE_H = 112;
const LANE_H = 22;
const STRIP_GAP = 6;
const HANDLE_PX = 6;
const CLICK_PX = 3;
const ZOOM_STEP = 1.5;
const SCROLL_MAX_PX = 8e6;
const FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const BAR_FONT = "600 11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const COLORS = {
  ruler: "#f3f5f8",
  rulerText: "#5f6b7a",
  line: "#d9dee6",
  wave: "#51607a",
  waveGround: "#ffffff",
  strip: "#f6f7f9",
  caption: "rgba(95, 107, 122, 0.55)",
  playhead: "#b3261e",
  hover: "rgba(29, 35, 48, 0.35)",
  selectedOutline: "#1d2330",
};
const DASH = [4, 3];
const NO_DASH = [];

const players = new WeakMap();

/** The player of data key `key` on this core, created on first use. */
export function sharedAudioPlayer(core, key) {
  let registry = players.get(core);
  if (!registry) players.set(core, (registry = new Map()));
  if (!registry.has(key)) {
    const player = createPlayer(core, key);
    registry.set(key, player);
    exposeForTests(player);
  }
  return registry.get(key);
}

/** Puts the player in the task panel, above the task's data (once). */
export function placePlayer(core, player, widgetElement) {
  if (player.element.isConnected) return;
  const { taskElement, dataElement } = core.elements ?? {};
  if (taskElement && dataElement?.parentElement === taskElement) taskElement.insertBefore(player.element, dataElement);
  else if (taskElement) taskElement.prepend(player.element);
  else widgetElement.prepend(player.element);
}

function createPlayer(core, key) {
  const layers = [];
  const listeners = [];
  const element = makeElement("section", "audio-player");
  element.dataset.audioKey = key;
  element.setAttribute("aria-label", `Audio "${key}"`);

  const audio = makeElement("audio", "audio-element");
  audio.preload = "metadata";

  // Controls
  const bar = makeElement("div", "audio-bar");
  const playIcon = makeElement("span", "audio-play-icon", "▶");
  playIcon.setAttribute("aria-hidden", "true");
  const play = makeButton("audio-play", playIcon, "Play or pause", "space");
  play.setAttribute("aria-pressed", "false");
  play.setAttribute("aria-label", "Play");
  const readout = makeElement("span", "audio-time");
  readout.setAttribute("aria-label", "Playhead time / length");
  const speedLabel = makeElement("label", "audio-speed");
  speedLabel.title = "Playback speed (< slower, > faster)";
  const speed = makeElement("select", "audio-speed-select");
  for (const value of SPEEDS) {
    const option = makeElement("option", "", `${value}×`);
    option.value = String(value);
    speed.append(option);
  }
  speed.value = "1";
  speedLabel.append("Speed ", speed);
  const zoomGroup = makeElement("span", "audio-zoom");
  zoomGroup.setAttribute("role", "group");
  zoomGroup.setAttribute("aria-label", "Zoom");
  const zoomOut = makeButton("audio-zoom-out", "−", "Zoom out (-; ctrl+wheel)", "-");
  zoomOut.setAttribute("aria-label", "Zoom out");
  const zoomIn = makeButton("audio-zoom-in", "+", "Zoom in (+; ctrl+wheel)", "+");
  zoomIn.setAttribute("aria-label", "Zoom in");
  const zoomFit = makeButton("audio-zoom-fit", "Whole file", "Show the whole file", "0");
  zoomGroup.append(zoomOut, zoomIn, zoomFit);
  const loadState = makeElement("span", "audio-load-state muted");
  loadState.setAttribute("aria-live", "polite");
  bar.append(play, readout, speedLabel, zoomGroup, loadState);

  // The stage: the drawing (ruler, waveform, region strips) and the overlay (playhead, marks) over it.
  const stage = makeElement("div", "audio-stage");
  stage.tabIndex = 0;
  stage.setAttribute("role", "slider");
  stage.setAttribute("aria-label", "Waveform: click to go to a time, drag to mark a region");
  stage.setAttribute("aria-valuemin", "0");
  const base = makeElement("canvas", "audio-canvas");
  const overlay = makeElement("canvas", "audio-overlay");
  overlay.setAttribute("aria-hidden", "true");
  base.setAttribute("aria-hidden", "true");
  const message = makeElement("p", "audio-message");
  message.hidden = true;
  stage.append(base, overlay, message);
  const scroller = makeElement("div", "audio-scroll");
  scroller.setAttribute("aria-hidden", "true");
  const scrollInner = makeElement("div", "audio-scroll-inner");
  scroller.append(scrollInner);
  const keys = keysHelp();
  element.append(bar, stage, scroller, keys);

  const baseCtx = base.getContext("2d");
  const overlayCtx = overlay.getContext("2d");

  // State
  let taskId;
  let loadToken = 0;
  let url = null;
  let duration = 0;
  let peaksPerSecond = 100;
  let levels = null;
  let time = 0;
  let playing = false;
  let clock = "none"; // "audio" | "virtual" | "waiting" while playing
  let virtualFrom = 0;
  let virtualAt = 0;
  let stopAt = -1;
  let rate = 1;
  let audioFailed = false;
  let silentNoted = false;
  let rafId = 0;
  let pxPerSecond = 100;
  let viewStart = 0;
  let width = 0;
  let height = RULER_H + WAVE_H;
  let dpr = 1;
  let active = null;
  let gesture = null;
  let hoverX = -1;
  let cursor = "";
  let shownTenth = -1;
  let strips = [];
  let layoutQueued = false;
  const states = { wave: "", sound: "" };
  const timings = { start: 0, infoMs: null, peaksMs: null, firstWaveformMs: null, baseDraws: 0, lastBaseDrawMs: 0 };

  const player = {
    key,
    element,
    audio,
    get time() {
      return time;
    },
    get duration() {
      return duration;
    },
    get playing() {
      return playing;
    },
    get rate() {
      return rate;
    },
    get loaded() {
      return duration > 0;
    },
    get peaksLoaded() {
      return levels !== null;
    },
    get clock() {
      return clock;
    },
    get view() {
      return { start: viewStart, end: viewStart + (width || 1) / pxPerSecond, pxPerSecond, width, height };
    },
    get active() {
      return active;
    },
    get layers() {
      return layers;
    },
    timings,
    attach(layer) {
      layers.push(layer);
      active ??= layer;
    },
    listen(listener) {
      listeners.push(listener);
    },
    /** Makes a segments layer the one that keys and drags on the waveform act on. */
    activate(layer) {
      if (active === layer) return;
      active = layer;
      for (const each of layers) each.activeChanged?.(each === layer);
      requestLayout();
    },
    /** One region is selected at a time over all the fields of this audio. */
    claimSelection(owner) {
      for (const layer of layers) if (layer !== owner) layer.clearSelection?.();
      if (owner) player.activate(owner);
      for (const listener of listeners) listener.selectionChanged?.();
      requestLayout();
    },
    show(task) {
      if (task === undefined || (taskId !== undefined && taskId === (task.id ?? task))) return;
      taskId = task.id ?? task;
      load(task);
    },
    seek,
    play: () => startPlaying(-1),
    pause,
    togglePlay,
    /** Plays [start, end) and stops at its end. */
    playRange(start, end) {
      seek(start);
      startPlaying(end);
    },
    setRate,
    zoomBy,
    zoomTo,
    fit,
    scrollTo: (start) => setView(start, pxPerSecond),
    refresh: requestLayout,
    render() {
      layoutQueued = false;
      layout();
      drawBase();
      drawOverlay();
    },
    redrawOverlay: drawOverlay,
    handleKey,
    /** Page x (client px) of a time, and the time at a page x: for tests and the widgets. */
    timeToClientX(t) {
      return stage.getBoundingClientRect().left + (t - viewStart) * pxPerSecond;
    },
    clientXToTime(x) {
      return viewStart + (x - stage.getBoundingClientRect().left) / pxPerSecond;
    },
    /** The page y of the middle of the waveform, and of a layer's lane. */
    waveClientY() {
      return stage.getBoundingClientRect().top + RULER_H + WAVE_H / 2;
    },
    laneClientY(layer, lane = 0) {
      const strip = strips.find((each) => each.layer === layer);
      return strip ? stage.getBoundingClientRect().top + strip.top + lane * LANE_H + LANE_H / 2 : null;
    },
    laneOf(layer, id) {
      const strip = strips.find((each) => each.layer === layer);
      const index = strip ? strip.regions.findIndex((region) => region.id === id) : -1;
      return index >= 0 ? strip.lanes[index] : null;
    },
    setStatus(text, isError = false) {
      core.setStatus?.(text, isError);
    },
  };

  // Loading: the info (length, peaks URL), then the audio element's source and the peaks.

  async function load(task) {
    const token = ++loadToken;
    timings.start = performance.now();
    timings.infoMs = timings.peaksMs = timings.firstWaveformMs = null;
    pause();
    gesture = null;
    duration = 0;
    levels = null;
    time = 0;
    audioFailed = false;
    silentNoted = false;
    url = null;
    audio.removeAttribute("src");
    audio.load();
    delete element.dataset.waveform;
    setState("wave", "");
    setState("sound", "");
    showMessage("");
    updateReadout(true);
    drawBase();
    drawOverlay();
    const source = task.data?.[key];
    url = mediaURL(source);
    if (!url) {
      showMessage(typeof source === "string" && source ? `"${key}" is not an uploaded audio file (a Gloss media URL).` : `This task has no audio under "${key}".`);
      requestLayout();
      notifyLoaded();
      return;
    }
    setState("wave", "Loading the audio…");
    let info;
    try {
      const response = await fetch(`${url}/info`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      info = await response.json();
      if (info?.kind && info.kind !== "audio") throw new Error(`it is ${info.kind}, not audio`);
      if (!(Number(info?.duration_s) > 0)) throw new Error("the server gives no length for it");
    } catch (error) {
      if (token !== loadToken) return;
      setState("wave", "");
      showMessage(`Could not load the audio: ${error.message}.`);
      requestLayout();
      notifyLoaded();
      return;
    }
    if (token !== loadToken) return;
    timings.infoMs = performance.now() - timings.start;
    duration = Number(info.duration_s);
    peaksPerSecond = Number(info.peaks_per_second) > 0 ? Number(info.peaks_per_second) : 100;
    audio.src = url;
    audio.playbackRate = rate;
    stage.setAttribute("aria-valuemax", duration.toFixed(3));
    element.dataset.duration = String(duration);
    width = stage.clientWidth;
    pxPerSecond = initialZoom(width || 800, duration);
    viewStart = 0;
    setState("wave", "Loading the waveform…");
    layout();
    syncScroller();
    drawBase();
    drawOverlay();
    updateReadout(true);
    notifyLoaded();
    const peaksURL = mediaSubpath(info.peaks_url) ?? `${url}/peaks`;
    try {
      const response = await fetch(peaksURL, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const bytes = new Int8Array(await response.arrayBuffer());
      if (token !== loadToken) return;
      levels = buildPeakLevels(bytes);
      timings.peaksMs = performance.now() - timings.start;
      setState("wave", "");
      drawBase();
      timings.firstWaveformMs = performance.now() - timings.start;
      element.dataset.waveform = "ready";
    } catch (error) {
      if (token !== loadToken) return;
      setState("wave", `No waveform (${error.message}); the audio still plays.`);
    }
  }

  function notifyLoaded() {
    for (const layer of layers) layer.loaded?.();
    for (const listener of listeners) listener.loaded?.();
  }

  /** The load line: the waveform's state and the sound's, each kept apart (a late audio error stays shown). */
  function setState(which, text) {
    states[which] = text;
    loadState.textContent = [states.wave, states.sound].filter(Boolean).join(" ");
  }

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  audio.addEventListener("error", () => {
    if (!audio.getAttribute("src")) return;
    audioFailed = true;
    if (playing && clock !== "virtual") startVirtual();
    setState("sound", "The audio could not be loaded: the playhead runs silently.");
  });
  audio.addEventListener("ended", () => {
    if (playing && clock === "audio") {
      time = duration;
      pause();
    }
  });

  // Time and playing. While playing, the time is the audio element's; where the audio cannot play (no sound
  // device, a failed file) a clock runs the playhead at the same speed, so marking still works.

  function seek(t, { reveal = true } = {}) {
    const target = clamp(Number(t) || 0, 0, duration);
    time = target;
    if (playing) {
      if (clock === "audio" || clock === "waiting") audio.currentTime = target;
      if (clock === "virtual") {
        virtualFrom = target;
        virtualAt = performance.now();
      }
    }
    if (reveal) revealTime(target);
    timeMoved();
  }

  function startPlaying(until) {
    if (!duration) return;
    if (until < 0 && time >= duration - 0.005) time = 0;
    stopAt = until;
    if (playing) return;
    playing = true;
    playIcon.textContent = "❚❚";
    play.setAttribute("aria-pressed", "true");
    play.setAttribute("aria-label", "Pause");
    element.dataset.playing = "true";
    if (audioFailed || !url) {
      startVirtual();
    } else {
      clock = "waiting";
      audio.playbackRate = rate;
      try {
        audio.currentTime = time;
      } catch {
        // not seekable yet: it starts from 0 and the first frame moves it
      }
      const token = loadToken;
      audio.play().then(
        () => {
          if (playing && token === loadToken && clock === "waiting") clock = "audio";
        },
        (error) => {
          if (!playing || token !== loadToken || clock !== "waiting") return;
          startVirtual();
          if (!silentNoted) {
            silentNoted = true;
            setState("sound", `No sound (${error?.name ?? "the browser refused"}): the playhead runs silently.`);
          }
        },
      );
    }
    virtualAt = performance.now();
    if (!rafId) rafId = requestAnimationFrame(tick);
  }

  function startVirtual() {
    clock = "virtual";
    virtualFrom = time;
    virtualAt = performance.now();
    if (!audio.paused) audio.pause();
  }

  function pause() {
    if (!playing) return;
    playing = false;
    if (clock === "audio") time = clamp(audio.currentTime, 0, duration);
    else if (clock === "virtual") time = clamp(virtualFrom + ((performance.now() - virtualAt) / 1000) * rate, 0, duration);
    if (stopAt >= 0 && time > stopAt) time = stopAt;
    clock = "none";
    stopAt = -1;
    if (!audio.paused) audio.pause();
    if (rafId) cancelAnimationFrame(rafId);
    rafId = 0;
    playIcon.textContent = "▶";
    play.setAttribute("aria-pressed", "false");
    play.setAttribute("aria-label", "Play");
    element.dataset.playing = "false";
    timeMoved();
  }

  function togglePlay() {
    if (playing) pause();
    else startPlaying(-1);
  }

  function setRate(value) {
    const next = SPEEDS.includes(Number(value)) ? Number(value) : 1;
    if (clock === "virtual") {
      virtualFrom = virtualFrom + ((performance.now() - virtualAt) / 1000) * rate;
      virtualAt = performance.now();
    }
    rate = next;
    audio.playbackRate = rate;
    speed.value = String(rate);
  }

  function rateStep(direction) {
    const index = SPEEDS.indexOf(rate);
    setRate(SPEEDS[clamp((index < 0 ? SPEEDS.indexOf(1) : index) + direction, 0, SPEEDS.length - 1)]);
    player.setStatus(`Speed ${rate}×`);
  }

  /** One animation frame while playing: the time from the clock, the view follows, the overlay moves. */
  function tick(now) {
    rafId = 0;
    if (!playing) return;
    if (clock === "audio") {
      if (audio.paused && !audio.seeking) {
        pause();
        return;
      }
      time = audio.currentTime;
    } else if (clock === "virtual") {
      time = virtualFrom + (Math.max(0, now - virtualAt) / 1000) * rate;
    }
    let done = false;
    if (stopAt >= 0 && time >= stopAt) {
      time = stopAt;
      done = true;
    }
    if (time >= duration) {
      time = duration;
      done = true;
    }
    follow();
    if (done) {
      pause();
      return;
    }
    timeMoved();
    rafId = requestAnimationFrame(tick);
  }

  /** While playing, the view turns a page when the playhead nears its right edge. */
  function follow() {
    const span = width / pxPerSecond;
    if (!(span > 0)) return;
    if (time > viewStart + span * 0.95 || time < viewStart) setView(time - span * 0.05, pxPerSecond);
  }

  /** Scrolls so that `t` is in view (a seek by key or by a list). */
  function revealTime(t) {
    const span = width / pxPerSecond;
    if (!(span > 0)) return;
    if (t < viewStart || t > viewStart + span * 0.98) setView(t - span * 0.3, pxPerSecond);
  }

  /** Everything that shows the time: overlay, readout, the fields' "current" marks. Allocates nothing per frame
   * except the readout's text, at most ten times a second. */
  function timeMoved() {
    drawOverlay();
    updateReadout(false);
    for (let i = 0; i < layers.length; i++) layers[i].timeChanged?.(time);
    for (let i = 0; i < listeners.length; i++) listeners[i].timeChanged?.(time);
  }

  function updateReadout(force) {
    const tenth = playing ? Math.floor(time * 10) : -2;
    if (!force && tenth === shownTenth && playing) return;
    shownTenth = tenth;
    readout.textContent = `${clockText(time)} / ${clockText(duration)}`;
    stage.setAttribute("aria-valuenow", time.toFixed(3));
    stage.setAttribute("aria-valuetext", clockText(time));
    element.dataset.time = time.toFixed(3);
  }

  // The view: zoom (px a second) and the time at the left edge; a native scrollbar under the stage.

  function setView(start, px) {
    const limits = zoomLimits(width || 800, duration);
    pxPerSecond = clamp(px, limits.min, limits.max);
    const span = (width || 800) / pxPerSecond;
    viewStart = clamp(start, 0, Math.max(0, duration - span));
    syncScroller();
    drawBase();
    drawOverlay();
  }

  function zoomTo(px, anchorTime = null) {
    if (!duration) return;
    const anchor = anchorTime ?? (time >= viewStart && time <= viewStart + width / pxPerSecond ? time : viewStart + width / pxPerSecond / 2);
    const offset = (anchor - viewStart) * pxPerSecond;
    const limits = zoomLimits(width || 800, duration);
    const next = clamp(px, limits.min, limits.max);
    setView(anchor - offset / next, next);
  }

  function zoomBy(factor, anchorTime = null) {
    zoomTo(pxPerSecond * factor, anchorTime);
  }

  function fit() {
    if (!duration) return;
    setView(0, zoomLimits(width || 800, duration).min);
  }

  let expectedScroll = -1;
  function syncScroller() {
    const content = duration * pxPerSecond;
    const scale = content > SCROLL_MAX_PX ? SCROLL_MAX_PX / content : 1;
    scrollInner.style.width = `${Math.max(content * scale, 1)}px`;
    const span = width / pxPerSecond;
    const maxStart = Math.max(0, duration - span);
    const maxScroll = scroller.scrollWidth - scroller.clientWidth;
    const target = maxStart > 0 ? Math.round((viewStart / maxStart) * maxScroll) : 0;
    if (Math.abs(scroller.scrollLeft - target) > 1) {
      expectedScroll = target;
      scroller.scrollLeft = target;
    }
    scroller.hidden = maxStart <= 0;
  }

  scroller.addEventListener("scroll", () => {
    // The scroll this player set itself (the view is there already).
    if (expectedScroll >= 0 && Math.abs(scroller.scrollLeft - expectedScroll) <= 1) {
      expectedScroll = -1;
      return;
    }
    expectedScroll = -1;
    const span = width / pxPerSecond;
    const maxStart = Math.max(0, duration - span);
    const maxScroll = scroller.scrollWidth - scroller.clientWidth;
    if (maxScroll <= 0) return;
    const start = (scroller.scrollLeft / maxScroll) * maxStart;
    if (Math.abs(start - viewStart) * pxPerSecond < 1) return;
    viewStart = start;
    drawBase();
    drawOverlay();
  });

  // Layout and drawing

  function requestLayout() {
    if (layoutQueued) return;
    layoutQueued = true;
    queueMicrotask(() => {
      if (!layoutQueued) return;
      layoutQueued = false;
      layout();
      drawBase();
      drawOverlay();
    });
  }

  /** The strips of the segments fields under the waveform (one lane per line of overlapping regions) and
   * the stage's size. */
  function layout() {
    let top = RULER_H + WAVE_H;
    strips = layers.map((layer) => {
      const regions = layer.shownRegions();
      const { lanes, count } = assignLanes(regions);
      const strip = { layer, regions, lanes, count, top: top + STRIP_GAP };
      top = strip.top + count * LANE_H;
      return strip;
    });
    const nextHeight = top + 2;
    const nextWidth = stage.clientWidth;
    const nextDpr = window.devicePixelRatio || 1;
    if (nextHeight !== height || nextWidth !== width || nextDpr !== dpr || base.width !== Math.round(nextWidth * nextDpr)) {
      const widthChanged = nextWidth !== width;
      height = nextHeight;
      width = nextWidth;
      dpr = nextDpr;
      stage.style.height = `${height + 2}px`; // and its border
      for (const canvas of [base, overlay]) {
        canvas.width = Math.max(1, Math.round(width * dpr));
        canvas.height = Math.max(1, Math.round(height * dpr));
        canvas.style.height = `${height}px`;
      }
      if (widthChanged && duration) {
        const limits = zoomLimits(width || 800, duration);
        pxPerSecond = clamp(pxPerSecond, limits.min, limits.max);
        viewStart = clamp(viewStart, 0, Math.max(0, duration - width / pxPerSecond));
        syncScroller();
      }
    }
  }

  const resizeObserver = new ResizeObserver(() => {
    if (stage.clientWidth === width) return;
    layout();
    drawBase();
    drawOverlay();
  });
  resizeObserver.observe(stage);

  const xOf = (t) => (t - viewStart) * pxPerSecond;

  function drawBase() {
    if (!width) return;
    const started = performance.now();
    const ctx = baseCtx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = COLORS.ruler;
    ctx.fillRect(0, 0, width, RULER_H);
    ctx.fillStyle = COLORS.waveGround;
    ctx.fillRect(0, RULER_H, width, WAVE_H);
    if (!duration) return;
    const viewEnd = viewStart + width / pxPerSecond;
    const endX = Math.min(width, xOf(duration));
    drawRuler(ctx, { viewStart, pxPerSecond, width: endX, height: RULER_H, color: COLORS.rulerText, lineColor: COLORS.line, font: FONT });

    // Regions as tints over the waveform (the selected one stronger, with its edges).
    for (const strip of strips) {
      const { layer } = strip;
      for (const region of strip.regions) {
        if (region.end < viewStart || region.start > viewEnd) continue;
        const style = layer.styleOf(region.label);
        const selected = region.id === layer.selectedId;
        const x0 = Math.max(xOf(region.start), -2);
        const x1 = Math.min(xOf(region.end), width + 2);
        ctx.fillStyle = selected ? style.tintStrong : style.tint;
        ctx.fillRect(x0, RULER_H, x1 - x0, WAVE_H);
        if (selected) {
          ctx.fillStyle = style.color;
          ctx.fillRect(Math.round(x0) - 1, RULER_H, 2, WAVE_H);
          ctx.fillRect(Math.round(x1) - 1, RULER_H, 2, WAVE_H);
        }
      }
    }
    // The audio's end, when in view.
    if (endX < width) {
      ctx.fillStyle = COLORS.strip;
      ctx.fillRect(endX, RULER_H, width - endX, height - RULER_H);
    }
    if (levels) {
      drawWaveform(ctx, levels, { peaksPerSecond, viewStart, pxPerSecond, width: endX, top: RULER_H, height: WAVE_H, dpr, color: COLORS.wave, duration });
    } else {
      ctx.fillStyle = COLORS.line;
      ctx.fillRect(0, RULER_H + WAVE_H / 2, endX, 1);
    }

    // The strips: a caption, then each region as a bar with its label.
    ctx.font = BAR_FONT;
    ctx.textBaseline = "middle";
    for (const strip of strips) {
      const { layer } = strip;
      const isActive = layer === active && strips.length > 1;
      ctx.fillStyle = COLORS.strip;
      ctx.fillRect(0, strip.top, endX, strip.count * LANE_H);
      if (isActive) {
        ctx.fillStyle = COLORS.selectedOutline;
        ctx.fillRect(0, strip.top, 3, strip.count * LANE_H);
      }
      ctx.fillStyle = COLORS.caption;
      ctx.textAlign = "right";
      ctx.fillText(layer.caption, endX - 6, strip.top + LANE_H / 2);
      ctx.textAlign = "left";
      strip.regions.forEach((region, index) => {
        if (region.end < viewStart || region.start > viewEnd) return;
        const style = layer.styleOf(region.label);
        const selected = region.id === layer.selectedId;
        const y = strip.top + strip.lanes[index] * LANE_H + 2;
        const x0 = xOf(region.start);
        const x1 = xOf(region.end);
        const w = Math.max(x1 - x0, 2);
        ctx.fillStyle = selected ? style.barStrong : style.bar;
        ctx.fillRect(x0, y, w, LANE_H - 4);
        if (selected) {
          ctx.strokeStyle = COLORS.selectedOutline;
          ctx.lineWidth = 2;
          ctx.strokeRect(x0 + 1, y + 1, w - 2, LANE_H - 6);
        }
        if (w > 24) {
          ctx.save();
          ctx.beginPath();
          ctx.rect(Math.max(x0, 0), y, Math.min(x1, width) - Math.max(x0, 0), LANE_H - 4);
          ctx.clip();
          ctx.fillStyle = style.ink;
          ctx.fillText(`${region.id} ${layer.textOf(region.label)}`, Math.max(x0, 0) + 5, y + (LANE_H - 4) / 2 + 0.5);
          ctx.restore();
        }
      });
    }
    timings.baseDraws++;
    timings.lastBaseDrawMs = performance.now() - started;
  }

  /** The overlay, drawn every frame while playing: the pending mark, the pointer's time and the playhead.
   * Allocates nothing. */
  function drawOverlay() {
    const ctx = overlayCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (!duration || !width) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    for (let i = 0; i < strips.length; i++) {
      const layer = strips[i].layer;
      const pending = layer.pendingStart;
      if (pending === null || pending === undefined) continue;
      const style = layer.currentStyle();
      const a = xOf(Math.min(pending, time));
      const b = xOf(Math.max(pending, time));
      ctx.fillStyle = style.tint;
      ctx.fillRect(a, RULER_H, Math.max(b - a, 1), WAVE_H);
      ctx.fillRect(a, strips[i].top, Math.max(b - a, 1), strips[i].count * LANE_H);
      ctx.strokeStyle = style.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(DASH);
      ctx.beginPath();
      const x = Math.round(xOf(pending)) + 0.5;
      ctx.moveTo(x, RULER_H);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.setLineDash(NO_DASH);
    }
    if (hoverX >= 0 && !gesture) {
      ctx.fillStyle = COLORS.hover;
      ctx.fillRect(Math.round(hoverX), RULER_H, 1, height - RULER_H);
    }
    const x = Math.round(xOf(time));
    if (x >= -2 && x <= width + 2) {
      ctx.fillStyle = COLORS.playhead;
      ctx.fillRect(x - 1, 0, 2, height);
      ctx.beginPath();
      ctx.moveTo(x - 5, 0);
      ctx.lineTo(x + 5, 0);
      ctx.lineTo(x, 7);
      ctx.closePath();
      ctx.fill();
    }
  }

  // The pointer: click to seek, drag on the waveform to mark a region in the active field, drag a region's
  // edge to resize it, click a region to select it; in a field's strip, drag empty space to mark a region of
  // that field and drag a region's bar to move it.

  function pointAt(event) {
    const rect = stage.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    return { x, y, t: clamp(viewStart + x / pxPerSecond, 0, duration) };
  }

  function zoneAt(y) {
    if (y < RULER_H) return { zone: "ruler" };
    if (y < RULER_H + WAVE_H) return { zone: "wave" };
    for (const strip of strips) {
      if (y >= strip.top - STRIP_GAP && y < strip.top + strip.count * LANE_H) {
        return { zone: "strip", strip, lane: clamp(Math.floor((y - strip.top) / LANE_H), 0, strip.count - 1) };
      }
    }
    return { zone: "none" };
  }

  /** The region edge nearest to x (within the handle width): in a strip, that lane's; over the waveform, the
   * selected region's first, then the active field's, then any. */
  function edgeAt(x, where) {
    let best = null;
    let bestScore = Infinity;
    const consider = (strip, index) => {
      const region = strip.regions[index];
      for (const edge of ["start", "end"]) {
        const distance = Math.abs(xOf(region[edge]) - x);
        if (distance > HANDLE_PX) continue;
        const rank = region.id === strip.layer.selectedId ? 0 : strip.layer === active ? 1 : 2;
        const score = rank * 100 + distance;
        if (score < bestScore) {
          bestScore = score;
          best = { layer: strip.layer, region, edge };
        }
      }
    };
    if (where.zone === "strip") {
      where.strip.regions.forEach((region, index) => where.strip.lanes[index] === where.lane && consider(where.strip, index));
    } else if (where.zone === "wave") {
      for (const strip of strips) strip.regions.forEach((region, index) => consider(strip, index));
    }
    return best;
  }

  /** The region under time t: in a strip, on that lane; over the waveform, the active field's first. */
  function regionAt(t, where) {
    if (where.zone === "strip") {
      const index = where.strip.regions.findIndex((region, i) => where.strip.lanes[i] === where.lane && region.start <= t && region.end >= t);
      return index >= 0 ? { layer: where.strip.layer, region: where.strip.regions[index] } : null;
    }
    const ordered = [...strips].sort((a, b) => (b.layer === active) - (a.layer === active));
    for (const strip of ordered) {
      // The shortest region there (a short one over a long one stays reachable).
      let found = null;
      for (const region of strip.regions) {
        if (region.start <= t && region.end >= t && (!found || region.end - region.start < found.end - found.start)) found = region;
      }
      if (found) return { layer: strip.layer, region: found };
    }
    return null;
  }

  /** Where a region of `layer` may lie (its own edges left out): its free gap in a field without overlap. */
  function roomFor(layer, region) {
    if (layer.overlap) return { low: 0, high: duration };
    const middle = (region.start + region.end) / 2;
    return freeGap(layer.regions(), middle, duration, region.id) ?? { low: 0, high: duration };
  }

  stage.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !duration) return;
    event.preventDefault();
    stage.focus({ preventScroll: true });
    const p = pointAt(event);
    const where = zoneAt(p.y);
    if (where.zone === "none") return;
    const edge = where.zone === "ruler" ? null : edgeAt(p.x, where);
    if (where.zone === "ruler") {
      gesture = { kind: "scrub" };
      seek(p.t, { reveal: false });
    } else if (edge) {
      edge.layer.select(edge.region.id, { seek: false });
      const room = roomFor(edge.layer, edge.region);
      gesture = { kind: "resize", layer: edge.layer, id: edge.region.id, edge: edge.edge, start: edge.region.start, end: edge.region.end, room, moved: false };
    } else if (where.zone === "strip") {
      const hit = regionAt(p.t, where);
      if (hit) {
        hit.layer.select(hit.region.id, { seek: false });
        gesture = { kind: "move", layer: hit.layer, id: hit.region.id, start: hit.region.start, end: hit.region.end, x0: p.x, t0: p.t, room: roomFor(hit.layer, hit.region), moved: false };
      } else {
        player.activate(where.strip.layer);
        gesture = { kind: "create", layer: where.strip.layer, x0: p.x, t0: p.t, moved: false, click: "strip" };
      }
    } else {
      gesture = { kind: "press", x0: p.x, t0: p.t, moved: false };
    }
    stage.setPointerCapture(event.pointerId);
    drawOverlay();
  });

  stage.addEventListener("pointermove", (event) => {
    const p = pointAt(event);
    if (!gesture) {
      hoverX = duration && p.y >= RULER_H ? p.x : -1;
      const where = zoneAt(p.y);
      const next = !duration ? "" : where.zone === "ruler" ? "pointer" : edgeAt(p.x, where) ? "ew-resize" : where.zone === "strip" && regionAt(p.t, where) ? "grab" : where.zone === "none" ? "" : "crosshair";
      if (next !== cursor) stage.style.cursor = cursor = next;
      drawOverlay();
      return;
    }
    const moved = Math.abs(p.x - (gesture.x0 ?? p.x)) > CLICK_PX;
    if (gesture.kind === "scrub") return seek(p.t, { reveal: false });
    if (gesture.kind === "press" && moved) {
      // A drag over the waveform marks a region of the active field, unless it starts inside one of that
      // field's regions where they may not overlap: then it scrubs.
      const layer = active;
      const gap = layer && !layer.overlap ? freeGap(layer.regions(), gesture.t0, duration) : { low: 0, high: duration };
      if (!layer || !layer.canCreate(true) || !gap) gesture = { kind: "scrub" };
      else gesture = { kind: "create", layer, x0: gesture.x0, t0: gesture.t0, moved: true, gap };
    }
    if (gesture.kind === "create") {
      if (!moved && !gesture.moved) return;
      gesture.moved = true;
      gesture.gap ??= gesture.layer.overlap ? { low: 0, high: duration } : freeGap(gesture.layer.regions(), gesture.t0, duration);
      if (!gesture.gap) return;
      const a = clamp(Math.min(gesture.t0, p.t), gesture.gap.low, gesture.gap.high);
      const b = clamp(Math.max(gesture.t0, p.t), gesture.gap.low, gesture.gap.high);
      gesture.layer.setPreview({ id: null, label: gesture.layer.currentLabel, start: a, end: b });
    } else if (gesture.kind === "resize") {
      gesture.moved = true;
      const { room } = gesture;
      let { start, end } = gesture;
      if (gesture.edge === "start") start = clamp(p.t, room.low, end - MIN_REGION_S);
      else end = clamp(p.t, start + MIN_REGION_S, room.high);
      gesture.layer.setPreview({ id: gesture.id, start, end });
    } else if (gesture.kind === "move") {
      if (!moved && !gesture.moved) return;
      gesture.moved = true;
      const length = gesture.end - gesture.start;
      const start = clamp(gesture.start + (p.t - gesture.t0), gesture.room.low, gesture.room.high - length);
      gesture.layer.setPreview({ id: gesture.id, start, end: start + length });
    }
    layout();
    drawBase();
    drawOverlay();
  });

  function endGesture(event, cancelled) {
    const current = gesture;
    gesture = null;
    if (!current) return;
    if (event && stage.hasPointerCapture?.(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    const preview = current.layer?.takePreview?.();
    if (cancelled) return requestLayout();
    if (current.kind === "press" || (current.kind === "create" && !current.moved)) {
      // A click: go there, and select the region under it over the waveform (a click on an empty part of a
      // strip, or on no region, selects nothing).
      seek(current.t0, { reveal: false });
      const hit = current.kind === "press" ? regionAt(current.t0, { zone: "wave" }) : null;
      if (hit) hit.layer.select(hit.region.id, { seek: false });
      else {
        for (const layer of layers) layer.clearSelection();
        player.claimSelection(current.layer ?? null);
      }
    } else if (current.kind === "create" && preview && preview.end - preview.start >= MIN_REGION_S) {
      current.layer.createRegion(preview.start, preview.end);
    } else if ((current.kind === "resize" || current.kind === "move") && preview && current.moved) {
      current.layer.updateRegion(current.id, preview.start, preview.end);
    }
    requestLayout();
  }

  stage.addEventListener("pointerup", (event) => endGesture(event, false));
  stage.addEventListener("pointercancel", (event) => endGesture(event, true));
  stage.addEventListener("pointerleave", () => {
    hoverX = -1;
    if (!gesture) drawOverlay();
  });
  stage.addEventListener("wheel", (event) => {
    if (!duration) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      const p = pointAt(event);
      zoomBy(Math.exp(-event.deltaY * 0.0025), p.t);
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      event.preventDefault();
      const delta = event.deltaX || event.deltaY;
      setView(viewStart + delta / pxPerSecond, pxPerSecond);
    }
  }, { passive: false });

  // Controls
  play.addEventListener("click", togglePlay);
  speed.addEventListener("change", () => setRate(speed.value));
  zoomIn.addEventListener("click", () => zoomBy(ZOOM_STEP));
  zoomOut.addEventListener("click", () => zoomBy(1 / ZOOM_STEP));
  zoomFit.addEventListener("click", fit);

  // Keys: the player's own (playing, seeking, zoom, speed) and the active field's (marking, labels, regions).
  // Only the first field on this audio passes keys here, so each key acts once.

  function handleKey(name, event, from) {
    if (from !== layers[0]) return false;
    const target = event?.target;
    if (isSelectTarget(target)) return false;
    if (!duration) return false;
    const field = active ?? layers[0];
    const freeTarget = !target || target === document.body || target === document.documentElement || target === stage;
    // A focused button, link, checkbox or summary keeps its own Space.
    const control = Boolean(target?.closest?.("button, a[href], input, summary, [role=button]"));
    if (field?.labelKey(name)) return true;
    for (const layer of layers) if (layer !== field && layer.labelKey(name)) return true;
    switch (name) {
      case "space":
        if (control) return false;
        togglePlay();
        return true;
      case "p":
        playSelection();
        return true;
      case "[":
        return field.markStart();
      case "]":
        return field.markEnd();
      case "{":
        return field.setEdgeAtPlayhead("start");
      case "}":
        return field.setEdgeAtPlayhead("end");
      case "escape":
        if (gesture) {
          endGesture(null, true);
          return true;
        }
        if (layers.some((layer) => layer.cancelPending())) return true;
        if (layers.some((layer) => layer.selectedId)) {
          for (const layer of layers) layer.clearSelection();
          player.claimSelection(null);
          return true;
        }
        return false;
      case "tab":
      case "shift+tab":
        return freeTarget && field.step(name === "tab" ? 1 : -1);
      case "delete":
      case "backspace":
        return layers.some((layer) => layer.removeSelected());
      case "arrowleft":
      case "arrowright":
      case "shift+arrowleft":
      case "shift+arrowright":
        seek(time + (name.endsWith("left") ? -1 : 1) * (name.startsWith("shift") ? 1 : 0.1));
        return true;
      case "alt+arrowleft":
      case "alt+arrowright":
      case "alt+shift+arrowleft":
      case "alt+shift+arrowright": {
        // Always taken: alt+← would otherwise leave the page.
        const selected = layers.find((layer) => layer.selectedId);
        if (!selected) player.setStatus("Select a segment first (Tab, or click it) to move its edges.", true);
        else selected.nudgeEdge(name.includes("shift") ? "end" : "start", name.endsWith("left") ? -0.05 : 0.05);
        return true;
      }
      case "home":
        seek(0);
        return true;
      case "end":
        seek(duration);
        return true;
      case "+":
      case "=":
        zoomBy(ZOOM_STEP);
        return true;
      case "-":
        zoomBy(1 / ZOOM_STEP);
        return true;
      case "0":
        fit();
        return true;
      case "<":
      case ">":
        rateStep(name === "<" ? -1 : 1);
        return true;
      default:
        return false;
    }
  }

  function playSelection() {
    const layer = layers.find((each) => each.selectedId);
    const region = layer?.regions().find((each) => each.id === layer.selectedId);
    if (!region) return togglePlay();
    if (playing) pause();
    player.playRange(region.start, region.end);
  }

  return player;
}

function keysHelp() {
  const details = makeElement("details", "audio-keys");
  details.append(makeElement("summary", "", "Keys"));
  const list = makeElement("dl", "audio-keys-list");
  const rows = [
    ["space", "play / pause"],
    ["p", "play the selected segment"],
    ["← →", "playhead 0.1 s (shift: 1 s)"],
    ["[ ]", "start / end a segment at the playhead"],
    ["{ }", "move the selected segment's start / end to the playhead"],
    ["alt+← →", "nudge the selected start (alt+shift: end) by 0.05 s"],
    ["1–9, label keys", "choose the label (relabels the selected segment)"],
    ["Tab, shift+Tab", "next / previous segment"],
    ["Delete", "delete the selected segment"],
    ["Esc", "cancel the mark / deselect"],
    ["+ − 0", "zoom in / out / whole file (ctrl+wheel zooms)"],
    ["< >", "slower / faster"],
  ];
  for (const [key, text] of rows) {
    const term = makeElement("dt");
    term.append(makeElement("kbd", "", key));
    list.append(term, makeElement("dd", "", text));
  }
  details.append(list);
  return details;
}

/**
 * The test hook: `window.glossAudio[dataKey]`: `time`, `duration`, `playing`, `rate`, `clock` ("audio" when
 * the sound plays, "virtual" when the playhead runs silently), `loaded`, `peaksLoaded`, `view` ({start, end,
 * pxPerSecond, width, height}), `timings` ({infoMs, peaksMs, firstWaveformMs, baseDraws, lastBaseDrawMs}),
 * `seek(t)` (works without playing), `play()`, `pause()`, `setRate(r)`, `zoomBy(f)`, `zoomTo(pxPerSecond)`,
 * `fit()`, `scrollTo(t)`, `render()`, `regions(field?)` → [{field, id, label, start, end, lane, selected}],
 * `selected` → {field, id} or null, `activeField`, `timeToClientX(t)`, `clientXToTime(x)`, `waveClientY()`,
 * `laneClientY(field, lane = 0)` (page coordinates for page.mouse).
 */
function exposeForTests(player) {
  const layerNamed = (name) => player.layers.find((layer) => layer.field.name === name) ?? null;
  const hook = {
    get time() {
      return player.time;
    },
    get duration() {
      return player.duration;
    },
    get playing() {
      return player.playing;
    },
    get rate() {
      return player.rate;
    },
    get clock() {
      return player.clock;
    },
    get loaded() {
      return player.loaded;
    },
    get peaksLoaded() {
      return player.peaksLoaded;
    },
    get view() {
      return player.view;
    },
    get timings() {
      return { ...player.timings };
    },
    seek: (t) => player.seek(t),
    play: () => player.play(),
    pause: () => player.pause(),
    setRate: (r) => player.setRate(r),
    zoomBy: (factor) => player.zoomBy(factor),
    zoomTo: (px) => player.zoomTo(px),
    fit: () => player.fit(),
    scrollTo: (t) => player.scrollTo(t),
    render: () => player.render(),
    regions(name) {
      return player.layers
        .filter((layer) => !name || layer.field.name === name)
        .flatMap((layer) => layer.regions().map((region) => ({
          field: layer.field.name,
          id: region.id,
          label: region.label,
          start: region.start,
          end: region.end,
          lane: player.laneOf(layer, region.id),
          selected: region.id === layer.selectedId,
        })));
    },
    get selected() {
      const layer = player.layers.find((each) => each.selectedId);
      return layer ? { field: layer.field.name, id: layer.selectedId } : null;
    },
    get activeField() {
      return player.active?.field.name ?? null;
    },
    timeToClientX: (t) => player.timeToClientX(t),
    clientXToTime: (x) => player.clientXToTime(x),
    waveClientY: () => player.waveClientY(),
    laneClientY: (name, lane = 0) => player.laneClientY(layerNamed(name), lane),
  };
  window.glossAudio ??= {};
  window.glossAudio[player.key] = hook;
}
