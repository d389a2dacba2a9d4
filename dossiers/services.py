"""Writes about dossiers: their stories, pinned passages, sections and notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from annotations.models import Annotation
from annotations.services import tag_articles
from articles.models import Article
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection
from workspace.models import User, Workspace

MAX_NOTE_LENGTH = 20_000


def check_same_workspace(dossier: Dossier, *objects) -> None:
    if any(obj.workspace_id != dossier.workspace_id for obj in objects):
        raise ValidationError("A dossier only holds stories and passages of its own workspace.")


def next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def create_dossier(*, workspace: Workspace, user: User | None, title: str, description: str = "") -> Dossier:
    return Dossier.objects.create(workspace=workspace, created_by=user, title=title, description=description)


def update_dossier(*, dossier: Dossier, title: str, description: str) -> Dossier:
    dossier.title, dossier.description = title, description
    dossier.save(update_fields=["title", "description", "updated_at"])
    return dossier


def set_archived(*, dossier: Dossier, archived: bool) -> Dossier:
    dossier.archived_at = timezone.now() if archived else None
    dossier.save(update_fields=["archived_at", "updated_at"])
    return dossier


# --- Stories ---------------------------------------------------------------------------


@transaction.atomic
def add_article(*, dossier: Dossier, article: Article, note: str = "") -> tuple[DossierArticle, bool]:
    """Add a story at the end of the dossier; returns (item, created). Never adds it twice."""
    check_same_workspace(dossier, article)
    return DossierArticle.objects.get_or_create(
        dossier=dossier, article=article, defaults={"position": next_position(dossier.items), "note": note}
    )


@transaction.atomic
def add_articles(*, dossier: Dossier, articles: list[Article]) -> tuple[int, int]:
    """Add stories at the end, in the order given; returns (added, already there)."""
    check_same_workspace(dossier, *articles)
    present = set(dossier.items.filter(article__in=articles).values_list("article_id", flat=True))
    start = next_position(dossier.items)
    new = [a for a in dict.fromkeys(articles) if a.pk not in present]
    DossierArticle.objects.bulk_create(
        [DossierArticle(dossier=dossier, article=a, position=start + n) for n, a in enumerate(new)],
        ignore_conflicts=True,
    )
    return len(new), len(present)


def remove_article(*, item: DossierArticle) -> None:
    item.delete()


def set_article_note(*, item: DossierArticle, note: str) -> DossierArticle:
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"A note can be at most {MAX_NOTE_LENGTH:,} characters long.")
    item.note = note.strip()
    item.save(update_fields=["note"])
    return item


@transaction.atomic
def move(*, item, siblings, direction: int) -> None:
    """Swap `item` with its neighbour above (-1) or below (+1) among `siblings` (ordered)."""
    ordered = list(siblings.select_for_update())
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


def file_articles(
    *,
    workspace: Workspace,
    user: User,
    articles: list[Article],
    dossier: Dossier | None,
    new_dossier: str,
    tag_names: list[str],
) -> str:
    """Put `articles` into a dossier (existing or new) and tag them; returns what was done."""
    done = []
    if new_dossier:
        dossier = create_dossier(workspace=workspace, user=user, title=new_dossier)
    if dossier is not None:
        added, already = add_articles(dossier=dossier, articles=articles)
        done.append(f"{added} stor{'y' if added == 1 else 'ies'} added to “{dossier.title}”")
        if already:
            done.append(f"{already} already there")
    if tag_names:
        tag_articles(workspace=workspace, articles=articles, names=tag_names)
        done.append(f"tagged {', '.join(tag_names)}")
    text = "; ".join(done)
    return text[:1].upper() + text[1:] + "."


# --- Passages and sections ------------------------------------------------------------------


@transaction.atomic
def pin_passage(
    *, dossier: Dossier, annotation: Annotation, section: DossierSection | None = None, note: str = ""
) -> tuple[DossierPassage, bool]:
    """Pin a passage (and its story) into the dossier; returns (pin, created)."""
    check_same_workspace(dossier, annotation)
    if section is not None and section.dossier_id != dossier.pk:
        raise ValidationError("That section belongs to another dossier.")
    add_article(dossier=dossier, article=annotation.article)
    siblings = dossier.passages.filter(section=section)
    return DossierPassage.objects.get_or_create(
        dossier=dossier,
        annotation=annotation,
        defaults={"section": section, "note": note.strip(), "position": next_position(siblings)},
    )


def unpin_passage(*, pin: DossierPassage) -> None:
    pin.delete()


def update_pin(*, pin: DossierPassage, section: DossierSection | None, note: str) -> DossierPassage:
    if section is not None and section.dossier_id != pin.dossier_id:
        raise ValidationError("That section belongs to another dossier.")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"A note can be at most {MAX_NOTE_LENGTH:,} characters long.")
    if section != pin.section:
        pin.position = next_position(pin.dossier.passages.filter(section=section))
    pin.section, pin.note = section, note.strip()
    pin.save(update_fields=["section", "note", "position"])
    return pin


def create_section(*, dossier: Dossier, title: str, note: str = "") -> DossierSection:
    return DossierSection.objects.create(
        dossier=dossier, title=title, note=note, position=next_position(dossier.sections)
    )


def update_section(*, section: DossierSection, title: str, note: str) -> DossierSection:
    section.title, section.note = title, note
    section.save(update_fields=["title", "note"])
    return section


@transaction.atomic
def delete_section(*, section: DossierSection) -> int:
    """Its passages stay in the dossier, unsorted; returns how many moved there."""
    moved = section.passages.update(section=None)
    section.delete()
    return moved
