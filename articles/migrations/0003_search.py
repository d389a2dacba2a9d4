"""Full-text search: a weighted tsvector + trigger + GIN index on PostgreSQL, FTS5 on SQLite.

Neither is a model field: they are maintained by the database on every write, whatever
writes (the ORM, bulk inserts, COPY), and queried through `articles/search.py`.
"""

from django.db import migrations

from articles.search import LANGUAGE_CONFIGS

PG_CONFIG_CASES = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in LANGUAGE_CONFIGS.items())

POSTGRES_FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION articles_search_config(language text) RETURNS regconfig AS $$
        SELECT (CASE lower(split_part(coalesce(language, ''), '-', 1)) {PG_CONFIG_CASES}
                ELSE 'simple' END)::regconfig
    $$ LANGUAGE sql IMMUTABLE""",
    """CREATE FUNCTION articles_article_search_update() RETURNS trigger AS $$
    DECLARE config regconfig := articles_search_config(NEW.language);
    BEGIN
        -- A tsvector holds at most 1 MB: index the first 500,000 characters of a long text.
        NEW.search_vector :=
            setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector(config, coalesce(NEW.standfirst, '') || ' ' || coalesce(NEW.site_name, '')
                || ' ' || coalesce(NEW.authors::text, '')), 'B') ||
            setweight(to_tsvector(config, left(coalesce(NEW.text, ''), 500000)), 'C');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER articles_article_search BEFORE INSERT OR UPDATE OF title, standfirst, site_name, authors,
        text, language ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_update()""",
    "UPDATE articles_article SET language = language",
    "CREATE INDEX articles_article_search_idx ON articles_article USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_search ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_update()",
    "DROP FUNCTION IF EXISTS articles_search_config(text)",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]

FTS_COLUMNS = "title, standfirst, site_name, authors, text"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE articles_article_fts USING fts5({FTS_COLUMNS}, content='articles_article',
        content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.standfirst, new.site_name, new.authors, new.text); END""",
    f"""CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.standfirst, old.site_name, old.authors, old.text); END""",
    f"""CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.standfirst, old.site_name, old.authors, old.text);
        INSERT INTO articles_article_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.standfirst, new.site_name, new.authors, new.text); END""",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def run(statements: dict):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
