from django.urls import path

from annotations import api, views

app_name = "annotations"
urlpatterns = [
    path("tags/", views.tag_list, name="tags"),
    path("api/articles/<int:article_pk>/annotations/", api.article_annotations, name="api_article_annotations"),
    path("api/annotations/<int:pk>/", api.annotation_detail, name="api_annotation"),
    path("api/annotations/<int:pk>/restore/", api.annotation_restore, name="api_annotation_restore"),
    path("api/tags/", api.tag_suggestions, name="api_tags"),
]
