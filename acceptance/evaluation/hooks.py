"""What acceptance.evaluation registers at start-up: gates, dated facts, inbox items, page sections.

Imported by the app's AppConfig.ready().
"""
