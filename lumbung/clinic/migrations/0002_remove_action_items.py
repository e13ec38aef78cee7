# The clinic's action items are now actions.Action (copied with their history by actions 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("actions", "0002_copy_old_tasks"),
    ]

    operations = [
        migrations.DeleteModel(name="ActionItemEvent"),
        migrations.DeleteModel(name="ActionItem"),
    ]
