"""A real Ceasefire server for the browser journeys: production settings, a file SQLite database and a data dir
of its own, the demo mechanism loaded by `ceasefire demo`, served by `ceasefire serve` (granian) on a free port.

The environment is built from scratch for the CEASEFIRE_* variables: the pytest process carries the test
settings' own (CEASEFIRE_TESTING, a temporary data dir, DJANGO_SETTINGS_MODULE=ceasefire.settings_test), and a
server inheriting them would not be the production configuration these journeys mean to exercise.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
PASSWORD = "e2e-journeys-" + secrets.token_urlsafe(9)
# Low, so the rate-limit journey needs few slow (PBKDF2) attempts; the rule is the same at any limit.
LOGIN_RATE_LIMIT = 4
STARTUP_TIMEOUT = 120.0
DEMO_TIMEOUT = 300.0
WORKER_TIMEOUT = 120.0


@dataclass
class Server:
    url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)  # the server's own environment, for its worker

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CEASEFIRE_") and k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        CEASEFIRE_DATA_DIR=str(data_dir),
        CEASEFIRE_DATABASE_URL=f"sqlite:///{data_dir / 'ceasefire-e2e.sqlite3'}",
        CEASEFIRE_SECRET_KEY=secrets.token_urlsafe(48),
        CEASEFIRE_ALLOWED_HOSTS=HOST,
        CEASEFIRE_INSECURE_HTTP="true",
        CEASEFIRE_LOGIN_RATE_LIMIT=str(LOGIN_RATE_LIMIT),
    )
    return env


def ceasefire_command() -> str:
    command = Path(sys.executable).parent / "ceasefire"
    if not command.exists():
        raise RuntimeError(f"the `ceasefire` console script is missing next to {sys.executable}: pip install -e .")
    return str(command)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own http://127.0.0.1)
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start(data_dir: Path, log_path: Path) -> Server:
    """Migrate and load the demo, then start the server and wait until its sign-in page answers."""
    env = server_env(data_dir)
    port = free_port()
    url = f"http://{HOST}:{port}"
    with log_path.open("wb") as log:
        demo = subprocess.run(
            [ceasefire_command(), "demo", "--password", PASSWORD, "--url", url + "/"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    if demo.returncode != 0:
        raise RuntimeError(f"`ceasefire demo` failed ({demo.returncode}); see {log_path}")
    log = log_path.open("ab")
    process = subprocess.Popen(
        [ceasefire_command(), "serve", "--host", HOST, "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it reaches granian's workers too
    )
    log.close()
    server = Server(url=url, data_dir=data_dir, log_path=log_path, process=process, env=env)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not _answers(url + "/login/"):
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{server.log_tail()}")
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"the server did not answer within {STARTUP_TIMEOUT:.0f}s:\n{server.log_tail()}")
        time.sleep(0.25)  # polling a process that is starting, not waiting for the page under test
    return server


def run_worker_once(server: Server, job: str = "tasks") -> str:
    """Run the server's background jobs once, as production's `ceasefire worker` does (the e2e server runs no
    worker): `ceasefire worker --once --job tasks` drains the queued tasks, an upload's import among them. Its output
    goes to the server's log too; returns it."""
    result = subprocess.run(
        [ceasefire_command(), "worker", "--once", "--job", job],
        env=server.env or server_env(server.data_dir),
        capture_output=True,
        timeout=WORKER_TIMEOUT,
        check=False,
    )
    output = (result.stdout + result.stderr).decode("utf-8", errors="replace")
    with server.log_path.open("a", encoding="utf-8") as log:
        log.write(f"--- ceasefire worker --once --job {job} ({result.returncode})\n{output}\n")
    if result.returncode != 0:
        raise RuntimeError(f"`ceasefire worker --once --job {job}` failed ({result.returncode}):\n{output}")
    return output


def stop(server: Server) -> None:
    if server.process.poll() is not None:
        return
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
