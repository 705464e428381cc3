"""The API's token authentication (knox), in a module of its own: DRF imports authentication
classes while `rest_framework.views` loads, so this module must not import views."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from knox import auth as knox_auth
from rest_framework import exceptions

TOKEN_CHARACTERS = re.compile(rb"[!-~]{1,200}")  # printable ASCII: what a knox token is made of


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's `Authorization: Token <token>`, refusing a malformed token with 401 rather than a 500.

    knox decodes the header as UTF-8 and queries with it: a Latin-1 byte raised
    UnicodeDecodeError, a NUL made PostgreSQL fail.
    """

    def authenticate_credentials(self, token: bytes):
        if not TOKEN_CHARACTERS.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)
