"""Filters of the passage search: URL-shareable, combinable with words in the quote or note."""

import django_filters
from django.apps import apps

from annotations.models import Annotation
from annotations.search import search_passages
from articles.filters import DateInput, PlainChoiceFilter, PlainMultipleChoiceFilter, PlainSelectMultiple

NEWEST_FIRST = ("-created_at", "-pk")


class PassageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Words in the quote or note", max_length=500)
    tags = PlainMultipleChoiceFilter(
        queryset=None,
        field_name="tags",
        label="Tags",
        label_field="name",
        widget=PlainSelectMultiple(attrs={"size": 4}),
        distinct=True,
    )
    dossier = PlainChoiceFilter(queryset=None, field_name="dossier_pins__dossier", label="Dossier", label_field="title")
    article = django_filters.NumberFilter(field_name="article_id", label="Article number")
    author = django_filters.ModelChoiceFilter(queryset=None, field_name="author", label="Annotated by")
    after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From", widget=DateInput)
    before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Until", widget=DateInput
    )
    order = django_filters.ChoiceFilter(
        choices=[("relevance", "Relevance"), ("-created", "Newest first"), ("created", "Oldest first")],
        method="noop",
        empty_label=None,
        label="Sort by",
    )

    class Meta:
        model = Annotation
        fields: list[str] = []

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.filters["tags"].queryset = workspace.tags.all()
        # Dossiers are a layer above: reached through the app registry, not imported.
        self.filters["dossier"].queryset = apps.get_model("dossiers", "Dossier").objects.in_workspace(workspace)
        self.filters["author"].queryset = apps.get_model("workspace", "User").objects.filter(
            memberships__workspace=workspace
        )

    def noop(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return search_passages(queryset, value, workspace=self.workspace) if value.strip() else queryset

    @property
    def searching(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q", "").strip())

    @property
    def ranking(self) -> bool:
        """Whether the passages are to be sorted by relevance (chosen, and searching)."""
        return self.searching and self.form.cleaned_data.get("order") == "relevance"

    def ordering(self) -> tuple[str, ...]:
        chosen = self.form.cleaned_data.get("order") if self.form.is_valid() else None
        if self.ranking:
            return ("-search_rank", "-pk")
        return ("created_at", "pk") if chosen == "created" else NEWEST_FIRST
