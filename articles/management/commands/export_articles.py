"""Export a workspace's articles, one JSON object per line.

    python manage.py export_articles --workspace SLUG [--format jsonl] [--output FILE]

Streams: articles are read in chunks, each chunk with two more queries (its first original
and its near-duplicate links), so the number of queries grows with chunks, not articles.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.exports import jsonl_lines
from workspace.models import Workspace

FORMATS = ("jsonl",)


class Command(BaseCommand):
    help = "Export the articles of a workspace as JSON Lines (one article per line)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, metavar="SLUG", help="The workspace to export.")
        parser.add_argument("--format", default="jsonl", metavar="FORMAT", help="Only jsonl for now (the default).")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(f"Unsupported format “{options['format']}”: only {', '.join(FORMATS)} is available.")
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with the slug “{options['workspace']}”.")
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                    count = self.export(workspace, handle.write)
            except OSError as error:
                raise CommandError(f"Could not write {options['output']}: {error}") from None
            if options["verbosity"] >= 1:
                self.stderr.write(f"Exported {count} articles to {options['output']}.", style_func=lambda s: s)
        else:
            try:
                self.export(workspace, lambda line: self.stdout.write(line, ending=""))
                self.stdout.flush()
            except BrokenPipeError:  # `export_articles … | head`: the reader has what it wanted
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())

    def export(self, workspace: Workspace, write) -> int:
        count = 0
        for line in jsonl_lines(workspace):
            write(line)
            count += 1
        return count
