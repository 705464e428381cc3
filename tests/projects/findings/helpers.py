"""A testland measure that turns on findings, for the walkers (testland's own rules read none)."""

from __future__ import annotations

from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects.models import Project
from tests.conftest import advance, testland_text

OM_RULE = """
  - id: __CODE__.om_funding.security
    kind: condition
    phase: om_funding
    title: {zh: 网络安全, en: Network security}
    citation: {article: 第三十一条}
    condition:
      any:
        - {fact: major_security_hazard, op: is_true}
        - {fact: shares_data, op: is_false}
    effect: om_funds_withheld
    message: {zh: 存在重大安全隐患或数据未共享，不安排运维经费, en: No O&M funds}
"""


def findings_for_walk(tenant, project) -> Project:
    """The tenant's measure now reads major_security_hazard and shares_data; the project is in operation."""
    code = tenant.jurisdiction.code
    text = testland_text(code) + OM_RULE.replace("__CODE__", code)
    spec, content = load_pack_text(text, source="walk-findings")
    publish_rule_pack(spec, content, source="walk-findings")
    project.refresh_from_db()
    if project.phase != "in_operation":
        Project.objects.filter(pk=project.pk).update(rule_pack=None)
        project.refresh_from_db()
        advance(project, "in_operation")
    return project
