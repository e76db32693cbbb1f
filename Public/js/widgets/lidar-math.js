// The math of the `cuboids` field (3D boxes in LiDAR point clouds), as docs/fields.md defines them: pure
// functions over plain values and typed arrays, no DOM and no WebGL.
//
// A box is `{x, y, z, l, w, h, yaw}`: its centre, its length along its heading, its width and height (metres),
// and its heading as radians about +z from +x (the LiDAR frame: x forward, y left, z up). A cuboid is a track of
// such boxes over the frames of a sequence: `{id, label, attributes?, keyframes: [{frame, ...box}]}`, keyframes
// sorted by frame with one per frame at most. Between two keyframes the box is interpolated linearly (the yaw on
// the shorter arc); before the first keyframe and after the last there is no box.
//
// Matrices are 4×4, column-major Float32Array(16) (WebGL's layout); every function that makes one writes into
// an `out` array, so a render loop allocates nothing.

export const MIN_SIZE = 0.05; // m: the smallest side a box keeps

/** A number rounded to the millimetre, as values store lengths. */
export function round3(number) {
  const rounded = Math.round(number * 1000) / 1000;
  return rounded === 0 ? 0 : rounded; // never -0
}

/** An angle rounded to 1e-4 rad, as values store yaw. */
export function round4(number) {
  const rounded = Math.round(number * 10000) / 10000;
  return rounded === 0 ? 0 : rounded;
}

/** An angle in (-π, π]. */
export function wrapAngle(angle) {
  if (!Number.isFinite(angle)) return 0;
  let a = angle % (2 * Math.PI);
  if (a <= -Math.PI) a += 2 * Math.PI;
  else if (a > Math.PI) a -= 2 * Math.PI;
  return a;
}

const BOX_KEYS = ["x", "y", "z", "l", "w", "h", "yaw"];

/** Whether `box` has the seven finite numbers of a box and positive sizes. */
export function isBox(box) {
  return Boolean(box) && BOX_KEYS.every((key) => Number.isFinite(box[key])) && box.l > 0 && box.w > 0 && box.h > 0;
}

/** The largest yaw to 1e-4 rad within (-π, π]: 3.1416 would be past π. */
const YAW_LIMIT = 3.1415;

/** A box as values store it: sizes at least MIN_SIZE, lengths to the mm, yaw wrapped and to 1e-4 rad, within
 * (-π, π] after the rounding too (±3.1416 become 3.1415: a heading backwards either way). */
export function roundBox(box) {
  let yaw = round4(wrapAngle(box.yaw));
  if (yaw > YAW_LIMIT || yaw < -YAW_LIMIT) yaw = YAW_LIMIT;
  return {
    x: round3(box.x),
    y: round3(box.y),
    z: round3(box.z),
    l: round3(Math.max(Math.abs(box.l), MIN_SIZE)),
    w: round3(Math.max(Math.abs(box.w), MIN_SIZE)),
    h: round3(Math.max(Math.abs(box.h), MIN_SIZE)),
    yaw,
  };
}

/** Copies the seven numbers of `from` into `to` (no allocation); returns `to`. */
export function copyBox(to, from) {
  to.x = from.x;
  to.y = from.y;
  to.z = from.z;
  to.l = from.l;
  to.w = from.w;
  to.h = from.h;
  to.yaw = from.yaw;
  return to;
}

// Tracks over frames

