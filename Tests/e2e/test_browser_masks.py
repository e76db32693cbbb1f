"""The masks widget in a real browser: the requester uploads a 64×48 PNG and imports a task with it; a worker
paints tumour with the brush, draws a closed outline and fills it, is refused a fill inside an open region,
paints healthy on its own layer, and submits. The stored value decodes (row-major RLE) to the pixels painted,
and the COCO export (column-major RLE, read with pycocotools) and the PNG masks (read with Pillow) hold the
same masks."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Any, Callable

import pytest
from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in

WORKER = "painter@x.test"
WIDTH, HEIGHT = 64, 48
SCHEMA = {"fields": [{"name": "segmentation", "type": "masks", "image": "image", "labels": ["tumour", "healthy"]}]}

# What the worker paints, in image pixels (a brush of diameter `size` covers the pixels whose centres lie
# within size/2 of the stroke).
TUMOUR_LINE = [(4.5, 6.5), (12.5, 6.5), (20.5, 6.5)]  # size 3: rows 5..7, x 4..20
OUTLINE = [(30.5, 8.5), (50.5, 8.5), (50.5, 28.5), (30.5, 28.5), (30.5, 8.5)]  # size 2, closed
INSIDE_OUTLINE = (40.5, 18.5)
HEALTHY_LINE = [(10.5, 30.5), (10.5, 36.5), (10.5, 42.5)]  # size 3: columns 9..11, y 30..42
OPEN_REGION = (56.5, 44.5)  # unpainted healthy pixels here reach the image's edge


def png_bytes(width: int, height: int) -> bytes:
    """An 8-bit RGB PNG with a gradient, written with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes(channel for x in range(width) for channel in (40 + 3 * x, 60 + 3 * y, 120))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def decode_row_major(rle: dict[str, Any]) -> list[list[int]]:
    """A value's RLE (row-major counts starting with a run of 0) as rows of 0/1."""
    height, width = rle["size"]
    flat: list[int] = []
    for index, run in enumerate(rle["counts"]):
        assert isinstance(run, int) and run >= 0, rle["counts"]
        flat.extend([index % 2] * run)
    assert len(flat) == height * width, f"the counts add up to {len(flat)}, not {height}×{width}"
    return [flat[y * width:(y + 1) * width] for y in range(height)]


def pixels_of(mask: list[list[int]]) -> set[tuple[int, int]]:
    return {(x, y) for y, row in enumerate(mask) for x, inside in enumerate(row) if inside}


