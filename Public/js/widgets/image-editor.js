// The image editor shared by every image field on one image (boxes, polygons, keypoints, masks): one canvas in
// the task panel, tools that draw on it, one selection across them, and the keys they share.

import { ImageCanvas, clamp, round2 } from "./image-canvas.js";
import { normalizeLabels, labelColor } from "./image-shapes.js";
import { createBoxesWidget } from "./image-boxes.js";
import { createPolygonsWidget } from "./image-polygons.js";
import { createKeypointsWidget } from "./image-keypoints.js";

export { normalizeLabels, labelColor, createBoxesWidget, createPolygonsWidget, createKeypointsWidget };

const DEFAULT_HINT = "Pick a label (or press its key) to draw · click a shape to select it · wheel: zoom · space+drag or middle button: pan · f: fit";

/** The editor of `imageKey` on this core, created (and put in the task panel) on first use. */
export function getImageEditor(core, imageKey = "image") {
  core.imageEditors ??= new Map();
  let editor = core.imageEditors.get(imageKey);
  if (!editor) {
    editor = new ImageEditor(core, imageKey);
    core.imageEditors.set(imageKey, editor);
    const { taskElement, dataElement } = core.elements ?? {};
    if (dataElement?.parentNode) dataElement.before(editor.element);
    else taskElement?.append(editor.element);
    // For tests: the last editor made, and all of them by image key.
    window.__glossImageEditors ??= new Map();
    window.__glossImageEditors.set(imageKey, editor);
    window.__glossImageEditor = editor;
  }
  return editor;
}

export class ImageEditor {
  constructor(core, imageKey) {
    this.core = core;
    this.imageKey = imageKey;
    this.tools = [];
    this.active = null;
    this.selection = null;
    this.task = undefined;
    this.width = 0;
    this.height = 0;
    this.canvas = new ImageCanvas();
    this.element = document.createElement("div");
    this.element.className = "image-editor";
    this.element.dataset.imageKey = imageKey;
    this.hint = document.createElement("div");
    this.hint.className = "image-editor-hint";
    this.element.append(this.canvas.element, this.hint);
    this.setHint("");
    const takeSize = () => {
      this.width = this.canvas.imageWidth;
      this.height = this.canvas.imageHeight;
      this.requestRender();
    };
    this.canvas.addEventListener("load", takeSize);
    this.canvas.addEventListener("error", takeSize);
    this.gesture = null;
    this.lastKeyEvent = null;
    this.lastKeyResult = false;
    this.canvas.addLayer({
      order: 0,
      draw: (ctx, view) => {
        for (const tool of this.tools) {
          if (!tool.visible) continue;
          ctx.save();
          tool.draw(ctx, view);
          ctx.restore();
        }
      },
      drawScreen: (ctx, view) => {
        for (const tool of this.tools) {
          if (!tool.visible || !tool.drawScreen) continue;
          ctx.save();
          tool.drawScreen(ctx, view);
          ctx.restore();
        }
      },
      pointerDown: (p) => this.pointerDown(p),
      pointerMove: (p) => this.gesture?.pointerMove?.(p),
      pointerUp: (p) => {
        const tool = this.gesture;
        this.gesture = null;
        tool?.pointerUp?.(p);
      },
      pointerCancel: () => {
        const tool = this.gesture;
        this.gesture = null;
        tool?.pointerCancel?.();
      },
      hover: (p) => this.hover(p),
    });
  }

  addTool(tool) {
    tool.editor = this;
    tool.visible ??= true;
    this.tools.push(tool);
    this.tools.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    this.requestRender();
    return tool;
  }

  removeTool(tool) {
    this.tools = this.tools.filter((other) => other !== tool);
    if (this.active === tool) this.active = null;
    if (this.selection?.tool === tool) this.selection = null;
    this.requestRender();
  }

  /** Loads the task's image once per task; every field on this image calls it. */
  showTask(task) {
    if (task === this.task) return;
    this.task = task;
    this.canvas.cancelGesture();
    this.gesture = null;
    this.selection = null;
    this.setHint("");
    const data = task?.data ?? {};
    const size = {
      width: Number.isFinite(data.width) ? data.width : undefined,
      height: Number.isFinite(data.height) ? data.height : undefined,
    };
    this.width = 0;
    this.height = 0;
    this.canvas.clear();
    for (const tool of this.tools) tool.reset?.(task);
    this.canvas.setImage(data[this.imageKey], size).catch(() => {});
    this.requestRender();
  }

