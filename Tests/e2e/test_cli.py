"""`gloss import` and `gloss export` from the command line: all or nothing, the same formats as the API."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable


from gloss_e2e import Api, GlossServer, create_account, gloss_env, parse_jsonl, repo_root


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
