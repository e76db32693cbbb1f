"""Image annotations (boxes, polygons, keypoints, masks) go out in the formats vision teams train with and
load in the tools that read them: COCO in pycocotools (and scores AP 1.0 against itself in COCOeval),
YOLO, Pascal VOC and PNG masks as their files say, JSONL as submitted. COCO files come back in as
pre-labels, and shapes that make no sense are refused naming the field.

Contract: docs/fields.md (image field values) and the media, pre-label and export routes."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from gloss_e2e import Api, GlossServer, create_account, parse_jsonl

PROBLEM = "application/problem+json"

# --- the project ----------------------------------------------------------------------------------------

IMAGES: dict[str, tuple[int, int]] = {"street": (320, 240), "portrait": (200, 100), "wide": (640, 480)}  # stem: (w, h)
POINTS = [{"name": "nose", "sigma": 0.026}, {"name": "left_eye", "sigma": 0.025}, {"name": "right_eye", "sigma": 0.035}]
OCCLUDED = [{"name": "occluded", "type": "boolean"}]
SCHEMA: dict[str, Any] = {"fields": [
    {"name": "objects", "type": "boxes", "image": "image", "parents": True,
     "labels": [{"value": "car", "attributes": OCCLUDED}, {"value": "person", "attributes": OCCLUDED}]},
    {"name": "regions", "type": "polygons", "image": "image", "labels": ["road"], "required": False},
    {"name": "pose", "type": "keypoints", "labels": ["face"], "points": POINTS, "required": False,
     "skeleton": [["left_eye", "nose"], ["right_eye", "nose"], ["left_eye", "right_eye"]]},
    {"name": "mask", "type": "masks", "labels": ["lesion"], "required": False},
]}
CATEGORIES = ["car", "person", "road", "face", "lesion"]


def file_name(stem: str) -> str:
    return f"{stem}.png"


def png_image(width: int, height: int, seed: int) -> bytes:
    """An 8-bit RGB PNG (a gradient), written by hand."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw += bytes(((x * 255) // (width - 1), (y * 255) // (height - 1), (seed * 67) % 256))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


# --- masks: rows of 0/1, and the row-major RLE Gloss takes ------------------------------------------------

Mask = list[list[int]]


def ellipse_mask(width: int, height: int, cx: float, cy: float, rx: float, ry: float) -> Mask:
    return [[1 if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 else 0 for x in range(width)] for y in range(height)]


def rect_mask(width: int, height: int, x0: int, y0: int, x1: int, y1: int) -> Mask:
    return [[1 if x0 <= x < x1 and y0 <= y < y1 else 0 for x in range(width)] for y in range(height)]


def row_major_rle(mask: Mask) -> dict[str, Any]:
    """Runs of 0 and 1 alternating, left to right then top to bottom, starting with a (maybe empty) run of 0."""
    counts: list[int] = []
    current, run = 0, 0
    for row in mask:
        for value in row:
            if value != current:
                counts.append(run)
                current, run = value, 0
            run += 1
    counts.append(run)
    return {"size": [len(mask), len(mask[0])], "counts": counts}


MASKS: dict[str, Mask] = {
    # An ellipse wider than tall (a transposed decoding shows), a lone pixel, and the last pixel set (the
    # RLE ends with a run of 1).
    "street": ellipse_mask(320, 240, cx=120, cy=80, rx=30, ry=12),
    # The first pixel set: the RLE starts with an empty run of 0.
    "portrait": rect_mask(200, 100, 30, 10, 60, 20),
}
MASKS["street"][5][300] = 1
MASKS["street"][239][319] = 1
MASKS["portrait"][0][0] = 1

# --- what the worker submits, by image stem (= external id) ---------------------------------------------

