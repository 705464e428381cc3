"""The rule-pack editor: drafts a jurisdiction admin edits in the browser, published as new versions.

services.py writes (one function per action, in a transaction, logged in the security log);
selectors.py reads. Pages, API and the impact preview call these; nothing else writes a draft.
"""
