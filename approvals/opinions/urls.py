from django.urls import path

from approvals.opinions import views

# Included under projects/<int:pk>/opinions/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("request/", views.request_page, name="opinion-request"),
    path("rerequest/", views.rerequest_page, name="opinion-rerequest"),
    path("add/", views.add_page, name="opinion-add"),
    path("<int:request_id>/answer/", views.answer_page, name="opinion-answer"),
    path("<int:request_id>/file/", views.file_page, name="opinion-file"),
]
