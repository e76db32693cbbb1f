"""Recording in a real browser: a worker reads the task's prompt aloud, records it with the microphone
(Chromium's fake device: a tone), stops, and the take is stored for the task (measured by the server: a WebM/Opus
file read as audio); a second take comes from a file. The submitted value names the worker's recording, the
export carries it with its prompt, and another worker cannot fetch it. The prompt is untrusted: shown as text.

Contract: docs/fields.md (`recording`), api.md (`POST /api/v1/tasks/{id}/recordings`)."""

from __future__ import annotations

import io
import math
import struct
import wave
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in

XSS = "<img src=x onerror=window.__xss=1>"
SCHEMA: dict[str, Any] = {"fields": [
    {"name": "reading", "type": "recording", "label": "Your reading", "prompt": "sentence", "min_seconds": 1, "max_seconds": 20},
]}


def tone_wav(seconds: float, rate: int = 16_000) -> bytes:
    frames = b"".join(struct.pack("<h", int(12_000 * math.sin(2 * math.pi * 440 * n / rate))) for n in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(frames)
    return out.getvalue()


@pytest.fixture
def microphone_page(browser: Any) -> Iterator[Page]:
    """A page in a browser with Chromium's fake microphone, granted without a prompt."""
    from conftest import CHROMIUM

    with_microphone = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
    )
    context = with_microphone.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()
    with_microphone.close()


def test_worker_records_the_prompt_and_the_export_carries_it(
    gloss_server: Callable[..., GlossServer], microphone_page: Page
) -> None:
    page = microphone_page
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-rec@x.test", "requester", org="X"))
    project_id = requester.create_project("Read aloud", schema=SCHEMA)["id"]
    sentence = f"Please read this sentence aloud {XSS}"
    assert requester.import_tasks(project_id, [{"external_id": "r1", "data": {"sentence": sentence}}]) == 1

    create_account(server, "reader@x.test", "worker")
    sign_in(page, server, "reader@x.test", DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    field = page.locator('.field-recording[data-field="reading"]')
    expect(field.locator(".recording-prompt")).to_have_text(sentence)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0

    # Record about 2.5 s from the (fake) microphone; the take is stored and measured.
    field.locator(".recording-start").click()
    expect(field.locator(".recording-status")).to_contain_text("Recording")
    page.wait_for_timeout(2500)
    field.locator(".recording-stop").click()
    expect(field.locator(".recording-status")).to_contain_text("Saved:", timeout=30_000)
    expect(field.locator(".recording-player")).to_be_visible()
    recorded_url = page.evaluate("() => document.querySelector('.recording-player').getAttribute('src')")
    assert recorded_url and recorded_url.startswith("/api/v1/media/"), recorded_url
    info = requester.get(f"{recorded_url}/info", expect=200).json()
    assert info["kind"] == "audio" and info["content_type"] in ("audio/webm", "audio/ogg"), info
    assert 1.5 < info["duration_s"] < 6, info
    assert info["peak_dbfs"] is not None and info["peak_dbfs"] > -40, info

    # A second take from a file replaces it; a too-short file is refused at submit with the reason.
    page.locator(".recording-file").set_input_files(files=[{"name": "short.wav", "mimeType": "audio/wav", "buffer": tone_wav(0.4)}])
    expect(field.locator(".recording-status")).to_contain_text("Saved: 0.4 s")
    page.locator("#submit-button").click()
    expect(page.locator("#status")).to_contain_text("record at least 1 s")
    page.locator(".recording-file").set_input_files(files=[{"name": "take.wav", "mimeType": "audio/wav", "buffer": tone_wav(2.0)}])
    expect(field.locator(".recording-status")).to_contain_text("Saved: 2.0 s")
    uploaded_url = page.evaluate("() => document.querySelector('.recording-player').getAttribute('src')")
    assert uploaded_url != recorded_url
    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()

    # The export holds the prompt and the worker's recording; another worker cannot fetch it.
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    assert records[0]["id"] == task_id and records[0]["data"]["sentence"] == sentence
    assert records[0]["annotations"][0]["value"] == {"reading": {"audio": uploaded_url}}
    other = Api(server.url, create_account(server, "other-reader@x.test", "worker"))
    other.get(uploaded_url, expect=404)
    requester.get(uploaded_url, expect=200)
