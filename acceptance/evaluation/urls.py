"""Pages of acceptance.evaluation under /projects/<pk>/evaluation/ (names in the `projects` namespace)."""

from django.urls import path

from acceptance.evaluation import views

urlpatterns = [
    path("self/", views.self_evaluation, name="evaluation-self"),
    path("post/organise/", views.post_organise, name="evaluation-post-organise"),
    path("post/experts/", views.post_assign, name="evaluation-post-assign"),
    path("post/experts/<int:assignment_id>/opinion/", views.post_opinion, name="evaluation-post-opinion"),
    path("post/third-party/", views.post_third_party, name="evaluation-post-third-party"),
    path("post/conclude/", views.post_conclude, name="evaluation-post-conclude"),
    path("file/<str:kind>/<int:record_id>/", views.download, name="evaluation-file"),
]
