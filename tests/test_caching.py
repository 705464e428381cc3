"""The caches of govproj.caching stay correct: per request, under stamps, per pack version.

Each test first shows the cache at work (no query, no second computation), then the write
that must invalidate it, then the fresh answer. Writes are committed through pytest-django's
`django_capture_on_commit_callbacks(execute=True)`: inside the test's transaction a stamp stays
provisional (nothing is cached), as it would in production until the writer commits.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govproj.caching import (
    PROVISIONAL,
    STAMP_PREFIX,
    Memo,
    RequestCacheMiddleware,
    bump,
    forget_per_request,
    per_request,
    remembered,
    stamp,
    stamped,
)
from jurisdictions import models as jurisdiction_models
from jurisdictions.models import (
    CALENDAR_STAMP,
    RULE_PACKS_STAMP,
    SPECS,
    CalendarDay,
    CalendarYear,
    Membership,
    Role,
    RulePack,
    content_hash,
    memberships_of,
)
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.selectors import rule_pack, working_calendar
from jurisdictions.services import membership_revoke, publish_rule_pack
from projects.models import PROJECTS_STAMP, Project
from tests.conftest import admin_site_client, client_for, make_project, make_tenant, testland_text
from tests.factories import MembershipFactory

# A Wednesday in a year no calendar publishes: Monday–Friday, so a working day unless overridden.
WEDNESDAY = dt.date(2031, 6, 11)


class Counter:
    """A compute function that counts its calls."""

    def __init__(self, value=None):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return self.value if self.value is not None else self.calls


def in_a_request(view):
    """Run `view()` as the middleware would around a request; its return value comes back."""
    middleware = RequestCacheMiddleware(lambda request: view())
    return middleware(object())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks at its end, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def settled_alpha(db, committed):
    """alpha, set up as if committed: no stamp is left provisional."""
    with committed():
        return make_tenant("alpha")


@pytest.fixture
def settled_beta(db, committed):
    with committed():
        return make_tenant("beta")


def sql_of(captured) -> str:
    return "\n".join(q["sql"] for q in captured.captured_queries)


# --- per_request ---------------------------------------------------------------------------------


def test_outside_a_request_every_call_computes():
    compute = Counter()
    assert per_request("k", compute) == 1
    assert per_request("k", compute) == 2
    assert compute.calls == 2


def test_inside_a_request_a_value_is_computed_once_and_dropped_afterwards():
    compute = Counter()

    def view():
        return [per_request("k", compute), per_request("k", compute), per_request("other", Counter("x"))]

    assert in_a_request(view) == [1, 1, "x"]
    assert compute.calls == 1
    assert in_a_request(view) == [2, 2, "x"]  # the next request starts with an empty store
    assert compute.calls == 2
    assert per_request("k", compute) == 3  # and after it, nothing is kept
    assert per_request("k", compute) == 4


def test_forget_drops_one_value_of_the_request():
    first, second = Counter(), Counter()

    def view():
        per_request("a", first), per_request("b", second)
        forget_per_request("a")
        return per_request("a", first), per_request("b", second)

    assert in_a_request(view) == (2, 1)
    forget_per_request("a")  # outside a request: nothing to forget, no error


def test_a_request_store_is_dropped_when_the_view_raises():
    compute = Counter()

    def view():
        per_request("k", compute)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        in_a_request(view)
    per_request("k", compute)
    assert compute.calls == 2


def test_a_page_reads_the_memberships_once(alpha):
    """The list calls for_user for the projects and the navigation reads the roles: one read."""
    make_project(alpha)
    client = Client()
    client.force_login(alpha.users[Role.REVIEWER])
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/projects/").status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "jurisdictions_membership"' in q["sql"]]
    whole_rows = [sql for sql in reads if sql.startswith('SELECT "jurisdictions_membership"."id"')]
    assert len(whole_rows) == 1, reads


def test_memberships_of_is_per_user_and_per_request(alpha):
    reviewer, staff = alpha.users[Role.REVIEWER], alpha.users[Role.DEPARTMENT_STAFF]

    def view():
        with CaptureQueriesContext(connection) as captured:
            roles = [m.role for m in memberships_of(reviewer)], [m.role for m in memberships_of(staff)]
            again = [m.role for m in memberships_of(reviewer)]
        return roles, again, len(captured)

    (of_reviewer, of_staff), again, reads = in_a_request(view)
    assert of_reviewer == again == [Role.REVIEWER] and of_staff == [Role.DEPARTMENT_STAFF]
    assert reads == 2


def test_a_revoked_membership_is_read_afresh_in_the_same_request(alpha):
    admin, reviewer = alpha.users[Role.JURISDICTION_ADMIN], alpha.users[Role.REVIEWER]
    membership = Membership.objects.get(user=reviewer)

    def view():
        before = [m.role for m in memberships_of(reviewer)]
        with CaptureQueriesContext(connection) as captured:
            memberships_of(reviewer)
        cached = len(captured)
        membership_revoke(actor=admin, membership_id=membership.pk, reason="left")
        return before, cached, [m.role for m in memberships_of(reviewer)]

    before, cached, after = in_a_request(view)
    assert before == [Role.REVIEWER] and cached == 0
    assert after == []


def test_a_revoked_membership_hides_the_projects_in_the_same_request(alpha):
    admin, reviewer = alpha.users[Role.JURISDICTION_ADMIN], alpha.users[Role.REVIEWER]
    project = make_project(alpha)
    membership = Membership.objects.get(user=reviewer)

    def view():
        before = list(Project.objects.for_user(reviewer).values_list("pk", flat=True))
        membership_revoke(actor=admin, membership_id=membership.pk)
        return before, list(Project.objects.for_user(reviewer).values_list("pk", flat=True))

    assert in_a_request(view) == ([project.pk], [])


# --- stamps --------------------------------------------------------------------------------------


def test_a_stamp_is_stable_until_bumped(db, committed):
    first = stamp("thing")
    assert stamp("thing") == first and not first.startswith(PROVISIONAL)
    with committed():
        bump("thing")
    settled = stamp("thing")
    assert settled != first and not settled.startswith(PROVISIONAL)
    assert stamp("other") != settled  # each kind has its own


def test_inside_a_transaction_the_stamp_is_provisional_and_nothing_is_cached(db, committed):
    memo, compute = Memo(size=8), Counter()
    assert stamped(memo, "thing", "k", compute) == stamped(memo, "thing", "k", compute) == 1
    with committed(), transaction.atomic():
        bump("thing")
        assert stamp("thing").startswith(PROVISIONAL)
        assert stamped(memo, "thing", "k", compute) == 2
        assert stamped(memo, "thing", "k", compute) == 3  # recomputed: the write may be rolled back
        assert len(memo) == 1  # only the value cached before the write
    assert not stamp("thing").startswith(PROVISIONAL)  # the commit settled it
    assert stamped(memo, "thing", "k", compute) == 4
    assert stamped(memo, "thing", "k", compute) == 4


def test_a_rolled_back_write_never_settles_its_stamp(db, committed):
    memo, compute = Memo(size=8), Counter()
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            bump("thing")
            raise RuntimeError("rolled back")
    assert stamp("thing").startswith(PROVISIONAL)  # left to expire, never settled by the rollback
    stamped(memo, "thing", "k", compute), stamped(memo, "thing", "k", compute)
    assert compute.calls == 2 and len(memo) == 0


def test_an_evicted_stamp_is_a_miss_not_a_stale_hit(db):
    memo, compute = Memo(size=8), Counter()
    before = stamp("thing")
    assert stamped(memo, "thing", "k", compute) == 1
    cache.delete(STAMP_PREFIX + "thing")  # evicted (memory pressure, restart of the cache)
    assert stamp("thing") != before
    assert stamped(memo, "thing", "k", compute) == 2


def test_remembered_keeps_a_value_in_the_shared_cache_until_the_stamp_moves(db, committed):
    compute = Counter()
    assert remembered("thing", "k", compute) == remembered("thing", "k", compute) == 1
    assert remembered("thing", "other", Counter("o")) == "o"  # keys apart
    with committed(), transaction.atomic():
        bump("thing")
        assert remembered("thing", "k", compute) == 2
        assert remembered("thing", "k", compute) == 3
    assert remembered("thing", "k", compute) == remembered("thing", "k", compute) == 4


def test_memo_is_bounded_and_drops_the_least_recently_used():
    memo = Memo(size=2)
    memo.get_or_compute("a", lambda: 1)
    memo.get_or_compute("b", lambda: 2)
    memo.get_or_compute("a", lambda: "not recomputed")  # "a" is now the most recent
    memo.get_or_compute("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get_or_compute("a", lambda: "again") == 1
    assert memo.get_or_compute("b", lambda: "recomputed") == "recomputed"


def test_a_writer_never_caches_its_uncommitted_data_even_if_its_stamp_was_evicted(settled_alpha):
    jurisdiction = settled_alpha.jurisdiction
    assert working_calendar(jurisdiction).is_working_day(WEDNESDAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=WEDNESDAY, is_working_day=False, name="回滚")
        cache.delete(STAMP_PREFIX + CALENDAR_STAMP)  # the provisional token expires or is evicted
        assert not working_calendar(jurisdiction).is_working_day(WEDNESDAY)  # its own write, seen
        raise RuntimeError("rolled back")
    assert not CalendarDay.objects.filter(date=WEDNESDAY).exists()
    assert working_calendar(jurisdiction).is_working_day(WEDNESDAY)  # the rolled-back day is gone


# --- RulePack.spec -------------------------------------------------------------------------------


@pytest.fixture
def counted_validation(monkeypatch):
    """Counts calls of validate_pack made by RulePack.spec (a fresh process: no spec cached)."""
    calls = []
    real = jurisdiction_models.validate_pack

    def counting(content):
        calls.append(content)
        return real(content)

    monkeypatch.setattr(jurisdiction_models, "validate_pack", counting)
    SPECS.clear()
    yield calls
    SPECS.clear()


def test_a_version_is_validated_once_per_process(alpha, counted_validation):
    pack = rule_pack(alpha.jurisdiction)
    first, second = RulePack.objects.get(pk=pack.pk), RulePack.objects.get(pk=pack.pk)
    assert first is not second
    assert first.spec is second.spec
    assert RulePack.objects.defer("content").get(pk=pack.pk).spec is first.spec
    assert len(counted_validation) == 1


def test_a_deferred_version_reads_its_content_only_while_not_validated(alpha, counted_validation):
    pk = rule_pack(alpha.jurisdiction).pk
    with CaptureQueriesContext(connection) as captured:
        assert RulePack.objects.defer("content").get(pk=pk).spec.rules
    assert len(captured) == 2  # the row, then its content
    with CaptureQueriesContext(connection) as captured:
        assert RulePack.objects.defer("content").get(pk=pk).spec.rules
    assert len(captured) == 1  # the row only
    assert len(counted_validation) == 1


def test_other_content_under_the_same_id_gets_its_own_spec(alpha, counted_validation):
    pack = RulePack.objects.get(pk=rule_pack(alpha.jurisdiction).pk)
    other_content = load_pack_text(testland_text("alpha"), source="other")[1]
    other_content["measure"]["title"]["zh"] = "另一个办法"
    impostor = RulePack(
        pk=pack.pk,
        jurisdiction=alpha.jurisdiction,
        version=pack.version,
        content=other_content,
        content_hash=content_hash(other_content),
    )
    assert pack.spec.measure.title.zh != "另一个办法"
    assert impostor.spec.measure.title.zh == "另一个办法"
    assert pack.spec.measure.title.zh != "另一个办法"  # and the first keeps its own
    assert len(counted_validation) == 2


def test_project_lists_never_read_a_packs_content(settled_alpha, committed):
    with committed():
        for n in range(3):
            make_project(settled_alpha, title=f"项目{n}")
    reviewer = settled_alpha.users[Role.REVIEWER]
    page = Client()
    page.force_login(reviewer)
    admin = admin_site_client(settled_alpha)
    with CaptureQueriesContext(connection) as captured:
        assert client_for(reviewer).get("/api/v1/projects/").status_code == 200
        assert page.get("/projects/").status_code == 200
        assert admin.get("/admin/projects/project/").status_code == 200
    assert '"jurisdictions_rulepack"."content"' not in sql_of(captured)
    assert '"projects_project"."facts"' not in sql_of(captured)


def test_a_projects_detail_reads_the_pack_content_once_per_process(settled_alpha, committed):
    with committed():
        project = make_project(settled_alpha)
    SPECS.clear()
    client = client_for(settled_alpha.users[Role.REVIEWER])
    client.get(f"/api/v1/projects/{project.pk}/verdicts/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/projects/{project.pk}/verdicts/").status_code == 200
        assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert '"jurisdictions_rulepack"."content"' not in sql_of(captured)


# --- working calendars ---------------------------------------------------------------------------


def test_a_settled_calendar_is_read_once(alpha, django_assert_num_queries):
    assert not stamp(CALENDAR_STAMP).startswith(PROVISIONAL)
    working_calendar(alpha.jurisdiction)
    with django_assert_num_queries(0):
        assert working_calendar(alpha.jurisdiction) is working_calendar(alpha.jurisdiction.pk)


def cached_answer(jurisdiction, day, django_assert_num_queries):
    """Whether `day` is a working day, asserting the calendar came from the cache."""
    working_calendar(jurisdiction)
    with django_assert_num_queries(0):
        return working_calendar(jurisdiction).is_working_day(day)


@pytest.mark.parametrize("owner", ["national", "own"])
def test_a_new_day_shows_at_once(settled_alpha, settled_beta, committed, owner, django_assert_num_queries):
    alpha, beta = settled_alpha.jurisdiction, settled_beta.jurisdiction
    for jurisdiction in (alpha, beta, None):
        assert cached_answer(jurisdiction, WEDNESDAY, django_assert_num_queries) is True
    with committed():
        CalendarDay.objects.create(
            jurisdiction=alpha if owner == "own" else None, date=WEDNESDAY, is_working_day=False, name="假"
        )
    assert cached_answer(alpha, WEDNESDAY, django_assert_num_queries) is False
    # A national day is everyone's; alpha's own day never leaks into beta's or the national calendar.
    assert cached_answer(beta, WEDNESDAY, django_assert_num_queries) is (owner == "own")
    assert cached_answer(None, WEDNESDAY, django_assert_num_queries) is (owner == "own")


def test_a_local_day_wins_over_the_national_one_for_its_own_jurisdiction_only(
    settled_alpha, settled_beta, committed, django_assert_num_queries
):
    alpha, beta = settled_alpha.jurisdiction, settled_beta.jurisdiction
    with committed():
        CalendarDay.objects.create(date=WEDNESDAY, is_working_day=False, name="国家假日")
        CalendarDay.objects.create(jurisdiction=alpha, date=WEDNESDAY, is_working_day=True, name="本地上班")
    assert cached_answer(alpha, WEDNESDAY, django_assert_num_queries) is True
    assert cached_answer(beta, WEDNESDAY, django_assert_num_queries) is False


@pytest.mark.parametrize("write", ["queryset update", "queryset delete", "row save", "row delete"])
def test_every_kind_of_calendar_write_invalidates(settled_alpha, committed, write, django_assert_num_queries):
    jurisdiction = settled_alpha.jurisdiction
    with committed():
        day = CalendarDay.objects.create(jurisdiction=jurisdiction, date=WEDNESDAY, is_working_day=False)
    assert cached_answer(jurisdiction, WEDNESDAY, django_assert_num_queries) is False
    with committed():
        if write == "queryset update":
            CalendarDay.objects.filter(pk=day.pk).update(is_working_day=True)
        elif write == "queryset delete":
            CalendarDay.objects.filter(pk=day.pk).delete()
        elif write == "row save":
            day.is_working_day = True
            day.save()
        else:
            day.delete()
    assert cached_answer(jurisdiction, WEDNESDAY, django_assert_num_queries) is True


def test_bulk_created_days_invalidate(settled_alpha, committed, django_assert_num_queries):
    jurisdiction = settled_alpha.jurisdiction
    assert cached_answer(jurisdiction, WEDNESDAY, django_assert_num_queries) is True
    with committed():
        CalendarDay.objects.bulk_create([CalendarDay(date=WEDNESDAY, is_working_day=False)])
    assert cached_answer(jurisdiction, WEDNESDAY, django_assert_num_queries) is False


def test_a_published_year_shows_at_once(settled_alpha, committed, django_assert_num_queries):
    jurisdiction = settled_alpha.jurisdiction
    working_calendar(jurisdiction)
    with django_assert_num_queries(0):
        assert not working_calendar(jurisdiction).is_known(WEDNESDAY)
    with committed():
        CalendarYear.objects.create(year=WEDNESDAY.year)
    assert working_calendar(jurisdiction).is_known(WEDNESDAY)


def test_an_uncommitted_day_is_seen_by_its_writer_and_gone_after_a_rollback(settled_alpha):
    jurisdiction = settled_alpha.jurisdiction
    assert working_calendar(jurisdiction).is_working_day(WEDNESDAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=WEDNESDAY, is_working_day=False)
        assert not working_calendar(jurisdiction).is_working_day(WEDNESDAY)
        raise RuntimeError("rolled back")
    assert working_calendar(jurisdiction).is_working_day(WEDNESDAY)


# --- the pack in force ---------------------------------------------------------------------------


def test_a_newly_published_version_is_in_force_at_once(settled_alpha, committed, django_assert_num_queries):
    jurisdiction = settled_alpha.jurisdiction
    assert not stamp(RULE_PACKS_STAMP).startswith(PROVISIONAL)
    first = rule_pack(jurisdiction)
    with django_assert_num_queries(0):
        assert rule_pack(jurisdiction) is first
    spec, content = load_pack_text(
        testland_text("alpha").replace("测试市政务信息化项目管理办法", "测试市办法（修订）"), source="v2"
    )
    with committed():
        published = publish_rule_pack(spec, content, source="v2").pack
    assert published.version == first.version + 1
    now_in_force = rule_pack(jurisdiction)
    assert now_in_force.pk == published.pk
    assert now_in_force.spec.measure.title.zh == "测试市办法（修订）"
    with django_assert_num_queries(0):
        assert rule_pack(jurisdiction) is now_in_force


def test_another_jurisdictions_version_does_not_change_ones_pack(settled_alpha, settled_beta, committed):
    before = rule_pack(settled_alpha.jurisdiction)
    spec, content = load_pack_text(testland_text("beta").replace("测试市政务", "乙市政务"), source="v2")
    with committed():
        publish_rule_pack(spec, content, source="v2")
    assert rule_pack(settled_alpha.jurisdiction).pk == before.pk
    assert rule_pack(settled_beta.jurisdiction).version == 2


# --- list totals ---------------------------------------------------------------------------------


def total_on_the_page(client, **params) -> str:
    page = client.get("/projects/", params).content.decode()
    return page.rsplit('<p class="muted">', 1)[1].split("</p>", 1)[0].strip()


def test_the_list_total_is_counted_once_and_renewed_by_a_new_project(settled_alpha, committed):
    with committed():
        make_project(settled_alpha)
    client = Client()
    client.force_login(settled_alpha.users[Role.REVIEWER])
    assert total_on_the_page(client) == "共 1 个项目"
    with CaptureQueriesContext(connection) as captured:
        assert total_on_the_page(client) == "共 1 个项目"
    assert "COUNT(" not in sql_of(captured).upper()  # remembered
    with committed():
        make_project(settled_alpha, year=2027)
    assert total_on_the_page(client) == "共 2 个项目"
    page = client.get("/projects/").content.decode()
    assert '<option value="2027"' in page  # the year choices are renewed too
    assert total_on_the_page(client, year=2027) == "共 1 个项目"


def test_the_list_total_follows_a_phase_change(settled_alpha, committed):
    from projects import services

    with committed():
        project = make_project(settled_alpha)
    client = Client()
    client.force_login(settled_alpha.users[Role.REVIEWER])
    assert total_on_the_page(client, phase="declared") == "共 0 个项目"
    with committed():
        services.transition_project(
            actor=settled_alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
        )
    assert total_on_the_page(client, phase="declared") == "共 1 个项目"


def test_the_list_total_follows_a_bulk_update(settled_alpha, committed):
    with committed():
        make_project(settled_alpha)
    client = Client()
    client.force_login(settled_alpha.users[Role.REVIEWER])
    assert total_on_the_page(client, year=2030) == "共 0 个项目"
    with committed():
        Project.objects.update(year=2030)
    assert total_on_the_page(client, year=2030) == "共 1 个项目"


def test_the_list_total_is_per_visibility(settled_alpha, committed):
    with committed():
        make_project(settled_alpha)
        make_project(
            settled_alpha, actor=settled_alpha.other_staff, department=settled_alpha.other_department
        )
    for role, expected in ((Role.REVIEWER, "共 2 个项目"), (Role.DEPARTMENT_STAFF, "共 1 个项目")):
        client = Client()
        client.force_login(settled_alpha.users[role])
        assert total_on_the_page(client) == expected


def test_the_admin_total_is_renewed_by_a_new_project(settled_alpha, committed):
    with committed():
        make_project(settled_alpha)
    admin = admin_site_client(settled_alpha)
    assert admin.get("/admin/projects/project/").context["cl"].result_count == 1
    with committed():
        make_project(settled_alpha)
    assert admin.get("/admin/projects/project/").context["cl"].result_count == 2


def test_the_admin_total_follows_the_admins_own_jurisdictions(settled_alpha, settled_beta, committed):
    with committed():
        make_project(settled_alpha)
        make_project(settled_beta)
    admin = admin_site_client(settled_alpha)
    assert admin.get("/admin/projects/project/").context["cl"].result_count == 1
    with committed():
        MembershipFactory(
            user=settled_alpha.users[Role.JURISDICTION_ADMIN],
            jurisdiction=settled_beta.jurisdiction,
            role=Role.JURISDICTION_ADMIN,
        )
    changelist = admin.get("/admin/projects/project/").context["cl"]
    assert len(changelist.result_list) == 2
    assert changelist.result_count == 2


def test_a_provisional_projects_stamp_counts_afresh(alpha):
    """Inside the test's open transaction (as inside a writer's) the total is never remembered."""
    make_project(alpha)
    assert stamp(PROJECTS_STAMP).startswith(PROVISIONAL)
    client = Client()
    client.force_login(alpha.users[Role.REVIEWER])
    assert total_on_the_page(client) == "共 1 个项目"
    make_project(alpha)
    assert total_on_the_page(client) == "共 2 个项目"
