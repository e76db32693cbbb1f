// The `boxes` field: drag to draw a box with the chosen label; click to select, drag the body to move it, its
// eight handles to resize it; arrows nudge it; the selected box's attributes and parent are edited in the form.

import { getImageEditor } from "./image-editor.js";
import { CLICK_SLOP, ShapeTool, createShapeWidget } from "./image-shapes.js";
import { clamp, round2 } from "./image-canvas.js";

const HANDLES = [
  ["nw", 0, 0], ["n", 0.5, 0], ["ne", 1, 0], ["e", 1, 0.5], ["se", 1, 1], ["s", 0.5, 1], ["sw", 0, 1], ["w", 0, 0.5],
];
const CURSORS = { nw: "nwse-resize", se: "nwse-resize", ne: "nesw-resize", sw: "nesw-resize", n: "ns-resize", s: "ns-resize", e: "ew-resize", w: "ew-resize" };
const HANDLE_RADIUS = 6; // CSS px

export function createBoxesWidget(field, core) {
  const editor = getImageEditor(core, field.image ?? "image");
  return createShapeWidget(new BoxesTool(field, core), editor, "boxes");
}

export class BoxesTool extends ShapeTool {
  constructor(field, core) {
    super(field, core, { prefix: "b", order: 10, noun: "box", nounPlural: "boxes", minKey: "min_boxes", maxKey: "max_boxes" });
    this.drag = null;
    this.hoverId = null;
    this.cursor = null;
    this.visibleCount = 0;
  }

  hintText() {
    const label = this.label ? this.labelOf(this.label).label : null;
    return label ? `Drag on the image to draw a “${label}” box · click a box to select it · Esc stops drawing` : "Choose a label, then drag on the image to draw a box.";
  }

  /** The box of four edges, clamped into the image and rounded; null when it has no area. */
  finalBox(x1, y1, x2, y2) {
    const { width: W, height: H } = this.editor;
    const left = round2(clamp(Math.min(x1, x2), 0, W));
    const top = round2(clamp(Math.min(y1, y2), 0, H));
    const right = round2(clamp(Math.max(x1, x2), 0, W));
    const bottom = round2(clamp(Math.max(y1, y2), 0, H));
    let width = round2(right - left);
    let height = round2(bottom - top);
    // Rounding must not push the far edge out of the image.
    if (left + width > W) width = round2(width - 0.01);
    if (top + height > H) height = round2(height - 0.01);
    if (!(width > 0 && height > 0)) return null;
    return { x: left, y: top, width, height };
  }

  // Hit-testing: the selected box's handles first, then the smallest box under the pointer.

  hitTest(p) {
    const tolerance = 3 * p.pixel;
    const selected = this.selectedShape();
    if (selected && !this.isHidden(selected.id)) {
      const radius = HANDLE_RADIUS * p.pixel;
      for (const [name, fx, fy] of HANDLES) {
        const hx = selected.x + fx * selected.width;
        const hy = selected.y + fy * selected.height;
        if (Math.abs(p.x - hx) <= radius && Math.abs(p.y - hy) <= radius) return { id: selected.id, part: "handle", handle: name };
      }
    }
    let best = null;
    let bestArea = Infinity;
    for (const shape of this.shapes) {
      if (p.x < shape.x - tolerance || p.y < shape.y - tolerance || p.x > shape.x + shape.width + tolerance || p.y > shape.y + shape.height + tolerance) continue;
      if (this.isHidden(shape.id)) continue;
      const area = shape.width * shape.height;
      if (area < bestArea || (area === bestArea && best !== null)) {
        best = shape;
        bestArea = area;
      }
    }
    return best ? { id: best.id, part: "body" } : null;
  }

  hover(p, hit) {
    // While drawing boxes, guide lines cross the image at the pointer.
    const guide = this.editor.active === this && this.editor.canvas.pointerInside ? p : null;
    if (guide || this.cursor) {
      this.cursor = guide;
      this.editor.requestRender();
    }
    const id = hit ? hit.id : null;
    if (id !== this.hoverId) {
      this.hoverId = id;
      this.editor.requestRender();
    }
    if (!hit) return undefined;
    if (hit.part === "handle") return CURSORS[hit.handle];
    return this.editor.isSelected(this, hit.id) ? "move" : "pointer";
  }

  // Gestures: draw, move, resize. The value changes once, on release.

