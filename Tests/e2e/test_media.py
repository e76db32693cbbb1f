"""Media uploads over HTTP: images and a video are stored content-addressed, read back byte for byte (with
ranges and ETags), refused when they are too large, not media, or broken, and shown only to those who may
see the project. A video's frames come back one by one as JPEGs, each the right frame.

Contract: POST /api/v1/projects/{id}/media (multipart, parts named `file`), GET /api/v1/media/{id},
/info and /frames/{n}, GET /api/v1/projects/{id}/media."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from gloss_e2e import Api, GlossServer, create_account, png_image

IN_CI = os.environ.get("CI", "").lower() == "true"
PROBLEM = "application/problem+json"


# --- making files ---------------------------------------------------------------------------------------


def jpeg_image(width: int, height: int) -> bytes:
    """A baseline JPEG, made with Pillow."""
    from PIL import Image

    image = Image.new("RGB", (width, height))
    image.putdata([((x * 4) % 256, (y * 4) % 256, 90) for y in range(height) for x in range(width)])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, progressive=False)
    return out.getvalue()


# The video: 20 frames of 160x120 at 10 fps. Each frame shows its own number along its top edge as 8
# blocks of 20x20 pixels, most significant bit first, white for 1 and black for 0: big enough to survive
# lossy compression and the JPEG the server answers.
VIDEO_W, VIDEO_H, VIDEO_FRAMES, VIDEO_FPS, BLOCK = 160, 120, 20, 10, 20


def video_frame(n: int) -> bytes:
    pixels = bytearray()
    for y in range(VIDEO_H):
        for x in range(VIDEO_W):
            if y < BLOCK:
                level = 255 if (n >> (7 - x // BLOCK)) & 1 else 0
                pixels += bytes((level, level, level))
            else:  # something that changes from frame to frame below the blocks
                pixels += bytes(((x * 3 + n * 10) % 256, (y * 2) % 256, 128))
    return bytes(pixels)


def read_frame_number(jpeg: bytes) -> int:
    """The number the blocks of a frame show: the mean of each block's middle 10x10 pixels, against 128."""
    from PIL import Image

    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    assert image.size == (VIDEO_W, VIDEO_H)
    gray = image.convert("L")
    number = 0
    for index in range(8):
        inside = [gray.getpixel((index * BLOCK + dx, dy)) for dx in range(5, 15) for dy in range(5, 15)]
        bit = 1 if sum(inside) / len(inside) >= 128 else 0
        number |= bit << (7 - index)
    return number


def ffmpeg_or_skip() -> str:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        message = "ffmpeg is not on the PATH (scripts/test installs it)"
        if IN_CI:
            pytest.fail(message + "; under CI=true the video test must run")
        pytest.skip(message)
    return ffmpeg


def make_video(ffmpeg: str, path: Path) -> bytes:
    encoders = subprocess.run([ffmpeg, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=60).stdout
    if "libx264" in encoders:
        codec = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18"]
    else:
        codec = ["-c:v", "mpeg4", "-q:v", "2"]
    raw = b"".join(video_frame(n) for n in range(VIDEO_FRAMES))
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", f"{VIDEO_W}x{VIDEO_H}", "-r", str(VIDEO_FPS), "-i", "-", *codec, "-pix_fmt", "yuv420p", str(path)],
        input=raw, check=True, capture_output=True, timeout=120,
    )
    return path.read_bytes()


# --- the API --------------------------------------------------------------------------------------------


def setup(server: GlossServer) -> tuple[Api, str]:
    """A requester of organization X and a project of theirs; returns (requester, project id)."""
    requester = Api(server.url, create_account(server, "r@x.test", "requester", org="X"))
    project_id = requester.create_project("Media", schema={"fields": [
        {"name": "objects", "type": "boxes", "labels": ["car"]}]})["id"]
    return requester, project_id


def upload(api: Api, project_id: str, files: list[tuple[str, bytes, str]], *, expect: int | tuple[int, ...] = 201) -> requests.Response:
    parts = [("file", (name, data, content_type)) for name, data, content_type in files]
    return api.post(f"/api/v1/projects/{project_id}/media", files=parts, expect=expect)


