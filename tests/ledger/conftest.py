"""Fixtures of the log's database tests: a log key per test, and helpers to read the served tiles."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ceasefire.ledger.checkpoint import CosignatureSigner
from ceasefire.ledger.keys import ensure_log_key
from ceasefire.ledger.note import Ed25519Signer, parse_verifier_key
from ceasefire.ledger.witness.server import WitnessApp, serve
from ceasefire.ledger.witness.state import WitnessState


@pytest.fixture
def log_vkey(settings: Any, tmp_path: Path) -> str:
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    return ensure_log_key()


@pytest.fixture
def served(client: Client) -> Callable[[str], bytes]:
    """A tlog-tiles fetch over the real /log/ views."""

    def fetch(path: str) -> bytes:
        response = client.get(f"/log/{path}")
        assert response.status_code == 200, path
        return bytes(response.content)

    return fetch


@dataclass
class RunningWitness:
    name: str
    url: str
    vkey: str
    app: WitnessApp


@pytest.fixture
def start_witness(log_vkey: str, tmp_path: Path) -> Iterator[Callable[[str], RunningWitness]]:
    """Start real witness servers (HTTP on a free loopback port, in a thread) trusting the test log key."""
    servers: list[Any] = []

    def start(name: str) -> RunningWitness:
        signer = Ed25519Signer.generate(name)
        state = tmp_path / f"{name}.json"
        app = WitnessApp(name, signer.seed, [parse_verifier_key(log_vkey)], WitnessState(state))
        ready = threading.Event()

        def on_ready(server: Any) -> None:
            servers.append(server)
            ready.set()

        threading.Thread(target=serve, args=(app, "127.0.0.1", 0, on_ready), daemon=True).start()
        assert ready.wait(5)
        port = servers[-1].server_address[1]
        vkey = CosignatureSigner(name, signer.seed).verifier().vkey
        return RunningWitness(name, f"http://127.0.0.1:{port}", vkey, app)

    yield start
    for server in servers:
        server.shutdown()


@dataclass
class FileDatabase:
    """A SQLite file database used by separate processes (each `run` is a new Python process)."""

    env: dict[str, str]
    path: Path

    def run(self, code: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        script = "import django; django.setup()\n" + textwrap.dedent(code)
        return subprocess.run(
            [sys.executable, "-c", script], env=self.env, capture_output=True, text=True, check=check, timeout=120
        )

    def ceasefire(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ceasefire.cli", *args], env=self.env, capture_output=True, text=True, timeout=120
        )


@pytest.fixture
def file_database(tmp_path: Path) -> FileDatabase:
    path = tmp_path / "ceasefire.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CEASEFIRE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ceasefire.settings",
        "CEASEFIRE_DEBUG": "true",
        "CEASEFIRE_DATA_DIR": str(tmp_path / "data"),
        "CEASEFIRE_DATABASE_URL": f"sqlite:///{path}",
        "CEASEFIRE_LOG_ORIGIN": "ceasefire.test/log",
        "CEASEFIRE_LOG_LEVEL": "WARNING",
    }
    database = FileDatabase(env, path)
    database.run("""
        from django.core.management import call_command
        from ceasefire.ledger.services import ensure_log_key
        call_command("migrate", verbosity=0)
        ensure_log_key()
    """)
    return database
