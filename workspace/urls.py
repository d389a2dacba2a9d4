from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations import views as annotation_views
from workspace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("workspace/switch/", views.switch_workspace, name="switch_workspace"),
    path("workspace/members/", views.member_list, name="members"),
    path("workspace/data/", views.data_page, name="data"),
    path("workspace/settings/", views.workspace_settings, name="workspace_settings"),
    path("workspace/members/<int:pk>/", views.member_update, name="member_update"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # The project's URL map is the one place that sees every app: the reader of an article
    # lives in the annotations app (it shows passages) but under the article's own path.
    path("articles/<int:pk>/", annotation_views.article_reader, name="reader"),
    path("articles/", include("articles.urls")),
    path("annotations/", include("annotations.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("admin/", admin.site.urls),
]
