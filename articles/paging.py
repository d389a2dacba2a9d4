"""Pages of long lists that stay fast deep down, and hit counts that stay honest when capped.

A deep page (`?page=2000`) of `ORDER BY … LIMIT 50 OFFSET 99950` reads every row before it.
`IdPaginator` finds the page's ids first, an index-only walk when the sort has an index ending
with the id (see `Article.Meta.indexes`), from whichever end of the list is nearer, then loads
only the rows of the page (a "deferred join"). Page numbers stay the same, so page links stay
shareable.
"""

from dataclasses import dataclass
from math import ceil

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.template.defaultfilters import pluralize


@dataclass(frozen=True)
class HitCount:
    """How many rows matched: exact, or past `cap` the database's estimate (0 if it has none).
    `ids`: the matching rows' ids, when they were all read to count them. `first_ids`: the first
    of them (all, when exact) in the list's order, when they were read in that order."""

    count: int
    exact: bool = True
    cap: int = 0
    ids: tuple[int, ...] | None = None
    first_ids: tuple[int, ...] | None = None

    @property
    def value(self) -> int:
        """What the pages are counted from: the count, or at least one past the cap."""
        return self.count if self.exact else max(self.count, self.cap + 1)

    def wording(self, noun: str = "result", plural: str = "s") -> str:
        """'3 results', 'about 83,000 results' or 'more than 1,000 results': never a false exact number."""
        if self.exact:
            return f"{self.count:,} {noun}{pluralize(self.count, plural)}"
        if self.count > self.cap:
            return f"about {round_roughly(self.count):,} {noun}{plural}"
        return f"more than {self.cap:,} {noun}{plural}"


def round_roughly(value: int) -> int:
    """Two significant digits (83,412 → 83,000): an estimate shown as precise would mislead."""
    digits = max(len(str(value)) - 2, 0)
    return round(value, -digits)


# Matches (by the estimate) that are read whole and cut into the page here, rather than walked
# down a sort's index; see `IdPaginator.page_ids`.
READ_WHOLE_AT_MOST = 5_000


class IdPaginator(Paginator):
    """Pages of `object_list` (ordered, its order ending with the pk) found by id, then loaded from `rows`.

    `hits` overrides the count: an inexact count pages on until a page comes back short."""

    def __init__(self, object_list: QuerySet, per_page: int, *, rows: QuerySet, hits: HitCount | None = None):
        super().__init__(object_list, per_page)
        self.rows = rows
        self.hits = hits if hits is not None else HitCount(object_list.count())
        self.__dict__["count"] = self.hits.value  # Paginator caches its count there

    def validate_number(self, number) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.hits.exact or int(number) < 1:
                raise
            return int(number)  # past an estimate: the page itself shows whether rows are left

    def page(self, number) -> "IdPage":
        number = self.validate_number(number)
        ids = self.page_ids((number - 1) * self.per_page)
        more = len(ids) > self.per_page
        found = self.rows.in_bulk(ids[: self.per_page])
        return IdPage([found[pk] for pk in ids[: self.per_page] if pk in found], number, self, more=more)

    def page_ids(self, bottom: int) -> list[int]:
        """The ids of the page starting at `bottom`, and the next one's first if there is one.

        Past the middle of an exactly counted list they are read from its end, in the reverse
        order, so the last of 2,000 pages reads 51 index entries rather than 100,000."""
        top = bottom + self.per_page + 1
        first = self.hits.first_ids
        if first is not None and (self.hits.exact or top <= len(first)):
            return list(first[bottom:top])  # read in order when counting
        ids = self.object_list.values_list("pk", flat=True)
        if not self.hits.exact and self.hits.cap < self.hits.count <= READ_WHOLE_AT_MOST:
            # Asked for the first rows of a sort, PostgreSQL walks the sort's index testing each
            # row; when a few thousand matches lie far down it (a month of publication dates,
            # sorted by date added) that is most of the index. Without a limit it finds them by
            # the filter's own index and sorts them: 3 ms instead of 70.
            return list(ids)[bottom:top]
        if not self.hits.exact or bottom <= self.count // 2:
            return list(ids[bottom:top])
        return list(ids.reverse()[max(self.count - top, 0) : self.count - bottom])[::-1]

    @property
    def approximate_pages(self) -> int:
        return ceil(self.hits.value / self.per_page)


class IdPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more
