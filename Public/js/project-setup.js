// The requester's project setup: images and videos, taxonomies, model endpoints and the pre-label jobs they run.

import { api, describeProblem } from "./api.js";
import { emptyRow, make, table } from "./dom.js";

const REFRESH_MS = 5000;
const FAILED_LIMIT = 50;
const taxonomyTypes = { csv: "text/csv", json: "application/json" };
const kindLabels = { chat: "Live chat (OpenAI-compatible chat completions)", prelabel: "Pre-labels on import" };


function labelled(caption, control, hint) {
  const label = make("label", {}, caption);
  if (hint) label.append(" ", make("small", { className: "muted" }, hint));
  label.append(control);
  return label;
}

function wide(label) {
  label.classList.add("wide");
  return label;
}



function show(element, text, kind = "") {
  element.textContent = text;
  element.className = kind;
}

// A <time> for an ISO date or epoch seconds; the raw value when it is neither.
function time(value) {
  const date = typeof value === "number" ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value ?? NaN);
  const valid = value !== null && value !== undefined && !Number.isNaN(date.getTime());
  const element = make("time", { datetime: valid ? date.toISOString() : undefined });
  element.textContent = valid ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : value ?? "";
  return element;
}

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

// --- Images and videos -------------------------------------------------------------------------------------

/** The data keys the schema's image and video fields read ("image" and "video" when none says). */
function mediaKeys(schema) {
  const fields = schema?.fields ?? [];
  return {
    image: fields.find((field) => typeof field.image === "string")?.image ?? "image",
    video: fields.find((field) => typeof field.video === "string")?.video ?? "video",
    audio: fields.find((field) => field.type === "segments" && typeof field.audio === "string")?.audio ?? "audio",
    pointcloud: fields.find((field) => field.type === "cuboids" && typeof field.points === "string")?.points ?? "points",
    prelabelFields: fields.filter((field) => ["boxes", "polygons", "keypoints"].includes(field.type)),
  };
}

