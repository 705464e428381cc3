"""Reading drafts and versions for the editor: who may see and edit which jurisdiction's packs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from govproj.errors import NotFound, NotPermitted
from jurisdictions.models import DraftStatus, Jurisdiction, RulePack, RulePackDraft


def administered(user):
    """The jurisdictions whose packs the user may edit (jurisdiction admins; the platform superuser)."""
    return Jurisdiction.objects.for_user(user, "change")


def editable_jurisdiction(user, code: str) -> Jurisdiction:
    """`code` if the user administers it: a member without the role gets 403, anyone else 404."""
    found = Jurisdiction.objects.for_user(user).filter(code=code).first()
    if found is None:
        raise NotFound(_("No jurisdiction “%(code)s” (or you are not a member of it).") % {"code": code})
    if not administered(user).filter(pk=found.pk).exists():
        raise NotPermitted(_("Only this jurisdiction's administrators may edit its rule pack."))
    return found


def open_draft(jurisdiction: Jurisdiction) -> RulePackDraft | None:
    return (
        RulePackDraft.objects.filter(jurisdiction=jurisdiction, status=DraftStatus.OPEN)
        .select_related("based_on", "created_by", "updated_by")
        .first()
    )


def draft_for(user, pk: int, *, edit: bool = True) -> RulePackDraft:
    """A draft of a jurisdiction the user administers (`edit`) or belongs to; else 404 / 403."""
    draft = (
        RulePackDraft.objects.for_user(user)
        .select_related("jurisdiction", "based_on", "created_by", "updated_by", "published_as")
        .filter(pk=pk)
        .first()
    )
    if draft is None:
        raise NotFound(_("No such rule pack draft."))
    if edit and not administered(user).filter(pk=draft.jurisdiction_id).exists():
        raise NotPermitted(_("Only this jurisdiction's administrators may edit its rule pack."))
    return draft


def versions(jurisdiction: Jurisdiction):
    """Every version of the jurisdiction's pack, newest first (content deferred: the list shows no rules)."""
    return (
        RulePack.objects.filter(jurisdiction=jurisdiction)
        .defer("content")
        .select_related("created_by")
        .order_by("-version")
    )


def version_of(jurisdiction: Jurisdiction, version: int) -> RulePack:
    found = RulePack.objects.filter(jurisdiction=jurisdiction, version=version).first()
    if found is None:
        raise NotFound(
            _("No version %(version)s of %(code)s's rule pack.")
            % {"version": version, "code": jurisdiction.code}
        )
    return found
