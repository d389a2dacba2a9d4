"""Reads of tags for pages that show many annotations at once: plain rows, not model instances."""

from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import QuerySet

from annotations.models import Annotation


class TagView(NamedTuple):
    """A tag as a page shows it."""

    pk: int
    name: str
    colour: str


def tags_of(links: QuerySet) -> dict[int, list[TagView]]:
    """The tags of a queryset of annotation–tag links, by annotation id, each list in name order."""
    rows = links.order_by("tag__name", "tag_id").values_list("annotation_id", "tag_id", "tag__name", "tag__colour")
    found: dict[int, list[TagView]] = {}
    for annotation_id, tag_id, name, colour in rows:
        found.setdefault(annotation_id, []).append(TagView(tag_id, name, colour))
    return found


def tags_by_annotation(annotation_ids: Iterable[int]) -> dict[int, list[TagView]]:
    return tags_of(Annotation.tags.through.objects.filter(annotation_id__in=list(annotation_ids)))
