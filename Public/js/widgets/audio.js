// The `segments` field (labeled time regions of a recording: speakers, noise, music…) and the `transcript`
// field (the words of each speech region). Fields on the same audio share one player in the task panel
// (audio-player.js): the waveform, a strip of regions per segments field, the playhead, zoom and speed.
//
// Segments and transcript stay consistent: the transcript shows one box per live speech region, and when a
// region goes (deleted, or relabeled to a label without speech) its transcript entry is dropped in the same
// change, so one undo brings both back (see `pruneTranscript`).

import { fieldCaption, isRequired, normalizeOptions, setFieldValue } from "./field-helpers.js";
import { normalizeLabels, withAlpha } from "./image-shapes.js";
import { nextId } from "./track-math.js";
import { MIN_REGION_S, clamp, clockText, freeGap, rangeText, roundMs } from "./audio-waveform.js";
import { insertAtCaret, transcriptConventions, transcriptProblems } from "./audio-conventions.js";
import { placePlayer, sharedAudioPlayer } from "./audio-player.js";
import { attributeRow, labelSelect as makeLabelSelect, isSelectTarget, makeButton, makeElement, normalizeKey } from "./widget-dom.js";

const UNKNOWN_COLOR = "#9aa0a6";
const INK = "#1d2330";

/** The colours a label is drawn with (built once per label: the draw loop only reads them). */
function labelStyle(color) {
  return {
    color,
    tint: withAlpha(color, 0.16),
    tintStrong: withAlpha(color, 0.3),
    bar: withAlpha(color, 0.36),
    barStrong: withAlpha(color, 0.62),
    ink: INK,
  };
}

/** The regions of a value that can be shown: objects with an id, a label and a time range. */
function readRegions(value) {
  return (Array.isArray(value) ? value : []).filter((region) =>
    region && typeof region === "object" && typeof region.id === "string" &&
    Number.isFinite(region.start) && Number.isFinite(region.end) && region.end > region.start);
}

