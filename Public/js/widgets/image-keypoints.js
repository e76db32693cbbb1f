// The `keypoints` field: with a label chosen, click the schema's points in order (the prompt names the next);
// "v" marks the next point absent, "o" (or Shift+click) places it occluded, Enter ends the object early,
// Backspace takes back the last point. Placed points drag; a drag on the skeleton moves the whole object.

import { getImageEditor } from "./image-editor.js";
import { ShapeTool, createShapeWidget, distanceToSegment } from "./image-shapes.js";
import { clamp } from "./image-canvas.js";

const POINT_RADIUS = 7; // CSS px, for hit-testing
const LINE_DISTANCE = 5; // CSS px
const STATES = { 0: "absent", 1: "occluded", 2: "visible" };

export function createKeypointsWidget(field, core) {
  const editor = getImageEditor(core, field.image ?? "image");
  return createShapeWidget(new KeypointsTool(field, core), editor, "keypoints");
}

export class KeypointsTool extends ShapeTool {
  constructor(field, core) {
    super(field, core, { prefix: "k", order: 30, noun: "object", nounPlural: "objects", minKey: "min_instances", maxKey: "max_instances",
      defaultLabels: ["object"] });
    this.points = (Array.isArray(field.points) ? field.points : []).map((point) => {
      const object = typeof point === "object" && point !== null ? point : { name: point };
      return { name: String(object.name), label: object.label != null ? String(object.label) : String(object.name) };
    });
    const indexOf = new Map(this.points.map((point, index) => [point.name, index]));
    this.skeleton = (Array.isArray(field.skeleton) ? field.skeleton : [])
      .filter((pair) => Array.isArray(pair) && indexOf.has(pair[0]) && indexOf.has(pair[1]))
      .map(([a, b]) => [indexOf.get(a), indexOf.get(b)]);
    this.placing = null; // {id, index}: the object being placed and its next point
    this.startIndex = 0; // the first point of a new object ("v" before the first click skips points)
    this.occluded = false;
    this.selectedPoint = null;
    this.drag = null;
    this.cursor = null;
    this.hoverId = null;
  }

  setValue(value) {
    super.setValue(value);
    if (this.placing && !this.byId.has(this.placing.id)) this.placing = null;
    this.updateHint();
  }

  keypointsOf(shape) {
    return Array.isArray(shape?.keypoints) ? shape.keypoints : [];
  }

  nextIndex() {
    return this.placing ? this.placing.index : this.startIndex;
  }

  hintText() {
    const label = this.label ? this.labelOf(this.label).label : null;
    if (!label) return "Choose a label, then click the points in order.";
    const index = this.nextIndex();
    const point = this.points[index];
    if (!point) return "";
    const how = this.occluded ? " as occluded" : "";
    const start = this.placing ? "" : ` to start a new “${label}”`;
    return `Click ${point.label} (${index + 1} of ${this.points.length})${how}${start} · v: absent · o: occluded · Enter: done · Backspace: back`;
  }

  updateHint() {
    super.updateHint();
    this.updateControls?.();
  }

  /** The first point after `index` not yet placed, or -1. */
  nextAbsent(shape, index) {
    const keypoints = this.keypointsOf(shape);
    for (let next = index + 1; next < this.points.length; next++) if (!(keypoints[next]?.[2] > 0)) return next;
    return -1;
  }

  /** Ends the object being placed (its placed points stay). */
  done() {
    const finished = this.placing;
    this.placing = null;
    this.startIndex = 0;
    this.occluded = false;
    if (finished) this.editor.setHint(`${finished.id} done.`);
    this.updateHint();
    this.editor.requestRender();
  }

  cancel() {
    if (!this.placing && !this.startIndex && !this.drag && !this.occluded) return false;
    if (this.drag) this.editor.canvas.cancelGesture();
    this.placing = null;
    this.startIndex = 0;
    this.occluded = false;
    this.updateHint();
    this.editor.requestRender();
    return true;
  }

  activate() {
    super.activate();
    this.selectedPoint = null;
  }

  selectionChanged() {
    this.selectedPoint = null;
    super.selectionChanged();
  }

  /** While this tool places points, every press places one, except on a point of the selected object. */
  claimPointer(p) {
    if (!this.placing) {
      const selected = this.selectedShape();
      if (selected && this.pointAt(selected, p) >= 0) return false;
    }
    return true;
  }

