"""What the base layout's navigation needs to know about the signed-in person: their roles."""

from __future__ import annotations

from functools import cached_property

from django.utils.functional import SimpleLazyObject


class Navigation:
    """Evaluated only when a template asks (the person's memberships, read once per request)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def roles(self) -> frozenset[str]:
        from jurisdictions.models import memberships_of

        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(m.role for m in memberships_of(self.user))

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
