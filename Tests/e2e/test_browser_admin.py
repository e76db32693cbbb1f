"""The workforce admin console, a project's Workforce panel and the alert setting, in a real browser.

- The admin grades one applicant's written answers in full (points out of range are refused on the page)
  and sees the pass rule pass her, grades another's so that his score falls in the review band (worked out
  from the pass rule), verifies an uploaded credential with a note, approves the second applicant with a
  required reason (which decides his attempt), grants a qualification, suspends and reinstates the first,
  and edits a track's base rate (a bad eligibility rule is refused with its field marked); the audit log
  shows the actions.
- A requester sets a project's requirements, rate, expected time and listing, is refused a rate below the
  track's base (the field marked), and sees the reach: how many qualified workers, with how many hours a
  week (worked out by hand from the one applicant the requirements can match).
- A worker turns alert e-mails on from /settings.
- Applicant-provided text (name, profile fields, written answers, credential issuer) and the admin's own
  notes are shown as text: `window.__xss` stays unset and no <img> appears.

One `gloss serve --demo` (SQLite) per test, headless Chromium through Playwright; applicants and their
attempts are set up over the API.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import Api, GlossServer, create_token

XSS_PAYLOAD = "<img src=x onerror=window.__xss=1>"
ADMIN = ("admin@gloss.demo", "gloss-admin")
REQUESTER = ("requester@gloss.demo", "gloss-requester")
APPLICANT_PASSWORD = "applicant-pw-123"
# Iceland: no demo worker lives there, so a requirement of this country reaches only our applicant.
COUNTRY = "IS"
HOURS_PER_WEEK = 17

# A tiny but well-formed PDF: the credential's document.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- helpers ------------------------------------------------------------------------------------------------


def sign_in(page: Page, server: GlossServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    form = page.locator("form#login-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/login" not in page.url, f"signing in as {email} failed: {page.url}"


def profile(name_suffix: str = "") -> dict[str, Any]:
    return {
        "country": COUNTRY,
        "time_zone": "Atlantic/Reykjavik",
        "availability": {"hours_per_week": HOURS_PER_WEEK, "days": ["mon", "tue", "thu"]},
        "education": [{"degree": "master", "field": f"Linguistics {XSS_PAYLOAD}{name_suffix}", "institution": "University of Iceland", "year": 2016}],
        "experience": [{"field": "Translation", "years": 7}],
        "languages": [{"code": "is", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}],
        "programming": [],
        "path": "general",
    }


def register_applicant(server: GlossServer, email: str, name: str) -> tuple[Api, dict[str, Any]]:
    """A submitted application (public sign-up, then submit); returns the applicant's client and application."""
    anonymous = Api(server.url)
    created = anonymous.post(
        "/api/v1/applications",
        json={"name": name, "email": email, "password": APPLICANT_PASSWORD, "profile": profile()},
        expect=201,
    ).json()
    applicant = Api(server.url, created["token"])
    application = applicant.post("/api/v1/me/application/submit", expect=200).json()
    assert application["status"] in ("applicant", "assessing"), application
    return applicant, application


def points(item: dict[str, Any]) -> float:
    return float(item.get("points", 1))


def wrong_choice(item: dict[str, Any]) -> Any:
    wrong = next(option for option in item["options"] if option not in item["correct"])
    return [wrong] if item.get("multiple") else wrong


def answer_for(item: dict[str, Any], written: str, wrong: set[str]) -> Any:
    """The right answer of an auto-scored item (from the admin's definition) unless it is in `wrong`;
    `written` for a written one."""
    kind = item["kind"]
    if kind == "multiple_choice":
        if item["id"] in wrong:
            return wrong_choice(item)
        correct = item["correct"]
        return correct if item.get("multiple") else correct[0]
    if kind == "annotation":
        return item["gold"]
    assert kind == "written", item
    return written


