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

import json
import logging
import re
from dataclasses import dataclass, field
from html import escape

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from articles import phrases
from articles.paging import HitCount

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
# Matches counted one by one at most (each reads the article's search vector); past it, an estimate.
COUNT_LIMIT = 1_000
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
    return configs_of(languages)


def configs_of(languages) -> list[str]:
    return sorted({language_config(lang) for lang in languages} | {"simple"})


# One index probe per language of the workspace (a loose scan of `article_ws_language`), instead of
# reading the language of each of its articles on every search.
WORKSPACE_LANGUAGES = """
WITH RECURSIVE found(language) AS (
    (SELECT language FROM articles_article WHERE workspace_id = %s ORDER BY language LIMIT 1)
    UNION ALL
    SELECT (SELECT a.language FROM articles_article a WHERE a.workspace_id = %s AND a.language > found.language
            ORDER BY a.language LIMIT 1)
    FROM found WHERE found.language IS NOT NULL
)
SELECT language FROM found WHERE language IS NOT NULL LIMIT 20"""


def pg_workspace_configs(workspace_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(WORKSPACE_LANGUAGES, [workspace_id, workspace_id])
        return configs_of(row[0] for row in cursor.fetchall())


def pg_search(queryset: QuerySet, query: str, workspace_id: int | None = None) -> QuerySet:
    configs = pg_configs(queryset) if workspace_id is None else pg_workspace_configs(workspace_id)
    tsquery, params = pg_tsquery(configs), [query] * len(configs)
    match = f"articles_article.search_vector @@ {tsquery}"
    pairs = phrase_pairs(query, configs)
    if pairs:
        # The pairs index finds the few articles holding the phrase; the tsquery then only checks
        # those. "IS TRUE" keeps the planner from also reading the words' index entries, which for
        # common words list most articles and cost more than checking the few found.
        condition = " OR ".join(["articles_article.phrase_keys @> articles_pair_hashes(%s::text[])"] * len(pairs))
        match, params = f"({condition}) AND ({match}) IS TRUE", [*pairs, *params]
    rank = RawSQL(
        f"ts_rank_cd(articles_article.search_vector, {tsquery})", [query] * len(configs), output_field=FloatField()
    )
    matches = RawSQL(match, params, output_field=BooleanField())
    return queryset.annotate(search_match=matches, search_rank=rank).filter(search_match=True)


# A phrase may come from quotes, or from one word the parser splits ("well-known", "o'brien").
MAY_HOLD_PHRASE = re.compile(r'"|\w[^\w\s]+\w')


def phrase_pairs(query: str, configs: list[str]) -> list[list[str]]:
    """The word pairs that an article must hold to match `query`'s phrases (`articles/phrases.py`):
    any one of the lists, each wholly; [] when the query requires none."""
    if not MAY_HOLD_PHRASE.search(query):
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pg_tsquery(configs)}::text", [query] * len(configs))
        (tsquery,) = cursor.fetchone()
    try:
        alternatives = phrases.required_pairs(tsquery)
    except ValueError:  # a form this reader does not know: the tsquery alone decides, only slower
        logger.warning("Could not read the tsquery %r; phrase search without the pairs index", tsquery)
        return []
    return [] if alternatives == phrases.NO_CONDITION else [sorted(keys) for keys in alternatives]


SNIPPET_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=28, MinWords=10, FragmentDelimiter=' … '"
SNIPPET_BEFORE, SNIPPET_LENGTH = 250, 900  # characters around the first place a searched word appears
# ts_headline parses all the text it is given, and a whole article takes about a millisecond: it is
# given the stretch around the first place a searched word (or its start, for other forms) appears.
# If no hit is marked there (another form of the word, say), the whole text is headlined after all.
PG_SNIPPETS = """
SELECT id, CASE WHEN strpos(near, %(start)s) > 0 THEN near ELSE ts_headline(config, text, {tsquery}, %(options)s) END
FROM (
    SELECT id, text, config, ts_headline(
        config, CASE WHEN hit > 0 THEN substr(text, greatest(hit - %(before)s, 1), %(length)s) ELSE '' END,
        {tsquery}, %(options)s) AS near
    FROM (
        SELECT id, text, articles_search_config(language) AS config, {first_hit} AS hit
        FROM articles_article WHERE id = ANY(%(ids)s)
    ) AS found
    OFFSET 0
) AS headlined"""


def snippet_probes(query: str) -> list[str]:
    """What to look for in the text: each searched word, or phrase, with its last word cut to its
    likely stem (a phrase's words apart would often find a first hit far from the phrase)."""
    terms = [term.lower().split() for group in parse(query).groups for term in group]
    probes = [" ".join([*words[:-1], words[-1][: max(4, len(words[-1]) - 3)]]) for words in terms]
    return list(dict.fromkeys(probes))[:10]


def pg_snippets(articles: list, query: str) -> None:
    configs = configs_of(article.language for article in articles)
    tsquery = " || ".join(f"websearch_to_tsquery('{c}'::regconfig, %(query)s)" for c in configs)
    probes = snippet_probes(query)
    first_hit = "least(" + ", ".join(f"nullif(strpos(lower(text), %(probe{n})s), 0)" for n in range(len(probes))) + ")"
    params = {
        "query": query,
        "start": START,
        "options": SNIPPET_OPTIONS,
        "before": SNIPPET_BEFORE,
        "length": SNIPPET_LENGTH,
        "ids": [a.pk for a in articles],
        **{f"probe{n}": probe for n, probe in enumerate(probes)},
    }
    with connection.cursor() as cursor:
        cursor.execute(PG_SNIPPETS.format(tsquery=f"({tsquery})", first_hit=first_hit), params)
        found = dict(cursor.fetchall())
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


def search(queryset: QuerySet, query: str, *, workspace_id: int | None = None) -> QuerySet:
    """`queryset` narrowed to articles matching `query`, annotated with `search_rank`.

    With `workspace_id`, the query is parsed with the languages of that workspace's articles."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not parse(query).positive:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return pg_search(queryset, query, workspace_id)
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


def count_hits(queryset: QuerySet, *, cap: int, in_order: bool = False) -> HitCount:
    """How many rows `queryset` finds, counted up to `cap` only: a word in most articles is not
    counted match by match on every search. Past the cap, PostgreSQL's estimate (SQLite has none).

    `in_order`: the ids are read in the queryset's own order, and kept (`HitCount.first_ids`), so
    that the pages within them need no query of their own."""
    ids = tuple((queryset if in_order else queryset.order_by()).values_list("pk", flat=True)[: cap + 1])
    first_ids = ids[:cap] if in_order else None
    if len(ids) <= cap:
        return HitCount(len(ids), ids=ids, first_ids=first_ids)
    return HitCount(estimate_rows(queryset), exact=False, cap=cap, first_ids=first_ids)


def among_hits(matches: QuerySet, hits: HitCount, rows: QuerySet) -> QuerySet:
    """The matches to sort by a column: on PostgreSQL, once all were read, `rows` with their ids.

    PostgreSQL estimates every word missing from its statistics alike, so for a rare word sorted
    by date it may walk the whole date index testing each row; the few known ids sort at once.
    SQLite reads its FTS5 matches first anyway (and keeps its bound parameters few)."""
    if hits.ids is None or connection.vendor != "postgresql":
        return matches
    return rows.filter(pk__in=hits.ids)


def estimate_rows(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of the rows `queryset` finds, from its statistics (no row is read); 0 on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        output = cursor.fetchone()[0]
    (plan,) = json.loads(output) if isinstance(output, str) else output
    return int(plan["Plan"]["Plan Rows"])


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
