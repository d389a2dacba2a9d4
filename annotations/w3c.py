"""Passages and notes as W3C Web Annotations (JSON-LD), out and back in.

https://www.w3.org/TR/annotation-model/ — an export is an `AnnotationCollection` whose first
(and only) `AnnotationPage` embeds every annotation. Each annotation carries its own
`@context` as well, so any one of them can be copied out and still stands alone.

- Bodies: the note is a `TextualBody` with purpose `commenting` (Markdown), each tag one with
  purpose `tagging`. A bare highlight has no body and motivation `highlighting`.
- Target: a `SpecificResource` whose source is the article's reader URL, refined by a
  `TextQuoteSelector` and a `TextPositionSelector` (code points into `Article.text`, as the model
  specifies); an orphaned passage has the quote only. The article's canonical URL, when known,
  is the target's `scope`, which is how another workspace (or server) finds the same article.
- Import never trusts positions: the quote is re-anchored into the article's current text
  (`annotations.anchoring`), the position only a hint; a quote no longer there is kept as an
  orphaned passage. The source annotation's `id` goes into `Annotation.import_id`, so the same
  file imported twice creates nothing the second time.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from annotations import anchoring
from annotations.models import Annotation
from annotations.services import MAX_NOTE_LENGTH, MAX_TAGS, clean_tag_names, get_or_create_tags
from articles.models import Article
from workspace.models import User, Workspace

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MAX_IMPORT_ITEMS = 50_000
MAX_QUOTE_LENGTH = 50_000  # longer than any article we hold; keeps junk from costing seconds to match
MAX_IMPORT_ID_LENGTH = Annotation._meta.get_field("import_id").max_length
MAX_CONTEXT_LENGTH = Annotation._meta.get_field("prefix").max_length
MAX_ERRORS_SHOWN = 5


# --- Export ---------------------------------------------------------------------------------


def iso(value: datetime) -> str:
    """xsd:dateTime in UTC, as the model recommends: 2025-03-01T09:30:00Z."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def annotation_url(pk: int, *, base_url: str) -> str:
    return absolute(base_url, reverse("annotations:api_annotation", args=[pk]))


def reader_url(article_pk: int, *, base_url: str) -> str:
    return absolute(base_url, reverse("reader", args=[article_pk]))


def export_url(base_url: str, *, article_pk: int | None = None) -> str:
    """Where the export is downloaded from: the collection's id."""
    name, args = ("annotations:export_article", [article_pk]) if article_pk is not None else ("annotations:export", [])
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # not routed (yet): the same address it would have
        path = f"/annotations/export/articles/{article_pk}/" if article_pk is not None else "/annotations/export/"
    return absolute(base_url, path)


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def export_queryset(queryset: QuerySet) -> QuerySet:
    """Live annotations with what an export reads, in a fixed number of queries.

    The article comes through a prefetch of two columns, not a join: a join would carry the
    article's whole text and HTML along with every one of its annotations.
    """
    return (
        queryset.filter(deleted_at__isnull=True)
        .select_related("author")
        .prefetch_related("tags", Prefetch("article", queryset=Article.objects.only("pk", "canonical_url")))
        .order_by("article_id", "start", "end", "pk")
    )


def motivation(annotation: Annotation, tags: list) -> str | list[str]:
    motivations = (["commenting"] if annotation.note else []) + (["tagging"] if tags else [])
    if not motivations:
        return "highlighting"
    return motivations[0] if len(motivations) == 1 else motivations


def target_of(annotation: Annotation, *, base_url: str) -> str | dict:
    source = reader_url(annotation.article_id, base_url=base_url)
    canonical = annotation.article.canonical_url
    target: dict = {"type": "SpecificResource", "source": source}
    if canonical and is_web_url(canonical):
        target["scope"] = canonical
    if annotation.is_passage:
        selectors: list[dict] = [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            }
        ]
        if annotation.start is not None and annotation.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
        target["selector"] = selectors
    elif "scope" not in target:
        return source  # a note on the whole article: the article itself is the target
    return target


