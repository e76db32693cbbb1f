"""The LiDAR editor in a real browser: a requester uploads a two-frame sequence of 120,000-point clouds (KITTI
.bin, a ground plane and a car-shaped cluster that moves 1.5 m between frames) with a KITTI calibration. A worker
places a 3D box on the car by dragging its footprint in the top view, snaps it to the points (F), steps to the
next frame and drags the box onto the car there (a keyframe), and submits. The JSONL export holds the box in the
LiDAR frame on both keyframes; the KITTI export holds one label line per frame whose every field equals a
computation made here, independently, from the exported box and the calibration. The editor's frame time with
120,000 points is recorded (headless Chromium renders WebGL in software: recorded, not held to 60 fps).

Contract: docs/fields.md (`cuboids`), docs/formats.md (KITTI), lidar.js's test hook `window.glossLidar`."""

from __future__ import annotations

import io
import math
import statistics
import zipfile
from typing import Any, Callable

import numpy as np
from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in

POINTS = 120_000
CAR = {"x": 12.0, "y": 2.0, "l": 4.4, "w": 1.8, "h": 1.5, "yaw": 0.0}
GROUND_Z = -1.7
CALIBRATION = """P2: 721.5377 0 609.5593 44.85728 0 721.5377 172.854 0.2163791 0 0 1 0.002745884
R0_rect: 0.9999239 0.00983776 -0.007445048 -0.009869795 0.9999421 -0.004278459 0.007402527 0.004351614 0.9999631
Tr_velo_to_cam: 0.007533745 -0.9999714 -0.000616602 -0.004069766 0.01480249 0.0007280733 -0.9998902 -0.07631618 0.9998621 0.00752379 0.01480755 -0.2717806
"""
SCHEMA: dict[str, Any] = {"fields": [{"name": "objects", "type": "cuboids", "label": "3D boxes", "labels": [
    {"value": "Car", "hotkey": "v", "color": "#e6194b"}, {"value": "Pedestrian", "hotkey": "p", "color": "#3cb44b"}]}]}


def cloud(frame: int) -> bytes:
    """Ground points around the sensor and a car-shaped cluster (its surface) at CAR, moved 1.5 m a frame."""
    rng = np.random.default_rng(frame)
    car_points = 20_000
    ground = np.column_stack([rng.uniform(-10, 40, POINTS - car_points), rng.uniform(-15, 15, POINTS - car_points),
                              GROUND_Z + rng.normal(0, 0.02, POINTS - car_points)])
    cx, cy = CAR["x"] + 1.5 * frame, CAR["y"]
    # Keep the ground clear under the car so snapping finds the car alone.
    far = (np.abs(ground[:, 0] - cx) > CAR["l"] / 2 + 0.4) | (np.abs(ground[:, 1] - cy) > CAR["w"] / 2 + 0.4)
    ground = ground[far]
    u = rng.uniform(-0.5, 0.5, (car_points, 3)) * [CAR["l"], CAR["w"], CAR["h"]]
    face = rng.integers(0, 3, car_points)
    u[np.arange(car_points), face] = np.sign(u[np.arange(car_points), face]) * np.array([CAR["l"], CAR["w"], CAR["h"]])[face] / 2
    car = u + [cx, cy, GROUND_Z + 0.2 + CAR["h"] / 2]
    points = np.vstack([ground, car])[:POINTS]
    if len(points) < POINTS:
        points = np.vstack([points, car[: POINTS - len(points)]])
    intensity = rng.uniform(0, 1, (POINTS, 1))
    return np.hstack([points, intensity]).astype("<f4").tobytes()


