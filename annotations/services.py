"""Writes about tags, passages and notes, and keeping passages anchored when an article changes."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from annotations import anchoring
from annotations.models import TAG_COLOURS, Annotation, Tag
from articles.models import Article
from workspace.models import User, Workspace

MAX_TAG_LENGTH = 80
MAX_NOTE_LENGTH = 10_000
MAX_TAGS = 20


class StaleVersion(Exception):
    """Saving over a newer version of an annotation (someone else changed it meanwhile)."""

    message = "Someone changed this annotation after you opened it. Reload to see their change, then edit again."


def parse_tag_names(value: str) -> list[str]:
    """Comma-separated names, trimmed, case-insensitively unique, in the order given."""
    return clean_tag_names(value.split(","))


def clean_tag_names(values) -> list[str]:
    names: dict[str, str] = {}
    for raw in values:
        name = " ".join(str(raw).split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in names:
            names[name.lower()] = name
    return list(names.values())


def get_or_create_tags(*, workspace: Workspace, names: list[str]) -> list[Tag]:
    wanted = [n.lower() for n in names]
    found = Tag.objects.in_workspace(workspace).annotate(key=Lower("name")).filter(key__in=wanted)
    existing = {tag.name.lower(): tag for tag in found}
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


# --- Passages and notes -------------------------------------------------------------------


def check_note(note: str) -> str:
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"A note can be at most {MAX_NOTE_LENGTH:,} characters long; this one has {len(note):,}.")
    return note.strip()


def check_tags(names: list[str]) -> list[str]:
    if len(names) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags on one annotation.")
    return names


def selector_for(article: Article, start: int, end: int, exact: str | None) -> anchoring.Selector:
    """The W3C selectors of text[start:end], checked against what the browser said it selected."""
    if article.status != Article.Status.READY:
        raise ValidationError("This article is not ready for annotating yet.")
    try:
        selector = anchoring.describe(article.text, start, end)
    except ValueError as error:
        raise ValidationError(f"That selection is not a passage of this article: {error}") from error
    # Browsers put no separator between paragraphs in a selection's text: compare without whitespace.
    if exact is not None and "".join(exact.split()) != "".join(selector.exact.split()):
        raise ValidationError("The selected text does not match the article: it may have been cleaned again. Reload.")
    return selector


@transaction.atomic
def create_annotation(
    *,
    article: Article,
    user: User,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    note: str = "",
    tag_names: list[str] = (),
) -> Annotation:
    """A passage (start/end given) or an article-level note (none given), with tags."""
    note, tag_names = check_note(note), check_tags(list(tag_names))
    fields = {}
    if start is not None or end is not None:
        selector = selector_for(article, start if start is not None else -1, end if end is not None else -1, exact)
        fields = selector_fields(selector)
    elif not note and not tag_names:
        raise ValidationError("An article-level annotation needs a note or tags.")
    annotation = Annotation.objects.create(
        workspace=article.workspace, article=article, author=user, note=note, **fields
    )
    annotation.tags.set(get_or_create_tags(workspace=article.workspace, names=tag_names))
    return annotation


def selector_fields(selector: anchoring.Selector) -> dict:
    return {
        "exact": selector.exact,
        "prefix": selector.prefix,
        "suffix": selector.suffix,
        "start": selector.start,
        "end": selector.end,
        "anchor": Annotation.Anchor.EXACT,
        "anchor_score": 1.0,
    }


@transaction.atomic
def update_annotation(
    *,
    annotation: Annotation,
    version: int,
    note: str | None = None,
    tag_names: list[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
) -> Annotation:
    """Change note, tags or passage (re-attaching an orphan); refuses a stale `version`."""
    changes: dict = {"updated_at": timezone.now(), "version": F("version") + 1}
    if note is not None:
        changes["note"] = check_note(note)
    if not annotation.is_passage:
        kept_note = changes.get("note", annotation.note)
        kept_tags = tag_names if tag_names is not None else list(annotation.tags.values_list("name", flat=True))
        if not kept_note and not kept_tags:
            raise ValidationError("An article-level annotation needs a note or tags.")
    if start is not None and end is not None:
        changes.update(selector_fields(selector_for(annotation.article, start, end, exact)))
    claimed = Annotation.objects.filter(pk=annotation.pk, version=version, deleted_at__isnull=True).update(**changes)
    if claimed != 1:
        raise StaleVersion(StaleVersion.message)
    if tag_names is not None:
        annotation.tags.set(get_or_create_tags(workspace=annotation.workspace, names=check_tags(tag_names)))
    annotation.refresh_from_db()
    return annotation


def delete_annotation(*, annotation: Annotation) -> None:
    """Kept (with its quote and note) so that undo can bring it back."""
    Annotation.objects.filter(pk=annotation.pk).update(deleted_at=timezone.now(), version=F("version") + 1)


def restore_annotation(*, annotation: Annotation) -> None:
    Annotation.objects.filter(pk=annotation.pk).update(deleted_at=None, version=F("version") + 1)


# --- Re-anchoring --------------------------------------------------------------------------


def stored_selector(annotation: Annotation) -> anchoring.Selector:
    return anchoring.Selector(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start or 0,
        end=annotation.end or 0,
    )


def reanchor_article(*, article: Article) -> dict[str, int]:
    """Find every passage again in the article's (new) text; returns counts by anchor health."""
    counts: dict[str, int] = {}
    passages = Annotation.objects.filter(article=article).exclude(exact="")
    for annotation in passages:
        anchor = anchoring.reanchor(stored_selector(annotation), article.text)
        apply_anchor(annotation, anchor, article.text)
        counts[annotation.anchor] = counts.get(annotation.anchor, 0) + 1
    return counts


def apply_anchor(annotation: Annotation, anchor: anchoring.Anchor, text: str) -> None:
    selector = anchoring.selector_for_anchor(stored_selector(annotation), text, anchor)
    annotation.anchor, annotation.anchor_score = anchor.status.value, anchor.score
    if anchor.status == anchoring.AnchorStatus.ORPHANED:
        # Kept with its quote and note, listed apart, re-attachable; never deleted.
        annotation.start = annotation.end = None
    else:
        annotation.exact, annotation.prefix, annotation.suffix = selector.exact, selector.prefix, selector.suffix
        annotation.start, annotation.end = selector.start, selector.end
    annotation.save(update_fields=["anchor", "anchor_score", "exact", "prefix", "suffix", "start", "end"])
