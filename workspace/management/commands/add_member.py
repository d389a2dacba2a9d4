from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspace import services
from workspace.models import Role, User, Workspace


class Command(BaseCommand):
    help = "Add a user to a workspace with a role, or change the role of an existing member."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.EDITOR)

    def handle(self, *args, workspace, username, role, **options):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with slug {workspace!r}.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            services.add_member(workspace=ws, user=user, role=role)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(self.style.SUCCESS(f"{username} is {role} in {ws.name}."))
