"""Records of budgets.om (issue 10). Imported by the app's models module."""

__all__: list[str] = []
