"""What the base layout's navigation needs to know about the signed-in person: their roles."""

from __future__ import annotations

from functools import cached_property

from django.utils.functional import SimpleLazyObject


class Navigation:
    """Evaluated only when a template asks (one query for the person's roles)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def roles(self) -> frozenset[str]:
        from jurisdictions.models import Membership

        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(Membership.objects.filter(user=self.user).values_list("role", flat=True))

    @property
    def reads_security_log(self) -> bool:
        from security.selectors import may_read_security_log

        return may_read_security_log(self.user, roles=self.roles)

    @property
    def manages_people(self) -> bool:
        from jurisdictions.models import Role

        return self.user.is_superuser or Role.JURISDICTION_ADMIN in self.roles


def navigation(request):
    return {"nav": SimpleLazyObject(lambda: Navigation(request.user))}
