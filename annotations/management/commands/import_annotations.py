"""Import W3C Web Annotations (a collection, a page, one annotation or a list) into a workspace.

    python manage.py import_annotations FILE --workspace SLUG [--user USERNAME] [--base-url URL]

Targets are matched to the workspace's articles by this site's reader URL (under `--base-url`)
or by the article's canonical URL; quotes are re-anchored into the current text. Importing the
same file again creates nothing new.
"""

from django.core.management.base import BaseCommand, CommandError

from annotations import w3c
from annotations.management.commands.export_annotations import default_base_url, workspace_by_slug
from workspace.models import Membership, User


class Command(BaseCommand):
    help = "Import W3C Web Annotations (JSON-LD) into a workspace."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="A .jsonld/.json file of W3C annotations.")
        parser.add_argument("--workspace", required=True, metavar="SLUG", help="The workspace to import into.")
        parser.add_argument("--user", metavar="USERNAME", help="The author of the imported annotations (a member).")
        parser.add_argument("--base-url", metavar="URL", help="This site's address, to recognise its own URLs.")

    def handle(self, *args, **options):
        workspace = workspace_by_slug(options["workspace"])
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user “{options['user']}”.")
            if not Membership.objects.filter(workspace=workspace, user=user).exists():
                raise CommandError(f"“{user.username}” is not a member of the workspace “{workspace.slug}”.")
        try:
            with open(options["file"], "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise CommandError(f"Could not read {options['file']}: {error}") from None
        try:
            data = w3c.load_json(raw)
        except w3c.ImportFileError as error:
            raise CommandError(str(error)) from None
        base_url = (options["base_url"] or default_base_url()).rstrip("/")
        result = w3c.import_collection(data, workspace=workspace, user=user, base_url=base_url)
        self.stdout.write(result.summary(limit=len(result.errors)))
