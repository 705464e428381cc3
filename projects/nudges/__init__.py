"""催办 (issue 11 §3): a reviewer or the administrator nudges whoever must act on a project or a deadline."""
