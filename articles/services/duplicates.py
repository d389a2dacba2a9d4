"""The same story on several sites: fingerprint bands and near-duplicate links."""

import hashlib

from django.conf import settings
from django.db.models import Q

from articles.cleaning import near_duplicate_score
from articles.models import Article, FingerprintBand, NearDuplicate

Status = Article.Status


BANDS = 16


def fingerprint_bands(fingerprint: list[int]) -> list[str]:
    if not fingerprint:
        return []
    size = max(1, len(fingerprint) // BANDS)
    return [f"{i}:" + ".".join(map(str, fingerprint[i : i + size])) for i in range(0, len(fingerprint), size)]


def link_near_duplicates(article: Article, *, first_time: bool = False) -> None:
    """Index the article's fingerprint bands and link it to READY articles telling the same story.

    `first_time`: the article was never cleaned before, so it has no bands or links to replace.
    """
    bands = [hashlib.sha256(b.encode()).hexdigest()[:40] for b in fingerprint_bands(article.fingerprint)]
    if not first_time:
        FingerprintBand.objects.filter(article=article).delete()
        NearDuplicate.objects.filter(Q(article=article) | Q(other=article)).delete()
    # Looked up before this article's own bands are written, so that they need no excluding.
    candidate_ids = (
        FingerprintBand.objects.filter(workspace_id=article.workspace_id, band__in=bands)
        .values("article_id")
        .distinct()[:200]
    )
    candidates = Article.objects.filter(pk__in=candidate_ids, status=Status.READY).values_list("pk", "fingerprint")
    links = []
    for other_pk, other_fingerprint in candidates:
        score = near_duplicate_score(article.fingerprint, other_fingerprint)
        if score >= settings.NEAR_DUPLICATE_MIN_SCORE:
            first, second = sorted([article.pk, other_pk])
            links.append(NearDuplicate(article_id=first, other_id=second, score=score))
    FingerprintBand.objects.bulk_create(
        [FingerprintBand(workspace_id=article.workspace_id, article=article, band=b) for b in bands]
    )
    if links:
        NearDuplicate.objects.bulk_create(links, ignore_conflicts=True)


def near_duplicates_of(article: Article) -> list[Article]:
    """The other articles telling the same story, for "also published by …"."""
    pairs = (
        NearDuplicate.objects.filter(article=article)
        .values_list("other_id", flat=True)
        .union(NearDuplicate.objects.filter(other=article).values_list("article_id", flat=True))
    )
    return list(Article.objects.filter(pk__in=list(pairs)).only("pk", "title", "label", "site_name", "source_id"))
