"""Seed the web benchmark's PostgreSQL database with one large, realistic workspace, fast.

Articles, annotations and every many-to-many row go in with ``COPY … FROM STDIN`` (psycopg 3),
with ids chosen here, so that rows can refer to each other without a round trip. Everything
is drawn from one seeded random generator: the same scale gives the same data, and the
benchmark finds its pages (the reader article, the big dossier) from the scale alone.

Call it after ``django.setup()``, on an empty migrated database; ``is_seeded`` tells whether
the data of a scale is already there.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from django.db import connection, transaction
from django.utils.text import slugify
from psycopg import sql

from annotations.models import TAG_COLOURS, Annotation, Tag
from articles.cleaning.text import html_to_text, text_hash
from articles.models import Article, Source
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection
from workspace.models import User, Workspace
from workspace.services import create_workspace


def words(text: str) -> list[str]:
    return text.split()


RANDOM_SEED = 20250630
END_DATE = date(2025, 6, 30)  # fixed, so that a reused database and a new one agree
YEARS = 3
WORKSPACE_SLUG = "web-benchmark"
OWNER = "bench-owner"
BATCH = 2_000  # articles per transaction: bounded memory, visible progress
READER_ANNOTATIONS = 500
BIG_DOSSIER_ID = 1
BIG_STORIES, BIG_PINS = 1_000, 10_000
BIG_SECTIONS = ("Scale of the problem", "Who knew what, and when", "The money", "Responses")
COMMON_WORD = "government"
# Real but rare words; no generated word contains one (checked), so a search finds only these.
RARE_WORDS = words(
    "quillwort zymurgy xylarium quokka fjeld oxymel zugzwang kvass yclept quern jacquard "
    "syzygy zeugma quixotry xeric wyvern jonquil kumquat zephyr quagga"
)
# Tags per annotation and per article, drawn from these (about 1.25 and 0.6 on average).
ANNOTATION_TAG_COUNTS = (0, 0, 1, 1, 1, 2, 2, 3)
ARTICLE_TAG_COUNTS = (0, 0, 0, 1, 2)
RARE_SHARE = 0.02  # articles carrying one rare word: about 100 articles per rare word at 100,000
# The head of the Zipf distribution: common English words, most frequent first.
HEAD_WORDS = words(
    "the of and to a in that is for it on was with he as said at by be this from have are "
    "not but had his they an which were has their been one would will its who more also "
    "after two new first people year government over than into last other about when "
    "there can up out some all minister could what police time report years public "
    "three million state court council health while before so because officials under "
    "since company percent week told during month country city water "
    "local plans money between evidence inquiry documents school hospital energy "
    "workers party election policy budget housing prices contract investigation"
)
ONSETS = words("b c d f g h l m n p r s t v w br cl dr fl gr pl pr sl st tr ch sh th")
VOWELS = words("a e i o u ai ea ee oa ou")
CODAS = ["", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st"]
FIRST_NAMES = words(
    "Ana Ben Chloe David Elif Farah Grace Hugo Ines Jonas Kofi Lena Marta Nadia Omar Priya Rui Sara Tom Yuki"
)
LAST_NAMES = words(
    "Adams Baker Costa Dubois Evans Fischer Garcia Haddad Ivanova Jensen Khan Lopez Moreau Novak Okafor Patel Rossi Silva Tanaka Weber"
)
SITE_WORDS = (
    "Northern Evening Coastal Capital Metro Valley National Morning",
    "Courier Herald Times Gazette Observer Post Ledger Chronicle",
)
LANGUAGES = ["en"] * 92 + ["fr"] * 3 + ["de"] * 3 + ["es"] * 2
NOTES = [
    "Check this figure against the ministry's own report.",
    "**Key claim.** Ask the council for the underlying documents.",
    "Contradicts what the spokesperson said in March.",
    "Second source needed before we use this.",
    "Same wording as the press release: probably copied.",
    "Timeline: this is the first public mention.",
]
# Only letters, spaces, "." and "," appear in generated text, so lower-casing and turning "." ","
# and "\n" into spaces is exactly `normalise_for_hash` (checked against it on the first article).
_HASH_PUNCTUATION = str.maketrans(".,\n", "   ")
SET_SEQUENCE = sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {}))")

ARTICLE_COLUMNS = (
    "id workspace_id added_by_id kind submitted_url label status last_error status_changed_at attempts title "
    "standfirst authors published_on site_name canonical_url language html text word_count text_hash fingerprint "
    "source_id duplicate_of_id created_at cleaned_at"
)
DOSSIER_COLUMNS = "id workspace_id title description created_by_id created_at updated_at archived_at"
SECTION_COLUMNS = "id dossier_id title note position"
STORY_COLUMNS = "dossier_id article_id position note added_at"
PIN_COLUMNS = "dossier_id annotation_id section_id position note added_at"
ANNOTATION_COLUMNS = (
    "id workspace_id article_id author_id exact prefix suffix start end anchor anchor_score note version "
    "created_at updated_at deleted_at import_id"
)


@dataclass(frozen=True)
class Scale:
    articles: int = 100_000
    annotations: int = 1_000_000
    tags: int = 2_000
    dossiers: int = 200

    @property
    def reader_id(self) -> int:
        """The article with READER_ANNOTATIONS annotations (in the middle of the time range)."""
        return self.articles // 2 + 1

    @property
    def big_stories(self) -> int:
        return max(1, min(BIG_STORIES, self.articles // 100))

    @property
    def big_pins(self) -> int:
        return min(BIG_PINS, self.annotations // 100)

    @property
    def story_ids(self) -> list[int]:
        """The big dossier's stories, spread over the whole range (and never the reader article)."""
        step = self.articles // self.big_stories
        return [1 + i * step for i in range(self.big_stories) if 1 + i * step != self.reader_id]