def review_band_plan(definition: dict[str, Any]) -> tuple[set[str], float]:
    """Which multiple-choice items to answer wrongly, and what fraction of every rubric's points to give, so that
    the score lands in the middle of the review band: worked out from the pass rule and the items' points."""
    items = definition["items"]
    rule = definition["pass"]
    total = sum(points(item) for item in items)
    written = sum(points(item) for item in items if item["kind"] == "written")
    auto_total = total - written
    target = rule["minimum_score"] - rule.get("review_band", 0.05) / 2
    earned = auto_total
    wrong: set[str] = set()
    for item in sorted((item for item in items if item["kind"] == "multiple_choice"), key=points):
        if earned <= target * total:
            break
        wrong.add(item["id"])
        earned -= points(item)
    fraction = (target * total - earned) / written
    assert 0 <= fraction <= 1, f"no plan lands {definition} in the review band ({earned} of {total} automatic points)"
    floor = rule.get("minimum_auto_score")
    assert floor is None or earned / auto_total >= floor, "the plan misses the minimum automatic score"
    return wrong, fraction


def take_starter(applicant: Api, admin: Api, written: str, wrong: Callable[[dict[str, Any]], set[str]] = lambda _: set()) -> tuple[str, dict[str, Any]]:
    """The applicant takes the general starter with every auto-scored item right (except those `wrong` picks from
    the definition) and `written` for the written items; returns the attempt id and the admin's definition."""
    assessments = applicant.get("/api/v1/assessments", expect=200).json()["assessments"]
    starter = next((item for item in assessments if item["slug"] == "starter-general"), None)
    assert starter is not None, f"no starter-general among {[item['slug'] for item in assessments]}"
    definition = admin.get(f"/api/v1/admin/assessments/{starter['id']}", expect=200).json()["definition"]
    assert any(item["kind"] == "written" for item in definition["items"]), "the starter has no written item to grade"
    attempt = applicant.post(f"/api/v1/assessments/{starter['id']}/attempts", expect=201).json()
    wrong_items = wrong(definition)
    answers = {item["id"]: answer_for(item, written, wrong_items) for item in definition["items"]}
    applicant.request("PUT", f"/api/v1/attempts/{attempt['id']}/answers", json={"answers": answers}, expect=200)
    submitted = applicant.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}, expect=200).json()
    assert submitted["status"] == "pending", f"written answers await a grader: {submitted}"
    return attempt["id"], definition


def application(admin: Api, user_id: str) -> dict[str, Any]:
    return admin.get(f"/api/v1/admin/applications/{user_id}", expect=200).json()


def assert_no_injection(page: Page, scope: str) -> None:
    assert page.evaluate("window.__xss") is None, "applicant-provided text ran as HTML"
    expect(page.locator(f"{scope} img")).to_have_count(0)


# --- the admin console --------------------------------------------------------------------------------------


