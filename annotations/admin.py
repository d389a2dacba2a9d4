from django.contrib import admin

from annotations.models import Annotation, SavedSearch, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "workspace", "created_at"]
    list_filter = ["workspace", "colour"]
    search_fields = ["name"]
    filter_horizontal = ["articles"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "author", "anchor", "created_at", "deleted_at"]
    list_filter = ["anchor", "workspace"]
    search_fields = ["exact", "note"]
    raw_id_fields = ["article", "author"]
    filter_horizontal = ["tags"]
    readonly_fields = ["version", "import_id"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "workspace", "kind", "last_seen_at"]
    list_filter = ["kind", "workspace"]
