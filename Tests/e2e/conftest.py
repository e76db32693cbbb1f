"""Fixtures for Gloss's end-to-end tests.

- `gloss_server(demo=False, backend="sqlite")`: starts a real `gloss serve` (see gloss_e2e.GlossServer)
  with its own data folder; for backend="postgres" also its own fresh database in the cluster named
  by `GLOSS_TEST_DATABASE_URL`. Every server is stopped at teardown.
- `backend`: parametrises a test over "sqlite" and "postgres" (postgres only with a database URL).
- `browser` / `page`: headless Debian Chromium driven by Playwright.

Under CI=true a skipped test counts as a failure: nothing may be skipped there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from gloss_e2e import GlossServer, create_database, drop_database, gloss_binary

CHROMIUM = "/usr/lib/chromium/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"

SERVERS = pytest.StashKey[list[GlossServer]]()
PAGES = pytest.StashKey[list[Any]]()


# --- reports: no skips under CI; server logs and the page beside a failure -------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()

    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be skipped: {reason}"

    if report.failed:
        for server in item.stash.get(SERVERS, []):
            report.sections.append((f"gloss server log ({server.backend}, {server.url})", server.log_tail()))
        for page in item.stash.get(PAGES, []):
            try:
                report.sections.append((f"page {page.url}", page.content()[:20_000]))
            except Exception as error:  # the page may be gone already
                report.sections.append(("page", f"(unavailable: {error})"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A backstop for skips the report hook cannot see (for example at collection)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- the server ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def gloss_bin() -> Path:
    binary = gloss_binary()
    if binary is None or not binary.exists():
        pytest.skip(f"no gloss binary (GLOSS_BIN={os.environ.get('GLOSS_BIN')!r}); run `swift build` or scripts/test")
    return binary


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not os.environ.get("GLOSS_TEST_DATABASE_URL"):
        pytest.skip("GLOSS_TEST_DATABASE_URL is not set (scripts/test sets it)")
    return str(request.param)


@pytest.fixture
def gloss_server(
    request: pytest.FixtureRequest, gloss_bin: Path, tmp_path: Path
) -> Iterator[Callable[..., GlossServer]]:
    servers: list[GlossServer] = []
    databases: list[str] = []
    request.node.stash[SERVERS] = servers
    base_url = os.environ.get("GLOSS_TEST_DATABASE_URL", "")

    def start(*, demo: bool = False, backend: str = "sqlite") -> GlossServer:
        data_dir = tmp_path / f"gloss-{len(servers)}"
        data_dir.mkdir()
        database_url = None
        if backend == "postgres":
            if not base_url:
                pytest.skip("GLOSS_TEST_DATABASE_URL is not set (scripts/test sets it)")
            name, database_url = create_database(base_url)
            databases.append(name)
        elif backend != "sqlite":
            raise ValueError(f"unknown backend {backend!r}")
        server = GlossServer(gloss_bin, data_dir, database_url=database_url, demo=demo)
        servers.append(server)
        server.start()
        return server

    yield start

    for server in servers:
        server.stop()
    for name in databases:
        try:
            drop_database(base_url, name)
        except Exception:
            pass  # the cluster is thrown away at the end anyway


# --- the browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; scripts/test does it as root)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    request.node.stash[PAGES] = [page]
    yield page
    context.close()
