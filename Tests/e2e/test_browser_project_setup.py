"""The requester's project setup in a real browser: a taxonomy imported from CSV, a chat endpoint whose key
never comes back to the page, and a pre-label endpoint that cannot be reached, whose failed job shows up
and is retried.

Runs `gloss serve` (SQLite) and drives headless Chromium with Playwright.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, png_image
from test_browser_labeling import sign_in, sign_out

REQUESTER = "setup@x.test"
API_KEY = "sk-e2e-SECRET-4f9c2b7d"
CLOSED_URL = "http://127.0.0.1:9/x"  # the discard port: nothing listens, the connection is refused at once
TAXONOMY_CSV = (
    b"id,parent,name,synonyms\n"
    b"D1,,Neoplasms,Tumors|Cancer\n"
    b"D2,D1,Neoplasms by Site,\n"
    b"D3,D2,Breast Neoplasms,Breast Cancer\n"
)
BAD_TAXONOMY_CSV = b"id,parent,name\nD1,,Neoplasms\nD2,NOPE,Orphan\n"  # line 3 names a parent that is not in the file
FAILED_WITHIN_S = 20.0


# --- page steps -------------------------------------------------------------------------------------------


def open_setup(page: Page, server: GlossServer) -> tuple[Api, str]:
    """A requester with a fresh project, signed in on its page once the setup section has loaded."""
    api = Api(server.url, create_account(server, REQUESTER, "requester", org="Setup"))
    project_id = api.create_project("Setup")["id"]
    sign_in(page, server, REQUESTER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}")
    wait_ready(page)
    return api, project_id


def wait_ready(page: Page) -> None:
    expect(page.locator("#project-setup[data-ready=true]")).to_have_count(1)


def collect_dialogs(page: Page) -> list[str]:
    """Accepts confirm() (the delete buttons ask); records any other dialog, which only injected code would open."""
    others: list[str] = []

    def on_dialog(dialog: Any) -> None:
        if dialog.type == "confirm":
            dialog.accept()
        else:
            others.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

    page.on("dialog", on_dialog)
    return others


def upload_taxonomy(page: Page, name: str, filename: str, content: bytes) -> None:
    form = page.locator("form#taxonomy-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=file]").set_input_files({"name": filename, "mimeType": "text/csv", "buffer": content})
    form.locator("button[type=submit]").click()


def add_endpoint(page: Page, *, name: str, kind: str, url: str, model: str = "", api_key: str = "",
                 timeout: int = 30, attempts: int = 5) -> None:
    form = page.locator("form#endpoint-form")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=url]").fill(url)
    form.locator("input[name=model]").fill(model)
    form.locator("input[name=api_key]").fill(api_key)
    form.locator("input[name=timeout_seconds]").fill(str(timeout))
    form.locator("input[name=max_attempts]").fill(str(attempts))
    form.locator("button[type=submit]").click()
    expect(page.locator("#endpoint-result")).to_contain_text(f"Added {name} ")
    expect(page.locator(f'#endpoints-table tr.endpoint-row[data-endpoint-name="{name}"]')).to_have_count(1)


# --- tests ------------------------------------------------------------------------------------------------


def test_requester_imports_a_taxonomy_and_stores_an_endpoint_key(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    dialogs = collect_dialogs(page)
    api, project_id = open_setup(page, server)
    expect(page.locator("#setup-taxonomies > h2")).to_have_text("Taxonomies")
    expect(page.locator("#setup-endpoints > h2")).to_have_text("Model endpoints")
    expect(page.locator("#prelabel-jobs")).to_be_hidden()  # no pre-label endpoint yet

    # A CSV taxonomy: the result line counts the terms and the table shows the row.
    upload_taxonomy(page, "diseases", "diseases.csv", TAXONOMY_CSV)
    expect(page.locator("#taxonomy-result")).to_contain_text("Imported 3 terms")
    row = page.locator('#taxonomies-table tr.taxonomy-row[data-taxonomy="diseases"]')
    expect(row).to_have_count(1)
    expect(row.locator(".taxonomy-terms")).to_have_text("3")
    listed = api.get(f"/api/v1/projects/{project_id}/taxonomies", expect=200).json()["taxonomies"]
    assert [(t["name"], t["terms"]) for t in listed] == [("diseases", 3)], listed

    # A bad file is refused whole, and the problem names its line.
    upload_taxonomy(page, "broken", "broken.csv", BAD_TAXONOMY_CSV)
    expect(page.locator("#taxonomy-result")).to_have_class("error")
    expect(page.locator("#taxonomy-result")).to_contain_text(re.compile(r"line \d+"))
    expect(page.locator('#taxonomies-table tr.taxonomy-row[data-taxonomy="broken"]')).to_have_count(0)

    # A chat endpoint with a key: the table says "stored", and the key is nowhere in the page.
    add_endpoint(page, name="judge", kind="chat", url="http://127.0.0.1:9/v1/chat/completions", model="test-model",
                 api_key=API_KEY, timeout=20, attempts=2)
    judge = page.locator('#endpoints-table tr.endpoint-row[data-endpoint-name="judge"]')
    expect(judge.locator(".endpoint-kind")).to_have_text("chat")
    expect(judge.locator(".endpoint-key")).to_have_text("stored")
    expect(judge.locator(".endpoint-model")).to_have_text("test-model")
    expect(page.locator("form#endpoint-form input[name=api_key]")).to_have_value("")
    assert API_KEY not in page.content(), "the API key is in the page after adding the endpoint"
    page.reload()
    wait_ready(page)
    expect(judge.locator(".endpoint-key")).to_have_text("stored")
    assert API_KEY not in page.content(), "the API key is in the page after a reload"
    response = api.get(f"/api/v1/projects/{project_id}/endpoints", expect=200)
    assert API_KEY not in response.text, "the endpoints API sent the key back"
    endpoints = response.json()["endpoints"]
    assert [(e["name"], e["kind"], e["has_key"]) for e in endpoints] == [("judge", "chat", True)], endpoints
    expect(page.locator("#prelabel-jobs")).to_be_hidden()  # still no pre-label endpoint

    # Deleting asks first (accepted above) and takes the row away.
    judge.locator("button.endpoint-delete").click()
    expect(judge).to_have_count(0)
    assert api.get(f"/api/v1/projects/{project_id}/endpoints", expect=200).json()["endpoints"] == []
    assert dialogs == [], f"unexpected dialogs: {dialogs}"


def test_a_failing_prelabel_endpoint_shows_its_failed_job_and_retries(
    gloss_server: Callable[..., GlossServer], page: Page
) -> None:
    server = gloss_server()
    dialogs = collect_dialogs(page)
    api, project_id = open_setup(page, server)

    add_endpoint(page, name="prelabeler", kind="prelabel", url=CLOSED_URL, timeout=1, attempts=1)
    row = page.locator('#endpoints-table tr.endpoint-row[data-endpoint-name="prelabeler"]')
    expect(row.locator(".endpoint-key")).to_have_text("none")
    expect(row.locator(".endpoint-attempts")).to_have_text("1")
    jobs = page.locator("#prelabel-jobs")
    expect(jobs).to_be_visible()
    expect(jobs.locator("h2")).to_have_text("Pre-label jobs")
    expect(page.locator("#retry-failed")).to_be_disabled()  # nothing has failed yet

    # A task imported after the endpoint was registered goes to it; the call is refused and, with one
    # attempt allowed, the job fails. Reload until the page lists it.
    assert api.import_tasks(project_id, [{"data": {"text": "A task for the model"}, "external_id": "ext-1"}]) == 1
    failed = page.locator("#failed-jobs li.failed-job")
    deadline = time.monotonic() + FAILED_WITHIN_S
    while True:
        page.reload()
        wait_ready(page)
        if failed.count() == 1 or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1_000)
    state = api.get(f"/api/v1/projects/{project_id}/prelabel-jobs", params={"status": "failed"}, expect=200).json()
    assert failed.count() == 1, f"no failed job on the page within {FAILED_WITHIN_S:.0f} s; the API says {state}"

    assert state["counts"]["failed"] == 1, state
    [job] = state["jobs"]
    assert job["last_error"], f"a failed job without an error: {job}"
    expect(page.locator('#prelabel-counts [data-status="failed"] .count')).to_have_text("1")
    expect(failed).to_have_attribute("data-task-id", job["task_id"])
    expect(failed.locator(".job-task")).to_have_text("ext-1")
    expect(failed.locator(".job-endpoint")).to_have_text("prelabeler")
    expect(failed.locator(".job-attempts")).to_have_text("1 attempt")
    expect(failed.locator(".job-error")).to_have_text(job["last_error"])  # the model's text, shown as text

    # Retry puts it back in the queue (the server's count is in the result line); it fails again, the port
    # being still closed, and the page, refreshing itself while jobs are queued or running, lists it again.
    retry = page.locator("#retry-failed")
    expect(retry).to_be_enabled()
    retry.click()
    expect(page.locator("#prelabel-result")).to_have_text("Requeued 1 job.")
    deadline = time.monotonic() + FAILED_WITHIN_S
    while True:
        counts = api.get(f"/api/v1/projects/{project_id}/prelabel-jobs", expect=200).json()["counts"]
        if (counts["failed"] == 1 and counts["queued"] + counts["running"] == 0) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert counts == {"queued": 0, "running": 0, "done": 0, "failed": 1}, f"the retried job did not fail again: {counts}"
    for status, count in counts.items():
        expect(page.locator(f'#prelabel-counts [data-status="{status}"] .count')).to_have_text(str(count), timeout=10_000)
    expect(failed).to_have_count(1)
    expect(failed.locator(".job-task")).to_have_text("ext-1")
    expect(failed.locator(".job-error")).not_to_be_empty()
    assert dialogs == [], f"unexpected dialogs: {dialogs}"


def test_images_uploaded_and_prelabelled_in_the_browser(page: Page, gloss_server: Callable[..., GlossServer]) -> None:
    """The requester uploads pictures from the project page (each becomes a task), adds COCO pre-labels to one,
    and sees the image export formats; a worker sees an image classification task's picture as an image."""
    server = gloss_server()
    api = Api(server.url, create_account(server, REQUESTER, "requester", org="Setup"))
    schema = {"fields": [{"name": "objects", "type": "boxes", "labels": ["car", "person"]}]}
    project_id = api.create_project("Street", schema=schema)["id"]
    sign_in(page, server, REQUESTER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}")
    wait_ready(page)

    page.locator("#media-form input[type=file]").set_input_files([
        {"name": "one.png", "mimeType": "image/png", "buffer": png_image(64, 48, seed=1)},
        {"name": "two.png", "mimeType": "image/png", "buffer": png_image(32, 32, seed=2)},
    ])
    page.locator("#media-form button[type=submit]").click()
    expect(page.locator("#media-result")).to_have_text("Uploaded 2 files and added 2 tasks.")

    tasks = api.get(f"/api/v1/projects/{project_id}/tasks").json()["tasks"]
    by_name = {task["data"]["file_name"]: task for task in tasks}
    assert set(by_name) == {"one.png", "two.png"}
    assert by_name["one.png"]["data"]["image"].startswith("/api/v1/media/")

    coco = {"images": [{"id": 1, "file_name": "one.png"}, {"id": 2, "file_name": "gone.png"}],
            "categories": [{"id": 7, "name": "car"}],
            "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [4, 5, 20, 10]}]}
    page.locator("#coco-form input[type=file]").set_input_files(
        {"name": "detections.json", "mimeType": "application/json", "buffer": json.dumps(coco).encode()})
    page.locator("#coco-form input[name=model]").fill("detector-v2")
    page.locator("#coco-form button[type=submit]").click()
    expect(page.locator("#coco-result")).to_have_text("Added 1 shape to 1 image. No task has gone.png.")
    tasks = {task["data"]["file_name"]: task for task in api.get(f"/api/v1/projects/{project_id}/tasks").json()["tasks"]}
    prelabel = tasks["one.png"]["prelabels"][0]
    assert prelabel["model"] == "detector-v2"
    assert prelabel["value"]["objects"][0] | {"id": "x"} == {"id": "x", "label": "car", "x": 4, "y": 5, "width": 20, "height": 10}
    assert tasks["two.png"]["prelabels"] == []

    # A file that is not a picture is refused, and the page says why.
    page.locator("#media-form input[type=file]").set_input_files({"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"plain text"})
    page.locator("#media-form button[type=submit]").click()
    expect(page.locator("#media-result")).to_contain_text("Nothing was uploaded.")
    expect(page.locator("#media-result")).to_contain_text("notes.jpg")

    page.reload()
    formats = page.locator("a.export-link").evaluate_all("links => links.map(link => link.dataset.format)")
    assert "coco" in formats and "yolo" in formats and "voc" in formats and "mot" not in formats

    # Image classification: a choice field over a picture shows the picture.
    classify = api.create_project("Classify", schema={"fields": [{"name": "kind", "type": "choice", "options": ["cat", "dog"]}]})["id"]
    picture = api.post(f"/api/v1/projects/{classify}/media", files=[("file", ("pet.png", png_image(20, 20, seed=3), "image/png"))],
                       expect=201).json()["media"][0]
    api.import_tasks(classify, [{"data": {"image": picture["url"], "caption": "<img src=x onerror=alert(1)>"}}])
    create_account(server, "classify-worker@x.test", "worker")
    sign_out(page, server)
    sign_in(page, server, "classify-worker@x.test", DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{classify}/label")
    image = page.locator('#task-data .data-field[data-key="image"] img')
    expect(image).to_have_count(1)
    assert image.get_attribute("src") == picture["url"]
    page.wait_for_function("img => img.complete && img.naturalWidth === 20", arg=image.element_handle())
    expect(page.locator('#task-data .data-field[data-key="caption"]')).to_contain_text("<img src=x onerror=alert(1)>")
