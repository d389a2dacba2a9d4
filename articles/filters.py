import django_filters
from django import forms

from articles.models import Article


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_words", label="Words in the title")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices, empty_label="Any state")
    site = django_filters.CharFilter(field_name="site_name", lookup_expr="iexact", label="Site")
    order = django_filters.OrderingFilter(
        fields=(("created_at", "added"), ("published_on", "published"), ("title", "title")),
        field_labels={"created_at": "Date added", "published_on": "Publication date", "title": "Title"},
        empty_label="Newest first",
    )

    class Meta:
        model = Article
        fields = ["q", "status", "site"]

    def filter_words(self, queryset, name, value):
        for word in value.split()[:20]:
            queryset = queryset.filter(title__icontains=word)
        return queryset


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label="Search articles", max_length=500, required=False)
