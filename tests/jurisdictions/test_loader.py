"""Loading rule packs: schema errors with field paths and lines, the load_rulepacks command, immutability."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jurisdictions.models import Jurisdiction, RulePack, content_hash
from jurisdictions.rules import PackError, load_pack_text
from jurisdictions.services import publish_rule_pack
from tests.conftest import publish_testland, testland_text

TEXT = testland_text("tl")


def line_of(text: str, needle: str) -> int:
    (number,) = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


def problems_of(text: str) -> list[dict]:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, source="tl.yaml")
    return caught.value.problems


def edit(old: str, new: str, text: str = TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# ---------------------------------------------------------------------------- the valid pack


def test_testland_loads():
    spec, content = load_pack_text(TEXT, source="tl.yaml")
    assert spec.jurisdiction.code == "tl"
    assert [r.id for r in spec.rules] == [
        "tl.intake.declaration_documents",
        "tl.intake.negative_list",
        "tl.construction.supervision",
        "tl.acceptance.apply_deadline",
    ]
    assert spec.measure.effective_from == dt.date(2025, 1, 1)
    # the stored content keeps dates as text so it is JSON as written
    assert content["measure"]["effective_from"] == "2025-01-01"
    assert json.loads(json.dumps(content)) == content


# ---------------------------------------------------------------------------- YAML-level errors


def test_malformed_yaml_names_the_line():
    text = edit(
        "  document_number: 测政发〔2025〕1号\n", "  document_number: 测政发〔2025〕1号\n    stray: indent\n"
    )
    (problem,) = problems_of(text)
    assert problem["field"] == "tl.yaml"
    assert problem["problem"] == "malformed YAML: mapping values are not allowed here"
    assert problem["line"] == line_of(text, "stray: indent")


def test_malformed_yaml_tab_indentation():
    (problem,) = problems_of("schema_version: 1\n\tjurisdiction: x\n")
    assert problem["line"] == 2
    assert "malformed YAML" in problem["problem"]


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "just a string\n", "", "# only a comment\n", "42\n"])
def test_pack_must_be_a_mapping(text):
    assert problems_of(text) == [{"field": "tl.yaml", "line": 1, "problem": "a pack is a YAML mapping"}]


# ---------------------------------------------------------------------------- schema errors


def test_missing_required_field_names_dotted_field_and_line():
    text = edit("  effective_from: 2025-01-01\n", "")
    (problem,) = problems_of(text)
    assert problem["field"] == "measure.effective_from"
    assert problem["problem"] == "Field required"
    # the missing key has no line: the problem points at its parent block
    assert problem["line"] in (line_of(text, "measure:"), line_of(text, "measure:") + 1)


def test_missing_field_of_a_rule():
    text = edit("    citation: {article: 第二十条}\n", "")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.2.citation"
    assert problem["line"] == line_of(text, "- id: tl.construction.supervision")


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("    value: 200\n", "    value: lots\n", "rules.2.value", "value: lots"),
        ("level: city", "level: town", "jurisdiction.level", "level: town"),
        ("schema_version: 1", "schema_version: 2", "schema_version", "schema_version: 2"),
        ("    blocks: [enter_library]\n", "    blocks: [fly]\n", "rules.1.blocks.0", "blocks: [fly]"),
        ("    phase: construction\n", "    phase: building\n", "rules.2.phase", "phase: building"),
        (
            "offset: {amount: 10, unit: working_days}",
            "offset: {amount: 10, unit: fortnights}",
            "rules.3.offset.unit",
            "fortnights",
        ),
        ("offset: {amount: 10, unit", "offset: {amount: ten, unit", "rules.3.offset.amount", "amount: ten"),
    ],
)
def test_wrong_type(old, new, field, needle):
    text = edit(old, new)
    (problem,) = problems_of(text)
    assert problem["field"] == field
    assert problem["line"] == line_of(text, needle)


def test_unknown_rule_kind():
    text = edit("kind: threshold", "kind: thresh")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.2"
    assert "'thresh'" in problem["problem"]
    assert "threshold" in problem["problem"]
    assert problem["line"] == line_of(text, "- id: tl.construction.supervision")


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("    value: 200\n", "    value: 200\n    colour: red\n", "rules.2.colour", "colour: red"),
        ("schema_version: 1\n", "schema_version: 1\nauthor: me\n", "author", "author: me"),
        (
            "    citation: {article: 第九条}",
            "    citation: {article: 第九条, page: 3}",
            "rules.1.citation.page",
            "page: 3",
        ),
    ],
)
def test_unknown_field_is_forbidden(old, new, field, needle):
    text = edit(old, new)
    (problem,) = problems_of(text)
    assert problem["field"] == field
    assert problem["problem"] == "Extra inputs are not permitted"
    assert problem["line"] == line_of(text, needle)


@pytest.mark.parametrize("article", ["Article 20", "第20条", "二十条", "第二十条（一）", "第二十款"])
def test_bad_article(article):
    text = edit("{article: 第二十条}", f"{{article: {article}}}")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.2.citation.article"
    assert problem["problem"] == "must be an article such as 第十九条"
    assert problem["line"] == line_of(text, article)


@pytest.mark.parametrize("article", ["第十九条", "第一百零二条", "第三十条"])
def test_good_articles(article):
    spec, _ = load_pack_text(edit("{article: 第二十条}", f"{{article: {article}}}"))
    assert spec.rule("tl.construction.supervision").citation.article == article


def test_duplicate_rule_id():
    text = edit("id: tl.intake.negative_list", "id: tl.intake.declaration_documents")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.1.id"
    assert problem["problem"] == "duplicate rule id tl.intake.declaration_documents"
    # the second occurrence is the one reported
    lines = [
        i for i, line in enumerate(text.splitlines(), 1) if "id: tl.intake.declaration_documents" in line
    ]
    assert problem["line"] == lines[1]


def test_rule_id_must_start_with_the_jurisdiction_code():
    text = edit("id: tl.construction.supervision", "id: other.construction.supervision")
    (problem,) = problems_of(text)
    assert problem == {
        "field": "rules.2.id",
        "line": line_of(text, "id: other.construction.supervision"),
        "problem": "must start with `tl.`",
    }


def test_unknown_fact_in_a_rule():
    text = edit("    fact: total_investment_wan\n", "    fact: budget_wan\n")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.2"
    assert problem["problem"] == "unknown fact `budget_wan`"
    assert problem["line"] == line_of(text, "- id: tl.construction.supervision")


def test_threshold_fact_of_the_wrong_type():
    text = edit("    fact: total_investment_wan\n", "    fact: is_urgent\n")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.2"
    assert problem["problem"] == "fact `is_urgent` is boolean, needs decimal/integer"


def test_deadline_anchor_of_the_wrong_type():
    text = edit("anchor: trial_run_start", "anchor: total_investment_wan")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.3"
    assert problem["problem"] == "fact `total_investment_wan` is decimal, needs date"


def test_document_code_not_in_documents():
    text = edit("- {code: proposal}", "- {code: proposl}")
    (problem,) = problems_of(text)
    assert problem == {
        "field": "rules.0.documents.0.code",
        "line": line_of(text, "{code: proposl}"),
        "problem": "`proposl` is not in `documents`",
    }


def test_effective_to_before_effective_from():
    text = edit("effective_to: null", "effective_to: 2024-12-31")
    (problem,) = problems_of(text)
    assert problem["field"] == "measure"
    assert problem["problem"] == "effective_to is before effective_from"
    assert problem["line"] in (line_of(text, "measure:"), line_of(text, "measure:") + 1)


def test_effective_to_equal_to_effective_from_is_fine():
    spec, _ = load_pack_text(edit("effective_to: null", "effective_to: 2025-01-01"))
    assert spec.measure.effective_to == dt.date(2025, 1, 1)


def test_cross_reference_problems_are_all_reported():
    text = edit("id: tl.intake.negative_list", "id: tl.intake.declaration_documents")
    text = edit("- {code: proposal}", "- {code: proposl}", text)
    text = edit("    fact: total_investment_wan\n", "    fact: budget_wan\n", text)
    problems = problems_of(text)
    assert {(p["field"], p["problem"]) for p in problems} == {
        ("rules.0.documents.0.code", "`proposl` is not in `documents`"),
        ("rules.1.id", "duplicate rule id tl.intake.declaration_documents"),
        ("rules.2", "unknown fact `budget_wan`"),
    }
    assert all(isinstance(p["line"], int) for p in problems)


def test_schema_problems_are_all_reported():
    text = edit("level: city", "level: town")
    text = edit("    value: 200\n", "    value: lots\n", text)
    problems = problems_of(text)
    assert {p["field"] for p in problems} == {"jurisdiction.level", "rules.2.value"}


def test_deadline_needs_offset_or_fixed():
    text = edit("    offset: {amount: 10, unit: working_days}\n", "")
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.3"
    assert "`anchor` and `offset`, or `fixed`" in problem["problem"]


@pytest.mark.parametrize(("month", "day"), [(4, 31), (2, 30), (2, 29)])
def test_impossible_fixed_date_is_rejected_at_load(month, day):
    text = edit(
        "    offset: {amount: 10, unit: working_days}\n", f"    fixed: {{month: {month}, day: {day}}}\n"
    )
    text = edit("    anchor: trial_run_start\n", "", text)
    (problem,) = problems_of(text)
    assert problem["field"] == "rules.3.fixed"
    assert f"{month}-{day} is not a day of every year" in problem["problem"]


def test_pack_error_message_names_field_and_problem():
    with pytest.raises(PackError) as caught:
        load_pack_text(edit("level: city", "level: town"))
    assert str(caught.value).startswith("jurisdiction.level: ")


# ---------------------------------------------------------------------------- load_rulepacks


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(*paths) -> str:
    out = io.StringIO()
    call_command("load_rulepacks", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_loads_a_pack_as_version_1(tmp_path):
    path = write(tmp_path, "tl.yaml", TEXT)
    output = load(path)
    assert "tl: loaded as v1 (4 rules)" in output
    (pack,) = RulePack.objects.all()
    assert pack.version == 1
    assert pack.jurisdiction.code == "tl"
    assert pack.jurisdiction.name_zh == "测试市"
    assert pack.source == "tl.yaml"
    assert pack.measure_title == "测试市政务信息化项目管理办法"
    assert pack.effective_from == dt.date(2025, 1, 1)
    assert pack.effective_to is None
    assert pack.content == load_pack_text(TEXT)[1]
    assert pack.spec.rule("tl.construction.supervision").value == 200


@pytest.mark.django_db
def test_command_second_run_is_unchanged(tmp_path):
    path = write(tmp_path, "tl.yaml", TEXT)
    load(path)
    output = load(path)
    assert "tl: unchanged, v1" in output
    assert "loaded as" not in output
    assert RulePack.objects.count() == 1


@pytest.mark.django_db
def test_command_changed_content_creates_version_2(tmp_path):
    path = write(tmp_path, "tl.yaml", TEXT)
    load(path)
    first = RulePack.objects.get(version=1)
    before = (first.content_hash, json.dumps(first.content, sort_keys=True), first.created_at)
    write(tmp_path, "tl.yaml", edit("    value: 200\n", "    value: 300\n"))
    output = load(path)
    assert "tl: loaded as v2" in output
    assert RulePack.objects.count() == 2
    v1, v2 = RulePack.objects.get(version=1), RulePack.objects.get(version=2)
    assert (v1.content_hash, json.dumps(v1.content, sort_keys=True), v1.created_at) == before
    assert v1.spec.rule("tl.construction.supervision").value == 200
    assert v2.spec.rule("tl.construction.supervision").value == 300
    assert v1.content_hash != v2.content_hash
    # and loading the changed file again is unchanged at v2
    assert "tl: unchanged, v2" in load(path)
    assert RulePack.objects.count() == 2


@pytest.mark.django_db
def test_command_broken_file_loads_nothing(tmp_path):
    good = write(tmp_path, "good.yaml", testland_text("good"))
    broken_text = edit("    value: 200\n", "    value: lots\n", testland_text("bad").replace("tl.", "bad."))
    broken = write(tmp_path, "broken.yaml", broken_text)
    also_good = write(tmp_path, "also.yaml", testland_text("also"))
    with pytest.raises(CommandError) as caught:
        load(good, broken, also_good)
    message = str(caught.value)
    assert f"{broken}:{line_of(broken_text, 'value: lots')}: rules.2.value:" in message
    assert "nothing loaded" in message
    assert str(good) not in message
    assert RulePack.objects.count() == 0
    assert not Jurisdiction.objects.filter(code__in=["good", "bad", "also"]).exists()


@pytest.mark.django_db
def test_command_reports_every_broken_file(tmp_path):
    one = write(tmp_path, "one.yaml", "rules: [\n")
    two_text = edit("level: city", "level: town")
    two = write(tmp_path, "two.yaml", two_text)
    with pytest.raises(CommandError) as caught:
        load(one, two)
    message = str(caught.value)
    assert f"{one}:" in message
    assert "malformed YAML" in message
    assert f"{two}:{line_of(two_text, 'level: town')}: jurisdiction.level:" in message
    assert RulePack.objects.count() == 0


@pytest.mark.django_db
def test_command_missing_file(tmp_path):
    good = write(tmp_path, "good.yaml", TEXT)
    with pytest.raises(CommandError) as caught:
        load(good, tmp_path / "absent.yaml")
    assert f"{tmp_path / 'absent.yaml'}: cannot read" in str(caught.value)
    assert RulePack.objects.count() == 0


@pytest.mark.django_db
def test_command_flags_an_expired_measure(tmp_path):
    path = write(tmp_path, "tl.yaml", edit("effective_to: null", "effective_to: 2025-06-30"))
    output = load(path)
    assert "tl: loaded as v1" in output
    assert "The measure expired on 2025-06-30" in output


# ---------------------------------------------------------------------------- immutability


@pytest.mark.django_db
def test_rule_pack_save_of_an_existing_row_raises():
    pack = publish_testland("tl")
    original = pack.content_hash
    pack.measure_title = "changed"
    with pytest.raises(ValueError, match="immutable"):
        pack.save()
    fresh = RulePack.objects.get(pk=pack.pk)
    assert fresh.measure_title == "测试市政务信息化项目管理办法"
    fresh.content = {"rules": []}
    with pytest.raises(ValueError, match="immutable"):
        fresh.save()
    assert RulePack.objects.get(pk=pack.pk).content_hash == original


@pytest.mark.django_db
def test_rule_pack_delete_raises():
    pack = publish_testland("tl")
    with pytest.raises(ValueError, match="immutable"):
        pack.delete()
    assert RulePack.objects.filter(pk=pack.pk).exists()


@pytest.mark.django_db
def test_content_hash_is_stored_on_create_and_republishing_is_a_no_op():
    spec, content = load_pack_text(TEXT)
    first = publish_rule_pack(spec, content, source="a")
    assert first.created
    assert first.pack.content_hash == content_hash(content)
    again = publish_rule_pack(spec, content, source="b")
    assert not again.created
    assert again.pack.pk == first.pack.pk
    assert RulePack.objects.count() == 1


@pytest.mark.django_db
def test_command_refuses_an_unknown_parent_jurisdiction(tmp_path):
    child = write(tmp_path, "child.yaml", TEXT.replace("parent: null", "parent: atlantis"))
    with pytest.raises(CommandError) as raised:
        load(child)
    assert "jurisdiction.parent: unknown jurisdiction `atlantis`" in str(raised.value)
    assert not RulePack.objects.exists()


@pytest.mark.django_db
def test_command_loads_a_parent_given_in_the_same_batch_first(tmp_path):
    city = write(tmp_path, "a_city.yaml", TEXT.replace("code: tl,", "code: city,").replace("tl.", "city."))
    district = write(tmp_path, "0_district.yaml", TEXT.replace("parent: null", "parent: city"))
    load(district, city)
    assert Jurisdiction.objects.get(code="tl").parent.code == "city"
