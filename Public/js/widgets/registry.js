// Every annotation widget by field type: the labeling page and the review page mount the same widgets.

import { createChoiceWidget } from "./choice.js";
import { createTextWidget } from "./text.js";
import { createSpansWidget, createRelationsWidget } from "./spans.js";
import { createMqmWidget } from "./mqm.js";
import { createRatingWidget } from "./rating.js";
import { createRankingWidget, createPairwiseWidget } from "./ranking.js";
import { createFlagsWidget } from "./flags.js";
import { createRewriteWidget, createPromptWidget } from "./rewrite.js";
import { createTranslationWidget } from "./translation.js";
import { createCodeReviewWidget } from "./code-review.js";
import { createTaxonomyWidget } from "./taxonomy.js";
import { createChatWidget } from "./chat.js";
import { createBoxesWidget, createPolygonsWidget, createKeypointsWidget } from "./image-editor.js";
import { createMasksWidget } from "./masks.js";
import { createTracksWidget, createEventsWidget } from "./video.js";
import { createSegmentsWidget, createTranscriptWidget } from "./audio.js";
import { createCuboidsWidget } from "./lidar.js";
import { createRecordingWidget } from "./recording.js";

export const widgetFactories = {
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
  segments: createSegmentsWidget,
  transcript: createTranscriptWidget,
  cuboids: createCuboidsWidget,
  recording: createRecordingWidget,
};
