"""Rule-pack pages: a draft's rule forms (add, edit, switch off/on) and its sections' forms.

Included under /rules/ in the `rules` namespace by jurisdictions/editor/urls.py (no app_name here).
"""

from django.urls import path

from jurisdictions.editor import rule_views

urlpatterns = [
    path("drafts/<int:pk>/rules/new/", rule_views.rule_add, name="rule-add"),
    path("drafts/<int:pk>/rules/<str:rule_id>/", rule_views.rule_edit, name="rule-edit"),
    path("drafts/<int:pk>/rules/<str:rule_id>/switch/", rule_views.rule_switch, name="rule-switch"),
    path("drafts/<int:pk>/sections/<slug:section>/", rule_views.section, name="section"),
]
