"""The requester's quality page in a real browser: agreement against the `krippendorff` package, the label
coincidence table, the disagreements (least agreement first) with one-click adjudication that reaches the
final-answers export, a rejected policy with its field named, a reviewer granted through the form, and
untrusted text (task data, flag notes, specialties) shown as text, never run.

One `gloss serve` (SQLite) and headless Chromium through Playwright; the workers answer over the API.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import krippendorff
import numpy as np
from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import sign_in

XSS_PAYLOAD = "<img src=x onerror=window.__xss=1>"
OPTIONS = ["pos", "neg", "neu"]
SCHEMA: dict[str, Any] = {
    "fields": [{"name": "sentiment", "type": "choice", "label": "Sentiment", "required": True, "multiple": False, "options": OPTIONS}]
}
POLICY = {"overlap": {"dynamic": False}, "gold_rate": 0}

REQUESTER = "owner@quality.test"
WORKERS = ["ann@quality.test", "bob@quality.test", "cyd@quality.test"]

# external id -> (text, the three workers' answers in WORKERS order).
PATTERN: dict[str, tuple[str, tuple[str, str, str]]] = {
    "t1": ("Great value, works as described.", ("pos", "pos", "pos")),
    "t2": ("Broke after two days.", ("neg", "neg", "neg")),
    "t3": ("It is a phone case.", ("neu", "neu", "neu")),
    "t4": ("Good, though the strap is weak.", ("pos", "pos", "neg")),
    "t5": ("Arrived late; otherwise fine.", ("neg", "neu", "neg")),
    "t6": (f"Hard to say {XSS_PAYLOAD} really.", ("pos", "neg", "neu")),  # all different
}
ALL_DIFFERENT = "t6"
SPLIT = {"t4", "t5"}


# --- helpers ----------------------------------------------------------------------------------------------




def expected_alpha() -> float:
    """Krippendorff's nominal alpha of PATTERN by the reference implementation (coders x units)."""
    codes = {label: index for index, label in enumerate(OPTIONS)}
    data = np.array(
        [[codes[PATTERN[unit][1][coder]] for unit in sorted(PATTERN)] for coder in range(len(WORKERS))], dtype=float
    )
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def answer_everything(server: GlossServer, tokens: dict[str, str], project_id: str) -> dict[str, str]:
    """Each worker takes tasks until none is left and answers by PATTERN; returns external id -> task id."""
    task_ids: dict[str, str] = {}
    for index, email in enumerate(WORKERS):
        api = Api(server.url, tokens[email])
        answered = 0
        while True:
            response = api.get(f"/api/v1/projects/{project_id}/next", expect=(200, 204))
            if response.status_code == 204:
                break
            task = response.json()
            external_id = task["external_id"]
            assert external_id in PATTERN, f"unexpected task {task}"
            assert task_ids.setdefault(external_id, task["id"]) == task["id"]
            label = PATTERN[external_id][1][index]
            api.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": {"sentiment": label}, "time_spent_s": 3}, expect=201)
            answered += 1
            assert answered <= len(PATTERN), f"{email} was served more tasks than exist"
        assert answered == len(PATTERN), f"{email} answered {answered} of {len(PATTERN)} tasks"
    return task_ids


# --- the test ---------------------------------------------------------------------------------------------


