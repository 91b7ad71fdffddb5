"""Flows CSV import: every bad input named by line and column, and nothing stored from a failed batch."""

import pytest
from border_helpers import FLOW_HEADER, flows_csv
from django.core.management import CommandError, call_command

from ceasefire.border.models import FlowBatch, FlowCount
from ceasefire.border.services import import_flow_csv
from ceasefire.core.errors import ValidationFailed
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

GOOD = "2025-11-02,torkham,to_af,deportation,120,,,party,"


def _errors(member, data):
    before = (LogEntry.objects.count(), FlowCount.objects.count(), FlowBatch.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        import_flow_csv(member, data, file_name="flows.csv")
    assert (LogEntry.objects.count(), FlowCount.objects.count(), FlowBatch.objects.count()) == before
    return caught.value


def test_good_file_is_imported_as_one_batch(pk_liaison):
    batch = import_flow_csv(
        pk_liaison, flows_csv(GOOD, "2025-11-03,Torkham,to_af,return,4000,3000,1000,party,"), file_name="f.csv"
    )
    assert batch.rows == 2 and batch.party.code == "PK"
    assert sorted(FlowCount.objects.values_list("total", flat=True)) == [120, 4000]
    assert LogEntry.objects.filter(kind="flows.imported", subject_code=batch.public_code).count() == 1


@pytest.mark.parametrize(
    ("row", "where", "says"),
    [
        ("2025-11-03,torkham,to_af,return,-4,,,party,", "line 3, column total", "negative"),
        ("2025-11-03,torkham,to_af,return,2.5,,,party,", "line 3, column total", "not a whole number"),
        ("2025-11-03,torkham,to_af,return,many,,,party,", "line 3, column total", "not a number"),
        ("2025-11-03,torkham,to_af,return,10,-1,,party,", "line 3, column documented", "negative"),
        (
            "2025-11-03,Khyber Pass,to_af,return,10,,,party,",
            "line 3, column crossing",
            "unknown crossing 'Khyber Pass'",
        ),
        ("2099-01-01,torkham,to_af,return,10,,,party,", "line 3, column date", "in the future"),
        ("2025-13-01,torkham,to_af,return,10,,,party,", "line 3, column date", "not a date"),
        ("2025-11-03,torkham,sideways,return,10,,,party,", "line 3, column direction", "unknown direction"),
        ("2025-11-03,torkham,to_af,return,10,4,5,party,", "line 3, column total", "do not add up to 10"),
        ("2025-11-03,torkham,to_af,return,10,,,mediator,", "line 3, column source", "only a mediator"),
        ("2025-11-03,torkham,to_af,return,10,,", "line 3", "7 fields, expected 9"),
        (GOOD, "line 3, column date", "the same count as line 2"),
    ],
)
def test_bad_row_named_by_line_and_column_and_nothing_stored(pk_liaison, row, where, says):
    error = _errors(pk_liaison, flows_csv(GOOD, row))
    assert list(error.errors) == [where]
    assert says in error.errors[where]
    assert where in error.message and "nothing was imported" in error.message


def test_missing_and_extra_columns_named(pk_liaison):
    header = FLOW_HEADER.replace(",source_note", "").rstrip("\n") + ",comment\n"
    error = _errors(pk_liaison, (header + "2025-11-02,torkham,to_af,return,1,,,party,x\n").encode())
    assert error.errors == {
        "line 1, column 9": "unexpected column 'comment'; the columns are date, crossing, direction, category, "
        "total, documented, undocumented, source, source_note.",
        "line 1, column source_note": "missing column 'source_note'.",
    }


def test_every_bad_line_reported_at_once(pk_liaison):
    error = _errors(
        pk_liaison, flows_csv(GOOD, "2025-11-03,torkham,to_af,return,-1,,,party,", "x,torkham,to_af,return,1,,,party,")
    )
    assert list(error.errors) == ["line 3, column total", "line 4, column date"]


def test_count_already_stored_refused_on_second_import(pk_liaison):
    import_flow_csv(pk_liaison, flows_csv(GOOD), file_name="first.csv")
    error = _errors(pk_liaison, flows_csv("2025-11-05,torkham,to_af,return,1,,,party,", GOOD))
    assert list(error.errors) == ["line 3, column date"]
    assert "already recorded" in error.errors["line 3, column date"]


def test_cli_imports_a_file(pk_liaison, tmp_path, capsys):
    path = tmp_path / "flows.csv"
    path.write_bytes(flows_csv(GOOD))
    call_command("import-flows", str(path), user="pk-liaison")
    assert "Imported 1 rows from flows.csv" in capsys.readouterr().out
    assert FlowCount.objects.count() == 1


def test_cli_reports_line_and_column_and_imports_nothing(pk_liaison, tmp_path, capsys):
    path = tmp_path / "flows.csv"
    path.write_bytes(flows_csv(GOOD, "2025-11-03,torkham,to_af,return,-4,,,party,"))
    with pytest.raises(CommandError, match="line 3, column total"):
        call_command("import-flows", str(path), user="pk-liaison")
    assert "flows.csv: line 3, column total: '-4' is negative" in capsys.readouterr().err
    assert FlowCount.objects.count() == 0
