"""Crash safety: `kill -9` in the middle of work loses nothing that was acknowledged and leaves no half
of anything behind. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable, Iterator

import requests

from gloss_e2e import Api, GlossServer, create_account, parse_jsonl

TASK_COUNT = 100_000
LINES_PER_CHUNK = 1_000
KILL_AT_FRACTION = 0.4
WORKER_COUNT = 4
ANNOTATION_TASKS = 200
KILL_AFTER_ANNOTATIONS = 60


def ndjson_chunks(count: int, per_chunk: int = LINES_PER_CHUNK) -> list[bytes]:
    chunks = []
    for start in range(0, count, per_chunk):
        lines = (
            json.dumps({"data": {"text": f"review {i}"}}, separators=(",", ":"))
            for i in range(start, min(count, start + per_chunk))
        )
        chunks.append(("\n".join(lines) + "\n").encode())
    return chunks


class StreamingImport(threading.Thread):
    """POSTs an NDJSON import as a chunked stream that stops once `pause_at` of its bytes are sent and
    waits for `resume` (set after the server is killed), so that the kill lands mid-request."""

    def __init__(self, url: str, token: str, chunks: list[bytes], pause_at: float) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.token = token
        self.chunks = chunks
        self.pause_at = pause_at
        self.paused = threading.Event()
        self.resume = threading.Event()
        self.response: requests.Response | None = None
        self.error: BaseException | None = None

    def body(self) -> Iterator[bytes]:
        total = sum(len(chunk) for chunk in self.chunks)
        sent = 0
        for chunk in self.chunks:
            if not self.paused.is_set() and sent >= self.pause_at * total:
                self.paused.set()
                self.resume.wait(timeout=120)
            yield chunk
            sent += len(chunk)

    def run(self) -> None:
        try:
            self.response = requests.post(
                self.url,
                data=self.body(),
                headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/x-ndjson"},
                timeout=120,
            )
        except requests.RequestException as error:
            self.error = error
        finally:
            self.paused.set()  # never leave the test waiting on a request that ended early

    def describe(self) -> str:
        if self.response is not None:
            return f"answered {self.response.status_code}: {self.response.text[:1000]}"
        return f"failed: {self.error!r}"


def test_import_killed_midway_is_all_or_nothing(gloss_server: Callable[..., GlossServer], backend: str) -> None:
    server = gloss_server(backend=backend)
    token = create_account(server, "r@d.test", "requester", org="D")
    api = Api(server.url, token)
    project_id = api.create_project("Durability: import")["id"]
    chunks = ndjson_chunks(TASK_COUNT)

    stream = StreamingImport(f"{server.url}/api/v1/projects/{project_id}/tasks", token, chunks, KILL_AT_FRACTION)
    stream.start()
    assert stream.paused.wait(timeout=120), "the import never got 40% of the way"
    assert stream.response is None and stream.error is None, f"the import ended before 40% was sent: {stream.describe()}"
    time.sleep(0.5)  # let the server take in and store what it was sent
    server.kill9()
    stream.resume.set()
    stream.join(timeout=60)
    assert stream.response is None or stream.response.status_code != 201, stream.describe()

    server.restart()
    tasks_total = api.project(project_id)["progress"]["tasks_total"]
    assert tasks_total in (0, TASK_COUNT), f"a killed import left {tasks_total} of {TASK_COUNT} tasks"
    if tasks_total == 0:
        listed = api.get(f"/api/v1/projects/{project_id}/tasks", params={"limit": 5}, expect=200).json()
        assert listed["tasks"] == []

    # The same import, run to the end, stores everything.
    response = api.post(
        f"/api/v1/projects/{project_id}/tasks",
        data=b"".join(chunks),
        headers={"Content-Type": "application/x-ndjson"},
        timeout=600,
        expect=201,
    )
    assert response.json()["imported"] == TASK_COUNT
    assert api.project(project_id)["progress"]["tasks_total"] == tasks_total + TASK_COUNT


class Annotator(threading.Thread):
    """A worker that leases and answers tasks until none is left or the server goes away.
    `answered` gets (task id, annotation id) for every annotation the server acknowledged with 201."""

    def __init__(self, base_url: str, token: str, project_id: str) -> None:
        super().__init__(daemon=True)
        self.api = Api(base_url, token, timeout=30)
        self.project_id = project_id
        self.answered: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def run(self) -> None:
        try:
            while True:
                leased = self.api.get(f"/api/v1/projects/{self.project_id}/next")
                if leased.status_code == 204:
                    return
                if leased.status_code != 200:
                    self.problems.append(f"next answered {leased.status_code}: {leased.text[:500]}")
                    return
                task_id = leased.json()["id"]
                created = self.api.post(f"/api/v1/tasks/{task_id}/annotations", json={"value": {"sentiment": "positive"}})
                if created.status_code != 201:
                    self.problems.append(f"annotating {task_id} answered {created.status_code}: {created.text[:500]}")
                    return
                self.answered.append((task_id, created.json()["id"]))
        except requests.RequestException:
            return  # the server was killed
        except Exception as error:  # anything else is a problem of the test or the server
            self.problems.append(repr(error))


def test_acknowledged_annotations_survive_kill_9(gloss_server: Callable[..., GlossServer], backend: str) -> None:
    server = gloss_server(backend=backend)
    requester = Api(server.url, create_account(server, "r@d.test", "requester", org="D"))
    emails = [f"w{n}@d.test" for n in range(1, WORKER_COUNT + 1)]
    tokens = [create_account(server, email, "worker") for email in emails]
    project_id = requester.create_project("Durability: annotations")["id"]
    tasks = [{"external_id": f"t{n}", "data": {"text": f"review {n}"}} for n in range(ANNOTATION_TASKS)]
    assert requester.import_tasks(project_id, tasks) == ANNOTATION_TASKS

    annotators = [Annotator(server.url, token, project_id) for token in tokens]
    for annotator in annotators:
        annotator.start()
    deadline = time.monotonic() + 120
    while sum(len(a.answered) for a in annotators) < KILL_AFTER_ANNOTATIONS:
        assert any(a.is_alive() for a in annotators), [a.problems for a in annotators]
        assert time.monotonic() < deadline, "the workers were too slow to reach the kill point"
        time.sleep(0.005)
    server.kill9()  # the workers are mid-request
    for annotator in annotators:
        annotator.join(timeout=60)
        assert not annotator.is_alive()
    assert [a.problems for a in annotators] == [[] for _ in annotators]

    server.restart()
    acknowledged = {
        annotation_id: (task_id, email)
        for annotator, email in zip(annotators, emails)
        for task_id, annotation_id in annotator.answered
    }
    assert len(acknowledged) >= KILL_AFTER_ANNOTATIONS

    for annotation_id, (task_id, email) in acknowledged.items():
        stored = requester.get(f"/api/v1/tasks/{task_id}/annotations", expect=200).json()["annotations"]
        match = [a for a in stored if a["id"] == annotation_id]
        assert match, f"annotation {annotation_id} on task {task_id}, acknowledged with 201, was lost"
        assert match[0]["worker"] == email
        assert match[0]["value"]["sentiment"] == "positive"

    # The export agrees, and holds nothing beyond what was acknowledged and the at most one request per
    # worker that was in flight when the server died.
    exported = parse_jsonl(requester.export(project_id, "jsonl"))
    assert len(exported) == ANNOTATION_TASKS
    exported_ids = {a["id"] for record in exported for a in record["annotations"]}
    assert set(acknowledged) <= exported_ids
    assert len(exported_ids) <= len(acknowledged) + WORKER_COUNT
