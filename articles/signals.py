"""Events of the articles layer that higher layers may act on, without articles importing them."""

from django.dispatch import Signal

# Sent inside the transaction that stores an article's new text after a re-clean (kwarg: article).
article_text_changed = Signal()
