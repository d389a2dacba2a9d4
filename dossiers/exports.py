"""A dossier taken away: a Markdown brief, a printable HTML brief, a CSV of its passages and
its passages as a W3C AnnotationCollection (JSON-LD).

`load_brief` reads everything an export shows in six queries whatever the dossier's size
(sections; pins with their annotation; the articles, authors and tags of those annotations,
each once and selected by a join or subquery, never a list of ids; the stories), and the
writers below are pure functions of the resulting `Brief`.
Soft-deleted annotations (`deleted_at` set, undoable) are left out of every export.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import get_text_list, slugify

from annotations import w3c
from annotations.models import Annotation, Tag
from annotations.notes import render_note
from articles.models import Article
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection
from workspace.models import User

FORMATS = {
    "md": ("Markdown brief", "text/markdown; charset=utf-8"),
    "html": ("Printable brief (HTML)", "text/html; charset=utf-8"),
    "csv": ("Passages (CSV)", "text/csv; charset=utf-8"),
    "json": ("W3C annotations (JSON-LD)", w3c.MEDIA_TYPE),
}
EXPORT_FORMATS = [(fmt, label) for fmt, (label, _) in FORMATS.items()]  # for an "Export" menu
UNSORTED_TITLE = "Other passages"
MAX_SLUG_LENGTH = 80
# Article columns an export never reads: the join must not carry every article's whole text.
HEAVY_ARTICLE_FIELDS = ("text", "html", "standfirst", "fingerprint", "last_error", "text_hash", "removed_lines")
MEMO_NOTE_LENGTH = 2_000


@lru_cache(maxsize=1024)
def _short_note_html(markdown: str) -> SafeString:
    return mark_safe(render_note(markdown))


def rendered_note(markdown: str) -> SafeString:
    """`render_note` (sanitized HTML); a short note once per distinct text, as they often recur."""
    if not markdown:
        return SafeString()
    return _short_note_html(markdown) if len(markdown) <= MEMO_NOTE_LENGTH else mark_safe(render_note(markdown))


# --- Reading ----------------------------------------------------------------------------------


def authors_of(article: Article) -> list[str]:
    authors = article.authors
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list):
        return []
    return [" ".join(str(a).split()) for a in authors if a and str(a).strip()]


def url_of(article: Article) -> str:
    """The article's canonical URL, else the URL it was submitted by; only http(s)."""
    for url in (article.canonical_url, article.submitted_url):
        if url and w3c.is_web_url(url.strip()):
            return url.strip()
    return ""


def source_of(article: Article, url: str) -> str:
    """The site's name, else the host of its URL, else what was submitted (a file name)."""
    if article.site_name.strip():
        return " ".join(article.site_name.split())
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.")
    return " ".join(article.label.split())


def long_date(value: date | None) -> str:
    return format_date(value, "j F Y") if value else ""


@dataclass(frozen=True)
class Citation:
    source: str
    authors: list[str]
    published_on: date | None
    url: str

    @classmethod
    def of(cls, article: Article) -> "Citation":
        url = url_of(article)
        return cls(source_of(article, url), authors_of(article), article.published_on, url)

    @cached_property
    def authors_text(self) -> str:
        return str(get_text_list(self.authors, "and"))

    @cached_property
    def date_text(self) -> str:
        return long_date(self.published_on)

    @cached_property
    def text_parts(self) -> list[str]:
        """Source, authors and date: the parts before the URL."""
        return [part for part in (self.source, self.authors_text, self.date_text) if part]

    @cached_property
    def parts(self) -> list[tuple[str, str]]:
        """(kind, text) of each part present: source, authors, date, url."""
        values = (self.source, self.authors_text, self.date_text, self.url)
        found = zip(("source", "authors", "date", "url"), values, strict=True)
        return [(kind, text) for kind, text in found if text]


@dataclass
class Passage:
    pin: DossierPassage
    annotation: Annotation
    article: Article
    tags: list[str]
    citation: Citation

    @property
    def quote(self) -> str:
        return self.annotation.exact

    @property
    def note(self) -> str:
        return self.annotation.note.strip()

    @property
    def curator_note(self) -> str:
        return self.pin.note.strip()

    @property
    def article_title(self) -> str:
        return self.article.display_title

    # Rendered on demand: only the HTML brief needs them.
    @cached_property
    def note_html(self) -> SafeString:
        return rendered_note(self.note)

    @cached_property
    def curator_note_html(self) -> SafeString:
        return rendered_note(self.curator_note)


