"""The home page per role (issue 11 §5): what waits on the person, what falls due, what is overdue."""