  pointerDown(p, hit) {
    const editor = this.editor;
    if (hit && hit.tool === this && (hit.part === "handle" || editor.isSelected(this, hit.id) || editor.active !== this)) {
      const shape = this.byId.get(hit.id);
      this.select(hit.id);
      this.drag = { mode: hit.part === "handle" ? "resize" : "move", handle: hit.handle, id: hit.id, start: p, original: shape,
        box: { x: shape.x, y: shape.y, width: shape.width, height: shape.height }, moved: false };
      return true;
    }
    if (editor.active !== this) return false;
    if (!this.label) {
      editor.setHint("Choose a label first.");
      return false;
    }
    const x = clamp(p.x, 0, editor.width);
    const y = clamp(p.y, 0, editor.height);
    this.drag = { mode: "draw", start: p, x1: x, y1: y, x2: x, y2: y, hit, moved: false };
    return true;
  }

  pointerMove(p) {
    const drag = this.dragMove(p);
    if (!drag) return;
    const { width: W, height: H } = this.editor;
    if (drag.mode === "draw") {
      drag.x2 = clamp(p.x, 0, W);
      drag.y2 = clamp(p.y, 0, H);
    } else if (drag.mode === "move") {
      const o = drag.original;
      drag.box.x = clamp(o.x + p.x - drag.start.x, 0, Math.max(0, W - o.width));
      drag.box.y = clamp(o.y + p.y - drag.start.y, 0, Math.max(0, H - o.height));
    } else {
      const o = drag.original;
      let left = o.x;
      let top = o.y;
      let right = o.x + o.width;
      let bottom = o.y + o.height;
      const x = clamp(p.x, 0, W);
      const y = clamp(p.y, 0, H);
      if (drag.handle.includes("w")) left = x;
      if (drag.handle.includes("e")) right = x;
      if (drag.handle.includes("n")) top = y;
      if (drag.handle.includes("s")) bottom = y;
      drag.box.x = Math.min(left, right);
      drag.box.y = Math.min(top, bottom);
      drag.box.width = Math.abs(right - left);
      drag.box.height = Math.abs(bottom - top);
    }
    this.editor.requestRender();
  }

  pointerUp(p) {
    const drag = this.dragEnd(p);
    if (!drag) return;
    if (drag.mode === "draw") {
      const tooSmall = Math.abs(drag.x2 - drag.x1) / p.pixel < CLICK_SLOP || Math.abs(drag.y2 - drag.y1) / p.pixel < CLICK_SLOP;
      if (!drag.moved || tooSmall) {
        // A click: select what was under it (even of another field), or nothing.
        if (drag.hit) this.editor.select(drag.hit.tool, drag.hit.id);
        else this.editor.select(null);
        return;
      }
      if (!this.canAdd()) return;
      const box = this.finalBox(drag.x1, drag.y1, drag.x2, drag.y2);
      if (!box) return;
      this.editor.select(null);
      this.commit([...this.shapes, this.makeShape(this.label, box)]);
      this.updateHint();
      return;
    }
    if (!drag.moved) return;
    const b = drag.box;
    const box = this.finalBox(b.x, b.y, b.x + b.width, b.y + b.height);
    const o = drag.original;
    if (!box || (box.x === o.x && box.y === o.y && box.width === o.width && box.height === o.height)) return;
    this.replaceShape(o.id, { ...o, ...box });
  }

  deactivate() {
    this.cursor = null;
    super.deactivate();
  }

  cancel() {
    if (!this.drag) return false;
    this.editor.canvas.cancelGesture();
    return true;
  }