@dataclass
class Group:
    """A section of the dossier, or (section None) its unsorted passages."""

    section: DossierSection | None
    passages: list[Passage] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.section.title if self.section is not None else UNSORTED_TITLE

    @property
    def note(self) -> str:
        return self.section.note.strip() if self.section is not None else ""

    @cached_property
    def note_html(self) -> SafeString:
        return rendered_note(self.note)


@dataclass
class Story:
    item: DossierArticle
    article: Article
    citation: Citation

    @property
    def title(self) -> str:
        return self.article.display_title

    @property
    def note(self) -> str:
        return self.item.note.strip()

    @cached_property
    def note_html(self) -> SafeString:
        return rendered_note(self.note)


@dataclass
class Brief:
    dossier: Dossier
    sections: list[Group]
    unsorted: Group
    stories: list[Story]
    exported_on: date

    @property
    def groups(self) -> list[Group]:
        """The sections in order, then the unsorted passages if there are any."""
        return self.sections + ([self.unsorted] if self.unsorted.passages else [])

    @property
    def passages(self) -> list[Passage]:
        return [passage for group in self.groups for passage in group.passages]

    @property
    def description(self) -> str:
        return self.dossier.description.strip()

    @cached_property
    def description_html(self) -> SafeString:
        return rendered_note(self.description)

    @property
    def is_empty(self) -> bool:
        return not self.stories and not self.unsorted.passages and not any(g.passages for g in self.sections)


def passages_of(dossier: Dossier):
    """The dossier's pins of live passages with their annotation, in the curator's order."""
    return (
        DossierPassage.objects.filter(dossier=dossier, annotation__deleted_at__isnull=True)
        .select_related("annotation")
        .order_by("position", "added_at", "pk")
    )


def pinned_annotations(dossier: Dossier):
    return Annotation.objects.filter(dossier_pins__dossier=dossier)


def articles_of(dossier: Dossier) -> dict[int, Article]:
    """Each article with a pinned passage, once (a join per passage would build one per passage),
    without its text and markup."""
    articles = Article.objects.filter(pk__in=pinned_annotations(dossier).values("article_id"))
    return {article.pk: article for article in articles.defer(*HEAVY_ARTICLE_FIELDS)}


def authors_of_passages(dossier: Dossier) -> dict[int, User]:
    users = User.objects.filter(pk__in=pinned_annotations(dossier).values("author_id"))
    return {user.pk: user for user in users.only("pk", "username", "first_name", "last_name")}


def tags_of(dossier: Dossier) -> dict[int, list[Tag]]:
    """The tags of each pinned annotation, by name, in one join (no list of ids sent: any size)."""
    rows = (
        Annotation.tags.through.objects.filter(annotation__dossier_pins__dossier=dossier)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("annotation_id", "tag_id", "tag__workspace_id", "tag__name", "tag__colour")
    )
    found: dict[int, list[Tag]] = defaultdict(list)
    tags: dict[int, Tag] = {}
    for annotation_id, tag_id, workspace_id, name, colour in rows:
        if tag_id not in tags:
            tags[tag_id] = Tag(pk=tag_id, workspace_id=workspace_id, name=name, colour=colour)
        found[annotation_id].append(tags[tag_id])
    return found


TAGS_CACHE_NAME = Annotation.tags.field.name  # the forward many-to-many's prefetch cache name


class TagCache:
    """Leaves an annotation's tags where `prefetch_related("tags")` would, so that
    `annotation.tags.all()` (which `annotations.w3c` reads) makes no query. Django's own
    prefetch sends every annotation id in one IN list and builds its objects several times
    more slowly; annotations with the same tags share one (read-only) result."""

    def __init__(self, tags: dict[int, list[Tag]]):
        self.tags = tags
        self.results: dict[tuple[int, ...], QuerySet] = {}

    def attach(self, annotation: Annotation) -> list[Tag]:
        tags = self.tags.get(annotation.pk, [])
        key = tuple(tag.pk for tag in tags)
        if key not in self.results:
            result = Tag.objects.none()
            result._result_cache, result._prefetch_done = tags, True
            self.results[key] = result
        annotation._prefetched_objects_cache = {TAGS_CACHE_NAME: self.results[key]}
        return tags


def stories_of(dossier: Dossier):
    """The stories in timeline order: published_on ascending, undated last."""
    return (
        DossierArticle.objects.filter(dossier=dossier)
        .select_related("article")
        .defer(*(f"article__{name}" for name in HEAVY_ARTICLE_FIELDS))
        .order_by(F("article__published_on").asc(nulls_last=True), "position", "added_at", "pk")
    )


