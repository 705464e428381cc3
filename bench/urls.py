"""The product's routes, with the floor views (bench/floor.py) under /bench/floor/."""

from django.urls import path

from bench import floor
from govproj.urls import handler400, handler403, handler404, handler500
from govproj.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/floor/projects/", floor.project_list, name="bench-floor-list"),
    path("bench/floor/projects/<int:pk>/", floor.project_detail, name="bench-floor-detail"),
    *product_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
