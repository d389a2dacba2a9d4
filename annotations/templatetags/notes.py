from django import template
from django.utils.safestring import mark_safe

from annotations.notes import render_note

register = template.Library()


@register.filter
def note_html(markdown: str) -> str:
    """A note's Markdown as sanitized HTML (see annotations.notes)."""
    return mark_safe(render_note(markdown))