VALUES: dict[str, dict[str, Any]] = {
    "street": {
        "objects": [
            {"id": "b1", "label": "car", "x": 10, "y": 20, "width": 100, "height": 50, "attributes": {"occluded": True}},
            {"id": "b2", "label": "person", "x": 150, "y": 30, "width": 40, "height": 120, "attributes": {"occluded": False}},
            {"id": "b3", "label": "car", "x": 20, "y": 25, "width": 30, "height": 30, "attributes": {"occluded": False}, "parent": "b1"},
        ],
        "regions": [
            {"id": "p1", "label": "road", "points": [[0, 180.5], [320, 180.5], [320, 240], [200.25, 240], [200.25, 210], [0, 210]],
             "attributes": {}},
            {"id": "p2", "label": "road", "points": [[50, 100], [120, 90], [90, 160]], "attributes": {}},
        ],
        "pose": [
            {"id": "k1", "label": "face", "keypoints": [[100.5, 50.25, 2], [95, 45, 1], [0, 0, 0]]},
            {"id": "k2", "label": "face", "keypoints": [[200, 60, 2], [190, 55, 2], [210, 55, 2]]},
        ],
        "mask": [{"label": "lesion", "rle": row_major_rle(MASKS["street"])}],
    },
    "portrait": {  # no polygons and no keypoints: those fields are left out
        "objects": [
            {"id": "b1", "label": "person", "x": 0, "y": 0, "width": 200, "height": 100, "attributes": {"occluded": False}},
            {"id": "b2", "label": "car", "x": 120, "y": 40, "width": 60, "height": 50},
        ],
        "mask": [{"label": "lesion", "rle": row_major_rle(MASKS["portrait"])}],
    },
    "wide": {  # no mask
        "objects": [
            {"id": "b1", "label": "car", "x": 301, "y": 200, "width": 150, "height": 80, "attributes": {"occluded": True}},
            {"id": "b2", "label": "person", "x": 500, "y": 100, "width": 60, "height": 200, "attributes": {"occluded": False}},
        ],
        "regions": [{"id": "p1", "label": "road", "points": [[0, 400], [640, 380], [640, 480], [0, 480]], "attributes": {}}],
        "pose": [{"id": "k1", "label": "face", "keypoints": [[320, 240, 2], [310, 230, 2], [330, 230, 1]]}],
    },
}


@dataclass
class Annotated:
    requester: Api
    worker: Api
    project_id: str
    media: dict[str, dict[str, Any]]  # by stem: MediaInfo
    image_bytes: dict[str, bytes]  # by stem
    task_ids: dict[str, str]  # by stem


def upload_images(requester: Api, project_id: str) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    """The three PNGs in one multipart upload; returns (MediaInfo by stem, bytes by stem)."""
    images = {stem: png_image(w, h, seed) for seed, (stem, (w, h)) in enumerate(IMAGES.items())}
    parts = [("file", (file_name(stem), data, "image/png")) for stem, data in images.items()]
    answered = requester.post(f"/api/v1/projects/{project_id}/media", files=parts, expect=201).json()["media"]
    media = {Path(m["file_name"]).stem: m for m in answered}
    assert sorted(media) == sorted(IMAGES)
    for stem, (w, h) in IMAGES.items():
        assert (media[stem]["width"], media[stem]["height"]) == (w, h)
        assert media[stem]["sha256"] == hashlib.sha256(images[stem]).hexdigest()
    return media, images


def image_project(server: GlossServer, schema: dict[str, Any] = SCHEMA) -> Annotated:
    """A requester's project over the three uploaded images, one task each; nothing annotated yet."""
    requester = Api(server.url, create_account(server, "r@x.test", "requester", org="X"))
    worker = Api(server.url, create_account(server, "w@x.test", "worker"))
    project_id = requester.create_project("Images", schema=schema)["id"]
    media, images = upload_images(requester, project_id)
    tasks = [{"external_id": stem, "data": {"image": media[stem]["url"]}} for stem in IMAGES]
    assert requester.import_tasks(project_id, tasks) == len(tasks)
    return Annotated(requester, worker, project_id, media, images, {})


def annotated_project(server: GlossServer, schema: dict[str, Any] = SCHEMA,
                      values: dict[str, dict[str, Any]] = VALUES) -> Annotated:
    """image_project, with every task answered by the worker as `values` says."""
    project = image_project(server, schema)
    while True:
        leased = project.worker.get(f"/api/v1/projects/{project.project_id}/next", expect=(200, 204))
        if leased.status_code == 204:
            break
        task = leased.json()
        project.task_ids[task["external_id"]] = task["id"]
        project.worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": values[task["external_id"]]}, expect=201)
        assert len(project.task_ids) <= len(IMAGES), "the worker was handed more tasks than there are"
    assert sorted(project.task_ids) == sorted(IMAGES)
    return project


