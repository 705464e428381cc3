"""Every measure's track in the browser: a project in the library goes through its measure's review
and its track's approval stages to 已批复, with no API call and no admin page (issue 9, "Done when").

Each step is taken by whom the pack names, on the project page:
- 包头 (standard track: 项目建议书 → 可研 → 初步设计 → 投资概算): the third-party review the bureau
  organises (第十一条), the five department opinions (第四条), four stages, two of them with amounts;
- 红山 (120万: 可研（二合一）→ 初步设计): the 保密机要局 and 公安分局 prerequisites (第十一条), two stages
  (its pre-review and expert review before library entry: test_review_steps_and_experts);
- 南充 (合并编报实施方案): the leading group's joint review before the plan (第十五条), the seven
  departments' opinions (第二十条), one stage;
- 莱州 (in the plan: 可研 → 初步设计): the joint review of 大数据局 and 财政局 and the third-party cost
  evaluation (第六、九、十条) before the annual plan, which the reviewer then publishes;
- 鄂尔多斯 (standard: 项目建议书 → 可研 → 初步设计): the finance department's review and, per stage,
  the office's joint review of the FSR and its design review and pricing (第八条).
The year's annual plan is published already in the demo: the reviewer revises it, adds the project
and publishes it again. The test reads the pack only to know whom to sign in as and which documents
to upload; every action is a click on a page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_speaks_chinese, detail, log_in, log_out, messages, section

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 200 + b"\n%%EOF\n"
ROLE_LOGINS = {"reviewer": "reviewer", "finance_officer": "finance", "security_reviewer": "security"}
IN_LIBRARY = {
    "baotou": "包头市公共数据共享交换平台升级",
    "hongshan": "红山区民政救助信息系统",
    "nanchong": "南充市交通运输综合执法系统",
    "laizhou": "莱州市自然资源一张图",
    "ordos": "鄂尔多斯市生态环境监测平台",
}


def login_of(code: str, taker) -> str:
    """The demo login of the body a pack names (seed_demo: `<code>_<department>` or the role's)."""
    return f"{code}_{taker.department}" if taker.department else f"{code}_{ROLE_LOGINS[taker.role]}"


def open_project(page, project) -> None:
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("heading", name=project.title)).to_be_visible()


def take_review_steps(page, code, project, before: str, stage: str | None = None) -> None:
    """Each review step owed before `before` (and the stage), by its body, on the 「评审」 section."""
    from approvals.reviews.selectors import applicable_steps, step_owed, step_rounds
    from projects.selectors import pack_for_project

    project.refresh_from_db()
    spec = pack_for_project(project).spec
    rounds = step_rounds(project)
    for step in applicable_steps(project, spec):
        if step.before != before or (step.stage is not None and step.stage != stage):
            continue
        if step.optional or not step_owed(step, (rounds.get(step.code) or [None])[-1]):
            continue  # an optional one is organised only when the bureau decides to: not here
        log_in(page, login_of(code, step.taker))
        open_project(page, project)
        block = section(page, "评审").locator(f"#review-{step.code}")
        expect(block).to_contain_text(step.citation.article)
        if "decision" not in step.ways:  # by experts or a third party: the third party's report first
            third = block.locator("details.review-third-party")
            third.locator("summary").click()
            third.locator("[name=organisation]").fill("某工程咨询有限公司")
            third.locator("[name=conclusion]").select_option("agree")
            third.get_by_role("button", name="登记第三方评审").click()
            block = section(page, "评审").locator(f"#review-{step.code}")
            expect(block.locator(".third-party-review")).to_contain_text("某工程咨询有限公司")
        passing = block.locator("details.review-pass")
        passing.locator("summary").click()
        passing.get_by_label(re.compile("我已确认")).check()
        passing.get_by_role("button", name="通过", exact=True).click()
        expect(messages(page)).to_contain_text("评审环节已通过")
        log_out(page)


