"""Topic dossiers: a curated set of stories (and, later, passages) on one subject."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation
from articles.models import Article
from workspace.models import Workspace, WorkspaceOwnedQuerySet


class Dossier(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="dossiers")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    articles = models.ManyToManyField(Article, through="DossierArticle", related_name="dossiers")

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.pk])


class DossierArticle(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dossier_items")
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text="The curator's note on this story's place in the dossier.")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "added_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "article"], name="story_once_per_dossier")]

    def __str__(self) -> str:
        return f"{self.article} in {self.dossier}"


class DossierSection(models.Model):
    """A named part of the dossier's argument, e.g. "Scale of the problem"."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="The curator's note on this section (Markdown).")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class DossierPassage(models.Model):
    """A passage (annotation) pinned into the dossier, in a section or unsorted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="passages")
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="dossier_pins")
    section = models.ForeignKey(
        DossierSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="passages"
    )
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text="Why this passage matters here (Markdown).")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "added_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "annotation"], name="passage_once_per_dossier")]
        indexes = [models.Index(fields=["dossier", "section", "position"])]

    def __str__(self) -> str:
        return f"{self.annotation} in {self.dossier}"
