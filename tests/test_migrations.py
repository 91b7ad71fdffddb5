"""The migrations are in step with the models: a model change without its migration fails the suite."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.integration


def test_models_have_no_changes_without_a_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits non-zero when a migration is missing
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
