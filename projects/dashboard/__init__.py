"""Dashboards per role: counts and charts from one aggregate query each."""
