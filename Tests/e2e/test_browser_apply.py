"""The public workforce pages in a real browser: the landing page's tracks and rates, the application form
(422 errors shown next to their inputs, a draft saved, the page reloaded, the draft continued, a credential
uploaded, the application submitted), the job board's filters and quiz, and the unsubscribe page. Untrusted
text (an applicant's name, a credential's issuer, a listing's title, a track's name) is shown as text, never run.

One `gloss serve` (SQLite) per test and headless Chromium through Playwright; requesters and admins set up
their side over the API.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import requests
from playwright.sync_api import Browser, Locator, Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, create_token, png_image

XSS_PAYLOAD = "<img src=x onerror=window.__xss=1>"

APPLICANT_EMAIL = "ada@apply.test"
APPLICANT_NAME = f"Ada {XSS_PAYLOAD}"
ISSUER = f"State Bar {XSS_PAYLOAD}"


# --- helpers ----------------------------------------------------------------------------------------------


def session_cookie(page: Page) -> str | None:
    for cookie in page.context.cookies():
        if cookie["name"] == "gloss_session" and cookie["value"]:
            return str(cookie["value"])
    return None


def assert_no_script_ran(page: Page) -> None:
    assert page.evaluate("window.__xss") is None, "untrusted text ran as HTML"


def error_for(scope: Locator, field: str) -> Locator:
    """The message the page shows next to the input of `field` (a path such as profile.education[0].year)."""
    return scope.locator(f'.field-error[data-error-for="{field}"]')


def open_apply(page: Page, server: GlossServer) -> Locator:
    page.goto(f"{server.url}/apply")
    form = page.locator("form#apply-form")
    expect(form).to_have_attribute("data-loaded", "true")
    return form


def row(form: Locator, list_name: str, index: int) -> Locator:
    return form.locator(f'fieldset[data-list="{list_name}"] .apply-row').nth(index)


def application(server: GlossServer, token: str) -> dict[str, Any]:
    return Api(server.url, token).get("/api/v1/me/application", expect=200).json()


def card(page: Page, title: str) -> Locator:
    return page.locator(".listing-card", has=page.locator(".listing-title", has_text=title))


def listing_titles(page: Page) -> list[str]:
    expect(page.locator("#jobs-list")).not_to_have_attribute("aria-busy", "true")
    return sorted(page.locator(".listing-card .listing-title").all_text_contents())


def unsubscribe_tokens(server: GlossServer, email: str) -> list[str]:
    """The tokens of the unsubscribe links in the alert e-mails to `email`: from `gloss outbox` when it prints
    the bodies, else from the outbox table of the server's SQLite database (read only)."""
    pattern = re.compile(r"/unsubscribe\?token=([A-Za-z0-9_.~-]+)")
    listing = server.cli("outbox")
    tokens = pattern.findall(listing)
    if tokens:
        return tokens
    database = server.data_dir / "gloss.sqlite"
    assert database.exists(), f"no unsubscribe link in `gloss outbox` and no {database}:\n{listing}"
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=10)) as connection:
        bodies = [row[0] for row in connection.execute("SELECT body FROM outbox WHERE to_address = ? ORDER BY created_at", (email,))]
    tokens = [token for body in bodies for token in pattern.findall(body)]
    assert tokens, f"no unsubscribe link in the mail to {email}: `gloss outbox` says\n{listing}\nand the bodies are {bodies}"
    return tokens


# --- the landing page -------------------------------------------------------------------------------------


