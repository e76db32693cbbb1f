// Tracks over the frames of a video, as docs/fields.md defines them: the box of a track at any frame
// (linear interpolation between keyframes, `outside` and `occluded` holding until the next keyframe), and
// the edits the video editor makes to a track's keyframes. Pure functions over plain values.

/** A number rounded to 2 decimals, as values store coordinates. */
export function round2(number) {
  return Math.round(number * 100) / 100;
}

function clamp(number, low, high) {
  return Math.min(Math.max(number, low), high);
}

/** Keyframes in increasing frame order: the array itself when it is sorted already, else a sorted copy. */
export function sortedKeyframes(keyframes) {
  const list = keyframes ?? [];
  for (let index = 1; index < list.length; index++) {
    if (list[index - 1].frame > list[index].frame) return [...list].sort((a, b) => a.frame - b.frame);
  }
  return list;
}

/** The index of the last keyframe at or before `frame`, or -1. Keyframes must be sorted. */
function lastIndexAtOrBefore(keyframes, frame) {
  let low = 0;
  let high = keyframes.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (keyframes[middle].frame <= frame) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * Where a track is at `frame`: `{visible, x, y, width, height, occluded, keyframe, interpolated}`.
 * Before its first keyframe, and from an `outside` keyframe until the next keyframe, a track is not visible
 * (`visible: false`, with `reason` "before" or "outside"). On a keyframe the box is that keyframe's; between
 * two keyframes each of x, y, width, height is interpolated linearly, unless the next keyframe is `outside`
 * (its box is ignored: the box holds until then); after the last keyframe the box holds to the end.
 * `occluded` is the one of the keyframe at or before `frame`. `keyframe` is the keyframe exactly at `frame`.
 */
export function trackStateAt(track, frame) {
  const keyframes = sortedKeyframes(track?.keyframes);
  const index = lastIndexAtOrBefore(keyframes, frame);
  if (index < 0) return { visible: false, reason: "before", keyframe: null };
  const from = keyframes[index];
  const keyframe = from.frame === frame ? from : null;
  if (from.outside) return { visible: false, reason: "outside", keyframe, occluded: false };
  const to = keyframes[index + 1];
  const box = { x: from.x, y: from.y, width: from.width, height: from.height };
  let interpolated = false;
  if (!keyframe && to && !to.outside) {
    const t = (frame - from.frame) / (to.frame - from.frame);
    for (const key of ["x", "y", "width", "height"]) box[key] = from[key] + (to[key] - from[key]) * t;
    interpolated = true;
  }
  return { visible: true, ...box, occluded: Boolean(from.occluded), keyframe, interpolated };
}

/** The box of a track at `frame` as `{x, y, width, height, occluded}`, or null where it is not visible. */
export function boxAt(track, frame) {
  const state = trackStateAt(track, frame);
  if (!state.visible) return null;
  return { x: state.x, y: state.y, width: state.width, height: state.height, occluded: state.occluded };
}

/** The frames where a track is visible, as `[start, end)` ranges within `frameCount` frames. */
export function visibleRanges(track, frameCount) {
  const keyframes = sortedKeyframes(track?.keyframes);
  const ranges = [];
  keyframes.forEach((keyframe, index) => {
    if (keyframe.outside) return;
    const start = keyframe.frame;
    const end = Math.min(index + 1 < keyframes.length ? keyframes[index + 1].frame : frameCount, frameCount);
    if (end <= start) return;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === start) last[1] = end;
    else ranges.push([start, end]);
  });
  return ranges;
}

/** The frames where a track is visible and occluded, as `[start, end)` ranges. */
export function occludedRanges(track, frameCount) {
  const keyframes = sortedKeyframes(track?.keyframes);
  const ranges = [];
  keyframes.forEach((keyframe, index) => {
    if (keyframe.outside || !keyframe.occluded) return;
    const end = Math.min(index + 1 < keyframes.length ? keyframes[index + 1].frame : frameCount, frameCount);
    if (end > keyframe.frame) ranges.push([keyframe.frame, end]);
  });
  return ranges;
}

