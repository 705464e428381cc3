"""Page mixins: the same `for_user` scoping the API applies, so another tenant's object is a 404."""

from django.contrib.auth.mixins import LoginRequiredMixin

from govproj.errors import ApplicationError


class TenantScopedPageMixin(LoginRequiredMixin):
    scoped_action = "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scoped_action)


def form_errors(form, error: ApplicationError) -> None:
    """A service's refusal on the form: each named field's problems on it, else the message."""
    fields = error.extra.get("errors") or {}
    for name, problems in fields.items():
        form.add_error(name if name in form.fields else None, problems)
    if not fields:
        form.add_error(None, error.message)