@dataclass
class Seeded:
    """What the benchmark requests: the owner, a site name and the rare word."""

    owner: User
    site_name: str
    tag_name: str = ""
    rare_word: str = RARE_WORDS[0]
    common_word: str = COMMON_WORD
    timings: dict[str, tuple[int, float]] = field(default_factory=dict)


# --- Entry point ------------------------------------------------------------------------------


def seed(scale: Scale) -> Seeded:
    """Fill an empty, migrated database. Foreign keys are checked and triggers (the search
    vector) fire as on any write: the data is what the product would have stored."""
    print(f"Seeding {scale.articles:,} articles, {scale.annotations:,} annotations, {scale.tags:,} tags, ", end="")
    print(f"{scale.dossiers:,} dossiers…", flush=True)
    seeder = Seeder(scale)
    seeder.run()
    print_timings(seeder.timings)
    return Seeded(seeder.owner, first_site_name(), a_tag_name(), timings=seeder.timings)


def reused() -> Seeded:
    return Seeded(User.objects.get(username=OWNER), first_site_name(), a_tag_name())


def has_workspace() -> bool:
    return Workspace.objects.filter(slug=WORKSPACE_SLUG).exists()


def is_seeded(scale: Scale) -> bool:
    workspace = Workspace.objects.filter(slug=WORKSPACE_SLUG).first()
    if workspace is None:
        return False
    found = (
        Article.objects.in_workspace(workspace).count(),
        Annotation.objects.in_workspace(workspace).count(),
        Tag.objects.in_workspace(workspace).count(),
        Dossier.objects.in_workspace(workspace).count(),
    )
    return found == (scale.articles, scale.annotations, scale.tags, scale.dossiers)


def a_tag_name() -> str:
    """One of the most used tags (the first are the most used), as a researcher filters on it."""
    return Tag.objects.order_by("pk").values_list("name", flat=True)[10:11].first() or ""


def first_site_name() -> str:
    return Source.objects.order_by("pk").values_list("name", flat=True).first() or ""


