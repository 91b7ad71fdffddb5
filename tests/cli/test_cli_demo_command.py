"""`ceasefire demo`: loads the demo once, prints where to log in, the accounts and their password."""

from __future__ import annotations

import io

import pytest
from cli_helpers import run
from django.contrib.auth import authenticate

from ceasefire.demo.complaints import demo_complaints
from ceasefire.demo.mechanism import PEOPLE
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.models import LogHead

pytestmark = pytest.mark.integration


@pytest.fixture
def data_dir(db, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("CEASEFIRE_DEMO_PASSWORD", raising=False)
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_demo_prints_url_accounts_and_password(data_dir):
    out = run("demo", password="a-demo-password-1")
    assert "http://127.0.0.1:8000/" in out
    for username, _party, _role, _tz in PEOPLE:
        assert username in out
    assert "admin" in out and "Liaison officer" in out
    assert "a-demo-password-1" in out
    assert Complaint.objects.count() == len(demo_complaints())
    assert authenticate(username="pk-liaison", password="a-demo-password-1") is not None


def test_demo_url_option_changes_the_printed_address(data_dir):
    out = run("demo", password="a-demo-password-1", url="https://ceasefire.example/")
    assert "https://ceasefire.example/" in out and "127.0.0.1" not in out


def test_demo_twice_changes_nothing_the_second_time(data_dir):
    run("demo", password="a-demo-password-1")
    size, count = LogHead.objects.get().size, Complaint.objects.count()
    out = run("demo", password="a-demo-password-1")
    assert f"0 complaints filed now, {count} there already" in out
    assert (LogHead.objects.get().size, Complaint.objects.count()) == (size, count)


def test_demo_generates_a_password_once_and_reuses_it(data_dir):
    run("demo")
    path = data_dir / "demo-password"
    password = path.read_text().strip()
    assert len(password) >= 10
    assert path.stat().st_mode & 0o077 == 0
    out = run("demo")
    assert password in out
    assert path.read_text().strip() == password
    assert authenticate(username="af-liaison", password=password) is not None


def test_demo_takes_the_password_from_the_environment(data_dir, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_DEMO_PASSWORD", "from-the-environment")
    out = run("demo")
    assert "from-the-environment" in out and "CEASEFIRE_DEMO_PASSWORD" in out
    assert not (data_dir / "demo-password").exists()
    assert authenticate(username="tr-secretariat", password="from-the-environment") is not None


def test_demo_with_another_password_warns_and_keeps_the_first(data_dir):
    run("demo", password="the-first-password")
    err = io.StringIO()
    out = run("demo", password="a-second-password", stderr=err)
    assert "a-second-password" not in out
    assert "another password" in err.getvalue()
    assert authenticate(username="af-liaison", password="the-first-password") is not None