def kitti_line(box: dict[str, float], calibration: str, label: str) -> list[str]:
    """KITTI's label fields for a LiDAR box, computed from the definitions (docs/formats.md), not Gloss's code."""
    rows = {line.split(":")[0]: [float(v) for v in line.split(":")[1].split()] for line in calibration.strip().splitlines()}
    p2 = np.array(rows["P2"]).reshape(3, 4)
    r0 = np.array(rows["R0_rect"]).reshape(3, 3)
    tr = np.array(rows["Tr_velo_to_cam"]).reshape(3, 4)

    def to_camera(point: np.ndarray) -> np.ndarray:
        return r0 @ (tr @ np.append(point, 1.0))

    x, y, z, l, w, h, yaw = (box[k] for k in ("x", "y", "z", "l", "w", "h", "yaw"))
    location = to_camera(np.array([x, y, z - h / 2]))
    heading = r0 @ tr[:, :3] @ np.array([math.cos(yaw), math.sin(yaw), 0.0])
    rotation_y = -math.atan2(heading[2], heading[0])
    rotation_y = math.atan2(math.sin(rotation_y), math.cos(rotation_y))
    alpha = rotation_y - math.atan2(location[0], location[2])
    alpha = math.atan2(math.sin(alpha), math.cos(alpha))
    corners = []
    for dx in (l / 2, -l / 2):
        for dy in (w / 2, -w / 2):
            for dz in (h / 2, -h / 2):
                local = np.array([dx * math.cos(yaw) - dy * math.sin(yaw), dx * math.sin(yaw) + dy * math.cos(yaw), dz])
                camera = to_camera(np.array([x, y, z]) + local)
                pixel = p2 @ np.append(camera, 1.0)
                corners.append(pixel[:2] / pixel[2])
    us, vs = [c[0] for c in corners], [c[1] for c in corners]
    left, top, right, bottom = max(0, min(us)), max(0, min(vs)), min(1241, max(us)), min(374, max(vs))
    unclipped = (max(us) - min(us)) * (max(vs) - min(vs))
    truncated = 1 - (right - left) * (bottom - top) / unclipped
    numbers = [truncated, 0, alpha, left, top, right, bottom, h, w, l, *location, rotation_y]
    fields = [label] + [f"{v:.2f}" if i != 1 else "0" for i, v in enumerate(numbers)]
    return ["0.00" if f == "-0.00" else f for f in fields]


def drag(page: Page, start: dict[str, float], end: dict[str, float]) -> None:
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(start["x"] + (end["x"] - start["x"]) * step / 8, start["y"] + (end["y"] - start["y"]) * step / 8)
    page.mouse.up()


