"""The rule editor's forms: every rule of every shipped pack goes through its form unchanged; a change
saves; the schema's errors show beside their fields; stale and closed drafts, roles and tenants refused."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from jurisdictions.editor import services
from jurisdictions.models import DraftStatus

PACKS = ("baotou", "hongshan", "laizhou", "nanchong", "ordos")
SUPERVISION = "baotou.construction.supervision"


class _Page(HTMLParser):
    """What a browser sends for the page's post form (no button clicked), and the text a person sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in_form = self._in_main = False
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None
        self._textarea: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._in_main = True
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and "action" not in attrs:
            self._in_form = True
        if not self._in_form or "disabled" in attrs:
            if tag == "textarea":
                self._textarea = [None]
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "reset"):
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "form":
            self._in_form = False
        elif tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((text if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _s in self._options[:1]
            ]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._textarea[0] is not None:
                self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            if self._textarea[0] is not None:
                self._textarea[1] += data
            return  # what a textarea holds is an input's value, not the page's text
        if self._in_main and not self._skip:
            self.text.append(data)


def read(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def post_data(page: _Page) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in page.fields:
        data.setdefault(name, []).append(value)
    return data


def _rule(draft, rule_id):
    return next(rule for rule in draft.content["rules"] if rule["id"] == rule_id)


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


@pytest.fixture
def draft(baotou):
    return services.draft_open(actor=baotou.users["jurisdiction_admin"], code="baotou")


@pytest.fixture
def admin(client, baotou):
    client.force_login(baotou.users["jurisdiction_admin"])
    return client


def edit_url(draft, rule_id):
    return reverse("rules:rule-edit", args=[draft.pk, rule_id])


@pytest.mark.parametrize("code", PACKS)
def test_every_rule_of_the_pack_goes_through_its_form_unchanged(pack_tenant, client, code):
    tenant = pack_tenant(code)
    client.force_login(tenant.users["jurisdiction_admin"])
    draft = services.draft_open(actor=tenant.users["jurisdiction_admin"], code=code)
    original = copy.deepcopy(draft.content["rules"])
    kinds = set()
    for rule in original:
        url = edit_url(draft, rule["id"])
        page = read(client.get(url))
        response = client.post(url, post_data(page))
        assert response.status_code == 302, (
            rule["id"],
            re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode()),
        )
        draft.refresh_from_db()
        assert _rule(draft, rule["id"]) == rule
        kinds.add(rule["kind"])
    assert draft.content["rules"] == original
    assert draft.revision == 1 + len(original)  # every form was saved, not refused


def _field_div(response, path: str) -> str:
    """The HTML of a field's block on the page (its input, label and errors)."""
    html = response.content.decode()
    anchor = "f-" + path.replace(".", "-")
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</div>", start)]


def test_lowering_the_supervision_threshold_to_100_saves_it(admin, draft):
    url = edit_url(draft, SUPERVISION)
    data = post_data(read(admin.get(url)))
    assert data["value"] == ["200"]
    data["value"] = ["100"]
    response = admin.post(url, data)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("rules:draft", args=[draft.pk]) + "#rule-baotou-construction-supervision"
    )
    before = _rule(draft, SUPERVISION)
    draft.refresh_from_db()
    assert _rule(draft, SUPERVISION) == {**before, "value": 100}
    assert draft.revision == 2
    assert "监理制" in admin.get(response["Location"]).content.decode()  # the success message names it


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("value", "两百", "数"),  # the form's own check
        ("citation.article", "第19条", "第十九条"),  # the schema's, mapped back to the field
        ("fact", "acceptance_date", ""),  # not a choice offered: a date is no amount
    ],
)
def test_an_invalid_value_is_shown_beside_its_field_and_nothing_is_stored(admin, draft, field, typed, says):
    url = edit_url(draft, SUPERVISION)
    data = post_data(read(admin.get(url)))
    data[field] = [typed]
    response = admin.post(url, data)
    assert response.status_code == 400
    block = _field_div(response, field)
    assert "errorlist" in block and says in block
    draft.refresh_from_db()
    assert draft.revision == 1
    assert _rule(draft, SUPERVISION)["value"] == 200


def test_a_row_error_lands_on_the_row_it_came_from_after_a_row_is_removed(admin, draft):
    url = edit_url(draft, "baotou.approval.track")
    data = post_data(read(admin.get(url)))
    data["options.0._remove"] = ["on"]
    data["options.2.stages"] = [""]  # stored as the second option: its error belongs to the third row shown
    response = admin.post(url, data)
    assert response.status_code == 400
    assert "errorlist" in _field_div(response, "options.2.stages")
    assert "errorlist" not in _field_div(response, "options.1.stages")
    draft.refresh_from_db()
    assert draft.revision == 1


