"""Rule-pack editor API (under /api/v1/, namespace `api`): drafts, their edits, publication, exports."""

from django.urls import path

from jurisdictions.editor import api

DRAFT = "rulepack-drafts/<int:id>/"

urlpatterns = [
    path("jurisdictions/<slug:code>/draft/", api.DraftOpenView.as_view(), name="rulepack-draft-open"),
    path(DRAFT, api.DraftView.as_view(), name="rulepack-draft"),
    path(DRAFT + "rules/", api.DraftRulesView.as_view(), name="rulepack-draft-rules"),
    path(DRAFT + "rules/<str:rule_id>/", api.DraftRuleView.as_view(), name="rulepack-draft-rule"),
    path(
        DRAFT + "rules/<str:rule_id>/switch/",
        api.DraftRuleSwitchView.as_view(),
        name="rulepack-draft-rule-switch",
    ),
    path(DRAFT + "sections/<slug:section>/", api.DraftSectionView.as_view(), name="rulepack-draft-section"),
    path(DRAFT + "yaml/", api.DraftYamlView.as_view(), name="rulepack-draft-yaml"),
    path(DRAFT + "publish/", api.DraftPublishView.as_view(), name="rulepack-draft-publish"),
    path(DRAFT + "discard/", api.DraftDiscardView.as_view(), name="rulepack-draft-discard"),
    path(
        "jurisdictions/<slug:code>/rulepacks/<int:version>/export/",
        api.RulePackExportView.as_view(),
        name="rulepack-export",
    ),
]
