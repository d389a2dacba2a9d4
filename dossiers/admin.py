from django.contrib import admin

from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection


class DossierArticleInline(admin.TabularInline):
    model = DossierArticle
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "created_at", "archived_at"]
    list_filter = ["workspace"]
    search_fields = ["title", "description"]
    inlines = [DossierArticleInline]


@admin.register(DossierArticle)
class DossierArticleAdmin(admin.ModelAdmin):
    list_display = ["article", "dossier", "position", "added_at"]
    raw_id_fields = ["article", "dossier"]


@admin.register(DossierSection)
class DossierSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "dossier", "position"]
    raw_id_fields = ["dossier"]


@admin.register(DossierPassage)
class DossierPassageAdmin(admin.ModelAdmin):
    list_display = ["annotation", "dossier", "section", "position"]
    raw_id_fields = ["dossier", "annotation", "section"]
