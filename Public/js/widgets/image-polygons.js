// The `polygons` field: click the points of an outline, Enter (or a click on the first point, or a double
// click) closes it; Backspace takes back the last point and Escape drops it. The selected polygon's vertices
// drag, a press on one of its edges adds a vertex there, Alt+click removes one, and its body drags it whole.

import { getImageEditor } from "./image-editor.js";
import { ShapeTool, createShapeWidget, distanceToSegment } from "./image-shapes.js";
import { clamp } from "./image-canvas.js";

const VERTEX_RADIUS = 7; // CSS px
const EDGE_DISTANCE = 5; // CSS px

export function createPolygonsWidget(field, core) {
  const editor = getImageEditor(core, field.image ?? "image");
  return createShapeWidget(new PolygonsTool(field, core), editor, "polygons");
}

/** Twice the signed area of a ring of [x, y] points. */
export function ringArea(points) {
  let sum = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) sum += (points[j][0] + points[i][0]) * (points[j][1] - points[i][1]);
  return sum / 2;
}

function orientation(a, b, c) {
  const value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function onSegment(a, b, c) {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}

function segmentsCross(a, b, c, d) {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** Whether two edges of the closed ring cross (adjacent edges share their vertex and do not count). */
export function selfIntersects(points) {
  const n = points.length;
  if (n < 4 || n > 3000) return false;
  for (let i = 0; i < n; i++) {
    const a = points[i];
    const b = points[(i + 1) % n];
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(a, b, points[j], points[(j + 1) % n])) return true;
    }
  }
  return false;
}

