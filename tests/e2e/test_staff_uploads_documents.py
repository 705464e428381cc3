"""部门经办人 Department staff of 包头市大数据管理局 upload the documents the measure asks for (报送材料)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    log_in,
    messages,
    section,
)

DRAFT = "包头市“一网通办”移动端建设"  # the demo draft of baotou_staff's department
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _open_draft(page):
    log_in(page, "baotou_staff")
    page.get_by_role("link", name=DRAFT, exact=True).click()
    expect(page.get_by_role("heading", name=DRAFT)).to_be_visible()
    return section(page, "报送材料")


def test_staff_upload_a_document_and_see_it_on_the_checklist(page, demo, tmp_path):
    proposal = tmp_path / "移动端项目建议书.pdf"
    proposal.write_bytes(PDF)
    documents = _open_draft(page)
    checklist_row = documents.locator("table.checklist tr").filter(has_text="项目建议书").first
    expect(checklist_row).not_to_contain_text("移动端项目建议书.pdf")

    documents.get_by_label("材料").select_option(label="项目建议书")
    documents.get_by_label("文件").set_input_files(proposal)
    documents.get_by_label("说明").fill("第一稿")
    documents.get_by_role("button", name="上传").click()

    expect(messages(page)).to_contain_text("已上传")
    documents = section(page, "报送材料")
    checklist_row = documents.locator("table.checklist tr").filter(has_text="项目建议书").first
    expect(checklist_row).to_contain_text("已提交")
    expect(checklist_row).to_contain_text("移动端项目建议书.pdf")
    expect(documents).to_contain_text("第十一条")  # the article that asks for it
    uploaded = documents.locator("table.document-history tr").filter(has_text="移动端项目建议书.pdf")
    expect(uploaded).to_contain_text("张伟")  # who uploaded it, by name
    expect(uploaded).to_contain_text("第一稿")
    timeline = section(page, "办理记录").get_by_role("listitem").last
    expect(timeline).to_contain_text("上传材料")
    assert_speaks_chinese(page)


@pytest.mark.browser_errors_allowed(r"status of 400")  # the refused upload answers 400, on purpose
def test_a_refused_type_says_why_and_keeps_the_other_input(page, demo, tmp_path):
    renamed = tmp_path / "可行性研究报告.pdf"
    renamed.write_bytes(PROGRAM)  # a program renamed .pdf
    documents = _open_draft(page)

    documents.get_by_label("材料").select_option(label="可行性研究报告")
    documents.get_by_label("文件").set_input_files(renamed)
    documents.get_by_label("说明").fill("请审核")
    documents.get_by_role("button", name="上传").click()

    expect(page.locator("main")).to_contain_text("不接受此类文件")  # why: the type, read from the content
    expect(page.get_by_label("材料")).to_have_value("fsr")  # the choice is kept
    expect(page.get_by_label("说明")).to_have_value("请审核")
    assert_speaks_chinese(page)


def test_the_documents_section_works_on_a_phone(phone, demo, tmp_path):
    proposal = tmp_path / "项目建议书.pdf"
    proposal.write_bytes(PDF)
    documents = _open_draft(phone)
    documents.get_by_label("材料").select_option(label="项目建议书")
    documents.get_by_label("文件").set_input_files(proposal)
    assert_on_screen(phone, documents.get_by_role("button", name="上传"))
    documents.get_by_role("button", name="上传").click()

    expect(messages(phone)).to_contain_text("已上传")
    assert_fits_phone(phone)
