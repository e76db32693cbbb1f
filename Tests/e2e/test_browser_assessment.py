"""The worker's side of the workforce in a real browser: a new applicant starts the general starter
assessment from the assessments page (one attempt: the page asks first), answers it (multiple choice, a
written answer with its word count, and an annotation item through the platform's choice widget), reloads
mid-way and finds every answer kept, loses the connection and loses nothing (the answer waits on the device
and is saved after a reload), submits with a double click that sends once, sees the result, and a second tab
that submits too is told clearly that the attempt was already submitted. Approved, the worker's dashboard
shows the matching project (rate, expected time, tasks left, the match explained, a Start link), the project
they are close to with the assessment to take, and their notifications, which they mark read. Practice shows
the right answer after a check. Untrusted text (the worker's name, project names, an admin's assessment
title, prompt, options and task data, notification texts) is shown as text, never run.

One `gloss serve --demo` (SQLite, with the seeded assessments) and headless Chromium through Playwright;
accounts and projects are set up over the API.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import Api, GlossServer, create_token

XSS = "<img src=x onerror=window.__xss=1>"
EMAIL = "ada.e2e@example.test"
PASSWORD = "pw-applicant-123"
WRITTEN_ANSWER = "Both labels fit, so I chose the closer one and flagged it."
OFFLINE_ANSWER = "Typed while the connection was down, and kept."

PROFILE: dict[str, Any] = {
    "country": "DE",
    "time_zone": "Europe/Berlin",
    "availability": {"hours_per_week": 20, "days": ["mon", "wed"]},
    "education": [{"degree": "bachelor", "field": "Linguistics", "institution": "Uni Hamburg", "year": 2015}],
    "experience": [{"field": "Retail", "years": 3}],
    "languages": [{"code": "en", "proficiency": "native"}, {"code": "de", "proficiency": "fluent"}],
    "programming": [],
    "path": "general",
}

SENTIMENT_SCHEMA: dict[str, Any] = {
    "fields": [{"name": "sentiment", "type": "choice", "label": "Sentiment", "required": True, "multiple": False,
                "options": ["positive", "negative", "neutral"]}]
}


# --- helpers ----------------------------------------------------------------------------------------------


def sign_in(page: Page, server: GlossServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    form = page.locator("form#login-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def option_value(option: Any) -> str:
    return str(option["value"]) if isinstance(option, dict) else str(option)


def first_choice_annotation(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The first annotation item whose schema is one choice field (the starter's sentiment item)."""
    for item in items:
        fields = (item.get("schema") or {}).get("fields") or []
        if item["kind"] == "annotation" and len(fields) == 1 and fields[0]["type"] == "choice" and not fields[0].get("multiple"):
            return item
    raise AssertionError(f"no single-choice annotation item among {[item['id'] for item in items]}")


def no_injected_markup(page: Page) -> None:
    """The hostile text never became an element, and nothing ran."""
    assert page.evaluate("window.__xss") is None, "injected script ran"
    onerror = page.evaluate("[...document.querySelectorAll('[onerror]')].map((e) => e.outerHTML)")
    assert onerror == [], onerror


# --- the test ---------------------------------------------------------------------------------------------


