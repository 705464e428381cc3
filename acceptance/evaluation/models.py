"""Records of acceptance.evaluation (issue 10). Imported by the app's models module."""

__all__: list[str] = []