function createMedia(base) {
  const part = make("div", { id: "setup-media", className: "setup-part" });
  const files = make("input", { type: "file", name: "file", multiple: true, accept: "image/*,video/*,audio/*,.pcd,.bin", required: true });
  const form = make("form", { id: "media-form", className: "setup-form" });
  const submit = make("button", { type: "submit", className: "primary" }, "Upload and add tasks");
  const actions = make("div", { className: "setup-actions" });
  actions.append(submit);
  form.append(wide(labelled("Images, videos, audio or point clouds", files, "(one task each)")), actions);
  const result = make("p", { id: "media-result", role: "status" });

  const coco = make("input", { type: "file", name: "coco", accept: ".json", required: true });
  const field = make("select", { name: "field" });
  const model = make("input", { name: "model", value: "coco", maxlength: 200, autocomplete: "off" });
  const cocoForm = make("form", { id: "coco-form", className: "setup-form" });
  const cocoSubmit = make("button", { type: "submit" }, "Add pre-labels");
  const cocoActions = make("div", { className: "setup-actions" });
  cocoActions.append(cocoSubmit);
  cocoForm.append(labelled("COCO file (.json)", coco), labelled("Field", field), labelled("Model name", model), cocoActions);
  const cocoResult = make("p", { id: "coco-result", role: "status" });
  part.append(
    make("h2", {}, "Media"),
    make("p", { className: "muted" },
      "Upload pictures, videos, audio (WAV, FLAC, MP3, OGG) or point clouds (PCD, KITTI .bin): each becomes a task. " +
      "Gloss reads the file's real type and size; videos are cut into frames, audio gets its waveform, point clouds " +
      "are checked and converted for the 3D editor. Detections from a model can then come in as pre-labels from a COCO file, matched by file name."),
    form, result, cocoForm, cocoResult,
  );
  let keys = mediaKeys(null);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity() || !files.files.length) return;
    const body = new FormData();
    for (const file of files.files) body.append("file", file, file.name);
    show(result, `Uploading ${plural(files.files.length, "file")}…`);
    submit.disabled = true;
    try {
      const { media } = await api("POST", `${base}/media`, body);
      const tasks = media.map((item) => ({
        external_id: item.file_name,
        data: { [keys[item.kind] ?? keys.image]: item.url, file_name: item.file_name },
      }));
      try {
        const { imported } = await api("POST", `${base}/tasks`, tasks);
        show(result, `Uploaded ${plural(media.length, "file")} and added ${plural(imported, "task")}.`, "ok");
        form.reset();
      } catch (error) {
        show(result, `Uploaded ${plural(media.length, "file")}, but no task was added. ${describeProblem(error)}`, "error");
      }
    } catch (error) {
      show(result, `Nothing was uploaded. ${describeProblem(error)}`, "error");
    } finally {
      submit.disabled = false;
    }
  });

  cocoForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = coco.files[0];
    if (!cocoForm.reportValidity() || !chosen) return;
    let body;
    try {
      body = JSON.parse(await chosen.text());
    } catch (error) {
      return show(cocoResult, `No pre-label was added. ${chosen.name} is not valid JSON: ${error.message}`, "error");
    }
    const query = new URLSearchParams({ format: "coco", field: field.value, model: model.value || "coco" });
    cocoSubmit.disabled = true;
    try {
      const answer = await api("POST", `${base}/prelabels?${query}`, body);
      const missing = answer.unmatched_images.length ? ` No task has ${answer.unmatched_images.join(", ")}.` : "";
      show(cocoResult, `Added ${plural(answer.annotations, "shape")} to ${plural(answer.matched_images, "image")}.${missing}`, "ok");
      cocoForm.reset();
    } catch (error) {
      show(cocoResult, `No pre-label was added. ${describeProblem(error)}`, "error");
    } finally {
      cocoSubmit.disabled = false;
    }
  });

  async function load() {
    const project = await api("GET", base);
    keys = mediaKeys(project.schema);
    field.replaceChildren(...keys.prelabelFields.map((item) => make("option", { value: item.name }, item.label ?? item.name)));
    cocoForm.hidden = cocoResult.hidden = !keys.prelabelFields.length;
  }

  return { element: part, load };
}

// --- Taxonomies -------------------------------------------------------------------------------------------

function createTaxonomies(base) {
  const part = make("div", { id: "setup-taxonomies", className: "setup-part" });
  const list = table({ id: "taxonomies-table", className: "setup-table" }, ["Name", "Terms", "Depth", "Updated"]);
  const name = make("input", {
    name: "name", required: true, pattern: "[a-z0-9_\\-]+", maxlength: 64, autocomplete: "off",
    title: "Lower-case letters, digits and _", placeholder: "diseases",
  });
  const file = make("input", { type: "file", name: "file", accept: ".csv,.json", required: true });
  const form = make("form", { id: "taxonomy-form", className: "setup-form" });
  const submit = make("button", { type: "submit", className: "primary" }, "Import taxonomy");
  const actions = make("div", { className: "setup-actions" });
  actions.append(submit);
  form.append(labelled("Name", name, "(a-z, 0-9, _)"), labelled("File (.csv or .json)", file), actions);
  const result = make("p", { id: "taxonomy-result", role: "status" });
  part.append(
    make("h2", {}, "Taxonomies"),
    make("p", { className: "muted" },
      "Term hierarchies for taxonomy fields: CSV with a header naming id, parent, name and optionally synonyms " +
      "(separated by |), or JSON. Importing a name again replaces that taxonomy."),
    list.element, form, result,
  );

  // A name from the file's, when none is typed yet.
  file.addEventListener("change", () => {
    const chosen = file.files[0];
    if (!chosen || name.value) return;
    name.value = chosen.name.replace(/\.[^.]*$/, "").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!form.reportValidity() || !chosen) return;
    const contentType = taxonomyTypes[chosen.name.split(".").pop().toLowerCase()];
    if (!contentType) return show(result, "Choose a .csv or .json file.", "error");
    const taxonomy = name.value;
    show(result, `Importing ${chosen.name}…`);
    submit.disabled = true;
    try {
      // api() serialises JSON bodies itself, so a JSON file goes as its parsed value (a File would become "{}").
      let body = chosen;
      if (contentType === "application/json") {
        try {
          body = JSON.parse(await chosen.text());
        } catch (error) {
          return show(result, `Nothing was imported. ${chosen.name} is not valid JSON: ${error.message}`, "error");
        }
      }
      const imported = await api("PUT", `${base}/taxonomies/${encodeURIComponent(taxonomy)}`, body, { contentType });
      const shape = [imported.roots !== undefined && plural(imported.roots, "root"),
        imported.depth !== undefined && `depth ${imported.depth}`].filter(Boolean).join(", ");
      show(result, `Imported ${plural(imported.terms, "term")} into ${imported.name ?? taxonomy}${shape ? ` (${shape})` : ""}.`, "ok");
      form.reset();
      await load();
    } catch (error) {
      show(result, `Nothing was imported. ${describeProblem(error)}`, "error");
    } finally {
      submit.disabled = false;
    }
  });

  async function load() {
    try {
      const { taxonomies } = await api("GET", `${base}/taxonomies`);
      list.body.replaceChildren(...(taxonomies.length ? taxonomies.map(row) : [emptyRow(4, "No taxonomies imported yet.")]));
    } catch (error) {
      show(result, `Could not load the taxonomies. ${describeProblem(error)}`, "error");
    }
  }

  function row(taxonomy) {
    const element = make("tr", { className: "taxonomy-row", "data-taxonomy": taxonomy.name });
    const updated = make("td", { className: "taxonomy-updated" });
    updated.append(time(taxonomy.updated_at));
    element.append(
      make("td", { className: "taxonomy-name" }, taxonomy.name),
      make("td", { className: "taxonomy-terms number" }, taxonomy.terms),
      make("td", { className: "taxonomy-depth number" }, taxonomy.depth),
      updated,
    );
    return element;
  }

  return { element: part, load };
}

// --- Model endpoints --------------------------------------------------------------------------------------

