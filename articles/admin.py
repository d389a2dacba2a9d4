from django.contrib import admin

from articles.models import Article, FingerprintBand, NearDuplicate, Original, Source, SourceParagraph


class OriginalInline(admin.TabularInline):
    model = Original
    extra = 0
    fields = ["filename", "content_type", "size", "sha256", "final_url", "http_status", "received_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["display_title", "workspace", "status", "site_name", "published_on", "created_at"]
    list_filter = ["status", "kind", "workspace", "language"]
    search_fields = ["title", "label", "site_name", "canonical_url"]
    raw_id_fields = ["duplicate_of", "source", "added_by"]
    readonly_fields = ["text_hash", "fingerprint", "status_changed_at", "cleaned_at"]
    inlines = [OriginalInline]


@admin.register(Original)
class OriginalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "content_type", "size", "received_at"]
    search_fields = ["filename", "url", "final_url", "sha256"]
    raw_id_fields = ["article"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["domain", "name", "workspace"]
    search_fields = ["domain", "name"]
    list_filter = ["workspace"]


@admin.register(SourceParagraph)
class SourceParagraphAdmin(admin.ModelAdmin):
    list_display = ["example", "source", "article_count"]
    list_filter = ["source__workspace"]
    search_fields = ["example", "source__domain"]


@admin.register(NearDuplicate)
class NearDuplicateAdmin(admin.ModelAdmin):
    list_display = ["article", "other", "score"]
    raw_id_fields = ["article", "other"]


@admin.register(FingerprintBand)
class FingerprintBandAdmin(admin.ModelAdmin):
    list_display = ["article", "band"]
    raw_id_fields = ["article"]