  pointAt(shape, p) {
    const keypoints = this.keypointsOf(shape);
    let nearest = -1;
    let nearestDistance = POINT_RADIUS * p.pixel;
    for (let index = 0; index < keypoints.length; index++) {
      const [x, y, v] = keypoints[index];
      if (!(v > 0)) continue;
      const distance = Math.hypot(p.x - x, p.y - y);
      if (distance <= nearestDistance) {
        nearest = index;
        nearestDistance = distance;
      }
    }
    return nearest;
  }

  hitTest(p) {
    const selected = this.selectedShape();
    const ordered = selected ? [selected, ...this.shapes] : this.shapes;
    for (const shape of ordered) {
      if (this.isHidden(shape.id)) continue;
      const index = this.pointAt(shape, p);
      if (index >= 0) return { id: shape.id, part: "point", index };
    }
    for (const shape of ordered) {
      if (this.isHidden(shape.id)) continue;
      const keypoints = this.keypointsOf(shape);
      for (const [a, b] of this.skeleton) {
        const pa = keypoints[a];
        const pb = keypoints[b];
        if (pa?.[2] > 0 && pb?.[2] > 0 && distanceToSegment(p.x, p.y, pa[0], pa[1], pb[0], pb[1]) <= LINE_DISTANCE * p.pixel) {
          return { id: shape.id, part: "body" };
        }
      }
    }
    return null;
  }

  hover(p, hit) {
    const id = hit ? hit.id : null;
    if (id !== this.hoverId) {
      this.hoverId = id;
      this.editor.requestRender();
    }
    if (this.editor.active === this) {
      this.cursor = p;
      this.editor.requestRender();
    }
    if (!hit) return undefined;
    return hit.part === "point" ? "grab" : "move";
  }

  pointerDown(p, hit) {
    const editor = this.editor;
    if (hit && hit.tool === this) {
      const shape = this.byId.get(hit.id);
      if (!shape) return false;
      this.select(hit.id);
      if (hit.part === "point") {
        this.selectedPoint = hit.index;
        this.ui?.update();
      }
      this.drag = { mode: hit.part === "point" ? "point" : "move", id: shape.id, index: hit.index, original: shape, start: p,
        point: [shape.keypoints[hit.index]?.[0], shape.keypoints[hit.index]?.[1]], dx: 0, dy: 0, moved: false };
      editor.requestRender();
      return true;
    }
    if (editor.active !== this) return false;
    if (!this.label) {
      editor.setHint("Choose a label first.");
      return false;
    }
    if (!this.placing && !this.canAdd()) return false;
    if (!this.points.length) return false;
    this.drag = { mode: "place", id: this.placing?.id ?? null, index: this.nextIndex(), start: p, point: this.point(p),
      v: this.occluded || p.shiftKey ? 1 : 2, moved: true };
    editor.requestRender();
    return true;
  }

