"""The report kinds, one module each; importing this package registers them (projects.reports.kinds)."""