def test_masks_painted_filled_and_exported(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    np = pytest.importorskip("numpy")
    mask_utils = pytest.importorskip("pycocotools.mask")
    image_module = pytest.importorskip("PIL.Image")

    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-masks@x.test", "requester", org="X"))
    project_id = requester.create_project("Tumour masks", schema=SCHEMA)["id"]
    uploaded = requester.post(
        f"/api/v1/projects/{project_id}/media",
        files={"file": ("scan.png", png_bytes(WIDTH, HEIGHT), "image/png")},
        expect=201,
    ).json()["media"]
    assert len(uploaded) == 1, uploaded
    media = uploaded[0]
    assert (media["kind"], media["width"], media["height"]) == ("image", WIDTH, HEIGHT), media
    assert media["url"] == f"/api/v1/media/{media['id']}", media
    assert requester.import_tasks(project_id, [{"external_id": "scan", "data": {"image": media["url"]}}]) == 1

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    # The shared image editor shows the uploaded picture at its own size.
    page.wait_for_function(
        "([w, h]) => window.__glossImageEditor && __glossImageEditor.width === w && __glossImageEditor.height === h",
        arg=[WIDTH, HEIGHT],
    )
    canvas = page.locator('.image-editor[data-image-key="image"] canvas')
    expect(canvas).to_have_count(1)
    canvas.scroll_into_view_if_needed()
    field = page.locator('.field-masks[data-field="segmentation"]')
    status = page.locator("#status")

    def layer(label: str) -> Any:
        return field.locator(f'li.masks-layer[data-label="{label}"]')

    def set_brush_size(size: int) -> None:
        field.locator("input.masks-size").fill(str(size))
        expect(field.locator(".masks-size-value")).to_have_text(f"{size} px")
        page.evaluate("document.activeElement.blur()")  # the tool keys go to the editor again

    def client(x: float, y: float) -> tuple[float, float]:
        point = page.evaluate("([x, y]) => __glossImageEditor.canvas.imageToClient(x, y)", [x, y])
        return point["x"], point["y"]

    def stroke(points: list[tuple[float, float]]) -> None:
        page.mouse.move(*client(*points[0]))
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*client(*point), steps=3)
        page.mouse.up()

    def click(x: float, y: float) -> None:
        page.mouse.click(*client(x, y))

    # Tumour: a brush stroke, then a closed outline filled with G.
    layer("tumour").locator("button.masks-layer-select").click()
    expect(layer("tumour").locator("button.masks-layer-select")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("b")
    expect(field.locator('button.masks-tool[data-tool="brush"]')).to_have_attribute("aria-pressed", "true")
    set_brush_size(3)
    stroke(TUMOUR_LINE)
    expect(layer("tumour")).not_to_have_attribute("data-pixels", "0")
    set_brush_size(2)
    stroke(OUTLINE)
    page.keyboard.press("g")
    expect(field.locator('button.masks-tool[data-tool="fill"]')).to_have_attribute("aria-pressed", "true")
    click(*INSIDE_OUTLINE)
    expect(status).to_contain_text("Filled")

    # Healthy, on its own layer; a fill where the region reaches the edge is refused and changes nothing.
    layer("healthy").locator("button.masks-layer-select").click()
    expect(layer("healthy")).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("b")
    set_brush_size(3)
    stroke(HEALTHY_LINE)
    healthy_pixels = layer("healthy").get_attribute("data-pixels")
    assert healthy_pixels and int(healthy_pixels) > 0
    page.keyboard.press("g")
    click(*OPEN_REGION)
    expect(status).to_contain_text("not closed")
    expect(status).to_have_class("error")
    expect(layer("healthy")).to_have_attribute("data-pixels", healthy_pixels)

    assert current_task_id(page) == task_id
    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()
    assert dialogs == []

    # The stored value: one entry per label, row-major RLE of the image's size.
    annotations = requester.get(f"/api/v1/tasks/{task_id}/annotations", expect=200).json()["annotations"]
    assert len(annotations) == 1, annotations
    assert annotations[0]["worker"] == WORKER
    value = annotations[0]["value"]["segmentation"]
    assert [entry["label"] for entry in value] == ["tumour", "healthy"], value
    masks: dict[str, list[list[int]]] = {}
    for entry in value:
        assert set(entry) == {"label", "rle"}, entry.keys()
        assert entry["rle"]["size"] == [HEIGHT, WIDTH]
        assert all(run > 0 for run in entry["rle"]["counts"][1:]), "only the first run may be empty"
        masks[entry["label"]] = decode_row_major(entry["rle"])

    tumour = pixels_of(masks["tumour"])
    line = {(x, y) for x in range(5, 21) for y in (5, 6, 7)}
    filled = {(x, y) for x in range(32, 50) for y in range(10, 28)}
    assert line <= tumour, sorted(line - tumour)
    assert filled <= tumour, sorted(filled - tumour)
    # Nothing beyond the line and the filled square (with the brush's width around them).
    near_line = {(x, y) for x in range(2, 24) for y in range(3, 10)}
    near_square = {(x, y) for x in range(28, 54) for y in range(6, 32)}
    assert tumour <= near_line | near_square, sorted(tumour - near_line - near_square)
    assert {(12, 2), (12, 11), (25, 18), (56, 18), (40, 34)}.isdisjoint(tumour)
    healthy = pixels_of(masks["healthy"])
    column = {(x, y) for x in (9, 10, 11) for y in range(31, 42)}
    assert column <= healthy, sorted(column - healthy)
    assert healthy <= {(x, y) for x in range(7, 14) for y in range(28, 45)}, sorted(healthy)
    assert len(healthy) == int(healthy_pixels)

    exported = parse_jsonl(requester.export(project_id, "jsonl"))
    stored = [a for record in exported for a in record["annotations"] if a["worker"] == WORKER]
    assert [a["value"] for a in stored] == [annotations[0]["value"]]

    # COCO: the same masks as column-major uncompressed RLE.
    coco = json.loads(requester.export(project_id, "coco"))
    images = coco["images"]
    assert len(images) == 1, images
    image = images[0]
    assert (image["width"], image["height"], image["gloss_task_id"]) == (WIDTH, HEIGHT, task_id), image
    categories = {category["id"]: category["name"] for category in coco["categories"]}
    assert sorted(categories.values()) == ["healthy", "tumour"], categories
    mask_annotations = [a for a in coco["annotations"] if isinstance(a.get("segmentation"), dict)]
    assert len(mask_annotations) == 2, coco["annotations"]
    for annotation in mask_annotations:
        label = categories[annotation["category_id"]]
        assert annotation["image_id"] == image["id"]
        assert annotation["attributes"]["field"] == "segmentation"
        segmentation = annotation["segmentation"]
        assert segmentation["size"] == [HEIGHT, WIDTH]
        rle = mask_utils.frPyObjects(segmentation, HEIGHT, WIDTH)  # from COCO's column-major counts
        decoded = mask_utils.decode(rle)
        expected = np.array(masks[label], dtype=np.uint8)
        assert decoded.shape == (HEIGHT, WIDTH)
        assert np.array_equal(decoded, expected), f"COCO mask of {label} differs at {np.argwhere(decoded != expected)[:10]}"
        assert annotation["area"] == int(expected.sum()) == int(mask_utils.area(rle))
        assert np.allclose(annotation["bbox"], mask_utils.toBbox(rle)), (annotation["bbox"], mask_utils.toBbox(rle))

    # PNG masks: <image stem>/<label>.png, 8-bit grayscale, 255 inside.
    archive = zipfile.ZipFile(io.BytesIO(requester.get(
        f"/api/v1/projects/{project_id}/export", params={"format": "png_masks"}, expect=200
    ).content))
    names = set(archive.namelist())
    assert "labels.txt" in names, names
    stem = PurePosixPath(image["file_name"]).stem
    for label, mask in masks.items():
        name = f"{stem}/{label}.png"
        assert name in names, (name, names)
        picture = image_module.open(io.BytesIO(archive.read(name)))
        assert picture.mode == "L" and picture.size == (WIDTH, HEIGHT), (picture.mode, picture.size)
        assert np.array_equal(np.array(picture), np.array(mask, dtype=np.uint8) * 255), f"{name} differs"


def test_mask_encoding_of_a_large_image_is_fast(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    """Ending a brush stroke encodes the whole layer: on a 4000×3000 image that must take well under 100 ms."""
    server = gloss_server()
    page.goto(f"{server.url}/login")
    result = page.evaluate(
        """async () => {
            const rle = await import('/js/widgets/mask-rle.js');
            const width = 4000, height = 3000, mask = new Uint8Array(width * height);
            for (let k = 0; k < 100; k++) {
                rle.paintSegment(mask, width, height, (k * 397) % width, (k * 211) % height,
                                 (k * 113) % width, (k * 677) % height, 40, k % 4 ? 1 : 0);
            }
            const times = [];
            let counts;
            for (let run = 0; run < 5; run++) {
                const start = performance.now();
                counts = rle.encodeMask(mask, width, height);
                times.push(performance.now() - start);
            }
            const decoded = rle.decodeCounts(counts, width, height);
            let same = true;
            for (let i = 0; i < mask.length && same; i++) same = decoded[i] === mask[i];
            return { times, same, sum: counts.reduce((a, b) => a + b, 0), runs: counts.length };
        }"""
    )
    assert result["same"] and result["sum"] == 4000 * 3000, result
    assert result["runs"] > 1000, result  # a real mask, not an empty one
    assert min(result["times"]) < 100, f"encoding a 4000×3000 mask took {result['times']} ms"