def annotation_to_w3c(annotation: Annotation, *, base_url: str) -> dict:
    tags = list(annotation.tags.all())
    data: dict = {
        "@context": CONTEXT,
        "id": annotation_url(annotation.pk, base_url=base_url),
        "type": "Annotation",
        "motivation": motivation(annotation, tags),
        "created": iso(annotation.created_at),
        "modified": iso(annotation.updated_at),
    }
    if annotation.author is not None:
        data["creator"] = {"type": "Person", "name": annotation.author.get_full_name() or annotation.author.username}
    body = []
    if annotation.note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation.note, "format": "text/markdown"}
        )
    body += [{"type": "TextualBody", "purpose": "tagging", "value": tag.name} for tag in tags]
    if body:
        data["body"] = body
    data["target"] = target_of(annotation, base_url=base_url)
    return data


def collection_shell(*, total: int, id_url: str, label: str) -> dict:
    return {
        "@context": CONTEXT,
        "id": id_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": {"id": f"{id_url}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": []},
    }


def collection(annotations: Iterable[Annotation], *, base_url: str, id_url: str, label: str) -> dict:
    """An AnnotationCollection embedding one AnnotationPage with every annotation."""
    items = [annotation_to_w3c(a, base_url=base_url) for a in annotations]
    data = collection_shell(total=len(items), id_url=id_url, label=label)
    data["first"]["items"] = items
    return data


def collection_chunks(
    annotations: Iterable[Annotation], *, total: int, base_url: str, id_url: str, label: str
) -> Iterator[str]:
    """The same JSON as `collection`, in pieces, for an export too large to build in memory."""
    shell = json.dumps(collection_shell(total=total, id_url=id_url, label=label), ensure_ascii=False)
    # "items" is the last key of the page, and the page the last key of the collection.
    head, marker, tail = shell.rpartition('"items": []')
    assert marker, "the collection shell must end with an empty items list"
    yield head + '"items": ['
    for index, annotation in enumerate(annotations):
        yield ("," if index else "") + json.dumps(annotation_to_w3c(annotation, base_url=base_url), ensure_ascii=False)
    yield "]" + tail


# --- Import ---------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file cannot be read as JSON at all (as opposed to problems with single annotations)."""


@dataclass
class ImportResult:
    created: int = 0
    skipped_duplicates: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self, limit: int = MAX_ERRORS_SHOWN) -> str:
        text = f"{self.created} imported, {self.skipped_duplicates} already there, {len(self.errors)} problems"
        if not self.errors:
            return text + "."
        shown = "; ".join(self.errors[:limit])
        more = f"; and {len(self.errors) - limit} more" if len(self.errors) > limit else ""
        return f"{text}: {shown}{more}."


class ItemError(ValueError):
    pass