def test_quality_page_agreement_adjudication_policy_and_reviewers(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester_token = create_account(server, REQUESTER, "requester", org="Quality Org")
    tokens = {email: create_account(server, email, "worker") for email in WORKERS}
    api = Api(server.url, requester_token)

    # setup: a single-choice project answered three times per task, with a designed pattern of (dis)agreement.
    project = api.create_project("Quality check", SCHEMA, overlap=3, quality_policy=POLICY)
    project_id = project["id"]
    imported = api.import_tasks(project_id, [{"external_id": key, "data": {"text": text}} for key, (text, _) in PATTERN.items()])
    assert imported == len(PATTERN)
    task_ids = answer_everything(server, tokens, project_id)
    assert set(task_ids) == set(PATTERN)
    # A flag whose note is hostile text.
    flag = Api(server.url, tokens[WORKERS[0]]).post(
        f"/api/v1/tasks/{task_ids['t5']}/flags", json={"kind": "ambiguous", "note": f"Late is not a sentiment {XSS_PAYLOAD}"}, expect=201
    ).json()
    assert flag["status"] == "open", flag

    alpha = expected_alpha()
    assert -1 <= alpha < 1 and not math.isnan(alpha)
    report = api.get(f"/api/v1/projects/{project_id}/quality", expect=200).json()
    measure = report["fields"][0]["measures"][0]
    assert measure["name"] == "sentiment" and measure["metric"] == "nominal", measure
    assert abs(measure["report"]["alpha"] - alpha) < 1e-9, f"API alpha {measure['report']['alpha']} != krippendorff {alpha}"

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The page: summary and agreement.
    sign_in(page, server, REQUESTER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/quality")
    root = page.locator("#quality-root")
    expect(root).to_have_attribute("data-loaded", "true")
    for section in ("summary", "agreement", "workers", "disagreements", "flags", "gold", "reviewers", "policy"):
        expect(page.locator(f"section#quality-{section} > h2")).to_have_count(1)

    summary = page.locator("#quality-summary")
    expect(summary.locator("[data-stat=tasks-total] dd")).to_have_text(str(len(PATTERN)))
    expect(summary.locator("[data-source=consensus] dd")).to_have_text(str(len(PATTERN)))
    expect(summary.locator("[data-queue=flags] dd")).to_have_text("1")

    agreement = page.locator("#quality-agreement .agreement-measure[data-measure=sentiment]")
    expect(agreement.locator("[data-figure=alpha]")).to_have_text(f"{alpha:.3f}")
    interval = measure["report"]["alpha_ci95"]
    assert interval is not None and interval[0] <= interval[1], measure["report"]
    expect(agreement.locator("[data-figure=alpha-ci95]")).to_have_text(f"[{interval[0]:.3f}, {interval[1]:.3f}]")
    confusion = agreement.locator("table.confusion")
    expect(confusion).to_have_count(1)
    column_labels = confusion.locator("thead th[scope=col]").all_text_contents()
    row_labels = confusion.locator("tbody th[scope=row]").all_text_contents()
    assert sorted(column_labels) == sorted(OPTIONS) and row_labels == column_labels, (column_labels, row_labels)
    # The matrix holds every pairable value once per row: 6 tasks x 3 answers = 18 in all.
    cells = [float(text) for text in confusion.locator("tbody td").all_text_contents()]
    assert len(cells) == 9 and abs(sum(cells) - 18) < 0.05, cells

    workers = page.locator("#quality-workers table tbody tr")
    expect(workers).to_have_count(len(WORKERS))
    expect(page.locator("#quality-workers")).to_contain_text(WORKERS[1])
    expect(page.locator("#quality-workers .badge").first).to_have_text(re.compile(r"^(active|more review|paused)$"))

    # Disagreements: the all-different task first, its text shown as text; unanimous tasks left out.
    cards = page.locator("#quality-disagreements .disagreement-card")
    expect(cards).to_have_count(1 + len(SPLIT))
    first = cards.first
    expect(first).to_have_attribute("data-task-id", task_ids[ALL_DIFFERENT])
    expect(first.locator(".task-data")).to_contain_text(XSS_PAYLOAD)
    assert {cards.nth(i).get_attribute("data-task-id") for i in (1, 2)} == {task_ids[key] for key in SPLIT}
    expect(first.locator(".answer-card")).to_have_count(3)
    expect(first.locator(".adjudicate-button")).to_have_count(3)
    expect(first.locator(".make-gold-button")).to_have_count(3)

    # Adjudicate with bob's answer ("neg").
    chosen = first.locator(".answer-card", has=page.locator(".answer-worker", has_text=WORKERS[1]))
    expect(chosen).to_have_count(1)
    expect(chosen.locator(".answer-value")).to_contain_text("neg")
    chosen.locator(".adjudicate-button").click()
    expect(first).to_have_class(re.compile(r"\badjudicated\b"))
    expect(first.locator(".adjudicated-note")).to_contain_text("neg")
    expect(chosen).to_have_class(re.compile(r"\bchosen\b"))

    final = api.get(f"/api/v1/tasks/{task_ids[ALL_DIFFERENT]}/final", expect=200).json()
    assert final["source"] == "adjudicated" and final["value"] == {"sentiment": "neg"}, final
    exported = parse_jsonl(
        api.get(f"/api/v1/projects/{project_id}/export", params={"format": "jsonl", "answers": "final"}, expect=200).text
    )
    record = next(item for item in exported if item["id"] == task_ids[ALL_DIFFERENT])
    assert len(record["annotations"]) == 1, record
    assert record["annotations"][0]["value"] == {"sentiment": "neg"}, record
    assert record["annotations"][0]["source"] == "adjudicated", record
    expect(summary.locator("[data-source=adjudicated] dd")).to_have_text("1")

    # Flags: the note is text.
    flag_row = page.locator(f"#quality-flags tr[data-flag-id='{flag['id']}']")
    expect(flag_row.locator(".flag-note")).to_have_text(f"Late is not a sentiment {XSS_PAYLOAD}")

    # A bad policy is refused, naming the field; a good one is saved.
    textarea = page.locator("#policy-json")
    assert '"dynamic": false' in textarea.input_value()
    textarea.fill('{"spot_check": {"rate": 2}}')
    page.locator("#policy-save").click()
    expect(page.locator("#policy-errors")).to_be_visible()
    expect(page.locator("#policy-errors")).to_contain_text("quality_policy.spot_check.rate")
    expect(page.locator("#policy-status")).to_have_class(re.compile(r"\berror\b"))
    assert api.project(project_id)["quality_policy"]["spot_check"]["rate"] != 2
    textarea.fill('{"overlap": {"dynamic": false}, "gold_rate": 0, "expert_sample": 0.5}')
    page.locator("#policy-save").click()
    expect(page.locator("#policy-status")).to_have_text("Policy saved.")
    expect(page.locator("#policy-errors")).to_be_hidden()
    assert api.project(project_id)["quality_policy"]["expert_sample"] == 0.5

    # Grant a reviewer through the form (a hostile specialty stays text), then remove them.
    form = page.locator("#reviewer-form")
    form.locator("input[name=email]").fill(WORKERS[2])
    form.locator("select[name=level]").select_option("expert")
    form.locator("input[name=specialties]").fill(f"oncology, {XSS_PAYLOAD}")
    form.locator("button[type=submit]").click()
    reviewer_row = page.locator("#quality-reviewers tbody tr", has_text=WORKERS[2])
    expect(reviewer_row).to_have_count(1)
    expect(reviewer_row.locator(".reviewer-level")).to_have_text("expert")
    expect(reviewer_row.locator(".reviewer-specialties")).to_have_text(f"oncology, {XSS_PAYLOAD}")
    grants = api.get(f"/api/v1/projects/{project_id}/reviewers", expect=200).json()["reviewers"]
    assert [(g["email"], g["level"]) for g in grants] == [(WORKERS[2], "expert")], grants
    form.locator("input[name=email]").fill("nobody@quality.test")
    form.locator("button[type=submit]").click()
    expect(page.locator("#reviewer-status")).to_contain_text("email")
    reviewer_row.locator(".remove-reviewer-button").click()
    expect(page.locator("#quality-reviewers tbody tr", has_text=WORKERS[2])).to_have_count(0)

    # Gold from a disagreement's answer, then removed.
    split_card = cards.nth(1)
    split_task = split_card.get_attribute("data-task-id")
    split_card.locator(".make-gold-button").first.click()
    gold_row = page.locator(f"#quality-gold tr[data-task-id='{split_task}']")
    expect(gold_row).to_have_count(1)
    expect(summary.locator("[data-stat=tasks-gold] dd")).to_have_text("1")
    gold_row.locator(".remove-gold-button").click()
    expect(gold_row).to_have_count(0)
    expect(summary.locator("[data-stat=tasks-gold] dd")).to_have_text("0")

    # Nothing hostile ever ran.
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []
