"""Tags (and, with the annotation issue, passages and notes) of a workspace."""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Article
from workspace.models import Workspace, WorkspaceOwnedQuerySet

TAG_COLOURS = ["amber", "teal", "violet", "rose", "sky", "lime", "orange", "slate"]


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=80)
    colour = models.CharField(max_length=12, choices=[(c, c.title()) for c in TAG_COLOURS], default="amber")
    created_at = models.DateTimeField(default=timezone.now)
    articles = models.ManyToManyField(Article, blank=True, related_name="tags")

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), "workspace", name="unique_tag_name_per_workspace")]

    def __str__(self) -> str:
        return self.name
