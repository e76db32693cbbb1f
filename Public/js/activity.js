// Active time on the labeling page: the worker's side of the pay clock. Time is measured with
// performance.now() (monotonic; the wall clock of this device is never used) and counts while a task is shown,
// the tab is visible, and an input event (keydown, pointerdown, pointermove, wheel, input, touchstart) happened
// within the idle window. The meter reports it with activity pings, `POST /api/v1/tasks/{id}/activity`
// `{tab, seq, active_s, idle_s}`: every `activity_seconds` while there is unsent time, at once (keepalive)
// when the tab is hidden, the moment the idle window runs out (the server takes a claim as ending at its receive
// time less the idle beyond the window, so the time before going idle is best sent right then), and once more,
// awaited, before a submit or a skip. `active_s` is everything measured
// since the last acknowledged ping of that task, so a lost ping's time goes again with the next one; the server
// credits each instant once (duplicates, two tabs and overlapping pings count once). The time belongs to the
// task shown while it accrued: showing another task flushes the previous one's time.
//
// This is a signal of its own, separate from the lease heartbeat that keeps a task leased while the page is
// open.

export const INPUT_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "input", "touchstart"];

/** The largest claim a ping may make (the server refuses more). */
export const MAXIMUM_CLAIM_S = 3600;

/** Responses after which a task's unsent time can never be credited: it is dropped. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 409, 410, 422]);

/** Seconds with one decimal, as the API takes them. */
function tenths(seconds) {
  return Math.round(seconds * 10) / 10;
}

