// The WebGL renderer of the LiDAR editor (no library): one canvas holds every view (each a viewport of it), so a
// frame's points live in ONE GPU buffer, uploaded once, that every view draws with ONE draw call; the boxes of
// a view are one more draw call (lines). Drawing allocates nothing: uniforms come from preallocated arrays.
//
// A point cloud's buffer is the GPC1 body as it came over the wire: count × 3 float32 positions, then (with
// intensity) count uint8 intensities, read by the shader as two attributes of the one buffer.

const POINT_VS = `
attribute vec3 aPosition;
attribute float aIntensity;
uniform mat4 uMatrix;
uniform mat4 uBox;
uniform float uHasBox;
uniform float uPointSize;
uniform vec2 uHeight;
uniform float uMode;
uniform vec3 uHighlight;
varying vec3 vColor;

// Height: the ground dark blue-grey, then cyan, green, yellow and red as points rise above it.
vec3 ramp(float t) {
  t = clamp(t, 0.0, 1.0);
  vec3 jet = clamp(vec3(1.5 - abs(4.0 * t - 3.0), 1.5 - abs(4.0 * t - 2.0), 1.5 - abs(4.0 * t - 1.0)), 0.0, 1.0);
  return mix(vec3(0.2, 0.25, 0.36), jet, smoothstep(0.04, 0.12, t));
}

void main() {
  gl_Position = uMatrix * vec4(aPosition, 1.0);
  float size = uPointSize;
  vec3 color;
  if (uMode < 0.5) {
    color = ramp((aPosition.z - uHeight.x) / max(uHeight.y - uHeight.x, 0.001));
  } else {
    float i = sqrt(clamp(aIntensity, 0.0, 1.0));
    color = mix(vec3(0.22, 0.27, 0.38), vec3(1.0, 0.96, 0.7), i);
  }
  if (uHasBox > 0.5) {
    vec3 local = (uBox * vec4(aPosition, 1.0)).xyz;
    if (max(abs(local.x), max(abs(local.y), abs(local.z))) <= 1.0) {
      color = uHighlight;
      size = size * 1.7 + 0.5;
    }
  }
  gl_PointSize = size;
  vColor = color;
}`;

const POINT_FS = `
precision mediump float;
varying vec3 vColor;
void main() {
  gl_FragColor = vec4(vColor, 1.0);
}`;

const LINE_VS = `
attribute vec3 aPosition;
attribute vec4 aColor;
uniform mat4 uMatrix;
varying vec4 vColor;
void main() {
  gl_Position = uMatrix * vec4(aPosition, 1.0);
  vColor = aColor;
}`;

const LINE_FS = `
precision mediump float;
varying vec4 vColor;
void main() {
  gl_FragColor = vColor;
}`;

/** Floats per line vertex: x, y, z, r, g, b, a. */
export const LINE_STRIDE = 7;

function compile(gl, type, source) {
  const shader = gl.createShader(type);
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(shader)}`);
  return shader;
}

function program(gl, vertex, fragment, attributes, uniforms) {
  const handle = gl.createProgram();
  gl.attachShader(handle, compile(gl, gl.VERTEX_SHADER, vertex));
  gl.attachShader(handle, compile(gl, gl.FRAGMENT_SHADER, fragment));
  attributes.forEach((name, index) => gl.bindAttribLocation(handle, index, name));
  gl.linkProgram(handle);
  if (!gl.getProgramParameter(handle, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(handle)}`);
  const result = { handle, attributes: {}, uniforms: {} };
  attributes.forEach((name, index) => (result.attributes[name] = index));
  for (const name of uniforms) result.uniforms[name] = gl.getUniformLocation(handle, name);
  return result;
}

export class LidarRenderer {
  /** Throws when the browser has no WebGL. */
  constructor(canvas) {
    const options = { antialias: false, alpha: false, depth: true, preserveDrawingBuffer: false, powerPreference: "high-performance" };
    const gl = canvas.getContext("webgl2", options) ?? canvas.getContext("webgl", options);
    if (!gl) throw new Error("this browser has no WebGL");
    this.canvas = canvas;
    this.gl = gl;
    this.points = program(gl, POINT_VS, POINT_FS, ["aPosition", "aIntensity"], ["uMatrix", "uBox", "uHasBox", "uPointSize", "uHeight", "uMode", "uHighlight"]);
    this.lines = program(gl, LINE_VS, LINE_FS, ["aPosition", "aColor"], ["uMatrix"]);
    this.lineBuffer = gl.createBuffer();
    this.lineCapacity = 0;
    this.lineVertices = 0;
    this.cloud = null;
    this.drawCalls = 0;
    this.lost = false;
    this.pixel = new Uint8Array(4);
    canvas.addEventListener("webglcontextlost", (event) => {
      event.preventDefault();
      this.lost = true;
    });
  }

