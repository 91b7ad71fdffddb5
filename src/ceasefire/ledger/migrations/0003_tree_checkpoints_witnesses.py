import hashlib

from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


def create_tree_head(apps, schema_editor):
    # Like the log head, the tree head exists before the first integration: the integrator locks it.
    apps.get_model("ledger", "TreeHead").objects.get_or_create(
        pk=1, defaults={"size": 0, "root": hashlib.sha256(b"").digest()}
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_log_head"), ("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="TreeHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.BigIntegerField(default=0)),
                ("root", models.BinaryField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="LogTile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("level", models.PositiveSmallIntegerField()),
                ("index", models.BigIntegerField()),
                ("hashes", models.BinaryField(max_length=8192)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("level", "index"), name="ledger_tile_unique")],
            },
        ),
        migrations.CreateModel(
            name="LogCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.BigIntegerField(unique=True)),
                ("root", models.BinaryField(max_length=32)),
                ("note", models.TextField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("witnessed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"ordering": ["-size"]},
        ),
        migrations.CreateModel(
            name="Witness",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                ("url", models.URLField(max_length=500, verbose_name="submission URL prefix")),
                ("vkey", models.CharField(max_length=300, verbose_name="cosigner verifier key")),
                ("is_active", models.BooleanField(default=True)),
                ("size", models.BigIntegerField(default=0)),
                ("last_contact_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                (
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="witnesses", to="core.party"
                    ),
                ),
            ],
            options={"ordering": ["party__code", "name"]},
        ),
        migrations.CreateModel(
            name="Cosignature",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("timestamp", models.BigIntegerField()),
                ("line", models.TextField()),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cosignatures",
                        to="ledger.logcheckpoint",
                    ),
                ),
                (
                    "witness",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="cosignatures", to="ledger.witness"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("checkpoint", "witness"), name="ledger_cosignature_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="WitnessAlarm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.PositiveSmallIntegerField()),
                ("detail", models.TextField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "checkpoint",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alarms",
                        to="ledger.logcheckpoint",
                    ),
                ),
                (
                    "witness",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="alarms", to="ledger.witness"
                    ),
                ),
            ],
            options={"ordering": ["-created_at"]},
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=64, unique=True)),
                ("beat_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("pid", models.IntegerField(default=0)),
                ("host", models.CharField(blank=True, max_length=200)),
            ],
        ),
        migrations.RunPython(create_tree_head, migrations.RunPython.noop),
    ]
