"""Full-text search over passages (quote and note): tsvector + trigger + GIN on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE annotations_annotation ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION annotations_annotation_search_update() RETURNS trigger AS $$
    DECLARE config regconfig := articles_search_config(
        (SELECT language FROM articles_article WHERE id = NEW.article_id));
    BEGIN
        NEW.search_vector := setweight(to_tsvector(config, coalesce(NEW.exact, '')), 'A')
            || setweight(to_tsvector(config, coalesce(NEW.note, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotations_annotation_search BEFORE INSERT OR UPDATE OF exact, note ON annotations_annotation
        FOR EACH ROW EXECUTE FUNCTION annotations_annotation_search_update()""",
    "UPDATE annotations_annotation SET note = note",
    "CREATE INDEX annotations_annotation_search_idx ON annotations_annotation USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS annotations_annotation_search ON annotations_annotation",
    "DROP FUNCTION IF EXISTS annotations_annotation_search_update()",
    "ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE annotations_annotation_fts USING fts5(exact, note, content='annotations_annotation',
        content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER annotations_annotation_fts_insert AFTER INSERT ON annotations_annotation BEGIN
        INSERT INTO annotations_annotation_fts(rowid, exact, note) VALUES (new.id, new.exact, new.note); END""",
    """CREATE TRIGGER annotations_annotation_fts_delete AFTER DELETE ON annotations_annotation BEGIN
        INSERT INTO annotations_annotation_fts(annotations_annotation_fts, rowid, exact, note)
        VALUES ('delete', old.id, old.exact, old.note); END""",
    """CREATE TRIGGER annotations_annotation_fts_update AFTER UPDATE OF exact, note ON annotations_annotation BEGIN
        INSERT INTO annotations_annotation_fts(annotations_annotation_fts, rowid, exact, note)
        VALUES ('delete', old.id, old.exact, old.note);
        INSERT INTO annotations_annotation_fts(rowid, exact, note) VALUES (new.id, new.exact, new.note); END""",
    "INSERT INTO annotations_annotation_fts(annotations_annotation_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_update",
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_delete",
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_insert",
    "DROP TABLE IF EXISTS annotations_annotation_fts",
]


def run(statements: dict):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_initial"), ("articles", "0003_search")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
