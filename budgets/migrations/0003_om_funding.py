# Placeholder of the issue-10 migration chain: its owner replaces the operations (keep the name and add
# dependencies only as needed; never depend on a later migration of another issue-10 part).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0002_changes")]

    operations = []
