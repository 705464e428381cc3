"""Search by code or title uses trigram indexes on PostgreSQL (pg_trgm, GIN).

The list's search is `icontains`, which Django writes as `UPPER(col::text) LIKE UPPER(%s)`;
the indexes are on those very expressions, so PostgreSQL can use them. SQLite has no such
index and keeps the same query, scanning (its fallback stays correct).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

COLUMNS = ("code", "title")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS project_{column}_trgm ON projects_project "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS project_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_list_order_indexes")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