def test_landing_page_shows_tracks_with_their_rates_and_the_ways_in(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    admin = Api(server.url, create_account(server, "admin@landing.test", "admin"))
    tracks = requests.get(f"{server.url}/api/v1/tracks", timeout=30).json()["tracks"]
    assert len(tracks) == 10, [track["id"] for track in tracks]
    # An admin raises the coding rate by a non-round amount and renames a track with hostile text.
    admin.request("PATCH", "/api/v1/admin/tracks/coding", json={"base_rate_cents": 4250}, expect=200)
    admin.request("PATCH", "/api/v1/admin/tracks/general", json={"name": f"General {XSS_PAYLOAD}"}, expect=200)

    page.goto(f"{server.url}/")
    table = page.locator("table#landing-tracks")
    expect(table.locator("tr.track-row")).to_have_count(10)
    expected = {"coding": "$42.50/h", "general": "$20/h", "multilingual": "$20/h", "stem.chemistry": "$40/h", "professional.law": "$50/h"}
    for track_id, rate in expected.items():
        expect(table.locator(f'tr[data-track="{track_id}"] .track-rate')).to_have_text(rate)
    expect(table.locator('tr[data-track="stem.chemistry"] .track-eligibility')).to_contain_text("chemistry")
    expect(table.locator('tr[data-track="professional.law"] .track-eligibility')).to_contain_text("credential")
    expect(table.locator('tr[data-track="general"] .track-name')).to_have_text(f"General {XSS_PAYLOAD}")
    expect(table.locator("img")).to_have_count(0)
    expect(page.locator("#landing-jobs")).to_have_attribute("href", "/jobs")
    page.locator("#landing-apply").click()
    page.wait_for_url(re.compile(r"/apply$"))
    expect(page.locator("form#apply-form")).to_have_attribute("data-loaded", "true")
    assert_no_script_ran(page)


# --- applying -----------------------------------------------------------------------------------------------


def test_time_zone_is_prefilled_from_the_browser(gloss_server: Callable[..., GlossServer], browser: Browser) -> None:
    server = gloss_server()
    context = browser.new_context(timezone_id="America/New_York")
    try:
        page = context.new_page()
        form = open_apply(page, server)
        expect(form.locator("input[name=time_zone]")).to_have_value("America/New_York")
    finally:
        context.close()


def test_apply_with_errors_then_save_reload_upload_and_submit(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    form = open_apply(page, server)
    status = page.locator("#apply-status")
    expect(page.locator("#apply-credentials")).to_be_hidden()

    # 1. A bad e-mail address: the error is shown next to the e-mail input; no account is made.
    form.locator("input[name=name]").fill(APPLICANT_NAME)
    form.locator("input[name=email]").fill("ada-at-apply.test")
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.locator("input[name=time_zone]").fill("Europe/Berlin")
    education = row(form, "education", 0)
    education.locator("[data-member=degree]").select_option("master")
    education.locator("[data-member=field]").fill("Chemistry")
    education.locator("[data-member=institution]").fill("TU Berlin")
    page.locator("#apply-save").click()
    expect(form.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    expect(error_for(form, "email")).to_be_visible()
    expect(status).to_have_class(re.compile(r"\berror\b"))
    assert session_cookie(page) is None, "a rejected application signed the browser in"

    # 2. The e-mail fixed, the education entry still lacks its year: the error lands on that row's year.
    form.locator("input[name=email]").fill(APPLICANT_EMAIL)
    page.locator("#apply-save").click()
    year = education.locator("[data-member=year]")
    expect(year).to_have_attribute("aria-invalid", "true")
    expect(error_for(form, "profile.education[0].year")).to_be_visible()
    expect(form.locator("input[name=email]")).not_to_have_attribute("aria-invalid", "true")
    assert session_cookie(page) is None

    # 3. Fixed and more filled in: the draft is saved, which creates the account and signs the browser in.
    year.fill("2015")
    form.locator("select[name=country]").select_option("DE")
    form.locator("input[name=hours_per_week]").fill("20")
    form.locator("input[name=days][value=mon]").check()
    form.locator("input[name=days][value=wed]").check()
    page.locator("button[data-add=experience]").click()
    experience = row(form, "experience", 0)
    experience.locator("[data-member=field]").fill("Organic chemistry")
    experience.locator("[data-member=years]").fill("6")
    page.locator("#apply-save").click()
    expect(status).to_contain_text("Draft saved")
    expect(status).to_have_class(re.compile(r"\bok\b"))
    expect(form.locator("[aria-invalid=true]")).to_have_count(0)
    expect(page.locator("#apply-credentials")).to_be_visible()
    expect(page.locator("#apply-new-account")).to_be_hidden()
    assert session_cookie(page), "saving the first draft did not sign the browser in"

    token = create_token(server, APPLICANT_EMAIL)
    draft = application(server, token)
    assert draft["name"] == APPLICANT_NAME
    assert draft["status"] == "applicant" and draft["submitted_at"] is None, draft
    assert draft["profile"]["country"] == "DE"
    assert draft["profile"]["availability"] == {"hours_per_week": 20, "days": ["mon", "wed"]}
    assert draft["profile"]["education"] == [{"degree": "master", "field": "Chemistry", "institution": "TU Berlin", "year": 2015}]

    # 4. A reload continues the draft (the browser is signed in); the name is text, not HTML.
    page.reload()
    form = page.locator("form#apply-form")
    expect(form).to_have_attribute("data-loaded", "true")
    expect(page.locator("#apply-signed-in")).to_contain_text(APPLICANT_NAME)
    expect(page.locator("#apply-signed-in")).to_contain_text(APPLICANT_EMAIL)
    expect(page.locator("#apply-root img")).to_have_count(0)
    expect(form.locator("input[name=email]")).to_be_hidden()
    expect(form.locator("input[name=name]")).to_have_value(APPLICANT_NAME)
    expect(form.locator("select[name=country]")).to_have_value("DE")
    expect(form.locator("input[name=time_zone]")).to_have_value("Europe/Berlin")
    expect(form.locator("input[name=hours_per_week]")).to_have_value("20")
    expect(form.locator("input[name=days][value=mon]")).to_be_checked()
    expect(form.locator("input[name=days][value=wed]")).to_be_checked()
    expect(form.locator("input[name=days][value=fri]")).not_to_be_checked()
    expect(row(form, "education", 0).locator("[data-member=year]")).to_have_value("2015")
    expect(row(form, "education", 0).locator("[data-member=degree]")).to_have_value("master")
    expect(row(form, "experience", 0).locator("[data-member=field]")).to_have_value("Organic chemistry")
    expect(row(form, "experience", 0).locator("[data-member=years]")).to_have_value("6")
    assert_no_script_ran(page)

    # 5. Submitting without a language: refused, the languages section is marked, nothing is submitted.
    page.locator("#apply-submit").click()
    expect(form.locator("fieldset#apply-languages")).to_have_attribute("aria-invalid", "true")
    expect(error_for(form, "profile.languages")).to_be_visible()
    expect(page.locator("#apply-status")).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator("#apply-submitted")).to_be_hidden()
    assert application(server, token)["submitted_at"] is None

    # 6. A credential with its document, uploaded as multipart form data; the issuer is text.
    credentials = page.locator("form#credential-form")
    credentials.locator("input[name=type]").fill("bar_admission")
    credentials.locator("input[name=issuer]").fill(ISSUER)
    credentials.locator("input[name=number]").fill("B-2016-0042")
    credentials.locator("input[name=year]").fill("2016")
    credentials.locator("input[name=expires_on]").fill("2031-01-31")
    credentials.locator("input[name=document]").set_input_files(
        files=[{"name": "admission.png", "mimeType": "image/png", "buffer": png_image(16, 12)}]
    )
    page.locator("#credential-upload").click()
    expect(page.locator("#credential-status")).to_have_class(re.compile(r"\bok\b"))
    item = page.locator("#credential-list li.credential")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-status", "pending")
    expect(item).to_contain_text(ISSUER)
    expect(item).to_contain_text("admission.png")
    expect(item.locator("img")).to_have_count(0)

    # 7. Languages added (one blank row left in between is not sent): submitted; the status and the next step show.
    languages = form.locator("fieldset#apply-languages")
    row(form, "languages", 0).locator("[data-member=code]").fill("DE")
    row(form, "languages", 0).locator("[data-member=proficiency]").select_option("native")
    page.locator("button[data-add=languages]").click()
    page.locator("button[data-add=languages]").click()
    row(form, "languages", 2).locator("[data-member=code]").fill("en")
    row(form, "languages", 2).locator("[data-member=proficiency]").select_option("fluent")
    expect(languages.locator(".apply-row")).to_have_count(3)
    page.locator("#apply-submit").click()
    submitted = page.locator("#apply-submitted")
    expect(submitted).to_be_visible()
    expect(submitted.locator("[data-status]")).to_have_attribute("data-status", "applicant")
    expect(page.locator("a#apply-next")).to_have_attribute("href", "/assessments")
    expect(form).to_be_hidden()

    final = application(server, token)
    assert final["submitted_at"], final
    assert final["status"] == "applicant"
    assert final["profile"]["languages"] == [{"code": "de", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}]
    assert final["profile"]["experience"] == [{"field": "Organic chemistry", "years": 6}]
    assert final["profile"]["time_zone"] == "Europe/Berlin"
    assert [(c["type"], c["issuer"], c["number"], c["year"], c["expires_on"], c["status"]) for c in final["credentials"]] == [
        ("bar_admission", ISSUER, "B-2016-0042", 2016, "2031-01-31", "pending")
    ]
    assert final["credentials"][0]["document"]["name"] == "admission.png"

    # 8. After a reload the submitted application shows its status, not the form.
    page.reload()
    expect(page.locator("#apply-submitted")).to_be_visible()
    expect(page.locator("form#apply-form")).to_be_hidden()
    expect(page.locator("#apply-credentials")).to_be_visible()
    assert_no_script_ran(page)


def test_a_taken_email_is_marked_on_the_email_input(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    create_account(server, "taken@apply.test", "worker")
    form = open_apply(page, server)
    form.locator("input[name=name]").fill("Second Comer")
    form.locator("input[name=email]").fill("taken@apply.test")
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("#apply-save").click()
    expect(form.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    expect(error_for(form, "email")).to_be_visible()
    assert session_cookie(page) is None


# --- the job board ------------------------------------------------------------------------------------------


def test_jobs_filters_and_quiz(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "owner@jobs.test", "requester", org="Jobs Org"))
    law_title = f"Contract review {XSS_PAYLOAD}"
    law = requester.create_project(
        "Contracts",
        requirements={"any_of": ["professional.law"], "languages": [{"code": "de", "min_level": "fluent"}], "countries": ["DE", "AT"]},
        rate_cents=6500,
        expected_seconds_per_task=120,
        listing={"listed": True, "title": law_title, "description": "Read NDAs.\nFlag risky clauses."},
    )
    requester.import_tasks(law["id"], [{"external_id": f"c{i}", "data": {"text": f"Clause {i}"}} for i in range(30)])
    code = requester.create_project(
        "Python code review", requirements={"any_of": ["coding"]}, rate_cents=4500, listing={"listed": True}
    )
    requester.import_tasks(code["id"], [{"external_id": "p1", "data": {"text": "def f(): pass"}}])
    requester.create_project("General sentiment", requirements={}, listing={"listed": True, "show_rate": False})
    requester.create_project("Secret project", requirements={"any_of": ["coding"]}, listing={"listed": False})

    page.goto(f"{server.url}/jobs")
    expect(page.locator("#jobs-list")).to_have_attribute("data-loaded", "true")
    expect(page.locator(".listing-card")).to_have_count(3)
    assert listing_titles(page) == sorted([law_title, "Python code review", "General sentiment"])
    law_card = card(page, "Contract review")
    expect(law_card.locator(".listing-title")).to_have_text(law_title)
    expect(law_card.locator(".listing-rate")).to_have_text("$65/h")
    expect(law_card).to_contain_text("German (de) at fluent or better")
    expect(law_card).to_contain_text("DE, AT")
    expect(law_card).to_contain_text("about 1 hour of work")
    assert law_card.locator(".listing-description").text_content() == "Read NDAs.\nFlag risky clauses."
    expect(law_card.locator(".listing-qualifications li").first).to_contain_text("law")
    expect(card(page, "Python code review").locator(".listing-rate")).to_have_text("$45/h")
    expect(card(page, "General sentiment").locator(".listing-rate")).to_have_text("Rate on request")
    expect(page.locator("#jobs-list img")).to_have_count(0)

    filters = page.locator("form#jobs-filters")

    def apply_filters(**values: str) -> list[str]:
        page.locator("#jobs-clear").click()
        expect(page.locator(".listing-card")).to_have_count(3)
        for name, value in values.items():
            field = filters.locator(f"[name={name}]")
            if name in ("track", "profession"):
                field.select_option(value)
            else:
                field.fill(value)
        page.locator("#jobs-filter").click()
        expect(page.locator("#jobs-status")).not_to_have_text("Loading…")
        return listing_titles(page)

    assert apply_filters(track="coding") == ["Python code review"]
    assert parse_qs(urlsplit(page.url).query) == {"track": ["coding"]}
    assert apply_filters(profession="law") == [law_title]
    assert apply_filters(language="de") == [law_title]
    assert apply_filters(min_rate="50") == [law_title]
    assert parse_qs(urlsplit(page.url).query) == {"min_rate_cents": ["5000"]}
    assert apply_filters(min_rate="70") == []
    expect(page.locator(".jobs-empty")).to_be_visible()

    # The filters live in the address: a reload (or a shared link) shows the same selection.
    page.goto(f"{server.url}/jobs?track=coding")
    expect(page.locator("#jobs-list")).to_have_attribute("data-loaded", "true")
    expect(filters.locator("select[name=track]")).to_have_value("coding")
    assert listing_titles(page) == ["Python code review"]

    # The quiz: a chemist with a master's who codes and speaks two languages.
    quiz = page.locator("form#quiz-form")
    quiz.locator("input[name=fields][value=chemistry]").check()
    quiz.locator("select[name=degree]").select_option("master")
    quiz.locator("input[name=years_experience]").fill("4")
    quiz.locator("input[name=languages]").fill("en, de")
    quiz.locator("input[name=programming]").check()
    quiz.locator("#quiz-submit").click()
    fits = page.locator("#quiz-fits li.quiz-track")
    expect(fits.first).to_be_visible()
    shown = sorted(item.get_attribute("data-track") or "" for item in fits.all())
    answers = {"fields": ["chemistry"], "degree": "master", "years_experience": 4, "languages": ["en", "de"], "programming": True, "credentials": []}
    reference = requests.post(f"{server.url}/api/v1/listings/quiz", json=answers, timeout=30).json()["tracks"]
    assert shown == sorted(track["track"] for track in reference if track["fits"])
    assert {"general", "coding", "stem.chemistry", "multilingual"} <= set(shown), shown
    assert "professional.law" not in shown
    chemistry = page.locator('#quiz-fits li[data-track="stem.chemistry"]')
    expect(chemistry.locator(".quiz-reasons li").first).to_contain_text("You meet its requirement")
    expect(chemistry.locator(".quiz-rate")).to_have_text("from $40/h")
    expect(chemistry.locator("a.quiz-apply")).to_have_attribute("href", "/apply")
    expect(page.locator('#quiz-fits li[data-track="coding"] a.quiz-apply')).to_have_attribute("href", "/apply?path=coding")
    expect(page.locator('#quiz-others li[data-track="professional.law"]')).to_have_count(1)

    # A bad answer is marked on its input.
    quiz.locator("input[name=years_experience]").fill("99")
    quiz.locator("#quiz-submit").click()
    expect(quiz.locator("input[name=years_experience]")).to_have_attribute("aria-invalid", "true")
    expect(error_for(quiz, "years_experience")).to_be_visible()

    # The quiz's link to Apply preselects the coding path.
    page.locator('#quiz-fits li[data-track="coding"] a.quiz-apply').click()
    page.wait_for_url(re.compile(r"/apply\?path=coding$"))
    expect(page.locator("form#apply-form")).to_have_attribute("data-loaded", "true")
    expect(page.locator("input[name=path][value=coding]")).to_be_checked()
    assert_no_script_ran(page)


# --- unsubscribing ------------------------------------------------------------------------------------------


def test_unsubscribe_page_posts_the_token(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()

    # No token: no button, a message instead.
    page.goto(f"{server.url}/unsubscribe")
    expect(page.locator("#unsubscribe-button")).to_have_count(0)
    expect(page.locator("#unsubscribe-root .error")).to_be_visible()

    # A wrong token: the server's refusal is shown and the button stays.
    page.goto(f"{server.url}/unsubscribe?token=not-a-real-token")
    page.locator("#unsubscribe-button").click()
    expect(page.locator("#unsubscribe-status")).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator("#unsubscribe-button")).to_be_visible()

    # A worker opted into alerts; a matching project opens and an alert e-mail with its link is written.
    worker_email = "alerts@jobs.test"
    worker_token = create_account(server, worker_email, "worker")
    worker = Api(server.url, worker_token)
    assert worker.request("PUT", "/api/v1/me/alerts", json={"enabled": True}, expect=200).json() == {"enabled": True}
    requester = Api(server.url, create_account(server, "owner@alerts.test", "requester", org="Alerts Org"))
    project = requester.create_project("Open to all", requirements={}, listing={"listed": True})
    requester.import_tasks(project["id"], [{"external_id": "a1", "data": {"text": "hello"}}])
    links = unsubscribe_tokens(server, worker_email)

    # Signed in (so the browser holds a session cookie) and following the e-mail's link: one click turns alerts off.
    page.goto(f"{server.url}/login")
    page.locator("form#login-form input[name=email]").fill(worker_email)
    page.locator("form#login-form input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form#login-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{server.url}/unsubscribe?token={links[-1]}")
    page.locator("#unsubscribe-button").click()
    expect(page.locator("#unsubscribe-status")).to_have_class(re.compile(r"\bok\b"))
    expect(page.locator("#unsubscribe-button")).to_be_hidden()
    assert worker.get("/api/v1/me/alerts", expect=200).json() == {"enabled": False}
