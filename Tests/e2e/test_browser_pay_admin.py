"""The admin's pay page and the requester's cost page in a real browser.

- Set-up over the API: the requester makes a project (its name is hostile text) paying a high hourly rate, and a
  demo worker takes and labels three tasks, sending real activity pings a couple of seconds apart (the server
  credits the real seconds between them).
- The admin, on /admin/pay: a band with an impossible multiplier is refused by the server and its input is marked;
  a valid band and a new minimum of reviewed tasks are saved. A period is closed with its end = now through the
  form (prefilled from the API's next_end; the demo's own closed period stays as it was); the worker's payout shows, in the close result and in the period's
  expandable payouts; the payout file behind `a.payouts-csv` (fetched with the browser's session cookie) has the
  contract's header and the worker's row with the API's amount. Closing the same end again pays nothing twice.
  The worker's ledger is looked up by e-mail and a bonus with a hostile reason is added: it shows, as text, and the
  balance follows the API.
- The requester, on /projects/{id}/cost (reached from the project page's Cost link): spend equals the API's, the
  server-rendered SVG chart is inline in #cost-chart; a rate below the minimum is refused with its input marked, a
  valid future rate change appears in the rate history as scheduled.
- Workers may not see a project's cost and only admins see /admin/pay.

One `gloss serve --demo` (SQLite), headless Chromium through Playwright.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import requests
from playwright.sync_api import Page, expect

from gloss_e2e import Api, GlossServer, create_token
from test_browser_labeling import sign_in, sign_out

XSS_PAYLOAD = "<img src=x onerror=window.__xss=1>"
ADMIN = ("admin@gloss.demo", "gloss-admin")
REQUESTER = ("requester@gloss.demo", "gloss-requester")
WORKER = "worker1@gloss.demo"
PROJECT_NAME = f"Pay check {XSS_PAYLOAD}"
HOURLY_RATE_CENTS = 15_000  # $150 an hour: a dozen seconds of work is worth about 50 cents
TASKS = 3
PING_GAP_S = 2.0
CSV_HEADER = ["period_start", "period_end", "worker_id", "name", "email", "amount_cents", "amount", "currency", "entries"]


# --- helpers ------------------------------------------------------------------------------------------------


def utc_input(moment: datetime) -> str:
    """The value of a datetime-local input showing `moment` in UTC, to the second."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def shown_value(moment: datetime) -> str:
    """What a datetime-local input (step 1) reports for `moment` in UTC: Chromium leaves out zero seconds."""
    value = utc_input(moment)
    return value[:-3] if value.endswith(":00") else value


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def label_with_pings(worker: Api, project_id: str) -> float:
    """The worker takes TASKS tasks; on each, pings right away and then twice PING_GAP_S apart with the active
    seconds measured, then submits. Returns the seconds the server says it credited."""
    tab = "e2e-" + secrets.token_hex(8)
    seq = 0
    credited = 0.0
    for _ in range(TASKS):
        response = worker.get(f"/api/v1/projects/{project_id}/next", expect=200)
        task = response.json()
        last = time.monotonic()
        for index in range(3):
            if index:
                time.sleep(PING_GAP_S)
            now = time.monotonic()
            seq += 1
            ping = {"tab": tab, "seq": seq, "active_s": round(now - last, 1) if index else 0, "idle_s": 0}
            last = now
            answer = worker.post(f"/api/v1/tasks/{task['id']}/activity", json=ping, expect=200).json()
            assert answer["credited_s"] >= 0 and answer["task_active_s"] >= 0, answer
            credited += float(answer["credited_s"])
        worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": {"sentiment": "positive"}, "time_spent_s": 4}, expect=201)
    return credited


def session_cookie(page: Page) -> dict[str, str]:
    cookies = {c["name"]: c["value"] for c in page.context.cookies() if c["name"] == "gloss_session"}
    assert cookies, "the browser holds no session cookie"
    return cookies


def assert_no_injection(page: Page, scope: str) -> None:
    assert page.evaluate("window.__xss") is None, "untrusted text ran as HTML"
    expect(page.locator(f"{scope} img")).to_have_count(0)


