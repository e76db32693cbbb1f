"""Peer review and expert verification in a real browser.

A worker annotates over the API with every annotation spot-checked; a reviewer accepts, rejects with a comment
and corrects in the review page (headless Chromium); the worker gets the rework with the comment, the
correction is the current version while the worker's original stays theirs, and the export carries the
correction. Then a flag with a specialty reaches only the expert of that specialty, who resolves it in the
page with a final answer. Task data, comments and notes carry an HTML payload that must show as text.

One `gloss serve` (SQLite) for the whole flow.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import sign_in, sign_out

XSS = "<img src=x onerror=window.__xss=1>"
REJECT_COMMENT = "Wrong label: read the guideline on sarcasm"
SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "sentiment",
            "type": "choice",
            "label": "Sentiment",
            "required": True,
            "options": ["positive", "negative", "neutral"],
        }
    ]
}
# Every annotation is reviewed, a rejection goes back to its worker, and nothing is sampled for the experts
# (so the expert queue holds only the flag).
POLICY = {"spot_check": {"first": 20, "first_rate": 1.0}, "rejected": "rework", "expert_sample": 0}

REQUESTER = "owner@review.test"
WORKER = "worker-a@review.test"
REVIEWER = "reviewer@review.test"
EXPERT = "oncologist@review.test"
LAWYER = "lawyer@review.test"


# --- page steps -------------------------------------------------------------------------------------------






def shown_item(page: Page) -> tuple[str, str]:
    """The review id and task id of the item on the page (once one is shown)."""
    item = page.locator("#review-item[data-review-id]:not([data-review-id=''])")
    expect(item).to_have_count(1)
    expect(item).to_be_visible()
    review_id = item.get_attribute("data-review-id")
    task_id = item.get_attribute("data-task-id")
    assert review_id and task_id
    return review_id, task_id


def wait_for_another_item(page: Page, previous_review_id: str) -> None:
    """Waits until the page shows another item or the empty queue."""
    page.wait_for_function(
        """previous => {
            const item = document.querySelector('#review-item');
            const empty = document.querySelector('#review-empty');
            return (empty && !empty.hidden) || (item && !item.hidden && item.dataset.reviewId && item.dataset.reviewId !== previous);
        }""",
        arg=previous_review_id,
    )


def assert_no_script_ran(page: Page) -> None:
    page.wait_for_timeout(300)  # an onerror handler would have run by now
    assert page.evaluate("window.__xss") is None, "an HTML payload from the API ran as code"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0


# --- the test ---------------------------------------------------------------------------------------------


def test_review_reject_rework_correct_and_expert_flag(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, REQUESTER, "requester", org="Review Org"))
    worker = Api(server.url, create_account(server, WORKER, "worker"))
    reviewer = Api(server.url, create_account(server, REVIEWER, "worker"))
    expert = Api(server.url, create_account(server, EXPERT, "worker"))
    lawyer = Api(server.url, create_account(server, LAWYER, "worker"))

    project = requester.create_project("Review flow", SCHEMA, quality_policy=POLICY)
    project_id = project["id"]
    texts = [f"{XSS} Loved it, truly.", "Oh great, another broken charger.", "It works as described."]
    assert requester.import_tasks(project_id, [{"external_id": f"t{i}", "data": {"text": text}} for i, text in enumerate(texts)]) == 3
    listed = requester.get(f"/api/v1/projects/{project_id}/tasks", expect=200).json()["tasks"]
    task_by_text = {task["data"]["text"]: task["id"] for task in listed}
    task1, task2, task3 = (task_by_text[text] for text in texts)

    # Worker A answers all three "positive" over the API.
    answered = []
    for _ in range(3):
        task = worker.get(f"/api/v1/projects/{project_id}/next", expect=200).json()
        worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": {"sentiment": "positive"}, "time_spent_s": 4}, expect=201)
        answered.append(task["id"])
    assert sorted(answered) == sorted([task1, task2, task3])
    assert worker.get(f"/api/v1/projects/{project_id}/next").status_code == 204

    for email, level, specialties in [(REVIEWER, "reviewer", []), (EXPERT, "expert", ["oncology"]), (LAWYER, "expert", ["law"])]:
        requester.post(f"/api/v1/projects/{project_id}/reviewers",
                       json={"email": email, "level": level, "specialties": specialties}, expect=201)

    # --- the reviewer works the peer-review queue in the browser ---------------------------------------
    sign_in(page, server, REVIEWER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/review?stage=review")
    verdicts: dict[str, str] = {}
    plan = {task1: "accept", task2: "reject", task3: "correct"}
    for _ in range(3):
        review_id, task_id = shown_item(page)
        assert task_id in plan and task_id not in verdicts, f"unexpected item for task {task_id}: {verdicts}"
        expect(page.locator("#review-reason")).to_have_text("Spot check")
        expect(page.locator("#review-data")).to_contain_text(texts[[task1, task2, task3].index(task_id)])
        # The worker's answer is in the widget; only the verdicts of an annotated item at the peer stage show.
        expect(page.locator('#review-form button.choice-option[data-value="positive"]')).to_have_attribute("aria-pressed", "true")
        for selector in ("#accept-button", "#reject-button", "#correct-button", "#escalate-button"):
            expect(page.locator(selector)).to_be_visible()
        expect(page.locator("#resolve-button")).to_be_hidden()
        expect(page.locator("#correct-button")).to_be_disabled()

        if task_id == task1:
            # The payload in the task's text is shown as text.
            expect(page.locator("#review-data")).to_contain_text(XSS)
            expect(page.locator("#review-item img")).to_have_count(0)
            assert_no_script_ran(page)
            page.locator("#accept-button").click()
        elif task_id == task2:
            # No comment: the server's message names the comment, and the item stays.
            page.locator("#reject-button").click()
            expect(page.locator("#review-status")).to_contain_text(re.compile(r"comment.*required", re.I))
            assert shown_item(page)[0] == review_id
            page.locator("#review-comment").fill(REJECT_COMMENT)
            page.locator("#reject-button").click()
        else:
            page.locator('#review-form button.choice-option[data-value="negative"]').click()
            expect(page.locator('#review-form button.choice-option[data-value="negative"]')).to_have_attribute("aria-pressed", "true")
            expect(page.locator("#correct-button")).to_be_enabled()
            expect(page.locator("#accept-button")).to_be_disabled()  # an edited answer is saved, not accepted
            page.locator("#correct-button").click()
        verdicts[task_id] = plan[task_id]
        wait_for_another_item(page, review_id)
    expect(page.locator("#review-empty")).to_be_visible()
    expect(page.locator("#review-status")).to_contain_text(re.compile(r"Correction saved.*queue is empty", re.S))
    expect(page.locator("#review-actions")).to_be_hidden()

    # --- the consequences, over the API ----------------------------------------------------------------
    rework = worker.get(f"/api/v1/projects/{project_id}/next", expect=200).json()
    assert rework["id"] == task2, f"the rejected task should come back first: {rework}"
    assert rework.get("rework", {}).get("comment") == REJECT_COMMENT, rework
    assert rework["rework"].get("value") == {"sentiment": "positive"}, rework

    current = requester.get(f"/api/v1/tasks/{task3}/annotations", expect=200).json()["annotations"]
    assert [a["value"] for a in current] == [{"sentiment": "negative"}], f"the correction is not the current version: {current}"
    assert current[0]["version"] == 2, current
    own = worker.get(f"/api/v1/tasks/{task3}/annotations", expect=200).json()["annotations"]
    assert [a["value"] for a in own] == [{"sentiment": "positive"}], f"the worker's original was lost: {own}"

    records = {r["id"]: r for r in parse_jsonl(requester.get(f"/api/v1/projects/{project_id}/export", params={"format": "jsonl"}, expect=200).text)}
    assert [a["value"] for a in records[task3]["annotations"]] == [{"sentiment": "negative"}], records[task3]
    finals = {r["id"]: r for r in parse_jsonl(requester.get(
        f"/api/v1/projects/{project_id}/export", params={"format": "jsonl", "answers": "final"}, expect=200).text)}
    assert [a["value"] for a in finals[task3]["annotations"]] == [{"sentiment": "negative"}], finals[task3]

    # The worker redoes the rejected task; the rework is reviewed again, with the earlier rejection as history.
    worker.post(f"/api/v1/tasks/{task2}/annotations", json={"value": {"sentiment": "negative"}, "time_spent_s": 3}, expect=201)
    item = reviewer.get(f"/api/v1/projects/{project_id}/reviews/next", params={"stage": "review"}, expect=200).json()
    assert item["reason"] == "rework" and item["task"]["id"] == task2, item
    assert item["annotation"]["version"] == 2 and item["annotation"]["value"] == {"sentiment": "negative"}, item
    assert [(h["verdict"], h["comment"]) for h in item["history"]] == [("reject", REJECT_COMMENT)], item["history"]
    # Rejecting without a comment is refused by the server itself.
    for body in ({"verdict": "reject"}, {"verdict": "reject", "comment": "   "}):
        problem = reviewer.post(f"/api/v1/reviews/{item['id']}", json=body, expect=422).json()
        assert problem.get("field") == "comment" or any(e["field"] == "comment" for e in problem.get("errors", [])), problem

    # The page shows the same held item, with its reason and history, and accepts it.
    page.goto(f"{server.url}/projects/{project_id}/review?stage=review")
    review_id, task_id = shown_item(page)
    assert (review_id, task_id) == (item["id"], task2)
    expect(page.locator("#review-reason")).to_have_text("Rework (version 2)")
    expect(page.locator("#review-history")).to_contain_text(REJECT_COMMENT)
    expect(page.locator("#review-history")).to_contain_text(re.compile(r"Peer review: rejected", re.I))
    expect(page.locator('#review-form button.choice-option[data-value="negative"]')).to_have_attribute("aria-pressed", "true")
    page.locator("#accept-button").click()
    wait_for_another_item(page, review_id)
    expect(page.locator("#review-empty")).to_be_visible()
    assert_no_script_ran(page)
    sign_out(page, server)

    # --- a flag reaches the expert of its specialty only ------------------------------------------------
    note = f"{XSS} Is a dosage question in scope?"
    flag = worker.post(f"/api/v1/tasks/{task1}/flags", json={"kind": "edge_case", "note": note, "specialty": "Oncology"}, expect=201).json()
    assert flag["specialty"] == "oncology" and flag["status"] == "open", flag
    assert lawyer.get(f"/api/v1/projects/{project_id}/reviews/next", params={"stage": "expert"}).status_code == 204
    # A reviewer (not an expert) may not take the expert stage.
    assert reviewer.get(f"/api/v1/projects/{project_id}/reviews/next", params={"stage": "expert"}).status_code == 403

    sign_in(page, server, EXPERT, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/review?stage=expert")
    review_id, task_id = shown_item(page)
    assert task_id == task1
    expect(page.locator("#review-reason")).to_have_text(f"Flag: Edge case (oncology) — {note}")
    expect(page.locator("#review-data")).to_contain_text(XSS)
    # The current answers side by side, read-only; the form starts empty; only Resolve is offered.
    answers = page.locator("#review-answers .review-answer")
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text("Answer 1")
    expect(answers.first.locator('dd[data-field="sentiment"]')).to_have_text("positive")
    expect(page.locator('#review-form button.choice-option[aria-pressed="true"]')).to_have_count(0)
    expect(page.locator("#resolve-button")).to_be_visible()
    for selector in ("#accept-button", "#reject-button", "#correct-button", "#escalate-button"):
        expect(page.locator(selector)).to_be_hidden()
    assert_no_script_ran(page)

    page.locator('#review-form button.choice-option[data-value="neutral"]').click()
    expect(page.locator("#resolve-button")).to_have_text("Resolve with this answer")
    page.locator("#review-comment").fill("In scope; guideline 4.2 now says so.")
    page.locator("#resolve-button").click()
    wait_for_another_item(page, review_id)
    expect(page.locator("#review-empty")).to_be_visible()
    expect(page.locator("#review-status")).to_contain_text("Resolved")

    final = requester.get(f"/api/v1/tasks/{task1}/final", expect=200).json()
    assert final["value"] == {"sentiment": "neutral"} and final["source"] == "adjudicated", final
    flags = requester.get(f"/api/v1/projects/{project_id}/flags", expect=200).json()["flags"]
    assert [(f["status"], f["resolution"]) for f in flags] == [("resolved", "In scope; guideline 4.2 now says so.")], flags
    assert lawyer.get(f"/api/v1/projects/{project_id}/reviews/next", params={"stage": "expert"}).status_code == 204