def export_zip(api: Api, project_id: str, fmt: str, **params: str) -> zipfile.ZipFile:
    response = api.get(f"/api/v1/projects/{project_id}/export", params={"format": fmt, **params}, expect=200)
    assert response.content[:2] == b"PK", f"{fmt} export is not a zip: {response.content[:200]!r}"
    return zipfile.ZipFile(io.BytesIO(response.content))


def flat(points: list[list[float]]) -> list[float]:
    return [coordinate for point in points for coordinate in point]


def polygon_bounds(points: list[list[float]]) -> list[float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]


# --- COCO -----------------------------------------------------------------------------------------------


def self_evaluation_ap(coco: Any, iou_type: str, category_ids: list[int], sigmas: list[float] | None = None) -> float:
    """AP@[.5:.95] of the export's own annotations (of these categories) as detections of score 1.0."""
    import numpy as np
    from pycocotools.cocoeval import COCOeval

    detections = []
    for ann in coco.loadAnns(coco.getAnnIds(catIds=category_ids)):
        detection: dict[str, Any] = {"image_id": ann["image_id"], "category_id": ann["category_id"], "score": 1.0}
        if iou_type == "bbox":
            detection["bbox"] = list(ann["bbox"])
        elif iou_type == "segm":
            detection["segmentation"] = coco.annToRLE(ann)  # polygons and uncompressed RLE to compressed RLE
        else:
            detection["keypoints"] = list(ann["keypoints"])
        detections.append(detection)
    assert detections, f"no annotations of categories {category_ids}"
    per_image: dict[int, int] = {}
    for detection in detections:
        per_image[detection["image_id"]] = per_image.get(detection["image_id"], 0) + 1
    assert max(per_image.values()) <= 100

    evaluation = COCOeval(coco, coco.loadRes(detections), iou_type)
    evaluation.params.catIds = category_ids
    if sigmas is not None:
        evaluation.params.kpt_oks_sigmas = np.array(sigmas)
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    return float(evaluation.stats[0])


