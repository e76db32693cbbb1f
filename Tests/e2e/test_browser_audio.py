"""The audio editor in a real browser: a requester uploads the demo call (Public/demo/conversation.wav) and
imports it as one task of a project with speakers, their transcript, background noise and the caller's intent.
A worker sees the waveform drawn from the server's peaks, marks two speaker turns with the keyboard only
(`[` at the start, `]` at the end, the speaker's key), steps between them with Tab, writes each turn's words
(a hesitation `%um`, a tag `[noise]`, Enter to the next turn), drags the noise burst out in the noise strip with
the mouse, picks the intent and submits. The requester's RTTM, WebVTT, SRT and JSONL exports hold exactly that,
and read in webvtt-py. The task's data, an option's label and the guidelines carry markup: it shows as text and
never runs.

Contract: docs/fields.md (`segments`, `transcript`), docs/formats.md (RTTM, WebVTT, SRT), audio-player.js's
test hook `window.glossAudio`."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl, repo_root
from test_browser_labeling import current_task_id, sign_in

WORKER = "listener@x.test"
DEMO_WAV = repo_root() / "Public" / "demo" / "conversation.wav"
STEM = "conversation"
XSS = "<img src=x onerror=window.__xss=1>"
TOLERANCE_S = 0.05

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "speakers", "type": "segments", "label": "Speakers", "audio": "audio", "speakers": True,
         "labels": [{"value": "Agent", "hotkey": "a", "color": "#4363d8"}, {"value": "Caller", "hotkey": "c", "color": "#e6194b"}]},
        {"name": "transcript", "type": "transcript", "label": "Transcript", "segments": "speakers"},
        {"name": "noise", "type": "segments", "label": "Background noise", "audio": "audio", "required": False, "overlap": True,
         "labels": [{"value": "traffic", "label": "Traffic", "hotkey": "t"}, {"value": "music", "label": "Music", "hotkey": "m"}]},
        {"name": "intent", "type": "choice", "label": "The caller wants", "options": [
            {"value": "order_status", "label": "Order status"}, {"value": "refund", "label": "A refund"},
            {"value": "other", "label": f"Something else {XSS}"}]},
    ]
}

# The first two turns of the call, and what the worker writes for them.
AGENT = ("Agent", 0.5, 3.858)
CALLER = ("Caller", 4.358, 7.46)
AGENT_TEXT = "%um thank you for calling [noise] how can I help"
CALLER_TEXT = "my order & the refund"
NOISE = (7.51, 8.71)


def hook(page: Page, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const audio = window.glossAudio.audio; return {expression}; }})()")


def seek(page: Page, t: float) -> None:
    page.evaluate("t => window.glossAudio.audio.seek(t)", t)
    page.wait_for_function("t => Math.abs(window.glossAudio.audio.time - t) < 1e-6", arg=t)


def regions(page: Page, field: str) -> list[dict[str, Any]]:
    return sorted(page.evaluate("field => window.glossAudio.audio.regions(field)", field), key=lambda r: r["start"])


def assert_turn(actual: dict[str, Any], label: str, start: float, end: float, what: str) -> None:
    assert actual["label"] == label, f"{what}: {actual}"
    assert abs(actual["start"] - start) <= TOLERANCE_S and abs(actual["end"] - end) <= TOLERANCE_S, f"{what}: {actual}"


def milliseconds(stamp: str) -> int:
    hours, minutes, seconds = stamp.replace(",", ".").split(":")
    whole, millis = seconds.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(whole)) * 1000 + int(millis)


def no_injected_markup(page: Page) -> None:
    """The hostile text never became an element, and nothing ran."""
    page.wait_for_timeout(300)  # an onerror handler would have run by now
    assert page.evaluate("window.__xss") is None, "injected script ran"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], [onerror]').length") == 0


def test_worker_marks_speakers_with_keys_and_the_exports_hold_them(
    gloss_server: Callable[..., GlossServer], page: Page, tmp_path: Path
) -> None:
    import webvtt

    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-audio@x.test", "requester", org="X"))
    guidelines = f"Mark every turn. {XSS}"
    project_id = requester.create_project("Support calls", schema=SCHEMA, guidelines=guidelines)["id"]
    part = {"file": ("conversation.wav", DEMO_WAV.read_bytes(), "audio/wav")}
    media = requester.post(f"/api/v1/projects/{project_id}/media", files=part, expect=201).json()["media"]
    assert len(media) == 1 and media[0]["kind"] == "audio" and 18.3 < media[0]["duration_s"] < 18.5, media
    data = {"audio": media[0]["url"], "file_name": f"call {XSS}.wav"}
    assert requester.import_tasks(project_id, [{"external_id": "call-1", "data": data}]) == 1

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    current_task_id(page)

    # The waveform: drawn from the peaks, with ink in the wave band of the canvas.
    page.wait_for_function("() => window.glossAudio?.audio?.peaksLoaded === true")
    expect(page.locator('.audio-player[data-audio-key="audio"]')).to_have_attribute("data-waveform", "ready")
    timings = hook(page, "audio.timings")
    assert timings["firstWaveformMs"] is not None, timings
    ready_ms = timings["start"] + timings["firstWaveformMs"]  # performance.now() counts from the navigation
    print(f"\nwaveform drawn {ready_ms:.0f} ms after the page load began "
          f"({timings['firstWaveformMs']:.0f} ms after the player started loading; info {timings['infoMs']:.0f} ms, "
          f"peaks {timings['peaksMs']:.0f} ms, one base draw {timings['lastBaseDrawMs']:.1f} ms)")
    assert abs(hook(page, "audio.duration") - media[0]["duration_s"]) < 0.01
    ink = page.evaluate("""() => {
        const canvas = document.querySelector('.audio-player .audio-canvas');
        const dpr = canvas.width / canvas.getBoundingClientRect().width;
        const top = Math.round(22 * dpr), height = Math.round(112 * dpr);
        const pixels = canvas.getContext('2d').getImageData(0, top, canvas.width, height).data;
        let dark = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 160 && pixels[i + 3] > 0) dark++;
        return {dark, all: pixels.length / 4};
    }""")
    assert ink["dark"] > 0.02 * ink["all"], f"the waveform band is (nearly) blank: {ink}"

    # Untrusted content is shown as text.
    expect(page.locator('#task-data .data-field[data-key="file_name"]')).to_contain_text(f"call {XSS}.wav")
    expect(page.locator('.field-choice[data-field="intent"] button[data-value="other"]')).to_contain_text(XSS)
    expect(page.locator(".guidelines-box .guidelines")).to_contain_text(XSS)
    no_injected_markup(page)

    # The Agent's turn with the keyboard: [ at 0.5 s, ] at 3.858 s (seek to 3.758, then → moves 0.1 s), a.
    page.evaluate("document.activeElement?.blur()")  # the keys go to the page, not a control
    seek(page, AGENT[1])
    page.keyboard.press("[")
    seek(page, AGENT[2] - 0.1)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("t => Math.abs(window.glossAudio.audio.time - t) < 1e-6", arg=AGENT[2])
    page.keyboard.press("]")
    page.keyboard.press("a")
    turns = regions(page, "speakers")
    assert len(turns) == 1, turns
    assert_turn(turns[0], *AGENT, "the first turn")
    # The Caller's: created with the current label, then c makes the selected (new) region the Caller's.
    seek(page, CALLER[1])
    page.keyboard.press("[")
    seek(page, CALLER[2])
    page.keyboard.press("]")
    page.keyboard.press("c")
    turns = regions(page, "speakers")
    assert len(turns) == 2, turns
    assert_turn(turns[0], *AGENT, "the first turn")
    assert_turn(turns[1], *CALLER, "the second turn")
    assert turns[1]["selected"], turns
    first_id, second_id = turns[0]["id"], turns[1]["id"]
    items = page.locator('.field-segments[data-field="speakers"] .segment-item')
    expect(items).to_have_count(2)
    assert [items.nth(i).get_attribute("data-label") for i in range(2)] == ["Agent", "Caller"]

    # Tab steps from the start of the file to each turn in time (the playhead to its start), shift+Tab back.
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.glossAudio.audio.selected === null")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    page.wait_for_function("id => window.glossAudio.audio.selected?.id === id", arg=first_id)
    assert abs(hook(page, "audio.time") - AGENT[1]) < 1e-6
    page.keyboard.press("Tab")
    page.wait_for_function("id => window.glossAudio.audio.selected?.id === id", arg=second_id)
    assert abs(hook(page, "audio.time") - CALLER[1]) < 1e-6
    page.keyboard.press("Shift+Tab")
    page.wait_for_function("id => window.glossAudio.audio.selected?.id === id", arg=first_id)
    expect(items.first).to_have_attribute("aria-selected", "true")

    # The words: the first turn's box, Enter to the next turn's box.
    boxes = page.locator('.field-transcript[data-field="transcript"] textarea.transcript-text')
    expect(boxes).to_have_count(2)
    assert [boxes.nth(i).get_attribute("data-segment-id") for i in range(2)] == [first_id, second_id]
    boxes.first.click()
    page.keyboard.type(AGENT_TEXT)
    page.keyboard.press("Enter")
    expect(boxes.nth(1)).to_be_focused()
    expect(boxes.first).to_have_value(AGENT_TEXT)  # Enter went to the next box, adding no line
    page.keyboard.type(CALLER_TEXT)
    expect(page.locator('.field-transcript[data-field="transcript"] .transcript-problem.error')).to_have_count(0)
    page.keyboard.press("Escape")

    # The noise burst: dragged out in the noise strip (a traffic region, the field's first label), then m.
    page.locator(".audio-player .audio-stage").scroll_into_view_if_needed()
    lane_y = page.evaluate("window.glossAudio.audio.laneClientY('noise', 0)")
    assert lane_y is not None
    x0, x1 = (page.evaluate("t => window.glossAudio.audio.timeToClientX(t)", t) for t in NOISE)
    page.mouse.move(x0, lane_y)
    page.mouse.down()
    page.mouse.move(x1, lane_y, steps=12)
    page.mouse.up()
    noise = regions(page, "noise")
    assert len(noise) == 1, noise
    assert_turn(noise[0], "traffic", *NOISE, "the noise burst")
    page.keyboard.press("m")
    page.wait_for_function("() => window.glossAudio.audio.regions('noise')[0]?.label === 'music'")
    assert len(regions(page, "speakers")) == 2  # the drag in the noise strip left the speakers alone

    # The intent, then submit.
    intent = page.locator('.field-choice[data-field="intent"] button[data-value="refund"]')
    intent.click()
    expect(intent).to_have_attribute("aria-pressed", "true")
    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()
    no_injected_markup(page)
    assert dialogs == [], f"task content ran as code: {dialogs}"

    # JSONL: the value as submitted.
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    values = [a["value"] for record in records for a in record["annotations"] if a["worker"] == WORKER]
    assert len(values) == 1, records
    value = values[0]
    speakers = sorted(value["speakers"], key=lambda r: r["start"])
    assert len(speakers) == 2, value
    assert_turn(speakers[0], *AGENT, "JSONL first turn")
    assert_turn(speakers[1], *CALLER, "JSONL second turn")
    assert sorted(value["transcript"], key=lambda e: e["segment"] != first_id) == [
        {"segment": first_id, "text": AGENT_TEXT}, {"segment": second_id, "text": CALLER_TEXT}], value
    assert len(value["noise"]) == 1, value
    assert_turn(value["noise"][0], "music", *NOISE, "JSONL noise")
    assert value["intent"] == "refund", value

    # RTTM: the two turns (the noise field is not speakers), named by the uploaded file's stem.
    rttm = [line.split() for line in requester.export(project_id, "rttm").splitlines() if line.strip()]
    assert len(rttm) == 2, rttm
    for line, (label, start, end) in zip(rttm, (AGENT, CALLER)):
        assert line[:3] == ["SPEAKER", STEM, "1"] and line[5:7] == ["<NA>", "<NA>"] and line[8:] == ["<NA>", "<NA>"], line
        assert line[7] == label, line
        assert abs(float(line[3]) - start) <= TOLERANCE_S and abs(float(line[3]) + float(line[4]) - end) <= TOLERANCE_S, line

    # WebVTT and SRT: a zip with one file each, cues with the speakers and the words.
    def subtitles(fmt: str, extension: str) -> Path:
        response = requester.get(f"/api/v1/projects/{project_id}/export", params={"format": fmt}, expect=200)
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert archive.namelist() == [f"{STEM}.{extension}"], archive.namelist()
        path = tmp_path / f"{STEM}.{extension}"
        path.write_bytes(archive.read(f"{STEM}.{extension}"))
        return path

    vtt = webvtt.from_string(subtitles("webvtt", "vtt").read_text(encoding="utf-8")).captions
    assert len(vtt) == 2, [caption.raw_text for caption in vtt]
    for caption, region, text in zip(vtt, speakers, (AGENT_TEXT, CALLER_TEXT)):
        assert caption.voice == region["label"], caption.raw_text
        assert html.unescape(caption.text) == text, caption.raw_text
        assert (milliseconds(caption.start), milliseconds(caption.end)) == (round(region["start"] * 1000), round(region["end"] * 1000))
    srt = webvtt.from_srt(str(subtitles("srt", "srt"))).captions
    assert [caption.raw_text for caption in srt] == [f"Agent: {AGENT_TEXT}", f"Caller: {CALLER_TEXT}"]
    for caption, region in zip(srt, speakers):
        assert (milliseconds(caption.start), milliseconds(caption.end)) == (round(region["start"] * 1000), round(region["end"] * 1000))