# --- the test ------------------------------------------------------------------------------------------------


def test_admin_pays_a_period_and_requester_sees_cost(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server(demo=True)
    admin = Api(server.url, create_token(server, ADMIN[0]))
    requester = Api(server.url, create_token(server, REQUESTER[0]))
    worker = Api(server.url, create_token(server, WORKER))
    worker_id = worker.get("/api/v1/me", expect=200).json()["id"]

    # --- set-up over the API: a project paying $150 an hour, three tasks labeled with real activity pings.
    project_id = requester.create_project(PROJECT_NAME, overlap=1)["id"]
    assert requester.import_tasks(project_id, [{"external_id": f"t{i}", "data": {"text": f"Review number {i}."}} for i in range(6)]) == 6
    change = requester.post(f"/api/v1/projects/{project_id}/rates", json={"mode": "hourly", "rate_cents": HOURLY_RATE_CENTS}, expect=201).json()
    assert change["rate_cents"] == HOURLY_RATE_CENTS, change
    credited = label_with_pings(worker, project_id)
    # Two gaps of PING_GAP_S on each task, each credited in full (less what the requests themselves take).
    assert TASKS * 2 * PING_GAP_S * 0.8 <= credited <= TASKS * 2 * PING_GAP_S + 3, credited
    earned = worker.get("/api/v1/me/ledger", expect=200).json()["entries"]
    work = [entry for entry in earned if entry["kind"] == "work"]
    assert work and sum(entry["amount_cents"] for entry in work) > 0, earned

    # Access: workers may not see the cost; only admins see the pay page.
    assert worker.get(f"/projects/{project_id}/cost").status_code in (403, 404)
    assert requester.get("/admin/pay").status_code == 403
    assert worker.get("/admin/pay").status_code == 403

    # --- the admin: settings ---------------------------------------------------------------------------------
    sign_in(page, server, *ADMIN)
    page.goto(f"{server.url}/admin")
    page.locator("a.admin-pay-link").click()
    page.wait_for_url(f"{server.url}/admin/pay")
    expect(page.locator("nav.top-nav a[href='/admin/pay']")).to_have_text("Pay")
    form = page.locator("form#pay-settings")
    expect(form).to_have_attribute("data-loaded", "true")
    before = admin.get("/api/v1/admin/pay/settings", expect=200).json()
    rows = form.locator("#bands tr.band-row")
    expect(rows).to_have_count(len(before["bands"]))
    for index, band in enumerate(before["bands"]):
        assert float(rows.nth(index).locator("input.band-multiplier").input_value()) == band["multiplier"], band
    expect(form.locator("input[name=min_reviewed]")).to_have_value(str(before["min_reviewed"]))

    # A band with an impossible multiplier: the server refuses it and names the band's input.
    form.locator("#add-band").click()
    expect(rows).to_have_count(len(before["bands"]) + 1)
    added = rows.nth(len(before["bands"]))
    added.locator("input.band-quality").fill("0.99")
    added.locator("input.band-multiplier").fill("0")
    form.locator("input[name=min_reviewed]").fill("10")
    form.locator("#save-settings").click()
    multiplier = added.locator("input.band-multiplier")
    expect(multiplier).to_have_attribute("aria-invalid", "true")
    expect(added.locator(".field-error")).to_have_count(1)
    expect(form.locator("#settings-status")).to_have_class(re.compile(r"\berror\b"))
    assert admin.get("/api/v1/admin/pay/settings", expect=200).json() == before, "a refused setting was saved"

    # A valid band: saved, the field error gone.
    multiplier.fill("1.4")
    form.locator("#save-settings").click()
    expect(form.locator("#settings-status")).to_have_text("Saved.")
    expect(form.locator("[aria-invalid=true]")).to_have_count(0)
    after = admin.get("/api/v1/admin/pay/settings", expect=200).json()
    assert (after["bands"][-1]["min_quality"], after["bands"][-1]["multiplier"]) == (0.99, 1.4), after
    assert after["bands"][:-1] == before["bands"] and after["min_reviewed"] == 10, after
    assert (after["idle_seconds"], after["period_days"]) == (before["idle_seconds"], before["period_days"]), after
    expect(rows).to_have_count(len(after["bands"]))

    # --- the admin: closing a period ---------------------------------------------------------------------------
    periods_panel = page.locator("#periods-panel")
    expect(periods_panel).to_have_attribute("data-loaded", "true")
    listing = admin.get("/api/v1/admin/pay-periods", expect=200).json()
    earlier = [item["id"] for item in listing["periods"]]  # the demo's own history may hold a closed period
    expect(page.locator("#periods tr.period-row")).to_have_count(len(earlier))
    ends_at = page.locator("form#close-period input[name=ends_at]")
    expect(ends_at).to_have_value(shown_value(parse_iso(listing["next_end"])) if listing.get("next_end") else "")
    expect(page.locator("#unpaid")).to_have_attribute("data-cents", str(listing["unpaid_cents"]))

    time.sleep(1.1)  # the end is a whole second after the last work
    end = datetime.now(timezone.utc).replace(microsecond=0)
    ends_at.fill(utc_input(end))
    page.locator("form#close-period button[type=submit]").click()
    summary = page.locator("#close-summary")
    expect(summary).to_have_attribute("data-already-closed", "false")
    listing = admin.get("/api/v1/admin/pay-periods", expect=200).json()
    added = [item for item in listing["periods"] if item["id"] not in earlier]
    assert len(added) == 1 and len(listing["periods"]) == len(earlier) + 1, listing
    period = added[0]
    expect(summary).to_have_attribute("data-period-id", period["id"])
    assert parse_iso(period["ends_at"]) == end, period
    detail = admin.get(f"/api/v1/admin/pay-periods/{period['id']}", expect=200).json()
    payout = next(item for item in detail["payouts"] if item["worker_id"] == worker_id)
    assert payout["amount_cents"] == sum(entry["amount_cents"] for entry in work), (payout, work)
    assert payout["email"] == WORKER, payout
    expect(page.locator(f"#close-payouts tr[data-worker-id='{worker_id}'] .payout-amount")).to_have_attribute(
        "data-cents", str(payout["amount_cents"])
    )

    # The periods table: the period, its CSV link and its payouts on demand.
    row = page.locator(f"#periods tr.period-row[data-period-id='{period['id']}']")
    expect(row.locator(".period-total")).to_have_attribute("data-cents", str(period["total_cents"]))
    link = row.locator("a.payouts-csv")
    expect(link).to_have_attribute("href", f"/api/v1/admin/pay-periods/{period['id']}/payouts.csv")
    row.locator("button.show-payouts").click()
    expanded = page.locator(f"#periods tr.payouts-row[data-period-id='{period['id']}']")
    expect(expanded).to_have_attribute("data-loaded", "true")
    expect(expanded.locator(f"tr[data-worker-id='{worker_id}'] .payout-amount")).to_have_attribute("data-cents", str(payout["amount_cents"]))
    expect(expanded.locator(f"tr[data-worker-id='{worker_id}'] .payout-amount")).to_have_text(
        f"${payout['amount_cents'] // 100:,}.{payout['amount_cents'] % 100:02d}"
    )

    # The payout file, fetched with the browser's session.
    href = link.get_attribute("href")
    assert href
    download = requests.get(server.url + href, cookies=session_cookie(page), timeout=30)
    assert download.status_code == 200, download.text[:500]
    assert download.headers["Content-Type"].startswith("text/csv"), download.headers
    table = list(csv.reader(io.StringIO(download.text)))
    assert table[0] == CSV_HEADER, table[0]
    mine = [line for line in table[1:] if line and line[2] == worker_id]
    assert len(mine) == 1, table
    line = dict(zip(CSV_HEADER, mine[0]))
    assert int(line["amount_cents"]) == payout["amount_cents"], line
    assert line["amount"] == f"{payout['amount_cents'] // 100}.{payout['amount_cents'] % 100:02d}", line
    assert (line["email"], line["currency"], int(line["entries"])) == (WORKER, "USD", payout["entries"]), line

    # The same end again: already closed, nothing paid twice.
    ends_at.fill(utc_input(end))
    page.locator("form#close-period button[type=submit]").click()
    expect(summary).to_have_attribute("data-already-closed", "true")
    expect(summary).to_contain_text("nothing paid twice")
    expect(page.locator(f"#close-payouts tr[data-worker-id='{worker_id}'] .payout-amount")).to_have_attribute(
        "data-cents", str(payout["amount_cents"])
    )
    again = admin.get("/api/v1/admin/pay-periods", expect=200).json()
    assert sorted(item["id"] for item in again["periods"]) == sorted([*earlier, period["id"]]), again
    ledger = admin.get(f"/api/v1/admin/workers/{worker_id}/ledger", expect=200).json()
    payouts = [entry for entry in ledger["entries"] if entry["kind"] == "payout"]
    assert [entry["amount_cents"] for entry in payouts] == [-payout["amount_cents"]], ledger["entries"]
    assert ledger["balance_cents"] == sum(entry["amount_cents"] for entry in ledger["entries"]), ledger
    expect(page.locator("#periods tr.period-row")).to_have_count(len(earlier) + 1)

    # --- the admin: the worker's ledger, a bonus -------------------------------------------------------------------
    lookup = page.locator("form#ledger-lookup")
    lookup.locator("input[name=email]").fill("nobody@gloss.demo")
    lookup.locator("button[type=submit]").click()
    expect(lookup.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    lookup.locator("input[name=email]").fill(WORKER.upper())
    lookup.locator("button[type=submit]").click()
    detail_box = page.locator("#ledger-detail")
    expect(detail_box).to_have_attribute("data-user-id", worker_id)
    expect(detail_box).to_be_visible()
    balance = page.locator("#ledger-balance")
    expect(balance).to_have_attribute("data-cents", str(ledger["balance_cents"]))
    expect(page.locator("#ledger-entries tr.entry-row")).to_have_count(len(ledger["entries"]))
    expect(page.locator("#ledger-entries tr.entry-row[data-kind=payout] .entry-amount")).to_have_attribute(
        "data-cents", str(-payout["amount_cents"])
    )

    entry_form = page.locator("form#ledger-entry")
    entry_form.locator("select[name=kind]").select_option("bonus")
    entry_form.locator("input[name=amount]").fill("-2")
    entry_form.locator("textarea[name=reason]").fill("x")
    entry_form.locator("button[type=submit]").click()
    expect(entry_form.locator("input[name=amount]")).to_have_attribute("aria-invalid", "true")
    reason = f"Careful work on hard reviews {XSS_PAYLOAD}"
    entry_form.locator("input[name=amount]").fill("2.50")
    entry_form.locator("textarea[name=reason]").fill(reason)
    entry_form.locator("button[type=submit]").click()
    expect(entry_form.locator("#entry-status")).to_have_text("Added: bonus of $2.50.")
    bonus_row = page.locator("#ledger-entries tr.entry-row[data-kind=bonus]")
    expect(bonus_row).to_have_count(1)
    expect(bonus_row.locator(".entry-memo")).to_have_text(reason)
    expect(bonus_row.locator(".entry-amount")).to_have_attribute("data-cents", "250")
    expect(bonus_row.locator(".entry-by")).to_have_text(ADMIN[0])
    ledger = admin.get(f"/api/v1/admin/workers/{worker_id}/ledger", expect=200).json()
    bonuses = [entry for entry in ledger["entries"] if entry["kind"] == "bonus"]
    assert [(entry["amount_cents"], entry["memo"]) for entry in bonuses] == [(250, reason)], bonuses
    expect(balance).to_have_attribute("data-cents", str(ledger["balance_cents"]))
    assert ledger["balance_cents"] == sum(entry["amount_cents"] for entry in ledger["entries"]), ledger
    mine_now = worker.get("/api/v1/me/ledger", expect=200).json()["entries"]
    assert any(entry["kind"] == "bonus" and entry["memo"] == reason for entry in mine_now), mine_now
    assert_no_injection(page, "main")

    # --- the requester: the cost page ------------------------------------------------------------------------------
    sign_out(page, server)
    sign_in(page, server, *REQUESTER)
    page.goto(f"{server.url}/projects/{project_id}")
    page.locator("a.cost-link").click()
    page.wait_for_url(f"{server.url}/projects/{project_id}/cost")
    root = page.locator("#cost-root")
    expect(root).to_have_attribute("data-loaded", "true")
    cost = requester.get(f"/api/v1/projects/{project_id}/cost", expect=200).json()
    assert cost["spend_cents"] == payout["amount_cents"], (cost, payout)
    expect(page.locator("#spend")).to_have_attribute("data-cents", str(cost["spend_cents"]))
    expect(page.locator("#spend")).to_have_text(f"${cost['spend_cents'] // 100:,}.{cost['spend_cents'] % 100:02d}")
    expect(page.locator("#accepted")).to_have_attribute("data-count", str(cost["accepted"]))
    expect(page.locator("#remaining")).to_have_attribute("data-count", str(cost["remaining"]))
    expect(page.locator("#cost-chart > svg")).to_have_count(1)
    expect(page.locator("#cost-chart > svg")).to_have_attribute("role", "img")
    worked = [day for day in cost["days"] if day["spend_cents"]]
    assert worked and sum(day["spend_cents"] for day in cost["days"]) == cost["spend_cents"], cost["days"]
    for day in worked:
        expect(page.locator(f"#cost-days tr[data-day='{day['day']}'] .day-spend")).to_have_attribute("data-cents", str(day["spend_cents"]))
    expect(root.locator("h1 .project-name")).to_have_text(PROJECT_NAME)
    assert_no_injection(page, "main")

    # A rate below the minimum: refused by the server, the rate input marked.
    changes_before = requester.get(f"/api/v1/projects/{project_id}/rates", expect=200).json()["changes"]
    rate_form = page.locator("form#rate-change")
    rate_form.locator("select[name=mode]").select_option("hourly")
    rate_form.locator("input[name=rate]").fill("1")
    rate_form.locator("button[type=submit]").click()
    expect(rate_form.locator("input[name=rate]")).to_have_attribute("aria-invalid", "true")
    expect(rate_form.locator(".field-error")).to_have_count(1)
    assert requester.get(f"/api/v1/projects/{project_id}/rates", expect=200).json()["changes"] == changes_before

    # A valid change from tomorrow: in the history, scheduled, with its reason as text.
    effective = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
    rate_reason = f"Harder batch {XSS_PAYLOAD}"
    rate_form.locator("input[name=rate]").fill("175.50")
    rate_form.locator("input[name=effective_at]").fill(utc_input(effective))
    rate_form.locator("input[name=reason]").fill(rate_reason)
    rate_form.locator("button[type=submit]").click()
    expect(rate_form.locator("#rate-status")).to_contain_text("Scheduled: $175.50 an hour")
    expect(rate_form.locator("[aria-invalid=true]")).to_have_count(0)
    rates = requester.get(f"/api/v1/projects/{project_id}/rates", expect=200).json()
    scheduled = [item for item in rates["changes"] if item["rate_cents"] == 17_550]
    assert len(scheduled) == 1 and parse_iso(scheduled[0]["effective_at"]) == effective, rates
    assert scheduled[0]["reason"] == rate_reason, scheduled
    assert rates["current"]["rate_cents"] == HOURLY_RATE_CENTS, rates["current"]
    new_row = page.locator(f"#rate-history tr[data-rate-id='{scheduled[0]['id']}']")
    expect(new_row).to_have_attribute("data-state", "scheduled")
    expect(new_row.locator(".rate-value")).to_have_text("$175.50 an hour")
    expect(new_row.locator(".rate-reason")).to_have_text(rate_reason)
    expect(page.locator(f"#rate-history tr[data-rate-id='{change['id']}']")).to_have_attribute("data-state", "current")
    assert_no_injection(page, "main")

    # After a reload the server-rendered first paint agrees with the API.
    page.reload()
    expect(page.locator("#spend")).to_have_attribute("data-cents", str(cost["spend_cents"]))
    expect(page.locator(f"#rate-history tr[data-rate-id='{scheduled[0]['id']}']")).to_have_attribute("data-state", "scheduled")
    expect(page.locator("#cost-chart > svg")).to_have_count(1)
    assert_no_injection(page, "main")