def check_coco(text: str, task_ids: dict[str, str], tmp_path: Path) -> None:
    """A COCO export of VALUES, read by pycocotools and compared with what was submitted."""
    import numpy as np
    from pycocotools import mask as mask_utils
    from pycocotools.coco import COCO

    document = json.loads(text)
    path = tmp_path / "instances.json"
    path.write_text(text, encoding="utf-8")
    coco = COCO(str(path))

    # Images: 1-based ids, the uploaded file names and sizes, the task each came from.
    images = {image["file_name"]: image for image in document["images"]}
    assert sorted(images) == sorted(file_name(stem) for stem in IMAGES)
    assert sorted(image["id"] for image in document["images"]) == [1, 2, 3]
    stem_of_image: dict[int, str] = {}
    for stem, (width, height) in IMAGES.items():
        image = images[file_name(stem)]
        assert (image["width"], image["height"]) == (width, height)
        assert image["gloss_task_id"] == task_ids[stem]
        stem_of_image[image["id"]] = stem

    # Categories: one per label, 1-based; the keypoint class carries its points and a 1-based skeleton.
    categories = {category["name"]: category for category in document["categories"]}
    assert sorted(categories) == sorted(CATEGORIES)
    assert sorted(category["id"] for category in document["categories"]) == list(range(1, len(CATEGORIES) + 1))
    assert all(category["supercategory"] == "" for category in document["categories"])
    assert categories["face"]["keypoints"] == ["nose", "left_eye", "right_eye"]
    assert categories["face"]["skeleton"] == [[2, 1], [3, 1], [2, 3]]
    category_name = {category["id"]: category["name"] for category in document["categories"]}

    annotations = document["annotations"]
    assert len({ann["id"] for ann in annotations}) == len(annotations), "annotation ids repeat"
    expected_count = sum(len(value.get(field, [])) for value in VALUES.values() for field in ("objects", "regions", "pose", "mask"))
    assert len(annotations) == expected_count
    assert all(ann["iscrowd"] == 0 for ann in annotations)
    by_item: dict[tuple[str, str, str], dict[str, Any]] = {}
    masks: dict[tuple[str, str], dict[str, Any]] = {}
    for ann in annotations:
        stem, field = stem_of_image[ann["image_id"]], ann["attributes"]["field"]
        if field == "mask":
            masks[(stem, category_name[ann["category_id"]])] = ann
        else:
            by_item[(stem, field, ann["attributes"]["gloss_id"])] = ann

    for stem, value in VALUES.items():
        for box in value["objects"]:
            ann = by_item[(stem, "objects", box["id"])]
            assert category_name[ann["category_id"]] == box["label"]
            assert ann["bbox"] == [box["x"], box["y"], box["width"], box["height"]]
            assert ann["area"] == pytest.approx(box["width"] * box["height"])
            for name, attribute in box.get("attributes", {}).items():
                assert ann["attributes"][name] == attribute
            if "parent" in box:
                assert ann["attributes"]["parent_id"] == by_item[(stem, "objects", box["parent"])]["id"]
            else:
                assert ann["attributes"].get("parent_id") is None
        for polygon in value.get("regions", []):
            ann = by_item[(stem, "regions", polygon["id"])]
            assert category_name[ann["category_id"]] == polygon["label"]
            assert ann["segmentation"] == [flat(polygon["points"])]
            assert ann["bbox"] == pytest.approx(polygon_bounds(polygon["points"]))
            assert ann["area"] > 0
        for instance in value.get("pose", []):
            ann = by_item[(stem, "pose", instance["id"])]
            assert category_name[ann["category_id"]] == "face"
            assert ann["keypoints"] == flat(instance["keypoints"])
            assert ann["num_keypoints"] == sum(1 for point in instance["keypoints"] if point[2] > 0)
        for layer in value.get("mask", []):
            ann = masks[(stem, layer["label"])]
            expected = np.array(MASKS[stem], dtype=np.uint8)
            height, width = expected.shape
            segmentation = ann["segmentation"]
            assert segmentation["size"] == [height, width]
            assert isinstance(segmentation["counts"], list), "masks are uncompressed RLE"
            assert sum(segmentation["counts"]) == height * width
            decoded = mask_utils.decode(mask_utils.frPyObjects(segmentation, height, width))  # column-major RLE
            assert decoded.shape == (height, width)
            assert np.array_equal(decoded, expected), "the COCO RLE does not decode to the submitted mask"
            assert ann["area"] == pytest.approx(int(expected.sum()))
            assert ann["bbox"] == pytest.approx(list(mask_utils.toBbox(mask_utils.frPyObjects(segmentation, height, width))))
    assert len(masks) == sum(len(value.get("mask", [])) for value in VALUES.values())

    # The export against itself: every annotation found exactly.
    ids = {name: categories[name]["id"] for name in CATEGORIES}
    assert self_evaluation_ap(coco, "bbox", [ids["car"], ids["person"], ids["road"], ids["lesion"]]) == 1.0
    assert self_evaluation_ap(coco, "segm", [ids["road"], ids["lesion"]]) == 1.0
    assert self_evaluation_ap(coco, "keypoints", [ids["face"]], sigmas=[point["sigma"] for point in POINTS]) == 1.0


def test_coco_export_loads_in_pycocotools_and_scores_itself_perfectly(gloss_server: Callable[..., GlossServer], tmp_path: Path) -> None:
    server = gloss_server()
    project = annotated_project(server)
    text = project.requester.export(project.project_id, "coco")
    document = json.loads(text)
    check_coco(text, project.task_ids, tmp_path)

    # The CLI writes the same document.
    cli_path = tmp_path / "cli.json"
    server.cli("export", "--project", project.project_id, "--format", "coco", "--output", str(cli_path))
    from_cli = json.loads(cli_path.read_text(encoding="utf-8"))
    for key in ("images", "categories", "annotations"):
        assert from_cli[key] == document[key]


# --- YOLO -----------------------------------------------------------------------------------------------


def six(value: float) -> str:
    """`value` to 6 decimals; the test data keeps clear of ties, where two correct programs could differ."""
    assert abs((value * 1e6) % 1 - 0.5) > 1e-3, f"test data: {value} is a rounding tie at 6 decimals"
    return f"{value:.6f}"


