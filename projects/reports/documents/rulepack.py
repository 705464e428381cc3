"""规则包摘要 (rule_pack_summary): one version of a jurisdiction's rule pack, as people read it.

The measure (title, number, dates), then per rule phase a table of its rules: the title, what the rule
checks in plain Chinese (its message with the pack's own values put in; the threshold, the time limit,
the documents by their Chinese names) and the article it encodes. Rule ids never appear.

A jurisdiction's kind: its subjects are the jurisdiction's pack versions, newest first; on a project
page it offers the project's own pack.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jurisdictions.models import RulePack
from jurisdictions.rules.facts import fact_label
from jurisdictions.rules.schema import (
    ChangeToleranceRule,
    ConditionRule,
    DeadlineRule,
    LatestOf,
    NegativeListRule,
    Offset,
    RatioCapRule,
    RequiredDocumentsRule,
    ThresholdRule,
    TrackRule,
    WindowRule,
)
from projects.detail import RULE_PHASES
from projects.reports.documents.printing import chinese_date
from projects.reports.kinds import ReportKind, Subject, register
from projects.selectors import pack_for_project

UNITS = {"calendar_days": "日", "working_days": "个工作日", "months": "个月", "years": "年"}
OPS = {"gt": "超过", "gte": "达到", "lt": "低于", "lte": "不超过"}
BLANK = "××"  # a value the verdict fills in for a project, as a printed form leaves it
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def number(value) -> str:
    """200, 0.5, 12.5: a Decimal without trailing zeros or an exponent."""
    return format(Decimal(value).normalize(), "f")


def percent(ratio) -> str:
    return number(Decimal(ratio) * 100) + "%"


def offset_text(offset: Offset) -> str:
    amount = abs(offset.amount)
    unit = UNITS[offset.unit]
    return f"{amount}{unit}" if offset.amount >= 0 else f"前{amount}{unit}"


def _years_from(offset: int) -> str:
    """The year of a fixed day counted from the anchor's year: 当年, 次年, 上一年, 后2年 …"""
    return {0: "当年", 1: "次年", -1: "上一年"}.get(
        offset, f"后{offset}年" if offset > 0 else f"前{-offset}年"
    )


def _fact(name: str) -> str:
    return fact_label(name, english=False)


def _anchor_text(anchor) -> str:
    if isinstance(anchor, LatestOf):
        return "、".join(_fact(term.fact) for term in anchor.latest_of) + "中最晚者"
    return _fact(anchor) if anchor else ""


def document_names(rule: RequiredDocumentsRule, spec) -> list[str]:
    """The documents the rule asks for by their Chinese names; those asked for only in some cases marked."""
    return [
        spec.document_name(requirement.code).zh + ("（视情形）" if requirement.when is not None else "")
        for requirement in rule.documents
    ]


