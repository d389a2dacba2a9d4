"""The article list's filters and search: URL-shareable, combinable, each backed by an index."""

from html import escape

import django_filters
from django import forms
from django.apps import apps
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_filters.fields import ModelChoiceField, ModelMultipleChoiceField

from articles import search
from articles.models import Article, NearDuplicate

ORDERINGS = {
    "relevance": ("-search_rank", "-pk"),
    "-published": ("-published_on", "-pk"),
    "published": ("published_on", "pk"),
    "-added": ("-created_at", "-pk"),
    "added": ("created_at", "pk"),
    "title": ("title", "pk"),
}
ORDER_CHOICES = [
    ("relevance", "Relevance"),
    ("-published", "Newest published"),
    ("published", "Oldest published"),
    ("-added", "Newest added"),
    ("added", "Oldest added"),
    ("title", "Title A–Z"),
]


def tagged_with(tags) -> Q:
    """The article, or one of its live passages, carries one of `tags` (subqueries: no duplicate rows).

    Tags live in the annotations app, a layer above: reached through the app registry."""
    tag_model = apps.get_model("annotations", "Tag")
    on_article = tag_model.articles.through.objects.filter(article=OuterRef("pk"), tag__in=tags)
    passage_links = apps.get_model("annotations", "Annotation").tags.through
    if connection.vendor == "postgresql":
        # Each link carries its passage's article and liveness (`annotations/migrations/0007`): the
        # articles come from the index of live links alone, no passage row is read.
        links = passage_links._meta.db_table
        on_passage = RawSQL(  # noqa: S611 (the table name is the model's; the ids are parameters)
            f"articles_article.id IN (SELECT article_id FROM {links} WHERE live AND tag_id = ANY(%s))",  # noqa: S608
            [[tag.pk for tag in tags]],
            output_field=BooleanField(),
        )
        return Q(Exists(on_article)) | Q(on_passage)
    on_passage = passage_links.objects.filter(
        annotation__article=OuterRef("pk"), annotation__deleted_at=None, tag__in=tags
    )
    return Q(Exists(on_article)) | Q(Exists(on_passage))


class DateInput(forms.DateInput):
    input_type = "date"


class PlainSelect(forms.Select):
    """A select of flat choices written in Python, not with a widget template per option: a
    workspace's hundreds of dossiers or thousands of tags would cost a render each on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "multiple": self.allow_multiple_selected})
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in chosen else ""}>{escape(str(label))}</option>'
            for key, label in self.keyed_choices()
        )
        # Every value and label is escaped above, as format_html would (one join instead of one call each).
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), mark_safe(options))

    def keyed_choices(self):
        for key, label in self.choices:
            yield ("" if key is None else str(key)), label


class PlainSelectMultiple(PlainSelect, forms.SelectMultiple):
    pass


class ValuesChoices(ModelChoiceIterator):
    """The choices as (pk, label) values read in one query, not a model instance each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class PlainModelChoiceField(ModelChoiceField):
    iterator = ValuesChoices
    widget = PlainSelect

    def __init__(self, *args, label_field: str, **kwargs):
        self.label_field = label_field  # the column shown: the model's `__str__` in one column
        super().__init__(*args, **kwargs)


class PlainModelMultipleChoiceField(PlainModelChoiceField, ModelMultipleChoiceField):
    widget = PlainSelectMultiple


class PlainChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among many rows (dossiers, tags): listed from values, rendered in Python."""

    field_class = PlainModelChoiceField


class PlainMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = PlainModelMultipleChoiceField


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search", max_length=search.MAX_QUERY_LENGTH)
    # Chosen by name (a workspace may have thousands of tags: no select of them all on every page);
    # `tags=<id>` links (from the tags page) still work and are kept as hidden fields.
    tag_names = django_filters.CharFilter(method="filter_tag_names", label="Tags (comma-separated)", max_length=1000)
    tags = django_filters.ModelMultipleChoiceFilter(
        queryset=None, method="filter_tags", label="Tags", widget=forms.MultipleHiddenInput
    )
    tags_mode = django_filters.ChoiceFilter(
        choices=[("any", "Any of these tags"), ("all", "All of these tags")], method="noop", empty_label=None
    )
    dossier = PlainChoiceFilter(queryset=None, method="filter_dossier", label="Dossier", label_field="title")
    site = django_filters.CharFilter(field_name="site_name", lookup_expr="iexact", label="Source")
    author = django_filters.CharFilter(field_name="authors", lookup_expr="icontains", label="Author")
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label="Published from", widget=DateInput
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label="Published until", widget=DateInput
    )
    added_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Added from", widget=DateInput
    )
    added_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Added until", widget=DateInput
    )
    language = django_filters.CharFilter(method="filter_language", label="Language")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices, empty_label="Any state", label="State")
    annotated = django_filters.BooleanFilter(method="filter_annotated", label="Has annotations")
    hide_near_duplicates = django_filters.BooleanFilter(
        method="filter_near_duplicates", label="Hide near-duplicates", widget=forms.CheckboxInput
    )
    order = django_filters.ChoiceFilter(choices=ORDER_CHOICES, method="noop", empty_label=None, label="Sort by")

    class Meta:
        model = Article
        fields: list[str] = []

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.filters["tags"].queryset = workspace.tags.all()
        self.filters["dossier"].queryset = workspace.dossiers.all()

    def noop(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value, workspace_id=self.workspace.pk) if value.strip() else queryset

    def filter_tags(self, queryset, name, tags):
        if not tags:
            return queryset
        if self.form.cleaned_data.get("tags_mode") == "all":
            for tag in tags:
                queryset = queryset.filter(tagged_with([tag]))
            return queryset
        return queryset.filter(tagged_with(tags))

    def filter_tag_names(self, queryset, name, value):
        names = [n.strip().lower() for n in value.split(",") if n.strip()][:20]
        if not names:
            return queryset
        tag_model = apps.get_model("annotations", "Tag")
        tags = list(
            tag_model.objects.filter(workspace=self.workspace).annotate(key=Lower("name")).filter(key__in=names)
        )
        if len(tags) < len(set(names)):
            return queryset.none()  # a tag that does not exist tags nothing
        return self.filter_tags(queryset, name, tags)

    def filter_language(self, queryset, name, value):
        # Cleaning stores the code in lower case: an exact match uses the (workspace, language) index.
        return queryset.filter(language=value.strip().lower()) if value.strip() else queryset

    def filter_dossier(self, queryset, name, dossier):
        return queryset.filter(dossier_items__dossier=dossier) if dossier else queryset

    def filter_annotated(self, queryset, name, value):
        if value is None:
            return queryset
        live = Exists(
            apps.get_model("annotations", "Annotation").objects.filter(article=OuterRef("pk"), deleted_at=None)
        )
        return queryset.filter(live) if value else queryset.exclude(live)

    def filter_near_duplicates(self, queryset, name, value):
        # Keep the first article of each near-duplicate pair: hide the later copy.
        if not value:
            return queryset
        return queryset.exclude(Exists(NearDuplicate.objects.filter(other=OuterRef("pk"))))

    @property
    def searching(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q", "").strip())

    @property
    def ranking(self) -> bool:
        """Whether the results are to be sorted by relevance (the default when searching)."""
        return self.searching and self.ordering() == ORDERINGS["relevance"]

    def ordering(self) -> tuple[str, ...]:
        chosen = self.form.cleaned_data.get("order") if self.form.is_valid() else None
        if chosen == "relevance" and not self.searching:
            chosen = None
        return ORDERINGS[chosen or ("relevance" if self.searching else "-added")]

    @property
    def ordered_qs(self):
        return self.qs.order_by(*self.ordering())
