"""Page mixins: the same `for_user` scoping the API applies, so another tenant's object is a 404."""

from django.contrib.auth.mixins import LoginRequiredMixin


class TenantScopedPageMixin(LoginRequiredMixin):
    scoped_action = "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scoped_action)
