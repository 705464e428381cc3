"""Which facts a finding (审核认定) or a department's statement (运行情况更新) may record.

FINDINGS are decided facts that no record of their own decides: a person's judgement on the
project as a whole, taken by the approving authority. Every other decided fact comes from its
record (tests/projects/findings/test_catalog.py checks that each decided fact a shipped pack reads
has one source or the other). STATEMENTS are what the department states about its running system;
before the project form closes they are answered there, afterwards here.
"""

from __future__ import annotations

from jurisdictions.rules.facts import STANDING
from jurisdictions.rules.reads import facts_read
from jurisdictions.rules.schema import RulePackSpec
from projects.models import Phase

FINDINGS = frozenset(
    {
        "city_government_approved",  # 南充: 市政府审定
        "leading_group_approved",  # 南充、莱州: 领导小组审议
        "government_consent_given",  # 红山: 区政府同意
        "expert_review_requested",  # 红山: 组织专家评审
        "preparatory_work_adequate",  # 前期工作深度
        "simplified_approval_eligible",  # 简易审批
        "isolated_network_approved",  # 鄂尔多斯: 独立网络
        "design_exceeds_fsr",  # 南充: 初步设计概算超可研
        "major_change",  # 南充: 重大变更
        "change_made_without_approval",  # 南充: 擅自变更
        "termination_grounds_met",  # 南充: 终止情形
        "termination_approved",
        "major_security_hazard",  # 重大安全隐患
        "rectification_failed",  # 整改不到位
    }
)
STATEMENTS = frozenset(STANDING)
# Nothing more is found or stated on a project that ended.
CLOSED_PHASES = frozenset({Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED})


def facts_to_record(spec: RulePackSpec) -> list[str]:
    """The findings and statements the measure reads, in its rules' order."""
    return [name for name in facts_read(spec) if name in FINDINGS or name in STATEMENTS]
