"""Tamper and fault tests: rows, tiles and domain records changed behind the application's back (raw SQL,
file edits) are named by `ceasefire log verify`, by index and record or by tile; a process killed between the
domain write and the checkpoint loses nothing."""

from __future__ import annotations

import io
import re
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from support import khost_strike_draft

from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.audit import AuditFailed, audit_database, audit_tiles, fetcher
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.models import LogEntry, LogTile
from ceasefire.ledger.services import record_change
from ceasefire.ledger.tiles import Tile, tiles_for_size

pytestmark = pytest.mark.integration


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


ENTRY = LogEntry._meta.db_table
TILE = LogTile._meta.db_table


@pytest.fixture
def logged(af_liaison: Any, log_vkey: str) -> Complaint:
    complaint = file_complaint(af_liaison, khost_strike_draft())
    with transaction.atomic():
        for number in range(300):  # past one full tile, so level 1 exists
            record_change(None, kind="test.filler", subject_code=f"F-{number}", record={"n": number}, sealed=False)
    checkpoint_now()
    return complaint


def problems() -> list[str]:
    with pytest.raises(AuditFailed) as failed:
        audit_database()
    return failed.value.problems


def test_untouched_log_verifies_from_the_command(logged: Complaint) -> None:
    out = io.StringIO()
    call_command("log", "verify", "--database", stdout=out)
    assert "domain records matching their latest log entries" in out.getvalue()


def test_changed_open_log_row_is_named_by_index_and_record(logged: Complaint) -> None:
    entry = LogEntry.objects.get(subject_code="F-3")
    sql(f"UPDATE {ENTRY} SET subject_code = 'F-33' WHERE sequence = %s", entry.sequence)  # noqa: S608
    assert any(f"index {entry.sequence} (test.filler F-33): its leaf does not match" in p for p in problems())


def test_changed_sealed_log_row_is_named_by_index_and_record(logged: Complaint) -> None:
    entry = LogEntry.objects.get(subject_code=logged.public_code)
    sql(f"UPDATE {ENTRY} SET kind = 'complaint.withdrawn' WHERE sequence = %s", entry.sequence)  # noqa: S608
    found = problems()
    assert any(
        f"index {entry.sequence} (complaint.withdrawn {logged.public_code}): kind, subject, party or record do not "
        "match its commitment" in p
        for p in found
    )


def test_changed_record_is_named_by_its_commitment(logged: Complaint) -> None:
    entry = LogEntry.objects.get(subject_code="F-7")
    sql(f"UPDATE {ENTRY} SET record = %s WHERE sequence = %s", '{"n": 8}', entry.sequence)  # noqa: S608
    assert f"index {entry.sequence} (test.filler F-7): kind, subject, party or record do not match its commitment" in (
        problems()
    )


def test_deleted_log_row_is_named(logged: Complaint) -> None:
    entry = LogEntry.objects.get(subject_code="F-10")
    sql(f"DELETE FROM {ENTRY} WHERE sequence = %s", entry.sequence)  # noqa: S608
    assert problems()[0].startswith(f"index {entry.sequence}: missing or out of order")


def test_reordered_log_rows_are_named(logged: Complaint) -> None:
    first, second = (LogEntry.objects.get(subject_code=f"F-{n}").sequence for n in (20, 21))
    sql(f"UPDATE {ENTRY} SET sequence = -1 WHERE sequence = %s", first)  # noqa: S608
    sql(f"UPDATE {ENTRY} SET sequence = %s WHERE sequence = %s", first, second)  # noqa: S608
    sql(f"UPDATE {ENTRY} SET sequence = %s WHERE sequence = -1", second)  # noqa: S608
    found = " | ".join(problems())
    assert f"index {first} (test.filler F-21)" in found and f"index {second} (test.filler F-20)" in found


def test_edited_tile_is_named(logged: Complaint) -> None:
    row = LogTile.objects.get(level=1, index=0)
    sql(f"UPDATE {TILE} SET hashes = %s WHERE id = %s", b"\x00" * 32, row.pk)  # noqa: S608
    assert any("tile/1/000.p/1 does not match the level below it" in p for p in problems())