  /**
   * Uploads one frame's points: `body` is a Uint8Array over the positions (count × 12 bytes) followed, with
   * intensity, by count bytes. One buffer, STATIC_DRAW; returns the handle for `setCloud` and `deleteCloud`.
   */
  createCloud(body, count, hasIntensity) {
    const gl = this.gl;
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, body, gl.STATIC_DRAW);
    return { buffer, count, hasIntensity, intensityOffset: count * 12 };
  }

  deleteCloud(cloud) {
    if (!cloud?.buffer) return;
    if (this.cloud === cloud) this.cloud = null;
    this.gl.deleteBuffer(cloud.buffer);
    cloud.buffer = null;
  }

  /** The cloud the views draw (null: none). */
  setCloud(cloud) {
    this.cloud = cloud?.buffer ? cloud : null;
  }

  /** The box lines every view draws: `vertexCount` vertices of LINE_STRIDE floats (pairs make lines). */
  setLines(data, vertexCount) {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.lineBuffer);
    const floats = vertexCount * LINE_STRIDE;
    if (floats > this.lineCapacity) {
      this.lineCapacity = Math.max(floats, this.lineCapacity * 2, 1024);
      gl.bufferData(gl.ARRAY_BUFFER, this.lineCapacity * 4, gl.DYNAMIC_DRAW);
    }
    if (floats) gl.bufferSubData(gl.ARRAY_BUFFER, 0, data.subarray(0, floats));
    this.lineVertices = vertexCount;
  }

  /** Starts a render of all views: sizes the drawing buffer and clears it. */
  begin(width, height) {
    const gl = this.gl;
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.drawCalls = 0;
    gl.disable(gl.SCISSOR_TEST);
    gl.viewport(0, 0, width, height);
    gl.clearColor(0.067, 0.078, 0.098, 1);
    gl.clearDepth(1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
  }

  /**
   * Draws one view in the device-pixel rectangle (x, y from the top left, w, h): the points (one draw call) and
   * the box lines (one more). `view` carries `matrix` (Float32Array 16), `pointSize`, `depthTest`, and the
   * shared `style` {mode 0 height / 1 intensity, height Float32Array(2), box Float32Array(16), hasBox,
   * highlight Float32Array(3)}; `drawPoints` false skips the points.
   */
  drawView(x, y, w, h, view, style, drawPoints = true) {
    const gl = this.gl;
    if (w <= 0 || h <= 0) return;
    const bottom = this.canvas.height - (y + h);
    gl.viewport(x, bottom, w, h);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(x, bottom, w, h);
    if (view.depthTest) gl.enable(gl.DEPTH_TEST);
    else gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.BLEND);
    const cloud = this.cloud;
    if (drawPoints && cloud && cloud.count > 0) {
      const p = this.points;
      gl.useProgram(p.handle);
      gl.uniformMatrix4fv(p.uniforms.uMatrix, false, view.matrix);
      gl.uniformMatrix4fv(p.uniforms.uBox, false, style.box);
      gl.uniform1f(p.uniforms.uHasBox, style.hasBox ? 1 : 0);
      gl.uniform1f(p.uniforms.uPointSize, view.pointSize);
      gl.uniform2fv(p.uniforms.uHeight, style.height);
      const intensity = cloud.hasIntensity && style.mode === 1;
      gl.uniform1f(p.uniforms.uMode, intensity ? 1 : 0);
      gl.uniform3fv(p.uniforms.uHighlight, style.highlight);
      gl.bindBuffer(gl.ARRAY_BUFFER, cloud.buffer);
      gl.enableVertexAttribArray(0);
      gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 12, 0);
      if (intensity) {
        gl.enableVertexAttribArray(1);
        gl.vertexAttribPointer(1, 1, gl.UNSIGNED_BYTE, true, 1, cloud.intensityOffset);
      } else {
        gl.disableVertexAttribArray(1);
        gl.vertexAttrib1f(1, 0.5);
      }
      gl.drawArrays(gl.POINTS, 0, cloud.count);
      this.drawCalls++;
    }
    if (this.lineVertices > 0) {
      const l = this.lines;
      gl.disable(gl.DEPTH_TEST);
      gl.enable(gl.BLEND);
      gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
      gl.useProgram(l.handle);
      gl.uniformMatrix4fv(l.uniforms.uMatrix, false, view.matrix);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.lineBuffer);
      gl.enableVertexAttribArray(0);
      gl.vertexAttribPointer(0, 3, gl.FLOAT, false, LINE_STRIDE * 4, 0);
      gl.enableVertexAttribArray(1);
      gl.vertexAttribPointer(1, 4, gl.FLOAT, false, LINE_STRIDE * 4, 12);
      gl.drawArrays(gl.LINES, 0, this.lineVertices);
      this.drawCalls++;
    }
  }

  /** Waits until the GPU has drawn everything so far (for measurements only): reading a pixel back is the one
   * wait every browser honours (Chromium's finish() does not wait for its GPU process). */
  finish() {
    const gl = this.gl;
    gl.disable(gl.SCISSOR_TEST);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, this.pixel);
  }

  dispose() {
    const gl = this.gl;
    this.deleteCloud(this.cloud);
    gl.deleteBuffer(this.lineBuffer);
    gl.deleteProgram(this.points.handle);
    gl.deleteProgram(this.lines.handle);
  }
}
