"""A real Ceasefire server for the benchmark: a throw-away data dir and database, migrated, served by granian.

Everything runs on loopback. PostgreSQL runs use a database of their own (created here, dropped afterwards)
so a benchmark never touches another database on the same server.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cpu import PG_BENCH_DB, descendants, proc_cpu

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"


@dataclass
class Target:
    """One database under test: its name, data dir and the environment the server and seeder share."""

    name: str  # "sqlite" or "postgres"
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, timeout: float = 1800, capture: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a Python command in the target's environment (migrate, seed), failing loudly on error."""
        return subprocess.run(
            [sys.executable, *args],
            env=self.env,
            cwd=REPO,
            check=True,
            timeout=timeout,
            text=True,
            stdout=subprocess.PIPE if capture else None,
        )


def _pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def make_target(name: str) -> Target:
    data_dir = Path(tempfile.mkdtemp(prefix=f"ceasefire-bench-{name}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CEASEFIRE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        CEASEFIRE_DATA_DIR=str(data_dir),
        CEASEFIRE_SECRET_KEY=secrets.token_urlsafe(48),
        CEASEFIRE_ALLOWED_HOSTS=HOST,
        CEASEFIRE_INSECURE_HTTP="true",
        CEASEFIRE_LOG_LEVEL="WARNING",  # a log line per request would measure the console, not the product
        PYTHONPATH=str(REPO / "src"),
    )
    if name == "postgres":
        _pg_execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        _pg_execute(f"CREATE DATABASE {PG_BENCH_DB}")
        env["CEASEFIRE_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
    return Target(name=name, data_dir=data_dir, env=env)


def destroy_target(target: Target) -> None:
    if target.name == "postgres":
        with contextlib.suppress(Exception):
            _pg_execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    shutil.rmtree(target.data_dir, ignore_errors=True)


def migrate(target: Target) -> None:
    target.run("-m", "django", "migrate", "--settings=ceasefire.settings", "-v", "0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """granian serving ceasefire.wsgi with two workers, started and stopped by this process only."""

    def __init__(self, target: Target, workers: int = 2) -> None:
        self.target = target
        self.workers = workers
        self.port = free_port()
        self.log_path = target.data_dir / "granian.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        cmd = [
            str(VENV_BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "ceasefire.wsgi:application",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                cmd, env=self.target.env, cwd=REPO, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"granian exited with {self.process.returncode}; see {self.log_path}:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            if self._answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"granian did not answer within {timeout} s; see {self.log_path}")

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            conn.request("GET", "/api/v1/health")
            conn.getresponse().read()
            conn.close()
            return True  # any HTTP answer means the workers are up, even a 404 before the health view exists
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # granian was started in a session of its own: signal only that process group (its workers).
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def pids(self) -> list[int]:
        return descendants(self.process.pid) if self.process is not None else []

    def cpu_seconds(self) -> float:
        """CPU time used so far by granian and its worker processes."""
        return sum(proc_cpu(pid) for pid in self.pids())
