from django.urls import path

from dossiers import export_views, views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_create, name="create"),
    path("file/", views.file_articles, name="file_articles"),
    path("pin/", views.pin_passage, name="pin"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/edit/", views.dossier_edit, name="edit"),
    path("<int:pk>/export/<str:fmt>/", export_views.dossier_export, name="export"),
    path("<int:pk>/archive/", views.dossier_archive, name="archive"),
    path("<int:pk>/passages/", views.group_passages, name="passages"),
    path("<int:pk>/tags/", views.dossier_tags_hx, name="tags"),
    path("<int:pk>/sections/", views.section_create, name="section_create"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_action, name="section_action"),
    path("<int:pk>/stories/<int:item_pk>/", views.story_action, name="story_action"),
    path("<int:pk>/passages/<int:pin_pk>/", views.passage_action, name="passage_action"),
]