def print_timings(timings: dict[str, tuple[int, float]]) -> None:
    print("\n  seeding time per table (rows, seconds; generation included):")
    for label, (rows, seconds) in timings.items():
        print(f"    {label:<28}{rows:>11,}{seconds:>9.1f} s")
    print(f"    {'total':<28}{'':>11}{sum(s for _, s in timings.values()):>9.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"  database size: {cursor.fetchone()[0]}")


# --- Text -------------------------------------------------------------------------------------


class TextMaker:
    """Sentences and paragraphs of words drawn with a Zipf-like distribution (rank ** -1.05)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = HEAD_WORDS + generated_words(rng, 20_000, set(HEAD_WORDS))
        self.cumulative = list(accumulate(1 / (rank + 2) ** 1.05 for rank in range(len(self.words))))

    def draw(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self, words: list[str]) -> str:
        if len(words) > 10 and self.rng.random() < 0.4:
            words[len(words) // 2] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraphs(self, count: int) -> list[str]:
        words = self.draw(count)
        if self.rng.random() < RARE_SHARE:
            words[self.rng.randrange(count)] = self.rng.choice(RARE_WORDS)
        paragraphs, sentences, start = [], [], 0
        wanted = self.rng.randint(2, 6)
        while start < count:
            end = start + self.rng.randint(8, 28)
            sentences.append(self.sentence(words[start:end]))
            start = end
            if len(sentences) == wanted or start >= count:
                paragraphs.append(" ".join(sentences))
                sentences, wanted = [], self.rng.randint(2, 6)
        return paragraphs


def generated_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Pronounceable made-up words (the long tail of the vocabulary), none containing a rare word."""
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3))
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))
        if word not in seen and not any(rare in word for rare in RARE_WORDS):
            seen.add(word)
            words.append(word)
    return words


def fast_text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().translate(_HASH_PUNCTUATION).split()).encode()).hexdigest()


# --- The seeder -------------------------------------------------------------------------------