  handleKey(name, event) {
    if (super.handleKey(name, event)) return true;
    const shape = this.selectedShape();
    const nudge = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] };
    const key = name.startsWith("shift+") ? name.slice(6) : name;
    if (shape && nudge[key]) {
      const step = name.startsWith("shift+") ? 10 : 1;
      const { width: W, height: H } = this.editor;
      const x = clamp(shape.x + nudge[key][0] * step, 0, Math.max(0, W - shape.width));
      const y = clamp(shape.y + nudge[key][1] * step, 0, Math.max(0, H - shape.height));
      const box = this.finalBox(x, y, x + shape.width, y + shape.height);
      if (box) this.core.setField(this.name, this.shapes.map((other) => (other.id === shape.id ? { ...shape, ...box } : other)), { coalesce: true });
      return true;
    }
    return false;
  }

  // Drawing: one path per label colour for all boxes; the selected, hovered and dragged ones on top.

  draw(ctx, view) {
    const pixel = view.pixel;
    const drag = this.drag;
    const skip = drag && drag.mode !== "draw" ? drag.id : null;
    const anyHidden = this.hidden.size > 0;
    const { left, top, right, bottom } = view;
    // In device pixels with lines exactly one pixel wide: the rasterizer's fast path (two lines on dense screens).
    const a = view.dpr * view.scale;
    const e = view.dpr * view.x;
    const f = view.dpr * view.y;
    const double = view.dpr >= 1.5;
    let count = 0;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.lineWidth = 1;
    for (const bucket of this.buckets) {
      ctx.beginPath();
      const items = bucket.items;
      for (let index = 0; index < items.length; index++) {
        const s = items[index];
        if (s.x > right || s.y > bottom || s.x + s.width < left || s.y + s.height < top) continue;
        if (s.id === skip || (anyHidden && this.hidden.has(s.id))) continue;
        const x0 = Math.round(s.x * a + e);
        const y0 = Math.round(s.y * a + f);
        const w = Math.max(1, Math.round((s.x + s.width) * a + e) - x0);
        const h = Math.max(1, Math.round((s.y + s.height) * a + f) - y0);
        ctx.rect(x0 + 0.5, y0 + 0.5, w - 1, h - 1);
        if (double && w > 3 && h > 3) ctx.rect(x0 + 1.5, y0 + 1.5, w - 3, h - 3);
        count++;
      }
      ctx.fillStyle = bucket.fill;
      ctx.fill();
      ctx.strokeStyle = bucket.color;
      ctx.stroke();
    }
    ctx.restore();
    this.visibleCount = count;

    const hovered = this.hoverId !== null && this.hoverId !== skip ? this.byId.get(this.hoverId) : null;
    if (hovered && !this.isHidden(hovered.id)) {
      ctx.lineWidth = 3 * pixel;
      ctx.strokeStyle = this.labelOf(hovered.label).color;
      ctx.strokeRect(hovered.x, hovered.y, hovered.width, hovered.height);
    }
    const selected = this.selectedShape();
    if (selected && selected.id !== skip && !this.isHidden(selected.id)) this.outline(ctx, selected, this.labelOf(selected.label).color, pixel);
    if (drag && drag.mode !== "draw") {
      const color = this.labelOf(drag.original.label).color;
      this.outline(ctx, drag.box, color, pixel);
    } else if (drag && drag.moved) {
      ctx.setLineDash([6 * pixel, 4 * pixel]);
      ctx.lineWidth = 2 * pixel;
      ctx.strokeStyle = this.labelOf(this.label).color;
      ctx.fillStyle = "rgba(255, 255, 255, 0.08)";
      const x = Math.min(drag.x1, drag.x2);
      const y = Math.min(drag.y1, drag.y2);
      ctx.fillRect(x, y, Math.abs(drag.x2 - drag.x1), Math.abs(drag.y2 - drag.y1));
      ctx.strokeRect(x, y, Math.abs(drag.x2 - drag.x1), Math.abs(drag.y2 - drag.y1));
      ctx.setLineDash([]);
    }
    // A selected part points at its parent.
    const parent = selected?.parent != null ? this.byId.get(selected.parent) : null;
    if (parent && !this.isHidden(parent.id)) {
      ctx.setLineDash([4 * pixel, 4 * pixel]);
      ctx.lineWidth = 1.5 * pixel;
      ctx.strokeStyle = "#ffffff";
      ctx.beginPath();
      ctx.moveTo(selected.x + selected.width / 2, selected.y + selected.height / 2);
      ctx.lineTo(parent.x + parent.width / 2, parent.y + parent.height / 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  /** A label's tag (its text, width, colour and a readable ink on it), measured once per label. */
  tag(ctx, value) {
    this.tags ??= new Map();
    let tag = this.tags.get(value);
    if (!tag) {
      const label = this.labelOf(value);
      const text = label.label.length > 40 ? `${label.label.slice(0, 39)}…` : label.label;
      const digits = label.color.length === 4 ? [...label.color.slice(1)].map((d) => d + d).join("") : label.color.slice(1);
      const n = Number.parseInt(digits, 16);
      const light = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255) > 150;
      tag = { text, width: Math.ceil(ctx.measureText(text).width) + 6, color: label.color, ink: light ? "#1d2330" : "#ffffff" };
      this.tags.set(value, tag);
    }
    return tag;
  }

  outline(ctx, box, color, pixel) {
    ctx.lineWidth = 4 * pixel;
    ctx.strokeStyle = "#ffffff";
    ctx.strokeRect(box.x, box.y, box.width, box.height);
    ctx.lineWidth = 2 * pixel;
    ctx.strokeStyle = color;
    ctx.strokeRect(box.x, box.y, box.width, box.height);
  }

  /** Handles of the selected box and, when few boxes show, their labels: in screen pixels, crisp. */
  drawScreen(ctx, view) {
    const { scale, x: ox, y: oy } = view;
    if (this.visibleCount && this.visibleCount <= 150) {
      // Few boxes in view: each gets a tag with its label.
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.textBaseline = "top";
      const { left, top, right, bottom } = view;
      for (const s of this.shapes) {
        if (s.x > right || s.y > bottom || s.x + s.width < left || s.y + s.height < top || this.isHidden(s.id)) continue;
        if (this.drag && this.drag.id === s.id) continue;
        const tag = this.tag(ctx, s.label);
        const sx = Math.round(s.x * scale + ox);
        let sy = Math.round(s.y * scale + oy) - 15;
        if (sy < 0) sy = Math.round(s.y * scale + oy);
        ctx.fillStyle = tag.color;
        ctx.fillRect(sx, sy, tag.width, 15);
        ctx.fillStyle = tag.ink;
        ctx.fillText(tag.text, sx + 3, sy + 2);
      }
    }
    const drag = this.drag;
    const guide = drag && drag.mode === "draw" ? { sx: drag.x2 * scale + ox, sy: drag.y2 * scale + oy } : drag ? null : this.cursor;
    if (guide && this.editor.active === this && (drag || this.editor.canvas.pointerInside)) {
      ctx.save();
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.7)";
      ctx.beginPath();
      const x = Math.round(guide.sx) + 0.5;
      const y = Math.round(guide.sy) + 0.5;
      ctx.moveTo(x, Math.max(0, oy));
      ctx.lineTo(x, Math.min(view.height, oy + view.imageHeight * scale));
      ctx.moveTo(Math.max(0, ox), y);
      ctx.lineTo(Math.min(view.width, ox + view.imageWidth * scale), y);
      ctx.stroke();
      ctx.restore();
    }
    const selected = drag && drag.mode !== "draw" ? drag.box : this.selectedShape();
    if (!selected || (!drag && this.isHidden(selected.id))) return;
    const color = this.labelOf((drag?.original ?? selected).label).color;
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.fillStyle = "#ffffff";
    for (const [, fx, fy] of HANDLES) {
      const hx = Math.round((selected.x + fx * selected.width) * scale + ox);
      const hy = Math.round((selected.y + fy * selected.height) * scale + oy);
      ctx.fillRect(hx - 4, hy - 4, 8, 8);
      ctx.strokeRect(hx - 4, hy - 4, 8, 8);
    }
  }

  // The parent of a part (when the field allows parents).

  setParent(id, parentId) {
    const shape = this.byId.get(id);
    if (!shape) return;
    const changed = { ...shape };
    if (parentId) changed.parent = parentId;
    else delete changed.parent;
    this.replaceShape(id, changed);
  }

  /** Boxes that may be the parent of `id`: not itself, nor one of its descendants (no cycles). */
  parentCandidates(id) {
    const children = new Map();
    for (const shape of this.shapes) {
      if (shape.parent == null) continue;
      if (!children.has(shape.parent)) children.set(shape.parent, []);
      children.get(shape.parent).push(shape.id);
    }
    const excluded = new Set([id]);
    const queue = [id];
    while (queue.length) {
      for (const child of children.get(queue.pop()) ?? []) {
        if (!excluded.has(child)) {
          excluded.add(child);
          queue.push(child);
        }
      }
    }
    return this.shapes.filter((shape) => !excluded.has(shape.id));
  }

  buildSelectionExtras(shape) {
    if (this.field.parents !== true) return [];
    const wrapper = document.createElement("label");
    wrapper.className = "image-attribute image-parent";
    const text = document.createElement("span");
    text.textContent = "Part of";
    const select = document.createElement("select");
    select.className = "image-parent-select";
    wrapper.append(text, select);
    let signature = null;
    const sync = (current) => {
      const candidates = this.parentCandidates(current.id);
      const next = candidates.map((candidate) => `${candidate.id}\u0000${candidate.label}`).join("\u0001");
      if (next !== signature && document.activeElement !== select) {
        signature = next;
        const none = document.createElement("option");
        none.value = "";
        none.textContent = "— no parent —";
        select.replaceChildren(none, ...candidates.map((candidate) => {
          const option = document.createElement("option");
          option.value = candidate.id;
          option.textContent = this.describe(candidate);
          return option;
        }));
      }
      select.value = current.parent != null && this.byId.has(current.parent) ? current.parent : "";
    };
    select.addEventListener("change", () => {
      this.setParent(shape.id, select.value || undefined);
      select.blur();
    });
    sync(shape);
    return [{ wrapper, sync }];
  }
}
