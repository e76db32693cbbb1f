// The transcript conventions as the worker is shown them and as their text is checked before it is sent:
// non-speech tags `[noise]`, hesitations `%uh`, false starts `thi-`. The server checks the same on submit; this
// only flags problems early.

/** The field's conventions: the tags and hesitations it allows (null: any), whether false starts are written. */
export function transcriptConventions(field) {
  const names = (list) => (Array.isArray(list) ? list.filter((item) => typeof item === "string" && item) : null);
  return {
    tags: names(field.tags),
    hesitations: names(field.hesitations),
    falseStarts: field.false_starts !== false,
  };
}

const TAG = /\[([^[\]]*)\]/g;
const HESITATION = /%([\p{L}\p{M}'’]*)/gu;
const FALSE_START = /(^|[\s([{"“])([\p{L}\p{M}'’]+)-(?=$|[\s,.;:!?)\]}"”])/gu;

/**
 * The problems of one segment's text: `[{message, kind: "error"|"hint"}]`. Errors the server would refuse
 * (an unknown tag or hesitation, an unclosed bracket, a false start where the project writes none); hints for
 * text that is probably meant as a convention (a listed hesitation written without `%`).
 */
export function transcriptProblems(text, conventions) {
  const problems = [];
  if (typeof text !== "string" || !text.trim()) return problems;
  const { tags, hesitations, falseStarts } = conventions;
  const seen = new Set();
  const add = (kind, message) => {
    if (seen.has(message)) return;
    seen.add(message);
    problems.push({ kind, message });
  };

  // Tags: what is left once the well-formed ones are taken out must hold no bracket.
  for (const match of text.matchAll(TAG)) {
    const tag = match[1].trim();
    if (!tag) add("error", "An empty tag [ ]: write the sound's name in the brackets.");
    else if (tags && !tags.includes(tag)) {
      add("error", `Unknown tag [${tag}]${tags.length ? `: tags are ${tags.map((t) => `[${t}]`).join(" ")}` : ": this project uses no tags"}.`);
    }
  }
  const rest = text.replace(TAG, " ");
  if (rest.includes("[")) add("error", "A [ is not closed with ].");
  if (rest.includes("]")) add("error", "A ] has no [ before it.");

  for (const match of rest.matchAll(HESITATION)) {
    const word = match[1];
    if (!word) add("error", "A % must be followed by the hesitation (%uh).");
    else if (hesitations && !hesitations.includes(word.toLowerCase())) {
      add("error", `Unknown hesitation %${word}${hesitations.length ? `: hesitations are ${hesitations.map((h) => `%${h}`).join(" ")}` : ": this project marks no hesitations"}.`);
    }
  }

  if (!falseStarts) {
    for (const match of rest.matchAll(FALSE_START)) add("error", `“${match[2]}-”: this project does not mark false starts; write the word in full or leave it out.`);
  }

  if (hesitations?.length) {
    const bare = rest.replace(HESITATION, " ").toLowerCase().split(/[^\p{L}\p{M}'’-]+/u);
    for (const word of bare) if (hesitations.includes(word)) add("hint", `Write the hesitation “${word}” as %${word}.`);
  }
  return problems;
}

/** Inserts `snippet` into a text box at its caret (replacing the selection), with spaces around it as needed;
 * the caret ends after it. Returns the new text. */
export function insertAtCaret(box, snippet) {
  const text = box.value;
  const start = box.selectionStart ?? text.length;
  const end = box.selectionEnd ?? start;
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before && !/\s$/.test(before) ? " " : "";
  const trail = after && !/^\s/.test(after) ? " " : after ? "" : " ";
  const inserted = `${lead}${snippet}${trail}`;
  box.value = before + inserted + after;
  const caret = before.length + inserted.length;
  box.setSelectionRange(caret, caret);
  return box.value;
}