def yolo_box_line(class_index: int, box: dict[str, Any], width: int, height: int) -> str:
    cx = (box["x"] + box["width"] / 2) / width
    cy = (box["y"] + box["height"] / 2) / height
    return f"{class_index} {six(cx)} {six(cy)} {six(box['width'] / width)} {six(box['height'] / height)}"


def yolo_polygon_line(class_index: int, points: list[list[float]], width: int, height: int) -> str:
    return f"{class_index} " + " ".join(f"{six(x / width)} {six(y / height)}" for x, y in points)


def yolo_names(archive: zipfile.ZipFile, folder: str) -> list[str]:
    """The class names of data.yaml (a list or a {index: name} map), which classes.txt must repeat."""
    import yaml

    data = yaml.safe_load(archive.read(f"{folder}data.yaml").decode("utf-8"))
    names = data["names"]
    if isinstance(names, dict):
        assert sorted(int(k) for k in names) == list(range(len(names)))
        names = [names[k] for k in sorted(names, key=int)]
    if "nc" in data:
        assert data["nc"] == len(names)
    classes = [line.strip() for line in archive.read(f"{folder}classes.txt").decode("utf-8").splitlines() if line.strip()]
    assert classes == names
    return list(names)


def label_lines(archive: zipfile.ZipFile, path: str) -> list[str] | None:
    if path not in archive.namelist():
        return None
    return [line.strip() for line in archive.read(path).decode("utf-8").splitlines() if line.strip()]


def check_yolo(archive: zipfile.ZipFile) -> None:
    """A YOLO export of VALUES (boxes and polygons: detect/ and segment/), without images."""
    assert not any("images/" in name for name in archive.namelist()), "images were not asked for"
    assert yolo_names(archive, "detect/") == ["car", "person"]
    assert yolo_names(archive, "segment/") == ["road"]
    for stem, (width, height) in IMAGES.items():
        value = VALUES[stem]
        boxes = [yolo_box_line(["car", "person"].index(box["label"]), box, width, height) for box in value["objects"]]
        assert label_lines(archive, f"detect/labels/{stem}.txt") == boxes
        polygons = [yolo_polygon_line(0, polygon["points"], width, height) for polygon in value.get("regions", [])]
        found = label_lines(archive, f"segment/labels/{stem}.txt")
        if polygons:
            assert found == polygons
        else:
            assert not found, f"{stem} has no polygons, yet segment/labels/{stem}.txt says {found}"


def check_yolo_images(archive: zipfile.ZipFile, image_bytes: dict[str, bytes]) -> None:
    """With images=true the uploaded files come along, byte for byte."""
    for stem, data in image_bytes.items():
        entries = [name for name in archive.namelist() if name.endswith(f"images/{file_name(stem)}")]
        assert entries, f"no images/{file_name(stem)} in {archive.namelist()}"
        for entry in entries:
            assert hashlib.sha256(archive.read(entry)).hexdigest() == hashlib.sha256(data).hexdigest()


