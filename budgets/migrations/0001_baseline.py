# Placeholder: the investment baseline's models fill in the operations.

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [("projects", "0008_annual_plans")]

    operations = []
