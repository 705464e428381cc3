"""The rows of the project list, written in Python as Django's admin writes its change list.

A row is a dozen values in a dozen cells, each with its column's label for the stacked
layout on a phone; the template engine spent most of the page's time resolving them one
node at a time. `format_html` escapes every value just the same.
"""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

ROW = (
    '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}"><a href="{}">{}</a></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}" class="num">{}</td>'
    '<td data-label="{}"><span class="phase phase-{}">{}</span></td>'
    '<td data-label="{}"><time datetime="{}">{}</time></td></tr>'
)

# The columns in the order the table shows them, each with the sort key its header uses (None:
# not sortable) and whether it holds a number (right-aligned).
COLUMNS = (
    ("code", "code", False),
    ("title", "title", False),
    ("jurisdiction", None, False),
    ("department", None, False),
    ("year", "year", False),
    ("investment", "total_investment_wan", True),
    ("phase", "phase", False),
    ("created", "created_at", False),
)


@register.simple_tag
def project_rows(projects) -> str:
    """One <tr> per project: code, title, jurisdiction, department, year, investment, phase, created."""
    code, title, jurisdiction, department, year, investment, phase, created = column_labels()
    detail = reverse("projects:detail", args=[0])[:-2]  # "/projects/"; the id and "/" follow

    def cells(project):
        url = f"{detail}{project.pk}/"
        day = timezone.localtime(project.created_at).date().isoformat()
        return (
            *(code, url, project.code, title, url, project.title),
            *(jurisdiction, project.jurisdiction.name, department, project.department.name),
            *(year, project.year, investment, intcomma(project.total_investment_wan)),
            *(phase, project.phase, project.phase_label),
            *(created, day, day),
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
        _("Created at"),
    )


@register.simple_tag
def column_headers(sort_links=None, path="") -> str:
    """The header row: a sortable column's name is a link (keyboard-reachable) that sorts by it,
    or reverses the current sort; the current one carries ▲/▼, aria-sort and a spoken label.

    The link has role="button" (the sortable-table pattern: it changes the table, it does not go
    somewhere), and the table's links stay the projects' own. Without script it is a plain link."""
    sort_links = sort_links or {}
    headers = []
    for label, (_name, key, numeric) in zip(column_labels(), COLUMNS, strict=True):
        attributes = format_html(' class="{}"', "num") if numeric else ""
        link = sort_links.get(key) if key else None
        if link is None:
            headers.append(format_html("<th{}>{}</th>", attributes, label))
            continue
        direction = link["direction"]
        if direction:
            aria = "ascending" if direction == "asc" else "descending"
            attributes = format_html('{} aria-sort="{}"', attributes, aria)
        arrow = {"asc": "▲", "desc": "▼"}.get(direction, "")
        spoken = {
            "asc": _("sorted ascending; activate to sort descending"),
            "desc": _("sorted descending; activate to sort ascending"),
            "": _("activate to sort by this column"),
        }[direction]
        url = f"{path}?{link['query']}"
        headers.append(
            format_html(
                '<th{}><a class="sort" role="button" href="{}" hx-get="{}" hx-target="#project-table" '
                'hx-push-url="true">'
                '{}<span class="sort-arrow" aria-hidden="true">{}</span>'
                '<span class="visually-hidden">（{}）</span></a></th>',
                attributes,
                url,
                url,
                label,
                arrow,
                spoken,
            )
        )
    return format_html_join("", "{}", ((header,) for header in headers))


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
