"""Quality control on the worker's labeling page, in a real browser: a soft rule asks the worker to confirm (and the
confirmed annotation goes to review), a hard rule refuses as before, the Flag button sends a task to the experts
with a note, and a rejected annotation comes back as rework with the reviewer's comment and the worker's previous
answer. Task data, the flag note and the reviewer's comment carry markup that must show as text and never run."""

from __future__ import annotations

from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account
from test_browser_labeling import current_task_id, sign_in, wait_for_next_task

XSS = "<img src=x onerror=window.__xss=1>"
WORKER = "worker-quality@x.test"
REVIEWER = "reviewer-quality@x.test"
SOFT_MESSAGE = "Explain your choice in at least 20 characters"
HARD_MESSAGE = "Negative answers need an hour of thought"

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "sentiment", "type": "choice", "label": "Sentiment", "required": True, "options": ["pos", "neg"]},
        {"name": "justification", "type": "text", "label": "Justification", "required": False, "multiline": True, "max_length": 500},
    ],
    "rules": [
        {"type": "min_length", "field": "justification", "min": 20, "severity": "soft", "message": SOFT_MESSAGE},
        # A hard rule that only "neg" trips: it shows that other 422s still appear in #status, with no confirm panel.
        {"type": "min_time", "seconds": 3600, "when": {"sentiment": "neg"}, "message": HARD_MESSAGE},
    ],
}
POLICY = {"spot_check": {"first": 20, "first_rate": 1.0}, "rejected": "rework"}


def annotations(api: Api, task_id: str) -> list[dict[str, Any]]:
    return api.get(f"/api/v1/tasks/{task_id}/annotations", expect=200).json()["annotations"]


