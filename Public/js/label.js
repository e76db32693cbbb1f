// The labeling page: the editor core with the widgets of the foundation's field types.

import { EditorCore } from "./editor-core.js";
import { createChoiceWidget } from "./widgets/choice.js";
import { createTextWidget } from "./widgets/text.js";

const config = JSON.parse(document.getElementById("label-config").textContent);

const suggestion = document.createElement("p");
suggestion.className = "suggestion";
suggestion.hidden = true;
document.getElementById("annotation-form").before(suggestion);

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
  },
  widgetFactories: { choice: createChoiceWidget, text: createTextWidget },
});

core.start().catch((error) => core.setStatus(`Could not load a task: ${error.message}`, true));