/** The frame of the nearest keyframe before `frame` (or after, with `direction` 1), or null. */
export function neighbourKeyframe(track, frame, direction) {
  const frames = sortedKeyframes(track?.keyframes).map((keyframe) => keyframe.frame);
  if (direction > 0) return frames.find((f) => f > frame) ?? null;
  return frames.filter((f) => f < frame).pop() ?? null;
}

/**
 * A box kept inside a `width` × `height` image (when the size is known) and rounded to 2 decimals, or null
 * when nothing of it is left. `keepSize` moves a box back inside instead of cutting it.
 */
export function fitBox(box, imageWidth, imageHeight, { keepSize = false } = {}) {
  let { x, y, width, height } = box;
  if (width < 0) {
    x += width;
    width = -width;
  }
  if (height < 0) {
    y += height;
    height = -height;
  }
  if (imageWidth > 0 && imageHeight > 0) {
    if (keepSize) {
      width = Math.min(width, imageWidth);
      height = Math.min(height, imageHeight);
      x = clamp(x, 0, imageWidth - width);
      y = clamp(y, 0, imageHeight - height);
    } else {
      const right = clamp(x + width, 0, imageWidth);
      const bottom = clamp(y + height, 0, imageHeight);
      x = clamp(x, 0, imageWidth);
      y = clamp(y, 0, imageHeight);
      width = right - x;
      height = bottom - y;
    }
  }
  const fitted = { x: round2(x), y: round2(y), width: round2(width), height: round2(height) };
  if (imageWidth > 0 && imageHeight > 0) {
    // Rounding must not push the far edge past the image.
    fitted.width = Math.min(fitted.width, round2(imageWidth - fitted.x));
    fitted.height = Math.min(fitted.height, round2(imageHeight - fitted.y));
  }
  return fitted.width > 0 && fitted.height > 0 ? fitted : null;
}

/** A track with `keyframe` added at its frame (replacing one there), keyframes sorted. */
export function withKeyframe(track, keyframe) {
  const keyframes = (track.keyframes ?? []).filter((existing) => existing.frame !== keyframe.frame);
  keyframes.push({
    frame: keyframe.frame,
    x: keyframe.x,
    y: keyframe.y,
    width: keyframe.width,
    height: keyframe.height,
    outside: Boolean(keyframe.outside),
    occluded: Boolean(keyframe.occluded),
  });
  return { ...track, keyframes: sortedKeyframes(keyframes) };
}

/** A track without its keyframe at `frame`; null when that was its last keyframe. */
export function withoutKeyframe(track, frame) {
  const keyframes = (track.keyframes ?? []).filter((keyframe) => keyframe.frame !== frame);
  return keyframes.length ? { ...track, keyframes } : null;
}

/** The box a track had most recently at or before `frame` (else its first box): where it comes back. */
export function lastKnownBox(track, frame) {
  const keyframes = sortedKeyframes(track?.keyframes).filter((keyframe) => !keyframe.outside);
  if (!keyframes.length) {
    const any = sortedKeyframes(track?.keyframes)[0];
    return any ? { x: any.x, y: any.y, width: any.width, height: any.height } : null;
  }
  const before = keyframes.filter((keyframe) => keyframe.frame <= frame).pop() ?? keyframes[0];
  return { x: before.x, y: before.y, width: before.width, height: before.height };
}

/** The keyframe a box edit at `frame` makes: the box, with `occluded` as it holds there. */
export function keyframeFromBox(track, frame, box) {
  const state = trackStateAt(track, frame);
  return { frame, ...box, outside: false, occluded: state.visible ? state.occluded : false };
}

/** The next free id with `prefix` ("t" → "t3" after t1, t2). */
export function nextId(items, prefix) {
  let highest = 0;
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  for (const item of items ?? []) {
    const match = pattern.exec(item?.id ?? "");
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${prefix}${highest + 1}`;
}
