from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import services as article_services
from dossiers import services as dossier_services
from dossiers.demo import STORIES
from dossiers.models import Dossier
from workspace import services as workspace_services
from workspace.models import User, Workspace

USERNAME = "demo"
PASSWORD = "demo-researcher"  # noqa: S105 - a local demo only: the command refuses to run in production
DESCRIPTION = (
    "How regulators, police and platforms are responding to harms to children online: "
    "the scale of the problem, police capacity, and platform responsibility."
)


class Command(BaseCommand):
    help = "Create a demo researcher, a workspace with sample articles and the dossier “Online child safety”."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates an account with a known password: it does not run in production.")
        with transaction.atomic():
            user = self.demo_user()
            workspace = self.demo_workspace(user)
            self.demo_content(workspace, user)
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Open http://127.0.0.1:8000/ and sign in as “{USERNAME}” with the password “{PASSWORD}”.\n"
            )
        )

    def demo_user(self) -> User:
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"first_name": "Demo", "last_name": "Researcher", "email": "demo@localhost"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def demo_workspace(self, user: User) -> Workspace:
        workspace = Workspace.objects.filter(slug="newsroom-demo").first()
        return workspace or workspace_services.create_workspace(name="Newsroom demo", owner=user, slug="newsroom-demo")

    def demo_content(self, workspace: Workspace, user: User) -> None:
        if workspace.articles.exists():
            return
        dossier = Dossier.objects.filter(workspace=workspace, title="Online child safety").first()
        dossier = dossier or dossier_services.create_dossier(
            workspace=workspace, user=user, title="Online child safety", description=DESCRIPTION
        )
        for story in STORIES:
            article = article_services.submit_paste(workspace=workspace, user=user, text=story)
            dossier_services.add_article(dossier=dossier, article=article)
        self.stdout.write(f"Added {len(STORIES)} sample articles; the worker cleans them in a few seconds.")
