// The image viewport shared by the image and video editors: one <canvas> showing an image (or a video frame)
// with zoom around the cursor, panning, fit-to-view, and layers that draw and take the pointer in image pixels.

import { safeImageURL } from "./candidates.js";

const MAX_SCALE = 64;
const BACKGROUND = "#2b303b";

/** A number rounded to 2 decimals, the precision of every coordinate in a value. */
export function round2(number) {
  return Math.round(number * 100) / 100;
}

export function clamp(number, low, high) {
  return number < low ? low : number > high ? high : number;
}

function typingTarget(target) {
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && target.type !== "checkbox" && target.type !== "radio") ||
    (target instanceof HTMLElement && target.isContentEditable);
}

function button(className, text, title) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  element.title = title;
  return element;
}

/**
 * A zoomable, pannable view of one image. Screen position (CSS px from the canvas's top-left) =
 * image position × view.scale + (view.x, view.y). Layers draw in image pixels and receive pointers in
 * image pixels; see /tmp/helpers/image-canvas-api.md.
 * Events (it is an EventTarget): "load" (detail {width, height}), "error" (detail {message}), "view".
 */
export class ImageCanvas extends EventTarget {
  constructor({ className = "" } = {}) {
    super();
    this.element = document.createElement("div");
    this.element.className = `image-canvas ${className}`.trim();
    this.toolbar = document.createElement("div");
    this.toolbar.className = "image-canvas-toolbar";
    this.stage = document.createElement("div");
    this.stage.className = "image-canvas-stage";
    this.canvas = document.createElement("canvas");
    this.canvas.className = "image-canvas-surface";
    this.message = document.createElement("div");
    this.message.className = "image-canvas-message";
    this.message.hidden = true;
    this.stage.append(this.canvas, this.message);
    this.element.append(this.toolbar, this.stage);

    const zoomOut = button("image-canvas-zoom-out", "−", "Zoom out (-)");
    const zoomIn = button("image-canvas-zoom-in", "+", "Zoom in (+)");
    this.zoomLabel = document.createElement("span");
    this.zoomLabel.className = "image-canvas-zoom";
    const fit = button("image-canvas-fit", "Fit", "Fit the image to the view (f)");
    this.readout = document.createElement("span");
    this.readout.className = "image-canvas-readout";
    this.readout.setAttribute("aria-live", "off");
    this.tools = document.createElement("span");
    this.tools.className = "image-canvas-tools";
    this.toolbar.append(this.tools, zoomOut, this.zoomLabel, zoomIn, fit, this.readout);
    zoomOut.addEventListener("click", () => this.zoomAt(1 / 1.25));
    zoomIn.addEventListener("click", () => this.zoomAt(1.25));
    fit.addEventListener("click", () => this.fit());

    this.context = this.canvas.getContext("2d", { alpha: false });
    this.source = null;
    this.levels = [];
    this.imageWidth = 0;
    this.imageHeight = 0;
    this.layers = [];
    // One object, updated in place, handed to every layer's draw (no allocation per frame).
    this.view = { scale: 1, x: 0, y: 0, pixel: 1, dpr: 1, width: 0, height: 0, imageWidth: 0, imageHeight: 0,
      left: 0, top: 0, right: 0, bottom: 0 };
    this.fitted = true;
    this.frame = 0;
    this.loadToken = 0;
    this.pointerInside = false;
    this.spaceHeld = false;
    this.pan = null;
    this.captured = null;
    this.lastPointer = null;

    this.canvas.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    this.canvas.addEventListener("pointermove", (event) => this.onPointerMove(event));
    this.canvas.addEventListener("pointerup", (event) => this.onPointerUp(event, false));
    this.canvas.addEventListener("pointercancel", (event) => this.onPointerUp(event, true));
    this.canvas.addEventListener("pointerenter", () => { this.pointerInside = true; });
    this.canvas.addEventListener("pointerleave", () => {
      this.pointerInside = false;
      this.readout.textContent = "";
      this.requestRender(); // cursor guides go
    });
    this.canvas.addEventListener("wheel", (event) => this.onWheel(event), { passive: false });
    this.canvas.addEventListener("contextmenu", (event) => event.preventDefault());
    this.canvas.addEventListener("auxclick", (event) => event.preventDefault());
    this.onKey = (event) => this.trackSpace(event);
    this.onBlur = () => { this.spaceHeld = false; this.updateCursor(); };
    document.addEventListener("keydown", this.onKey);
    document.addEventListener("keyup", this.onKey);
    window.addEventListener("blur", this.onBlur);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.stage);
    this.updateZoomLabel();
  }

  // The picture

  /** Loads an image URL (http(s) or same-site only); resolves {width, height}, or rejects when it fails. */
  setImage(url, { width, height } = {}) {
    const token = ++this.loadToken;
    const safe = safeImageURL(url);
    if (!safe) {
      this.source = null;
      this.levels = [];
      this.requestRender();
      this.setSize(width ?? 0, height ?? 0);
      this.showMessage("This image cannot be shown (not an http(s) or same-site URL).");
      this.dispatchEvent(new CustomEvent("error", { detail: { message: "unsafe URL" } }));
      return Promise.reject(new Error("unsafe image URL"));
    }
    // The previous picture stays until the new one is decoded (no flicker between video frames).
    if (!this.source) this.showMessage("Loading the image…");
    const image = new Image();
    image.decoding = "async";
    image.src = safe;
    return image.decode().then(
      () => {
        if (token !== this.loadToken) throw new Error("superseded");
        this.setSource(image, image.naturalWidth, image.naturalHeight);
        return { width: this.imageWidth, height: this.imageHeight };
      },
      (error) => {
        if (token !== this.loadToken) throw new Error("superseded");
        this.source = null;
        this.levels = [];
        this.setSize(width ?? 0, height ?? 0);
        this.fit();
        this.showMessage("The image could not be loaded.");
        this.dispatchEvent(new CustomEvent("error", { detail: { message: String(error?.message ?? error) } }));
        throw error;
      },
    );
  }

  /** Shows any drawable (an image, a video element, an ImageBitmap, a canvas) of the given size. */
  setSource(source, width, height) {
    const token = ++this.loadToken;
    const sizeChanged = width !== this.imageWidth || height !== this.imageHeight;
    this.source = source;
    this.levels = [];
    if (source instanceof HTMLImageElement && Math.max(width, height) > 2048) this.buildLevels(source, width, height, token);
    this.showMessage("");
    this.setSize(width, height);
    if (sizeChanged || this.fitted) this.fit();
    this.dispatchEvent(new CustomEvent("load", { detail: { width, height } }));
    this.requestRender();
  }

  /** Halved copies of a big image, so a zoomed-out view scales down a small copy, not the whole picture. */
  async buildLevels(source, width, height, token) {
    const levels = [];
    let w = width;
    let h = height;
    while (Math.max(w, h) > 1024) {
      w = Math.max(1, Math.round(w / 2));
      h = Math.max(1, Math.round(h / 2));
      try {
        levels.push({ source: await createImageBitmap(source, { resizeWidth: w, resizeHeight: h, resizeQuality: "medium" }), factor: w / width });
      } catch {
        return;
      }
      if (token !== this.loadToken) return;
    }
    this.levels = levels;
    this.requestRender();
  }

  /** The smallest copy that still has a pixel per screen pixel at this zoom (or the picture itself). */
  levelSource() {
    const needed = this.view.scale * this.view.dpr;
    let best = this.source;
    for (const level of this.levels) if (level.factor >= needed) best = level.source;
    return best;
  }

  /** Shows no picture (a new task's image is loading): the previous one must not stay under new shapes. */
  clear() {
    this.loadToken++;
    this.source = null;
    this.levels = [];
    this.requestRender();
  }

  setSize(width, height) {
    this.imageWidth = width;
    this.imageHeight = height;
    this.view.imageWidth = width;
    this.view.imageHeight = height;
  }

  showMessage(text) {
    this.message.textContent = text;
    this.message.hidden = !text;
  }

  // The view

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const width = this.stage.clientWidth;
    const height = this.stage.clientHeight;
    if (!width || !height) return;
    this.view.dpr = dpr;
    this.view.width = width;
    this.view.height = height;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    if (this.fitted) this.fit();
    else this.render();
  }

  /** Fits the whole image in the view, centred. */
  fit() {
    const { width, height } = this.view;
    this.fitted = true;
    if (!this.imageWidth || !this.imageHeight || !width || !height) return this.requestRender();
    const margin = 12;
    const scale = Math.max(1e-3, Math.min((width - margin * 2) / this.imageWidth, (height - margin * 2) / this.imageHeight));
    this.setView(scale, (width - this.imageWidth * scale) / 2, (height - this.imageHeight * scale) / 2, true);
  }

  /** Zooms by `factor` keeping the image point under (sx, sy) (CSS px in the canvas; default the centre) still. */
  zoomAt(factor, sx = this.view.width / 2, sy = this.view.height / 2) {
    const { scale, x, y } = this.view;
    const fitScale = this.imageWidth ? Math.min(this.view.width / this.imageWidth, this.view.height / this.imageHeight) : 1;
    const next = clamp(scale * factor, Math.min(fitScale / 4, 1), MAX_SCALE);
    if (next === scale) return;
    this.setView(next, sx - (sx - x) * (next / scale), sy - (sy - y) * (next / scale));
  }

  /** Sets the transform: image (0,0) at canvas CSS position (x, y), `scale` CSS px per image px. */
  setView(scale, x, y, fitted = false) {
    const view = this.view;
    view.scale = scale;
    view.x = x;
    view.y = y;
    view.pixel = 1 / scale;
    this.fitted = fitted;
    this.updateVisibleRect();
    this.updateZoomLabel();
    this.dispatchEvent(new Event("view"));
    this.requestRender();
  }

  updateVisibleRect() {
    const view = this.view;
    view.left = -view.x / view.scale;
    view.top = -view.y / view.scale;
    view.right = (view.width - view.x) / view.scale;
    view.bottom = (view.height - view.y) / view.scale;
  }

  updateZoomLabel() {
    this.zoomLabel.textContent = `${Math.round(this.view.scale * 100)}%`;
  }

  /** Image pixel coordinates of a point given in the page's client (viewport) coordinates. */
  clientToImage(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: (clientX - rect.left - this.view.x) / this.view.scale, y: (clientY - rect.top - this.view.y) / this.view.scale };
  }

  /** Client (viewport) coordinates of an image point: where a test moves the mouse to hit it. */
  imageToClient(x, y) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + this.view.x + x * this.view.scale, y: rect.top + this.view.y + y * this.view.scale };
  }

  // Layers and drawing

  /** Adds a layer {order?, draw?(ctx, view), drawScreen?(ctx, view), pointerDown?(p), pointerMove?(p),
   * pointerUp?(p), pointerCancel?(), hover?(p)}; lower `order` draws first and gets the pointer last. */
  addLayer(layer) {
    this.layers.push(layer);
    this.layers.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    this.requestRender();
    return layer;
  }

  removeLayer(layer) {
    this.layers = this.layers.filter((other) => other !== layer);
    if (this.captured === layer) this.captured = null;
    this.requestRender();
  }

  /** Draws on the next animation frame; many calls in one frame draw once. */
  requestRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws now: the image, then each layer in image pixels, then each layer's screen overlay in CSS px. */
  render() {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const ctx = this.context;
    const view = this.view;
    const dpr = view.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!view.width) return;
    const a = dpr * view.scale;
    const e = dpr * view.x;
    const f = dpr * view.y;
    ctx.setTransform(a, 0, 0, a, e, f);
    if (this.source) {
      ctx.imageSmoothingEnabled = view.scale < 2;
      ctx.drawImage(this.levels.length ? this.levelSource() : this.source, 0, 0, this.imageWidth, this.imageHeight);
    } else if (this.imageWidth) {
      ctx.fillStyle = "#3a404d";
      ctx.fillRect(0, 0, this.imageWidth, this.imageHeight);
    }
    ctx.imageSmoothingEnabled = true;
    for (const layer of this.layers) {
      if (!layer.draw) continue;
      ctx.save();
      ctx.setTransform(a, 0, 0, a, e, f);
      layer.draw(ctx, view);
      ctx.restore();
    }
    for (const layer of this.layers) {
      if (!layer.drawScreen) continue;
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      layer.drawScreen(ctx, view);
      ctx.restore();
    }
  }

  // The pointer

  /** The pointer in image pixels (x, y), canvas CSS px (sx, sy), and its buttons and modifiers. */
  pointer(event) {
    const rect = this.canvas.getBoundingClientRect();
    const sx = event.clientX - rect.left;
    const sy = event.clientY - rect.top;
    return {
      x: (sx - this.view.x) / this.view.scale,
      y: (sy - this.view.y) / this.view.scale,
      sx, sy,
      clientX: event.clientX, clientY: event.clientY,
      button: event.button, buttons: event.buttons,
      shiftKey: event.shiftKey, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey,
      detail: event.detail,
      pixel: this.view.pixel,
      event,
    };
  }

  onPointerDown(event) {
    // A click on the image takes the keys back from a focused input of the form.
    if (typingTarget(document.activeElement) || document.activeElement instanceof HTMLButtonElement) document.activeElement.blur();
    if (this.pan || this.captured) return;
    if (event.button === 1 || (event.button === 0 && this.spaceHeld)) {
      event.preventDefault();
      this.pan = { clientX: event.clientX, clientY: event.clientY, x: this.view.x, y: this.view.y, id: event.pointerId };
      this.canvas.setPointerCapture(event.pointerId);
      this.updateCursor();
      return;
    }
    if (event.button !== 0) return;
    const p = this.pointer(event);
    for (let index = this.layers.length - 1; index >= 0; index--) {
      const layer = this.layers[index];
      if (layer.pointerDown?.(p)) {
        event.preventDefault();
        this.captured = layer;
        this.captureId = event.pointerId;
        this.canvas.setPointerCapture(event.pointerId);
        break;
      }
    }
    this.updateCursor(p);
  }

  onPointerMove(event) {
    const p = this.pointer(event);
    this.lastPointer = p;
    this.showReadout(p);
    if (this.pan) {
      if (event.pointerId !== this.pan.id) return;
      this.setView(this.view.scale, this.pan.x + event.clientX - this.pan.clientX, this.pan.y + event.clientY - this.pan.clientY);
      return;
    }
    if (this.captured) {
      if (event.pointerId === this.captureId) this.captured.pointerMove?.(p);
      return;
    }
    this.updateCursor(p);
  }

  onPointerUp(event, cancelled) {
    if (this.pan && event.pointerId === this.pan.id) {
      this.pan = null;
      this.updateCursor();
      return;
    }
    if (!this.captured || event.pointerId !== this.captureId) return;
    const layer = this.captured;
    this.captured = null;
    if (cancelled) layer.pointerCancel?.();
    else layer.pointerUp?.(this.pointer(event));
    this.updateCursor(this.pointer(event));
  }

  /** Ends a gesture in progress without committing it (the layer gets pointerCancel). */
  cancelGesture() {
    const layer = this.captured;
    this.captured = null;
    this.pan = null;
    layer?.pointerCancel?.();
    this.updateCursor();
  }

  showReadout(p) {
    const inside = p.x >= 0 && p.y >= 0 && p.x <= this.imageWidth && p.y <= this.imageHeight;
    const digits = this.view.scale >= 4 ? 1 : 0;
    this.readout.textContent = inside ? `x ${p.x.toFixed(digits)}  y ${p.y.toFixed(digits)}` : "";
  }

  /** The cursor: a hand while panning, else what the topmost layer's hover(p) answers. */
  updateCursor(p = this.lastPointer) {
    let cursor = "";
    if (this.pan) cursor = "grabbing";
    else if (this.spaceHeld && this.pointerInside) cursor = "grab";
    else if (p && !this.captured) {
      for (let index = this.layers.length - 1; index >= 0 && !cursor; index--) cursor = this.layers[index].hover?.(p) ?? "";
    } else if (this.captured) cursor = this.canvas.style.cursor;
    if (this.canvas.style.cursor !== cursor) this.canvas.style.cursor = cursor;
  }

  onWheel(event) {
    if (!this.imageWidth) return;
    event.preventDefault();
    const rect = this.canvas.getBoundingClientRect();
    const delta = event.deltaY * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    this.zoomAt(Math.exp(-clamp(delta, -300, 300) * 0.002), event.clientX - rect.left, event.clientY - rect.top);
    if (this.lastPointer) this.showReadout(this.pointer(event));
  }

  trackSpace(event) {
    if (event.key !== " " || typingTarget(event.target)) return;
    const down = event.type === "keydown";
    if (down && !this.pointerInside && !this.pan) return;
    // A keyup only matters when this canvas took the keydown: Space elsewhere still presses buttons.
    if (!down && !this.spaceHeld) return;
    if (this.spaceHeld !== down) {
      this.spaceHeld = down;
      this.updateCursor();
    }
    event.preventDefault();
  }

  /** The viewport's own keys: "f" fits, "+"/"=" and "-" zoom; "space" is taken while over the image. */
  handleKey(name) {
    if (name === "f") { this.fit(); return true; }
    if (name === "+" || name === "=" || name === "shift++") { this.zoomAt(1.25); return true; }
    if (name === "-") { this.zoomAt(1 / 1.25); return true; }
    if (name === "space") return this.pointerInside || Boolean(this.pan);
    return false;
  }

  destroy() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    document.removeEventListener("keydown", this.onKey);
    document.removeEventListener("keyup", this.onKey);
    window.removeEventListener("blur", this.onBlur);
    this.element.remove();
  }
}
