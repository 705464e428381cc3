"""Pages of the rule packs under /rules/ (names in the `rules` namespace).

Three modules share the namespace: browsing, drafts and publishing (page_urls), a rule's and a
section's forms (rule_urls), and the impact preview, version diff and comparison (compare_urls).
"""

from django.urls import include, path

app_name = "rules"
urlpatterns = [
    path("", include("jurisdictions.editor.compare_urls")),
    path("", include("jurisdictions.editor.rule_urls")),
    path("", include("jurisdictions.editor.page_urls")),
]
