"""The three export formats parse with ordinary tools and say the same thing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable

from gloss_e2e import Api, GlossServer, create_account, parse_jsonl

WORKER = "w@x.test"
TASKS = [
    {"external_id": "a", "data": {"text": "Great kettle, but pricey"}},
    {"external_id": "b", "data": {"text": 'Broke after a "week"'}},
    {"external_id": "c", "data": {"text": "It is a kettle.\nIt boils water."}},
    {"external_id": "d", "data": {"text": "Skipped by everyone"}},
]
# What the worker answers, by external id; "d" is skipped and stays without annotations.
ANSWERS: dict[str, dict[str, Any]] = {
    "a": {"sentiment": "positive", "note": 'liked it, "mostly"\nsecond line'},
    "b": {"sentiment": "negative"},
    "c": {"sentiment": "neutral"},
}


def make_annotated_project(server: GlossServer) -> tuple[Api, str, dict[str, str]]:
    """A project with TASKS, annotated as ANSWERS says; returns (requester api, project id, task id by external id)."""
    requester = Api(server.url, create_account(server, "r@x.test", "requester", org="X"))
    worker = Api(server.url, create_account(server, WORKER, "worker"))
    project_id = requester.create_project("Export formats")["id"]
    assert requester.import_tasks(project_id, TASKS) == len(TASKS)

    ids: dict[str, str] = {}
    while True:
        leased = worker.get(f"/api/v1/projects/{project_id}/next", expect=(200, 204))
        if leased.status_code == 204:
            break
        task = leased.json()
        ids[task["external_id"]] = task["id"]
        if task["external_id"] in ANSWERS:
            worker.post(
                f"/api/v1/tasks/{task['id']}/annotations",
                json={"value": ANSWERS[task["external_id"]], "time_spent_s": 2.5},
                expect=201,
            )
        else:
            worker.post(f"/api/v1/tasks/{task['id']}/skip", expect=204)
        assert len(ids) <= len(TASKS), "the worker was handed more tasks than there are"
    assert sorted(ids) == sorted(t["external_id"] for t in TASKS)
    return requester, project_id, ids


def check_records(records: list[dict[str, Any]], ids: dict[str, str]) -> None:
    """JSON and JSONL: one record per task, with the worker's annotation."""
    by_external_id = {record["external_id"]: record for record in records}
    assert sorted(by_external_id) == sorted(ids)
    for task in TASKS:
        record = by_external_id[task["external_id"]]
        assert record["id"] == ids[task["external_id"]]
        assert record["data"] == task["data"]
        answer = ANSWERS.get(task["external_id"])
        if answer is None:
            assert record["annotations"] == []
            continue
        assert len(record["annotations"]) == 1
        annotation = record["annotations"][0]
        assert annotation["worker"] == WORKER
        assert annotation["value"] == answer


def test_csv_json_and_jsonl_exports_parse(gloss_server: Callable[..., GlossServer], backend: str) -> None:
    server = gloss_server(backend=backend)
    requester, project_id, ids = make_annotated_project(server)

    # CSV: one row per annotation; a task without one has a row with empty annotation columns.
    reader = csv.DictReader(io.StringIO(requester.export(project_id, "csv"), newline=""))
    header = reader.fieldnames or []
    for column in ("task_id", "external_id", "worker", "sentiment", "note", "time_spent_s", "created_at", "data.text"):
        assert column in header, f"CSV header {header} lacks {column}"
    assert header[0] == "task_id"
    rows = {row["external_id"]: row for row in reader}
    assert sorted(rows) == sorted(ids)
    for task in TASKS:
        row = rows[task["external_id"]]
        assert row["task_id"] == ids[task["external_id"]]
        assert row["data.text"] == task["data"]["text"]
        answer = ANSWERS.get(task["external_id"])
        if answer is None:
            assert row["worker"] == row["sentiment"] == row["note"] == ""
        else:
            assert row["worker"] == WORKER
            assert row["sentiment"] == answer["sentiment"]
            assert row["note"] == answer.get("note", "")
            assert float(row["time_spent_s"]) == 2.5

    # JSON: one array.
    records = json.loads(requester.export(project_id, "json"))
    assert isinstance(records, list)
    check_records(records, ids)

    # JSONL: one object a line.
    check_records(parse_jsonl(requester.export(project_id, "jsonl")), ids)
