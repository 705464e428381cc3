"""Notifications (消息提醒, issue 11 §4): an in-app notification centre and e-mail.

Anyone may be told something: `services.notify` writes one row per recipient, idempotent on a key,
and e-mails those who want it at once after commit; a daily digest mails the rest who chose it.
Today's sources are the project audit events (sources.py); deadlines and nudges (催办) call
`notify` too. It lives in `projects` because its rows point at projects and its sources are theirs.
"""
