// Pixel masks as the `masks` field stores them: row-major run-length encoding (counts alternate runs of 0 and
// 1, starting with a run of 0), and the pure painting operations on a mask (brush, eraser, fill).

/** The row-major counts of a 0/1 mask of `width × height` pixels; `[width * height]` when it is empty. */
export function encodeMask(mask, width, height) {
  const total = width * height;
  if (mask.length < total) throw new RangeError(`a ${width}×${height} mask needs ${total} pixels, not ${mask.length}`);
  const counts = [];
  // Skip runs eight pixels at a time: a word of all zeros (or all ones) cannot hold a change.
  const words32 = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, (total >> 3) * 2) : null;
  let current = 0;
  let runStart = 0;
  let i = 0;
  while (i < total) {
    if (words32 && (i & 7) === 0 && i + 8 <= total) {
      const w = i >> 2;
      const same = current === 0 ? words32[w] === 0 && words32[w + 1] === 0 : words32[w] === 0x01010101 && words32[w + 1] === 0x01010101;
      if (same) {
        i += 8;
        continue;
      }
    }
    if ((mask[i] !== 0 ? 1 : 0) !== current) {
      counts.push(i - runStart);
      runStart = i;
      current ^= 1;
    }
    i++;
  }
  counts.push(total - runStart);
  return counts;
}

/** The 0/1 mask of row-major counts; throws when the counts are not runs adding up to `width × height`. */
export function decodeCounts(counts, width, height) {
  const total = width * height;
  const mask = new Uint8Array(total);
  if (!Array.isArray(counts)) throw new TypeError("counts must be an array");
  let position = 0;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i];
    if (!Number.isInteger(run) || run < 0) throw new RangeError(`counts[${i}] is not a non-negative integer`);
    if (position + run > total) throw new RangeError(`the counts add up to more than ${height}×${width}`);
    if (i & 1) mask.fill(1, position, position + run);
    position += run;
  }
  if (position !== total) throw new RangeError(`the counts add up to ${position}, not ${height}×${width} = ${total}`);
  return mask;
}

/** Whether counts are a valid encoding of a `width × height` mask (without decoding it). */
export function countsAreValid(counts, width, height) {
  if (!Array.isArray(counts) || !counts.length) return false;
  let sum = 0;
  for (const run of counts) {
    if (!Number.isInteger(run) || run < 0) return false;
    sum += run;
  }
  return sum === width * height;
}

/** The number of pixels inside (the sum of the runs of 1). */
export function countsArea(counts) {
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i];
  return area;
}

/** Whether a mask has no pixel inside. */
export function maskIsEmpty(mask) {
  const words = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  let i = 0;
  if (words) {
    for (; i < words.length; i++) if (words[i] !== 0) return false;
    i = words.length * 4;
  }
  for (; i < mask.length; i++) if (mask[i] !== 0) return false;
  return true;
}

/** Equal counts arrays (the same mask, since encodings are canonical apart from empty runs). */
export function sameCounts(a, b) {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The COCO form of row-major counts: column-major runs (COCO reads masks column by column). */
export function rowMajorToColumnMajor(counts, width, height) {
  const rows = decodeCounts(counts, width, height);
  const columns = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) columns[x * height + y] = rows[y * width + x];
  return encodeMask(columns, height, width);
}

// Painting. Points are in image pixels (fractions allowed); pixel (x, y) covers [x, x+1) × [y, y+1).

/** A rectangle of pixels `{x0, y0, x1, y1}` (x1, y1 exclusive), or null when empty. */
function clampRect(x0, y0, x1, y1, width, height) {
  const r = { x0: Math.max(0, x0), y0: Math.max(0, y0), x1: Math.min(width, x1), y1: Math.min(height, y1) };
  return r.x0 < r.x1 && r.y0 < r.y1 ? r : null;
}

/** The union of two rectangles (either may be null). */
export function unionRect(a, b) {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/**
 * Paints (value 1) or erases (value 0) a brush of diameter `size` dragged from (ax, ay) to (bx, by): every
 * pixel whose centre lies within size/2 of the segment, plus the pixels under both ends, so a stroke has no
 * gaps however fast the pointer moved. Returns the changed rectangle (or null).
 */
export function paintSegment(mask, width, height, ax, ay, bx, by, size, value) {
  const radius = Math.max(0.5, size / 2);
  const rect = clampRect(
    Math.floor(Math.min(ax, bx) - radius),
    Math.floor(Math.min(ay, by) - radius),
    Math.ceil(Math.max(ax, bx) + radius) + 1,
    Math.ceil(Math.max(ay, by) + radius) + 1,
    width,
    height,
  );
  if (!rect) return null;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const r2 = radius * radius;
  const v = value ? 1 : 0;
  for (let y = rect.y0; y < rect.y1; y++) {
    const py = y + 0.5 - ay;
    const row = y * width;
    for (let x = rect.x0; x < rect.x1; x++) {
      const px = x + 0.5 - ax;
      let t = lengthSquared > 0 ? (px * dx + py * dy) / lengthSquared : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= r2) mask[row + x] = v;
    }
  }
  for (const [px, py] of [[ax, ay], [bx, by]]) {
    const x = Math.floor(px);
    const y = Math.floor(py);
    if (x >= 0 && y >= 0 && x < width && y < height) mask[y * width + x] = v;
  }
  return rect;
}

/**
 * Fills the region of unpainted pixels (4-connected) around (x, y) when painted pixels enclose it.
 * Returns `{status: "filled", rect, area}`, `{status: "open"}` when the region reaches the image's border
 * (the outline is not closed; nothing changes), `{status: "painted"}` when (x, y) is painted already, or
 * `{status: "outside"}` when (x, y) is not in the image.
 */
export function fillEnclosed(mask, width, height, x, y) {
  x = Math.floor(x);
  y = Math.floor(y);
  if (x < 0 || y < 0 || x >= width || y >= height) return { status: "outside" };
  if (mask[y * width + x]) return { status: "painted" };
  // Mark the region with 2 (scanline fill), then turn the marks into 1 — or back into 0 when it is open.
  const stack = [x, y];
  let open = false;
  let area = 0;
  let rect = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
  while (stack.length) {
    const sy = stack.pop();
    const sx = stack.pop();
    const row = sy * width;
    if (mask[row + sx] !== 0) continue;
    let left = sx;
    while (left > 0 && mask[row + left - 1] === 0) left--;
    let right = sx;
    while (right < width - 1 && mask[row + right + 1] === 0) right++;
    mask.fill(2, row + left, row + right + 1);
    area += right - left + 1;
    if (left === 0 || right === width - 1 || sy === 0 || sy === height - 1) open = true;
    rect = unionRect(rect, { x0: left, y0: sy, x1: right + 1, y1: sy + 1 });
    for (const ny of [sy - 1, sy + 1]) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      let inRun = false;
      for (let nx = left; nx <= right; nx++) {
        const free = mask[nrow + nx] === 0;
        if (free && !inRun) stack.push(nx, ny);
        inRun = free;
      }
    }
  }
  const result = open ? 0 : 1;
  for (let yy = rect.y0; yy < rect.y1; yy++) {
    const row = yy * width;
    for (let xx = rect.x0; xx < rect.x1; xx++) if (mask[row + xx] === 2) mask[row + xx] = result;
  }
  return open ? { status: "open" } : { status: "filled", rect, area };
}
