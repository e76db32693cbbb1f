// The project page: importing a file through the API, with the server's error naming the line.

import { api, describeProblem } from "./api.js";

const form = document.getElementById("import-form");
const result = document.getElementById("import-result");

const contentTypes = { jsonl: "application/x-ndjson", ndjson: "application/x-ndjson", json: "application/json", csv: "text/csv" };

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) return;
  const extension = file.name.split(".").pop().toLowerCase();
  const contentType = contentTypes[extension];
  if (!contentType) {
    result.textContent = "Choose a .jsonl, .json or .csv file.";
    result.className = "error";
    return;
  }
  result.textContent = `Importing ${file.name}…`;
  result.className = "";
  try {
    const response = await api("POST", `/api/v1/projects/${form.dataset.projectId}/tasks`, file, { contentType });
    result.textContent = `Imported ${response.imported} tasks.`;
    setTimeout(() => window.location.reload(), 800);
  } catch (error) {
    result.textContent = `Nothing was imported. ${describeProblem(error)}`;
    result.className = "error";
  }
});
