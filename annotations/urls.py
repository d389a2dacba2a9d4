from django.urls import path

from annotations import views

app_name = "annotations"
urlpatterns = [
    path("tags/", views.tag_list, name="tags"),
]