def upload_one(api: Api, project_id: str, name: str, data: bytes, content_type: str) -> dict[str, Any]:
    media = upload(api, project_id, [(name, data, content_type)]).json()["media"]
    assert len(media) == 1, media
    return media[0]


def media_ids(api: Api, project_id: str) -> set[str]:
    return {m["id"] for m in api.get(f"/api/v1/projects/{project_id}/media", expect=200).json()["media"]}


def assert_problem(response: requests.Response, status: int) -> None:
    assert response.status_code == status, response.text[:2000]
    assert response.headers.get("Content-Type", "").startswith(PROBLEM), response.headers
    assert response.json()["status"] == status


# --- images ---------------------------------------------------------------------------------------------


def test_png_upload_is_read_back_with_ranges_and_etags(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    data = png_image(320, 240, seed=1)
    info = upload_one(requester, project_id, "street.png", data, "image/png")

    assert info["kind"] == "image"
    assert info["content_type"] == "image/png"
    assert info["file_name"] == "street.png"
    assert (info["width"], info["height"]) == (320, 240)
    assert info["byte_size"] == len(data)
    assert info["sha256"] == hashlib.sha256(data).hexdigest()
    assert info["url"] == f"/api/v1/media/{info['id']}"
    assert requester.get(f"/api/v1/media/{info['id']}/info", expect=200).json() == info
    assert info["id"] in media_ids(requester, project_id)

    whole = requester.get(info["url"], expect=200)
    assert whole.content == data
    assert whole.headers["Content-Type"].startswith("image/png")
    assert "private" in whole.headers.get("Cache-Control", "")
    etag = whole.headers.get("ETag")
    assert etag, f"no ETag in {dict(whole.headers)}"

    ranged = requester.get(info["url"], headers={"Range": "bytes=10-19"}, expect=206)
    assert ranged.content == data[10:20]
    assert ranged.headers["Content-Range"] == f"bytes 10-19/{len(data)}"

    cached = requester.get(info["url"], headers={"If-None-Match": etag}, expect=304)
    assert cached.content == b""
    # Another ETag is not a match: the bytes come again.
    assert requester.get(info["url"], headers={"If-None-Match": '"something-else"'}, expect=200).content == data


def test_jpeg_upload(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    data = jpeg_image(96, 64)
    info = upload_one(requester, project_id, "photo.jpg", data, "image/jpeg")
    assert (info["kind"], info["content_type"]) == ("image", "image/jpeg")
    assert (info["width"], info["height"]) == (96, 64)
    assert info["sha256"] == hashlib.sha256(data).hexdigest()
    assert requester.get(info["url"], expect=200).content == data


def test_several_files_in_one_upload(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    first, second = png_image(40, 30, seed=2), png_image(50, 20, seed=3)
    media = upload(requester, project_id, [("a.png", first, "image/png"), ("b.png", second, "image/png")]).json()["media"]
    by_name = {m["file_name"]: m for m in media}
    assert sorted(by_name) == ["a.png", "b.png"]
    assert (by_name["a.png"]["width"], by_name["a.png"]["height"]) == (40, 30)
    assert (by_name["b.png"]["width"], by_name["b.png"]["height"]) == (50, 20)
    assert requester.get(by_name["b.png"]["url"], expect=200).content == second


def test_broken_and_foreign_files_are_refused_and_nothing_is_stored(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    kept = upload_one(requester, project_id, "kept.png", png_image(20, 20, seed=4), "image/png")

    whole = png_image(100, 100, seed=5, noise=True)
    truncated = whole[: len(whole) // 2]
    assert_problem(upload(requester, project_id, [("half.png", truncated, "image/png")], expect=422), 422)

    text = b"These are notes, not a photo.\n" * 20
    assert_problem(upload(requester, project_id, [("photo.jpg", text, "image/jpeg")], expect=415), 415)

    # One bad file among good ones: the whole upload is refused and the good one is not stored either.
    good = png_image(30, 30, seed=6)
    mixed = upload(requester, project_id, [("good.png", good, "image/png"), ("photo.jpg", text, "image/jpeg")], expect=415)
    assert_problem(mixed, 415)
    assert media_ids(requester, project_id) == {kept["id"]}


def test_files_past_the_size_limit_are_refused(
    gloss_server: Callable[..., GlossServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSS_MAX_MEDIA_BYTES", "100000")  # gloss_e2e.gloss_env passes the environment on
    server = gloss_server()
    requester, project_id = setup(server)
    big = png_image(260, 260, seed=7, noise=True)
    assert len(big) > 200_000
    assert_problem(upload(requester, project_id, [("big.png", big, "image/png")], expect=413), 413)
    # Under the limit is fine on the same server.
    small = png_image(64, 64, seed=8, noise=True)
    assert 10_000 < len(small) < 100_000
    assert upload_one(requester, project_id, "small.png", small, "image/png")["byte_size"] == len(small)
    assert len(media_ids(requester, project_id)) == 1


def test_uploads_are_content_addressed(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    data = png_image(64, 48, seed=9)
    first = upload_one(requester, project_id, "one.png", data, "image/png")
    second = upload_one(requester, project_id, "two.png", data, "image/png")
    assert first["sha256"] == second["sha256"] == hashlib.sha256(data).hexdigest()
    assert requester.get(first["url"], expect=200).content == data
    assert requester.get(second["url"], expect=200).content == data


def test_media_is_seen_only_by_those_who_may_see_the_project(gloss_server: Callable[..., GlossServer]) -> None:
    server = gloss_server()
    requester, project_id = setup(server)
    outsider = Api(server.url, create_account(server, "o@y.test", "requester", org="Y"))
    worker = Api(server.url, create_account(server, "w@x.test", "worker"))
    anonymous = Api(server.url)
    data = png_image(32, 32, seed=10)
    info = upload_one(requester, project_id, "secret.png", data, "image/png")

    for path in (info["url"], f"{info['url']}/info"):
        assert_problem(outsider.get(path), 404)
        assert_problem(anonymous.get(path), 401)
    assert_problem(outsider.get(f"/api/v1/projects/{project_id}/media"), 404)
    assert_problem(anonymous.get(f"/api/v1/projects/{project_id}/media"), 401)
    # Nobody else may add files to the project.
    outsider_upload = upload(outsider, project_id, [("x.png", data, "image/png")], expect=404)
    assert_problem(outsider_upload, 404)
    worker_upload = upload(worker, project_id, [("x.png", data, "image/png")], expect=(403, 404))
    assert worker_upload.headers.get("Content-Type", "").startswith(PROBLEM)
    assert media_ids(requester, project_id) == {info["id"]}

    # A worker sees the media of an open project, and no longer once it is paused.
    assert worker.get(info["url"], expect=200).content == data
    requester.request("PATCH", f"/api/v1/projects/{project_id}", json={"status": "paused"}, expect=200)
    assert_problem(worker.get(info["url"]), 404)
    assert requester.get(info["url"], expect=200).content == data


# --- video ----------------------------------------------------------------------------------------------


def test_video_upload_and_every_frame(gloss_server: Callable[..., GlossServer], tmp_path: Path) -> None:
    ffmpeg = ffmpeg_or_skip()
    video = make_video(ffmpeg, tmp_path / "count.mp4")
    server = gloss_server()
    requester, project_id = setup(server)
    info = upload_one(requester, project_id, "count.mp4", video, "video/mp4")

    assert info["kind"] == "video"
    assert info["content_type"] == "video/mp4"
    assert info["frame_count"] == VIDEO_FRAMES
    assert float(info["fps"]) == pytest.approx(VIDEO_FPS)
    assert (info["width"], info["height"]) == (VIDEO_W, VIDEO_H)
    assert info["sha256"] == hashlib.sha256(video).hexdigest()
    assert info["frame_url"] == f"/api/v1/media/{info['id']}/frames/{{frame}}"
    assert requester.get(f"/api/v1/media/{info['id']}/info", expect=200).json() == info
    assert requester.get(info["url"], expect=200).content == video

    seen = []
    for n in range(VIDEO_FRAMES):
        frame = requester.get(info["frame_url"].replace("{frame}", str(n)), expect=200)
        assert frame.headers["Content-Type"].startswith("image/jpeg")
        seen.append(read_frame_number(frame.content))
    assert seen == list(range(VIDEO_FRAMES)), f"frame n showed these numbers: {seen}"

    assert_problem(requester.get(info["frame_url"].replace("{frame}", str(VIDEO_FRAMES))), 404)