def criterion(rule, spec) -> str:
    """What the rule measures against, in plain Chinese: the value, the time limit, the documents."""
    if isinstance(rule, ThresholdRule):
        return f"{_fact(rule.fact)}{OPS[rule.op]}{number(rule.value)}"
    if isinstance(rule, RatioCapRule):
        return f"{_fact(rule.fact)}不超过{_fact(rule.base_fact)}的{percent(rule.max_ratio)}"
    if isinstance(rule, DeadlineRule):
        if rule.fixed is not None and rule.anchor is None:
            since = f"自{_fact(rule.since)}起，" if rule.since else ""
            text = f"{since}每年{rule.fixed.month}月{rule.fixed.day}日前"
        elif rule.fixed is not None:
            year = _years_from(rule.fixed.year_offset)
            text = f"{_anchor_text(rule.anchor)}所在年度的{year}{rule.fixed.month}月{rule.fixed.day}日前"
        elif rule.offset.amount == 0:
            text = f"{_anchor_text(rule.anchor)}前"
        elif rule.offset.amount < 0:
            text = f"{_anchor_text(rule.anchor)}{offset_text(rule.offset)}"
        else:
            text = f"{_anchor_text(rule.anchor)}起{offset_text(rule.offset)}内"
        return text + ("；可申请延期" if rule.extension is not None else "")
    if isinstance(rule, WindowRule):
        return f"{_fact(rule.anchor)}后{offset_text(rule.opens)}至{offset_text(rule.closes)}之间"
    if isinstance(rule, RequiredDocumentsRule):
        return "须提交：" + "、".join(document_names(rule, spec))
    if isinstance(rule, NegativeListRule):
        return "；".join(f"{item.clause}{item.text.zh}" for item in rule.items)
    if isinstance(rule, ChangeToleranceRule):
        parts = [f"调整比例不超过{percent(rule.max_ratio)}"]
        if rule.new_content_max_ratio is not None:
            parts.append(f"新增内容不超过{percent(rule.new_content_max_ratio)}")
        if rule.new_content_max_wan is not None:
            parts.append(f"新增内容不超过{number(rule.new_content_max_wan)}万元")
        if rule.exclude_tender_savings:
            parts.append("招标节余不计入")
        if rule.only_before_procurement:
            parts.append("限采购前")
        return "，".join(parts)
    if isinstance(rule, TrackRule):
        return "路径：" + "、".join(option.name.zh for option in rule.options)
    if isinstance(rule, ConditionRule):
        return ""
    return ""


def _fills(rule, spec) -> dict[str, str]:
    fills: dict[str, str] = {"hits": "所列情形", "track_name_zh": "相应路径"}
    if isinstance(rule, ThresholdRule):
        fills["threshold"] = number(rule.value)
    if isinstance(rule, RatioCapRule | ChangeToleranceRule):
        fills["max_percent"] = number(Decimal(rule.max_ratio) * 100)
    return fills


def said(rule, spec) -> str:
    """The rule's message in Chinese with the pack's values put in; a project's own values left ××.

    A documents rule says which documents it asks for (its message only lists what a project lacks)."""
    if isinstance(rule, RequiredDocumentsRule):
        return criterion(rule, spec)
    fills = _fills(rule, spec)
    return PLACEHOLDER.sub(lambda found: fills.get(found.group(1), BLANK), rule.message.zh)


def rule_rows(spec) -> list[dict]:
    """Per rule phase, in the order a project meets them, its rules as the summary prints them."""
    phases = []
    for code, label in RULE_PHASES:
        rules = [rule for rule in spec.rules if rule.phase.value == code]
        if not rules:
            continue
        phases.append(
            {
                "label": str(label),
                "rules": [
                    {
                        "title": rule.title.zh,
                        "said": said(rule, spec),
                        "criterion": "" if isinstance(rule, RequiredDocumentsRule) else criterion(rule, spec),
                        "article": rule.citation.article,
                        "clause": rule.citation.clause or "",
                    }
                    for rule in rules
                ],
            }
        )
    return phases


def pack_label(pack: RulePack) -> str:
    return f"第{pack.version}版（施行日期 {chinese_date(pack.effective_from)}）"


def _subject(pack: RulePack) -> Subject:
    return Subject(f"pack:{pack.pk}", pack_label(pack), rule_pack=pack)


def subjects(user, jurisdiction) -> list[Subject]:
    return [
        _subject(pack) for pack in RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version")
    ]


def project_subjects(user, project) -> list[Subject]:
    return [_subject(pack_for_project(project))]


def context(report, progress) -> dict:
    pack = report.rule_pack
    spec = pack.spec
    progress(30, str(_("Reading the rules")))
    return {
        "pack": pack,
        "measure": spec.measure,
        "phases": rule_rows(spec),
        "rule_count": len(spec.rules),
    }


register(
    ReportKind(
        code="rule_pack_summary",
        label=_("Rule pack summary"),
        scope="jurisdiction",
        subjects=subjects,
        project_subjects=project_subjects,
        unavailable=_("No rule pack has been published yet."),
        template="reports/pdf/rule_pack_summary.html",
        context=context,
        order=90,
    )
)
