"""Receivers of the articles layer's events; each only hands over to a service."""

from django.dispatch import receiver

from annotations import services
from articles.signals import article_text_changed


@receiver(article_text_changed, dispatch_uid="reanchor_annotations")
def reanchor_annotations(sender, article, **kwargs) -> None:
    services.reanchor_article(article=article)
