"""The transparency log's tables.

- `LogHead` + `LogEntry`: the *sequencer*. Every change appends one entry inside its own transaction, numbered
  under a lock on the single head row, so sequence numbers are gapless and follow commit order.
- `TreeHead` + `LogTile`: the *integrator's* Merkle tree, kept as C2SP tlog-tiles (one row per tile, at most
  256 hashes; the rightmost tile of a level grows in place and is served as a partial tile). Entries reach the
  tree when the worker checkpoints, so a domain write never pays for hashing or tile writes.
- `LogCheckpoint`, `Witness`, `Cosignature`, `WitnessAlarm`: signed checkpoints, the parties' witnesses, their
  cosignatures, and every refusal a witness gave (a fork shows up here).
- `WorkerHeartbeat`: when `ceasefire worker` last ran its loop, for `ceasefire status`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.core.models import Party


class LogHead(models.Model):
    """One row holding the log's size. Locking it serialises appends, so sequence numbers are gapless."""

    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"log of {self.size} entries"


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
    # The full record version: never served, kept so those who may see it can prove its inclusion.
    record = models.JSONField()
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.subject_code}"


class TreeHead(models.Model):
    """One row: how many entries the tiles hold, and their root. Locked by the integrator only."""

    size = models.BigIntegerField(default=0)
    root = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"tree of {self.size} leaves"


class LogTile(models.Model):
    """A tlog-tiles tile: up to 256 concatenated hashes at `level`. Full tiles never change; the rightmost
    tile of each level only grows, so any earlier width is a prefix of it."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hashes = models.BinaryField(max_length=8192)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_tile_unique")]

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index} ({len(self.hashes) // 32} hashes)"


class LogCheckpoint(models.Model):
    """A tlog-checkpoint signed by the log key (`note`, without cosignatures: those are rows below)."""

    size = models.BigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    witnessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Witness(models.Model):
    """A party's witness: where it listens (tlog-witness submission prefix) and its cosigning key."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="witnesses")
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("submission URL prefix"), max_length=500)
    vkey = models.CharField(_("cosigner verifier key"), max_length=300)
    is_active = models.BooleanField(default=True)
    # The size this witness last cosigned as far as we know; it answers 409 with its own when we are wrong.
    size = models.BigIntegerField(default=0)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["party__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.party.code})"


class Cosignature(models.Model):
    checkpoint = models.ForeignKey(LogCheckpoint, on_delete=models.CASCADE, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    timestamp = models.BigIntegerField()  # the witness's own clock, POSIX seconds (tlog-cosignature v1.0.1)
    line = models.TextField()  # the signature line exactly as the witness sent it

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_cosignature_unique")]

    def __str__(self) -> str:
        return f"{self.witness.name} on {self.checkpoint.size}"


class WitnessAlarm(models.Model):
    """A witness refused a checkpoint: a fork (409 at equal size, 422), a wrong key, or a protocol fault."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="alarms")
    checkpoint = models.ForeignKey(LogCheckpoint, on_delete=models.CASCADE, null=True, related_name="alarms")
    status = models.PositiveSmallIntegerField()
    detail = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.witness.name}: {self.status}"


class WorkerHeartbeat(models.Model):
    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField(default=timezone.now)
    pid = models.IntegerField(default=0)
    host = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
