"""The entries of the reader's side panel, as HTML written here rather than by a template.

An article can carry hundreds of annotations, and the panel lists them all (each highlight in the
text jumps to its entry, and is edited from there). Django's template engine spent about 0.1 ms
per entry, most of the reader's time at 500 annotations; this writes the same markup in a tenth of
that. Every value goes through `escape` (what the template's autoescape does: `html.escape`),
except the note, which is the sanitized HTML of `render_note`.
"""

from collections.abc import Iterable
from html import escape

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from annotations.models import Annotation

Anchor = Annotation.Anchor


def entries_html(entries: Iterable[dict], *, can_edit: bool, pin_url: str, pin_next: str) -> SafeString:
    """The `<li>` of each entry (see `annotations.views.panel_entries` for what an entry holds)."""
    pin = (pin_url, pin_next) if can_edit else None
    return mark_safe("".join(entry_html(e, pin=pin) for e in entries))


def entry_html(entry: dict, *, pin: tuple[str, str] | None) -> str:
    """One entry; `pin`: the pin form's URL and the page to come back to, None without the right to pin."""
    a: Annotation = entry["annotation"]
    pk = a.pk
    parts = [
        f'<li class="annotation annotation--{escape(a.anchor)}" id="annotation-{pk}" data-annotation="{pk}"'
        f' data-version="{a.version}" data-note="{escape(a.note)}" data-tags="{escape(entry["tag_names"])}">'
    ]
    if a.exact:
        parts.append(
            f'<a class="annotation__quote" href="#annotation-{pk}" data-jump="{pk}">“{escape(entry["quote"])}”</a>'
        )
    if a.anchor != Anchor.EXACT:
        parts.append(f'<p class="anchor-health anchor-health--{escape(a.anchor)}">{escape(health(a))}</p>')
    if entry["tags"]:
        tags = "".join(f'<span class="tag tag--{escape(t.colour)}">{escape(t.name)}</span> ' for t in entry["tags"])
        parts.append(f'<p class="annotation__tags">{tags}</p>')
    if a.note:
        parts.append(f'<div class="annotation__note">{entry["note_html"]}</div>')  # sanitized by render_note
    author = escape(str(a.author or "Someone"))
    parts.append(
        f'<p class="annotation__meta">{author} · <time datetime="{escape(entry["updated"])}">{escape(entry["ago"])} ago</time></p>'
    )
    if pin and a.exact:
        href = escape(f"{pin[0]}?annotation={pk}&next={pin[1]}")
        parts.append(
            f'<details class="annotation__pin" hx-get="{href}" hx-trigger="toggle once" hx-target="find .annotation__pin-body">'
            f'<summary>Pin to a dossier</summary><div class="annotation__pin-body"><a href="{href}">Choose a dossier</a></div>'
            "</details>"
        )
    if entry["can_change"]:
        parts.append(actions_html(a))
    parts.append("</li>")
    return "".join(parts)


def health(a: Annotation) -> str:
    if a.anchor == Anchor.MOVED:
        return "Moved: found at a new place in the text."
    if a.anchor == Anchor.FUZZY:
        return f"Approximate match ({floatformat(a.anchor_score, 2)}): check this highlight."
    return "Not found in the current text."


def actions_html(a: Annotation) -> str:
    button = '<button type="button" class="button button--small'
    reattach = f'{button}" data-reattach="{a.pk}">Re-attach</button>' if a.exact and a.start is None else ""
    return (
        f'<p class="annotation__actions">{button}" data-edit="{a.pk}">Edit</button>{reattach}'
        f'{button} button--danger" data-delete="{a.pk}">Delete</button></p>'
    )