def upload_what_is_asked(page, code, project, transitions: tuple[str, ...]) -> None:
    """The department uploads, on the 「报送材料」 section, every document the rules of `transitions` miss."""
    from projects.selectors import project_verdicts

    project.refresh_from_db()
    _pack, verdicts = project_verdicts(project)
    missing = {
        document["code"]: document["name_zh"]
        for verdict in verdicts
        if verdict.kind == "required_documents" and set(verdict.blocks) & set(transitions)
        for document in verdict.data.get("missing", [])
    }
    if not missing:
        return
    log_in(page, f"{code}_staff")
    open_project(page, project)
    for name in missing.values():
        documents = section(page, "报送材料")
        documents.get_by_label("材料").select_option(label=name)
        upload = {"name": f"{name[:20]}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        documents.get_by_label("文件").set_input_files(upload)
        documents.get_by_role("button", name="上传").click()
        expect(messages(page)).to_contain_text("已上传")
    log_out(page)


def publish_the_plan(page, code, project) -> None:
    """The reviewer puts the project in its year's annual plan: the demo's plan for the year is
    published already, so it is revised (修订), the project added, and the plan published again."""
    log_in(page, f"{code}_reviewer")
    page.goto("/projects/plans/")
    page.get_by_role("link", name=f"{project.year}年度计划").click()
    page.get_by_role("button", name="修订计划").click()
    page.get_by_label(re.compile(project.title)).check()
    page.get_by_role("button", name="加入计划").click()
    expect(messages(page)).to_contain_text("加入计划")
    page.get_by_role("link", name="发布计划").click()
    page.get_by_label(re.compile("我确认")).check()
    page.get_by_role("button", name="发布", exact=True).click()
    expect(messages(page)).to_contain_text("已发布")
    log_out(page)


def submit_for_review(page, code, project) -> None:
    log_in(page, f"{code}_staff")
    open_project(page, project)
    page.locator("#actions").get_by_role("button", name="提交审核").click()
    expect(detail(page, "阶段")).to_have_text("审核中")
    log_out(page)


def give_department_opinions(page, code, project) -> None:
    """The reviewer requests the 会签; each body answers 同意 from 「待我答复的会签」."""
    from projects.selectors import pack_for_project

    opinions = pack_for_project(project).spec.review.opinions
    if opinions is None:
        return
    log_in(page, f"{code}_reviewer")
    open_project(page, project)
    section(page, "部门会签意见").get_by_role("link", name="发起会签").click()
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="发起会签").click()
    expect(messages(page)).to_contain_text("已发起部门会签")
    log_out(page)
    for login in sorted({login_of(code, item.giver) for item in opinions.items}):
        log_in(page, login)
        page.goto("/projects/opinions/mine/")
        while (row := page.get_by_role("row").filter(has_text=project.title)).count():
            row.first.get_by_role("link", name="答复").click()
            page.get_by_label("同意", exact=True).check()
            page.get_by_role("button", name="提交答复").click()
            expect(messages(page)).to_contain_text("您的意见已记录")
            page.goto("/projects/opinions/mine/")
        log_out(page)


def decide_the_stage(page, code, project, stage, number: int) -> None:
    """Staff submit the stage; the decider passes its review and approves it (文号, amount)."""
    log_in(page, f"{code}_staff")
    open_project(page, project)
    page.locator(f"#stage-{stage.code}").get_by_role("link", name="提交本阶段").click()
    page.get_by_role("button", name="提交本阶段").click()
    expect(page.locator(f"#stage-{stage.code}")).to_contain_text("已提交")
    log_out(page)
    take_review_steps(page, code, project, "approve", stage.code)
    log_in(page, f"{code}_reviewer")
    open_project(page, project)
    page.locator(f"#stage-{stage.code}").get_by_role("link", name="评审通过").click()
    page.get_by_role("button", name="评审通过").click()
    page.locator(f"#stage-{stage.code}").get_by_role("link", name="批复", exact=True).click()
    page.get_by_label("批复文号").fill(f"审批〔2026〕{number}号")
    if stage.amount:
        page.get_by_label("批复金额（万元）").fill(str(project.total_investment_wan))
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="批复").click()
    block = page.locator(f"#stage-{stage.code}")
    expect(block).to_contain_text("已批复")
    expect(block).to_contain_text(f"审批〔2026〕{number}号")
    log_out(page)


@pytest.mark.parametrize("code", sorted(IN_LIBRARY))
def test_a_project_in_the_library_goes_through_review_and_its_stages_to_approved(page, demo, code):
    from approvals.stages.services import track_from
    from projects.selectors import project_verdicts

    project = demo.project(IN_LIBRARY[code])
    assert project.phase == "in_library"
    take_review_steps(page, code, project, "plan")
    upload_what_is_asked(page, code, project, ("plan",))
    publish_the_plan(page, code, project)
    upload_what_is_asked(page, code, project, ("submit_for_review", "approve"))
    submit_for_review(page, code, project)
    take_review_steps(page, code, project, "approve")
    give_department_opinions(page, code, project)

    project.refresh_from_db()
    pack, verdicts = project_verdicts(project)
    approval = pack.spec.review.approval
    track = track_from(verdicts, approval)
    for number, stage_code in enumerate(track.stages, start=1):
        decide_the_stage(page, code, project, approval.stage(stage_code), number)

    log_in(page, f"{code}_staff")
    open_project(page, project)
    expect(detail(page, "阶段")).to_have_text("已批复")
    stages = section(page, "审批")
    expect(stages.locator("li.stage")).to_have_count(len(track.stages))
    baseline = page.locator("section#changes .baseline-amount")  # once approved: with the changes
    expect(baseline).to_contain_text(f"{project.total_investment_wan:,.2f}")
    expect(section(page, "办理记录")).to_contain_text("批复")
    assert_speaks_chinese(page)
