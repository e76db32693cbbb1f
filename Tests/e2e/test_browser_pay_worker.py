"""The worker's side of pay in a real browser: a worker labels for a measured while (mouse moves and keys spread
over about 25 s, two tasks submitted, a third left open), then stays idle well past a short idle window (the
admin sets it to 10 s). The labeling page reports the time in activity pings (one tab id, seq +1 per ping,
a last ping awaited before each submit); the timesheet then shows the active time (the measured input span plus
the idle window, within a few seconds, and none of the idle time after it), the project by its hostile name as
text, and a note saved on a day that survives a reload. The earnings page shows the balance, this period and the
pending time as the API computes them, the project's rate row (base, multiplier, effective rate, why, what
raises it) and the ledger with "Load more". Other roles are refused both pages.

One `gloss serve --demo` (SQLite) and headless Chromium through Playwright; the project, tasks, settings and a
bonus are set up over the API.
"""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any, Callable

from playwright.sync_api import Page, Request, Route, expect

from gloss_e2e import Api, GlossServer, create_token
from test_browser_labeling import current_task_id, wait_for_next_task

WORKER = ("worker1@gloss.demo", "gloss-worker1")
XSS = "<img src=x onerror=window.__xss=1>"
PROJECT_NAME = f"Pay check {XSS}"
BONUS_MEMO = f"Thanks for the care {XSS}"
IDLE_WINDOW_S = 10
ACTIVE_SPAN_S = 25.0
IDLE_AFTER_S = 24.0  # idle window (10) + a ping interval (10) + margin: every ping has been answered by then
TOLERANCE_S = 3.0


# --- helpers ----------------------------------------------------------------------------------------------


