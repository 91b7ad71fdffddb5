"""The installed `ceasefire` console script, run as a real process: help, production settings, and `serve`
answering HTTP through granian with its static files."""

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
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CEASEFIRE = Path(sys.executable).parent / "ceasefire"
STARTUP_LIMIT_S = 90  # a safety net against hanging the suite, not a performance assertion


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a real installation: none of the test suite's settings leak into the child."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CEASEFIRE_", "DJANGO_"))}
    env["CEASEFIRE_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run_script(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CEASEFIRE), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_console_script_help_lists_the_product_commands(tmp_path):
    result = run_script("--help", env=production_env(tmp_path, CEASEFIRE_DEBUG="true"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[core]" in result.stdout
    for command in ("demo", "init", "serve", "status", "token", "user"):
        assert command in result.stdout


def test_console_script_demo_help_describes_its_options(tmp_path):
    result = run_script("demo", "--help", env=production_env(tmp_path, CEASEFIRE_DEBUG="true"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ceasefire demo")
    assert "--password" in result.stdout and "--url" in result.stdout and "CEASEFIRE_DEMO_PASSWORD" in result.stdout


def test_console_script_token_help_shows_the_create_action(tmp_path):
    result = run_script("token", "create", "--help", env=production_env(tmp_path, CEASEFIRE_DEBUG="true"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--user" in result.stdout and "--expires-days" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_script("check", env=production_env(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    assert "CEASEFIRE_SECRET_KEY" in result.stderr


def test_serve_refuses_to_start_when_debug_is_on(tmp_path):
    result = run_script("serve", "--port", "1", env=production_env(tmp_path, CEASEFIRE_DEBUG="true"), cwd=tmp_path)
    assert result.returncode == 1
    assert "refuses to start with CEASEFIRE_DEBUG on" in result.stderr


def test_console_script_error_exits_non_zero_with_the_message(tmp_path):
    env = production_env(tmp_path, CEASEFIRE_DEBUG="true")
    assert run_script("migrate", "-v0", env=env, cwd=tmp_path).returncode == 0
    result = run_script("token", "create", "--user", "nobody", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Unknown user 'nobody' (--user)" in result.stderr
    assert result.stdout == ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local http URL)
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def wait_for(url: str, server: subprocess.Popen[bytes]) -> tuple[int, bytes, str]:
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            return get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} within {STARTUP_LIMIT_S} s")


def test_serve_answers_over_http_with_static_files(tmp_path):
    env = production_env(
        tmp_path,
        CEASEFIRE_SECRET_KEY=secrets.token_urlsafe(50),
        CEASEFIRE_ALLOWED_HOSTS="127.0.0.1",
        CEASEFIRE_INSECURE_HTTP="true",
    )
    migrated = run_script("migrate", "-v0", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(CEASEFIRE), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        status, body, content_type = wait_for(f"{base}/api/v1/health", server)
        assert status == 200 and content_type.startswith("application/json"), body
        assert b'"ok"' in body
        status, body, _type = get(f"{base}/login/")
        assert status == 200 and b"csrfmiddlewaretoken" in body
        status, body, content_type = get(f"{base}/static/web/app.css")
        assert status == 200 and content_type.startswith("text/css") and body
        assert (tmp_path / "static" / "web" / "app.css").exists()  # collected into STATIC_ROOT
        # serve execs granian: the process we started is the server itself, so signals reach it directly.
        cmdline = Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
        assert any(part.endswith(b"granian") for part in cmdline)
        assert b"ceasefire.wsgi:application" in cmdline
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    assert server.returncode is not None


def test_witness_keygen_runs_on_an_auditors_machine_without_the_server_secret(tmp_path):
    result = run_script(
        "witness",
        "keygen",
        "--name",
        "af.witness.test",
        "--out",
        str(tmp_path / "key"),
        env=production_env(tmp_path),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("af.witness.test+")
    assert (tmp_path / "key").read_text().startswith("PRIVATE+KEY+af.witness.test+")
