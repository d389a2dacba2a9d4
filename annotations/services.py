"""Writes about tags (and, with the annotation issue, passages and notes)."""

import random

from django.db import transaction
from django.db.models.functions import Lower

from annotations.models import TAG_COLOURS, Tag
from articles.models import Article
from workspace.models import Workspace

MAX_TAG_LENGTH = 80


def parse_tag_names(value: str) -> list[str]:
    """Comma-separated names, trimmed, case-insensitively unique, in the order given."""
    names: dict[str, str] = {}
    for raw in value.split(","):
        name = " ".join(raw.split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in names:
            names[name.lower()] = name
    return list(names.values())


def get_or_create_tags(*, workspace: Workspace, names: list[str]) -> list[Tag]:
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.in_workspace(workspace)
        .annotate(key=Lower("name"))
        .filter(key__in=[n.lower() for n in names])
    }
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            colour = random.choice(TAG_COLOURS)  # noqa: S311 - a colour, not a secret
            tag, _ = Tag.objects.get_or_create(workspace=workspace, name=name, defaults={"colour": colour})
        tags.append(tag)
    return tags


@transaction.atomic
def tag_articles(*, workspace: Workspace, articles: list[Article], names: list[str]) -> list[Tag]:
    tags = get_or_create_tags(workspace=workspace, names=names)
    through = Tag.articles.through
    links = [through(tag_id=tag.pk, article_id=article.pk) for tag in tags for article in articles]
    through.objects.bulk_create(links, ignore_conflicts=True)
    return tags
