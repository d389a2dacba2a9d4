"""The lines cleaning removed from an article, the ones a researcher put back, and a site's kept lines.

On SQLite, adding a NOT NULL column rebuilds the table, and dropping the old table drops the
full-text triggers of `0003_search` with it: they are created again after the rebuild (both ways,
if missing: removing a column does not rebuild the table).
"""

from importlib import import_module

from django.db import migrations, models

SQLITE_TRIGGERS = [
    s.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ")
    for s in import_module("articles.migrations.0003_search").SQLITE_FORWARD
    if "CREATE TRIGGER" in s
]


def recreate_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_title_index"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="article",
            name="kept_lines",
            field=models.JSONField(blank=True, db_default=[], default=list),
        ),
        migrations.AddField(
            model_name="article",
            name="removed_lines",
            field=models.JSONField(blank=True, db_default=[], default=list),
        ),
        migrations.AddField(
            model_name="sourceparagraph",
            name="kept",
            field=models.BooleanField(db_default=False),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