const byTime = (a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The segments layers of a core by field name (the transcript finds its regions' layer here). */
function segmentLayers(core) {
  return (core.audioSegmentLayers ??= new Map());
}

// `segments`

export function createSegmentsWidget(field, core) {
  const audioKey = typeof field.audio === "string" && field.audio ? field.audio : "audio";
  const player = sharedAudioPlayer(core, audioKey);
  const digitsBelongToChoice = (core.schema?.fields ?? []).some((candidate) => candidate.type === "choice");
  const labels = normalizeLabels(field.labels, core).map((label, index) => ({
    ...label,
    key: label.hotkey ? normalizeKey(label.hotkey) : "",
    optionKey: index < 9 && !digitsBelongToChoice ? core.hotkeys?.[`option_${index + 1}`] ?? String(index + 1) : "",
    style: labelStyle(label.color),
  }));
  const labelByValue = new Map(labels.map((label) => [label.value, label]));
  const unknownStyle = labelStyle(UNKNOWN_COLOR);
  const overlap = field.overlap === true;
  const maxSegments = Number.isInteger(field.max_segments) && field.max_segments > 0 ? field.max_segments : null;
  const minSegments = Number.isInteger(field.min_segments) && field.min_segments > 0 ? field.min_segments : null;
  let currentLabel = labels[0]?.value ?? null;
  let regions = [];
  let selectedId = null;
  let pendingStart = null;
  let preview = null;
  let currentId = null;

  const element = makeElement("fieldset", "field field-segments");
  element.dataset.field = field.name;
  const legend = makeElement("legend", "", fieldCaption(field));

  // The label bar: the label new regions get (a click or its key also relabels the selected region).
  const bar = makeElement("div", "audio-labels");
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", `${fieldCaption(field)}: labels`);
  const labelButtons = labels.map((label) => {
    const button = makeElement("button", "audio-label");
    button.type = "button";
    button.dataset.value = label.value;
    button.style.setProperty("--label-color", label.style.color);
    const swatch = makeElement("span", "audio-swatch");
    swatch.setAttribute("aria-hidden", "true");
    button.append(swatch, makeElement("span", "", label.label));
    const keyText = label.key || label.optionKey;
    if (keyText) button.append(makeElement("kbd", "", keyText));
    button.title = `Label new segments “${label.label}” (and relabel the selected one)${label.hint ? `: ${label.hint}` : ""}`;
    button.addEventListener("click", () => chooseLabel(label.value));
    bar.append(button);
    return button;
  });

  const tools = makeElement("div", "segment-tools");
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", `${fieldCaption(field)}: segment tools`);
  const startButton = makeButton("segment-start", "Start here", "Mark the start of a segment at the playhead", "[");
  const endButton = makeButton("segment-end", "End here", "End the segment at the playhead: it gets the chosen label", "]");
  const cancelButton = makeButton("segment-cancel", "Cancel", "Forget the marked start", "Esc");
  const playButton = makeButton("segment-play", "Play segment", "Play the selected segment", "p");
  const deleteButton = makeButton("segment-delete", "Delete", "Delete the selected segment", "Del");
  tools.append(startButton, endButton, cancelButton, playButton, deleteButton);
  const hint = makeElement("p", "segment-hint muted");
  hint.setAttribute("role", "status");
  const details = makeElement("div", "segment-details");
  details.hidden = true;
  const list = makeElement("ul", "segment-list");
  list.setAttribute("aria-label", `${fieldCaption(field)}: segments`);
  const count = makeElement("small", "segment-count muted");
  element.append(legend, bar, tools, hint, details, list, count);

  const selected = () => regions.find((region) => region.id === selectedId) ?? null;
  const styleOf = (label) => labelByValue.get(label)?.style ?? unknownStyle;
  const textOf = (label) => labelByValue.get(label)?.label ?? String(label ?? "");

  function commit(next, options) {
    const tidy = [...next].sort(byTime).map((region) => ({ ...region, start: roundMs(region.start), end: roundMs(region.end) }));
    setFieldValue(core, field.name, tidy, options);
  }

  function defaultAttributes(labelValue, previous = {}) {
    const attributes = {};
    for (const attribute of labelByValue.get(labelValue)?.attributes ?? []) {
      if (attribute.name in previous) attributes[attribute.name] = previous[attribute.name];
      else if (attribute.type === "boolean") attributes[attribute.name] = false;
    }
    return attributes;
  }

  function withAttributes(region, attributes) {
    const next = { ...region };
    if (Object.keys(attributes).length) next.attributes = attributes;
    else delete next.attributes;
    return next;
  }

  function canCreate(report) {
    if (!currentLabel) return report && player.setStatus(`“${fieldCaption(field)}” has no labels.`, true), false;
    if (maxSegments && regions.length >= maxSegments) {
      if (report) player.setStatus(`At most ${maxSegments} segment${maxSegments === 1 ? "" : "s"} in “${fieldCaption(field)}”.`, true);
      return false;
    }
    return true;
  }

  /** The room the selected region's edges have: its free gap where regions may not overlap. */
  function roomOf(region) {
    if (overlap) return { low: 0, high: player.duration };
    return freeGap(regions, (region.start + region.end) / 2, player.duration, region.id) ?? { low: 0, high: player.duration };
  }

  // Edits

  function createRegion(start, end) {
    if (!canCreate(true)) return false;
    const a = roundMs(clamp(start, 0, player.duration));
    const b = roundMs(clamp(end, 0, player.duration));
    if (b - a < MIN_REGION_S) {
      player.setStatus("That segment is too short.", true);
      return false;
    }
    const id = nextId(regions, "s");
    selectedId = id;
    player.claimSelection(layer);
    commit([...regions, withAttributes({ id, label: currentLabel, start: a, end: b }, defaultAttributes(currentLabel))]);
    return true;
  }

  function updateRegion(id, start, end) {
    const region = regions.find((each) => each.id === id);
    if (!region) return;
    commit(regions.map((each) => (each.id === id ? { ...each, start, end } : each)));
  }

  function replaceRegion(region, options) {
    commit(regions.map((each) => (each.id === region.id ? region : each)), options);
  }

  function relabel(id, value) {
    const region = regions.find((each) => each.id === id);
    if (!region || region.label === value) return;
    const kept = Object.fromEntries(Object.entries(region.attributes ?? {}).filter(([name]) =>
      (labelByValue.get(value)?.attributes ?? []).some((attribute) => attribute.name === name)));
    replaceRegion(withAttributes({ ...region, label: value }, defaultAttributes(value, kept)));
  }

  function chooseLabel(value) {
    if (!labelByValue.has(value)) return;
    currentLabel = value;
    player.activate(layer);
    if (selectedId) relabel(selectedId, value);
    update();
    player.redrawOverlay();
  }

  function select(id, { seek = true } = {}) {
    const region = regions.find((each) => each.id === id);
    selectedId = region ? id : null;
    player.claimSelection(region ? layer : null);
    if (region && seek) player.seek(region.start);
    update();
  }

  function remove(id) {
    if (!regions.some((region) => region.id === id)) return false;
    if (selectedId === id) selectedId = null;
    commit(regions.filter((region) => region.id !== id));
    player.setStatus(`Deleted segment ${id} (undo brings it back).`);
    return true;
  }

  function markStart() {
    if (!canCreate(true)) return true;
    pendingStart = player.time;
    player.activate(layer);
    update();
    player.redrawOverlay();
    return true;
  }

  function markEnd() {
    if (pendingStart === null) {
      player.setStatus("Mark the start of the segment first ([ at the playhead).", true);
      return true;
    }
    let a = Math.min(pendingStart, player.time);
    let b = Math.max(pendingStart, player.time);
    const from = pendingStart;
    pendingStart = null;
    if (!overlap) {
      const gap = freeGap(regions, from, player.duration);
      if (!gap) {
        const inside = regions.find((region) => region.start < from && region.end > from);
        player.setStatus(`The start is inside segment ${inside?.id ?? ""}: segments of “${fieldCaption(field)}” may not overlap.`, true);
        update();
        player.redrawOverlay();
        return true;
      }
      const trimmed = a < gap.low || b > gap.high;
      a = clamp(a, gap.low, gap.high);
      b = clamp(b, gap.low, gap.high);
      if (trimmed) player.setStatus("The segment was trimmed so it does not overlap its neighbours.");
    }
    createRegion(a, b);
    update();
    player.redrawOverlay();
    return true;
  }

  function cancelPending() {
    if (pendingStart === null) return false;
    pendingStart = null;
    update();
    player.redrawOverlay();
    return true;
  }

  /** Moves an edge of the selected region (to `to`, clamped to its room and a minimum length). */
  function moveEdge(edge, to) {
    const region = selected();
    if (!region) {
      player.setStatus("Select a segment first (Tab, or click it).", true);
      return true;
    }
    const room = roomOf(region);
    const start = edge === "start" ? clamp(to, room.low, region.end - MIN_REGION_S) : region.start;
    const end = edge === "end" ? clamp(to, region.start + MIN_REGION_S, room.high) : region.end;
    if (roundMs(start) !== region.start || roundMs(end) !== region.end) updateRegion(region.id, start, end);
    return true;
  }

  /** Tab: the next (or previous) region in time, selected, the playhead at its start. False at the ends. */
  function step(direction) {
    const ordered = [...regions].sort(byTime);
    if (!ordered.length) return false;
    let index = ordered.findIndex((region) => region.id === selectedId);
    if (index >= 0) index += direction;
    else if (direction > 0) index = ordered.findIndex((region) => region.start > player.time + 0.0005);
    else index = ordered.findLastIndex((region) => region.start < player.time - 0.0005);
    if (index < 0 || index >= ordered.length) return false;
    select(ordered[index].id, { seek: true });
    return true;
  }

  // What the player asks of a field: its regions to draw (with the drag in progress), styles, edits, keys.
  const layer = {
    field,
    overlap,
    caption: fieldCaption(field),
    get selectedId() {
      return selectedId;
    },
    get pendingStart() {
      return pendingStart;
    },
    get currentLabel() {
      return currentLabel;
    },
    regions: () => regions,
    shownRegions() {
      if (!preview) return regions;
      if (preview.id === null) return [...regions, { id: "", label: preview.label, start: preview.start, end: preview.end }];
      return regions.map((region) => (region.id === preview.id ? { ...region, start: preview.start, end: preview.end } : region));
    },
    setPreview(next) {
      preview = next;
    },
    takePreview() {
      const taken = preview;
      preview = null;
      return taken;
    },
    styleOf,
    textOf,
    currentStyle: () => styleOf(currentLabel),
    canCreate,
    createRegion,
    updateRegion,
    select,
    clearSelection() {
      if (!selectedId) return;
      selectedId = null;
      update();
    },
    labelKey(name) {
      const label = labels.find((candidate) => candidate.key && candidate.key === name);
      if (!label) return false;
      chooseLabel(label.value);
      return true;
    },
    markStart,
    markEnd,
    cancelPending,
    setEdgeAtPlayhead: (edge) => moveEdge(edge, player.time),
    nudgeEdge(edge, delta) {
      const region = selected();
      return region ? moveEdge(edge, region[edge] + delta) : moveEdge(edge, 0);
    },
    step,
    removeSelected: () => (selectedId ? remove(selectedId) : false),
    playRegion(id) {
      const region = regions.find((each) => each.id === id);
      if (!region) return;
      if (player.playing) player.pause();
      player.playRange(region.start, region.end);
    },
    /** Marks the list's region under the playhead; allocates nothing unless that region changes. */
    timeChanged(t) {
      let id = null;
      for (let i = 0; i < regions.length; i++) {
        if (regions[i].start <= t && regions[i].end > t) {
          id = regions[i].id;
          break;
        }
      }
      if (id === currentId) return;
      currentId = id;
      for (const item of list.children) item.classList.toggle("current", item.dataset.segmentId === id);
      if (pendingStart !== null) update();
    },
    loaded: () => update(),
    activeChanged: () => update(),
  };
  player.attach(layer);
  segmentLayers(core).set(field.name, layer);

  // The form side: tools, hint, the selected region's details, the list.

  function update() {
    const ready = player.loaded;
    for (const button of labelButtons) button.setAttribute("aria-pressed", String(button.dataset.value === currentLabel));
    startButton.disabled = !ready || !currentLabel;
    endButton.disabled = !ready || pendingStart === null;
    cancelButton.hidden = pendingStart === null;
    playButton.disabled = !selectedId;
    deleteButton.disabled = !selectedId;
    const label = labelByValue.get(currentLabel);
    hint.classList.toggle("active", pendingStart !== null);
    const isActive = player.active === layer;
    const shared = player.layers.length > 1;
    hint.textContent = !label
      ? ""
      : pendingStart !== null
        ? `“${label.label}” starts at ${clockText(pendingStart)}: press ] at its end (Esc cancels).`
        : isActive
          ? `Drag on the waveform, or press [ at the start and ] at the end, to mark a “${label.label}” segment.`
          : `Drag in the “${fieldCaption(field)}” strip under the waveform, or pick a label here for the keys to mark “${label.label}” segments.`;
    if (listed !== regions || listedSelection !== selectedId) renderList();
    renderDetails(selected());
    element.classList.toggle("audio-active", isActive && shared);
  }

  let listed = null;
  let listedSelection = null;
  function renderList() {
    listed = regions;
    listedSelection = selectedId;
    const ordered = [...regions].sort(byTime);
    list.replaceChildren(...ordered.map((region) => {
      const item = makeElement("li", "segment-item");
      item.dataset.segmentId = region.id;
      item.dataset.label = String(region.label ?? "");
      item.setAttribute("aria-selected", String(region.id === selectedId));
      item.classList.toggle("selected", region.id === selectedId);
      item.classList.toggle("current", region.id === currentId);
      item.style.setProperty("--label-color", styleOf(region.label).color);
      const seek = makeElement("button", "segment-seek");
      seek.type = "button";
      seek.title = `Select ${region.id} and go to ${clockText(region.start)}`;
      seek.append(
        makeElement("span", "segment-chip", region.id),
        makeElement("span", "segment-item-label", textOf(region.label)),
        makeElement("span", "segment-item-range muted", rangeText(region.start, region.end)),
      );
      const missing = (labelByValue.get(region.label)?.attributes ?? [])
        .filter((attribute) => attribute.required && attribute.type !== "boolean" && [undefined, ""].includes(region.attributes?.[attribute.name]))
        .map((attribute) => attribute.label ?? attribute.name);
      if (missing.length) seek.append(makeElement("span", "segment-item-missing", `needs ${missing.join(", ")}`));
      seek.addEventListener("click", () => select(region.id));
      const remover = makeButton("segment-remove", "×", `Delete segment ${region.id}`);
      remover.setAttribute("aria-label", `Delete segment ${region.id}`);
      remover.addEventListener("click", () => remove(region.id));
      item.append(seek, remover);
      return item;
    }));
    const limits = [minSegments ? `min ${minSegments}` : "", maxSegments ? `max ${maxSegments}` : ""].filter(Boolean);
    count.textContent = `${regions.length} segment${regions.length === 1 ? "" : "s"}${limits.length ? ` (${limits.join(", ")})` : ""}`;
  }

  let detailsFor = null;
  function renderDetails(region) {
    const identity = region ? JSON.stringify([region.id, region.label, region.start, region.end, region.attributes ?? {}]) : null;
    if (identity === detailsFor) return;
    // Typing in a text attribute changes the value at each key: keep that input (and its caret) as it is.
    const focused = document.activeElement;
    const typing = focused instanceof HTMLInputElement && focused.type === "text" && details.contains(focused) ? focused.closest("[data-attribute]")?.dataset.attribute : null;
    if (region && typing && details.dataset.segmentId === region.id && focused.value === (region.attributes?.[typing] ?? "")) {
      const others = (attributes) => JSON.stringify(Object.entries(attributes ?? {}).filter(([name]) => name !== typing));
      const previous = detailsFor ? JSON.parse(detailsFor) : null;
      if (previous && previous[1] === region.label && previous[2] === region.start && previous[3] === region.end && others(previous[4]) === others(region.attributes)) {
        detailsFor = identity;
        return;
      }
    }
    detailsFor = identity;
    details.replaceChildren();
    details.hidden = !region;
    if (!region) return;
    details.dataset.segmentId = region.id;
    details.style.setProperty("--label-color", styleOf(region.label).color);
    const heading = makeElement("div", "segment-details-heading");
    heading.append(makeElement("strong", "", `Segment ${region.id}`), " ",
      makeElement("span", "muted", `${rangeText(region.start, region.end)} (${(region.end - region.start).toFixed(3)} s)`));
    const labelRow = makeElement("label", "segment-label-row");
    const labelSelect = makeLabelSelect("segment-label-select", labels, region.label);
    labelSelect.addEventListener("change", () => selectedId && relabel(selectedId, labelSelect.value));
    labelRow.append("Label", labelSelect);
    details.append(heading, labelRow);
    for (const attribute of labelByValue.get(region.label)?.attributes ?? []) details.append(attributeInput(region, attribute));
  }

  function attributeInput(region, attribute) {
    const set = (value, options) => {
      const latest = selected();
      if (!latest) return;
      const attributes = { ...(latest.attributes ?? {}) };
      if (value === undefined || value === "") delete attributes[attribute.name];
      else attributes[attribute.name] = value;
      replaceRegion(withAttributes(latest, attributes), options);
    };
    return attributeRow("segment", attribute, attribute.type, region.attributes?.[attribute.name], set, normalizeOptions);
  }

  startButton.addEventListener("click", markStart);
  endButton.addEventListener("click", markEnd);
  cancelButton.addEventListener("click", cancelPending);
  playButton.addEventListener("click", () => selectedId && layer.playRegion(selectedId));
  deleteButton.addEventListener("click", () => selectedId && remove(selectedId));
  element.addEventListener("focusin", () => player.activate(layer));
  update();

  return {
    field,
    element,
    dataKeys: [audioKey],
    showTask(task) {
      pendingStart = null;
      selectedId = null;
      preview = null;
      currentId = null;
      currentLabel = labels[0]?.value ?? null;
      placePlayer(core, player, element);
      player.show(task);
      update();
    },
    render(value) {
      regions = readRegions(value);
      if (selectedId && !regions.some((region) => region.id === selectedId)) selectedId = null;
      update();
      player.refresh();
    },
    handleKey(name, event) {
      if (isSelectTarget(event?.target)) return false;
      return player.handleKey(name, event, layer);
    },
    /** A digit (the core's option keys) picks a label of the field the keys act on, unless the schema has a
     * choice field: the digits are then that field's (labels keep their own hotkeys). */
    chooseOption(number) {
      if (digitsBelongToChoice || player.active !== layer || !player.loaded) return;
      const label = labels[number - 1];
      if (label) chooseLabel(label.value);
    },
  };
}

// `transcript`

export function createTranscriptWidget(field, core) {
  const segmentsName = typeof field.segments === "string" ? field.segments : "";
  const segmentsField = (core.schema?.fields ?? []).find((candidate) => candidate.name === segmentsName && candidate.type === "segments");
  const audioKey = typeof segmentsField?.audio === "string" && segmentsField.audio ? segmentsField.audio : "audio";
  const player = segmentsField ? sharedAudioPlayer(core, audioKey) : null;
  const speech = Array.isArray(field.labels) && field.labels.length ? new Set(field.labels.map(String)) : null;
  const conventions = transcriptConventions(field);

  const element = makeElement("fieldset", "field field-transcript");
  element.dataset.field = field.name;
  const legend = makeElement("legend", "", fieldCaption(field));
  const help = makeElement("div", "transcript-help");
  const conventionList = makeElement("p", "transcript-conventions muted");
  const example = (code, text) => {
    const span = makeElement("span", "transcript-convention");
    span.append(makeElement("code", "", code), ` ${text}`);
    return span;
  };
  conventionList.append(example("[tag]", "non-speech"), example("%uh", "hesitation"));
  if (conventions.falseStarts) conventionList.append(example("thi-", "false start"));
  conventionList.append(makeElement("span", "transcript-convention", "Enter: next segment · alt+p: play it · alt+k: play/pause · Esc: back to the waveform"));
  const inserts = makeElement("div", "transcript-inserts");
  inserts.setAttribute("role", "toolbar");
  inserts.setAttribute("aria-label", "Insert at the cursor");
  for (const tag of conventions.tags ?? []) inserts.append(insertButton(`[${tag}]`, `Insert the tag [${tag}] at the cursor`));
  for (const word of conventions.hesitations ?? []) inserts.append(insertButton(`%${word}`, `Insert the hesitation %${word} at the cursor`));
  help.append(conventionList, inserts);
  const list = makeElement("ol", "transcript-list");
  list.setAttribute("aria-label", `${fieldCaption(field)}: one text per segment`);
  const empty = makeElement("p", "transcript-empty muted");
  const summary = makeElement("p", "transcript-summary error");
  summary.setAttribute("role", "status");
  element.append(legend, help, list, empty, summary);
  if (!segmentsField) {
    empty.textContent = `This transcript names no segments field (“${segmentsName}”).`;
    help.hidden = true;
  }

  let live = [];
  let builtKey = null;
  let rows = new Map();
  let lastBox = null;
  let typedIn = null;

  const layerOf = () => segmentLayers(core).get(segmentsName) ?? null;

  function insertButton(snippet, title) {
    const button = makeButton("transcript-insert", snippet, title);
    // The text box keeps the focus (and its caret) while the button is pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const box = rowsBox(document.activeElement) ?? lastBox;
      if (!box || !box.isConnected) {
        core.setStatus?.("Click in a segment's text first, then insert.", true);
        return;
      }
      box.focus();
      insertAtCaret(box, snippet);
      textChanged(box.dataset.segmentId, box.value);
    });
    return button;
  }

  function rowsBox(node) {
    return node instanceof HTMLTextAreaElement && list.contains(node) ? node : null;
  }

  /** The speech regions of the segments field, in time order. */
  function liveRegions() {
    return readRegions(core.value[segmentsName]).filter((region) => !speech || speech.has(String(region.label))).sort(byTime);
  }

  function entriesOf(value) {
    return (Array.isArray(value) ? value : []).filter((entry) => entry && typeof entry === "object" && typeof entry.segment === "string");
  }

  /**
   * Drops the entries of regions that are gone (or no longer speech) from the value in place, without an
   * undo step of its own: the change that removed the region is the undo step, and the snapshot the core took
   * before it still holds the entry, so one undo restores the region and its text together.
   */
  function pruneTranscript(ids) {
    const entries = entriesOf(core.value[field.name]);
    const seen = new Set();
    const kept = entries.filter((entry) => ids.has(entry.segment) && !seen.has(entry.segment) && seen.add(entry.segment));
    if (kept.length === entries.length && Array.isArray(core.value[field.name])) return;
    if (core.value[field.name] === undefined) return;
    if (kept.length) core.value[field.name] = kept;
    else delete core.value[field.name];
  }

  function textChanged(segmentId, text) {
    // A new box is a new undo step; typing on in one box is one step.
    if (typedIn !== segmentId && core.lastCoalesced === field.name) core.lastCoalesced = null;
    typedIn = segmentId;
    const texts = new Map(entriesOf(core.value[field.name]).map((entry) => [entry.segment, String(entry.text ?? "")]));
    texts.set(segmentId, text);
    const next = live.filter((region) => (texts.get(region.id) ?? "").trim()).map((region) => ({ segment: region.id, text: texts.get(region.id) }));
    setFieldValue(core, field.name, next, { coalesce: true });
  }

  function buildRows() {
    const focused = rowsBox(document.activeElement);
    const focusId = focused?.dataset.segmentId;
    const caret = focused ? [focused.selectionStart, focused.selectionEnd] : null;
    rows = new Map();
    list.replaceChildren(...live.map((region, index) => {
      const layer = layerOf();
      const style = layer?.styleOf(region.label);
      const labelText = layer?.textOf(region.label) ?? String(region.label);
      const item = makeElement("li", "transcript-row");
      item.dataset.segmentId = region.id;
      if (style) item.style.setProperty("--label-color", style.color);
      const head = makeElement("div", "transcript-head");
      const seek = makeElement("button", "transcript-seek");
      seek.type = "button";
      seek.tabIndex = -1;
      seek.title = `Select ${region.id} and go to ${clockText(region.start)}`;
      seek.append(makeElement("span", "segment-chip", region.id), makeElement("span", "transcript-label", labelText),
        makeElement("span", "transcript-range muted", rangeText(region.start, region.end)));
      seek.addEventListener("click", () => layerOf()?.select(region.id, { seek: true }));
      const playIt = makeButton("transcript-play", "▶", `Play segment ${region.id} (alt+p in its text)`);
      playIt.tabIndex = -1;
      playIt.setAttribute("aria-label", `Play segment ${region.id}`);
      playIt.addEventListener("click", () => layerOf()?.playRegion(region.id));
      head.append(seek, playIt);
      const box = makeElement("textarea", "transcript-text");
      box.rows = 1;
      box.dataset.segmentId = region.id;
      box.spellcheck = true;
      box.setAttribute("aria-label", `Transcript of ${region.id}, ${labelText}, ${rangeText(region.start, region.end)}`);
      box.addEventListener("focus", () => focusRow(region.id, box));
      box.addEventListener("input", () => textChanged(region.id, box.value));
      box.addEventListener("keydown", (event) => boxKey(event, index, region.id));
      const problems = makeElement("ul", "transcript-problems");
      item.append(head, box, problems);
      rows.set(region.id, { item, box, problems, checked: null });
      return item;
    }));
    if (focusId && rows.has(focusId)) {
      const box = rows.get(focusId).box;
      box.focus({ preventScroll: true });
      if (caret) box.setSelectionRange(caret[0], caret[1]);
    }
  }

  function focusRow(id, box) {
    lastBox = box;
    const layer = layerOf();
    if (!layer) return;
    const region = layer.regions().find((each) => each.id === id);
    if (!region) return;
    // Select the region; go to its start unless the playhead is already in it (playing on, say).
    const inside = player && player.time >= region.start && player.time < region.end;
    if (layer.selectedId !== id) layer.select(id, { seek: !inside });
    else if (!inside) player?.seek(region.start);
  }

  function boxKey(event, index, id) {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Enter goes to the next segment's text (shift+Enter to the previous), never submits from here.
      event.preventDefault();
      event.stopPropagation();
      const next = live[index + (event.shiftKey ? -1 : 1)];
      if (next) rows.get(next.id)?.box.focus();
      else {
        event.target.blur();
        player?.element.querySelector(".audio-stage")?.focus({ preventScroll: true });
        core.setStatus?.(event.shiftKey ? "This is the first segment." : "That was the last segment: press Enter again to submit.");
      }
    } else if (event.altKey && event.code === "KeyP") {
      event.preventDefault();
      event.stopPropagation();
      layerOf()?.playRegion(id);
    } else if (event.altKey && event.code === "KeyK") {
      event.preventDefault();
      event.stopPropagation();
      player?.togglePlay();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      event.target.blur();
      player?.element.querySelector(".audio-stage")?.focus({ preventScroll: true });
    }
  }

  function showProblems(row, text) {
    if (row.checked === text) return 0;
    row.checked = text;
    const problems = transcriptProblems(text, conventions);
    row.problems.replaceChildren(...problems.map((problem) => makeElement("li", `transcript-problem ${problem.kind}`, problem.message)));
    const errors = problems.filter((problem) => problem.kind === "error").length;
    row.box.setAttribute("aria-invalid", String(errors > 0));
    row.item.classList.toggle("invalid", errors > 0);
    return errors;
  }

  function render() {
    live = segmentsField ? liveRegions() : [];
    if (segmentsField) pruneTranscript(new Set(live.map((region) => region.id)));
    const texts = new Map(entriesOf(core.value[field.name]).map((entry) => [entry.segment, String(entry.text ?? "")]));
    const key = live.map((region) => `${region.id}\u0000${region.start}\u0000${region.end}\u0000${region.label}`).join("\u0001");
    if (key !== builtKey) {
      builtKey = key;
      buildRows();
    }
    const focused = rowsBox(document.activeElement);
    let invalid = 0;
    let missing = 0;
    for (const region of live) {
      const row = rows.get(region.id);
      const text = texts.get(region.id) ?? "";
      // The box being typed in keeps what it shows when the value only lacks its blank text.
      const keep = row.box === focused && (row.box.value === text || (!text && !row.box.value.trim()));
      if (!keep && row.box.value !== text) row.box.value = text;
      showProblems(row, row.box.value);
      if (row.item.classList.contains("invalid")) invalid++;
      if (!row.box.value.trim()) missing++;
    }
    if (segmentsField) {
      empty.textContent = live.length ? "" : `Mark ${speech ? "speech " : ""}segments in “${fieldCaption(segmentsField)}” first: each gets a text box here.`;
    }
    const parts = [];
    if (invalid) parts.push(`${invalid} segment${invalid === 1 ? " breaks" : "s break"} the conventions`);
    if (missing && isRequired(field)) parts.push(`${missing} segment${missing === 1 ? " has" : "s have"} no text yet`);
    summary.textContent = parts.join("; ");
    summary.hidden = !parts.length;
    element.dataset.missing = String(missing);
    selectionChanged();
  }

  function selectionChanged() {
    const id = layerOf()?.selectedId ?? null;
    for (const [segmentId, row] of rows) row.item.classList.toggle("selected", segmentId === id);
  }

  let currentId = null;
  player?.listen({
    selectionChanged,
    timeChanged(t) {
      let id = null;
      for (let i = 0; i < live.length; i++) {
        if (live[i].start <= t && live[i].end > t) {
          id = live[i].id;
          break;
        }
      }
      if (id === currentId) return;
      currentId = id;
      for (const [segmentId, row] of rows) row.item.classList.toggle("current", segmentId === id);
    },
  });

  return {
    field,
    element,
    dataKeys: segmentsField ? [audioKey] : [],
    showTask(task) {
      lastBox = null;
      typedIn = null;
      builtKey = null;
      if (player) {
        placePlayer(core, player, element);
        player.show(task);
      }
    },
    render,
  };
}