def test_a_stale_revision_is_409_and_keeps_what_was_typed(admin, draft, baotou):
    url = edit_url(draft, SUPERVISION)
    data = post_data(read(admin.get(url)))
    services.draft_rule_switch(
        actor=baotou.users["jurisdiction_admin"],
        draft_id=draft.pk,
        revision=1,
        rule_id=SUPERVISION,
        off=True,
        reason="试行期间暂停",
    )
    data["value"] = ["150"]
    response = admin.post(url, data)
    assert response.status_code == 409
    assert 'value="150"' in _field_div(response, "value")
    assert "已有他人保存" in response.content.decode()  # the reason, not a silent overwrite
    draft.refresh_from_db()
    assert _rule(draft, SUPERVISION)["value"] == 200 and draft.revision == 2


def _new_threshold(admin, draft, **changes):
    url = reverse("rules:rule-add", args=[draft.pk]) + "?kind=threshold&phase=construction"
    data = post_data(read(admin.get(url)))
    data.update(
        {
            "_slug": ["big_projects"],
            "title.zh": ["大额项目提示"],
            "citation.article": ["第十九条"],
            "citation.quote": ["总投资在200万元及以上的政务信息化项目原则上实行监理制"],
            "message.zh": ["总投资较大"],
            "fact": ["total_investment_wan"],
            "op": ["gte"],
            "value": ["1000"],
            "when_met": ["info"],
        }
    )
    data.update(changes)
    return admin.post(url, data)


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("citation.quote", "", ""),
        ("_slug", "Big Projects", "小写字母"),
        ("_slug", "supervision", "已有规则使用此标识"),  # baotou.construction.supervision exists
    ],
)
def test_adding_a_rule_without_its_quote_or_with_a_taken_id_is_refused_naming_the_field(
    admin, draft, field, typed, says
):
    response = _new_threshold(admin, draft, **{field: [typed]})
    assert response.status_code == 400
    block = _field_div(response, "slug" if field == "_slug" else field)
    assert "errorlist" in block and says in block
    draft.refresh_from_db()
    assert draft.revision == 1 and len(draft.content["rules"]) == 27


def test_a_new_rule_is_added_with_its_id_and_without_blank_fields(admin, draft):
    response = _new_threshold(admin, draft)
    assert response.status_code == 302
    assert response["Location"].endswith("#rule-baotou-construction-big_projects")
    draft.refresh_from_db()
    added = _rule(draft, "baotou.construction.big_projects")
    assert added == {
        "id": "baotou.construction.big_projects",
        "kind": "threshold",
        "phase": "construction",
        "title": {"zh": "大额项目提示", "en": "大额项目提示"},  # a blank English copies the Chinese
        "citation": {"article": "第十九条", "quote": "总投资在200万元及以上的政务信息化项目原则上实行监理制"},
        "message": {"zh": "总投资较大", "en": "总投资较大"},
        "fact": "total_investment_wan",
        "op": "gte",
        "value": 1000,
        "when_met": "info",
    }


def test_the_kind_of_a_new_rule_is_chosen_first(admin, draft):
    response = admin.get(reverse("rules:rule-add", args=[draft.pk]))
    assert response.status_code == 200
    text = "".join(read(response).text)
    assert "门槛" in text or "期限" in text
    assert admin.get(reverse("rules:rule-add", args=[draft.pk]) + "?kind=nonsense").status_code == 400


def test_switching_a_rule_off_needs_a_reason_and_it_can_be_switched_on(admin, draft):
    url = reverse("rules:rule-switch", args=[draft.pk, SUPERVISION])
    data = post_data(read(admin.get(url)))
    assert admin.post(url, {**data, "reason": ["  "]}).status_code == 400
    draft.refresh_from_db()
    assert "switched_off" not in _rule(draft, SUPERVISION)
    response = admin.post(url, {**data, "reason": ["2025 年试行期间暂不要求监理"]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert _rule(draft, SUPERVISION)["switched_off"] == {
        "zh": "2025 年试行期间暂不要求监理",
        "en": "2025 年试行期间暂不要求监理",
    }
    page = admin.get(url)
    assert (
        "2025 年试行期间暂不要求监理" in page.content.decode()
        and 'name="reason"' not in page.content.decode()
    )
    assert admin.post(url, post_data(read(page))).status_code == 302
    draft.refresh_from_db()
    assert "switched_off" not in _rule(draft, SUPERVISION)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("rules:rule-edit", [SUPERVISION]),
        ("rules:rule-add", []),
        ("rules:rule-switch", [SUPERVISION]),
        ("rules:section", ["measure"]),
    ],
)
def test_a_reviewer_gets_403_and_another_jurisdictions_admin_404(
    client, draft, baotou, pack_tenant, name, args
):
    url = reverse(name, args=[draft.pk, *args])
    assert reverse("login") in client.get(url)["Location"]  # not signed in
    client.force_login(baotou.users["reviewer"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"_revision": "1"}).status_code == 403
    other = pack_tenant("laizhou")
    client.force_login(other.users["jurisdiction_admin"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"_revision": "1"}).status_code == 404
    draft.refresh_from_db()
    assert draft.revision == 1


