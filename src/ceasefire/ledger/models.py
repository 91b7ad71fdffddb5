"""Transparency-log entries: one per change of domain state, appended in the change's own transaction."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LogHead(models.Model):
    """One row holding the log's size. Locking it serialises appends, so sequence numbers are gapless."""

    size = models.BigIntegerField(default=0)


class LogEntry(models.Model):
    sequence = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=64)
    subject_code = models.CharField(max_length=64, db_index=True)
    party_code = models.CharField(max_length=8, blank=True)
    # A sealed entry's leaf carries only time and commitment: its record is restricted to some parties.
    sealed = models.BooleanField(default=False)
    salt = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64)
    record = models.JSONField()  # the full record version; never served, kept to prove inclusion to its readers
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.subject_code}"