def test_domain_row_changed_behind_the_app_is_named(logged: Complaint) -> None:
    table = Complaint._meta.db_table
    sql(f"UPDATE {table} SET narrative = %s WHERE id = %s", "Nothing happened.", logged.pk)  # noqa: S608
    entry = LogEntry.objects.get(subject_code=logged.public_code)
    assert problems() == [
        f"complaint {logged.public_code}: the database differs from its latest log entry "
        f"(index {entry.sequence}, complaint.submitted) in narrative"
    ]
    with pytest.raises(CommandError, match=f"complaint {logged.public_code}"):
        call_command("log", "verify", "--database", stdout=io.StringIO(), stderr=io.StringIO())


def mirror(tmp_path: Path, fetch: Callable[[str], bytes], size: int) -> Path:
    """Copy the served log to a directory, as a party's mirror would."""
    paths = ["checkpoint"] + [tile.path for tile in tiles_for_size(size)]
    paths += [tile.path.replace("tile/0/", "tile/entries/") for tile in tiles_for_size(size) if tile.level == 0]
    for path in paths:
        target = tmp_path / "mirror" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fetch(path))
    return tmp_path / "mirror"


def test_edited_tile_file_in_a_mirror_is_named(
    logged: Complaint, log_vkey: str, served: Callable[[str], bytes], tmp_path: Path
) -> None:
    size = LogEntry.objects.count()
    directory = mirror(tmp_path, served, size)
    assert audit_tiles(fetcher(str(directory)), [log_vkey]).size == size
    out = io.StringIO()
    call_command("log", "verify", "--tiles", str(directory), "--vkey", log_vkey, stdout=out)
    assert f"Size: {size}" in out.getvalue()

    tile = directory / "tile/0/000"
    data = bytearray(tile.read_bytes())
    data[5 * 32] ^= 1  # one bit of entry 5's leaf hash
    tile.write_bytes(bytes(data))

    with pytest.raises(AuditFailed, match="tile/0/000 does not match the level below it, first at entry 5"):
        audit_tiles(fetcher(str(directory)), [log_vkey])


def test_edited_entry_bundle_in_a_mirror_is_named(
    logged: Complaint, log_vkey: str, served: Callable[[str], bytes], tmp_path: Path
) -> None:
    size = LogEntry.objects.count()
    directory = mirror(tmp_path, served, size)
    index = LogEntry.objects.get(subject_code="F-260").sequence
    level0 = Tile(0, index // 256, min(256, size - index // 256 * 256))
    bundle = directory / Tile(None, level0.index, level0.width).path
    bundle.write_bytes(bundle.read_bytes().replace(b"F-260", b"F-261"))
    expected = f"{level0.path} does not match the level below it, first at entry {index}"
    with pytest.raises(CommandError, match=re.escape(expected)):
        call_command("log", "verify", "--tiles", str(directory), "--vkey", log_vkey, stderr=io.StringIO())


def test_kill_between_the_domain_write_and_the_checkpoint_loses_nothing(file_database: Any) -> None:
    killed = file_database.run(
        """
        import os, signal
        from ceasefire.core.services import create_party
        create_party(None, code="AF", name="Afghanistan", kind="party")
        os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any checkpoint
        """,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    with sqlite3.connect(file_database.path) as db:
        assert db.execute("SELECT kind, subject_code FROM ledger_logentry").fetchall() == [("party.created", "AF")]
        assert db.execute("SELECT size FROM ledger_treehead").fetchone() == (0,)

    assert file_database.ceasefire("log", "checkpoint").returncode == 0
    verify = file_database.ceasefire("log", "verify", "--database")
    assert verify.returncode == 0, verify.stderr
    with sqlite3.connect(file_database.path) as db:
        assert db.execute("SELECT size FROM ledger_logcheckpoint").fetchall() == [(1,)]
