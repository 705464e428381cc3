from django.urls import path

from projects.screening import views

# Included under projects/<int:pk>/screening/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("", views.answer, name="screening-answer"),
    path("review/", views.review, name="screening-review"),
]
