"""Measure succession (issue 13 §5): a measure whose term runs out, and the pack that follows it.

包头's measure runs to 2026-11-30; 莱州's and 鄂尔多斯's have expired. For a jurisdiction and a day:
the version in force that day, whether its measure has lapsed or lapses soon (`measure_status`),
and whether a successor version exists — one applying from after the measure's last day. Admins
see it on their home page; a declaration while the measure has lapsed and nothing follows it is
warned, naming the measure.

A successor is told by the stored columns only (`effective_from`, `effective_to`), never by
reading a version's content: the home page asks for every jurisdiction an admin administers.
A version published on the lapsed measure itself (an edit applying after the measure ended)
still ends on that measure's day, so it is no successor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.i18n import in_language
from jurisdictions.models import DraftStatus, Jurisdiction, RulePack, RulePackDraft, in_force
from jurisdictions.rules import measure_status
from jurisdictions.selectors import rule_pack

# The states of `measure_status` this module speaks of.
LAPSED, LAPSING = "expired", "expiring"


@dataclass(frozen=True)
class Succession:
    """The measure in force on `day` has lapsed (or lapses within the warning window)."""

    jurisdiction: Jurisdiction
    day: dt.date
    pack: RulePack  # the version in force on `day`
    state: str  # LAPSED or LAPSING
    ends: dt.date  # the measure's last day
    days_left: int  # negative once lapsed
    successor: RulePack | None  # the first version applying after `ends`
    draft: RulePackDraft | None = None  # the jurisdiction's open draft (set by `successions`)

    @property
    def lapsed(self) -> bool:
        return self.state == LAPSED

    @property
    def measure(self):
        return self.pack.spec.measure

    def measure_name(self) -> str:
        """《title》 with its document number when it has one: 《…》（包府办发〔2024〕106号）."""
        title = _("“%(title)s”") % {"title": in_language(self.measure.title)}
        if self.measure.document_number:
            return _("%(title)s (%(number)s)") % {"title": title, "number": self.measure.document_number}
        return title

    def message(self) -> str:
        """What the admin reads: which measure, when it lapses or lapsed, and what follows it."""
        if self.lapsed:
            said = _("%(measure)s lapsed on %(day)s") % {"measure": self.measure_name(), "day": self.ends}
        else:
            said = _("%(measure)s lapses on %(day)s (%(days)s days left)") % {
                "measure": self.measure_name(),
                "day": self.ends,
                "days": self.days_left,
            }
        if self.successor is None:
            return _("%(said)s; there is no successor rule pack yet.") % {"said": said}
        return _("%(said)s; the successor rule pack (version %(version)s) applies from %(day)s.") % {
            "said": said,
            "version": self.successor.version,
            "day": self.successor.effective_from,
        }


def _successor_filter(ends: dt.date, after_version: int) -> Q:
    return Q(version__gt=after_version, effective_from__gt=ends) & (
        Q(effective_to__isnull=True) | Q(effective_to__gt=ends)
    )


def is_successor(pack: RulePack, *, ends: dt.date, after_version: int) -> bool:
    """Whether `pack` applies after a measure that ended on `ends` (and is not that measure's own edit)."""
    return (
        pack.version > after_version
        and pack.effective_from > ends
        and (pack.effective_to is None or pack.effective_to > ends)
    )


def _judged(jurisdiction: Jurisdiction, pack: RulePack, day: dt.date, versions) -> Succession | None:
    status = measure_status(pack.spec, day)
    if status["state"] not in (LAPSED, LAPSING):
        return None
    ends = pack.spec.measure.effective_to
    if versions is None:
        successor = (
            RulePack.objects.filter(jurisdiction=jurisdiction)
            .filter(_successor_filter(ends, pack.version))
            .defer("content")
            .order_by("version")
            .first()
        )
    else:
        successor = min(
            (v for v in versions if is_successor(v, ends=ends, after_version=pack.version)),
            key=lambda v: v.version,
            default=None,
        )
    return Succession(
        jurisdiction=jurisdiction,
        day=day,
        pack=pack,
        state=status["state"],
        ends=ends,
        days_left=status["days_left"],
        successor=successor,
    )


def succession(jurisdiction: Jurisdiction, day: dt.date | None = None) -> Succession | None:
    """Whether the measure in force on `day` (default today) has lapsed or lapses soon; None if neither.

    One query (the successor) only when it has lapsed or lapses soon; the version in force is
    remembered per process (jurisdictions.selectors.rule_pack).
    """
    day = day or timezone.localdate()
    return _judged(jurisdiction, rule_pack(jurisdiction, as_of=day), day, None)


def successions(jurisdictions: Iterable[Jurisdiction], day: dt.date | None = None) -> list[Succession]:
    """`succession` of each jurisdiction that has one, with its open draft: two queries for any number."""
    day = day or timezone.localdate()
    jurisdictions = list(jurisdictions)
    if not jurisdictions:
        return []
    by_jurisdiction: dict[int, list[RulePack]] = {}
    for version in RulePack.objects.filter(jurisdiction__in=[j.pk for j in jurisdictions]).defer("content"):
        by_jurisdiction.setdefault(version.jurisdiction_id, []).append(version)
    found = []
    for jurisdiction in jurisdictions:
        versions = by_jurisdiction.get(jurisdiction.pk, [])
        pack = in_force(versions, day)
        if pack is None:
            continue
        judged = _judged(jurisdiction, pack, day, versions)
        if judged is not None:
            found.append(judged)
    if not found:
        return []
    drafts = {
        draft.jurisdiction_id: draft
        for draft in RulePackDraft.objects.filter(
            jurisdiction__in=[s.jurisdiction.pk for s in found], status=DraftStatus.OPEN
        ).defer("content")
    }
    return [
        replace(s, draft=drafts.get(s.jurisdiction.pk))
        for s in sorted(found, key=lambda s: (s.ends, s.jurisdiction.code))
    ]


def declaration_warning(jurisdiction: Jurisdiction, day: dt.date | None = None) -> str | None:
    """The warning a declaration gets while the measure has lapsed and no successor exists, else None.

    「《…》已于 YYYY-MM-DD 失效，尚无后续规则包；申报仍按最后有效版本（第 N 版）执行」: the version the
    declaration would pin is the one in force (the last before the measure lapsed).
    """
    found = succession(jurisdiction, day)
    if found is None or not found.lapsed or found.successor is not None:
        return None
    return _(
        "%(measure)s lapsed on %(day)s and there is no successor rule pack yet; "
        "the declaration follows the last version in force (version %(version)s)."
    ) % {
        "measure": _("“%(title)s”") % {"title": in_language(found.measure.title)},
        "day": found.ends,
        "version": found.pack.version,
    }
