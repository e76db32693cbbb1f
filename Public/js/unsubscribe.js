// The unsubscribe page of an alert e-mail: one button that posts the link's token to
// POST /api/v1/alerts/unsubscribe. The token is the credential, so the request goes without the session
// cookie (a signed-in browser would otherwise need a CSRF token this public page does not carry).

import { ApiError, describeProblem } from "./api.js";

const root = document.getElementById("unsubscribe-root");
const button = document.getElementById("unsubscribe-button");
const status = document.getElementById("unsubscribe-status");

function showStatus(text, kind = "") {
  status.textContent = text;
  status.classList.toggle("error", kind === "error");
  status.classList.toggle("ok", kind === "ok");
}

async function unsubscribe() {
  button.disabled = true;
  showStatus("Turning alerts off…");
  try {
    const response = await fetch("/api/v1/alerts/unsubscribe", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ token: root.dataset.token }),
      credentials: "omit",
    });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    if (data?.enabled === false) {
      button.hidden = true;
      showStatus("Done: you will get no more job alerts. You can turn them on again in your settings.", "ok");
    } else {
      button.disabled = false;
      showStatus("The server did not confirm that alerts are off; please try again.", "error");
    }
  } catch (error) {
    button.disabled = false;
    showStatus(error instanceof ApiError ? describeProblem(error) : `Could not reach Gloss: ${error.message}`, "error");
  }
}

if (root && button && status) button.addEventListener("click", unsubscribe);
