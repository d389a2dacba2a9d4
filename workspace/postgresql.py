"""Migration steps in PostgreSQL's own SQL (functions, triggers, columns and indexes the ORM does not
model); SQLite, the embedded default, goes without them, and the code reading them has a fallback."""

from django.db import migrations


def on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A migration operation running `forward` (and `backward` when unapplied) on PostgreSQL only."""
    return migrations.RunPython(_statements(forward), _statements(backward))


def _statements(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply
