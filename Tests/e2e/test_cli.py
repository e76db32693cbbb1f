"""`gloss import` and `gloss export` from the command line: all or nothing, the same formats as the API."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Callable


from gloss_e2e import Api, GlossServer, create_account, gloss_env, parse_jsonl, png_image, repo_root


def run_cli(server: GlossServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(server.binary), *args, *server._store_args()],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=gloss_env(), cwd=repo_root(), timeout=120,
    )


def test_cli_import_and_export(gloss_server: Callable[..., GlossServer], tmp_path: Path) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "cli@x.test", "requester", org="CLI"))
    project_id = requester.create_project("CLI")["id"]

    good = tmp_path / "tasks.csv"
    good.write_text('text,external_id\n"first, with a comma",t1\nsecond,t2\n', encoding="utf-8")
    result = run_cli(server, "import", "--project", project_id, str(good))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 tasks" in result.stdout

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"data": {"text": "fine"}}\n{"data": "not an object"}\n', encoding="utf-8")
    result = run_cli(server, "import", "--project", project_id, str(bad))
    assert result.returncode != 0
    assert "line 2" in result.stderr and "data" in result.stderr
    assert requester.project(project_id)["progress"]["tasks_total"] == 2

    out = tmp_path / "export.jsonl"
    result = run_cli(server, "export", "--project", project_id, "--format", "jsonl", "--output", str(out))
    assert result.returncode == 0, result.stderr
    records = parse_jsonl(out.read_text(encoding="utf-8"))
    assert [r["external_id"] for r in records] == ["t1", "t2"]
    assert records[0]["data"] == {"text": "first, with a comma"}

    result = run_cli(server, "export", "--project", project_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


BOXES_SCHEMA = {"fields": [{"name": "objects", "type": "boxes", "labels": ["car"]}]}


def test_cli_imports_a_folder_or_zip_of_images(gloss_server: Callable[..., GlossServer], tmp_path: Path) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "media-cli@x.test", "requester", org="CLI media"))
    project_id = requester.create_project("Pictures", schema=BOXES_SCHEMA)["id"]

    folder = tmp_path / "shots"
    (folder / "day").mkdir(parents=True)
    first, second = png_image(40, 30, seed=1), png_image(20, 10, seed=2)
    (folder / "a.png").write_bytes(first)
    (folder / "day" / "b.png").write_bytes(second)
    (folder / "README.txt").write_text("not a picture", encoding="utf-8")
    archive = tmp_path / "shots.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.rglob("*"):
            if path.is_file():
                zipped.write(path, path.relative_to(folder).as_posix())

    result = run_cli(server, "import", "--project", project_id, str(archive))
    assert result.returncode == 0, result.stderr
    assert "Stored 2 files and imported 2 tasks" in result.stdout
    assert "README.txt" in result.stdout

    media = requester.get(f"/api/v1/projects/{project_id}/media").json()["media"]
    by_name = {item["file_name"]: item for item in media}
    assert set(by_name) == {"a.png", "day/b.png"}
    assert (by_name["a.png"]["width"], by_name["a.png"]["height"]) == (40, 30)
    served = requester.get(by_name["day/b.png"]["url"])
    assert served.content == second

    export = parse_jsonl(requester.get(f"/api/v1/projects/{project_id}/export?format=jsonl").text)
    assert sorted((task["external_id"], task["data"]["image"]) for task in export) == sorted(
        (name, item["url"]) for name, item in by_name.items()
    )

    # A damaged picture in a folder fails the whole import: nothing more is stored.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "good.png").write_bytes(png_image(8, 8, seed=3))
    (broken / "cut.png").write_bytes(first[: len(first) // 2])
    result = run_cli(server, "import", "--project", project_id, str(broken))
    assert result.returncode != 0
    assert "cut.png" in result.stderr
    assert len(requester.get(f"/api/v1/projects/{project_id}/media").json()["media"]) == 2
