from django.urls import path

from projects.duplicates import views

# Included under projects/<int:pk>/duplicates/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("decide/", views.decide, name="duplicate-decide"),
]
