"""Batch evaluation: the same verdicts as one project at a time, in a number of queries that does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from projects.selectors import evaluate_projects, project_verdicts

AS_OF = dt.date(2026, 11, 23)
SCAN = {"deadline", "window"}


@pytest.fixture
def demo(db):
    """The five shipped packs and the demo projects, in every phase, with their histories."""
    call_command("load_rulepacks", verbosity=0)
    call_command("seed_demo", verbosity=0)


def one_at_a_time(projects, kinds=None):
    found = {}
    for project in projects:
        pack, verdicts = project_verdicts(project, as_of=AS_OF)
        found[project.pk] = (pack.pk, [v for v in verdicts if kinds is None or v.kind in kinds])
    return found


@pytest.mark.parametrize("kinds", [SCAN, None], ids=["deadlines and windows", "every rule"])
def test_batch_verdicts_are_those_of_one_project_at_a_time(demo, kinds):
    projects = Project.objects.select_related("jurisdiction", "rule_pack").order_by("pk")
    expected = one_at_a_time(projects, kinds)
    batch = {
        e.project.pk: (e.pack.pk, e.verdicts)
        for e in evaluate_projects(
            Project.objects.all(), as_of=AS_OF, kinds=kinds, messages=True, chunk_size=7
        )
    }
    assert batch.keys() == expected.keys()
    assert len(expected) > 20
    assert batch == expected
    outcomes = {v.outcome.value for _pack, verdicts in batch.values() for v in verdicts}
    assert {"pass", "required"} <= outcomes  # the demo exercises real deadlines, not only unknowns


def test_without_messages_only_the_words_are_left_out(demo):
    said = list(evaluate_projects(Project.objects.all(), as_of=AS_OF, kinds=SCAN, messages=True))
    unsaid = list(evaluate_projects(Project.objects.all(), as_of=AS_OF, kinds=SCAN))
    assert [e.project.pk for e in said] == [e.project.pk for e in unsaid]
    for with_words, without in zip(said, unsaid, strict=True):
        assert [(v.rule_id, v.outcome, v.data, v.citation) for v in with_words.verdicts] == [
            (v.rule_id, v.outcome, v.data, v.citation) for v in without.verdicts
        ]
        assert all(not v.message.zh for v in without.verdicts)


def test_a_subset_is_evaluated_alone(demo):
    chosen = Project.objects.filter(jurisdiction__code="hongshan").exclude(phase="draft")
    evaluated = list(evaluate_projects(chosen, as_of=AS_OF, kinds=SCAN))
    assert [e.project.pk for e in evaluated] == list(chosen.order_by("pk").values_list("pk", flat=True))
    assert all(e.pack.jurisdiction_id == e.project.jurisdiction_id for e in evaluated)


def test_the_query_count_does_not_grow_with_the_projects(demo):
    def count(projects) -> tuple[int, int]:
        list(evaluate_projects(projects, as_of=AS_OF, kinds=SCAN))  # warm the spec caches
        with CaptureQueriesContext(connection) as captured:
            evaluated = list(evaluate_projects(projects, as_of=AS_OF, kinds=SCAN, chunk_size=1000))
        return len(evaluated), len(captured)

    few, few_queries = count(Project.objects.filter(jurisdiction__code="baotou"))
    many, many_queries = count(Project.objects.all())
    assert many > few * 3
    assert many_queries == few_queries <= 7  # one more since the current documents stream beside the events
