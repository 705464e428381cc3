"""API tokens (django-rest-knox): issue, list, revoke; the token, logout and token-list endpoints; the page.

knox stores only a hash of each token, gives each an expiry (REST_KNOX["TOKEN_TTL"]) and
revokes a token by deleting its row. A token is shown by a short prefix of its `token_key`
(the first characters of the token, knox's public lookup key), never by its secret part.

Who sees a token: its owner; a jurisdiction admin, the tokens of the people whose memberships
are in the jurisdictions they administer (not a platform superuser's); a superuser, all.
Anyone else gets 404, as for a token that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from govproj.api import valid
from govproj.errors import NotFound
from jurisdictions.models import Jurisdiction
from security.authentication import TokenAuthentication
from security.models import Kind, Outcome
from security.services import security_event_record
from security.signin import AccountLocked

PREFIX_LENGTH = 8


# ── selectors and services ────────────────────────────────────────────────────────────────


def tokens_visible_to(user) -> QuerySet[AuthToken]:
    """Live tokens the user may list and revoke (see the module docstring)."""
    if not user.is_authenticated:
        return AuthToken.objects.none()
    live = AuthToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())).select_related(
        "user"
    )
    if user.is_superuser:
        return live.order_by("-created")
    administered = Jurisdiction.objects.for_user(user, "change").values("pk")
    theirs = Q(user__memberships__jurisdiction__in=administered, user__is_superuser=False)
    ids = live.filter(Q(user=user) | theirs).values("digest")
    return live.filter(digest__in=ids).order_by("-created")


def token_issue(*, user, request=None) -> tuple[AuthToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    instance, token = AuthToken.objects.create(user=user)
    security_event_record(
        kind=Kind.TOKEN_ISSUED,
        request=request,
        actor=user,
        subject_user=user,
        target=_token_label(instance),
        data={"prefix": instance.token_key[:PREFIX_LENGTH], "expiry": _iso(instance.expiry)},
    )
    return instance, token


def token_revoke(*, actor, token: AuthToken, request=None, reason: str = "") -> None:
    owner, label = token.user, _token_label(token)
    data = {"prefix": token.token_key[:PREFIX_LENGTH], "expiry": _iso(token.expiry)}
    token.delete()
    security_event_record(
        kind=Kind.TOKEN_REVOKED,
        request=request,
        actor=actor,
        subject_user=owner,
        target=label,
        reason=reason,
        data=data,
    )


def tokens_revoke_all(*, actor, user, request=None, reason: str = "") -> int:
    """Revoke every token of `user` (signing out of the pages ends API access too)."""
    tokens = list(AuthToken.objects.filter(user=user).select_related("user"))
    for token in tokens:
        token_revoke(actor=actor, token=token, request=request, reason=reason)
    return len(tokens)


def _token_label(token: AuthToken) -> str:
    return f"token {token.token_key[:PREFIX_LENGTH]}…"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


# ── API ────────────────────────────────────────────────────────────────────────────────────


class GovprojKnoxTokenScheme(KnoxTokenScheme):
    """OpenAPI security scheme of our knox subclass (drf-spectacular matches exact classes)."""

    target_class = TokenAuthentication


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked(request, {"username": attrs["username"]})
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy("Send as `Authorization: Token <token>`; shown once.")
    )
    expiry = serializers.DateTimeField(allow_null=True)


# The shared error body (govproj.api.document_error_responses documents it for every operation).
ERROR = {"$ref": "#/components/schemas/Error"}


class TokenObtainView(knox_views.LoginView):
    """Exchange a username and password for a token. Counts towards the sign-in lockout."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenObtainSerializer,
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(ERROR, description="Wrong username or password, or one is missing."),
            429: OpenApiResponse(
                ERROR,
                description="Locked out (`locked_out`) or throttled (`throttled`); Retry-After says when.",
            ),
        },
        auth=[],
    )
    def post(self, request, format=None):
        user = valid(TokenObtainSerializer(data=request.data, context={"request": request}))["user"]
        request.user = user
        # As knox does: last_login, and the LOGIN_SUCCESS event (security.signals).
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        instance, token = token_issue(user=user, request=request)
        return self.get_post_response(request, token, instance)


class LogoutSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Revoke every token of yours, not only the one in use.")
    )


class LogoutView(APIView):
    """Sign out: revoke the token in use (or all yours); a session caller is signed out as by the page."""

    @extend_schema(
        operation_id="auth_logout",
        request=LogoutSerializer,
        responses={204: OpenApiResponse(description="Signed out.")},
    )
    def post(self, request):
        everything = valid(LogoutSerializer(data=request.data))["all"]
        user = request.user
        if not isinstance(request.auth, AuthToken):
            logout(request)  # security.signals revokes the tokens and records LOGOUT
            return Response(status=status.HTTP_204_NO_CONTENT)
        if everything:
            tokens_revoke_all(actor=user, user=user, request=request, reason=_("Signed out"))
        else:
            token_revoke(actor=user, token=request.auth, request=request, reason=_("Signed out"))
        security_event_record(
            kind=Kind.LOGOUT, outcome=Outcome.SUCCESS, request=request, actor=user, subject_user=user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class TokenSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="token_key", help_text=gettext_lazy("Identifies the token to revoke."))
    prefix = serializers.SerializerMethodField()
    user = PersonSerializer()
    current = serializers.SerializerMethodField(help_text=gettext_lazy("The token this request came with."))

    class Meta:
        model = AuthToken
        fields = ["key", "prefix", "user", "created", "expiry", "current"]

    def get_prefix(self, token) -> str:
        return token.token_key[:PREFIX_LENGTH]

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class TokenListView(generics.ListAPIView):
    """Your live tokens; a jurisdiction admin also sees those of their jurisdictions' people."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return tokens_visible_to(self.request.user)


class TokenDetailView(APIView):
    @extend_schema(
        operation_id="auth_tokens_destroy",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request, key: str):
        """Revoke a token you may see (404 otherwise, as for one that does not exist)."""
        tokens = list(tokens_visible_to(request.user).filter(token_key=key))
        if not tokens:
            raise NotFound()
        for token in tokens:
            token_revoke(
                actor=request.user, token=token, request=request, reason=_("Revoked through the API")
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


# ── pages ──────────────────────────────────────────────────────────────────────────────────


class TokenPageView(ListView):
    template_name = "security/tokens.html"
    context_object_name = "tokens"

    def get_queryset(self):
        return tokens_visible_to(self.request.user)


token_page = login_required(TokenPageView.as_view())


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_page(request, key: str):
    """GET asks for confirmation (revoking cannot be undone); POST revokes."""
    tokens = list(tokens_visible_to(request.user).filter(token_key=key).select_related("user"))
    if not tokens:
        raise Http404
    if request.method == "GET":
        return render(request, "security/token_revoke.html", {"token": tokens[0]})
    for token in tokens:
        token_revoke(
            actor=request.user, token=token, request=request, reason=_("Revoked on the API tokens page")
        )
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": key[:PREFIX_LENGTH]})
    return redirect("security:tokens")
