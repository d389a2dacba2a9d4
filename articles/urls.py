from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("add/", views.article_add, name="add"),
    path("rows/", views.article_rows_hx, name="rows_hx"),
    path("export.jsonl", views.article_export, name="export"),
    path("search/", views.article_search, name="search"),
    path("<int:pk>/original/", views.original_download, name="original"),
    path("<int:pk>/reprocess/", views.article_reprocess, name="reprocess"),
    path("<int:pk>/restore-line/", views.article_restore_line, name="restore_line"),
]