function pointInRing(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export class PolygonsTool extends ShapeTool {
  constructor(field, core) {
    super(field, core, { prefix: "p", order: 20, noun: "polygon", nounPlural: "polygons", minKey: "min_polygons", maxKey: "max_polygons" });
    this.drawing = null;
    this.drag = null;
    this.hoverId = null;
    this.bounds = new Map();
  }

  setValue(value) {
    super.setValue(value);
    this.bounds = new Map();
    for (const shape of this.shapes) {
      const points = Array.isArray(shape.points) ? shape.points : [];
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const point of points) {
        if (!Array.isArray(point)) continue;
        const [x, y] = point;
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      this.bounds.set(shape.id, [minX, minY, maxX, maxY]);
    }
  }

  hintText() {
    const label = this.label ? this.labelOf(this.label).label : null;
    if (!label) return "Choose a label, then click the points of an outline.";
    if (this.drawing) {
      const n = this.drawing.points.length;
      return `${n} point${n === 1 ? "" : "s"} · Enter or a click on the first point closes the “${label}” polygon · Backspace removes the last point · Esc cancels`;
    }
    return `Click the first point of a “${label}” polygon · Esc stops drawing`;
  }

  /** Whether the points make a valid outline; says why not in the hint. */
  valid(points) {
    if (points.length < 3) {
      this.editor.setHint("A polygon needs at least 3 points.");
      return false;
    }
    if (points.length > 10000) {
      this.editor.setHint("A polygon has at most 10,000 points.");
      return false;
    }
    if (ringArea(points) === 0) {
      this.editor.setHint("This polygon has no area.");
      return false;
    }
    if (this.field.self_intersection !== true && selfIntersects(points)) {
      this.editor.setHint("Two edges of this polygon cross: move or remove a point.");
      return false;
    }
    return true;
  }

  finish() {
    const drawing = this.drawing;
    if (!drawing) return;
    if (!this.valid(drawing.points)) return;
    if (!this.canAdd()) return;
    this.drawing = null;
    this.commit([...this.shapes, this.makeShape(drawing.label, { points: drawing.points })]);
    this.updateHint();
    this.editor.requestRender();
  }

  cancel() {
    if (!this.drawing) return false;
    this.drawing = null;
    this.updateHint();
    this.editor.requestRender();
    return true;
  }

  claimPointer() {
    return this.drawing !== null;
  }

  hitTest(p) {
    const pixel = p.pixel;
    const selected = this.selectedShape();
    if (selected && !this.isHidden(selected.id) && Array.isArray(selected.points)) {
      const points = selected.points;
      let nearest = -1;
      let nearestDistance = VERTEX_RADIUS * pixel;
      for (let index = 0; index < points.length; index++) {
        const distance = Math.hypot(p.x - points[index][0], p.y - points[index][1]);
        if (distance <= nearestDistance) {
          nearest = index;
          nearestDistance = distance;
        }
      }
      if (nearest >= 0) return { id: selected.id, part: "vertex", index: nearest };
      for (let index = 0; index < points.length; index++) {
        const [ax, ay] = points[index];
        const [bx, by] = points[(index + 1) % points.length];
        if (distanceToSegment(p.x, p.y, ax, ay, bx, by) <= EDGE_DISTANCE * pixel) {
          return { id: selected.id, part: "edge", index };
        }
      }
    }
    let best = null;
    let bestArea = Infinity;
    for (const shape of this.shapes) {
      const b = this.bounds.get(shape.id);
      if (!b || p.x < b[0] || p.y < b[1] || p.x > b[2] || p.y > b[3] || this.isHidden(shape.id)) continue;
      const area = (b[2] - b[0]) * (b[3] - b[1]);
      if (area <= bestArea && pointInRing(p.x, p.y, shape.points)) {
        best = shape;
        bestArea = area;
      }
    }
    return best ? { id: best.id, part: "body" } : null;
  }

  hover(p, hit) {
    if (this.drawing && this.editor.active === this) {
      this.drawing.cursor = this.point(p);
      this.editor.requestRender();
      return "crosshair";
    }
    const id = hit ? hit.id : null;
    if (id !== this.hoverId) {
      this.hoverId = id;
      this.editor.requestRender();
    }
    if (!hit) return undefined;
    if (hit.part === "vertex") return "grab";
    if (hit.part === "edge") return "copy";
    return this.editor.isSelected(this, hit.id) ? "move" : "pointer";
  }

  pointerDown(p, hit) {
    const editor = this.editor;
    if (this.drawing) {
      const points = this.drawing.points;
      const first = points[0];
      const last = points[points.length - 1];
      if (points.length >= 3 && Math.hypot(p.x - first[0], p.y - first[1]) <= VERTEX_RADIUS * p.pixel) {
        this.finish();
        return false;
      }
      if (p.detail >= 2 && points.length >= 3 && Math.hypot(p.x - last[0], p.y - last[1]) <= 4 * p.pixel) {
        this.finish();
        return false;
      }
      const point = this.point(p);
      if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= p.pixel) points.push(point);
      this.drawing.cursor = point;
      this.updateHint();
      editor.requestRender();
      return false;
    }
    if (hit && hit.tool === this && (editor.isSelected(this, hit.id) || editor.active !== this)) {
      const shape = this.byId.get(hit.id);
      if (!shape) return false;
      this.select(hit.id);
      if (hit.part === "vertex" && p.altKey) {
        if (shape.points.length <= 3) editor.setHint("A polygon needs at least 3 points.");
        else {
          const points = shape.points.filter((_, index) => index !== hit.index);
          if (this.valid(points)) this.replaceShape(shape.id, { ...shape, points });
        }
        return false;
      }
      const points = shape.points.map((point) => [point[0], point[1]]);
      let index = hit.index;
      if (hit.part === "edge") {
        index = hit.index + 1;
        points.splice(index, 0, this.point(p));
      }
      this.drag = { mode: hit.part === "body" ? "move" : "vertex", id: shape.id, index, start: p, original: shape,
        base: points, points: points.map((point) => [point[0], point[1]]), moved: false };
      editor.requestRender();
      return true;
    }
    if (editor.active !== this) return false;
    if (!this.label) {
      editor.setHint("Choose a label first.");
      return false;
    }
    if (!this.canAdd()) return false;
    const point = this.point(p);
    editor.select(null);
    this.drawing = { label: this.label, points: [point], cursor: point };
    this.updateHint();
    editor.requestRender();
    return false;
  }

  pointerMove(p) {
    const drag = this.dragMove(p);
    if (!drag) return;
    if (drag.mode === "vertex") {
      drag.points[drag.index] = this.point(p);
    } else {
      const b = this.bounds.get(drag.id);
      const dx = clamp(p.x - drag.start.x, -b[0], this.editor.width - b[2]);
      const dy = clamp(p.y - drag.start.y, -b[1], this.editor.height - b[3]);
      for (let index = 0; index < drag.base.length; index++) {
        drag.points[index][0] = drag.base[index][0] + dx;
        drag.points[index][1] = drag.base[index][1] + dy;
      }
    }
    this.editor.requestRender();
  }

  pointerUp(p) {
    const drag = this.dragEnd(p);
    if (!drag || !drag.moved) return;
    const points = drag.points.map(([x, y]) => [this.editor.clampX(x), this.editor.clampY(y)]);
    if (!this.valid(points)) return;
    this.replaceShape(drag.id, { ...drag.original, points });
  }

  handleKey(name, event) {
    if (this.drawing && this.editor.active === this) {
      if (name === "enter") {
        this.finish();
        return true;
      }
      if (name === "backspace") {
        this.drawing.points.pop();
        if (!this.drawing.points.length) this.drawing = null;
        this.updateHint();
        this.editor.requestRender();
        return true;
      }
    }
    return super.handleKey(name, event);
  }

  // Drawing: one path per label colour; the selected polygon's vertices and the outline being drawn on top.

  draw(ctx, view) {
    const pixel = view.pixel;
    const skip = this.drag ? this.drag.id : null;
    const anyHidden = this.hidden.size > 0;
    const { left, top, right, bottom } = view;
    ctx.lineWidth = 1.5 * pixel;
    ctx.lineJoin = "round";
    for (const bucket of this.buckets) {
      ctx.beginPath();
      for (const shape of bucket.items) {
        const b = this.bounds.get(shape.id);
        if (!b || b[0] > right || b[1] > bottom || b[2] < left || b[3] < top) continue;
        if (shape.id === skip || (anyHidden && this.hidden.has(shape.id))) continue;
        this.tracePath(ctx, shape.points);
      }
      ctx.fillStyle = bucket.fill;
      ctx.fill("evenodd");
      ctx.strokeStyle = bucket.color;
      ctx.stroke();
    }
    const hovered = this.hoverId !== null && this.hoverId !== skip ? this.byId.get(this.hoverId) : null;
    if (hovered && !this.isHidden(hovered.id)) {
      ctx.beginPath();
      this.tracePath(ctx, hovered.points);
      ctx.lineWidth = 3 * pixel;
      ctx.strokeStyle = this.labelOf(hovered.label).color;
      ctx.stroke();
    }
    const selected = this.drag ? { label: this.drag.original.label, points: this.drag.points } : this.selectedShape();
    if (selected && (this.drag || !this.isHidden(selected.id))) {
      ctx.beginPath();
      this.tracePath(ctx, selected.points);
      if (this.drag) {
        ctx.fillStyle = "rgba(255, 255, 255, 0.12)";
        ctx.fill("evenodd");
      }
      ctx.lineWidth = 4 * pixel;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.lineWidth = 2 * pixel;
      ctx.strokeStyle = this.labelOf(selected.label).color;
      ctx.stroke();
    }
    const drawing = this.drawing;
    if (drawing) {
      const points = drawing.points;
      ctx.beginPath();
      ctx.moveTo(points[0][0], points[0][1]);
      for (let index = 1; index < points.length; index++) ctx.lineTo(points[index][0], points[index][1]);
      ctx.lineWidth = 2 * pixel;
      ctx.strokeStyle = this.labelOf(drawing.label).color;
      ctx.stroke();
      if (drawing.cursor) {
        ctx.beginPath();
        ctx.moveTo(points[points.length - 1][0], points[points.length - 1][1]);
        ctx.lineTo(drawing.cursor[0], drawing.cursor[1]);
        if (points.length >= 2) ctx.lineTo(points[0][0], points[0][1]);
        ctx.setLineDash([5 * pixel, 4 * pixel]);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
  }

  tracePath(ctx, points) {
    if (!Array.isArray(points) || !points.length) return;
    ctx.moveTo(points[0][0], points[0][1]);
    for (let index = 1; index < points.length; index++) ctx.lineTo(points[index][0], points[index][1]);
    ctx.closePath();
  }

  drawScreen(ctx, view) {
    const { scale, x: ox, y: oy } = view;
    const vertices = (points, color, firstBig) => {
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = color;
      ctx.fillStyle = "#ffffff";
      for (let index = 0; index < points.length; index++) {
        const size = firstBig && index === 0 ? 5 : 3.5;
        const sx = points[index][0] * scale + ox;
        const sy = points[index][1] * scale + oy;
        ctx.beginPath();
        ctx.arc(sx, sy, size, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
      }
    };
    if (this.drawing) vertices(this.drawing.points, this.labelOf(this.drawing.label).color, this.drawing.points.length >= 3);
    const selected = this.drag ? { label: this.drag.original.label, points: this.drag.points } : this.selectedShape();
    if (selected && (this.drag || !this.isHidden(selected.id)) && selected.points.length <= 2000) {
      vertices(selected.points, this.labelOf(selected.label).color, false);
    }
  }
}
