from django.core.management.base import BaseCommand, CommandError

from workspace import services
from workspace.models import User, Workspace


class Command(BaseCommand):
    help = "Create a workspace (a team) with its owner. The owner account must exist."

    def add_arguments(self, parser):
        parser.add_argument("name", help='The workspace name, e.g. "Investigations desk".')
        parser.add_argument("--owner", required=True, help="Username of the owner.")
        parser.add_argument("--slug", default="", help="Short name used by scripts; derived from the name if omitted.")

    def handle(self, *args, name, owner, slug, **options):
        user = User.objects.filter(username=owner).first()
        if user is None:
            raise CommandError(
                f"No user named {owner!r}: create it first with `manage.py createsuperuser` or the admin."
            )
        if slug and Workspace.objects.filter(slug=slug).exists():
            raise CommandError(f"A workspace with slug {slug!r} already exists.")
        workspace = services.create_workspace(name=name, owner=user, slug=slug)
        self.stdout.write(
            self.style.SUCCESS(f"Created workspace {workspace.name!r} (slug {workspace.slug}) owned by {owner}.")
        )
