// A track's practice set: the same items as an assessment (multiple choice, annotation items in the platform's
// widgets, written answers), untimed. "Check" sends one answer; the page then shows whether it was right, the
// right answer and the explanation. Practice never counts and is never gold. Prompts, options, data, answers
// and explanations are shown as text (or the server's sanitised Markdown, rebuilt through an allowlist).

import { api, ApiError, describeProblem } from "./api.js";
import { make } from "./dom.js";
import { loadTrackNames, percent, showStatus } from "./assessments.js";
import { answerSummary, createAnswerControl, isEmptyAnswer, itemElement } from "./attempt.js";

class PracticePage {
  constructor(section) {
    this.section = section;
    this.track = section.dataset.track ?? "";
    this.list = document.getElementById("practice-items");
    this.status = document.getElementById("practice-status");
    this.entries = new Map();
  }

  async start() {
    const [response, trackNames] = await Promise.all([
      api("GET", `/api/v1/practice/${encodeURIComponent(this.track)}`),
      loadTrackNames(),
    ]);
    const name = trackNames[this.track];
    if (name) {
      document.getElementById("practice-track").textContent = name;
      document.title = `Practice · ${name} · Gloss`;
    }
    const items = Array.isArray(response?.items) ? response.items : [];
    this.list.replaceChildren();
    this.entries.clear();
    if (!items.length) this.list.append(make("li", { className: "muted" }, "There are no practice items for this track yet."));
    items.forEach((item, index) => {
      const control = createAnswerControl(item, { onChange: () => this.clearFeedback(item.id) });
      const { element, error } = itemElement(item, index, control);
      const check = make("button", { type: "button", className: "check-answer", "data-item-id": item.id }, "Check");
      const feedback = make("div", { className: "practice-feedback", "aria-live": "polite" });
      feedback.hidden = true;
      const actions = make("div", { className: "actions practice-actions" });
      actions.append(check);
      element.append(actions, feedback);
      const entry = { item, control, element, error, check, feedback };
      this.entries.set(item.id, entry);
      check.addEventListener("click", () => this.check(entry));
      this.list.append(element);
      control.mount?.();
    });
    document.addEventListener("keydown", (event) => {
      const element = event.target instanceof Element ? event.target.closest(".attempt-item") : null;
      this.entries.get(element?.dataset.itemId ?? "")?.control.handleKey?.(event);
    });
    this.section.dataset.loaded = "true";
  }

  clearFeedback(id) {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.error.hidden = true;
    entry.element.removeAttribute("aria-invalid");
  }

  async check(entry) {
    if (entry.check.disabled) return;
    const answer = entry.control.value();
    if (isEmptyAnswer(answer)) {
      entry.error.textContent = "Answer first, then check.";
      entry.error.hidden = false;
      return;
    }
    entry.check.disabled = true;
    entry.error.hidden = true;
    showStatus(this.status, "");
    try {
      const outcome = await api("POST", `/api/v1/practice/${encodeURIComponent(this.track)}/check`, { item_id: entry.item.id, answer });
      this.showFeedback(entry, outcome);
    } catch (error) {
      entry.error.textContent = error instanceof ApiError ? describeProblem(error) : `Could not check: ${error.message}`;
      entry.error.hidden = false;
      entry.element.setAttribute("aria-invalid", "true");
    } finally {
      entry.check.disabled = false;
    }
  }

  showFeedback(entry, outcome) {
    const box = entry.feedback;
    const correct = outcome?.correct === true;
    box.replaceChildren();
    box.hidden = false;
    box.dataset.correct = String(correct);
    entry.element.dataset.checked = correct ? "correct" : "incorrect";
    const verdict = make("p", { className: `practice-verdict ${correct ? "ok" : "error"}` }, correct ? "Correct." : "Not quite.");
    if (typeof outcome?.score === "number" && !(correct && outcome.score === 1)) verdict.append(` Score: ${percent(outcome.score)}.`);
    box.append(verdict);
    if (outcome && outcome.answer === null && entry.item.kind === "written") {
      box.append(make("p", { className: "muted" }, "A written answer has no single right answer: compare yours with the explanation."));
    } else if (outcome && "answer" in outcome) {
      box.append(make("h3", { className: "practice-subhead" }, "The right answer"));
      const summary = answerSummary(entry.item, outcome.answer);
      summary.classList.add("right-answer");
      box.append(summary);
      summary.mount?.();
    }
    if (typeof outcome?.explanation === "string" && outcome.explanation.trim()) {
      box.append(make("h3", { className: "practice-subhead" }, "Why"));
      box.append(make("p", { className: "practice-explanation plain-text" }, outcome.explanation));
    }
  }
}

const pageSection = document.getElementById("practice");
if (pageSection && document.getElementById("practice-items")) {
  const page = new PracticePage(pageSection);
  page.start().catch((error) => {
    const message = error instanceof ApiError ? describeProblem(error) : error.message;
    page.list.replaceChildren(make("li", { className: "error", role: "alert" }, `Could not load the practice items: ${message}`));
  });
}
