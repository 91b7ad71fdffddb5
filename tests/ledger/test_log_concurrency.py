"""Gapless, ordered sequence numbers under concurrent writers, some of whose transactions roll back.

PostgreSQL: writer threads in this process, each with its own connection, against the test database
(transactional_db, so every transaction really commits). SQLite: writer *processes* against a file database —
the deployment shape of SQLite (server workers are processes), and the only one where SQLite writers can run
concurrently (the suite's in-memory SQLite database is one shared cache, which refuses concurrent writers).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from ceasefire.ledger.audit import audit_database
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.models import LogEntry, LogHead
from ceasefire.ledger.services import record_change

pytestmark = pytest.mark.integration

WRITERS = 6
CHANGES = 15
KEPT = WRITERS * (CHANGES - CHANGES // 5)


class Rollback(Exception):
    pass


def write_changes(number: int) -> None:
    for change in range(CHANGES):
        try:
            with transaction.atomic():
                record_change(
                    None,
                    kind="test.concurrent",
                    subject_code=f"W{number}-{change}",
                    record={"writer": number, "change": change},
                    sealed=False,
                )
                if change % 5 == 4:  # a failing service: its entry vanishes with it and leaves no gap
                    raise Rollback
        except Rollback:
            pass


def check_rows(rows: list[tuple[int, str]]) -> None:
    assert [sequence for sequence, _code in rows] == list(range(KEPT))
    for number in range(WRITERS):  # sequence order is commit order: each writer's changes in its own order
        mine = [int(code.split("-")[1]) for _s, code in rows if code.startswith(f"W{number}-")]
        assert mine == sorted(mine) and len(mine) == CHANGES - CHANGES // 5
    assert not any(code.endswith(("-4", "-9", "-14")) for _s, code in rows)


def _thread(number: int, errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        write_changes(number)
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


def _threads_on_this_database() -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=_thread, args=(n, errors, start)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check_rows(list(LogEntry.objects.order_by("sequence").values_list("sequence", "subject_code")))
    assert LogHead.objects.get(pk=1).size == KEPT
    checkpoint = checkpoint_now()
    assert checkpoint is not None and checkpoint.size == KEPT
    audit_database()


def _processes_on_a_file_database(file_database: Any) -> None:
    script = (
        "import sys, django; django.setup()\n"
        "sys.path.insert(0, {tests!r})\n"
        "from test_log_concurrency import write_changes\n"
        "write_changes(int(sys.argv[1]))\n"
    ).format(tests=str(__import__("pathlib").Path(__file__).parent))
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(n)], env=file_database.env, stderr=subprocess.PIPE)
        for n in range(WRITERS)
    ]
    failures = [p.stderr.read().decode() for p in processes if p.wait(timeout=120) != 0 and p.stderr]
    assert failures == []
    with sqlite3.connect(file_database.path) as db:
        rows = db.execute("SELECT sequence, subject_code FROM ledger_logentry ORDER BY sequence").fetchall()
        assert db.execute("SELECT size FROM ledger_loghead").fetchone() == (KEPT,)
    check_rows(rows)
    assert file_database.ceasefire("log", "checkpoint").returncode == 0
    verify = file_database.ceasefire("log", "verify", "--database")
    assert verify.returncode == 0, verify.stderr
    assert f"Size: {KEPT}" in verify.stdout


def test_concurrent_writers_get_gapless_ordered_sequences(
    transactional_db: Any, log_vkey: str, file_database: Any
) -> None:
    if connection.vendor == "postgresql":
        _threads_on_this_database()
    else:
        _processes_on_a_file_database(file_database)
