"""Reads for the dossier page and its exports: each block one query, whatever the dossier's size."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from annotations.models import Annotation, Tag
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection

PASSAGES_PER_GROUP = 10  # per section on the dossier page; "Show all" pages through the rest
PINS_AT_MOST = 10**9  # see tag_counts
LONG_ARTICLE_FIELDS = ("html", "text", "fingerprint", "removed_lines")  # never shown on the dossier page


@dataclass(frozen=True)
class Overview:
    stories: int
    sources: int
    passages: int
    first: date | None
    last: date | None


def story_facts(dossier: Dossier) -> list[tuple[date | None, str]]:
    """(publication date, site) of each story: the overview, timeline and sources are counted from
    these in Python, one pass over the stories' articles rather than three grouped joins."""
    return list(dossier.items.values_list("article__published_on", "article__site_name"))


def overview(facts: list[tuple[date | None, str]], *, passages: int) -> Overview:
    dates = [published for published, _ in facts if published]
    return Overview(
        stories=len(facts),
        sources=len({site for _, site in facts if site}),
        passages=passages,
        first=min(dates, default=None),
        last=max(dates, default=None),
    )


def story_items(dossier: Dossier) -> QuerySet[DossierArticle]:
    """The stories in the curator's order, with what their rows show."""
    long_fields = (f"article__{name}" for name in LONG_ARTICLE_FIELDS)
    return dossier.items.select_related("article").defer(*long_fields).order_by("position", "added_at")


def timeline_counts(facts: list[tuple[date | None, str]]) -> list[tuple[date, int]]:
    """Stories per month of publication (stories without a date are left out)."""
    return sorted(Counter(published.replace(day=1) for published, _ in facts if published).items())


def sources(facts: list[tuple[date | None, str]]) -> list[dict]:
    """Stories per site, most first; stories without a site (pasted or uploaded) under None, last among equals."""
    counts = Counter(site or None for _, site in facts)
    ordered = sorted(counts.items(), key=lambda row: (-row[1], row[0] is None, (row[0] or "").casefold()))
    return [{"source": source, "count": count} for source, count in ordered]


def passage_queryset() -> QuerySet[DossierPassage]:
    """Pins with their passage and story (not the story's text); their tags: `dossiers.views.prepare_pins`."""
    return DossierPassage.objects.select_related("annotation__article").defer(
        *(f"annotation__article__{name}" for name in LONG_ARTICLE_FIELDS)
    )


def first_passages(dossier: Dossier, sections: list[DossierSection], limit: int) -> list[DossierPassage]:
    """The first `limit` passages of each section, then only those loaded with their passage and
    article. PostgreSQL reads each section's first ones from the (dossier, section, position) index,
    one part of a UNION ALL per section; SQLite, which cannot limit the parts of a UNION, ranks the
    pins with a window function (ranking the joined rows read all 10,000)."""
    pins = DossierPassage.objects.filter(dossier=dossier).order_by("position", "added_at").values_list("pk", flat=True)
    if connection.features.supports_slicing_ordering_in_compound:
        first, *others = [pins.filter(section=None)[:limit], *(pins.filter(section=s)[:limit] for s in sections)]
        ids = list(first.union(*others, all=True))
    else:
        ranked = DossierPassage.objects.filter(dossier=dossier).annotate(
            rank=Window(RowNumber(), partition_by=[F("section")], order_by=[F("position").asc(), F("added_at").asc()])
        )
        ids = list(ranked.filter(rank__lte=limit).values_list("pk", flat=True))
    return list(passage_queryset().filter(pk__in=ids).order_by("position", "added_at"))


def sections(dossier: Dossier, all_sections: list[DossierSection]) -> list[dict]:
    """Each section (and the unsorted passages) with its first passages and its count."""
    counts = dict(dossier.passages.values_list("section").annotate(n=Count("pk")))
    groups = [{"section": s, "passages": [], "count": counts.get(s.pk, 0)} for s in all_sections]
    by_id = {g["section"].pk: g for g in groups}
    unsorted = {"section": None, "passages": [], "count": counts.get(None, 0)}
    for pin in first_passages(dossier, all_sections, PASSAGES_PER_GROUP):
        by_id.get(pin.section_id, unsorted)["passages"].append(pin)
    return groups + ([unsorted] if unsorted["count"] else [])


def tag_counts(dossier: Dossier) -> list[tuple[int, str, str, int]]:
    """(id, name, colour, pinned passages) of each tag of the pinned passages, counted from the tag
    links of the pinned annotations: an index lookup per pin. The subquery's LIMIT (never reached)
    keeps PostgreSQL from turning it into a hash join over every tag link of the workspace (130 ms
    at 1.25M links; 35 ms this way)."""
    pinned = DossierPassage.objects.filter(dossier=dossier).order_by().values("annotation_id")[:PINS_AT_MOST]
    links = Annotation.tags.through.objects.filter(annotation_id__in=pinned).order_by()
    return list(links.values_list("tag_id", "tag__name", "tag__colour").annotate(n=Count("*")))


def tag_groups(counts: list[tuple[int, str, str, int]], *, limit: int | None = None) -> list[Tag]:
    """The tags of `tag_counts`, most used first, the first `limit` of them (passages load on demand)."""
    tags = []
    for pk, name, colour, count in sorted(counts, key=lambda row: (-row[3], row[1].lower()))[:limit]:
        tag = Tag(pk=pk, name=name, colour=colour)
        tag.count = count
        tags.append(tag)
    return tags


def passages_with_tag(dossier: Dossier, tag: Tag) -> QuerySet[DossierPassage]:
    return (
        passage_queryset()
        .filter(dossier=dossier, annotation__tags=tag)
        .order_by("annotation__article__published_on", "position")
    )


def passages_of_section(dossier: Dossier, section: DossierSection | None) -> QuerySet[DossierPassage]:
    return passage_queryset().filter(dossier=dossier, section=section).order_by("position", "added_at")


def pinnable_annotations(dossier: Dossier, article_id: int) -> QuerySet[Annotation]:
    return Annotation.objects.live().filter(workspace=dossier.workspace, article_id=article_id).exclude(exact="")
