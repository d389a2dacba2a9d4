"""Tags (and, with the annotation issue, passages and notes) of a workspace."""

from django.conf import settings
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


class AnnotationQuerySet(WorkspaceOwnedQuerySet):
    def live(self) -> "AnnotationQuerySet":
        return self.filter(deleted_at__isnull=True)


class Annotation(models.Model):
    """A passage of an article (W3C TextQuote + TextPosition selectors over `Article.text`),
    or, with no passage, a note or tags on the whole article."""

    class Anchor(models.TextChoices):
        EXACT = "exact", "Exact"
        MOVED = "moved", "Moved"
        FUZZY = "fuzzy", "Fuzzy"
        ORPHANED = "orphaned", "Orphaned"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="annotations")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    exact = models.TextField(blank=True, help_text="The quoted passage; empty for an article-level note.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True, help_text="Code point offset into the article text.")
    end = models.PositiveIntegerField(null=True, blank=True)
    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.EXACT)
    anchor_score = models.FloatField(default=1.0)
    note = models.TextField(blank=True, help_text="Markdown (a safe subset).")
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; refuses stale saves.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Set on delete, cleared by undo.")
    import_id = models.CharField(max_length=500, blank=True, help_text="The `id` of an imported W3C annotation.")

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["article", "start"]),
            models.Index(fields=["workspace", "-created_at"]),
            # Deleted passages are few: counts of live ones subtract these instead of reading every passage.
            models.Index(fields=["id"], condition=models.Q(deleted_at__isnull=False), name="annotation_deleted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__gt=models.F("start")),
                name="annotation_range_not_empty",
            )
        ]

    def __str__(self) -> str:
        return (self.exact[:60] or self.note[:60] or f"Annotation {self.pk}").strip()

    @property
    def is_passage(self) -> bool:
        return bool(self.exact)

    @property
    def is_orphaned(self) -> bool:
        return self.anchor == self.Anchor.ORPHANED


class SavedSearch(models.Model):
    """A researcher's named search (its URL query), with when they last opened it."""

    class Kind(models.TextChoices):
        ARTICLES = "articles", "Articles"
        PASSAGES = "passages", "Passages"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="saved_searches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARTICLES)
    query_string = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["user", "workspace"])]

    def __str__(self) -> str:
        return self.name
