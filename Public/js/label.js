// The labeling page: the editor core with one widget module per field type.

import { EditorCore } from "./editor-core.js";
import { createChoiceWidget } from "./widgets/choice.js";
import { createTextWidget } from "./widgets/text.js";
import { createSpansWidget, createRelationsWidget } from "./widgets/spans.js";
import { createMqmWidget } from "./widgets/mqm.js";
import { createRatingWidget } from "./widgets/rating.js";
import { createRankingWidget, createPairwiseWidget } from "./widgets/ranking.js";
import { createFlagsWidget } from "./widgets/flags.js";
import { createRewriteWidget, createPromptWidget } from "./widgets/rewrite.js";
import { createTranslationWidget } from "./widgets/translation.js";
import { createCodeReviewWidget } from "./widgets/code-review.js";
import { createTaxonomyWidget } from "./widgets/taxonomy.js";
import { createChatWidget } from "./widgets/chat.js";
import { createBoxesWidget, createPolygonsWidget, createKeypointsWidget } from "./widgets/image-editor.js";
import { createMasksWidget } from "./widgets/masks.js";
import { createTracksWidget, createEventsWidget } from "./widgets/video.js";

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
  widgetFactories: {
    choice: createChoiceWidget,
    text: createTextWidget,
    spans: createSpansWidget,
    relations: createRelationsWidget,
    mqm: createMqmWidget,
    rating: createRatingWidget,
    ranking: createRankingWidget,
    pairwise: createPairwiseWidget,
    flags: createFlagsWidget,
    rewrite: createRewriteWidget,
    prompt: createPromptWidget,
    translation: createTranslationWidget,
    code_review: createCodeReviewWidget,
    taxonomy: createTaxonomyWidget,
    chat: createChatWidget,
    boxes: createBoxesWidget,
    polygons: createPolygonsWidget,
    keypoints: createKeypointsWidget,
    masks: createMasksWidget,
    tracks: createTracksWidget,
    events: createEventsWidget,
  },
});

core.start().catch((error) => core.setStatus(`Could not load a task: ${error.message}`, true));
