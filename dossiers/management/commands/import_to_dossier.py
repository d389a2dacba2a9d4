"""`import_articles`, plus: put every new article in a dossier and tag it.

    python manage.py import_to_dossier PATH… --workspace SLUG --dossier "Online child safety" --tag "age checks"

It lives in the top layer because it uses dossiers and annotations; `articles` never imports them.
"""

from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.models import F

from annotations.models import Tag
from articles.management.commands.import_articles import Command as ImportArticlesCommand
from articles.models import Article
from dossiers import services as dossier_services
from dossiers.models import Dossier
from workspace.models import User, Workspace

TITLE_MAX = Dossier._meta.get_field("title").max_length
TAG_MAX = Tag._meta.get_field("name").max_length


class Command(ImportArticlesCommand):
    help = ImportArticlesCommand.help + " Every new article is added to the dossier (created if missing) and tagged."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dossier", required=True, metavar="TITLE", help="The workspace's dossier (created if missing)."
        )
        parser.add_argument(
            "--tag", action="append", default=[], metavar="NAME", help="A tag for every new article; repeatable."
        )

    def prepare(self, *, workspace: Workspace, user: User | None, options: dict) -> None:
        title = options["dossier"].strip()
        names = list(dict.fromkeys(name.strip() for name in options["tag"]))
        if not title or len(title) > TITLE_MAX:
            raise CommandError(f"A dossier title has 1 to {TITLE_MAX} characters.")
        if any(not name or len(name) > TAG_MAX for name in names):
            raise CommandError(f"A tag name has 1 to {TAG_MAX} characters.")
        self.dossier = self.find_or_create_dossier(workspace, user, title)
        self.tags = self.find_or_create_tags(workspace, names)

    def find_or_create_dossier(self, workspace: Workspace, user: User | None, title: str) -> Dossier:
        existing = (
            Dossier.objects.in_workspace(workspace)
            .filter(title__iexact=title)
            .order_by(F("archived_at").asc(nulls_first=True), "pk")
            .first()
        )
        if existing is not None:
            return existing
        self.note(f"Created the dossier “{title}”.")
        return dossier_services.create_dossier(workspace=workspace, user=user, title=title)

    def find_or_create_tags(self, workspace: Workspace, names: list[str]) -> list[Tag]:
        tags: dict[int, Tag] = {}
        for name in names:
            tag = Tag.objects.in_workspace(workspace).filter(name__iexact=name).first()
            if tag is None:
                try:
                    with transaction.atomic():
                        tag = Tag.objects.create(workspace=workspace, name=name)
                except IntegrityError:  # created a moment ago by someone else
                    tag = Tag.objects.in_workspace(workspace).get(name__iexact=name)
            tags[tag.pk] = tag
        return list(tags.values())

    def after_submit(self, article: Article) -> None:
        dossier_services.add_article(dossier=self.dossier, article=article)
        for tag in self.tags:
            tag.articles.add(article)