def test_worker_confirms_soft_rules_flags_a_task_and_reworks_a_rejected_answer(
    gloss_server: Callable[..., GlossServer], page: Page
) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-quality@x.test", "requester", org="Q"))
    project = requester.create_project("Quality checks", schema=SCHEMA, quality_policy=POLICY)
    project_id = project["id"]
    tasks = [{"data": {"text": f"Review {number}: great battery {XSS}"}} for number in range(1, 4)]
    assert requester.import_tasks(project_id, tasks) == 3

    create_account(server, WORKER, "worker")
    reviewer = Api(server.url, create_account(server, REVIEWER, "worker"))
    requester.post(f"/api/v1/projects/{project_id}/reviewers", json={"email": REVIEWER, "level": "reviewer", "specialties": []}, expect=201)

    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")

    first = current_task_id(page)
    expect(page.locator("#task-data")).to_contain_text(XSS)
    expect(page.locator("#rework-banner")).to_be_hidden()
    flag_button = page.locator(".actions #flag-button")
    expect(flag_button).to_be_visible()
    assert page.evaluate("document.querySelector('#skip-button').nextElementSibling.id") == "flag-button"
    confirm_panel = page.locator("#confirm-panel")
    justification = page.locator("textarea[name=justification]")
    status = page.locator("#status")

    # A hard rule refuses the submit as before: the message in #status, no confirm panel.
    page.locator('button.choice-option[data-value="neg"]').click()
    page.locator("#submit-button").click()
    expect(status).to_contain_text(HARD_MESSAGE)
    expect(status).to_have_class("error")
    expect(confirm_panel).to_be_hidden()
    assert current_task_id(page) == first

    # A soft rule asks to confirm; "Go back and fix" keeps the answer.
    page.locator('button.choice-option[data-value="pos"]').click()
    justification.fill("short")
    page.locator("#submit-button").click()
    expect(confirm_panel).to_be_visible()
    expect(confirm_panel).to_contain_text(SOFT_MESSAGE)
    page.locator("#confirm-cancel").click()
    expect(confirm_panel).to_be_hidden()
    expect(justification).to_have_value("short")
    expect(justification).to_be_focused()
    expect(page.locator('button.choice-option[data-value="pos"]')).to_have_attribute("aria-pressed", "true")
    assert current_task_id(page) == first
    assert annotations(requester, first) == []

    # "Submit anyway" sends the same answer with confirm: the next task appears.
    page.locator("#submit-button").click()
    expect(confirm_panel).to_be_visible()
    page.locator("#confirm-submit").click()
    wait_for_next_task(page, first)
    second = current_task_id(page)
    expect(confirm_panel).to_be_hidden()
    submitted = annotations(requester, first)
    assert [a["value"] for a in submitted] == [{"sentiment": "pos", "justification": "short"}], submitted

    # The confirmed annotation waits in the peer review queue as a soft-rule item.
    response = reviewer.get(f"/api/v1/projects/{project_id}/reviews/next", params={"stage": "review"}, expect=200)
    item = response.json()
    assert item["reason"] == "soft_rule", item
    assert item["task"]["id"] == first, item
    assert item["annotation"]["value"] == {"sentiment": "pos", "justification": "short"}, item

    # The worker flags the second task. Typing in the note never triggers the hotkeys ("1" chooses "pos").
    flag_panel = page.locator("#flag-panel")
    expect(flag_panel).to_be_hidden()
    flag_button.click()
    expect(flag_panel).to_be_visible()
    note = flag_panel.locator("textarea[name=note]")
    expect(note).to_be_focused()
    page.keyboard.press("Escape")  # closes the panel
    expect(flag_panel).to_be_hidden()
    flag_button.click()
    expect(note).to_be_focused()
    page.locator("#flag-send").click()  # an empty note: the server's error shows in the panel
    expect(flag_panel.locator(".flag-error")).to_contain_text("note")
    expect(flag_panel).to_be_visible()
    note_text = f"Is 1 or 2 stars sarcasm here? {XSS}"
    note.click()
    page.keyboard.type(note_text)
    expect(note).to_have_value(note_text)
    expect(page.locator('button.choice-option[data-value="pos"]')).to_have_attribute("aria-pressed", "false")
    expect(page.locator('button.choice-option[data-value="neg"]')).to_have_attribute("aria-pressed", "false")
    flag_panel.locator("select[name=kind]").select_option("edge_case")
    specialty = flag_panel.locator("input[name=specialty]")
    specialty.fill("Linguistics")
    specialty.press("Enter")  # sends the flag; does not submit the annotation
    expect(status).to_have_text("Flagged for the experts.")
    expect(flag_panel).to_be_hidden()
    assert current_task_id(page) == second
    assert annotations(requester, second) == []
    page.keyboard.press("1")  # the hotkeys work again once the panel is closed
    expect(page.locator('button.choice-option[data-value="pos"]')).to_have_attribute("aria-pressed", "true")

    flags = requester.get(f"/api/v1/projects/{project_id}/flags", expect=200).json()["flags"]
    assert len(flags) == 1, flags
    assert flags[0]["task_id"] == second
    assert flags[0]["note"] == note_text
    assert flags[0]["kind"] == "edge_case"
    assert flags[0]["specialty"] == "linguistics"
    assert flags[0]["status"] == "open"

    # The reviewer rejects the first answer; the worker gets it back as rework with the comment.
    comment = f"Say why it is positive {XSS}"
    decided = reviewer.post(f"/api/v1/reviews/{item['id']}", json={"verdict": "reject", "comment": comment}, expect=200).json()
    assert decided["verdict"] == "reject", decided

    page.reload()
    assert current_task_id(page) == first
    banner = page.locator("#rework-banner")
    expect(banner).to_be_visible()
    expect(banner.locator(".rework-comment")).to_have_text(comment)
    expect(banner.locator("img")).to_have_count(0)
    expect(page.locator("p.suggestion")).to_be_hidden()
    expect(justification).to_have_value("short")
    expect(page.locator('button.choice-option[data-value="pos"]')).to_have_attribute("aria-pressed", "true")

    fixed = "Positive: the reviewer praises the battery."
    justification.fill(fixed)
    page.locator("#submit-button").click()
    wait_for_next_task(page, first)
    expect(confirm_panel).to_be_hidden()
    expect(banner).to_be_hidden()

    versions = {a["version"]: a["value"] for a in annotations(requester, first)}
    assert versions.get(2) == {"sentiment": "pos", "justification": fixed}, versions

    # Nothing ran: no image from the markup, no handler, no dialog.
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.evaluate("window.__xss") is None
    assert dialogs == [], f"markup ran as code: {dialogs}"
