// Candidates (the responses a worker compares): their letters, texts and cards, plus the small helpers the
// judging widgets share.

/** "A", "B", … "Z", then "AA", "AB", … */
export function candidateLetter(index) {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export function candidateText(candidate) {
  if (typeof candidate === "string") return candidate;
  if (candidate && typeof candidate === "object") {
    if (typeof candidate.text === "string") return candidate.text;
    if (typeof candidate.content === "string") return candidate.content;
  }
  return "";
}

/** An image URL that may be shown: http(s) or same-site only, never javascript: or data:. */
export function safeImageURL(url) {
  return typeof url === "string" && /^(https?:\/\/|\/)/i.test(url.trim()) ? url.trim() : null;
}

export function isCandidateList(value) {
  return Array.isArray(value) && value.length >= 2 && value.every((item) =>
    typeof item === "string" ||
    (item !== null && typeof item === "object" && !Array.isArray(item) &&
      ["text", "content", "image"].some((key) => typeof item[key] === "string")));
}

/** The candidates a field's `items` setting names in the task, or [] when the task has none. */
export function taskCandidates(field, task) {
  const items = field.items ? task?.data?.[field.items] : undefined;
  return Array.isArray(items) ? items : [];
}

/** A card for one candidate: "Response A" (and its model) over its text or image, all as text. */
export function renderCandidate(candidate, index) {
  const card = document.createElement("article");
  card.className = "candidate";
  card.dataset.index = String(index);
  const heading = document.createElement("div");
  heading.className = "candidate-heading";
  heading.textContent = `Response ${candidateLetter(index)}`;
  if (candidate && typeof candidate === "object" && typeof candidate.model === "string" && candidate.model) {
    const model = document.createElement("span");
    model.className = "candidate-model muted";
    model.textContent = candidate.model;
    heading.append(" ", model);
  }
  card.append(heading);
  if (candidate && typeof candidate === "object" && typeof candidate.image === "string") {
    card.append(candidateImage(candidate, index, "candidate-image"));
  }
  const text = candidateText(candidate);
  if (text || !(candidate && typeof candidate === "object" && typeof candidate.image === "string")) {
    const body = document.createElement("div");
    body.className = "candidate-text";
    body.textContent = text;
    card.append(body);
  }
  return card;
}

/** An <img> for an image candidate, or a note naming the URL when it may not be loaded. */
export function candidateImage(candidate, index, className) {
  const url = safeImageURL(candidate.image);
  const alt = typeof candidate.alt === "string" && candidate.alt ? candidate.alt : `Image ${candidateLetter(index)}`;
  if (!url) {
    const note = document.createElement("div");
    note.className = `${className} muted`;
    note.textContent = `${alt} (not shown: ${candidate.image})`;
    return note;
  }
  const image = document.createElement("img");
  image.className = className;
  image.src = url;
  image.alt = alt;
  image.loading = "lazy";
  return image;
}

/** A short one-line excerpt of a candidate's text. */
export function candidateExcerpt(candidate, length = 120) {
  const text = candidateText(candidate).replace(/\s+/g, " ").trim();
  const chars = [...text];
  return chars.length > length ? `${chars.slice(0, length).join("").trimEnd()}…` : text;
}
