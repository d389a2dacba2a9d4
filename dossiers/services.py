from django.db import transaction
from django.db.models import Max

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
