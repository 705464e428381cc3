from django.urls import path

from projects.plans import views

# Included under projects/plans/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/add/", views.plan_add, name="plan-add"),
    path("<int:pk>/remove/<int:project_id>/", views.plan_remove, name="plan-remove"),
    path("<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("<int:pk>/emergency/", views.plan_emergency, name="plan-emergency"),
]
