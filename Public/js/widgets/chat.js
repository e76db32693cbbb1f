// The `chat` field: a live conversation with a model kept on the server. Each turn the worker sends a message,
// picks the better of two replies (how much better, and why), may edit it, and the conversation goes on.

import { api, ApiError, describeProblem } from "../api.js";
import { characterCount, fieldCaption, lengthHint, setFieldValue } from "./field-helpers.js";

const strengthWords = { 1: "slightly better", 2: "better", 3: "much better" };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text) {
  const node = element("button", className, text);
  node.type = "button";
  return node;
}

/** A message for a failed request: the server's problem, or what went wrong on the way. */
function problemText(error) {
  if (error instanceof ApiError) {
    if (error.problem) return describeProblem(error);
    if (error.status === 504) return "The model took too long to answer (HTTP 504).";
    return `The server answered HTTP ${error.status}.`;
  }
  if (error instanceof SyntaxError) return "The server sent an answer that could not be read.";
  return `Could not reach the server: ${error.message}`;
}

/** One message of the transcript: who said it and the text, drawn as text only. */
function message(kind, role, text) {
  const box = element("div", `chat-message chat-${kind}`);
  const heading = element("div", "chat-role");
  heading.append(element("span", "chat-role-name", role));
  box.append(heading, element("div", "chat-text", typeof text === "string" ? text : ""));
  return box;
}

