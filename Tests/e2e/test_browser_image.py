"""The image editor (boxes and polygons on one shared canvas) in a real browser: the requester uploads a
400×300 PNG and imports a task with it; a worker draws a car box by dragging, marks it occluded, zooms in with
the wheel (the image point under the cursor stays put), clicks a road polygon and closes it with Enter (which
does not submit), drags one of its vertices, and submits. The stored value and the COCO export hold the box
and the polygon at the pixels drawn (±1). Then the performance test: a 4000×3000 image with 2,000 pre-labelled
boxes draws in well under a frame.

Contract: docs/fields.md (boxes, polygons) and the media and export routes."""

from __future__ import annotations

import json
import statistics
import struct
import zlib
from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import XSS_PAYLOAD, current_task_id, sign_in

WORKER = "boxer@x.test"
WIDTH, HEIGHT = 400, 300
SCHEMA = {"fields": [
    {"name": "objects", "type": "boxes", "image": "image", "labels": [
        {"value": "car", "hotkey": "c", "attributes": [{"name": "occluded", "type": "boolean"}]},
        {"value": "person", "hotkey": "p"},
    ]},
    {"name": "regions", "type": "polygons", "image": "image", "labels": [{"value": "road", "hotkey": "r"}], "required": False},
]}

# What the worker draws, in image pixels.
BOX = {"x": 40, "y": 50, "width": 120, "height": 80}
POLYGON = [(200, 150), (300, 160), (280, 240), (210, 230)]
VERTEX_MOVE = ((300, 160), (320, 150))  # vertex 1 dragged here
POLYGON_AFTER = [(200, 150), (320, 150), (280, 240), (210, 230)]


