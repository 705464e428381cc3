"""Issue 8's "done when": 红山 staff file a project end to end in the browser and the reviewer takes it
into a published 2027 annual plan — no API call, no admin page.

红山区大数据中心's 张伟 (hongshan_staff) files an 80万元 new build, answers what the measure asks,
uploads the library documents (第八条: from 60万元 the FSR in its 2-in-1 form) and the pre-review
opinion (第九条), answers the negative-list screening (第六条) and declares. 李娜 (hongshan_reviewer)
sees it in her intake queue marked late (第七条: next year's projects by the end of June), returns it
with a comment; 张伟 revises and resubmits; 李娜 enters it in the library, puts it in the 2027 plan and
publishes the plan.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import assert_speaks_chinese, detail, log_in, log_out, messages, section

TITLE = "红山区智慧停车管理平台"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
LIBRARY_DOCUMENTS = (
    "申请入库文件",
    "可行性研究报告（项目建议书、可行性研究报告二合一）",
    "蒙东云计算中心前置审核意见",
)
COMMENT = "请补充停车泊位数据来源的说明。\n请说明与现有城市管理平台的数据共享方式。"


def fact(page, label: str):
    return page.get_by_role("group", name=label, exact=True)


def file_the_project(page) -> None:
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("项目名称").fill(TITLE)
    page.get_by_label("项目简介").fill("建设全区统一的智慧停车管理平台，整合路内外泊位。")
    page.get_by_label("类别").select_option(label="建设类项目")
    page.get_by_label("总投资（万元）").fill("80")
    page.get_by_label("资金来源").select_option(label="财政资金")
    page.get_by_label("计划年度").fill("2027")
    fact(page, "新建项目").get_by_label("是").check()
    fact(page, "跨部门共建共享").get_by_label("否").check()
    fact(page, "申报主体").get_by_label("项目单位（部门）").check()
    expect(page.locator("#preview")).to_contain_text("第六条")  # the preview follows the form
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(detail(page, "阶段")).to_have_text("草稿")


def upload_the_library_documents(page, tmp_path) -> None:
    for number, name in enumerate(LIBRARY_DOCUMENTS, start=1):
        upload = tmp_path / f"材料{number}.pdf"
        upload.write_bytes(PDF)
        documents = section(page, "报送材料")
        documents.get_by_label("材料").select_option(label=name)
        documents.get_by_label("文件").set_input_files(upload)
        documents.get_by_role("button", name="上传").click()
        expect(messages(page)).to_contain_text("已上传")
    documents = section(page, "报送材料")
    expect(documents).to_contain_text("第八条")  # the article that asks for them
    for name in LIBRARY_DOCUMENTS[:2]:
        expect(documents.locator("table.checklist tr").filter(has_text=name).first).to_contain_text("已提交")


def answer_the_screening(page) -> None:
    section(page, "负面清单筛查").get_by_role("link", name="填写筛查").click()
    items = page.locator("fieldset.screening-item")
    for n in range(items.count()):
        items.nth(n).get_by_label("不适用", exact=True).check()
    page.get_by_role("button", name="保存答复").click()
    expect(messages(page)).to_contain_text("筛查答复已保存")


def open_from_the_queue(page) -> None:
    page.get_by_role("link", name="待审核申报").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("80.00")
    expect(row).to_contain_text("逾期")  # declared after 30 June for 2027: accepted, marked late
    row.get_by_role("link", name=TITLE).click()
    expect(detail(page, "阶段")).to_have_text("已申报")


def test_staff_file_and_the_reviewer_plans_a_project_in_the_browser(page, demo, tmp_path):
    # 张伟 files the project, its documents and its screening, and declares it.
    log_in(page, "hongshan_staff")
    file_the_project(page)
    expect(section(page, "下一步需要")).to_contain_text("负面清单")  # what blocks 申报 comes first
    upload_the_library_documents(page, tmp_path)
    answer_the_screening(page)
    page.get_by_role("button", name="申报", exact=True).click()
    expect(messages(page)).to_contain_text("申报")
    expect(detail(page, "阶段")).to_have_text("已申报")
    assert_speaks_chinese(page)
    log_out(page)

    # 李娜 finds it in her queue, late, and returns it with a comment of two lines.
    log_in(page, "hongshan_reviewer")
    open_from_the_queue(page)
    expect(section(page, "申报审核")).to_contain_text("逾期申报")
    returning = page.locator("form.intake-return")
    returning.get_by_label("退回意见").fill(COMMENT)
    returning.get_by_role("button", name="退回修改").click()
    expect(detail(page, "阶段")).to_have_text("退回修改")
    log_out(page)

    # 张伟 reads the comment, revises the description and resubmits.
    log_in(page, "hongshan_staff")
    page.get_by_role("link", name=TITLE, exact=True).click()
    reason = section(page, "申报审核")
    expect(reason).to_contain_text("请补充停车泊位数据来源的说明。")
    expect(reason).to_contain_text("李娜")
    page.get_by_role("link", name="编辑", exact=True).click()
    page.get_by_label("项目简介").fill(
        "建设全区统一的智慧停车管理平台，泊位数据来自区城市管理局，通过共享交换平台与城市管理平台共享。"
    )
    page.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("已保存")
    page.get_by_role("button", name="重新申报").click()
    expect(detail(page, "阶段")).to_have_text("已申报")
    timeline = section(page, "办理记录")
    expect(timeline).to_contain_text("「项目简介」由")  # the edit, said in words
    log_out(page)

    # 孙丽 of 蒙东云计算中心 passes the pre-review (第九条), which library entry waits for.
    from tests.e2e.test_review_steps_and_experts import pass_the_pre_review

    pass_the_pre_review(page)

    # 李娜 enters it in the library, then puts it in the 2027 plan and publishes the plan.
    log_in(page, "hongshan_reviewer")
    open_from_the_queue(page)
    entering = page.locator("form.intake-enter-library")
    entering.get_by_label(re.compile("确认")).check()
    entering.get_by_role("button", name="纳入项目库").click()
    expect(detail(page, "阶段")).to_have_text("已入库")

    page.get_by_role("link", name="年度计划").click()
    page.get_by_label("计划年度").fill("2027")
    page.get_by_role("button", name="新建计划").click()
    expect(messages(page)).to_contain_text("已新建2027年度计划。")
    page.get_by_label(re.compile(TITLE)).check()
    page.get_by_role("button", name="加入计划").click()
    entries = section(page, "计划中的项目")
    expect(entries.get_by_role("link", name=TITLE)).to_be_visible()
    expect(entries).to_contain_text("80.00")
    page.get_by_role("link", name="发布计划").click()
    page.get_by_label(re.compile("我确认")).check()
    page.get_by_role("button", name="发布", exact=True).click()
    expect(messages(page)).to_contain_text("2027年度计划已发布")

    section(page, "计划中的项目").get_by_role("link", name=TITLE).click()
    expect(detail(page, "阶段")).to_have_text("已列入年度计划")
    timeline = section(page, "办理记录")
    for done in ("张伟", "李娜", "申报", "退回修改", "重新申报", "纳入项目库", "列入年度计划"):
        expect(timeline).to_contain_text(done)
    assert_speaks_chinese(page)
