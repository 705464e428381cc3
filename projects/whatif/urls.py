"""What-if pages (projects namespace), under /projects/<int:pk>/what-if/: the pk comes from the include."""

from django.urls import path

from projects.whatif import views

urlpatterns = [
    path("", views.what_if, name="what-if"),  # 规则推演
]
