"""工作日历: 鄂尔多斯市's admin enters 2027 (a year chinesecalendar does not know) in the year view.

From the navigation to this year's calendar, on to 2027; with 元旦 typed as the name, one click on
2027-01-01 (a Friday) makes it a day off, and only that cell changes; the year is marked complete after
ticking the confirmation, and the warning banner about 2027 is gone; the mark is 鄂尔多斯's own, so 包头's
admin still finds 2027 incomplete. Also on a 375 px phone: the month grids fit the screen and a day is
big enough to tap.

The banner warns about this year and the next: while the clock says 2026 (or 2027) it names 2027.
"""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    log_in,
    log_out,
    messages,
)

BANNER_2027 = "2027年的工作日历尚未完整录入，涉及该年度的期限按周一至周五计算，可能不准确。"


def _banner_names_2027() -> bool:
    today = timezone.localdate()
    return 2027 in (today.year, today.year + 1)


def test_admin_enters_new_years_day_and_marks_2027_complete(page, demo):
    log_in(page, "ordos_admin")
    banner = page.locator(".calendar-banner")
    if _banner_names_2027():
        expect(banner).to_contain_text(BANNER_2027)

    page.get_by_role("navigation").get_by_role("link", name="工作日历", exact=True).click()
    this_year = timezone.localdate().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{this_year}年工作日历 · 鄂尔多斯市")
    assert_speaks_chinese(page)
    if this_year != 2027:
        page.goto("/calendar/2026/")
        page.get_by_role("link", name="下一年（2027年）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2027年工作日历 · 鄂尔多斯市")
    status = page.locator("section#status")
    expect(status).to_contain_text("尚未完整录入")

    page.get_by_label("节日名称（可选）").fill("元旦")
    url = page.url
    page.get_by_role("button", name="1月1日 星期五：工作日", exact=True).click()
    new_years_day = page.locator("#day-2027-01-01")
    expect(new_years_day.get_by_role("button")).to_have_accessible_name(
        "1月1日 星期五：休息日（本地调整 元旦）"
    )
    expect(new_years_day).to_contain_text("休")
    expect(new_years_day).to_contain_text("元旦")
    assert page.url == url  # the cell was swapped in place, the page not reloaded
    # the rest as it was
    expect(page.get_by_role("button", name="1月4日 星期一：工作日", exact=True)).to_be_visible()
    assert_speaks_chinese(page)

    mark = page.get_by_role("button", name="标记为录入完整")
    mark.click()  # not confirmed yet: the browser asks for the tick
    expect(page.get_by_label("我已核对")).to_have_js_property("validity.valueMissing", True)
    page.get_by_label("国务院办公厅通知文号（可选）").fill("国办发明电〔2026〕8号")
    page.get_by_label("我已核对").check()
    mark.click()
    expect(messages(page)).to_contain_text("已将2027年标记为录入完整。")
    expect(status).to_contain_text("标记为录入完整")
    expect(status).to_contain_text("国办发明电〔2026〕8号")
    expect(page.locator("#day-2027-01-01")).to_contain_text("元旦")  # kept
    expect(page.get_by_text(BANNER_2027)).to_have_count(0)
    if this_year == 2026:
        expect(banner).to_have_count(0)  # 2026 is shipped, 2027 now complete: nothing left to warn about
    assert_speaks_chinese(page)

    # 鄂尔多斯's mark is its own: 包头's admin still finds 2027 incomplete, and is still warned
    log_out(page)
    log_in(page, "baotou_admin")
    if _banner_names_2027():
        expect(page.locator(".calendar-banner")).to_contain_text(BANNER_2027)
    page.goto("/calendar/2027/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2027年工作日历 · 包头市本级")
    expect(page.locator("section#status")).to_contain_text("尚未完整录入")
    expect(page.locator("section#status")).to_contain_text("其他行政区划不受影响")
    expect(page.locator("#day-2027-01-01")).not_to_contain_text("元旦")  # 鄂尔多斯's day too
    assert_speaks_chinese(page)


def test_the_year_grid_is_usable_on_a_phone(phone, demo):
    log_in(phone, "ordos_admin")
    phone.goto("/calendar/2027/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("2027年工作日历 · 鄂尔多斯市")
    assert_fits_phone(phone)
    for name in ("1月1日 星期五：工作日", "12月31日 星期五：工作日", "1月3日 星期日：休息日（周末）"):
        day = phone.get_by_role("button", name=name, exact=True)
        day.scroll_into_view_if_needed()
        assert_on_screen(phone, day)
        box = day.bounding_box()
        assert box["width"] >= 40 and box["height"] >= 40, f"{name} is too small to tap: {box}"
    phone.get_by_role("button", name="1月4日 星期一：工作日", exact=True).tap()
    expect(phone.locator("#day-2027-01-04").get_by_role("button")).to_have_accessible_name(
        "1月4日 星期一：休息日（本地调整）"
    )
    assert_fits_phone(phone)
    assert_speaks_chinese(phone)
