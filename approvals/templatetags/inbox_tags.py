"""The header's 「待办」 link, for the roles that decide.

The number of items waiting is fetched by the page once loaded (htmx, `projects:inbox-count`): it
costs one count query per inbox source, kept a minute per person, and no page waits for it.
"""

from __future__ import annotations

from django import template

from approvals.inbox.services import has_inbox

register = template.Library()


@register.inclusion_tag("approvals/inbox/_nav.html", takes_context=True)
def inbox_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and has_inbox(user)}
