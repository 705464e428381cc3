"""The report kinds, one module each; importing this package registers them (projects.reports.kinds)."""

from projects.reports.documents import (  # noqa: F401
    acceptance,
    approval,
    dossier,
    evaluation,
    om,
    plan,
    review,
    rulepack,
)