def load_json(raw: bytes | str) -> object:
    """Parse an uploaded file; ImportFileError with a plain message if it is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ImportFileError(f"The file is not JSON: {error}") from None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(data: dict) -> set[str]:
    return {t for t in _as_list(data.get("type")) if isinstance(t, str)}


def _page_items(page: dict, errors: list[str]) -> list:
    items = page.get("items")
    if not isinstance(items, list):
        errors.append("The annotation page has no list of “items”.")
        return []
    if isinstance(page.get("next"), str | dict):
        errors.append("Only the first page of the collection was read: further pages are not fetched.")
    return items


def items_of(data: object) -> tuple[list, list[str]]:
    """The annotations of a collection, a page, a single annotation or a plain list; and problems."""
    errors: list[str] = []
    if isinstance(data, list):
        return data, errors
    if not isinstance(data, dict):
        return [], ["The file holds no W3C annotations: expected an object or a list."]
    types = _types(data)
    if "AnnotationCollection" in types or ("first" in data and "target" not in data):
        first = data.get("first")
        if isinstance(first, dict):
            return _page_items(first, errors), errors
        if isinstance(data.get("items"), list):
            return data["items"], errors
        if first is None and data.get("total") in (0, [0]):
            return [], errors
        if isinstance(first, str):
            return [], [
                f"The collection's first page is a link ({first[:200]}), which is not fetched: export it with the page embedded."
            ]
        return [], ["The annotation collection has no embedded first page."]
    if "AnnotationPage" in types or "items" in data:
        return _page_items(data, errors), errors
    if "Annotation" in types or "target" in data:
        return [data], errors
    return [], ["The file holds no W3C annotations: no annotation, page or collection found."]


@dataclass
class Quote:
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None


@dataclass
class Target:
    urls: list[str]
    quote: Quote | None


@dataclass
class Item:
    label: str
    import_id: str
    targets: list[Target]
    note: str
    tag_names: list[str]
    created: datetime
    modified: datetime


def _label(item: dict, index: int) -> str:
    value = item.get("id")
    return value[:200] if isinstance(value, str) and value else f"item {index + 1}"


def _text(value, name: str, default: str = "") -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise ItemError(f"“{name}” is not text")
    return value


def _offset(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _quote(selectors: list) -> Quote | None:
    """The TextQuoteSelector (with the TextPositionSelector as a hint); None if there are no selectors."""
    if not selectors:
        return None
    quote: Quote | None = None
    start = end = None
    kinds = []
    for selector in selectors:
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        kinds.append(str(kind)[:40])
        if kind == "TextQuoteSelector" and quote is None:
            exact = _text(selector.get("exact"), "exact")
            if not exact.strip():
                raise ItemError("its TextQuoteSelector quotes no text")
            if len(exact) > MAX_QUOTE_LENGTH:
                raise ItemError(f"its quote is longer than {MAX_QUOTE_LENGTH:,} characters")
            prefix = _text(selector.get("prefix"), "prefix")[-MAX_CONTEXT_LENGTH:]
            suffix = _text(selector.get("suffix"), "suffix")[:MAX_CONTEXT_LENGTH]
            quote = Quote(exact, prefix, suffix, None, None)
        elif kind == "TextPositionSelector" and start is None:
            start, end = _offset(selector.get("start")), _offset(selector.get("end"))
    if quote is None:
        found = ", ".join(kinds) or "none readable"
        raise ItemError(f"its target has no TextQuoteSelector to find the passage by (selectors: {found})")
    if start is not None and end is not None and end > start:
        quote.start, quote.end = start, end
    return quote


def _targets(value) -> list[Target]:
    targets = []
    for target in _as_list(value):
        if isinstance(target, str) and target:
            targets.append(Target([target], None))
        elif isinstance(target, dict):
            source = target.get("source", target.get("id"))
            if not isinstance(source, str) or not source:
                continue
            scopes = [s for s in _as_list(target.get("scope")) if isinstance(s, str) and s]
            targets.append(Target([source, *scopes], _quote(_as_list(target.get("selector")))))
    if not targets:
        raise ItemError("it has no target with a source URL")
    return targets


def _bodies(item: dict) -> tuple[str, list[str]]:
    """The note (commenting bodies, joined) and the tag names (tagging bodies)."""
    motivations = {m for m in _as_list(item.get("motivation")) if isinstance(m, str)}
    notes: list[str] = []
    tags: list[str] = []
    if "bodyValue" in item:
        notes.append(_text(item["bodyValue"], "bodyValue"))
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or "value" not in body:
            continue  # a linked resource (a URL): nothing we can hold
        value = _text(body["value"], "value").strip()
        purposes = {p for p in _as_list(body.get("purpose")) if isinstance(p, str)}
        if "tagging" in purposes or (not purposes and motivations == {"tagging"}):
            tags.append(value)
        elif value:
            notes.append(value)
    note = "\n\n".join(n.strip() for n in notes if n.strip())
    if len(note) > MAX_NOTE_LENGTH:
        raise ItemError(f"its note has {len(note):,} characters; at most {MAX_NOTE_LENGTH:,} are allowed")
    names = clean_tag_names(tags)
    if len(names) > MAX_TAGS:
        raise ItemError(f"it has {len(names)} tags; at most {MAX_TAGS} are allowed")
    return note, names


def _when(value, default: datetime) -> datetime:
    if not isinstance(value, str):
        return default
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return default
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _import_id(item: dict) -> str:
    """The source annotation's id; for one without (or with an absurd) id, a digest of its content."""
    value = item.get("id")
    if isinstance(value, str) and 0 < len(value) <= MAX_IMPORT_ID_LENGTH:
        return value
    digest = hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()
    return f"urn:sha256:{digest}"


