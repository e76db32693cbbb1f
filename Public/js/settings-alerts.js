// The worker's alert setting on /settings: one checkbox, saved at once. Fills <section id="alerts-panel">.

import { api, describeProblem } from "./api.js";
import { make } from "./dom.js";

const CAPTION = "E-mail me when matching work opens";

function show(element, text, kind = "") {
  element.textContent = text;
  element.classList.toggle("error", kind === "error");
  element.classList.toggle("ok", kind === "ok");
}

async function start(root) {
  const input = make("input", { type: "checkbox", id: "alerts-enabled", name: "enabled", disabled: true });
  const label = make("label", { className: "check", for: "alerts-enabled" });
  label.append(input, " ", CAPTION);
  const hint = make("p", { className: "muted" },
    "One e-mail (and a notification here) when a project you qualify for opens or grows; never a flood. Every alert e-mail has a link to stop them at once.");
  const status = make("p", { id: "alerts-status", role: "status" });
  root.replaceChildren(make("h2", {}, "Alerts"), label, hint, status);

  try {
    const settings = await api("GET", "/api/v1/me/alerts");
    input.checked = Boolean(settings?.enabled);
    input.disabled = false;
    root.dataset.loaded = "true";
  } catch (error) {
    show(status, describeProblem(error), "error");
    return;
  }

  input.addEventListener("change", async () => {
    const wanted = input.checked;
    input.disabled = true;
    show(status, "Saving…");
    try {
      const settings = await api("PUT", "/api/v1/me/alerts", { enabled: wanted });
      input.checked = Boolean(settings?.enabled);
      show(status, input.checked ? "Saved: we will e-mail you when matching work opens." : "Saved: no alert e-mails.", "ok");
    } catch (error) {
      input.checked = !wanted;
      show(status, describeProblem(error), "error");
    } finally {
      input.disabled = false;
    }
  });
}

const root = document.getElementById("alerts-panel");
if (root) start(root);
