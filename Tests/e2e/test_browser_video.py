"""The video editor in a real browser: a requester uploads a clip as 20 PNG frames and imports it as one task; a
worker draws a car's box on frame 0, goes to frame 10 and drags the box to a new place (a second keyframe), and
on frame 5 the editor shows the box halfway between; the worker submits. The requester's MOT export has the
track on every frame, 1-based, with the keyframes' boxes on frames 1 and 11 and the interpolated one on frame 6.

Contract: docs/fields.md ("tracks") and the media and export routes (MOT: `<seq>/gt/gt.txt`)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in

WORKER = "tracker@x.test"
FRAMES = 20
WIDTH, HEIGHT = 128, 96
SCHEMA: dict[str, Any] = {
    "fields": [{"name": "objects", "type": "tracks", "video": "video", "label": "Objects", "labels": ["car", "person"]}]
}

# The car: drawn on frame 0, dragged on frame 10 by (+40, +20); frame 5 lies halfway.
FIRST = {"x": 16, "y": 16, "width": 32, "height": 24}
MOVE = (40, 20)
SECOND = {"x": FIRST["x"] + MOVE[0], "y": FIRST["y"] + MOVE[1], "width": 32, "height": 24}
MIDDLE = {"x": (FIRST["x"] + SECOND["x"]) / 2, "y": (FIRST["y"] + SECOND["y"]) / 2, "width": 32, "height": 24}


def png_frame(number: int) -> bytes:
    """Frame `number` of the clip: a gray ground that brightens, with a red square that moves right."""
    raw = bytearray()
    ground = 60 + number * 6
    for y in range(HEIGHT):
        raw.append(0)  # filter: none
        for x in range(WIDTH):
            inside = 20 + number * 4 <= x < 36 + number * 4 and 40 <= y < 56
            raw += bytes((220, 40, 40) if inside else (ground, ground, ground))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def screen_point(page: Page, x: float, y: float) -> tuple[float, float]:
    """The page point over image pixel (x, y) of the frame view, from the editor's test hook."""
    point = page.evaluate("([x, y]) => window.__glossVideoEditor.imageToScreen(x, y)", [x, y])
    return point["x"], point["y"]


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*screen_point(page, *start))
    page.mouse.down()
    page.mouse.move(*screen_point(page, *end), steps=10)
    page.mouse.up()


def seek(page: Page, frame: int) -> None:
    page.evaluate("frame => window.__glossVideoEditor.seek(frame)", frame)
    page.wait_for_function(
        "frame => window.__glossVideoEditor.frame === frame && window.__glossVideoEditor.loaded", arg=frame
    )
    expect(page.locator(".video-player")).to_have_attribute("data-frame", str(frame))


def assert_box(actual: dict[str, Any] | None, wanted: dict[str, float], what: str) -> None:
    assert actual is not None, f"{what}: no box"
    for key, value in wanted.items():
        assert abs(actual[key] - value) <= 1, f"{what}: {key} is {actual[key]}, not {value} (±1): {actual}"


