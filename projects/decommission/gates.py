"""What the master `decommission` transition waits for: a projects.gates provider.

The stop plan, at least one data kind's disposal, the asset disposal and both filings
(莱州 第三十八条: 停用方案, 数据和资产的评估, 备份、迁移或销毁, 向市大数据局、市财政局备案,
资产报废处置). Where the pack has its own
decommissioning rule (莱州's required documents), its article is the one cited; the documents
themselves are that rule's business.
"""

from __future__ import annotations

from projects.decommission.models import DataDisposal, Decommission
from projects.decommission.services import missing_steps
from projects.gates import Gate, gate_provider

STEPS = {
    "plan": (
        {"zh": "停用方案", "en": "Stop plan"},
        {"zh": "须先制定停用方案", "en": "Make the stop plan first"},
    ),
    "data_disposal": (
        {"zh": "数据处置记录", "en": "Data disposal record"},
        {
            "zh": "须记录数据的备份、迁移或销毁（由谁、何时、如何核验）",
            "en": "Record the backup, migration or destruction of the data (who, when, how verified)",
        },
    ),
    "asset_disposal": (
        {"zh": "资产处置记录", "en": "Asset disposal record"},
        {"zh": "须记录信息化资产的报废处置", "en": "Record how the IT assets were disposed of"},
    ),
    "data_bureau_filing": (
        {"zh": "向数据主管部门备案", "en": "Filing with the data bureau"},
        {
            "zh": "须向数据主管部门备案并取得回执",
            "en": "File with the data bureau and record its acknowledgement",
        },
    ),
    "finance_filing": (
        {"zh": "向财政部门备案", "en": "Filing with the finance bureau"},
        {
            "zh": "须向财政部门备案并取得回执",
            "en": "File with the finance bureau and record its acknowledgement",
        },
    ),
}


def _citation(spec) -> dict:
    rule = next((r for r in spec.rules if r.phase == "decommission" and r.kind == "required_documents"), None)
    if rule is None:
        return {}
    return {"article": rule.citation.article, "clause": rule.citation.clause, "quote": rule.citation.quote}


@gate_provider
def decommission_gates(project, transition: str, spec, stage: str | None) -> list[Gate]:
    if transition != "decommission":
        return []
    record = Decommission.objects.filter(project_id=project.pk).first() if project.pk else None
    disposals = DataDisposal.objects.filter(decommission=record).count() if record else 0
    citation = _citation(spec)
    return [
        Gate(kind="decommission", code=code, title=STEPS[code][0], message=STEPS[code][1], citation=citation)
        for code in missing_steps(record, disposals)
    ]