def test_the_page_is_in_chinese_and_shows_no_rule_id_or_fact_code(admin, draft):
    response = admin.get(edit_url(draft, SUPERVISION))
    text = " ".join(read(response).text)
    assert (
        "监理制" in text and "第十九条" in text and "总投资在200万元及以上" in text
    )  # title, article, quote
    assert "总投资（万元）" in text  # the fact by its label
    assert SUPERVISION not in text and "total_investment_wan" not in text
    assert re.findall(r"[A-Za-z]{2,}", text.replace("YAML", "")) == []


def test_a_closed_draft_offers_no_save_and_refuses_a_post(admin, draft, baotou):
    url = edit_url(draft, SUPERVISION)
    data = post_data(read(admin.get(url)))
    services.draft_discard(
        actor=baotou.users["jurisdiction_admin"], draft_id=draft.pk, revision=1, reason="重来"
    )
    page = admin.get(url)
    assert page.status_code == 200 and "不能再编辑" in page.content.decode()
    assert "保存到草稿" not in page.content.decode()
    assert admin.post(url, data).status_code == 409
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DISCARDED and draft.revision == 1


def test_add_a_row_shows_one_more_row_and_saves_nothing(admin, draft):
    url = edit_url(draft, "baotou.intake.application_conditions")
    data = post_data(read(admin.get(url)))
    rows = int(data["items._rows"][0])
    response = admin.post(url, {**data, "_add_row": ["items"]})
    assert response.status_code == 200
    assert f'id="f-items-{rows}"' in response.content.decode()
    assert "errorlist" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.revision == 1


def test_the_measure_goes_through_its_form_unchanged_and_a_title_change_saves(admin, draft):
    url = reverse("rules:section", args=[draft.pk, "measure"])
    before = copy.deepcopy(draft.content["measure"])
    data = post_data(read(admin.get(url)))
    assert admin.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.content["measure"] == before and draft.revision == 2
    data = post_data(read(admin.get(url)))
    data["title.zh"] = ["包头市政务信息化项目管理办法（修订）"]
    assert admin.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.content["measure"]["title"]["zh"] == "包头市政务信息化项目管理办法（修订）"
    assert draft.content["measure"]["source"] == before["source"]


def test_documents_rows_are_added_and_a_document_in_use_cannot_be_removed(admin, draft):
    url = reverse("rules:section", args=[draft.pk, "documents"])
    before = copy.deepcopy(draft.content["documents"])
    data = post_data(read(admin.get(url)))
    extra = len(before)  # the blank extra row
    data[f"rows.{extra}.code"] = ["data_catalogue"]
    data[f"rows.{extra}.name.zh"] = ["数据资源目录"]
    assert admin.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.content["documents"] == [
        *before,
        {"code": "data_catalogue", "name": {"zh": "数据资源目录", "en": "数据资源目录"}},
    ]
    rules = draft.content["rules"]
    used = next(rule for rule in rules if rule["kind"] == "required_documents")["documents"][0]["code"]
    data = post_data(read(admin.get(url)))
    index = [d["code"] for d in draft.content["documents"]].index(used)
    data[f"rows.{index}._remove"] = ["on"]
    response = admin.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "规则「" in page and "不在规则包的材料清单中" in page  # the rule that uses it, by its title
    assert admin.get(reverse("rules:section", args=[draft.pk, "settings"])).status_code == 404


LAUGHS = "\n".join(
    [
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ]
)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("applies_when", "fact: [is_upgrade"),  # YAML syntax
        ("applies_when", "[" * 3000),  # nested beyond reason
        ("applies_when", LAUGHS),  # a few lines that mean a huge value
        ("applies_when", "fact: is_upgrade\nop: sometimes"),  # YAML, but no condition
        ("value", "1e999999"),
        ("value", "NaN"),
    ],
)
def test_odd_input_is_refused_beside_its_field_never_a_500(admin, draft, field, typed):
    url = edit_url(draft, SUPERVISION)
    data = post_data(read(admin.get(url)))
    data[field] = [typed]
    response = admin.post(url, data)
    assert response.status_code == 400
    assert "errorlist" in _field_div(response, field)
    draft.refresh_from_db()
    assert draft.revision == 1
