from django.db import transaction
from django.db.models import Max

from annotations.services import tag_articles
from articles.models import Article
from dossiers.models import Dossier, DossierArticle
from workspace.models import User, Workspace


def create_dossier(*, workspace: Workspace, user: User | None, title: str, description: str = "") -> Dossier:
    return Dossier.objects.create(workspace=workspace, created_by=user, title=title, description=description)


@transaction.atomic
def add_article(*, dossier: Dossier, article: Article, note: str = "") -> tuple[DossierArticle, bool]:
    """Add a story at the end of the dossier; returns (item, created). Never adds it twice."""
    if article.workspace_id != dossier.workspace_id:
        raise ValueError("A dossier only holds stories of its own workspace.")
    last = dossier.items.aggregate(last=Max("position"))["last"]
    return DossierArticle.objects.get_or_create(
        dossier=dossier, article=article, defaults={"position": (last or 0) + 1, "note": note}
    )


@transaction.atomic
def add_articles(*, dossier: Dossier, articles: list[Article]) -> tuple[int, int]:
    """Add stories at the end, in the order given; returns (added, already there)."""
    present = set(dossier.items.filter(article__in=articles).values_list("article_id", flat=True))
    last = dossier.items.aggregate(last=Max("position"))["last"] or 0
    new = [a for a in dict.fromkeys(articles) if a.pk not in present and a.workspace_id == dossier.workspace_id]
    DossierArticle.objects.bulk_create(
        [DossierArticle(dossier=dossier, article=a, position=last + n) for n, a in enumerate(new, start=1)],
        ignore_conflicts=True,
    )
    return len(new), len(present)


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
    return "; ".join(done).capitalize() + "."
