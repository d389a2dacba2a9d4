from django import template
from django.utils.safestring import mark_safe

from annotations.notes import render_note, shorten

register = template.Library()


@register.filter
def note_html(markdown: str) -> str:
    """A note's Markdown as sanitized HTML (see annotations.notes)."""
    return mark_safe(render_note(markdown))


@register.filter
def excerpt(text: str, length: int) -> str:
    """What `truncatechars` makes of a passage, without its walk over every character of a short one."""
    return shorten(text, length)