  activate(tool) {
    if (this.active === tool) return;
    const previous = this.active;
    this.active = tool;
    previous?.deactivate?.();
    tool?.activate?.();
    this.canvas.updateCursor();
    this.requestRender();
  }

  select(tool, id) {
    const previous = this.selection;
    const next = tool && id != null ? { tool, id } : null;
    if (previous?.tool === next?.tool && previous?.id === next?.id) return;
    this.selection = next;
    previous?.tool.selectionChanged?.();
    if (next && next.tool !== previous?.tool) next.tool.selectionChanged?.();
    this.requestRender();
  }

  isSelected(tool, id) {
    return this.selection !== null && this.selection.tool === tool && this.selection.id === id;
  }

  requestRender() {
    this.canvas.requestRender();
  }

  /** Draws now (synchronously): what a performance test times. */
  render() {
    this.canvas.render();
  }

  /** The line under the image; without a text it says how to work the editor. */
  setHint(text) {
    const shown = text || DEFAULT_HINT;
    if (this.hint.textContent !== shown) this.hint.textContent = shown;
    this.hint.classList.toggle("image-editor-help", !text);
  }

  clampX(x) {
    return round2(clamp(x, 0, this.width));
  }

  clampY(y) {
    return round2(clamp(y, 0, this.height));
  }

  /** What lies under p: the selected shape's tool asks first, then the tools from the top down. */
  hitTest(p) {
    const first = this.selection?.tool;
    if (first?.visible && first.hitTest) {
      const hit = first.hitTest(p);
      if (hit) return Object.assign(hit, { tool: first });
    }
    for (let index = this.tools.length - 1; index >= 0; index--) {
      const tool = this.tools[index];
      if (tool === first || !tool.visible || !tool.hitTest) continue;
      const hit = tool.hitTest(p);
      if (hit) return Object.assign(hit, { tool });
    }
    return null;
  }

  pointerDown(p) {
    const active = this.active;
    let target = null;
    let hit = null;
    if (active?.claimPointer?.(p)) target = active;
    else {
      hit = this.hitTest(p);
      if (hit && (this.isSelected(hit.tool, hit.id) || !active)) target = hit.tool;
      else if (active) target = active;
    }
    if (!target) {
      this.select(null);
      return false;
    }
    if (target.pointerDown?.(p, hit)) {
      this.gesture = target;
      return true;
    }
    return false;
  }

  /** Every tool hears where the pointer is (hit = what of its own lies under it, or null); the cursor is the
   * drawing tool's, or the hit tool's. */
  hover(p) {
    const active = this.active;
    if (active?.claimPointer?.(p)) {
      for (const tool of this.tools) if (tool !== active) tool.hover?.(p, null);
      return active.hover?.(p, null) ?? "crosshair";
    }
    const hit = this.hitTest(p);
    for (const tool of this.tools) if (tool !== hit?.tool) tool.hover?.(p, null);
    if (hit) {
      const cursor = hit.tool.hover?.(p, hit);
      if (this.isSelected(hit.tool, hit.id) || !active) return cursor ?? "pointer";
    }
    return active ? "crosshair" : "";
  }

  /** The keys of every tool on this image, then the shared ones; each keydown is answered once. */
  handleKey(name, event) {
    if (event && event === this.lastKeyEvent) return this.lastKeyResult;
    this.lastKeyEvent = event;
    this.lastKeyResult = false;
    if (event?.target instanceof HTMLSelectElement) return false;
    this.lastKeyResult = this.dispatchKey(name, event);
    return this.lastKeyResult;
  }

  dispatchKey(name, event) {
    if (!this.canvas.element.isConnected) return false;
    const order = [this.active, this.selection?.tool, ...this.tools];
    const asked = new Set();
    for (const tool of order) {
      if (!tool || asked.has(tool)) continue;
      asked.add(tool);
      if (tool.handleKey?.(name, event)) return true;
    }
    if ((name === "delete" || name === "backspace") && this.selection) {
      const { tool, id } = this.selection;
      tool.deleteSelected?.(id);
      return true;
    }
    if (name === "escape") {
      if (this.active?.cancel?.()) return true;
      if (this.selection) {
        this.select(null);
        return true;
      }
      if (this.active) {
        this.activate(null);
        return true;
      }
      return false;
    }
    return this.canvas.handleKey(name);
  }
}
