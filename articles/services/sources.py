"""Sites: their domain, the paragraphs learnt as their boilerplate, the lines researchers restored."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from articles.cleaning import paragraph_key
from articles.models import Article, Source, SourceParagraph
from articles.services.submit import requeue


def source_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def site_paragraphs(workspace_id: int, domain: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the site's learnt boilerplate, and of the lines researchers restored on that site
    (never boilerplate), in one query. Read by domain: the site's `Source` row is only needed, and
    created, when the article is stored."""
    if not domain:
        return frozenset(), frozenset()
    rows = SourceParagraph.objects.filter(
        Q(article_count__gte=settings.BOILERPLATE_MIN_ARTICLES) | Q(kept=True),
        source__workspace_id=workspace_id,
        source__domain=domain,
    ).values_list("key", "kept")
    learnt, kept = set(), set()
    for key, is_kept in rows:
        (kept if is_kept else learnt).add(key)
    return frozenset(learnt), frozenset(kept)


def find_source(workspace_id: int, domain: str, site_name: str) -> Source | None:
    if not domain:
        return None
    source, _ = Source.objects.get_or_create(workspace_id=workspace_id, domain=domain, defaults={"name": site_name})
    return source


# Rows per statement: well under every supported database's limit on parameters.
LEARN_BATCH = 300


def learn_paragraphs(source: Source, paragraphs: list[str]) -> None:
    """Count each of the article's paragraphs once more for its site.

    An upsert that increments (SQLite 3.24+ and PostgreSQL spell it alike) cannot be said with the
    ORM: one statement instead of a read, an update and an insert, and no gap between reading a
    count and writing it in which another worker's count could be lost.
    """
    keys = {paragraph_key(p): p[:300] for p in paragraphs if 0 < len(p) <= 600}
    rows = [(source.pk, key, example) for key, example in keys.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), LEARN_BATCH):
            batch = rows[start : start + LEARN_BATCH]
            cursor.execute(_upsert_paragraphs_sql(len(batch)), [value for row in batch for value in row])


def _upsert_paragraphs_sql(count: int) -> str:
    q = connection.ops.quote_name
    table, source, key, article_count, example = map(
        q, (SourceParagraph._meta.db_table, "source_id", "key", "article_count", "example")
    )
    values = ", ".join(["(%s, %s, 1, %s)"] * count)
    return (
        f"INSERT INTO {table} ({source}, {key}, {article_count}, {example}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({source}, {key}) DO UPDATE SET {article_count} = {table}.{article_count} + 1"
    )


@transaction.atomic
def restore_line(*, article: Article, key: str, example: str) -> Article:
    """Put back a line cleaning removed (its `paragraph_key`): no rule removes it from this article
    again, nor, when the article has a site, from that site's articles cleaned from now on. The
    article is cleaned again from its original."""
    kept = Article.objects.select_for_update().values_list("kept_lines", flat=True).get(pk=article.pk)
    if key not in kept:
        Article.objects.filter(pk=article.pk).update(kept_lines=[*kept, key])
    if article.source_id is not None:
        SourceParagraph.objects.update_or_create(
            source_id=article.source_id,
            key=key,
            defaults={"kept": True},
            create_defaults={"kept": True, "example": example[:300]},
        )
    return requeue(article=article)
