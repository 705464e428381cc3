from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from govproj import views
from jurisdictions import api as jurisdictions_api
from projects import api as projects_api

router = DefaultRouter()
router.register("jurisdictions", jurisdictions_api.JurisdictionViewSet, basename="jurisdiction")
router.register("projects", projects_api.ProjectViewSet, basename="project")

api_v1 = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="token"),
    re_path(
        r"^jurisdictions/(?P<code>[-\w]+)/rulepack/?$",
        jurisdictions_api.RulePackView.as_view(),
        name="rulepack",
    ),
    path(
        "jurisdictions/<slug:code>/rulepacks/",
        jurisdictions_api.RulePackVersionsView.as_view(),
        name="rulepacks",
    ),
    re_path(
        r"^jurisdictions/(?P<code>[-\w]+)/evaluate/?$",
        jurisdictions_api.EvaluateView.as_view(),
        name="evaluate",
    ),
    path(
        "jurisdictions/<slug:code>/working-days/",
        jurisdictions_api.WorkingDaysView.as_view(),
        name="working-days",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("projects/", include("projects.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
