"""A worker labels with the keyboard in a real browser; the requester sees the work and exports it.

Runs `gloss serve --demo` (SQLite) and drives headless Chromium with Playwright.
"""

from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Page, expect

from gloss_e2e import Api, GlossServer, create_token, parse_jsonl

DEMO_PROJECT = "Product review sentiment"
WORKER = ("worker1@gloss.demo", "gloss-worker1")
REQUESTER = ("requester@gloss.demo", "gloss-requester")
XSS_PAYLOAD = "<img src=x onerror=alert(1)>"

TASK_SELECTOR = "#task[data-task-id]:not([data-task-id=''])"


# --- page steps -------------------------------------------------------------------------------------------


def sign_in(page: Page, server: GlossServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    form = page.locator("form#login-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/projects/?(\?.*)?$"))


def sign_out(page: Page, server: GlossServer) -> None:
    page.goto(f"{server.url}/projects")
    with page.expect_navigation():
        page.locator("form#logout-form button").click()
    session = [c for c in page.context.cookies() if c["name"] == "gloss_session" and c["value"]]
    assert session == [], "the session cookie outlived sign-out"
    page.goto(f"{server.url}/projects")
    expect(page.locator("a.project-link")).to_have_count(0)


def open_project(page: Page, name: str) -> str:
    """Clicks the project's link on /projects; returns the project id."""
    link = page.locator("a.project-link", has_text=name)
    expect(link).to_have_count(1)
    path = urlsplit(link.get_attribute("href") or "").path
    match = re.fullmatch(r"/projects/([0-9a-f-]{36})", path)
    assert match, f"unexpected project link {path!r}"
    link.click()
    page.wait_for_url(re.compile(rf"/projects/{match.group(1)}/?$"))
    return match.group(1)


def current_task_id(page: Page) -> str:
    task = page.locator(TASK_SELECTOR)
    expect(task).to_have_count(1)
    task_id = task.get_attribute("data-task-id")
    assert task_id
    return task_id


def wait_for_next_task(page: Page, previous_id: str) -> None:
    page.wait_for_function(
        """previous => {
            const task = document.querySelector('#task');
            return task !== null && !!task.dataset.taskId && task.dataset.taskId !== previous;
        }""",
        arg=previous_id,
    )


# --- tests ------------------------------------------------------------------------------------------------


def test_keyboard_labeling_reaches_the_requesters_export(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)

    # The worker labels three tasks with the keyboard only.
    sign_in(page, server, *WORKER)
    project_id = open_project(page, DEMO_PROJECT)
    label_link = page.locator("a.label-link")
    expect(label_link).to_have_attribute("href", re.compile(rf"/projects/{project_id}/label$"))
    label_link.click()
    page.wait_for_url(re.compile(rf"/projects/{project_id}/label$"))

    labelled: dict[str, str] = {}
    for key, label in [("1", "positive"), ("2", "negative"), ("3", "neutral")]:
        task_id = current_task_id(page)
        expect(page.locator("#task-data")).not_to_be_empty()
        page.keyboard.press(key)
        expect(page.locator(f'button.choice-option[data-value="{label}"]')).to_have_attribute("aria-pressed", "true")
        page.keyboard.press("Enter")
        wait_for_next_task(page, task_id)
        labelled[task_id] = label
    assert len(labelled) == 3, f"a task came back twice: {labelled}"

    sign_out(page, server)

    # The requester sees the progress and exports the work.
    sign_in(page, server, *REQUESTER)
    assert open_project(page, DEMO_PROJECT) == project_id
    expect(page.locator("#progress")).to_contain_text(re.compile(r"\b3\b"))

    for fmt in ("jsonl", "json", "csv"):
        link = page.locator(f"a.export-link[data-format={fmt}]")
        expect(link).to_have_attribute("href", re.compile(rf"/api/v1/projects/{project_id}/export\?format={fmt}$"))

    href = page.locator("a.export-link[data-format=jsonl]").get_attribute("href") or ""
    response = page.request.get(urljoin(page.url, href))  # carries the session cookie
    assert response.status == 200, response.text()
    records = {record["id"]: record for record in parse_jsonl(response.text())}

    for task_id, label in labelled.items():
        assert task_id in records, f"task {task_id} is missing from the export"
        mine = [a for a in records[task_id]["annotations"] if a["worker"] == WORKER[0]]
        assert len(mine) == 1, f"task {task_id}: expected one annotation by {WORKER[0]}, got {records[task_id]['annotations']}"
        assert mine[0]["value"]["sentiment"] == label


def test_task_text_is_shown_as_text_and_never_run(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    api = Api(server.url, create_token(server, REQUESTER[0]))
    project = api.create_project("Escaping check")
    assert project["status"] == "open", f"a new project should be open to workers: {project}"
    assert api.import_tasks(project["id"], [{"data": {"text": XSS_PAYLOAD}}]) == 1
    tasks = api.get(f"/api/v1/projects/{project['id']}/tasks", expect=200).json()["tasks"]
    assert len(tasks) == 1

    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, server, *WORKER)
    page.goto(f"{server.url}/projects/{project['id']}/label")
    assert current_task_id(page) == tasks[0]["id"]

    task_data = page.locator("#task-data")
    expect(task_data).to_contain_text(XSS_PAYLOAD)
    expect(task_data.locator("img")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.wait_for_timeout(500)  # an onerror handler would have run by now
    assert dialogs == [], f"the task's text ran as code: {dialogs}"