def parse_item(item: object, index: int, now: datetime) -> Item:
    if not isinstance(item, dict):
        raise ItemError(f"item {index + 1}: not an annotation object")
    label = _label(item, index)
    try:
        types = _types(item)
        if types and "Annotation" not in types:
            raise ItemError(f"its type is {', '.join(sorted(types))[:80]}, not Annotation")
        targets = _targets(item.get("target"))
        note, tag_names = _bodies(item)
        if not note and not tag_names and all(t.quote is None for t in targets):
            raise ItemError("it has no passage, note or tags to import")
        created = _when(item.get("created"), now)
        return Item(label, _import_id(item), targets, note, tag_names, created, _when(item.get("modified"), created))
    except ItemError as error:
        raise ItemError(f"{label}: {error}") from None
    except RecursionError:
        raise ItemError(f"{label}: nested too deeply to read") from None


def _own_path(url: str, base_url: str) -> str | None:
    """The path of one of our own URLs (same origin as `base_url`, or a bare path)."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    if base_url and url.startswith(base_url.rstrip("/") + "/"):
        return url[len(base_url.rstrip("/")) :]
    return None


def own_pk(url: str, base_url: str, url_name: str) -> int | None:
    """The pk in one of our own URLs of the named route (e.g. `reader`), else None."""
    path = _own_path(url, base_url)
    if path is None:
        return None
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.view_name != url_name or "pk" not in match.kwargs:
        return None
    return int(match.kwargs["pk"])


class ArticleResolver:
    """Finds the article of *this* workspace a target points at: our own reader URL, or the
    article's canonical URL. Never an article of another workspace."""

    fields = ("pk", "workspace_id", "status", "text", "canonical_url")

    def __init__(self, workspace: Workspace, *, base_url: str = ""):
        self.workspace = workspace
        self.base_url = base_url
        self.by_url: dict[str, Article | None] = {}
        self.by_pk: dict[int, Article] = {}

    def articles(self) -> QuerySet:
        return Article.objects.in_workspace(self.workspace).only(*self.fields)

    def __call__(self, urls: list[str]) -> Article | None:
        for url in urls:
            if url not in self.by_url:
                self.by_url[url] = self.lookup(url)
            if self.by_url[url] is not None:
                return self.by_url[url]
        return None

    def lookup(self, url: str) -> Article | None:
        pk = own_pk(url, self.base_url, "reader")
        if pk is not None:
            if pk not in self.by_pk:
                article = self.articles().filter(pk=pk).first()
                if article is None:
                    return self.by_canonical(url)
                self.by_pk[pk] = article
            return self.by_pk[pk]
        return self.by_canonical(url)

    def by_canonical(self, url: str) -> Article | None:
        if not is_web_url(url):
            return None
        # Several articles may share a canonical URL (a duplicate): the ready one, then the oldest.
        candidates = self.articles().filter(canonical_url=url).order_by("pk")
        article = min(candidates, key=lambda a: a.status != Article.Status.READY, default=None)
        if article is not None:
            article = self.by_pk.setdefault(article.pk, article)
        return article