/** A random tab id: 32 hex characters (crypto.getRandomValues works on plain http too, randomUUID does not). */
export function randomTabID() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export class ActivityMeter {
  /**
   * `send(taskID, body, {keepalive})` posts one ping and resolves to the server's answer (rejects with an
   * error carrying `status` when refused). `now`, `target` and `visible` can be replaced in tests.
   */
  constructor({
    activitySeconds = 10,
    idleSeconds = 60,
    send,
    now = () => performance.now(),
    target = typeof document === "undefined" ? null : document,
    visible = () => typeof document === "undefined" || document.visibilityState === "visible",
  }) {
    this.activityMs = Math.max(1, Number(activitySeconds) || 10) * 1000;
    this.idleMs = Math.max(1, Number(idleSeconds) || 60) * 1000;
    this.send = send;
    this.now = now;
    this.target = target;
    this.isVisible = visible;
    this.tab = randomTabID();
    this.seq = 0;
    this.taskID = null;
    this.visible = visible();
    this.lastInput = -Infinity;
    this.startedAt = now();
    this.settledAt = this.startedAt;
    // Per task id: `measured` active ms (grows), `acked` ms the server has acknowledged, pings in flight.
    this.tasks = new Map();
    this.timer = null;
    this.idleTimer = null;
    this.onInput = () => this.input();
    this.onVisibility = () => this.visibilityChanged();
  }

  start() {
    if (this.target) {
      for (const type of INPUT_EVENTS) this.target.addEventListener(type, this.onInput, { capture: true, passive: true });
      this.target.addEventListener("visibilitychange", this.onVisibility);
    }
    this.timer = setInterval(() => this.tick(), this.activityMs);
  }

  stop() {
    if (this.target) {
      for (const type of INPUT_EVENTS) this.target.removeEventListener(type, this.onInput, { capture: true });
      this.target.removeEventListener("visibilitychange", this.onVisibility);
    }
    clearInterval(this.timer);
    clearTimeout(this.idleTimer);
    this.timer = null;
    this.idleTimer = null;
  }

  /** The server's idle window (a ping's answer carries it): a change of the settings applies at once. */
  setIdleSeconds(seconds) {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) return;
    this.settle();
    this.idleMs = seconds * 1000;
  }

  /** Adds the active part of the time since the last settlement to the shown task. Called before every change
   * of state (input, visibility, task) and before every ping, so each stretch is judged by the state it had. */
  settle(at = this.now()) {
    const from = this.settledAt;
    this.settledAt = at;
    if (!this.taskID || !this.visible || at <= from) return;
    const end = Math.min(at, this.lastInput + this.idleMs);
    if (end > from) this.entry(this.taskID).measured += end - from;
  }

  entry(taskID) {
    let entry = this.tasks.get(taskID);
    if (!entry) {
      entry = { measured: 0, acked: 0, inFlight: 0 };
      this.tasks.set(taskID, entry);
    }
    return entry;
  }

  input() {
    const at = this.now();
    this.settle(at);
    this.lastInput = at;
    // One timer at a time (inputs come many a second): when it fires early it waits for the rest of the window.
    if (this.idleTimer === null && this.timer !== null) this.idleTimer = setTimeout(() => this.idleCheck(), this.idleMs);
  }

  /** The idle window ran out: the time gathered up to then goes now, while the claim still ends where it did. */
  idleCheck() {
    this.idleTimer = null;
    const left = this.lastInput + this.idleMs - this.now();
    if (left > 0) {
      this.idleTimer = setTimeout(() => this.idleCheck(), left);
      return;
    }
    this.settle();
    if (this.taskID && this.visible) this.ping(this.taskID);
  }

  visibilityChanged() {
    this.settle();
    this.visible = this.isVisible();
    if (!this.visible) this.flushAll({ keepalive: true });
  }

  /** The task now shown (null: none). The previous task's unsent time goes at once. */
  setTask(taskID) {
    const id = taskID ?? null;
    if (id === this.taskID) return;
    this.settle();
    const previous = this.taskID;
    this.taskID = id;
    if (previous) this.ping(previous);
  }

  /** The task was submitted or skipped (its last ping went before), or its lease is gone: what it gathered
   * since can never be credited, and nothing counts until the next task is shown. */
  taskDone(taskID) {
    this.settle();
    if (taskID) this.tasks.delete(taskID);
    if (taskID === this.taskID) this.taskID = null;
  }

  /** Unsent active seconds of a task. */
  unsentSeconds(taskID = this.taskID) {
    const entry = taskID ? this.tasks.get(taskID) : undefined;
    return entry ? Math.max(0, entry.measured - entry.acked) / 1000 : 0;
  }

  /** The periodic ping: every task with unsent time (the shown one, and any whose ping was lost). */
  tick() {
    this.settle();
    for (const [taskID, entry] of this.tasks) {
      if (entry.inFlight === 0) this.ping(taskID);
    }
  }

  flushAll({ keepalive = false } = {}) {
    this.settle();
    return Promise.all([...this.tasks.keys()].map((taskID) => this.ping(taskID, { keepalive })));
  }

  /** The last ping before a submit or a skip: resolves when it is answered, failed, or after `timeoutMs`; never
   * rejects (a failed ping keeps its time for the next one). */
  flush({ timeoutMs = 2000 } = {}) {
    this.settle();
    if (!this.taskID) return Promise.resolve();
    const sent = this.ping(this.taskID);
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
  }

  /** Sends a task's unacknowledged time, if there is any (at least 0.05 s). Never rejects. */
  async ping(taskID, { keepalive = false } = {}) {
    const entry = this.tasks.get(taskID);
    if (!entry) return;
    const unsent = Math.max(0, entry.measured - entry.acked) / 1000;
    const claim = tenths(Math.min(unsent, MAXIMUM_CLAIM_S));
    if (claim <= 0) {
      if (taskID !== this.taskID && entry.inFlight === 0) this.tasks.delete(taskID);
      return;
    }
    const at = this.now();
    const idle = Number.isFinite(this.lastInput) ? at - this.lastInput : at - this.startedAt;
    this.seq += 1;
    const body = { tab: this.tab, seq: this.seq, active_s: claim, idle_s: tenths(Math.max(0, idle) / 1000) };
    // What an acknowledgement covers: the time acknowledged when it left plus what it claimed.
    const covers = entry.acked + claim * 1000;
    entry.inFlight += 1;
    try {
      const answer = await this.send(taskID, body, { keepalive });
      entry.acked = Math.max(entry.acked, covers);
      if (answer && typeof answer.idle_seconds === "number") this.setIdleSeconds(answer.idle_seconds);
    } catch (error) {
      // Refused for good (the lease is gone, the task is not visible): this time can never be credited.
      if (FINAL_STATUSES.has(error?.status)) entry.acked = Math.max(entry.acked, entry.measured);
      // Otherwise (offline, a server error) the time stays unsent and goes with the next ping.
    } finally {
      entry.inFlight -= 1;
      if (taskID !== this.taskID && entry.inFlight === 0 && entry.measured - entry.acked < 50) this.tasks.delete(taskID);
    }
  }
}
