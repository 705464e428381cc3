from django.urls import path

from approvals.reviews import views

# Included under projects/<int:pk>/reviews/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("experts/<int:assignment_id>/withdraw/", views.withdraw, name="review-withdraw"),
    path("experts/<int:assignment_id>/opinion/", views.opinion, name="review-opinion"),
    path("file/<str:kind>/<int:record_id>/", views.download, name="review-file"),
    path("<str:code>/organise/", views.organise, name="review-organise"),
    path("<str:code>/pass/", views.decide_pass, name="review-pass"),
    path("<str:code>/fail/", views.decide_fail, name="review-fail"),
    path("<str:code>/reopen/", views.reopen, name="review-reopen"),
    path("<str:code>/experts/", views.assign, name="review-assign"),
    path("<str:code>/third-party/", views.third_party, name="review-third-party"),
]