def sign_in(page: Page, server: GlossServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    form = page.locator("form#login-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def no_injected_markup(page: Page) -> None:
    """The hostile text never became an element, and nothing ran."""
    assert page.evaluate("window.__xss") is None, "injected script ran"
    onerror = page.evaluate("[...document.querySelectorAll('[onerror]')].map((e) => e.outerHTML)")
    assert onerror == [], onerror


def cents(locator: Any) -> int:
    value = locator.get_attribute("data-cents")
    assert value not in (None, ""), f"no data-cents on {locator}"
    return int(value)


# --- the test ---------------------------------------------------------------------------------------------


def test_worker_time_reaches_the_timesheet_and_earnings(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    admin = Api(server.url, create_token(server, "admin@gloss.demo"))
    requester = Api(server.url, create_token(server, "requester@gloss.demo"))
    worker = Api(server.url, create_token(server, WORKER[0]))
    worker_id = worker.get("/api/v1/me", expect=200).json()["id"]

    # A short idle window, so the test can stay idle past it.
    settings = admin.get("/api/v1/admin/pay/settings", expect=200).json()
    settings["idle_seconds"] = IDLE_WINDOW_S
    saved = admin.request("PUT", "/api/v1/admin/pay/settings", json=settings, expect=200).json()
    assert saved["idle_seconds"] == IDLE_WINDOW_S, saved

    # A project with a hostile name and enough tasks.
    project = requester.create_project(PROJECT_NAME)
    project_id = project["id"]
    requester.import_tasks(project_id, [{"data": {"text": f"Review number {i}: fine, I guess."}} for i in range(6)])

    # Non-workers are refused both pages, as the dashboard refuses them.
    for path in ("/timesheet", "/earnings"):
        requester.get(path, expect=403)
        admin.get(path, expect=403)

    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    # Every request of the page in order: the activity pings (with their bodies) and the annotation posts.
    requests_seen: list[dict[str, Any]] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and re.search(r"/api/v1/tasks/[^/]+/(activity|annotations|skip)$", request.url):
            entry = {"url": request.url, "kind": request.url.rsplit("/", 1)[1], "task": request.url.split("/")[-2],
                     "body": json.loads(request.post_data or "{}"), "at": time.monotonic(), "request": request}
            requests_seen.append(entry)

    page.on("request", on_request)

    sign_in(page, server, *WORKER)
    nav = page.locator("nav.top-nav")
    expect(nav.locator("a[href='/timesheet']")).to_have_text("Timesheet")
    expect(nav.locator("a[href='/earnings']")).to_have_text("Earnings")

    # Records the fetch options of each activity ping (Playwright does not show `keepalive`).
    page.add_init_script("""(() => {
        const original = window.fetch;
        window.__activityFetches = [];
        window.fetch = (url, options = {}) => {
            if (String(url).endsWith('/activity')) window.__activityFetches.push({ body: options.body, keepalive: options.keepalive === true });
            return original(url, options);
        };
    })()""")
    page.goto(f"{server.url}/projects/{project_id}/label")
    config = json.loads(page.locator("#label-config").text_content() or "{}")
    assert config.get("activity_seconds") == 10, config
    assert config.get("idle_seconds") == IDLE_WINDOW_S, f"the page should carry the admin's idle window: {config}"
    first_task = current_task_id(page)
    expect(page.locator("#task-data")).not_to_be_empty()

    # --- labeling for a measured while: input spread over ~25 s, a submit at ~8 s and ~16 s -----------------
    rng = random.Random(7)
    submitted: list[str] = []
    submit_at = [8.0, 16.0]
    started = time.monotonic()
    last_input = started
    page.mouse.move(400, 300)
    while True:
        elapsed = time.monotonic() - started
        if elapsed >= ACTIVE_SPAN_S:
            break
        if submit_at and elapsed >= submit_at[0]:
            submit_at.pop(0)
            task_id = current_task_id(page)
            page.keyboard.press("1")
            expect(page.locator('button.choice-option[data-value="positive"]')).to_have_attribute("aria-pressed", "true")
            page.keyboard.press("Enter")
            wait_for_next_task(page, task_id)
            submitted.append(task_id)
        elif rng.random() < 0.25:
            page.keyboard.press("Shift")
        else:
            page.mouse.move(rng.randint(100, 1100), rng.randint(100, 600), steps=3)
        last_input = time.monotonic()
        page.wait_for_timeout(600)
    open_task = current_task_id(page)
    assert len(submitted) == 2 and submitted[0] == first_task and open_task not in submitted, (submitted, open_task)

    # --- idle, past the window: the page stops counting ----------------------------------------------------
    page.wait_for_timeout(IDLE_AFTER_S * 1000)  # (not time.sleep: the page's events are dispatched while waiting)
    expected_active = (last_input - started) + IDLE_WINDOW_S

    # The pings: one tab, seq +1 each, every one answered 200, a final one before each submit, all three tasks.
    pings = [entry for entry in requests_seen if entry["kind"] == "activity"]
    assert len(pings) >= 4, pings
    tabs = {ping["body"]["tab"] for ping in pings}
    assert len(tabs) == 1 and re.fullmatch(r"[A-Za-z0-9_-]{8,64}", next(iter(tabs))), tabs
    seqs = [ping["body"]["seq"] for ping in pings]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), f"seq must grow by one per ping: {seqs}"
    for ping in pings:
        body = ping["body"]
        assert set(body) == {"tab", "seq", "active_s", "idle_s"}, body
        assert 0 < body["active_s"] <= 3600 and body["idle_s"] >= 0, body
        answer = ping["request"].response()
        assert answer is not None and answer.status == 200, (body, answer and answer.status, answer and answer.text())
    assert {ping["task"] for ping in pings} == {*submitted, open_task}, pings
    for task_id in submitted:
        post = next(i for i, entry in enumerate(requests_seen) if entry["kind"] == "annotations" and entry["task"] == task_id)
        before = [entry for entry in requests_seen[:post] if entry["kind"] == "activity" and entry["task"] == task_id]
        assert before, f"no activity ping for {task_id} before its submit"
        assert requests_seen[post]["at"] - before[-1]["at"] < 2.5, "the last ping should go right before the submit"
        after = [entry for entry in requests_seen[post:] if entry["kind"] == "activity" and entry["task"] == task_id]
        assert after == [], f"time of {task_id} was sent after its submit: {after}"
    claimed = sum(ping["body"]["active_s"] for ping in pings)
    timeline = [(round(ping["at"] - started, 2), ping["task"][:8], ping["body"]) for ping in pings]
    assert abs(claimed - expected_active) <= TOLERANCE_S, (claimed, expected_active, timeline)
    # The idle stretch: the page reports the moment the window runs out, then sends nothing more.
    assert abs(pings[-1]["at"] - (last_input + IDLE_WINDOW_S)) < 2.5, ("the last ping should go when the window ran out", timeline)
    assert IDLE_WINDOW_S - 0.5 <= pings[-1]["body"]["idle_s"] <= IDLE_WINDOW_S + 2, pings[-1]

    # --- back for a few seconds, then the tab is hidden: a keepalive ping goes at once, hidden time is not counted
    page.mouse.move(500, 350)
    resumed = time.monotonic()
    page.wait_for_timeout(3000)
    page.keyboard.press("Shift")
    before_hiding = len(requests_seen)
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    hidden_at = time.monotonic()
    for x in range(5):  # input while hidden counts for nothing
        page.mouse.move(200 + 50 * x, 200)
        page.wait_for_timeout(500)
    page.wait_for_timeout(1000)
    hiding = [entry for entry in requests_seen[before_hiding:] if entry["kind"] == "activity"]
    assert len(hiding) == 1 and hiding[0]["at"] - hidden_at < 1.0, hiding
    assert hiding[0]["task"] == open_task, hiding
    every = [entry for entry in requests_seen if entry["kind"] == "activity"]
    assert [entry["body"]["seq"] for entry in every] == list(range(seqs[0], seqs[0] + len(every))), every
    assert {entry["body"]["tab"] for entry in every} == tabs, every
    back = every[len(pings):]
    assert abs(sum(entry["body"]["active_s"] for entry in back) - (hidden_at - resumed)) < 1.0, (back, hidden_at - resumed)
    fetches = page.evaluate("window.__activityFetches")
    assert fetches[-1]["keepalive"] is True and json.loads(fetches[-1]["body"]) == hiding[0]["body"], fetches[-1]
    assert all(not fetch["keepalive"] for fetch in fetches[:-1]), "only the hidden tab's ping needs keepalive"
    answer = hiding[0]["request"].response()
    assert answer is not None and answer.status == 200, answer and answer.text()
    expected_active += hidden_at - resumed
    wall = time.monotonic() - started

    # --- the timesheet -----------------------------------------------------------------------------------------
    sheet = worker.get("/api/v1/me/timesheet", expect=200).json()
    assert sheet["idle_seconds"] == IDLE_WINDOW_S, sheet
    total = float(sheet["total_active_s"])
    assert abs(total - expected_active) <= TOLERANCE_S, f"credited {total} s, measured {expected_active:.1f} s"
    assert total < wall - 8, f"idle time was counted: {total} s of {wall:.1f} s wall time"
    assert sheet["days"], sheet
    day = sheet["days"][0]
    ours = [p for d in sheet["days"] for p in d["projects"] if p["project_id"] == project_id]
    assert ours and ours[0]["project_name"] == PROJECT_NAME, sheet
    assert abs(sum(p["active_s"] for p in ours) - total) < 0.2, sheet  # the demo worker has no other time

    page.goto(f"{server.url}/timesheet")
    root = page.locator("#timesheet-root")
    expect(root).to_have_attribute("data-loaded", "true")
    shown_total = float(page.locator("#timesheet-total").get_attribute("data-seconds") or "nan")
    assert abs(shown_total - total) < 0.05, (shown_total, total)
    whole = int(total + 0.5)  # as the page rounds (half up), not Python's half-even round()
    expect(page.locator("#timesheet-total")).to_have_text(f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}")
    expect(page.locator("#timesheet tr[data-day]")).to_have_count(len(sheet["days"]))
    row = page.locator(f'#timesheet tr[data-day="{day["day"]}"]')
    expect(row).to_have_count(1)
    assert abs(float(row.locator(".active-time").get_attribute("data-seconds") or "nan") - day["active_s"]) < 0.05
    expect(row.locator(".active-time")).to_have_text(re.compile(r"^\d+:\d\d:\d\d$"))
    expect(row.locator(".rejected-time")).to_have_count(1)
    expect(page.locator(f'#timesheet tr.timesheet-project[data-project-id="{project_id}"] .project-name').first).to_have_text(PROJECT_NAME)
    no_injected_markup(page)

    # A note on the day, saved and kept over a reload.
    note_text = "Worked on the pay check project; <b>not bold</b>."
    form = page.locator(f'form.day-note[data-day="{day["day"]}"]')
    form.locator("textarea[name=note]").fill(note_text)
    form.locator("button[type=submit]").click()
    expect(form.locator(".note-status")).to_have_text("Saved.")
    page.reload()
    expect(page.locator("#timesheet-root")).to_have_attribute("data-loaded", "true")
    expect(page.locator(f'form.day-note[data-day="{day["day"]}"] textarea[name=note]')).to_have_value(note_text)
    again = worker.get("/api/v1/me/timesheet", expect=200).json()
    assert next(d for d in again["days"] if d["day"] == day["day"])["note"] == note_text

    # --- earnings ------------------------------------------------------------------------------------------------
    # A bonus with a hostile memo, twice, so the history needs a second page at two entries a page.
    for amount in (125, 250):
        admin.post(f"/api/v1/admin/workers/{worker_id}/ledger",
                   json={"kind": "bonus", "amount_cents": amount, "reason": BONUS_MEMO}, expect=201)
    earnings = worker.get("/api/v1/me/earnings", expect=200).json()
    ledger: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": 50, **({"before": cursor} if cursor else {})}
        chunk = worker.get("/api/v1/me/ledger", params=params, expect=200).json()
        ledger += chunk["entries"]
        cursor = chunk["next"]
        if not cursor:
            break
    assert len(ledger) >= 4, ledger  # two work entries (the submitted tasks) and two bonuses
    assert earnings["balance_cents"] == sum(entry["amount_cents"] for entry in ledger), (earnings, ledger)
    assert sum(1 for entry in ledger if entry["kind"] == "work" and entry["task_id"] in submitted) == 2, ledger
    rate = next(rate for rate in earnings["rates"] if rate["project_id"] == project_id)

    # The page asks for two entries at a time here, so "Load more" has work to do.
    def small_pages(route: Route) -> None:
        route.continue_(url=re.sub(r"limit=\d+", "limit=2", route.request.url))

    page.route(re.compile(r".*/api/v1/me/ledger\?.*"), small_pages)
    page.goto(f"{server.url}/earnings")
    expect(page.locator("#earnings-root")).to_have_attribute("data-loaded", "true")
    assert cents(page.locator("#balance")) == earnings["balance_cents"]
    assert cents(page.locator("#period-earned")) == earnings["period"]["earned_cents"]
    assert cents(page.locator("#pending")) == earnings["pending_cents"]
    money = page.evaluate("(c) => new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'}).format(c / 100)",
                          earnings["balance_cents"])
    expect(page.locator("#balance")).to_have_text(money)

    rate_row = page.locator(f'#rates tr[data-project-id="{project_id}"]')
    expect(rate_row).to_have_count(1)
    expect(rate_row.locator(".project-name")).to_have_text(PROJECT_NAME)
    expect(rate_row.locator(".multiplier")).to_have_text(re.compile(r"^×\d+\.\d\d+$"))
    assert rate["mode"] == "hourly", rate  # a new project pays by the hour
    assert cents(rate_row.locator(".base-rate")) == rate["base_rate_cents"]
    assert cents(rate_row.locator(".effective-rate")) == rate["effective_rate_cents"]
    expect(rate_row.locator(".effective-rate")).to_have_text(re.compile(r"^\$[\d,]+\.\d\d/h$"))
    if rate.get("base_reason"):
        expect(rate_row.locator(".why")).to_contain_text(rate["base_reason"])
    if rate.get("multiplier_reason"):
        expect(rate_row.locator(".why")).to_contain_text(rate["multiplier_reason"])
    expect(rate_row.locator(".raise")).not_to_be_empty()

    entries = page.locator("#ledger tr[data-entry-id]")
    expect(entries).to_have_count(2)
    more = page.locator("#ledger-more")
    while more.is_visible():
        count = entries.count()
        more.click()
        expect(entries).not_to_have_count(count)
    expect(entries).to_have_count(len(ledger))
    assert [entries.nth(i).get_attribute("data-entry-id") for i in range(len(ledger))] == [str(e["id"]) for e in ledger]
    bonus = page.locator("#ledger tr[data-kind=bonus]").first
    expect(bonus.locator(".memo")).to_have_text(BONUS_MEMO)
    expect(bonus.locator(".amount")).to_have_attribute("data-cents", "250")
    expect(page.locator("#earnings a[href='/timesheet']")).to_have_count(1)
    no_injected_markup(page)

    assert page_errors == [], page_errors
