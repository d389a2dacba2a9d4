"""Each passage–tag link knows its passage's article and whether the passage is live (PostgreSQL).

"Articles whose passages carry a tag" (the article list's tag filter) went from every link of the
tag to its passage for the article and the deletion mark: 6,000 lookups, 30 ms of a 50 ms page at
1,000,000 passages. With `article_id` and `live` on the link itself and an index on
(tag_id, article_id) of live links, it is read from that index alone.

Neither column is a model field: triggers keep them whatever writes (the ORM's add/set, the bulk
inserts of a tag merge, COPY): a new link takes them from its passage, and a passage deleted,
restored or moved updates its links. SQLite keeps the join (`articles.filters.tagged_with`).
"""

from django.db import migrations

from workspace.postgresql import on_postgresql

POSTGRES_FORWARD = [
    """ALTER TABLE annotations_annotation_tags
        ADD COLUMN article_id bigint, ADD COLUMN live boolean NOT NULL DEFAULT true""",
    """CREATE FUNCTION annotations_tag_link_fill() RETURNS trigger AS $$
    BEGIN
        SELECT article_id, deleted_at IS NULL INTO NEW.article_id, NEW.live
        FROM annotations_annotation WHERE id = NEW.annotation_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotations_tag_link_fill BEFORE INSERT OR UPDATE OF annotation_id
        ON annotations_annotation_tags FOR EACH ROW EXECUTE FUNCTION annotations_tag_link_fill()""",
    """CREATE FUNCTION annotations_passage_links_follow() RETURNS trigger AS $$
    BEGIN
        UPDATE annotations_annotation_tags SET article_id = NEW.article_id, live = NEW.deleted_at IS NULL
        WHERE annotation_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotations_passage_links_follow AFTER UPDATE OF deleted_at, article_id
        ON annotations_annotation FOR EACH ROW
        WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.article_id IS DISTINCT FROM NEW.article_id)
        EXECUTE FUNCTION annotations_passage_links_follow()""",
    """UPDATE annotations_annotation_tags AS link SET article_id = passage.article_id, live = passage.deleted_at IS NULL
        FROM annotations_annotation AS passage WHERE passage.id = link.annotation_id""",
    """CREATE INDEX annotations_tag_links_live_article ON annotations_annotation_tags (tag_id, article_id)
        WHERE live""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS annotations_passage_links_follow ON annotations_annotation",
    "DROP FUNCTION IF EXISTS annotations_passage_links_follow()",
    "DROP TRIGGER IF EXISTS annotations_tag_link_fill ON annotations_annotation_tags",
    "DROP FUNCTION IF EXISTS annotations_tag_link_fill()",
    "ALTER TABLE annotations_annotation_tags DROP COLUMN IF EXISTS article_id, DROP COLUMN IF EXISTS live",
]


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_deleted_passages_index")]

    operations = [on_postgresql(POSTGRES_FORWARD, POSTGRES_BACKWARD)]