def test_admin_grades_verifies_approves_and_edits_rates(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    admin = Api(server.url, create_token(server, ADMIN[0]))
    name = f"Eve {XSS_PAYLOAD} Jónsdóttir"
    written = f"The label depends on the guideline's scope {XSS_PAYLOAD} and on the sarcasm."
    # Eve: everything automatic right, a credential; full marks for her writing will pass her outright.
    eve, submitted = register_applicant(server, "eve@apply.test", name)
    eve_id = submitted["user_id"]
    credential = eve.post(
        "/api/v1/me/credentials",
        data={"type": "bar_admission", "issuer": f"Law Society {XSS_PAYLOAD}", "number": "IS-4471", "year": "2019", "expires_on": "2031-06-30"},
        files={"document": ("bar-admission.pdf", PDF, "application/pdf")},
        expect=201,
    ).json()
    assert credential["status"] == "pending", credential
    eve_attempt, definition = take_starter(eve, admin, written)
    written_items = [item for item in definition["items"] if item["kind"] == "written"]
    # Finn: a few choices wrong and part of the rubric's points, so his score falls in the review band.
    wrong, fraction = review_band_plan(definition)
    finn, finn_application = register_applicant(server, "finn@apply.test", "Finn Ólafsson")
    finn_id = finn_application["user_id"]
    finn_attempt, _ = take_starter(finn, admin, "Positive, I think.", lambda _: wrong)

    sign_in(page, server, *ADMIN)
    page.goto(f"{server.url}/admin")
    expect(page.locator("#tab-applications")).to_have_attribute("aria-selected", "true")

    # Applications: filter, list, open; the profile in words, the attempt awaiting a grader.
    page.locator("#applications-filter").select_option("assessing")
    expect(page.locator("#applications-table tr[data-user-id]")).to_have_count(2)
    row = page.locator(f"#applications-table tr[data-user-id='{eve_id}']")
    expect(row.locator(".applicant-name")).to_have_text(name)
    row.locator(".open-application").click()
    detail = page.locator("#application-detail")
    expect(detail.locator("#application-name")).to_have_text(name)
    expect(detail.locator("[data-profile=country]")).to_have_text("Iceland (IS)")
    expect(detail.locator("[data-profile=availability]")).to_have_text(f"{HOURS_PER_WEEK} hours a week on Mon, Tue, Thu")
    expect(detail.locator("[data-profile=education]")).to_contain_text(f"Master's in Linguistics {XSS_PAYLOAD}, University of Iceland (2016)")
    expect(detail.locator("[data-profile=languages]")).to_contain_text("Icelandic (is): native")
    expect(detail.locator(f"#attempts-table tr[data-attempt-id='{eve_attempt}']")).to_have_attribute("data-status", "pending")
    expect(detail.locator(f"#app-credentials-table tr[data-credential-id='{credential['id']}'] a.credential-document")).to_have_attribute(
        "href", f"/api/v1/credentials/{credential['id']}/document"
    )
    assert_no_injection(page, "#admin-console")

    # Grading, from the attempt: each written item with its prompt, the answer as text and the rubric.
    detail.locator(f"#attempts-table tr[data-attempt-id='{eve_attempt}'] .grade-attempt").click()
    expect(page.locator("#tab-grading")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-applications")).to_be_hidden()
    queued = page.locator(f"#grading-table tr[data-attempt-id='{eve_attempt}']")
    expect(queued.locator(".applicant-name")).to_have_text(name)
    sheet = page.locator("#grading-detail")
    expect(sheet).to_have_attribute("data-attempt-id", eve_attempt)
    expect(sheet.locator("article.grade-item")).to_have_count(len(written_items))
    for index, item in enumerate(written_items):
        article = sheet.locator(f"article.grade-item[data-item-id='{item['id']}']")
        expect(article.locator(".grade-prompt")).to_have_text(item["prompt"])
        expect(article.locator(".answer-text")).to_have_text(written)
        criteria = item["rubric"]
        if index == 0:
            # More points than the criterion has: refused on the page, nothing sent.
            first = article.locator(f"input[data-criterion='{criteria[0]['id']}']")
            first.fill(str(criteria[0]["points"] + 1))
            for criterion in criteria[1:]:
                article.locator(f"input[data-criterion='{criterion['id']}']").fill(str(criterion["points"]))
            article.locator("button.save-grade").click()
            expect(first).to_have_attribute("aria-invalid", "true")
            ungraded = admin.get(f"/api/v1/grading/{eve_attempt}", expect=200).json()
            assert all(entry["grade"] is None for entry in ungraded["items"]), "an out-of-range grade reached the server"
        for criterion in criteria:
            article.locator(f"input[data-criterion='{criterion['id']}']").fill(str(criterion["points"]))
        article.locator("textarea.grade-comment").fill(f"Clear reasoning {XSS_PAYLOAD}")
        article.locator("button.save-grade").click()
        article = sheet.locator(f"article.grade-item[data-item-id='{item['id']}']")
        expect(article).to_have_attribute("data-graded", "true")
        expect(article.locator(".grade-summary")).to_contain_text(f"Graded {format_points(sum(c['points'] for c in criteria))} by {ADMIN[0]}")
    # Every auto-scored item right and full marks for the writing: the pass rule decides at once.
    expect(sheet.locator("#grading-result")).to_have_attribute("data-verdict", "passed")
    expect(sheet.locator("#grading-result")).to_contain_text("score 100%")
    graded = admin.get(f"/api/v1/grading/{eve_attempt}", expect=200).json()
    assert graded["result"]["verdict"] == "passed" and graded["result"]["score"] == 1, graded["result"]
    for item in written_items:
        grade = next(entry for entry in graded["items"] if entry["id"] == item["id"])["grade"]
        assert grade["points"] == {criterion["id"]: criterion["points"] for criterion in item["rubric"]}, grade
        assert grade["comment"] == f"Clear reasoning {XSS_PAYLOAD}" and grade["by"] == ADMIN[0], grade
    # A passed starter approves the applicant and grants its tracks.
    eve_now = application(admin, eve_id)
    assert eve_now["status"] == "approved", eve_now["history"]
    assert any(item["track"] == "general" and item["active"] for item in eve_now["qualifications"]), eve_now["qualifications"]
    expect(page.locator(f"#grading-table tr[data-attempt-id='{eve_attempt}']")).to_have_count(0)

    # Finn's sheet: part of the points; the score falls in the review band and waits for an admin.
    page.locator(f"#grading-table tr[data-attempt-id='{finn_attempt}'] .open-attempt").click()
    expect(sheet).to_have_attribute("data-attempt-id", finn_attempt)
    for item in written_items:
        article = sheet.locator(f"article.grade-item[data-item-id='{item['id']}']")
        for criterion in item["rubric"]:
            article.locator(f"input[data-criterion='{criterion['id']}']").fill(f"{criterion['points'] * fraction:.4f}")
        article.locator("button.save-grade").click()
        expect(sheet.locator(f"article.grade-item[data-item-id='{item['id']}']")).to_have_attribute("data-graded", "true")
    expect(sheet.locator("#grading-result")).to_have_attribute("data-verdict", "review")
    score = admin.get(f"/api/v1/grading/{finn_attempt}", expect=200).json()["result"]["score"]
    band_floor = definition["pass"]["minimum_score"] - definition["pass"].get("review_band", 0.05)
    assert band_floor <= score < definition["pass"]["minimum_score"], score
    assert_no_injection(page, "#admin-console")

    # Credentials: the pending one, verified with a note.
    page.locator("#tab-credentials").click()
    pending = page.locator(f"#credentials-table tr[data-credential-id='{credential['id']}']")
    expect(pending).to_contain_text(f"Law Society {XSS_PAYLOAD}")
    expect(pending.locator(".credential-user")).to_have_text(name)
    expect(pending.locator("a.credential-document")).to_have_text("bar-admission.pdf")
    document = page.request.get(f"{server.url}/api/v1/credentials/{credential['id']}/document")
    assert document.status == 200 and document.body() == PDF, "the document link does not serve the uploaded file"
    note = f"Checked the register {XSS_PAYLOAD}"
    pending.locator("input.credential-note").fill(note)
    pending.locator("button.verify-credential").click()
    expect(page.locator(f"#credentials-table tr[data-credential-id='{credential['id']}']")).to_have_attribute("data-status", "verified")
    mine = eve.get("/api/v1/me/credentials", expect=200).json()["credentials"]
    assert [(item["id"], item["status"], item["note"]) for item in mine] == [(credential["id"], "verified", note)], mine

    # Approve Finn: the reason is required (nothing is sent without it); approving decides his attempt too.
    page.locator("#tab-applications").click()
    page.locator("#applications-filter").select_option("")
    page.locator(f"#applications-table tr[data-user-id='{finn_id}'] .open-application").click()
    expect(page.locator("#application-detail")).to_have_attribute("data-user-id", finn_id)
    expect(page.locator(f"#attempts-table tr[data-attempt-id='{finn_attempt}']")).to_have_attribute("data-status", "review")
    form = page.locator("#status-form")
    form.locator("button[data-status=approved]").click()
    expect(form.locator("#status-reason")).to_have_attribute("aria-invalid", "true")
    assert application(admin, finn_id)["status"] == "assessing"
    reason = f"Close to the mark; the writing shows care {XSS_PAYLOAD}"
    form.locator("#status-reason").fill(reason)
    form.locator("button[data-status=approved]").click()
    expect(page.locator("#status-result")).to_have_text("Status is now approved.")
    expect(page.locator("#application-status [data-status]")).to_have_attribute("data-status", "approved")
    expect(page.locator("#history-table tr[data-to=approved] .history-reason")).to_have_text(reason)
    expect(page.locator(f"#attempts-table tr[data-attempt-id='{finn_attempt}']")).to_have_attribute("data-status", "passed")
    finn_now = application(admin, finn_id)
    last = finn_now["history"][-1]
    assert (finn_now["status"], last["from"], last["to"], last["reason"], last["by"]) == ("approved", "assessing", "approved", reason, ADMIN[0]), finn_now
    expect(page.locator("#qualifications-table tr[data-track=general]")).to_have_attribute("data-active", "true")

    # Grant a qualification by hand, with a reason.
    page.locator("#grant-track").select_option("multilingual")
    page.locator("#grant-reason").fill("Native Icelandic, fluent English")
    page.locator("#grant-form button[type=submit]").click()
    expect(page.locator("#qualifications-table tr[data-track=multilingual]")).to_have_count(1)
    held = {item["track"]: item["source"] for item in application(admin, finn_id)["qualifications"]}
    assert held.get("general") == "assessment" and held.get("multilingual") == "admin", held

    # Suspend Eve, then reinstate her, each with a reason.
    page.locator(f"#applications-table tr[data-user-id='{eve_id}'] .open-application").click()
    expect(page.locator("#application-detail")).to_have_attribute("data-user-id", eve_id)
    page.locator("#status-reason").fill("Three gold tasks failed in a row")
    page.locator("#status-form button[data-status=suspended]").click()
    expect(page.locator("#status-result")).to_have_text("Status is now suspended.")
    reinstate = page.locator("#status-form button[data-status=approved]")
    expect(reinstate).to_have_text("Reinstate")
    page.locator("#status-reason").fill("Reviewed: the gold answers were wrong")
    reinstate.click()
    expect(page.locator("#status-result")).to_have_text("Status is now approved.")
    steps = [(entry["to"], entry["reason"]) for entry in application(admin, eve_id)["history"]][-2:]
    assert steps == [("suspended", "Three gold tasks failed in a row"), ("approved", "Reviewed: the gold answers were wrong")], steps
    assert_no_injection(page, "#admin-console")

    # Tracks & rates: a bad rule is refused with the field marked; the base rate in dollars becomes cents.
    page.locator("#tab-tracks").click()
    coding = page.locator("#tracks-table tr[data-track-id=coding]")
    expect(coding.locator(".track-rate")).to_have_text("$40.00")
    coding.locator(".edit-track").click()
    page.locator("#track-eligibility").fill('{"degree": {"minimum": "wizard", "fields": []}}')
    page.locator("#track-save").click()
    expect(page.locator("#track-eligibility")).to_have_attribute("aria-invalid", "true")
    assert track(server, "coding")["eligibility"] == {"always": True}
    page.locator("#track-eligibility").fill('{"always": true}')
    page.locator("#track-rate").fill("42.50")
    page.locator("#track-save").click()
    expect(page.locator("#tracks-table tr[data-track-id=coding] .track-rate")).to_have_text("$42.50")
    assert track(server, "coding")["base_rate_cents"] == 4250

    # Audit log: the decisions above are there.
    page.locator("#tab-audit").click()
    expect(page.locator(f"#audit-table tr[data-subject-id='{finn_id}'][data-action='worker.approved']")).to_have_count(1)
    expect(page.locator(f"#audit-table tr[data-subject-id='{credential['id']}']").first).to_be_visible()
    expect(page.locator("#audit-table tr[data-subject-id=coding][data-action='track.update']")).to_have_count(1)
    assert_no_injection(page, "#admin-console")


def format_points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(round(value, 2))


def track(server: GlossServer, track_id: str) -> dict[str, Any]:
    tracks = Api(server.url).get("/api/v1/tracks", expect=200).json()["tracks"]
    return next(item for item in tracks if item["id"] == track_id)


def test_admin_tabs_work_by_keyboard(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    sign_in(page, server, *ADMIN)
    page.goto(f"{server.url}/admin#tracks")
    expect(page.locator("#tab-tracks")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tracks-table tr[data-track-id]")).to_have_count(10)
    page.locator("#tab-tracks").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-audit")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-audit")).to_be_focused()
    expect(page.locator("#panel-audit")).to_be_visible()
    expect(page.locator("#panel-tracks")).to_be_hidden()
    page.keyboard.press("Home")
    expect(page.locator("#tab-applications")).to_have_attribute("aria-selected", "true")
    assert page.url.endswith("#applications")


# --- the requester's Workforce panel and the worker's alerts -----------------------------------------------------


def test_requester_sets_requirements_and_sees_reach(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    admin = Api(server.url, create_token(server, ADMIN[0]))
    requester = Api(server.url, create_token(server, REQUESTER[0]))

    # One approved worker in Iceland holding the general track (starter passed, the writing graded in full).
    applicant, submitted = register_applicant(server, "ari@apply.test", f"Ari {XSS_PAYLOAD}")
    attempt_id, definition = take_starter(applicant, admin, "Both readings fit; I would flag it.")
    for item in definition["items"]:
        if item["kind"] == "written":
            admin.post(f"/api/v1/grading/{attempt_id}",
                       json={"item_id": item["id"], "points": {c["id"]: c["points"] for c in item["rubric"]}}, expect=200)
    approved = application(admin, submitted["user_id"])  # a passed starter approves
    assert approved["status"] == "approved", approved["history"]
    held = {item["track"] for item in approved["qualifications"] if item["active"]}
    assert "general" in held, held

    project_id = requester.create_project("Icelandic sentiment")["id"]
    sign_in(page, server, *REQUESTER)
    page.goto(f"{server.url}/projects/{project_id}")
    panel = page.locator("#workforce-panel")
    expect(panel).to_have_attribute("data-loaded", "true")

    # Requirements only our applicant can meet but for one track she lacks: nobody qualifies; she is close.
    panel.locator("#workforce-all-of input[data-track='stem.chemistry']").check()
    panel.locator("#workforce-countries").fill(COUNTRY.lower())
    expect(panel.locator("#workforce-rate-minimum")).to_have_text("Minimum: $40.00 an hour (the base rate of STEM: chemistry).")
    panel.locator("#workforce-save").click()
    expect(panel.locator("#workforce-status")).to_have_text("Saved.")
    reach = panel.locator("#workforce-reach")
    expect(reach).to_have_attribute("data-qualified", "0")
    expect(reach).to_have_attribute("data-close", "1")
    expect(reach).to_contain_text("0 qualified workers, 0 hours a week")

    # The general track instead, Icelandic at fluent or better, a rate below the base: refused, field marked.
    panel.locator("#workforce-all-of input[data-track='stem.chemistry']").uncheck()
    panel.locator("#workforce-any-of input[data-track=general]").check()
    expect(panel.locator("#workforce-rate-minimum")).to_have_text("Minimum: $20.00 an hour (the base rate of General).")
    panel.locator("#workforce-add-language").click()
    panel.locator(".language-row input[name=language_code]").fill("is")
    panel.locator(".language-row select[name=language_level]").select_option("fluent")
    panel.locator("#workforce-pref-fields").fill("linguistics, translation")
    panel.locator("#workforce-pref-hours").fill("10")
    panel.locator("#workforce-rate").fill("15")
    panel.locator("#workforce-minutes").fill("2.5")
    panel.locator("#workforce-listed").check()
    panel.locator("#workforce-listing-title").fill(f"Icelandic reviews {XSS_PAYLOAD}")
    panel.locator("#workforce-show-rate").uncheck()
    panel.locator("#workforce-save").click()
    expect(panel.locator("#workforce-rate")).to_have_attribute("aria-invalid", "true")
    expect(panel.locator(".field-error")).to_contain_text("2000")
    assert requester.project(project_id)["rate_set"] is False

    panel.locator("#workforce-rate").fill("25.50")
    panel.locator("#workforce-save").click()
    expect(panel.locator("#workforce-status")).to_have_text("Saved.")
    # Worked out by hand: one approved worker holds general, lives in Iceland and speaks Icelandic natively.
    expect(reach).to_have_attribute("data-qualified", "1")
    expect(reach).to_have_text(re.compile(rf"^1 qualified worker, {HOURS_PER_WEEK} hours a week"))
    assert requester.get(f"/api/v1/projects/{project_id}/reach", expect=200).json()["qualified_workers"] == 1

    saved = requester.project(project_id)
    assert saved["rate_cents"] == 2550 and saved["rate_set"] is True, saved
    assert saved["expected_seconds_per_task"] == 150, saved
    requirements = saved["requirements"]
    assert requirements["any_of"] == ["general"] and not requirements.get("all_of"), requirements
    assert requirements["languages"] == [{"code": "is", "min_level": "fluent"}], requirements
    assert requirements["countries"] == [COUNTRY], requirements
    assert requirements["preferences"]["fields"] == ["linguistics", "translation"], requirements
    assert requirements["preferences"]["min_hours_per_week"] == 10, requirements
    listing = saved["listing"]
    assert listing["listed"] is True and listing["title"] == f"Icelandic reviews {XSS_PAYLOAD}", listing
    assert listing["show_rate"] is False and listing["show_requirements"] is True, listing

    # After a reload the form shows what was saved.
    page.reload()
    expect(panel).to_have_attribute("data-loaded", "true")
    expect(panel.locator("#workforce-any-of input[data-track=general]")).to_be_checked()
    expect(panel.locator("#workforce-rate")).to_have_value("25.50")
    expect(panel.locator("#workforce-minutes")).to_have_value("2.5")
    expect(panel.locator("#workforce-listing-title")).to_have_value(f"Icelandic reviews {XSS_PAYLOAD}")
    expect(panel.locator("#workforce-show-rate")).not_to_be_checked()
    assert page.evaluate("window.__xss") is None


def test_worker_turns_alerts_on(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    applicant, _ = register_applicant(server, "una@apply.test", "Una")
    assert applicant.get("/api/v1/me/alerts", expect=200).json() == {"enabled": False}
    sign_in(page, server, "una@apply.test", APPLICANT_PASSWORD)
    page.goto(f"{server.url}/settings")
    panel = page.locator("#alerts-panel")
    expect(panel).to_have_attribute("data-loaded", "true")
    box = panel.locator("#alerts-enabled")
    expect(box).not_to_be_checked()
    box.check()
    expect(panel.locator("#alerts-status")).to_contain_text("we will e-mail you")
    assert applicant.get("/api/v1/me/alerts", expect=200).json() == {"enabled": True}
    page.reload()
    expect(panel).to_have_attribute("data-loaded", "true")
    expect(panel.locator("#alerts-enabled")).to_be_checked()
    panel.locator("#alerts-enabled").uncheck()
    expect(panel.locator("#alerts-status")).to_contain_text("no alert e-mails")
    assert applicant.get("/api/v1/me/alerts", expect=200).json() == {"enabled": False}
