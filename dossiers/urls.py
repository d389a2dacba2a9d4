from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_create, name="create"),
    path("file/", views.file_articles, name="file_articles"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
]
