"""The rows of the project list, written in Python as Django's admin writes its change list.

A row is a dozen values in a dozen cells, each with its column's label for the stacked
layout on a phone; the template engine spent most of the page's time resolving them one
node at a time. `format_html` escapes every value just the same.
"""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

ROW = (
    '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}"><a href="{}">{}</a></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}" class="num">{}</td>'
    '<td data-label="{}"><span class="phase phase-{}">{}</span></td></tr>'
)


@register.simple_tag
def project_rows(projects) -> str:
    """One <tr> per project: code, title, jurisdiction, department, year, investment, phase."""
    code, title, jurisdiction, department, year, investment, phase = column_labels()
    detail = reverse("projects:detail", args=[0])[:-2]  # "/projects/"; the id and "/" follow

    def cells(project):
        url = f"{detail}{project.pk}/"
        return (
            *(code, url, project.code, title, url, project.title),
            *(jurisdiction, project.jurisdiction.name, department, project.department.name),
            *(year, project.year, investment, intcomma(project.total_investment_wan)),
            *(phase, project.phase, project.phase_label),
        )

    return format_html_join("\n", ROW, (cells(project) for project in projects))


@register.simple_tag
def column_labels() -> tuple[str, ...]:
    return (
        _("Code"),
        _("Title"),
        _("Jurisdiction"),
        _("Department"),
        _("Year"),
        _("Investment (10k CNY)"),
        _("Phase"),
    )


@register.simple_tag
def column_headers() -> str:
    numeric = format_html(' class="{}"', "num")
    return format_html_join(
        "", "<th{}>{}</th>", ((numeric if i == 5 else "", label) for i, label in enumerate(column_labels()))
    )


@register.simple_tag
def options(choices, chosen) -> str:
    """<option>s for (value, label) pairs, the one equal to `chosen` (as text) selected."""
    chosen = "" if chosen is None else str(chosen)
    selected = format_html(" {}", "selected")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, selected if str(value) == chosen else "", label) for value, label in choices),
    )
