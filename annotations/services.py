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


# --- Tag management ---------------------------------------------------------------------------

MERGE_BATCH_SIZE = 1000


def check_tag_name(name: str) -> str:
    """A tag's new name: spaces collapsed, not empty, at most `MAX_TAG_LENGTH` characters."""
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError("Give the tag a name.")
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(f"A tag name can be at most {MAX_TAG_LENGTH} characters long; this one has {len(name)}.")
    return name


def tag_named(*, workspace: Workspace, name: str, exclude: Tag | None = None) -> Tag | None:
    """The workspace's tag of this name, compared case-insensitively (tag names are unique that way)."""
    tags = Tag.objects.in_workspace(workspace).annotate(key=Lower("name")).filter(key=name.lower())
    if exclude is not None:
        tags = tags.exclude(pk=exclude.pk)
    return tags.first()


@transaction.atomic
def rename_tag(*, tag: Tag, name: str) -> Tag:
    """Rename `tag`; if another tag of the workspace already has that name, merge into it and return it."""
    from django.db import IntegrityError  # here, so that this section only adds to the module

    name = check_tag_name(name)
    target = tag_named(workspace=tag.workspace, name=name, exclude=tag)
    if target is not None:
        merge_tags(source=tag, target=target)
        return target
    tag.name = name
    try:
        with transaction.atomic():
            tag.save(update_fields=["name"])
    except IntegrityError:
        # Someone created a tag of that name meanwhile: merge into theirs.
        target = tag_named(workspace=tag.workspace, name=name, exclude=tag)
        if target is None:
            raise
        merge_tags(source=tag, target=target)
        return target
    return tag


def recolour_tag(*, tag: Tag, colour: str) -> Tag:
    if colour not in TAG_COLOURS:
        raise ValidationError(f"Choose one of the colours: {', '.join(TAG_COLOURS)}.")
    Tag.objects.filter(pk=tag.pk).update(colour=colour)
    tag.colour = colour
    return tag


def touch_annotations_of(tag: Tag) -> None:
    """Raise the version of the annotations carrying `tag`, whose tags are about to change, so that
    a stale save from an open reader (which sends its tag names) is refused instead of reviving it."""
    Annotation.objects.filter(tags=tag).update(version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def merge_tags(*, source: Tag, target: Tag) -> int:
    """Move every annotation and article of `source` to `target` (never linked twice), then delete
    `source`. Returns the number of live passages that carried `source`."""
    if source.workspace_id != target.workspace_id:
        raise ValidationError("Only tags of the same workspace can be merged.")
    if source.pk == target.pk:
        raise ValidationError("A tag cannot be merged into itself.")
    # Lock both: no one links `source` to anything while its links are being moved.
    list(Tag.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk"))
    passage_links, article_links = Annotation.tags.through, Tag.articles.through
    annotation_ids = passage_links.objects.filter(tag_id=source.pk).values_list("annotation_id", flat=True)
    passage_links.objects.bulk_create(
        [passage_links(annotation_id=pk, tag_id=target.pk) for pk in annotation_ids],
        batch_size=MERGE_BATCH_SIZE,
        ignore_conflicts=True,
    )
    article_ids = article_links.objects.filter(tag_id=source.pk).values_list("article_id", flat=True)
    article_links.objects.bulk_create(
        [article_links(article_id=pk, tag_id=target.pk) for pk in article_ids],
        batch_size=MERGE_BATCH_SIZE,
        ignore_conflicts=True,
    )
    moved = Annotation.objects.live().filter(tags=source).count()
    touch_annotations_of(source)
    source.delete()
    return moved


@transaction.atomic
def delete_tag(*, tag: Tag) -> int:
    """Remove the tag from its passages and articles (both are kept) and delete it.
    Returns the number of live passages it was removed from."""
    passages = Annotation.objects.live().filter(tags=tag).count()
    touch_annotations_of(tag)
    tag.delete()
    return passages
