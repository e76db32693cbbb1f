// The `recording` field: the worker reads the task's prompt aloud and records it in the browser
// (MediaRecorder), or uploads a file. The take is stored at once with POST /api/v1/tasks/{id}/recordings (the
// server measures its length and level); the value is `{audio: url}`. The server checks the limits at submit.

import { api, describeProblem } from "../api.js";
import { fieldCaption } from "./field-helpers.js";

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function seconds(value) {
  return `${Number(value).toFixed(1)} s`;
}

export function createRecordingWidget(field, core) {
  const element = make("fieldset", "field field-recording");
  element.dataset.field = field.name;
  const legend = make("legend", "", fieldCaption(field));
  const prompt = make("blockquote", "recording-prompt");
  const limits = make("p", "muted recording-limits",
    `Between ${seconds(field.min_seconds ?? 0.5)} and ${seconds(field.max_seconds ?? 120)}, loud enough to hear clearly.`);
  const bar = make("div", "recording-bar");
  const record = make("button", "recording-start", "● Record");
  record.type = "button";
  const stop = make("button", "recording-stop", "■ Stop");
  stop.type = "button";
  stop.disabled = true;
  const upload = make("label", "recording-upload", "or upload a file ");
  const file = make("input", "recording-file");
  file.type = "file";
  file.accept = "audio/*";
  upload.append(file);
  const clock = make("span", "recording-clock muted", "");
  clock.setAttribute("aria-live", "polite");
  bar.append(record, stop, upload, clock);
  const player = make("audio", "recording-player");
  player.controls = true;
  player.hidden = true;
  const status = make("p", "recording-status muted");
  status.setAttribute("aria-live", "polite");
  element.append(legend, prompt, limits, bar, player, status);

  let recorder = null;
  let started = 0;
  let ticker = null;
  let current = null;

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  /** Stores a take for the task it was made on; a task that is no longer shown keeps nothing of it. */
  async function store(blob, name, taskId) {
    if (!taskId) return;
    const form = new FormData();
    form.append("file", blob, name);
    setStatus("Saving the recording…");
    try {
      const media = await api("POST", `/api/v1/tasks/${encodeURIComponent(taskId)}/recordings`, form);
      if (core.task?.id !== taskId) return;
      core.setField(field.name, { audio: media.url });
      const level = media.peak_dbfs === null ? "silent" : `peak ${media.peak_dbfs} dBFS`;
      setStatus(`Saved: ${seconds(media.duration_s)}, ${level}.`);
    } catch (error) {
      if (core.task?.id === taskId) setStatus(describeProblem(error), true);
    }
  }

  /** Stops a recording in progress; its take is dropped when `keep` is false (the task changed). */
  function stopRecording(keep) {
    if (recorder && recorder.state !== "inactive") {
      recorder.keep = keep;
      recorder.stop();
    }
    record.disabled = false;
    stop.disabled = true;
  }

  record.addEventListener("click", async () => {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      setStatus("This browser cannot record here: upload a file instead.", true);
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const taskId = core.task?.id;
      const take = new MediaRecorder(stream);
      const taken = [];
      recorder = take;
      take.keep = true;
      take.addEventListener("dataavailable", (event) => {
        if (event.data.size) taken.push(event.data);
      });
      take.addEventListener("stop", () => {
        for (const track of stream.getTracks()) track.stop();
        clearInterval(ticker);
        if (!take.keep) return;
        const type = take.mimeType || "audio/webm";
        const blob = new Blob(taken, { type });
        store(blob, `recording.${type.includes("ogg") ? "ogg" : "webm"}`, taskId);
      });
      take.start();
      started = performance.now();
      ticker = setInterval(() => {
        clock.textContent = seconds((performance.now() - started) / 1000);
      }, 100);
      record.disabled = true;
      stop.disabled = false;
      setStatus("Recording… press Stop when you are done.");
    } catch (error) {
      setStatus(`The microphone is not available (${error.message}): upload a file instead.`, true);
    }
  });

  stop.addEventListener("click", () => stopRecording(true));

  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (chosen) store(chosen, chosen.name, core.task?.id);
    file.value = "";
  });

  return {
    field,
    element,
    dataKeys: field.prompt ? [field.prompt] : [],
    showTask(task) {
      stopRecording(false);
      const text = field.prompt ? task.data?.[field.prompt] : null;
      prompt.textContent = typeof text === "string" ? text : "";
      prompt.hidden = !prompt.textContent;
      clock.textContent = "";
      setStatus("");
    },
    render(value) {
      const url = value?.audio;
      if (url === current) return;
      current = url;
      player.hidden = !url;
      if (url && /^\/api\/v1\/media\/[^/]+$/.test(url)) player.src = url;
      else player.removeAttribute("src");
    },
  };
}
