"""Articles, the originals they were made from, and the sites they come from."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from workspace.models import Workspace, WorkspaceOwnedQuerySet


class Source(models.Model):
    """A publishing site (by host name) within a workspace; learns its own boilerplate."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sources")
    domain = models.CharField(max_length=253)
    name = models.CharField(max_length=200, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["workspace", "domain"], name="one_source_per_domain")]

    def __str__(self) -> str:
        return self.name or self.domain


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        CLEANING = "cleaning", "Cleaning"
        READY = "ready", "Ready"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        PASTE = "paste", "Pasted text"
        URL = "url", "Linked URL"

    ACTIVE_STATUSES = (Status.QUEUED, Status.FETCHING, Status.CLEANING)

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="articles")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    submitted_url = models.URLField(max_length=2000, blank=True)
    label = models.CharField(max_length=255, blank=True, help_text="What the researcher submitted: file name or URL.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    last_error = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)

    title = models.CharField(max_length=500, blank=True)
    standfirst = models.TextField(blank=True)
    authors = models.JSONField(default=list, blank=True)
    published_on = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    canonical_url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=16, blank=True)
    html = models.TextField(blank=True, help_text="Sanitized article markup; the only thing ever rendered.")
    text = models.TextField(blank=True, help_text="Plain text of `html`; annotations anchor into it.")
    word_count = models.PositiveIntegerField(default=0)
    text_hash = models.CharField(max_length=64, blank=True)
    fingerprint = models.JSONField(default=list, blank=True)
    # What the cleaning took out as publisher text ({"key", "text"} each, bounded), shown under the
    # article with a way to put a line back; `kept_lines`: the keys the researcher put back, which
    # no rule removes when this article is cleaned again. Database defaults too: bulk loaders
    # (benchmarks/seed.py) name their columns.
    removed_lines = models.JSONField(default=list, db_default=[], blank=True)
    kept_lines = models.JSONField(default=list, db_default=[], blank=True)

    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cleaned_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "status"]),
            models.Index(fields=["workspace", "text_hash"]),
            # Each sort's index ends with the pk tiebreak, so that deep pages need no extra sort.
            models.Index(fields=["workspace", "-created_at", "-id"], name="article_ws_added"),
            models.Index(fields=["workspace", "-published_on", "-id"], name="article_ws_published"),
            models.Index(fields=["workspace", "title", "id"], name="article_ws_title"),
            models.Index(fields=["workspace", "language"], name="article_ws_language"),
            models.Index("workspace", Upper("site_name"), name="article_ws_site"),
        ]
        constraints = [
            # The same story is stored once per workspace: a second copy becomes DUPLICATE.
            models.UniqueConstraint(
                fields=["workspace", "text_hash"],
                condition=models.Q(status="ready") & ~models.Q(text_hash=""),
                name="one_ready_article_per_text",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.label or f"Article {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reader", args=[self.pk])  # the reader lives in the annotations app

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def display_title(self) -> str:
        return self.title or self.label or "Untitled article"


def original_path(instance: "Original", filename: str) -> str:
    # Named by content hash: the researcher's file name is metadata, never a path.
    return f"originals/{instance.sha256[:2]}/{instance.sha256}"


class Original(models.Model):
    """Exactly what was received, stored before any processing and never deleted by it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="originals")
    file = models.FileField(upload_to=original_path, max_length=255)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    url = models.URLField(max_length=2000, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        get_latest_by = "received_at"

    def __str__(self) -> str:
        return self.filename or self.final_url or self.url or self.sha256[:12]


class SourceParagraph(models.Model):
    """A paragraph seen in articles of one source; recurring ones are that site's boilerplate,
    unless a researcher restored it (`kept`): then no rule removes it from that site's articles."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.CharField(max_length=64)
    article_count = models.PositiveIntegerField(default=0)
    example = models.CharField(max_length=300, blank=True)
    # A database default: the learning upsert (services.learn_paragraphs) inserts without it.
    kept = models.BooleanField(db_default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="one_paragraph_key_per_source")]

    def __str__(self) -> str:
        return f"{self.example[:60]} ({self.article_count}×)"


class FingerprintBand(models.Model):
    """One locality-sensitive band of an article's fingerprint: articles sharing a band are near-duplicate candidates."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["workspace", "band"])]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.band[:12]}"


class NearDuplicate(models.Model):
    """Two articles telling the same story (e.g. one agency story on two sites); stored once per pair."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="near_duplicate_links")
    other = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "other"], name="one_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.article_id} ≈ {self.other_id} ({self.score:.2f})"
