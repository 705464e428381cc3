"""Reports people print and auditors keep (issue 12): PDFs by WeasyPrint in Celery, and the dossier."""
