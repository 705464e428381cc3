"""Receivers that write the security audit log for sign-in events (Django's and django-axes's signals)."""
