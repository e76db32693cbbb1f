// The audio widgets' pure helpers: the peak pyramid a waveform is drawn from (never the decoded audio, so an
// hour-long file opens at once), the drawing of the waveform, the ruler and the time ranges of regions, lanes
// for overlapping regions, zoom limits, times rounded and written as the value and the worker see them.

/** Regions shorter than this (seconds) are not made: a click that slipped is no region. */
export const MIN_REGION_S = 0.02;
/** The closest zoom, in CSS px per second (a peak bucket is 1/100 s: 10 px each at 1000 px/s). */
export const MAX_PX_PER_S = 1000;
/** The playback speeds offered, slowest first. */
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];

/** Seconds rounded to milliseconds, as the value stores them. */
export function roundMs(seconds) {
  return Math.round(seconds * 1000) / 1000;
}

export function clamp(value, low, high) {
  return value < low ? low : value > high ? high : value;
}

/**
 * The peak pyramid of a peaks file (signed Int8 pairs (min, max) per bucket): level 0 is the file's buckets,
 * each next level halves the count (min of the mins, max of the maxes), down to one bucket. Drawing a column
 * then reads at most three buckets of the right level whatever the zoom.
 */
export function buildPeakLevels(bytes) {
  const data = bytes instanceof Int8Array ? bytes : new Int8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength ?? bytes.length);
  const count = data.length >> 1;
  const min = new Int8Array(count);
  const max = new Int8Array(count);
  for (let i = 0; i < count; i++) {
    const a = data[2 * i];
    const b = data[2 * i + 1];
    // A file that wrote (max, min) still draws right.
    min[i] = a < b ? a : b;
    max[i] = a < b ? b : a;
  }
  const levels = [{ min, max, length: count }];
  let previous = levels[0];
  while (previous.length > 1) {
    const length = (previous.length + 1) >> 1;
    const nextMin = new Int8Array(length);
    const nextMax = new Int8Array(length);
    for (let i = 0; i < length; i++) {
      const j = 2 * i;
      const k = j + 1 < previous.length ? j + 1 : j;
      nextMin[i] = previous.min[j] < previous.min[k] ? previous.min[j] : previous.min[k];
      nextMax[i] = previous.max[j] > previous.max[k] ? previous.max[j] : previous.max[k];
    }
    previous = { min: nextMin, max: nextMax, length };
    levels.push(previous);
  }
  return levels;
}

/**
 * The lowest and highest peak (−127…127) over buckets [from, to) (fractional bucket positions) into `out`
 * ({min, max}); {0, 0} where there are none. Allocates nothing: it runs once per pixel column.
 */
export function peakRange(levels, from, to, out) {
  out.min = 0;
  out.max = 0;
  const base = levels[0];
  if (!base || base.length === 0 || to <= 0 || from >= base.length) return out;
  const span = to - from;
  if (span <= 1) {
    const i = Math.floor(from < 0 ? 0 : from);
    out.min = base.min[i];
    out.max = base.max[i];
    return out;
  }
  let level = Math.floor(Math.log2(span));
  if (level >= levels.length) level = levels.length - 1;
  const size = 2 ** level;
  const { min, max, length } = levels[level];
  let i = Math.floor((from < 0 ? 0 : from) / size);
  let end = Math.ceil(to / size);
  if (end > length) end = length;
  let low = 127;
  let high = -128;
  for (; i < end; i++) {
    if (min[i] < low) low = min[i];
    if (max[i] > high) high = max[i];
  }
  if (high < low) return out;
  out.min = low;
  out.max = high;
  return out;
}

const column = { min: 0, max: 0 };

/**
 * Draws the waveform of `levels` (peaksPerSecond buckets a second) for the view (seconds at the left, CSS px a
 * second) into the band [top, top + height) of a canvas whose context is scaled by `dpr`: one bar per device
 * pixel column, mono, centred.
 */
export function drawWaveform(ctx, levels, { peaksPerSecond, viewStart, pxPerSecond, width, top, height, dpr, color, duration }) {
  if (!levels?.length || !(peaksPerSecond > 0)) return;
  const columns = Math.floor(width * dpr);
  const secondsPerColumn = 1 / (pxPerSecond * dpr);
  const bucketsPerColumn = secondsPerColumn * peaksPerSecond;
  const middle = (top + height / 2) * dpr;
  const half = (height / 2 - 2) * dpr;
  const lastColumn = Math.min(columns, Math.ceil((duration - viewStart) / secondsPerColumn));
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let x = 0; x < lastColumn; x++) {
    const from = (viewStart + x * secondsPerColumn) * peaksPerSecond;
    peakRange(levels, from, from + bucketsPerColumn, column);
    const yTop = middle - (column.max / 127) * half;
    const yBottom = middle - (column.min / 127) * half;
    // At least one device pixel, so silence still shows as a line.
    ctx.rect(x, yTop, 1, yBottom - yTop < 1 ? 1 : yBottom - yTop);
  }
  ctx.fill();
  ctx.restore();
}