def png_bytes(width: int, height: int, band: int = 10) -> bytes:
    """An 8-bit RGB PNG of horizontal bands (rows repeat, so a big one compresses to little), by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(((y // band) * 37 % 256, 90 + (y // band) % 2 * 60, 140)) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def upload(requester: Api, project_id: str, name: str, data: bytes, width: int, height: int) -> str:
    media = requester.post(
        f"/api/v1/projects/{project_id}/media", files={"file": (name, data, "image/png")}, expect=201
    ).json()["media"]
    assert len(media) == 1, media
    assert (media[0]["kind"], media[0]["width"], media[0]["height"]) == ("image", width, height), media[0]
    return str(media[0]["url"])


def open_editor(page: Page, server: GlossServer, project_id: str, width: int, height: int) -> str:
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    page.wait_for_function(
        "([w, h]) => window.__glossImageEditor && __glossImageEditor.width === w && __glossImageEditor.height === h",
        arg=[width, height],
    )
    canvas = page.locator('#task .image-editor[data-image-key="image"] canvas')
    expect(canvas).to_have_count(1)
    canvas.scroll_into_view_if_needed()
    return task_id


def client(page: Page, x: float, y: float) -> tuple[float, float]:
    """The page point over image pixel (x, y) at the current zoom; it must lie on the canvas."""
    point = page.evaluate(
        """([x, y]) => {
            const p = __glossImageEditor.canvas.imageToClient(x, y);
            const r = __glossImageEditor.canvas.canvas.getBoundingClientRect();
            return {x: p.x, y: p.y, inside: p.x > r.left && p.x < r.right && p.y > r.top && p.y < r.bottom
              && p.x < innerWidth && p.y < innerHeight};
        }""",
        [x, y],
    )
    assert point["inside"], f"image point ({x}, {y}) is off the canvas at this zoom"
    return point["x"], point["y"]


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*client(page, *start))
    page.mouse.down()
    page.mouse.move(*client(page, *end), steps=8)
    page.mouse.up()


def close_to(actual: list[float], wanted: list[float], what: str) -> None:
    assert len(actual) == len(wanted), f"{what}: {actual} is not {wanted}"
    assert all(abs(a - w) <= 1 for a, w in zip(actual, wanted)), f"{what}: {actual} is not {wanted} (±1)"


def test_box_and_polygon_drawn_zoomed_and_exported_to_coco(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-image@x.test", "requester", org="X"))
    project_id = requester.create_project("Street scenes", schema=SCHEMA)["id"]
    url = upload(requester, project_id, "street.png", png_bytes(WIDTH, HEIGHT), WIDTH, HEIGHT)
    assert requester.import_tasks(project_id, [{"external_id": "street", "data": {"image": url, "note": XSS_PAYLOAD}}]) == 1

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    create_account(server, WORKER, "worker")
    task_id = open_editor(page, server, project_id, WIDTH, HEIGHT)
    boxes = page.locator('.field-boxes[data-field="objects"]')
    regions = page.locator('.field-polygons[data-field="regions"]')
    # The image is on the canvas, not shown again as data; the note shows as text.
    expect(page.locator('#task-data .data-field[data-key="image"]')).to_have_count(0)
    expect(page.locator('#task-data .data-field[data-key="note"] .data-text')).to_have_text(XSS_PAYLOAD)

    # A car box: its hotkey picks the label, a drag draws it.
    page.keyboard.press("c")
    expect(boxes.locator('button.image-label[data-label="car"]')).to_have_attribute("aria-pressed", "true")
    drag(page, (BOX["x"], BOX["y"]), (BOX["x"] + BOX["width"], BOX["y"] + BOX["height"]))
    row = boxes.locator('li.image-layer[data-id="b1"]')
    expect(row).to_have_attribute("data-label", "car")
    expect(boxes.locator(".image-field-count")).to_contain_text("1 box")

    # A click on it selects it; its attributes are edited in the form.
    page.mouse.click(*client(page, BOX["x"] + 30, BOX["y"] + 30))
    expect(row).to_have_attribute("aria-selected", "true")
    boxes.locator('.image-selection .image-attribute[data-attribute="occluded"] input[type="checkbox"]').check()
    page.keyboard.press("Escape")  # deselect
    page.keyboard.press("Escape")  # stop drawing boxes
    expect(row).to_have_attribute("aria-selected", "false")

    # Zoom in with the wheel around a point: that image point stays under the cursor.
    anchor = client(page, 250, 200)
    page.mouse.move(*anchor)
    scale_before = page.evaluate("__glossImageEditor.canvas.view.scale")
    page.mouse.wheel(0, -200)
    page.wait_for_function("scale => __glossImageEditor.canvas.view.scale > scale * 1.3", arg=scale_before)
    moved = client(page, 250, 200)
    assert abs(moved[0] - anchor[0]) < 1 and abs(moved[1] - anchor[1]) < 1, (anchor, moved)
    expect(page.locator(".image-canvas-readout")).to_contain_text("x 250")

    # A road polygon, zoomed in: clicks, then Enter closes it and does not submit.
    page.keyboard.press("r")
    expect(regions.locator('button.image-label[data-label="road"]')).to_have_attribute("aria-pressed", "true")
    for point in POLYGON:
        page.mouse.click(*client(page, *point))
    page.keyboard.press("Enter")
    polygon_row = regions.locator('li.image-layer[data-id="p1"]')
    expect(polygon_row).to_have_attribute("data-label", "road")
    assert current_task_id(page) == task_id, "Enter closed the polygon and must not have submitted"
    expect(page.locator("#done")).to_be_hidden()

    # Select it (not drawing any more) and drag one vertex.
    page.keyboard.press("Escape")
    page.mouse.click(*client(page, 240, 200))
    expect(polygon_row).to_have_attribute("aria-selected", "true")
    drag(page, *VERTEX_MOVE)
    assert page.evaluate("__glossImageEditor.selection && __glossImageEditor.selection.id") == "p1"

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()
    assert dialogs == [], f"task content ran as code: {dialogs}"

    # The stored value, as docs/fields.md says.
    annotations = requester.get(f"/api/v1/tasks/{task_id}/annotations", expect=200).json()["annotations"]
    assert len(annotations) == 1 and annotations[0]["worker"] == WORKER, annotations
    value = annotations[0]["value"]
    assert [(b["id"], b["label"], b.get("attributes")) for b in value["objects"]] == [("b1", "car", {"occluded": True})], value
    box = value["objects"][0]
    close_to([box["x"], box["y"], box["width"], box["height"]], [BOX["x"], BOX["y"], BOX["width"], BOX["height"]], "stored box")
    assert [(p["id"], p["label"]) for p in value["regions"]] == [("p1", "road")], value
    close_to([c for point in value["regions"][0]["points"] for c in point], [c for point in POLYGON_AFTER for c in point], "stored polygon")
    exported = parse_jsonl(requester.export(project_id, "jsonl"))
    assert [a["value"] for record in exported for a in record["annotations"]] == [value]

    # COCO: the box's bbox and the polygon's segmentation at the pixels drawn.
    coco = json.loads(requester.export(project_id, "coco"))
    assert len(coco["images"]) == 1, coco["images"]
    image = coco["images"][0]
    assert (image["width"], image["height"], image["gloss_task_id"]) == (WIDTH, HEIGHT, task_id), image
    categories = {category["name"]: category["id"] for category in coco["categories"]}
    assert {"car", "person", "road"} <= set(categories), categories
    by_category: dict[int, list[dict[str, Any]]] = {}
    for annotation in coco["annotations"]:
        assert annotation["image_id"] == image["id"]
        by_category.setdefault(annotation["category_id"], []).append(annotation)
    [car] = by_category[categories["car"]]
    close_to(car["bbox"], [BOX["x"], BOX["y"], BOX["width"], BOX["height"]], "COCO bbox")
    assert car["attributes"]["occluded"] is True and car["attributes"]["field"] == "objects", car["attributes"]
    [road] = by_category[categories["road"]]
    assert len(road["segmentation"]) == 1, road["segmentation"]
    close_to(road["segmentation"][0], [c for point in POLYGON_AFTER for c in point], "COCO segmentation")
    assert road["attributes"]["field"] == "regions", road["attributes"]
    assert categories["person"] not in by_category


def test_two_thousand_prelabelled_boxes_render_within_a_frame(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    width, height, count = 4000, 3000, 2000
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-image-perf@x.test", "requester", org="X"))
    schema = {"fields": [{"name": "objects", "type": "boxes", "image": "image", "labels": ["car", "person"]}]}
    project_id = requester.create_project("Crowded scenes", schema=schema)["id"]
    url = upload(requester, project_id, "crowd.png", png_bytes(width, height, band=100), width, height)
    objects = []
    for index in range(count):
        column, row = index % 50, index // 50
        objects.append({
            "id": f"b{index + 1}", "label": "person" if index % 3 == 0 else "car",
            "x": column * 79 + 3.25, "y": row * 74 + 5.5, "width": 40 + index % 35, "height": 30 + index % 40,
        })
    task = {"external_id": "crowd", "data": {"image": url}, "prelabels": [{"model": "m", "value": {"objects": objects}}]}
    assert requester.import_tasks(project_id, [task]) == 1

    create_account(server, WORKER, "worker")
    open_editor(page, server, project_id, width, height)
    boxes = page.locator('.field-boxes[data-field="objects"]')
    expect(boxes.locator("li.image-layer")).to_have_count(count)
    expect(boxes.locator(".image-field-count")).to_contain_text(f"{count} boxes")

    # render() draws synchronously; each of 60 frames is timed, the whole image with every box in view.
    times = page.evaluate(
        """async () => {
            const editor = window.__glossImageEditor;
            editor.canvas.fit();
            const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
            await frame(); await frame();
            const times = [];
            for (let i = 0; i < 60; i++) {
                await frame();
                const start = performance.now();
                editor.render();
                times.push(performance.now() - start);
            }
            return times;
        }"""
    )
    median = statistics.median(times)
    print(f"median render() of {count} boxes on a {width}x{height} image: {median:.2f} ms (max {max(times):.2f} ms)")
    assert median < 16, f"median render() {median:.2f} ms over 60 frames: {sorted(times)}"
