"""Full-text search over articles, with web-search syntax, on PostgreSQL and on SQLite.

PostgreSQL: a weighted `tsvector` column (title A; standfirst, site and authors B; body C),
kept up to date by a trigger on every write, a GIN index, `websearch_to_tsquery`,
`ts_rank_cd`, and `ts_headline` for the page shown only. Each article is indexed with the
text-search configuration of its language; a query is parsed with every configuration the
workspace's articles use, OR-ed, so that one constant tsquery can use the index.

SQLite (the embedded default): an FTS5 table over the same columns, kept up to date by
triggers; the same query syntax is translated to FTS5's, ranked with bm25 (the same weights)
and highlighted with `snippet`. Both are created by migration `0003_search`.
"""

import re
from dataclasses import dataclass, field
from html import escape

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 500
START, STOP = "\ue000", "\ue001"  # private-use markers around hits, escaped before <mark> is added
LANGUAGE_CONFIGS = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "nl": "dutch",
    "pt": "portuguese", "sv": "swedish", "da": "danish", "fi": "finnish", "nb": "norwegian",
    "no": "norwegian", "ru": "russian", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
}  # fmt: skip
SQLITE_WEIGHTS = "10.0, 4.0, 4.0, 4.0, 1.0"  # title, standfirst, site, authors, body: as A, B, B, B, C
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class ParsedQuery:
    """Web-search syntax: words, "quoted phrases", `or` between terms, -excluded terms."""

    groups: list[list[str]] = field(default_factory=lambda: [[]])  # OR of AND-groups of phrases
    excluded: list[str] = field(default_factory=list)

    @property
    def positive(self) -> bool:
        return any(self.groups)


def parse(query: str) -> ParsedQuery:
    parsed = ParsedQuery()
    for match in TOKEN.finditer(query[:MAX_QUERY_LENGTH]):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word and word.lower() == "or":
            if parsed.groups[-1]:
                parsed.groups.append([])
            continue
        if word and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        term = " ".join(re.findall(r"\w+", phrase if phrase is not None else word))
        if term:
            (parsed.excluded if negated else parsed.groups[-1]).append(term)
    parsed.groups = [g for g in parsed.groups if g]
    return parsed


def language_config(language: str) -> str:
    return LANGUAGE_CONFIGS.get(language.split("-")[0].lower(), "simple")


def highlight(snippet: str) -> str:
    """Escape the article's text, then mark the hits: nothing from the article becomes markup."""
    return escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")


# --- PostgreSQL ------------------------------------------------------------------------


def pg_tsquery(configs: list[str]) -> str:
    return "(" + " || ".join(f"websearch_to_tsquery('{c}'::regconfig, %s)" for c in configs) + ")"


def pg_configs(queryset: QuerySet) -> list[str]:
    languages = queryset.order_by().values_list("language", flat=True).distinct()[:20]
    return sorted({language_config(lang) for lang in languages} | {"simple"})


def pg_search(queryset: QuerySet, query: str) -> QuerySet:
    configs = pg_configs(queryset)
    tsquery, params = pg_tsquery(configs), [query] * len(configs)
    matches = RawSQL(f"articles_article.search_vector @@ {tsquery}", params, output_field=BooleanField())
    rank = RawSQL(f"ts_rank_cd(articles_article.search_vector, {tsquery})", params, output_field=FloatField())
    return queryset.annotate(search_match=matches, search_rank=rank).filter(search_match=True)


def pg_snippets(articles: list, query: str) -> None:
    from articles.models import Article

    configs = pg_configs(Article.objects.filter(pk__in=[a.pk for a in articles]))
    tsquery = pg_tsquery(configs)
    options = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=28, MinWords=10, FragmentDelimiter=' … '"
    sql = f"ts_headline(articles_search_config(articles_article.language), articles_article.text, {tsquery}, %s)"
    snippet = RawSQL(sql, [*[query] * len(configs), options])
    found = dict(Article.objects.filter(pk__in=[a.pk for a in articles]).annotate(s=snippet).values_list("pk", "s"))
    for article in articles:
        article.snippet_html = highlight(found.get(article.pk) or "")


def pg_only_stop_words(query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s))", [query])
        return cursor.fetchone()[0] == 0


# --- SQLite ------------------------------------------------------------------------------


def fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def fts5_query(parsed: ParsedQuery) -> str:
    positive = " OR ".join("(" + " AND ".join(fts5_phrase(t) for t in group) + ")" for group in parsed.groups)
    return "".join([f"({positive})", *(f" NOT {fts5_phrase(t)}" for t in parsed.excluded)])


def sqlite_search(queryset: QuerySet, query: str) -> QuerySet:
    match = fts5_query(parse(query))
    hits = RawSQL("SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s", [match])
    # bm25 is lower for better matches; negate it so that both backends sort rank descending.
    rank = RawSQL(
        f"(SELECT -bm25(articles_article_fts, {SQLITE_WEIGHTS}) FROM articles_article_fts "
        "WHERE articles_article_fts MATCH %s AND rowid = articles_article.id)",
        [match],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=hits).annotate(search_rank=rank)


def sqlite_snippets(articles: list, query: str) -> None:
    parsed = parse(query)
    if not parsed.positive or not articles:
        return
    ids = [a.pk for a in articles]
    sql = (
        "SELECT rowid, snippet(articles_article_fts, 4, %s, %s, ' … ', 28) FROM articles_article_fts "
        f"WHERE articles_article_fts MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, fts5_query(parsed), *ids])
        found = dict(cursor.fetchall())
    for article in articles:
        article.snippet_html = highlight(found.get(article.pk) or "")


# --- The API views use ----------------------------------------------------------------------


def search(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to articles matching `query`, annotated with `search_rank`."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not parse(query).positive:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return pg_search(queryset, query)
    return sqlite_search(queryset, query)


def add_snippets(articles: list, query: str) -> None:
    """Set `snippet_html` (safe HTML, hits in <mark>) on each article of the page shown."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    for article in articles:
        article.snippet_html = ""
    if not articles or not parse(query).positive:
        return
    if connection.vendor == "postgresql":
        pg_snippets(articles, query)
    else:
        sqlite_snippets(articles, query)


def explain_empty(query: str) -> str:
    """Why a query can find nothing, in plain words, or "" if it could."""
    parsed = parse(query)
    if not parsed.positive:
        if parsed.excluded:
            return "Add at least one word to look for: a search cannot be made of excluded words only."
        return "Type some words to search for: punctuation alone finds nothing."
    if connection.vendor == "postgresql" and pg_only_stop_words(query):
        return "These words are too common to search for (like “the” or “and”): add a more specific word."
    return ""
