"""Admin: unlocking sign-in lockouts (django-axes's attempts) and reading the security log.

Unlocking goes through `security.signin.signin_unlock`, which clears every failure counted
against the usernames and addresses selected and records UNLOCK; deleting attempts in the
admin takes the same path, so no lockout is lifted without a record.
"""

import axes.admin  # registers AccessAttempt first, so it can be replaced below
import knox.admin  # noqa: F401  (registers AuthToken first, so it can be removed below)
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox.models import AuthToken

from govproj.admin import ReadOnlyAdmin
from security.models import SecurityEvent
from security.signin import signin_unlock

admin.site.unregister(AccessAttempt)
# knox's token admin creates and deletes tokens past the security log; tokens are listed and
# revoked on the API 令牌 page and through /api/v1/auth/tokens/ instead (security.tokens).
admin.site.unregister(AuthToken)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes.admin.AccessAttemptAdmin):
    actions = ["unlock", "cleanup_expired_attempts"]

    @admin.action(
        description=gettext_lazy("Unlock the selected accounts and IP addresses"), permissions=["delete"]
    )
    def unlock(self, request, queryset):
        count = signin_unlock(actor=request.user, attempts=queryset, request=request)
        self.message_user(
            request, _("Unlocked: %(count)s failed-attempt records cleared.") % {"count": count}
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # `unlock` does it, with a record
        return actions

    def delete_model(self, request, obj):
        signin_unlock(actor=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk), request=request)

    def delete_queryset(self, request, queryset):
        signin_unlock(actor=request.user, attempts=queryset, request=request)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Read-only; jurisdiction admins and auditors see their jurisdictions' events (`for_user`)."""

    list_display = [
        "at",
        "kind",
        "outcome",
        "username",
        "actor",
        "subject_user",
        "ip",
        "jurisdiction",
        "target",
    ]
    list_filter = ["kind", "outcome", ("jurisdiction", RelatedOnlyFieldListFilter)]
    search_fields = ["username", "ip", "target", "reason"]
    date_hierarchy = "at"
    list_select_related = ["actor", "subject_user", "jurisdiction"]
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]

    def get_queryset(self, request):
        return SecurityEvent.objects.for_user(request.user).select_related(
            "actor", "subject_user", "jurisdiction"
        )