  pointerMove(p) {
    const drag = this.dragMove(p);
    if (!drag) return;
    if (drag.mode === "move") {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [x, y, v] of drag.original.keypoints) {
        if (!(v > 0)) continue;
        minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
      }
      drag.dx = clamp(p.x - drag.start.x, -minX, this.editor.width - maxX);
      drag.dy = clamp(p.y - drag.start.y, -minY, this.editor.height - maxY);
    } else {
      drag.point = this.point(p);
    }
    this.editor.requestRender();
  }

  pointerUp(p) {
    const drag = this.dragEnd(p);
    if (!drag) return;
    if (drag.mode === "place") {
      const [x, y] = drag.point;
      if (drag.id === null) {
        const keypoints = this.points.map(() => [0, 0, 0]);
        keypoints[drag.index] = [x, y, drag.v];
        const shape = this.makeShape(this.label, { keypoints });
        this.editor.select(null);
        this.commit([...this.shapes, shape]);
        this.placing = { id: shape.id, index: drag.index };
      } else {
        const shape = this.byId.get(drag.id);
        if (!shape) return this.done();
        const keypoints = this.keypointsOf(shape).map((point) => [...point]);
        keypoints[drag.index] = [x, y, drag.v];
        this.replaceShape(shape.id, { ...shape, keypoints });
      }
      this.occluded = false;
      const next = this.nextAbsent(this.byId.get(this.placing.id), drag.index);
      if (next < 0) this.done();
      else {
        this.placing.index = next;
        this.updateHint();
      }
      return;
    }
    if (!drag.moved) return;
    const shape = drag.original;
    const keypoints = shape.keypoints.map((point, index) => {
      if (!(point[2] > 0)) return [...point];
      if (drag.mode === "point") return index === drag.index ? [drag.point[0], drag.point[1], point[2]] : [...point];
      return [this.editor.clampX(point[0] + drag.dx), this.editor.clampY(point[1] + drag.dy), point[2]];
    });
    this.replaceShape(shape.id, { ...shape, keypoints });
  }

  /** Marks the next point absent (it stays [0, 0, 0]) and moves on. */
  skipPoint() {
    if (this.placing) {
      const next = this.nextAbsent(this.byId.get(this.placing.id), this.placing.index);
      if (next < 0) this.done();
      else this.placing.index = next;
    } else if (this.startIndex < this.points.length - 1) {
      this.startIndex++;
    } else {
      this.editor.setHint("At least one point of an object must be placed.");
      return;
    }
    this.updateHint();
    this.editor.requestRender();
  }

  /** Takes back the last placed point before the next one (the object goes when it was its only point). */
  back() {
    if (!this.placing) {
      if (this.startIndex > 0) this.startIndex--;
      this.updateHint();
      return;
    }
    const shape = this.byId.get(this.placing.id);
    const keypoints = this.keypointsOf(shape).map((point) => [...point]);
    let index = this.placing.index - 1;
    while (index >= 0 && !(keypoints[index]?.[2] > 0)) index--;
    if (index < 0) {
      this.placing.index = Math.max(0, this.placing.index - 1);
      this.updateHint();
      return;
    }
    keypoints[index] = [0, 0, 0];
    if (keypoints.some((point) => point[2] > 0)) {
      this.placing.index = index;
      this.replaceShape(shape.id, { ...shape, keypoints });
    } else {
      this.placing = null;
      this.startIndex = index;
      this.commit(this.shapes.filter((other) => other.id !== shape.id));
    }
    this.updateHint();
  }

  /** Places the missing points of the selected object, from the first absent one. */
  resume() {
    const shape = this.selectedShape();
    if (!shape) return;
    const next = this.nextAbsent(shape, -1);
    if (next < 0) return;
    this.label = shape.label;
    this.editor.activate(this);
    this.placing = { id: shape.id, index: next };
    this.editor.select(null);
    this.updateHint();
  }

  setPointState(index, v) {
    const shape = this.selectedShape();
    if (!shape) return;
    const keypoints = this.keypointsOf(shape).map((point) => [...point]);
    if (!(keypoints[index]?.[2] > 0)) return;
    if (v === 0 && keypoints.filter((point) => point[2] > 0).length <= 1) {
      this.editor.setHint("At least one point of an object must be placed.");
      return;
    }
    keypoints[index] = v === 0 ? [0, 0, 0] : [keypoints[index][0], keypoints[index][1], v];
    if (v === 0) this.selectedPoint = null;
    this.replaceShape(shape.id, { ...shape, keypoints });
  }

  handleKey(name, event) {
    const placingNow = this.editor.active === this;
    if (placingNow) {
      if (name === "v") { this.skipPoint(); return true; }
      if (name === "o") {
        this.occluded = !this.occluded;
        this.updateHint();
        return true;
      }
      if (name === "enter" && this.placing) { this.done(); return true; }
      if (name === "backspace" && (this.placing || this.startIndex > 0)) { this.back(); return true; }
    } else if (this.selectedPoint !== null && this.selectedShape()) {
      const v = this.selectedShape().keypoints?.[this.selectedPoint]?.[2];
      if (name === "o" && v > 0) { this.setPointState(this.selectedPoint, v === 1 ? 2 : 1); return true; }
      if (name === "v" && v > 0) { this.setPointState(this.selectedPoint, 0); return true; }
    }
    return super.handleKey(name, event);
  }

  // Drawing: skeleton lines, then visible (filled) and occluded (hollow) points, one path each per colour.

  /** A point's x (axis 0) or y (axis 1) as drawn: where a drag in progress has it. */
  coordinate(shape, index, axis) {
    const drag = this.drag;
    const value = shape.keypoints[index][axis];
    if (drag && drag.id === shape.id) {
      if (drag.mode === "move") return value + (axis === 0 ? drag.dx : drag.dy);
      if (drag.index === index) return drag.point[axis];
    }
    return value;
  }

  x(shape, index) {
    return this.coordinate(shape, index, 0);
  }

  y(shape, index) {
    return this.coordinate(shape, index, 1);
  }

  v(shape, index) {
    const drag = this.drag;
    if (drag && drag.mode === "place" && drag.id === shape.id && drag.index === index) return drag.v;
    return shape.keypoints[index]?.[2] ?? 0;
  }

  draw(ctx, view) {
    const pixel = view.pixel;
    const anyHidden = this.hidden.size > 0;
    const radius = 4 * pixel;
    const selectedId = this.selectedId();
    for (const bucket of this.buckets) {
      ctx.beginPath();
      for (const shape of bucket.items) {
        if (anyHidden && this.hidden.has(shape.id)) continue;
        for (const [a, b] of this.skeleton) {
          if (this.v(shape, a) > 0 && this.v(shape, b) > 0) {
            ctx.moveTo(this.x(shape, a), this.y(shape, a));
            ctx.lineTo(this.x(shape, b), this.y(shape, b));
          }
        }
      }
      ctx.lineWidth = 2 * pixel;
      ctx.strokeStyle = bucket.color;
      ctx.stroke();
      for (const state of [2, 1]) {
        ctx.beginPath();
        for (const shape of bucket.items) {
          if (anyHidden && this.hidden.has(shape.id)) continue;
          const count = this.keypointsOf(shape).length;
          for (let index = 0; index < count; index++) {
            if (this.v(shape, index) !== state) continue;
            const x = this.x(shape, index);
            const y = this.y(shape, index);
            ctx.moveTo(x + radius, y);
            ctx.arc(x, y, radius, 0, Math.PI * 2);
          }
        }
        ctx.fillStyle = state === 2 ? bucket.color : "rgba(0, 0, 0, 0.45)";
        ctx.fill();
        ctx.lineWidth = (state === 2 ? 1 : 2) * pixel;
        ctx.strokeStyle = state === 2 ? "#ffffff" : bucket.color;
        ctx.stroke();
      }
    }
    const drag = this.drag;
    if (drag && drag.mode === "place" && drag.id === null) {
      ctx.beginPath();
      ctx.arc(drag.point[0], drag.point[1], radius, 0, Math.PI * 2);
      ctx.fillStyle = drag.v === 2 ? this.labelOf(this.label).color : "rgba(0, 0, 0, 0.45)";
      ctx.fill();
      ctx.lineWidth = 1.5 * pixel;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
    const highlighted = [selectedId, this.hoverId, this.placing?.id];
    for (const id of highlighted) {
      const shape = id !== null && id !== undefined ? this.byId.get(id) : null;
      if (!shape || this.isHidden(shape.id)) continue;
      ctx.beginPath();
      for (const [a, b] of this.skeleton) {
        if (this.v(shape, a) > 0 && this.v(shape, b) > 0) {
          ctx.moveTo(this.x(shape, a), this.y(shape, a));
          ctx.lineTo(this.x(shape, b), this.y(shape, b));
        }
      }
      ctx.lineWidth = (id === selectedId ? 4 : 3) * pixel;
      ctx.strokeStyle = id === selectedId ? "#ffffff" : this.labelOf(shape.label).color;
      ctx.stroke();
      if (id === selectedId) {
        ctx.lineWidth = 2 * pixel;
        ctx.strokeStyle = this.labelOf(shape.label).color;
        ctx.stroke();
      }
    }
  }

  /** Point names on the selected object and the one being placed, and the next point's name by the cursor. */
  drawScreen(ctx, view) {
    const { scale, x: ox, y: oy } = view;
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(0, 0, 0, 0.75)";
    ctx.fillStyle = "#ffffff";
    const named = new Set([this.selectedId(), this.placing?.id].filter((id) => id != null));
    for (const id of named) {
      const shape = this.byId.get(id);
      if (!shape || this.isHidden(id)) continue;
      for (let index = 0; index < this.points.length; index++) {
        if (!(this.v(shape, index) > 0)) continue;
        const sx = this.x(shape, index) * scale + ox;
        const sy = this.y(shape, index) * scale + oy;
        ctx.strokeText(this.points[index].label, sx + 7, sy);
        ctx.fillText(this.points[index].label, sx + 7, sy);
        if (id === this.selectedId() && index === this.selectedPoint) {
          ctx.save();
          ctx.strokeStyle = "#ffffff";
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.arc(sx, sy, 8, 0, Math.PI * 2);
          ctx.stroke();
          ctx.restore();
        }
      }
    }
    const cursor = this.cursor;
    const next = this.points[this.nextIndex()];
    if (this.editor.active === this && cursor && next && !this.drag && this.editor.canvas.pointerInside) {
      const text = next.label + (this.occluded ? " (occluded)" : "");
      ctx.strokeText(text, cursor.sx + 14, cursor.sy + 14);
      ctx.fillText(text, cursor.sx + 14, cursor.sy + 14);
    }
  }

  // The form: the prompt and its buttons; the selected object's points.

  buildControls() {
    const box = document.createElement("div");
    box.className = "keypoints-controls";
    const prompt = document.createElement("p");
    prompt.className = "keypoints-prompt";
    const buttons = document.createElement("div");
    buttons.className = "keypoints-buttons";
    const make = (className, text, key, title, action) => {
      const control = document.createElement("button");
      control.type = "button";
      control.className = className;
      control.append(text);
      if (key) {
        const kbd = document.createElement("kbd");
        kbd.textContent = key;
        control.append(" ", kbd);
      }
      control.title = title;
      control.addEventListener("click", action);
      buttons.append(control);
      return control;
    };
    const skip = make("keypoints-skip", "Absent", "v", "The next point is not in the image (v)", () => this.skipPoint());
    const occluded = make("keypoints-occluded", "Occluded", "o", "Place the next point as occluded (o, or Shift+click)", () => {
      this.occluded = !this.occluded;
      this.updateHint();
    });
    const finish = make("keypoints-finish", "Done", "Enter", "End this object (Enter)", () => this.done());
    const resume = make("keypoints-resume", "Place missing points", "", "Place the absent points of the selected object", () => this.resume());
    box.append(prompt, buttons);
    this.updateControls = () => {
      const active = this.editor?.active === this;
      const next = this.points[this.nextIndex()];
      if (active && next && this.label) {
        prompt.textContent = `Next: ${next.label} (${this.nextIndex() + 1} of ${this.points.length})${this.occluded ? ", occluded" : ""}`;
      } else if (!this.points.length) {
        prompt.textContent = "This field names no points.";
      } else {
        prompt.textContent = "Choose a label to place the points of a new object.";
      }
      prompt.dataset.next = active && next ? next.name : "";
      skip.disabled = !active;
      finish.disabled = !this.placing;
      occluded.disabled = !active;
      occluded.setAttribute("aria-pressed", String(active && this.occluded));
      const selected = this.selectedShape();
      resume.hidden = !(selected && this.nextAbsent(selected, -1) >= 0);
    };
    return box;
  }

  buildSelectionExtras(shape) {
    const wrapper = document.createElement("div");
    wrapper.className = "keypoints-points-box";
    const list = document.createElement("ol");
    list.className = "keypoints-points";
    wrapper.append(list);
    const items = this.points.map((point, index) => {
      const item = document.createElement("li");
      item.className = "keypoints-point";
      item.dataset.point = point.name;
      const control = document.createElement("button");
      control.type = "button";
      control.addEventListener("click", () => {
        if (!(this.selectedShape()?.keypoints?.[index]?.[2] > 0)) return;
        this.selectedPoint = this.selectedPoint === index ? null : index;
        this.ui?.update();
        this.editor.requestRender();
      });
      item.append(control);
      list.append(item);
      return { item, control };
    });
    const sync = (current) => {
      items.forEach(({ item, control }, index) => {
        const v = current.keypoints?.[index]?.[2] ?? 0;
        item.dataset.v = String(v);
        item.setAttribute("aria-selected", String(index === this.selectedPoint));
        const text = `${this.points[index].label}: ${STATES[v] ?? v}`;
        if (control.textContent !== text) control.textContent = text;
      });
    };
    sync(shape);
    return [{ wrapper, sync }];
  }
}
