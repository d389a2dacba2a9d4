"""Export a workspace's (or one article's) annotations as a W3C AnnotationCollection (JSON-LD).

    python manage.py export_annotations --workspace SLUG [--article PK] [--output FILE] [--base-url URL]

`--base-url` is this site's address (default: the SITE_URL setting, else http://localhost:8000):
annotation ids and targets are absolute URLs under it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations import w3c
from annotations.models import Annotation
from articles.models import Article
from workspace.models import Workspace

DEFAULT_BASE_URL = "http://localhost:8000"


def default_base_url() -> str:
    return getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL


def workspace_by_slug(slug: str) -> Workspace:
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"No workspace with the slug “{slug}”.")
    return workspace


class Command(BaseCommand):
    help = "Export annotations as a W3C Web Annotation collection (JSON-LD)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, metavar="SLUG", help="The workspace to export.")
        parser.add_argument("--article", type=int, metavar="PK", help="Only this article's annotations.")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of standard output.")
        parser.add_argument("--base-url", metavar="URL", help="This site's address, for the ids and targets.")

    def handle(self, *args, **options):
        workspace = workspace_by_slug(options["workspace"])
        base_url = (options["base_url"] or default_base_url()).rstrip("/")
        if not w3c.is_web_url(base_url):
            raise CommandError(f"--base-url must be an http(s) address, not “{base_url}”.")
        annotations = Annotation.objects.in_workspace(workspace)
        if options["article"] is not None:
            article = Article.objects.in_workspace(workspace).filter(pk=options["article"]).only("pk", "title").first()
            if article is None:
                raise CommandError(f"No article {options['article']} in the workspace “{workspace.slug}”.")
            annotations = annotations.filter(article=article)
            id_url = w3c.export_url(base_url, article_pk=article.pk)
            label = f"Annotations on “{article.title or f'article {article.pk}'}”"
        else:
            id_url = w3c.export_url(base_url)
            label = f"Annotations of {workspace.name}"
        annotations = w3c.export_queryset(annotations)
        total = annotations.count()
        chunks = w3c.collection_chunks(
            annotations.iterator(chunk_size=500), total=total, base_url=base_url, id_url=id_url, label=label
        )
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                    handle.write("\n")
            except OSError as error:
                raise CommandError(f"Could not write {options['output']}: {error}") from None
            if options["verbosity"] >= 1:
                self.stderr.write(f"Exported {total} annotations to {options['output']}.", style_func=lambda s: s)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.write("")
