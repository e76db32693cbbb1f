// The labeling page: the editor core with one widget module per field type.

import { EditorCore, createQualityElements } from "./editor-core.js";
import { widgetFactories } from "./widgets/registry.js";

const config = JSON.parse(document.getElementById("label-config").textContent);

const suggestion = document.createElement("p");
suggestion.className = "suggestion";
suggestion.hidden = true;
document.getElementById("annotation-form").before(suggestion);
// Rework banner, Flag button, confirm and flag panels.
const quality = createQualityElements(document.getElementById("annotation-form"), document.querySelector(".actions"));

const core = new EditorCore({
  config,
  elements: {
    taskElement: document.getElementById("task"),
    dataElement: document.getElementById("task-data"),
    done: document.getElementById("done"),
    form: document.getElementById("annotation-form"),
    actions: document.querySelector(".actions"),
    status: document.getElementById("status"),
    submitButton: document.getElementById("submit-button"),
    skipButton: document.getElementById("skip-button"),
    undoButton: document.getElementById("undo-button"),
    suggestion,
    ...quality,
  },
  widgetFactories,
});

core.start().catch((error) => core.setStatus(`Could not load a task: ${error.message}`, true));