def test_worker_takes_the_starter_assessment_and_finds_work(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    admin = Api(server.url, create_token(server, "admin@gloss.demo"))
    requester = Api(server.url, create_token(server, "requester@gloss.demo"))

    # An applicant with a hostile name applies and submits a complete application.
    created = Api(server.url).post(
        "/api/v1/applications", json={"name": f"Ada {XSS}", "email": EMAIL, "password": PASSWORD, "profile": PROFILE}, expect=201
    ).json()
    user_id = created["application"]["user_id"]
    worker = Api(server.url, created["token"])
    worker.post("/api/v1/me/application/submit", expect=200)

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    sign_in(page, server, EMAIL, PASSWORD)

    # The dashboard of an applicant: their name as text, their status, the starter to take.
    page.goto(f"{server.url}/dashboard")
    expect(page.locator("#dashboard-root")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#dashboard-title")).to_have_text(f"Welcome, Ada {XSS}")
    expect(page.locator(".worker-status")).to_have_attribute("data-status", re.compile(r"^(applicant|assessing)$"))
    expect(page.locator("#dashboard-assessments .assessment-card[data-slug=starter-general] button.start-assessment")).to_have_count(1)
    expect(page.locator("#dashboard-projects .project-card")).to_have_count(0)
    no_injected_markup(page)

    # The assessments page: the starter, with its clock and its one attempt; starting it asks first.
    page.goto(f"{server.url}/assessments")
    expect(page.locator("#assessments-root")).to_have_attribute("data-loaded", "true")
    starter = page.locator(".assessment-card[data-slug=starter-general]")
    expect(starter.locator("[data-fact=time]")).to_have_text("20 min time limit")
    expect(starter.locator("[data-fact=attempts]")).to_have_text("One attempt")
    expect(page.locator(".assessment-card[data-kind=practice] a[data-practice]").first).to_be_visible()
    starter.locator("button.start-assessment").click()
    page.wait_for_url(re.compile(r"/attempts/[0-9a-f-]{36}$"))
    assert len(dialogs) == 1 and "You have one attempt" in dialogs[0], dialogs
    attempt_url = page.url
    attempt_id = attempt_url.rsplit("/", 1)[1]

    attempt = worker.get(f"/api/v1/attempts/{attempt_id}", expect=200).json()
    assert attempt["status"] == "in_progress", attempt
    items: list[dict[str, Any]] = attempt["items"]
    # The one attempt is taken: the assessment cannot start again.
    again = worker.post(f"/api/v1/assessments/{attempt['assessment_id']}/attempts", expect=409).json()
    assert again["status"] == 409

    # The attempt page: the title, the clock from the server, every item.
    section = page.locator("#attempt")
    expect(section).to_have_attribute("data-loaded", "true")
    expect(page.locator("#attempt-title")).to_have_text(attempt["assessment_title"])
    seconds_left = int(page.locator("#attempt-timer").get_attribute("data-seconds-left") or "-1")
    assert 1100 <= seconds_left <= 1200, seconds_left
    expect(page.locator("#attempt-timer")).to_have_text(re.compile(r"^\d+:\d\d left$"))
    expect(page.locator("#attempt-items > li.attempt-item")).to_have_count(len(items))

    # Answers: the first option of each multiple-choice item, a written answer, the sentiment item in its widget.
    expected: dict[str, Any] = {}
    for item in items:
        row = page.locator(f".attempt-item[data-item-id='{item['id']}']")
        if item["kind"] == "multiple_choice":
            row.locator("input").first.check()
            expected[item["id"]] = [item["options"][0]] if item.get("multiple") else item["options"][0]
        elif item["kind"] == "written":
            row.locator("textarea.written-answer").fill(WRITTEN_ANSWER)
            words = len(WRITTEN_ANSWER.split())
            expect(row.locator(".word-count")).to_contain_text(f"{words} ")
            expected[item["id"]] = WRITTEN_ANSWER
    sentiment = first_choice_annotation(items)
    field = sentiment["schema"]["fields"][0]
    choice = option_value(field["options"][1])
    widget = page.locator(f".attempt-item[data-item-id='{sentiment['id']}']")
    expect(widget.locator(".item-data")).to_contain_text(str(next(iter(sentiment["data"].values()))))
    widget.locator(f".choice-option[data-value='{choice}']").click()
    expect(widget.locator(f".choice-option[data-value='{choice}']")).to_have_attribute("aria-pressed", "true")
    expected[sentiment["id"]] = {field["name"]: choice}
    written_ids = [item["id"] for item in items if item["kind"] == "written"]
    assert written_ids, "the general starter has a written item"

    save_status = page.locator("#attempt-save-status")
    expect(save_status).to_have_attribute("data-state", "saved")
    expect(save_status).to_have_text(re.compile(r"^Saved \d\d:\d\d:\d\d$"))
    saved = worker.get(f"/api/v1/attempts/{attempt_id}", expect=200).json()
    for item_id, answer in expected.items():
        assert saved["answers"].get(item_id) == answer, (item_id, saved["answers"])
    unanswered = len(items) - len(expected)
    expect(page.locator("#attempt-unanswered")).to_have_attribute("data-unanswered", str(unanswered))

    # Reload mid-way: every answer is back.
    page.reload()
    expect(section).to_have_attribute("data-loaded", "true")
    for item in items:
        row = page.locator(f".attempt-item[data-item-id='{item['id']}']")
        if item["kind"] == "multiple_choice":
            expect(row.locator("input").first).to_be_checked()
        elif item["kind"] == "written":
            expect(row.locator("textarea.written-answer")).to_have_value(WRITTEN_ANSWER)
    expect(widget.locator(f".choice-option[data-value='{choice}']")).to_have_attribute("aria-pressed", "true")

    # The connection drops: the change waits on the device, and after a reload it is sent.
    written = page.locator(f".attempt-item[data-item-id='{written_ids[0]}'] textarea.written-answer")
    page.route("**/api/v1/attempts/*/answers", lambda route: route.abort())
    written.fill(OFFLINE_ANSWER)
    expect(save_status).to_have_attribute("data-state", "offline")
    expect(save_status).to_contain_text("kept on this device")
    kept = page.evaluate("(key) => localStorage.getItem(key)", f"gloss.attempt.{attempt_id}.answers")
    assert kept and json.loads(kept)["answers"][written_ids[0]] == OFFLINE_ANSWER, kept
    assert worker.get(f"/api/v1/attempts/{attempt_id}", expect=200).json()["answers"][written_ids[0]] == WRITTEN_ANSWER
    page.unroute("**/api/v1/attempts/*/answers")
    page.reload()
    expect(section).to_have_attribute("data-loaded", "true")
    expect(written).to_have_value(OFFLINE_ANSWER)
    expect(save_status).to_have_attribute("data-state", "saved")
    assert worker.get(f"/api/v1/attempts/{attempt_id}", expect=200).json()["answers"][written_ids[0]] == OFFLINE_ANSWER
    assert page.evaluate("(key) => localStorage.getItem(key)", f"gloss.attempt.{attempt_id}.answers") is None

    # A second tab on the same attempt, opened before the submit.
    other = page.context.new_page()
    other.goto(attempt_url)
    expect(other.locator("#attempt")).to_have_attribute("data-loaded", "true")

    # Submit with a double click: one request, then the result.
    submits: list[str] = []
    page.on("request", lambda request: submits.append(request.url) if request.method == "POST" and request.url.endswith("/submit") else None)
    page.locator("#attempt-submit").dblclick()
    result = page.locator("#attempt-result")
    expect(result).to_be_visible()
    expect(result.locator(".verdict")).to_have_attribute("data-verdict", re.compile(r"^(passed|failed|pending|review)$"))
    expect(section).to_have_attribute("data-locked", "true")
    assert len(submits) == 1, submits
    submitted = worker.get(f"/api/v1/attempts/{attempt_id}", expect=200).json()
    assert submitted["status"] != "in_progress" and submitted["result"] is not None, submitted
    expect(result.locator(".verdict")).to_have_attribute("data-verdict", submitted["result"]["verdict"])
    expect(result.locator(".result-reasons li")).to_have_count(len(submitted["result"]["reasons"]))
    assert submitted["answers"][sentiment["id"]] == expected[sentiment["id"]]
    expect(page.locator("#attempt-items")).to_have_attribute("inert", "")

    # Submitting again is refused, by the API and in the other tab, clearly.
    worker.post(f"/api/v1/attempts/{attempt_id}/submit", json={}, expect=409)
    worker.request("PUT", f"/api/v1/attempts/{attempt_id}/answers", json={"answers": {written_ids[0]: "late"}}, expect=409)
    other.locator("#attempt-submit").click()
    expect(other.locator("#attempt-message")).to_contain_text("Already submitted")
    expect(other.locator("#attempt-result .verdict")).to_have_attribute("data-verdict", submitted["result"]["verdict"])
    other.close()

    # After a reload the result is still there and the form stays locked.
    page.reload()
    expect(section).to_have_attribute("data-loaded", "true")
    expect(result.locator(".verdict")).to_have_attribute("data-verdict", submitted["result"]["verdict"])
    expect(page.locator("#attempt-actions")).to_be_hidden()
    expect(written).to_have_value(OFFLINE_ANSWER)
    no_injected_markup(page)

    # The admin approves the worker (with a hostile reason) and grants the general track.
    admin.post(f"/api/v1/admin/applications/{user_id}/status", json={"status": "approved", "reason": f"Welcome aboard {XSS}"}, expect=200)
    quals = worker.get("/api/v1/me/qualifications", expect=200).json()["qualifications"]
    if not any(q["track"] == "general" and q["active"] for q in quals):
        admin.post(f"/api/v1/admin/users/{user_id}/qualifications", json={"track": "general", "reason": "e2e"}, expect=201)

    # A project for general workers (hostile name) and one that needs chemistry.
    project = requester.create_project(
        f"Reviews {XSS}", SENTIMENT_SCHEMA, guidelines="Be **kind**.\n\n<script>window.__xss=1</script>",
        requirements={"any_of": ["general"]}, rate_cents=2500, expected_seconds_per_task=90,
    )
    requester.import_tasks(project["id"], [{"data": {"text": f"Review {n}"}} for n in range(3)])
    chemistry = requester.create_project(
        "Chemistry answers", SENTIMENT_SCHEMA, requirements={"any_of": ["stem.chemistry"]}, rate_cents=4500,
    )
    requester.import_tasks(chemistry["id"], [{"data": {"text": "Is ice less dense than water?"}}])

    page.goto(f"{server.url}/dashboard")
    expect(page.locator("#dashboard-root")).to_have_attribute("data-loaded", "true")
    expect(page.locator(".worker-status")).to_have_attribute("data-status", "approved")
    expect(page.locator(".qualification[data-track=general]")).to_have_attribute("data-active", "true")
    card = page.locator(f".project-card[data-project-id='{project['id']}']")
    expect(card.locator(".project-name")).to_have_text(f"Reviews {XSS}")
    expect(card.locator("[data-fact=rate]")).to_have_text("$25.00/h")
    expect(card.locator("[data-fact=expected]")).to_have_text("about 1 min 30 s per task")
    expect(card.locator("[data-fact=tasks-left]")).to_have_text("3 tasks left")
    expect(card.locator(".match-item[data-met=true]").first).to_be_visible()
    expect(card.locator(".match-score")).to_contain_text("/100")
    expect(card.locator("a.start-project")).to_have_attribute("href", f"/projects/{project['id']}/label")
    card.locator("details.guidelines-box > summary").click()
    expect(card.locator(".guidelines strong")).to_have_text("kind")
    expect(card.locator(".guidelines script")).to_have_count(0)
    expect(page.locator("[data-stat=quality] .stat-note")).to_contain_text("as of")

    close = page.locator(f".close-card[data-project-id='{chemistry['id']}']")
    expect(close.locator(".missing-entry")).to_have_count(1)
    expect(close.locator(".missing-entry[data-track='stem.chemistry'] .take-assessment")).to_have_count(1)
    expect(page.locator(f".project-card:not(.close-card)[data-project-id='{chemistry['id']}']")).to_have_count(0)

    # Notifications: the approval is there, as text; marking all read empties the list.
    unread = int(page.locator("#dashboard-unread").get_attribute("data-unread") or "0")
    assert unread >= 1, unread
    expect(page.locator("#notification-list .notification").first).to_be_visible()
    page.locator("#notifications-mark-all").click()
    expect(page.locator("#dashboard-unread")).to_have_attribute("data-unread", "0")
    assert worker.get("/api/v1/me/notifications", expect=200).json()["unread"] == 0
    no_injected_markup(page)

    # An admin's assessment with hostile title, prompt, options and task data: shown as text.
    definition = {
        "items": [
            {"id": "pick", "kind": "multiple_choice", "prompt": f"Pick **one**. {XSS}", "options": [f"A {XSS}", "B"], "correct": ["B"]},
            {"id": "label", "kind": "annotation", "prompt": "Label it.", "schema": SENTIMENT_SCHEMA,
             "data": {"text": f"Data {XSS}"}, "gold": {"sentiment": "positive"}},
        ],
        "pass": {"minimum_score": 0.5},
    }
    custom = admin.post("/api/v1/admin/assessments", json={
        "slug": "escaping-check", "title": f"Escaping {XSS}", "description": f"Hostile {XSS}", "kind": "specialist",
        "time_limit_s": 600, "attempts_allowed": 3, "unlocks": [], "definition": definition,
    }, expect=201).json()
    page.goto(f"{server.url}/assessments")
    expect(page.locator("#assessments-root")).to_have_attribute("data-loaded", "true")
    custom_card = page.locator(f".assessment-card[data-assessment-id='{custom['id']}']")
    expect(custom_card.locator(".assessment-title")).to_have_text(f"Escaping {XSS}")
    expect(custom_card.locator(".assessment-description")).to_have_text(f"Hostile {XSS}")
    dialogs.clear()
    custom_card.locator("button.start-assessment").click()  # three attempts: nothing to confirm
    page.wait_for_url(re.compile(r"/attempts/[0-9a-f-]{36}$"))
    assert dialogs == [], dialogs
    expect(page.locator("#attempt")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#attempt-title")).to_have_text(f"Escaping {XSS}")
    pick = page.locator(".attempt-item[data-item-id=pick]")
    expect(pick.locator(".item-prompt strong")).to_have_text("one")
    expect(pick.locator(".item-prompt")).to_contain_text(XSS)
    expect(pick.locator(".answer-option-text").first).to_have_text(f"A {XSS}")
    expect(page.locator(".attempt-item[data-item-id=label] .item-data")).to_contain_text(f"Data {XSS}")
    expect(page.locator("#attempt-items img")).to_have_count(0)
    no_injected_markup(page)

    # The clock runs out: the form locks and the answers go in once, within the server's grace.
    quick = admin.post("/api/v1/admin/assessments", json={
        "slug": "quick-clock", "title": "Quick clock", "description": "Four seconds.", "kind": "specialist",
        "time_limit_s": 4, "attempts_allowed": 1, "unlocks": [], "definition": {"items": definition["items"][:1], "pass": {"minimum_score": 0.5}},
    }, expect=201).json()
    started = worker.post(f"/api/v1/assessments/{quick['id']}/attempts", expect=201).json()
    page.goto(f"{server.url}/attempts/{started['id']}")
    expect(page.locator("#attempt")).to_have_attribute("data-loaded", "true")
    page.locator(".attempt-item[data-item-id=pick] input[value=B]").check()
    expect(page.locator("#attempt-timer")).to_have_text(re.compile(r"^Submitted "), timeout=20_000)
    expect(page.locator("#attempt")).to_have_attribute("data-locked", "true")
    expect(page.locator("#attempt-save-status")).to_have_text("Time is up: your answers were submitted.")
    expect(page.locator("#attempt-result .verdict")).to_have_attribute("data-verdict", "passed")
    timed_out = worker.get(f"/api/v1/attempts/{started['id']}", expect=200).json()
    assert timed_out["answers"] == {"pick": "B"} and timed_out["result"]["verdict"] == "passed", timed_out

    # Practice: check an answer, see the right one and why.
    page.goto(f"{server.url}/practice/general")
    expect(page.locator("#practice")).to_have_attribute("data-loaded", "true")
    practice_item = page.locator(".attempt-item[data-kind=multiple_choice]").first
    practice_item.locator("input").first.check()
    practice_item.locator("button.check-answer").click()
    feedback = practice_item.locator(".practice-feedback")
    expect(feedback).to_have_attribute("data-correct", re.compile(r"^(true|false)$"))
    expect(feedback.locator(".right-answer")).not_to_be_empty()
    expect(feedback.locator(".practice-verdict")).to_have_text(re.compile(r"^(Correct\.|Not quite\.)"))
    no_injected_markup(page)
    assert page_errors == [], page_errors
