// Offsets over a text: Unicode code points (the stored unit, what Python's str indexes) against JavaScript's
// UTF-16 units, grapheme clusters (a span never splits a character), and words and lines for keyboard moves.

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** The index of one text, computed once: every conversion and move is then O(1) or O(log n). */
export class TextIndex {
  constructor(text) {
    this.text = text;
    this.length = text.length;
    // Without surrogates a code point is a UTF-16 unit and both maps are the identity.
    if (/[\uD800-\uDFFF]/.test(text)) {
      const unitToPoint = new Uint32Array(text.length + 1);
      const pointToUnit = new Uint32Array(text.length + 1);
      let point = 0;
      for (let unit = 0; unit < text.length; unit++, point++) {
        unitToPoint[unit] = point;
        pointToUnit[point] = unit;
        const code = text.charCodeAt(unit);
        if (code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length) {
          const next = text.charCodeAt(unit + 1);
          if (next >= 0xdc00 && next <= 0xdfff) unitToPoint[++unit] = point;
        }
      }
      unitToPoint[text.length] = point;
      pointToUnit[point] = text.length;
      this.unitToPoint = unitToPoint;
      this.pointToUnit = pointToUnit.subarray(0, point + 1);
      this.pointLength = point;
    } else {
      this.unitToPoint = null;
      this.pointToUnit = null;
      this.pointLength = text.length;
    }
    this.boundary = new Uint8Array(text.length + 1);
    for (const { index } of graphemeSegmenter.segment(text)) this.boundary[index] = 1;
    this.boundary[text.length] = 1;
    this.words = null;
  }

  /** The code point offset of a UTF-16 offset (inside a surrogate pair: the pair's start). */
  toPoint(unit) {
    const clamped = Math.max(0, Math.min(this.length, unit));
    return this.unitToPoint ? this.unitToPoint[clamped] : clamped;
  }

  /** The UTF-16 offset of a code point offset (clamped to the text). */
  toUnit(point) {
    const clamped = Math.max(0, Math.min(this.pointLength, Math.trunc(point) || 0));
    return this.pointToUnit ? this.pointToUnit[clamped] : clamped;
  }

  /** The text between two code point offsets. */
  slicePoints(start, end) {
    return this.text.slice(this.toUnit(start), this.toUnit(end));
  }

  /** Whether a UTF-16 offset lies between two characters (grapheme clusters). */
  isBoundary(unit) {
    return unit >= 0 && unit <= this.length && this.boundary[unit] === 1;
  }

  /** Whether a code point offset lies between two characters. */
  isPointBoundary(point) {
    if (point < 0 || point > this.pointLength) return false;
    return this.boundary[this.toUnit(point)] === 1;
  }

  floorBoundary(unit) {
    let at = Math.max(0, Math.min(this.length, unit));
    while (at > 0 && !this.boundary[at]) at--;
    return at;
  }

  ceilBoundary(unit) {
    let at = Math.max(0, Math.min(this.length, unit));
    while (at < this.length && !this.boundary[at]) at++;
    return at;
  }

  /** The start of the next character after `unit`. */
  nextBoundary(unit) {
    return unit >= this.length ? this.length : this.ceilBoundary(Math.max(0, unit) + 1);
  }

  /** The start of the character before `unit`. */
  previousBoundary(unit) {
    return unit <= 0 ? 0 : this.floorBoundary(Math.min(this.length, unit) - 1);
  }

  /** A range widened to whole characters, then narrowed of the whitespace at either end. */
  snapAndTrim(start, end) {
    let from = this.floorBoundary(Math.min(start, end));
    let to = this.ceilBoundary(Math.max(start, end));
    while (from < to) {
      const next = this.nextBoundary(from);
      if (!/^\s+$/.test(this.text.slice(from, next))) break;
      from = next;
    }
    while (to > from) {
      const previous = this.previousBoundary(to);
      if (!/^\s+$/.test(this.text.slice(previous, to))) break;
      to = previous;
    }
    return [from, to];
  }

  wordRanges() {
    if (!this.words) {
      const starts = [];
      const ends = [];
      for (const { index, segment, isWordLike } of wordSegmenter.segment(this.text)) {
        if (!isWordLike) continue;
        starts.push(index);
        ends.push(index + segment.length);
      }
      this.words = { starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
    }
    return this.words;
  }

  /** The end of the word that ends after `unit` (the text's end when none). */
  nextWordEnd(unit) {
    const { ends } = this.wordRanges();
    const found = firstAbove(ends, unit);
    return found < ends.length ? ends[found] : this.length;
  }

  /** The start of the word that starts before `unit` (0 when none). */
  previousWordStart(unit) {
    const { starts } = this.wordRanges();
    const found = firstAbove(starts, unit - 1) - 1;
    return found >= 0 ? starts[found] : 0;
  }

  lineStart(unit) {
    return unit <= 0 ? 0 : this.text.lastIndexOf("\n", unit - 1) + 1;
  }

  lineEnd(unit) {
    const found = this.text.indexOf("\n", unit);
    return found < 0 ? this.length : found;
  }

  /** The same column on the line above (-1) or below (+1), by characters. */
  verticalMove(unit, direction) {
    const start = this.lineStart(unit);
    const column = this.graphemeCount(start, unit);
    let lineStart;
    if (direction < 0) {
      if (start === 0) return 0;
      lineStart = this.lineStart(start - 1);
    } else {
      const end = this.lineEnd(unit);
      if (end >= this.length) return this.length;
      lineStart = end + 1;
    }
    const lineEnd = this.lineEnd(lineStart);
    let at = lineStart;
    for (let step = 0; step < column && at < lineEnd; step++) at = this.nextBoundary(at);
    return Math.min(at, lineEnd);
  }

  graphemeCount(from, to) {
    let count = 0;
    for (let at = from; at < to; at++) if (this.boundary[at]) count++;
    return count;
  }
}

/** The first position in a sorted array whose value is above `value`. */
function firstAbove(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

const cache = new Map();

/** The index of a text, kept for the few texts most recently asked for. */
export function textIndex(text) {
  const key = typeof text === "string" ? text : "";
  let index = cache.get(key);
  if (index) {
    cache.delete(key);
  } else {
    index = new TextIndex(key);
    if (cache.size >= 8) cache.delete(cache.keys().next().value);
  }
  cache.set(key, index);
  return index;
}

/** Code point offset → UTF-16 offset, for one-off conversions. */
export function pointToUnit(text, point) {
  return textIndex(text).toUnit(point);
}

/** UTF-16 offset → code point offset, for one-off conversions. */
export function unitToPoint(text, unit) {
  return textIndex(text).toPoint(unit);
}

/** The number of code points in a text (Python's len). */
export function pointLength(text) {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