function createEndpoints(base, onChange) {
  const part = make("div", { id: "setup-endpoints", className: "setup-part" });
  const list = table({ id: "endpoints-table", className: "setup-table" }, ["Name", "Kind", "URL", "Model", "Key", "Timeout", "Attempts", ""]);
  const result = make("p", { id: "endpoint-result", role: "status" });

  const form = make("form", { id: "endpoint-form", className: "setup-form" });
  const kind = make("select", { name: "kind" });
  for (const [value, caption] of Object.entries(kindLabels)) kind.append(make("option", { value }, caption));
  const controls = {
    name: make("input", { name: "name", required: true, pattern: "[a-z0-9_\\-]+", maxlength: 64, autocomplete: "off", placeholder: "judge" }),
    kind,
    url: make("input", { name: "url", type: "url", required: true, autocomplete: "off",
      placeholder: "https://models.example.com/v1/chat/completions" }),
    model: make("input", { name: "model", autocomplete: "off" }),
    apiKey: make("input", { name: "api_key", type: "password", autocomplete: "off", spellcheck: "false" }),
    timeout: make("input", { name: "timeout_seconds", type: "number", min: 1, max: 300, step: 1, value: 30, required: true }),
    attempts: make("input", { name: "max_attempts", type: "number", min: 1, max: 10, step: 1, value: 5, required: true }),
  };
  const submit = make("button", { type: "submit", className: "primary" }, "Add endpoint");
  const actions = make("div", { className: "setup-actions" });
  actions.append(submit);
  form.append(
    labelled("Name", controls.name),
    wide(labelled("Kind", controls.kind)),
    wide(labelled("URL", controls.url)),
    labelled("Model", controls.model, "(optional)"),
    labelled("API key", controls.apiKey, "(optional)"),
    labelled("Timeout (seconds)", controls.timeout),
    labelled("Max attempts", controls.attempts),
    actions,
  );
  part.append(
    make("h2", {}, "Model endpoints"),
    make("p", { className: "muted" },
      "API keys are stored encrypted and never shown again. A pre-label endpoint receives each task imported after it is registered."),
    list.element, form, result,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const body = {
      name: controls.name.value.trim(),
      kind: controls.kind.value,
      url: controls.url.value.trim(),
      timeout_seconds: Number(controls.timeout.value),
      max_attempts: Number(controls.attempts.value),
    };
    if (controls.model.value.trim()) body.model = controls.model.value.trim();
    if (controls.apiKey.value) body.api_key = controls.apiKey.value;
    show(result, `Adding ${body.name}…`);
    submit.disabled = true;
    try {
      const endpoint = await api("POST", `${base}/endpoints`, body);
      form.reset();
      show(result, `Added ${endpoint.name} (${endpoint.kind}, key ${endpoint.has_key ? "stored" : "none"}).`, "ok");
      await load();
    } catch (error) {
      show(result, `The endpoint was not added. ${describeProblem(error)}`, "error");
    } finally {
      submit.disabled = false;
    }
  });

  async function remove(endpoint) {
    if (!window.confirm(`Delete the endpoint "${endpoint.name}"? Fields and jobs that use it will stop working.`)) return;
    try {
      await api("DELETE", `${base}/endpoints/${encodeURIComponent(endpoint.id)}`);
      show(result, `Deleted ${endpoint.name}.`, "ok");
      await load();
    } catch (error) {
      show(result, `Could not delete ${endpoint.name}. ${describeProblem(error)}`, "error");
    }
  }

  async function load() {
    try {
      const { endpoints } = await api("GET", `${base}/endpoints`);
      list.body.replaceChildren(...(endpoints.length ? endpoints.map(row) : [emptyRow(8, "No model endpoints yet.")]));
      await onChange(endpoints);
    } catch (error) {
      show(result, `Could not load the endpoints. ${describeProblem(error)}`, "error");
    }
  }

  function row(endpoint) {
    const element = make("tr", {
      className: "endpoint-row", "data-endpoint-id": endpoint.id, "data-endpoint-name": endpoint.name, "data-kind": endpoint.kind,
    });
    const url = make("td", { className: "endpoint-url" });
    url.append(make("code", {}, endpoint.url));
    const remover = make("button", { type: "button", className: "endpoint-delete", "aria-label": `Delete ${endpoint.name}` }, "Delete");
    remover.addEventListener("click", () => remove(endpoint));
    const actions = make("td", { className: "endpoint-actions" });
    actions.append(remover);
    element.append(
      make("td", { className: "endpoint-name" }, endpoint.name),
      make("td", { className: "endpoint-kind", title: kindLabels[endpoint.kind] ?? "" }, endpoint.kind),
      url,
      make("td", { className: endpoint.model ? "endpoint-model" : "endpoint-model muted" }, endpoint.model ?? "—"),
      make("td", { className: endpoint.has_key ? "endpoint-key" : "endpoint-key muted" }, endpoint.has_key ? "stored" : "none"),
      make("td", { className: "endpoint-timeout number" }, `${endpoint.timeout_seconds} s`),
      make("td", { className: "endpoint-attempts number" }, endpoint.max_attempts),
      actions,
    );
    return element;
  }

  return { element: part, load };
}

// --- Pre-label jobs ---------------------------------------------------------------------------------------

