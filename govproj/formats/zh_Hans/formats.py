"""Django's zh_Hans formats, with amounts grouped by thousands as finance documents print them.

Django's catalogue leaves zh_Hans without a thousands separator (and groups by 4); budget
and approval documents write 1,234,567.50 (万元), so the pages do too.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