class Seeder:
    def __init__(self, scale: Scale):
        self.scale = scale
        self.rng = random.Random(RANDOM_SEED)  # noqa: S311 (made-up data, not secrets)
        self.text = TextMaker(self.rng)
        self.timings: dict[str, tuple[int, float]] = {}
        self.texts: dict[int, tuple[str, datetime]] = {}  # the current batch's articles
        self.next_annotation = 1
        self.pins: list[int] = []  # annotations of the big dossier's stories
        self.story_ids = set(scale.story_ids)

    def run(self) -> None:
        started = time.perf_counter()
        self.owner = User.objects.create_user(username=OWNER, first_name="Bench", last_name="Owner")
        self.workspace = create_workspace(name="Web benchmark", owner=self.owner, slug=WORKSPACE_SLUG)
        self.timings["user, workspace"] = (2, time.perf_counter() - started)
        self.sites = self.copy_small("sites", Source, "id workspace_id domain name", self.site_rows())
        self.tag_ids = list(range(1, self.scale.tags + 1))
        self.tag_weights = list(accumulate(1 / (rank + 10) for rank in range(self.scale.tags)))
        self.copy_small("tags", Tag, "id workspace_id name colour created_at", self.tag_rows())
        self.counts = self.annotation_counts()
        for first in range(1, self.scale.articles + 1, BATCH):
            self.seed_batch(range(first, min(first + BATCH, self.scale.articles + 1)))
        self.seed_dossiers()
        self.finish()

    def timed_copy(self, label: str, table: str, columns: str, rows) -> None:
        """COPY `rows` (a generator: the server works while the next rows are made) into `table`."""
        started = time.perf_counter()
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns.split()))
        )
        count = 0
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        done, seconds = self.timings.get(label, (0, 0.0))
        self.timings[label] = (done + count, seconds + time.perf_counter() - started)

    def copy_small(self, label: str, model, columns: str, rows: list[tuple]) -> list[tuple]:
        with transaction.atomic():
            self.timed_copy(label, model._meta.db_table, columns, rows)
        return rows

    def site_rows(self) -> list[tuple]:
        first, second = (words.split() for words in SITE_WORDS)
        names = [f"The {a} {b}" for a in first for b in second][:40]
        return [(i, self.workspace.pk, slugify(name) + ".example", name) for i, name in enumerate(names, 1)]

    def tag_rows(self) -> list[tuple]:
        names = generated_words(self.rng, self.scale.tags, set())
        created = datetime.combine(END_DATE - timedelta(days=YEARS * 365), datetime.min.time(), UTC)
        return [
            (i, self.workspace.pk, name, TAG_COLOURS[i % len(TAG_COLOURS)], created) for i, name in enumerate(names, 1)
        ]

    def annotation_counts(self) -> Counter:
        """Annotations per article: the reader article's 500, ten per big-dossier story, the rest at random."""
        counts = Counter({self.scale.reader_id: min(READER_ANNOTATIONS, self.scale.annotations)})
        per_story = self.scale.big_pins // len(self.story_ids)
        counts.update(dict.fromkeys(self.story_ids, per_story))
        others = [pk for pk in range(1, self.scale.articles + 1) if pk not in counts]
        rest = max(0, self.scale.annotations - sum(counts.values()))
        counts.update(self.rng.choices(others, k=rest))
        return counts

    def seed_batch(self, ids: range) -> None:
        with transaction.atomic():
            self.texts.clear()
            self.timed_copy("articles", Article._meta.db_table, ARTICLE_COLUMNS, (self.article_row(pk) for pk in ids))
            first = self.next_annotation
            self.timed_copy("annotations", Annotation._meta.db_table, ANNOTATION_COLUMNS, self.annotation_rows(ids))
            through = Annotation.tags.through._meta.db_table
            links = self.tag_links(range(first, self.next_annotation), ANNOTATION_TAG_COUNTS)
            self.timed_copy("annotation tags (M2M)", through, "annotation_id tag_id", links)
            through = Tag.articles.through._meta.db_table
            self.timed_copy("article tags (M2M)", through, "article_id tag_id", self.tag_links(ids, ARTICLE_TAG_COUNTS))
        print(f"  {ids[-1]:,} articles", end="\r", file=sys.stderr, flush=True)

    def tag_links(self, ids: range, counts: tuple[int, ...]):
        """A few distinct tags per row (as many as one of `counts`), popular tags far more often."""
        for pk in ids:
            count = self.rng.choice(counts)
            for tag in set(self.rng.choices(self.tag_ids, cum_weights=self.tag_weights, k=count)):
                yield pk, tag

    # --- Articles and annotations ---

    def article_row(self, pk: int) -> tuple:
        length = 1_200 if pk == self.scale.reader_id else self.rng.randint(400, 1_200)
        paragraphs = self.text.paragraphs(length)
        text, html = "\n\n".join(paragraphs), "".join(f"<p>{p}</p>" for p in paragraphs)
        if pk == 1:  # what the cleaner would have stored: annotations anchor into exactly this text
            check_consistent(html, text)
        site_id, _, domain, site_name = self.rng.choice(self.sites)
        published = END_DATE - timedelta(days=self.rng.randrange(YEARS * 365))
        created = datetime.combine(published, datetime.min.time(), UTC) + timedelta(
            seconds=self.rng.randrange(86_400 * 3)
        )
        cleaned = created + timedelta(seconds=self.rng.uniform(2, 30))
        self.texts[pk] = (text, created)
        title = self.text.sentence(self.text.draw(self.rng.randint(6, 12)))[:-1]
        url = f"https://{domain}/{published:%Y/%m}/{slugify(title)[:60]}-{pk}"
        authors = json.dumps(self.authors())
        standfirst = self.text.sentence(self.text.draw(self.rng.randint(18, 35)))
        language = self.rng.choice(LANGUAGES)
        return (
            *(pk, self.workspace.pk, self.owner.pk, "url", url, url, "ready", "", cleaned, 1, title, standfirst),
            *(authors, published, site_name, url, language, html, text, length, fast_text_hash(text), "[]"),
            *(site_id, None, created, cleaned),
        )

    def authors(self) -> list[str]:
        count = self.rng.choice((0, 1, 1, 1, 2))
        return [f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}" for _ in range(count)]

    def annotation_rows(self, ids: range):
        for pk in ids:
            text, created = self.texts[pk]
            for _ in range(self.counts[pk]):
                start, end = self.passage_bounds(text)
                note = self.rng.choice(NOTES) if self.rng.random() < 0.25 else ""
                at = created + timedelta(minutes=self.rng.randrange(60 * 24 * 60))
                if pk in self.story_ids:
                    self.pins.append(self.next_annotation)
                yield (
                    *(self.next_annotation, self.workspace.pk, pk, self.owner.pk, text[start:end]),
                    *(text[max(0, start - 32) : start], text[end : end + 32], start, end, "exact", 1.0, note),
                    *(1, at, at, None, ""),
                )
                self.next_annotation += 1

    def passage_bounds(self, text: str) -> tuple[int, int]:
        """A passage from the start of a word to the end of one, 30–300 characters long."""
        position = self.rng.randrange(max(1, len(text) - 40))
        start = text.find(" ", position) + 1 if position else 0
        end = text.find(" ", start + self.rng.randint(30, 300))
        return start, len(text) if end == -1 else end

    # --- Dossiers ---

    def seed_dossiers(self) -> None:
        with transaction.atomic():
            self.timed_copy("dossiers", Dossier._meta.db_table, DOSSIER_COLUMNS, self.dossier_rows())
            sections = [(i, BIG_DOSSIER_ID, title, "", i) for i, title in enumerate(BIG_SECTIONS, 1)]
            self.timed_copy("dossier sections", DossierSection._meta.db_table, SECTION_COLUMNS, sections)
            self.timed_copy("dossier stories", DossierArticle._meta.db_table, STORY_COLUMNS, self.story_rows())
            self.timed_copy("dossier passages", DossierPassage._meta.db_table, PIN_COLUMNS, self.pin_rows())

    def dossier_rows(self):
        created = datetime.combine(END_DATE, datetime.min.time(), UTC)
        for pk in range(1, self.scale.dossiers + 1):
            title = "The water inquiry" if pk == BIG_DOSSIER_ID else self.text.sentence(self.text.draw(4))[:-1]
            description = self.text.sentence(self.text.draw(self.rng.randint(10, 40)))
            yield pk, self.workspace.pk, title, description, self.owner.pk, created, created, None

    def story_rows(self):
        """The big dossier's 1,000 stories, then 5–60 random ones in each other dossier."""
        added = datetime.combine(END_DATE, datetime.min.time(), UTC)
        stories = {BIG_DOSSIER_ID: sorted(self.story_ids)}
        for pk in range(2, self.scale.dossiers + 1):
            stories[pk] = self.rng.sample(
                range(1, self.scale.articles + 1), min(self.rng.randint(5, 60), self.scale.articles)
            )
        for dossier, articles in stories.items():
            for position, article in enumerate(articles):
                yield dossier, article, position, "", added

    def pin_rows(self):
        """The big dossier: every passage of its stories, nine in ten in its sections. Others: 0–40 passages."""
        added = datetime.combine(END_DATE, datetime.min.time(), UTC)
        positions: Counter = Counter()
        for annotation in self.pins:
            section = None if self.rng.random() < 0.1 else self.rng.randint(1, len(BIG_SECTIONS))
            positions[section] += 1
            yield BIG_DOSSIER_ID, annotation, section, positions[section], "", added
        for pk in range(2, self.scale.dossiers + 1):
            for position, annotation in enumerate(
                self.rng.sample(range(1, self.next_annotation), self.rng.randint(0, 40))
            ):
                yield pk, annotation, None, position, "", added

    def finish(self) -> None:
        """Id sequences past the ids chosen here; fresh statistics and visibility map for the planner."""
        started = time.perf_counter()
        models = [Source, Tag, Article, Annotation, Annotation.tags.through, Tag.articles.through, Dossier]
        models += [DossierSection, DossierArticle, DossierPassage]
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(SET_SEQUENCE.format(sql.Literal(table), sql.Identifier(table)))
            # VACUUM, not only ANALYZE: a long-lived database has its visibility map set (index-only scans).
            cursor.execute("VACUUM (ANALYZE)")
        self.timings["vacuum analyze"] = (0, time.perf_counter() - started)


def check_consistent(html: str, text: str) -> None:
    if html_to_text(html) != text or fast_text_hash(text) != text_hash(text):
        raise RuntimeError("Generated text differs from what articles.cleaning.text makes of its HTML")
