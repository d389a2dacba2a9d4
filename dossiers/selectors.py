"""Reads for the dossier page and its exports: each block one query, whatever the dossier's size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Min, Prefetch, QuerySet, Subquery, Value, Window
from django.db.models.functions import NullIf, RowNumber, TruncMonth

from annotations.models import Annotation, Tag
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection

PASSAGES_PER_GROUP = 20


@dataclass(frozen=True)
class Overview:
    stories: int
    sources: int
    passages: int
    tags: int
    first: date | None
    last: date | None


def overview(dossier: Dossier) -> Overview:
    stories = dossier.items.aggregate(
        stories=Count("pk"),
        sources=Count(NullIf("article__site_name", Value("")), distinct=True),
        first=Min("article__published_on"),
        last=Max("article__published_on"),
    )
    passages = dossier.passages.aggregate(passages=Count("pk"), tags=Count("annotation__tags", distinct=True))
    return Overview(**stories, **passages)


def story_items(dossier: Dossier) -> QuerySet[DossierArticle]:
    """The stories in the curator's order, with what their rows show."""
    return dossier.items.select_related("article").order_by("position", "added_at")


def timeline_counts(dossier: Dossier) -> list[tuple[date, int]]:
    """Stories per month of publication (stories without a date are left out)."""
    rows = (
        dossier.items.filter(article__published_on__isnull=False)
        .annotate(month=TruncMonth("article__published_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return [(row["month"], row["count"]) for row in rows]


def sources(dossier: Dossier) -> list[dict]:
    rows = (
        dossier.items.annotate(source=NullIf("article__site_name", Value("")))
        .values("source")
        .annotate(count=Count("pk"))
        .order_by("-count", "source")
    )
    return list(rows)


def passage_queryset() -> QuerySet[DossierPassage]:
    tags = Prefetch("annotation__tags", queryset=Tag.objects.order_by("name"))
    return DossierPassage.objects.select_related(
        "annotation__article", "annotation__author", "section"
    ).prefetch_related(tags)


def first_passages(queryset: QuerySet[DossierPassage], partition: F, limit: int) -> list[DossierPassage]:
    """The first `limit` passages of each group, in one query (a window function)."""
    ranked = queryset.annotate(
        rank=Window(RowNumber(), partition_by=[partition], order_by=[F("position").asc(), F("added_at").asc()])
    )
    return list(ranked.filter(rank__lte=limit))


def sections(dossier: Dossier) -> list[dict]:
    """Each section (and the unsorted passages) with its first passages and its count."""
    counts = dict(dossier.passages.values_list("section").annotate(n=Count("pk")))
    shown = first_passages(passage_queryset().filter(dossier=dossier), F("section"), PASSAGES_PER_GROUP)
    groups = [{"section": s, "passages": [], "count": counts.get(s.pk, 0)} for s in dossier.sections.all()]
    by_id = {g["section"].pk: g for g in groups}
    unsorted = {"section": None, "passages": [], "count": counts.get(None, 0)}
    for pin in shown:
        by_id.get(pin.section_id, unsorted)["passages"].append(pin)
    return groups + ([unsorted] if unsorted["count"] else [])


def tag_groups(dossier: Dossier) -> list[Tag]:
    """Tags of the pinned passages with their counts, most used first (passages load on demand).

    Counted from the tag links of the pinned annotations (an index lookup per pin), not by
    joining every tag link of the workspace."""
    pinned = DossierPassage.objects.filter(dossier=dossier).values("annotation_id")
    links = Annotation.tags.through.objects.filter(annotation_id__in=Subquery(pinned))
    counts = dict(links.values("tag_id").annotate(n=Count("pk")).values_list("tag_id", "n"))
    tags = list(Tag.objects.filter(pk__in=list(counts)))
    for tag in tags:
        tag.count = counts[tag.pk]
    return sorted(tags, key=lambda t: (-t.count, t.name.lower()))


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
