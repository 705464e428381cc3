# Placeholder in the approvals migration chain; its module fills in the operations for its models.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("approvals", "0003_opinions")]

    operations = []