def load_brief(dossier: Dossier, *, today: date | None = None) -> Brief:
    sections = [Group(section) for section in dossier.sections.order_by("position", "pk")]
    by_section = {group.section.pk: group for group in sections if group.section is not None}
    unsorted = Group(None)
    citations: dict[int, Citation] = {}  # one per article, shared by its passages
    articles, authors, tags = articles_of(dossier), authors_of_passages(dossier), TagCache(tags_of(dossier))
    for pin in passages_of(dossier):
        annotation = pin.annotation
        article = articles.get(annotation.article_id)
        if article is None:
            continue  # pinned while this export was being read: it will be in the next one
        annotation.article = article
        annotation.author = authors.get(annotation.author_id)
        if article.pk not in citations:
            citations[article.pk] = Citation.of(article)
        names = [tag.name for tag in tags.attach(annotation)]
        passage = Passage(pin, annotation, article, names, citations[article.pk])
        by_section.get(pin.section_id, unsorted).passages.append(passage)
    stories = [
        Story(item, item.article, citations.get(item.article_id) or Citation.of(item.article))
        for item in stories_of(dossier)
    ]
    return Brief(dossier, sections, unsorted, stories, today or timezone.localdate())


def filename(brief: Brief, ext: str) -> str:
    """`<slugified-title>-<YYYY-MM-DD>.<ext>`; `dossier-<pk>-…` when the title has no letters or digits."""
    slug = slugify(strip_tags(brief.dossier.title), allow_unicode=True)[:MAX_SLUG_LENGTH].strip("-_")
    return f"{slug or f'dossier-{brief.dossier.pk}'}-{brief.exported_on.isoformat()}.{ext}"


# --- Markdown ---------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would open a block at the start of a line: heading, quote, list item, setext underline, fence.
_MD_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))", re.MULTILINE)
_URL_UNSAFE = re.compile(r"[\s<>`]")


def md_text(text: str) -> str:
    """User text made literal in Markdown (one or more lines): nothing in it can become markup."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines)  # no leading spaces: an indented line would become a code block
    text = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    return _MD_LINE_START.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], text)


def md_line(text: str) -> str:
    """A single-line piece of user text (a title, a name) made literal."""
    return md_text(" ".join(text.split()))


def md_url(url: str) -> str:
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m[0]):02X}", url)


def md_blockquote(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n>\n".join("\n".join(f"> {line}" for line in md_text(p).split("\n") if line) for p in paragraphs)


def md_citation(citation: Citation) -> str:
    parts = [md_line(part) for part in citation.text_parts]
    if citation.url:
        parts.append(md_url(citation.url))
    return "— " + ", ".join(parts) if parts else ""


_MD_ATX_HEADING = re.compile(r"^( {0,3})#", re.MULTILINE)


def md_note(markdown: str) -> str:
    """A note or description as written, except that it cannot add headings to the brief's outline
    (the app renders notes without headings too, see `annotations.notes`)."""
    return _MD_ATX_HEADING.sub(r"\1\\#", markdown)


def md_labelled(label: str, note: str) -> str:
    # The label on its own line, the note (Markdown as written) right under it.
    return f"**{label}:**\n{md_note(note)}"


def md_passage(passage: Passage, cite=md_citation) -> list[str]:
    blocks = [md_blockquote(passage.quote)] if passage.quote.strip() else []
    if passage.note:
        blocks.append(md_labelled("Note", passage.note))
    if passage.curator_note:
        blocks.append(md_labelled("Curator’s note", passage.curator_note))
    if passage.tags:
        blocks.append("**Tags:** " + ", ".join(md_line(tag) for tag in passage.tags))
    blocks.append(cite(passage.citation) or "— " + md_line(passage.article_title))
    return blocks


def md_story(story: Story, cite=md_citation) -> list[str]:
    blocks = [f"### {md_line(story.title)}"]
    if citation := cite(story.citation):
        blocks.append(citation)
    if story.note:
        blocks.append(md_labelled("Curator’s note", story.note))
    return blocks


def summary(brief: Brief) -> str:
    stories, passages = len(brief.stories), len(brief.passages)
    return (
        f"Exported {long_date(brief.exported_on)} · {stories} stor{'y' if stories == 1 else 'ies'} · "
        f"{passages} passage{'' if passages == 1 else 's'}"
    )


def brief_markdown(brief: Brief) -> str:
    citations: dict[int, str] = {}  # an article's citation is shared by its passages: write it once

    def cite(citation: Citation) -> str:
        if id(citation) not in citations:
            citations[id(citation)] = md_citation(citation)
        return citations[id(citation)]

    blocks = [f"# {md_line(brief.dossier.title) or f'Dossier {brief.dossier.pk}'}"]
    if brief.description:
        blocks.append(md_note(brief.description))
    blocks.append(f"*{summary(brief)}*")
    if brief.is_empty:
        blocks.append("*This dossier has no passages or stories yet.*")
    for group in brief.groups:
        blocks.append(f"## {md_line(group.title) or 'Untitled section'}")
        if group.note:
            blocks.append(md_note(group.note))
        for passage in group.passages:
            blocks += md_passage(passage, cite)
    if brief.stories:
        blocks.append("## Stories")
        for story in brief.stories:
            blocks += md_story(story, cite)
    return "\n\n".join(blocks) + "\n"


# --- HTML ---------------------------------------------------------------------------------------


def brief_html(brief: Brief, *, stylesheet_url: str) -> str:
    """The standalone printable brief (its own document, autoescaped, notes sanitized, no script)."""
    context = {"brief": brief, "dossier": brief.dossier, "summary": summary(brief), "stylesheet_url": stylesheet_url}
    return render_to_string("dossiers/brief.html", context)


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "dossier",
    "section",
    "position",
    "quote",
    "prefix",
    "suffix",
    "tags",
    "annotation note",
    "curator note",
    "article title",
    "source",
    "authors",
    "published_on",
    "url",
    "annotation author",
    "created",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def csv_cell(value) -> str | int:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def author_name(annotation: Annotation) -> str:
    author = annotation.author
    return (author.get_full_name() or author.username) if author is not None else ""


def csv_rows(brief: Brief) -> Iterator[list]:
    """The header, then one row per pinned passage, in the brief's order ("position": 1, 2, … within its section)."""
    yield CSV_COLUMNS
    for group in brief.groups:
        section = group.section.title if group.section is not None else ""
        for position, passage in enumerate(group.passages, start=1):
            annotation, citation = passage.annotation, passage.citation
            row = [
                brief.dossier.title,
                section,
                position,
                annotation.exact,
                annotation.prefix,
                annotation.suffix,
                "; ".join(passage.tags),
                passage.note,
                passage.curator_note,
                passage.article_title,
                citation.source,
                "; ".join(citation.authors),
                citation.published_on.isoformat() if citation.published_on else "",
                citation.url,
                author_name(annotation),
                iso_utc(annotation.created_at),
            ]
            yield [csv_cell(value) for value in row]


