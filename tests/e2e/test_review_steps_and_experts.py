"""Issue 9 §1–§2 in the browser: 红山's pre-review (第九条, 蒙东云计算中心) and the expert review the
district data bureau organises when needed, before library entry.

张伟 (hongshan_staff) files and declares a project. 孙丽 of 蒙东云计算中心 (hongshan_mengdong_cloud)
passes the pre-review. 李娜 (hongshan_reviewer) organises the expert review and assigns 陈静
(hongshan_expert) and 黄磊 (hongshan_expert2). Each expert sees only that project, declares no
conflict of interest and gives an opinion. 李娜 reads the summary, passes the step and enters the
project in the library.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_speaks_chinese,
    detail,
    log_in,
    log_out,
    messages,
    section,
)
from tests.e2e.test_hongshan_intake_end_to_end import (
    TITLE,
    answer_the_screening,
    file_the_project,
    upload_the_library_documents,
)

PRE_REVIEW = "蒙东云计算中心前置审核"
EXPERT_REVIEW = "专家或第三方评审论证"


def review_step(page, name: str):
    """The step's block in the project page's 「评审」 section."""
    return (
        section(page, "评审")
        .locator("article.review-step")
        .filter(has=page.get_by_role("heading", name=re.compile(name)))
    )


def open_project(page, title: str = TITLE) -> None:
    page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def pass_step(page, name: str, comment: str = "") -> None:
    """Pass a review step from the project page, confirming it."""
    step = review_step(page, name)
    passing = step.locator("details.review-pass")
    passing.locator("summary").click()
    if comment:
        passing.get_by_role("textbox", name=re.compile("审核意见")).fill(comment)
    passing.get_by_label(re.compile("我已确认")).check()
    passing.get_by_role("button", name="通过", exact=True).click()
    expect(messages(page)).to_contain_text("评审环节已通过")
    expect(review_step(page, name)).to_contain_text("已通过")


def pass_the_pre_review(page, title: str = TITLE) -> None:
    """孙丽 of 蒙东云计算中心 passes the pre-review (第九条) of a declared project."""
    log_in(page, "hongshan_mengdong_cloud")
    open_project(page, title)
    step = review_step(page, PRE_REVIEW)
    expect(step).to_contain_text("待评审")
    expect(step).to_contain_text("第九条")
    pass_step(page, PRE_REVIEW, "技术可行，云资源使用合理。")
    log_out(page)


def give_opinion(page, username: str, opinion: str, comment: str) -> None:
    log_in(page, username)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)  # exactly the assigned project
    expect(rows.first).to_contain_text(TITLE)
    open_project(page)
    review_step(page, EXPERT_REVIEW).get_by_role("link", name="提交专家意见").click()
    declaration = page.get_by_label("本人与该项目无利害关系")
    expect(declaration).not_to_be_checked()
    expect(declaration).to_have_attribute("required", "")  # no opinion without the declaration
    declaration.check()
    page.get_by_label(opinion, exact=True).check()
    page.get_by_role("textbox", name=re.compile("意见说明")).fill(comment)
    page.get_by_role("button", name="提交意见").click()
    expect(messages(page)).to_contain_text("您的意见已提交")
    expect(page.get_by_role("heading", name="我的评审任务")).to_be_visible()
    expect(section(page, "我的评审任务")).to_contain_text(opinion)
    assert_speaks_chinese(page)
    log_out(page)


def test_pre_review_and_expert_review_before_library_entry(page, demo, tmp_path):
    log_in(page, "hongshan_staff")
    file_the_project(page)
    upload_the_library_documents(page, tmp_path)
    answer_the_screening(page)
    page.get_by_role("button", name="申报", exact=True).click()
    expect(detail(page, "阶段")).to_have_text("已申报")
    log_out(page)

    # An expert without assignments is told why the list is empty.
    log_in(page, "hongshan_expert")
    expect(page.locator("main")).to_contain_text(
        "您目前没有被指派评审的项目。数据局指派后，项目会出现在这里。"
    )
    log_out(page)

    pass_the_pre_review(page)

    log_in(page, "hongshan_reviewer")
    open_project(page)
    expert_step = review_step(page, EXPERT_REVIEW)
    expect(expert_step).to_contain_text("未组织")
    expert_step.get_by_role("button", name="组织评审").click()
    expect(messages(page)).to_contain_text("已组织评审")
    for name in ("陈静", "黄磊"):
        step = review_step(page, EXPERT_REVIEW)
        step.get_by_label("专家").select_option(label=name)
        step.get_by_role("button", name="指派专家").click()
        expect(messages(page)).to_contain_text("已指派专家")
    # the step now holds up library entry
    expect(section(page, "下一步需要")).to_contain_text(EXPERT_REVIEW)
    assert_speaks_chinese(page)
    log_out(page)

    give_opinion(page, "hongshan_expert", "同意", "方案可行。")
    give_opinion(page, "hongshan_expert2", "有条件同意", "建议补充数据安全方案。")

    log_in(page, "hongshan_reviewer")
    open_project(page)
    step = review_step(page, EXPERT_REVIEW)
    expect(step).to_contain_text("同意 1 人，有条件同意 1 人，不同意 0 人")
    expect(step).to_contain_text("陈静")
    expect(step).to_contain_text("建议补充数据安全方案。")
    pass_step(page, EXPERT_REVIEW, "采纳专家意见，同意入库。")
    entering = page.locator("form.intake-enter-library")
    entering.get_by_label(re.compile("确认")).check()
    entering.get_by_role("button", name="纳入项目库").click()
    expect(detail(page, "阶段")).to_have_text("已入库")
    timeline = section(page, "办理记录")
    for done in ("评审环节通过", "指派专家", "专家提交意见", "纳入项目库"):
        expect(timeline).to_contain_text(done)
    assert_speaks_chinese(page)


def test_the_review_section_and_the_experts_tasks_fit_a_phone(phone, demo):
    log_in(phone, "hongshan_reviewer")
    open_project(phone, "红山区民政救助信息系统")  # in the library: the demo passed its pre-review
    step = review_step(phone, PRE_REVIEW)
    expect(step).to_contain_text("已通过")
    expect(step).to_contain_text("第1轮")
    assert_fits_phone(phone)
    assert_speaks_chinese(phone)
    log_out(phone)
    log_in(phone, "hongshan_expert")
    phone.goto("/projects/reviews/mine/")
    expect(phone.locator("main")).to_contain_text("您目前没有被指派评审的项目")
    assert_fits_phone(phone)