/** Keyframes in increasing frame order with well-formed boxes: the array itself when it is already so. */
export function sortedKeyframes(keyframes) {
  const list = Array.isArray(keyframes) ? keyframes : [];
  let clean = true;
  for (let index = 0; index < list.length; index++) {
    const keyframe = list[index];
    if (!isBox(keyframe) || !Number.isInteger(keyframe.frame) || (index > 0 && list[index - 1].frame >= keyframe.frame)) {
      clean = false;
      break;
    }
  }
  if (clean) return list;
  const byFrame = new Map();
  for (const keyframe of list) if (isBox(keyframe) && Number.isInteger(keyframe?.frame)) byFrame.set(keyframe.frame, keyframe);
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

/** Linear interpolation of two boxes at `t` in [0, 1], the yaw along the shorter arc; into `out`. */
export function interpolateBox(a, b, t, out = {}) {
  out.x = a.x + (b.x - a.x) * t;
  out.y = a.y + (b.y - a.y) * t;
  out.z = a.z + (b.z - a.z) * t;
  out.l = a.l + (b.l - a.l) * t;
  out.w = a.w + (b.w - a.w) * t;
  out.h = a.h + (b.h - a.h) * t;
  out.yaw = wrapAngle(a.yaw + wrapAngle(b.yaw - a.yaw) * t);
  return out;
}

/**
 * Where a cuboid is at `frame`: `{visible, box, keyframe, interpolated, reason}`. On a keyframe the box is
 * that keyframe's (`keyframe` is it); strictly between two keyframes it is interpolated; before the first
 * keyframe (`reason` "before") and after the last ("after") it is not visible.
 */
export function cuboidStateAt(cuboid, frame) {
  const keyframes = sortedKeyframes(cuboid?.keyframes);
  if (!keyframes.length) return { visible: false, reason: "empty", box: null, keyframe: null, interpolated: false };
  if (frame < keyframes[0].frame) return { visible: false, reason: "before", box: null, keyframe: null, interpolated: false };
  if (frame > keyframes[keyframes.length - 1].frame) return { visible: false, reason: "after", box: null, keyframe: null, interpolated: false };
  let low = 0;
  let high = keyframes.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (keyframes[middle].frame <= frame) low = middle;
    else high = middle - 1;
  }
  const from = keyframes[low];
  if (from.frame === frame) return { visible: true, box: pickBox(from), keyframe: from, interpolated: false, reason: "" };
  const to = keyframes[low + 1];
  const t = (frame - from.frame) / (to.frame - from.frame);
  return { visible: true, box: interpolateBox(from, to, t), keyframe: null, interpolated: true, reason: "" };
}

/** The box of a cuboid at `frame` (interpolated between keyframes), or null. */
export function boxAt(cuboid, frame) {
  return cuboidStateAt(cuboid, frame).box;
}

function pickBox(source) {
  return { x: source.x, y: source.y, z: source.z, l: source.l, w: source.w, h: source.h, yaw: source.yaw };
}

/** The box of the cuboid's keyframe nearest to `frame` (the earlier one on a tie), or null: where a cuboid
 * that is not on this frame would be put back. */
export function nearestKeyframeBox(cuboid, frame) {
  let best = null;
  for (const keyframe of sortedKeyframes(cuboid?.keyframes)) {
    if (!best || Math.abs(keyframe.frame - frame) < Math.abs(best.frame - frame)) best = keyframe;
  }
  return best ? pickBox(best) : null;
}

/** The frame of the cuboid's nearest keyframe before `frame` (after it with `direction` 1), or null. */
export function neighbourKeyframe(cuboid, frame, direction) {
  const frames = sortedKeyframes(cuboid?.keyframes).map((keyframe) => keyframe.frame);
  if (direction > 0) return frames.find((f) => f > frame) ?? null;
  return frames.filter((f) => f < frame).pop() ?? null;
}

/** A cuboid with a keyframe at `frame` holding `box` (replacing one there), keyframes sorted, box rounded. */
export function withKeyframe(cuboid, frame, box) {
  const keyframes = sortedKeyframes(cuboid.keyframes).filter((keyframe) => keyframe.frame !== frame);
  keyframes.push({ frame, ...roundBox(box) });
  keyframes.sort((a, b) => a.frame - b.frame);
  return { ...cuboid, keyframes };
}

/** A cuboid without its keyframe at `frame`; null when that was its only keyframe. */
export function withoutKeyframe(cuboid, frame) {
  const keyframes = sortedKeyframes(cuboid.keyframes).filter((keyframe) => keyframe.frame !== frame);
  return keyframes.length ? { ...cuboid, keyframes } : null;
}

