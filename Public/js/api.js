// The JSON API as the pages use it: the session cookie plus the page's CSRF token on writes.

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** `keepalive` lets a request outlive the page (a last activity ping when the tab is hidden or closed). */
export async function api(method, path, body, { contentType = "application/json", keepalive = false } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  let payload;
  if (body instanceof FormData) {
    // The browser writes the multipart boundary into the Content-Type itself.
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = contentType;
    // Files and text go as they are; anything else sent as JSON is serialized.
    const raw = body instanceof Blob || typeof body === "string";
    payload = contentType === "application/json" && !raw ? JSON.stringify(body) : body;
  }
  const options = { method, headers, body: payload, credentials: "same-origin" };
  if (keepalive) options.keepalive = true;
  const response = await fetch(path, options);
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A readable message for a problem response, naming the field and line. */
export function describeProblem(error) {
  const problem = error.problem;
  if (!problem) return error.message;
  if (problem.errors?.length) {
    return problem.errors
      .map((item) => `${item.line ? `line ${item.line}: ` : ""}${item.field}: ${item.message}`)
      .join("\n");
  }
  return problem.detail || problem.title;
}
