"""Pages of the security app, included at the site root (paths are spelled out in full)."""

from django.urls import path, re_path

from security import tokens

app_name = "security"
urlpatterns = [
    # API tokens (issue 6, section 1): the owner's and a jurisdiction admin's list, and revoking.
    path("accounts/tokens/", tokens.token_page, name="tokens"),
    re_path(
        r"^accounts/tokens/(?P<key>[0-9A-Za-z]{1,25})/revoke/$", tokens.token_revoke_page, name="token-revoke"
    ),
]
