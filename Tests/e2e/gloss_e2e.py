"""Helpers for Gloss's end-to-end tests: a real `gloss serve` process, a small API client, accounts.

The tests in this folder drive the built `gloss` binary (path in `GLOSS_BIN`) over HTTP and a real
browser. `scripts/test` sets everything up; see conftest.py for the fixtures.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit, urlunsplit

import requests

BCRYPT_COST = "4"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
CLI_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0

# The label schema of the demo project, also used by the projects the tests create.
SENTIMENT_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "sentiment",
            "type": "choice",
            "label": "Sentiment",
            "required": True,
            "multiple": False,
            "options": ["positive", "negative", "neutral", "mixed"],
        },
        {
            "name": "note",
            "type": "text",
            "required": False,
            "min_length": 0,
            "max_length": 500,
            "multiline": True,
        },
    ]
}

DEFAULT_PASSWORD = "pw-123456"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def gloss_binary() -> Path | None:
    """`$GLOSS_BIN`, or the debug build in .build when that variable is not set."""
    configured = os.environ.get("GLOSS_BIN")
    if configured:
        return Path(configured)
    candidate = repo_root() / ".build" / "debug" / "gloss"
    return candidate if candidate.exists() else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_tool(name: str) -> str | None:
    """A PostgreSQL client tool on the PATH, or in Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    return None


def gloss_env() -> dict[str, str]:
    env = dict(os.environ)
    env["GLOSS_BCRYPT_COST"] = BCRYPT_COST
    for name in ("GLOSS_TEST_DATABASE_URL", "DATABASE_URL", "GLOSS_DATA_DIR"):
        env.pop(name, None)  # the command line says where the data is
    return env


# --- PostgreSQL databases ---------------------------------------------------------------------------


def _psql(base_url: str, sql: str) -> None:
    psql = find_tool("psql")
    if psql is None:
        raise RuntimeError("psql is not installed (apt-get install postgresql-client)")
    result = subprocess.run(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", base_url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise RuntimeError(f"psql failed ({sql}): {result.stderr.strip()}")


def with_database(base_url: str, database: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def create_database(base_url: str) -> tuple[str, str]:
    """Creates a fresh database in the cluster of `base_url`; returns (name, url)."""
    name = "e2e_" + secrets.token_hex(6)
    _psql(base_url, f'CREATE DATABASE "{name}"')
    return name, with_database(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    _psql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the server ---------------------------------------------------------------------------------------


class GlossServer:
    """One `gloss serve` process on 127.0.0.1 with its own data folder (and database)."""

    def __init__(
        self,
        binary: Path,
        data_dir: Path,
        *,
        database_url: str | None = None,
        demo: bool = False,
    ) -> None:
        self.binary = binary
        self.data_dir = data_dir
        self.database_url = database_url
        self.demo = demo
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"{data_dir.name}-server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    def _store_args(self) -> list[str]:
        args = ["--data-dir", str(self.data_dir)]
        if self.database_url:
            args += ["--database-url", self.database_url]
        return args

    def start(self) -> None:
        args = [str(self.binary), "serve", *self._store_args(), "--host", "127.0.0.1", "--port", str(self.port)]
        if self.demo:
            args.append("--demo")
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== {' '.join(args)}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=gloss_env(),
                cwd=repo_root(),  # where Public/ is
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise RuntimeError(f"gloss serve exited with status {code}; its log:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill9()
        raise TimeoutError(f"gloss serve did not answer /healthz within {STARTUP_TIMEOUT_S:.0f} s; its log:\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        """Kills the server with SIGKILL: no shutdown code runs."""
        if self.running:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        """Stops the server gently (SIGTERM), forcefully if it does not go."""
        if not self.running:
            return
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill9()

    def restart(self) -> None:
        """Starts the server again on the same data folder, database and port."""
        self.stop()
        self.start()

    def cli(self, *args: str) -> str:
        """Runs `gloss ARGS --data-dir DIR [--database-url URL]`; returns its standard output."""
        command = [str(self.binary), *args, *self._store_args()]
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=gloss_env(),
            cwd=repo_root(),  # where Public/ is
            timeout=CLI_TIMEOUT_S,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} exited with status {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result.stdout

    def log_tail(self, max_bytes: int = 20_000) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                size = log.tell()
                log.seek(max(0, size - max_bytes))
                return log.read().decode(errors="replace")
        except OSError:
            return "(no log)"


# --- accounts -------------------------------------------------------------------------------------------


def create_token(server: GlossServer, email: str) -> str:
    """`gloss token create --email E`; the token is the last line it prints."""
    lines = [line.strip() for line in server.cli("token", "create", "--email", email).splitlines() if line.strip()]
    assert lines, f"gloss token create --email {email} printed nothing"
    return lines[-1]


def create_account(
    server: GlossServer, email: str, role: str, *, org: str | None = None, password: str = DEFAULT_PASSWORD
) -> str:
    """Creates a user with the CLI and returns an API token for them. Requesters need an organization
    (`org`, created if missing); workers belong to none."""
    args = ["user", "create", "--email", email, "--password", password, "--role", role]
    if org is not None:
        args += ["--org", org]
    server.cli(*args)
    return create_token(server, email)


# --- the API --------------------------------------------------------------------------------------------


class Api:
    """A bearer-token client for one server. Not shared between threads."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = REQUEST_TIMEOUT_S) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, *, expect: int | Iterable[int] | None = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        response = self.session.request(method, self.base_url + path, **kwargs)
        if expect is not None:
            expected = {expect} if isinstance(expect, int) else set(expect)
            if response.status_code not in expected:
                raise AssertionError(
                    f"{method} {path}: expected {sorted(expected)}, got {response.status_code}: {response.text[:2000]}"
                )
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    # Conveniences for what most tests do.

    def create_project(self, name: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        body = {"name": name, "schema": schema or SENTIMENT_SCHEMA, **extra}
        return self.post("/api/v1/projects", json=body, expect=201).json()

    def project(self, project_id: str) -> dict[str, Any]:
        return self.get(f"/api/v1/projects/{project_id}", expect=200).json()

    def import_tasks(self, project_id: str, tasks: list[dict[str, Any]]) -> int:
        response = self.post(f"/api/v1/projects/{project_id}/tasks", json=tasks, expect=201)
        return int(response.json()["imported"])

    def export(self, project_id: str, fmt: str) -> str:
        return self.get(f"/api/v1/projects/{project_id}/export", params={"format": fmt}, expect=200).text


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def png_image(width: int, height: int, *, seed: int = 0, noise: bool = False) -> bytes:
    """An 8-bit RGB PNG: a gradient, or random pixels (which do not compress: the file is about 3*w*h bytes)."""
    rng = random.Random(seed)
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        if noise:
            raw += rng.randbytes(3 * width)
        else:
            for x in range(width):
                raw += bytes(((x * 255) // max(1, width - 1), (y * 255) // max(1, height - 1), (seed * 67) % 256))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