class _Line:
    """A file-like object whose `write` hands back what the csv writer wrote."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(brief: Brief, rows_per_chunk: int = 200) -> Iterator[str]:
    """The CSV in pieces for a streaming response, starting with a UTF-8 BOM (for Excel)."""
    writer = csv.writer(_Line())
    yield BOM
    chunk: list[str] = []
    for row in csv_rows(brief):
        chunk.append(writer.writerow(row))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# --- JSON-LD --------------------------------------------------------------------------------

METADATA_KEY = "dossier"  # not a term of the annotation context: JSON-LD processors ignore it


def w3c_annotation(annotation: Annotation, *, base_url: str) -> dict:
    """One passage as a W3C Web Annotation (the annotations app's own serialiser)."""
    return w3c.annotation_to_w3c(annotation, base_url=base_url)


def story_record(story: Story, *, base_url: str) -> dict:
    citation = story.citation
    return {
        "title": story.title,
        "source": citation.source,
        "authors": citation.authors,
        "published": citation.published_on.isoformat() if citation.published_on else None,
        "url": citation.url or None,
        "reader": w3c.reader_url(story.article.pk, base_url=base_url),
        "note": story.note,
    }


def brief_json(brief: Brief, *, base_url: str, id_url: str) -> dict:
    """An AnnotationCollection of the passages (in the brief's order) and, under "dossier",
    the dossier itself: sections with their notes and the ids of their passages, stories."""
    items = [w3c_annotation(p.annotation, base_url=base_url) for p in brief.passages]
    data = w3c.collection_shell(total=len(items), id_url=id_url, label=brief.dossier.title)
    data["first"]["items"] = items
    id_of = {p.annotation.pk: item["id"] for p, item in zip(brief.passages, items, strict=True)}

    def ids(passages: Iterable[Passage]) -> list[str]:
        return [id_of[p.annotation.pk] for p in passages]

    data[METADATA_KEY] = {
        "title": brief.dossier.title,
        "description": brief.dossier.description,
        "descriptionFormat": "text/markdown",
        "exported": brief.exported_on.isoformat(),
        "sections": [{"title": g.title, "note": g.note, "passages": ids(g.passages)} for g in brief.sections],
        "unsortedPassages": ids(brief.unsorted.passages),
        "curatorNotes": {id_of[p.annotation.pk]: p.curator_note for p in brief.passages if p.curator_note},
        "stories": [story_record(story, base_url=base_url) for story in brief.stories],
    }
    return data
