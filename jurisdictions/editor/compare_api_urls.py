"""Rule-pack API: a draft's impact, the diff of two versions, the measures compared (names in `api`)."""

from django.urls import path

from jurisdictions.editor import compare_api

urlpatterns = [
    path(
        "rulepack-drafts/<int:id>/impact/",
        compare_api.DraftImpactView.as_view(),
        name="rulepack-draft-impact",
    ),
    path(
        "jurisdictions/<slug:code>/rulepacks/diff/",
        compare_api.RulePackDiffView.as_view(),
        name="rulepack-diff",
    ),
    path("rulepacks/compare/", compare_api.RulePackCompareView.as_view(), name="rulepack-compare"),
]
