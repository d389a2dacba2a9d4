from django.urls import path

from annotations import api, tag_views, views, w3c_views

app_name = "annotations"
urlpatterns = [
    path("tags/", tag_views.tag_list, name="tags"),
    path("passages/", views.passage_search, name="passages"),
    path("tags/<int:pk>/", tag_views.tag_action, name="tag_action"),
    path("api/articles/<int:article_pk>/annotations/", api.article_annotations, name="api_article_annotations"),
    path("api/annotations/<int:pk>/", api.annotation_detail, name="api_annotation"),
    path("api/annotations/<int:pk>/restore/", api.annotation_restore, name="api_annotation_restore"),
    path("api/tags/", api.tag_suggestions, name="api_tags"),
    path("export/", w3c_views.workspace_annotations_export, name="export"),
    path("export/articles/<int:pk>/", w3c_views.article_annotations_export, name="export_article"),
    path("import/", w3c_views.workspace_annotations_import, name="import"),
]
