"""Each article's word pairs, indexed, so that a phrase search reads only the articles holding
the phrase's pairs (`articles/phrases.py`). PostgreSQL only: SQLite's FTS5 finds phrases in its
own positional index.

`phrase_keys` holds a 32-bit hash (from md5, the same on every server and version) of every two
lexemes at neighbouring positions of the search vector. It is not a model field: the search
trigger of `0003_search` fills it with the vector on every write, whatever writes. A collision
only lets an article through to the tsquery, which decides.
"""

from django.db import migrations

from workspace.postgresql import on_postgresql


def trigger_function(phrase_keys: str) -> str:
    """The search trigger's function of `0003_search`, with `phrase_keys` set (or not) after the vector."""
    return f"""CREATE OR REPLACE FUNCTION articles_article_search_update() RETURNS trigger AS $$
    DECLARE config regconfig := articles_search_config(NEW.language);
    BEGIN
        -- A tsvector holds at most 1 MB: index the first 500,000 characters of a long text.
        NEW.search_vector :=
            setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector(config, coalesce(NEW.standfirst, '') || ' ' || coalesce(NEW.site_name, '')
                || ' ' || coalesce(NEW.authors::text, '')), 'B') ||
            setweight(to_tsvector(config, left(coalesce(NEW.text, ''), 500000)), 'C');
        {phrase_keys}
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql"""


POSTGRES_FORWARD = [
    """CREATE FUNCTION articles_pair_hashes(pairs text[]) RETURNS int[] AS $$
        SELECT coalesce(array_agg(DISTINCT ('x' || left(md5(pair), 8))::bit(32)::int), '{}')
        FROM unnest(pairs) AS pair
    $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE""",
    """CREATE FUNCTION articles_phrase_keys(vector tsvector) RETURNS int[] AS $$
        SELECT articles_pair_hashes(array_agg(first.lexeme || ' ' || second.lexeme))
        FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS first
        JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS second
            ON second.position = first.position + 1
    $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE""",
    "ALTER TABLE articles_article ADD COLUMN phrase_keys int[]",
    trigger_function("NEW.phrase_keys := articles_phrase_keys(NEW.search_vector);"),
    "UPDATE articles_article SET phrase_keys = articles_phrase_keys(search_vector)",
    "CREATE INDEX articles_article_phrase_idx ON articles_article USING gin (phrase_keys)",
]
POSTGRES_BACKWARD = [
    trigger_function(""),
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS phrase_keys",
    "DROP FUNCTION IF EXISTS articles_phrase_keys(tsvector)",
    "DROP FUNCTION IF EXISTS articles_pair_hashes(text[])",
]


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_list_indexes")]

    operations = [on_postgresql(POSTGRES_FORWARD, POSTGRES_BACKWARD)]
