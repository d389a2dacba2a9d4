from django.contrib import admin

from annotations.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "workspace", "created_at"]
    list_filter = ["workspace", "colour"]
    search_fields = ["name"]
    filter_horizontal = ["articles"]