def test_worker_places_and_tracks_a_box_and_kitti_holds_it(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-lidar@x.test", "requester", org="X"))
    project_id = requester.create_project("Roads", schema=SCHEMA)["id"]
    files = [("file", (f"00000{n}.bin", cloud(n), "application/octet-stream")) for n in range(2)]
    media = requester.post(f"/api/v1/projects/{project_id}/media", files=files, expect=201).json()["media"]
    assert [m["point_count"] for m in media] == [POINTS, POINTS], media
    data = {"points": [m["url"] for m in media], "calibration": CALIBRATION, "image_width": 1242, "image_height": 375}
    assert requester.import_tasks(project_id, [{"external_id": "seq-1", "data": data}]) == 1

    create_account(server, "driver@x.test", "worker")
    sign_in(page, server, "driver@x.test", DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    page.wait_for_function("() => window.glossLidar?.points?.loaded === true", timeout=30_000)
    hook = "window.glossLidar.points"
    assert page.evaluate(f"{hook}.pointCount") == POINTS
    assert page.evaluate(f"{hook}.frameCount") == 2

    # Frame 0: the car's footprint, dragged in the top view corner to corner (a little loose), then F snaps it.
    page.evaluate(f"{hook}.setTopView({CAR['x']}, {CAR['y']}, 0)")
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("v")
    start = page.evaluate(f"{hook}.topViewToScreen({CAR['x'] - 2.5}, {CAR['y'] - 1.1})")
    end = page.evaluate(f"{hook}.topViewToScreen({CAR['x'] + 2.5}, {CAR['y'] + 1.1})")
    drag(page, start, end)
    page.wait_for_function(f"() => {hook}.boxes().length === 1")
    placed = page.evaluate(f"{hook}.boxes()[0]")
    assert placed["label"] == "Car", placed
    page.keyboard.press("f")
    page.wait_for_function(f"() => Math.abs({hook}.boxes()[0].l - {CAR['l']}) < 0.3")
    snapped = page.evaluate(f"{hook}.boxes()[0]")
    assert abs(snapped["x"] - CAR["x"]) < 0.2 and abs(snapped["y"] - CAR["y"]) < 0.2, snapped
    assert abs(snapped["w"] - CAR["w"]) < 0.3 and abs(snapped["h"] - CAR["h"]) < 0.3, snapped

    # Frame 1: the car moved 1.5 m along x; drag the box onto it (a keyframe with the same id).
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => {hook}.frame === 1 && {hook}.loaded")
    page.evaluate(f"{hook}.setTopView({CAR['x'] + 0.75}, {CAR['y']}, 0)")
    grab = page.evaluate(f"{hook}.topViewToScreen({snapped['x']}, {snapped['y']})")
    drop = page.evaluate(f"{hook}.topViewToScreen({snapped['x'] + 1.5}, {snapped['y']})")
    drag(page, grab, drop)
    page.wait_for_function(f"() => Math.abs({hook}.boxes()[0].x - {snapped['x'] + 1.5}) < 0.1")

    # The frame time with 120,000 points, every view: recorded.
    assert page.evaluate(f"{hook}.webgl") in ("webgl", "webgl2")
    times = page.evaluate(f"{hook}.benchmark(20)")
    # The time until the frame's pixels can be read back: the whole software rasterisation of every view.
    readback = page.evaluate("""() => {
        const canvas = document.querySelector('canvas.lidar-gl');
        const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');  // the editor's own context
        const pixel = new Uint8Array(4);
        const times = [];
        for (let k = 0; k < 10; k++) {
            const started = performance.now();
            window.glossLidar.points.render();
            gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);  // waits for the rasterisation
            times.push(performance.now() - started);
        }
        return times;
    }""")
    print(f"\nLiDAR editor, {POINTS:,} points, {page.evaluate(f'{hook}.webgl')} in software: submitting a render of all views "
          f"median {statistics.median(times):.1f} ms (max {max(times):.1f} ms, {len(times)} renders); render plus read-back of the "
          f"pixels median {statistics.median(readback):.1f} ms; {page.evaluate(f'{hook}.drawCalls')} draw calls a render")

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()

    # JSONL: the track in the LiDAR frame, keyframes 0 and 1.
    record = parse_jsonl(requester.export(project_id, "jsonl"))[0]
    assert record["id"] == task_id
    tracks = record["annotations"][0]["value"]["objects"]
    assert len(tracks) == 1 and tracks[0]["label"] == "Car"
    keyframes = tracks[0]["keyframes"]
    assert [k["frame"] for k in keyframes] == [0, 1], keyframes
    assert abs(keyframes[1]["x"] - keyframes[0]["x"] - 1.5) < 0.1

    # KITTI: a label and the calibration per frame; every field equals the definition computed here.
    response = requester.get(f"/api/v1/projects/{project_id}/export?format=kitti", expect=200)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["calib/000000.txt", "calib/000001.txt", "label_2/000000.txt", "label_2/000001.txt"]
    assert archive.read("calib/000000.txt").decode() == CALIBRATION
    for frame, keyframe in enumerate(keyframes):
        lines = archive.read(f"label_2/00000{frame}.txt").decode().splitlines()
        assert len(lines) == 1, lines
        expected = kitti_line(keyframe, CALIBRATION, "Car")
        actual = lines[0].split(" ")
        assert len(actual) == 15
        assert actual[0] == expected[0] and actual[2] == expected[2]
        for index in range(3, 15):  # numbers to KITTI's 2 decimals; allow one unit in the last place for rounding
            assert abs(float(actual[index]) - float(expected[index])) <= 0.0101, (index, actual, expected)
        assert abs(float(actual[1]) - float(expected[1])) <= 0.0101, (actual, expected)