const TICK_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** The ruler's step (seconds between labelled ticks): labels at least `minimumPx` apart. */
export function tickStep(pxPerSecond, minimumPx = 72) {
  return TICK_STEPS.find((step) => step * pxPerSecond >= minimumPx) ?? TICK_STEPS[TICK_STEPS.length - 1];
}

/** A time as "m:ss", "h:mm:ss", with as many decimals as `step` needs ("0:01.25" for a 0.05 s step). */
export function formatTick(seconds, step) {
  const decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  return clockText(seconds, decimals);
}

/** A time as the worker reads it: "1:02.345" (milliseconds by default), hours when there are any. */
export function clockText(seconds, decimals = 3) {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const scale = 10 ** decimals;
  const total = Math.round(safe * scale);
  const whole = Math.floor(total / scale);
  const fraction = total - whole * scale;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const tail = decimals ? `.${String(fraction).padStart(decimals, "0")}` : "";
  const ss = String(secs).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}${tail}` : `${minutes}:${ss}${tail}`;
}

/** A range as "0:01.250–0:03.500". */
export function rangeText(start, end) {
  return `${clockText(start)}–${clockText(end)}`;
}

/** Draws the time ruler over [0, height) of the canvas: ticks and their times for the view. */
export function drawRuler(ctx, { viewStart, pxPerSecond, width, height, color, lineColor, font }) {
  const step = tickStep(pxPerSecond);
  const minor = step / 5;
  const viewEnd = viewStart + width / pxPerSecond;
  ctx.save();
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(width, height - 0.5);
  for (let t = Math.floor(viewStart / minor) * minor; t <= viewEnd; t += minor) {
    const x = Math.round((t - viewStart) * pxPerSecond) + 0.5;
    const major = Math.abs(t / step - Math.round(t / step)) < 1e-6;
    ctx.moveTo(x, major ? height - 8 : height - 4);
    ctx.lineTo(x, height);
  }
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.font = font;
  ctx.textBaseline = "top";
  for (let n = Math.floor(viewStart / step); n * step <= viewEnd; n++) {
    const t = n * step;
    if (t < 0) continue;
    ctx.fillText(formatTick(t, step), Math.round((t - viewStart) * pxPerSecond) + 3, 2);
  }
  ctx.restore();
}

/**
 * Lanes for regions drawn on one strip: the first lane whose last region ended by this one's start (regions
 * sorted by start). Returns {lanes: lane per region (in the given order), count}.
 */
export function assignLanes(regions) {
  const order = regions.map((region, index) => index).sort((a, b) => regions[a].start - regions[b].start || regions[a].end - regions[b].end);
  const ends = [];
  const lanes = new Array(regions.length).fill(0);
  for (const index of order) {
    const region = regions[index];
    let lane = ends.findIndex((end) => end <= region.start + 1e-9);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = region.end;
    lanes[index] = lane;
  }
  return { lanes, count: Math.max(ends.length, 1) };
}

/**
 * Where a region may extend around time `t` in a field whose regions may not overlap: the free gap
 * [low, high] holding `t` (between the neighbours, else the audio's ends), or null when `t` is inside a region.
 * `exceptId` leaves one region out (the one being resized).
 */
export function freeGap(regions, t, duration, exceptId = null) {
  let low = 0;
  let high = duration;
  for (const region of regions) {
    if (region.id === exceptId) continue;
    if (region.start < t && region.end > t) return null;
    if (region.end <= t && region.end > low) low = region.end;
    if (region.start >= t && region.start < high) high = region.start;
  }
  return { low, high };
}

/** Zoom limits for a view `width` CSS px wide over `duration` seconds: the whole file fits at the minimum. */
export function zoomLimits(width, duration) {
  const fit = duration > 0 && width > 0 ? width / duration : 100;
  return { min: Math.min(fit, MAX_PX_PER_S), max: Math.max(MAX_PX_PER_S, fit) };
}

/** The zoom an audio file opens at: the whole of a short file, the first minute of a long one. */
export function initialZoom(width, duration) {
  const { min, max } = zoomLimits(width, duration);
  return clamp(duration <= 120 ? min : width / 60, min, max);
}