def test_video_track_keyframes_interpolate_and_export_to_mot(
    gloss_server: Callable[..., GlossServer], page: Page
) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-video@x.test", "requester", org="X"))
    project_id = requester.create_project("Traffic clips", schema=SCHEMA)["id"]

    # The frames go up one by one; the task's video is the list of their URLs (frame n = the n-th URL).
    urls = []
    for number in range(FRAMES):
        part = {"file": (f"frame{number:02d}.png", png_frame(number), "image/png")}
        media = requester.post(f"/api/v1/projects/{project_id}/media", files=part, expect=201).json()["media"]
        assert len(media) == 1 and media[0]["kind"] == "image", media
        assert (media[0]["width"], media[0]["height"]) == (WIDTH, HEIGHT), media[0]
        urls.append(media[0]["url"])
    assert requester.import_tasks(project_id, [{"external_id": "clip-1", "data": {"video": urls}}]) == 1

    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    current_task_id(page)
    player = page.locator("#task .video-player")
    expect(player).to_have_attribute("data-frame-count", str(FRAMES))
    page.wait_for_function("() => window.__glossVideoEditor && window.__glossVideoEditor.loaded")
    assert page.evaluate("[window.__glossVideoEditor.width, window.__glossVideoEditor.height]") == [WIDTH, HEIGHT]
    expect(player.locator(".video-frame-of")).to_have_text(f" of {FRAMES}")
    field = page.locator('.field-tracks[data-field="objects"]')
    expect(field.locator('button.video-label[data-value="car"]')).to_have_attribute("aria-pressed", "true")

    # Frame 0: drag out the car's box; it becomes track t1, selected, with one keyframe.
    right, bottom = FIRST["x"] + FIRST["width"], FIRST["y"] + FIRST["height"]
    drag(page, (FIRST["x"], FIRST["y"]), (right, bottom))
    track = field.locator('.track-item[data-track-id="t1"]')
    expect(track).to_have_attribute("data-label", "car")
    expect(track).to_have_attribute("aria-selected", "true")
    assert_box(page.evaluate("window.__glossVideoEditor.boxAt('t1', 0)"), FIRST, "frame 0")

    # Frame 10 (the right arrow steps one frame; shift+arrow ten): the box is still where it was; drag it.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.__glossVideoEditor.frame === 1")
    seek(page, 10)
    assert_box(page.evaluate("window.__glossVideoEditor.boxAt('t1')"), FIRST, "frame 10 before the move")
    centre = (FIRST["x"] + FIRST["width"] / 2, FIRST["y"] + FIRST["height"] / 2)
    drag(page, centre, (centre[0] + MOVE[0], centre[1] + MOVE[1]))
    expect(track).to_have_attribute("data-state", "keyframe")
    marks = page.locator('.video-timeline-track[data-track-id="t1"] .video-keyframe-mark')
    expect(marks).to_have_count(2)
    assert [mark.get_attribute("data-frame") for mark in marks.all()] == ["0", "10"]
    assert_box(page.evaluate("window.__glossVideoEditor.boxAt('t1')"), SECOND, "frame 10")

    # Frame 5: the box drawn there is interpolated, halfway between the keyframes.
    seek(page, 5)
    expect(track).to_have_attribute("data-state", "interpolated")
    assert_box(page.evaluate("window.__glossVideoEditor.boxAt('t1')"), MIDDLE, "frame 5")
    page.evaluate("window.__glossVideoEditor.render()")
    drawn = page.evaluate("window.__glossVideoEditor.drawn")
    assert [(box["id"], box["kind"]) for box in drawn] == [("t1", "interpolated")], drawn

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()

    # The submitted value, as docs/fields.md writes it.
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    values = [a["value"] for record in records for a in record["annotations"] if a["worker"] == WORKER]
    assert len(values) == 1, records
    tracks = values[0]["objects"]
    assert [(t["id"], t["label"]) for t in tracks] == [("t1", "car")], tracks
    keyframes = tracks[0]["keyframes"]
    assert [k["frame"] for k in keyframes] == [0, 10], keyframes
    for keyframe, wanted in zip(keyframes, (FIRST, SECOND)):
        assert keyframe["outside"] is False and keyframe["occluded"] is False, keyframe
        assert_box(keyframe, wanted, f"keyframe {keyframe['frame']}")

    # MOT: one line per frame where the car is inside (all 20: it stays after its last keyframe), 1-based.
    response = requester.get(f"/api/v1/projects/{project_id}/export", params={"format": "mot"}, expect=200)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "clip-1/gt/gt.txt" in names, names
    labels = [line.strip() for line in archive.read("labels.txt").decode().splitlines() if line.strip()]
    assert labels[:2] == ["car", "person"], labels
    rows: dict[int, list[str]] = {}
    for line in archive.read("clip-1/gt/gt.txt").decode().splitlines():
        if not line.strip():
            continue
        fields = [part.strip() for part in line.split(",")]
        assert len(fields) == 9, line
        if fields[1] == "1":
            assert int(fields[0]) not in rows, f"two lines for frame {fields[0]}: {line}"
            rows[int(fields[0])] = fields
    assert sorted(rows) == list(range(1, FRAMES + 1)), sorted(rows)
    for frame, wanted in ((1, FIRST), (6, MIDDLE), (11, SECOND), (FRAMES, SECOND)):
        fields = rows[frame]
        left, top, width, height = (float(value) for value in fields[2:6])
        assert_box({"x": left, "y": top, "width": width, "height": height}, wanted, f"MOT frame {frame}")
        assert fields[6] == "1" and fields[7] == "1" and fields[8] == "1", fields  # conf 1, class car, visible