def placement(article: Article, quote: Quote | None) -> dict:
    """The passage fields of an imported quote re-anchored into the article's current text."""
    if quote is None:
        return {"exact": "", "prefix": "", "suffix": "", "start": None, "end": None, "anchor": Annotation.Anchor.EXACT}
    hint = anchoring.Selector(quote.exact, quote.prefix, quote.suffix, quote.start or 0, quote.end or 0)
    anchor = anchoring.reanchor(hint, article.text)
    if anchor.start is not None and anchor.end is not None:
        try:
            found = anchoring.describe(article.text, anchor.start, anchor.end)
        except ValueError:
            pass
        else:
            return {
                "exact": found.exact,
                "prefix": found.prefix,
                "suffix": found.suffix,
                "start": found.start,
                "end": found.end,
                "anchor": anchor.status.value,
                "anchor_score": anchor.score,
            }
    # Kept with its quote, listed apart in the reader, re-attachable by hand.
    return {
        "exact": quote.exact,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        "start": None,
        "end": None,
        "anchor": Annotation.Anchor.ORPHANED,
        "anchor_score": 0.0,
    }


def chunked(values: list, size: int = 500) -> Iterator[list]:
    """Pieces small enough for an SQL IN list on any database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def import_collection(
    data: object,
    *,
    workspace: Workspace,
    user: User | None,
    article_resolver: Callable[[list[str]], Article | None] | None = None,
    base_url: str = "",
) -> ImportResult:
    """Import W3C annotations into `workspace`; problems are collected, never raised.

    `article_resolver(urls)` maps a target's source (and scope) URLs to an article of the
    workspace; by default `ArticleResolver(workspace, base_url=base_url)`. `base_url` (this
    server) also recognises ids of our own annotations, which are skipped if still there.
    """
    items, errors = items_of(data)
    result = ImportResult(errors=errors)
    if len(items) > MAX_IMPORT_ITEMS:
        result.errors.append(f"Only the first {MAX_IMPORT_ITEMS:,} of {len(items):,} items were read.")
        items = items[:MAX_IMPORT_ITEMS]
    resolve_article = article_resolver or ArticleResolver(workspace, base_url=base_url)
    now = timezone.now()

    parsed: list[Item] = []
    for index, raw in enumerate(items):
        try:
            parsed.append(parse_item(raw, index, now))
        except ItemError as error:
            result.errors.append(str(error))

    # Deleted annotations count as there: a deliberate delete is not undone by importing again.
    in_workspace = Annotation.objects.in_workspace(workspace)
    known_ids = set(in_workspace.exclude(import_id="").values_list("import_id", flat=True))
    own = {i.import_id: own_pk(i.import_id, base_url, "annotations:api_annotation") for i in parsed}
    own_existing: set[int] = set()
    for pks in chunked(sorted({pk for pk in own.values() if pk is not None})):
        own_existing.update(in_workspace.filter(pk__in=pks).values_list("pk", flat=True))

    new: list[tuple[Annotation, list[str]]] = []
    for item in parsed:
        if item.import_id in known_ids or own[item.import_id] in own_existing:
            result.skipped_duplicates += 1
            continue
        found = next(((t, a) for t in item.targets if (a := resolve_article(t.urls)) is not None), None)
        if found is None:
            where = ", ".join(u[:200] for t in item.targets for u in t.urls[:2])
            result.errors.append(f"{item.label}: no article of this workspace at {where}")
            continue
        target, article = found
        fields = placement(article, target.quote)
        annotation = Annotation(
            workspace=workspace,
            article_id=article.pk,
            author=user,
            note=item.note,
            created_at=item.created,
            updated_at=item.modified,
            import_id=item.import_id,
            **fields,
        )
        new.append((annotation, item.tag_names))
        known_ids.add(item.import_id)

    with transaction.atomic():
        created = Annotation.objects.bulk_create([a for a, _ in new], batch_size=500)
        names = clean_tag_names(name for _, tag_names in new for name in tag_names)
        tags = {
            tag.name.lower(): tag
            for part in chunked(names)
            for tag in get_or_create_tags(workspace=workspace, names=part)
        }
        through = Annotation.tags.through
        links = [
            through(annotation_id=annotation.pk, tag_id=tags[name.lower()].pk)
            for annotation, tag_names in zip(created, (t for _, t in new), strict=True)
            for name in tag_names
        ]
        through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    result.created = len(created)
    return result