/** The next free id with `prefix` ("c" → "c3" after c1 and c2). */
export function nextId(items, prefix = "c") {
  let highest = 0;
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  for (const item of items ?? []) {
    const match = pattern.exec(item?.id ?? "");
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${prefix}${highest + 1}`;
}

/** The cuboids of a value that can be shown: objects with an id and keyframes (other entries are kept in the
 * value but not drawn). */
export function cuboidList(value) {
  return Array.isArray(value) ? value.filter((item) => item && typeof item === "object" && typeof item.id === "string") : [];
}

// Box geometry

/**
 * The 8 corners of a box into `out` (a Float32Array or Float64Array of 24, or a new one): bottom face first
 * (front-left, front-right, back-right, back-left), then the top face in the same order. Front is +heading,
 * left is +90° from it.
 */
export function boxCorners(box, out = new Float64Array(24)) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const hl = box.l / 2;
  const hw = box.w / 2;
  const hh = box.h / 2;
  // (u, v) along (heading, left): FL, FR, BR, BL
  for (let corner = 0; corner < 4; corner++) {
    const u = corner === 0 || corner === 1 ? hl : -hl;
    const v = corner === 0 || corner === 3 ? hw : -hw;
    const x = box.x + u * c - v * s;
    const y = box.y + u * s + v * c;
    out[corner * 3] = x;
    out[corner * 3 + 1] = y;
    out[corner * 3 + 2] = box.z - hh;
    out[12 + corner * 3] = x;
    out[12 + corner * 3 + 1] = y;
    out[12 + corner * 3 + 2] = box.z + hh;
  }
  return out;
}

/** The edges of `boxCorners` as index pairs. */
export const BOX_EDGES = [0, 1, 1, 2, 2, 3, 3, 0, 4, 5, 5, 6, 6, 7, 7, 4, 0, 4, 1, 5, 2, 6, 3, 7];

/** World point (x, y, z) in the box's own frame (u along the heading, v to its left, w up, from its centre),
 * into `out` (3 numbers). */
export function worldToBox(box, x, y, z, out = new Float64Array(3)) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const dx = x - box.x;
  const dy = y - box.y;
  out[0] = dx * c + dy * s;
  out[1] = -dx * s + dy * c;
  out[2] = z - box.z;
  return out;
}

/** The world point at (u, v, w) of the box's own frame, into `out`. */
export function boxToWorld(box, u, v, w, out = new Float64Array(3)) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  out[0] = box.x + u * c - v * s;
  out[1] = box.y + u * s + v * c;
  out[2] = box.z + w;
  return out;
}

/**
 * How many of `count` points (x, y, z interleaved in `positions`) lie in the box grown by `margin` metres on
 * every side. With `indices` (an Int32Array or array), their indices are written there (up to its length).
 */
export function pointsInBox(positions, count, box, margin = 0, indices = null) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const hl = box.l / 2 + margin;
  const hw = box.w / 2 + margin;
  const hh = box.h / 2 + margin;
  // A quick reject on the box's bounding square first.
  const reach = Math.hypot(hl, hw);
  const bx = box.x;
  const by = box.y;
  const bz = box.z;
  let found = 0;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const dx = positions[p] - bx;
    if (dx > reach || dx < -reach) continue;
    const dy = positions[p + 1] - by;
    if (dy > reach || dy < -reach) continue;
    const dz = positions[p + 2] - bz;
    if (dz > hh || dz < -hh) continue;
    const u = dx * c + dy * s;
    if (u > hl || u < -hl) continue;
    const v = -dx * s + dy * c;
    if (v > hw || v < -hw) continue;
    if (indices && found < indices.length) indices[found] = i;
    found++;
  }
  return found;
}

/** The thickness (m) of the band of heights above the lowest ones that counts as ground. */
const GROUND_BAND = 0.25;

/**
 * The ground level among the first `n` heights of a typed array (sorted in place): the median of the heights
 * up to GROUND_BAND above their 5 % quantile. Robust to the objects standing on the ground (they are above the
 * band) and to a few stray low points; unbiased by the ground's own noise, where a low quantile alone would
 * sit below the surface.
 */
function groundLevel(values, n) {
  if (n <= 0) return NaN;
  const view = values.subarray(0, n);
  view.sort();
  const low = view[Math.floor(0.05 * (n - 1))];
  let end = n;
  let lo = 0;
  while (lo < end) {
    const middle = (lo + end) >> 1;
    if (view[middle] <= low + GROUND_BAND) lo = middle + 1;
    else end = middle;
  }
  return view[(lo - 1) >> 1];
}

/**
 * The ground height near (x, y) (see groundLevel) from the points within `radius` metres (horizontally),
 * with heights from `minZ` to `maxZ` (defaults: any height). NaN when no point is near.
 */
export function groundHeight(positions, count, x, y, radius, { minZ = -Infinity, maxZ = Infinity } = {}) {
  let n = 0;
  const r2 = radius * radius;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const dx = positions[p] - x;
    const dy = positions[p + 1] - y;
    const z = positions[p + 2];
    if (dx * dx + dy * dy <= r2 && z >= minZ && z <= maxZ) n++;
  }
  if (!n) return NaN;
  const heights = new Float32Array(n);
  let k = 0;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const dx = positions[p] - x;
    const dy = positions[p + 1] - y;
    const z = positions[p + 2];
    if (dx * dx + dy * dy <= r2 && z >= minZ && z <= maxZ) heights[k++] = z;
  }
  return groundLevel(heights, n);
}

/** The settings of `snapBox`. */
export const SNAP = {
  margin: 0.3, // m the box grows by on every side before it is fitted: points just outside are taken in
  groundRing: 1.0, // m around the box where the ground is measured
  groundClearance: 0.15, // m above the ground that still counts as ground
  touchGround: 0.5, // m: an object whose lowest point is this close to the ground stands on it
  minPoints: 3,
};

/**
 * Fits a box to the points inside it, keeping its yaw. The box is grown by `margin` on every side; the
 * ground there is measured (groundLevel: the median of the lowest band of heights of the points within the
 * box's footprint grown by `groundRing`, from 2 m under the box's bottom up to its middle or 1 m above its
 * bottom); points less
 * than `groundClearance` above the ground are ground and left out. The fitted box is the tightest one, in the
 * box's own frame, around the points left; its bottom goes down to the ground when the object's lowest point is
 * within `touchGround` of it (a car stands on the road: LiDAR rarely sees its underside), else it stays at the
 * lowest point (an object that hangs, or ground the sensor did not see). Returns
 * `{box, points, ground}` or `{box: null, points, reason}` when fewer than `minPoints` points are left.
 */
export function snapBox(positions, count, box, options = {}) {
  const settings = { ...SNAP, ...options };
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const m = settings.margin;
  const hl = box.l / 2 + m;
  const hw = box.w / 2 + m;
  const bottom = box.z - box.h / 2;
  const top = box.z + box.h / 2;
  const ringL = box.l / 2 + settings.groundRing;
  const ringW = box.w / 2 + settings.groundRing;
  const reach = Math.hypot(ringL, ringW);

  // The ground: heights of the points around and under the box, in its lower half and down to 2 m below it.
  let ringCount = 0;
  const groundLow = bottom - m - 2;
  const groundHigh = Math.min(box.z, bottom + 1.0);
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const dx = positions[p] - box.x;
    const dy = positions[p + 1] - box.y;
    const z = positions[p + 2];
    if (dx > reach || dx < -reach || dy > reach || dy < -reach || z < groundLow || z > groundHigh) continue;
    const u = dx * c + dy * s;
    const v = -dx * s + dy * c;
    if (u <= ringL && u >= -ringL && v <= ringW && v >= -ringW) ringCount++;
  }
  let ground = NaN;
  if (ringCount) {
    const heights = new Float32Array(ringCount);
    let k = 0;
    for (let i = 0, p = 0; i < count; i++, p += 3) {
      const dx = positions[p] - box.x;
      const dy = positions[p + 1] - box.y;
      const z = positions[p + 2];
      if (dx > reach || dx < -reach || dy > reach || dy < -reach || z < groundLow || z > groundHigh) continue;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      if (u <= ringL && u >= -ringL && v <= ringW && v >= -ringW) heights[k++] = z;
    }
    ground = groundLevel(heights, ringCount);
  }
  const floor = Number.isFinite(ground) ? Math.max(ground + settings.groundClearance, bottom - m) : bottom - m;

  let points = 0;
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  let zMin = Infinity;
  let zMax = -Infinity;
  for (let i = 0, p = 0; i < count; i++, p += 3) {
    const z = positions[p + 2];
    if (z <= floor || z > top + m) continue;
    const dx = positions[p] - box.x;
    const dy = positions[p + 1] - box.y;
    const u = dx * c + dy * s;
    if (u > hl || u < -hl) continue;
    const v = -dx * s + dy * c;
    if (v > hw || v < -hw) continue;
    points++;
    if (u < uMin) uMin = u;
    if (u > uMax) uMax = u;
    if (v < vMin) vMin = v;
    if (v > vMax) vMax = v;
    if (z < zMin) zMin = z;
    if (z > zMax) zMax = z;
  }
  if (points < settings.minPoints) return { box: null, points, ground, reason: "too few points" };
  const standsOnGround = Number.isFinite(ground) && zMin - ground <= settings.touchGround;
  const low = standsOnGround ? ground : zMin;
  const uMid = (uMin + uMax) / 2;
  const vMid = (vMin + vMax) / 2;
  const fitted = roundBox({
    x: box.x + uMid * c - vMid * s,
    y: box.y + uMid * s + vMid * c,
    z: (low + zMax) / 2,
    l: uMax - uMin,
    w: vMax - vMin,
    h: zMax - low,
    yaw: box.yaw,
  });
  return { box: fitted, points, ground };
}

/** The intersection of a ray (origin, direction) with a box: the distance along the ray, or null. */
export function rayBoxDistance(ox, oy, oz, dx, dy, dz, box) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const px = ox - box.x;
  const py = oy - box.y;
  const o = [px * c + py * s, -px * s + py * c, oz - box.z];
  const d = [dx * c + dy * s, -dx * s + dy * c, dz];
  const half = [box.l / 2, box.w / 2, box.h / 2];
  let near = -Infinity;
  let far = Infinity;
  for (let axis = 0; axis < 3; axis++) {
    if (Math.abs(d[axis]) < 1e-12) {
      if (Math.abs(o[axis]) > half[axis]) return null;
      continue;
    }
    let t1 = (-half[axis] - o[axis]) / d[axis];
    let t2 = (half[axis] - o[axis]) / d[axis];
    if (t1 > t2) [t1, t2] = [t2, t1];
    near = Math.max(near, t1);
    far = Math.min(far, t2);
    if (near > far) return null;
  }
  if (far < 0) return null;
  return near >= 0 ? near : far;
}

/** Default sizes `[l, w, h]` (m) of boxes for common label names; a label's own `size` wins. */
const DEFAULT_SIZES = [
  [/^(car|vehicle|van|suv|taxi|sedan)/i, [4.5, 1.9, 1.6]],
  [/^(truck|lorry|bus|trailer|tram|train)/i, [10, 2.6, 3.2]],
  [/^(pedestrian|person|people|human|walker|child|adult)/i, [0.8, 0.8, 1.75]],
  [/^(cyclist|bicycle|bike|rider)/i, [1.8, 0.7, 1.7]],
  [/^(motorcycl|motorbike|scooter|moped)/i, [2.2, 0.9, 1.6]],
  [/^(cone|traffic_cone|bollard|pole)/i, [0.4, 0.4, 0.8]],
  [/^(barrier|fence)/i, [2.0, 0.5, 1.0]],
  [/^(animal|dog)/i, [1.0, 0.5, 0.8]],
];

/** The size `[l, w, h]` of a new box of a label: its own `size` (three positive numbers), else one by name. */
export function defaultSize(label) {
  const own = label?.size;
  if (Array.isArray(own) && own.length === 3 && own.every((n) => Number.isFinite(n) && n > 0)) return own.slice();
  const name = String(label?.value ?? "");
  for (const [pattern, size] of DEFAULT_SIZES) if (pattern.test(name)) return size.slice();
  return [1.5, 1.5, 1.5];
}

/**
 * The box a drag in the top view draws: the axis-aligned rectangle from (x0, y0) to (x1, y1) (world metres),
 * heading along its longer side (+x, or +y when it is wider than long), `height` tall, standing on `ground`.
 */
export function boxFromFootprint(x0, y0, x1, y1, ground, height) {
  const dx = Math.abs(x1 - x0);
  const dy = Math.abs(y1 - y0);
  const alongY = dy > dx;
  return roundBox({
    x: (x0 + x1) / 2,
    y: (y0 + y1) / 2,
    z: ground + height / 2,
    l: alongY ? dy : dx,
    w: alongY ? dx : dy,
    h: height,
    yaw: alongY ? Math.PI / 2 : 0,
  });
}

/**
 * The box a drag of a footprint handle makes: the handle at (su, sv) (each -1, 0 or 1 along the box's heading
 * and left) follows world point (px, py), the opposite side stays. `start` is the box when the drag began.
 */
export function resizeFootprint(start, su, sv, px, py, out = {}) {
  const c = Math.cos(start.yaw);
  const s = Math.sin(start.yaw);
  const dx = px - start.x;
  const dy = py - start.y;
  const u = dx * c + dy * s;
  const v = -dx * s + dy * c;
  let uMid = 0;
  let vMid = 0;
  let l = start.l;
  let w = start.w;
  if (su) {
    const fixed = (-su * start.l) / 2;
    const moving = Math.abs(u - fixed) < MIN_SIZE ? fixed + su * MIN_SIZE : u;
    l = Math.abs(moving - fixed);
    uMid = (moving + fixed) / 2;
  }
  if (sv) {
    const fixed = (-sv * start.w) / 2;
    const moving = Math.abs(v - fixed) < MIN_SIZE ? fixed + sv * MIN_SIZE : v;
    w = Math.abs(moving - fixed);
    vMid = (moving + fixed) / 2;
  }
  copyBox(out, start);
  out.x = start.x + uMid * c - vMid * s;
  out.y = start.y + uMid * s + vMid * c;
  out.l = l;
  out.w = w;
  return out;
}

/**
 * The box a drag of an edge in a side or front view makes. `axis` is "u" (along the heading: the side view's
 * horizontal) or "v" (to the left: the front view's horizontal); `edge` is "top", "bottom", "low" (the
 * horizontal minimum) or "high"; `a` is the pointer's horizontal coordinate along that axis from the start
 * box's centre and `z` its height (world).
 */
export function resizeSide(start, axis, edge, a, z, out = {}) {
  copyBox(out, start);
  if (edge === "top" || edge === "bottom") {
    const bottom = start.z - start.h / 2;
    const top = start.z + start.h / 2;
    const low = edge === "bottom" ? Math.min(z, top - MIN_SIZE) : bottom;
    const high = edge === "top" ? Math.max(z, bottom + MIN_SIZE) : top;
    out.z = (low + high) / 2;
    out.h = high - low;
    return out;
  }
  const size = axis === "u" ? start.l : start.w;
  let low = -size / 2;
  let high = size / 2;
  if (edge === "low") low = Math.min(a, high - MIN_SIZE);
  else high = Math.max(a, low + MIN_SIZE);
  const mid = (low + high) / 2;
  const c = Math.cos(start.yaw);
  const s = Math.sin(start.yaw);
  if (axis === "u") {
    out.l = high - low;
    out.x = start.x + mid * c;
    out.y = start.y + mid * s;
  } else {
    out.w = high - low;
    out.x = start.x - mid * s;
    out.y = start.y + mid * c;
  }
  return out;
}

// Matrices (column-major, into `out`). The builders a render calls take their numbers in objects and arrays,
// not as arguments: a call that is not inlined would box each number argument (garbage every frame).

export function identity(out) {
  out.fill(0);
  out[0] = out[5] = out[10] = out[15] = 1;
  return out;
}

/** out = a × b */
export function multiply(out, a, b) {
  const a00 = a[0], a01 = a[1], a02 = a[2], a03 = a[3];
  const a10 = a[4], a11 = a[5], a12 = a[6], a13 = a[7];
  const a20 = a[8], a21 = a[9], a22 = a[10], a23 = a[11];
  const a30 = a[12], a31 = a[13], a32 = a[14], a33 = a[15];
  for (let column = 0; column < 4; column++) {
    const b0 = b[column * 4], b1 = b[column * 4 + 1], b2 = b[column * 4 + 2], b3 = b[column * 4 + 3];
    out[column * 4] = a00 * b0 + a10 * b1 + a20 * b2 + a30 * b3;
    out[column * 4 + 1] = a01 * b0 + a11 * b1 + a21 * b2 + a31 * b3;
    out[column * 4 + 2] = a02 * b0 + a12 * b1 + a22 * b2 + a32 * b3;
    out[column * 4 + 3] = a03 * b0 + a13 * b1 + a23 * b2 + a33 * b3;
  }
  return out;
}

/** out = a⁻¹ (false when a is singular; out is then unchanged). */
export function invert(out, a) {
  const a00 = a[0], a01 = a[1], a02 = a[2], a03 = a[3];
  const a10 = a[4], a11 = a[5], a12 = a[6], a13 = a[7];
  const a20 = a[8], a21 = a[9], a22 = a[10], a23 = a[11];
  const a30 = a[12], a31 = a[13], a32 = a[14], a33 = a[15];
  const b00 = a00 * a11 - a01 * a10;
  const b01 = a00 * a12 - a02 * a10;
  const b02 = a00 * a13 - a03 * a10;
  const b03 = a01 * a12 - a02 * a11;
  const b04 = a01 * a13 - a03 * a11;
  const b05 = a02 * a13 - a03 * a12;
  const b06 = a20 * a31 - a21 * a30;
  const b07 = a20 * a32 - a22 * a30;
  const b08 = a20 * a33 - a23 * a30;
  const b09 = a21 * a32 - a22 * a31;
  const b10 = a21 * a33 - a23 * a31;
  const b11 = a22 * a33 - a23 * a32;
  let det = b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06;
  if (!det) return false;
  det = 1 / det;
  out[0] = (a11 * b11 - a12 * b10 + a13 * b09) * det;
  out[1] = (a02 * b10 - a01 * b11 - a03 * b09) * det;
  out[2] = (a31 * b05 - a32 * b04 + a33 * b03) * det;
  out[3] = (a22 * b04 - a21 * b05 - a23 * b03) * det;
  out[4] = (a12 * b08 - a10 * b11 - a13 * b07) * det;
  out[5] = (a00 * b11 - a02 * b08 + a03 * b07) * det;
  out[6] = (a32 * b02 - a30 * b05 - a33 * b01) * det;
  out[7] = (a20 * b05 - a22 * b02 + a23 * b01) * det;
  out[8] = (a10 * b10 - a11 * b08 + a13 * b06) * det;
  out[9] = (a01 * b08 - a00 * b10 - a03 * b06) * det;
  out[10] = (a30 * b04 - a31 * b02 + a33 * b00) * det;
  out[11] = (a21 * b02 - a20 * b04 - a23 * b00) * det;
  out[12] = (a11 * b07 - a10 * b09 - a12 * b06) * det;
  out[13] = (a00 * b09 - a01 * b07 + a02 * b06) * det;
  out[14] = (a31 * b01 - a30 * b03 - a32 * b00) * det;
  out[15] = (a20 * b03 - a21 * b01 + a22 * b00) * det;
  return true;
}

/** A perspective projection: `camera` {fovy (vertical field of view, radians), aspect, near, far}. */
export function perspective(out, camera) {
  const { fovy, aspect, near, far } = camera;
  const f = 1 / Math.tan(fovy / 2);
  out.fill(0);
  out[0] = f / aspect;
  out[5] = f;
  out[10] = (far + near) / (near - far);
  out[11] = -1;
  out[14] = (2 * far * near) / (near - far);
  return out;
}

/** A view matrix from `eye` looking at `target` (3 numbers each), up +z unless the view looks straight down. */
export function lookAt(out, eye, target) {
  const ex = eye[0], ey = eye[1], ez = eye[2];
  let fx = target[0] - ex, fy = target[1] - ey, fz = target[2] - ez;
  let length = Math.sqrt(fx * fx + fy * fy + fz * fz) || 1;
  fx /= length; fy /= length; fz /= length;
  // side = forward × up(0, 0, 1)
  let sx = fy, sy = -fx, sz = 0;
  length = Math.sqrt(sx * sx + sy * sy);
  if (length < 1e-9) {
    sx = 0; sy = -1; sz = 0;
    length = 1;
  }
  sx /= length; sy /= length; sz /= length;
  // up = side × forward
  const ux = sy * fz - sz * fy;
  const uy = sz * fx - sx * fz;
  const uz = sx * fy - sy * fx;
  out[0] = sx; out[1] = ux; out[2] = -fx; out[3] = 0;
  out[4] = sy; out[5] = uy; out[6] = -fy; out[7] = 0;
  out[8] = sz; out[9] = uz; out[10] = -fz; out[11] = 0;
  out[12] = -(sx * ex + sy * ey + sz * ez);
  out[13] = -(ux * ex + uy * ey + uz * ez);
  out[14] = fx * ex + fy * ey + fz * ez;
  out[15] = 1;
  return out;
}

/**
 * The top view's matrix, `view` {cx, cy, scale, width, height}: world (x, y) at `scale` pixels a metre,
 * (cx, cy) in the middle of a `width` × `height` pixel view, +x up the screen and +y to the left (the LiDAR
 * frame seen from above). Heights keep the depth in range for any z within ±1000 m.
 */
export function topViewMatrix(out, view) {
  const { cx, cy, scale, width, height } = view;
  const kx = (2 * scale) / width;
  const ky = (2 * scale) / height;
  out.fill(0);
  out[1] = ky;
  out[4] = -kx;
  out[10] = -0.001;
  out[12] = kx * cy;
  out[13] = -ky * cx;
  out[15] = 1;
  return out;
}

/**
 * A side or front view of a box, `view` {kind, scale, width, height, depth}: orthographic, centred on `box` at
 * `scale` pixels a metre in a `width` × `height` view. The side view (kind "side") looks at the box's right
 * side: its heading points right on the screen; the front view ("front") looks at its front: its left points
 * right. Up is +z. Only what lies within `depth` metres of the box's centre plane (across the view) is drawn.
 */
export function boxViewMatrix(out, box, view) {
  const { kind, scale, width, height, depth } = view;
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  // horizontal screen axis h, depth axis d (towards the viewer is negative depth)
  const hx = kind === "side" ? c : -s;
  const hy = kind === "side" ? s : c;
  const dx = kind === "side" ? -s : c;
  const dy = kind === "side" ? c : s;
  const kx = (2 * scale) / width;
  const ky = (2 * scale) / height;
  const kz = 1 / Math.max(depth, 1e-3);
  out.fill(0);
  // clip x = kx * h·(p - c)
  out[0] = kx * hx;
  out[4] = kx * hy;
  out[12] = -kx * (hx * box.x + hy * box.y);
  // clip y = ky * (z - cz)
  out[9] = ky;
  out[13] = -ky * box.z;
  // clip z = kz * d·(p - c) (the side view looks along +left, the front view along -heading)
  const sign = kind === "side" ? 1 : -1;
  out[2] = sign * kz * dx;
  out[6] = sign * kz * dy;
  out[14] = -sign * kz * (dx * box.x + dy * box.y);
  out[15] = 1;
  return out;
}

/** The matrix that maps world points into the box scaled to the unit cube (inside: every |coordinate| ≤ 1). */
export function boxUnitMatrix(out, box) {
  const c = Math.cos(box.yaw);
  const s = Math.sin(box.yaw);
  const il = 2 / box.l;
  const iw = 2 / box.w;
  const ih = 2 / box.h;
  out.fill(0);
  // u = (dx c + dy s) / (l/2), v = (-dx s + dy c) / (w/2), w = dz / (h/2)
  out[0] = c * il;
  out[4] = s * il;
  out[12] = -(box.x * c + box.y * s) * il;
  out[1] = -s * iw;
  out[5] = c * iw;
  out[13] = -(-box.x * s + box.y * c) * iw;
  out[10] = ih;
  out[14] = -box.z * ih;
  out[15] = 1;
  return out;
}

/** Applies matrix `m` to (x, y, z, 1) and divides by w: `out` gets normalized device coordinates and out[3] w. */
export function project(out, m, x, y, z) {
  const cx = m[0] * x + m[4] * y + m[8] * z + m[12];
  const cy = m[1] * x + m[5] * y + m[9] * z + m[13];
  const cz = m[2] * x + m[6] * y + m[10] * z + m[14];
  const w = m[3] * x + m[7] * y + m[11] * z + m[15];
  out[0] = cx / w;
  out[1] = cy / w;
  out[2] = cz / w;
  out[3] = w;
  return out;
}