export function createChatWidget(field, core) {
  const root = element("fieldset", "field field-chat");
  root.dataset.field = field.name;
  root.tabIndex = -1;
  const legend = element("legend", "", fieldCaption(field));
  const progress = element("p", "chat-progress");
  const note = element("p", "chat-note muted");
  const system = element("details", "chat-system");
  const systemText = element("div", "chat-text");
  system.append(element("summary", "", "System prompt"), systemText);
  const loading = element("p", "chat-loading muted", "Loading conversation…");
  const transcript = element("ol", "chat-transcript");

  const strength = field.strength !== false;
  const reasonMode = field.reason ?? "required";
  const reasonMinimum = Math.max(1, field.reason_min_length ?? 10);
  const editable = field.edit !== false;

  // The pending turn: the message, the two candidates and the choice controls.
  const pending = element("section", "chat-pending");
  pending.tabIndex = -1;
  pending.setAttribute("aria-label", "Choose the better reply");
  const pendingUser = element("div", "chat-pending-user");
  const candidates = element("div", "chat-candidates");
  const cards = {};
  for (const letter of ["a", "b"]) {
    const card = element("div", "chat-candidate");
    card.dataset.candidate = letter;
    const heading = element("div", "chat-candidate-heading", `Reply ${letter.toUpperCase()}`);
    const text = element("div", "chat-text");
    const pick = button("chat-pick");
    pick.dataset.winner = letter;
    pick.setAttribute("aria-pressed", "false");
    const key = element("kbd", "", letter);
    pick.append(key, ` ${letter.toUpperCase()} is better`);
    pick.addEventListener("click", () => choose(letter));
    card.append(heading, text, pick);
    candidates.append(card);
    cards[letter] = { card, text, pick };
  }
  const scale = element("div", "chat-strength");
  scale.setAttribute("role", "group");
  scale.setAttribute("aria-label", "How much better");
  const strengthButtons = [1, 2, 3].map((level) => {
    const option = button("chat-strength-option");
    option.dataset.strength = String(level);
    option.setAttribute("aria-pressed", "false");
    option.addEventListener("click", () => {
      choice.strength = level;
      paintChoice();
    });
    scale.append(option);
    return option;
  });
  scale.hidden = !strength;

  let reasonInput = null;
  let reasonHint = null;
  const reasonBox = element("label", "chat-reason-box");
  if (reasonMode !== "none") {
    const caption = element("span", "", reasonMode === "required" ? `Reason (at least ${reasonMinimum} characters)` : "Reason (optional)");
    reasonInput = element("textarea", "chat-reason");
    reasonInput.rows = 2;
    reasonInput.required = reasonMode === "required";
    reasonHint = element("small", "chat-reason-hint muted");
    reasonBox.append(caption, reasonInput, reasonHint);
    reasonInput.addEventListener("input", () => {
      choice.reason = reasonInput.value;
      paintChoice();
    });
  }
  reasonBox.hidden = reasonMode === "none";

  const editBox = element("label", "chat-edit-box");
  const editCaption = element("span", "", "The reply the conversation goes on with (you may edit it)");
  const editInput = element("textarea", "chat-edit");
  editInput.rows = 5;
  const editBar = element("div", "chat-edit-bar");
  const editStatus = element("small", "chat-edit-status muted");
  const editReset = button("chat-edit-reset", "Undo my edits");
  editBar.append(editStatus, editReset);
  editBox.append(editCaption, editInput, editBar);
  editInput.addEventListener("input", () => {
    if (choice.winner) choice.edits[choice.winner] = editInput.value;
    paintChoice();
  });
  editReset.addEventListener("click", () => {
    if (!choice.winner) return;
    choice.edits[choice.winner] = candidateText(choice.winner);
    editInput.value = choice.edits[choice.winner];
    paintChoice();
    editInput.focus();
  });

  const continueBar = element("div", "chat-continue-bar");
  const continueButton = button("chat-continue primary", "Continue");
  const choiceHint = element("small", "chat-choice-hint muted");
  continueBar.append(continueButton, choiceHint);
  continueButton.addEventListener("click", () => sendChoice());
  pending.append(pendingUser, candidates, scale, reasonBox, editBox, continueBar);

  // The composer: the next message.
  const composer = element("div", "chat-composer");
  const composerLabel = element("label", "chat-input-box");
  const input = element("textarea", "chat-input");
  input.rows = 3;
  input.placeholder = "Write your message…";
  composerLabel.append(element("span", "", "Your message"), input);
  const composerBar = element("div", "chat-composer-bar");
  const sendButton = button("chat-send primary");
  sendButton.append("Send ", element("kbd", "", "ctrl+enter"));
  const waiting = element("span", "chat-waiting muted");
  waiting.setAttribute("role", "status");
  composerBar.append(sendButton, waiting);
  composer.append(composerLabel, composerBar);
  sendButton.addEventListener("click", () => sendMessage());
  input.addEventListener("input", () => paintComposer());

  const errorBox = element("div", "chat-error");
  errorBox.setAttribute("role", "alert");
  errorBox.hidden = true;
  const retry = button("chat-retry", "Try again");
  retry.addEventListener("click", () => load());

  root.append(legend, system, progress, loading, transcript, pending, composer, note, errorBox);

  // Keyboard: ctrl+enter sends from the composer and continues from the choice's text areas.
  for (const area of [input, reasonInput, editInput].filter(Boolean)) {
    area.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      event.stopPropagation();
      if (area === input) sendMessage();
      else if (continueReady()) sendChoice();
    });
  }

  let task = null;
  let state = null; // the server's conversation
  let busy = null; // "load" | "send" | "choice" while a request runs
  let waitTimer = null;
  let drawnTurns = "";
  let choice = freshChoice(null);

  function freshChoice(key) {
    return { key, winner: null, strength: null, reason: "", edits: {} };
  }

  function pendingKey(value) {
    return value ? JSON.stringify([value.user, value.candidates]) : null;
  }

  function candidateText(letter) {
    const text = state?.pending?.candidates?.[letter === "a" ? 0 : 1];
    return typeof text === "string" ? text : "";
  }

  function limits() {
    const minimum = state?.min_turns ?? field.min_turns ?? 1;
    const maximum = state?.max_turns ?? field.max_turns ?? 5;
    return { minimum, maximum };
  }

  function showError(text, { canRetry = false, saved = false } = {}) {
    errorBox.replaceChildren(element("span", "chat-error-text", text));
    if (saved) errorBox.append(element("span", "chat-error-saved", "The conversation so far is saved; you can send your message again."));
    if (canRetry) errorBox.append(retry);
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  /** Keeps the server's state and mirrors its turns into the core's value. */
  function accept(next) {
    state = next && typeof next === "object" ? next : { turns: [], pending: null };
    if (!Array.isArray(state.turns)) state.turns = [];
    const key = pendingKey(state.pending);
    if (key !== choice.key) choice = freshChoice(key);
    draw();
    setFieldValue(core, field.name, { turns: state.turns }, { coalesce: true });
  }

  async function load() {
    const current = task;
    busy = "load";
    clearError();
    draw();
    try {
      const next = await api("GET", chatPath(current));
      if (current !== task) return;
      busy = null;
      accept(next);
    } catch (error) {
      if (current !== task) return;
      busy = null;
      draw();
      showError(`Could not load the conversation: ${problemText(error)}`, { canRetry: true });
    }
  }

  function chatPath(which, suffix = "") {
    return `/api/v1/tasks/${encodeURIComponent(which.id)}/chat/${encodeURIComponent(field.name)}${suffix}`;
  }

  async function sendMessage() {
    const content = input.value;
    if (busy || !state || state.pending || !content.trim() || state.turns.length >= limits().maximum) return;
    const current = task;
    busy = "send";
    clearError();
    startWaiting();
    draw();
    try {
      const next = await api("POST", chatPath(current, "/messages"), { content });
      if (current !== task) return;
      busy = null;
      stopWaiting();
      input.value = "";
      accept(next);
      pending.focus({ preventScroll: true });
      pending.scrollIntoView({ block: "nearest" });
    } catch (error) {
      if (current !== task) return;
      busy = null;
      stopWaiting();
      draw();
      showError(problemText(error), { saved: true });
      input.focus();
      if (error instanceof ApiError && error.status === 409) refresh(current);
    }
  }

  async function sendChoice() {
    if (busy || !state?.pending || !continueReady()) return;
    const current = task;
    const body = { winner: choice.winner };
    if (strength) body.strength = choice.strength;
    if (reasonMode !== "none" && choice.reason.trim()) body.reason = choice.reason;
    if (editable && isEdited()) body.reply = choice.edits[choice.winner];
    busy = "choice";
    clearError();
    draw();
    try {
      const next = await api("POST", chatPath(current, "/choice"), body);
      if (current !== task) return;
      busy = null;
      accept(next);
      if (!composer.hidden) input.focus();
      else root.focus({ preventScroll: true });
    } catch (error) {
      if (current !== task) return;
      busy = null;
      draw();
      showError(`Your choice was not saved: ${problemText(error)}`);
      if (error instanceof ApiError && error.status === 409) refresh(current);
    }
  }

  /** After a conflict the server knows better: draw its state again, keeping the error and what was typed. */
  async function refresh(current) {
    try {
      const next = await api("GET", chatPath(current));
      if (current === task && !busy) accept(next);
    } catch {
      // the error shown already says what went wrong
    }
  }

  function startWaiting() {
    const started = performance.now();
    const tick = () => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      waiting.textContent = `Waiting for the model… ${seconds}s`;
    };
    tick();
    clearInterval(waitTimer);
    waitTimer = setInterval(tick, 250);
  }

  function stopWaiting() {
    clearInterval(waitTimer);
    waitTimer = null;
    waiting.textContent = "";
  }

  function choose(letter) {
    if (busy || !state?.pending) return;
    choice.winner = letter;
    if (choice.edits[letter] === undefined) choice.edits[letter] = candidateText(letter);
    editInput.value = choice.edits[letter];
    paintChoice();
  }

  function isEdited() {
    return Boolean(choice.winner) && choice.edits[choice.winner] !== undefined && choice.edits[choice.winner] !== candidateText(choice.winner);
  }

  /** What is still missing before the turn can be closed; empty when it can. */
  function missing() {
    const needs = [];
    if (!choice.winner) needs.push("pick A or B");
    if (strength && !choice.strength) needs.push("say how much better");
    if (reasonMode === "required" && characterCount(choice.reason.trim()) < reasonMinimum) needs.push(`give a reason of at least ${reasonMinimum} characters`);
    if (editable && choice.winner && !(choice.edits[choice.winner] ?? "").trim()) needs.push("the reply cannot be empty");
    return needs;
  }

  function continueReady() {
    return missing().length === 0;
  }

  // Drawing

  function draw() {
    const loaded = Boolean(state);
    loading.hidden = loaded || busy !== "load";
    const { minimum, maximum } = limits();
    const turns = state?.turns ?? [];
    const done = turns.length >= maximum && !state?.pending;
    progress.hidden = !loaded;
    progress.textContent = !loaded ? "" : done ? `All ${maximum} turns done — submit when ready` : `Turn ${turns.length + 1} of ${maximum} (at least ${minimum})`;
    note.hidden = !loaded || done || Boolean(state?.pending) || turns.length < minimum;
    note.textContent = `${turns.length} turn${turns.length === 1 ? "" : "s"} done: you may submit now, or go on.`;
    drawTranscript(turns);
    drawPending();
    composer.hidden = !loaded || Boolean(state?.pending) || done;
    paintComposer();
  }

  function drawTranscript(turns) {
    const drawn = JSON.stringify(turns);
    if (drawn === drawnTurns) return;
    drawnTurns = drawn;
    transcript.replaceChildren(...turns.map((turn, index) => {
      const item = element("li", "chat-turn");
      item.dataset.turn = String(index + 1);
      const winner = turn.winner === "b" ? "b" : "a";
      const other = winner === "a" ? "b" : "a";
      const reply = message("reply", `Model · Reply ${winner.toUpperCase()} chosen`, turn.reply);
      reply.dataset.winner = winner;
      reply.dataset.edited = String(Boolean(turn.edited));
      if (turn.edited) reply.querySelector(".chat-role").append(element("span", "chat-edited", "edited"));
      const verdict = [`${winner.toUpperCase()} ${strengthWords[turn.strength] ?? "better"}`];
      if (typeof turn.reason === "string" && turn.reason) verdict.push(turn.reason);
      const otherReply = element("details", "chat-other");
      otherReply.dataset.candidate = other;
      const otherText = Array.isArray(turn.candidates) ? turn.candidates[other === "a" ? 0 : 1] : "";
      otherReply.append(element("summary", "", "Other reply"), element("div", "chat-text", typeof otherText === "string" ? otherText : ""));
      item.append(message("user", "You", turn.user), reply, element("p", "chat-verdict muted", verdict.join(" — ")), otherReply);
      return item;
    }));
  }

  function drawPending() {
    const turn = state?.pending;
    pending.hidden = !turn;
    if (!turn) return;
    const key = pendingKey(turn);
    if (pending.dataset.key !== key) {
      pending.dataset.key = key;
      pendingUser.replaceChildren(message("user", "You", turn.user));
      for (const letter of ["a", "b"]) cards[letter].text.textContent = candidateText(letter);
      if (reasonInput) reasonInput.value = choice.reason;
      editInput.value = choice.winner ? choice.edits[choice.winner] ?? "" : "";
    }
    paintChoice();
  }

  /** Updates the choice controls from the widget's own state; never rewrites what is being typed. */
  function paintChoice() {
    for (const letter of ["a", "b"]) {
      cards[letter].pick.setAttribute("aria-pressed", String(choice.winner === letter));
      cards[letter].card.classList.toggle("chosen", choice.winner === letter);
      cards[letter].pick.disabled = Boolean(busy);
    }
    strengthButtons.forEach((option, index) => {
      const level = index + 1;
      option.textContent = `${choice.winner ? `${choice.winner.toUpperCase()} ` : ""}${strengthWords[level]}`;
      option.setAttribute("aria-pressed", String(choice.strength === level));
      option.disabled = Boolean(busy);
    });
    if (reasonInput) {
      reasonHint.textContent = lengthHint(choice.reason, reasonMode === "required" ? reasonMinimum : null, null, { trim: true });
      reasonInput.readOnly = Boolean(busy);
    }
    editBox.hidden = !editable || !choice.winner;
    if (choice.winner) {
      editCaption.textContent = `Reply ${choice.winner.toUpperCase()}, as the conversation goes on with it (you may edit it)`;
      const edited = isEdited();
      editStatus.textContent = edited ? "edited" : "unchanged";
      editStatus.classList.toggle("edited", edited);
      editReset.hidden = !edited;
      editInput.readOnly = Boolean(busy);
    }
    const needs = missing();
    continueButton.disabled = Boolean(busy) || needs.length > 0;
    continueButton.textContent = busy === "choice" ? "Saving…" : "Continue";
    choiceHint.textContent = needs.length ? `To continue: ${needs.join(", ")}.` : "";
  }

  function paintComposer() {
    const sending = busy === "send";
    input.readOnly = sending;
    sendButton.disabled = Boolean(busy) || !input.value.trim();
    waiting.hidden = !sending;
  }

  return {
    field,
    element: root,
    dataKeys: field.system_key ? [field.system_key] : [],
    showTask(next) {
      task = next;
      state = null;
      busy = null;
      stopWaiting();
      drawnTurns = "";
      choice = freshChoice(null);
      delete pending.dataset.key;
      input.value = "";
      clearError();
      const prompt = typeof field.system === "string" ? field.system : field.system_key ? next?.data?.[field.system_key] : null;
      system.hidden = typeof prompt !== "string" || !prompt;
      systemText.textContent = typeof prompt === "string" ? prompt : "";
      if (next) load();
      else draw();
    },
    // The value mirrors the server's turns; what is drawn comes from the server's state and the inputs in progress.
    render() {
      if (state?.pending) paintChoice();
      paintComposer();
    },
    handleKey(name) {
      if (!state?.pending || busy) return false;
      if (name !== "a" && name !== "b") return false;
      choose(name);
      return true;
    },
  };
}