def test_yolo_export_has_detect_and_segment_labels(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = annotated_project(server)
    check_yolo(export_zip(project.requester, project.project_id, "yolo"))
    check_yolo_images(export_zip(project.requester, project.project_id, "yolo", images="true"), project.image_bytes)


def test_yolo_export_of_boxes_alone_is_flat(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    schema = {"fields": [SCHEMA["fields"][0]]}
    values = {stem: {"objects": value["objects"]} for stem, value in VALUES.items()}
    project = annotated_project(server, schema, values)
    archive = export_zip(project.requester, project.project_id, "yolo")
    assert not any(name.startswith(("detect/", "segment/")) for name in archive.namelist())
    assert yolo_names(archive, "") == ["car", "person"]
    for stem, (width, height) in IMAGES.items():
        boxes = [yolo_box_line(["car", "person"].index(box["label"]), box, width, height) for box in values[stem]["objects"]]
        assert label_lines(archive, f"labels/{stem}.txt") == boxes


# --- Pascal VOC and PNG masks ---------------------------------------------------------------------------


def voc_objects(root: ET.Element) -> list[tuple[str, int, int, int, int]]:
    """(name, xmin, ymin, xmax, ymax) of every object, and of every part nested in one."""
    found = []
    for element in [*root.iter("object"), *root.iter("part")]:
        box = element.find("bndbox")
        if box is None:
            continue
        found.append((element.findtext("name", "").strip(), *(int(box.findtext(tag, "").strip()) for tag in ("xmin", "ymin", "xmax", "ymax"))))
    return found


def check_voc(archive: zipfile.ZipFile) -> None:
    for stem, (width, height) in IMAGES.items():
        root = ET.fromstring(archive.read(f"Annotations/{stem}.xml"))
        assert root.tag == "annotation"
        assert root.findtext("filename") == file_name(stem)
        size = root.find("size")
        assert size is not None
        assert (int(size.findtext("width", "")), int(size.findtext("height", ""))) == (width, height)
        expected = [(box["label"], box["x"] + 1, box["y"] + 1, box["x"] + box["width"], box["y"] + box["height"])
                    for box in VALUES[stem]["objects"]]
        assert sorted(voc_objects(root)) == sorted(expected)
    image_set = archive.read("ImageSets/Main/default.txt").decode("utf-8").split()
    assert sorted(image_set) == sorted(IMAGES)
    labelmap = archive.read("labelmap.txt").decode("utf-8")
    labels = {line.split(":")[0].strip() for line in labelmap.splitlines() if line.strip() and not line.startswith("#")}
    assert {"car", "person"} <= labels


def test_voc_export(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = annotated_project(server)
    check_voc(export_zip(project.requester, project.project_id, "voc"))


def check_png_masks(archive: zipfile.ZipFile) -> None:
    import numpy as np
    from PIL import Image

    labels = [line.strip() for line in archive.read("labels.txt").decode("utf-8").splitlines() if line.strip()]
    assert "lesion" in labels
    for stem, (width, height) in IMAGES.items():
        path = f"{stem}/lesion.png"
        if stem not in MASKS:
            if path in archive.namelist():  # an empty layer may be written; then it is all 0
                assert not np.array(Image.open(io.BytesIO(archive.read(path)))).any()
            continue
        image = Image.open(io.BytesIO(archive.read(path)))
        assert image.format == "PNG"
        assert image.mode == "L"
        assert image.size == (width, height)
        assert np.array_equal(np.array(image), np.array(MASKS[stem], dtype=np.uint8) * 255)


def test_png_masks_export(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = annotated_project(server)
    check_png_masks(export_zip(project.requester, project.project_id, "png_masks"))


# --- JSONL ----------------------------------------------------------------------------------------------


def test_jsonl_export_round_trips_the_values(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = annotated_project(server)
    records = {record["external_id"]: record for record in parse_jsonl(project.requester.export(project.project_id, "jsonl"))}
    assert sorted(records) == sorted(IMAGES)
    for stem in IMAGES:
        record = records[stem]
        assert record["id"] == project.task_ids[stem]
        assert record["data"] == {"image": project.media[stem]["url"]}
        assert [annotation["value"] for annotation in record["annotations"]] == [VALUES[stem]]
        assert record["annotations"][0]["worker"] == "w@x.test"


# --- pre-labels from COCO -------------------------------------------------------------------------------


def test_coco_prelabels_match_images_by_file_name(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = image_project(server)
    # Ids of the file's own choosing: images and categories are matched by name, not id.
    document = {
        "images": [
            {"id": 7, "file_name": file_name("street"), "width": 320, "height": 240},
            {"id": 8, "file_name": file_name("wide"), "width": 640, "height": 480},
            {"id": 9, "file_name": "unknown.jpg", "width": 100, "height": 100},
        ],
        "categories": [{"id": 5, "name": "person", "supercategory": ""}, {"id": 9, "name": "car", "supercategory": ""}],
        "annotations": [
            {"id": 1, "image_id": 7, "category_id": 9, "bbox": [12.5, 20, 100, 50.25], "area": 5025.0, "iscrowd": 0},
            {"id": 2, "image_id": 7, "category_id": 5, "bbox": [150, 30, 40, 120], "area": 4800.0, "iscrowd": 0},
            {"id": 3, "image_id": 8, "category_id": 5, "bbox": [500, 100, 60, 200], "area": 12000.0, "iscrowd": 0},
            {"id": 4, "image_id": 9, "category_id": 9, "bbox": [1, 1, 10, 10], "area": 100.0, "iscrowd": 0},
        ],
    }
    answer = project.requester.post(
        f"/api/v1/projects/{project.project_id}/prelabels",
        params={"format": "coco", "field": "objects", "model": "detector-v1"},
        json=document,
        expect=200,
    ).json()
    assert answer["matched_images"] == 2
    assert answer["unmatched_images"] == ["unknown.jpg"]
    assert answer["annotations"] == 3

    expected = {
        "street": [("car", 12.5, 20, 100, 50.25), ("person", 150, 30, 40, 120)],
        "wide": [("person", 500, 100, 60, 200)],
        "portrait": None,
    }
    seen = set()
    while True:
        leased = project.worker.get(f"/api/v1/projects/{project.project_id}/next", expect=(200, 204))
        if leased.status_code == 204:
            break
        task = leased.json()
        stem = task["external_id"]
        seen.add(stem)
        if expected[stem] is None:
            assert task["prelabels"] == []
        else:
            assert len(task["prelabels"]) == 1, task["prelabels"]
            prelabel = task["prelabels"][0]
            assert prelabel["model"] == "detector-v1"
            boxes = prelabel["value"]["objects"]
            assert [(b["label"], b["x"], b["y"], b["width"], b["height"]) for b in boxes] == expected[stem]
            assert len({b["id"] for b in boxes}) == len(boxes), "pre-labelled boxes need distinct ids"
        project.worker.post(f"/api/v1/tasks/{task['id']}/skip", expect=204)
        assert len(seen) <= len(IMAGES)
    assert seen == set(IMAGES)


# --- values that make no sense --------------------------------------------------------------------------


def broken(path: list[Any], replacement: Any) -> dict[str, Any]:
    """VALUES["street"] with the item at `path` replaced."""
    value = copy.deepcopy(VALUES["street"])
    target: Any = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    return value


def test_impossible_shapes_are_refused_naming_the_field(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    project = image_project(server)
    # Lease the street image (320x240); skip the others.
    while True:
        task = project.worker.get(f"/api/v1/projects/{project.project_id}/next", expect=200).json()
        if task["external_id"] == "street":
            break
        project.worker.post(f"/api/v1/tasks/{task['id']}/skip", expect=204)

    street_mask = VALUES["street"]["mask"][0]
    bad_counts = list(street_mask["rle"]["counts"])
    bad_counts[-1] += 7
    cases = [
        ("a polygon of two points", broken(["regions", 0, "points"], [[10, 10], [50, 10]]), "value.regions[0].points"),
        ("a bow tie", broken(["regions", 0, "points"], [[0, 0], [100, 100], [100, 0], [0, 100]]), "value.regions[0].points"),
        ("a box past the right edge", broken(["objects", 1], {"id": "b2", "label": "person", "x": 300, "y": 30, "width": 50, "height": 40}),
         "value.objects[1]"),
        ("a parent that is not a box", broken(["objects", 2, "parent"], "b9"), "value.objects[2]"),
        ("two keypoints of three", broken(["pose", 0, "keypoints"], [[100, 50, 2], [95, 45, 1]]), "value.pose[0].keypoints"),
        ("RLE counts that do not add up", broken(["mask", 0, "rle"], {"size": street_mask["rle"]["size"], "counts": bad_counts}),
         "value.mask[0].rle"),
    ]
    for name, value, field in cases:
        response = project.worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": value})
        assert response.status_code == 422, f"{name}: {response.status_code} {response.text[:1000]}"
        assert response.headers.get("Content-Type", "").startswith(PROBLEM), name
        problem = response.json()
        assert problem["status"] == 422
        fields = [error["field"] for error in problem.get("errors", [])]
        assert any(f.startswith(field) for f in fields), f"{name}: errors name {fields}, not {field}"
    # The same value without the fault is taken (the refusals were about the faults alone).
    project.worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": VALUES["street"]}, expect=201)