function createJobs(base) {
  const part = make("div", { id: "prelabel-jobs", className: "setup-part", hidden: true });
  const counts = make("ul", { id: "prelabel-counts", className: "job-counts" });
  const countElements = {};
  for (const status of ["queued", "running", "done", "failed"]) {
    const item = make("li", { "data-status": status });
    countElements[status] = make("strong", { className: "count" }, "0");
    item.append(countElements[status], ` ${status}`);
    counts.append(item);
  }
  const failed = make("ul", { id: "failed-jobs" });
  const note = make("p", { className: "muted failed-note", hidden: true });
  const retry = make("button", { type: "button", id: "retry-failed", disabled: true }, "Retry failed");
  const refresh = make("button", { type: "button", id: "refresh-jobs" }, "Refresh");
  const actions = make("div", { className: "setup-actions" });
  actions.append(retry, refresh);
  const result = make("p", { id: "prelabel-result", role: "status" });
  part.append(
    make("h2", {}, "Pre-label jobs"),
    counts,
    make("h3", {}, "Failed"),
    failed, note, actions, result,
  );

  let timer = null;
  let generation = 0;
  let active = false;

  function stop() {
    clearTimeout(timer);
    timer = null;
  }

  // Loads counts and failed jobs; again in 5 s while jobs are queued or running.
  async function load() {
    stop();
    if (part.hidden) return;
    const mine = ++generation;
    try {
      const [all, failing] = await Promise.all([
        api("GET", `${base}/prelabel-jobs?limit=1`),
        api("GET", `${base}/prelabel-jobs?status=failed&limit=${FAILED_LIMIT}`),
      ]);
      if (mine !== generation) return;
      const total = { queued: 0, running: 0, done: 0, failed: 0, ...all.counts };
      for (const [status, element] of Object.entries(countElements)) element.textContent = String(total[status]);
      part.dataset.queued = total.queued;
      part.dataset.running = total.running;
      part.dataset.failed = total.failed;
      const jobs = failing.jobs.filter((job) => job.status === undefined || job.status === "failed");
      failed.replaceChildren(...(jobs.length ? jobs.map(item) : [make("li", { className: "empty muted" }, "No failed jobs.")]));
      note.hidden = total.failed <= jobs.length;
      note.textContent = `Showing the newest ${jobs.length} of ${total.failed} failed jobs.`;
      retry.disabled = total.failed === 0;
      active = total.queued + total.running > 0;
      if (result.dataset.source === "load") show(result, "");
    } catch (error) {
      if (mine !== generation) return;
      show(result, `Could not load the pre-label jobs. ${describeProblem(error)}`, "error");
      result.dataset.source = "load";
    }
    if (mine === generation && active && !part.hidden) timer = setTimeout(load, REFRESH_MS);
  }

  function item(job) {
    const element = make("li", { className: "failed-job", "data-task-id": job.task_id, "data-endpoint": job.endpoint });
    const head = make("div", { className: "job-head" });
    head.append(
      make("span", { className: "job-task", title: `Task ${job.task_id}` }, job.external_id ?? job.task_id),
      make("span", { className: "job-endpoint" }, job.endpoint),
      make("span", { className: "job-attempts" }, plural(job.attempts, "attempt")),
    );
    if (job.updated_at) head.append(time(job.updated_at));
    element.append(head, make("pre", { className: "job-error" }, job.last_error ?? "No error was recorded."));
    return element;
  }

  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      const { requeued } = await api("POST", `${base}/prelabel-jobs/retry`);
      show(result, `Requeued ${plural(requeued, "job")}.`, "ok");
    } catch (error) {
      show(result, `Nothing was requeued. ${describeProblem(error)}`, "error");
    }
    result.dataset.source = "retry";
    await load();
  });

  refresh.addEventListener("click", () => load());

  // Shown only while the project has a pre-label endpoint.
  async function setEndpoints(endpoints) {
    const wanted = endpoints.some((endpoint) => endpoint.kind === "prelabel");
    if (wanted === !part.hidden) return;
    part.hidden = !wanted;
    if (wanted) await load();
    else stop();
  }

  return { element: part, load, setEndpoints };
}

// --- The section ------------------------------------------------------------------------------------------

const root = document.getElementById("project-setup");
if (root?.dataset.projectId) {
  const base = `/api/v1/projects/${encodeURIComponent(root.dataset.projectId)}`;
  const jobs = createJobs(base);
  const taxonomies = createTaxonomies(base);
  const endpoints = createEndpoints(base, (list) => jobs.setEndpoints(list));
  const media = createMedia(base);
  root.replaceChildren(media.element, taxonomies.element, endpoints.element, jobs.element);
  Promise.allSettled([media.load(), taxonomies.load(), endpoints.load()]).then(() => {
    root.dataset.ready = "true";
  });
}
