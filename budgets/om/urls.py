"""Pages of budgets.om under /projects/<pk>/om/ (names in the `projects` namespace)."""

from django.urls import path

from budgets.om import views

urlpatterns = [
    path("apply/", views.apply, name="om-apply"),
    path("<int:application>/", views.detail, name="om-detail"),
    path("<int:application>/decide/", views.decide, name="om-decide"),
    path("<int:application>/submit/", views.submit, name="om-submit"),
    path("<int:application>/withdraw/", views.withdraw, name="om-withdraw"),
]
