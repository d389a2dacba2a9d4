from django.urls import path

from annotations import api, saved_search_views, tag_views, views, w3c_views

app_name = "annotations"
urlpatterns = [
    path("tags/", tag_views.tag_list, name="tags"),
    path("passages/", views.passage_search, name="passages"),
    path("saved/", saved_search_views.saved_search_list, name="saved_searches"),
    path("saved/new/", saved_search_views.saved_search_create, name="saved_search_create"),
    path("saved/<int:pk>/", saved_search_views.saved_search_open, name="saved_search_open"),
    path("saved/<int:pk>/delete/", saved_search_views.saved_search_delete, name="saved_search_delete"),
    path("tags/<int:pk>/", tag_views.tag_action, name="tag_action"),
    path("api/articles/<int:article_pk>/annotations/", api.article_annotations, name="api_article_annotations"),
    path("api/annotations/<int:pk>/", api.annotation_detail, name="api_annotation"),
    path("api/annotations/<int:pk>/restore/", api.annotation_restore, name="api_annotation_restore"),
    path("api/tags/", api.tag_suggestions, name="api_tags"),
    path("export/", w3c_views.workspace_annotations_export, name="export"),
    path("export/articles/<int:pk>/", w3c_views.article_annotations_export, name="export_article"),
    path("import/", w3c_views.workspace_annotations_import, name="import"),
]
